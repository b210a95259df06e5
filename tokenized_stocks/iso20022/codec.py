"""XML in and out: each message value through its generated `python-iso20022` class.

`render` builds the typed document (`typed.build`, which refuses an element the schema lacks) and
serialises it with the message's namespace; `parse` checks the namespace is the expected
message's, parses it with the generated class (unknown elements refused) and reads the value back.
Anything wrong raises `MessageRefused` with one line saying what.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar
from xml.etree import ElementTree

from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig

from tokenized_stocks.iso20022 import messages as m
from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.typed import build, fields_of, tree

M = TypeVar("M", bound=m.Message)


@dataclass(frozen=True)
class Schema:
    """Where a message value lives in `python-iso20022`: its version, document and root element."""

    version: str  # e.g. "sese.023.001.11"
    document: str  # generated class of the Document, e.g. "Sese02300111"
    root: str  # element under Document, e.g. "SctiesSttlmTxInstr"

    @property
    def namespace(self) -> str:
        return f"urn:iso:std:iso:20022:tech:xsd:{self.version}"

    def _module(self) -> Any:
        area, number, _, variant = self.version.split(".")[:4]
        return importlib.import_module(f"python_iso20022.{area}.{area}_{number}_001_{variant}.models")

    def document_class(self) -> Any:
        return _as_document(getattr(self._module(), self.document), self.namespace)

    def root_class(self) -> Any:
        return fields_of(self.document_class())[self.root][1]


@cache
def _as_document(generated: type, namespace: str) -> type:
    """The generated class under the standard's root element name, `Document` (the package names
    the root after the class, `Sese02300111`, which no ISO 20022 receiver accepts)."""
    meta = type("Meta", (), {"name": "Document", "namespace": namespace})
    return dataclass(type(generated.__name__, (generated,), {"Meta": meta}))


SCHEMAS: dict[type, Schema] = {
    m.SettlementInstruction: Schema("sese.023.001.11", "Sese02300111", "SctiesSttlmTxInstr"),
    m.SettlementStatus: Schema("sese.024.001.12", "Sese02400112", "SctiesSttlmTxStsAdvc"),
    m.SettlementConfirmation: Schema("sese.025.001.11", "Sese02500111", "SctiesSttlmTxConf"),
    m.CorporateActionNotification: Schema("seev.031.001.14", "Seev03100114", "CorpActnNtfctn"),
    m.CorporateActionMovement: Schema("seev.036.001.15", "Seev03600115", "CorpActnMvmntConf"),
    m.HoldingsStatement: Schema("semt.002.001.11", "Semt00200111", "SctiesBalCtdyRpt"),
    m.CashCreditNotification: Schema("camt.054.001.12", "Camt05400112", "BkToCstmrDbtCdtNtfctn"),
}
BY_NAMESPACE = {schema.namespace: kind for kind, schema in SCHEMAS.items()}


def document(message: m.Message) -> Any:
    """The generated Document instance of a message value."""
    schema = SCHEMAS[type(message)]
    return build(schema.document_class(), {schema.root: message.to_tree()}, schema.version)


def render(message: m.Message) -> str:
    """The message as ISO 20022 XML (with its declaration and namespace)."""
    namespace = SCHEMAS[type(message)].namespace
    serializer = XmlSerializer(config=SerializerConfig(xml_declaration=True, indent="  "))
    return serializer.render(document(message), ns_map={None: namespace})


def namespace_of(xml: str | bytes) -> str:
    """The namespace of the Document element; a text that is not XML is refused."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise MessageRefused(f"malformed XML: {exc}") from None
    if not root.tag.startswith("{") or not root.tag.endswith("}Document"):
        raise MessageRefused(f"not an ISO 20022 Document: root element {root.tag!r}")
    return root.tag[1:].split("}")[0]


def kind_of(xml: str | bytes) -> type[m.Message]:
    """The message value type of an XML document, by its namespace."""
    namespace = namespace_of(xml)
    if namespace not in BY_NAMESPACE:
        raise MessageRefused(f"unsupported message {namespace}")
    return BY_NAMESPACE[namespace]


def parse(xml: str | bytes, kind: type[M]) -> M:
    """The `kind` message in `xml`; refused if it is another message, malformed or incomplete."""
    schema = SCHEMAS[kind]
    found = namespace_of(xml)
    if found != schema.namespace:
        raise MessageRefused(f"expected a {kind.KIND} ({schema.namespace}), got {found}")
    text = xml.decode() if isinstance(xml, bytes) else xml
    try:
        parsed = schema.document_class().from_iso20022_xml(text)
    except ValueError as exc:
        raise MessageRefused(f"malformed {kind.KIND}: {str(exc).splitlines()[0]}") from None
    body = tree(parsed).get(schema.root)
    if not body:
        raise MessageRefused(f"malformed {kind.KIND}: no {schema.root} element")
    try:
        return kind.from_tree(body)  # type: ignore[return-value]
    except MessageRefused:
        raise
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError) as exc:
        raise MessageRefused(f"malformed {kind.KIND}: {exc}") from None
