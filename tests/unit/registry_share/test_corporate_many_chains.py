"""One security on many chains: one record date, one rate, every unit paid and voted once (20.5).

Both chains live on one anvil: the "home" share has this chain as its home, the "remote" share
another chain id. Each share's gateway is a forwarding mock played by the tests: a transfer
message is a burn on one share and, on the other, a mint followed by `creditInFlight` with the
epoch the message was sent at (what the gateway wires for every delivery).
"""

from __future__ import annotations

import pytest
from revert_data import reverts

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.enums import Vote
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.protocol.roles import SNAPSHOT_ROLE, TRANSFER_AGENT_ROLE

REASON = "board resolution 12"
DAY = 24 * 3600
CASH = 10**6
RATE_SCALE = 10**36


@pytest.fixture
def home_gateway(project, issuer, share):
    gateway = issuer.deploy(project.MockRecordGateway)
    share.setGateway(gateway, sender=issuer)
    return gateway


@pytest.fixture
def remote(deploy_share, registry, issuer, home_gateway):
    """The same security on another chain (home chain id 1), its gateway played by a mock."""
    remote = deploy_share(registry, home_chain_id=1)
    remote.setGateway(home_gateway, sender=issuer)
    return remote


@pytest.fixture
def remote_distributor(project, remote, issuer, transfer_agent):
    contract = deploy_behind_proxy(project, issuer, project.DividendDistributor, issuer, remote)
    contract.grantRole(TRANSFER_AGENT_ROLE, transfer_agent, sender=issuer)
    remote.grantRole(SNAPSHOT_ROLE, contract, sender=issuer)
    return contract


@pytest.fixture
def bridge(share, remote, home_gateway, issuer):
    """Messages between the two shares, sent and delivered by hand (units, epoch at sending)."""

    class Bridge:
        def send(self, source, holder, units: int) -> int:
            """Burns on `source`; returns the epoch the message carries."""
            epoch = source.corporateActionEpoch()
            self._call(source, source.crosschainBurnUnits.encode_input(holder, units))
            if source == share:
                self._elsewhere(+units)
            return epoch

        def deliver(self, destination, recipient, units: int, sent_epoch: int):
            """The gateway's delivery: credits the in-flight units (refused while the destination
            has not reached `sent_epoch`, so the message waits), then mints."""
            receipt = self._call(
                destination, destination.creditInFlight.encode_input(recipient, units, sent_epoch)
            )
            self._call(destination, destination.crosschainMintUnits.encode_input(recipient, units))
            if destination == share:
                self._elsewhere(-units)
            return receipt

        def sync(self, epoch: int) -> None:
            """The gateway delivers the home chain's broadcast of `epoch` to the remote share."""
            self._call(remote, remote.syncCorporateAction.encode_input(epoch, ONE))

        def _elsewhere(self, delta: int) -> None:
            asset_id = share.assetId()
            home_gateway.setSupplyElsewhere(
                asset_id, home_gateway.supplyElsewhere(asset_id) + delta, sender=issuer
            )

        def _call(self, target, data):
            return home_gateway.forward(target, data, sender=issuer)

    return Bridge()


@pytest.fixture
def two_chains(funded, remote, bridge, investor_bob):
    """Alice holds 100 on the home chain; Bob bridged his 50 to the remote chain."""
    epoch = bridge.send(funded, investor_bob, 50 * ONE)
    bridge.deliver(remote, investor_bob, 50 * ONE, epoch)
    return funded


@pytest.fixture
def declare_home(distributor, cash, issuer, transfer_agent):
    def declare(amount: int = 1_500 * CASH) -> int:
        cash.mint(transfer_agent, amount, sender=issuer)
        cash.approve(distributor, amount, sender=transfer_agent)
        distributor.declareDividend(cash, amount, 30 * DAY, REASON, sender=transfer_agent)
        return distributor.dividendCount()

    return declare


@pytest.fixture
def declare_remote(remote_distributor, cash, issuer, transfer_agent, distributor):
    """Mirrors home dividend `home_id` on the remote chain at the same epoch and rate."""

    def declare(home_id: int, amount: int = 1_500 * CASH) -> int:
        home = distributor.dividend(home_id)
        cash.mint(transfer_agent, amount, sender=issuer)
        cash.approve(remote_distributor, amount, sender=transfer_agent)
        remote_distributor.declareRemoteDividend(
            cash, home.recordEpoch, home.rate, amount, 30 * DAY, REASON, sender=transfer_agent
        )
        return remote_distributor.dividendCount()

    return declare


# -------------------------------------------------------------------------------------------------
# Dividends
# -------------------------------------------------------------------------------------------------


def test_the_home_dividend_rate_counts_the_units_on_every_chain(
    two_chains, distributor, declare_home, investor_alice, investor_bob
):
    dividend_id = declare_home()
    record = distributor.dividend(dividend_id)
    assert (record.totalUnits, record.recordEpoch) == (150 * ONE, 1)
    assert record.rate == 1_500 * CASH * RATE_SCALE // (150 * ONE)
    assert distributor.claimable(dividend_id, investor_alice) == 1_000 * CASH
    assert distributor.claimable(dividend_id, investor_bob) == 0


def test_the_record_date_is_a_corporate_action_the_gateway_broadcasts(two_chains, distributor, declare_home):
    declare_home()
    assert two_chains.corporateActionEpoch() == 1
    assert two_chains.recordSnapshotOf(1) == two_chains.currentSnapshotId()


def test_a_remote_dividend_before_the_record_point_reached_the_chain_is_refused(
    two_chains, remote_distributor, declare_home, cash, transfer_agent
):
    declare_home()
    cash.mint(transfer_agent, CASH, sender=transfer_agent)
    cash.approve(remote_distributor, CASH, sender=transfer_agent)
    with reverts(remote_distributor.DividendRecordPointNotReached, epoch=1):
        remote_distributor.declareRemoteDividend(cash, 1, 1, CASH, DAY, REASON, sender=transfer_agent)


def test_the_remote_chain_pays_the_same_rate_at_its_record_point(
    two_chains, remote_distributor, declare_home, declare_remote, bridge, cash, investor_bob
):
    home_id = declare_home()
    bridge.sync(1)
    remote_id = declare_remote(home_id)
    remote_distributor.claim(remote_id, investor_bob, sender=investor_bob)
    assert cash.balanceOf(investor_bob) == 500 * CASH


def test_a_holder_bridging_after_the_record_date_is_paid_once(
    two_chains, remote, distributor, remote_distributor, declare_home, declare_remote, bridge, investor_alice
):
    home_id = declare_home()
    sent_epoch = bridge.send(two_chains, investor_alice, 40 * ONE)
    assert sent_epoch == 1
    # The remote chain has not reached the record date: the gateway must hold the message back.
    with reverts(remote.ShareRecordPointNotReached, sentEpoch=1, currentEpoch=0):
        bridge.deliver(remote, investor_alice, 40 * ONE, sent_epoch)
    bridge.sync(1)
    bridge.deliver(remote, investor_alice, 40 * ONE, sent_epoch)
    remote_id = declare_remote(home_id)
    assert distributor.claimable(home_id, investor_alice) == 1_000 * CASH
    assert remote_distributor.claimable(remote_id, investor_alice) == 0


def test_units_in_flight_across_the_record_date_are_paid_once_where_delivered(
    two_chains, remote, distributor, remote_distributor, declare_home, declare_remote, bridge, investor_bob
):
    sent_epoch = bridge.send(remote, investor_bob, 20 * ONE)  # in flight to the home chain
    home_id = declare_home()
    bridge.sync(1)
    receipt = bridge.deliver(two_chains, investor_bob, 20 * ONE, sent_epoch)
    assert receipt.events.filter(two_chains.InFlightCredited) == [
        two_chains.InFlightCredited(investor_bob, 20 * ONE, 0, 1)
    ]
    remote_id = declare_remote(home_id)
    assert distributor.claimable(home_id, investor_bob) == 200 * CASH
    assert remote_distributor.claimable(remote_id, investor_bob) == 300 * CASH


def test_units_delivered_after_a_claim_are_paid_by_a_later_claim(
    two_chains, remote, distributor, declare_home, bridge, cash, investor_bob
):
    sent_epoch = bridge.send(remote, investor_bob, 20 * ONE)
    home_id = declare_home()
    with reverts(distributor.DividendNothingToClaim, dividendId=home_id, wallet=investor_bob):
        distributor.claim(home_id, investor_bob, sender=investor_bob)
    bridge.sync(1)
    bridge.deliver(two_chains, investor_bob, 20 * ONE, sent_epoch)
    distributor.claim(home_id, investor_bob, sender=investor_bob)
    assert cash.balanceOf(investor_bob) == 200 * CASH


def test_a_remote_claim_beyond_the_escrow_waits_for_funding(
    two_chains, remote_distributor, declare_home, declare_remote, bridge, cash, transfer_agent, investor_bob
):
    home_id = declare_home()
    bridge.sync(1)
    remote_id = declare_remote(home_id, amount=100 * CASH)
    with reverts(remote_distributor.DividendEscrowShort, dividendId=remote_id, needed=500 * CASH):
        remote_distributor.claim(remote_id, investor_bob, sender=investor_bob)
    cash.mint(transfer_agent, 400 * CASH, sender=transfer_agent)
    cash.approve(remote_distributor, 400 * CASH, sender=transfer_agent)
    receipt = remote_distributor.fund(remote_id, 400 * CASH, sender=transfer_agent)
    assert receipt.events.filter(remote_distributor.DividendFunded) == [
        remote_distributor.DividendFunded(remote_id, 400 * CASH)
    ]
    remote_distributor.claim(remote_id, investor_bob, sender=investor_bob)
    assert cash.balanceOf(investor_bob) == 500 * CASH


def test_a_dividend_is_declared_on_the_home_chain_only(remote, remote_distributor, cash, transfer_agent):
    with reverts(remote_distributor.DividendWrongChain, homeChainId=1):
        remote_distributor.declareDividend(cash, CASH, DAY, REASON, sender=transfer_agent)


def test_only_the_gateway_credits_units_in_flight(two_chains, outsider, investor_bob):
    with reverts(two_chains.AssetUnauthorizedGateway, caller=outsider):
        two_chains.creditInFlight(investor_bob, ONE, 0, sender=outsider)


def test_only_the_transfer_agent_declares_remote_dividends_and_funds(remote_distributor, cash, outsider):
    with reverts(remote_distributor.AccessControlUnauthorizedAccount, account=outsider):
        remote_distributor.declareRemoteDividend(cash, 1, 1, CASH, DAY, REASON, sender=outsider)
    with reverts(remote_distributor.AccessControlUnauthorizedAccount, account=outsider):
        remote_distributor.fund(1, CASH, sender=outsider)


# -------------------------------------------------------------------------------------------------
# Ballots
# -------------------------------------------------------------------------------------------------


@pytest.fixture
def remote_ballot_box(project, remote, issuer, transfer_agent):
    contract = deploy_behind_proxy(project, issuer, project.BallotBox, issuer, remote)
    contract.grantRole(TRANSFER_AGENT_ROLE, transfer_agent, sender=issuer)
    return contract


def test_a_ballot_counts_every_unit_once_across_chains(
    two_chains, remote, ballot_box, remote_ballot_box, bridge, transfer_agent, investor_alice, investor_bob
):
    sent_epoch = bridge.send(remote, investor_bob, 20 * ONE)  # in flight to the home chain
    ballot_box.propose("Approve the 2026 accounts", 7 * DAY, sender=transfer_agent)
    home_ballot = ballot_box.ballotCount()
    epoch = ballot_box.ballot(home_ballot).recordEpoch
    bridge.sync(epoch)
    bridge.deliver(two_chains, investor_bob, 20 * ONE, sent_epoch)
    remote_ballot_box.openRemote("Approve the 2026 accounts", epoch, ONE, 7 * DAY, sender=transfer_agent)
    remote_ballot = remote_ballot_box.ballotCount()
    ballot_box.castVote(home_ballot, Vote.YES, sender=investor_alice)
    ballot_box.castVote(home_ballot, Vote.NO, sender=investor_bob)
    remote_ballot_box.castVote(remote_ballot, Vote.NO, sender=investor_bob)
    home_tally, remote_tally = ballot_box.tally(home_ballot), remote_ballot_box.tally(remote_ballot)
    assert home_tally[:3] == (100 * ONE, 20 * ONE, 0)
    assert remote_tally[:3] == (0, 30 * ONE, 0)


def test_a_ballot_is_proposed_on_the_home_chain_only(remote_ballot_box, transfer_agent):
    with reverts(remote_ballot_box.BallotWrongChain, homeChainId=1):
        remote_ballot_box.propose("x", DAY, sender=transfer_agent)


def test_a_remote_ballot_before_the_record_point_reached_the_chain_is_refused(
    remote_ballot_box, transfer_agent
):
    with reverts(remote_ballot_box.BallotRecordPointNotReached, epoch=1):
        remote_ballot_box.openRemote("x", 1, ONE, DAY, sender=transfer_agent)
