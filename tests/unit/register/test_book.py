"""The register books instructions once, answers them in ISO 20022 and applies corporate actions
with the chain's arithmetic."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DTI, ISIN, WALLET, notice

from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022 import messages as m
from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.identifiers import shares
from tokenized_stocks.iso20022.mailbox import Mailbox
from tokenized_stocks.iso20022.matching import check_answers
from tokenized_stocks.protocol.multiplier import ONE, to_tokens_down, to_units_down
from tokenized_stocks.register.book import split_multiplier

SHARE = 10**18


def _read(path: Path) -> m.Message:
    return codec.parse(path.read_bytes(), codec.kind_of(path.read_bytes()))


def test_an_off_ramp_instruction_credits_the_account_and_is_confirmed(register, instruction):
    sent = instruction("10")

    answer = _read(register.instruct(sent))

    assert isinstance(answer, m.SettlementConfirmation)
    check_answers(answer, sent)
    assert answer.register_reference == "REG-00000001"
    assert register.balance(ISIN, "ACC-ALICE") == 10 * SHARE


def test_a_redelivered_instruction_is_answered_again_but_booked_once(register, instruction):
    sent = instruction("10")
    first = _read(register.instruct(sent))

    second = _read(register.instruct(sent))

    assert second == first
    assert register.balance(ISIN, "ACC-ALICE") == 10 * SHARE
    assert register.store.count_instructions() == 1


def test_a_replayed_instruction_with_other_terms_is_refused_and_changes_nothing(register, instruction):
    sent = instruction("10")
    register.instruct(sent)

    with pytest.raises(MessageRefused, match="already booked with other terms"):
        register.instruct(m.SettlementInstruction(**{**sent.__dict__, "quantity": Decimal(11)}))
    assert register.balance(ISIN, "ACC-ALICE") == 10 * SHARE


@pytest.mark.parametrize(
    ("over", "error"),
    [
        ({"quantity": Decimal(0)}, "no shares"),
        ({"movement": m.Movement.DELIVER}, "an on-ramp starts on the register"),
    ],
)
def test_a_malformed_instruction_is_refused_and_changes_nothing(register, instruction, over, error):
    with pytest.raises(MessageRefused, match=error):
        register.instruct(instruction(**over))
    assert register.store.count_instructions() == 0
    assert register.outbox.files() == []


@pytest.mark.parametrize(
    ("over", "reason"),
    [({"isin": "US5949181045"}, "DSEC UNKNOWN SECURITY"), ({"dti": "4H95J0R2Z"}, "DSEC DTI MISMATCH")],
)
def test_an_instruction_the_register_cannot_match_is_rejected_with_an_iso_reason(
    register, instruction, over, reason
):
    sent = instruction("10", **over)

    answer = _read(register.instruct(sent))

    assert isinstance(answer, m.SettlementStatus)
    assert (answer.status, answer.reason) == (m.Status.REJECTED, reason)
    check_answers(answer, sent)
    assert register.store.positions() == []


def test_a_rejected_unmatched_instruction_redelivered_is_answered_again_not_booked(register, instruction):
    sent = instruction("10", isin="US5949181045")
    first = _read(register.instruct(sent))

    again = _read(register.instruct(sent))

    assert again == first
    assert register.store.count_instructions() == 1


def test_an_unmatched_instruction_replayed_with_other_terms_is_refused(register, instruction):
    sent = instruction("10", isin="US5949181045")
    register.instruct(sent)

    with pytest.raises(MessageRefused, match="replay with changes"):
        register.instruct(m.SettlementInstruction(**{**sent.__dict__, "isin": ISIN}))
    assert register.store.positions() == []


@pytest.mark.parametrize(("new", "old"), [(2, 1), (1, 3), (3, 2)])
def test_a_split_rescales_every_position_as_the_token_does(register, instruction, new, old):
    register.instruct(instruction("10"))
    register.instruct(instruction("0.000000000000000007", account="ACC-BOB"))
    kind = m.EventKind.SPLIT if new > old else m.EventKind.REVERSE_SPLIT

    answers = [_read(p) for p in register.corporate_action(notice(kind, new_shares=new, old_shares=old))]

    multiplier = split_multiplier(ONE, new, old)
    assert multiplier == ONE * new // old
    for account, before in (("ACC-ALICE", 10 * SHARE), ("ACC-BOB", 7)):
        expected = to_tokens_down(to_units_down(before, ONE), multiplier)
        assert register.balance(ISIN, account) == expected
    alice = next(a for a in answers if isinstance(a, m.CorporateActionMovement) and a.account == "ACC-ALICE")
    assert alice.balance == Decimal(10)
    assert alice.balance + alice.securities_posted == shares(register.balance(ISIN, "ACC-ALICE"))


def test_a_reverse_split_posts_a_debit(register, instruction):
    register.instruct(instruction("9"))

    (path,) = register.corporate_action(notice(m.EventKind.REVERSE_SPLIT, new_shares=1, old_shares=3))

    movement = _read(path)
    after = to_tokens_down(9 * SHARE, ONE // 3)  # the token's own rounding: 2.999999999999999997
    assert isinstance(movement, m.CorporateActionMovement)
    assert movement.securities_posted == shares(after - 9 * SHARE)
    assert register.balance(ISIN, "ACC-ALICE") == after


def test_a_cash_dividend_books_each_holders_entitlement_at_the_record_date(register, instruction):
    register.instruct(instruction("10"))
    register.instruct(instruction("3", account="ACC-BOB"))

    paths = register.corporate_action(
        notice(m.EventKind.CASH_DIVIDEND, dividend_per_share=Decimal("0.333"), currency="USD")
    )

    movements = {mv.account: mv for mv in map(_read, paths)}
    assert movements["ACC-ALICE"].cash_posted == Decimal("3.33")
    assert movements["ACC-BOB"].cash_posted == Decimal("0.99")
    assert register.store.cash_entitlement(ISIN, "ACC-ALICE") == "3.33"
    assert register.balance(ISIN, "ACC-ALICE") == 10 * SHARE


def test_a_replayed_corporate_action_is_applied_once(register, instruction):
    register.instruct(instruction("10"))
    split = notice(m.EventKind.SPLIT, new_shares=2, old_shares=1)
    register.corporate_action(split)

    assert register.corporate_action(split) == []
    assert register.balance(ISIN, "ACC-ALICE") == 20 * SHARE


def test_a_corporate_action_for_another_security_is_refused(register):
    other = m.CorporateActionNotification(
        "CA-9", m.EventKind.SPLIT, "US5949181045", DTI, notice(m.EventKind.SPLIT).record_date, 2, 1
    )
    with pytest.raises(MessageRefused, match="does not keep"):
        register.corporate_action(other)


def test_the_statement_lists_every_position_in_shares(register, instruction):
    register.instruct(instruction("10"))
    register.instruct(instruction("2.5", account="ACC-BOB"))
    register.corporate_action(notice(m.EventKind.SPLIT, new_shares=2, old_shares=1))

    statement = register.statement()

    assert statement.holdings == (
        m.Holding("ACC-ALICE", ISIN, DTI, Decimal(20)),
        m.Holding("ACC-BOB", ISIN, DTI, Decimal(5)),
    )
    assert codec.parse(codec.render(statement), m.HoldingsStatement) == statement


def test_a_file_the_register_does_not_take_is_refused(register, tmp_path):
    statement = Mailbox(tmp_path / "in").write(register.statement())
    with pytest.raises(MessageRefused, match="does not take semt.002"):
        register.receive_file(statement)


def test_an_instruction_measured_before_a_split_is_booked_at_that_epochs_multiplier(register, instruction):
    register.corporate_action(notice(m.EventKind.SPLIT, new_shares=2, old_shares=1))

    register.instruct(instruction("10", epoch=0))  # requested on chain before the split

    assert register.balance(ISIN, "ACC-ALICE") == 20 * SHARE


def test_an_instruction_at_an_epoch_the_register_never_had_is_refused_and_changes_nothing(
    register, instruction
):
    with pytest.raises(MessageRefused, match="epoch 3"):
        register.instruct(instruction("10", epoch=3))
    assert register.store.count_instructions() == 0


def test_a_frozen_account_can_neither_deliver_nor_receive(register, instruction):
    register.instruct(instruction("10"))
    register.set_frozen(ISIN, "ACC-ALICE", True, "court order 7")

    with pytest.raises(MessageRefused, match="frozen"):
        register.deliver("BACK-1", ISIN, "ACC-ALICE", WALLET, 4 * SHARE)
    into = _read(register.instruct(instruction("1")))

    assert (into.status, into.reason) == (m.Status.REJECTED, "ACCOUNT FROZEN")
    assert register.balance(ISIN, "ACC-ALICE") == 10 * SHARE


def test_an_unfrozen_account_delivers_again(register, instruction):
    register.instruct(instruction("10"))
    register.set_frozen(ISIN, "ACC-ALICE", True, "court order 7")
    register.set_frozen(ISIN, "ACC-ALICE", False, "lifted")

    assert isinstance(
        _read(register.deliver("BACK-1", ISIN, "ACC-ALICE", WALLET, 4 * SHARE)), m.SettlementInstruction
    )


def test_a_forced_transfer_moves_a_frozen_position_once(register, instruction):
    register.instruct(instruction("10"))
    register.set_frozen(ISIN, "ACC-ALICE", True, "court order 7")

    for _ in range(2):
        register.force_transfer("FT-1", ISIN, "ACC-ALICE", "ACC-BOB", 4 * SHARE, "court order 7")

    assert register.balance(ISIN, "ACC-ALICE") == 6 * SHARE
    assert register.balance(ISIN, "ACC-BOB") == 4 * SHARE


def test_a_forced_transfer_beyond_the_position_is_refused_and_changes_nothing(register, instruction):
    register.instruct(instruction("3"))

    with pytest.raises(MessageRefused, match="holds 3"):
        register.force_transfer("FT-2", ISIN, "ACC-ALICE", "ACC-BOB", 4 * SHARE, "court order 8")
    assert register.balance(ISIN, "ACC-ALICE") == 3 * SHARE
    assert not register.store.has_forced_transfer("FT-2")


def test_the_register_numbers_its_epochs_as_the_chain_does(register, instruction):
    register.corporate_action(
        notice(m.EventKind.CASH_DIVIDEND, "CA-D", dividend_per_share=Decimal(1), epoch=1)
    )
    register.corporate_action(notice(m.EventKind.SPLIT, "CA-S", new_shares=2, old_shares=1, epoch=2))

    register.instruct(instruction("10", epoch=1))  # requested after the record date, before the split

    assert register.store.security(ISIN).epoch == 2
    assert register.balance(ISIN, "ACC-ALICE") == 20 * SHARE


def test_a_notice_for_an_epoch_the_register_passed_is_refused(register):
    register.corporate_action(notice(m.EventKind.SPLIT, "CA-S", new_shares=2, old_shares=1, epoch=2))

    with pytest.raises(MessageRefused, match="already at 2"):
        register.corporate_action(notice(m.EventKind.SPLIT, "CA-T", new_shares=2, old_shares=1, epoch=2))


def test_shares_in_flight_to_the_register_at_a_record_date_get_the_dividend(register, instruction):
    register.corporate_action(
        notice(m.EventKind.CASH_DIVIDEND, "CA-D", dividend_per_share=Decimal("0.5"), epoch=1)
    )

    register.instruct(instruction("30", epoch=0))  # requested on chain before the record date

    assert register.store.cash_entitlement(ISIN, "ACC-ALICE") == "15.00"


def test_shares_requested_after_the_record_date_do_not_get_the_dividend(register, instruction):
    register.corporate_action(
        notice(m.EventKind.CASH_DIVIDEND, "CA-D", dividend_per_share=Decimal("0.5"), epoch=1)
    )

    register.instruct(instruction("30", epoch=1))

    assert register.store.cash_entitlement(ISIN, "ACC-ALICE") == "0"
