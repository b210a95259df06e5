"""Finding 13.7 through the ERC-4626 vault: after a split the asset deltas are exactly the
previewed amounts, and no round trip (deposit->redeem, mint->withdraw, redeem->mint,
withdraw->deposit) leaves the caller with more than it started with, at several multipliers."""

import pytest
from ape import chain

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.multiplier import ONE

MULTIPLIERS = [ONE * 3 // 2, ONE * 2 // 3, ONE * 7 // 3]
ODD = [1, 3, ONE + 1, 13 * ONE // 7]


@pytest.fixture(scope="module")
def funded(funded_once):
    """Every test of this module starts from these balances: minted once per module."""
    return funded_once


@pytest.fixture(scope="module")
def vault(project, issuer, funded, investor_alice, investor_bob):
    """A vault where Alice wrapped 40 and Bob 20 certificates; both approved it for everything."""
    v = deploy_behind_proxy(
        project, issuer, project.CertificateVault, funded, "Wrapped AAPLx", "wAAPLx", issuer
    )
    for holder, assets in ((investor_alice, 40 * ONE), (investor_bob, 20 * ONE)):
        funded.approve(v, 2**256 - 1, sender=holder)
        v.deposit(assets, holder, sender=holder)
    return v


@pytest.fixture
def at_multiplier(funded, schedule):
    def at(m: int):
        if m != ONE:
            _, activation = schedule(m, delay=10)
            chain.mine(timestamp=activation)

    return at


def position(cert, vault, holder) -> tuple[int, int]:
    return cert.balanceOf(holder), vault.balanceOf(holder)


@pytest.mark.parametrize("m", MULTIPLIERS)
@pytest.mark.parametrize("amount", ODD)
def test_withdraw_moves_exactly_the_assets(funded, vault, at_multiplier, investor_alice, m, amount):
    at_multiplier(m)
    alice, held = funded.balanceOf(investor_alice), funded.balanceOf(vault)

    vault.withdraw(amount, investor_alice, investor_alice, sender=investor_alice)

    assert funded.balanceOf(investor_alice) == alice + amount
    assert funded.balanceOf(vault) == held - amount


@pytest.mark.parametrize("m", MULTIPLIERS)
@pytest.mark.parametrize("shares", ODD)
def test_redeem_pays_exactly_the_preview(funded, vault, at_multiplier, investor_alice, m, shares):
    at_multiplier(m)
    alice, expected = funded.balanceOf(investor_alice), vault.previewRedeem(shares)

    vault.redeem(shares, investor_alice, investor_alice, sender=investor_alice)

    assert funded.balanceOf(investor_alice) == alice + expected


@pytest.mark.parametrize("m", MULTIPLIERS)
@pytest.mark.parametrize("amount", ODD)
def test_deposit_then_redeem_never_profits(funded, vault, at_multiplier, investor_carol, issuer, m, amount):
    at_multiplier(m)
    funded.mint(investor_carol, 10 * ONE, sender=issuer)
    funded.approve(vault, 2**256 - 1, sender=investor_carol)
    start = funded.balanceOf(investor_carol)

    vault.deposit(amount, investor_carol, sender=investor_carol)
    vault.redeem(vault.balanceOf(investor_carol), investor_carol, investor_carol, sender=investor_carol)

    assert funded.balanceOf(investor_carol) <= start


@pytest.mark.parametrize("m", MULTIPLIERS)
@pytest.mark.parametrize("shares", ODD)
def test_mint_then_withdraw_never_profits(funded, vault, at_multiplier, investor_carol, issuer, m, shares):
    at_multiplier(m)
    funded.mint(investor_carol, 10 * ONE, sender=issuer)
    funded.approve(vault, 2**256 - 1, sender=investor_carol)
    start = funded.balanceOf(investor_carol)

    vault.mint(shares, investor_carol, sender=investor_carol)
    vault.withdraw(vault.maxWithdraw(investor_carol), investor_carol, investor_carol, sender=investor_carol)
    vault.redeem(vault.balanceOf(investor_carol), investor_carol, investor_carol, sender=investor_carol)

    assert funded.balanceOf(investor_carol) <= start


@pytest.mark.parametrize("m", MULTIPLIERS)
@pytest.mark.parametrize("shares", ODD)
def test_redeem_then_mint_never_profits(funded, vault, at_multiplier, investor_alice, m, shares):
    at_multiplier(m)
    start_assets, start_shares = position(funded, vault, investor_alice)

    vault.redeem(shares, investor_alice, investor_alice, sender=investor_alice)
    vault.mint(shares, investor_alice, sender=investor_alice)

    assert vault.balanceOf(investor_alice) == start_shares
    assert funded.balanceOf(investor_alice) <= start_assets


@pytest.mark.parametrize("m", MULTIPLIERS)
@pytest.mark.parametrize("amount", ODD)
def test_withdraw_then_deposit_never_profits(funded, vault, at_multiplier, investor_alice, m, amount):
    at_multiplier(m)
    start_assets, start_shares = position(funded, vault, investor_alice)

    vault.withdraw(amount, investor_alice, investor_alice, sender=investor_alice)
    vault.deposit(amount, investor_alice, sender=investor_alice)

    assert funded.balanceOf(investor_alice) == start_assets
    assert vault.balanceOf(investor_alice) <= start_shares
