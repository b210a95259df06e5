"""The package's import graph points one way: protocol <- services <- cli / devtools.

`protocol` is pure (no ape, no web3, nothing else of the package); a service imports protocol and
other services; only `cli` and `devtools` may import `cli` or `devtools`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "tokenized_stocks"
LAYER = {
    "protocol": 0,
    "abi": 0,  # package data and its loader: importable by every service
    "deploy": 1,
    "relayer": 1,
    "attestor": 1,
    "keeper": 1,
    "reconcile": 1,
    "client": 1,  # the library API: services composed for other programs
    "iso20022": 1,
    "register": 1,
    "governance": 1,  # the Safe, the timelock and the hand-over of admin
    "cli": 2,
    "devtools": 2,
}
CHAIN_LIBRARIES = ("ape", "web3")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE)


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


def _part(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


def test_every_subpackage_has_a_layer():
    parts = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert parts == set(LAYER)


def test_the_package_root_holds_no_module_but_its_init():
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py"]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_layers(path: Path):
    own = _part(path)
    for module in _imports(path):
        if not module.startswith("tokenized_stocks."):
            continue
        target = module.split(".")[1]
        assert target in LAYER, f"{path.name} imports {module}, which is in no layer"
        if own == "protocol":
            assert target == "protocol", f"protocol module {path.name} imports {module}"
        assert LAYER[target] <= LAYER[own], f"{own}/{path.name} imports {module} (a higher layer)"


@pytest.mark.parametrize("path", [p for p in _modules() if _part(p) == "protocol"], ids=lambda p: p.name)
def test_protocol_is_pure(path: Path):
    for module in _imports(path):
        assert module.split(".")[0] not in CHAIN_LIBRARIES, f"{path.name} imports {module}"


def test_the_checker_sees_a_wrong_arrow(tmp_path: Path):
    bad = tmp_path / "bad.py"
    bad.write_text("from tokenized_stocks.cli.errors import fail\n")
    assert "tokenized_stocks.cli.errors" in _imports(bad)
