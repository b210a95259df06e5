"""Corporate-action broadcast and delivery, and the rate-limit setter, at their guards (issue 21).

`broadcastCorporateAction` refuses a destination without a linked gateway BEFORE it records the
epoch as broadcast: recorded first, the epoch could never reach that chain once linked (a second
broadcast of it is refused as already done). The corporate-action delivery path emits
{MessageDelivered} like the Transfer path, also when the action is a no-op (an older epoch).
"""

from __future__ import annotations

from revert_data import reverts

from tokenized_stocks.devtools.bridge import deploy_gateway, link_gateway, register_asset
from tokenized_stocks.protocol.message import Message, MessageKind, MessageState, attest

from .conftest import CHAIN_A, CHAIN_B, REMOTE_GATEWAY

CHAIN_C = 31339
GATEWAY_C = "0x00000000000000000000000000000000000c0c0c"
SPLIT = 2 * 10**18
ZERO = "0x" + "00" * 20
NEVER = 2**64 - 1


def test_broadcast_to_a_chain_without_a_gateway_is_refused_and_records_nothing(
    gateway, token, asset_id, issuer, outsider
):
    token.split(SPLIT, sender=issuer)
    with reverts(gateway.GatewayUnknownChain, chainId=CHAIN_C):
        gateway.broadcastCorporateAction(asset_id, CHAIN_C, sender=outsider)
    assert gateway.nextNonce() == 0


def test_an_action_refused_on_an_unlinked_chain_reaches_it_once_linked(
    gateway, token, asset_id, issuer, outsider
):
    token.split(SPLIT, sender=issuer)
    with reverts(gateway.GatewayUnknownChain, chainId=CHAIN_C):
        gateway.broadcastCorporateAction(asset_id, CHAIN_C, sender=outsider)
    link_gateway(gateway, issuer, CHAIN_C, GATEWAY_C)
    receipt = gateway.broadcastCorporateAction(asset_id, CHAIN_C, sender=outsider)
    [sent] = receipt.decode_logs(gateway.MessageSent)
    assert Message.from_values(sent.message) == Message(
        2,
        MessageKind.CORPORATE_ACTION,
        CHAIN_A,
        CHAIN_C,
        gateway.address,
        GATEWAY_C,
        0,
        asset_id,
        ZERO,
        ZERO,
        SPLIT,
        1,
        NEVER,
    )


def test_broadcast_to_an_unlinked_chain_is_refused(gateway, token, asset_id, issuer, outsider):
    # A gateway removed with setRemoteGateway(chain, 0) is no destination either.
    token.split(SPLIT, sender=issuer)
    link_gateway(gateway, issuer, CHAIN_C, GATEWAY_C)
    link_gateway(gateway, issuer, CHAIN_C, ZERO)
    with reverts(gateway.GatewayUnknownChain, chainId=CHAIN_C):
        gateway.broadcastCorporateAction(asset_id, CHAIN_C, sender=outsider)
    assert gateway.nextNonce() == 0


def test_set_rate_limit_on_an_unknown_asset_is_refused(gateway, issuer):
    unknown = b"\x07" * 32
    with reverts(gateway.GatewayUnknownAsset, assetId=unknown):
        gateway.setRateLimit(unknown, True, 10, 1, sender=issuer)
    assert gateway.rateLimit(unknown, True) == (0, 0, 0, 0)


def _remote_home_gateway(project, issuer, operators, make_asset):
    """A gateway on chain A for an asset whose home is chain B: it receives corporate actions."""
    remote_token = make_asset(CHAIN_B)
    gw = deploy_gateway(project, issuer, operators, 2)
    link_gateway(gw, issuer, CHAIN_B, REMOTE_GATEWAY)
    register_asset(gw, issuer, remote_token)
    return gw, remote_token


def _action(gw, asset_id, epoch: int, multiplier: int, nonce: int = 0) -> Message:
    return Message(
        2,
        MessageKind.CORPORATE_ACTION,
        CHAIN_B,
        CHAIN_A,
        REMOTE_GATEWAY,
        gw.address,
        nonce,
        asset_id,
        ZERO,
        ZERO,
        multiplier,
        epoch,
        NEVER,
    )


def test_a_delivered_corporate_action_emits_message_delivered(
    project, issuer, operators, make_asset, signers, relayer, asset_id
):
    gw, remote_token = _remote_home_gateway(project, issuer, operators, make_asset)
    action = _action(gw, asset_id, epoch=1, multiplier=SPLIT)
    receipt = gw.receiveMessage(
        action.as_tuple(), attest(action, REMOTE_GATEWAY, gw.address, signers[:2]), sender=relayer
    )
    assert receipt.events == [
        remote_token.CorporateActionSynced(epoch=1, multiplier=SPLIT),
        gw.MessageDelivered(messageId=action.id, srcChainId=CHAIN_B, nonce=0),
    ]
    assert gw.inboundState(CHAIN_B, 0) == MessageState.DELIVERED


def test_an_overtaken_corporate_action_is_delivered_as_a_no_op_with_message_delivered(
    project, issuer, operators, make_asset, signers, relayer, asset_id
):
    gw, remote_token = _remote_home_gateway(project, issuer, operators, make_asset)
    newer = _action(gw, asset_id, epoch=2, multiplier=3 * SPLIT, nonce=1)
    gw.receiveMessage(
        newer.as_tuple(), attest(newer, REMOTE_GATEWAY, gw.address, signers[:2]), sender=relayer
    )
    older = _action(gw, asset_id, epoch=1, multiplier=SPLIT, nonce=0)
    receipt = gw.receiveMessage(
        older.as_tuple(), attest(older, REMOTE_GATEWAY, gw.address, signers[:2]), sender=relayer
    )
    assert receipt.events == [gw.MessageDelivered(messageId=older.id, srcChainId=CHAIN_B, nonce=0)]
    assert remote_token.multiplier() == 3 * SPLIT
    assert remote_token.corporateActionEpoch() == 2
