"""Hybrid DvP: securities escrowed on chain, cash paid off chain and confirmed by a cash agent."""

from __future__ import annotations

from dataclasses import replace

import pytest
from ape import chain
from revert_data import reverts
from settlement_terms import HOUR, HYBRID_CASH_AMOUNT, QUANTITY, SELLER_HOLDING

from tokenized_stocks.deploy.proxy import deploy_behind_proxy, implementation_of
from tokenized_stocks.protocol.roles import CASH_AGENT_ROLE, DEFAULT_ADMIN_ROLE
from tokenized_stocks.protocol.trade import (
    EscrowState,
    PaymentConfirmation,
    confirmation_digest,
    currency,
    reference,
    sign_payment_confirmation,
)


@pytest.fixture
def trade(escrowed, certificate):
    """An escrowed trade of a freely transferable asset (refusals do not depend on the architecture)."""
    return escrowed(certificate)


# ---------------------------------------------------------------------------------------------
# Escrow
# ---------------------------------------------------------------------------------------------


def test_escrow_takes_the_sellers_securities(hybrid, asset, make_hybrid_trade, seller, buyer):
    trade = make_hybrid_trade(asset)
    asset.approve(hybrid, QUANTITY, sender=seller)

    receipt = hybrid.escrow(trade.as_tuple(), sender=seller)

    assert receipt.events.filter(asset.Transfer) == [asset.Transfer(seller, hybrid, QUANTITY)]
    assert receipt.events.filter(hybrid.TradeEscrowed) == [
        hybrid.TradeEscrowed(
            tradeId=trade.tradeId,
            tradeKey=hybrid.tradeKey(trade.as_tuple()),
            seller=seller,
            buyer=buyer,
            asset=asset,
            quantity=QUANTITY,
            currency=trade.currency,
            cashAmount=HYBRID_CASH_AMOUNT,
            deadline=trade.deadline,
        )
    ]
    assert asset.balanceOf(hybrid) == QUANTITY
    assert hybrid.stateOf(hybrid.tradeKey(trade.as_tuple())) == EscrowState.ESCROWED


def test_escrow_refuses_anyone_but_the_seller(hybrid, make_hybrid_trade, certificate, buyer):
    trade = make_hybrid_trade(certificate)

    with reverts(hybrid.HybridUnauthorized, tradeId=trade.tradeId, caller=buyer):
        hybrid.escrow(trade.as_tuple(), sender=buyer)


def test_escrow_refuses_the_same_terms_twice(hybrid, escrowed, certificate, seller):
    first = escrowed(certificate)
    certificate.approve(hybrid, QUANTITY, sender=seller)

    with reverts(hybrid.HybridTradeExists, tradeId=first.tradeId, tradeKey=hybrid.tradeKey(first.as_tuple())):
        hybrid.escrow(first.as_tuple(), sender=seller)


def test_the_same_trade_id_with_other_terms_is_another_escrow(hybrid, escrowed, certificate, seller):
    """Changed with finding 13.6: the trade id is the parties' reference, the key is all terms."""
    first = escrowed(certificate)
    again = escrowed(certificate, tradeId=first.tradeId, quantity=1)

    assert hybrid.tradeKey(again.as_tuple()) != hybrid.tradeKey(first.as_tuple())
    assert hybrid.stateOf(hybrid.tradeKey(again.as_tuple())) == EscrowState.ESCROWED
    assert certificate.balanceOf(hybrid) == QUANTITY + 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tradeId", b"\x00" * 32),
        ("buyer", "seller"),
        ("quantity", 0),
        ("currency", b"\x00" * 3),
        ("cashAmount", 0),
        ("deadline", "now"),
    ],
)
def test_escrow_refuses_invalid_terms(hybrid, make_hybrid_trade, certificate, seller, field, value):
    trade = make_hybrid_trade(certificate)
    if value == "seller":
        value = trade.seller
    elif value == "now":
        value = chain.pending_timestamp
    bad = replace(trade, **{field: value})
    certificate.approve(hybrid, QUANTITY, sender=seller)

    with reverts(hybrid.HybridInvalidTerms, field=field):
        hybrid.escrow(bad.as_tuple(), sender=seller)


# ---------------------------------------------------------------------------------------------
# Release against a payment confirmation
# ---------------------------------------------------------------------------------------------


def test_release_delivers_the_securities_to_the_buyer(
    hybrid, asset, escrowed, confirm, seller, buyer, outsider
):
    trade = escrowed(asset)
    confirmation, signature = confirm(trade)

    receipt = hybrid.release(trade.as_tuple(), confirmation, signature, sender=outsider)

    assert receipt.events.filter(asset.Transfer) == [asset.Transfer(hybrid, buyer, QUANTITY)]
    assert asset.balanceOf(buyer) == QUANTITY
    assert asset.balanceOf(seller) == SELLER_HOLDING - QUANTITY
    assert asset.balanceOf(hybrid) == 0


def test_release_emits_trade_released_with_the_cash_agent_and_payment_reference(
    hybrid, trade, confirm, buyer, cash_agent
):
    confirmation, signature = confirm(trade)

    receipt = hybrid.release(trade.as_tuple(), confirmation, signature, sender=buyer)

    assert receipt.events.filter(hybrid.TradeReleased) == [
        hybrid.TradeReleased(
            tradeId=trade.tradeId,
            tradeKey=hybrid.tradeKey(trade.as_tuple()),
            buyer=buyer,
            quantity=QUANTITY,
            cashAgent=cash_agent,
            paymentReference=confirmation[3],
        )
    ]
    assert hybrid.stateOf(hybrid.tradeKey(trade.as_tuple())) == EscrowState.RELEASED
    assert hybrid.isPaymentReferenceUsed(confirmation[3])


def test_confirmation_digest_is_the_eip712_digest_the_cash_agent_signs(hybrid):
    confirmation = PaymentConfirmation(
        tradeKey=reference("t"),
        amount=1,
        currency=currency("EUR"),
        paymentReference=reference("p"),
        deadline=9,
    )

    assert hybrid.confirmationDigest(confirmation.as_tuple()) == confirmation_digest(
        confirmation, chain.chain_id, str(hybrid.address)
    )


def test_release_refuses_a_confirmation_signed_by_someone_else(hybrid, trade, confirm, outsider):
    confirmation, signature = confirm(trade, signer=outsider)

    with reverts(hybrid.HybridUnauthorizedCashAgent, signer=outsider):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=outsider)


def test_release_refuses_a_revoked_cash_agent(hybrid, trade, confirm, issuer, cash_agent):
    confirmation, signature = confirm(trade)
    hybrid.revokeRole(CASH_AGENT_ROLE, cash_agent, sender=issuer)

    with reverts(hybrid.HybridUnauthorizedCashAgent, signer=cash_agent):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=issuer)


def test_release_refuses_a_confirmation_for_another_hybrid_contract(
    project, issuer, hybrid, trade, cash_agent, confirm
):
    confirmation, _ = confirm(trade)
    other = deploy_behind_proxy(project, issuer, project.HybridDvP, issuer)
    foreign = sign_payment_confirmation(
        cash_agent.private_key, PaymentConfirmation(*confirmation), chain.chain_id, str(other.address)
    )

    with reverts(hybrid.HybridUnauthorizedCashAgent):
        hybrid.release(trade.as_tuple(), confirmation, foreign, sender=issuer)


def test_release_refuses_a_confirmation_for_the_implementation_behind_the_proxy(
    hybrid, trade, cash_agent, confirm
):
    confirmation, _ = confirm(trade)
    foreign = sign_payment_confirmation(
        cash_agent.private_key,
        PaymentConfirmation(*confirmation),
        chain.chain_id,
        implementation_of(hybrid.address),
    )

    with reverts(hybrid.HybridUnauthorizedCashAgent):
        hybrid.release(trade.as_tuple(), confirmation, foreign, sender=cash_agent)


def test_release_refuses_a_confirmation_for_another_chain(hybrid, trade, cash_agent, confirm, buyer):
    confirmation, _ = confirm(trade)
    foreign = sign_payment_confirmation(
        cash_agent.private_key, PaymentConfirmation(*confirmation), 31338, str(hybrid.address)
    )

    with reverts(hybrid.HybridUnauthorizedCashAgent):
        hybrid.release(trade.as_tuple(), confirmation, foreign, sender=buyer)


def test_release_refuses_a_confirmation_without_payment_reference(hybrid, trade, confirm, buyer):
    confirmation, signature = confirm(trade, paymentReference=b"\x00" * 32)

    with reverts(hybrid.HybridInvalidTerms, tradeId=trade.tradeId, field="paymentReference"):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=buyer)


def test_release_refuses_a_wrong_amount(hybrid, trade, confirm, buyer):
    confirmation, signature = confirm(trade, amount=HYBRID_CASH_AMOUNT - 1)

    with reverts(
        hybrid.HybridWrongAmount,
        tradeId=trade.tradeId,
        expected=HYBRID_CASH_AMOUNT,
        confirmed=HYBRID_CASH_AMOUNT - 1,
    ):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=buyer)


def test_release_refuses_a_wrong_currency(hybrid, trade, confirm, buyer):
    confirmation, signature = confirm(trade, currency=currency("EUR"))

    with reverts(hybrid.HybridWrongCurrency, tradeId=trade.tradeId, expected=b"USD", confirmed=b"EUR"):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=buyer)


def test_release_refuses_a_confirmation_of_another_trade(hybrid, escrowed, certificate, confirm, buyer):
    trade = escrowed(certificate)
    other = escrowed(certificate)
    confirmation, signature = confirm(other)

    with reverts(
        hybrid.HybridWrongTrade,
        tradeId=trade.tradeId,
        tradeKey=hybrid.tradeKey(trade.as_tuple()),
        confirmedTradeKey=hybrid.tradeKey(other.as_tuple()),
    ):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=buyer)


def test_release_refuses_terms_other_than_the_escrowed_ones(hybrid, trade, confirm, outsider):
    confirmation, signature = confirm(trade)
    redirected = replace(trade, buyer=str(outsider.address))

    with reverts(hybrid.HybridNotEscrowed, tradeId=trade.tradeId, state=EscrowState.NONE):
        hybrid.release(redirected.as_tuple(), confirmation, signature, sender=outsider)


def test_release_refuses_a_replayed_confirmation(hybrid, trade, confirm, buyer):
    confirmation, signature = confirm(trade)
    hybrid.release(trade.as_tuple(), confirmation, signature, sender=buyer)

    with reverts(hybrid.HybridNotEscrowed, tradeId=trade.tradeId, state=EscrowState.RELEASED):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=buyer)


def test_release_refuses_a_payment_reference_that_released_another_trade(
    hybrid, escrowed, certificate, confirm, buyer
):
    first = escrowed(certificate)
    second = escrowed(certificate)
    confirmation, signature = confirm(first)
    hybrid.release(first.as_tuple(), confirmation, signature, sender=buyer)
    reused, reused_signature = confirm(second, paymentReference=confirmation[3])

    with reverts(hybrid.HybridPaymentReferenceUsed, paymentReference=confirmation[3]):
        hybrid.release(second.as_tuple(), reused, reused_signature, sender=buyer)


def test_release_refuses_an_expired_confirmation(hybrid, trade, confirm, buyer):
    deadline = chain.pending_timestamp + 60
    confirmation, signature = confirm(trade, deadline=deadline)
    chain.pending_timestamp = deadline + 1

    with reverts(hybrid.HybridConfirmationExpired, tradeId=trade.tradeId, deadline=deadline):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=buyer)


def test_release_refuses_after_the_trade_deadline(hybrid, trade, confirm, buyer):
    confirmation, signature = confirm(trade, deadline=trade.deadline + HOUR)
    chain.pending_timestamp = trade.deadline + 1

    with reverts(hybrid.HybridTradeExpired, tradeId=trade.tradeId, deadline=trade.deadline):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=buyer)


def test_release_refuses_an_unknown_trade(hybrid, make_hybrid_trade, certificate, confirm, buyer):
    trade = make_hybrid_trade(certificate)
    confirmation, signature = confirm(trade)

    with reverts(hybrid.HybridNotEscrowed, tradeId=trade.tradeId, state=EscrowState.NONE):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=buyer)


# ---------------------------------------------------------------------------------------------
# Compliance of the buyer (registry share)
# ---------------------------------------------------------------------------------------------


def test_unverified_buyer_of_a_registry_share_is_refused_at_release(
    hybrid, escrowed, registry_share, confirm, unverified_buyer
):
    trade = escrowed(registry_share, buyer=str(unverified_buyer.address))
    confirmation, signature = confirm(trade)

    with reverts(registry_share.RestrictedRecipientNotVerified, to=unverified_buyer.address):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=unverified_buyer)

    assert hybrid.stateOf(hybrid.tradeKey(trade.as_tuple())) == EscrowState.ESCROWED
    assert not hybrid.isPaymentReferenceUsed(confirmation[3])


def test_refused_registry_share_goes_back_to_the_seller_after_the_deadline(
    hybrid, escrowed, registry_share, confirm, seller, unverified_buyer
):
    trade = escrowed(registry_share, buyer=str(unverified_buyer.address))
    confirmation, signature = confirm(trade)
    with reverts(registry_share.RestrictedRecipientNotVerified, to=unverified_buyer.address):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=unverified_buyer)
    chain.pending_timestamp = trade.deadline + 1

    hybrid.refund(trade.as_tuple(), sender=seller)

    assert registry_share.balanceOf(seller) == SELLER_HOLDING
    assert registry_share.balanceOf(unverified_buyer) == 0
    assert hybrid.stateOf(hybrid.tradeKey(trade.as_tuple())) == EscrowState.REFUNDED


# ---------------------------------------------------------------------------------------------
# Refund after the deadline, cancel by the buyer
# ---------------------------------------------------------------------------------------------


def test_refund_after_the_deadline_returns_the_securities_to_the_seller(
    hybrid, asset, escrowed, seller, outsider
):
    trade = escrowed(asset)
    chain.pending_timestamp = trade.deadline + 1

    receipt = hybrid.refund(trade.as_tuple(), sender=outsider)

    assert receipt.events.filter(asset.Transfer) == [asset.Transfer(hybrid, seller, QUANTITY)]
    assert receipt.events.filter(hybrid.TradeRefunded) == [
        hybrid.TradeRefunded(
            tradeId=trade.tradeId,
            tradeKey=hybrid.tradeKey(trade.as_tuple()),
            seller=seller,
            quantity=QUANTITY,
        )
    ]
    assert asset.balanceOf(seller) == SELLER_HOLDING
    assert hybrid.stateOf(hybrid.tradeKey(trade.as_tuple())) == EscrowState.REFUNDED


def test_refund_refuses_before_the_deadline(hybrid, trade, seller):
    chain.pending_timestamp = trade.deadline

    with reverts(hybrid.HybridTradeNotExpired, tradeId=trade.tradeId, deadline=trade.deadline):
        hybrid.refund(trade.as_tuple(), sender=seller)


def test_refund_refuses_a_released_trade(hybrid, trade, confirm, seller):
    confirmation, signature = confirm(trade)
    hybrid.release(trade.as_tuple(), confirmation, signature, sender=seller)
    chain.pending_timestamp = trade.deadline + 1

    with reverts(hybrid.HybridNotEscrowed, state=EscrowState.RELEASED):
        hybrid.refund(trade.as_tuple(), sender=seller)


def test_released_trade_cannot_be_refunded_twice_nor_released_after_refund(hybrid, trade, confirm, seller):
    confirmation, signature = confirm(trade, deadline=trade.deadline + HOUR)
    chain.pending_timestamp = trade.deadline + 1
    hybrid.refund(trade.as_tuple(), sender=seller)

    with reverts(hybrid.HybridNotEscrowed, state=EscrowState.REFUNDED):
        hybrid.refund(trade.as_tuple(), sender=seller)
    with reverts(hybrid.HybridNotEscrowed, state=EscrowState.REFUNDED):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=seller)


def test_buyer_can_cancel_and_the_securities_go_back_to_the_seller(hybrid, certificate, trade, seller, buyer):
    receipt = hybrid.cancel(trade.as_tuple(), sender=buyer)

    assert receipt.events.filter(hybrid.TradeCancelled) == [
        hybrid.TradeCancelled(
            tradeId=trade.tradeId,
            tradeKey=hybrid.tradeKey(trade.as_tuple()),
            seller=seller,
            quantity=QUANTITY,
        )
    ]
    assert certificate.balanceOf(seller) == SELLER_HOLDING
    assert hybrid.stateOf(hybrid.tradeKey(trade.as_tuple())) == EscrowState.CANCELLED


@pytest.mark.parametrize("who", ["seller", "outsider"])
def test_cancel_refuses_anyone_but_the_buyer(hybrid, trade, seller, outsider, who):
    caller = seller if who == "seller" else outsider

    with reverts(hybrid.HybridUnauthorized, tradeId=trade.tradeId, caller=caller):
        hybrid.cancel(trade.as_tuple(), sender=caller)


def test_cancelled_trade_cannot_be_released(hybrid, trade, confirm, buyer):
    confirmation, signature = confirm(trade)
    hybrid.cancel(trade.as_tuple(), sender=buyer)

    with reverts(hybrid.HybridNotEscrowed, state=EscrowState.CANCELLED):
        hybrid.release(trade.as_tuple(), confirmation, signature, sender=buyer)


# ---------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------


def test_outsider_cannot_appoint_a_cash_agent(hybrid, outsider):
    with reverts(hybrid.AccessControlUnauthorizedAccount, account=outsider, neededRole=DEFAULT_ADMIN_ROLE):
        hybrid.grantRole(CASH_AGENT_ROLE, outsider, sender=outsider)


def test_admin_appointing_a_cash_agent_emits_role_granted(hybrid, issuer, outsider):
    receipt = hybrid.grantRole(CASH_AGENT_ROLE, outsider, sender=issuer)

    assert receipt.events == [hybrid.RoleGranted(role=CASH_AGENT_ROLE, account=outsider, sender=issuer)]
