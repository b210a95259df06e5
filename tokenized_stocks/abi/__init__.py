"""The JSON ABIs of the suite's deployable contracts, shipped as package data.

Services (the relayer, the sanctions keeper) build their calls, log filters and error tables from
these instead of hand-hashed selectors and topics, so a contract change cannot silently leave a
hashed signature behind. The files are exported from the compiled project by
`make abi` (`python -m tokenized_stocks.devtools.abi`); `tests/unit/toolchain/test_abi_package.py`
fails, naming that command, when they differ from a fresh compile.

`ChainalysisOracleMock` stands for the external Chainalysis oracle, whose events the keeper reads.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["CONTRACTS", "load_abi", "names"]

#: Every contract whose ABI ships with the package (one `<Name>.json` each).
CONTRACTS = (
    "AttestedFeed",
    "BallotBox",
    "CertificateVault",
    "ChainalysisOracleMock",
    "DividendDistributor",
    "DvP",
    "Gateway",
    "HybridDvP",
    "InvestorRegistry",
    "OrderDesk",
    "OrderToken",
    "RegistryShare",
    "SanctionsList",
    "TrackerCertificate",
    "TraditionalLedgerAdapter",
)


def names() -> list[str]:
    """The contracts whose ABI files are present in the installed package."""
    return sorted(
        p.name[: -len(".json")] for p in resources.files(__name__).iterdir() if p.name.endswith(".json")
    )


@cache
def _text(name: str) -> str:
    if name not in CONTRACTS:
        raise KeyError(f"no ABI shipped for {name!r}; shipped: {', '.join(CONTRACTS)}")
    return resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")


def load_abi(name: str) -> list[dict[str, Any]]:
    """The ABI of contract `name` (a fresh list each call: callers may not share mutations)."""
    return json.loads(_text(name))
