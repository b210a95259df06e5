"""The "which contract has which role" table of docs/architecture.md, generated from the ABIs.

    python -m tokenized_stocks.devtools.roles_doc          # rewrite the block
    python -m tokenized_stocks.devtools.roles_doc --check  # exit 1 when it differs

The block between `<!-- roles -->` and `<!-- /roles -->` lists each `*_ROLE` getter of the shipped
ABIs (`tokenized_stocks/abi/`) and the contracts that declare it, so a renamed, added or removed
role cannot leave the document behind (tests/unit/toolchain/test_docs_roles.py).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from tokenized_stocks.abi import CONTRACTS, load_abi

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"
BLOCK = re.compile(r"(<!-- roles -->\n)(.*?)(<!-- /roles -->)", re.S)


def roles_by_contract() -> dict[str, list[str]]:
    """Every role getter (`NAME_ROLE()`) of each shipped ABI, `DEFAULT_ADMIN_ROLE` left out."""
    found: dict[str, list[str]] = {}
    for name in CONTRACTS:
        roles = sorted(
            e["name"]
            for e in load_abi(name)
            if e["type"] == "function"
            and e["name"].endswith("_ROLE")
            and not e["inputs"]
            and e["name"] != "DEFAULT_ADMIN_ROLE"
        )
        if roles:
            found[name] = roles
    return found


def render() -> str:
    """The table: one row per role, the contracts that declare it."""
    holders: dict[str, list[str]] = {}
    for contract, roles in roles_by_contract().items():
        for role in roles:
            holders.setdefault(role, []).append(contract)
    rows = [
        f"| `{role}` | {', '.join(f'`{c}`' for c in sorted(holders[role]))} |" for role in sorted(holders)
    ]
    return "\n".join(["| role | declared by (from the shipped ABIs) |", "| --- | --- |", *rows]) + "\n"


def current(text: str) -> str | None:
    match = BLOCK.search(text)
    return match.group(2) if match else None


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    text = DOC.read_text(encoding="utf-8")
    if current(text) is None:
        print(f"{DOC} has no <!-- roles --> block", file=sys.stderr)
        return 1
    if "--check" in args:
        if current(text) != render():
            print(f"the roles table of {DOC} is stale: run python -m tokenized_stocks.devtools.roles_doc")
            return 1
        return 0
    DOC.write_text(BLOCK.sub(lambda m: m.group(1) + render() + m.group(3), text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
