"""Finding 13.2: one sanctions perimeter around the ERC-4626 vault.

The certificate's rule (cached flag, or oracle in live mode) applies to every party that benefits:
caller, owner and receiver of deposit / mint / withdraw / redeem, and sender, recipient and spender
of a vault-share transfer. A sanctioned holder can neither unwrap to a clean receiver nor hand its
vault shares to someone who unwraps.
"""

import pytest
from revert_data import reverts

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.multiplier import ONE


@pytest.fixture(scope="module")
def funded(funded_once):
    """Every test of this module starts from these balances: minted once per module."""
    return funded_once


@pytest.fixture(scope="module")
def vault(project, issuer, funded):
    return deploy_behind_proxy(
        project, issuer, project.CertificateVault, funded, "Wrapped AAPLx", "wAAPLx", issuer
    )


@pytest.fixture
def wrapped(funded, vault, investor_alice):
    """Alice wrapped 40 certificates."""
    funded.approve(vault, 40 * ONE, sender=investor_alice)
    vault.deposit(40 * ONE, investor_alice, sender=investor_alice)
    return vault


@pytest.fixture
def sanction(sanctions, compliance_officer):
    def sanction(account):
        sanctions.setSanctioned(account, True, sender=compliance_officer)

    return sanction


def test_a_sanctioned_owner_cannot_redeem_to_a_clean_receiver(
    wrapped, sanction, investor_alice, investor_bob
):
    sanction(investor_alice)

    with reverts(wrapped.CertificateVaultSanctioned, account=investor_alice):
        wrapped.redeem(ONE, investor_bob, investor_alice, sender=investor_alice)


def test_a_sanctioned_owner_cannot_withdraw_to_a_clean_receiver(
    wrapped, sanction, investor_alice, investor_bob
):
    sanction(investor_alice)

    with reverts(wrapped.CertificateVaultSanctioned, account=investor_alice):
        wrapped.withdraw(ONE, investor_bob, investor_alice, sender=investor_alice)


def test_a_clean_operator_cannot_redeem_for_a_sanctioned_owner(
    wrapped, sanction, investor_alice, investor_bob
):
    wrapped.approve(investor_bob, ONE, sender=investor_alice)
    sanction(investor_alice)

    with reverts(wrapped.CertificateVaultSanctioned, account=investor_alice):
        wrapped.redeem(ONE, investor_bob, investor_alice, sender=investor_bob)


def test_a_sanctioned_holder_cannot_transfer_vault_shares(wrapped, sanction, investor_alice, investor_bob):
    sanction(investor_alice)

    with reverts(wrapped.CertificateVaultSanctioned, account=investor_alice):
        wrapped.transfer(investor_bob, ONE, sender=investor_alice)


def test_a_sanctioned_account_cannot_receive_vault_shares(wrapped, sanction, investor_alice, investor_carol):
    sanction(investor_carol)

    with reverts(wrapped.CertificateVaultSanctioned, account=investor_carol):
        wrapped.transfer(investor_carol, ONE, sender=investor_alice)


def test_a_sanctioned_spender_cannot_move_vault_shares(
    wrapped, sanction, investor_alice, investor_bob, outsider
):
    wrapped.approve(outsider, ONE, sender=investor_alice)
    sanction(outsider)

    with reverts(wrapped.CertificateVaultSanctioned, account=outsider):
        wrapped.transferFrom(investor_alice, investor_bob, ONE, sender=outsider)


def test_a_deposit_cannot_credit_a_sanctioned_receiver(funded, vault, sanction, investor_bob, investor_carol):
    funded.approve(vault, ONE, sender=investor_bob)
    sanction(investor_carol)

    with reverts(vault.CertificateVaultSanctioned, account=investor_carol):
        vault.deposit(ONE, investor_carol, sender=investor_bob)


def test_a_mint_cannot_credit_a_sanctioned_receiver(funded, vault, sanction, investor_bob, investor_carol):
    funded.approve(vault, ONE, sender=investor_bob)
    sanction(investor_carol)

    with reverts(vault.CertificateVaultSanctioned, account=investor_carol):
        vault.mint(ONE, investor_carol, sender=investor_bob)


def test_live_screening_applies_to_the_vault_too(
    funded, wrapped, sanctions, compliance_officer, issuer, investor_alice, investor_bob
):
    funded.setLiveScreening(True, sender=issuer)
    sanctions.removeSubscriber(funded, sender=issuer)  # the cache lags; the oracle does not
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)

    assert not funded.isSanctionedCached(investor_alice)
    with reverts(wrapped.CertificateVaultSanctioned, account=investor_alice):
        wrapped.redeem(ONE, investor_bob, investor_alice, sender=investor_alice)


def test_clean_parties_still_wrap_transfer_and_unwrap(funded, wrapped, investor_alice, investor_bob):
    wrapped.transfer(investor_bob, ONE, sender=investor_alice)
    before, expected = funded.balanceOf(investor_bob), wrapped.previewRedeem(ONE)

    wrapped.redeem(ONE, investor_bob, investor_bob, sender=investor_bob)

    assert funded.balanceOf(investor_bob) == before + expected
    assert wrapped.balanceOf(investor_bob) == 0
