"""ERC-7540 redemptions on the order vault: request (shares in, Pending), fill by the executor (cash
taken from the reserve first, shares burnt), claim through redeem/withdraw."""

import pytest
from order_desk_helpers import INITIAL_BUFFER, REFERENCE_PRICE, SHARE, USD, ZERO_ADDRESS
from revert_data import reverts

pytestmark = pytest.mark.usefixtures("funded")

PRICE = REFERENCE_PRICE


@pytest.fixture
def alice_holds(vault, token, investor_alice, executor) -> int:
    """alice subscribed 10 shares through the vault, claimed them and approved the vault."""
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 1_900 * USD, PRICE, 1_000, sender=executor)
    vault.deposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    token.approve(vault, 2**256 - 1, sender=investor_alice)
    return 10 * SHARE


def test_a_redeem_request_takes_the_shares_and_is_pending(vault, token, investor_alice, alice_holds):
    receipt = vault.requestRedeem(4 * SHARE, investor_alice, investor_alice, sender=investor_alice)

    assert receipt.events == [
        token.Transfer(investor_alice, vault, 4 * SHARE),
        vault.RedeemRequest(investor_alice, investor_alice, 0, investor_alice, 4 * SHARE),
    ]
    assert token.balanceOf(investor_alice) == 6 * SHARE
    assert vault.pendingRedeemRequest(0, investor_alice) == 4 * SHARE
    assert vault.claimableRedeemRequest(0, investor_alice) == 0


def test_a_redeem_fill_burns_the_shares_and_sets_the_cash_aside(
    vault, token, investor_alice, executor, alice_holds
):
    vault.requestRedeem(4 * SHARE, investor_alice, investor_alice, sender=investor_alice)
    reserve = vault.reserve()
    supply = token.totalSupply()

    receipt = vault.fulfilRedeem(investor_alice, 4 * SHARE, PRICE, 1, sender=executor)

    assert receipt.events == [
        token.Transfer(vault, ZERO_ADDRESS, 4 * SHARE),
        vault.RedeemFulfilled(investor_alice, 1, 4 * SHARE, 760 * USD, PRICE),
    ]
    assert token.totalSupply() == supply - 4 * SHARE
    assert vault.reserve() == reserve - 760 * USD
    assert vault.claimableRedeemRequest(0, investor_alice) == 4 * SHARE
    assert vault.maxWithdraw(investor_alice) == 760 * USD
    assert vault.maxRedeem(investor_alice) == 4 * SHARE


def test_a_redeem_fill_rounds_the_cash_down(vault, investor_alice, executor, alice_holds):
    vault.requestRedeem(SHARE // 3, investor_alice, investor_alice, sender=investor_alice)

    assets = vault.fulfilRedeem(investor_alice, SHARE // 3, PRICE, 1, sender=executor).return_value

    assert assets == (SHARE // 3) * PRICE // SHARE == 63_333_333


def test_a_redeem_fill_the_reserve_cannot_pay_is_refused(
    vault, investor_alice, executor, treasury, alice_holds
):
    vault.requestRedeem(10 * SHARE, investor_alice, investor_alice, sender=investor_alice)
    free = vault.reserve()
    vault.withdrawReserve(treasury, free - 1_000 * USD, sender=treasury)

    with reverts(vault.VaultInsufficientReserve, reserve=1_000 * USD, needed=1_900 * USD):
        vault.fulfilRedeem(investor_alice, 10 * SHARE, PRICE, 1, sender=executor)


def test_a_redeem_fill_that_gives_no_cash_is_refused(vault, investor_alice, executor, alice_holds):
    vault.requestRedeem(1, investor_alice, investor_alice, sender=investor_alice)

    with reverts(vault.VaultZeroFill, amount=1, price=PRICE):
        vault.fulfilRedeem(investor_alice, 1, PRICE, 1, sender=executor)


def test_a_redeem_fill_cannot_exceed_what_is_pending_nor_reuse_a_fill_id(
    vault, investor_alice, executor, alice_holds
):
    vault.requestRedeem(SHARE, investor_alice, investor_alice, sender=investor_alice)

    with reverts(
        vault.VaultExceedsPending, controller=investor_alice.address, requested=SHARE + 1, pending=SHARE
    ):
        vault.fulfilRedeem(investor_alice, SHARE + 1, PRICE, 1, sender=executor)
    with reverts(vault.VaultFillUsed, fillId=1_000):
        vault.fulfilRedeem(investor_alice, SHARE, PRICE, 1_000, sender=executor)


def test_claiming_by_redeem_pays_the_receiver(
    vault, cash, investor_alice, investor_alice_2, executor, alice_holds
):
    vault.requestRedeem(4 * SHARE, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilRedeem(investor_alice, 4 * SHARE, PRICE, 1, sender=executor)
    before = cash.balanceOf(investor_alice_2)

    receipt = vault.redeem(4 * SHARE, investor_alice_2, investor_alice, sender=investor_alice)

    assert receipt.events == [
        cash.Transfer(vault, investor_alice_2, 760 * USD),
        vault.Withdraw(investor_alice, investor_alice_2, investor_alice, 760 * USD, 4 * SHARE),
    ]
    assert receipt.return_value == 760 * USD
    assert cash.balanceOf(investor_alice_2) == before + 760 * USD
    assert vault.maxRedeem(investor_alice) == 0


def test_claiming_by_withdraw_uses_up_the_shares_rounded_up(vault, investor_alice, executor, alice_holds):
    vault.requestRedeem(3 * SHARE, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilRedeem(investor_alice, 3 * SHARE, PRICE, 1, sender=executor)

    shares = vault.withdraw(100 * USD, investor_alice, investor_alice, sender=investor_alice).return_value

    # 100 USD of 570 USD for 3 shares = 0.526315789473684210526.. share: rounded up.
    assert shares == -(-100 * USD * 3 * SHARE // (570 * USD)) == 526_315_789_473_684_211
    assert vault.claimableRedeemRequest(0, investor_alice) == 3 * SHARE - shares


def test_claiming_more_cash_than_claimable_is_refused(vault, investor_alice, executor, alice_holds):
    vault.requestRedeem(SHARE, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilRedeem(investor_alice, SHARE, PRICE, 1, sender=executor)

    with reverts(
        vault.VaultExceedsClaimable,
        controller=investor_alice.address,
        requested=190 * USD + 1,
        claimable=190 * USD,
    ):
        vault.withdraw(190 * USD + 1, investor_alice, investor_alice, sender=investor_alice)
    with reverts(
        vault.VaultExceedsClaimable, controller=investor_alice.address, requested=SHARE + 1, claimable=SHARE
    ):
        vault.redeem(SHARE + 1, investor_alice, investor_alice, sender=investor_alice)


def test_a_redeem_request_needs_the_vaults_allowance(vault, token, investor_bob, executor):
    vault.requestDeposit(190 * USD, investor_bob, investor_bob, sender=investor_bob)
    vault.fulfilDeposit(investor_bob, 190 * USD, PRICE, 1, sender=executor)
    vault.deposit(190 * USD, investor_bob, investor_bob, sender=investor_bob)

    with reverts(token.ERC20InsufficientAllowance, spender=vault.address, allowance=0, needed=SHARE):
        vault.requestRedeem(SHARE, investor_bob, investor_bob, sender=investor_bob)


def test_an_erc20_allowance_to_the_caller_is_not_a_redeem_approval(
    vault, token, investor_alice, investor_bob, alice_holds
):
    token.approve(investor_bob, SHARE, sender=investor_alice)

    with reverts(
        vault.VaultUnauthorizedOperator, account=investor_alice.address, caller=investor_bob.address
    ):
        vault.requestRedeem(SHARE, investor_bob, investor_alice, sender=investor_bob)


def test_the_reserve_grows_with_filled_deposits_and_pays_redemptions(
    vault, investor_alice, executor, alice_holds
):
    assert vault.reserve() == INITIAL_BUFFER + 1_900 * USD
    vault.requestRedeem(10 * SHARE, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilRedeem(investor_alice, 10 * SHARE, PRICE, 1, sender=executor)

    assert vault.reserve() == INITIAL_BUFFER
    assert vault.cashAccounts() == (0, 1_900 * USD, 0, INITIAL_BUFFER)
