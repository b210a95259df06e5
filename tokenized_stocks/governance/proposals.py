"""Timelock operations proposed, confirmed and executed through the issuer's Safe with ape-safe.

A dangerous change is two Safe transactions: `schedule` on the timelock (the Safe is its only
proposer), then, once the delay has passed, `execute` (the Safe is its only executor). Each Safe
transaction is proposed by one owner (signed and posted to the Safe transaction service, ape-safe's
mock service on a local chain), confirmed by further owners until the threshold, then submitted.

    op = TimelockOperation.of(gateway, "setThreshold", 3)
    tx_id = propose(safe, op.schedule_call(timelock, delay), owner_a)
    confirm(safe, tx_id, owner_b)
    execute(safe, tx_id, owner_a)            # scheduled; after the delay:
    tx_id = propose(safe, op.execute_call(timelock), owner_a) ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ZERO32 = b"\x00" * 32


@dataclass(frozen=True)
class Call:
    """One call the Safe makes: target and calldata."""

    to: str
    data: bytes


@dataclass(frozen=True)
class TimelockOperation:
    """One operation of the timelock: a call of `target` with `data` (OZ `hashOperation` terms)."""

    target: str
    data: bytes
    value: int = 0
    predecessor: bytes = ZERO32
    salt: bytes = field(default=ZERO32)

    @classmethod
    def of(cls, contract: Any, method: str, *args: Any, salt: bytes = ZERO32) -> TimelockOperation:
        """`contract.method(*args)` as a timelock operation."""
        data = bytes(getattr(contract, method).encode_input(*args))
        return cls(str(contract.address), data, salt=salt)

    def id(self, timelock: Any) -> bytes:
        return bytes(timelock.hashOperation(self.target, self.value, self.data, self.predecessor, self.salt))

    def schedule_call(self, timelock: Any, delay: int) -> Call:
        data = timelock.schedule.encode_input(
            self.target, self.value, self.data, self.predecessor, self.salt, delay
        )
        return Call(str(timelock.address), bytes(data))

    def execute_call(self, timelock: Any) -> Call:
        data = timelock.execute.encode_input(self.target, self.value, self.data, self.predecessor, self.salt)
        return Call(str(timelock.address), bytes(data))

    def cancel_call(self, timelock: Any) -> Call:
        return Call(str(timelock.address), bytes(timelock.cancel.encode_input(self.id(timelock))))


def propose(safe: Any, call: Call, owner: Any) -> Any:
    """`owner` signs a Safe transaction making `call` and posts it to the Safe transaction service.
    Returns its Safe transaction hash (the id further owners confirm)."""
    safe_tx = safe.create_safe_tx(to=call.to, data=call.data, value=0)
    return safe.propose_safe_tx(
        safe_tx, submitter=owner, sigs_by_signer={owner.address: owner.sign_message(safe_tx)}
    )


def _safe_tx(safe: Any, safe_tx_id: Any) -> Any:
    from ape import chain

    return safe.client.get_safe_tx(safe_tx_id).as_safe_tx(version=str(safe.version), chain_id=chain.chain_id)


def confirm(safe: Any, safe_tx_id: Any, owner: Any) -> None:
    """`owner` signs the proposed Safe transaction `safe_tx_id` and posts the signature."""
    signature = owner.sign_message(_safe_tx(safe, safe_tx_id))
    safe.client.post_signatures(safe_tx_id, {owner.address: signature})


def signatures(safe: Any, safe_tx_id: Any) -> dict[Any, Any]:
    """The owners' signatures the service holds for `safe_tx_id`."""
    return {c.owner: c.signature for c in safe.client.get_confirmations(safe_tx_id)}


def execute(safe: Any, safe_tx_id: Any, submitter: Any) -> Any:
    """Submits `safe_tx_id` with the collected signatures (`Safe.execTransaction`, sent and paid by
    `submitter`). ape-safe refuses it before sending when fewer owners than the threshold signed."""
    txn = safe.create_execute_transaction(
        _safe_tx(safe, safe_tx_id), signatures(safe, safe_tx_id), submitter=submitter
    )
    return submitter.call(txn)
