"""One option name per concept across the scripts, documented in one README table.

The test reads every script's click parameters and compares them with the README's "Script
options" table (option -> scripts that take it) and its table of deprecated spellings (hidden
options), so neither the scripts nor the table can drift. The deprecated spellings themselves are
exercised by the e2e tests that still use them (`--dst-uri`, `--chain`, `--manifest-a`...)."""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

import click
import pytest
from ape.cli import ConnectedProviderCommand

from tokenized_stocks.cli.params import DEFAULT_MANIFESTS, DEFAULT_TEST_ACCOUNT

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = sorted(p.stem for p in (ROOT / "scripts").glob("*.py") if not p.stem.startswith("_"))
README = (ROOT / "README.md").read_text()


@functools.cache
def commands() -> dict[str, click.Command]:
    """Every runnable command, `script` or `script subcommand`."""
    found: dict[str, click.Command] = {}
    for name in SCRIPTS:
        spec = importlib.util.spec_from_file_location(f"_options_{name}", ROOT / "scripts" / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found |= _runnable(name, module.cli)
    return found


def _runnable(name: str, command: click.Command) -> dict[str, click.Command]:
    """`command` under `name`, or each command of a group (nested groups too: `admin timelock status`)."""
    if not isinstance(command, click.Group):
        return {name: command}
    found: dict[str, click.Command] = {}
    for sub, child in command.commands.items():
        found |= _runnable(f"{name} {sub}", child)
    return found


def options(command: click.Command, hidden: bool) -> set[str]:
    names = {
        max(param.opts, key=len)
        for param in command.params
        if isinstance(param, click.Option) and param.hidden == hidden
    }
    if not hidden and isinstance(command, ConnectedProviderCommand):
        names.add("--network")  # ape adds it when the command runs
    return names


def table(marker: str) -> list[list[str]]:
    block = re.search(rf"<!-- {marker} -->\n(.*?)<!-- /{marker} -->", README, re.S)
    assert block, f"README.md has no <!-- {marker} --> table"
    rows = [line for line in block.group(1).splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def ticked(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def documented() -> dict[str, set[str]]:
    """Command -> the options the README table says it takes."""
    taken: dict[str, set[str]] = {}
    for names, _meaning, scripts in table("script-options"):
        for command in ticked(scripts):
            taken.setdefault(command, set()).update(ticked(names))
    return taken


def deprecated() -> dict[str, set[str]]:
    """Command -> its deprecated (hidden) spellings, from the README."""
    hidden: dict[str, set[str]] = {}
    for old, _new in table("deprecated-options"):
        where = re.search(r"\(([^)]+)\)", old)
        assert where, old
        for name in ticked(old):
            hidden.setdefault(where.group(1), set()).add(name)
    return hidden


@pytest.mark.parametrize(
    "command",
    [c for c in sorted(commands())],
)
def test_each_command_takes_exactly_the_options_the_readme_table_lists(command):
    assert options(commands()[command], hidden=False) == documented().get(command, set())


def test_the_table_names_no_command_that_does_not_exist():
    assert set(documented()) <= set(commands())


def test_every_hidden_option_is_a_documented_deprecated_spelling():
    hidden = {c: options(cmd, hidden=True) for c, cmd in commands().items() if options(cmd, hidden=True)}
    listed = deprecated()
    expanded = {}
    for where, names in listed.items():  # "sanctions watch" or a script with subcommands
        for command in commands():
            if command == where or command.startswith(where + " "):
                if names & options(commands()[command], hidden=True):
                    expanded.setdefault(command, set()).update(names)
    assert hidden == expanded


def test_no_visible_option_uses_a_deprecated_spelling():
    old = {name for names in deprecated().values() for name in names}
    for command, cmd in commands().items():
        assert options(cmd, hidden=False) & old == set(), command


def test_every_sending_script_defaults_to_the_same_test_account():
    defaults = {
        (command, max(param.opts, key=len)): param.default
        for command, cmd in commands().items()
        for param in cmd.params
        if isinstance(param, click.Option) and max(param.opts, key=len).endswith("test-account")
        and param.default is not None
    }  # fmt: skip
    assert defaults, "no --test-account found"
    assert set(defaults.values()) == {DEFAULT_TEST_ACCOUNT}, defaults


def test_the_manifests_directory_has_one_default():
    defaults = {
        command: param.default
        for command, cmd in commands().items()
        for param in cmd.params
        if isinstance(param, click.Option) and "--manifests" in param.opts and param.default is not None
    }
    assert set(defaults.values()) == {DEFAULT_MANIFESTS}, defaults


def test_every_script_takes_json():
    without = [c for c, cmd in commands().items() if "--json" not in options(cmd, hidden=False)]
    assert without == [], without
