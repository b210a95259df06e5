"""Ledger adapter rounding (finding 13.5): every conversion between tokens and units rounds against
the caller, so the adapter's balance in units never falls below `inventory + pending` and a
pending off-ramp can always be refunded.

With a multiplier of 3 (after a 3:1 split) a balance is `units * 3` tokens and a transfer of
`shares` tokens costs the sender `ceil(shares / 3)` units."""

from __future__ import annotations

import pytest
from revert_data import reverts

from tokenized_stocks.protocol.trade import reference

MULTIPLIER_3 = 3 * 10**18


@pytest.fixture
def security(project, issuer, seller, transfer_agent):
    token = issuer.deploy(project.SettleMultiplierMock)
    token.setMultiplier(MULTIPLIER_3, sender=issuer)
    token.mint(transfer_agent, 6, sender=issuer)  # 2 units
    token.mint(seller, 30, sender=issuer)  # 10 units
    return token


@pytest.fixture
def funded(adapter, listed, security, transfer_agent):
    """The transfer agent pre-funds 6 tokens (2 units) of inventory."""
    listed(security)
    security.approve(adapter, 6, sender=transfer_agent)
    adapter.fundInventory(security, 6, sender=transfer_agent)
    return security


def booked_tokens(adapter, security) -> int:
    """What `inventory + pending` is worth in tokens (exact at a multiplier of 3)."""
    return (adapter.inventoryOf(security) + adapter.pendingOf(security)) * 3


def test_on_ramp_debits_the_inventory_by_the_units_the_transfer_costs(adapter, funded, buyer, transfer_agent):
    receipt = adapter.onRamp(funded, buyer, 4, reference("ACC"), reference("DEBIT-1"), sender=transfer_agent)

    assert receipt.events.filter(adapter.OnRampSettled)[0].units == 2
    assert adapter.inventoryOf(funded) == 0
    assert funded.balanceOf(adapter) >= booked_tokens(adapter, funded)


def test_a_pending_off_ramp_stays_refundable_after_rounding_on_ramps(
    adapter, funded, seller, buyer, transfer_agent
):
    adapter.onRamp(funded, buyer, 4, reference("ACC"), reference("DEBIT-1"), sender=transfer_agent)
    funded.approve(adapter, 3, sender=seller)
    receipt = adapter.requestOffRamp(funded, 3, reference("ACC-S"), sender=seller)
    instruction = receipt.events.filter(adapter.OffRampRequested)[0].instructionId

    with reverts(adapter.AdapterInsufficientInventory, asset=funded.address, units=1, available=0):
        adapter.onRamp(funded, buyer, 3, reference("ACC"), reference("DEBIT-2"), sender=transfer_agent)
    adapter.failOffRamp(instruction, reference("REFUSED"), sender=transfer_agent)

    assert funded.balanceOf(seller) == 30
    assert funded.balanceOf(adapter) >= booked_tokens(adapter, funded)


def test_off_ramp_books_the_units_rounded_down(adapter, funded, seller):
    funded.approve(adapter, 5, sender=seller)

    receipt = adapter.requestOffRamp(funded, 5, reference("ACC-S"), sender=seller)

    assert receipt.events.filter(adapter.OffRampRequested)[0].units == 1
    assert funded.balanceOf(adapter) >= booked_tokens(adapter, funded)
