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
