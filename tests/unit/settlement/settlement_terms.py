"""Terms and helpers shared by the settlement tests and fixtures (imported by name: this folder is
on sys.path)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from ape.exceptions import ContractLogicError, CustomError
from eth_abi import encode
from eth_utils import keccak, to_bytes

HOUR = 3600
QUANTITY = 10 * 10**18
CASH_AMOUNT = 1_500 * 10**6
HYBRID_CASH_AMOUNT = 150_000  # USD cents
SELLER_HOLDING = 100 * 10**18
BUYER_CASH = 1_000_000 * 10**6


@contextmanager
def reverts_with_foreign_error(signature: str, *args: Any) -> Iterator[None]:
    """Expects the call to revert with exactly this error of *another* contract (a token's error
    bubbling up through a settlement contract), arguments included.

    `ape.reverts` checks arguments only for errors it can decode; for an error raised deeper it may
    match the type loosely, so this compares the error by name and ABI-encoded arguments.
    """
    name, _, rest = signature.partition("(")
    types = rest[:-1].split(",") if rest[:-1] else []
    expected = encode(types, list(args))
    with pytest.raises(ContractLogicError) as info:
        yield
    error = info.value
    if isinstance(error, CustomError):
        assert error.abi.name == name
        assert encode(types, list(error.inputs.values())) == expected
    else:
        assert to_bytes(hexstr=str(error.revert_message)) == keccak(text=signature)[:4] + expected
