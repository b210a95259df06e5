"""Dividend and vote rights across recoveries, rebinding, freezes and odd cash tokens.

Regression tests of findings 20.6 (a lost key votes), 20.7 (a recovered address rebound),
20.9 (fee-on-transfer cash) and 20.10 (frozen or KYC-expired investors are paid).
"""

import ape
import pytest

from tokenized_stocks.registry_share import ONE, Restriction, Vote
from tokenized_stocks.roles import Country, InvestorClass

REASON = "board resolution 12"
DAY = 24 * 3600
CASH = 10**6  # one unit of the 6-decimal cash token


@pytest.fixture
def recover_alice(funded, transfer_agent, investors, investor_alice, investor_alice_2):
    """Callable: recovers Alice's lost first wallet to her second wallet."""

    def recover():
        return funded.recoveryAddress(
            investor_alice, investor_alice_2, investors["alice"], REASON, sender=transfer_agent
        )

    return recover


@pytest.fixture
def declare(distributor, cash, issuer, transfer_agent):
    """Factory: declares a dividend of `amount` cash on the register as of now; returns its id."""

    def declare(amount: int = 1_500 * CASH, period: int = 30 * DAY, token=None) -> int:
        token = token or cash
        token.mint(transfer_agent, amount, sender=issuer)
        token.approve(distributor, amount, sender=transfer_agent)
        distributor.declareDividend(token, amount, period, REASON, sender=transfer_agent)
        return distributor.dividendCount()

    return declare


@pytest.fixture
def ballot_id(funded, ballot_box, transfer_agent):
    ballot_box.propose("Approve the 2026 accounts", 7 * DAY, sender=transfer_agent)
    return ballot_box.ballotCount()


# -------------------------------------------------------------------------------------------------
# 20.6: after a recovery only the investor's current wallet votes the lost wallet's weight
# -------------------------------------------------------------------------------------------------


def test_a_lost_key_cannot_vote_after_its_wallet_was_recovered(
    ballot_box, ballot_id, recover_alice, investor_alice, investor_alice_2
):
    recover_alice()
    with ape.reverts(
        ballot_box.BallotWalletRecovered,
        ballotId=ballot_id,
        wallet=investor_alice,
        successor=investor_alice_2,
    ):
        ballot_box.castVote(ballot_id, Vote.YES, sender=investor_alice)
    assert ballot_box.tally(ballot_id) == (0, 0, 0, False)


def test_the_recovery_wallet_votes_the_lost_weight_when_the_lost_key_did_not_vote_first(
    ballot_box, ballot_id, recover_alice, investor_alice, investor_alice_2
):
    recover_alice()
    receipt = ballot_box.castVoteFor(ballot_id, investor_alice, Vote.NO, sender=investor_alice_2)
    assert receipt.events == [
        ballot_box.VoteCast(ballot_id, investor_alice, investor_alice_2, Vote.NO, 100 * ONE)
    ]
    assert ballot_box.tally(ballot_id) == (0, 100 * ONE, 0, False)


def test_the_recovery_wallet_replaces_a_vote_the_lost_key_cast_before_the_recovery(
    ballot_box, ballot_id, recover_alice, investor_alice, investor_alice_2
):
    ballot_box.castVote(ballot_id, Vote.YES, sender=investor_alice)
    recover_alice()
    receipt = ballot_box.castVoteFor(ballot_id, investor_alice, Vote.NO, sender=investor_alice_2)
    assert receipt.events == [
        ballot_box.VoteReplaced(ballot_id, investor_alice, investor_alice_2, Vote.YES, Vote.NO, 100 * ONE)
    ]
    assert ballot_box.tally(ballot_id) == (0, 100 * ONE, 0, False)


def test_the_recovery_wallet_replaces_the_lost_keys_vote_only_once(
    ballot_box, ballot_id, recover_alice, investor_alice, investor_alice_2
):
    ballot_box.castVote(ballot_id, Vote.YES, sender=investor_alice)
    recover_alice()
    ballot_box.castVoteFor(ballot_id, investor_alice, Vote.NO, sender=investor_alice_2)
    with ape.reverts(ballot_box.BallotAlreadyVoted, ballotId=ballot_id, wallet=investor_alice):
        ballot_box.castVoteFor(ballot_id, investor_alice, Vote.YES, sender=investor_alice_2)
    assert ballot_box.tally(ballot_id) == (0, 100 * ONE, 0, False)


# -------------------------------------------------------------------------------------------------
# 20.7: a recovered (lost) address never holds the share again, so no right moves investor
# -------------------------------------------------------------------------------------------------


@pytest.fixture
def rebound_to_dave(funded, recover_alice, registry, registrar, investors, investor_alice):
    """Alice's first wallet is recovered, unbound and then bound to Dave by the registrar."""
    recover_alice()
    registry.removeWallet(investor_alice, sender=registrar)
    registry.addWallet(investors["dave"], investor_alice, sender=registrar)
    return investor_alice


def test_a_recovered_address_rebound_to_another_investor_cannot_receive_shares(
    funded, rebound_to_dave, transfer_agent, investor_bob
):
    code = Restriction.RECIPIENT_WALLET_FROZEN
    assert funded.detectTransferRestriction(investor_bob, rebound_to_dave, ONE) == code
    with ape.reverts(funded.ShareTransferRestricted, code=code):
        funded.transfer(rebound_to_dave, ONE, sender=investor_bob)
    with ape.reverts(funded.ShareTransferRestricted, code=code):
        funded.issue(rebound_to_dave, ONE, REASON, sender=transfer_agent)
    with ape.reverts(funded.ShareTransferRestricted, code=code):
        funded.forcedTransfer(investor_bob, rebound_to_dave, ONE, REASON, sender=transfer_agent)
    assert funded.balanceOf(rebound_to_dave) == 0


def test_a_recovered_address_still_bound_to_its_investor_cannot_receive_shares(
    funded, recover_alice, investor_alice, investor_bob
):
    recover_alice()
    with ape.reverts(funded.ShareTransferRestricted, code=Restriction.RECIPIENT_WALLET_FROZEN):
        funded.transfer(investor_alice, ONE, sender=investor_bob)


def test_after_rebinding_the_old_investors_rights_stay_with_the_old_investor(
    funded,
    distributor,
    ballot_box,
    declare,
    cash,
    transfer_agent,
    rebound_to_dave,
    investors,
    investor_alice_2,
    investor_bob,
):
    dividend_id = declare()
    ballot_box.propose("Approve the 2026 accounts", 7 * DAY, sender=transfer_agent)
    ballot = ballot_box.ballotCount()
    # The rebound address held nothing at the record date: neither it nor Alice's wallet gets its part.
    assert distributor.claimable(dividend_id, rebound_to_dave) == 0
    assert ballot_box.votingPower(ballot, rebound_to_dave) == 0
    # Alice (through her recovered wallet) is paid and votes her 100 shares; Bob his 50; Dave nothing.
    assert distributor.claimable(dividend_id, investor_alice_2) == 1_000 * CASH
    assert distributor.claimable(dividend_id, investor_bob) == 500 * CASH
    assert funded.investorUnits(investors["dave"]) == 0
    assert funded.investorUnits(investors["alice"]) == 100 * ONE


def test_a_recovered_address_rebound_cannot_vote_or_collect_its_old_record_date_rights(
    funded, distributor, ballot_box, declare, cash, transfer_agent, recover_alice,
    registry, registrar, investors, investor_alice, investor_alice_2,
):  # fmt: skip
    dividend_id = declare()
    ballot_box.propose("Approve the 2026 accounts", 7 * DAY, sender=transfer_agent)
    ballot = ballot_box.ballotCount()
    recover_alice()
    registry.removeWallet(investor_alice, sender=registrar)
    registry.addWallet(investors["dave"], investor_alice, sender=registrar)
    # Dave now controls the address: he can neither vote nor collect Alice's record-date rights.
    with ape.reverts(ballot_box.BallotWalletRecovered, ballotId=ballot, wallet=investor_alice):
        ballot_box.castVote(ballot, Vote.YES, sender=investor_alice)
    receipt = distributor.claim(dividend_id, investor_alice, sender=investor_alice)
    assert receipt.events.filter(distributor.DividendClaimed) == [
        distributor.DividendClaimed(dividend_id, investor_alice, investor_alice_2, 1_000 * CASH)
    ]
    assert cash.balanceOf(investor_alice) == 0
