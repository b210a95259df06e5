"""Dividend and vote rights across recoveries, rebinding, freezes and odd cash tokens.

Regression tests of findings 20.6 (a lost key votes), 20.7 (a recovered address rebound),
20.9 (fee-on-transfer cash) and 20.10 (frozen or KYC-expired investors are paid).
"""

import pytest
from revert_data import reverts

from tokenized_stocks.protocol.enums import Restriction, Vote
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.protocol.roles import Country, InvestorClass

REASON = "board resolution 12"
DAY = 24 * 3600
CASH = 10**6  # one unit of the 6-decimal cash token


@pytest.fixture(scope="module")
def funded(funded_once):
    """Every test of this module starts from these balances: set up once per module."""
    return funded_once


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
    with reverts(
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
    with reverts(ballot_box.BallotAlreadyVoted, ballotId=ballot_id, wallet=investor_alice):
        ballot_box.castVoteFor(ballot_id, investor_alice, Vote.YES, sender=investor_alice_2)
    assert ballot_box.tally(ballot_id) == (0, 100 * ONE, 0, False)


@pytest.fixture(scope="session")
def investor_alice_3(accounts):
    """A third wallet of Alice's (bound only by the test that needs it)."""
    return accounts[17]


def test_after_two_recoveries_only_the_last_wallet_votes_each_lost_weight(
    funded, ballot_box, ballot_id, recover_alice, registry, registrar, transfer_agent, investors,
    investor_alice, investor_alice_2, investor_alice_3,
):  # fmt: skip
    recover_alice()
    registry.addWallet(investors["alice"], investor_alice_3, sender=registrar)
    funded.recoveryAddress(
        investor_alice_2, investor_alice_3, investors["alice"], REASON, sender=transfer_agent
    )
    # The middle wallet's key is lost too: it votes neither its predecessor's weight nor its own.
    with reverts(ballot_box.BallotNotSuccessor, wallet=investor_alice, caller=investor_alice_2):
        ballot_box.castVoteFor(ballot_id, investor_alice, Vote.YES, sender=investor_alice_2)
    with reverts(
        ballot_box.BallotWalletRecovered,
        ballotId=ballot_id,
        wallet=investor_alice_2,
        successor=investor_alice_3,
    ):
        ballot_box.castVote(ballot_id, Vote.YES, sender=investor_alice_2)
    ballot_box.castVoteFor(ballot_id, investor_alice, Vote.NO, sender=investor_alice_3)
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
    with reverts(funded.ShareTransferRestricted, code=code):
        funded.transfer(rebound_to_dave, ONE, sender=investor_bob)
    with reverts(funded.ShareTransferRestricted, code=code):
        funded.issue(rebound_to_dave, ONE, REASON, sender=transfer_agent)
    with reverts(funded.ShareTransferRestricted, code=code):
        funded.forcedTransfer(investor_bob, rebound_to_dave, ONE, REASON, sender=transfer_agent)
    assert funded.balanceOf(rebound_to_dave) == 0


def test_a_recovered_address_still_bound_to_its_investor_cannot_receive_shares(
    funded, recover_alice, investor_alice, investor_bob
):
    recover_alice()
    with reverts(funded.ShareTransferRestricted, code=Restriction.RECIPIENT_WALLET_FROZEN):
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
    assert funded.investorBalance(investors["dave"]) == 0
    assert funded.investorBalance(investors["alice"]) == 100 * ONE


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
    with reverts(ballot_box.BallotWalletRecovered, ballotId=ballot, wallet=investor_alice):
        ballot_box.castVote(ballot, Vote.YES, sender=investor_alice)
    receipt = distributor.claim(dividend_id, investor_alice, sender=investor_alice)
    assert receipt.events.filter(distributor.DividendClaimed) == [
        distributor.DividendClaimed(dividend_id, investor_alice, investor_alice_2, 1_000 * CASH)
    ]
    assert cash.balanceOf(investor_alice) == 0


# -------------------------------------------------------------------------------------------------
# 20.9: the escrow is what arrived, not what was asked
# -------------------------------------------------------------------------------------------------


@pytest.fixture
def fee_cash(project, issuer):
    return issuer.deploy(project.FeeOnTransferStablecoin)


def test_a_fee_on_transfer_dividend_records_the_cash_that_arrived(
    funded, distributor, declare, fee_cash, transfer_agent
):
    fee_cash.mint(transfer_agent, 1_500 * CASH, sender=transfer_agent)
    fee_cash.approve(distributor, 1_500 * CASH, sender=transfer_agent)
    receipt = distributor.declareDividend(fee_cash, 1_500 * CASH, 30 * DAY, REASON, sender=transfer_agent)
    arrived = 1_500 * CASH - 15 * CASH
    declared = receipt.events.filter(distributor.DividendDeclared)[0]
    assert declared.amount == arrived
    assert distributor.dividend(1).amount == arrived
    assert fee_cash.balanceOf(distributor) == arrived


def test_fee_on_transfer_dividends_never_pay_one_out_of_anothers_escrow(
    funded, distributor, declare, fee_cash, cash, investor_alice, investor_bob
):
    first = declare(token=fee_cash)
    second = declare(token=fee_cash)
    for dividend_id in (first, second):
        distributor.claim(dividend_id, investor_alice, sender=investor_alice)
        distributor.claim(dividend_id, investor_bob, sender=investor_bob)
        record = distributor.dividend(dividend_id)
        assert record.claimed <= record.amount
    # Every claim of both dividends was paid, and the distributor keeps only rounding dust.
    assert fee_cash.balanceOf(distributor) < 10


# -------------------------------------------------------------------------------------------------
# 20.10: frozen or KYC-expired investors: withheld, paid once lifted, never reclaimed
# -------------------------------------------------------------------------------------------------


def test_a_frozen_investors_claim_is_refused_while_frozen(
    funded, distributor, declare, registry, registrar, investors, investor_bob
):
    dividend_id = declare()
    registry.setInvestorFrozen(investors["bob"], True, sender=registrar)
    with reverts(distributor.DividendInvestorFrozen, payee=investor_bob, investorId=investors["bob"]):
        distributor.claim(dividend_id, investor_bob, sender=investor_bob)


def test_a_kyc_expired_investors_claim_is_refused_until_renewed(
    funded, distributor, declare, chain, registry, registrar, kyc_expiry, investors, investor_bob
):
    expiry = chain.pending_timestamp + DAY
    registry.updateInvestor(investors["bob"], Country.US, InvestorClass.ACCREDITED, expiry, sender=registrar)
    dividend_id = declare()
    chain.pending_timestamp += DAY + 1
    with reverts(distributor.DividendKycExpired, payee=investor_bob, kycExpiry=expiry):
        distributor.claim(dividend_id, investor_bob, sender=investor_bob)
    registry.updateInvestor(
        investors["bob"], Country.US, InvestorClass.ACCREDITED, kyc_expiry(), sender=registrar
    )
    assert distributor.claim(dividend_id, investor_bob, sender=investor_bob).return_value == 500 * CASH


def test_a_withheld_entitlement_is_paid_after_the_deadline_once_lifted(
    funded, distributor, declare, cash, chain, registry, registrar, investors, investor_bob
):
    dividend_id = declare(period=DAY)
    registry.setInvestorFrozen(investors["bob"], True, sender=registrar)
    receipt = distributor.withhold(dividend_id, investor_bob, sender=investor_bob)
    assert receipt.events == [
        distributor.DividendWithheld(dividend_id, investor_bob, investor_bob, 500 * CASH)
    ]
    chain.pending_timestamp += DAY + 1
    registry.setInvestorFrozen(investors["bob"], False, sender=registrar)
    receipt = distributor.claim(dividend_id, investor_bob, sender=investor_bob)
    assert receipt.events.filter(distributor.DividendClaimed) == [
        distributor.DividendClaimed(dividend_id, investor_bob, investor_bob, 500 * CASH)
    ]
    assert cash.balanceOf(investor_bob) == 500 * CASH


def test_reclaim_leaves_the_withheld_cash_in_escrow(
    funded, distributor, declare, cash, chain, issuer, transfer_agent, registry, registrar, investors,
    investor_bob,
):  # fmt: skip
    dividend_id = declare(period=DAY)
    registry.setInvestorFrozen(investors["bob"], True, sender=registrar)
    distributor.withhold(dividend_id, investor_bob, sender=transfer_agent)
    chain.pending_timestamp += DAY + 1
    receipt = distributor.reclaim(dividend_id, issuer, sender=transfer_agent)
    assert receipt.events.filter(distributor.DividendReclaimed) == [
        distributor.DividendReclaimed(dividend_id, issuer, 1_000 * CASH)
    ]
    assert cash.balanceOf(distributor) == 500 * CASH
    registry.setInvestorFrozen(investors["bob"], False, sender=registrar)
    distributor.claim(dividend_id, investor_bob, sender=investor_bob)
    assert cash.balanceOf(investor_bob) == 500 * CASH
    assert cash.balanceOf(distributor) == 0


def test_only_an_ineligible_holders_entitlement_can_be_withheld(
    funded, distributor, declare, investor_bob, outsider
):
    dividend_id = declare()
    with reverts(distributor.DividendNotWithholdable, dividendId=dividend_id, wallet=investor_bob):
        distributor.withhold(dividend_id, investor_bob, sender=outsider)


def test_an_entitlement_not_withheld_expires_at_the_deadline(
    funded, distributor, declare, chain, registry, registrar, investors, investor_bob
):
    dividend_id = declare(period=DAY)
    registry.setInvestorFrozen(investors["bob"], True, sender=registrar)
    chain.pending_timestamp += DAY + 1
    registry.setInvestorFrozen(investors["bob"], False, sender=registrar)
    with reverts(distributor.DividendClaimPeriodOver, dividendId=dividend_id):
        distributor.claim(dividend_id, investor_bob, sender=investor_bob)
