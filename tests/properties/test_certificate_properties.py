"""Property-based invariants of the tracker certificate under random mints, transfers, splits,
reverse splits, fee periods, redemptions, bridge moves and sanctions listings (pushed by the
list to the certificate's cached flags; every balance change of a listed holder is refused).

Invariants checked after every step (documented in `TrackerCertificate` and `ShareMultiplierMath`):
- ERC-20 exactness: a transfer or mint of v moves the balances by exactly v; every balance equals
  the Python model's lazily rescaled balance (stored tokens * m_now / m_ref, rounded down);
- rounding never creates tokens: totalUnits covers the exact units of all balances, by at most the
  documented dust (< 1 unit per mint or burn, < 1 wei per rescale, < 1 wei per gateway move), and
  sum(balanceOf) <= totalSupply;
- supply on all chains never exceeds attested reserves:
  floor((totalUnits + supplyElsewhere) * multiplier) <= reserves;
- the cached sanctions flags equal the list, and sharing the balance slot never changes balances.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from revert_data import reverts

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.identity import asset_id
from tokenized_stocks.protocol.multiplier import (
    ONE,
    rescale_down,
    to_tokens_down,
    to_tokens_up,
    to_units_down,
    to_units_up,
)
from tokenized_stocks.protocol.roles import (
    COMPLIANCE_ROLE,
    MINTER_ROLE,
    REPORTER_ROLE,
    TRANSFER_AGENT_ROLE,
    Architecture,
)

ISIN = "US0378331005"
ASSET_ID = asset_id(ISIN)
START_RESERVES = 10_000 * ONE  # feed with 18 decimals: reserves follow a reverse split exactly
DAY = 86_400
FEE = 10**15  # 0.1% per day
RATIOS = [(2, 1), (3, 1), (1, 2), (3, 2)]


def test_certificate_invariants_hold_under_random_operations(
    project, chain, issuer, custodian, transfer_agent, investor_alice, investor_bob, investor_carol
):
    holders = [investor_alice, investor_bob, investor_carol]
    sanctions = deploy_behind_proxy(project, issuer, project.SanctionsList, issuer)
    sanctions.grantRole(COMPLIANCE_ROLE, issuer, sender=issuer)
    feed = issuer.deploy(project.AttestedFeed, issuer, 18, "AAPL reserves")
    feed.grantRole(REPORTER_ROLE, custodian, sender=issuer)
    gateway = issuer.deploy(project.MockGatewaySupply)
    identity = (
        ASSET_ID,
        ISIN,
        "AAPL",
        Architecture.TRACKER_CERTIFICATE,
        chain.chain_id,
        "ipfs://t",
        b"\x11" * 32,
        b"4H95J0R2X",
    )
    config = ("Tracker AAPL", "AAPLx", issuer, sanctions, feed, 10 * 365 * DAY)
    cert = deploy_behind_proxy(project, issuer, project.TrackerCertificate, identity, config)
    sanctions.addSubscriber(cert, sender=issuer)  # listings reach the cached flags at once
    cert.grantRole(MINTER_ROLE, issuer, sender=issuer)
    cert.grantRole(TRANSFER_AGENT_ROLE, transfer_agent, sender=issuer)
    cert.setGateway(gateway, sender=issuer)
    cert.setManagementFee(FEE, DAY, sender=issuer)
    feed.report(START_RESERVES, sender=custodian)

    class CertificateMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.snapshot = chain.snapshot()
            # Per holder: stored token balance and the multiplier it was written at (lazy rescale).
            self.stored = {h.address: (0, ONE) for h in holders}
            self.total_units = 0
            self.dust_bound = Fraction(0)  # documented bound of totalUnits - exact units held
            self.elsewhere = 0
            self.reserves = START_RESERVES
            self.nonce = 0
            self.sanctioned: set[str] = set()

        def refused(self, *parties: Any) -> Any:
            """The first party (in the certificate's check order) whose cached flag is set."""
            return next((p for p in parties if p.address in self.sanctioned), None)

        def teardown(self) -> None:
            chain.restore(self.snapshot)

        @staticmethod
        def pinned_multiplier() -> int:
            """Pins the next block's time and returns the multiplier the next call will see."""
            now = chain.pending_timestamp + 1
            chain.pending_timestamp = now
            return cert.multiplierAt(now)

        def balance(self, holder: Any, m: int) -> int:
            stored, ref = self.stored[holder.address]
            return rescale_down(stored, m, ref)

        def materialise(self, holder: Any, m: int) -> int:
            stored, ref = self.stored[holder.address]
            if stored and ref != m:
                self.dust_bound += Fraction(ONE, m)  # the rescale rounds down by < 1 wei
            return self.balance(holder, m)

        def credit(self, holder: Any, m: int, value: int) -> None:
            self.stored[holder.address] = (self.materialise(holder, m) + value, m)

        def debit(self, holder: Any, m: int, value: int) -> None:
            self.stored[holder.address] = (self.materialise(holder, m) - value, m)

        @rule(holder=st.sampled_from(range(3)), shares=st.integers(min_value=1, max_value=6_000 * ONE))
        def mint(self, holder: int, shares: int) -> None:
            m = self.pinned_multiplier()
            units = to_units_up(shares, m)
            required = to_tokens_up(self.total_units + units + self.elsewhere, m)
            if required > self.reserves:
                with reverts(cert.CertificateReservesExceeded, requiredShares=required):
                    cert.mint(holders[holder], shares, sender=issuer)
                return
            if blocked := self.refused(holders[holder]):
                with reverts(cert.CertificateSanctioned, account=blocked):
                    cert.mint(holders[holder], shares, sender=issuer)
                return
            before = cert.balanceOf(holders[holder])
            cert.mint(holders[holder], shares, sender=issuer)
            assert cert.balanceOf(holders[holder]) == before + shares  # exact
            self.credit(holders[holder], m, shares)
            self.total_units += units
            self.dust_bound += 1

        @rule(sender=st.sampled_from(range(3)), to=st.sampled_from(range(3)), fraction=st.floats(0, 1))
        def transfer(self, sender: int, to: int, fraction: float) -> None:
            a, b = holders[sender], holders[to]
            m = self.pinned_multiplier()
            value = int(self.balance(a, m) * fraction)
            if blocked := self.refused(a, b):
                with reverts(cert.CertificateSanctioned, account=blocked):
                    cert.transfer(b, value, sender=a)
                return
            before_a, before_b = cert.balanceOf(a), cert.balanceOf(b)
            cert.transfer(b, value, sender=a)
            if a != b:  # ERC-20 exactness: both balances move by exactly `value`
                assert (cert.balanceOf(a), cert.balanceOf(b)) == (before_a - value, before_b + value)
            self.debit(a, m, value)
            self.credit(b, m, value)

        @rule(ratio=st.sampled_from(RATIOS))
        def corporate_action(self, ratio: tuple[int, int]) -> None:
            numerator, denominator = ratio
            current = self.pinned_multiplier()
            target = current * numerator // denominator
            self.nonce += 1
            cert.scheduleMultiplierUpdate(
                current, target, chain.pending_timestamp, self.nonce, sender=transfer_agent
            )
            # The custodian's share count changes by the same ratio (rounded down).
            self.reserves = self.reserves * numerator // denominator
            feed.report(self.reserves, sender=custodian)

        @rule(periods=st.integers(min_value=1, max_value=2_000))
        def fee_periods_pass(self, periods: int) -> None:
            chain.mine(deltatime=periods * DAY)

        @rule(holder=st.sampled_from(range(3)), fraction=st.floats(0.01, 1))
        def redeem(self, holder: int, fraction: float) -> None:
            a = holders[holder]
            m = self.pinned_multiplier()
            shares = int(self.balance(a, m) * fraction)
            if shares == 0:
                return
            if blocked := self.refused(a):
                with reverts(cert.CertificateSanctioned, account=blocked):
                    cert.requestRedemption(shares, sender=a)
                return
            cert.requestRedemption(shares, sender=a)
            self.debit(a, m, shares)
            self.total_units -= to_units_down(shares, m)
            self.dust_bound += 1

        @rule(holder=st.sampled_from(range(3)), fraction=st.floats(0, 1))
        def bridge_out(self, holder: int, fraction: float) -> None:
            a = holders[holder]
            m = self.pinned_multiplier()
            units = int(to_units_down(self.balance(a, m), m) * fraction)
            if blocked := self.refused(a):
                with reverts(cert.CertificateSanctioned, account=blocked):
                    gateway.burnOn(cert, a, units, sender=issuer)
                return
            self.elsewhere += units
            gateway.setSupplyElsewhere(ASSET_ID, self.elsewhere, sender=issuer)
            m = self.pinned_multiplier()
            gateway.burnOn(cert, a, units, sender=issuer)
            self.debit(a, m, to_tokens_up(units, m))
            self.total_units -= units
            self.dust_bound += Fraction(ONE, m)

        @rule(holder=st.sampled_from(range(3)), fraction=st.floats(0, 1))
        def bridge_in(self, holder: int, fraction: float) -> None:
            units = int(self.elsewhere * fraction)
            m = self.pinned_multiplier()
            if blocked := self.refused(holders[holder]):
                with reverts(cert.CertificateSanctioned, account=blocked):
                    gateway.mintOn(cert, holders[holder], units, sender=issuer)
                return
            gateway.mintOn(cert, holders[holder], units, sender=issuer)
            self.credit(holders[holder], m, to_tokens_down(units, m))
            self.total_units += units
            self.dust_bound += Fraction(ONE, m)
            self.elsewhere -= units
            gateway.setSupplyElsewhere(ASSET_ID, self.elsewhere, sender=issuer)

        @rule(holder=st.sampled_from(range(3)))
        def toggle_sanction(self, holder: int) -> None:
            """The compliance officer lists or delists a holder; the list pushes the cached flag."""
            a = holders[holder]
            listed = a.address not in self.sanctioned
            sanctions.setSanctioned(a, listed, sender=issuer)
            self.sanctioned ^= {a.address}

        @invariant()
        def cached_flags_follow_the_list_and_leave_balances_intact(self) -> None:
            assert [cert.isSanctionedCached(h) for h in holders] == [
                h.address in self.sanctioned for h in holders
            ]

        @invariant()
        def balances_and_units_match_the_model(self) -> None:
            m = cert.multiplier()
            assert [cert.balanceOf(h) for h in holders] == [self.balance(h, m) for h in holders]
            assert cert.totalUnits() == self.total_units

        @invariant()
        def total_units_cover_the_balances_within_the_documented_dust(self) -> None:
            exact = sum(Fraction(stored * ONE, ref) for stored, ref in self.stored.values())
            excess = self.total_units - exact
            assert 0 <= excess <= self.dust_bound
            balances = sum(cert.balanceOf(h) for h in holders)
            assert balances <= cert.totalSupply()

        @invariant()
        def supply_on_all_chains_never_exceeds_reserves(self) -> None:
            shares, _, _ = cert.reserves()
            assert shares == self.reserves
            assert to_tokens_down(cert.totalUnits() + self.elsewhere, cert.multiplier()) <= shares

    CertificateMachine.TestCase.settings = settings(
        max_examples=12,
        stateful_step_count=10,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    CertificateMachine.TestCase().runTest()
