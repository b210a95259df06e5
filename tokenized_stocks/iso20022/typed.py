"""Builds and reads the generated ISO 20022 classes (`python-iso20022`, xsdata) from element trees.

A message is written as a nested mapping keyed by the XML element names of the standard
(`{"TxId": ..., "FinInstrmId": {"ISIN": ...}}`); `build` instantiates the generated class of every
element from it, so an element name the schema does not have, or a value of the wrong type, is
refused at build time, not discovered by the receiver. `tree` is the inverse: it turns a parsed
message back into the same mapping (empty elements dropped), which is what the parsers read.
Attributes (`Ccy`) use their attribute name; the text of a simple-content element is `"value"`.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from xsdata.models.datatype import XmlDate, XmlDateTime

from tokenized_stocks.iso20022.errors import MessageRefused

Tree = dict[str, Any]


@cache
def fields_of(cls: Any) -> dict[str, tuple[str, Any, bool]]:
    """Element name -> (attribute name, element type, is a list) of a generated class."""
    hints = typing.get_type_hints(cls)
    out: dict[str, tuple[str, Any, bool]] = {}
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = args[0] if args and typing.get_origin(hint) is not list else hint
        many = typing.get_origin(inner) is list
        if many:
            inner = typing.get_args(inner)[0]
        out[f.metadata.get("name") or f.name] = (f.name, inner, many)
    return out


def _scalar(kind: Any, value: Any, where: str) -> Any:
    try:
        return _convert(kind, value, where)
    except (ValueError, ArithmeticError) as exc:
        if isinstance(exc, MessageRefused):
            raise
        raise MessageRefused(f"{where}: {value!r} is not a valid {getattr(kind, '__name__', kind)}") from None


def _convert(kind: Any, value: Any, where: str) -> Any:
    if dataclasses.is_dataclass(kind):
        if not isinstance(value, Mapping):
            raise MessageRefused(f"{where}: expected a group of elements, got {value!r}")
        return build(kind, value, where)
    if isinstance(value, Mapping | list):
        raise MessageRefused(f"{where}: expected a value, got a group of elements")
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return kind(value)
        except ValueError:
            raise MessageRefused(f"{where}: {value!r} is not a code of {kind.__name__}") from None
    if kind is Decimal:
        return Decimal(value)
    if kind is bool:
        return bool(value)
    if kind is XmlDate:
        return value if isinstance(value, XmlDate) else XmlDate.from_string(str(value))
    if kind is XmlDateTime:
        return value if isinstance(value, XmlDateTime) else XmlDateTime.from_string(str(value))
    return str(value)


def build(cls: Any, tree: Mapping[str, Any], where: str = "") -> Any:
    """An instance of generated class `cls` from a tree keyed by element names."""
    fields = fields_of(cls)
    kwargs: dict[str, Any] = {}
    for name, value in tree.items():
        if name not in fields:
            raise MessageRefused(f"{where}/{name}: no such element in {cls.__name__}")
        attr, kind, many = fields[name]
        path = f"{where}/{name}"
        if many:
            items = value if isinstance(value, list) else [value]
            kwargs[attr] = [_scalar(kind, item, path) for item in items]
        else:
            kwargs[attr] = _scalar(kind, value, path)
    return cls(**kwargs)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tree(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, XmlDate | XmlDateTime):
        return str(value)
    return value


def tree(instance: Any) -> Tree:
    """The element tree of a generated instance (the inverse of `build`), empty elements left out."""
    out: Tree = {}
    for name, (attr, _kind, many) in fields_of(instance.__class__).items():
        value = getattr(instance, attr)
        if value is None or (many and not value):
            continue
        out[name] = [_plain(v) for v in value] if many else _plain(value)
    return out


def at(node: Mapping[str, Any], path: str, default: Any = ...) -> Any:
    """The value at a `/`-separated element path; a missing element refuses the message (unless a
    default is given). A list on the way is entered at its first item."""
    current: Any = node
    for part in path.split("/"):
        if isinstance(current, list):
            current = current[0] if current else None
        if not isinstance(current, Mapping) or part not in current:
            if default is not ...:
                return default
            raise MessageRefused(f"missing element {path}")
        current = current[part]
    return current
