"""Property: random sends, deliveries, refusals and expiries (with their refunds), splits and the
passing of time across two real chains keep every unit accounted for after every step:

    home gateway's supplyElsewhere == units on chain B + units in flight (either way)
    units on chain A + supplyElsewhere == units ever minted on A
"""

from __future__ import annotations

from ape import chain
from ape.exceptions import ContractLogicError as ApeContractLogicError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from web3 import HTTPProvider, Web3
from web3.exceptions import ContractLogicError as Web3ContractLogicError
from web3.logs import DISCARD

from tokenized_stocks.devtools.bridge import CHAIN_A, CHAIN_B, HOUR, build_bridge, local_signer
from tokenized_stocks.protocol.message import Message, MessageKind, attest

MINTED = 10_000
RESTRICTED = 4


class ChainB:
    """Chain B through web3 directly: switching ape's provider costs ~0.2 s, a step must not."""

    def __init__(self, uri: str, token, gateway) -> None:
        self.w3 = Web3(HTTPProvider(uri))
        self.token = self._contract(token)
        self.gateway = self._contract(gateway)

    def _contract(self, ape_contract):
        abi = [item.model_dump(mode="json", by_alias=True) for item in ape_contract.contract_type.abi]
        return self.w3.eth.contract(address=ape_contract.address, abi=abi)

    def transact(self, call, sender) -> list[Message]:
        """Sends `call` from `sender` (unlocked on anvil); returns the messages it emitted."""
        tx_hash = call.transact({"from": sender.address})
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, poll_latency=0.01)
        assert receipt["status"] == 1
        events = self.gateway.events.MessageSent().process_receipt(receipt, errors=DISCARD)
        return [Message.from_values(event["args"]["message"]) for event in events]


def test_units_are_conserved_under_random_bridge_traffic(
    chains, project, issuer, operators, relayer, investor_alice, investor_bob, investor_carol
):
    bridge = build_bridge(chains, project, issuer, operators, relayer)
    bridge.token_a.mint(investor_alice, MINTED, sender=issuer)
    with chains.on_b():
        bridge.token_b.setRestriction(investor_carol, RESTRICTED, sender=issuer)  # refused on B
    signers = [local_signer(op) for op in operators][:2]
    b = ChainB(chains.node.uri, bridge.token_b, bridge.gateway_b)
    snapshot_a = chain.snapshot()
    snapshot_b = chains.snapshot_b()

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
            self.expired = 0

        def _track(self, messages: list[Message]) -> None:
            self.in_flight.extend(m for m in messages if m.kind != MessageKind.CORPORATE_ACTION)

        @staticmethod
        def _sent_on_a(receipt) -> list[Message]:
            return [
                Message.from_values(log.message) for log in receipt.decode_logs(bridge.gateway_a.MessageSent)
            ]

        @rule(units=st.integers(1, 400), refused=st.booleans(), ttl=st.integers(60, 2 * HOUR))
        def send_from_home(self, units: int, refused: bool, ttl: int) -> None:
            if bridge.token_a.unitsOf(investor_alice) < units:
                return
            recipient = investor_carol if refused else investor_bob
            self._track(self._sent_on_a(bridge.send_a(investor_alice, recipient, units, ttl)))

        @rule(units=st.integers(1, 400), ttl=st.integers(60, 2 * HOUR))
        def send_back_home(self, units: int, ttl: int) -> None:
            if b.token.functions.unitsOf(investor_bob.address).call() < units:
                return
            expiry = b.w3.eth.get_block("latest")["timestamp"] + ttl
            send = b.gateway.functions.send(bridge.asset_id, CHAIN_A, investor_alice.address, units, expiry)
            self._track(b.transact(send, investor_bob))

        @precondition(lambda self: self.in_flight)
        @rule(pick=st.integers(0, 10**6))
        def deliver_or_expire(self, pick: int) -> None:
            """Delivers a message in flight; past its expiry, expires it (its Return is then in flight)."""
            message = self.in_flight.pop(pick % len(self.in_flight))
            if message.dst_chain_id == CHAIN_B:
                signatures = attest(message, bridge.gateway_a.address, b.gateway.address, signers)
                try:
                    call = b.gateway.functions.receiveMessage(message.as_tuple(), signatures)
                    self._track(b.transact(call, relayer))
                except Web3ContractLogicError:
                    self._track(
                        b.transact(b.gateway.functions.expire(message.as_tuple(), signatures), relayer)
                    )
                    self.expired += 1
            else:
                signatures = attest(message, b.gateway.address, bridge.gateway_a.address, signers)
                try:
                    receipt = bridge.gateway_a.receiveMessage(message.as_tuple(), signatures, sender=relayer)
                except ApeContractLogicError:
                    receipt = bridge.gateway_a.expire(message.as_tuple(), signatures, sender=relayer)
                    self.expired += 1
                self._track(self._sent_on_a(receipt))

        @rule(seconds=st.integers(60, 2 * HOUR))
        def time_passes_on_both_chains(self, seconds: int) -> None:
            chain.mine(deltatime=seconds)
            b.w3.provider.make_request("evm_increaseTime", [seconds])
            b.w3.provider.make_request("evm_mine", [])

        @precondition(lambda self: any(m.kind == MessageKind.TRANSFER for m in self.in_flight))
        @rule(pick=st.integers(0, 10**6))
        def a_transfer_outlives_its_expiry(self, pick: int) -> None:
            """Time passes beyond a Transfer's expiry, then it is delivered or expired as it can."""
            transfers = [m for m in self.in_flight if m.kind == MessageKind.TRANSFER]
            message = transfers[pick % len(transfers)]
            now = (
                chain.pending_timestamp
                if message.dst_chain_id == CHAIN_A
                else b.w3.eth.get_block("latest")["timestamp"]
            )
            if message.expiry >= now:
                self.time_passes_on_both_chains(message.expiry - now + 2)
            self.in_flight.remove(message)
            self.in_flight.append(message)
            self.deliver_or_expire(len(self.in_flight) - 1)

        @rule()
        def split_two_for_one_and_sync(self) -> None:
            self.multiplier *= 2
            bridge.token_a.split(self.multiplier, sender=issuer)
            receipt = bridge.gateway_a.broadcastCorporateAction(bridge.asset_id, CHAIN_B, sender=issuer)
            [action] = self._sent_on_a(receipt)
            signatures = attest(action, bridge.gateway_a.address, b.gateway.address, signers)
            b.transact(b.gateway.functions.receiveMessage(action.as_tuple(), signatures), relayer)
            assert b.token.functions.multiplier().call() == self.multiplier

        @invariant()
        def supply_elsewhere_is_chain_b_plus_in_flight(self) -> None:
            in_flight = sum(m.units for m in self.in_flight)
            elsewhere = bridge.gateway_a.supplyElsewhere(bridge.asset_id)
            assert elsewhere == b.token.functions.totalUnits().call() + in_flight
            assert bridge.token_a.totalUnits() + elsewhere == MINTED

    run_state_machine_as_test(
        Bridge,
        settings=settings(
            max_examples=15,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )


__all__ = ["CHAIN_A", "HOUR"]
