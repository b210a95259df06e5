"""ERC-7575: two stablecoins (6 and 18 decimals) subscribe into the same order token through two
vaults; the token names each vault (`vault(asset)`), each keeps its own cash and reserve."""

import pytest
from order_desk_helpers import INITIAL_BUFFER, REFERENCE_PRICE, SHARE, USD
from revert_data import reverts

pytestmark = pytest.mark.usefixtures("funded")

DAI = 10**18


def test_the_token_names_the_vault_of_each_stablecoin(token, cash, dai, vault, dai_vault):
    assert token.vault(cash) == vault.address
    assert token.vault(dai) == dai_vault.address
    assert vault.share() == dai_vault.share() == token.address
    assert (vault.asset(), dai_vault.asset()) == (cash.address, dai.address)


def test_both_stablecoins_subscribe_into_the_same_token(
    token, cash, dai, vault, dai_vault, investor_alice, investor_bob, executor
):
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    dai_vault.requestDeposit(950 * DAI, investor_bob, investor_bob, sender=investor_bob)
    vault.fulfilDeposit(investor_alice, 1_900 * USD, REFERENCE_PRICE, 1, sender=executor)
    dai_vault.fulfilDeposit(investor_bob, 950 * DAI, 190 * DAI, 1, sender=executor)

    vault.deposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    dai_vault.deposit(950 * DAI, investor_bob, investor_bob, sender=investor_bob)

    assert token.balanceOf(investor_alice) == 10 * SHARE
    assert token.balanceOf(investor_bob) == 5 * SHARE
    assert token.totalSupply() == 15 * SHARE
    assert cash.balanceOf(vault) == INITIAL_BUFFER + 1_900 * USD
    assert dai.balanceOf(dai_vault) == (INITIAL_BUFFER + 950 * USD) * 10**12


def test_shares_bought_with_one_stablecoin_redeem_for_the_other(
    token, dai, vault, dai_vault, investor_alice, executor
):
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 1_900 * USD, REFERENCE_PRICE, 1, sender=executor)
    vault.deposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    token.approve(dai_vault, 10 * SHARE, sender=investor_alice)
    before = dai.balanceOf(investor_alice)

    dai_vault.requestRedeem(10 * SHARE, investor_alice, investor_alice, sender=investor_alice)
    dai_vault.fulfilRedeem(investor_alice, 10 * SHARE, 190 * DAI, 1, sender=executor)
    dai_vault.redeem(10 * SHARE, investor_alice, investor_alice, sender=investor_alice)

    assert dai.balanceOf(investor_alice) == before + 1_900 * DAI
    assert token.totalSupply() == 0


def test_each_vault_checks_the_price_in_its_own_decimals(dai_vault, investor_alice, executor):
    dai_vault.requestDeposit(190 * DAI, investor_alice, investor_alice, sender=investor_alice)

    # A 6-decimal price given to the 18-decimal vault is far outside the band.
    with reverts(
        dai_vault.VaultPriceOutOfBand, price=REFERENCE_PRICE, referencePrice=190 * DAI, maxDeviationBps=100
    ):
        dai_vault.fulfilDeposit(investor_alice, 190 * DAI, REFERENCE_PRICE, 1, sender=executor)


def test_fill_ids_are_per_vault(vault, dai_vault, investor_alice, executor):
    vault.requestDeposit(190 * USD, investor_alice, investor_alice, sender=investor_alice)
    dai_vault.requestDeposit(190 * DAI, investor_alice, investor_alice, sender=investor_alice)

    vault.fulfilDeposit(investor_alice, 190 * USD, REFERENCE_PRICE, 5, sender=executor)
    dai_vault.fulfilDeposit(investor_alice, 190 * DAI, 190 * DAI, 5, sender=executor)

    assert vault.claimableDepositRequest(0, investor_alice) == 190 * USD
    assert dai_vault.claimableDepositRequest(0, investor_alice) == 190 * DAI
