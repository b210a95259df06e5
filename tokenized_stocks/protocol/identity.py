"""Asset identity helpers: the `assetId` every chain agrees on."""

from __future__ import annotations

from eth_utils import keccak

ISIN_LENGTH = 12


def is_valid_isin(isin: str) -> bool:
    """Checks the ISO 6166 format and its Luhn check digit."""
    if len(isin) != ISIN_LENGTH or not isin[:2].isalpha() or not isin.isalnum() or not isin[-1].isdigit():
        return False
    digits = "".join(str(int(ch, 36)) for ch in isin[:-1].upper())
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10 == int(isin[-1])


def asset_id(isin: str) -> bytes:
    """The asset id derived from an ISIN: keccak256("tokenized-stock:" || ISIN)."""
    if not is_valid_isin(isin):
        raise ValueError(f"not a valid ISIN: {isin!r}")
    return keccak(text=f"tokenized-stock:{isin.upper()}")
