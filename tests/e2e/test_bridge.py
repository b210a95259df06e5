"""The bridge on two real anvil chains, carried by the relayer: round trip, split in flight,
refused recipient refunded, expiry refunded, and conservation of units at every step."""

from __future__ import annotations

import pytest
from ape import chain

from tokenized_stocks.devtools.bridge import CHAIN_B, build_bridge
from tokenized_stocks.protocol.message import Message, MessageKind

SPLIT = 2 * 10**18


@pytest.fixture
def bridge(chains, project, issuer, operators, relayer, investor_alice):
    bridge = build_bridge(chains, project, issuer, operators, relayer)
    bridge.token_a.mint(investor_alice, 1_000, sender=issuer)
    return bridge


@pytest.fixture
def relay(bridge, tmp_path):
    """Runs the relayer once over both chains (a fresh process each time, same database)."""

    def run(**options):
        relayer = bridge.relayer(str(tmp_path / "relayer.sqlite"), **options)
        try:
            return relayer.run_once()
        finally:
            relayer.close()

    return run


def assert_conserved(bridge, in_flight: int = 0) -> None:
    """Home's supply elsewhere == units on chain B + units in flight."""
    assert bridge.gateway_a.supplyElsewhere(bridge.asset_id) == bridge.total_units_b() + in_flight


def test_round_trip_returns_every_unit(bridge, relay, investor_alice, investor_bob):
    bridge.send_a(investor_alice, investor_bob, 400)
    assert_conserved(bridge, in_flight=400)
    assert len(relay().delivered) == 1
    assert bridge.units_b(investor_bob) == 400
    assert_conserved(bridge)

    bridge.send_b(investor_bob, investor_alice, 400)
    assert len(relay().delivered) == 1
    assert bridge.token_a.unitsOf(investor_alice) == 1_000
    assert bridge.units_b(investor_bob) == 0
    assert bridge.gateway_a.supplyElsewhere(bridge.asset_id) == 0


def test_split_in_flight_delivers_the_economically_right_amount(
    bridge, relay, chains, issuer, investor_alice, investor_bob
):
    bridge.send_a(investor_alice, investor_bob, 100)  # 100 shares before the split
    bridge.token_a.split(SPLIT, sender=issuer)  # 2:1 while the message is in flight
    bridge.gateway_a.broadcastCorporateAction(bridge.asset_id, CHAIN_B, sender=issuer)
    relay()
    with chains.on_b():
        assert bridge.token_b.multiplier() == SPLIT
        assert bridge.token_b.balanceOf(investor_bob) == 200  # 100 pre-split shares = 200 now
    assert bridge.token_a.balanceOf(investor_alice) == 1_800
    assert_conserved(bridge)


def test_refused_recipient_is_refunded_on_the_source(
    bridge, relay, chains, issuer, investor_alice, investor_bob
):
    with chains.on_b():
        bridge.token_b.setRestriction(investor_bob, 3, sender=issuer)
    bridge.send_a(investor_alice, investor_bob, 300)
    first = relay()
    assert len(first.rejected) == 1
    assert_conserved(bridge, in_flight=300)  # the Return is in flight
    second = relay()
    assert len(second.delivered) == 1
    assert bridge.token_a.unitsOf(investor_alice) == 1_000
    assert bridge.units_b(investor_bob) == 0
    assert_conserved(bridge)


def test_message_not_delivered_before_expiry_is_expired_and_refunded(
    bridge, relay, chains, investor_alice, investor_bob
):
    bridge.send_a(investor_alice, investor_bob, 250, ttl=60)
    chains.node.rpc("evm_increaseTime", 3_600)
    chains.node.rpc("evm_mine")
    assert len(relay().expired) == 1
    assert len(relay().delivered) == 1
    assert bridge.token_a.unitsOf(investor_alice) == 1_000
    assert bridge.units_b(investor_bob) == 0
    assert_conserved(bridge)


def test_return_message_names_the_refused_message(
    bridge, relay, chains, issuer, investor_alice, investor_bob
):
    with chains.on_b():
        bridge.token_b.setRestriction(investor_bob, 3, sender=issuer)
    sent = bridge.send_a(investor_alice, investor_bob, 10)
    original = Message.from_values(sent.decode_logs(bridge.gateway_a.MessageSent)[0].message)
    relay()
    with chains.on_b():
        logs = list(
            bridge.gateway_b.MessageSent.range(chain.blocks.head.number - 1, chain.blocks.head.number + 1)
        )
    returned = Message.from_values(logs[-1].message)
    assert returned.kind == MessageKind.RETURN
    assert returned.ref == original.id
    assert returned.recipient == investor_alice.address


def test_run_until_idle_carries_a_rejection_and_its_refund_in_one_call(
    bridge, chains, tmp_path, issuer, investor_alice, investor_bob
):
    with chains.on_b():
        bridge.token_b.setRestriction(investor_bob, 3, sender=issuer)
    bridge.send_a(investor_alice, investor_bob, 300)
    relayer = bridge.relayer(str(tmp_path / "idle.sqlite"))
    report = relayer.run_until_idle()
    relayer.close()
    assert (len(report.rejected), len(report.delivered)) == (1, 1)
    assert bridge.token_a.unitsOf(investor_alice) == 1_000
    assert_conserved(bridge)
