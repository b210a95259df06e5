"""Three or more chains, gateways at the same address, redeployed gateways (issue 13).

13.1: inbound state is keyed by (source chain, source gateway, nonce): chain C's nonce n is not
chain B's nonce n even when both chains run their gateway at the same address.
13.10: a message names its source and destination gateways; only the gateway it was sent to may
deliver or expire it, and only if its source gateway is the one registered for its chain.
"""

from revert_data import reverts

from tokenized_stocks.devtools.bridge import deploy_gateway, link_gateway, register_asset
from tokenized_stocks.protocol.message import Message, MessageKind, MessageState

from .conftest import CHAIN_A, CHAIN_B, REMOTE_GATEWAY

CHAIN_C = 31339


def _link_c(gateway, issuer):
    """Chain C runs its gateway at the same address as chain B's (same deployer, same steps)."""
    link_gateway(gateway, issuer, CHAIN_C, REMOTE_GATEWAY)


# --- 13.1: one state per (source chain, source gateway, nonce) ---------------------------------


def test_same_nonce_from_two_chains_with_one_gateway_address_are_both_delivered(
    gateway, token, inbound, sign, issuer, relayer, investor_alice, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    _link_c(gateway, issuer)
    from_b = inbound(nonce=0, units=10)
    from_c = inbound(nonce=0, units=20, src_chain_id=CHAIN_C)
    gateway.receiveMessage(from_b.as_tuple(), sign(from_b), sender=relayer)
    receipt = gateway.receiveMessage(from_c.as_tuple(), sign(from_c), sender=relayer)
    assert [log.event_arguments for log in receipt.decode_logs(gateway.MessageDelivered)] == [
        {"messageId": from_c.id, "srcChainId": CHAIN_C, "nonce": 0}
    ]
    assert token.unitsOf(investor_alice) == 530


def test_inbound_state_of_one_chain_says_nothing_about_another_at_the_same_address(
    gateway, inbound, sign, issuer, relayer, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    _link_c(gateway, issuer)
    from_b = inbound(nonce=3)
    gateway.receiveMessage(from_b.as_tuple(), sign(from_b), sender=relayer)
    assert gateway.inboundState(CHAIN_B, 3) == MessageState.DELIVERED
    assert gateway.inboundState(CHAIN_C, 3) == MessageState.NONE
    assert gateway.inboundStateFrom(CHAIN_C, REMOTE_GATEWAY, 3) == MessageState.NONE


def test_batch_does_not_skip_a_message_whose_nonce_another_chain_used(
    gateway, token, inbound, sign, issuer, relayer, investor_alice, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    _link_c(gateway, issuer)
    from_b = inbound(nonce=0, units=10)
    gateway.receiveMessage(from_b.as_tuple(), sign(from_b), sender=relayer)
    from_c = inbound(nonce=0, units=20, src_chain_id=CHAIN_C)
    gateway.receiveBatch([from_c.as_tuple()], [sign(from_c)], sender=relayer)
    assert token.unitsOf(investor_alice) == 530
    assert gateway.inboundState(CHAIN_C, 0) == MessageState.DELIVERED


def test_a_message_whose_nonce_another_chain_used_can_still_expire(
    gateway, inbound, sign, issuer, relayer, chain, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    _link_c(gateway, issuer)
    from_b = inbound(nonce=0)
    gateway.receiveMessage(from_b.as_tuple(), sign(from_b), sender=relayer)
    from_c = inbound(nonce=0, src_chain_id=CHAIN_C)
    chain.pending_timestamp = from_c.expiry + 1
    receipt = gateway.expire(from_c.as_tuple(), sign(from_c), sender=relayer)
    [sent] = receipt.decode_logs(gateway.MessageSent)
    returned = Message.from_values(sent.message)
    assert (returned.kind, returned.dst_chain_id, returned.ref) == (MessageKind.RETURN, CHAIN_C, from_c.id)
    assert gateway.inboundState(CHAIN_C, 0) == MessageState.EXPIRED


# --- 13.10: only the gateway a message was sent to delivers it ----------------------------------


def test_a_message_sent_to_another_gateway_is_refused_even_if_attested_here(
    gateway, inbound, sign, relayer, accounts, seed_supply_elsewhere
):
    # The relayer re-delivers a historical message (sent to the OLD gateway of this chain) to a new
    # gateway, and the operators attest it for the new gateway's domain.
    seed_supply_elsewhere(500)
    old_gateway = accounts[18].address
    message = inbound(dst_gateway=old_gateway)
    with reverts(gateway.GatewayWrongDestinationGateway, dstGateway=old_gateway, gateway=gateway.address):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)


def test_historical_messages_cannot_be_replayed_on_a_redeployed_gateway(
    project, gateway, funded, inbound, sign, issuer, operators, signers, relayer, investor_alice
):
    from tokenized_stocks.protocol.message import attest

    funded_units = funded.unitsOf(investor_alice)
    message = inbound(units=10)
    # The message was delivered by the old gateway; the chain's gateway is then redeployed.
    funded.setGateway(gateway, sender=issuer)
    new_gateway = deploy_gateway(project, issuer, operators, 2)
    link_gateway(new_gateway, issuer, CHAIN_B, REMOTE_GATEWAY)
    register_asset(new_gateway, issuer, funded)
    signatures = attest(message, REMOTE_GATEWAY, new_gateway.address, signers[:2])
    with reverts(
        new_gateway.GatewayWrongDestinationGateway, dstGateway=gateway.address, gateway=new_gateway.address
    ):
        new_gateway.receiveMessage(message.as_tuple(), signatures, sender=relayer)
    with reverts(
        new_gateway.GatewayWrongDestinationGateway, dstGateway=gateway.address, gateway=new_gateway.address
    ):
        new_gateway.receiveBatch([message.as_tuple()], [signatures], sender=relayer)
    assert funded.unitsOf(investor_alice) == funded_units


def test_a_message_sent_to_another_gateway_cannot_be_expired_here(
    gateway, inbound, sign, relayer, accounts, chain
):
    old_gateway = accounts[18].address
    message = inbound(dst_gateway=old_gateway)
    chain.pending_timestamp = message.expiry + 1
    with reverts(gateway.GatewayWrongDestinationGateway, dstGateway=old_gateway, gateway=gateway.address):
        gateway.expire(message.as_tuple(), sign(message), sender=relayer)


def test_a_message_from_an_unregistered_source_gateway_is_refused(
    gateway, inbound, sign, relayer, accounts, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    impostor = accounts[17].address
    message = inbound(src_gateway=impostor)
    with reverts(
        gateway.GatewayUnknownSourceGateway,
        srcChainId=CHAIN_B,
        srcGateway=impostor,
        registered=REMOTE_GATEWAY,
    ):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)


def test_a_message_from_an_unregistered_source_gateway_cannot_be_expired(
    gateway, inbound, sign, relayer, accounts, chain
):
    impostor = accounts[17].address
    message = inbound(src_gateway=impostor)
    chain.pending_timestamp = message.expiry + 1
    with reverts(
        gateway.GatewayUnknownSourceGateway,
        srcChainId=CHAIN_B,
        srcGateway=impostor,
        registered=REMOTE_GATEWAY,
    ):
        gateway.expire(message.as_tuple(), sign(message), sender=relayer)


def test_send_names_this_gateway_and_the_registered_destination_gateway(
    gateway, funded, asset_id, investor_alice, investor_bob, chain
):
    receipt = gateway.send(
        asset_id, CHAIN_B, investor_bob, 10, chain.pending_timestamp + 3600, sender=investor_alice
    )
    [sent] = receipt.decode_logs(gateway.MessageSent)
    message = Message.from_values(sent.message)
    assert (message.src_gateway, message.dst_gateway) == (gateway.address, REMOTE_GATEWAY)


def test_a_return_goes_back_to_the_gateway_that_sent_the_original(
    gateway, token, inbound, sign, issuer, relayer, investor_alice, accounts
):
    token.setRestriction(investor_alice, 7, sender=issuer)
    message = inbound(units=10)
    receipt = gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    [sent] = receipt.decode_logs(gateway.MessageSent)
    returned = Message.from_values(sent.message)
    assert (returned.src_chain_id, returned.src_gateway) == (CHAIN_A, gateway.address)
    assert (returned.dst_chain_id, returned.dst_gateway) == (CHAIN_B, message.src_gateway)


# --- a redeployed peer: its old gateway is retired, not forgotten --------------------------------


def _relink_b(gateway, issuer, accounts):
    """Chain B was redeployed: its new gateway replaces REMOTE_GATEWAY here. Returns the new one."""
    new_remote = accounts[16].address
    link_gateway(gateway, issuer, CHAIN_B, new_remote)
    return new_remote


def test_relinking_a_peer_retires_its_old_gateway_in_public(gateway, issuer, accounts):
    new_remote = accounts[16].address
    receipt = gateway.setRemoteGateway(CHAIN_B, new_remote, sender=issuer)
    assert receipt.decode_logs(gateway.RemoteGatewayRetired) == [
        gateway.RemoteGatewayRetired(chainId=CHAIN_B, gateway=REMOTE_GATEWAY, accepted=True)
    ]
    assert receipt.decode_logs(gateway.RemoteGatewaySet) == [
        gateway.RemoteGatewaySet(chainId=CHAIN_B, gateway=new_remote)
    ]
    assert gateway.isRetiredGateway(CHAIN_B, REMOTE_GATEWAY)
    assert not gateway.isRetiredGateway(CHAIN_B, new_remote)


def test_a_message_the_old_gateway_sent_is_still_delivered_after_the_relink(
    gateway, token, inbound, sign, issuer, relayer, investor_alice, accounts, seed_supply_elsewhere
):
    """The peer's old gateway burned these units before (or after) the redeploy: they must arrive."""
    seed_supply_elsewhere(500)
    _relink_b(gateway, issuer, accounts)
    message = inbound(nonce=4, units=10)  # from REMOTE_GATEWAY, the retired one
    before = token.unitsOf(investor_alice)
    gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    assert token.unitsOf(investor_alice) == before + 10
    assert gateway.inboundStateFrom(CHAIN_B, REMOTE_GATEWAY, 4) == MessageState.DELIVERED


def test_a_message_the_old_gateway_sent_can_still_expire_after_the_relink_and_returns_to_it(
    gateway, inbound, sign, issuer, relayer, accounts, chain
):
    _relink_b(gateway, issuer, accounts)
    message = inbound(nonce=5)
    chain.pending_timestamp = message.expiry + 1
    receipt = gateway.expire(message.as_tuple(), sign(message), sender=relayer)
    [sent] = receipt.decode_logs(gateway.MessageSent)
    returned = Message.from_values(sent.message)
    assert (returned.kind, returned.dst_gateway, returned.ref) == (
        MessageKind.RETURN,
        REMOTE_GATEWAY,
        message.id,
    )
    assert gateway.inboundStateFrom(CHAIN_B, REMOTE_GATEWAY, 5) == MessageState.EXPIRED


def test_the_new_and_the_old_gateway_of_a_peer_keep_separate_nonces(
    gateway, token, inbound, sign, issuer, relayer, investor_alice, accounts, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    new_remote = _relink_b(gateway, issuer, accounts)
    old = inbound(nonce=0, units=10)
    new = inbound(nonce=0, units=20, src_gateway=new_remote)
    before = token.unitsOf(investor_alice)
    gateway.receiveMessage(old.as_tuple(), sign(old), sender=relayer)
    gateway.receiveMessage(new.as_tuple(), sign(new), sender=relayer)
    assert token.unitsOf(investor_alice) == before + 30
    assert gateway.inboundStateFrom(CHAIN_B, new_remote, 0) == MessageState.DELIVERED


def test_messages_are_only_ever_sent_to_the_new_gateway(
    gateway, funded, asset_id, issuer, accounts, investor_alice, investor_bob, chain
):
    new_remote = _relink_b(gateway, issuer, accounts)
    receipt = gateway.send(
        asset_id, CHAIN_B, investor_bob, 10, chain.pending_timestamp + 3600, sender=investor_alice
    )
    [sent] = receipt.decode_logs(gateway.MessageSent)
    assert Message.from_values(sent.message).dst_gateway == new_remote


def test_a_revoked_retired_gateway_is_refused(
    gateway, inbound, sign, issuer, relayer, accounts, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    new_remote = _relink_b(gateway, issuer, accounts)
    receipt = gateway.revokeRetiredGateway(CHAIN_B, REMOTE_GATEWAY, sender=issuer)
    assert receipt.decode_logs(gateway.RemoteGatewayRetired) == [
        gateway.RemoteGatewayRetired(chainId=CHAIN_B, gateway=REMOTE_GATEWAY, accepted=False)
    ]
    message = inbound(nonce=6)
    with reverts(
        gateway.GatewayUnknownSourceGateway,
        srcChainId=CHAIN_B,
        srcGateway=REMOTE_GATEWAY,
        registered=new_remote,
    ):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)


def test_revoking_a_gateway_that_is_not_retired_is_refused(gateway, issuer):
    with reverts(gateway.GatewayNotRetired, chainId=CHAIN_B, gateway=REMOTE_GATEWAY):
        gateway.revokeRetiredGateway(CHAIN_B, REMOTE_GATEWAY, sender=issuer)


def test_an_outsider_cannot_revoke_a_retired_gateway(gateway, issuer, accounts):
    from tokenized_stocks.protocol.roles import DEFAULT_ADMIN_ROLE

    _relink_b(gateway, issuer, accounts)
    outsider = accounts[15]
    with reverts(
        gateway.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=DEFAULT_ADMIN_ROLE
    ):
        gateway.revokeRetiredGateway(CHAIN_B, REMOTE_GATEWAY, sender=outsider)
    assert gateway.isRetiredGateway(CHAIN_B, REMOTE_GATEWAY)


def test_linking_a_retired_gateway_again_makes_it_the_registered_one_and_retires_the_other(
    gateway, issuer, accounts
):
    new_remote = _relink_b(gateway, issuer, accounts)
    receipt = gateway.setRemoteGateway(CHAIN_B, REMOTE_GATEWAY, sender=issuer)
    assert receipt.decode_logs(gateway.RemoteGatewayRetired) == [
        gateway.RemoteGatewayRetired(chainId=CHAIN_B, gateway=new_remote, accepted=True),
        gateway.RemoteGatewayRetired(chainId=CHAIN_B, gateway=REMOTE_GATEWAY, accepted=False),
    ]
    assert gateway.remoteGateway(CHAIN_B) == REMOTE_GATEWAY
    assert not gateway.isRetiredGateway(CHAIN_B, REMOTE_GATEWAY)
    assert gateway.isRetiredGateway(CHAIN_B, new_remote)


def test_an_impostor_is_still_refused_after_a_relink(
    gateway, inbound, sign, issuer, relayer, accounts, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    new_remote = _relink_b(gateway, issuer, accounts)
    impostor = accounts[17].address
    message = inbound(src_gateway=impostor)
    with reverts(
        gateway.GatewayUnknownSourceGateway, srcChainId=CHAIN_B, srcGateway=impostor, registered=new_remote
    ):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
