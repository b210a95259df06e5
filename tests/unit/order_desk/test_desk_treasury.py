"""The cash buffer (treasury), fill recording (executor), quote revocation and signer management."""

import pytest
from order_desk_helpers import INITIAL_BUFFER, USD
from revert_data import reverts

from tokenized_stocks.protocol.quote import QuoteStatus

pytestmark = pytest.mark.usefixtures("funded")

FLOOR = 50_000 * USD
WITHDRAW_CAPACITY = 500_000 * USD
WITHDRAW_REFILL = WITHDRAW_CAPACITY // 86_400
BROKER_REF = b"FILL-2026-000001".ljust(32, b"\x00")


# ---------------------------------------------------------------------------------------------
# Buffer
# ---------------------------------------------------------------------------------------------


def test_top_up_moves_cash_into_the_buffer(desk, cash, treasury):
    before = cash.balanceOf(treasury)

    receipt = desk.topUpBuffer(1_000 * USD, sender=treasury)

    assert cash.balanceOf(desk) == INITIAL_BUFFER + 1_000 * USD
    assert cash.balanceOf(treasury) == before - 1_000 * USD
    assert receipt.events == [
        cash.Transfer(treasury, desk, 1_000 * USD),
        desk.BufferToppedUp(treasury, 1_000 * USD),
    ]


def test_top_up_of_zero_is_refused(desk, treasury):
    with reverts(desk.DeskInvalidConfig, field="amount"):
        desk.topUpBuffer(0, sender=treasury)


def test_withdraw_moves_cash_out_of_the_buffer(desk, cash, treasury, accounts):
    broker = accounts[18]

    receipt = desk.withdrawBuffer(broker, 100_000 * USD, sender=treasury)

    assert cash.balanceOf(desk) == INITIAL_BUFFER - 100_000 * USD
    assert cash.balanceOf(broker) == 100_000 * USD
    assert receipt.events == [
        cash.Transfer(desk, broker, 100_000 * USD),
        desk.BufferWithdrawn(broker, 100_000 * USD),
    ]


def test_withdraw_below_the_floor_is_refused(desk, cash, treasury):
    free = INITIAL_BUFFER - FLOOR

    with reverts(desk.DeskInsufficientBuffer, available=free, needed=free + 1):
        desk.withdrawBuffer(treasury, free + 1, sender=treasury)

    assert cash.balanceOf(desk) == INITIAL_BUFFER


def test_withdraw_down_to_the_floor_is_accepted(desk, cash, treasury):
    desk.withdrawBuffer(treasury, INITIAL_BUFFER - FLOOR, sender=treasury)

    assert cash.balanceOf(desk) == FLOOR


def test_withdraw_rate_limit_refuses_then_refills(desk, cash, chain, issuer, treasury):
    desk.setBufferLimits(0, 100_000 * USD, 100 * USD, sender=issuer)
    desk.withdrawBuffer(treasury, 100_000 * USD, sender=treasury)

    with reverts(desk.DeskWithdrawalRateLimited, requested=10_000 * USD):
        desk.withdrawBuffer(treasury, 10_000 * USD, sender=treasury)

    chain.pending_timestamp += 100
    desk.withdrawBuffer(treasury, 10_000 * USD, sender=treasury)
    assert cash.balanceOf(desk) == INITIAL_BUFFER - 110_000 * USD


def test_withdraw_to_the_zero_address_is_refused(desk, treasury):
    with reverts(desk.DeskZeroAddress):
        desk.withdrawBuffer("0x" + "00" * 20, 1, sender=treasury)


def test_set_buffer_limits_emits_and_reads_back(desk, issuer):
    receipt = desk.setBufferLimits(7 * USD, 8 * USD, 9, sender=issuer)

    assert receipt.events == [desk.BufferLimitsSet(7 * USD, 8 * USD, 9)]
    assert desk.bufferLimits() == (7 * USD, 8 * USD, 9, 8 * USD)


# ---------------------------------------------------------------------------------------------
# Fills
# ---------------------------------------------------------------------------------------------


def test_executor_records_the_fill_of_an_executed_order(desk, make_quote, executor, investor_alice):
    signed = make_quote()
    desk.buy(*signed.args(), 10_000 * USD, sender=investor_alice)

    receipt = desk.recordFill(signed.quote.quote_id, BROKER_REF, sender=executor)

    assert receipt.events == [desk.FillRecorded(signed.quote.quote_id, BROKER_REF, executor)]
    assert desk.quoteStatus(signed.quote.quote_id) == QuoteStatus.FILLED


def test_fill_is_recorded_only_once(desk, make_quote, executor, investor_alice):
    signed = make_quote()
    desk.buy(*signed.args(), 10_000 * USD, sender=investor_alice)
    desk.recordFill(signed.quote.quote_id, BROKER_REF, sender=executor)

    with reverts(desk.DeskFillAlreadyRecorded, quoteId=signed.quote.quote_id):
        desk.recordFill(signed.quote.quote_id, BROKER_REF, sender=executor)


def test_fill_of_an_unexecuted_order_is_refused(desk, executor):
    with reverts(desk.DeskOrderNotExecuted, quoteId=12345):
        desk.recordFill(12345, BROKER_REF, sender=executor)


def test_fill_of_a_revoked_quote_is_refused(desk, executor, quote_signer):
    desk.revokeQuote(77, sender=quote_signer)

    with reverts(desk.DeskOrderNotExecuted, quoteId=77):
        desk.recordFill(77, BROKER_REF, sender=executor)


def test_filled_order_cannot_be_replayed(desk, make_quote, executor, investor_alice):
    signed = make_quote()
    desk.buy(*signed.args(), 10_000 * USD, sender=investor_alice)
    desk.recordFill(signed.quote.quote_id, BROKER_REF, sender=executor)

    with reverts(desk.DeskQuoteUsed, quoteId=signed.quote.quote_id):
        desk.buy(*signed.args(), 10_000 * USD, sender=investor_alice)


# ---------------------------------------------------------------------------------------------
# Revocation and signers
# ---------------------------------------------------------------------------------------------


def test_signer_revokes_a_quote_id(desk, quote_signer):
    receipt = desk.revokeQuote(5, sender=quote_signer)

    assert receipt.events == [desk.QuoteRevoked(5, quote_signer)]
    assert desk.quoteStatus(5) == QuoteStatus.REVOKED


def test_admin_revokes_a_quote_id(desk, issuer):
    desk.revokeQuote(6, sender=issuer)

    assert desk.quoteStatus(6) == QuoteStatus.REVOKED


def test_revoking_an_executed_quote_is_refused(desk, make_quote, quote_signer, investor_alice):
    signed = make_quote()
    desk.buy(*signed.args(), 10_000 * USD, sender=investor_alice)

    with reverts(desk.DeskQuoteUsed, quoteId=signed.quote.quote_id):
        desk.revokeQuote(signed.quote.quote_id, sender=quote_signer)


def test_revoking_twice_is_refused(desk, quote_signer):
    desk.revokeQuote(9, sender=quote_signer)

    with reverts(desk.DeskQuoteRevoked, quoteId=9):
        desk.revokeQuote(9, sender=quote_signer)


def test_revocation_leaves_neighbouring_quote_ids_open(desk, quote_signer):
    desk.revokeQuote(128, sender=quote_signer)

    assert [desk.quoteStatus(i) for i in (127, 128, 129)] == [
        QuoteStatus.OPEN,
        QuoteStatus.REVOKED,
        QuoteStatus.OPEN,
    ]


def test_add_and_remove_signer_emit_events(desk, issuer, accounts):
    new_signer = accounts[17]

    added = desk.addSigner(new_signer, sender=issuer)
    removed = desk.removeSigner(new_signer, sender=issuer)

    assert added.events == [desk.SignerAdded(new_signer)]
    assert removed.events == [desk.SignerRemoved(new_signer)]
    assert not desk.isSigner(new_signer)


def test_adding_a_current_signer_is_refused(desk, issuer, quote_signer):
    with reverts(desk.DeskSignerUnchanged, signer=quote_signer.address, active=True):
        desk.addSigner(quote_signer, sender=issuer)


def test_removing_an_unknown_signer_is_refused(desk, issuer, outsider):
    with reverts(desk.DeskSignerUnchanged, signer=outsider.address, active=False):
        desk.removeSigner(outsider, sender=issuer)


def test_two_signers_are_current_at_once(desk, issuer, quote_signer, accounts):
    desk.addSigner(accounts[17], sender=issuer)

    assert desk.isSigner(quote_signer) and desk.isSigner(accounts[17])
