"""Every message type is built through the generated classes, serialised with its namespace,
parsed back to the same value, and names the security by ISIN and DTI."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from samples import DTI, ISIN, SAMPLES

from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022.messages import Message

CASES = list(SAMPLES.items())


@pytest.mark.parametrize(("name", "message"), CASES, ids=[c[0] for c in CASES])
def test_a_message_parses_back_to_the_same_value(name: str, message: Message):
    assert codec.parse(codec.render(message), type(message)) == message


@pytest.mark.parametrize(("name", "message"), CASES, ids=[c[0] for c in CASES])
def test_the_xml_of_a_parsed_message_is_the_xml_it_came_from(name: str, message: Message):
    xml = codec.render(message)
    assert codec.render(codec.parse(xml, type(message))) == xml


@pytest.mark.parametrize(("name", "message"), CASES, ids=[c[0] for c in CASES])
def test_the_document_is_in_the_namespace_of_its_message(name: str, message: Message):
    root = ElementTree.fromstring(codec.render(message))
    schema = codec.SCHEMAS[type(message)]
    assert root.tag == f"{{{schema.namespace}}}Document"
    assert root[0].tag == f"{{{schema.namespace}}}{schema.root}"
    assert schema.version.startswith(message.KIND)


@pytest.mark.parametrize(("name", "message"), CASES, ids=[c[0] for c in CASES])
def test_every_message_carries_the_isin_and_the_dti(name: str, message: Message):
    xml = codec.render(message)
    assert ISIN in xml
    assert DTI in xml


@pytest.mark.parametrize(("name", "message"), CASES, ids=[c[0] for c in CASES])
def test_the_kind_of_a_document_is_read_from_its_namespace(name: str, message: Message):
    assert codec.kind_of(codec.render(message)) is type(message)
