"""The cash agent's camt.054: a bank credit notification that releases a hybrid DvP.

What is signed: the `PaymentConfirmation` the `HybridDvP` contract verifies on chain, through the
suite's one EIP-712 path (`protocol.trade.sign_payment_confirmation` -> `protocol.typed_data`):
the domain binds the chain and the HybridDvP contract; `tradeKey` binds every economic term of the
trade (parties, asset, quantity at its corporate-action epoch, currency, cash amount, deadline);
`paymentReference` (the camt.054 end-to-end id) is the id the contract uses once; `deadline` is
the confirmation's expiry. The XML is the carrier, not the signed object: a detached signature
over a canonical XML digest would need XML canonicalisation on chain (impossible) and a second
signing scheme beside EIP-712. Instead every signed field is read back from the XML and the
signature is checked against the struct rebuilt from them, so editing any of them (amount,
currency, reference, trade key, expiry) makes the signature recover another address and the
message is refused here, before any transaction, and by the contract if it were sent anyway.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from eth_utils import to_checksum_address

from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.messages import CashCreditNotification
from tokenized_stocks.protocol import trade as t

#: ISO 4217 minor-unit exponents that are not 2 (the contracts keep cash in minor units).
MINOR_UNIT_EXPONENT = {"JPY": 0, "KRW": 0, "CLP": 0, "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3}


def minor_units(amount: Decimal, currency: str) -> int:
    """`amount` in the currency's minor unit; refused when it has more decimals than the currency."""
    scaled = Decimal(amount).scaleb(MINOR_UNIT_EXPONENT.get(currency.upper(), 2))
    if scaled != scaled.to_integral_value() or scaled <= 0:
        raise MessageRefused(f"{amount} {currency} is not a positive amount in {currency}'s minor unit")
    return int(scaled)


def major_units(minor: int, currency: str) -> Decimal:
    """The amount a camt.054 carries for `minor` units of `currency`."""
    exponent = MINOR_UNIT_EXPONENT.get(currency.upper(), 2)
    return Decimal(minor).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))


def confirmation_of(notice: CashCreditNotification) -> t.PaymentConfirmation:
    """The payment confirmation the notification stands for (what the cash agent signed)."""
    try:
        key = bytes.fromhex(notice.trade_key.removeprefix("0x"))
    except ValueError:
        raise MessageRefused(f"trade key {notice.trade_key!r} is not hex") from None
    if len(key) != 32:
        raise MessageRefused(f"trade key {notice.trade_key!r} is not 32 bytes")
    return t.PaymentConfirmation(
        tradeKey=key,
        amount=minor_units(notice.amount, notice.currency),
        currency=t.currency(notice.currency),
        paymentReference=t.reference(notice.payment_reference),
        deadline=notice.deadline,
    )


def sign(
    notice: CashCreditNotification, private_key: str | bytes, chain_id: int, hybrid: str
) -> CashCreditNotification:
    """The notification carrying the cash agent's EIP-712 signature of its confirmation."""
    signature = t.sign_payment_confirmation(private_key, confirmation_of(notice), chain_id, hybrid)
    return replace(notice, signature="0x" + signature.hex())


def verify(
    notice: CashCreditNotification,
    trade: t.HybridTrade,
    *,
    chain_id: int,
    hybrid: str,
    cash_agents: set[str],
    now: int,
    isin: str,
    dti: str,
) -> tuple[t.PaymentConfirmation, bytes]:
    """The confirmation and signature to present to `HybridDvP.release`, after checking the
    notification is signed by a cash agent, unexpired and for exactly `trade` of the asset
    `isin`/`dti`. Anything else is refused, and nothing is sent."""
    if not notice.signature:
        raise MessageRefused(f"camt.054 {notice.message_id} is not signed by the cash agent")
    if notice.isin != isin or notice.dti != dti:
        raise MessageRefused(
            f"camt.054 {notice.message_id} is for {notice.isin}/{notice.dti}, the trade for {isin}/{dti}"
        )
    confirmation = confirmation_of(notice)
    expected_key = t.hybrid_trade_key(trade, chain_id, hybrid)
    if confirmation.tradeKey != expected_key:
        raise MessageRefused(
            f"camt.054 {notice.message_id} names trade key 0x{confirmation.tradeKey.hex()}, not this trade's"
        )
    if confirmation.amount != trade.cashAmount or confirmation.currency != trade.currency:
        raise MessageRefused(
            f"camt.054 {notice.message_id} credits {notice.amount} {notice.currency}, the trade is "
            f"{major_units(trade.cashAmount, trade.currency.decode())} {trade.currency.decode()}"
        )
    if now > notice.deadline:
        raise MessageRefused(f"camt.054 {notice.message_id} expired at {notice.deadline}")
    try:
        signature = bytes.fromhex(notice.signature.removeprefix("0x"))
        signer = t.recover_payment_confirmation(confirmation, signature, chain_id, hybrid)
    except (ValueError, TypeError):
        raise MessageRefused(f"camt.054 {notice.message_id} carries a malformed signature") from None
    if to_checksum_address(signer) not in {to_checksum_address(a) for a in cash_agents}:
        raise MessageRefused(f"camt.054 {notice.message_id} is signed by {signer}, not a cash agent")
    return confirmation, signature
