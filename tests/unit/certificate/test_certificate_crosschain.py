"""ICrosschainAsset: units in and out through the gateway only; corporate actions synced from home."""

from ape import chain
from certificate_constants import ZERO
from revert_data import reverts

from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.multiplier import ONE, to_tokens_down


def test_set_gateway_emits_gateway_set(cert, issuer, gateway):
    receipt = cert.setGateway(gateway, sender=issuer)

    assert receipt.events == [cert.GatewaySet(gateway=gateway.address)]
    assert cert.gateway() == gateway.address


def test_only_the_gateway_mints_and_burns(funded, outsider, investor_alice):
    with reverts(funded.AssetUnauthorizedGateway, caller=outsider):
        funded.crosschainMint(investor_alice, ONE, sender=outsider)
    with reverts(funded.AssetUnauthorizedGateway, caller=outsider):
        funded.crosschainBurn(investor_alice, ONE, sender=outsider)
    with reverts(funded.AssetUnauthorizedGateway, caller=outsider):
        funded.syncCorporateAction(1, 2 * ONE, sender=outsider)


def test_crosschain_mint_credits_units_and_emits_erc7802_events(remote_cert, gateway, issuer, investor_alice):
    gateway.syncOn(remote_cert, 1, 2 * ONE, sender=issuer)

    receipt = gateway.mintOn(remote_cert, investor_alice, 5 * ONE, sender=issuer)

    assert receipt.events == [
        remote_cert.Transfer(ZERO, investor_alice, 10 * ONE),
        remote_cert.UnitsTransferred(ZERO, investor_alice, 5 * ONE),
        remote_cert.CrosschainMint(investor_alice, 10 * ONE, gateway.address),  # tokens (ERC-7802)
    ]
    assert remote_cert.unitsOf(investor_alice) == 5 * ONE
    assert remote_cert.balanceOf(investor_alice) == 10 * ONE


def test_crosschain_burn_takes_the_senders_units(funded, gateway, issuer, investor_alice):
    receipt = gateway.burnOn(funded, investor_alice, 40 * ONE, sender=issuer)

    assert receipt.events == [
        funded.Transfer(investor_alice, ZERO, 40 * ONE),
        funded.UnitsTransferred(investor_alice, ZERO, 40 * ONE),
        funded.CrosschainBurn(investor_alice, 40 * ONE, gateway.address),
    ]
    assert funded.unitsOf(investor_alice) == 60 * ONE
    assert funded.totalUnits() == 110 * ONE


def test_crosschain_burn_applies_the_sender_checks_of_a_transfer(
    funded, gateway, issuer, sanctions, compliance_officer, guardian, investor_alice
):
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)
    with reverts(funded.CertificateSanctioned, account=investor_alice):
        gateway.burnOn(funded, investor_alice, ONE, sender=issuer)
    sanctions.setSanctioned(investor_alice, False, sender=compliance_officer)
    funded.pause(sender=guardian)
    with reverts(funded.EnforcedPause):
        gateway.burnOn(funded, investor_alice, ONE, sender=issuer)


def test_crosschain_burn_above_the_holding_is_refused(funded, gateway, issuer, investor_bob):
    # Balances are tokens (finding 13.7): the units burned cost ceil(units * m) tokens of balance.
    with reverts(funded.ERC20InsufficientBalance, sender=investor_bob, balance=50 * ONE, needed=51 * ONE):
        gateway.burnOn(funded, investor_bob, 51 * ONE, sender=issuer)


def test_crosschain_restriction_reports_what_crosschain_mint_enforces(
    remote_cert, gateway, issuer, sanctions, compliance_officer, guardian, investor_alice, investor_bob
):
    assert remote_cert.crosschainRestriction(investor_alice, ONE) == 0
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)
    assert remote_cert.crosschainRestriction(investor_alice, ONE) == Restriction.RECIPIENT_SANCTIONED
    with reverts(remote_cert.CertificateSanctioned, account=investor_alice):
        gateway.mintOn(remote_cert, investor_alice, ONE, sender=issuer)
    remote_cert.pause(sender=guardian)
    assert remote_cert.crosschainRestriction(investor_bob, ONE) == Restriction.PAUSED
    with reverts(remote_cert.EnforcedPause):
        gateway.mintOn(remote_cert, investor_bob, ONE, sender=issuer)


def test_sync_applies_the_home_multiplier_and_epoch(remote_cert, gateway, issuer, investor_alice):
    gateway.mintOn(remote_cert, investor_alice, 3, sender=issuer)

    receipt = gateway.syncOn(remote_cert, 2, ONE * 5 // 2, sender=issuer)

    assert receipt.events == [remote_cert.CorporateActionSynced(epoch=2, multiplier=ONE * 5 // 2)]
    assert remote_cert.corporateActionEpoch() == 2
    assert remote_cert.balanceOf(investor_alice) == to_tokens_down(3, ONE * 5 // 2) == 7
    last = remote_cert.multiplierUpdate(remote_cert.multiplierUpdateCount() - 1)
    assert (last.nonce, last.epoch, last.previousMultiplier, last.newMultiplier) == (0, 2, ONE, ONE * 5 // 2)


def test_sync_with_an_epoch_not_newer_is_refused(remote_cert, gateway, issuer):
    gateway.syncOn(remote_cert, 3, 2 * ONE, sender=issuer)

    with reverts(remote_cert.AssetStaleCorporateAction, epoch=3, currentEpoch=3):
        gateway.syncOn(remote_cert, 3, 4 * ONE, sender=issuer)


def test_sync_is_refused_on_the_home_chain(cert, gateway, issuer):
    with reverts(cert.CertificateOnHomeChain, chainId=chain.chain_id):
        gateway.syncOn(cert, 1, 2 * ONE, sender=issuer)


def test_crosschain_mint_is_not_checked_against_reserves(cert, gateway, issuer, investor_alice):
    gateway.mintOn(cert, investor_alice, 2_000_000 * ONE, sender=issuer)  # returning supply

    assert cert.balanceOf(investor_alice) == 2_000_000 * ONE


def test_the_certificate_supports_the_erc7802_interface(cert):
    assert cert.supportsInterface(bytes.fromhex("33331994"))


def test_no_fee_accrues_off_the_home_chain_between_syncs(remote_cert, gateway, issuer, investor_alice):
    gateway.syncOn(remote_cert, 1, 2 * ONE, sender=issuer)
    gateway.mintOn(remote_cert, investor_alice, ONE, sender=issuer)

    chain.mine(deltatime=400 * 86_400)
    remote_cert.accrueFee(sender=issuer)

    assert remote_cert.multiplier() == 2 * ONE
    assert remote_cert.balanceOf(investor_alice) == 2 * ONE
