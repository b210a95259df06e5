"""Sole-wallet investors: where an investor's per-asset record lives, and its hand-over.

While a wallet is its investor's sole wallet (the registry's flag), the investor's total, lock-up
and counted country live in that wallet's slot. When the registrar binds a second wallet, or
unbinds or rebinds the sole one, the record moves to the investor's own slot the first time the
share touches it. These tests pin down that nothing is lost or double-counted across the move.
"""

from __future__ import annotations

import pytest
from revert_data import reverts
from share_helpers import assert_allowed, assert_refused

from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.multiplier import ONE

REASON = "sole wallet spec"
LOCKUP = 30 * 24 * 3600


@pytest.fixture
def holders(share, registry, onboard, transfer_agent, investor_bob, investor_carol):
    """Bob (sole wallet, 100 shares) and Carol (sole wallet, 10 shares)."""
    ids = {
        "bob": onboard(registry, "bob", investor_bob),
        "carol": onboard(registry, "carol", investor_carol),
    }
    share.issue(investor_bob, 100 * ONE, REASON, sender=transfer_agent)
    share.issue(investor_carol, 10 * ONE, REASON, sender=transfer_agent)
    return ids


def test_a_sole_wallet_investors_total_is_its_wallet_balance(share, registry, holders, investor_bob):
    assert registry.walletModeOf(registry.indexOf(holders["bob"])).sole
    assert share.investorBalance(holders["bob"]) == share.balanceOf(investor_bob) == 100 * ONE
    assert share.holderCount() == 2


def test_a_transfer_between_sole_wallet_investors_moves_their_totals(
    share, holders, investor_bob, investor_carol
):
    assert_allowed(share, investor_bob, investor_carol, 40 * ONE)
    assert share.investorBalance(holders["bob"]) == 60 * ONE
    assert share.investorBalance(holders["carol"]) == 50 * ONE


def test_a_sole_wallet_investor_that_sends_everything_leaves_the_register(
    share, holders, investor_bob, investor_carol
):
    assert_allowed(share, investor_carol, investor_bob, 10 * ONE)
    assert share.holderCount() == 1
    assert share.investorBalance(holders["carol"]) == 0


def test_a_lock_up_of_a_sole_wallet_investor_refuses_its_transfers(
    chain, share, holders, transfer_agent, investor_bob, investor_carol
):
    until = chain.pending_timestamp + LOCKUP
    receipt = share.setLockup(holders["bob"], until, REASON, sender=transfer_agent)
    assert receipt.events == [share.LockupSet(holders["bob"], until, REASON)]
    assert share.lockupOf(holders["bob"]) == until
    assert_refused(share, investor_bob, investor_carol, ONE, Restriction.LOCKED_UP)


def test_a_lock_up_needs_a_wallet_to_be_kept_beside(share, registry, onboard, transfer_agent):
    walletless = onboard(registry, "walletless")
    with reverts(share.ShareInvestorWithoutWallet, investorId=walletless):
        share.setLockup(walletless, 1, REASON, sender=transfer_agent)


def test_binding_a_second_wallet_keeps_the_total_the_lock_up_and_the_holder_count(
    chain, share, registry, registrar, holders, transfer_agent, investor_bob, investor_carol, investor_alice
):
    until = chain.pending_timestamp + LOCKUP
    share.setLockup(holders["bob"], until, REASON, sender=transfer_agent)
    registry.addWallet(holders["bob"], investor_alice, sender=registrar)
    assert not registry.walletModeOf(registry.indexOf(holders["bob"])).sole
    # read through the views before the share has written anything
    assert share.investorBalance(holders["bob"]) == 100 * ONE
    assert share.lockupOf(holders["bob"]) == until
    assert_refused(share, investor_bob, investor_carol, ONE, Restriction.LOCKED_UP)
    # moving between bob's two wallets writes bob's own slot; nothing is lost
    assert_allowed(share, investor_bob, investor_alice, 30 * ONE)
    assert share.investorBalance(holders["bob"]) == 100 * ONE
    assert share.lockupOf(holders["bob"]) == until
    assert share.holderCount() == 2
    chain.mine(deltatime=LOCKUP + 1)
    assert_allowed(share, investor_alice, investor_carol, 30 * ONE)
    assert_allowed(share, investor_bob, investor_carol, 70 * ONE)
    assert share.investorBalance(holders["bob"]) == 0
    assert share.investorBalance(holders["carol"]) == 110 * ONE
    assert share.holderCount() == 1


def test_a_second_wallet_receiving_from_another_investor_counts_under_the_same_investor(
    share, registry, registrar, holders, investor_bob, investor_carol, investor_alice
):
    registry.addWallet(holders["bob"], investor_alice, sender=registrar)
    assert_allowed(share, investor_carol, investor_alice, 10 * ONE)
    assert share.investorBalance(holders["bob"]) == 110 * ONE
    assert share.investorBalance(holders["carol"]) == 0
    assert share.holderCount() == 1


def test_an_unbound_sole_wallets_shares_stay_counted_under_its_investor(
    share, registry, registrar, holders, transfer_agent, investor_bob, investor_carol
):
    registry.removeWallet(investor_bob, sender=registrar)
    assert share.investorBalance(holders["bob"]) == 100 * ONE
    assert_refused(share, investor_bob, investor_carol, ONE, Restriction.SENDER_NOT_VERIFIED)
    share.forcedTransfer(investor_bob, investor_carol, 100 * ONE, "court order", sender=transfer_agent)
    assert share.investorBalance(holders["bob"]) == 0
    assert share.investorBalance(holders["carol"]) == 110 * ONE
    assert share.holderCount() == 1


def test_a_rebound_wallet_hands_its_former_investors_lock_up_to_that_investors_slot(
    chain, share, registry, registrar, onboard, holders, transfer_agent, investor_bob, investor_carol
):
    until = chain.pending_timestamp + LOCKUP
    share.setLockup(holders["bob"], until, REASON, sender=transfer_agent)
    share.forcedTransfer(investor_bob, investor_carol, 100 * ONE, "court order", sender=transfer_agent)
    # the registrar moves bob's empty wallet to a new investor, who is not a sole-wallet investor
    registry.removeWallet(investor_bob, sender=registrar)
    erin = onboard(registry, "erin", investor_bob)
    assert not registry.walletModeOf(registry.indexOf(erin)).sole
    assert_allowed(share, investor_carol, investor_bob, 5 * ONE)
    assert share.investorBalance(erin) == 5 * ONE
    assert share.lockupOf(erin) == 0
    assert share.lockupOf(holders["bob"]) == until
    assert share.investorBalance(holders["bob"]) == 0
    assert share.holderCount() == 2


def test_recovery_of_a_former_sole_wallet_keeps_the_investor_total(
    share, registry, registrar, holders, transfer_agent, investor_bob, investor_alice
):
    registry.addWallet(holders["bob"], investor_alice, sender=registrar)
    registry.removeWallet(investor_bob, sender=registrar)
    share.recoveryAddress(investor_bob, investor_alice, holders["bob"], "lost keys", sender=transfer_agent)
    assert share.balanceOf(investor_alice) == 100 * ONE
    assert share.investorBalance(holders["bob"]) == 100 * ONE
    assert share.holderCount() == 2


def test_redeeming_a_sole_wallet_investors_shares_removes_the_holder(
    share, holders, transfer_agent, investor_carol
):
    share.redeem(investor_carol, 10 * ONE, REASON, sender=transfer_agent)
    assert share.investorBalance(holders["carol"]) == 0
    assert share.holderCount() == 1
