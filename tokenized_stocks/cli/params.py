"""Input validation shared by the scripts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from eth_utils import is_address, to_checksum_address

from tokenized_stocks.protocol.errors import UserError


def parse_address(value: str, what: str = "address") -> str:
    """A checksummed address, or a UserError naming the bad value."""
    if not isinstance(value, str) or not is_address(value):
        raise UserError(f"bad {what}: {value!r} is not a 20-byte hex address")
    return to_checksum_address(value)


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
