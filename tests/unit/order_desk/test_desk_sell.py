"""Selling (redeeming) on order: burns exactly the quantity and pays exactly the cash from the buffer."""

import pytest
from order_desk_helpers import ALICE, ASSET_ID, BOB, INITIAL_BUFFER, REFERENCE_PRICE, SHARE, USD, ZERO_ADDRESS
from revert_data import reverts

from tokenized_stocks.protocol.quote import QuoteStatus, Side, cash_for

MAX_CASH = 1_000_000 * USD


@pytest.fixture
def holding(desk, make_quote, funded, investor_alice) -> int:
    """Alice bought 100 shares (19,000 USD); the buffer now holds 219,000 USD."""
    desk.buy(*make_quote(quantity=100 * SHARE).args(), MAX_CASH, sender=investor_alice)
    return 100 * SHARE


def test_sell_burns_exact_quantity_and_pays_exact_cash(
    desk, token, cash, make_quote, holding, investor_alice
):
    signed = make_quote(side=Side.SELL, quantity=40 * SHARE)
    cash_before = cash.balanceOf(investor_alice)
    buffer_before = cash.balanceOf(desk)

    desk.sell(*signed.args(), 7_600 * USD, sender=investor_alice)

    assert cash.balanceOf(investor_alice) == cash_before + 7_600 * USD
    assert cash.balanceOf(desk) == buffer_before - 7_600 * USD
    assert token.balanceOf(investor_alice) == 60 * SHARE
    assert token.totalSupply() == 60 * SHARE


def test_sell_emits_burn_cash_transfer_and_order_executed(
    desk, token, cash, make_quote, holding, investor_alice
):
    signed = make_quote(side=Side.SELL, quantity=40 * SHARE)

    receipt = desk.sell(*signed.args(), 0, sender=investor_alice)

    assert receipt.events == [
        token.Transfer(investor_alice, ZERO_ADDRESS, 40 * SHARE),
        cash.Transfer(desk, investor_alice, 7_600 * USD),
        desk.OrderExecuted(
            signed.quote.quote_id,
            ASSET_ID,
            ALICE,
            Side.SELL,
            investor_alice,
            40 * SHARE,
            REFERENCE_PRICE,
            7_600 * USD,
        ),
    ]


def test_sell_rounds_cash_down(desk, cash, make_quote, holding, investor_alice):
    quantity = SHARE // 3
    signed = make_quote(side=Side.SELL, quantity=quantity)
    before = cash.balanceOf(investor_alice)

    desk.sell(*signed.args(), 0, sender=investor_alice)

    assert (
        cash.balanceOf(investor_alice) - before
        == cash_for(quantity, REFERENCE_PRICE, Side.SELL)
        == 63_333_333
    )


def test_sell_from_another_wallet_of_the_investor_burns_that_wallet(
    desk, token, make_quote, holding, investor_alice, investor_alice_2
):
    token.transfer(investor_alice_2, 10 * SHARE, sender=investor_alice)

    desk.sell(*make_quote(side=Side.SELL, quantity=10 * SHARE).args(), 0, sender=investor_alice_2)

    assert token.balanceOf(investor_alice_2) == 0
    assert token.balanceOf(investor_alice) == 90 * SHARE


def test_sell_below_min_cash_is_refused(desk, make_quote, holding, investor_alice, balances):
    signed = make_quote(side=Side.SELL, quantity=40 * SHARE)
    before = balances()

    with reverts(desk.DeskSlippage, cashAmount=7_600 * USD, limit=7_601 * USD):
        desk.sell(*signed.args(), 7_601 * USD, sender=investor_alice)

    assert balances() == before


def test_sell_with_a_buy_quote_is_refused(desk, make_quote, holding, investor_alice, balances):
    signed = make_quote(side=Side.BUY)
    before = balances()

    with reverts(desk.DeskWrongSide, quoteId=signed.quote.quote_id, side=Side.BUY):
        desk.sell(*signed.args(), 0, sender=investor_alice)

    assert balances() == before


def test_sell_the_buffer_cannot_pay_is_refused_whole(
    desk, cash, make_quote, holding, investor_alice, treasury, issuer, balances
):
    desk.setBufferLimits(0, 2**128 - 1, 0, sender=issuer)
    desk.withdrawBuffer(treasury, INITIAL_BUFFER + 19_000 * USD - 1_000 * USD, sender=treasury)
    signed = make_quote(side=Side.SELL, quantity=10 * SHARE)  # 1,900 USD > 1,000 USD in the buffer
    before = balances()

    with reverts(desk.DeskInsufficientBuffer, available=1_000 * USD, needed=1_900 * USD):
        desk.sell(*signed.args(), 0, sender=investor_alice)

    assert balances() == before
    assert desk.quoteStatus(signed.quote.quote_id) == QuoteStatus.OPEN


def test_sell_of_more_than_held_is_refused_whole(desk, token, make_quote, holding, investor_alice, balances):
    signed = make_quote(side=Side.SELL, quantity=101 * SHARE)
    before = balances()

    with reverts(token.ERC20InsufficientBalance):
        desk.sell(*signed.args(), 0, sender=investor_alice)

    assert balances() == before


def test_sell_by_a_wallet_of_another_investor_is_refused(desk, make_quote, holding, investor_bob, balances):
    signed = make_quote(side=Side.SELL, quantity=SHARE, investor=ALICE)
    before = balances()

    with reverts(desk.DeskWrongInvestor, wallet=investor_bob.address, quoted=ALICE, actual=BOB):
        desk.sell(*signed.args(), 0, sender=investor_bob)

    assert balances() == before


def test_sell_by_a_frozen_investor_is_refused(
    desk, desk_registry, registrar, make_quote, holding, investor_alice, balances
):
    desk_registry.setInvestorFrozen(ALICE, True, sender=registrar)
    signed = make_quote(side=Side.SELL, quantity=SHARE)
    before = balances()

    with reverts(desk.DeskInvestorNotVerified, wallet=investor_alice.address):
        desk.sell(*signed.args(), 0, sender=investor_alice)

    assert balances() == before


def test_replayed_sell_quote_is_refused(desk, make_quote, holding, investor_alice, balances):
    signed = make_quote(side=Side.SELL, quantity=SHARE)
    desk.sell(*signed.args(), 0, sender=investor_alice)
    before = balances()

    with reverts(desk.DeskQuoteUsed, quoteId=signed.quote.quote_id):
        desk.sell(*signed.args(), 0, sender=investor_alice)

    assert balances() == before


def test_sell_while_the_desk_is_paused_is_refused(
    desk, guardian, make_quote, holding, investor_alice, balances
):
    desk.pause(sender=guardian)
    signed = make_quote(side=Side.SELL, quantity=SHARE)
    before = balances()

    with reverts(desk.EnforcedPause):
        desk.sell(*signed.args(), 0, sender=investor_alice)

    assert balances() == before


def test_sell_while_the_asset_is_paused_is_refused(
    desk, token, guardian, make_quote, holding, investor_alice, balances
):
    token.pause(sender=guardian)
    signed = make_quote(side=Side.SELL, quantity=SHARE)
    before = balances()

    with reverts(token.OrderTokenPaused, assetId=ASSET_ID):
        desk.sell(*signed.args(), 0, sender=investor_alice)

    assert balances() == before


def test_sell_rounding_to_zero_cash_is_refused(desk, make_quote, holding, investor_alice, balances):
    signed = make_quote(side=Side.SELL, quantity=1)  # 1e-18 share pays 0 base units
    before = balances()

    with reverts(desk.DeskZeroAmount, quoteId=signed.quote.quote_id):
        desk.sell(*signed.args(), 0, sender=investor_alice)

    assert balances() == before


def test_sells_consume_the_investor_rate_limit(desk, make_quote, holding, investor_alice):
    signed = make_quote(side=Side.SELL, quantity=100 * SHARE, price=REFERENCE_PRICE)
    desk.sell(*signed.args(), 0, sender=investor_alice)
    # 19,000 USD bought + 19,000 USD sold: ~62,000 USD left, so a 64,600 USD buy does not fit.
    with reverts(desk.DeskInvestorRateLimited, investorId=ALICE):
        desk.buy(*make_quote(quantity=340 * SHARE).args(), MAX_CASH, sender=investor_alice)
