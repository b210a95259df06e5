"""Malformed, replayed or mismatched messages are refused with one clear error and change nothing."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from samples import CONFIRMATION, INSTRUCTION, REJECTION, SAMPLES

from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.mailbox import Journal, Mailbox
from tokenized_stocks.iso20022.matching import check_answers
from tokenized_stocks.iso20022.messages import SettlementConfirmation, SettlementInstruction


def test_text_that_is_not_xml_is_refused():
    with pytest.raises(MessageRefused, match="malformed XML"):
        codec.parse("<Document", SettlementConfirmation)


def test_another_message_type_is_refused():
    with pytest.raises(MessageRefused, match="expected a sese.025"):
        codec.parse(codec.render(INSTRUCTION), SettlementConfirmation)


def test_an_element_the_schema_does_not_have_is_refused():
    xml = codec.render(CONFIRMATION).replace("<SttldQty>", "<Bogus>1</Bogus><SttldQty>")
    with pytest.raises(MessageRefused, match="malformed sese.025"):
        codec.parse(xml, SettlementConfirmation)


def test_a_message_without_its_dti_is_refused():
    xml = codec.render(CONFIRMATION)
    start, end = xml.index("<OthrId>"), xml.index("</OthrId>") + len("</OthrId>")
    with pytest.raises(MessageRefused, match="exactly one DTI"):
        codec.parse(xml[:start] + xml[end:], SettlementConfirmation)


def test_a_message_with_an_invalid_isin_is_refused():
    xml = codec.render(CONFIRMATION).replace("US0378331005", "US0378331006")
    with pytest.raises(MessageRefused, match="not a valid ISIN"):
        codec.parse(xml, SettlementConfirmation)


def test_a_message_missing_a_required_element_is_refused():
    xml = codec.render(CONFIRMATION)
    start, end = xml.index("<SttldQty>"), xml.index("</SttldQty>") + len("</SttldQty>")
    with pytest.raises(MessageRefused, match="SttldQty"):
        codec.parse(xml[:start] + xml[end:], SettlementConfirmation)


def test_a_quantity_that_is_not_a_number_is_refused():
    xml = codec.render(CONFIRMATION).replace("<Unit>12.5</Unit>", "<Unit>twelve</Unit>")
    with pytest.raises(MessageRefused):
        codec.parse(xml, SettlementConfirmation)


def test_building_a_message_with_a_malformed_dti_is_refused():
    with pytest.raises(MessageRefused, match="ISO 24165"):
        codec.render(replace(INSTRUCTION, dti="AEIOU1234"))


def test_building_a_rejection_without_a_reason_is_refused():
    with pytest.raises(MessageRefused, match="reason"):
        codec.render(replace(REJECTION, reason=""))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reference", "CD" * 16),
        ("isin", "US5949181045"),
        ("quantity", Decimal("12.4")),
        ("account", "ACC-MALLORY"),
        ("dti", "4H95J0R2Z"),
    ],
)
def test_a_confirmation_that_does_not_match_its_instruction_is_refused(field: str, value: object):
    answer = replace(CONFIRMATION, **{field: value})
    with pytest.raises(MessageRefused, match=f"{field} is {value}"):
        check_answers(answer, INSTRUCTION)


def test_a_confirmation_that_matches_its_instruction_passes():
    check_answers(CONFIRMATION, INSTRUCTION)


def test_a_replayed_message_is_refused(tmp_path: Path):
    journal = Journal(tmp_path / "journal.sqlite")
    journal.check_new(CONFIRMATION)
    journal.record(CONFIRMATION)

    with pytest.raises(MessageRefused, match="already processed"):
        journal.check_new(CONFIRMATION)


def test_the_journal_remembers_across_a_restart(tmp_path: Path):
    Journal(tmp_path / "journal.sqlite").record(CONFIRMATION)
    assert Journal(tmp_path / "journal.sqlite").seen(CONFIRMATION)


def test_the_mailbox_writes_numbered_files_an_operator_can_read(tmp_path: Path):
    box = Mailbox(tmp_path / "out")
    first = box.write(INSTRUCTION)
    second = box.write(CONFIRMATION)

    assert [p.name for p in box.files()] == [first.name, second.name]
    assert first.name.startswith("0001-sese.023-")
    assert second.name.startswith("0002-sese.025-REG-1")
    assert Mailbox.read(first, SettlementInstruction) == INSTRUCTION


@pytest.mark.parametrize("name", list(SAMPLES))
def test_a_truncated_document_is_refused(name: str):
    xml = codec.render(SAMPLES[name])
    with pytest.raises(MessageRefused, match="malformed"):
        codec.parse(xml[: len(xml) // 2], type(SAMPLES[name]))


def test_a_corporate_action_reference_that_is_not_an_epoch_is_refused():
    xml = codec.render(replace(INSTRUCTION, epoch=2)).replace("EPOCH-2", "SPLIT-2")
    with pytest.raises(MessageRefused, match="not EPOCH-<n>"):
        codec.parse(xml, SettlementInstruction)


def test_a_file_moved_to_a_subfolder_keeps_its_number_to_itself(tmp_path: Path):
    box = Mailbox(tmp_path / "in")
    first = box.write(INSTRUCTION)
    (box.folder / "done").mkdir()
    first.replace(box.folder / "done" / first.name)

    second = box.write(CONFIRMATION)

    assert second.name.startswith("0002-")
