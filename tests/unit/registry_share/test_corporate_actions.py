"""Splits, cross-chain hooks, dividends from a record-date snapshot and shareholder ballots."""

import ape
import pytest
from revert_data import reverts

from tokenized_stocks.protocol.enums import Restriction, Vote
from tokenized_stocks.protocol.multiplier import ONE

REASON = "board resolution 12"
DAY = 24 * 3600
CASH = 10**6  # one unit of the 6-decimal cash token


# -------------------------------------------------------------------------------------------------
# Splits
# -------------------------------------------------------------------------------------------------


def test_a_split_multiplies_every_balance_in_one_transaction(
    funded, transfer_agent, investors, investor_alice
):
    receipt = funded.split(3, 1, REASON, sender=transfer_agent)
    assert receipt.events == [funded.CorporateActionApplied(1, 3, 1, 3 * ONE, REASON)]
    assert funded.balanceOf(investor_alice) == 300 * ONE
    assert funded.investorBalance(investors["alice"]) == 300 * ONE
    assert funded.totalSupply() == 450 * ONE
    assert funded.unitsOf(investor_alice) == 100 * ONE
    assert funded.corporateActionEpoch() == 1


def test_a_reverse_split_divides_every_balance(funded, transfer_agent, investor_bob):
    funded.split(1, 10, REASON, sender=transfer_agent)
    assert funded.balanceOf(investor_bob) == 5 * ONE
    assert funded.multiplier() == ONE // 10


def test_after_a_split_the_whole_balance_can_be_sent_without_dust(
    funded, transfer_agent, investor_bob, investor_carol
):
    funded.split(3, 2, REASON, sender=transfer_agent)
    funded.transfer(investor_carol, funded.balanceOf(investor_bob), sender=investor_bob)
    assert funded.unitsOf(investor_bob) == 0
    assert funded.holderCount() == 2


def test_a_split_with_a_zero_ratio_is_refused(funded, transfer_agent):
    with reverts(funded.ShareInvalidSplit, numerator=0, denominator=1):
        funded.split(0, 1, REASON, sender=transfer_agent)


def test_a_split_off_the_home_chain_is_refused(deploy_share, registry, transfer_agent):
    share = deploy_share(registry, home_chain_id=1)
    with reverts(share.ShareWrongChain, chainId=31337, homeChainId=1):
        share.split(2, 1, REASON, sender=transfer_agent)


def test_a_synced_corporate_action_applies_the_home_chains_multiplier(
    deploy_share, deploy_registry, onboard, issuer, transfer_agent, investor_alice
):
    registry = deploy_registry()  # a registry of its own: the module's has Alice onboarded already
    share = deploy_share(registry, home_chain_id=1)
    onboard(registry, "alice", investor_alice)
    share.issue(investor_alice, 10 * ONE, REASON, sender=transfer_agent)
    share.setGateway(issuer, sender=issuer)
    receipt = share.syncCorporateAction(1, 2 * ONE, sender=issuer)
    # Reaching an epoch is this chain's record point for it (a record date may be among them).
    assert receipt.events == [
        share.SnapshotTaken(1, 10 * ONE, 2 * ONE),
        share.CorporateActionSynced(1, 2 * ONE),
    ]
    assert share.recordSnapshotOf(1) == 1
    assert share.balanceOf(investor_alice) == 20 * ONE


def test_a_stale_corporate_action_is_refused(deploy_share, registry, issuer):
    share = deploy_share(registry, home_chain_id=1)
    share.setGateway(issuer, sender=issuer)
    share.syncCorporateAction(2, 2 * ONE, sender=issuer)
    with reverts(share.AssetStaleCorporateAction, epoch=2, currentEpoch=2):
        share.syncCorporateAction(2, 3 * ONE, sender=issuer)


def test_syncing_on_the_home_chain_is_refused(funded, issuer):
    funded.setGateway(issuer, sender=issuer)
    with reverts(funded.ShareWrongChain, chainId=31337, homeChainId=31337):
        funded.syncCorporateAction(1, 2 * ONE, sender=issuer)


# -------------------------------------------------------------------------------------------------
# Cross-chain hooks (the gateway is played by the issuer account)
# -------------------------------------------------------------------------------------------------


@pytest.fixture
def gateway(funded, issuer):
    receipt = funded.setGateway(issuer, sender=issuer)
    assert receipt.events == [funded.GatewaySet(issuer)]
    return issuer


def test_crosschain_mint_credits_the_token_amount_to_a_verified_recipient(
    funded, gateway, transfer_agent, investor_carol
):
    """ERC-7802 takes token amounts (finding 13.8): after a 2:1 split, 5 tokens are 2.5 units."""
    funded.split(2, 1, REASON, sender=transfer_agent)
    receipt = funded.crosschainMint(investor_carol, 5 * ONE, sender=gateway)
    assert receipt.events == [
        funded.Transfer(ape.utils.ZERO_ADDRESS, investor_carol, 5 * ONE),
        funded.CrosschainMint(investor_carol, 5 * ONE, gateway),
    ]
    assert funded.balanceOf(investor_carol) == 5 * ONE
    assert funded.unitsOf(investor_carol) == 5 * ONE // 2


def test_crosschain_mint_to_an_unverified_wallet_is_refused(funded, gateway, outsider):
    assert funded.crosschainRestriction(outsider, ONE) == Restriction.RECIPIENT_NOT_VERIFIED
    with reverts(funded.ShareTransferRestricted, code=Restriction.RECIPIENT_NOT_VERIFIED):
        funded.crosschainMint(outsider, ONE, sender=gateway)


def test_crosschain_restriction_applies_the_recipient_rules(funded, gateway, issuer, investor_carol):
    funded.setMaxHolders(2, sender=issuer)
    assert funded.crosschainRestriction(investor_carol, ONE) == Restriction.MAX_HOLDERS


def test_crosschain_mint_is_refused_while_paused(funded, gateway, guardian, investor_bob):
    funded.pause("incident", sender=guardian)
    assert funded.crosschainRestriction(investor_bob, ONE) == Restriction.PAUSED
    with reverts(funded.ShareTransferRestricted, code=Restriction.PAUSED):
        funded.crosschainMint(investor_bob, ONE, sender=gateway)


def test_crosschain_burn_removes_units_of_the_sender(funded, gateway, investor_bob):
    receipt = funded.crosschainBurn(investor_bob, 20 * ONE, sender=gateway)
    assert receipt.events == [
        funded.Transfer(investor_bob, ape.utils.ZERO_ADDRESS, 20 * ONE),
        funded.CrosschainBurn(investor_bob, 20 * ONE, gateway),
    ]
    assert funded.totalSupply() == 130 * ONE


def test_crosschain_burn_applies_the_sender_rules(
    funded, gateway, chain, transfer_agent, investors, investor_bob
):
    funded.setLockup(investors["bob"], chain.pending_timestamp + 3600, REASON, sender=transfer_agent)
    with reverts(funded.ShareTransferRestricted, code=Restriction.LOCKED_UP):
        funded.crosschainBurn(investor_bob, ONE, sender=gateway)


# -------------------------------------------------------------------------------------------------
# Dividends
# -------------------------------------------------------------------------------------------------


@pytest.fixture
def declare(distributor, cash, issuer, transfer_agent):
    """Factory: declares a dividend of `amount` cash on the register as of now; returns its id."""

    def declare(amount: int = 1_500 * CASH, period: int = 30 * DAY) -> int:
        cash.mint(transfer_agent, amount, sender=issuer)
        cash.approve(distributor, amount, sender=transfer_agent)
        distributor.declareDividend(cash, amount, period, REASON, sender=transfer_agent)
        return distributor.dividendCount()

    return declare


def test_declaring_a_dividend_escrows_the_cash_and_takes_a_snapshot(
    funded, distributor, cash, transfer_agent
):
    cash.mint(transfer_agent, 1_500 * CASH, sender=transfer_agent)
    cash.approve(distributor, 1_500 * CASH, sender=transfer_agent)
    receipt = distributor.declareDividend(cash, 1_500 * CASH, 30 * DAY, REASON, sender=transfer_agent)
    declared = receipt.events.filter(distributor.DividendDeclared)[0]
    assert (declared.dividendId, declared.amount, declared.snapshotId, declared.totalUnits) == (
        1,
        1_500 * CASH,
        1,
        150 * ONE,
    )
    assert cash.balanceOf(distributor) == 1_500 * CASH


def test_each_holder_claims_its_share_of_the_dividend(
    funded, distributor, declare, cash, investor_alice, investor_bob
):
    dividend_id = declare()
    receipt = distributor.claim(dividend_id, investor_alice, sender=investor_alice)
    distributor.claim(dividend_id, investor_bob, sender=investor_bob)
    assert receipt.events.filter(distributor.DividendClaimed) == [
        distributor.DividendClaimed(dividend_id, investor_alice, investor_alice, 1_000 * CASH)
    ]
    assert cash.balanceOf(investor_alice) == 1_000 * CASH
    assert cash.balanceOf(investor_bob) == 500 * CASH


def test_transfers_after_the_record_date_do_not_change_the_dividend(
    funded, distributor, declare, cash, investor_alice, investor_bob, investor_carol
):
    dividend_id = declare()
    funded.transfer(investor_carol, 100 * ONE, sender=investor_alice)
    funded.transfer(investor_carol, 50 * ONE, sender=investor_bob)
    assert distributor.claimable(dividend_id, investor_alice) == 1_000 * CASH
    assert distributor.claimable(dividend_id, investor_bob) == 500 * CASH
    assert distributor.claimable(dividend_id, investor_carol) == 0


def test_transfers_before_the_record_date_move_the_dividend(
    funded, distributor, declare, investor_alice, investor_carol
):
    funded.transfer(investor_carol, 40 * ONE, sender=investor_alice)
    dividend_id = declare()
    assert distributor.claimable(dividend_id, investor_alice) == 600 * CASH
    assert distributor.claimable(dividend_id, investor_carol) == 400 * CASH


def test_a_holder_cannot_claim_twice(funded, distributor, declare, investor_bob):
    dividend_id = declare()
    distributor.claim(dividend_id, investor_bob, sender=investor_bob)
    with reverts(distributor.DividendAlreadyClaimed, dividendId=dividend_id, wallet=investor_bob):
        distributor.claim(dividend_id, investor_bob, sender=investor_bob)


def test_a_wallet_that_held_nothing_at_the_record_date_has_nothing_to_claim(
    funded, distributor, declare, investor_carol
):
    dividend_id = declare()
    with reverts(distributor.DividendNothingToClaim, dividendId=dividend_id, wallet=investor_carol):
        distributor.claim(dividend_id, investor_carol, sender=investor_carol)


def test_claims_close_at_the_deadline(funded, distributor, declare, chain, investor_bob):
    dividend_id = declare(period=DAY)
    chain.pending_timestamp += DAY + 1
    with reverts(distributor.DividendClaimPeriodOver, dividendId=dividend_id):
        distributor.claim(dividend_id, investor_bob, sender=investor_bob)


def test_the_issuer_reclaims_the_unclaimed_rest_after_the_deadline(
    funded, distributor, declare, cash, chain, issuer, transfer_agent, investor_bob
):
    dividend_id = declare(period=DAY)
    distributor.claim(dividend_id, investor_bob, sender=investor_bob)
    chain.pending_timestamp += DAY + 1
    receipt = distributor.reclaim(dividend_id, issuer, sender=transfer_agent)
    assert receipt.events.filter(distributor.DividendReclaimed) == [
        distributor.DividendReclaimed(dividend_id, issuer, 1_000 * CASH)
    ]
    assert cash.balanceOf(issuer) == 1_000 * CASH


def test_reclaiming_before_the_deadline_is_refused(funded, distributor, declare, issuer, transfer_agent):
    dividend_id = declare()
    with reverts(distributor.DividendNotReclaimable, dividendId=dividend_id):
        distributor.reclaim(dividend_id, issuer, sender=transfer_agent)


def test_reclaiming_twice_is_refused(funded, distributor, declare, chain, issuer, transfer_agent):
    dividend_id = declare(period=DAY)
    chain.pending_timestamp += DAY + 1
    distributor.reclaim(dividend_id, issuer, sender=transfer_agent)
    with reverts(distributor.DividendNotReclaimable, dividendId=dividend_id):
        distributor.reclaim(dividend_id, issuer, sender=transfer_agent)


def test_a_frozen_wallet_cannot_claim_until_unfrozen(
    funded, distributor, declare, transfer_agent, investor_bob
):
    dividend_id = declare()
    funded.setAddressFrozen(investor_bob, True, REASON, sender=transfer_agent)
    with reverts(distributor.DividendWalletFrozen, wallet=investor_bob):
        distributor.claim(dividend_id, investor_bob, sender=investor_bob)
    funded.setAddressFrozen(investor_bob, False, REASON, sender=transfer_agent)
    assert distributor.claim(dividend_id, investor_bob, sender=investor_bob).return_value == 500 * CASH


def test_a_lost_wallets_dividend_is_paid_to_its_recovery_wallet(
    funded, distributor, declare, cash, transfer_agent, investors, investor_alice, investor_alice_2
):
    dividend_id = declare()
    funded.recoveryAddress(
        investor_alice, investor_alice_2, investors["alice"], REASON, sender=transfer_agent
    )
    distributor.claim(dividend_id, investor_alice, sender=investor_alice_2)
    assert cash.balanceOf(investor_alice_2) == 1_000 * CASH
    assert cash.balanceOf(investor_alice) == 0


def test_a_dividend_declared_after_a_recovery_pays_the_new_wallet(
    funded, distributor, declare, cash, transfer_agent, investors, investor_alice, investor_alice_2
):
    funded.recoveryAddress(
        investor_alice, investor_alice_2, investors["alice"], REASON, sender=transfer_agent
    )
    dividend_id = declare()
    assert distributor.claimable(dividend_id, investor_alice) == 0
    assert distributor.claimable(dividend_id, investor_alice_2) == 1_000 * CASH


def test_only_the_transfer_agent_declares_and_reclaims(funded, distributor, cash, outsider):
    with reverts(distributor.AccessControlUnauthorizedAccount, account=outsider):
        distributor.declareDividend(cash, CASH, DAY, REASON, sender=outsider)
    with reverts(distributor.AccessControlUnauthorizedAccount, account=outsider):
        distributor.reclaim(1, outsider, sender=outsider)


# -------------------------------------------------------------------------------------------------
# Ballots
# -------------------------------------------------------------------------------------------------


@pytest.fixture
def ballot_id(funded, ballot_box, transfer_agent):
    ballot_box.propose("Approve the 2026 accounts", 7 * DAY, sender=transfer_agent)
    return ballot_box.ballotCount()


def test_votes_are_weighted_by_shares_at_the_record_date(ballot_box, ballot_id, investor_alice, investor_bob):
    receipt = ballot_box.castVote(ballot_id, Vote.YES, sender=investor_alice)
    ballot_box.castVote(ballot_id, Vote.NO, sender=investor_bob)
    assert receipt.events == [
        ballot_box.VoteCast(ballot_id, investor_alice, investor_alice, Vote.YES, 100 * ONE)
    ]
    assert ballot_box.tally(ballot_id) == (100 * ONE, 50 * ONE, 0, False)


def test_transfers_after_the_record_date_do_not_change_voting_power(
    funded, ballot_box, ballot_id, investor_alice, investor_bob, investor_carol
):
    funded.transfer(investor_carol, 100 * ONE, sender=investor_alice)
    funded.transfer(investor_bob, 10 * ONE, sender=investor_carol)
    assert ballot_box.votingPower(ballot_id, investor_alice) == 100 * ONE
    assert ballot_box.votingPower(ballot_id, investor_carol) == 0
    ballot_box.castVote(ballot_id, Vote.ABSTAIN, sender=investor_alice)
    with reverts(ballot_box.BallotNoVotingPower, ballotId=ballot_id, wallet=investor_carol):
        ballot_box.castVote(ballot_id, Vote.YES, sender=investor_carol)
    assert ballot_box.tally(ballot_id) == (0, 0, 100 * ONE, False)


def test_a_wallet_cannot_vote_twice(ballot_box, ballot_id, investor_bob):
    ballot_box.castVote(ballot_id, Vote.YES, sender=investor_bob)
    with reverts(ballot_box.BallotAlreadyVoted, ballotId=ballot_id, wallet=investor_bob):
        ballot_box.castVote(ballot_id, Vote.NO, sender=investor_bob)


def test_votes_after_the_end_are_refused(ballot_box, ballot_id, chain, investor_bob):
    chain.pending_timestamp += 7 * DAY + 1
    with reverts(ballot_box.BallotClosed, ballotId=ballot_id):
        ballot_box.castVote(ballot_id, Vote.YES, sender=investor_bob)


def test_a_recovery_wallet_casts_the_lost_wallets_vote(
    funded, ballot_box, ballot_id, transfer_agent, investors, investor_alice, investor_alice_2
):
    funded.recoveryAddress(
        investor_alice, investor_alice_2, investors["alice"], REASON, sender=transfer_agent
    )
    ballot_box.castVoteFor(ballot_id, investor_alice, Vote.YES, sender=investor_alice_2)
    assert ballot_box.tally(ballot_id)[0] == 100 * ONE


def test_only_a_successor_casts_a_lost_wallets_vote(ballot_box, ballot_id, investor_alice, investor_bob):
    with reverts(ballot_box.BallotNotSuccessor, wallet=investor_alice, caller=investor_bob):
        ballot_box.castVoteFor(ballot_id, investor_alice, Vote.YES, sender=investor_bob)


def test_only_the_transfer_agent_proposes(ballot_box, outsider):
    with reverts(ballot_box.AccessControlUnauthorizedAccount, account=outsider):
        ballot_box.propose("x", DAY, sender=outsider)


def test_a_split_on_the_home_chain_is_applied_on_chain_b_by_the_gateway(
    chains, deploy_share, registry, deploy_registry, onboard, issuer, transfer_agent, investor_alice
):
    home = deploy_share(registry)
    home.split(2, 1, REASON, sender=transfer_agent)
    home_chain_id, epoch, multiplier = home.homeChainId(), home.corporateActionEpoch(), home.multiplier()
    with chains.on_b():
        registry_b = deploy_registry()
        remote = deploy_share(registry_b, home_chain_id=home_chain_id)
        onboard(registry_b, "alice", investor_alice)
        remote.setGateway(issuer, sender=issuer)
        remote.crosschainMint(investor_alice, 3 * ONE, sender=issuer)
        remote.syncCorporateAction(epoch, multiplier, sender=issuer)
        assert remote.balanceOf(investor_alice) == 6 * ONE
        assert remote.unitsOf(investor_alice) == 3 * ONE
        with reverts(remote.ShareWrongChain):
            remote.split(2, 1, REASON, sender=transfer_agent)
