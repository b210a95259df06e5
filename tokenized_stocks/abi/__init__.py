"""The JSON ABIs of the suite's deployable contracts, shipped as package data.

Services (the relayer, the sanctions keeper) build their calls, log filters and error tables from
these instead of hand-hashed selectors and topics, so a contract change cannot silently leave a
hashed signature behind. The files are exported from the compiled project by
`make abi` (`python -m tokenized_stocks.devtools.abi`); `tests/unit/toolchain/test_abi_package.py`
fails, naming that command, when they differ from a fresh compile.

`ChainalysisOracleMock` stands for the external Chainalysis oracle, whose events the keeper reads.
`IERC7943Fungible` (the final ERC-7943 text) and `ITransferDiagnostic` are the published
interfaces every asset implements: integrators (and `ape run diagnose`) call any asset through
them, never through one asset's own ABI. `GovernanceTimelock` is what the admin CLI schedules, executes
and cancels operations on (through the Safe), and reads their `CallScheduled` events from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any, cast

from eth_abi import decode
from eth_typing import ABIEvent
from eth_utils.abi import event_abi_to_log_topic, function_abi_to_4byte_selector, get_abi_input_types

__all__ = ["CONTRACTS", "Event", "event", "interface_id", "load_abi", "names"]

#: Every contract whose ABI ships with the package (one `<Name>.json` each).
CONTRACTS = (
    "AttestedFeed",
    "BallotBox",
    "CertificateVault",
    "ChainalysisOracleMock",
    "DividendDistributor",
    "DvP",
    "Gateway",
    "GovernanceTimelock",
    "HybridDvP",
    "IERC7943Fungible",
    "ITransferDiagnostic",
    "InvestorRegistry",
    "OrderDesk",
    "OrderToken",
    "OrderVault",
    "RegistryShare",
    "SanctionsList",
    "ShareExtension",
    "TrackerCertificate",
    "TraditionalLedgerAdapter",
)


def names() -> list[str]:
    """The contracts whose ABI files are present in the installed package."""
    return sorted(
        p.name[: -len(".json")] for p in resources.files(__name__).iterdir() if p.name.endswith(".json")
    )


@cache
def _text(name: str) -> str:
    if name not in CONTRACTS:
        raise KeyError(f"no ABI shipped for {name!r}; shipped: {', '.join(CONTRACTS)}")
    return resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")


def load_abi(name: str) -> list[dict[str, Any]]:
    """The ABI of contract `name` (a fresh list each call: callers may not share mutations)."""
    return json.loads(_text(name))


def interface_id(name: str) -> bytes:
    """The ERC-165 id of the shipped interface `name`: the XOR of the selectors of the functions it
    declares itself (`supportsInterface`, inherited from ERC-165, is not one of them)."""
    value = 0
    for entry in load_abi(name):
        if entry["type"] == "function" and entry["name"] != "supportsInterface":
            value ^= int.from_bytes(function_abi_to_4byte_selector(entry), "big")  # type: ignore[arg-type]
    return value.to_bytes(4, "big")


class Event:
    """One event of an ABI: its topic, and a decoder of raw `eth_getLogs` / receipt logs.

    Decodes with eth-abi directly (~50us a log, where web3's `process_log` takes ~1ms): a relayer
    or keeper reading thousands of logs feels the difference. Tuples stay positional."""

    def __init__(self, entry: Mapping[str, Any]) -> None:
        self.name = str(entry["name"])
        self.topic = bytes(event_abi_to_log_topic(dict(entry)))  # type: ignore[arg-type]
        self._indexed = [(i["name"], i["type"]) for i in entry["inputs"] if i["indexed"]]
        data = [i for i in entry["inputs"] if not i["indexed"]]
        self._names = [i["name"] for i in data]
        self._types = get_abi_input_types(cast("ABIEvent", {**entry, "inputs": data}))

    def matches(self, raw: Mapping[str, Any]) -> bool:
        """Whether a raw log is this event (its first topic, and one topic per indexed input)."""
        topics = raw.get("topics") or []
        return len(topics) == 1 + len(self._indexed) and _bytes(topics[0]) == self.topic

    def args(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """The named arguments of a raw log of this event (an indexed dynamic value stays its hash)."""
        values = dict(zip(self._names, decode(self._types, _bytes(raw.get("data") or b"")), strict=True))
        for (name, kind), topic in zip(self._indexed, raw["topics"][1:], strict=True):
            word = _bytes(topic)
            static = kind != "string" and kind != "bytes" and "[" not in kind and "(" not in kind
            values[name] = decode([kind], word)[0] if static else word
        return values


def _bytes(value: Any) -> bytes:
    """A topic or log data (bytes, HexBytes or 0x-hex text) as bytes."""
    return bytes.fromhex(value.removeprefix("0x")) if isinstance(value, str) else bytes(value)


@cache
def event(contract: str, name: str) -> Event:
    """The event `name` of contract `contract`'s shipped ABI."""
    for entry in json.loads(_text(contract)):
        if entry["type"] == "event" and entry["name"] == name:
            return Event(entry)
    raise KeyError(f"{contract} has no event {name!r}")
