"""Keeps ape's copies of the Solidity dependencies to their sources.

When ape-solidity compiles, it unpacks each dependency's whole installed package into
`contracts/.cache/<name>/<version>`, and ape lists a project's sources by walking `contracts/` for at
most 500 files (`ape.utils.os.get_all_files_in_directory(..., max_files=500)`), the unpacked copies
included, in the file system's order. The npm packages of OpenZeppelin ship their prebuilt JSON
artifacts (`build/contracts/*.json`: 216 in `@openzeppelin/contracts`, 86 in the upgradeable one)
beside the Solidity: with them the walk stops before it has seen the project's own contracts, and a
fresh `ape run` then knows only a few of them (`'LocalProject' object has no attribute ...`).

`slim()` (run by `make setup` after `ape pm install`) removes those `build/` folders from ape's
installed packages (only `.sol` files are ever imported from them) and the stale unpacked copies
in `contracts/.cache`; `files_under_contracts()` counts what ape walks, for the test that guards the
limit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: ape's own limit on the files it walks under the contracts folder.
APE_FILE_LIMIT = 500


def installed_packages() -> list[Path]:
    """The folders of every installed version of every ape package (`<data>/packages/projects/*/*`)."""
    from ape import config

    projects = Path(config.DATA_FOLDER) / "packages" / "projects"
    return sorted(p for p in projects.glob("*/*") if p.is_dir())


def slim(root: Path = ROOT) -> list[Path]:
    """Removes the prebuilt `build/` folder of each installed package and `contracts/.cache`;
    returns what was removed."""
    removed = [p / "build" for p in installed_packages() if (p / "build").is_dir()]
    cache = root / "contracts" / ".cache"
    if cache.is_dir():
        removed.append(cache)
    for path in removed:
        shutil.rmtree(path)
    return removed


def files_under_contracts(root: Path = ROOT) -> int:
    """How many files ape's walk of `contracts/` meets (the unpacked `.cache` included)."""
    return sum(1 for p in (root / "contracts").rglob("*.*") if p.is_file())


def main() -> None:
    for path in slim():
        print(f"removed {path}")


if __name__ == "__main__":
    main()
