"""`ape run deploy --role NAME=HOLDER`: each role of the role book held by a key of its own.

Without `--role` a live deployment gives every role to `--account` (one funded key on a testnet).
With it, a role goes to another ape account (an alias, `ape accounts import <alias>`) or to a bare
address (a hardware wallet, a custody provider's key). Only the registrar signs during the deploy
(it onboards the settlement escrows), so it must be an alias, unlocked with its own
`APE_ACCOUNTS_<alias>_PASSPHRASE`; every other holder is only named, never unlocked. `operator` is
repeatable (the gateway's attestation keys) with `--operator-threshold` (default: a majority).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, cast

from tokenized_stocks.cli.params import parse_address
from tokenized_stocks.cli.signers import autosigning_account, refuse_key_like
from tokenized_stocks.deploy.suite import RoleBook
from tokenized_stocks.protocol.errors import UserError

#: Roles `--role` assigns, each a field of `RoleBook` (`operator` is the repeatable `operators`).
ROLE_NAMES = (
    "registrar",
    "custodian",
    "transfer_agent",
    "quote_signer",
    "executor",
    "guardian",
    "cash_agent",
    "operator",
)
#: Roles whose key signs transactions of the deploy itself (so an address alone will not do).
SIGNING_ROLES = frozenset({"registrar"})


def parse_role_specs(specs: Sequence[str]) -> dict[str, list[str]]:
    """`NAME=HOLDER` options as {name: [holder, ...]}; a bad spec is one UserError naming it."""
    parsed: dict[str, list[str]] = {}
    for spec in specs:
        name, sep, holder = spec.partition("=")
        name, holder = name.strip().replace("-", "_"), holder.strip()
        if not sep or not holder:
            raise UserError(f"--role {spec!r}: write NAME=ALIAS or NAME=ADDRESS (registrar=registrar)")
        refuse_key_like(holder, f"--role {name}")
        if name not in ROLE_NAMES:
            raise UserError(f"--role {name}: unknown role (one of {', '.join(ROLE_NAMES)})")
        if name != "operator" and name in parsed:
            raise UserError(f"--role {name} is given twice")
        parsed.setdefault(name, []).append(holder)
    operators = parsed.get("operator", [])
    if len({o.lower() for o in operators}) != len(operators):
        raise UserError("--role operator: the gateway's operators must be distinct")
    return parsed


def majority(count: int) -> int:
    """The default operator threshold: more than half of the operators."""
    return count // 2 + 1


def _holder(name: str, holder: str, dry_run: bool) -> Any:
    if holder.lower().startswith("0x"):
        if name in SIGNING_ROLES:
            raise UserError(
                f"--role {name} signs during the deploy (it onboards the settlement escrows): "
                "give the alias of its ape account, not an address"
            )
        from ape.api.address import Address

        return Address(cast(Any, parse_address(holder, f"--role {name}")))
    if name in SIGNING_ROLES:
        return autosigning_account(holder, f"--role {name}", unlock_now=not dry_run)
    from ape import accounts

    try:
        return accounts.load(holder)
    except Exception as err:  # ape raises its own error types for unknown aliases
        raise UserError(f"--role {name}: unknown account alias {holder!r} (see `ape accounts list`)") from err


def assign_roles(
    base: RoleBook, specs: Sequence[str], threshold: int | None, dry_run: bool = False
) -> RoleBook:
    """`base` with the holders `--role` names (and the operators' threshold)."""
    parsed = parse_role_specs(specs)
    changes: dict[str, Any] = {
        name: _holder(name, holders[0], dry_run) for name, holders in parsed.items() if name != "operator"
    }
    operators = [_holder("operator", h, dry_run) for h in parsed.get("operator", [])]
    if operators:
        changes["operators"] = operators
    count = len(operators or base.operators)
    if threshold is not None:
        if not 1 <= threshold <= count:
            raise UserError(f"--operator-threshold {threshold}: must be between 1 and the {count} operators")
        changes["threshold"] = threshold
    elif operators:
        changes["threshold"] = majority(count)
    return dataclasses.replace(base, **changes)
