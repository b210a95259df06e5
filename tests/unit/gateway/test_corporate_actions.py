"""Broadcast of the home chain's corporate actions: once per epoch and destination, home only."""

from revert_data import reverts

from tokenized_stocks.protocol.message import Message, MessageKind

from .conftest import CHAIN_A, CHAIN_B, REMOTE_GATEWAY

SPLIT = 2 * 10**18
ZERO = "0x" + "00" * 20


def test_broadcast_emits_the_current_epoch_and_multiplier(gateway, token, asset_id, issuer, outsider):
    token.split(SPLIT, sender=issuer)
    receipt = gateway.broadcastCorporateAction(asset_id, CHAIN_B, sender=outsider)
    [sent] = receipt.decode_logs(gateway.MessageSent)
    assert Message.from_values(sent.message) == Message(
        2,
        MessageKind.CORPORATE_ACTION,
        CHAIN_A,
        CHAIN_B,
        gateway.address,
        REMOTE_GATEWAY,
        0,
        asset_id,
        ZERO,
        ZERO,
        SPLIT,
        1,
        2**64 - 1,
    )


def test_an_epoch_is_broadcast_once_per_destination(gateway, token, asset_id, issuer, outsider):
    token.split(SPLIT, sender=issuer)
    gateway.broadcastCorporateAction(asset_id, CHAIN_B, sender=outsider)
    with reverts(gateway.GatewayCorporateActionAlreadyBroadcast, epoch=1):
        gateway.broadcastCorporateAction(asset_id, CHAIN_B, sender=outsider)


def test_nothing_to_broadcast_before_the_first_corporate_action(gateway, asset_id, outsider):
    with reverts(gateway.GatewayCorporateActionAlreadyBroadcast, epoch=0):
        gateway.broadcastCorporateAction(asset_id, CHAIN_B, sender=outsider)


def test_only_the_home_chain_broadcasts(project, issuer, operators, make_asset, outsider):
    from tokenized_stocks.devtools.bridge import deploy_gateway, link_gateway, register_asset

    remote_token = make_asset(CHAIN_B)
    gw = deploy_gateway(project, issuer, operators, 2)
    link_gateway(gw, issuer, CHAIN_B, REMOTE_GATEWAY)
    asset_id = register_asset(gw, issuer, remote_token)
    with reverts(gw.GatewayNotHomeChain, homeChainId=CHAIN_B):
        gw.broadcastCorporateAction(asset_id, CHAIN_B, sender=outsider)


def test_broadcast_is_refused_while_paused(gateway, token, asset_id, issuer, guardian, outsider):
    token.split(SPLIT, sender=issuer)
    gateway.pause(sender=guardian)
    with reverts(gateway.EnforcedPause):
        gateway.broadcastCorporateAction(asset_id, CHAIN_B, sender=outsider)
