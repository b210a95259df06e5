"""Which code answers a selector of the registry share: the share's own function, or (through its
`fallback`) the ShareExtension by delegatecall. Read from the published ABIs, no chain needed.

A selector both contracts define is answered by the share; a clash (one selector, two different
signatures) would route a caller's call to the wrong function, so none may exist. Every state-changing
function of the extension must be reachable through the share (its own forwarder or the fallback)
with the same signature."""

import json
from pathlib import Path
from typing import Any

from eth_utils import keccak

ABI_DIR = Path(__file__).resolve().parents[3] / "tokenized_stocks" / "abi"


def canonical(entry: dict[str, Any]) -> str:
    if entry["type"].startswith("tuple"):
        return "(" + ",".join(canonical(c) for c in entry["components"]) + ")" + entry["type"][5:]
    return str(entry["type"])


def selectors(contract: str) -> dict[bytes, dict[str, Any]]:
    abi = json.loads((ABI_DIR / f"{contract}.json").read_text())
    functions = {}
    for entry in abi:
        if entry["type"] == "function":
            signature = f"{entry['name']}({','.join(canonical(i) for i in entry['inputs'])})"
            functions[keccak(text=signature)[:4]] = {**entry, "signature": signature}
    return functions


SHARE = selectors("RegistryShare")
EXTENSION = selectors("ShareExtension")


def test_no_selector_of_the_extension_clashes_with_another_function_of_the_share():
    clashes = [
        (EXTENSION[s]["signature"], SHARE[s]["signature"])
        for s in EXTENSION.keys() & SHARE.keys()
        if EXTENSION[s]["signature"] != SHARE[s]["signature"]
    ]
    assert clashes == []


def test_each_contract_has_no_internal_selector_clash():
    for functions in (SHARE, EXTENSION):
        signatures = [f["signature"] for f in functions.values()]
        assert len(set(signatures)) == len(signatures)


def test_an_action_both_define_is_declared_with_the_same_mutability_on_the_share():
    """A forwarder on the share must not be a view of an extension action (a STATICCALL would then
    revert) nor take ether the extension does not expect."""
    differ = [
        SHARE[s]["signature"]
        for s in EXTENSION.keys() & SHARE.keys()
        if EXTENSION[s]["stateMutability"] in ("nonpayable", "payable")
        and SHARE[s]["stateMutability"] != EXTENSION[s]["stateMutability"]
    ]
    assert differ == []


def test_the_share_declares_no_payable_function_but_the_uups_upgrade():
    """OZ's `upgradeToAndCall(address,bytes)` is payable (the value goes to the upgrade's call) and
    is the admin's alone; nothing else of the share, nor of its extension, takes ether."""
    payable = [f["signature"] for f in {**EXTENSION, **SHARE}.values() if f["stateMutability"] == "payable"]
    assert payable == ["upgradeToAndCall(address,bytes)"]
