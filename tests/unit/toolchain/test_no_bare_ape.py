"""No test or tool spawns a bare `ape` (or `pytest`, `forge`...) found on PATH: a test that needs
an activated environment fails for the next person. Python tools are run by this interpreter
(`sys.executable`, as tests/e2e/test_scripts.py's APE does); the check reads every subprocess call
of tests/ and tokenized_stocks/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SPAWN = {"run", "Popen", "call", "check_call", "check_output"}
VENV_TOOLS = {"ape", "pytest", "ruff", "mypy", "slither", "python", "python3", "pip"}


def bare_spawns(source: str) -> list[str]:
    """The venv tools named bare as the program of a subprocess call in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name not in SPAWN:
            continue
        argv = node.args[0]
        first = argv.elts[0] if isinstance(argv, ast.List | ast.Tuple) and argv.elts else argv
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            program = first.value.split()[0] if first.value.strip() else ""
            if program in VENV_TOOLS:
                found.append(program)
    return found


FILES = sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "tokenized_stocks").rglob("*.py")])


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_subprocess_runs_a_venv_tool_from_path(path):
    assert bare_spawns(path.read_text()) == []


@pytest.mark.parametrize(
    "source",
    [
        'subprocess.run(["ape", "run", "deploy"])',
        "subprocess.run(('ape', 'test'), check=True)",
        'subprocess.check_output("ape run bridge", shell=True)',
        'Popen(["pytest", "-q"])',
    ],
)
def test_the_check_sees_a_bare_tool(source):
    assert bare_spawns(source) != []


def test_the_check_accepts_the_interpreters_own_tools():
    assert bare_spawns('subprocess.run([sys.executable, "-m", "pytest"])') == []
    assert bare_spawns('subprocess.run([*APE, "run", "deploy"])') == []
