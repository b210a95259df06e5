"""Terms and helpers shared by the settlement tests and fixtures (imported by name: this folder is
on sys.path)."""

from __future__ import annotations

HOUR = 3600
QUANTITY = 10 * 10**18
CASH_AMOUNT = 1_500 * 10**6
HYBRID_CASH_AMOUNT = 150_000  # USD cents
SELLER_HOLDING = 100 * 10**18
BUYER_CASH = 1_000_000 * 10**6
