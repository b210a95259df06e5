"""Constants shared by the certificate tests (imported by name: the test folders are not packages)."""

from tokenized_stocks.protocol.identity import asset_id

ISIN = "US0378331005"
ASSET_ID = asset_id(ISIN)
HEARTBEAT = 86_400
INITIAL_RESERVES = 1_000_000  # whole shares (feed decimals 0)
TERMS_HASH = b"\x11" * 32
ZERO = "0x0000000000000000000000000000000000000000"


def pinned_now() -> int:
    """Pins the timestamp of the next block and returns it, so "now" in the next call is exact
    (anvil's pending timestamp otherwise follows the wall clock between reading and mining)."""
    from ape import chain

    timestamp = chain.pending_timestamp + 1
    chain.pending_timestamp = timestamp
    return timestamp
