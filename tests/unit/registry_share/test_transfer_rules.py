"""Every compliance rule: one allowed and one refused transfer (ERC-1404 code, error, balances)."""

import pytest
from revert_data import reverts
from share_helpers import assert_allowed, assert_refused

from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.protocol.roles import DEFAULT_ADMIN_ROLE, Country

REASON = "rule test"


@pytest.fixture(scope="module")
def funded(funded_once):
    """Every test of this module starts from these balances: set up once per module."""
    return funded_once


def test_a_transfer_between_verified_investors_is_allowed(funded, investor_alice, investor_bob):
    assert_allowed(funded, investor_alice, investor_bob, 10 * ONE)


def test_a_paused_asset_refuses_transfers(funded, guardian, investor_alice, investor_bob):
    funded.pause("incident 7", sender=guardian)
    assert_refused(funded, investor_alice, investor_bob, ONE, Restriction.PAUSED)


def test_an_asset_unpaused_by_the_admin_allows_transfers_again(
    funded, guardian, issuer, investor_alice, investor_bob
):
    funded.pause("incident 7", sender=guardian)
    receipt = funded.unpause("incident 7 closed", sender=issuer)
    assert receipt.events == [funded.Unpaused(agent=issuer, reason="incident 7 closed")]
    assert_allowed(funded, investor_alice, investor_bob, ONE)


@pytest.mark.parametrize("pauser", ["guardian", "transfer_agent"])
def test_a_pauser_cannot_unpause(request, funded, pauser, investor_alice, investor_bob):
    """Every PAUSER_ROLE holder (the guardian, and the transfer agent the deployer also makes one)
    stops the asset at once; resuming it is the admin's (the timelock's in a governed deployment)."""
    key = request.getfixturevalue(pauser)
    receipt = funded.pause("incident 8", sender=key)
    assert receipt.events == [funded.Paused(agent=key, reason="incident 8")]
    with reverts(funded.AccessControlUnauthorizedAccount, account=key, neededRole=DEFAULT_ADMIN_ROLE):
        funded.unpause("incident 8 closed", sender=key)
    assert_refused(funded, investor_alice, investor_bob, ONE, Restriction.PAUSED)


def test_an_outsider_cannot_unpause(funded, guardian, outsider):
    funded.pause("incident 9", sender=guardian)
    with reverts(funded.AccessControlUnauthorizedAccount, account=outsider, neededRole=DEFAULT_ADMIN_ROLE):
        funded.unpause("x", sender=outsider)
    assert funded.paused()


def test_a_sender_whose_wallet_was_unbound_cannot_send(
    funded, registry, registrar, investor_alice, investor_bob
):
    registry.removeWallet(investor_alice, sender=registrar)
    assert_refused(funded, investor_alice, investor_bob, ONE, Restriction.SENDER_NOT_VERIFIED)


def test_a_sender_whose_kyc_expired_cannot_send(
    funded, chain, investor_alice, investor_bob, onboard, registry
):
    chain.pending_timestamp += 2 * 365 * 24 * 3600
    chain.mine()
    assert_refused(funded, investor_alice, investor_bob, ONE, Restriction.SENDER_NOT_VERIFIED)


def test_an_unverified_recipient_is_refused(funded, investor_alice, outsider):
    assert_refused(funded, investor_alice, outsider, ONE, Restriction.RECIPIENT_NOT_VERIFIED)


def test_a_sender_whose_investor_is_frozen_by_the_registrar_cannot_send(
    funded, registry, registrar, investors, investor_alice, investor_bob
):
    registry.setInvestorFrozen(investors["alice"], True, sender=registrar)
    assert_refused(funded, investor_alice, investor_bob, ONE, Restriction.SENDER_INVESTOR_FROZEN)


def test_a_recipient_whose_investor_is_frozen_by_the_registrar_is_refused(
    funded, registry, registrar, investors, investor_alice, investor_bob
):
    registry.setInvestorFrozen(investors["bob"], True, sender=registrar)
    assert_refused(funded, investor_alice, investor_bob, ONE, Restriction.RECIPIENT_INVESTOR_FROZEN)


def test_a_frozen_sender_wallet_cannot_send(funded, transfer_agent, investor_alice, investor_bob):
    funded.setAddressFrozen(investor_alice, True, REASON, sender=transfer_agent)
    assert_refused(funded, investor_alice, investor_bob, ONE, Restriction.SENDER_WALLET_FROZEN)


def test_a_frozen_recipient_wallet_cannot_receive(funded, transfer_agent, investor_alice, investor_bob):
    funded.setAddressFrozen(investor_bob, True, REASON, sender=transfer_agent)
    assert_refused(funded, investor_alice, investor_bob, ONE, Restriction.RECIPIENT_WALLET_FROZEN)


def test_an_unfrozen_wallet_can_send_again(funded, transfer_agent, investor_alice, investor_bob):
    funded.setAddressFrozen(investor_alice, True, REASON, sender=transfer_agent)
    funded.setAddressFrozen(investor_alice, False, REASON, sender=transfer_agent)
    assert_allowed(funded, investor_alice, investor_bob, ONE)


def test_partially_frozen_tokens_cannot_be_sent(funded, transfer_agent, investor_alice, investor_bob):
    funded.freezePartialTokens(investor_alice, 90 * ONE, REASON, sender=transfer_agent)
    assert_refused(funded, investor_alice, investor_bob, 11 * ONE, Restriction.INSUFFICIENT_UNFROZEN_BALANCE)


def test_the_unfrozen_part_of_a_balance_can_be_sent(funded, transfer_agent, investor_alice, investor_bob):
    funded.freezePartialTokens(investor_alice, 90 * ONE, REASON, sender=transfer_agent)
    assert_allowed(funded, investor_alice, investor_bob, 10 * ONE)


def test_more_than_the_balance_is_refused(funded, investor_alice, investor_bob):
    assert_refused(funded, investor_alice, investor_bob, 101 * ONE, Restriction.INSUFFICIENT_UNFROZEN_BALANCE)


def test_a_locked_up_investor_cannot_send_to_another_investor(
    funded, chain, transfer_agent, investors, investor_alice, investor_bob
):
    funded.setLockup(investors["alice"], chain.pending_timestamp + 3600, "Rule 144", sender=transfer_agent)
    assert_refused(funded, investor_alice, investor_bob, ONE, Restriction.LOCKED_UP)


def test_a_lock_up_ends_at_its_timestamp(
    funded, chain, transfer_agent, investors, investor_alice, investor_bob
):
    funded.setLockup(investors["alice"], chain.pending_timestamp + 3600, "Rule 144", sender=transfer_agent)
    chain.mine(deltatime=3601)
    assert_allowed(funded, investor_alice, investor_bob, ONE)


def test_a_locked_up_investor_may_move_shares_between_its_own_wallets(
    funded, chain, transfer_agent, investors, investor_alice, investor_alice_2
):
    funded.setLockup(investors["alice"], chain.pending_timestamp + 3600, "Rule 144", sender=transfer_agent)
    assert_allowed(funded, investor_alice, investor_alice_2, ONE)


def test_a_recipient_from_a_disallowed_country_is_refused(funded, issuer, investor_alice, investor_carol):
    funded.setCountryRestriction(True, sender=issuer)
    funded.setCountryAllowed(Country.US, True, sender=issuer)
    assert_refused(funded, investor_alice, investor_carol, ONE, Restriction.COUNTRY_NOT_ALLOWED)


def test_a_recipient_from_an_allowed_country_is_accepted(funded, issuer, investor_alice, investor_carol):
    funded.setCountryRestriction(True, sender=issuer)
    funded.setCountryAllowed(Country.GB, True, sender=issuer)
    assert_allowed(funded, investor_alice, investor_carol, ONE)


def test_a_new_holder_beyond_the_holder_cap_is_refused(funded, issuer, investor_alice, investor_carol):
    funded.setMaxHolders(2, sender=issuer)
    assert_refused(funded, investor_alice, investor_carol, ONE, Restriction.MAX_HOLDERS)


def test_an_existing_holder_can_receive_at_the_holder_cap(funded, issuer, investor_alice, investor_bob):
    funded.setMaxHolders(2, sender=issuer)
    assert_allowed(funded, investor_alice, investor_bob, ONE)


def test_a_holder_leaving_frees_its_place_for_a_new_one_at_the_cap(
    funded, issuer, investor_bob, investor_carol
):
    funded.setMaxHolders(2, sender=issuer)
    assert_allowed(funded, investor_bob, investor_carol, 50 * ONE)
    assert funded.holderCount() == 2


def test_a_second_wallet_of_a_holder_does_not_count_as_a_new_holder(
    funded, issuer, investor_alice, investor_alice_2
):
    funded.setMaxHolders(2, sender=issuer)
    assert_allowed(funded, investor_alice, investor_alice_2, ONE)
    assert funded.holderCount() == 2


def test_a_new_holder_beyond_its_country_cap_is_refused(funded, issuer, investor_alice, investor_dave):
    funded.setCountryMaxHolders(Country.US, 2, sender=issuer)
    assert_refused(funded, investor_alice, investor_dave, ONE, Restriction.MAX_COUNTRY_HOLDERS)


def test_a_new_holder_of_another_country_is_not_held_by_the_country_cap(
    funded, issuer, investor_alice, investor_carol
):
    funded.setCountryMaxHolders(Country.US, 2, sender=issuer)
    assert_allowed(funded, investor_alice, investor_carol, ONE)
    assert funded.countryHolderCount(Country.US) == 2
    assert funded.countryHolderCount(Country.GB) == 1


def test_a_sender_cannot_keep_less_than_the_minimum_holding(funded, issuer, investor_alice, investor_bob):
    funded.setHoldingLimits(10, 0, sender=issuer)
    assert_refused(funded, investor_alice, investor_bob, 95 * ONE, Restriction.BELOW_MIN_HOLDING)


def test_a_sender_may_sell_its_whole_holding_under_a_minimum(funded, issuer, investor_alice, investor_bob):
    funded.setHoldingLimits(10, 0, sender=issuer)
    assert_allowed(funded, investor_alice, investor_bob, 100 * ONE)


def test_a_new_holder_cannot_receive_less_than_the_minimum_holding(
    funded, issuer, investor_alice, investor_carol
):
    funded.setHoldingLimits(10, 0, sender=issuer)
    assert_refused(funded, investor_alice, investor_carol, 5 * ONE, Restriction.BELOW_MIN_HOLDING)


def test_a_recipient_cannot_exceed_the_maximum_holding(funded, issuer, investor_alice, investor_bob):
    funded.setHoldingLimits(0, 120, sender=issuer)
    assert_refused(funded, investor_alice, investor_bob, 71 * ONE, Restriction.ABOVE_MAX_HOLDING)


def test_a_recipient_may_reach_the_maximum_holding(funded, issuer, investor_alice, investor_bob):
    funded.setHoldingLimits(0, 120, sender=issuer)
    assert_allowed(funded, investor_alice, investor_bob, 70 * ONE)


def test_the_maximum_holding_counts_every_wallet_of_the_investor(
    funded, issuer, transfer_agent, investor_alice, investor_alice_2, investor_bob
):
    funded.issue(investor_alice_2, 10 * ONE, REASON, sender=transfer_agent)
    funded.setHoldingLimits(0, 105, sender=issuer)
    assert_refused(funded, investor_bob, investor_alice_2, ONE, Restriction.ABOVE_MAX_HOLDING)


def test_a_wallet_rebound_to_another_investor_cannot_move_the_old_investors_shares(
    funded, registry, registrar, investors, transfer_agent, investor_alice_2, investor_bob
):
    funded.issue(investor_alice_2, 10 * ONE, REASON, sender=transfer_agent)
    registry.removeWallet(investor_alice_2, sender=registrar)
    registry.addWallet(investors["carol"], investor_alice_2, sender=registrar)
    assert_refused(funded, investor_alice_2, investor_bob, ONE, Restriction.WALLET_INVESTOR_MISMATCH)


def test_every_restriction_code_has_its_own_message(funded):
    messages = [funded.messageForTransferRestriction(code) for code in Restriction]
    assert len(set(messages)) == len(Restriction)
    assert (
        funded.messageForTransferRestriction(Restriction.LOCKED_UP)
        == "Sender's investor is in a lock-up period"
    )


def test_transfer_from_applies_the_same_rules(funded, guardian, investor_alice, investor_bob, investor_carol):
    funded.approve(investor_carol, ONE, sender=investor_alice)
    funded.pause("incident", sender=guardian)
    with reverts(funded.ShareTransferRestricted, code=Restriction.PAUSED):
        funded.transferFrom(investor_alice, investor_bob, ONE, sender=investor_carol)


def test_the_first_and_last_codes_and_an_unknown_code_have_their_messages(funded):
    assert funded.messageForTransferRestriction(Restriction.NONE) == "No restriction"
    assert (
        funded.messageForTransferRestriction(Restriction.WALLET_INVESTOR_MISMATCH)
        == "Wallet is bound to another investor"
    )
    # One past the shared table (contracts/libraries/RestrictionCodes.sol, codes 0..19).
    assert funded.messageForTransferRestriction(20) == "Unknown restriction code"
    assert funded.messageForTransferRestriction(255) == "Unknown restriction code"
