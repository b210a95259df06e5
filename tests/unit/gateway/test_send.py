"""Send: burns the sender's units, counts them as supply elsewhere on the home chain, emits the
message the relayer carries."""

from revert_data import reverts

from tokenized_stocks.protocol.message import Message, MessageKind

from .conftest import CHAIN_A, CHAIN_B, HOUR, REMOTE_GATEWAY


def test_send_burns_units_and_emits_the_message(
    gateway, funded, asset_id, investor_alice, investor_bob, chain
):
    expiry = chain.pending_timestamp + HOUR
    receipt = gateway.send(asset_id, CHAIN_B, investor_bob, 400, expiry, sender=investor_alice)
    expected = Message(
        2,
        MessageKind.TRANSFER,
        CHAIN_A,
        CHAIN_B,
        gateway.address,
        REMOTE_GATEWAY,
        0,
        asset_id,
        investor_alice.address,
        investor_bob.address,
        400,
        0,
        expiry,
    )
    sent = receipt.decode_logs(gateway.MessageSent)
    assert len(sent) == 1
    assert Message.from_values(sent[0].message) == expected
    assert bytes(sent[0].messageId) == expected.id
    assert receipt.decode_logs(funded.CrosschainBurn)[0].event_arguments == {
        "from": investor_alice.address,
        "amount": 400,
        "sender": gateway.address,
    }
    assert funded.unitsOf(investor_alice) == 600


def test_send_from_home_counts_units_as_supply_elsewhere(
    gateway, funded, asset_id, investor_alice, investor_bob, chain
):
    gateway.send(asset_id, CHAIN_B, investor_bob, 400, chain.pending_timestamp + HOUR, sender=investor_alice)
    assert gateway.supplyElsewhere(asset_id) == 400


def test_nonces_increase_per_message(gateway, funded, asset_id, investor_alice, investor_bob, chain):
    for _ in range(2):
        gateway.send(
            asset_id, CHAIN_B, investor_bob, 1, chain.pending_timestamp + HOUR, sender=investor_alice
        )
    assert gateway.nextNonce() == 2


def test_send_refuses_an_unknown_asset(gateway, funded, investor_alice, investor_bob, chain):
    with reverts(gateway.GatewayUnknownAsset, assetId=b"\x01" * 32):
        gateway.send(
            b"\x01" * 32, CHAIN_B, investor_bob, 1, chain.pending_timestamp + HOUR, sender=investor_alice
        )


def test_send_refuses_an_unknown_destination(gateway, funded, asset_id, investor_alice, investor_bob, chain):
    with reverts(gateway.GatewayUnknownChain, chainId=5):
        gateway.send(asset_id, 5, investor_bob, 1, chain.pending_timestamp + HOUR, sender=investor_alice)


def test_send_refuses_the_zero_recipient(gateway, funded, asset_id, investor_alice, chain):
    with reverts(gateway.GatewayInvalidRecipient, recipient="0x" + "00" * 20):
        gateway.send(
            asset_id, CHAIN_B, "0x" + "00" * 20, 1, chain.pending_timestamp + HOUR, sender=investor_alice
        )


def test_send_refuses_zero_units(gateway, funded, asset_id, investor_alice, investor_bob, chain):
    with reverts(gateway.GatewayZeroUnits):
        gateway.send(
            asset_id, CHAIN_B, investor_bob, 0, chain.pending_timestamp + HOUR, sender=investor_alice
        )


def test_send_refuses_a_past_expiry(gateway, funded, asset_id, investor_alice, investor_bob, chain):
    now = chain.pending_timestamp + 60
    chain.pending_timestamp = now  # the next block's time, fixed: the wall clock may tick meanwhile
    expiry = now - 1
    with reverts(gateway.GatewayInvalidExpiry, expiry=expiry, timestamp=now):
        gateway.send(asset_id, CHAIN_B, investor_bob, 1, expiry, sender=investor_alice)


def test_send_applies_the_assets_sender_checks(
    gateway, funded, asset_id, issuer, investor_alice, investor_bob, chain
):
    funded.setRestriction(investor_alice, 5, sender=issuer)
    with reverts(funded.MockRestricted, account=investor_alice.address, code=5):
        gateway.send(
            asset_id, CHAIN_B, investor_bob, 1, chain.pending_timestamp + HOUR, sender=investor_alice
        )


def test_send_is_refused_while_paused(
    gateway, funded, asset_id, guardian, investor_alice, investor_bob, chain
):
    gateway.pause(sender=guardian)
    with reverts(gateway.EnforcedPause):
        gateway.send(
            asset_id, CHAIN_B, investor_bob, 1, chain.pending_timestamp + HOUR, sender=investor_alice
        )
