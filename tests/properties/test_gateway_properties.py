"""Property: random sends, deliveries, refusals (with their refunds) and splits across two real
chains keep every unit accounted for after every step:

    home gateway's supplyElsewhere == units on chain B + units in flight (either way)
    units on chain A + supplyElsewhere == units ever minted on A
"""

from __future__ import annotations

from contextlib import nullcontext

from ape import chain
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tokenized_stocks.bridge_setup import CHAIN_A, CHAIN_B, HOUR, build_bridge, local_signer
from tokenized_stocks.messages import Message, MessageKind, attest

MINTED = 10_000
RESTRICTED = 4


def test_units_are_conserved_under_random_bridge_traffic(
    chains, project, issuer, operators, relayer, investor_alice, investor_bob, investor_carol
):
    bridge = build_bridge(chains, project, issuer, operators, relayer)
    bridge.token_a.mint(investor_alice, MINTED, sender=issuer)
    with chains.on_b():
        bridge.token_b.setRestriction(investor_carol, RESTRICTED, sender=issuer)  # refused on B
    signers = [local_signer(op) for op in operators][:2]
    snapshot_a = chain.snapshot()
    snapshot_b = chains.snapshot_b()

    def on(chain_id: int):
        return chains.on_b() if chain_id == CHAIN_B else nullcontext()

    class Bridge(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            nonlocal snapshot_a, snapshot_b
            chain.restore(snapshot_a)
            chains.revert_b(snapshot_b)
            snapshot_a = chain.snapshot()
            snapshot_b = chains.snapshot_b()
            self.in_flight: list[Message] = []
            self.multiplier = 10**18

        def _track(self, receipt, gateway) -> None:
            for log in receipt.decode_logs(gateway.MessageSent):
                message = Message.from_values(log.message)
                if message.kind != MessageKind.CORPORATE_ACTION:
                    self.in_flight.append(message)
                else:
                    self.pending_action = message

        @rule(units=st.integers(1, 400), refused=st.booleans())
        def send_from_home(self, units: int, refused: bool) -> None:
            if bridge.token_a.unitsOf(investor_alice) < units:
                return
            recipient = investor_carol if refused else investor_bob
            self._track(bridge.send_a(investor_alice, recipient, units), bridge.gateway_a)

        @rule(units=st.integers(1, 400))
        def send_back_home(self, units: int) -> None:
            if bridge.units_b(investor_bob) < units:
                return
            receipt = bridge.send_b(investor_bob, investor_alice, units)
            with chains.on_b():
                self._track(receipt, bridge.gateway_b)

        @precondition(lambda self: self.in_flight)
        @rule(pick=st.integers(0, 10**6))
        def deliver(self, pick: int) -> None:
            message = self.in_flight.pop(pick % len(self.in_flight))
            src, dst = (bridge.gateway_a, bridge.gateway_b)[:: 1 if message.dst_chain_id == CHAIN_B else -1]
            with on(message.dst_chain_id):
                signatures = attest(message, src.address, dst.address, signers)
                receipt = dst.receiveMessage(message.as_tuple(), signatures, sender=relayer)
                self._track(receipt, dst)

        @rule()
        def split_two_for_one_and_sync(self) -> None:
            self.multiplier *= 2
            bridge.token_a.split(self.multiplier, sender=issuer)
            receipt = bridge.gateway_a.broadcastCorporateAction(bridge.asset_id, CHAIN_B, sender=issuer)
            [log] = receipt.decode_logs(bridge.gateway_a.MessageSent)
            action = Message.from_values(log.message)
            with chains.on_b():
                signatures = attest(action, bridge.gateway_a.address, bridge.gateway_b.address, signers)
                bridge.gateway_b.receiveMessage(action.as_tuple(), signatures, sender=relayer)
                assert bridge.token_b.multiplier() == self.multiplier

        @invariant()
        def supply_elsewhere_is_chain_b_plus_in_flight(self) -> None:
            in_flight = sum(m.units for m in self.in_flight)
            elsewhere = bridge.gateway_a.supplyElsewhere(bridge.asset_id)
            assert elsewhere == bridge.total_units_b() + in_flight
            assert bridge.token_a.totalUnits() + elsewhere == MINTED

    run_state_machine_as_test(
        Bridge,
        settings=settings(
            max_examples=12,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )


__all__ = ["CHAIN_A", "HOUR"]
