"""What the client's methods return: typed, immutable, raw integers kept beside their human text."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from tokenized_stocks.protocol.display import amount, to_decimal


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class Sent(_Result):
    """Transactions sent for one operation (none when the chain already was in the asked state)."""

    tx_hashes: list[str]


class Balance(_Result):
    """`account`'s balance of `asset` in 18-decimal base units (`amount`), and as shares."""

    asset: str
    account: str
    amount: int
    frozen: bool

    @property
    def shares(self) -> Decimal:
        return to_decimal(self.amount)

    @property
    def text(self) -> str:
        return amount(self.amount, symbol=self.asset)


class Investor(_Result):
    """An investor of the registry and its wallets."""

    investor_id: str
    country: int
    class_flags: int
    kyc_expiry: datetime
    frozen: bool
    wallets: list[str]


class ReserveAttestation(_Result):
    """A reserve report on an asset's feed: the reserves in 18-decimal base units and the feed's answer."""

    asset: str
    feed: str
    reserves: int
    answer: int
    decimals: int
    tx_hash: str


class BridgeTransfer(_Result):
    """A message sent through the gateway: follow it up by `message_id`."""

    asset: str
    recipient: str
    amount: int
    units: int
    src_chain_id: int
    dst_chain_id: int
    message_id: str
    nonce: int
    expiry: datetime
    tx_hash: str


class SanctionsFlag(_Result):
    """A certificate's cached sanctions flag of `account` beside its oracle's answer."""

    account: str
    cached: bool
    oracle: bool

    @property
    def stale(self) -> bool:
        return self.cached != self.oracle


class AssetSummary(_Result):
    """What the connected chain says about one asset (amounts in 18-decimal base units)."""

    asset: str
    chain_id: int
    home: bool
    total_supply: int
    total_units: int
    supply_elsewhere: int | None
    in_flight_out: int
    reserves: int | None
    holders: int | None
    epoch: int


class FindingSummary(_Result):
    asset: str
    chain_id: int
    check: str
    severity: str
    detail: str


class ReconcileSummary(_Result):
    """The reconciliation of the connected chain: `ok` when no invariant is broken."""

    ok: bool
    assets: list[AssetSummary]
    findings: list[FindingSummary]
