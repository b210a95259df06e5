"""The order desk's guarantees on the order vault: compliance of owner, controller and receiver,
pause (the vault's and the desk's), the fill-value rate limit, operators, exact cash (fee-on-transfer
refused), and no cash stranded through a whole life cycle."""

import pytest
from order_desk_helpers import (
    ALICE,
    ASSET_ID,
    GLOBAL_CAPACITY,
    INITIAL_BUFFER,
    REFERENCE_PRICE,
    SHARE,
    USD,
    ZERO_ADDRESS,
)
from revert_data import reverts

from tokenized_stocks.protocol.roles import Country, InvestorClass

pytestmark = pytest.mark.usefixtures("funded")

PRICE = REFERENCE_PRICE


def _claimable_deposit(vault, investor, executor, assets=1_900 * USD, fill_id=1):
    vault.requestDeposit(assets, investor, investor, sender=investor)
    vault.fulfilDeposit(investor, assets, PRICE, fill_id, sender=executor)


# -- compliance ------------------------------------------------------------------------------------


def test_an_unverified_controller_is_refused(vault, investor_alice, investor_carol):
    with reverts(vault.VaultInvestorNotVerified, account=investor_carol.address):
        vault.requestDeposit(USD, investor_carol, investor_alice, sender=investor_alice)


def test_an_unverified_owner_is_refused(vault, cash, investor_alice, investor_carol):
    cash.mint(investor_carol, USD, sender=investor_carol)
    cash.approve(vault, USD, sender=investor_carol)

    with reverts(vault.VaultInvestorNotVerified, account=investor_carol.address):
        vault.requestDeposit(USD, investor_alice, investor_carol, sender=investor_carol)


def test_a_frozen_investor_cannot_request(vault, desk_registry, registrar, investor_alice):
    desk_registry.setInvestorFrozen(ALICE, True, sender=registrar)

    with reverts(vault.VaultInvestorNotVerified, account=investor_alice.address):
        vault.requestDeposit(USD, investor_alice, investor_alice, sender=investor_alice)


def test_an_expired_kyc_cannot_request(vault, desk_registry, registrar, investor_alice, chain):
    desk_registry.updateInvestor(
        ALICE, Country.US, InvestorClass.ACCREDITED, chain.pending_timestamp + 10, sender=registrar
    )
    chain.mine(deltatime=60)

    with reverts(vault.VaultInvestorNotVerified, account=investor_alice.address):
        vault.requestDeposit(USD, investor_alice, investor_alice, sender=investor_alice)


def test_an_unverified_receiver_of_shares_is_refused(vault, investor_alice, investor_carol, executor):
    _claimable_deposit(vault, investor_alice, executor)

    with reverts(vault.VaultInvestorNotVerified, account=investor_carol.address):
        vault.deposit(1_900 * USD, investor_carol, investor_alice, sender=investor_alice)


def test_a_sanctioned_receiver_of_shares_is_refused(
    vault, sanctions, compliance_officer, investor_alice, investor_bob, executor
):
    _claimable_deposit(vault, investor_alice, executor)
    sanctions.setSanctioned(investor_bob, True, sender=compliance_officer)

    with reverts(vault.VaultSanctioned, account=investor_bob.address):
        vault.deposit(1_900 * USD, investor_bob, investor_alice, sender=investor_alice)


def test_a_sanctioned_receiver_of_cash_is_refused(
    vault, sanctions, compliance_officer, investor_alice, investor_alice_2, executor
):
    vault.requestDeposit(USD, investor_alice, investor_alice, sender=investor_alice)
    vault.cancelDepositRequest(0, investor_alice, sender=investor_alice)
    vault.fulfilCancelDeposit(investor_alice, sender=executor)
    sanctions.setSanctioned(investor_alice_2, True, sender=compliance_officer)

    with reverts(vault.VaultSanctioned, account=investor_alice_2.address):
        vault.claimCancelDepositRequest(0, investor_alice_2, investor_alice, sender=investor_alice)


def test_a_sanctioned_controller_cannot_claim_to_a_clean_wallet(
    vault, sanctions, compliance_officer, investor_alice, investor_alice_2, executor
):
    _claimable_deposit(vault, investor_alice, executor)
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)

    with reverts(vault.VaultSanctioned, account=investor_alice.address):
        vault.deposit(1_900 * USD, investor_alice_2, investor_alice, sender=investor_alice)


def test_a_request_for_a_sanctioned_controller_is_refused(
    vault, sanctions, compliance_officer, investor_alice, investor_bob
):
    sanctions.setSanctioned(investor_bob, True, sender=compliance_officer)

    with reverts(vault.VaultSanctioned, account=investor_bob.address):
        vault.requestDeposit(USD, investor_bob, investor_alice, sender=investor_alice)


def test_an_unverified_receiver_of_cash_is_refused(vault, investor_alice, investor_carol):
    vault.requestDeposit(USD, investor_alice, investor_alice, sender=investor_alice)

    with reverts(vault.VaultInvestorNotVerified, account=investor_carol.address):
        vault.redeem(1, investor_carol, investor_alice, sender=investor_alice)
    with reverts(vault.VaultInvestorNotVerified, account=investor_carol.address):
        vault.claimCancelDepositRequest(0, investor_carol, investor_alice, sender=investor_alice)


# -- operators -------------------------------------------------------------------------------------


def test_set_operator_emits_and_returns_true(vault, investor_alice, investor_bob):
    receipt = vault.setOperator(investor_bob, True, sender=investor_alice)

    assert receipt.events == [vault.OperatorSet(investor_alice, investor_bob, True)]
    assert receipt.return_value is True
    assert vault.isOperator(investor_alice, investor_bob)
    assert not vault.isOperator(investor_bob, investor_alice)


def test_an_operator_requests_and_claims_for_the_controller(
    vault, token, investor_alice, investor_bob, executor
):
    vault.setOperator(investor_bob, True, sender=investor_alice)

    receipt = vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_bob)
    vault.fulfilDeposit(investor_alice, 1_900 * USD, PRICE, 1, sender=executor)
    vault.deposit(1_900 * USD, investor_alice, investor_alice, sender=investor_bob)

    assert receipt.events[-1] == vault.DepositRequest(
        investor_alice, investor_alice, 0, investor_bob, 1_900 * USD
    )
    assert token.balanceOf(investor_alice) == 10 * SHARE


def test_a_revoked_operator_is_refused(vault, investor_alice, investor_bob):
    vault.setOperator(investor_bob, True, sender=investor_alice)
    vault.setOperator(investor_bob, False, sender=investor_alice)

    with reverts(
        vault.VaultUnauthorizedOperator, account=investor_alice.address, caller=investor_bob.address
    ):
        vault.requestDeposit(USD, investor_alice, investor_alice, sender=investor_bob)


def test_a_stranger_cannot_spend_another_owners_cash(vault, investor_alice, investor_bob):
    with reverts(
        vault.VaultUnauthorizedOperator, account=investor_alice.address, caller=investor_bob.address
    ):
        vault.requestDeposit(USD, investor_bob, investor_alice, sender=investor_bob)


def test_making_oneself_an_operator_is_refused(vault, investor_alice):
    with reverts(
        vault.VaultUnauthorizedOperator, account=investor_alice.address, caller=investor_alice.address
    ):
        vault.setOperator(investor_alice, True, sender=investor_alice)


# -- pause -----------------------------------------------------------------------------------------


def test_the_vaults_pause_stops_requests_fills_and_claims(vault, investor_alice, executor, guardian):
    _claimable_deposit(vault, investor_alice, executor)
    vault.requestDeposit(USD, investor_alice, investor_alice, sender=investor_alice)
    vault.pause(sender=guardian)

    assert vault.maxDeposit(investor_alice) == 0
    for call in (
        lambda: vault.requestDeposit(USD, investor_alice, investor_alice, sender=investor_alice),
        lambda: vault.fulfilDeposit(investor_alice, USD, PRICE, 2, sender=executor),
        lambda: vault.deposit(USD, investor_alice, investor_alice, sender=investor_alice),
        lambda: vault.cancelDepositRequest(0, investor_alice, sender=investor_alice),
    ):
        with reverts(vault.EnforcedPause):
            call()


def test_the_desks_pause_stops_the_vault_too(vault, desk, investor_alice, guardian):
    desk.pause(sender=guardian)

    with reverts(vault.EnforcedPause):
        vault.requestDeposit(USD, investor_alice, investor_alice, sender=investor_alice)
    assert vault.maxDeposit(investor_alice) == 0


def test_unpausing_resumes(vault, investor_alice, guardian, issuer):
    vault.pause(sender=guardian)
    vault.unpause(sender=issuer)

    vault.requestDeposit(USD, investor_alice, investor_alice, sender=investor_alice)

    assert vault.pendingDepositRequest(0, investor_alice) == USD


# -- rate limit ------------------------------------------------------------------------------------


def test_fills_beyond_the_rate_limit_are_refused(vault, investor_alice, executor, issuer):
    vault.setRateLimit(1_000 * USD, 0, sender=issuer)
    vault.requestDeposit(1_500 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 800 * USD, PRICE, 1, sender=executor)

    with reverts(vault.VaultRateLimited, requested=700 * USD, available=200 * USD):
        vault.fulfilDeposit(investor_alice, 700 * USD, PRICE, 2, sender=executor)


def test_the_rate_limit_refills_over_time(vault, investor_alice, executor, issuer, chain):
    vault.setRateLimit(1_000 * USD, 10 * USD, sender=issuer)
    vault.requestDeposit(1_500 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 1_000 * USD, PRICE, 1, sender=executor)
    chain.mine(deltatime=50)

    vault.fulfilDeposit(investor_alice, 380 * USD, PRICE, 2, sender=executor)

    assert vault.pendingDepositRequest(0, investor_alice) == 120 * USD


def test_set_rate_limit_emits(vault, issuer):
    receipt = vault.setRateLimit(GLOBAL_CAPACITY, 1, sender=issuer)

    assert receipt.events == [vault.RateLimitSet(GLOBAL_CAPACITY, 1)]
    assert vault.rateLimit()[:2] == (GLOBAL_CAPACITY, 1)


# -- exact cash ------------------------------------------------------------------------------------


def test_a_fee_on_transfer_cash_token_is_refused(project, deploy_vault, issuer, treasury, investor_alice):
    fee_cash = issuer.deploy(project.FeeOnTransferStablecoin)
    fee_vault = deploy_vault(fee_cash)
    fee_cash.mint(investor_alice, 1_000 * USD, sender=investor_alice)
    fee_cash.approve(fee_vault, 2**256 - 1, sender=investor_alice)

    with reverts(fee_vault.VaultCashMismatch, expected=100 * USD, received=99 * USD):
        fee_vault.requestDeposit(100 * USD, investor_alice, investor_alice, sender=investor_alice)


# -- reserve ---------------------------------------------------------------------------------------


def test_the_treasury_tops_up_and_withdraws_the_reserve(vault, cash, treasury):
    reserve = vault.reserve()

    up = vault.topUpReserve(10 * USD, sender=treasury)
    down = vault.withdrawReserve(treasury, 4 * USD, sender=treasury)

    assert up.events == [cash.Transfer(treasury, vault, 10 * USD), vault.ReserveToppedUp(treasury, 10 * USD)]
    assert down.events == [cash.Transfer(vault, treasury, 4 * USD), vault.ReserveWithdrawn(treasury, 4 * USD)]
    assert vault.reserve() == reserve + 6 * USD


def test_the_treasury_cannot_take_investors_cash(vault, investor_alice, treasury):
    vault.requestDeposit(1_000 * USD, investor_alice, investor_alice, sender=investor_alice)
    reserve = vault.reserve()

    with reverts(vault.VaultInsufficientReserve, reserve=reserve, needed=reserve + 1):
        vault.withdrawReserve(treasury, reserve + 1, sender=treasury)


# -- no cash stranded ------------------------------------------------------------------------------


def test_every_unit_of_cash_is_accounted_for_through_a_life_cycle(
    vault, cash, token, investor_alice, investor_bob, executor
):
    """After every step the vault's cash is what it owes (Pending deposits, Claimable redemptions,
    cancelled deposits) plus the reserve, and the reserve is exactly the initial top-up plus filled
    deposits less filled redemptions."""
    filled = {"deposits": 0, "redemptions": 0}

    def fill_deposit():
        filled["deposits"] += 777 * USD
        vault.fulfilDeposit(investor_alice, 777 * USD, PRICE, 1, sender=executor)

    def fill_redemption():
        receipt = vault.fulfilRedeem(investor_alice, SHARE // 7, PRICE + 1, 2, sender=executor)
        filled["redemptions"] += receipt.return_value

    token.approve(vault, 2**256 - 1, sender=investor_alice)
    steps = [
        lambda: vault.requestDeposit(1_000 * USD, investor_alice, investor_alice, sender=investor_alice),
        lambda: vault.requestDeposit(333 * USD, investor_bob, investor_bob, sender=investor_bob),
        fill_deposit,
        lambda: vault.cancelDepositRequest(0, investor_bob, sender=investor_bob),
        lambda: vault.fulfilCancelDeposit(investor_bob, sender=executor),
        lambda: vault.mint(SHARE, investor_alice, investor_alice, sender=investor_alice),
        lambda: vault.requestRedeem(SHARE // 2, investor_alice, investor_alice, sender=investor_alice),
        fill_redemption,
        lambda: vault.withdraw(USD, investor_alice, investor_alice, sender=investor_alice),
        lambda: vault.claimCancelDepositRequest(0, investor_bob, investor_bob, sender=investor_bob),
        lambda: vault.deposit(
            vault.claimableDepositRequest(0, investor_alice),
            investor_alice,
            investor_alice,
            sender=investor_alice,
        ),
        lambda: vault.redeem(
            vault.claimableRedeemRequest(0, investor_alice),
            investor_alice,
            investor_alice,
            sender=investor_alice,
        ),
    ]
    for step in steps:
        step()
        pending, claimable, cancelled, reserve = vault.cashAccounts()
        assert cash.balanceOf(vault) == pending + claimable + cancelled + reserve
        assert reserve == INITIAL_BUFFER + filled["deposits"] - filled["redemptions"]
        assert token.balanceOf(vault) == sum(vault.shareAccounts())
    assert vault.cashAccounts()[:3] == (223 * USD, 0, 0)
    assert vault.shareAccounts() == (SHARE // 2 - SHARE // 7, 0, 0)


def test_cash_sent_directly_joins_the_reserve(vault, cash, investor_alice, treasury):
    reserve = vault.reserve()

    cash.transfer(vault, 5 * USD, sender=investor_alice)
    vault.withdrawReserve(treasury, reserve + 5 * USD, sender=treasury)

    assert vault.reserve() == 0


def test_the_desk_mints_only_for_a_registered_vault(desk, outsider):
    with reverts(desk.DeskUnauthorizedVault, caller=outsider.address):
        desk.vaultMint(outsider, 1, sender=outsider)
    with reverts(desk.DeskUnauthorizedVault, caller=outsider.address):
        desk.vaultBurn(outsider, 1, sender=outsider)


def test_a_removed_vault_can_no_longer_fill(desk, vault, token, cash, issuer, investor_alice, executor):
    vault.requestDeposit(190 * USD, investor_alice, investor_alice, sender=investor_alice)

    receipt = desk.setVault(ASSET_ID, cash, ZERO_ADDRESS, sender=issuer)

    assert receipt.events == [desk.VaultSet(token, cash, ZERO_ADDRESS)]
    assert token.vault(cash) == ZERO_ADDRESS
    with reverts(desk.DeskUnauthorizedVault, caller=vault.address):
        vault.fulfilDeposit(investor_alice, 190 * USD, PRICE, 1, sender=executor)
