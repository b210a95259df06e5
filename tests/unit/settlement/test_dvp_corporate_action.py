"""Atomic DvP across a corporate action: a trade signed before a split or a reverse split cannot
settle after it (finding 13.3). The parties signed a token quantity at one corporate-action epoch;
once the asset's epoch moves, the same number of tokens is twice (or half) the economic position,
so the trade is refused and the parties sign again."""

from __future__ import annotations

from dataclasses import replace

import pytest
from revert_data import reverts
from settlement_terms import CASH_AMOUNT, QUANTITY

from tokenized_stocks.protocol.trade import TradeState

SPLIT_2_FOR_1 = 2 * 10**18
REVERSE_1_FOR_2 = 5 * 10**17


@pytest.fixture
def security(project, issuer, seller):
    token = issuer.deploy(project.SettleMultiplierMock)
    token.mint(seller, 100 * 10**18, sender=issuer)
    return token


@pytest.fixture
def signed_trade(make_trade, sign, approve_legs, security, seller, buyer):
    """A trade of `QUANTITY` tokens signed by both sides at the asset's current epoch, both legs
    approved."""
    trade = make_trade(security)
    approve_legs(trade, security, seller, buyer)
    return trade, sign(seller, trade), sign(buyer, trade)


@pytest.mark.parametrize("new_multiplier", [SPLIT_2_FOR_1, REVERSE_1_FOR_2], ids=["split", "reverse-split"])
def test_settle_refuses_a_trade_signed_before_a_corporate_action(
    dvp, security, signed_trade, new_multiplier, seller, buyer
):
    trade, seller_signature, buyer_signature = signed_trade
    security.setMultiplier(new_multiplier, sender=buyer)

    with reverts(dvp.DvPCorporateActionChanged, tradeId=trade.tradeId, agreedEpoch=0, currentEpoch=1):
        dvp.settle(trade.as_tuple(), seller_signature, buyer_signature, sender=seller)

    assert security.balanceOf(buyer) == 0
    assert dvp.stateOf(trade.as_tuple()) == TradeState.OPEN


def test_trade_agreed_at_the_new_epoch_settles_after_a_split(
    dvp, make_trade, sign, approve_legs, security, cash, seller, buyer
):
    security.setMultiplier(SPLIT_2_FOR_1, sender=buyer)
    trade = make_trade(security)
    approve_legs(trade, security, seller, buyer)

    dvp.settle(trade.as_tuple(), sign(seller, trade), sign(buyer, trade), sender=buyer)

    assert trade.corporateActionEpoch == 1
    assert security.balanceOf(buyer) == QUANTITY
    assert cash.balanceOf(seller) == CASH_AMOUNT


def test_the_agreed_epoch_is_part_of_what_each_side_signs(dvp, security, signed_trade, seller, buyer):
    trade, seller_signature, buyer_signature = signed_trade
    security.setMultiplier(SPLIT_2_FOR_1, sender=buyer)
    relabelled = replace(trade, corporateActionEpoch=1)

    with reverts(dvp.DvPMissingCommitment, tradeId=trade.tradeId, party=seller.address):
        dvp.settle(relabelled.as_tuple(), seller_signature, buyer_signature, sender=buyer)


def test_instructions_of_a_trade_agreed_before_a_split_cannot_settle_it_either(
    dvp, security, signed_trade, seller, buyer
):
    trade, _, _ = signed_trade
    dvp.instruct(trade.as_tuple(), sender=seller)
    dvp.instruct(trade.as_tuple(), sender=buyer)
    security.setMultiplier(SPLIT_2_FOR_1, sender=buyer)

    with reverts(dvp.DvPCorporateActionChanged, tradeId=trade.tradeId, agreedEpoch=0, currentEpoch=1):
        dvp.settle(trade.as_tuple(), b"", b"", sender=buyer)


def test_a_party_can_still_cancel_a_trade_a_corporate_action_made_unsettleable(
    dvp, security, signed_trade, seller
):
    trade, _, _ = signed_trade
    security.setMultiplier(SPLIT_2_FOR_1, sender=seller)

    receipt = dvp.cancel(trade.as_tuple(), sender=seller)

    key = dvp.tradeKey(trade.as_tuple())
    assert receipt.events == [dvp.TradeCancelled(tradeId=trade.tradeId, tradeKey=key, by=seller)]
