"""Units API after finding 13.7 and finding 20.12 (fee to zero).

A units function moves `ceil(units * multiplier / 1e18)` tokens (rounded against the caller) and
spends the same allowance; the fee decay is floored at MIN_MULTIPLIER, so the allowance check of
`transferUnitsFrom` can never round to zero.
"""

import pytest
from ape import chain
from certificate_constants import pinned_now
from revert_data import reverts

from tokenized_stocks.protocol.multiplier import MAX_FEE_PER_PERIOD, MIN_MULTIPLIER, ONE, to_tokens_up


@pytest.fixture(scope="module")
def funded(funded_once):
    """Every test of this module starts from these balances: minted once per module."""
    return funded_once


def test_transfer_units_moves_the_tokens_rounded_up_exactly(
    funded, transfer_agent, investor_alice, investor_bob
):
    funded.scheduleMultiplierUpdate(ONE, ONE * 3 // 2, pinned_now(), 1, sender=transfer_agent)
    m = funded.multiplier()
    alice, bob = funded.balanceOf(investor_alice), funded.balanceOf(investor_bob)

    receipt = funded.transferUnits(investor_bob, 3, sender=investor_alice)

    tokens = to_tokens_up(3, m)  # 4.5 -> 5 wei
    assert tokens == 5
    assert funded.balanceOf(investor_alice) == alice - tokens
    assert funded.balanceOf(investor_bob) == bob + tokens
    assert [e for e in receipt.events if e.event_name in ("Transfer", "UnitsTransferred")] == [
        funded.Transfer(investor_alice, investor_bob, tokens),
        funded.UnitsTransferred(investor_alice, investor_bob, 3),
    ]


def test_the_fee_never_decays_the_multiplier_below_the_floor(funded, issuer):
    start = funded.setManagementFee(MAX_FEE_PER_PERIOD, 1, sender=issuer).timestamp
    chain.mine(timestamp=start + 10_000)  # (0.99)^10000 * 1e18 rounds to 0 without the floor

    assert funded.multiplier() == MIN_MULTIPLIER
    funded.accrueFee(sender=issuer)
    assert funded.multiplier() == MIN_MULTIPLIER


def test_at_the_floor_transfer_units_from_still_needs_an_allowance(funded, issuer, investor_alice, outsider):
    start = funded.setManagementFee(MAX_FEE_PER_PERIOD, 1, sender=issuer).timestamp
    chain.mine(timestamp=start + 10_000)
    units = funded.unitsOf(investor_alice)
    assert units > 0

    with reverts(
        funded.ERC20InsufficientAllowance,
        spender=outsider,
        allowance=0,
        needed=to_tokens_up(units, MIN_MULTIPLIER),
    ):
        funded.transferUnitsFrom(investor_alice, outsider, units, sender=outsider)


def test_one_unit_always_costs_at_least_one_wei_of_allowance(funded, issuer, investor_alice, outsider):
    start = funded.setManagementFee(MAX_FEE_PER_PERIOD, 1, sender=issuer).timestamp
    chain.mine(timestamp=start + 10_000)

    with reverts(funded.ERC20InsufficientAllowance, spender=outsider, allowance=0, needed=1):
        funded.transferUnitsFrom(investor_alice, outsider, 1, sender=outsider)
