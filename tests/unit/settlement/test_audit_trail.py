"""An auditor follows each settlement from its instruction to its one final state through events."""

from __future__ import annotations

from ape import chain
from settlement_terms import QUANTITY

from tokenized_stocks.protocol.trade import reference
from tokenized_stocks.reconcile.read import audit_trail


def names(trail: list) -> list[str]:
    return [log.event_name for log in trail]


def test_dvp_trail_runs_from_the_instructions_to_settlement(
    dvp, make_trade, certificate, approve_legs, seller, buyer
):
    start = chain.blocks.height
    trade = make_trade(certificate)
    approve_legs(trade, certificate, seller, buyer)
    dvp.instruct(trade.as_tuple(), sender=seller)
    dvp.instruct(trade.as_tuple(), sender=buyer)
    dvp.settle(trade.as_tuple(), b"", b"", sender=buyer)

    trail = audit_trail(dvp, "tradeKey", dvp.tradeKey(trade.as_tuple()), start)

    assert names(trail) == ["TradeInstructed", "TradeInstructed", "TradeSettled"]
    assert [log.party for log in trail[:2]] == [seller.address, buyer.address]


def test_hybrid_trail_runs_from_escrow_to_refund(hybrid, escrowed, certificate, seller):
    start = chain.blocks.height
    trade = escrowed(certificate)
    chain.pending_timestamp = trade.deadline + 1
    hybrid.refund(trade.as_tuple(), sender=seller)

    trail = audit_trail(hybrid, "tradeId", trade.tradeId, start)

    assert names(trail) == ["TradeEscrowed", "TradeRefunded"]


def test_hybrid_trail_names_the_cash_agent_and_payment_reference_of_a_release(
    hybrid, escrowed, certificate, confirm, buyer, cash_agent
):
    start = chain.blocks.height
    trade = escrowed(certificate)
    confirmation, signature = confirm(trade)
    hybrid.release(trade.as_tuple(), confirmation, signature, sender=buyer)

    trail = audit_trail(hybrid, "tradeId", trade.tradeId, start)

    assert names(trail) == ["TradeEscrowed", "TradeReleased"]
    assert (trail[-1].cashAgent, trail[-1].paymentReference) == (cash_agent.address, confirmation[3])


def test_off_ramp_trail_runs_from_the_instruction_to_the_register_booking(
    adapter, listed, certificate, seller, transfer_agent
):
    start = chain.blocks.height
    listed(certificate)
    certificate.approve(adapter, QUANTITY, sender=seller)
    receipt = adapter.requestOffRamp(certificate, QUANTITY, reference("ACC"), sender=seller)
    instruction = receipt.events.filter(adapter.OffRampRequested)[0].instructionId
    adapter.confirmOffRamp(instruction, reference("BOOK"), sender=transfer_agent)

    trail = audit_trail(adapter, "instructionId", instruction, start)

    assert names(trail) == ["OffRampRequested", "OffRampSettled"]
    assert (trail[0].isin, trail[0].shares, trail[-1].registerReference) == (
        certificate.isin(),
        QUANTITY,
        reference("BOOK"),
    )
