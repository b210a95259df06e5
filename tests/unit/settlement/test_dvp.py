"""Atomic delivery-versus-payment: both legs in one transaction or not at all."""

from __future__ import annotations

from dataclasses import replace

import pytest
from ape import chain
from revert_data import reverts
from settlement_terms import CASH_AMOUNT, HOUR, QUANTITY, SELLER_HOLDING

from tokenized_stocks.deploy.proxy import deploy_behind_proxy, implementation_of
from tokenized_stocks.protocol.roles import DEFAULT_ADMIN_ROLE
from tokenized_stocks.protocol.trade import TradeState, trade_digest

ZERO_ADDRESS = "0x" + "00" * 20


@pytest.fixture
def trade(make_trade, certificate):
    """A trade of a freely transferable asset (refusals do not depend on the architecture)."""
    return make_trade(certificate)


@pytest.fixture
def signatures(sign, trade, seller, buyer):
    return sign(seller, trade), sign(buyer, trade)


@pytest.fixture
def approved(approve_legs, trade, certificate, seller, buyer):
    approve_legs(trade, certificate, seller, buyer)
    return trade


@pytest.fixture
def asset_trade(make_trade, asset):
    """A trade of each of the three architectures in turn."""
    return make_trade(asset)


@pytest.fixture
def asset_approved(approve_legs, asset_trade, asset, seller, buyer):
    approve_legs(asset_trade, asset, seller, buyer)
    return asset_trade


@pytest.fixture
def asset_signatures(sign, asset_trade, seller, buyer):
    return sign(seller, asset_trade), sign(buyer, asset_trade)


# ---------------------------------------------------------------------------------------------
# Settlement
# ---------------------------------------------------------------------------------------------


def test_settle_delivers_securities_to_buyer_and_cash_to_seller(
    dvp, asset, cash, asset_approved, asset_signatures, seller, buyer, relayer
):
    cash_before = cash.balanceOf(buyer)

    dvp.settle(asset_approved.as_tuple(), *asset_signatures, sender=relayer)

    assert asset.balanceOf(buyer) == QUANTITY
    assert asset.balanceOf(seller) == SELLER_HOLDING - QUANTITY
    assert cash.balanceOf(seller) == CASH_AMOUNT
    assert cash.balanceOf(buyer) == cash_before - CASH_AMOUNT


def test_settle_emits_both_transfers_and_trade_settled(
    dvp, asset, cash, asset_approved, asset_signatures, seller, buyer
):
    receipt = dvp.settle(asset_approved.as_tuple(), *asset_signatures, sender=buyer)

    key = dvp.tradeKey(asset_approved.as_tuple())
    assert receipt.events.filter(asset.Transfer) == [asset.Transfer(seller, buyer, QUANTITY)]
    assert receipt.events.filter(cash.Transfer) == [cash.Transfer(buyer, seller, CASH_AMOUNT)]
    assert receipt.events.filter(dvp.TradeSettled) == [
        dvp.TradeSettled(
            tradeId=asset_approved.tradeId,
            tradeKey=key,
            seller=seller,
            buyer=buyer,
            asset=asset,
            quantity=QUANTITY,
            cashToken=cash,
            cashAmount=CASH_AMOUNT,
        )
    ]


def test_settle_records_the_trade_as_settled(dvp, approved, signatures, relayer):
    dvp.settle(approved.as_tuple(), *signatures, sender=relayer)

    assert dvp.stateOf(approved.as_tuple()) == TradeState.SETTLED


def test_dvp_never_holds_tokens(dvp, asset, cash, asset_approved, asset_signatures, relayer):
    dvp.settle(asset_approved.as_tuple(), *asset_signatures, sender=relayer)

    assert asset.balanceOf(dvp) == 0
    assert cash.balanceOf(dvp) == 0


def test_trade_key_is_the_eip712_digest_each_side_signs(dvp, trade):
    assert dvp.tradeKey(trade.as_tuple()) == trade_digest(trade, chain.chain_id, str(dvp.address))


def test_the_eip712_domain_is_the_proxy_with_the_old_name_and_version(dvp):
    _, name, version, chain_id, verifying, _, _ = dvp.eip712Domain()

    assert (name, version, chain_id, verifying) == ("DvP", "1", chain.chain_id, dvp.address)


def test_settle_refuses_signatures_for_the_implementation_behind_the_proxy(
    dvp, sign, approved, seller, buyer
):
    implementation = type("Implementation", (), {"address": implementation_of(dvp.address)})()

    with reverts(dvp.DvPMissingCommitment, party=approved.seller):
        dvp.settle(
            approved.as_tuple(),
            sign(seller, approved, implementation),
            sign(buyer, approved, implementation),
            sender=buyer,
        )


def test_the_deployer_named_admin_holds_the_upgrade_power(dvp, issuer, outsider):
    assert dvp.hasRole(DEFAULT_ADMIN_ROLE, issuer)
    assert not dvp.hasRole(DEFAULT_ADMIN_ROLE, outsider)


def test_initialize_refuses_a_zero_admin(project, issuer):
    with reverts(project.DvP.DvPZeroAdmin):
        deploy_behind_proxy(project, issuer, project.DvP, ZERO_ADDRESS)


def test_settle_accepts_on_chain_instructions_instead_of_asset_signatures(
    dvp, asset_approved, seller, buyer, relayer
):
    dvp.instruct(asset_approved.as_tuple(), sender=seller)
    dvp.instruct(asset_approved.as_tuple(), sender=buyer)

    dvp.settle(asset_approved.as_tuple(), b"", b"", sender=relayer)

    assert dvp.stateOf(asset_approved.as_tuple()) == TradeState.SETTLED


def test_settle_accepts_one_instruction_and_one_signature(dvp, sign, approved, seller, buyer, relayer):
    dvp.instruct(approved.as_tuple(), sender=seller)

    dvp.settle(approved.as_tuple(), b"", sign(buyer, approved), sender=relayer)

    assert dvp.stateOf(approved.as_tuple()) == TradeState.SETTLED


def test_settle_is_accepted_up_to_the_deadline_second(dvp, approved, signatures, relayer):
    chain.pending_timestamp = approved.deadline

    dvp.settle(approved.as_tuple(), *signatures, sender=relayer)

    assert dvp.stateOf(approved.as_tuple()) == TradeState.SETTLED


# ---------------------------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------------------------


def test_settled_trade_cannot_be_settled_again(dvp, certificate, cash, approved, signatures, relayer):
    dvp.settle(approved.as_tuple(), *signatures, sender=relayer)
    certificate.approve(dvp, QUANTITY, sender=approved.seller)
    cash.approve(dvp, CASH_AMOUNT, sender=approved.buyer)

    with reverts(dvp.DvPTradeFinal, tradeId=approved.tradeId, state=TradeState.SETTLED):
        dvp.settle(approved.as_tuple(), *signatures, sender=relayer)


def test_settle_refuses_without_the_sellers_commitment(dvp, sign, approved, buyer, relayer):
    with reverts(dvp.DvPMissingCommitment, tradeId=approved.tradeId, party=approved.seller):
        dvp.settle(approved.as_tuple(), b"", sign(buyer, approved), sender=relayer)


def test_settle_refuses_without_the_buyers_commitment(dvp, sign, approved, seller, relayer):
    with reverts(dvp.DvPMissingCommitment, tradeId=approved.tradeId, party=approved.buyer):
        dvp.settle(approved.as_tuple(), sign(seller, approved), b"", sender=relayer)


def test_settle_refuses_a_signature_by_someone_other_than_the_buyer(dvp, sign, approved, seller, outsider):
    with reverts(dvp.DvPMissingCommitment, party=approved.buyer):
        dvp.settle(approved.as_tuple(), sign(seller, approved), sign(outsider, approved), sender=outsider)


def test_settle_refuses_signatures_of_other_terms(dvp, sign, approved, seller, buyer, relayer):
    cheaper = replace(approved, cashAmount=CASH_AMOUNT - 1)

    with reverts(dvp.DvPMissingCommitment, party=approved.seller):
        dvp.settle(approved.as_tuple(), sign(seller, cheaper), sign(buyer, approved), sender=relayer)


def test_settle_refuses_signatures_for_another_dvp_contract(
    project, issuer, dvp, sign, approved, seller, buyer
):
    other = deploy_behind_proxy(project, issuer, project.DvP, issuer)

    with reverts(dvp.DvPMissingCommitment, party=approved.seller):
        dvp.settle(
            approved.as_tuple(), sign(seller, approved, other), sign(buyer, approved, other), sender=buyer
        )


def test_settle_refuses_signatures_for_another_chain(dvp, sign, approved, seller, buyer):
    with reverts(dvp.DvPMissingCommitment, party=approved.seller):
        dvp.settle(
            approved.as_tuple(),
            sign(seller, approved, chain_id=31338),
            sign(buyer, approved, chain_id=31338),
            sender=buyer,
        )


def test_settle_refuses_after_the_deadline(dvp, approved, signatures, relayer):
    chain.pending_timestamp = approved.deadline + 1

    with reverts(dvp.DvPTradeExpired, tradeId=approved.tradeId, deadline=approved.deadline):
        dvp.settle(approved.as_tuple(), *signatures, sender=relayer)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tradeId", b"\x00" * 32),
        ("quantity", 0),
        ("cashAmount", 0),
        ("buyer", "seller"),
        ("cashToken", "asset"),
    ],
)
def test_settle_refuses_invalid_terms(dvp, sign, make_trade, certificate, seller, buyer, field, value):
    trade = make_trade(certificate)
    if value in ("seller", "asset"):
        value = getattr(trade, value)
    bad = replace(trade, **{field: value})

    with reverts(dvp.DvPInvalidTerms, field=field):
        dvp.settle(bad.as_tuple(), sign(seller, bad), sign(buyer, bad), sender=buyer)


def test_failed_cash_leg_leaves_the_securities_with_the_seller(
    dvp, certificate, cash, trade, signatures, seller, buyer
):
    certificate.approve(dvp, QUANTITY, sender=seller)  # the buyer never approves the cash

    with reverts(cash.ERC20InsufficientAllowance, spender=dvp.address, allowance=0, needed=CASH_AMOUNT):
        dvp.settle(trade.as_tuple(), *signatures, sender=buyer)

    assert certificate.balanceOf(seller) == SELLER_HOLDING
    assert certificate.balanceOf(buyer) == 0
    assert dvp.stateOf(trade.as_tuple()) == TradeState.OPEN


# ---------------------------------------------------------------------------------------------
# Compliance of the buyer (registry share)
# ---------------------------------------------------------------------------------------------


def test_unverified_buyer_of_a_registry_share_is_refused_at_settlement(
    dvp, sign, make_trade, registry_share, cash, seller, unverified_buyer
):
    trade = make_trade(registry_share, buyer=str(unverified_buyer.address))
    registry_share.approve(dvp, QUANTITY, sender=seller)
    cash.approve(dvp, CASH_AMOUNT, sender=unverified_buyer)
    cash_before = cash.balanceOf(unverified_buyer)

    with reverts(registry_share.RestrictedRecipientNotVerified, to=unverified_buyer.address):
        dvp.settle(trade.as_tuple(), sign(seller, trade), sign(unverified_buyer, trade), sender=seller)

    assert registry_share.balanceOf(seller) == SELLER_HOLDING
    assert registry_share.balanceOf(unverified_buyer) == 0
    assert cash.balanceOf(unverified_buyer) == cash_before
    assert cash.balanceOf(seller) == 0
    assert dvp.stateOf(trade.as_tuple()) == TradeState.OPEN


def test_refused_buyer_can_settle_once_verified(
    dvp, sign, make_trade, registry_share, cash, investors, onboard, seller, unverified_buyer
):
    trade = make_trade(registry_share, buyer=str(unverified_buyer.address))
    registry_share.approve(dvp, QUANTITY, sender=seller)
    cash.approve(dvp, CASH_AMOUNT, sender=unverified_buyer)
    signatures = sign(seller, trade), sign(unverified_buyer, trade)
    with reverts(registry_share.RestrictedRecipientNotVerified, to=unverified_buyer.address):
        dvp.settle(trade.as_tuple(), *signatures, sender=seller)

    onboard(investors, "carol", unverified_buyer)
    dvp.settle(trade.as_tuple(), *signatures, sender=seller)

    assert registry_share.balanceOf(unverified_buyer) == QUANTITY


# ---------------------------------------------------------------------------------------------
# On-chain instructions
# ---------------------------------------------------------------------------------------------


def test_instruct_records_the_sides_commitment_and_emits(dvp, trade, seller):
    receipt = dvp.instruct(trade.as_tuple(), sender=seller)

    key = dvp.tradeKey(trade.as_tuple())
    assert receipt.events == [dvp.TradeInstructed(tradeId=trade.tradeId, tradeKey=key, party=seller)]
    assert dvp.instructionsOf(trade.as_tuple()) == (True, False)


def test_instruct_refuses_an_outsider(dvp, trade, outsider):
    with reverts(dvp.DvPNotParty, tradeId=trade.tradeId, caller=outsider):
        dvp.instruct(trade.as_tuple(), sender=outsider)


def test_instruct_refuses_a_second_instruction_by_the_same_side(dvp, trade, buyer):
    dvp.instruct(trade.as_tuple(), sender=buyer)

    with reverts(dvp.DvPAlreadyInstructed, tradeId=trade.tradeId, party=buyer):
        dvp.instruct(trade.as_tuple(), sender=buyer)


def test_instruct_refuses_after_the_deadline(dvp, trade, seller):
    chain.pending_timestamp = trade.deadline + 1

    with reverts(dvp.DvPTradeExpired, tradeId=trade.tradeId, deadline=trade.deadline):
        dvp.instruct(trade.as_tuple(), sender=seller)


# ---------------------------------------------------------------------------------------------
# Cancel and expiry
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["seller", "buyer"])
def test_either_side_can_cancel_before_the_deadline(dvp, trade, seller, buyer, side):
    canceller = seller if side == "seller" else buyer

    receipt = dvp.cancel(trade.as_tuple(), sender=canceller)

    key = dvp.tradeKey(trade.as_tuple())
    assert receipt.events == [dvp.TradeCancelled(tradeId=trade.tradeId, tradeKey=key, by=canceller)]
    assert dvp.stateOf(trade.as_tuple()) == TradeState.CANCELLED


def test_cancel_refuses_an_outsider(dvp, trade, outsider):
    with reverts(dvp.DvPNotParty, tradeId=trade.tradeId, caller=outsider):
        dvp.cancel(trade.as_tuple(), sender=outsider)


def test_cancelled_trade_cannot_be_settled(dvp, approved, signatures, seller, relayer):
    dvp.cancel(approved.as_tuple(), sender=seller)

    with reverts(dvp.DvPTradeFinal, tradeId=approved.tradeId, state=TradeState.CANCELLED):
        dvp.settle(approved.as_tuple(), *signatures, sender=relayer)


def test_settled_trade_cannot_be_cancelled(dvp, approved, signatures, seller):
    dvp.settle(approved.as_tuple(), *signatures, sender=seller)

    with reverts(dvp.DvPTradeFinal, state=TradeState.SETTLED):
        dvp.cancel(approved.as_tuple(), sender=seller)


def test_cancel_refuses_after_the_deadline(dvp, trade, buyer):
    chain.pending_timestamp = trade.deadline + 1

    with reverts(dvp.DvPTradeExpired, tradeId=trade.tradeId, deadline=trade.deadline):
        dvp.cancel(trade.as_tuple(), sender=buyer)


def test_unsettled_trade_reads_as_expired_after_the_deadline(dvp, trade):
    chain.mine(deltatime=HOUR + 1)

    assert dvp.stateOf(trade.as_tuple()) == TradeState.EXPIRED


def test_expire_records_the_final_state_and_moves_nothing(
    dvp, certificate, cash, approved, seller, buyer, outsider
):
    cash_before = cash.balanceOf(buyer)
    chain.pending_timestamp = approved.deadline + 1

    receipt = dvp.expire(approved.as_tuple(), sender=outsider)

    key = dvp.tradeKey(approved.as_tuple())
    assert receipt.events == [dvp.TradeExpired(tradeId=approved.tradeId, tradeKey=key)]
    assert dvp.stateOf(approved.as_tuple()) == TradeState.EXPIRED
    assert certificate.balanceOf(seller) == SELLER_HOLDING
    assert cash.balanceOf(buyer) == cash_before


def test_expire_refuses_before_the_deadline(dvp, trade, outsider):
    with reverts(dvp.DvPTradeNotExpired, tradeId=trade.tradeId, deadline=trade.deadline):
        dvp.expire(trade.as_tuple(), sender=outsider)


def test_expire_refuses_a_settled_trade(dvp, approved, signatures, outsider):
    dvp.settle(approved.as_tuple(), *signatures, sender=outsider)
    chain.pending_timestamp = approved.deadline + 1

    with reverts(dvp.DvPTradeFinal, state=TradeState.SETTLED):
        dvp.expire(approved.as_tuple(), sender=outsider)
