"""The client's input checks, made before anything is sent: addresses, share amounts, investor ids."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tokenized_stocks.client.suite import address, investor_key
from tokenized_stocks.protocol.display import parse_amount
from tokenized_stocks.protocol.errors import UserError

CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"  # the EIP-55 example


def test_a_lower_case_address_is_checksummed():
    assert address(CHECKSUMMED.lower()) == CHECKSUMMED


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "EIP-55"),
        ("0x0", "bad recipient"),
        ("0x" + "0" * 40, "the zero address"),
        ("not an address", "bad recipient"),
    ],
    ids=["bad-checksum", "short", "zero", "text"],
)
def test_a_bad_address_is_one_line_naming_what_it_is(value, message):
    with pytest.raises(UserError, match=message) as err:
        address(value, "recipient")
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("shares", "units"),
    [(1, 10**18), ("2.5", 25 * 10**17), (Decimal("0.000000000000000001"), 1), ("1e3", 10**21)],
)
def test_shares_become_18_decimal_base_units_exactly(shares, units):
    assert parse_amount(shares) == units


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        (0, "greater than zero"),
        ("-1", "greater than zero"),
        ("NaN", "greater than zero"),
        ("Infinity", "greater than zero"),
        ("0.0000000000000000001", "more than 18 decimals"),
        ("ten", "not a number"),
    ],
)
def test_a_bad_amount_is_refused(shares, message):
    with pytest.raises(UserError, match=message):
        parse_amount(shares)


def test_an_investor_id_is_32_bytes_or_their_hex():
    raw = bytes(range(32))
    assert investor_key(raw) == raw
    assert investor_key("0x" + raw.hex()) == raw
    assert investor_key(raw.hex()) == raw


@pytest.mark.parametrize(
    "value", ["0x1234", "0x" + "zz" * 32, b"short"], ids=["short-hex", "not-hex", "bytes"]
)
def test_a_bad_investor_id_is_refused(value):
    with pytest.raises(UserError, match="bad investor id"):
        investor_key(value)
