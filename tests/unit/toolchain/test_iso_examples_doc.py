"""docs/iso20022.md is what `python -m tokenized_stocks.devtools.iso_examples` generates."""

from __future__ import annotations

from tokenized_stocks.devtools.iso_examples import DOC, examples, render
from tokenized_stocks.iso20022 import codec


def test_the_iso20022_document_is_generated_not_edited():
    assert DOC.read_text() == render(), "run `python -m tokenized_stocks.devtools.iso_examples`"


def test_the_document_has_an_example_of_every_message_type():
    assert {type(message) for _, message in examples()} == set(codec.SCHEMAS)
