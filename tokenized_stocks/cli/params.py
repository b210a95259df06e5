"""Input validation shared by the scripts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from tokenized_stocks.deploy.validation import checksum_address
from tokenized_stocks.protocol.errors import UserError


def parse_address(value: str, what: str = "address") -> str:
    """A checksummed address, or a UserError naming the bad value. The rule is the configuration
    files' (`deploy.validation.checksum_address`): lower case is accepted, mixed case must carry a
    valid EIP-55 checksum."""
    try:
        return checksum_address(value)
    except ValueError as err:
        raise UserError(f"bad {what}: {err}") from err


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
