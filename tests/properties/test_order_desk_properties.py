"""Property: random buys, sells, treasury moves and time jumps on the order desk keep cash conserved
and the token supply equal to executed buys minus executed sells.

Invariants checked after every step:
- desk cash + investors' cash == initial total + treasury top-ups - treasury withdrawals;
- desk cash == initial buffer + cash of executed buys - cash of executed sells + treasury net;
- token supply == quantity of executed buys - quantity of executed sells, per wallet as well;
- a refused order moves nothing (no cash, no token).
"""

from __future__ import annotations

import os

import pytest
from ape.exceptions import ContractLogicError
from eth_utils import keccak
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.identity import asset_id
from tokenized_stocks.protocol.quote import QuoteService, Side, cash_for
from tokenized_stocks.protocol.roles import (
    REGISTRAR_ROLE,
    REPORTER_ROLE,
    Architecture,
    Country,
    InvestorClass,
    role,
)

SHARE = 10**18
USD = 10**6
PRICE = 190 * USD
ISIN = "US0378331005"
ASSET = asset_id(ISIN)
INITIAL_CASH = 200_000 * USD
INITIAL_BUFFER = 20_000 * USD


@pytest.fixture(scope="module")
def suite(project, chain, accounts):
    """A desk with one listed stock, two verified investors (alice with two wallets) and a treasury."""
    admin, signer, treasury = accounts[0], accounts[4], accounts[16]
    wallets = {"alice": [accounts[12], accounts[13]], "bob": [accounts[14]]}
    registry = deploy_behind_proxy(project, admin, project.InvestorRegistry, admin)
    registry.grantRole(REGISTRAR_ROLE, admin, sender=admin)
    expiry = chain.pending_timestamp + 10 * 365 * 86_400
    for name, owned in wallets.items():
        registry.registerInvestor(
            keccak(text=name), Country.US, InvestorClass.ACCREDITED, expiry, sender=admin
        )
        for wallet in owned:
            registry.addWallet(keccak(text=name), wallet, sender=admin)
    sanctions = deploy_behind_proxy(project, admin, project.SanctionsList, admin)
    feed = admin.deploy(project.AttestedFeed, admin, 8, "AAPL / USD")
    feed.grantRole(REPORTER_ROLE, admin, sender=admin)
    cash = admin.deploy(project.MockStablecoin)
    desk = deploy_behind_proxy(project, admin, project.OrderDesk, admin, registry)
    desk.initializeCash(cash, sender=admin)
    desk.grantRole(role("TREASURY_ROLE"), treasury, sender=admin)
    desk.addSigner(signer, sender=admin)
    # Tight enough that random sequences hit the limits and the buffer, and see them refill.
    desk.setGlobalRateLimit(60_000 * USD, 5 * USD, sender=admin)
    desk.setInvestorRateLimit(40_000 * USD, 3 * USD, sender=admin)
    desk.setBufferLimits(5_000 * USD, 50_000 * USD, 1 * USD, sender=admin)
    identity = (
        ASSET,
        ISIN,
        "AAPL",
        Architecture.MINT_ON_ORDER,
        chain.chain_id,
        "ipfs://terms",
        b"\x11" * 32,
        b"4H95J0R2X",
    )
    token = deploy_behind_proxy(
        project,
        admin,
        project.OrderToken,
        admin,
        "Apple Inc. on order",
        "AAPLon",
        identity,
        desk,
        registry,
        sanctions,
    )
    desk.listAsset(token, feed, 100, 3600, 0, 0, 0, sender=admin)
    for wallet in [*wallets["alice"], *wallets["bob"], treasury]:
        cash.mint(wallet, INITIAL_CASH, sender=wallet)
        cash.approve(desk, 2**256 - 1, sender=wallet)
    desk.topUpBuffer(INITIAL_BUFFER, sender=treasury)
    quotes = QuoteService(private_key=signer.private_key, desk=desk.address, chain_id=chain.chain_id)
    return {
        "admin": admin,
        "treasury": treasury,
        "wallets": wallets,
        "feed": feed,
        "cash": cash,
        "desk": desk,
        "token": token,
        "quotes": quotes,
    }


def test_random_orders_conserve_cash_and_supply(suite, chain):
    admin, treasury, cash, desk, token, feed, quotes = (
        suite[k] for k in ("admin", "treasury", "cash", "desk", "token", "feed", "quotes")
    )
    wallet_list = [(name, w) for name, owned in suite["wallets"].items() for w in owned]
    investors_wallets = [w for _, w in wallet_list]

    class DeskMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.snapshot = chain.snapshot()
            feed.report(PRICE * 100, sender=admin)
            self.bought = 0
            self.sold = 0
            self.buy_cash = 0
            self.sell_cash = 0
            self.treasury_net = 0
            self.holdings = {w.address: 0 for w in investors_wallets}
            self.refused = 0
            self.total_start = self._cash_total()
            self.desk_start = cash.balanceOf(desk)

        def _cash_total(self) -> int:
            return cash.balanceOf(desk) + sum(cash.balanceOf(w) for w in investors_wallets)

        def _balances(self) -> tuple:
            return (
                tuple(cash.balanceOf(x) for x in [*investors_wallets, desk, treasury]),
                tuple(token.balanceOf(w) for w in investors_wallets),
                token.totalSupply(),
            )

        def _order(self, side: Side, index: int, quantity: int, price_bps: int) -> None:
            name, wallet = wallet_list[index]
            price = PRICE * (10_000 + price_bps) // 10_000
            signed = quotes.quote(
                ASSET, side, quantity, price, keccak(text=name), now=chain.pending_timestamp
            )
            before = self._balances()
            try:
                if side == Side.BUY:
                    desk.buy(*signed.args(), 10**30, sender=wallet)
                else:
                    desk.sell(*signed.args(), 0, sender=wallet)
            except ContractLogicError:
                self.refused += 1
                assert self._balances() == before
                return
            amount = cash_for(quantity, price, side)
            if side == Side.BUY:
                self.bought += quantity
                self.buy_cash += amount
                self.holdings[wallet.address] += quantity
            else:
                self.sold += quantity
                self.sell_cash += amount
                self.holdings[wallet.address] -= quantity

        @rule(
            index=st.integers(0, 2),
            quantity=st.integers(SHARE // 1000, 150 * SHARE),
            price_bps=st.integers(-100, 100),
        )
        def buy(self, index: int, quantity: int, price_bps: int) -> None:
            self._order(Side.BUY, index, quantity, price_bps)

        @rule(index=st.integers(0, 2), share=st.integers(1, 100), price_bps=st.integers(-100, 100))
        def sell(self, index: int, share: int, price_bps: int) -> None:
            held = self.holdings[wallet_list[index][1].address]
            quantity = max(held * share // 100, SHARE // 1000)  # may exceed a zero holding: refused
            self._order(Side.SELL, index, quantity, price_bps)

        @rule(seconds=st.integers(1, 7_200))
        def time_passes(self, seconds: int) -> None:
            chain.pending_timestamp += seconds
            feed.report(PRICE * 100, sender=admin)

        @rule(amount=st.integers(1, 30_000 * USD))
        def treasury_moves(self, amount: int) -> None:
            if amount % 2:
                desk.topUpBuffer(amount, sender=treasury)
                self.treasury_net += amount
                return
            try:
                desk.withdrawBuffer(treasury, amount, sender=treasury)
            except ContractLogicError:
                return
            self.treasury_net -= amount

        @invariant()
        def cash_and_supply_match_executed_orders(self) -> None:
            cash_balances, token_balances, supply = self._balances()
            *investor_cash, desk_cash, _treasury_cash = cash_balances
            # Cash is conserved: only the treasury moves cash in or out of desk + investors.
            assert sum(investor_cash) + desk_cash == self.total_start + self.treasury_net
            assert desk_cash == self.desk_start + self.buy_cash - self.sell_cash + self.treasury_net
            # Supply is executed buys minus executed sells, wallet by wallet.
            assert supply == self.bought - self.sold
            assert list(token_balances) == [self.holdings[w.address] for w in investors_wallets]

        def teardown(self) -> None:
            chain.restore(self.snapshot)

    run_state_machine_as_test(
        DeskMachine,
        settings=settings(
            max_examples=int(os.environ.get("DESK_PROPERTY_EXAMPLES", "10")),
            stateful_step_count=10,
            deadline=None,
            # No shrinking: each step is a transaction; a failure is reported as found.
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
            suppress_health_check=[HealthCheck.function_scoped_fixture],
        ),
    )
