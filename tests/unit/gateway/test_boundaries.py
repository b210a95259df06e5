"""Time boundaries of the gateway at the exact second (issue 21, "What survived").

`send` refuses `expiry <= block.timestamp`: an expiry equal to the block's timestamp is refused,
one second later is accepted. A Transfer is deliverable while `block.timestamp <= expiry` and
expirable only after: in the second of its expiry it is delivered and not yet expirable; one
second later it is expirable and no longer deliverable. `chain.pending_timestamp = t` pins the
timestamp of the next block so that each test hits the second it names.
"""

from __future__ import annotations

from revert_data import reverts

from tokenized_stocks.protocol.message import Message, MessageState

from .conftest import CHAIN_B


def test_send_refuses_an_expiry_equal_to_the_block_timestamp(
    gateway, funded, asset_id, investor_alice, investor_bob, chain
):
    now = chain.pending_timestamp + 10
    chain.pending_timestamp = now
    with reverts(gateway.GatewayInvalidExpiry, expiry=now, timestamp=now):
        gateway.send(asset_id, CHAIN_B, investor_bob, 100, now, sender=investor_alice)
    assert funded.unitsOf(investor_alice) == 1_000
    assert gateway.nextNonce() == 0


def test_send_accepts_an_expiry_one_second_after_the_block_timestamp(
    gateway, funded, asset_id, investor_alice, investor_bob, chain
):
    now = chain.pending_timestamp + 10
    chain.pending_timestamp = now
    receipt = gateway.send(asset_id, CHAIN_B, investor_bob, 100, now + 1, sender=investor_alice)
    assert receipt.timestamp == now
    [sent] = receipt.decode_logs(gateway.MessageSent)
    assert Message.from_values(sent.message).expiry == now + 1
    assert funded.unitsOf(investor_alice) == 900


def test_a_transfer_is_delivered_in_the_second_of_its_expiry(
    gateway, inbound, sign, relayer, chain, seed_supply_elsewhere
):
    seed_supply_elsewhere()
    message = inbound()
    chain.pending_timestamp = message.expiry
    receipt = gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    assert receipt.timestamp == message.expiry
    assert gateway.inboundState(CHAIN_B, 0) == MessageState.DELIVERED


def test_a_transfer_is_not_delivered_one_second_after_its_expiry(
    gateway, inbound, sign, relayer, chain, seed_supply_elsewhere
):
    seed_supply_elsewhere()
    message = inbound()
    chain.pending_timestamp = message.expiry + 1
    with reverts(gateway.GatewayMessageExpired, messageId=message.id, expiry=message.expiry):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    assert gateway.inboundState(CHAIN_B, 0) == MessageState.NONE


def test_a_transfer_cannot_be_expired_in_the_second_of_its_expiry(gateway, inbound, sign, relayer, chain):
    message = inbound()
    chain.pending_timestamp = message.expiry
    with reverts(gateway.GatewayMessageNotExpired, messageId=message.id, expiry=message.expiry):
        gateway.expire(message.as_tuple(), sign(message), sender=relayer)
    assert gateway.inboundState(CHAIN_B, 0) == MessageState.NONE


def test_a_transfer_is_expired_one_second_after_its_expiry(gateway, inbound, sign, relayer, chain):
    message = inbound()
    chain.pending_timestamp = message.expiry + 1
    receipt = gateway.expire(message.as_tuple(), sign(message), sender=relayer)
    assert receipt.timestamp == message.expiry + 1
    [expired] = receipt.decode_logs(gateway.MessageExpired)
    assert expired.messageId == message.id
    assert gateway.inboundState(CHAIN_B, 0) == MessageState.EXPIRED
