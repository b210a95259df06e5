"""Every privileged function of the order vault (and the desk's vault registry) refuses an outsider,
and a role holder of one function is an outsider to the others."""

import pytest
from order_desk_helpers import ASSET_ID, REFERENCE_PRICE, USD
from revert_data import reverts

from tokenized_stocks.protocol.roles import DEFAULT_ADMIN_ROLE, EXECUTOR_ROLE, PAUSER_ROLE, TREASURY_ROLE

pytestmark = pytest.mark.usefixtures("funded")

ADDRESS = "0x" + "12" * 20

VAULT_FUNCTIONS = [
    ("fulfilDeposit", EXECUTOR_ROLE, (ADDRESS, USD, REFERENCE_PRICE, 1)),
    ("fulfilRedeem", EXECUTOR_ROLE, (ADDRESS, USD, REFERENCE_PRICE, 1)),
    ("fulfilCancelDeposit", EXECUTOR_ROLE, (ADDRESS,)),
    ("fulfilCancelRedeem", EXECUTOR_ROLE, (ADDRESS,)),
    ("topUpReserve", TREASURY_ROLE, (USD,)),
    ("withdrawReserve", TREASURY_ROLE, (ADDRESS, USD)),
    ("setRateLimit", DEFAULT_ADMIN_ROLE, (1, 1)),
    ("setCancelTimeout", DEFAULT_ADMIN_ROLE, (86400,)),
    ("pause", PAUSER_ROLE, ()),
    ("unpause", DEFAULT_ADMIN_ROLE, ()),
    ("grantRole", DEFAULT_ADMIN_ROLE, (EXECUTOR_ROLE, ADDRESS)),
]


@pytest.mark.parametrize(
    ("function", "required_role", "args"), VAULT_FUNCTIONS, ids=[f[0] for f in VAULT_FUNCTIONS]
)
def test_vault_refuses_an_outsider(vault, outsider, function, required_role, args):
    with reverts(vault.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=required_role):
        getattr(vault, function)(*args, sender=outsider)


def test_the_guardian_pauses_the_vault_at_once_and_its_unpause_is_refused(vault, guardian):
    receipt = vault.pause(sender=guardian)
    assert receipt.events == [vault.Paused(account=guardian)]
    with reverts(
        vault.AccessControlUnauthorizedAccount, account=guardian.address, neededRole=DEFAULT_ADMIN_ROLE
    ):
        vault.unpause(sender=guardian)
    assert vault.paused()


def test_the_admin_unpauses_the_vault(vault, guardian, issuer):
    vault.pause(sender=guardian)
    receipt = vault.unpause(sender=issuer)
    assert receipt.events == [vault.Unpaused(account=issuer)]
    assert not vault.paused()


def test_the_desks_vault_registry_refuses_an_outsider(desk, cash, outsider):
    with reverts(
        desk.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=DEFAULT_ADMIN_ROLE
    ):
        desk.setVault(ASSET_ID, cash, ADDRESS, sender=outsider)


def test_a_role_holder_of_one_function_is_an_outsider_to_the_others(vault, executor, treasury):
    with reverts(vault.AccessControlUnauthorizedAccount, account=executor.address, neededRole=TREASURY_ROLE):
        vault.withdrawReserve(executor, USD, sender=executor)
    with reverts(vault.AccessControlUnauthorizedAccount, account=treasury.address, neededRole=EXECUTOR_ROLE):
        vault.fulfilDeposit(treasury, USD, REFERENCE_PRICE, 1, sender=treasury)


def test_registering_a_vault_of_another_token_or_cash_is_refused(desk, vault, token, cash, dai, issuer):
    with reverts(desk.DeskVaultMismatch, vault=vault.address, share=token.address, asset=cash.address):
        desk.setVault(ASSET_ID, dai, vault, sender=issuer)


def test_one_vault_cannot_be_registered_twice(desk, vault, cash, token, issuer):
    with reverts(desk.DeskVaultMismatch, vault=vault.address, share=token.address, asset=cash.address):
        desk.setVault(ASSET_ID, cash, vault, sender=issuer)


def test_registering_for_an_unlisted_asset_is_refused(desk, vault, cash, issuer):
    unknown = b"\x99" * 32
    with reverts(desk.DeskUnknownAsset, assetId=unknown):
        desk.setVault(unknown, cash, vault, sender=issuer)


def test_a_replaced_vault_loses_its_mint_right(
    desk, vault, deploy_vault, cash, token, issuer, investor_alice, executor
):
    vault.requestDeposit(190 * USD, investor_alice, investor_alice, sender=investor_alice)

    successor = deploy_vault(cash)

    assert token.vault(cash) == successor.address
    with reverts(desk.DeskUnauthorizedVault, caller=vault.address):
        vault.fulfilDeposit(investor_alice, 190 * USD, REFERENCE_PRICE, 1, sender=executor)


def test_a_retired_vault_still_returns_what_it_holds(vault, cash, investor_alice, executor, deploy_vault):
    vault.requestDeposit(190 * USD, investor_alice, investor_alice, sender=investor_alice)
    deploy_vault(cash)  # the successor takes over the (token, cash) pair
    before = cash.balanceOf(investor_alice)

    vault.cancelDepositRequest(0, investor_alice, sender=investor_alice)
    vault.fulfilCancelDeposit(investor_alice, sender=executor)
    vault.claimCancelDepositRequest(0, investor_alice, investor_alice, sender=investor_alice)

    assert cash.balanceOf(investor_alice) == before + 190 * USD
