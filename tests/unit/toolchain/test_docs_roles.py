"""docs/architecture.md names the roles the contracts declare, and tokenized_stocks/protocol/roles.py
mirrors each of them once: a role renamed, added or removed in a contract fails here."""

from __future__ import annotations

import re

from eth_utils import keccak

from tokenized_stocks.devtools import roles_doc
from tokenized_stocks.protocol import roles

DECLARED = {role for names in roles_doc.roles_by_contract().values() for role in names}
MIRRORED = {name for name in vars(roles) if name.endswith("_ROLE") and name != "DEFAULT_ADMIN_ROLE"}


def test_the_generated_roles_table_matches_the_abis():
    assert roles_doc.current(roles_doc.DOC.read_text()) == roles_doc.render(), (
        "run `python -m tokenized_stocks.devtools.roles_doc` and commit docs/architecture.md"
    )


def test_every_role_the_architecture_names_is_declared_by_a_contract():
    named = set(re.findall(r"\b([A-Z][A-Z_]*_ROLE)\b", roles_doc.DOC.read_text())) - {"DEFAULT_ADMIN_ROLE"}

    assert named - DECLARED == set()


def test_every_declared_role_is_described_in_the_actor_table():
    text = roles_doc.DOC.read_text()
    actors = text[text.index("## 2. Actors and roles") : text.index("<!-- roles -->")]

    assert {r for r in DECLARED if f"`{r}`" not in actors} == set()


def test_python_mirrors_exactly_the_declared_roles():
    assert MIRRORED == DECLARED


def test_each_mirrored_role_is_the_hash_of_its_name():
    for name in MIRRORED:
        assert getattr(roles, name) == keccak(text=name), name
