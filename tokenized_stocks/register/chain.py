"""The chain side of the register's messaging: the transfer agent's bridge to the ledger adapter.

Out of the chain: every `OffRampRequested` of the `TraditionalLedgerAdapter` becomes a sese.023
(RECEIVE into the named register account) written to the register's inbox; the bridge keeps the
instruction it sent per ISO reference (the first 16 bytes of the on-chain instruction id).

Into the chain: a sese.025 or sese.024 from the register is checked before anything is sent -
it must answer an instruction the bridge sent (or, for an on-ramp, a register DELIVER), match it
field by field (`matching.check_answers`) and not have been applied before (`Journal`) - then:

- sese.025 RECEIVE -> `confirmOffRamp(instructionId, registerReference)`;
- sese.024 rejected -> `failOffRamp(instructionId, reason)` (the tokens go back to the holder);
- sese.025 DELIVER (the register debited the account) -> `onRamp(asset, wallet, shares, account,
  registerReference)` from the adapter's inventory.

A message refused here raises `MessageRefused` and sends nothing. The journal is written after the
transaction, and the adapter's own record (`isRegisterReferenceUsed`, the instruction state) makes
a crash between the two harmless: the answer is recognised as applied and only journaled.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022 import messages as m
from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.identifiers import account_bytes, account_text, amount, reference, shares
from tokenized_stocks.iso20022.mailbox import Journal, Mailbox
from tokenized_stocks.iso20022.matching import check_answers
from tokenized_stocks.protocol.trade import InstructionState
from tokenized_stocks.protocol.trade import reference as bytes32_reference


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
        self._db = sqlite3.connect(str(state), isolation_level=None)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS sent (reference TEXT PRIMARY KEY, instruction_id BLOB, asset TEXT, xml TEXT)"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS cursor (id INTEGER PRIMARY KEY CHECK (id = 0), block INTEGER)"
        )

    # ------------------------------------------------------------------ out of the chain

    def forward_off_ramps(self, start_block: int | None = None) -> list[Path]:
        """Writes a sese.023 for every off-ramp requested since the last call; returns the files."""
        from ape import chain  # noqa: PLC0415

        row = self._db.execute("SELECT block FROM cursor WHERE id = 0").fetchone()
        start = start_block if start_block is not None else (row[0] if row else 0)
        head = chain.blocks.head.number
        written = []
        for log in self.adapter.OffRampRequested.range(start, head + 1):
            written += self._forward(log)
        self._db.execute("INSERT OR REPLACE INTO cursor (id, block) VALUES (0, ?)", (head + 1,))
        return written

    def _forward(self, log: Any) -> list[Path]:
        instruction_id = bytes(log.instructionId)
        ref = reference(instruction_id)
        if self._db.execute("SELECT 1 FROM sent WHERE reference = ?", (ref,)).fetchone():
            return []
        token = self.tokens.get(str(log.asset))
        if token is None:
            raise MessageRefused(f"off-ramp {ref} is for {log.asset}, a token this bridge was not given")
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
        self._db.execute(
            "INSERT INTO sent (reference, instruction_id, asset, xml) VALUES (?, ?, ?, ?)",
            (ref, instruction_id, str(log.asset), xml),
        )
        return [self.register_inbox.write(instruction)]

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
        if kind is m.SettlementConfirmation:
            answer: m.SettlementConfirmation | m.SettlementStatus = codec.parse(xml, m.SettlementConfirmation)
        elif kind is m.SettlementStatus:
            answer = codec.parse(xml, m.SettlementStatus)
        else:
            raise MessageRefused(f"the ledger bridge does not take {kind.KIND} messages")
        self.journal.check_new(answer)
        if answer.movement is m.Movement.DELIVER:
            outcome = self._on_ramp(answer)
        else:
            outcome = self._off_ramp_answer(answer)
        self.journal.record(answer)
        return outcome

    def _off_ramp_answer(self, answer: m.SettlementConfirmation | m.SettlementStatus) -> str:
        sent = self.sent(answer.reference)
        if sent is None:
            raise MessageRefused(f"{answer.KIND} answers {answer.reference}, which this bridge never sent")
        check_answers(answer, sent.instruction)
        state = InstructionState(self.adapter.instruction(sent.instruction_id)[2])
        if isinstance(answer, m.SettlementConfirmation):
            booking = bytes32_reference(answer.register_reference)
            if state is InstructionState.SETTLED and self.adapter.isRegisterReferenceUsed(booking):
                return f"{answer.reference} already confirmed"
            self._pending_or_refuse(answer, state)
            self.adapter.confirmOffRamp(sent.instruction_id, booking, sender=self.transfer_agent)
            return f"confirmed off-ramp {answer.reference} ({answer.register_reference})"
        if answer.status is not m.Status.REJECTED:
            return f"{answer.reference} accepted, awaiting settlement"
        if state is InstructionState.FAILED:
            return f"{answer.reference} already failed"
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

    def _on_ramp(self, answer: m.SettlementConfirmation | m.SettlementStatus) -> str:
        if not isinstance(answer, m.SettlementConfirmation):
            return f"on-ramp {answer.reference} {answer.status.value} by the register: nothing to issue"
        by_isin = {str(token.isin()): token for token in self.tokens.values()}
        if answer.isin not in by_isin:
            raise MessageRefused(f"no token for {answer.isin} on this chain")
        token = by_isin[answer.isin]
        dti = bytes(token.dti()).decode("ascii")
        if dti != answer.dti:
            raise MessageRefused(
                f"{answer.KIND} {answer.message_id} names DTI {answer.dti}, the token's is {dti}"
            )
        booking = bytes32_reference(answer.register_reference)
        if self.adapter.isRegisterReferenceUsed(booking):
            return f"{answer.register_reference} already issued"
        self.adapter.onRamp(
            token.address,
            answer.wallet,
            amount(answer.quantity),
            account_bytes(answer.account),
            booking,
            sender=self.transfer_agent,
        )
        return f"issued {answer.quantity} {answer.isin} to {answer.wallet} ({answer.register_reference})"


def _epoch_at(token: Any, block: int) -> int:
    """The token's corporate-action epoch when the off-ramp was requested (0 without one)."""
    method = getattr(token, "corporateActionEpoch", None)
    return 0 if method is None else int(method(block_id=block))
