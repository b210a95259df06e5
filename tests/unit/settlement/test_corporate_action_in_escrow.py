"""A split while securities sit in a settlement escrow: the escrow gives out what the tokens became."""

from __future__ import annotations

import pytest
from ape import chain
from settlement_terms import QUANTITY

from tokenized_stocks.protocol.trade import EscrowState, reference

SPLIT_2_FOR_1 = 2 * 10**18


@pytest.fixture
def security(project, issuer, seller):
    token = issuer.deploy(project.SettleMultiplierMock)
    token.mint(seller, 100 * 10**18, sender=issuer)
    return token


def test_hybrid_release_after_a_split_delivers_the_split_quantity(hybrid, escrowed, security, confirm, buyer):
    trade = escrowed(security)
    security.setMultiplier(SPLIT_2_FOR_1, sender=buyer)
    confirmation, signature = confirm(trade)

    receipt = hybrid.release(trade.as_tuple(), confirmation, signature, sender=buyer)

    assert receipt.events.filter(hybrid.TradeReleased)[0].quantity == 2 * QUANTITY
    assert security.balanceOf(buyer) == 2 * QUANTITY
    assert security.balanceOf(hybrid) == 0


def test_hybrid_refund_after_a_split_returns_the_split_quantity(hybrid, escrowed, security, seller):
    trade = escrowed(security)
    security.setMultiplier(SPLIT_2_FOR_1, sender=seller)
    chain.pending_timestamp = trade.deadline + 1

    hybrid.refund(trade.as_tuple(), sender=seller)

    assert security.balanceOf(seller) == 200 * 10**18
    assert hybrid.stateOf(hybrid.tradeKey(trade.as_tuple())) == EscrowState.REFUNDED


def test_off_ramp_records_units_and_a_failure_after_a_split_returns_the_split_quantity(
    adapter, listed, security, seller, transfer_agent
):
    listed(security)
    security.approve(adapter, QUANTITY, sender=seller)
    receipt = adapter.requestOffRamp(security, QUANTITY, reference("ACC"), sender=seller)
    instruction = receipt.events.filter(adapter.OffRampRequested)[0].instructionId
    security.setMultiplier(SPLIT_2_FOR_1, sender=seller)

    adapter.failOffRamp(instruction, reference("REFUSED"), sender=transfer_agent)

    assert security.balanceOf(seller) == 200 * 10**18
    assert security.balanceOf(adapter) == 0


def test_off_ramp_after_a_split_carries_half_as_many_units_as_shares(adapter, listed, security, seller):
    listed(security)
    security.setMultiplier(SPLIT_2_FOR_1, sender=seller)
    security.approve(adapter, QUANTITY, sender=seller)

    receipt = adapter.requestOffRamp(security, QUANTITY, reference("ACC"), sender=seller)

    event = receipt.events.filter(adapter.OffRampRequested)[0]
    assert (event.shares, event.units) == (QUANTITY, QUANTITY // 2)
    assert adapter.pendingOf(security) == QUANTITY // 2
