"""Record dates belong to the security, not to a chain (issue 20.5): the gateway's side.

For an asset with record points (ERC-165 `IRecordPoints`, detected at registration: the registry
share), a Transfer is delivered only once this chain has reached the epoch it was sent at (its units
were counted at the source for every record point up to that epoch), and units minted by a Transfer,
a Return or a released held refund are credited at the record points they were in flight across.
Assets without record points are delivered as before.
"""

import pytest
from eth_utils import keccak
from revert_data import reverts

from tokenized_stocks.devtools.bridge import (
    deploy_gateway,
    identity_params,
    link_gateway,
    local_signer,
    register_asset,
)
from tokenized_stocks.protocol.identity import asset_id as derive_asset_id
from tokenized_stocks.protocol.message import MessageKind, attest
from tokenized_stocks.protocol.roles import Architecture

from .conftest import CHAIN_A, CHAIN_B, ISIN, REMOTE_GATEWAY

#: ERC-165 id of IRecordPoints: its one function's selector.
RECORD_POINTS_ID = keccak(text="creditInFlight(address,uint256,uint64)")[:4]

SPLIT_1_1 = 10**18  # a record date: a new epoch, multiplier unchanged
SANCTIONED = 9


@pytest.fixture(scope="module")
def token(project, issuer):
    """The gateway fixture registers this asset: home chain A, with record points."""
    params = identity_params(derive_asset_id(ISIN), ISIN, "AAPL", Architecture.REGISTRY_SHARE, CHAIN_A)
    return issuer.deploy(project.MockRecordPointsAsset, issuer, params)


@pytest.fixture
def record_date(token, issuer):
    """Opens a record date on the home chain (epoch 0 -> 1)."""

    def open_() -> None:
        token.split(SPLIT_1_1, sender=issuer)

    return open_


@pytest.fixture
def refund_of(inbound):
    def make(units: int = 500, nonce: int = 0, **changes):
        return inbound(nonce=nonce, units=units, **changes).with_(
            kind=MessageKind.RETURN, ref=b"\x01" * 32, expiry=2**64 - 1
        )

    return make


def test_the_asset_advertises_record_points_through_erc165(token):
    assert token.supportsInterface(RECORD_POINTS_ID) is True


def test_a_transfer_sent_at_an_epoch_this_chain_has_not_reached_waits(
    gateway, inbound, sign, relayer, seed_supply_elsewhere, asset_id
):
    seed_supply_elsewhere(500)
    message = inbound(units=100, corporate_action_epoch=1)
    with reverts(gateway.GatewayCorporateActionPending, assetId=asset_id, messageEpoch=1, localEpoch=0):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)


def test_a_transfer_sent_before_a_record_date_is_credited_in_flight(
    gateway, token, inbound, sign, relayer, seed_supply_elsewhere, record_date, investor_alice
):
    seed_supply_elsewhere(500)
    record_date()
    message = inbound(units=100, corporate_action_epoch=0)
    receipt = gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    assert receipt.decode_logs(token.InFlightCredited)[0].event_arguments == {
        "to": investor_alice.address,
        "units": 100,
        "sentEpoch": 0,
        "epoch": 1,
    }
    assert token.creditedInFlight(investor_alice) == 100


def test_a_transfer_sent_at_the_current_epoch_is_not_credited(
    gateway, token, inbound, sign, relayer, seed_supply_elsewhere, investor_alice
):
    seed_supply_elsewhere(500)
    message = inbound(units=100, corporate_action_epoch=0)
    receipt = gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    assert receipt.decode_logs(token.InFlightCredited) == []
    assert token.creditedInFlight(investor_alice) == 0
    assert token.unitsOf(investor_alice) == 600  # 1,000 - 500 bridged + 100 delivered


def test_a_refund_across_a_record_date_is_credited_to_the_refunded_holder(
    gateway, token, refund_of, sign, relayer, seed_supply_elsewhere, record_date, investor_alice
):
    seed_supply_elsewhere(500)  # sent at epoch 0
    record_date()
    refund = refund_of(500, corporate_action_epoch=0)
    receipt = gateway.receiveMessage(refund.as_tuple(), sign(refund), sender=relayer)
    assert [log.event_arguments for log in receipt.decode_logs(token.InFlightCredited)] == [
        {"to": investor_alice.address, "units": 500, "sentEpoch": 0, "epoch": 1}
    ]


def test_a_held_refund_released_after_a_record_date_is_credited_once(
    gateway, token, refund_of, sign, relayer, issuer, seed_supply_elsewhere, record_date, investor_alice
):
    seed_supply_elsewhere(500)
    token.setRestriction(investor_alice, SANCTIONED, sender=issuer)
    refund = refund_of(500, corporate_action_epoch=0)
    receipt = gateway.receiveMessage(refund.as_tuple(), sign(refund), sender=relayer)
    assert receipt.decode_logs(token.InFlightCredited) == []  # held: nothing minted yet
    record_date()
    token.setRestriction(investor_alice, 0, sender=issuer)
    receipt = gateway.releaseHeldRefund(refund.id, sender=relayer)
    assert [log.event_arguments for log in receipt.decode_logs(token.InFlightCredited)] == [
        {"to": investor_alice.address, "units": 500, "sentEpoch": 0, "epoch": 1}
    ]
    assert token.creditedInFlight(investor_alice) == 500


def test_an_asset_without_record_points_is_delivered_whatever_the_epoch(
    project, issuer, operators, inbound, relayer, investor_alice
):
    params = identity_params(derive_asset_id(ISIN), ISIN, "AAPL", Architecture.TRACKER_CERTIFICATE, CHAIN_B)
    plain = issuer.deploy(project.MockCrosschainAsset, issuer, params)
    gw = deploy_gateway(project, issuer, operators, 2)
    link_gateway(gw, issuer, CHAIN_B, REMOTE_GATEWAY)
    register_asset(gw, issuer, plain)
    message = inbound(units=100, corporate_action_epoch=3).with_(dst_gateway=gw.address)
    signatures = attest(message, REMOTE_GATEWAY, gw.address, [local_signer(op) for op in operators[:2]])
    gw.receiveMessage(message.as_tuple(), signatures, sender=relayer)
    assert plain.unitsOf(investor_alice) == 100
