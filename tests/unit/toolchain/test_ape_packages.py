"""ape sees every contract of the project although ape-solidity unpacks the dependencies into
`contracts/.cache` (ape walks at most 500 files there; see tokenized_stocks/devtools/ape_packages.py)."""

from __future__ import annotations

from pathlib import Path

from tokenized_stocks.devtools import ape_packages
from tokenized_stocks.devtools.ape_packages import APE_FILE_LIMIT, ROOT, files_under_contracts, slim


def _own_sources(root: Path) -> set[Path]:
    return {p for p in (root / "contracts").rglob("*.sol") if ".cache" not in p.parts}


def test_a_fresh_ape_project_sees_every_contract_with_the_dependencies_unpacked(project):
    from ape import Project
    from ape_solidity._models import _create_import_remapping

    _create_import_remapping(project)  # what ape-solidity does when it compiles: unpack them all
    assert (ROOT / "contracts" / ".cache").is_dir()

    fresh = Project(ROOT)

    assert set(fresh.sources.paths) == _own_sources(ROOT)
    assert files_under_contracts(ROOT) < APE_FILE_LIMIT


def test_slim_removes_the_prebuilt_artifacts_and_the_unpacked_copies(tmp_path, monkeypatch):
    package = tmp_path / "packages" / "projects" / "@openzeppelin_contracts" / "5_4_0"
    (package / "build" / "contracts").mkdir(parents=True)
    (package / "build" / "contracts" / "ERC20.json").write_text("{}")
    (package / "token").mkdir()
    (package / "token" / "ERC20.sol").write_text("// source")
    (tmp_path / "contracts" / ".cache" / "openzeppelin").mkdir(parents=True)
    monkeypatch.setattr(ape_packages, "installed_packages", lambda: [package])

    removed = slim(tmp_path)

    assert removed == [package / "build", tmp_path / "contracts" / ".cache"]
    assert (package / "token" / "ERC20.sol").is_file()
    assert not (package / "build").exists() and not (tmp_path / "contracts" / ".cache").exists()


def test_every_installed_package_keeps_only_what_can_be_imported():
    for package in ape_packages.installed_packages():
        assert not (package / "build").exists(), f"{package}: run make setup (ape_packages.slim)"
