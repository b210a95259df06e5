"""Role identifiers and enum values mirrored from the contracts, defined once for Python."""

from __future__ import annotations

from enum import IntEnum, IntFlag

from eth_utils import keccak

DEFAULT_ADMIN_ROLE = b"\x00" * 32


def role(name: str) -> bytes:
    """The bytes32 id of an OpenZeppelin AccessControl role: keccak256 of its name."""
    return keccak(text=name)


REGISTRAR_ROLE = role("REGISTRAR_ROLE")
COMPLIANCE_ROLE = role("COMPLIANCE_ROLE")
REPORTER_ROLE = role("REPORTER_ROLE")
MINTER_ROLE = role("MINTER_ROLE")
PAUSER_ROLE = role("PAUSER_ROLE")
TRANSFER_AGENT_ROLE = role("TRANSFER_AGENT_ROLE")
CUSTODIAN_ROLE = role("CUSTODIAN_ROLE")
EXECUTOR_ROLE = role("EXECUTOR_ROLE")
TREASURY_ROLE = role("TREASURY_ROLE")
CASH_AGENT_ROLE = role("CASH_AGENT_ROLE")
SNAPSHOT_ROLE = role("SNAPSHOT_ROLE")
REFUND_ROLE = role("REFUND_ROLE")
#: GovernanceTimelock's (OZ TimelockController): the Safe holds all three.
PROPOSER_ROLE = role("PROPOSER_ROLE")
CANCELLER_ROLE = role("CANCELLER_ROLE")


class Architecture(IntEnum):
    """`IAssetIdentity.Architecture`."""

    TRACKER_CERTIFICATE = 0
    MINT_ON_ORDER = 1
    REGISTRY_SHARE = 2


class OperationState(IntEnum):
    """OZ `TimelockController.OperationState` (`getOperationState`)."""

    UNSET = 0
    WAITING = 1
    READY = 2
    DONE = 3


class InvestorClass(IntFlag):
    """Investor class bit flags stored in the registry."""

    RETAIL = 0
    ACCREDITED = 1
    QUALIFIED_PURCHASER = 2
    PROFESSIONAL = 4
    INSTITUTIONAL = 8


class Country(IntEnum):
    """ISO 3166-1 numeric codes used in tests, demos and samples."""

    US = 840
    GB = 826
    DE = 276
    FR = 250
    CH = 756
    SG = 702
    JP = 392
    KP = 408
