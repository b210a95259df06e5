"""Expiry (mark Expired after the deadline, emit a Return) and per-direction token buckets."""

import ape

from tokenized_stocks.messages import Message, MessageKind, MessageState

from .conftest import CHAIN_A, CHAIN_B, HOUR


def test_after_expiry_anyone_marks_the_message_expired_and_a_return_is_sent(
    gateway, inbound, sign, outsider, chain, investor_alice, investor_bob
):
    message = inbound(units=100)
    chain.pending_timestamp = message.expiry + 1
    receipt = gateway.expire(message.as_tuple(), sign(message), sender=outsider)
    [sent] = receipt.decode_logs(gateway.MessageSent)
    returned = Message.from_values(sent.message)
    assert returned == Message(
        1,
        MessageKind.RETURN,
        CHAIN_A,
        CHAIN_B,
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
    with ape.reverts(gateway.GatewayMessageAlreadyProcessed, state=MessageState.EXPIRED):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)


def test_a_message_cannot_be_expired_before_its_expiry(gateway, inbound, sign, relayer):
    message = inbound()
    with ape.reverts(gateway.GatewayMessageNotExpired):
        gateway.expire(message.as_tuple(), sign(message), sender=relayer)


def test_a_delivered_message_cannot_be_expired(gateway, inbound, sign, relayer, chain, seed_supply_elsewhere):
    seed_supply_elsewhere()
    message = inbound()
    gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    chain.pending_timestamp = message.expiry + 1
    with ape.reverts(gateway.GatewayMessageAlreadyProcessed, state=MessageState.DELIVERED):
        gateway.expire(message.as_tuple(), sign(message), sender=relayer)


def test_expire_requires_a_valid_attestation(gateway, inbound, sign, signers, relayer, chain):
    message = inbound()
    chain.pending_timestamp = message.expiry + 1
    with ape.reverts(gateway.GatewayBelowThreshold):
        gateway.expire(message.as_tuple(), sign(message, who=[signers[0]]), sender=relayer)


def test_a_return_cannot_be_expired(gateway, inbound, sign, relayer, chain):
    refund = inbound(kind=MessageKind.RETURN)
    chain.pending_timestamp = refund.expiry + 1
    with ape.reverts(gateway.GatewayNotExpirable):
        gateway.expire(refund.as_tuple(), sign(refund), sender=relayer)


def test_inbound_rate_limit_refuses_above_the_bucket(
    gateway, token, inbound, sign, issuer, relayer, asset_id, seed_supply_elsewhere, investor_alice
):
    seed_supply_elsewhere()
    gateway.setRateLimit(asset_id, True, 150, 1, sender=issuer)
    gateway.receiveMessage(inbound(0, 100).as_tuple(), sign(inbound(0, 100)), sender=relayer)
    message = inbound(1, 100)
    with ape.reverts(gateway.GatewayRateLimited, assetId=asset_id, inbound=True, units=100):
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
    with ape.reverts(gateway.GatewayRateLimited, assetId=asset_id, inbound=False, units=51, available=50):
        gateway.send(
            asset_id, CHAIN_B, investor_bob, 51, chain.pending_timestamp + HOUR, sender=investor_alice
        )
    assert funded.unitsOf(investor_alice) == 1_000


def test_expire_is_refused_while_paused(gateway, inbound, sign, guardian, relayer, chain):
    message = inbound()
    chain.pending_timestamp = message.expiry + 1
    gateway.pause(sender=guardian)
    with ape.reverts(gateway.EnforcedPause):
        gateway.expire(message.as_tuple(), sign(message), sender=relayer)
