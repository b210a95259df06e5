"""docs/governance.md lists every power: each role every shipped ABI declares (DEFAULT_ADMIN_ROLE
included) is one row of its table, with a holder and a delay, and no row names a role that is gone."""

from __future__ import annotations

import re
from pathlib import Path

from tokenized_stocks.abi import CONTRACTS, load_abi

DOC = Path(__file__).resolve().parents[3] / "docs" / "governance.md"
BLOCK = re.compile(r"<!-- governance-roles -->\n(.*?)<!-- /governance-roles -->", re.S)


def declared() -> set[tuple[str, str]]:
    """(contract, role getter) for every `*_ROLE()` of every shipped ABI."""
    return {
        (name, entry["name"])
        for name in CONTRACTS
        for entry in load_abi(name)
        if entry["type"] == "function" and entry["name"].endswith("_ROLE") and not entry["inputs"]
    }


def rows() -> list[list[str]]:
    block = BLOCK.search(DOC.read_text())
    assert block, f"{DOC} has no <!-- governance-roles --> table"
    lines = [line for line in block.group(1).splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def listed() -> list[tuple[str, str]]:
    return [(contract.strip("`"), role.strip("`")) for contract, role, *_ in rows()]


def test_every_declared_role_is_listed():
    assert declared() - set(listed()) == set()


def test_no_listed_role_is_gone_from_the_abis():
    assert set(listed()) - declared() == set()


def test_each_role_is_listed_once():
    assert len(listed()) == len(set(listed()))


def test_every_row_names_a_holder_a_delay_and_powers():
    for contract, role, holder, delay, powers in rows():
        assert holder and powers, (contract, role)
        assert delay in ("`min_delay`", "at once"), (contract, role)
        assert (delay == "`min_delay`") == (role == "`DEFAULT_ADMIN_ROLE`"), (contract, role)
