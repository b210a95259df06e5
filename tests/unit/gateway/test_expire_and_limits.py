"""Expiry (mark Expired after the deadline, emit a Return) and per-direction token buckets."""

import pytest
from revert_data import reverts

from tokenized_stocks.protocol.message import Message, MessageKind, MessageState

from .conftest import CHAIN_A, CHAIN_B, HOUR, REMOTE_GATEWAY

CHAIN_C = 31339


def test_after_expiry_anyone_marks_the_message_expired_and_a_return_is_sent(
    gateway, inbound, sign, outsider, chain, investor_alice, investor_bob
):
    message = inbound(units=100)
    chain.pending_timestamp = message.expiry + 1
    receipt = gateway.expire(message.as_tuple(), sign(message), sender=outsider)
    [sent] = receipt.decode_logs(gateway.MessageSent)
    returned = Message.from_values(sent.message)
    assert returned == Message(
        2,
        MessageKind.RETURN,
        CHAIN_A,
        CHAIN_B,
        gateway.address,
        REMOTE_GATEWAY,
        0,
        message.asset_id,
        investor_alice.address,
        investor_bob.address,
        100,
        0,
        2**64 - 1,
        message.id,
    )
    assert receipt.decode_logs(gateway.MessageExpired)[0].event_arguments == {
        "messageId": message.id,
        "returnId": returned.id,
    }
    assert gateway.inboundState(CHAIN_B, 0) == MessageState.EXPIRED


def test_an_expired_message_can_no_longer_be_delivered(gateway, inbound, sign, relayer, chain):
    message = inbound()
    chain.pending_timestamp = message.expiry + 1
    gateway.expire(message.as_tuple(), sign(message), sender=relayer)
    with reverts(gateway.GatewayMessageAlreadyProcessed, state=MessageState.EXPIRED):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)


def test_a_message_cannot_be_expired_before_its_expiry(gateway, inbound, sign, relayer):
    message = inbound()
    with reverts(gateway.GatewayMessageNotExpired, messageId=message.id, expiry=message.expiry):
        gateway.expire(message.as_tuple(), sign(message), sender=relayer)


def test_a_delivered_message_cannot_be_expired(gateway, inbound, sign, relayer, chain, seed_supply_elsewhere):
    seed_supply_elsewhere()
    message = inbound()
    gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    chain.pending_timestamp = message.expiry + 1
    with reverts(gateway.GatewayMessageAlreadyProcessed, state=MessageState.DELIVERED):
        gateway.expire(message.as_tuple(), sign(message), sender=relayer)


def test_expire_requires_a_valid_attestation(gateway, inbound, sign, signers, relayer, chain):
    message = inbound()
    chain.pending_timestamp = message.expiry + 1
    with reverts(gateway.GatewayBelowThreshold, signatures=1, threshold=2):
        gateway.expire(message.as_tuple(), sign(message, who=[signers[0]]), sender=relayer)


def test_a_return_cannot_be_expired(gateway, inbound, sign, relayer, chain):
    refund = inbound(kind=MessageKind.RETURN)
    chain.pending_timestamp = refund.expiry + 1
    with reverts(gateway.GatewayNotExpirable, messageId=refund.id, kind=MessageKind.RETURN):
        gateway.expire(refund.as_tuple(), sign(refund), sender=relayer)


def test_inbound_rate_limit_refuses_above_the_bucket(
    gateway, token, inbound, sign, issuer, relayer, asset_id, seed_supply_elsewhere, investor_alice
):
    seed_supply_elsewhere()
    gateway.setRateLimit(asset_id, True, 150, 1, sender=issuer)
    gateway.receiveMessage(inbound(0, 100).as_tuple(), sign(inbound(0, 100)), sender=relayer)
    message = inbound(1, 100)
    with reverts(gateway.GatewayRateLimited, assetId=asset_id, inbound=True, units=100):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    assert token.unitsOf(investor_alice) == 600


def test_inbound_bucket_refills_over_time(
    gateway, inbound, sign, issuer, relayer, asset_id, chain, seed_supply_elsewhere
):
    seed_supply_elsewhere()
    gateway.setRateLimit(asset_id, True, 100, 10, sender=issuer)
    gateway.receiveMessage(inbound(0, 100).as_tuple(), sign(inbound(0, 100)), sender=relayer)
    chain.pending_timestamp += 10
    message = inbound(1, 100)
    gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    assert gateway.inboundState(CHAIN_B, 1) == MessageState.DELIVERED


def test_outbound_rate_limit_refuses_above_the_bucket(
    gateway, funded, issuer, asset_id, investor_alice, investor_bob, chain
):
    gateway.setRateLimit(asset_id, False, 50, 0, sender=issuer)
    with reverts(gateway.GatewayRateLimited, assetId=asset_id, inbound=False, units=51, available=50):
        gateway.send(
            asset_id, CHAIN_B, investor_bob, 51, chain.pending_timestamp + HOUR, sender=investor_alice
        )
    assert funded.unitsOf(investor_alice) == 1_000


def test_expire_is_refused_while_paused(gateway, inbound, sign, guardian, relayer, chain):
    message = inbound()
    chain.pending_timestamp = message.expiry + 1
    gateway.pause(sender=guardian)
    with reverts(gateway.EnforcedPause):
        gateway.expire(message.as_tuple(), sign(message), sender=relayer)


# --- 20.2: a Return is never blocked by the inbound rate limit, and stays bounded --------------


def test_a_return_larger_than_the_inbound_bucket_is_delivered(
    gateway, token, inbound, sign, issuer, relayer, asset_id, seed_supply_elsewhere, investor_alice
):
    seed_supply_elsewhere(500)
    gateway.setRateLimit(asset_id, True, 100, 1, sender=issuer)
    refund = inbound(units=500).with_(kind=MessageKind.RETURN, ref=b"\x01" * 32, expiry=2**64 - 1)
    gateway.receiveMessage(refund.as_tuple(), sign(refund), sender=relayer)
    assert token.unitsOf(investor_alice) == 1_000
    assert gateway.rateLimitAvailable(asset_id, True) == 0  # it took what was there


def test_a_return_is_delivered_after_others_drained_the_bucket(
    gateway, token, inbound, sign, issuer, relayer, asset_id, seed_supply_elsewhere, investor_alice
):
    seed_supply_elsewhere(500)
    gateway.setRateLimit(asset_id, True, 100, 0, sender=issuer)
    drain = inbound(nonce=0, units=100)  # an attacker's small transfer takes the whole bucket
    gateway.receiveMessage(drain.as_tuple(), sign(drain), sender=relayer)
    refund = inbound(nonce=1, units=50).with_(kind=MessageKind.RETURN, ref=b"\x01" * 32)
    gateway.receiveMessage(refund.as_tuple(), sign(refund), sender=relayer)
    assert gateway.inboundState(CHAIN_B, 1) == MessageState.DELIVERED
    assert token.unitsOf(investor_alice) == 650


def test_a_return_on_the_home_chain_cannot_mint_more_than_left_it(
    gateway, inbound, sign, relayer, asset_id, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    refund = inbound(units=501).with_(kind=MessageKind.RETURN, ref=b"\x01" * 32)
    with reverts(gateway.GatewaySupplyUnderflow, assetId=asset_id, units=501, supplyElsewhere=500):
        gateway.receiveMessage(refund.as_tuple(), sign(refund), sender=relayer)


@pytest.fixture
def remote_chain_gateway(project, issuer, operators, make_asset, investor_alice):
    """A gateway on chain A for an asset whose home is chain B; Alice holds 1,000 units here."""
    from tokenized_stocks.devtools.bridge import deploy_gateway, link_gateway, register_asset

    remote_token = make_asset(CHAIN_B)
    gw = deploy_gateway(project, issuer, operators, 2)
    link_gateway(gw, issuer, CHAIN_B, REMOTE_GATEWAY)
    link_gateway(gw, issuer, CHAIN_C, REMOTE_GATEWAY)
    register_asset(gw, issuer, remote_token)
    remote_token.mint(investor_alice, 1_000, sender=issuer)
    return gw, remote_token


def _return_to(gw, signers, message):
    from tokenized_stocks.protocol.message import attest

    refund = message.with_(kind=MessageKind.RETURN, ref=b"\x01" * 32, dst_gateway=gw.address)
    return refund, attest(refund, refund.src_gateway, gw.address, signers[:2])


def test_away_from_home_a_return_cannot_mint_more_than_was_sent_to_its_chain(
    remote_chain_gateway, inbound, signers, relayer, asset_id, investor_alice, chain
):
    gw, remote_token = remote_chain_gateway
    gw.send(asset_id, CHAIN_B, investor_alice, 300, chain.pending_timestamp + HOUR, sender=investor_alice)
    assert gw.returnableUnits(asset_id, CHAIN_B) == 300
    refund, sigs = _return_to(gw, signers, inbound(units=301))
    with reverts(
        gw.GatewayReturnExceedsSent, assetId=asset_id, srcChainId=CHAIN_B, units=301, outstanding=300
    ):
        gw.receiveMessage(refund.as_tuple(), sigs, sender=relayer)
    refund, sigs = _return_to(gw, signers, inbound(units=300))
    gw.receiveMessage(refund.as_tuple(), sigs, sender=relayer)
    assert remote_token.unitsOf(investor_alice) == 1_000
    assert gw.returnableUnits(asset_id, CHAIN_B) == 0


def test_away_from_home_a_chain_cannot_refund_what_was_sent_to_another(
    remote_chain_gateway, inbound, signers, relayer, asset_id, investor_alice, chain
):
    gw, _ = remote_chain_gateway
    gw.send(asset_id, CHAIN_B, investor_alice, 300, chain.pending_timestamp + HOUR, sender=investor_alice)
    refund, sigs = _return_to(gw, signers, inbound(units=1, src_chain_id=CHAIN_C))
    with reverts(gw.GatewayReturnExceedsSent, assetId=asset_id, srcChainId=CHAIN_C, units=1, outstanding=0):
        gw.receiveMessage(refund.as_tuple(), sigs, sender=relayer)


# --- 20.4: a per-asset minimum send --------------------------------------------------------------


def test_admin_sets_the_minimum_send_with_an_event(gateway, issuer, asset_id):
    receipt = gateway.setMinimumSend(asset_id, 10, sender=issuer)
    assert receipt.events == [gateway.MinimumSendSet(assetId=asset_id, units=10)]
    assert gateway.minimumSend(asset_id) == 10


def test_an_outsider_cannot_set_the_minimum_send(gateway, outsider, asset_id):
    with reverts(gateway.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=b"\x00" * 32):
        gateway.setMinimumSend(asset_id, 10, sender=outsider)


def test_the_minimum_send_needs_a_registered_asset(gateway, issuer):
    with reverts(gateway.GatewayUnknownAsset, assetId=b"\x07" * 32):
        gateway.setMinimumSend(b"\x07" * 32, 10, sender=issuer)


def test_a_send_at_the_minimum_passes(gateway, funded, issuer, asset_id, investor_alice, investor_bob, chain):
    gateway.setMinimumSend(asset_id, 10, sender=issuer)
    gateway.send(asset_id, CHAIN_B, investor_bob, 10, chain.pending_timestamp + HOUR, sender=investor_alice)
    assert funded.unitsOf(investor_alice) == 990


def test_a_send_one_below_the_minimum_is_refused(
    gateway, funded, issuer, asset_id, investor_alice, investor_bob, chain
):
    gateway.setMinimumSend(asset_id, 10, sender=issuer)
    with reverts(gateway.GatewayBelowMinimumSend, assetId=asset_id, units=9, minimum=10):
        gateway.send(
            asset_id, CHAIN_B, investor_bob, 9, chain.pending_timestamp + HOUR, sender=investor_alice
        )
    assert funded.unitsOf(investor_alice) == 1_000
