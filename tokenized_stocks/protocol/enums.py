"""Enums and ERC-1404 codes mirrored from the contracts (registry share, certificate)."""

from __future__ import annotations

from enum import IntEnum


class Restriction(IntEnum):
    """The one ERC-1404 code table of the three assets (`contracts/libraries/RestrictionCodes.sol`;
    0..15 are `IRegistryShareTypes.Restriction`): one code per rule, 0 = allowed."""

    NONE = 0
    PAUSED = 1
    SENDER_NOT_VERIFIED = 2
    RECIPIENT_NOT_VERIFIED = 3
    SENDER_INVESTOR_FROZEN = 4
    RECIPIENT_INVESTOR_FROZEN = 5
    SENDER_WALLET_FROZEN = 6
    RECIPIENT_WALLET_FROZEN = 7
    INSUFFICIENT_UNFROZEN_BALANCE = 8
    LOCKED_UP = 9
    COUNTRY_NOT_ALLOWED = 10
    MAX_HOLDERS = 11
    MAX_COUNTRY_HOLDERS = 12
    BELOW_MIN_HOLDING = 13
    ABOVE_MAX_HOLDING = 14
    WALLET_INVESTOR_MISMATCH = 15
    SENDER_SANCTIONED = 16
    RECIPIENT_SANCTIONED = 17
    INSUFFICIENT_BALANCE = 18
    ZERO_ADDRESS = 19


class Vote(IntEnum):
    """`BallotBox.Choice`: a shareholder's answer to a ballot."""

    NO = 0
    YES = 1
    ABSTAIN = 2
