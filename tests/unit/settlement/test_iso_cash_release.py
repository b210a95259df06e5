"""A camt.054 signed by the cash agent releases a hybrid DvP; a tampered, unsigned or foreign one
is refused before anything is sent, and the escrow is untouched."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from ape import chain

from tokenized_stocks.iso20022 import cash, codec
from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.messages import CashCreditNotification
from tokenized_stocks.protocol.trade import EscrowState, hybrid_trade_key

DTI = "4H95J0R2X"


@pytest.fixture
def notice_for(hybrid, cash_agent):
    """Factory: the cash agent's signed camt.054 for an escrowed trade, as XML."""

    def make(trade, asset, **overrides) -> str:
        name = trade.tradeId.rstrip(b"\x00").decode()
        notice = CashCreditNotification(
            message_id=f"CAMT-{name}",
            created=datetime.now(UTC).replace(microsecond=0),
            cash_account="DE89370400440532013000",
            amount=cash.major_units(trade.cashAmount, trade.currency.decode()),
            currency=trade.currency.decode(),
            payment_reference=f"E2E-{name}",
            trade_key="0x" + hybrid_trade_key(trade, chain.chain_id, str(hybrid.address)).hex(),
            isin=asset.isin(),
            dti=DTI,
            deadline=chain.pending_timestamp + 3600,
        )
        signed = cash.sign(notice, cash_agent.private_key, chain.chain_id, str(hybrid.address))
        return codec.render(replace(signed, **overrides))

    return make


def _verify(xml: str, trade, hybrid, cash_agent, asset):
    notice = codec.parse(xml, CashCreditNotification)
    return cash.verify(
        notice,
        trade,
        chain_id=chain.chain_id,
        hybrid=str(hybrid.address),
        cash_agents={str(cash_agent.address)},
        now=chain.pending_timestamp,
        isin=asset.isin(),
        dti=DTI,
    )


def test_a_signed_cash_notification_releases_the_trade(
    hybrid, certificate, escrowed, notice_for, cash_agent, buyer
):
    trade = escrowed(certificate)
    confirmation, signature = _verify(notice_for(trade, certificate), trade, hybrid, cash_agent, certificate)

    hybrid.release(trade.as_tuple(), confirmation.as_tuple(), signature, sender=buyer)

    assert hybrid.stateOf(hybrid.tradeKey(trade.as_tuple())) == EscrowState.RELEASED
    assert hybrid.isPaymentReferenceUsed(confirmation.paymentReference)


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("amount", Decimal("1.00"), "credits 1.00 USD"),
        ("signature", "", "not signed"),
        ("isin", "US5949181045", "is for US5949181045"),
        ("trade_key", "0x" + "44" * 32, "names trade key"),
        ("deadline", 1, "expired"),
    ],
)
def test_a_mismatched_or_unsigned_cash_notification_is_refused(
    hybrid, certificate, escrowed, notice_for, cash_agent, field, value, error
):
    trade = escrowed(certificate)
    xml = notice_for(trade, certificate, **{field: value})

    with pytest.raises(MessageRefused, match=error):
        _verify(xml, trade, hybrid, cash_agent, certificate)
    assert hybrid.stateOf(hybrid.tradeKey(trade.as_tuple())) == EscrowState.ESCROWED


def test_a_cash_notification_whose_signed_reference_was_edited_is_refused(
    hybrid, certificate, escrowed, notice_for, cash_agent
):
    trade = escrowed(certificate)
    xml = notice_for(trade, certificate).replace("<EndToEndId>E2E-", "<EndToEndId>EDITED-")

    with pytest.raises(MessageRefused, match="not a cash agent"):
        _verify(xml, trade, hybrid, cash_agent, certificate)
    assert hybrid.stateOf(hybrid.tradeKey(trade.as_tuple())) == EscrowState.ESCROWED


def test_a_cash_notification_signed_by_an_outsider_is_refused(
    hybrid, certificate, escrowed, cash_agent, outsider, notice_for
):
    trade = escrowed(certificate)
    notice = codec.parse(notice_for(trade, certificate), CashCreditNotification)
    forged = cash.sign(notice, outsider.private_key, chain.chain_id, str(hybrid.address))

    with pytest.raises(MessageRefused, match="not a cash agent"):
        _verify(codec.render(forged), trade, hybrid, cash_agent, certificate)
