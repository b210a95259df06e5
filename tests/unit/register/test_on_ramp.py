"""An on-ramp starts on the register: the account is debited into a pending delivery and a sese.023
DELIVER goes to the chain; the chain's sese.025 makes it final, its sese.024 releases it. A sese.024
for an off-ramp the chain expired reverses the register's credit."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DTI, ISIN, WALLET

from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022 import messages as m
from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.mailbox import Mailbox
from tokenized_stocks.register.book import PENDING, REVERSED, Register
from tokenized_stocks.register.config import RegisterSettings
from tokenized_stocks.register.service import open_register
from tokenized_stocks.register.store import RegisterStore

SHARE = 10**18
ACCOUNT = "ACC-ALICE"
CHAIN_ID = "C" * 32


def _read(path: Path) -> m.Message:
    return codec.parse(path.read_bytes(), codec.kind_of(path.read_bytes()))


@pytest.fixture
def funded(register: Register, instruction) -> Register:
    """ACC-ALICE holds 10 shares on the register (an off-ramp the register confirmed)."""
    register.instruct(instruction("10"))
    return register


def _settled(sent: m.SettlementInstruction, **over) -> m.SettlementConfirmation:
    values = {
        "reference": sent.reference,
        "register_reference": CHAIN_ID,
        "isin": sent.isin,
        "dti": sent.dti,
        "quantity": sent.quantity,
        "account": sent.account,
        "wallet": sent.wallet,
        "movement": sent.movement,
        "settlement_date": date(2026, 11, 27),
    }
    values.update(over)
    return m.SettlementConfirmation(**values)


def _rejected(sent: m.SettlementInstruction, reason: str = "INSUFFICIENT INVENTORY") -> m.SettlementStatus:
    return m.SettlementStatus(
        sent.reference,
        f"REJ-{sent.reference}",
        sent.isin,
        sent.dti,
        sent.quantity,
        sent.account,
        sent.movement,
        date(2026, 11, 27),
        m.Status.REJECTED,
        reason,
    )


def test_an_on_ramp_debits_the_account_into_a_pending_delivery_and_instructs_the_chain(funded):
    sent = _read(funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, 4 * SHARE))

    assert sent == m.SettlementInstruction(
        "BACK-1", ISIN, DTI, Decimal(4), ACCOUNT, WALLET, m.Movement.DELIVER, sent.settlement_date, epoch=0
    )
    assert funded.balance(ISIN, ACCOUNT) == 6 * SHARE
    assert funded.store.instruction("BACK-1").status == PENDING


def test_the_chains_confirmation_makes_the_delivery_final(funded):
    sent = _read(funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, 4 * SHARE))

    assert funded.delivered(_settled(sent)) == []

    row = funded.store.instruction("BACK-1")
    assert (row.status, row.chain_reference) == ("settled", CHAIN_ID)
    assert funded.balance(ISIN, ACCOUNT) == 6 * SHARE


def test_a_duplicate_confirmation_changes_nothing(funded):
    sent = _read(funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, 4 * SHARE))
    funded.delivered(_settled(sent))

    assert funded.delivered(_settled(sent)) == []
    assert funded.balance(ISIN, ACCOUNT) == 6 * SHARE


@pytest.mark.parametrize(
    ("over", "error"),
    [
        ({"quantity": Decimal(5)}, "quantity is 5"),
        ({"account": "ACC-MALLORY"}, "account is ACC-MALLORY"),
        ({"wallet": "0x" + "22" * 20}, "names wallet"),
        ({"reference": "NEVER-SENT"}, "never sent"),
    ],
)
def test_a_confirmation_that_does_not_match_the_delivery_is_refused(funded, over, error):
    sent = _read(funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, 4 * SHARE))

    with pytest.raises(MessageRefused, match=error):
        funded.delivered(_settled(sent, **over))
    assert funded.store.instruction("BACK-1").status == PENDING


def test_a_confirmation_of_an_off_ramp_is_not_a_delivery(funded, instruction):
    sent = instruction("1")
    funded.instruct(sent)

    with pytest.raises(MessageRefused, match="never sent"):
        funded.delivered(_settled(sent))


def test_the_chains_rejection_releases_the_position(funded):
    sent = _read(funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, 4 * SHARE))

    funded.status(_rejected(sent))

    row = funded.store.instruction("BACK-1")
    assert (row.status, row.reason) == ("rejected", "INSUFFICIENT INVENTORY")
    assert funded.balance(ISIN, ACCOUNT) == 10 * SHARE


def test_a_duplicate_rejection_releases_once_and_a_late_confirmation_is_refused(funded):
    sent = _read(funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, 4 * SHARE))
    funded.status(_rejected(sent))

    funded.status(_rejected(sent))
    with pytest.raises(MessageRefused, match="is rejected"):
        funded.delivered(_settled(sent))
    assert funded.balance(ISIN, ACCOUNT) == 10 * SHARE


def test_a_delivered_on_ramp_cannot_be_rejected(funded):
    sent = _read(funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, 4 * SHARE))
    funded.delivered(_settled(sent))

    with pytest.raises(MessageRefused, match="already delivered"):
        funded.status(_rejected(sent))
    assert funded.balance(ISIN, ACCOUNT) == 6 * SHARE


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("BACK-1", ISIN, ACCOUNT, WALLET, 11 * SHARE), "holds 10"),
        (("BACK-1", "US5949181045", ACCOUNT, WALLET, SHARE), "does not keep"),
        (("BACK-1", ISIN, ACCOUNT, "0xnot-a-wallet", SHARE), "not a wallet"),
        (("BACK-1", ISIN, ACCOUNT, WALLET, 0), "no shares"),
        (("X" * 33, ISIN, ACCOUNT, WALLET, SHARE), "1-32 characters"),
        (("BACK-1", ISIN, "bad account!", WALLET, SHARE), "not an account reference"),
    ],
)
def test_an_on_ramp_the_register_cannot_honour_is_refused_and_books_nothing(funded, args, error):
    before = funded.outbox.files()

    with pytest.raises(MessageRefused, match=error):
        funded.deliver(*args)
    assert funded.balance(ISIN, ACCOUNT) == 10 * SHARE
    assert funded.store.instruction(args[0]) is None
    assert funded.outbox.files() == before


def test_an_on_ramp_requested_again_is_sent_again_but_debited_once(funded):
    first = _read(funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, 4 * SHARE))

    again = _read(funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, 4 * SHARE))

    assert again == first
    assert funded.balance(ISIN, ACCOUNT) == 6 * SHARE


def test_an_on_ramp_reference_reused_with_other_terms_is_refused(funded):
    funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, 4 * SHARE)

    with pytest.raises(MessageRefused, match="other terms"):
        funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, 5 * SHARE)
    assert funded.balance(ISIN, ACCOUNT) == 6 * SHARE


def test_an_on_ramp_instruction_lost_in_a_crash_is_sent_at_restart(funded, monkeypatch):
    def crash(_message):
        raise SystemExit("killed")

    with monkeypatch.context() as patch:
        patch.setattr(funded.outbox, "write", crash)
        with pytest.raises(SystemExit):
            funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, 4 * SHARE)

    (resent,) = funded.resend_pending()

    assert _read(resent).reference == "BACK-1"
    assert funded.balance(ISIN, ACCOUNT) == 6 * SHARE
    assert funded.resend_pending() == []


# ---------------------------------------------------------------------------------------------
# An off-ramp the chain expired before the register's confirmation arrived
# ---------------------------------------------------------------------------------------------


def test_a_rejection_of_a_confirmed_off_ramp_reverses_the_credit(register, instruction):
    sent = instruction("10")
    register.instruct(sent)

    register.status(_rejected(sent, "EXPIRED ON CHAIN"))

    row = register.store.instruction(sent.reference)
    assert (row.status, row.reason) == (REVERSED, "EXPIRED ON CHAIN")
    assert register.balance(ISIN, ACCOUNT) == 0


def test_a_reversal_is_applied_once(register, instruction):
    sent = instruction("10")
    register.instruct(sent)
    register.instruct(instruction("3"))

    register.status(_rejected(sent, "EXPIRED ON CHAIN"))
    register.status(_rejected(sent, "EXPIRED ON CHAIN"))

    assert register.balance(ISIN, ACCOUNT) == 3 * SHARE


def test_a_reversal_the_position_no_longer_covers_is_refused_and_changes_nothing(register, instruction):
    sent = instruction("10")
    register.instruct(sent)
    register.force_transfer("FT-1", ISIN, ACCOUNT, "ACC-BOB", 5 * SHARE, "court order")

    with pytest.raises(MessageRefused, match="no longer holds"):
        register.status(_rejected(sent, "EXPIRED ON CHAIN"))
    assert register.balance(ISIN, ACCOUNT) == 5 * SHARE
    assert register.store.instruction(sent.reference).status == "settled"


def test_a_status_that_does_not_match_the_booking_is_refused(register, instruction):
    sent = instruction("10")
    register.instruct(sent)

    with pytest.raises(MessageRefused, match="quantity is 9"):
        register.status(replace(_rejected(sent), quantity=Decimal(9)))
    with pytest.raises(MessageRefused, match="never booked"):
        register.status(replace(_rejected(sent), reference="UNKNOWN"))
    assert register.balance(ISIN, ACCOUNT) == 10 * SHARE


def test_an_accepted_status_changes_nothing(register, instruction):
    sent = instruction("10")
    register.instruct(sent)

    register.status(replace(_rejected(sent), status=m.Status.ACCEPTED, reason=""))

    assert register.balance(ISIN, ACCOUNT) == 10 * SHARE


def test_the_chains_answers_arrive_as_files_in_the_inbox(funded, tmp_path):
    sent = _read(funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, 4 * SHARE))
    answer = Mailbox(tmp_path / "chain").write(_settled(sent))

    assert funded.receive_file(answer) == []
    assert funded.store.instruction("BACK-1").status == "settled"


# ---------------------------------------------------------------------------------------------
# When an on-ramp was sent and by when the chain should issue it (what reconciliation reads)
# ---------------------------------------------------------------------------------------------

SENT_AT = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_an_on_ramp_records_when_it_was_sent_and_its_deadline(funded: Register):
    funded.clock = lambda: SENT_AT
    funded.on_ramp_timeout = 3_600

    funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, SHARE)

    row = funded.store.instruction("BACK-1")
    assert row is not None
    assert (row.booked_at, row.deadline) == (int(SENT_AT.timestamp()), int(SENT_AT.timestamp()) + 3_600)


def test_an_on_ramp_keeps_its_deadline_when_the_timeout_changes(funded: Register):
    funded.clock = lambda: SENT_AT
    funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, SHARE)
    funded.on_ramp_timeout = 60

    funded.deliver("BACK-1", ISIN, ACCOUNT, WALLET, SHARE)  # the same terms: written again

    row = funded.store.instruction("BACK-1")
    assert row is not None and row.deadline == int(SENT_AT.timestamp()) + 86_400


def test_an_off_ramp_booking_has_a_time_and_no_deadline(register: Register, instruction):
    register.clock = lambda: SENT_AT
    booked = instruction("1")

    register.instruct(booked)

    row = register.store.instruction(booked.reference)
    assert row is not None and (row.booked_at, row.deadline) == (int(SENT_AT.timestamp()), None)


def test_the_on_ramp_timeout_comes_from_the_settings(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("REGISTER_ON_RAMP_TIMEOUT", "7200")
    settings = RegisterSettings(db=tmp_path / "book.sqlite", inbox=tmp_path / "in", outbox=tmp_path / "out")

    assert open_register(settings).on_ramp_timeout == 7_200


def test_an_on_ramp_timeout_under_a_minute_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="greater than or equal to 60"):
        RegisterSettings(db=tmp_path / "book.sqlite", on_ramp_timeout=59)


def test_a_book_from_before_booking_times_gains_the_columns_and_reads_none(tmp_path: Path):
    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(str(path))
    old.execute(
        "CREATE TABLE instructions (reference TEXT PRIMARY KEY, register_reference TEXT NOT NULL UNIQUE, "
        "isin TEXT NOT NULL, account TEXT NOT NULL, wallet TEXT NOT NULL, movement TEXT NOT NULL, "
        "quantity TEXT NOT NULL, settlement_date TEXT NOT NULL, units TEXT NOT NULL, status TEXT NOT NULL, "
        "reason TEXT NOT NULL, answered INTEGER NOT NULL DEFAULT 0)"
    )
    old.execute(
        "INSERT INTO instructions VALUES ('OLD-1', 'REG-00000001', ?, 'ACC-ALICE', ?, 'DELI', '1', "
        "'2026-11-01', '1000000000000000000', 'pending', '', 1)",
        (ISIN, WALLET),
    )
    old.commit()
    old.close()

    (row,) = RegisterStore(path).instructions()

    assert (row.reference, row.status, row.booked_at, row.deadline) == ("OLD-1", "pending", None, None)
