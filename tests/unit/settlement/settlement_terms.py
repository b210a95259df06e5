"""Terms and helpers shared by the settlement tests and fixtures (imported by name: this folder is
on sys.path)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from ape.exceptions import ContractLogicError
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

    `ape.reverts` only decodes errors of the called contract; for an error raised deeper it matches
    the type loosely, so this compares the raw revert data instead.
    """
    types = signature[signature.index("(") + 1 : -1]
    expected = keccak(text=signature)[:4] + encode(types.split(",") if types else [], list(args))
    with pytest.raises(ContractLogicError) as info:
        yield
    assert to_bytes(hexstr=str(info.value.revert_message)) == expected
