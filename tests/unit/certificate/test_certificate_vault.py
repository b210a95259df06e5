"""CertificateVault: a non-rebasing ERC-4626 wrapper; wrapping across a split returns the split amount."""

import pytest
from ape import chain
from certificate_constants import pinned_now

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


def deposit(cert, vault, holder, assets: int) -> int:
    cert.approve(vault, assets, sender=holder)
    vault.deposit(assets, holder, sender=holder)
    return vault.balanceOf(holder)


def test_deposit_mints_shares_one_for_one_at_the_start(funded, vault, investor_alice):
    shares = deposit(funded, vault, investor_alice, 40 * ONE)

    assert shares == 40 * ONE
    assert vault.totalAssets() == 40 * ONE
    assert funded.balanceOf(investor_alice) == 60 * ONE


def test_vault_shares_do_not_rebase_but_are_worth_twice_as_much_after_a_split(
    funded, vault, schedule, investor_alice
):
    shares = deposit(funded, vault, investor_alice, 40 * ONE)
    _, activation = schedule(2 * ONE, delay=10)
    chain.mine(timestamp=activation)

    assert vault.balanceOf(investor_alice) == shares
    assert vault.totalAssets() == 80 * ONE
    assert 80 * ONE - 1 <= vault.convertToAssets(shares) <= 80 * ONE


def test_unwrapping_after_a_split_returns_the_split_amount(funded, vault, schedule, investor_alice):
    shares = deposit(funded, vault, investor_alice, 40 * ONE)
    _, activation = schedule(2 * ONE, delay=10)
    chain.mine(timestamp=activation)
    expected = vault.previewRedeem(shares)

    vault.redeem(shares, investor_alice, investor_alice, sender=investor_alice)

    assert 80 * ONE - 1 <= expected <= 80 * ONE  # OZ virtual share rounds the payout down
    # The certificate debits the vault's units rounded up, so Alice receives at least `expected`
    # and at most one unit's worth (2 wei at multiplier 2) more: here the vault's last unit.
    received = funded.balanceOf(investor_alice) - 60 * 2 * ONE
    assert expected <= received <= expected + 2
    assert funded.unitsOf(vault) == 0
    assert vault.totalSupply() == 0


def test_a_depositor_after_the_split_gets_shares_at_the_new_price(
    funded, vault, schedule, investor_alice, investor_bob
):
    deposit(funded, vault, investor_alice, 40 * ONE)
    _, activation = schedule(2 * ONE, delay=10)
    chain.mine(timestamp=activation)

    bob_shares = deposit(funded, vault, investor_bob, 20 * ONE)

    assert 10 * ONE - 1 <= bob_shares <= 10 * ONE
    assert vault.balanceOf(investor_alice) == 40 * ONE


def test_withdrawing_exact_assets_pays_at_least_those_assets(funded, vault, transfer_agent, investor_alice):
    deposit(funded, vault, investor_alice, 40 * ONE)
    funded.scheduleMultiplierUpdate(ONE, ONE * 3 // 2, pinned_now(), 1, sender=transfer_agent)
    before = funded.balanceOf(investor_alice)

    vault.withdraw(7, investor_alice, investor_alice, sender=investor_alice)

    assert funded.balanceOf(investor_alice) >= before + 7
