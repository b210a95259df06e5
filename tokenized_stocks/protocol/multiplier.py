"""The multiplier arithmetic mirrored from Solidity (`contracts/corporate/ShareMultiplierMath.sol`),
exact to the wei, so tests and the reconciler can predict balances."""

from __future__ import annotations

ONE = 10**18
INITIAL_MULTIPLIER = ONE
MIN_MULTIPLIER = 10**12
MAX_MULTIPLIER = 2**80 - 1
MAX_FEE_PER_PERIOD = 10**16


def to_tokens_down(units: int, multiplier: int) -> int:
    """Balance / total supply of `units` (rounded down)."""
    return units * multiplier // ONE


def to_tokens_up(units: int, multiplier: int) -> int:
    """Tokens worth `units`, rounded up (reserve checks)."""
    return -(-units * multiplier // ONE)


def to_units_up(tokens: int, multiplier: int) -> int:
    """Units a payer gives up for `tokens` (rounded up)."""
    return -(-tokens * ONE // multiplier)


def to_units_down(tokens: int, multiplier: int) -> int:
    """Units a mint credits for `tokens` (rounded down)."""
    return tokens * ONE // multiplier


def rescale_down(balance: int, m_now: int, m_ref: int) -> int:
    """A token balance written at `m_ref`, at `m_now` (rounded down, like `rescaleDown`)."""
    if m_now == m_ref:
        return balance
    return balance * m_now // m_ref


def rpow(base: int, exponent: int) -> int:
    """`base ** exponent` in 1e18 fixed point, rounded down at every step like the contract."""
    result = ONE
    while exponent:
        if exponent & 1:
            result = result * base // ONE
        exponent >>= 1
        if exponent:
            base = base * base // ONE
    return result


def decay(multiplier: int, fee_per_period: int, periods: int) -> int:
    """`multiplier * (1 - fee) ** periods`, rounded down like `ShareMultiplierMath.decay`."""
    if periods == 0 or fee_per_period == 0:
        return multiplier
    return multiplier * rpow(ONE - fee_per_period, periods) // ONE


def decayed_multiplier(multiplier: int, fee_per_period: int, periods: int) -> int:
    """The certificate's decayed multiplier: `decay`, floored at MIN_MULTIPLIER (finding 20.12)."""
    if periods == 0 or fee_per_period == 0:
        return multiplier
    return max(decay(multiplier, fee_per_period, periods), MIN_MULTIPLIER)


def shares_to_feed_answer(shares: int, feed_decimals: int = 0) -> int:
    """The reserve-feed answer for `shares` (18-decimal tokens) in the feed's decimals, rounded down."""
    return shares // 10 ** (18 - feed_decimals)
