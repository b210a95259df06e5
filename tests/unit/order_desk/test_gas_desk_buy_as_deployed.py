"""The order desk buy on the bench's own path: the suite as `ape run deploy` deploys it (every
stateful contract behind its ERC-1967 proxy, the deployment's attested price feed and cash), the
same orders as the bench's row "order desk buy (signed quote)", held to the `order-desk-buy`
budget, the issue's 150,000 target through the proxies."""

from __future__ import annotations

from pathlib import Path

from ape import project

from tokenized_stocks.deploy.listings import load_listings
from tokenized_stocks.devtools.bench import Bench
from tokenized_stocks.devtools.budgets import budget

ROOT = Path(__file__).resolve().parents[3]


def test_the_desk_buy_through_the_proxies_stays_within_its_budget(chain, accounts):
    bench = Bench(
        project, chain, accounts, load_listings(ROOT / "deployments/listings.yaml"), log=lambda _s: None
    )
    bench.deploy()
    plain, _ = bench.baseline()
    gas, _ = bench.desk_buy()
    print(f"\norder desk buy on the bench's path: {gas:,} gas")
    budget("order-desk-buy").check(gas, plain)
