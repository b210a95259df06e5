"""Amounts and times as people read them, for the human output of every script and the client.

Contracts count in base units (18 decimals for shares and units, the cash token's decimals for
money) and in epoch seconds; people read `1,234.5 AAPLx`, `12.50 USD` and `2026-11-26T02:00:00Z`.
JSON output keeps the raw integers (exact, and what other programs compute with); only the human
text goes through here. Every conversion is exact (`Decimal`, never a float).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from tokenized_stocks.protocol.errors import UserError

#: Decimals of shares, stored units and the multiplier (every asset of the suite).
SHARE_DECIMALS = 18


def to_decimal(base_units: int, decimals: int = SHARE_DECIMALS) -> Decimal:
    """`base_units` scaled down by `decimals`, exactly: (1500000000000000000, 18) -> Decimal('1.5')."""
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    value = int(base_units)
    # built from its digits: exact at any size (scaleb or a division would round to 28 digits)
    return Decimal((1 if value < 0 else 0, tuple(int(d) for d in str(abs(value))), -decimals))


def amount(
    base_units: int, decimals: int = SHARE_DECIMALS, symbol: str = "", places: int | None = None
) -> str:
    """An on-chain amount as text: thousands separators, no trailing zeros, the symbol after it.

    amount(1234500000000000000000, symbol="AAPLx") -> '1,234.5 AAPLx'. With `places`, exactly that
    many decimals, rounded half-even (for columns); without, every significant digit is kept (a
    balance is never shown rounded to a value it is not).
    """
    value = to_decimal(base_units, decimals)
    if places is not None:
        text = f"{value:,.{places}f}"
    else:
        text = _plain(f"{value:,f}")
    return f"{text} {symbol}" if symbol else text


def money(base_units: int, decimals: int, currency: str = "USD") -> str:
    """A cash amount with two decimals at least (more when the value has them) and its currency:
    money(12500000, 6) -> '12.50 USD'."""
    value = to_decimal(base_units, decimals)
    significant = _plain(f"{value:f}").partition(".")[2]
    return f"{value:,.{max(2, len(significant))}f} {currency}"


def _plain(text: str) -> str:
    """A decimal's text without trailing zeros after the point (and without a bare point)."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def when(epoch_seconds: int) -> str:
    """An epoch timestamp as ISO-8601 UTC: 0 -> '1970-01-01T00:00:00Z'."""
    return datetime.fromtimestamp(int(epoch_seconds), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def duration(seconds: float) -> str:
    """A span of seconds as people say it: 90 -> '1m 30s', 3600 -> '1h', 0.5 -> '0.5s'."""
    if seconds < 0:
        return "-" + duration(-seconds)
    if seconds < 60:
        return f"{seconds:g}s"
    whole = int(seconds)
    days, rest = divmod(whole, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")) if n]
    return " ".join(parts)


_UNITS = {"d": 86_400, "h": 3_600, "m": 60, "s": 1}
_DURATION = re.compile(r"(\d+)([dhms])")


def parse_duration(value: str, what: str = "duration") -> int:
    """A span as people write it, in seconds: '3d' -> 259200, '12h', '1d 12h', '90m', '45s'; the
    inverse of `duration`. A bare number is refused (seconds or days?), and so is zero."""
    text = str(value).strip().lower()
    parts = text.split()
    matches = [_DURATION.fullmatch(part) for part in parts]
    if not parts or not all(matches):
        raise UserError(f"bad {what} {value!r}: a number and a unit, d h m or s (3d, 12h, 1d 12h)")
    units = [m.group(2) for m in matches if m]
    if len(set(units)) != len(units):
        raise UserError(f"bad {what} {value!r}: each unit once (1d 12h)")
    seconds = sum(int(m.group(1)) * _UNITS[m.group(2)] for m in matches if m)
    if seconds <= 0:
        raise UserError(f"bad {what} {value!r}: must be longer than zero")
    return seconds


def parse_amount(value: str | int | float | Decimal, what: str = "amount", decimals: int = 18) -> int:
    """A positive decimal amount scaled to `decimals` base units; refuses <= 0 and excess precision."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation as err:
        raise UserError(f"bad {what}: {value!r} is not a number") from err
    if not amount.is_finite() or amount <= 0:
        raise UserError(f"bad {what}: {value} must be greater than zero")
    scaled = amount * (Decimal(10) ** decimals)
    if scaled != scaled.to_integral_value():
        raise UserError(f"bad {what}: {value} has more than {decimals} decimals")
    return int(scaled)
