"""Export the ABIs from the compiled project, or check them, in two places with the same bytes:

- `tokenized_stocks/abi/*.json`: package data, loaded by `tokenized_stocks.abi.load_abi`;
- `abi/*.json` at the repository root: for programs in other languages (TypeScript, Go, Rust...)
  that take the suite's ABIs without installing the Python package.

    python -m tokenized_stocks.devtools.abi           # write both (what `make abi` runs)
    python -m tokenized_stocks.devtools.abi --check   # exit 1 and name the stale files

Run from the project root: ape compiles what changed and hands over the contract types.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tokenized_stocks.abi import CONTRACTS

ABI_DIR = Path(__file__).resolve().parents[1] / "abi"
#: The top-level export for other languages (a source checkout's root).
EXPORT_DIR = Path(__file__).resolve().parents[2] / "abi"
#: Every directory the ABIs are written to.
DIRECTORIES = (ABI_DIR, EXPORT_DIR)
FIX_COMMAND = "make abi"


def render(abi: Sequence[Mapping[str, Any]]) -> str:
    """The committed form of an ABI: solc's JSON, keys sorted, two-space indent, final newline."""
    return json.dumps(list(abi), indent=2, sort_keys=True) + "\n"


def compiled_abis(project: Any = None, names: Sequence[str] = CONTRACTS) -> dict[str, list[dict[str, Any]]]:
    """The ABIs of `names` as the project compiles them now (`project` defaults to ape's)."""
    if project is None:
        from ape import project as ape_project

        project = ape_project
    return {
        name: project.get_contract(name).contract_type.model_dump(mode="json", by_alias=True)["abi"]
        for name in names
    }


def stale(compiled: Mapping[str, Sequence[Mapping[str, Any]]], directory: Path = ABI_DIR) -> list[str]:
    """Files of `directory` that differ from `compiled`: missing, changed, or shipped for no contract."""
    present = {p.stem for p in directory.glob("*.json")}
    wrong = [
        f"{name}.json"
        for name, abi in compiled.items()
        if name not in present or (directory / f"{name}.json").read_text(encoding="utf-8") != render(abi)
    ]
    return sorted(wrong + [f"{name}.json" for name in present - set(compiled)])


def export(compiled: Mapping[str, Sequence[Mapping[str, Any]]], directory: Path = ABI_DIR) -> list[str]:
    """Writes `compiled` into `directory` (removing files of contracts no longer shipped); returns
    the files it changed."""
    changed = stale(compiled, directory)
    for path in directory.glob("*.json"):
        if path.stem not in compiled:
            path.unlink()
    for name, abi in compiled.items():
        (directory / f"{name}.json").write_text(render(abi), encoding="utf-8")
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    compiled = compiled_abis()
    if "--check" in args:
        failed = False
        for directory in DIRECTORIES:
            wrong = stale(compiled, directory)
            if wrong:
                print(f"stale ABIs in {directory}: {', '.join(wrong)}; run `{FIX_COMMAND}`", file=sys.stderr)
                failed = True
        if failed:
            return 1
        print(f"{len(compiled)} ABIs up to date in {', '.join(str(d) for d in DIRECTORIES)}")
        return 0
    for directory in DIRECTORIES:
        directory.mkdir(exist_ok=True)
        changed = export(compiled, directory)
        print(
            f"wrote {len(compiled)} ABIs to {directory}"
            + (f" ({', '.join(changed)} changed)" if changed else "")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
