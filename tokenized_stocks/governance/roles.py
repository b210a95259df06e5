"""Who holds each role: read from the chain (`hasRole`) for the manifest's governance record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tokenized_stocks.deploy.manifest import RoleRecord


def role_getters(contract_type: Any) -> list[str]:
    """Every role getter (`NAME_ROLE()`, DEFAULT_ADMIN_ROLE included) an ABI declares, sorted."""
    return sorted({m.name for m in contract_type.view_methods if m.name.endswith("_ROLE") and not m.inputs})


def role_table(
    contracts: Mapping[str, Any], candidates: list[str], timelock: str, min_delay: int
) -> dict[str, dict[str, RoleRecord]]:
    """contract name -> role name -> the candidates holding it and the delay before its holders'
    decision takes effect (the timelock's min delay for a role only the timelock holds, else 0)."""
    table: dict[str, dict[str, RoleRecord]] = {}
    for name, contract in contracts.items():
        roles: dict[str, RoleRecord] = {}
        for getter in role_getters(contract.contract_type):
            role_id = getattr(contract, getter)()
            holders = [c for c in candidates if contract.hasRole(role_id, c)]
            delay = min_delay if holders == [timelock] else 0
            roles[getter] = RoleRecord(holders=holders, delay=delay)
        table[name] = roles
    return table
