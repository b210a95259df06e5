"""Gas of atomic DvP settlement and hybrid release beside a plain OpenZeppelin ERC20 transfer.

No product target; the budgets (gas-budgets.toml) are regression guards with headroom over the
figures measured when they were written (printed with `-s`).
"""

from __future__ import annotations

import pytest
from ape import chain

from tokenized_stocks.devtools.bench_settlement import measure_settlement_gas
from tokenized_stocks.devtools.budgets import budget


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
    budget("plain-erc20-transfer").check(gas["plain_erc20_transfer"])


def test_atomic_dvp_settlement_stays_within_its_budget(gas):
    budget("dvp-settle").check(gas["dvp_settle"], gas["plain_erc20_transfer"])


def test_hybrid_release_stays_within_its_budget(gas):
    budget("hybrid-release").check(gas["hybrid_release"], gas["plain_erc20_transfer"])
