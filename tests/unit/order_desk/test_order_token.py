"""The per-stock token: minted only by the desk and the gateway; freely transferable except to or
from sanctioned or frozen wallets; paused per asset or for all assets; ERC-7802 for the gateway."""

import ape
import pytest
from eth_abi import encode
from eth_utils import keccak
from order_desk_helpers import ALICE, ASSET_ID, ISIN, SHARE, ZERO_ADDRESS
from revert_data import reverts

from tokenized_stocks.deploy.proxy import initializer_call
from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.permit import sign_permit
from tokenized_stocks.protocol.roles import Architecture

pytestmark = pytest.mark.usefixtures("funded")

ONE = 10**18


@pytest.fixture
def gateway(relayer, token, issuer):
    """An account registered as the token's gateway, so tests can mint without the desk."""
    token.setGateway(relayer, sender=issuer)
    return relayer


@pytest.fixture
def alice_holds(token, gateway, investor_alice) -> int:
    token.crosschainMint(investor_alice, 100 * SHARE, sender=gateway)
    return 100 * SHARE


# ---------------------------------------------------------------------------------------------
# Identity and minting rights
# ---------------------------------------------------------------------------------------------


def test_token_carries_the_mint_on_order_identity(token, desk):
    assert token.assetId() == ASSET_ID
    assert token.isin() == ISIN
    assert token.architecture() == Architecture.MINT_ON_ORDER
    assert token.desk() == desk.address
    assert token.multiplier() == ONE


def test_token_with_another_architecture_is_refused(
    project, issuer, desk, desk_registry, sanctions, identity
):
    params = identity[:3] + (Architecture.REGISTRY_SHARE,) + identity[4:]
    # Simulated with a raw eth_call of the proxy's creation code (its constructor runs `initialize`):
    # ape decodes a failed deployment with the contract type last seen at the would-be address, which
    # after snapshot reverts can be another test's contract (and then fails to decode). The revert
    # data itself is what the spec is about.
    implementation = issuer.deploy(project.OrderToken)
    init = initializer_call(project.OrderToken, (issuer, "X", "X", params, desk, desk_registry, sanctions))
    proxy = project.SuiteProxy
    args = proxy.constructor.encode_input(implementation, init)
    creation = proxy.contract_type.deployment_bytecode.bytecode + args.hex().removeprefix("0x")
    error = project.OrderToken.contract_type.errors["IdentityInvalid"]
    with pytest.raises(Exception) as refused:
        ape.chain.provider.web3.eth.call({"from": issuer.address, "data": creation})
    data = getattr(refused.value, "data", None) or refused.value.args[-1]
    assert data == "0x" + (keccak(text=error.selector)[:4] + encode(["string"], ["architecture"])).hex()


def test_only_the_desk_mints(token, outsider, investor_alice):
    with reverts(token.OrderTokenUnauthorizedDesk, caller=outsider.address):
        token.mint(investor_alice, SHARE, sender=outsider)


def test_only_the_desk_burns(token, alice_holds, investor_alice):
    with reverts(token.OrderTokenUnauthorizedDesk, caller=investor_alice.address):
        token.burn(investor_alice, SHARE, sender=investor_alice)


# ---------------------------------------------------------------------------------------------
# Transfers
# ---------------------------------------------------------------------------------------------


def test_holder_transfers_to_an_unregistered_wallet(token, alice_holds, investor_alice, investor_carol):
    receipt = token.transfer(investor_carol, 10 * SHARE, sender=investor_alice)

    assert receipt.events == [token.Transfer(investor_alice, investor_carol, 10 * SHARE)]
    assert token.balanceOf(investor_carol) == 10 * SHARE


def test_transfer_to_a_sanctioned_wallet_is_refused(
    token, sanctions, compliance_officer, alice_holds, investor_alice, investor_bob
):
    sanctions.setSanctioned(investor_bob, True, sender=compliance_officer)

    with reverts(token.OrderTokenSanctioned, account=investor_bob.address):
        token.transfer(investor_bob, SHARE, sender=investor_alice)

    assert token.balanceOf(investor_alice) == alice_holds


def test_transfer_from_a_sanctioned_wallet_is_refused(
    token, sanctions, compliance_officer, alice_holds, investor_alice, investor_bob
):
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)

    with reverts(token.OrderTokenSanctioned, account=investor_alice.address):
        token.transfer(investor_bob, SHARE, sender=investor_alice)


def test_transfer_to_a_wallet_frozen_on_the_token_is_refused(
    token, compliance_officer, alice_holds, investor_alice, investor_bob
):
    token.setFrozen(investor_bob, True, sender=compliance_officer)

    with reverts(token.OrderTokenFrozen, account=investor_bob.address):
        token.transfer(investor_bob, SHARE, sender=investor_alice)


def test_transfer_from_a_wallet_frozen_on_the_token_is_refused(
    token, compliance_officer, alice_holds, investor_alice, investor_bob
):
    token.setFrozen(investor_alice, True, sender=compliance_officer)

    with reverts(token.OrderTokenFrozen, account=investor_alice.address):
        token.transfer(investor_bob, SHARE, sender=investor_alice)


def test_transfer_from_a_frozen_investor_is_refused(
    token, desk_registry, registrar, alice_holds, investor_alice, investor_bob
):
    desk_registry.setInvestorFrozen(ALICE, True, sender=registrar)

    with reverts(token.OrderTokenFrozen, account=investor_alice.address):
        token.transfer(investor_bob, SHARE, sender=investor_alice)


def test_transfer_to_another_wallet_of_a_frozen_investor_is_refused(
    token, desk_registry, registrar, gateway, investor_bob, investor_alice_2
):
    token.crosschainMint(investor_bob, SHARE, sender=gateway)
    desk_registry.setInvestorFrozen(ALICE, True, sender=registrar)

    with reverts(token.OrderTokenFrozen, account=investor_alice_2.address):
        token.transfer(investor_alice_2, SHARE, sender=investor_bob)


def test_unfrozen_wallet_transfers_again(
    token, compliance_officer, alice_holds, investor_alice, investor_bob
):
    token.setFrozen(investor_alice, True, sender=compliance_officer)
    token.setFrozen(investor_alice, False, sender=compliance_officer)

    token.transfer(investor_bob, SHARE, sender=investor_alice)

    assert token.balanceOf(investor_bob) == SHARE


def test_set_frozen_emits_and_refuses_no_change(token, compliance_officer, investor_bob):
    receipt = token.setFrozen(investor_bob, True, sender=compliance_officer)

    assert receipt.events == [token.WalletFrozen(investor_bob, True, compliance_officer)]
    assert token.isFrozen(investor_bob)
    with reverts(token.OrderTokenFreezeUnchanged, account=investor_bob.address, frozen=True):
        token.setFrozen(investor_bob, True, sender=compliance_officer)


# ---------------------------------------------------------------------------------------------
# Pause
# ---------------------------------------------------------------------------------------------


def test_asset_pause_refuses_transfers(token, guardian, alice_holds, investor_alice, investor_bob):
    receipt = token.pause(sender=guardian)

    assert receipt.events == [token.Paused(guardian)]
    with reverts(token.OrderTokenPaused, assetId=ASSET_ID):
        token.transfer(investor_bob, SHARE, sender=investor_alice)


def test_desk_pause_refuses_transfers_of_every_asset(
    token, desk, deploy_token, identity, gateway, guardian, issuer, alice_holds, investor_alice, investor_bob
):
    other_params = (b"\x07" * 32, "US5949181045", "MSFT") + identity[3:]
    other = deploy_token(desk, other_params)
    other.setGateway(gateway, sender=issuer)
    other.crosschainMint(investor_alice, SHARE, sender=gateway)
    desk.pause(sender=guardian)

    with reverts(token.OrderTokenPaused, assetId=ASSET_ID):
        token.transfer(investor_bob, SHARE, sender=investor_alice)
    with reverts(other.OrderTokenPaused, assetId=b"\x07" * 32):
        other.transfer(investor_bob, SHARE, sender=investor_alice)


def test_pausing_twice_is_refused(token, guardian):
    token.pause(sender=guardian)

    with reverts(token.EnforcedPause):
        token.pause(sender=guardian)


# ---------------------------------------------------------------------------------------------
# ERC-1404
# ---------------------------------------------------------------------------------------------


def test_restriction_codes_name_the_rule(
    token, sanctions, compliance_officer, guardian, alice_holds, investor_alice, investor_bob, investor_carol
):
    assert token.detectTransferRestriction(investor_alice, investor_bob, 1) == Restriction.NONE
    sanctions.setSanctioned(investor_bob, True, sender=compliance_officer)
    token.setFrozen(investor_carol, True, sender=compliance_officer)
    assert (
        token.detectTransferRestriction(investor_alice, investor_bob, 1) == Restriction.RECIPIENT_SANCTIONED
    )
    assert (
        token.detectTransferRestriction(investor_carol, investor_alice, 1) == Restriction.SENDER_WALLET_FROZEN
    )
    token.pause(sender=guardian)
    assert token.detectTransferRestriction(investor_alice, investor_alice, 1) == Restriction.PAUSED
    codes = [
        Restriction.NONE,
        Restriction.PAUSED,
        Restriction.RECIPIENT_SANCTIONED,
        Restriction.SENDER_WALLET_FROZEN,
    ]
    assert [token.messageForTransferRestriction(c) for c in codes] == [
        "No restriction",
        "The asset is paused",
        "Recipient is sanctioned",
        "Sender wallet is frozen",
    ]
    assert token.messageForTransferRestriction(20) == "Unknown restriction code"


# ---------------------------------------------------------------------------------------------
# ICrosschainAsset (ERC-7802)
# ---------------------------------------------------------------------------------------------


def test_set_gateway_emits(token, issuer, relayer):
    receipt = token.setGateway(relayer, sender=issuer)

    assert receipt.events == [token.GatewaySet(relayer)]
    assert token.gateway() == relayer.address


def test_gateway_mints_units_equal_to_tokens(token, gateway, investor_alice):
    receipt = token.crosschainMint(investor_alice, 5 * SHARE, sender=gateway)

    assert receipt.events == [
        token.Transfer(ZERO_ADDRESS, investor_alice, 5 * SHARE),
        token.CrosschainMint(investor_alice, 5 * SHARE, gateway),
    ]
    assert token.balanceOf(investor_alice) == 5 * SHARE


def test_gateway_burns_the_senders_units(token, gateway, alice_holds, investor_alice):
    receipt = token.crosschainBurn(investor_alice, 5 * SHARE, sender=gateway)

    assert receipt.events == [
        token.Transfer(investor_alice, ZERO_ADDRESS, 5 * SHARE),
        token.CrosschainBurn(investor_alice, 5 * SHARE, gateway),
    ]
    assert token.totalSupply() == alice_holds - 5 * SHARE


def test_non_gateway_cannot_mint_or_burn(token, gateway, outsider, investor_alice):
    with reverts(token.AssetUnauthorizedGateway, caller=outsider.address):
        token.crosschainMint(investor_alice, 1, sender=outsider)
    with reverts(token.AssetUnauthorizedGateway, caller=outsider.address):
        token.crosschainBurn(investor_alice, 1, sender=outsider)


def test_crosschain_burn_applies_the_senders_checks(
    token, gateway, compliance_officer, alice_holds, investor_alice
):
    token.setFrozen(investor_alice, True, sender=compliance_officer)

    with reverts(token.OrderTokenFrozen, account=investor_alice.address):
        token.crosschainBurn(investor_alice, SHARE, sender=gateway)


def test_crosschain_mint_to_a_sanctioned_wallet_is_refused(
    token, gateway, sanctions, compliance_officer, investor_bob
):
    sanctions.setSanctioned(investor_bob, True, sender=compliance_officer)

    assert token.crosschainRestriction(investor_bob, SHARE) == Restriction.RECIPIENT_SANCTIONED
    with reverts(token.OrderTokenSanctioned, account=investor_bob.address):
        token.crosschainMint(investor_bob, SHARE, sender=gateway)


def test_crosschain_restriction_reports_frozen_and_paused(
    token, desk_registry, registrar, guardian, investor_alice, investor_bob
):
    assert token.crosschainRestriction(investor_alice, SHARE) == Restriction.NONE
    desk_registry.setInvestorFrozen(ALICE, True, sender=registrar)
    assert token.crosschainRestriction(investor_alice, SHARE) == Restriction.RECIPIENT_INVESTOR_FROZEN
    token.pause(sender=guardian)
    assert token.crosschainRestriction(investor_bob, SHARE) == Restriction.PAUSED


def test_sync_on_the_home_chain_is_refused(token, gateway):
    with reverts(token.OrderTokenSyncOnHomeChain):
        token.syncCorporateAction(1, ONE, sender=gateway)


@pytest.fixture
def remote_token(deploy_token, desk, identity, issuer, relayer):
    """The same asset deployed on a chain that is not its home chain (home chain id 1)."""
    contract = deploy_token(desk, identity[:4] + (1,) + identity[5:])
    contract.setGateway(relayer, sender=issuer)
    return contract


def test_sync_on_another_chain_advances_the_epoch(remote_token, relayer):
    receipt = remote_token.syncCorporateAction(3, ONE, sender=relayer)

    assert receipt.events == [remote_token.CorporateActionSynced(3, ONE)]
    assert remote_token.corporateActionEpoch() == 3
    assert remote_token.multiplier() == ONE


def test_sync_of_an_older_epoch_is_refused(remote_token, relayer):
    remote_token.syncCorporateAction(3, ONE, sender=relayer)

    with reverts(remote_token.AssetStaleCorporateAction, epoch=3, currentEpoch=3):
        remote_token.syncCorporateAction(3, ONE, sender=relayer)


def test_sync_of_another_multiplier_is_refused(remote_token, relayer):
    with reverts(remote_token.OrderTokenUnsupportedMultiplier, multiplier=2 * ONE):
        remote_token.syncCorporateAction(1, 2 * ONE, sender=relayer)


def test_sync_by_a_non_gateway_is_refused(remote_token, outsider):
    with reverts(remote_token.AssetUnauthorizedGateway, caller=outsider.address):
        remote_token.syncCorporateAction(1, ONE, sender=outsider)


# ---------------------------------------------------------------------------------------------
# Permit
# ---------------------------------------------------------------------------------------------


def test_permit_sets_an_allowance_from_a_signature(token, chain, alice_holds, investor_alice, investor_bob):
    deadline = chain.pending_timestamp + 600
    v, r, s = sign_permit(
        investor_alice.private_key,
        token_name=token.name(),
        chain_id=chain.chain_id,
        token=token.address,
        owner=investor_alice.address,
        spender=investor_bob.address,
        value=SHARE,
        nonce=0,
        deadline=deadline,
    )

    token.permit(investor_alice, investor_bob, SHARE, deadline, v, r, s, sender=investor_bob)

    assert token.allowance(investor_alice, investor_bob) == SHARE
