"""Buying on order: a valid signed quote takes exactly the cash and mints exactly the quantity."""

import pytest
from order_desk_helpers import ALICE, ASSET_ID, BOB, REFERENCE_PRICE, SHARE, USD, ZERO_ADDRESS
from revert_data import reverts

from tokenized_stocks.protocol.quote import QuoteStatus, Side, cash_for

pytestmark = pytest.mark.usefixtures("funded")


def test_buy_takes_exact_cash_and_mints_exact_quantity(desk, token, cash, make_quote, investor_alice):
    signed = make_quote(quantity=10 * SHARE, price=REFERENCE_PRICE)
    cash_before = cash.balanceOf(investor_alice)
    desk_before = cash.balanceOf(desk)

    desk.buy(*signed.args(), 1_900 * USD, sender=investor_alice)

    assert cash.balanceOf(investor_alice) == cash_before - 1_900 * USD
    assert cash.balanceOf(desk) == desk_before + 1_900 * USD
    assert token.balanceOf(investor_alice) == 10 * SHARE
    assert token.totalSupply() == 10 * SHARE


def test_buy_emits_cash_transfer_mint_and_order_executed(desk, token, cash, make_quote, investor_alice):
    signed = make_quote(quantity=10 * SHARE)

    receipt = desk.buy(*signed.args(), 1_900 * USD, sender=investor_alice)

    assert receipt.events == [
        cash.Transfer(investor_alice, desk, 1_900 * USD),
        token.Transfer(ZERO_ADDRESS, investor_alice, 10 * SHARE),
        desk.OrderExecuted(
            signed.quote.quote_id,
            ASSET_ID,
            ALICE,
            Side.BUY,
            investor_alice,
            10 * SHARE,
            REFERENCE_PRICE,
            1_900 * USD,
        ),
    ]


def test_buy_rounds_cash_up_for_a_fractional_quantity(desk, token, cash, make_quote, investor_alice):
    quantity = SHARE // 3  # 0.333... share at 190 USD = 63.333333.. USD
    signed = make_quote(quantity=quantity)
    before = cash.balanceOf(investor_alice)

    desk.buy(*signed.args(), 64 * USD, sender=investor_alice)

    assert (
        before - cash.balanceOf(investor_alice) == cash_for(quantity, REFERENCE_PRICE, Side.BUY) == 63_333_334
    )
    assert token.balanceOf(investor_alice) == quantity


def test_buy_marks_the_quote_executed(desk, make_quote, investor_alice):
    signed = make_quote()

    desk.buy(*signed.args(), 10_000 * USD, sender=investor_alice)

    assert desk.quoteStatus(signed.quote.quote_id) == QuoteStatus.EXECUTED


def test_any_wallet_of_the_investor_may_buy(desk, token, make_quote, investor_alice_2):
    signed = make_quote(investor=ALICE)

    desk.buy(*signed.args(), 10_000 * USD, sender=investor_alice_2)

    assert token.balanceOf(investor_alice_2) == 10 * SHARE


def test_buy_within_the_price_band_is_accepted(desk, token, make_quote, investor_bob):
    signed = make_quote(investor=BOB, price=REFERENCE_PRICE * 101 // 100)  # exactly +1 %

    desk.buy(*signed.args(), 10_000 * USD, sender=investor_bob)

    assert token.balanceOf(investor_bob) == 10 * SHARE


def test_buy_above_max_cash_is_refused(desk, make_quote, investor_alice, balances):
    signed = make_quote(quantity=10 * SHARE)
    before = balances()

    with reverts(desk.DeskSlippage, cashAmount=1_900 * USD, limit=1_899 * USD):
        desk.buy(*signed.args(), 1_899 * USD, sender=investor_alice)

    assert balances() == before


def test_buy_with_a_sell_quote_is_refused(desk, make_quote, investor_alice, balances):
    signed = make_quote(side=Side.SELL)
    before = balances()

    with reverts(desk.DeskWrongSide, quoteId=signed.quote.quote_id, side=Side.SELL):
        desk.buy(*signed.args(), 10_000 * USD, sender=investor_alice)

    assert balances() == before


def test_buy_without_enough_cash_is_refused_whole(desk, cash, token, make_quote, investor_bob, balances):
    cash.transfer(desk, cash.balanceOf(investor_bob) - 100 * USD, sender=investor_bob)
    signed = make_quote(investor=BOB)
    before = balances()

    with reverts(cash.ERC20InsufficientBalance):
        desk.buy(*signed.args(), 10_000 * USD, sender=investor_bob)

    assert balances() == before
    assert desk.quoteStatus(signed.quote.quote_id) == QuoteStatus.OPEN
