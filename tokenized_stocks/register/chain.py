"""The chain side of the register's messaging: the transfer agent's bridge to the ledger adapter.

Out of the chain: every `OffRampRequested` of the `TraditionalLedgerAdapter` becomes a sese.023
(RECEIVE into the named register account) written to the register's inbox; the bridge keeps the
instruction it sent per ISO reference (the first 16 bytes of the on-chain instruction id).

Into the chain, from the register's outbox - every message is checked before anything is sent, and
one already acted upon is refused (`Journal`):

- sese.025 RECEIVE (it must answer an instruction the bridge sent and match it field by field,
  `matching.check_answers`) -> `confirmOffRamp(instructionId, registerReference)`;
- sese.024 rejected -> `failOffRamp(instructionId, reason)` (the tokens go back to the holder);
- sese.023 DELIVER (the register debited an account into a pending delivery) -> `onRamp(asset,
  wallet, shares, account, registerReference = the register's instruction id)` from the adapter's
  inventory, then a sese.025 DELIVER (settled, naming the on-chain instruction) back to the
  register's inbox. An instruction the chain cannot honour (no listed token for the ISIN, another
  DTI, another corporate-action epoch, an inventory too small, a wallet the asset refuses) is
  answered with a sese.024 REJECTED instead, and the register releases the position; a malformed
  one (not DELIVER, not a wallet address) or one replayed with other terms is refused.

Overdue off-ramps (`expire_overdue`, every pass of the bridge): the bridge keeps each off-ramp it
sent with its deadline and state; the state follows the adapter's `OffRampSettled` / `OffRampFailed`
/ `OffRampExpired` events read from the same cursor as the requests (no pass reads all history).
An off-ramp still pending after its deadline is expired (`expireOffRamp`, permissionless: the
holder's tokens go back), and the register is told once, by a sese.024 REJECTED `EXPIRED ON CHAIN`
(it reverses a credit it booked, and answers a later copy of the instruction with that status).
An off-ramp someone else expired (the holder, another bridge) is told to the register the same way.
Two bridges on one state file take turns (`exclusive`: a lock held for a whole pass); two bridges
with their own state files each tell the register, which books the second notice as a duplicate,
and the adapter expires the instruction once (the loser's transaction is refused before it is sent).

A late sese.025 for an off-ramp past its deadline is refused: the bridge expires the instruction if
nobody has and tells the register as above. One that crossed the bridge's notice (the register
confirmed before it read it) is journaled and not refused: the register reverses it on the notice.

A message refused here raises `MessageRefused` and sends nothing. The journal is written after the
transaction, and the adapter's own record (`isRegisterReferenceUsed`, the instruction state) makes
a crash between the two harmless: a confirmation is recognised as applied and only journaled; an
on-ramp whose register reference is already used is not issued again, its sese.025 is (re)written
from the `OnRampSettled` event.
"""

from __future__ import annotations

import fcntl
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from eth_typing import ABIError
from eth_utils import is_address, to_checksum_address
from eth_utils.abi import function_abi_to_4byte_selector

from tokenized_stocks.abi import CONTRACTS, load_abi
from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022 import messages as m
from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.identifiers import (
    REFERENCE_LENGTH,
    account_bytes,
    account_text,
    amount,
    reference,
    shares,
)
from tokenized_stocks.iso20022.mailbox import Journal, Mailbox
from tokenized_stocks.iso20022.matching import check_answers
from tokenized_stocks.protocol.trade import InstructionState
from tokenized_stocks.protocol.trade import reference as bytes32_reference
from tokenized_stocks.register.book import DTI_MISMATCH, UNKNOWN_SECURITY

#: The reason of the sese.024 that tells the register an off-ramp it confirmed late had expired.
EXPIRED_ON_CHAIN = "EXPIRED ON CHAIN"
#: Columns added to the bridge's `sent` table after its first release (an older state gains them;
#: its rows read their deadline from the adapter when first looked at). `state` is the adapter's
#: `InstructionState`; `notified`: the register was told the off-ramp expired (or it never had to be).
_SENT_COLUMNS = {
    "deadline": "INTEGER",
    "state": "INTEGER NOT NULL DEFAULT 1",
    "notified": "INTEGER NOT NULL DEFAULT 0",
}


@dataclass(frozen=True)
class Expiry:
    """What a pass did about one overdue off-ramp: `done` (expired, or found expired and told to
    the register) or not (the chain refuses the expiry now: tried again next pass)."""

    reference: str
    done: bool
    line: str


@dataclass(frozen=True)
class Sent:
    """An off-ramp instruction the bridge sent: its on-chain id and asset, and the sese.023."""

    instruction_id: bytes
    asset: str
    instruction: m.SettlementInstruction


class LedgerBridge:
    """Carries the adapter's instructions to the register and the register's answers back."""

    def __init__(
        self, adapter: Any, transfer_agent: Any, register_inbox: Mailbox, state: Path, tokens: list[Any]
    ) -> None:
        """`tokens` are the listed assets' contracts (their ISIN and DTI name them in messages)."""
        self.adapter = adapter
        self.tokens = {str(token.address): token for token in tokens}
        self.transfer_agent = transfer_agent
        self.register_inbox = register_inbox
        self.journal = Journal(state)
        self._lock_path = Path(f"{state}.lock")
        self._db = sqlite3.connect(str(state), isolation_level=None, timeout=60)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS sent (reference TEXT PRIMARY KEY, instruction_id BLOB, asset TEXT, xml TEXT)"
        )
        present = {row[1] for row in self._db.execute("PRAGMA table_info(sent)")}
        for column, kind in _SENT_COLUMNS.items():
            if column not in present:
                self._db.execute(f"ALTER TABLE sent ADD COLUMN {column} {kind}")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS cursor (id INTEGER PRIMARY KEY CHECK (id = 0), block INTEGER)"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS on_ramps (reference TEXT PRIMARY KEY, xml TEXT, block INTEGER)"
        )

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Holds this state's lock: a second bridge on the same state file waits for the pass."""
        with self._lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # ------------------------------------------------------------------ out of the chain

    def forward_off_ramps(self, start_block: int | None = None) -> list[Path]:
        """Writes a sese.023 for every off-ramp requested since the last call, and follows the
        state of those sent (settled, failed, expired) from the adapter's events; returns the files."""
        from ape import chain  # noqa: PLC0415

        row = self._db.execute("SELECT block FROM cursor WHERE id = 0").fetchone()
        start = start_block if start_block is not None else (row[0] if row else 0)
        head = chain.blocks.head.number
        written = []
        for log in self.adapter.OffRampRequested.range(start, head + 1):
            written += self._forward(log)
        for event, state in (
            (self.adapter.OffRampSettled, InstructionState.SETTLED),
            (self.adapter.OffRampFailed, InstructionState.FAILED),
            (self.adapter.OffRampExpired, InstructionState.EXPIRED),
        ):
            for log in event.range(start, head + 1):
                self._set_state(bytes(log.instructionId), state)
        self._db.execute("INSERT OR REPLACE INTO cursor (id, block) VALUES (0, ?)", (head + 1,))
        return written

    def _set_state(self, instruction_id: bytes, state: InstructionState) -> None:
        self._db.execute("UPDATE sent SET state = ? WHERE instruction_id = ?", (int(state), instruction_id))

    def _forward(self, log: Any) -> list[Path]:
        instruction_id = bytes(log.instructionId)
        ref = reference(instruction_id)
        if self._db.execute("SELECT 1 FROM sent WHERE reference = ?", (ref,)).fetchone():
            return []
        token = self.tokens.get(str(log.asset))
        if token is None:
            raise MessageRefused(f"off-ramp {ref} is for {log.asset}, a token this bridge was not given")
        record = self.adapter.instruction(instruction_id)
        state, deadline = InstructionState(record[2]), int(record[3])
        instruction = m.SettlementInstruction(
            reference=ref,
            isin=str(log.isin),
            dti=bytes(token.dti()).decode("ascii"),
            quantity=shares(int(log.shares)),
            account=account_text(bytes(log.accountReference)),
            wallet=str(log.holder),
            movement=m.Movement.RECEIVE,
            settlement_date=datetime.now(UTC).date(),
            epoch=_epoch_at(token, int(log.block_number)),
        )
        xml = codec.render(instruction)
        # An off-ramp already closed when the bridge first sees it is not sent: nothing to book.
        closed = state is not InstructionState.PENDING
        self._db.execute(
            "INSERT INTO sent (reference, instruction_id, asset, xml, deadline, state, notified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (ref, instruction_id, str(log.asset), xml, deadline, int(state), int(closed)),
        )
        return [] if closed else [self.register_inbox.write(instruction)]

    # ------------------------------------------------------------------ overdue off-ramps

    def expire_overdue(self) -> list[Expiry]:
        """Expires every off-ramp this bridge sent that is still pending after its deadline, and
        tells the register once of each off-ramp expired on chain (by this bridge or anyone).
        Returns what it did about each off-ramp it acted on. Only the off-ramps the bridge has not seen
        closed are looked at; an expiry the chain refuses now (a frozen holder) is tried again on
        the next pass."""
        from ape.exceptions import ApeException  # noqa: PLC0415

        now = _now()
        lines: list[Expiry] = []
        overdue = self._db.execute(
            "SELECT reference, instruction_id FROM sent WHERE state = ? AND (deadline IS NULL OR deadline < ?) "
            "ORDER BY deadline",
            (int(InstructionState.PENDING), now),
        ).fetchall()
        for ref, raw_id in overdue:
            instruction_id = bytes(raw_id)
            state, deadline = self._state_of(ref, instruction_id)
            if state is InstructionState.PENDING and now > deadline:
                try:
                    receipt = self.adapter.expireOffRamp(instruction_id, sender=self.transfer_agent)
                except ApeException as refused:
                    # Another bridge was first (refused at estimation, or its transaction took the
                    # nonce), or the token refuses the refund: the adapter's state says which. A
                    # chain that cannot be read fails the pass here.
                    state, _ = self._state_of(ref, instruction_id)
                    if state is InstructionState.PENDING:
                        why = str(refused).splitlines()[0]
                        lines.append(Expiry(ref, False, f"cannot expire off-ramp {ref} now: {why}"))
                    continue
                (expired,) = receipt.events.filter(self.adapter.OffRampExpired)
                self._set_state(instruction_id, InstructionState.EXPIRED)
                told = self._tell_expired(ref)
                lines.append(
                    Expiry(
                        ref,
                        True,
                        f"expired off-ramp {ref} (deadline {_iso(deadline)}): {shares(int(expired.shares))} "
                        f"shares back to {expired.holder}; {told.name if told else 'the register was already told'}",
                    )
                )
        for (ref,) in self._db.execute(
            "SELECT reference FROM sent WHERE state = ? AND notified = 0", (int(InstructionState.EXPIRED),)
        ).fetchall():
            told = self._tell_expired(ref)
            if told is not None:
                line = f"off-ramp {ref} was found expired on chain (not by this pass); {told.name} to the register"
                lines.append(Expiry(ref, True, line))
        return lines

    def _state_of(self, ref: str, instruction_id: bytes) -> tuple[InstructionState, int]:
        """The adapter's state and deadline of a sent off-ramp, recorded in the bridge's table."""
        record = self.adapter.instruction(instruction_id)
        state, deadline = InstructionState(record[2]), int(record[3])
        self._db.execute(
            "UPDATE sent SET state = ?, deadline = ? WHERE reference = ?", (int(state), deadline, ref)
        )
        return state, deadline

    def _tell_expired(self, ref: str) -> Path | None:
        """Writes the register the sese.024 REJECTED `EXPIRED ON CHAIN` of an expired off-ramp,
        once (None when it was already written)."""
        row = self._db.execute("SELECT notified FROM sent WHERE reference = ?", (ref,)).fetchone()
        if row is None or row[0]:
            return None
        sent = self.sent(ref)
        assert sent is not None  # the row was just read
        status = m.SettlementStatus(
            ref,
            f"EXP{ref}",  # the register's id of the notice: 35 characters (ISO Max35Text)
            sent.instruction.isin,
            sent.instruction.dti,
            sent.instruction.quantity,
            sent.instruction.account,
            sent.instruction.movement,
            datetime.now(UTC).date(),
            m.Status.REJECTED,
            EXPIRED_ON_CHAIN,
        )
        written = self.register_inbox.write(status)
        self._db.execute("UPDATE sent SET notified = 1 WHERE reference = ?", (ref,))
        return written

    def sent(self, ref: str) -> Sent | None:
        row = self._db.execute(
            "SELECT instruction_id, asset, xml FROM sent WHERE reference = ?", (ref,)
        ).fetchone()
        if row is None:
            return None
        return Sent(bytes(row[0]), row[1], codec.parse(row[2], m.SettlementInstruction))

    # ------------------------------------------------------------------ into the chain

    def apply(self, path: Path) -> str:
        """Applies one answer file from the register. Returns what was done; a refused message
        raises and changes nothing."""
        xml = Path(path).read_bytes()
        kind = codec.kind_of(xml)
        if kind is m.SettlementInstruction:
            return self._on_ramp(codec.parse(xml, m.SettlementInstruction))
        if kind is m.SettlementConfirmation:
            answer: m.SettlementConfirmation | m.SettlementStatus = codec.parse(xml, m.SettlementConfirmation)
        elif kind is m.SettlementStatus:
            answer = codec.parse(xml, m.SettlementStatus)
        else:
            raise MessageRefused(f"the ledger bridge does not take {kind.KIND} messages")
        self.journal.check_new(answer)
        if answer.movement is m.Movement.DELIVER:
            raise MessageRefused(
                f"{answer.KIND} {answer.message_id} answers a delivery: an on-ramp comes from the register "
                "as a sese.023 DELIVER"
            )
        outcome = self._off_ramp_answer(answer)
        self.journal.record(answer)
        return outcome

    def _off_ramp_answer(self, answer: m.SettlementConfirmation | m.SettlementStatus) -> str:
        sent = self.sent(answer.reference)
        if sent is None:
            raise MessageRefused(f"{answer.KIND} answers {answer.reference}, which this bridge never sent")
        check_answers(answer, sent.instruction)
        record = self.adapter.instruction(sent.instruction_id)
        state, deadline = InstructionState(record[2]), int(record[3])
        if isinstance(answer, m.SettlementConfirmation):
            booking = bytes32_reference(answer.register_reference)
            if state is InstructionState.SETTLED and self.adapter.isRegisterReferenceUsed(booking):
                return f"{answer.reference} already confirmed"
            if state is InstructionState.PENDING and _now() > deadline:
                self.adapter.expireOffRamp(sent.instruction_id, sender=self.transfer_agent)
                state = InstructionState.EXPIRED
                self._set_state(sent.instruction_id, state)
            if state is InstructionState.EXPIRED:
                return self._reverse_late_confirmation(answer, deadline)
            self._pending_or_refuse(answer, state)
            self.adapter.confirmOffRamp(sent.instruction_id, booking, sender=self.transfer_agent)
            return f"confirmed off-ramp {answer.reference} ({answer.register_reference})"
        if answer.status is not m.Status.REJECTED:
            return f"{answer.reference} accepted, awaiting settlement"
        if state is InstructionState.FAILED:
            return f"{answer.reference} already failed"
        if state is InstructionState.EXPIRED:
            return f"{answer.reference} already expired on chain: the tokens went back to the holder"
        self._pending_or_refuse(answer, state)
        self.adapter.failOffRamp(
            sent.instruction_id, bytes32_reference(answer.reason), sender=self.transfer_agent
        )
        return f"failed off-ramp {answer.reference}: {answer.reason}"

    @staticmethod
    def _pending_or_refuse(answer: m.Message, state: InstructionState) -> None:
        if state is not InstructionState.PENDING:
            raise MessageRefused(
                f"{answer.KIND} {answer.message_id}: the instruction is {state.name.lower()}"
            )

    def _reverse_late_confirmation(self, answer: m.SettlementConfirmation, deadline: int) -> str:
        """Tells the register an off-ramp it confirmed too late was expired on chain (a sese.024
        REJECTED it books as a reversal), journals the confirmation and refuses it. A confirmation
        that crossed the notice the bridge already wrote is journaled and not refused."""
        written = self._tell_expired(answer.reference)
        self.journal.record(answer)
        if written is None:
            return (
                f"sese.025 {answer.message_id} crossed the expiry of off-ramp {answer.reference}: the register "
                "reverses it on the sese.024 it was sent"
            )
        raise MessageRefused(
            f"sese.025 {answer.message_id} arrived after off-ramp {answer.reference} expired on chain "
            f"(deadline {deadline}); the register is told to reverse its booking ({written.name})"
        )

    # ------------------------------------------------------------------ on-ramps from the register

    def _on_ramp(self, instruction: m.SettlementInstruction) -> str:
        """Issues the tokens of a register's sese.023 DELIVER once, then answers it (sese.025), or
        answers a sese.024 REJECTED when the chain cannot honour it."""
        if instruction.movement is not m.Movement.DELIVER:
            raise MessageRefused(
                f"sese.023 {instruction.reference} from the register must deliver (DELI) to the chain"
            )
        self.journal.check_new(instruction)
        if not is_address(instruction.wallet):
            raise MessageRefused(
                f"sese.023 {instruction.reference} names {instruction.wallet!r}, not a wallet"
            )
        if len(instruction.reference.encode()) > REFERENCE_LENGTH:
            raise MessageRefused(
                f"sese.023 reference {instruction.reference} is longer than {REFERENCE_LENGTH}"
            )
        tokens = amount(instruction.quantity)
        if tokens == 0:
            raise MessageRefused(f"sese.023 {instruction.reference} moves no shares")
        from ape import chain  # noqa: PLC0415

        row = self._db.execute(
            "SELECT xml, block FROM on_ramps WHERE reference = ?", (instruction.reference,)
        ).fetchone()
        if row is not None and codec.parse(row[0], m.SettlementInstruction) != instruction:
            raise MessageRefused(
                f"sese.023 {instruction.reference} was already received with other terms (replay with changes)"
            )
        if row is None:
            self._db.execute(
                "INSERT INTO on_ramps (reference, xml, block) VALUES (?, ?, ?)",
                (instruction.reference, codec.render(instruction), chain.blocks.head.number),
            )
            since = chain.blocks.head.number
        else:
            since = int(row[1])
        booking = bytes32_reference(instruction.reference)
        used = self.adapter.isRegisterReferenceUsed(booking)
        issued = self._issued(booking, since, instruction, tokens) if used else None
        if issued is not None:  # a crash after onRamp: issue nothing, answer again
            instruction_id = issued
            outcome = f"{instruction.reference} already issued on chain: answer sent again"
        elif used:  # used by another booking
            return self._reject_on_ramp(instruction, "DUPLICATE REFERENCE")
        else:
            token, refusal = self._check_on_ramp(instruction, tokens, booking)
            if refusal:
                return self._reject_on_ramp(instruction, refusal)
            receipt = self.adapter.onRamp(
                *_on_ramp_args(token, instruction, tokens, booking), sender=self.transfer_agent
            )
            instruction_id = bytes(receipt.events.filter(self.adapter.OnRampSettled)[0].instructionId)
            outcome = f"issued {instruction.quantity} {instruction.isin} to {instruction.wallet}"
        answer = m.SettlementConfirmation(
            instruction.reference,
            reference(instruction_id),
            instruction.isin,
            instruction.dti,
            instruction.quantity,
            instruction.account,
            instruction.wallet,
            m.Movement.DELIVER,
            datetime.now(UTC).date(),
        )
        written = self.register_inbox.write(answer)
        self.journal.record(instruction)
        return f"{outcome} ({instruction.reference}); {written.name} to the register"

    def _check_on_ramp(
        self, instruction: m.SettlementInstruction, tokens: int, booking: bytes
    ) -> tuple[Any, str]:
        """The token of an on-ramp and '' when the chain can honour it, else the rejection reason."""
        from ape.exceptions import ContractLogicError  # noqa: PLC0415

        by_isin = {str(token.isin()): token for token in self.tokens.values()}
        token = by_isin.get(instruction.isin)
        if token is None:
            return None, UNKNOWN_SECURITY
        if bytes(token.dti()).decode("ascii") != instruction.dti:
            return token, DTI_MISMATCH
        if not self.adapter.isListed(token.address):
            return token, "SECURITY NOT LISTED"
        epoch = _epoch_at(token, None)
        if instruction.epoch is not None and instruction.epoch != epoch:
            return token, "EPOCH MISMATCH"
        try:
            self.adapter.onRamp.call(
                *_on_ramp_args(token, instruction, tokens, booking), sender=self.transfer_agent
            )
        except ContractLogicError as refused:
            return token, _on_ramp_reason(refused)
        return token, ""

    def _reject_on_ramp(self, instruction: m.SettlementInstruction, reason: str) -> str:
        status = m.SettlementStatus(
            instruction.reference,
            f"REJ-{instruction.reference}"[:35],
            instruction.isin,
            instruction.dti,
            instruction.quantity,
            instruction.account,
            instruction.movement,
            datetime.now(UTC).date(),
            m.Status.REJECTED,
            reason,
        )
        written = self.register_inbox.write(status)
        self.journal.record(instruction)
        return f"rejected on-ramp {instruction.reference}: {reason}; {written.name} to the register"

    def _issued(
        self, booking: bytes, since: int, instruction: m.SettlementInstruction, tokens: int
    ) -> bytes | None:
        """The on-chain id of the on-ramp issued for this instruction (None: the reference was used
        by another booking). First since this bridge received it (a crash after `onRamp`), then
        anywhere on the recipient's on-ramps with the same terms: another bridge, with its own
        state, may have issued it already, and rejecting it then would have the register release a
        position the chain has issued."""
        from ape import chain  # noqa: PLC0415

        def same(log: Any) -> bool:
            return (
                bytes(log.registerReference) == booking
                and str(log.isin) == instruction.isin
                and int(log.shares) == tokens
            )

        head = chain.blocks.head.number + 1
        wallet = to_checksum_address(instruction.wallet)
        for start in (since, 0):
            for log in self.adapter.OnRampSettled.range(start, head, search_topics={"recipient": wallet}):
                if same(log):
                    return bytes(log.instructionId)
        return None


#: ape reports an error it cannot name as `custom error 0x<selector>: <data>` (or the bare data).
_SELECTOR = re.compile(r"0x([0-9a-fA-F]{8})")


def _error_name(refused: Exception) -> str:
    """The custom error's name of a revert (decoded by ape, or by selector from the suite's ABIs)."""
    abi = getattr(refused, "abi", None)
    if abi is not None:
        return str(abi.name)
    found = _SELECTOR.search(str(getattr(refused, "revert_message", "") or ""))
    if found:
        selector = bytes.fromhex(found.group(1))
        for contract in CONTRACTS:
            for entry in load_abi(contract):
                if (
                    entry.get("type") == "error"
                    and function_abi_to_4byte_selector(cast("ABIError", entry)) == selector
                ):
                    return str(entry["name"])
    return ""


def _on_ramp_reason(refused: Exception) -> str:
    """The sese.024 reason of an on-ramp the adapter refuses (its custom error, 32 characters)."""
    name = _error_name(refused)
    known = {
        "AdapterInsufficientInventory": "INSUFFICIENT INVENTORY",
        "AdapterAssetNotListed": "SECURITY NOT LISTED",
        "AdapterRegisterReferenceUsed": "DUPLICATE REFERENCE",
    }
    if name in known:
        return known[name]
    return (
        f"REFUSED {name}"[:32] if name not in ("ContractLogicError", "Exception") else "REFUSED BY THE TOKEN"
    )


def _iso(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _now() -> int:
    """The timestamp the next block will carry at the earliest (the chain's clock)."""
    from ape import chain  # noqa: PLC0415

    return int(chain.pending_timestamp)


def _on_ramp_args(
    token: Any, instruction: m.SettlementInstruction, tokens: int, booking: bytes
) -> tuple[Any, ...]:
    """`onRamp`'s arguments for an on-ramp instruction (the dry run and the transaction)."""
    return (token.address, instruction.wallet, tokens, account_bytes(instruction.account), booking)


def _epoch_at(token: Any, block: int | None) -> int:
    """The token's corporate-action epoch at `block` (the latest when None; 0 without one)."""
    method = getattr(token, "corporateActionEpoch", None)
    if method is None:
        return 0
    return int(method() if block is None else method(block_id=block))
