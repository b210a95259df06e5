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

`ape run admin ... --safe` builds the same operations from a command (several calls: one
`scheduleBatch`), salted with `operation_salt` so the id is unique and every owner derives the same;
`scheduled_operation` rebuilds a scheduled operation from the timelock's events for its execution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

ZERO32 = b"\x00" * 32
#: The domain of `operation_salt`: a salt of this suite's admin CLI, never another tool's.
SALT_DOMAIN = "tokenized-stocks/timelock-operation"


@dataclass(frozen=True)
class Call:
    """One call the Safe makes: target and calldata."""

    to: str
    data: bytes


def operation_salt(safe: str, safe_nonce: int) -> bytes:
    """The salt of an operation the Safe `safe` schedules in its Safe transaction of nonce
    `safe_nonce`: `keccak256(abi.encode(SALT_DOMAIN, safe, safe_nonce))`. Reproducible (any owner
    derives the same salt, so the same SafeTx, from the command and the Safe's nonce) and unique (a
    Safe runs each nonce once), so the same calls can be scheduled again later under a new id."""
    return keccak(
        encode(["string", "address", "uint256"], [SALT_DOMAIN, to_checksum_address(safe), safe_nonce])
    )


@dataclass(frozen=True)
class TimelockOperation:
    """One operation of the timelock: the calls `targets[i]` with `payloads[i]` and `values[i]` (OZ
    `hashOperation` terms for one call, `hashOperationBatch` for a batch: several calls, atomic).
    `batch` says which of the timelock's forms it is scheduled with (`schedule` or `scheduleBatch`)."""

    targets: tuple[str, ...]
    payloads: tuple[bytes, ...]
    values: tuple[int, ...] = ()
    predecessor: bytes = ZERO32
    salt: bytes = field(default=ZERO32)
    batch: bool = False

    def __post_init__(self) -> None:
        if not self.values:
            object.__setattr__(self, "values", (0,) * len(self.targets))
        if not self.targets or len({len(self.targets), len(self.payloads), len(self.values)}) != 1:
            raise ValueError(
                "a timelock operation is one or more calls, each a target, a payload and a value"
            )
        if len(self.targets) > 1 and not self.batch:
            raise ValueError("several calls are one batch (scheduleBatch)")

    @classmethod
    def of(cls, contract: Any, method: str, *args: Any, salt: bytes = ZERO32) -> TimelockOperation:
        """`contract.method(*args)` as a timelock operation."""
        data = bytes(getattr(contract, method).encode_input(*args))
        return cls((str(contract.address),), (data,), salt=salt)

    @classmethod
    def of_calls(cls, calls: Sequence[tuple[str, bytes]], salt: bytes = ZERO32) -> TimelockOperation:
        """(target, calldata) pairs as one operation: one call is `schedule`d, several a batch."""
        return cls(
            tuple(str(to) for to, _ in calls),
            tuple(bytes(data) for _, data in calls),
            salt=salt,
            batch=len(calls) > 1,
        )

    @property
    def target(self) -> str:
        return self._single()[0]

    @property
    def data(self) -> bytes:
        return self._single()[1]

    @property
    def value(self) -> int:
        return self._single()[2]

    def _single(self) -> tuple[str, bytes, int]:
        if self.batch:
            raise ValueError("a batch has several targets")
        return self.targets[0], self.payloads[0], self.values[0]

    @property
    def id(self) -> bytes:
        """The timelock's operation id, as `hashOperation` / `hashOperationBatch` compute it."""
        if self.batch:
            types = ["address[]", "uint256[]", "bytes[]", "bytes32", "bytes32"]
            terms: list[Any] = [list(self.targets), list(self.values), list(self.payloads)]
        else:
            types = ["address", "uint256", "bytes", "bytes32", "bytes32"]
            terms = [self.target, self.value, self.data]
        return keccak(encode(types, [*terms, self.predecessor, self.salt]))

    @property
    def schedule_function(self) -> str:
        return "scheduleBatch" if self.batch else "schedule"

    @property
    def execute_function(self) -> str:
        return "executeBatch" if self.batch else "execute"

    def _terms(self) -> tuple[Any, ...]:
        if self.batch:
            return (list(self.targets), list(self.values), list(self.payloads), self.predecessor, self.salt)
        return (self.target, self.value, self.data, self.predecessor, self.salt)

    def schedule_args(self, delay: int) -> tuple[Any, ...]:
        """The arguments of `schedule_function` with `delay` seconds."""
        return (*self._terms(), delay)

    def execute_args(self) -> tuple[Any, ...]:
        """The arguments of `execute_function`."""
        return self._terms()

    def schedule_call(self, timelock: Any, delay: int) -> Call:
        data = getattr(timelock, self.schedule_function).encode_input(*self.schedule_args(delay))
        return Call(str(timelock.address), bytes(data))

    def execute_call(self, timelock: Any) -> Call:
        data = getattr(timelock, self.execute_function).encode_input(*self.execute_args())
        return Call(str(timelock.address), bytes(data))

    def cancel_call(self, timelock: Any) -> Call:
        return Call(str(timelock.address), bytes(timelock.cancel.encode_input(self.id)))


@dataclass(frozen=True)
class ScheduledOperation:
    """What the timelock's events say of one operation id: its calls (`CallScheduled`, the salt from
    `CallSalt`), the delay it was scheduled with, the block, and whether it was cancelled after its
    latest scheduling or executed (`Cancelled`, `CallExecuted`)."""

    operation: TimelockOperation
    delay: int
    block: int
    cancelled: bool
    executed: bool


def scheduled_operation(timelock: str, operation_id: bytes, from_block: int = 0) -> ScheduledOperation | None:
    """The operation `operation_id` as the timelock at `timelock` scheduled it, rebuilt from its
    events (the chain is the record), or None when it was never scheduled. An id scheduled again
    after a cancellation is read from its latest scheduling (the same calls: the id hashes them)."""
    from ape import chain

    from tokenized_stocks.abi import event

    def logs(name: str) -> list[tuple[int, int, dict[str, Any]]]:
        kind = event("GovernanceTimelock", name)
        raw = chain.provider.web3.eth.get_logs(
            {
                "address": to_checksum_address(timelock),
                "fromBlock": from_block,
                "toBlock": "latest",
                "topics": ["0x" + kind.topic.hex(), "0x" + bytes(operation_id).hex()],
            }
        )
        return [(int(r["blockNumber"]), int(r["logIndex"]), kind.args(r)) for r in raw if kind.matches(r)]

    scheduled = logs("CallScheduled")
    if not scheduled:
        return None
    block = max(b for b, _, _ in scheduled)
    by_index = {int(a["index"]): a for b, _, a in scheduled if b == block}
    calls = sorted(by_index.items())
    salts = [a["salt"] for b, _, a in logs("CallSalt") if b == block]
    salt = bytes(salts[-1]) if salts else ZERO32
    first = calls[0][1]
    targets = tuple(to_checksum_address(a["target"]) for _, a in calls)
    payloads = tuple(bytes(a["data"]) for _, a in calls)
    values = tuple(int(a["value"]) for _, a in calls)
    predecessor = bytes(first["predecessor"])
    # one call is `schedule` or a `scheduleBatch` of one: the id says which
    single, batch = (
        TimelockOperation(targets, payloads, values, predecessor, salt, batch=many)
        for many in (len(calls) > 1, True)
    )
    operation = single if single.id == bytes(operation_id) else batch
    return ScheduledOperation(
        operation,
        int(first["delay"]),
        block,
        cancelled=any(b >= block for b, _, _ in logs("Cancelled")),
        executed=bool(logs("CallExecuted")),
    )


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
