"""`pip install tokenized-stocks` pulls what the package needs at run time, not the test, lint and
analysis tools: those are extras (`.[test]`, `.[lint]`, `.[dev]`).

(eth-ape itself requires pytest, for `ape test`; that is ape's dependency, not ours.)"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TOOLS = ("pytest", "hypothesis", "ruff", "mypy", "slither-analyzer", "types-")


def name_of(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower()


def is_tool(requirement: str) -> bool:
    return name_of(requirement).startswith(TOOLS)


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_runtime_dependencies_name_no_test_or_lint_tool():
    tools = [r for r in pyproject()["dependencies"] if is_tool(r)]

    assert tools == []


def test_the_tools_are_extras():
    extras = pyproject()["optional-dependencies"]
    named = {name_of(r) for group in ("test", "lint") for r in extras[group]}

    assert {"pytest", "hypothesis", "ruff", "mypy", "slither-analyzer"} <= named
    assert extras["dev"] == ["tokenized-stocks[test,lint]"]


def test_the_installed_package_metadata_requires_tools_only_under_an_extra():
    try:
        requires = importlib.metadata.requires("tokenized-stocks") or []
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("tokenized-stocks is not installed in this environment (pip install -e .)")
    unconditional = [r for r in requires if "extra ==" not in r]

    assert [r for r in unconditional if is_tool(r)] == []
    assert {name_of(r) for r in unconditional} == {name_of(r) for r in pyproject()["dependencies"]}


def test_the_abis_are_package_data():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]

    assert "*.json" in package_data["tokenized_stocks.abi"]
