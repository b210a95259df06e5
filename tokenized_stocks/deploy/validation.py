"""Field types shared by the configuration models (listings, manifests, relayer settings) and the one
line a validation error becomes.

Every file the tools read is validated by a pydantic model: a typo in a key, a bad ISIN or an address
with a wrong checksum is refused before anything is sent, with one line naming the key.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from eth_utils import is_checksum_address, is_hex_address, to_checksum_address
from pydantic import BeforeValidator, Field, ValidationError, WithJsonSchema
from pydantic_core import ErrorDetails

from tokenized_stocks.protocol.identity import is_valid_dti, is_valid_isin


def checksum_address(value: Any) -> str:
    """An EIP-55 address. All lower (or all upper) case is accepted and checksummed; mixed case must
    carry a valid checksum (a mistyped character is caught, not silently turned into another address)."""
    if not isinstance(value, str) or not value.startswith("0x") or not is_hex_address(value):
        raise ValueError(f"{value!r} is not a 20-byte hex address")
    body = value[2:]
    if body not in (body.lower(), body.upper()) and not is_checksum_address(value):
        raise ValueError(f"{value} has mixed case but not a valid EIP-55 checksum")
    return to_checksum_address(value)


def _isin(value: Any) -> str:
    isin = str(value).strip().upper()
    if not is_valid_isin(isin):
        raise ValueError(f"{value!r} is not a valid ISIN")
    return isin


def _dti(value: Any) -> str:
    dti = str(value).strip().upper()
    if not is_valid_dti(dti):
        raise ValueError(f"{value!r} is not an ISO 24165 DTI (9 of 0-9 and consonants, not starting with 0)")
    return dti


def _figure(value: Any) -> Decimal:
    """A number >= 0 from YAML (int, float or a numeric string), kept exact as a Decimal."""
    if isinstance(value, bool):
        raise ValueError(f"must be a number >= 0, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"must be a number >= 0, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"must be a number >= 0, got {value!r}")
    return number


#: An EIP-55 checksummed address (see `checksum_address`).
Address = Annotated[
    str,
    BeforeValidator(checksum_address),
    WithJsonSchema({"type": "string", "pattern": "^0x[0-9a-fA-F]{40}$", "description": "EIP-55 address"}),
]
#: An ISIN (ISO 6166) with a valid check digit, upper case.
Isin = Annotated[
    str,
    BeforeValidator(_isin),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{2}[A-Za-z0-9]{9}[0-9]$", "description": "ISIN"}),
]
#: An ISO 24165 Digital Token Identifier, upper case.
Dti = Annotated[
    str,
    BeforeValidator(_dti),
    WithJsonSchema(
        {"type": "string", "pattern": "^[1-9B-DF-HJ-NP-TV-XZ][0-9B-DF-HJ-NP-TV-XZ]{8}$", "description": "DTI"}
    ),
]
#: A number >= 0 (shares, a price), exact.
Figure = Annotated[Decimal, BeforeValidator(_figure), WithJsonSchema({"type": "number", "minimum": 0})]
#: 32 bytes as 0x-prefixed hex (a transaction hash, an asset id).
Bytes32 = Annotated[str, Field(pattern=r"^0x[0-9a-fA-F]{64}$")]


def dotted(loc: Iterable[Any]) -> str:
    return ".".join(str(part) for part in loc)


def error_text(error: ErrorDetails, known: Iterable[str] = ()) -> str:
    """One error of a ValidationError as words: `unknown key 'max_holder' (did you mean
    'max_holders'?)`, `missing key 'isin'`, or `<key>: <what is wrong>`."""
    loc = [part for part in error["loc"] if not isinstance(part, int)]
    name = str(loc[-1]) if loc else ""
    kind = error["type"]
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(name, list(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown key {name!r}{hint}"
    if kind == "missing":
        return f"missing key {name!r}"
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return f"{name}: {message}" if name else message


def first_error(err: ValidationError) -> ErrorDetails:
    return err.errors(include_url=False)[0]


def more(err: ValidationError) -> str:
    """` (and N more problems)` when the error has more than one."""
    extra = err.error_count() - 1
    return f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra else ""
