"""Property: settlement neither creates nor destroys cash or securities.

A random sequence of atomic DvP trades (some under-approved, some to an unverified buyer of a
registry share), hybrid escrows (released, refunded or cancelled) and off-/on-ramps through the
traditional ledger adapter, with time moving forward. After every step: the total supply of the
security and of the cash is unchanged and equals the sum of the balances of everyone involved; the
DvP holds nothing; the hybrid DvP holds exactly the open escrows; the adapter holds exactly its
inventory plus its pending off-ramps; the unverified wallet never holds the registry share; and every
operation either moved exactly its amounts or nothing at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from ape import chain
from ape.exceptions import ContractLogicError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tokenized_stocks.protocol.identity import asset_id
from tokenized_stocks.protocol.roles import CASH_AGENT_ROLE, TRANSFER_AGENT_ROLE, Architecture
from tokenized_stocks.protocol.trade import (
    HybridTrade,
    PaymentConfirmation,
    Trade,
    currency,
    hybrid_trade_key,
    reference,
    sign_payment_confirmation,
    sign_trade,
)

SHARES = 1_000 * 10**18
CASH = 1_000_000 * 10**6
HOUR = 3600
ISIN = "US88160R1014"


@pytest.fixture
def suite(
    project,
    issuer,
    registry,
    onboard,
    investor_alice,
    investor_bob,
    investor_carol,
    transfer_agent,
    cash_agent,
):
    """A registry share, cash, and the three settlement contracts, funded: Alice and Bob are verified
    and hold both; Carol is unverified and holds cash only."""
    onboard(registry, "alice", investor_alice)
    onboard(registry, "bob", investor_bob)
    params = (
        asset_id(ISIN),
        ISIN,
        "TSLA",
        int(Architecture.REGISTRY_SHARE),
        chain.chain_id,
        "ipfs://t",
        b"\x01" * 32,
    )
    share = issuer.deploy(project.SettleRestrictedMock, registry, params)
    cash = issuer.deploy(project.SettleCashMock)
    dvp = issuer.deploy(project.DvP)
    hybrid = issuer.deploy(project.HybridDvP, issuer)
    hybrid.grantRole(CASH_AGENT_ROLE, cash_agent, sender=issuer)
    adapter = issuer.deploy(project.TraditionalLedgerAdapter, issuer)
    adapter.grantRole(TRANSFER_AGENT_ROLE, transfer_agent, sender=issuer)
    adapter.setAssetListed(share, True, sender=issuer)
    onboard(registry, "escrows", hybrid, adapter)
    for investor in (investor_alice, investor_bob):
        share.mint(investor, SHARES, sender=issuer)
        for spender in (dvp, hybrid, adapter):
            share.approve(spender, 2**256 - 1, sender=investor)
    for investor in (investor_alice, investor_bob, investor_carol):
        cash.mint(investor, CASH, sender=issuer)
    return share, cash, dvp, hybrid, adapter


def _try(call: Any, *args: Any, **kwargs: Any) -> bool:
    """Sends a transaction; True when it was mined, False when it reverted."""
    try:
        call(*args, **kwargs)
    except ContractLogicError:
        return False
    return True


def test_settlement_neither_creates_nor_destroys_cash_or_securities(
    suite, investor_alice, investor_bob, investor_carol, transfer_agent, cash_agent, relayer
):
    share, cash, dvp, hybrid, adapter = suite
    verified = [investor_alice, investor_bob]
    everyone = [investor_alice, investor_bob, investor_carol]
    holders = [*everyone, dvp, hybrid, adapter]
    share_supply = share.totalSupply()
    cash_supply = cash.totalSupply()
    counter = iter(range(1, 10**9))

    class Settlement(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.snapshot = chain.snapshot()
            self.escrows: list[HybridTrade] = []
            self.pending_off_ramps: list[tuple[bytes, int]] = []
            self.escrowed = 0

        def teardown(self) -> None:
            chain.restore(self.snapshot)

        def balances(self) -> list[tuple[int, int]]:
            return [(share.balanceOf(h), cash.balanceOf(h)) for h in holders]

        @rule(
            seller=st.sampled_from([0, 1]),
            buyer=st.sampled_from([0, 1, 2]),
            quantity=st.integers(1, 300 * 10**18),
            amount=st.integers(1, 600_000 * 10**6),
            cash_approved=st.booleans(),
        )
        def atomic_dvp(
            self, seller: int, buyer: int, quantity: int, amount: int, cash_approved: bool
        ) -> None:
            sell, buy = verified[seller], everyone[buyer]
            if sell == buy:
                return
            trade = Trade(
                tradeId=reference(f"dvp-{next(counter)}"),
                seller=str(sell.address),
                buyer=str(buy.address),
                asset=str(share.address),
                quantity=quantity,
                cashToken=str(cash.address),
                cashAmount=amount,
                deadline=chain.pending_timestamp + HOUR,
            )
            cash.approve(dvp, amount if cash_approved else amount - 1, sender=buy)
            before = self.balances()
            keys = (sell.private_key, buy.private_key)
            signatures = [sign_trade(k, trade, chain.chain_id, str(dvp.address)) for k in keys]
            settled = _try(dvp.settle, trade.as_tuple(), *signatures, sender=relayer)
            after = self.balances()
            if buy == investor_carol or not cash_approved:
                assert not settled
            if not settled:
                assert after == before
                return
            s, b = holders.index(sell), holders.index(buy)
            assert after[s] == (before[s][0] - quantity, before[s][1] + amount)
            assert after[b] == (before[b][0] + quantity, before[b][1] - amount)

        @rule(
            seller=st.sampled_from([0, 1]),
            buyer=st.sampled_from([0, 1, 2]),
            quantity=st.integers(1, 300 * 10**18),
        )
        def hybrid_escrow(self, seller: int, buyer: int, quantity: int) -> None:
            sell, buy = verified[seller], everyone[buyer]
            if sell == buy:
                return
            trade = HybridTrade(
                tradeId=reference(f"hybrid-{next(counter)}"),
                seller=str(sell.address),
                buyer=str(buy.address),
                asset=str(share.address),
                quantity=quantity,
                currency=currency("USD"),
                cashAmount=quantity // 10**16 + 1,
                deadline=chain.pending_timestamp + HOUR,
            )
            if _try(hybrid.escrow, trade.as_tuple(), sender=sell):
                self.escrows.append(trade)
                self.escrowed += quantity

        @precondition(lambda self: self.escrows)
        @rule(pick=st.integers(0, 10**6), outcome=st.sampled_from(["release", "refund", "cancel"]))
        def hybrid_close(self, pick: int, outcome: str) -> None:
            trade = self.escrows[pick % len(self.escrows)]
            if outcome == "release":
                confirmation = PaymentConfirmation(
                    tradeKey=hybrid_trade_key(trade, chain.chain_id, str(hybrid.address)),
                    amount=trade.cashAmount,
                    currency=trade.currency,
                    paymentReference=reference(f"pay-{next(counter)}"),
                    deadline=chain.pending_timestamp + HOUR,
                )
                signature = sign_payment_confirmation(
                    cash_agent.private_key, confirmation, chain.chain_id, str(hybrid.address)
                )
                done = _try(
                    hybrid.release, trade.as_tuple(), confirmation.as_tuple(), signature, sender=relayer
                )
                if trade.buyer == investor_carol.address:
                    assert not done
            elif outcome == "refund":
                done = _try(hybrid.refund, trade.as_tuple(), sender=relayer)
            else:
                done = _try(hybrid.cancel, trade.as_tuple(), sender=trade.buyer)
            if done:
                self.escrows.remove(trade)
                self.escrowed -= trade.quantity

        @rule(holder=st.sampled_from([0, 1]), quantity=st.integers(1, 300 * 10**18))
        def off_ramp(self, holder: int, quantity: int) -> None:
            try:
                receipt = adapter.requestOffRamp(share, quantity, reference("ACC"), sender=verified[holder])
            except ContractLogicError:
                return
            self.pending_off_ramps.append(
                (receipt.events.filter(adapter.OffRampRequested)[0].instructionId, quantity)
            )

        @precondition(lambda self: self.pending_off_ramps)
        @rule(pick=st.integers(0, 10**6), confirmed=st.booleans())
        def settle_off_ramp(self, pick: int, confirmed: bool) -> None:
            instruction = self.pending_off_ramps.pop(pick % len(self.pending_off_ramps))[0]
            if confirmed:
                adapter.confirmOffRamp(instruction, reference(f"book-{next(counter)}"), sender=transfer_agent)
            else:
                adapter.failOffRamp(instruction, reference("REFUSED"), sender=transfer_agent)

        @rule(recipient=st.sampled_from([0, 1, 2]), quantity=st.integers(1, 300 * 10**18))
        def on_ramp(self, recipient: int, quantity: int) -> None:
            to = everyone[recipient]
            done = _try(
                adapter.onRamp,
                share,
                to,
                quantity,
                reference("ACC"),
                reference(f"debit-{next(counter)}"),
                sender=transfer_agent,
            )
            if to == investor_carol:
                assert not done

        @rule(seconds=st.integers(0, 2 * HOUR))
        def time_passes(self, seconds: int) -> None:
            chain.mine(deltatime=seconds)

        @invariant()
        def nothing_is_created_destroyed_or_unaccounted_for(self) -> None:
            balances = dict(zip(holders, self.balances(), strict=True))
            # supplies unchanged and fully held by the people and contracts involved
            assert share.totalSupply() == share_supply == sum(b[0] for b in balances.values())
            assert cash.totalSupply() == cash_supply == sum(b[1] for b in balances.values())
            # the DvP never holds anything; the escrows hold exactly what is open
            assert balances[dvp] == (0, 0)
            assert balances[hybrid] == (self.escrowed, 0)
            pending = sum(q for _, q in self.pending_off_ramps)
            assert adapter.pendingOf(share) == pending
            assert balances[adapter] == (adapter.inventoryOf(share) + pending, 0)
            # the registry share never reaches the unverified wallet
            assert balances[investor_carol][0] == 0

    run_state_machine_as_test(
        Settlement,
        settings=settings(
            max_examples=10,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
