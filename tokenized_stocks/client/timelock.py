"""Admin plans the timelock runs: scheduled through the Safe, then executed (or cancelled) by it.

In a governed deployment (`ape run deploy --governance safe`) the dangerous powers are the
`GovernanceTimelock`'s, and its only proposer, executor and canceller is the issuer's Safe. An admin
plan that needs such a role, asked with `--safe`, becomes one timelock operation (one call:
`schedule`; several calls of one command: `scheduleBatch`, atomic) with the timelock's min delay and
the salt `operation_salt(safe, safe nonce)`: the id is reproducible (every owner who runs the same
command derives the same SafeTx to sign) and unique (the same change can be scheduled again later).

`status` reads an operation back from the chain: `getOperationState` and the timelock's events
(`CallScheduled`, `CallSalt`, `Cancelled`), which hold the calls; `execute` and `cancel` propose the
Safe transaction calling `execute`/`executeBatch` or `cancel` with those calls, once the state
allows it, and refuse in one line otherwise (nothing sent).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tokenized_stocks.client.admin import TIMELOCK, Admin, Call, Outcome, Plan
from tokenized_stocks.governance.proposals import (
    ScheduledOperation,
    TimelockOperation,
    operation_salt,
    scheduled_operation,
)
from tokenized_stocks.protocol.display import duration, when
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.protocol.roles import CANCELLER_ROLE, EXECUTOR_ROLE, OperationState

#: What `status` calls each state: OZ's four, and a scheduling that was cancelled.
STATES = {
    OperationState.UNSET: "unset",
    OperationState.WAITING: "waiting",
    OperationState.READY: "ready",
    OperationState.DONE: "done",
}
CANCELLED = "cancelled"


def parse_operation_id(value: str) -> bytes:
    """A timelock operation id: 32 bytes of hex (0x...)."""
    text = str(value).strip().lower().removeprefix("0x")
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise UserError(f"bad --operation {value!r}: an operation id is 32 bytes of hex (0x + 64 digits)")
    return raw


def _now() -> int:
    """The latest block's time: the clock the timelock's `getOperationState` reads."""
    from ape import chain

    return int(chain.blocks.head.timestamp)


def _timelock(admin: Admin) -> Any:
    admin.timelock_address()  # one line when the deployment has no timelock
    return admin.suite._at(TIMELOCK)


def _safe_holds(admin: Admin, timelock: Any, role: bytes, what: str) -> None:
    if not admin.safe:
        raise UserError("the timelock's operations are executed and cancelled by its Safe: give --safe")
    if not timelock.hasRole(role, admin.safe):
        raise UserError(
            f"the Safe {admin.safe} is not the timelock {timelock.address}'s {what}: nothing sent"
        )


def schedule(admin: Admin, plan: Plan, dry_run: bool, estimate: bool = True) -> Outcome:
    """The plan as one timelock operation the Safe schedules: proposed to the Safe (or, dry run, the
    plan's calls estimated from the timelock, which makes them when the operation runs; not
    estimated with `estimate=False`)."""
    if not admin.safe:
        raise UserError("a plan for the timelock is scheduled through its Safe: give --safe")
    timelock = _timelock(admin)
    delay = int(timelock.getMinDelay())
    nonce = admin.next_safe_nonce(queued=not dry_run)
    op = TimelockOperation.of_calls(
        [(call.to, call.calldata()) for call in plan.calls], salt=operation_salt(admin.safe, nonce)
    )
    operation_id = "0x" + op.id.hex()
    if OperationState(int(timelock.getOperationState(op.id))) != OperationState.UNSET:
        raise UserError(f"operation {operation_id} is already on the timelock: nothing sent")
    info = {
        "operation_id": operation_id,
        "function": op.schedule_function,
        "salt": "0x" + op.salt.hex(),
        "safe_nonce": nonce,
        "delay": delay,
        "earliest_execution": when(_now() + delay),
        "next": f"ape run admin timelock execute --operation {operation_id}",
    }
    if dry_run:
        outcome = admin.estimate(plan) if estimate else admin.unestimated(plan)
    else:
        scheduling = Call(TIMELOCK, timelock, op.schedule_function, op.schedule_args(delay))
        proposed = admin.propose(Plan(plan.operation, plan.summary, [scheduling]), nonce)
        outcome = Outcome(plan, "proposed", admin.acting, safe_txs=proposed.safe_txs)
    outcome.timelock = info
    return outcome


@dataclass(frozen=True)
class OperationStatus:
    """One operation as the chain shows it."""

    operation_id: bytes
    state: str  # unset, waiting, ready, done, cancelled
    timelock: str
    now: int
    ready_at: int | None  # when it is (or was) ready: its schedule's time plus its delay
    scheduled: ScheduledOperation | None

    @property
    def left(self) -> int:
        """Seconds until it is ready (0 once it is)."""
        return max(0, (self.ready_at or 0) - self.now)

    def as_json(self) -> dict[str, Any]:
        op = self.scheduled.operation if self.scheduled else None
        return {
            "operation_id": "0x" + self.operation_id.hex(),
            "state": self.state,
            "timelock": self.timelock,
            "now": self.now,
            "ready_at": self.ready_at,
            "seconds_left": self.left if self.state == "waiting" else 0,
            "delay": self.scheduled.delay if self.scheduled else None,
            "batch": op.batch if op else None,
            "calls": [
                {"to": to, "value": value, "data": "0x" + data.hex()}
                for to, value, data in zip(op.targets, op.values, op.payloads, strict=True)
            ]
            if op
            else [],
        }


def status(admin: Admin, operation_id: bytes) -> OperationStatus:
    """The state of `operation_id` on the deployment's timelock, and its calls from the events."""
    timelock = _timelock(admin)
    state = STATES[OperationState(int(timelock.getOperationState(operation_id)))]
    record = admin.suite.manifest.contracts[TIMELOCK]
    scheduled = scheduled_operation(str(timelock.address), operation_id, record.block)
    if state == "unset" and scheduled is not None and scheduled.cancelled:
        state = CANCELLED
    timestamp = int(timelock.getTimestamp(operation_id))
    ready_at = timestamp if timestamp > 1 else None  # 1 is OZ's mark of a done operation
    return OperationStatus(operation_id, state, str(timelock.address), _now(), ready_at, scheduled)


def _refuse_unless(found: OperationStatus, allowed: tuple[str, ...], doing: str) -> ScheduledOperation:
    """The scheduled operation when its state is one of `allowed`; else one line saying why not."""
    operation_id = "0x" + found.operation_id.hex()
    if found.state in allowed and found.scheduled is not None:
        return found.scheduled
    reasons = {
        "unset": f"is unknown to the timelock {found.timelock}: never scheduled (a schedule proposed "
        "to the Safe counts once its owners execute it)",
        "waiting": f"is not ready: {duration(found.left)} left (ready at {when(found.ready_at or 0)})",
        "done": "was already executed",
        CANCELLED: "was cancelled",
    }
    raise UserError(
        f"cannot {doing} operation {operation_id}: it {reasons.get(found.state, found.state)}: nothing sent"
    )


def execute(admin: Admin, operation_id: bytes, dry_run: bool) -> Outcome:
    """Proposes to the Safe the execution of a ready operation (`execute` or `executeBatch`)."""
    found = status(admin, operation_id)
    scheduled = _refuse_unless(found, ("ready",), "execute")
    timelock = _timelock(admin)
    _safe_holds(admin, timelock, EXECUTOR_ROLE, "executor")
    op = scheduled.operation
    call = Call(TIMELOCK, timelock, op.execute_function, op.execute_args())
    plan = Plan("timelock-execute", f"execute timelock operation 0x{operation_id.hex()}", [call])
    outcome = admin.carry_out(plan, dry_run)
    outcome.timelock = found.as_json()
    return outcome


def cancel(admin: Admin, operation_id: bytes, dry_run: bool) -> Outcome:
    """Proposes to the Safe the cancellation of a scheduled operation not yet executed."""
    found = status(admin, operation_id)
    _refuse_unless(found, ("waiting", "ready"), "cancel")
    timelock = _timelock(admin)
    _safe_holds(admin, timelock, CANCELLER_ROLE, "canceller")
    call = Call(TIMELOCK, timelock, "cancel", (operation_id,))
    plan = Plan("timelock-cancel", f"cancel timelock operation 0x{operation_id.hex()}", [call])
    outcome = admin.carry_out(plan, dry_run)
    outcome.timelock = found.as_json()
    return outcome


__all__ = ["OperationStatus", "cancel", "execute", "parse_operation_id", "schedule", "status"]
