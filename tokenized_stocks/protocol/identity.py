"""Asset identity helpers: the `assetId` every chain agrees on, ISIN and ISO 24165 DTI checks."""

from __future__ import annotations

from eth_utils import keccak

ISIN_LENGTH = 12
#: ISO 24165 DTI characters: digits and the consonants (no vowels, so no words), 9 of them.
DTI_ALPHABET = "0123456789BCDFGHJKLMNPQRSTVWXZ"
DTI_LENGTH = 9


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


def is_valid_dti(dti: str) -> bool:
    """Checks the ISO 24165 Digital Token Identifier form: 9 characters of `DTI_ALPHABET`, the
    first not `0`. (The DTI Foundation assigns the code; its check character is not recomputed.)"""
    return len(dti) == DTI_LENGTH and dti[0] != "0" and all(ch in DTI_ALPHABET for ch in dti)


def provisional_dti(isin: str) -> str:
    """A DTI-shaped code derived from the ISIN, for a listing whose DTI is not registered yet
    (test and demo assets): keccak256("dti:" || ISIN) read in the DTI alphabet, first char not `0`."""
    number = int.from_bytes(keccak(text=f"dti:{isin.upper()}"), "big")
    chars = [DTI_ALPHABET[1 + number % (len(DTI_ALPHABET) - 1)]]
    number //= len(DTI_ALPHABET) - 1
    for _ in range(DTI_LENGTH - 1):
        chars.append(DTI_ALPHABET[number % len(DTI_ALPHABET)])
        number //= len(DTI_ALPHABET)
    return "".join(chars)


def dti_bytes(dti: str) -> bytes:
    """The contracts' `bytes9` of a DTI."""
    if not is_valid_dti(dti):
        raise ValueError(f"not an ISO 24165 DTI: {dti!r}")
    return dti.encode()
