"""Receive: an attested message from the registered source gateway mints to an allowed recipient,
records a refused one as Rejected and sends a Return, and refunds on a Return."""

from revert_data import reverts

from tokenized_stocks.protocol.message import Message, MessageKind, MessageState

from .conftest import CHAIN_A, CHAIN_B, REMOTE_GATEWAY


def test_receive_mints_units_to_the_recipient(
    gateway, token, inbound, sign, investor_alice, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    message = inbound(units=100)
    receipt = gateway.receiveMessage(message.as_tuple(), sign(message), sender=investor_alice)
    assert token.unitsOf(investor_alice) == 600
    assert receipt.decode_logs(gateway.MessageDelivered)[0].event_arguments == {
        "messageId": message.id,
        "srcChainId": CHAIN_B,
        "nonce": 0,
    }
    assert receipt.decode_logs(token.CrosschainMint)[0].event_arguments == {
        "to": investor_alice.address,
        "amount": 100,
        "sender": gateway.address,
    }


def test_receive_on_home_reduces_supply_elsewhere(
    gateway, inbound, sign, relayer, seed_supply_elsewhere, asset_id
):
    seed_supply_elsewhere(500)
    message = inbound(units=100)
    gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    assert gateway.supplyElsewhere(asset_id) == 400


def test_receive_records_the_message_as_delivered(gateway, inbound, sign, relayer, seed_supply_elsewhere):
    seed_supply_elsewhere()
    message = inbound(nonce=5)
    gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    assert gateway.inboundState(CHAIN_B, 5) == MessageState.DELIVERED


def test_refused_recipient_is_rejected_with_its_code_and_a_return_is_sent(
    gateway, token, inbound, sign, issuer, relayer, investor_alice, investor_bob
):
    token.setRestriction(investor_alice, 7, sender=issuer)
    message = inbound(units=100)
    receipt = gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
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
    assert receipt.decode_logs(gateway.MessageRejected)[0].event_arguments == {
        "messageId": message.id,
        "code": 7,
        "returnId": returned.id,
    }
    assert gateway.inboundState(CHAIN_B, 0) == MessageState.REJECTED
    assert gateway.rejectionCode(message.id) == 7
    assert token.unitsOf(investor_alice) == 0


def test_a_return_refunds_the_original_sender(
    gateway, token, inbound, sign, relayer, investor_alice, asset_id, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    refund = inbound(units=500).with_(kind=MessageKind.RETURN, ref=b"\x01" * 32, expiry=2**64 - 1)
    gateway.receiveMessage(refund.as_tuple(), sign(refund), sender=relayer)
    assert token.unitsOf(investor_alice) == 1_000
    assert gateway.supplyElsewhere(asset_id) == 0


def test_a_return_to_a_restricted_sender_is_held_for_them(
    gateway, token, inbound, sign, issuer, relayer, investor_alice, seed_supply_elsewhere, asset_id
):
    seed_supply_elsewhere(500)
    token.setRestriction(investor_alice, 9, sender=issuer)
    refund = inbound(units=500).with_(kind=MessageKind.RETURN, ref=b"\x01" * 32)
    receipt = gateway.receiveMessage(refund.as_tuple(), sign(refund), sender=relayer)
    assert receipt.events == [
        gateway.RefundHeld(
            returnId=refund.id, assetId=asset_id, holder=investor_alice.address, units=500, code=9
        )
    ]
    assert gateway.inboundState(CHAIN_B, 0) == MessageState.REJECTED
    assert token.unitsOf(investor_alice) == 500


def test_batch_receive_delivers_every_message(
    gateway, token, inbound, sign, relayer, investor_alice, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    messages = [inbound(nonce=n, units=10) for n in range(5)]
    gateway.receiveBatch([m.as_tuple() for m in messages], [sign(m) for m in messages], sender=relayer)
    assert token.unitsOf(investor_alice) == 550
    assert [gateway.inboundState(CHAIN_B, n) for n in range(5)] == [MessageState.DELIVERED] * 5


def test_batch_receive_skips_a_message_already_delivered(
    gateway, token, inbound, sign, relayer, investor_alice, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    first, second = inbound(nonce=0, units=10), inbound(nonce=1, units=10)
    gateway.receiveMessage(first.as_tuple(), sign(first), sender=relayer)
    gateway.receiveBatch([first.as_tuple(), second.as_tuple()], [sign(first), sign(second)], sender=relayer)
    assert token.unitsOf(investor_alice) == 520


def test_batch_receive_refuses_mismatched_lengths(gateway, inbound, sign, relayer):
    message = inbound()
    with reverts(gateway.GatewayLengthMismatch, messages=1, signatureSets=0):
        gateway.receiveBatch([message.as_tuple()], [], sender=relayer)


def test_corporate_action_from_home_is_applied_on_a_remote_chain(
    project, issuer, operators, make_asset, signers, relayer, asset_id
):
    # A gateway on chain A for an asset whose home is chain B.
    from tokenized_stocks.devtools.bridge import deploy_gateway, link_gateway, register_asset
    from tokenized_stocks.protocol.message import attest

    remote_token = make_asset(CHAIN_B)
    gw = deploy_gateway(project, issuer, operators, 2)
    link_gateway(gw, issuer, CHAIN_B, REMOTE_GATEWAY)
    register_asset(gw, issuer, remote_token)
    action = Message(
        2,
        MessageKind.CORPORATE_ACTION,
        CHAIN_B,
        CHAIN_A,
        REMOTE_GATEWAY,
        gw.address,
        0,
        asset_id,
        "0x" + "00" * 20,
        "0x" + "00" * 20,
        2 * 10**18,
        1,
        2**64 - 1,
    )
    receipt = gw.receiveMessage(
        action.as_tuple(), attest(action, REMOTE_GATEWAY, gw.address, signers[:2]), sender=relayer
    )
    assert remote_token.multiplier() == 2 * 10**18
    assert remote_token.corporateActionEpoch() == 1
    assert receipt.decode_logs(remote_token.CorporateActionSynced)[0].event_arguments == {
        "epoch": 1,
        "multiplier": 2 * 10**18,
    }


def test_a_redeployed_remote_gateway_starts_its_nonces_afresh(
    gateway, token, inbound, sign, issuer, relayer, investor_alice, seed_supply_elsewhere, accounts
):
    seed_supply_elsewhere(500)
    old = inbound(nonce=0)
    gateway.receiveMessage(old.as_tuple(), sign(old), sender=relayer)
    new_gateway = accounts[17].address
    gateway.setRemoteGateway(CHAIN_B, new_gateway, sender=issuer)
    fresh = inbound(nonce=0, units=50, src_gateway=new_gateway)
    gateway.receiveMessage(fresh.as_tuple(), sign(fresh), sender=relayer)
    assert token.unitsOf(investor_alice) == 650


def test_more_units_arriving_home_than_left_is_refused(gateway, inbound, sign, relayer, asset_id):
    message = inbound(units=1)
    with reverts(gateway.GatewaySupplyUnderflow, assetId=asset_id, units=1, supplyElsewhere=0):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
