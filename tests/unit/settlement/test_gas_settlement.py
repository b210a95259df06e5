"""Gas of atomic DvP settlement and hybrid release beside a plain OpenZeppelin ERC20 transfer.

The issue names no budget; the bounds below are regression guards with headroom over the figures
measured when they were written (printed with `-s`).
"""

from __future__ import annotations

import pytest
from ape import chain

from tokenized_stocks.devtools.bench_settlement import measure_settlement_gas


@pytest.fixture(scope="module")
def gas(project, issuer, investor_alice, investor_bob, cash_agent) -> dict[str, int]:
    with chain.isolate():
        figures = measure_settlement_gas(project, chain, issuer, investor_alice, investor_bob, cash_agent)
    plain = figures["plain_erc20_transfer"]
    print()
    for name, used in figures.items():
        print(f"{name:28s} {used:>8,d} gas  {used / plain:5.2f}x plain transfer")
    return figures


def test_plain_erc20_transfer_is_the_baseline(gas):
    assert 30_000 < gas["plain_erc20_transfer"] < 40_000


def test_atomic_dvp_settlement_costs_at_most_three_and_a_half_plain_transfers(gas):
    assert gas["dvp_settle"] <= 3.5 * gas["plain_erc20_transfer"]


def test_hybrid_release_costs_at_most_three_plain_transfers(gas):
    assert gas["hybrid_release"] <= 3 * gas["plain_erc20_transfer"]
