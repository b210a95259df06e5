"""Traditional settlement helpers: EIP-712 signing for DvP trades and cash-agent payment
confirmations, and the settlement state enums mirrored from the contracts."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import IntEnum
from typing import Any

from eth_utils import keccak

from tokenized_stocks.protocol import typed_data as eip712

DVP_DOMAIN_NAME = "DvP"
HYBRID_DOMAIN_NAME = "HybridDvP"
DOMAIN_VERSION = "1"


class TradeState(IntEnum):
    """`ISettlementDvP.TradeState`."""

    OPEN = 0
    SETTLED = 1
    CANCELLED = 2
    EXPIRED = 3


class EscrowState(IntEnum):
    """`ISettlementHybridDvP.EscrowState`."""

    NONE = 0
    ESCROWED = 1
    RELEASED = 2
    REFUNDED = 3
    CANCELLED = 4


class Direction(IntEnum):
    """`ISettlementLedgerAdapter.Direction`."""

    OFF_RAMP = 0
    ON_RAMP = 1


class InstructionState(IntEnum):
    """`ISettlementLedgerAdapter.InstructionState`."""

    NONE = 0
    PENDING = 1
    SETTLED = 2
    FAILED = 3
    EXPIRED = 4


TRADE_TYPES: dict[str, list[dict[str, str]]] = {
    "Trade": [
        {"name": "tradeId", "type": "bytes32"},
        {"name": "seller", "type": "address"},
        {"name": "buyer", "type": "address"},
        {"name": "asset", "type": "address"},
        {"name": "quantity", "type": "uint256"},
        {"name": "cashToken", "type": "address"},
        {"name": "cashAmount", "type": "uint256"},
        {"name": "deadline", "type": "uint64"},
        {"name": "corporateActionEpoch", "type": "uint64"},
    ]
}

HYBRID_TRADE_TYPES: dict[str, list[dict[str, str]]] = {
    "HybridTrade": [
        {"name": "tradeId", "type": "bytes32"},
        {"name": "seller", "type": "address"},
        {"name": "buyer", "type": "address"},
        {"name": "asset", "type": "address"},
        {"name": "quantity", "type": "uint256"},
        {"name": "currency", "type": "bytes3"},
        {"name": "cashAmount", "type": "uint256"},
        {"name": "deadline", "type": "uint64"},
        {"name": "corporateActionEpoch", "type": "uint64"},
    ]
}

PAYMENT_CONFIRMATION_TYPES: dict[str, list[dict[str, str]]] = {
    "PaymentConfirmation": [
        {"name": "tradeKey", "type": "bytes32"},
        {"name": "amount", "type": "uint256"},
        {"name": "currency", "type": "bytes3"},
        {"name": "paymentReference", "type": "bytes32"},
        {"name": "deadline", "type": "uint64"},
    ]
}


def reference(text: str) -> bytes:
    """A bytes32 reference (trade id, account, payment or register reference) from readable text:
    the text itself, zero-padded, when it fits, else its keccak256."""
    raw = text.encode()
    return raw.ljust(32, b"\x00") if len(raw) <= 32 else keccak(raw)


def currency(code: str) -> bytes:
    """An ISO 4217 code as the contracts' `bytes3`."""
    if len(code) != 3 or not code.isalpha():
        raise ValueError(f"not an ISO 4217 code: {code!r}")
    return code.upper().encode()


@dataclass(frozen=True)
class Trade:
    """`ISettlementDvP.Trade`: the terms both sides of an atomic DvP sign.

    `quantity` is a token amount at the asset's corporate-action epoch `corporateActionEpoch`
    (read it with `epoch_of(asset)` when agreeing the terms): the contract refuses the trade once
    the asset has moved to another epoch."""

    tradeId: bytes  # field names mirror the Solidity structs
    seller: str
    buyer: str
    asset: str
    quantity: int
    cashToken: str
    cashAmount: int
    deadline: int
    corporateActionEpoch: int = 0

    def as_tuple(self) -> tuple[Any, ...]:
        """The struct as a contract-call argument."""
        return tuple(asdict(self).values())


@dataclass(frozen=True)
class HybridTrade:
    """`ISettlementHybridDvP.HybridTrade`: terms of a trade whose cash leg is paid off chain.

    Its key (`hybrid_trade_key`), the digest of all these terms, identifies the escrow and is what a
    payment confirmation names; `quantity` is measured at `corporateActionEpoch` (`epoch_of`)."""

    tradeId: bytes  # field names mirror the Solidity structs
    seller: str
    buyer: str
    asset: str
    quantity: int
    currency: bytes
    cashAmount: int
    deadline: int
    corporateActionEpoch: int = 0

    def as_tuple(self) -> tuple[Any, ...]:
        """The struct as a contract-call argument."""
        return tuple(asdict(self).values())


@dataclass(frozen=True)
class PaymentConfirmation:
    """`ISettlementHybridDvP.PaymentConfirmation`: what the cash agent signs. `tradeKey` is
    `hybrid_trade_key(trade, ...)` of the escrow the payment is for: it binds every term."""

    tradeKey: bytes  # field names mirror the Solidity structs
    amount: int
    currency: bytes
    paymentReference: bytes
    deadline: int

    def as_tuple(self) -> tuple[Any, ...]:
        """The struct as a contract-call argument."""
        return tuple(asdict(self).values())


def domain(name: str, chain_id: int, verifying_contract: str) -> dict[str, Any]:
    """The EIP-712 domain of a settlement contract."""
    return eip712.domain(name, DOMAIN_VERSION, chain_id, verifying_contract)


def trade_digest(trade: Trade, chain_id: int, dvp: str) -> bytes:
    """The trade key: the EIP-712 digest both sides sign (equals `DvP.tradeKey(trade)`)."""
    return eip712.digest(domain(DVP_DOMAIN_NAME, chain_id, dvp), TRADE_TYPES, _message(trade))


def sign_trade(private_key: str | bytes, trade: Trade, chain_id: int, dvp: str) -> bytes:
    """A side's EIP-712 signature of a DvP trade (65 bytes r || s || v)."""
    return eip712.sign(private_key, domain(DVP_DOMAIN_NAME, chain_id, dvp), TRADE_TYPES, _message(trade))


def hybrid_trade_key(trade: HybridTrade, chain_id: int, hybrid: str) -> bytes:
    """The key of a hybrid trade (equals `HybridDvP.tradeKey(trade)`): the EIP-712 digest of all its
    terms under the HybridDvP domain, which a payment confirmation names."""
    return eip712.digest(domain(HYBRID_DOMAIN_NAME, chain_id, hybrid), HYBRID_TRADE_TYPES, _message(trade))


def confirmation_digest(confirmation: PaymentConfirmation, chain_id: int, hybrid: str) -> bytes:
    """The digest a cash agent signs (equals `HybridDvP.confirmationDigest(confirmation)`)."""
    return eip712.digest(
        domain(HYBRID_DOMAIN_NAME, chain_id, hybrid), PAYMENT_CONFIRMATION_TYPES, _message(confirmation)
    )


def sign_payment_confirmation(
    private_key: str | bytes, confirmation: PaymentConfirmation, chain_id: int, hybrid: str
) -> bytes:
    """The cash agent's EIP-712 signature of a payment confirmation (65 bytes r || s || v)."""
    return eip712.sign(
        private_key,
        domain(HYBRID_DOMAIN_NAME, chain_id, hybrid),
        PAYMENT_CONFIRMATION_TYPES,
        _message(confirmation),
    )


def recover_payment_confirmation(
    confirmation: PaymentConfirmation, signature: bytes, chain_id: int, hybrid: str
) -> str:
    """The address that signed a payment confirmation (what `HybridDvP.release` recovers)."""
    return eip712.recover(
        domain(HYBRID_DOMAIN_NAME, chain_id, hybrid),
        PAYMENT_CONFIRMATION_TYPES,
        _message(confirmation),
        signature,
    )


def _message(struct: Trade | HybridTrade | PaymentConfirmation) -> dict[str, Any]:
    return {key: (str(value) if key in _ADDRESS_FIELDS else value) for key, value in asdict(struct).items()}


_ADDRESS_FIELDS = frozenset({"seller", "buyer", "asset", "cashToken"})
