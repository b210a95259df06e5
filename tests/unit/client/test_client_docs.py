"""The README's "Use as a library" table lists exactly the client's public methods."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from tokenized_stocks.client import Suite

README = (Path(__file__).resolve().parents[3] / "README.md").read_text()
# accounts and properties are described in the text above the table
UNTABLED = {"account", "test_account", "close", "chain_id", "assets", "set_frozen", "set_investor_frozen"}


def public_methods() -> set[str]:
    return {name for name, _ in inspect.getmembers(Suite) if not name.startswith("_")} - UNTABLED


def tabled() -> set[str]:
    section = README[README.index("## Use as a library") :]
    section = section[: section.index("\n## ")]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`(?:Suite\.)?([a-z_]+)\(", row.split("|")[1])}


def test_every_public_method_of_the_suite_is_in_the_readme_table():
    assert public_methods() - tabled() == set()


def test_the_readme_table_names_no_method_the_suite_lacks():
    assert tabled() - public_methods() - UNTABLED == set()
