"""The identifiers an ISO 20022 message carries, and how each maps to its on-chain form.

- ISIN (ISO 6166, `protocol.identity.is_valid_isin`) and DTI (ISO 24165 Digital Token Identifier:
  9 characters of `0-9` and the consonants `B-D F-H J-N P-T V-X Z`, not starting with `0`); the
  DTI is carried as an other identification of the financial instrument, source `DTI`.
- Account references: readable text of at most 32 ASCII characters, the contracts' `bytes32`
  zero-padded (`protocol.trade.reference`).
- Instruction references: an instruction id is a `bytes32` on chain, an ISO transaction id is at
  most 35 characters: the message carries the first 16 bytes in upper-case hex (32 characters);
  the sender keeps the mapping back to the full id (it issued both).
- Quantities: a token amount has 18 decimals; the message carries the number of shares as an exact
  decimal (`shares`), and `amount` refuses a quantity finer than one wei of a token.
"""

from __future__ import annotations

import re
from decimal import Decimal

from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.protocol.identity import is_valid_dti, is_valid_isin

TOKEN_DECIMALS = 18
ACCOUNT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./:_-]{0,31}$")
REFERENCE_LENGTH = 32


def check_isin(isin: str) -> str:
    """`isin` when it is a valid ISIN, else the message is refused."""
    if not is_valid_isin(isin):
        raise MessageRefused(f"not a valid ISIN: {isin!r}")
    return isin


def check_dti(dti: str) -> str:
    """`dti` when it has the ISO 24165 form, else the message is refused."""
    if not is_valid_dti(dti):
        raise MessageRefused(f"not an ISO 24165 DTI: {dti!r}")
    return dti


def check_account(account: str) -> str:
    """A register account reference: 1-32 ASCII characters (fits the contracts' bytes32)."""
    if not ACCOUNT_PATTERN.match(account):
        raise MessageRefused(f"not an account reference (1-32 letters, digits, ' ./:_-'): {account!r}")
    return account


def account_bytes(account: str) -> bytes:
    """The contracts' `bytes32` of an account reference (zero-padded text)."""
    return check_account(account).encode().ljust(32, b"\x00")


def account_text(raw: bytes) -> str:
    """The account reference a `bytes32` stands for (the inverse of `account_bytes`)."""
    return check_account(bytes(raw).rstrip(b"\x00").decode("ascii", errors="replace"))


def reference(instruction_id: bytes) -> str:
    """The ISO transaction id of an on-chain instruction id."""
    if len(instruction_id) != 32:
        raise MessageRefused(f"an instruction id is 32 bytes, got {len(instruction_id)}")
    return bytes(instruction_id[:16]).hex().upper()


def shares(amount: int) -> Decimal:
    """The exact number of shares of a token amount (18 decimals)."""
    return Decimal(int(amount)).scaleb(-TOKEN_DECIMALS).normalize()


def amount(quantity: Decimal) -> int:
    """The token amount of a number of shares; refused when not a whole number of wei."""
    scaled = Decimal(quantity).scaleb(TOKEN_DECIMALS)
    if scaled != scaled.to_integral_value() or scaled < 0:
        raise MessageRefused(f"quantity {quantity} is not a whole number of token wei")
    return int(scaled)
