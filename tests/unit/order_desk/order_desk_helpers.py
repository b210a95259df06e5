"""Constants and helpers shared by the order desk tests and the property tests."""

from __future__ import annotations

from tokenized_stocks.protocol.identity import asset_id

ZERO_ADDRESS = "0x" + "00" * 20
ISIN = "US0378331005"
ASSET_ID = asset_id(ISIN)
SHARE = 10**18
USD = 10**6
FEED_DECIMALS = 8
REFERENCE_PRICE = 190 * USD  # 190.000000 USD per share
MAX_DEVIATION_BPS = 100
MAX_STALENESS = 3600
GLOBAL_CAPACITY = 1_000_000 * USD
GLOBAL_REFILL = GLOBAL_CAPACITY // 86_400
INVESTOR_CAPACITY = 100_000 * USD
INVESTOR_REFILL = INVESTOR_CAPACITY // 86_400
INITIAL_CASH = 1_000_000 * USD
INITIAL_BUFFER = 200_000 * USD
ONE_YEAR = 365 * 86_400


def investor_id(name: str) -> bytes:
    return name.encode().ljust(32, b"\x00")


ALICE = investor_id("alice")
BOB = investor_id("bob")
