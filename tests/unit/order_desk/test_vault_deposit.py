"""ERC-7540 subscriptions on the order vault: request (cash in, Pending), fill by the executor at the
fill price (shares minted, Claimable, cash to the reserve), claim through deposit/mint."""

import pytest
from order_desk_helpers import INITIAL_BUFFER, REFERENCE_PRICE, SHARE, USD, ZERO_ADDRESS
from revert_data import reverts

pytestmark = pytest.mark.usefixtures("funded")

PRICE = REFERENCE_PRICE


def test_a_deposit_request_takes_the_cash_and_is_pending(vault, cash, investor_alice):
    before = cash.balanceOf(investor_alice)

    receipt = vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)

    assert receipt.events == [
        cash.Transfer(investor_alice, vault, 1_900 * USD),
        vault.DepositRequest(investor_alice, investor_alice, 0, investor_alice, 1_900 * USD),
    ]
    assert receipt.return_value == 0
    assert cash.balanceOf(investor_alice) == before - 1_900 * USD
    assert vault.pendingDepositRequest(0, investor_alice) == 1_900 * USD
    assert vault.claimableDepositRequest(0, investor_alice) == 0
    assert vault.maxDeposit(investor_alice) == 0


def test_requests_of_one_controller_add_up(vault, investor_alice):
    vault.requestDeposit(100 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.requestDeposit(50 * USD, investor_alice, investor_alice, sender=investor_alice)

    assert vault.pendingDepositRequest(0, investor_alice) == 150 * USD


def test_a_request_id_other_than_zero_has_nothing(vault, investor_alice):
    vault.requestDeposit(100 * USD, investor_alice, investor_alice, sender=investor_alice)

    assert vault.pendingDepositRequest(1, investor_alice) == 0
    assert vault.claimableDepositRequest(1, investor_alice) == 0


def test_a_fill_mints_the_shares_to_the_vault_and_makes_them_claimable(
    vault, token, investor_alice, executor
):
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)

    receipt = vault.fulfilDeposit(investor_alice, 1_900 * USD, PRICE, 1, sender=executor)

    assert receipt.events == [
        token.Transfer(ZERO_ADDRESS, vault, 10 * SHARE),
        vault.DepositFulfilled(investor_alice, 1, 1_900 * USD, 10 * SHARE, PRICE),
    ]
    assert vault.pendingDepositRequest(0, investor_alice) == 0
    assert vault.claimableDepositRequest(0, investor_alice) == 1_900 * USD
    assert vault.maxDeposit(investor_alice) == 1_900 * USD
    assert vault.maxMint(investor_alice) == 10 * SHARE
    assert vault.reserve() == INITIAL_BUFFER + 1_900 * USD


def test_a_fill_rounds_the_shares_down(vault, investor_alice, executor):
    vault.requestDeposit(100 * USD, investor_alice, investor_alice, sender=investor_alice)

    shares = vault.fulfilDeposit(investor_alice, 100 * USD, PRICE, 1, sender=executor).return_value

    # 100 / 190 = 0.526315789473684210526... share: the last digit is cut, never rounded up.
    assert shares == 100 * USD * SHARE // PRICE == 526_315_789_473_684_210


def test_a_partial_fill_leaves_the_rest_pending(vault, investor_alice, executor):
    vault.requestDeposit(1_000 * USD, investor_alice, investor_alice, sender=investor_alice)

    vault.fulfilDeposit(investor_alice, 380 * USD, PRICE, 1, sender=executor)

    assert vault.pendingDepositRequest(0, investor_alice) == 620 * USD
    assert vault.claimableDepositRequest(0, investor_alice) == 380 * USD


def test_a_fill_cannot_exceed_what_is_pending(vault, investor_alice, executor):
    vault.requestDeposit(100 * USD, investor_alice, investor_alice, sender=investor_alice)

    with reverts(
        vault.VaultExceedsPending,
        controller=investor_alice.address,
        requested=100 * USD + 1,
        pending=100 * USD,
    ):
        vault.fulfilDeposit(investor_alice, 100 * USD + 1, PRICE, 1, sender=executor)


def test_a_fill_id_is_used_once(vault, investor_alice, executor):
    vault.requestDeposit(1_000 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 190 * USD, PRICE, 7, sender=executor)

    with reverts(vault.VaultFillUsed, fillId=7):
        vault.fulfilDeposit(investor_alice, 190 * USD, PRICE, 7, sender=executor)
    assert vault.fillUsed(7)
    assert not vault.fillUsed(8)


def test_a_fill_of_nothing_is_refused(vault, investor_alice, executor):
    vault.requestDeposit(100 * USD, investor_alice, investor_alice, sender=investor_alice)

    with reverts(vault.VaultZeroAmount):
        vault.fulfilDeposit(investor_alice, 0, PRICE, 1, sender=executor)


@pytest.mark.parametrize("price", [PRICE * 98 // 100, PRICE * 102 // 100, 0])
def test_a_fill_price_outside_the_desks_band_is_refused(vault, investor_alice, executor, price):
    vault.requestDeposit(100 * USD, investor_alice, investor_alice, sender=investor_alice)

    with reverts(vault.VaultPriceOutOfBand, price=price, referencePrice=PRICE, maxDeviationBps=100):
        vault.fulfilDeposit(investor_alice, 100 * USD, price, 1, sender=executor)


def test_a_fill_on_a_stale_reference_price_is_refused(vault, price_feed, investor_alice, executor, chain):
    vault.requestDeposit(100 * USD, investor_alice, investor_alice, sender=investor_alice)
    updated = price_feed.latestRoundData()[3]
    chain.mine(deltatime=3_601)

    with reverts(vault.VaultStaleFeed, updatedAt=updated, maxStaleness=3_600):
        vault.fulfilDeposit(investor_alice, 100 * USD, PRICE, 1, sender=executor)


def test_claiming_by_deposit_transfers_the_shares_to_the_receiver(
    vault, token, investor_alice, investor_alice_2, executor
):
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 1_900 * USD, PRICE, 1, sender=executor)

    receipt = vault.deposit(1_900 * USD, investor_alice_2, investor_alice, sender=investor_alice)

    assert receipt.events == [
        token.Transfer(vault, investor_alice_2, 10 * SHARE),
        vault.Deposit(investor_alice, investor_alice_2, 1_900 * USD, 10 * SHARE),
    ]
    assert receipt.return_value == 10 * SHARE
    assert token.balanceOf(investor_alice_2) == 10 * SHARE
    assert vault.maxDeposit(investor_alice) == 0
    assert vault.maxMint(investor_alice) == 0


def test_the_two_argument_deposit_claims_for_the_caller(vault, token, investor_alice, executor):
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 1_900 * USD, PRICE, 1, sender=executor)

    vault.deposit(1_900 * USD, investor_alice, sender=investor_alice)

    assert token.balanceOf(investor_alice) == 10 * SHARE


def test_claiming_by_mint_takes_the_cash_rounded_up(vault, token, investor_alice, executor):
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 1_900 * USD, PRICE, 1, sender=executor)

    receipt = vault.mint(SHARE // 3, investor_alice, investor_alice, sender=investor_alice)

    # 1/3 share of 1,900 USD for 10 shares = 63.333333.. USD: 63.333334 is used up.
    assert receipt.return_value == 63_333_334
    assert vault.claimableDepositRequest(0, investor_alice) == 1_900 * USD - 63_333_334
    assert token.balanceOf(investor_alice) == SHARE // 3


def test_a_partial_deposit_claim_rounds_the_shares_down_and_the_rest_claims_all(
    vault, token, investor_alice, executor
):
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 1_900 * USD, PRICE, 1, sender=executor)

    first = vault.deposit(1, investor_alice, investor_alice, sender=investor_alice).return_value
    rest = vault.deposit(1_900 * USD - 1, investor_alice, investor_alice, sender=investor_alice).return_value

    assert first == 10 * SHARE // (1_900 * USD)
    assert first + rest == 10 * SHARE
    assert vault.maxMint(investor_alice) == 0


def test_fills_at_two_prices_are_claimed_at_their_average(vault, token, investor_alice, executor):
    vault.requestDeposit(2_000 * USD, investor_alice, investor_alice, sender=investor_alice)
    a = vault.fulfilDeposit(investor_alice, 1_000 * USD, PRICE, 1, sender=executor).return_value
    b = vault.fulfilDeposit(investor_alice, 1_000 * USD, PRICE + USD, 2, sender=executor).return_value

    shares = vault.deposit(2_000 * USD, investor_alice, investor_alice, sender=investor_alice).return_value

    assert shares == a + b


def test_claiming_more_than_claimable_is_refused(vault, investor_alice, executor):
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 950 * USD, PRICE, 1, sender=executor)

    with reverts(
        vault.VaultExceedsClaimable,
        controller=investor_alice.address,
        requested=950 * USD + 1,
        claimable=950 * USD,
    ):
        vault.deposit(950 * USD + 1, investor_alice, investor_alice, sender=investor_alice)
    with reverts(
        vault.VaultExceedsClaimable,
        controller=investor_alice.address,
        requested=5 * SHARE + 1,
        claimable=5 * SHARE,
    ):
        vault.mint(5 * SHARE + 1, investor_alice, investor_alice, sender=investor_alice)


def test_a_claim_by_someone_else_is_refused(vault, investor_alice, investor_bob, executor):
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 1_900 * USD, PRICE, 1, sender=executor)

    with reverts(
        vault.VaultUnauthorizedOperator, account=investor_alice.address, caller=investor_bob.address
    ):
        vault.deposit(1_900 * USD, investor_bob, investor_alice, sender=investor_bob)


def test_a_zero_claim_is_refused(vault, investor_alice):
    with reverts(vault.VaultZeroAmount):
        vault.deposit(0, investor_alice, investor_alice, sender=investor_alice)
    with reverts(vault.VaultZeroAmount):
        vault.mint(0, investor_alice, investor_alice, sender=investor_alice)


def test_previews_revert_for_the_asynchronous_flows(vault):
    for preview in (vault.previewDeposit, vault.previewMint, vault.previewRedeem, vault.previewWithdraw):
        with reverts(vault.VaultAsyncPreview):
            preview(1)


def test_conversions_use_the_last_fill_price(vault, token, investor_alice, executor):
    assert vault.convertToShares(190 * USD) == 0
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 1_900 * USD, PRICE, 1, sender=executor)

    assert vault.convertToShares(190 * USD) == SHARE
    assert vault.convertToAssets(SHARE) == 190 * USD
    assert vault.totalAssets() == token.totalSupply() * PRICE // SHARE
