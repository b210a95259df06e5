"""Register invariants of the registry share under random transfer-agent and holder actions.

After every step: every balance equals the model, which moves exactly the amount of each action
and rescales each balance `balance * new // previous` at a split (3:2, 1:10, 2:3: finding 13.7);
the balances sum to at most the total supply, each investor total covers its wallets' balances
(equal without splits; split dust otherwise), the holder count equals the number of investors
holding a record (per country too), and no unverified wallet holds shares. Refused transfers must
be exactly those the ERC-1404 pre-check refuses, with the same code.

"cid" starts as a sole-wallet investor (its total lives in its wallet's slot); a rule binds it a
second wallet at a random point, so the hand-over to an investor slot is exercised mid-sequence.
"""

from __future__ import annotations

from eth_utils import keccak
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from revert_data import reverts

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.identity import asset_id
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.protocol.roles import TRANSFER_AGENT_ROLE, Architecture, Country

ISIN = "US0378331005"
REASON = "property test"
# investor -> (country, wallet account indexes)
INVESTORS = {
    "ann": (Country.US, (12, 13)),
    "ben": (Country.US, (14, 15)),
    "cid": (Country.GB, (16,)),
    "dee": (Country.DE, (17, 18)),
}
OUTSIDER = 19
SPARE = 11  # unbound until the `bind_second_wallet` rule binds it to "cid"


def test_register_invariants_hold_under_random_actions(
    chain, project, accounts, issuer, registrar, transfer_agent, registry, onboard
):
    share = deploy_behind_proxy(
        project,
        issuer,
        project.RegistryShare,
        issuer,
        registry,
        "Share",
        "SHR",
        (
            asset_id(ISIN),
            ISIN,
            "AAPL",
            Architecture.REGISTRY_SHARE,
            chain.chain_id,
            "ipfs://t",
            keccak(text="t"),
            b"4H95J0R2X",
        ),
    )
    share.grantRole(TRANSFER_AGENT_ROLE, transfer_agent, sender=issuer)
    share.setMaxHolders(3, sender=issuer)  # binding now and then, so refusals happen
    investor_of: dict[str, str] = {}
    ids: dict[str, bytes] = {}
    for name, (country, indexes) in INVESTORS.items():
        ids[name] = onboard(registry, name, *(accounts[i] for i in indexes), country=country)
        for i in indexes:
            investor_of[accounts[i].address] = name
    wallets = [accounts[i] for _, indexes in INVESTORS.values() for i in indexes]
    spare = accounts[SPARE]
    everyone = [*wallets, spare, accounts[OUTSIDER]]
    wallet_st = st.sampled_from(everyone)
    # whole and odd amounts, so that splits leave remainders
    amount_st = st.integers(min_value=0, max_value=60).map(lambda n: n * ONE) | st.integers(
        min_value=0, max_value=60 * ONE
    )

    class Register(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.snapshot = chain.snapshot()
            self.units = {w.address: 0 for w in everyone}
            self.recovered: set[str] = set()
            self.investor_of = dict(investor_of)
            self.splits = 0

        def teardown(self) -> None:
            chain.restore(self.snapshot)

        @rule(to=wallet_st, amount=amount_st)
        def issue(self, to, amount) -> None:
            code = share.crosschainRestriction(to, amount)
            if code == 0:
                share.issue(to, amount, REASON, sender=transfer_agent)
                self.units[to.address] += amount
            else:
                with reverts(share.ShareTransferRestricted, code=code):
                    share.issue(to, amount, REASON, sender=transfer_agent)

        @rule(sender=wallet_st, to=wallet_st, amount=amount_st)
        def transfer(self, sender, to, amount) -> None:
            code = share.detectTransferRestriction(sender, to, amount)
            if code == 0:
                share.transfer(to, amount, sender=sender)
                self.units[sender.address] -= amount
                self.units[to.address] += amount
            else:
                with reverts(share.ShareTransferRestricted, code=code):
                    share.transfer(to, amount, sender=sender)

        @rule(sender=wallet_st, to=wallet_st, fraction=st.integers(min_value=0, max_value=4))
        def forced_transfer(self, sender, to, fraction) -> None:
            amount = self.units[sender.address] * fraction // 4
            # A wallet recovered away from never receives the share again (finding 20.7).
            if to.address in self.investor_of and to.address not in self.recovered:
                share.forcedTransfer(sender, to, amount, REASON, sender=transfer_agent)
                self.units[sender.address] -= amount
                self.units[to.address] += amount
            else:
                with reverts(share.ShareTransferRestricted):
                    share.forcedTransfer(sender, to, amount, REASON, sender=transfer_agent)

        @rule(lost=st.sampled_from(wallets), other=st.integers(min_value=0, max_value=1))
        def recovery(self, lost, other) -> None:
            name = self.investor_of[lost.address]
            siblings = [w for w in (*wallets, spare) if self.investor_of.get(w.address) == name and w != lost]
            if not siblings or self.units[lost.address] == 0:
                return
            new = siblings[other % len(siblings)]
            if new.address in self.recovered:
                # a lost wallet never comes back: recovery links cannot loop
                with reverts(share.ShareInvalidRecovery):
                    share.recoveryAddress(lost, new, ids[name], REASON, sender=transfer_agent)
                return
            share.recoveryAddress(lost, new, ids[name], REASON, sender=transfer_agent)
            self.recovered.add(lost.address)
            self.units[new.address] += self.units[lost.address]
            self.units[lost.address] = 0

        @rule()
        def bind_second_wallet(self) -> None:
            if spare.address in self.investor_of:
                return
            assert registry.walletModeOf(registry.indexOf(ids["cid"])).sole
            registry.addWallet(ids["cid"], spare, sender=registrar)
            assert not registry.walletModeOf(registry.indexOf(ids["cid"])).sole
            self.investor_of[spare.address] = "cid"

        @rule(ratio=st.sampled_from([(3, 2), (1, 10), (2, 3)]))
        def split(self, ratio) -> None:
            previous = share.multiplier()
            share.split(*ratio, REASON, sender=transfer_agent)
            new = share.multiplier()
            self.units = {w: u * new // previous for w, u in self.units.items()}
            self.splits += 1

        @rule(wallet=st.sampled_from(wallets), fraction=st.integers(min_value=1, max_value=4))
        def redeem(self, wallet, fraction) -> None:
            amount = self.units[wallet.address] * fraction // 4
            share.redeem(wallet, amount, REASON, sender=transfer_agent)
            self.units[wallet.address] -= amount

        @invariant()
        def register_matches_the_model(self) -> None:
            for wallet in everyone:
                assert share.balanceOf(wallet) == self.units[wallet.address]

        @invariant()
        def investor_totals_cover_their_wallets(self) -> None:
            for name in INVESTORS:
                expected = sum(u for w, u in self.units.items() if self.investor_of.get(w) == name)
                total = share.investorBalance(ids[name])
                # a multi-wallet total keeps < 1 wei per wallet per split (scaled by later splits)
                assert expected <= total <= expected + 10 * self.splits * 2**self.splits
            assert sum(self.units.values()) <= share.totalSupply()

        @invariant()
        def holder_count_is_the_number_of_investors_with_shares(self) -> None:
            holding = {name for name in INVESTORS if share.holdingWallets(ids[name]) != 0}
            assert holding >= {
                self.investor_of[w] for w, u in self.units.items() if u and w in self.investor_of
            }
            assert share.holderCount() == len(holding)
            for country in {c for c, _ in INVESTORS.values()}:
                expected = sum(1 for name in holding if INVESTORS[name][0] == country)
                assert share.countryHolderCount(country) == expected

        @invariant()
        def no_unverified_wallet_holds(self) -> None:
            assert share.balanceOf(accounts[OUTSIDER]) == 0

    run_state_machine_as_test(
        Register,
        settings=settings(
            max_examples=15,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
