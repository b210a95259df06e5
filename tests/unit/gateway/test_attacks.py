"""Every attack on receive is refused and moves nothing."""

from revert_data import reverts

from tokenized_stocks.protocol.message import MessageKind, MessageState, attest, sign_digest

from .conftest import CHAIN_A, CHAIN_B, HOUR


def _nothing_moved(token, gateway, investor_alice, asset_id, units_before, supply_before):
    assert token.unitsOf(investor_alice) == units_before
    assert gateway.supplyElsewhere(asset_id) == supply_before


def test_replay_of_a_processed_message_is_refused(
    gateway, token, inbound, sign, relayer, investor_alice, seed_supply_elsewhere, asset_id
):
    seed_supply_elsewhere()
    message = inbound()
    gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    with reverts(gateway.GatewayMessageAlreadyProcessed, messageId=message.id, state=MessageState.DELIVERED):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    _nothing_moved(token, gateway, investor_alice, asset_id, 600, 400)


def test_same_nonce_with_other_content_is_refused(
    gateway, token, inbound, sign, relayer, seed_supply_elsewhere
):
    seed_supply_elsewhere()
    gateway.receiveMessage(inbound().as_tuple(), sign(inbound()), sender=relayer)
    twin = inbound(units=99)
    with reverts(gateway.GatewayMessageAlreadyProcessed, messageId=twin.id, state=MessageState.DELIVERED):
        gateway.receiveMessage(twin.as_tuple(), sign(twin), sender=relayer)


def test_message_for_another_chain_is_refused(gateway, inbound, sign, relayer):
    message = inbound(dst_chain_id=5)
    with reverts(gateway.GatewayWrongDestination, dstChainId=5, chainId=CHAIN_A):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)


def test_attestation_for_another_gateway_is_refused(gateway, inbound, signers, relayer, accounts):
    # Signed under another destination gateway's domain: recovers to a stranger.
    message = inbound()
    signatures = attest(
        message, "0x00000000000000000000000000000000000B0B0B", accounts[17].address, signers[:2]
    )
    with reverts(gateway.GatewayNotOperator):
        gateway.receiveMessage(message.as_tuple(), signatures, sender=relayer)


def test_message_from_an_unregistered_source_chain_is_refused(gateway, inbound, sign, relayer):
    message = inbound(src_chain_id=77)
    with reverts(gateway.GatewayUnknownChain, chainId=77):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)


def test_attestation_naming_another_source_gateway_is_refused(gateway, inbound, sign, relayer, accounts):
    message = inbound()
    with reverts(gateway.GatewayNotOperator):
        gateway.receiveMessage(message.as_tuple(), sign(message, source=accounts[17].address), sender=relayer)


def test_forged_signature_is_refused(
    gateway, token, inbound, signers, relayer, outsider, investor_alice, asset_id
):
    from tokenized_stocks.devtools.bridge import local_signer

    message = inbound()
    forged = attest(
        message,
        "0x00000000000000000000000000000000000B0B0B",
        gateway.address,
        [signers[0], local_signer(outsider)],
    )
    with reverts(gateway.GatewayNotOperator, signer=outsider.address):
        gateway.receiveMessage(message.as_tuple(), forged, sender=relayer)
    _nothing_moved(token, gateway, investor_alice, asset_id, 0, 0)


def test_malformed_signature_is_refused(gateway, inbound, sign, relayer):
    message = inbound()
    signatures = sign(message)
    with reverts(gateway.GatewayInvalidSignature, index=1):
        gateway.receiveMessage(message.as_tuple(), [signatures[0], signatures[1][:64]], sender=relayer)


def test_a_signature_over_another_message_is_refused(gateway, inbound, sign, relayer):
    message = inbound()
    with reverts(gateway.GatewayNotOperator):
        gateway.receiveMessage(message.as_tuple(), sign(inbound(units=1)), sender=relayer)


def test_duplicate_signer_is_not_counted_twice(gateway, inbound, sign, signers, relayer):
    message = inbound()
    [signature] = sign(message, who=[signers[0]])
    with reverts(gateway.GatewaySignersNotAscending, signer=signers[0].address, previous=signers[0].address):
        gateway.receiveMessage(message.as_tuple(), [signature, signature], sender=relayer)


def test_below_threshold_is_refused(gateway, inbound, sign, signers, relayer):
    message = inbound()
    with reverts(gateway.GatewayBelowThreshold, signatures=1, threshold=2):
        gateway.receiveMessage(message.as_tuple(), sign(message, who=[signers[0]]), sender=relayer)


def test_removed_operator_no_longer_counts(gateway, inbound, sign, signers, operators, issuer, relayer):
    gateway.removeOperator(operators[1], sender=issuer)
    message = inbound()
    with reverts(gateway.GatewayNotOperator, signer=operators[1].address):
        gateway.receiveMessage(
            message.as_tuple(), sign(message, who=[signers[0], signers[1]]), sender=relayer
        )


def test_expired_message_is_refused(gateway, token, inbound, sign, relayer, chain):
    message = inbound()
    chain.pending_timestamp = message.expiry + 1
    with reverts(gateway.GatewayMessageExpired, messageId=message.id, expiry=message.expiry):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)


def test_receive_is_refused_while_paused(gateway, inbound, sign, guardian, relayer):
    gateway.pause(sender=guardian)
    message = inbound()
    with reverts(gateway.EnforcedPause):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)


def test_direct_crosschain_mint_by_an_outsider_is_refused(token, outsider):
    with reverts(token.AssetUnauthorizedGateway, caller=outsider.address):
        token.crosschainMint(outsider, 1, sender=outsider)


def test_direct_crosschain_burn_by_an_outsider_is_refused(funded, outsider, investor_alice):
    with reverts(funded.AssetUnauthorizedGateway, caller=outsider.address):
        funded.crosschainBurn(investor_alice, 1, sender=outsider)


def test_a_message_of_unknown_kind_cannot_reach_an_admin_function(gateway, inbound, sign, relayer, outsider):
    # A fully attested message that "asks" for kind 3 (e.g. to grant a role or add an operator):
    # the gateway only knows Transfer, Return and CorporateAction.
    message = inbound(kind=3, recipient=outsider.address)
    with reverts(gateway.GatewayUnsupportedMessage, version=2, kind=3):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    assert not gateway.isOperator(outsider)
    assert not gateway.hasRole(b"\x00" * 32, outsider)


def test_a_message_of_unknown_version_is_refused(gateway, inbound, sign, relayer):
    message = inbound(version=1)  # the layout before both gateways were named
    with reverts(gateway.GatewayUnsupportedMessage, version=1, kind=0):
        gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)


def test_corporate_action_not_from_the_home_chain_is_refused(gateway, token, inbound, sign, relayer):
    # The token's home is chain A: chain B may not dictate its multiplier.
    action = inbound(kind=MessageKind.CORPORATE_ACTION, units=5 * 10**18, corporate_action_epoch=1)
    with reverts(
        gateway.GatewayCorporateActionNotFromHome,
        assetId=action.asset_id,
        srcChainId=CHAIN_B,
        homeChainId=CHAIN_A,
    ):
        gateway.receiveMessage(action.as_tuple(), sign(action), sender=relayer)
    assert token.multiplier() == 10**18


def test_a_signature_with_high_s_is_refused(gateway, inbound, signers, relayer):
    from tokenized_stocks.protocol.message import attestation_digest

    message = inbound()
    digest = attestation_digest(message, "0x00000000000000000000000000000000000B0B0B", gateway.address)
    ordered = sorted(signers[:2], key=lambda a: int(a.address, 16))
    good = [sign_digest(a, digest) for a in ordered]
    n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
    r, s, v = good[0][:32], int.from_bytes(good[0][32:64], "big"), good[0][64]
    malleated = r + (n - s).to_bytes(32, "big") + bytes([55 - v])
    with reverts(gateway.GatewayInvalidSignature, index=0):
        gateway.receiveMessage(message.as_tuple(), [malleated, good[1]], sender=relayer)


__all__ = ["CHAIN_B", "HOUR"]


def test_a_transfer_addressed_to_the_gateway_is_rejected_and_returned(gateway, token, inbound, sign, relayer):
    message = inbound(recipient=gateway.address)
    receipt = gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    [rejected] = receipt.decode_logs(gateway.MessageRejected)
    assert rejected.code == gateway.REJECTED_GATEWAY_RECIPIENT() == 255
    assert token.unitsOf(gateway) == 0
