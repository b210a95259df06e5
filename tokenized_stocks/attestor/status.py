"""The operator set and threshold in force on each chain, read from the gateways themselves, and
the differences between chains (a rotation done on one chain and not yet on another).

The gateway keeps a membership flag per operator and a count, not a list: the set is replayed from
its `OperatorAdded` / `OperatorRemoved` events and checked against `operatorSet()` and
`isOperator` (a replay that disagrees with the contract is reported, never trusted)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from eth_abi import decode, encode
from eth_typing import ABIFunction
from eth_utils import function_abi_to_4byte_selector, to_checksum_address

from tokenized_stocks.abi import event, load_abi
from tokenized_stocks.attestor.chain import SourceChain

_FUNCTIONS = {e["name"]: e for e in load_abi("Gateway") if e["type"] == "function"}
ADDED = event("Gateway", "OperatorAdded")
REMOVED = event("Gateway", "OperatorRemoved")


def _view(
    source: SourceChain, name: str, types: Sequence[str], args: Sequence[Any], out: Sequence[str]
) -> tuple[Any, ...]:
    selector = function_abi_to_4byte_selector(cast("ABIFunction", _FUNCTIONS[name]))
    data = "0x" + (selector + encode(list(types), list(args))).hex()
    result = source.call("eth_call", {"to": source.gateway, "data": data}, "latest")
    return tuple(decode(list(out), bytes.fromhex(str(result)[2:])))


@dataclass
class OperatorSet:
    """One gateway's attestation rule now."""

    chain_id: int
    gateway: str
    operators: list[str]
    threshold: int
    count: int
    problems: list[str] = field(default_factory=list)


def operator_set(source: SourceChain, from_block: int = 0, chunk: int = 50_000) -> OperatorSet:
    """Replays the operator events of `source`'s gateway and checks them against its views."""
    members: dict[str, bool] = {}
    head = source.block_number()
    topics = ["0x" + ADDED.topic.hex(), "0x" + REMOVED.topic.hex()]
    start = from_block
    while start <= head:
        end = min(head, start + chunk - 1)
        logs = source.call(
            "eth_getLogs",
            {"address": source.gateway, "fromBlock": hex(start), "toBlock": hex(end), "topics": [topics]},
        )
        for entry in logs:
            added = ADDED.matches(entry)
            operator = str(to_checksum_address((ADDED if added else REMOVED).args(entry)["operator"]))
            members[operator] = added
        start = end + 1
    operators: list[str] = sorted((a for a, on in members.items() if on), key=lambda a: int(a, 16))
    count, threshold = (int(v) for v in _view(source, "operatorSet", [], [], ["uint256", "uint256"]))
    result = OperatorSet(source.chain_id, source.gateway, operators, threshold, count)
    if count != len(operators):
        result.problems.append(f"the events give {len(operators)} operators, the gateway counts {count}")
    for operator in operators:
        if not _view(source, "isOperator", ["address"], [operator], ["bool"])[0]:
            result.problems.append(f"{operator} is not an operator according to isOperator")
    return result


def mismatches(sets: Sequence[OperatorSet]) -> list[str]:
    """What differs between the chains' operator sets and thresholds (empty: they agree)."""
    if len(sets) < 2:
        return []
    found: list[str] = []
    first = sets[0]
    for other in sets[1:]:
        missing = sorted(set(first.operators) - set(other.operators))
        extra = sorted(set(other.operators) - set(first.operators))
        if missing:
            found.append(
                f"chain {other.chain_id} lacks operator(s) {', '.join(missing)} of chain {first.chain_id}"
            )
        if extra:
            found.append(
                f"chain {other.chain_id} has operator(s) {', '.join(extra)} that chain {first.chain_id} has not"
            )
        if other.threshold != first.threshold:
            found.append(
                f"threshold {other.threshold} on chain {other.chain_id}, {first.threshold} on chain {first.chain_id}"
            )
    return found
