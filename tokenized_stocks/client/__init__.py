"""A client API for programs that use a deployed suite: `Suite.from_manifest(path, network)`.

    from tokenized_stocks.client import Suite

    with Suite.from_manifest("deployments", "http://127.0.0.1:8545") as suite:
        print(suite.balance("AAPLx", "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a").text)

It works from any working directory: the contracts are called through the ABIs shipped in the
package (`tokenized_stocks.abi`), not through the repository's ape project. See the README, "Use
as a library".
"""

from tokenized_stocks.client.models import (
    AssetSummary,
    Balance,
    BridgeTransfer,
    FindingSummary,
    Investor,
    ReconcileSummary,
    ReserveAttestation,
    SanctionsFlag,
    Sent,
)
from tokenized_stocks.client.suite import Suite
from tokenized_stocks.protocol.errors import UserError

__all__ = [
    "AssetSummary",
    "Balance",
    "BridgeTransfer",
    "FindingSummary",
    "Investor",
    "ReconcileSummary",
    "ReserveAttestation",
    "SanctionsFlag",
    "Sent",
    "Suite",
    "UserError",
]
