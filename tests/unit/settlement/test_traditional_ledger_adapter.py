"""Off-ramp to and on-ramp from a traditional register, kept by the transfer agent."""

from __future__ import annotations

import pytest
from ape import chain
from eth_abi import encode
from eth_utils import keccak
from revert_data import reverts
from settlement_terms import QUANTITY, SELLER_HOLDING

from tokenized_stocks.protocol.roles import DEFAULT_ADMIN_ROLE, TRANSFER_AGENT_ROLE
from tokenized_stocks.protocol.trade import Direction, InstructionState, reference

ACCOUNT = reference("REG-ACC-0042")
BOOKING = reference("REG-BOOK-1")
DEBIT = reference("REG-DEBIT-1")


def instruction_id(adapter, n: int) -> bytes:
    """The id of the adapter's n-th instruction: keccak256(abi.encode(chainid, adapter, n))."""
    return keccak(encode(["uint256", "address", "uint256"], [chain.chain_id, str(adapter.address), n]))


@pytest.fixture
def off_ramp(adapter, listed, seller):
    """Factory: the seller locks `shares` of a listed asset; returns the instruction id."""

    def request(asset, shares: int = QUANTITY) -> bytes:
        if not adapter.isListed(asset):
            listed(asset)
        asset.approve(adapter, shares, sender=seller)
        receipt = adapter.requestOffRamp(asset, shares, ACCOUNT, sender=seller)
        return receipt.events.filter(adapter.OffRampRequested)[0].instructionId

    return request


@pytest.fixture
def inventory(adapter, off_ramp, transfer_agent):
    """Factory: `QUANTITY` of `asset` in the adapter's inventory, through a settled off-ramp."""

    def fill(asset) -> bytes:
        instruction = off_ramp(asset)
        adapter.confirmOffRamp(instruction, BOOKING, sender=transfer_agent)
        return instruction

    return fill


# ---------------------------------------------------------------------------------------------
# Listing
# ---------------------------------------------------------------------------------------------


def test_admin_lists_an_asset_with_its_asset_id(adapter, certificate, issuer):
    receipt = adapter.setAssetListed(certificate, True, sender=issuer)

    assert receipt.events == [
        adapter.AssetListingSet(asset=certificate, assetId=certificate.assetId(), listed=True)
    ]
    assert adapter.isListed(certificate)


def test_outsider_cannot_list_an_asset(adapter, certificate, outsider):
    with reverts(adapter.AccessControlUnauthorizedAccount, account=outsider, neededRole=DEFAULT_ADMIN_ROLE):
        adapter.setAssetListed(certificate, True, sender=outsider)


def test_listing_twice_is_refused(adapter, listed, certificate, issuer):
    listed(certificate)

    with reverts(adapter.AdapterListingUnchanged, asset=certificate, listed=True):
        adapter.setAssetListed(certificate, True, sender=issuer)


def test_outsider_cannot_appoint_a_transfer_agent(adapter, outsider):
    with reverts(adapter.AccessControlUnauthorizedAccount, account=outsider, neededRole=DEFAULT_ADMIN_ROLE):
        adapter.grantRole(TRANSFER_AGENT_ROLE, outsider, sender=outsider)


# ---------------------------------------------------------------------------------------------
# Off-ramp
# ---------------------------------------------------------------------------------------------


def test_off_ramp_locks_the_tokens_and_emits_the_instruction_with_identity_fields(
    adapter, listed, asset, seller
):
    listed(asset)
    asset.approve(adapter, QUANTITY, sender=seller)

    receipt = adapter.requestOffRamp(asset, QUANTITY, ACCOUNT, sender=seller)

    assert receipt.events.filter(asset.Transfer) == [asset.Transfer(seller, adapter, QUANTITY)]
    assert receipt.events.filter(adapter.OffRampRequested) == [
        adapter.OffRampRequested(
            instructionId=instruction_id(adapter, 1),
            assetId=asset.assetId(),
            holder=seller,
            asset=asset,
            isin=asset.isin(),
            shares=QUANTITY,
            units=QUANTITY,
            accountReference=ACCOUNT,
        )
    ]
    assert asset.balanceOf(adapter) == QUANTITY
    assert adapter.pendingOf(asset) == QUANTITY


def test_off_ramp_records_a_pending_instruction(adapter, off_ramp, certificate, seller):
    instruction = off_ramp(certificate)
    requested_at = chain.blocks.head.timestamp

    assert adapter.instruction(instruction) == (
        certificate.address,
        Direction.OFF_RAMP,
        InstructionState.PENDING,
        requested_at + adapter.offRampTimeout(),
        seller.address,
        QUANTITY,
    )


def test_off_ramp_refuses_an_unlisted_asset(adapter, certificate, seller):
    certificate.approve(adapter, QUANTITY, sender=seller)

    with reverts(adapter.AdapterAssetNotListed, asset=certificate):
        adapter.requestOffRamp(certificate, QUANTITY, ACCOUNT, sender=seller)


@pytest.mark.parametrize(
    ("shares", "account", "field"), [(0, ACCOUNT, "shares"), (1, b"\x00" * 32, "accountReference")]
)
def test_off_ramp_refuses_zero_arguments(adapter, listed, certificate, seller, shares, account, field):
    listed(certificate)

    with reverts(adapter.AdapterInvalidArgument, field=field):
        adapter.requestOffRamp(certificate, shares, account, sender=seller)


def test_confirm_off_ramp_moves_the_locked_tokens_into_the_inventory(
    adapter, off_ramp, certificate, transfer_agent
):
    instruction = off_ramp(certificate)

    receipt = adapter.confirmOffRamp(instruction, BOOKING, sender=transfer_agent)

    assert receipt.events == [
        adapter.OffRampSettled(
            instructionId=instruction, assetId=certificate.assetId(), registerReference=BOOKING
        )
    ]
    assert adapter.instruction(instruction)[2] == InstructionState.SETTLED
    assert adapter.inventoryOf(certificate) == QUANTITY
    assert adapter.pendingOf(certificate) == 0
    assert certificate.balanceOf(adapter) == QUANTITY


def test_outsider_cannot_confirm_an_off_ramp(adapter, off_ramp, certificate, outsider):
    instruction = off_ramp(certificate)

    with reverts(adapter.AccessControlUnauthorizedAccount, account=outsider, neededRole=TRANSFER_AGENT_ROLE):
        adapter.confirmOffRamp(instruction, BOOKING, sender=outsider)


def test_confirm_refuses_a_settled_instruction(adapter, inventory, certificate, transfer_agent):
    instruction = inventory(certificate)

    with reverts(adapter.AdapterNotPending, instructionId=instruction, state=InstructionState.SETTLED):
        adapter.confirmOffRamp(instruction, reference("REG-BOOK-2"), sender=transfer_agent)


def test_confirm_refuses_an_unknown_instruction(adapter, transfer_agent):
    unknown = reference("nope")

    with reverts(adapter.AdapterNotPending, instructionId=unknown, state=InstructionState.NONE):
        adapter.confirmOffRamp(unknown, BOOKING, sender=transfer_agent)


def test_confirm_refuses_a_register_reference_used_before(
    adapter, inventory, off_ramp, certificate, transfer_agent
):
    inventory(certificate)
    second = off_ramp(certificate)

    with reverts(adapter.AdapterRegisterReferenceUsed, registerReference=BOOKING):
        adapter.confirmOffRamp(second, BOOKING, sender=transfer_agent)


def test_failed_off_ramp_returns_the_tokens_to_the_holder(adapter, off_ramp, asset, seller, transfer_agent):
    instruction = off_ramp(asset)
    reason = reference("ACCOUNT-CLOSED")

    receipt = adapter.failOffRamp(instruction, reason, sender=transfer_agent)

    assert receipt.events.filter(asset.Transfer) == [asset.Transfer(adapter, seller, QUANTITY)]
    assert receipt.events.filter(adapter.OffRampFailed) == [
        adapter.OffRampFailed(instructionId=instruction, holder=seller, shares=QUANTITY, reason=reason)
    ]
    assert asset.balanceOf(seller) == SELLER_HOLDING
    assert adapter.pendingOf(asset) == 0
    assert adapter.instruction(instruction)[2] == InstructionState.FAILED


def test_outsider_cannot_fail_an_off_ramp(adapter, off_ramp, certificate, outsider):
    instruction = off_ramp(certificate)

    with reverts(adapter.AccessControlUnauthorizedAccount, account=outsider, neededRole=TRANSFER_AGENT_ROLE):
        adapter.failOffRamp(instruction, b"", sender=outsider)


def test_settled_off_ramp_cannot_fail(adapter, inventory, certificate, transfer_agent):
    instruction = inventory(certificate)

    with reverts(adapter.AdapterNotPending, instructionId=instruction, state=InstructionState.SETTLED):
        adapter.failOffRamp(instruction, b"", sender=transfer_agent)


def test_failed_off_ramp_cannot_fail_again_nor_be_confirmed(adapter, off_ramp, certificate, transfer_agent):
    instruction = off_ramp(certificate)
    adapter.failOffRamp(instruction, b"", sender=transfer_agent)

    with reverts(adapter.AdapterNotPending, state=InstructionState.FAILED):
        adapter.failOffRamp(instruction, b"", sender=transfer_agent)
    with reverts(adapter.AdapterNotPending, state=InstructionState.FAILED):
        adapter.confirmOffRamp(instruction, BOOKING, sender=transfer_agent)


def test_delisting_stops_new_off_ramps_but_pending_ones_can_settle(
    adapter, off_ramp, certificate, issuer, seller, transfer_agent
):
    instruction = off_ramp(certificate)
    adapter.setAssetListed(certificate, False, sender=issuer)

    with reverts(adapter.AdapterAssetNotListed, asset=certificate):
        adapter.requestOffRamp(certificate, 1, ACCOUNT, sender=seller)
    adapter.confirmOffRamp(instruction, BOOKING, sender=transfer_agent)

    assert adapter.instruction(instruction)[2] == InstructionState.SETTLED


# ---------------------------------------------------------------------------------------------
# Off-ramp timeout: a register that never answers does not strand the holder
# ---------------------------------------------------------------------------------------------


def _deadline(adapter, instruction) -> int:
    return adapter.instruction(instruction)[3]


def _past(deadline: int) -> None:
    chain.pending_timestamp = deadline + 1


def test_a_new_adapter_gives_the_register_the_default_timeout(adapter):
    assert adapter.offRampTimeout() == adapter.DEFAULT_OFF_RAMP_TIMEOUT() == 7 * 24 * 3600


def test_admin_sets_the_off_ramp_timeout(adapter, issuer):
    previous = adapter.offRampTimeout()

    receipt = adapter.setOffRampTimeout(3600, sender=issuer)

    assert receipt.events == [adapter.OffRampTimeoutSet(previousTimeout=previous, newTimeout=3600)]
    assert adapter.offRampTimeout() == 3600


def test_outsider_cannot_set_the_off_ramp_timeout(adapter, outsider):
    with reverts(adapter.AccessControlUnauthorizedAccount, account=outsider, neededRole=DEFAULT_ADMIN_ROLE):
        adapter.setOffRampTimeout(3600, sender=outsider)


def test_transfer_agent_cannot_set_the_off_ramp_timeout(adapter, transfer_agent):
    with reverts(
        adapter.AccessControlUnauthorizedAccount, account=transfer_agent, neededRole=DEFAULT_ADMIN_ROLE
    ):
        adapter.setOffRampTimeout(3600, sender=transfer_agent)


@pytest.mark.parametrize("timeout", [0, 3599, 90 * 24 * 3600 + 1, 2**64 - 1])
def test_an_off_ramp_timeout_out_of_bounds_is_refused(adapter, issuer, timeout):
    with reverts(adapter.AdapterTimeoutOutOfBounds, timeout=timeout, min=3600, max=90 * 24 * 3600):
        adapter.setOffRampTimeout(timeout, sender=issuer)


@pytest.mark.parametrize("timeout", [3600, 90 * 24 * 3600])
def test_the_timeout_bounds_themselves_are_accepted(adapter, issuer, timeout):
    adapter.setOffRampTimeout(timeout, sender=issuer)

    assert adapter.offRampTimeout() == timeout


def test_an_off_ramp_deadline_is_its_request_time_plus_the_timeout(adapter, off_ramp, certificate, issuer):
    adapter.setOffRampTimeout(7200, sender=issuer)

    instruction = off_ramp(certificate)

    assert _deadline(adapter, instruction) == chain.blocks.head.timestamp + 7200


def test_a_timeout_change_does_not_move_a_pending_deadline(adapter, off_ramp, certificate, issuer):
    instruction = off_ramp(certificate)
    deadline = _deadline(adapter, instruction)

    adapter.setOffRampTimeout(3600, sender=issuer)

    assert _deadline(adapter, instruction) == deadline


def test_anyone_expires_an_unanswered_off_ramp_and_the_holder_gets_the_tokens_back(
    adapter, off_ramp, asset, seller, outsider
):
    instruction = off_ramp(asset)
    deadline = _deadline(adapter, instruction)
    _past(deadline)

    receipt = adapter.expireOffRamp(instruction, sender=outsider)

    assert receipt.events.filter(asset.Transfer) == [asset.Transfer(adapter, seller, QUANTITY)]
    assert receipt.events.filter(adapter.OffRampExpired) == [
        adapter.OffRampExpired(instructionId=instruction, holder=seller, shares=QUANTITY, deadline=deadline)
    ]
    assert asset.balanceOf(seller) == SELLER_HOLDING
    assert adapter.pendingOf(asset) == 0
    assert adapter.instruction(instruction)[2] == InstructionState.EXPIRED


def test_an_off_ramp_cannot_expire_at_its_deadline(adapter, off_ramp, certificate, outsider):
    instruction = off_ramp(certificate)
    deadline = _deadline(adapter, instruction)
    chain.pending_timestamp = deadline

    with reverts(adapter.AdapterOffRampNotExpired, instructionId=instruction, deadline=deadline):
        adapter.expireOffRamp(instruction, sender=outsider)


def test_the_transfer_agent_can_confirm_at_the_deadline(adapter, off_ramp, certificate, transfer_agent):
    instruction = off_ramp(certificate)
    chain.pending_timestamp = _deadline(adapter, instruction)

    adapter.confirmOffRamp(instruction, BOOKING, sender=transfer_agent)

    assert adapter.instruction(instruction)[2] == InstructionState.SETTLED


def test_an_off_ramp_past_its_deadline_cannot_be_confirmed(adapter, off_ramp, certificate, transfer_agent):
    instruction = off_ramp(certificate)
    deadline = _deadline(adapter, instruction)
    _past(deadline)

    with reverts(adapter.AdapterOffRampExpired, instructionId=instruction, deadline=deadline):
        adapter.confirmOffRamp(instruction, BOOKING, sender=transfer_agent)
    assert not adapter.isRegisterReferenceUsed(BOOKING)


def test_an_expired_off_ramp_can_be_neither_confirmed_nor_failed_nor_expired_again(
    adapter, off_ramp, certificate, transfer_agent, outsider
):
    instruction = off_ramp(certificate)
    _past(_deadline(adapter, instruction))
    adapter.expireOffRamp(instruction, sender=outsider)

    with reverts(adapter.AdapterNotPending, instructionId=instruction, state=InstructionState.EXPIRED):
        adapter.confirmOffRamp(instruction, BOOKING, sender=transfer_agent)
    with reverts(adapter.AdapterNotPending, instructionId=instruction, state=InstructionState.EXPIRED):
        adapter.failOffRamp(instruction, b"", sender=transfer_agent)
    with reverts(adapter.AdapterNotPending, instructionId=instruction, state=InstructionState.EXPIRED):
        adapter.expireOffRamp(instruction, sender=outsider)


def test_settled_failed_unknown_and_on_ramp_instructions_cannot_expire(
    adapter, inventory, off_ramp, certificate, buyer, transfer_agent, outsider
):
    settled = inventory(certificate)
    failed = off_ramp(certificate)
    adapter.failOffRamp(failed, b"", sender=transfer_agent)
    adapter.onRamp(certificate, buyer, 1, ACCOUNT, DEBIT, sender=transfer_agent)
    chain.pending_timestamp = chain.blocks.head.timestamp + adapter.MAX_OFF_RAMP_TIMEOUT() + 1

    for instruction, state in (
        (settled, InstructionState.SETTLED),
        (failed, InstructionState.FAILED),
        (instruction_id(adapter, 3), InstructionState.SETTLED),
        (reference("nope"), InstructionState.NONE),
    ):
        with reverts(adapter.AdapterNotPending, instructionId=instruction, state=state):
            adapter.expireOffRamp(instruction, sender=outsider)


# ---------------------------------------------------------------------------------------------
# On-ramp
# ---------------------------------------------------------------------------------------------


def test_on_ramp_issues_tokens_from_the_inventory_against_a_register_debit(
    adapter, inventory, asset, buyer, transfer_agent
):
    inventory(asset)

    receipt = adapter.onRamp(asset, buyer, QUANTITY, ACCOUNT, DEBIT, sender=transfer_agent)

    assert receipt.events.filter(asset.Transfer) == [asset.Transfer(adapter, buyer, QUANTITY)]
    assert receipt.events.filter(adapter.OnRampSettled) == [
        adapter.OnRampSettled(
            instructionId=instruction_id(adapter, 2),
            assetId=asset.assetId(),
            recipient=buyer,
            asset=asset,
            isin=asset.isin(),
            shares=QUANTITY,
            units=QUANTITY,
            accountReference=ACCOUNT,
            registerReference=DEBIT,
        )
    ]
    assert asset.balanceOf(buyer) == QUANTITY
    assert adapter.inventoryOf(asset) == 0


def test_on_ramp_records_a_settled_instruction(adapter, inventory, certificate, buyer, transfer_agent):
    inventory(certificate)

    adapter.onRamp(certificate, buyer, QUANTITY, ACCOUNT, DEBIT, sender=transfer_agent)

    assert adapter.instruction(instruction_id(adapter, 2)) == (
        certificate.address,
        Direction.ON_RAMP,
        InstructionState.SETTLED,
        0,
        buyer.address,
        QUANTITY,
    )
    assert adapter.isRegisterReferenceUsed(DEBIT)


def test_outsider_cannot_on_ramp(adapter, inventory, certificate, outsider):
    inventory(certificate)

    with reverts(adapter.AccessControlUnauthorizedAccount, account=outsider, neededRole=TRANSFER_AGENT_ROLE):
        adapter.onRamp(certificate, outsider, QUANTITY, ACCOUNT, DEBIT, sender=outsider)


def test_on_ramp_refuses_a_replayed_register_debit(adapter, inventory, certificate, buyer, transfer_agent):
    inventory(certificate)
    adapter.onRamp(certificate, buyer, 1, ACCOUNT, DEBIT, sender=transfer_agent)

    with reverts(adapter.AdapterRegisterReferenceUsed, registerReference=DEBIT):
        adapter.onRamp(certificate, buyer, 1, ACCOUNT, DEBIT, sender=transfer_agent)


def test_on_ramp_refuses_more_than_the_inventory(adapter, inventory, certificate, buyer, transfer_agent):
    inventory(certificate)

    with reverts(
        adapter.AdapterInsufficientInventory, asset=certificate, units=QUANTITY + 1, available=QUANTITY
    ):
        adapter.onRamp(certificate, buyer, QUANTITY + 1, ACCOUNT, DEBIT, sender=transfer_agent)


def test_on_ramp_cannot_use_tokens_of_a_pending_off_ramp(
    adapter, off_ramp, certificate, buyer, transfer_agent
):
    off_ramp(certificate)

    with reverts(adapter.AdapterInsufficientInventory, available=0):
        adapter.onRamp(certificate, buyer, 1, ACCOUNT, DEBIT, sender=transfer_agent)


def test_on_ramp_refuses_an_unlisted_asset(adapter, certificate, buyer, transfer_agent):
    with reverts(adapter.AdapterAssetNotListed, asset=certificate):
        adapter.onRamp(certificate, buyer, 1, ACCOUNT, DEBIT, sender=transfer_agent)


@pytest.mark.parametrize(
    ("recipient", "account", "debit", "field"),
    [
        ("zero", ACCOUNT, DEBIT, "recipient"),
        ("buyer", b"\x00" * 32, DEBIT, "accountReference"),
        ("buyer", ACCOUNT, b"\x00" * 32, "registerReference"),
    ],
)
def test_on_ramp_refuses_zero_arguments(
    adapter, inventory, certificate, buyer, transfer_agent, recipient, account, debit, field
):
    inventory(certificate)
    to = buyer.address if recipient == "buyer" else "0x" + "00" * 20

    with reverts(adapter.AdapterInvalidArgument, field=field):
        adapter.onRamp(certificate, to, 1, account, debit, sender=transfer_agent)


def test_on_ramp_to_an_unverified_wallet_of_a_registry_share_is_refused(
    adapter, inventory, registry_share, unverified_buyer, transfer_agent
):
    inventory(registry_share)

    with reverts(registry_share.RestrictedRecipientNotVerified, to=unverified_buyer.address):
        adapter.onRamp(registry_share, unverified_buyer, QUANTITY, ACCOUNT, DEBIT, sender=transfer_agent)

    assert adapter.inventoryOf(registry_share) == QUANTITY
    assert not adapter.isRegisterReferenceUsed(DEBIT)


# ---------------------------------------------------------------------------------------------
# Inventory pre-funding
# ---------------------------------------------------------------------------------------------


def test_transfer_agent_pre_funds_the_inventory(adapter, listed, certificate, issuer, transfer_agent):
    listed(certificate)
    certificate.mint(transfer_agent, QUANTITY, sender=issuer)
    certificate.approve(adapter, QUANTITY, sender=transfer_agent)

    receipt = adapter.fundInventory(certificate, QUANTITY, sender=transfer_agent)

    assert receipt.events.filter(adapter.InventoryFunded) == [
        adapter.InventoryFunded(
            asset=certificate, **{"from": transfer_agent}, shares=QUANTITY, units=QUANTITY
        )
    ]
    assert adapter.inventoryOf(certificate) == QUANTITY


def test_outsider_cannot_fund_the_inventory(adapter, listed, certificate, outsider):
    listed(certificate)

    with reverts(adapter.AccessControlUnauthorizedAccount, account=outsider, neededRole=TRANSFER_AGENT_ROLE):
        adapter.fundInventory(certificate, 1, sender=outsider)


def test_round_trip_to_the_register_and_back_leaves_supply_and_inventory_unchanged(
    adapter, inventory, certificate, seller, transfer_agent
):
    supply = certificate.totalSupply()
    inventory(certificate)

    adapter.onRamp(certificate, seller, QUANTITY, ACCOUNT, DEBIT, sender=transfer_agent)

    assert certificate.totalSupply() == supply
    assert certificate.balanceOf(seller) == SELLER_HOLDING
    assert adapter.inventoryOf(certificate) == 0
    assert certificate.balanceOf(adapter) == 0
