"""EIP-712 quotes of the order desk (mint-on-order): build, hash and sign them.

This is the code a quote service runs: it prices an order, picks a fresh quote id, and signs the
quote with its key for one desk on one chain. Scripts and tests use the same functions.

Units (as in `IOrderDesk`): `quantity` has 18 decimals (10**18 = one share); `price` is in
cash-token base units per whole share (6 decimals for a USD stablecoin). The cash of an order is
`quantity * price / 10**18`, rounded up for a buy and down for a sell (see `cash_for`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any

from eth_account import Account

from tokenized_stocks.protocol import typed_data as eip712

DOMAIN_NAME = "OrderDesk"
DOMAIN_VERSION = "1"
ONE_SHARE = 10**18

QUOTE_TYPES: dict[str, list[dict[str, str]]] = {
    "Quote": [
        {"name": "assetId", "type": "bytes32"},
        {"name": "side", "type": "uint8"},
        {"name": "quantity", "type": "uint256"},
        {"name": "price", "type": "uint256"},
        {"name": "investorId", "type": "bytes32"},
        {"name": "chainId", "type": "uint256"},
        {"name": "quoteId", "type": "uint256"},
        {"name": "expiry", "type": "uint256"},
    ]
}


class Side(IntEnum):
    """`IOrderDesk.Side`, seen from the investor."""

    BUY = 0
    SELL = 1


class QuoteStatus(IntEnum):
    """`IOrderDesk.QuoteStatus`."""

    OPEN = 0
    EXECUTED = 1
    REVOKED = 2
    FILLED = 3


@dataclass(frozen=True)
class Quote:
    """A quote exactly as the desk's `Quote` struct (field order is the ABI order)."""

    asset_id: bytes
    side: Side
    quantity: int
    price: int
    investor_id: bytes
    chain_id: int
    quote_id: int
    expiry: int

    def as_tuple(self) -> tuple[bytes, int, int, int, bytes, int, int, int]:
        """The struct as a tuple, for a contract call."""
        return (
            self.asset_id,
            int(self.side),
            self.quantity,
            self.price,
            self.investor_id,
            self.chain_id,
            self.quote_id,
            self.expiry,
        )

    def message(self) -> dict[str, Any]:
        """The EIP-712 message fields."""
        return {
            "assetId": self.asset_id,
            "side": int(self.side),
            "quantity": self.quantity,
            "price": self.price,
            "investorId": self.investor_id,
            "chainId": self.chain_id,
            "quoteId": self.quote_id,
            "expiry": self.expiry,
        }

    def cash(self) -> int:
        """The cash amount of this quote, rounded in the desk's favour."""
        return cash_for(self.quantity, self.price, self.side)


@dataclass(frozen=True)
class SignedQuote:
    """A quote with its signature, ready for `desk.buy` / `desk.sell`."""

    quote: Quote
    signature: bytes

    def args(self) -> tuple[tuple[bytes, int, int, int, bytes, int, int, int], bytes]:
        """`(quote tuple, signature)`, the first two arguments of `buy` and `sell`."""
        return self.quote.as_tuple(), self.signature


def cash_for(quantity: int, price: int, side: Side) -> int:
    """Cash base units of an order: `quantity * price / 1e18`, up for a buy, down for a sell."""
    if side == Side.BUY:
        return -(-quantity * price // ONE_SHARE)
    return quantity * price // ONE_SHARE


def domain(desk: str, chain_id: int) -> dict[str, Any]:
    """The EIP-712 domain of a desk on a chain."""
    return eip712.domain(DOMAIN_NAME, DOMAIN_VERSION, chain_id, desk)


def typed_data(quote: Quote, desk: str, chain_id: int) -> dict[str, Any]:
    """The full EIP-712 typed data of `quote` for `desk` on `chain_id` (as for eth_signTypedData_v4)."""
    return eip712.typed_data(domain(desk, chain_id), QUOTE_TYPES, quote.message())


def quote_digest(quote: Quote, desk: str, chain_id: int) -> bytes:
    """The 32-byte EIP-712 digest the desk recovers the signer from (equals `desk.quoteDigest`)."""
    return eip712.digest(domain(desk, chain_id), QUOTE_TYPES, quote.message())


def sign_quote(quote: Quote, private_key: str | bytes, desk: str, chain_id: int) -> SignedQuote:
    """Signs `quote` for `desk` on `chain_id` (the domain's chain id; normally `quote.chain_id`)."""
    signature = eip712.sign(private_key, domain(desk, chain_id), QUOTE_TYPES, quote.message())
    return SignedQuote(quote=quote, signature=signature)


@dataclass
class QuoteService:
    """A quote signer for one desk on one chain, handing out sequential quote ids.

    Sequential ids are cheapest on chain: 128 ids share one storage word of the desk's bitmap.
    Several services signing for one desk must use disjoint id ranges (`first_quote_id`).
    """

    private_key: str | bytes
    desk: str
    chain_id: int
    first_quote_id: int = 1
    ttl: int = 120
    _ids: itertools.count = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._ids = itertools.count(self.first_quote_id)

    @property
    def address(self) -> str:
        """The signer's address (what the desk's admin adds with `addSigner`)."""
        return str(Account.from_key(self.private_key).address)

    def next_quote_id(self) -> int:
        """A fresh quote id from this service's range."""
        return next(self._ids)

    def quote(
        self,
        asset_id: bytes,
        side: Side,
        quantity: int,
        price: int,
        investor_id: bytes,
        *,
        now: int,
        quote_id: int | None = None,
        expiry: int | None = None,
        chain_id: int | None = None,
    ) -> SignedQuote:
        """Builds and signs a quote valid until `now + ttl` (or `expiry`).

        `chain_id` overrides the chain written in the quote only (the domain keeps the service's
        chain), which is how a test builds a quote for the wrong chain.
        """
        built = Quote(
            asset_id=asset_id,
            side=Side(side),
            quantity=quantity,
            price=price,
            investor_id=investor_id,
            chain_id=self.chain_id if chain_id is None else chain_id,
            quote_id=self.next_quote_id() if quote_id is None else quote_id,
            expiry=now + self.ttl if expiry is None else expiry,
        )
        return sign_quote(built, self.private_key, self.desk, self.chain_id)

    def resign(self, quote: Quote, **changes: Any) -> SignedQuote:
        """Signs a copy of `quote` with some fields changed."""
        return sign_quote(replace(quote, **changes), self.private_key, self.desk, self.chain_id)
