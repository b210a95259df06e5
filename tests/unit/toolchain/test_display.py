"""Human output: amounts in shares and currency, times as ISO-8601 UTC (tokenized_stocks.protocol.display)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tokenized_stocks.protocol.display import amount, duration, money, parse_duration, to_decimal, when
from tokenized_stocks.protocol.errors import UserError

E18 = 10**18


@pytest.mark.parametrize(
    ("base_units", "text"),
    [
        (0, "0"),
        (E18, "1"),
        (1234 * E18 + E18 // 2, "1,234.5"),
        (1, "0.000000000000000001"),
        (10**6 * E18, "1,000,000"),
        (2 * E18 // 3, "0.666666666666666666"),
    ],
)
def test_a_share_amount_keeps_every_significant_digit_and_no_trailing_zero(base_units, text):
    assert amount(base_units) == text


def test_an_amount_carries_its_symbol():
    assert amount(10 * E18, symbol="AAPLx") == "10 AAPLx"


def test_an_amount_with_places_is_a_fixed_column():
    assert amount(E18 // 3, places=4) == "0.3333"
    assert amount(5 * E18, places=4) == "5.0000"


def test_a_huge_amount_is_exact_where_a_float_would_round():
    assert amount(123456789012345678901234567890) == "123,456,789,012.34567890123456789"


def test_other_decimals_scale_the_same_way():
    assert amount(1_500_000, decimals=6, symbol="USDC") == "1.5 USDC"


def test_money_shows_cents_and_the_currency():
    assert money(12_500_000, 6) == "12.50 USD"
    assert money(7, 0, "EUR") == "7.00 EUR"


def test_money_keeps_sub_cent_digits_rather_than_rounding_them_away():
    assert money(1_234_567, 6) == "1.234567 USD"


def test_a_negative_amount_keeps_its_sign():
    assert amount(-E18 // 2) == "-0.5"


def test_to_decimal_is_exact():
    assert to_decimal(15, 1) == Decimal("1.5")
    with pytest.raises(ValueError):
        to_decimal(1, -1)


@pytest.mark.parametrize(
    ("epoch", "text"),
    [(0, "1970-01-01T00:00:00Z"), (1_795_000_000, "2026-11-18T11:06:40Z")],
)
def test_times_are_iso_8601_utc(epoch, text):
    assert when(epoch) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.5, "0.5s"), (59, "59s"), (90, "1m 30s"), (3600, "1h"), (90061, "1d 1h 1m 1s"), (-90, "-1m 30s")],
)
def test_durations_read_as_people_say_them(seconds, text):
    assert duration(seconds) == text


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("3d", 259_200), ("12h", 43_200), ("1d 12h", 129_600), ("90m", 5_400), ("45s", 45), (" 2D ", 172_800)],
)
def test_durations_are_read_as_people_write_them(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("seconds", [45, 3_600, 90_061, 30 * 86_400])
def test_a_duration_read_back_from_its_text_is_the_same(seconds):
    assert parse_duration(duration(seconds)) == seconds


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "a number and a unit"),
        ("3600", "a number and a unit"),  # seconds or days? a bare number is refused
        ("3x", "a number and a unit"),
        ("1.5h", "a number and a unit"),
        ("-1h", "a number and a unit"),
        ("d", "a number and a unit"),
        ("1d 1d", "each unit once"),
        ("0h", "longer than zero"),
    ],
)
def test_a_bad_duration_is_one_line_naming_the_value(text, reason):
    with pytest.raises(UserError, match=reason) as refused:
        parse_duration(text, "--timeout")
    assert str(refused.value).startswith(f"bad --timeout {text!r}")


def test_the_reconcile_table_shows_shares_not_base_units():
    from rich.console import Console

    from tokenized_stocks.reconcile.model import AssetView, Report
    from tokenized_stocks.reconcile.render import render_report

    view = AssetView(
        key="AAPLx", chain_id=31337, asset_id="0x01", isin="US0378331006", ticker="AAPL", architecture=0,
        home_chain_id=31337, terms_hash="0x02", total_supply=1234 * E18 + E18 // 2, total_units=1234 * E18,
        multiplier=E18, epoch=0, supply_elsewhere=0, reserves=10**6 * E18,
    )  # fmt: skip
    console = Console(record=True, width=200)

    render_report(Report(views=[view]), console)

    text = console.export_text()
    assert "1,234.5000" in text and "1,000,000.0000" in text
    assert str(1234 * E18) not in text
