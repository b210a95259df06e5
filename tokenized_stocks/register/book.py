"""The register's rules: booking instructions and corporate actions, answering in ISO 20022.

`Register` is the whole behaviour of the reference CSD / transfer agent, over its SQLite store:

- a sese.023 RECEIVE (an off-ramp from the chain) credits the account and is confirmed (sese.025),
  or is answered with a sese.024 REJECTED carrying the reason: the account is frozen, or the
  instruction does not match the register (`DSEC UNKNOWN SECURITY`: an ISIN it does not keep,
  `DSEC DTI MISMATCH`: another DTI), so the chain fails the off-ramp and the holder gets the tokens
  back. Either way the answer names the same instruction id, ISIN, DTI, quantity and account. What
  is malformed (no shares, an epoch the register never saw) or a replay with other terms is refused
  (`MessageRefused`): nothing is booked and nothing answered.
- An on-ramp starts on the register (`deliver`): the account is debited into a pending delivery and
  a sese.023 DELIVER goes to the chain. The chain's sese.025 settles it (the position is delivered);
  its sese.024 REJECTED releases it (the units go back to the account).
- A sese.024 REJECTED from the chain for an off-ramp the register confirmed (the chain expired it
  before the confirmation arrived, and returned the tokens) reverses the credit.
- A re-delivered instruction (same id) is not booked again: the stored answer is sent again.
- a seev.031 split / reverse split rescales every position exactly as the token does (one
  multiplier per security, `new = old x new_shares / old_shares` rounded down, balances
  `units x multiplier / 1e18` rounded down); a cash dividend books, per account holding the
  security when it is applied (the record date), `balance x dividend per share` rounded down to
  the currency's minor unit. Each account gets a seev.036 of what moved.
- `statement()` is the semt.002 of every position.

Answers are computed inside the booking's transaction and written to the outbox afterwards;
the row's `answered` flag is set once the file exists, so a restart resends exactly the answers
(and on-ramp instructions) that a crash may have lost (`resend_pending`), and never books anything
twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, Decimal, localcontext
from pathlib import Path
from typing import Any

from eth_utils import is_address

from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022 import messages as m
from tokenized_stocks.iso20022.cash import MINOR_UNIT_EXPONENT
from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.identifiers import REFERENCE_LENGTH, amount, check_account, shares
from tokenized_stocks.iso20022.mailbox import Mailbox
from tokenized_stocks.iso20022.matching import check_answers
from tokenized_stocks.protocol.multiplier import ONE, to_tokens_down, to_units_down, to_units_up
from tokenized_stocks.register.store import InstructionRow, MovementRow, RegisterStore, Security

ACCEPTED = "settled"
REJECTED = "rejected"
PENDING = "pending"
REVERSED = "reversed"
#: Seconds the chain has to issue an on-ramp by default (`RegisterSettings.on_ramp_timeout`).
ON_RAMP_TIMEOUT = 86_400
#: ISO 20022 rejection reasons (sese.024 `RejectionReason`): DSEC = unrecognised or invalid
#: financial instrument identification.
UNKNOWN_SECURITY = "DSEC UNKNOWN SECURITY"
DTI_MISMATCH = "DSEC DTI MISMATCH"


class Register:
    """The book-entry register: a store, an outbox and the rules above."""

    def __init__(
        self,
        store: RegisterStore,
        outbox: Mailbox,
        safekeeping_account: str = "REGISTER",
        on_ramp_timeout: int = ON_RAMP_TIMEOUT,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """`on_ramp_timeout`: seconds the chain has to issue an on-ramp (fixed on each row when it
        is sent); `clock`: the register's time (booking times and on-ramp deadlines)."""
        self.store = store
        self.outbox = outbox
        self.safekeeping_account = safekeeping_account
        self.on_ramp_timeout = on_ramp_timeout
        self.clock = clock

    # ------------------------------------------------------------------ reading

    def balance(self, isin: str, account: str) -> int:
        """Token amount (18 decimals) of `account`'s position in `isin`."""
        security = self.store.security(isin)
        if security is None:
            return 0
        return to_tokens_down(self.store.units(isin, account), security.multiplier)

    def statement(self, as_of: datetime | None = None) -> m.HoldingsStatement:
        """The semt.002 of every non-zero position."""
        return statement_of(self.store, self.safekeeping_account, as_of)

    # ------------------------------------------------------------------ receiving

    def receive_file(self, path: Path) -> list[Path]:
        """Processes one inbound XML file; returns the answers written. Refused messages raise."""
        xml = Path(path).read_bytes()
        kind = codec.kind_of(xml)
        if kind is m.SettlementInstruction:
            return [self.instruct(codec.parse(xml, m.SettlementInstruction))]
        if kind is m.SettlementConfirmation:
            return self.delivered(codec.parse(xml, m.SettlementConfirmation))
        if kind is m.SettlementStatus:
            return self.status(codec.parse(xml, m.SettlementStatus))
        if kind is m.CorporateActionNotification:
            return self.corporate_action(codec.parse(xml, m.CorporateActionNotification))
        raise MessageRefused(f"the register does not take {kind.KIND} messages")

    def instruct(self, instruction: m.SettlementInstruction) -> Path:
        """Books an off-ramp instruction from the chain once and writes its answer: a sese.025, or
        a sese.024 REJECTED when the account is frozen or the instruction does not match the
        register. Malformed instructions and replays with other terms are refused."""
        booked = self.store.instruction(instruction.reference)
        if booked is not None:
            if _terms(booked) != _terms_of(instruction):
                raise MessageRefused(
                    f"sese.023 {instruction.reference} was already booked with other terms (replay with changes)"
                )
            return self._answer(booked)
        if instruction.movement is not m.Movement.RECEIVE:
            raise MessageRefused(
                f"sese.023 {instruction.reference} delivers from the register: an on-ramp starts on the "
                "register (`ape run register on-ramp`), not in its inbox"
            )
        tokens = amount(instruction.quantity)
        if tokens == 0:
            raise MessageRefused(f"sese.023 {instruction.reference} moves no shares")
        security = self.store.security(instruction.isin)
        unmatched = _unmatched(instruction, security)
        if security is not None and not unmatched:
            measured_at = self._multiplier_of(instruction, security)
        with self.store.transaction() as db:
            status, reason, units = ACCEPTED, unmatched, 0
            if unmatched:
                status = REJECTED
            elif self.store.is_frozen(instruction.isin, instruction.account):
                status, reason = REJECTED, "ACCOUNT FROZEN"
            else:
                held = self.store.units(instruction.isin, instruction.account)
                units = to_units_down(tokens, measured_at)
                self.store.set_units(db, instruction.isin, instruction.account, held + units)
                self._late_dividends(db, instruction, units)
            row = self._row(instruction, units, status, reason)
            self.store.insert_instruction(db, row)
        return self._answer(row)

    def deliver(self, reference: str, isin: str, account: str, wallet: str, tokens: int) -> Path:
        """Starts an on-ramp: debits `tokens` (18 decimals) of `account` into a pending delivery
        and writes the sese.023 DELIVER the chain's bridge turns into tokens in `wallet`. Refused
        (nothing booked) for a security the register does not keep, a frozen account, a position
        that does not cover it, or a reference used before with other terms (the same terms
        write the instruction again)."""
        if not 0 < len(reference.encode()) <= REFERENCE_LENGTH or not reference.isprintable():
            raise MessageRefused(
                f"an on-ramp reference is 1-{REFERENCE_LENGTH} characters, got {reference!r}"
            )
        if not is_address(wallet):
            raise MessageRefused(f"not a wallet address: {wallet!r}")
        security = self.store.security(isin)
        if security is None:
            raise MessageRefused(f"the register does not keep {isin}")
        if tokens <= 0:
            raise MessageRefused(f"on-ramp {reference} moves no shares")
        instruction = m.SettlementInstruction(
            reference=reference,
            isin=isin,
            dti=security.dti,
            quantity=shares(tokens),
            account=check_account(account),
            wallet=wallet,
            movement=m.Movement.DELIVER,
            settlement_date=datetime.now(UTC).date(),
            epoch=security.epoch,
        )
        booked = self.store.instruction(reference)
        if booked is not None:
            if _terms(booked) != _terms_of(instruction):
                raise MessageRefused(f"reference {reference} was already used with other terms")
            return self._send(booked)
        if self.store.is_frozen(isin, account):
            raise MessageRefused(f"{account} is frozen for {isin}")
        with self.store.transaction() as db:
            held = self.store.units(isin, account)
            units = to_units_up(tokens, security.multiplier)
            if units > held:
                raise MessageRefused(
                    f"{account} holds {shares(to_tokens_down(held, security.multiplier)):f} {isin}, "
                    f"not {instruction.quantity:f}"
                )
            self.store.set_units(db, isin, account, held - units)
            row = self._row(instruction, units, PENDING, "")
            row = replace(row, deadline=(row.booked_at or 0) + self.on_ramp_timeout)
            self.store.insert_instruction(db, row)
        return self._send(row)

    def delivered(self, confirmation: m.SettlementConfirmation) -> list[Path]:
        """The chain's sese.025 for an on-ramp the register sent: the pending delivery is final.
        A duplicate changes nothing; anything else that does not match is refused."""
        row = self._sent_on_ramp(confirmation)
        if row.status == ACCEPTED and row.chain_reference == confirmation.register_reference:
            return []
        if row.status != PENDING:
            raise MessageRefused(f"on-ramp {row.reference} is {row.status}: the sese.025 cannot settle it")
        if confirmation.wallet != row.wallet:
            raise MessageRefused(
                f"sese.025 for {row.reference} names wallet {confirmation.wallet}, expected {row.wallet}"
            )
        with self.store.transaction() as db:
            self.store.close_instruction(
                db, row.reference, ACCEPTED, chain_reference=confirmation.register_reference
            )
        return []

    def status(self, status: m.SettlementStatus) -> list[Path]:
        """A sese.024 from the chain. REJECTED for a pending on-ramp releases its position; for an
        off-ramp the register confirmed (the chain expired it) reverses the credit. Duplicates and
        ACCEPTED statuses change nothing."""
        row = self.store.instruction(status.reference)
        if row is None:
            raise MessageRefused(f"sese.024 answers {status.reference}, which the register never booked")
        check_answers(status, _instruction_of(row))
        if status.status is not m.Status.REJECTED or row.status in (REJECTED, REVERSED):
            return []
        if row.status == PENDING:
            with self.store.transaction() as db:
                held = self.store.units(row.isin, row.account)
                self.store.set_units(db, row.isin, row.account, held + row.units)
                self.store.close_instruction(db, row.reference, REJECTED, status.reason)
            return []
        if row.movement != m.Movement.RECEIVE.value:
            raise MessageRefused(
                f"on-ramp {row.reference} was already delivered on chain: it cannot be rejected"
            )
        with self.store.transaction() as db:
            held = self.store.units(row.isin, row.account)
            if row.units > held:
                raise MessageRefused(
                    f"cannot reverse {row.reference}: {row.account} no longer holds the {row.quantity} credited"
                )
            self.store.set_units(db, row.isin, row.account, held - row.units)
            self.store.delete_late_dividends(db, row.reference)
            self.store.close_instruction(db, row.reference, REVERSED, status.reason)
        return []

    def _sent_on_ramp(self, answer: m.SettlementConfirmation) -> InstructionRow:
        row = self.store.instruction(answer.reference)
        if row is None or row.movement != m.Movement.DELIVER.value:
            raise MessageRefused(
                f"{answer.KIND} answers {answer.reference}, an on-ramp the register never sent"
            )
        check_answers(answer, _instruction_of(row))
        return row

    def _row(
        self, instruction: m.SettlementInstruction, units: int, status: str, reason: str
    ) -> InstructionRow:
        return InstructionRow(
            reference=instruction.reference,
            register_reference=f"REG-{self.store.count_instructions() + 1:08d}",
            isin=instruction.isin,
            account=instruction.account,
            wallet=instruction.wallet,
            movement=instruction.movement.value,
            quantity=str(instruction.quantity),
            settlement_date=instruction.settlement_date.isoformat(),
            units=units,
            status=status,
            reason=reason,
            answered=False,
            dti=instruction.dti,
            epoch=instruction.epoch,
            booked_at=int(self.clock().timestamp()),
        )

    def set_frozen(self, isin: str, account: str, frozen: bool, reason: str) -> None:
        """The transfer agent freezes (or unfreezes) an account: like a frozen wallet on chain, it
        can neither deliver nor receive (instructions are rejected with a sese.024)."""
        if self.store.security(isin) is None:
            raise MessageRefused(f"the register does not keep {isin}")
        self.store.set_frozen(isin, account, frozen, reason)

    def force_transfer(
        self, reference: str, isin: str, source: str, target: str, tokens: int, reason: str
    ) -> None:
        """The transfer agent moves `tokens` from `source` to `target` without the holder's consent
        (court order), as `RegistryShare.forcedTransfer`: freezes do not apply; once per reference."""
        security = self.store.security(isin)
        if security is None:
            raise MessageRefused(f"the register does not keep {isin}")
        if self.store.has_forced_transfer(reference):
            return
        units = to_units_up(tokens, security.multiplier)
        with self.store.transaction() as db:
            held = self.store.units(isin, source)
            if units > held or tokens <= 0:
                raise MessageRefused(
                    f"{source} holds {shares(to_tokens_down(held, security.multiplier))} {isin}"
                )
            self.store.set_units(db, isin, source, held - units)
            self.store.set_units(db, isin, target, self.store.units(isin, target) + units)
            self.store.insert_forced_transfer(db, reference, isin, source, target, units, reason)

    def _late_dividends(self, db: Any, instruction: m.SettlementInstruction, units: int) -> None:
        """Shares that were in flight to the register at a dividend's record date count where they
        are delivered (as the token counts in-flight units at their destination): the account is
        credited the dividend of every record date after the instruction's epoch."""
        if instruction.epoch is None:
            return
        for event_id, record_epoch, per_share, currency in self.store.dividends_after(
            instruction.isin, instruction.epoch
        ):
            multiplier = self.store.multiplier_at(instruction.isin, record_epoch)
            assert multiplier is not None  # a booked dividend recorded its epoch
            notice_terms = m.CorporateActionNotification(
                event_id,
                m.EventKind.CASH_DIVIDEND,
                instruction.isin,
                instruction.dti,
                date.today(),
                dividend_per_share=Decimal(per_share),
                currency=currency,
            )
            cash = dividend_cash(to_tokens_down(units, multiplier), notice_terms)
            self.store.insert_late_dividend(db, instruction.reference, event_id, instruction.account, cash)

    def _multiplier_of(self, instruction: m.SettlementInstruction, security: Security) -> int:
        """The multiplier the instruction's quantity is measured at: that of its epoch, so a split
        between an off-ramp request and its booking applies to it (as to the adapter's units)."""
        if instruction.epoch is None or instruction.epoch == security.epoch:
            return security.multiplier
        then = self.store.multiplier_at(instruction.isin, instruction.epoch)
        if then is None or instruction.epoch > security.epoch:
            raise MessageRefused(
                f"sese.023 {instruction.reference} is measured at epoch {instruction.epoch}; the register is at "
                f"{security.epoch} and has no record of that epoch"
            )
        return then

    def corporate_action(self, notice: m.CorporateActionNotification) -> list[Path]:
        """Applies a corporate action once and writes one seev.036 per account it touched."""
        if self.store.has_corporate_action(notice.event_id):
            return self.resend_pending()
        security = self.store.security(notice.isin)
        if security is None:
            raise MessageRefused(f"the register does not keep {notice.isin}")
        if security.dti != notice.dti:
            raise MessageRefused(f"{notice.isin} is DTI {security.dti} on the register, not {notice.dti}")
        positions = self.store.positions(notice.isin)
        if notice.epoch is not None and notice.epoch <= security.epoch:
            raise MessageRefused(
                f"seev.031 {notice.event_id} opens epoch {notice.epoch}; the register is already at {security.epoch}"
            )
        with self.store.transaction() as db:
            epoch = security.epoch
            multiplier = security.multiplier
            if notice.kind is m.EventKind.CASH_DIVIDEND:
                if notice.epoch is not None:  # the record date is an epoch on chain: mirror it
                    epoch = notice.epoch
                    self.store.set_multiplier(db, notice.isin, multiplier, epoch)
                rows = [
                    MovementRow(
                        notice.event_id,
                        account,
                        to_tokens_down(units, multiplier),
                        0,
                        str(dividend_cash(to_tokens_down(units, multiplier), notice)),
                        False,
                    )
                    for _isin, account, units in positions
                ]
            else:
                multiplier = split_multiplier(security.multiplier, notice.new_shares, notice.old_shares)
                epoch = notice.epoch if notice.epoch is not None else epoch + 1
                self.store.set_multiplier(db, notice.isin, multiplier, epoch)
                rows = []
                for _isin, account, units in positions:
                    before = to_tokens_down(units, security.multiplier)
                    after = to_tokens_down(units, multiplier)
                    rows.append(MovementRow(notice.event_id, account, before, after - before, "0", False))
            self.store.insert_corporate_action(
                db,
                event_id=notice.event_id,
                isin=notice.isin,
                kind=notice.kind.value,
                record_date=notice.record_date.isoformat(),
                new_shares=notice.new_shares,
                old_shares=notice.old_shares,
                dividend=str(notice.dividend_per_share),
                currency=notice.currency,
                epoch=epoch,
            )
            for row in rows:
                self.store.insert_movement(db, row)
        return self.resend_pending()

    def resend_pending(self) -> list[Path]:
        """Writes every answer (or on-ramp instruction) a booking committed but a crash may have
        kept from the outbox."""
        written = [self._send(row) for row in self.store.unanswered()]
        for movement in self.store.unanswered_movements():
            written.append(self.outbox.write(self._movement(movement)))
            self.store.mark_movement_answered(movement.event_id, movement.account)
        return written

    # ------------------------------------------------------------------ answers

    def _send(self, row: InstructionRow) -> Path:
        """The register's message of `row`: the sese.023 of an on-ramp, else the answer."""
        if row.movement == m.Movement.DELIVER.value:
            path = self.outbox.write(_instruction_of(row))
            self.store.mark_answered(row.reference)
            return path
        return self._answer(row)

    def _answer(self, row: InstructionRow) -> Path:
        common: dict[str, Any] = {
            "reference": row.reference,
            "register_reference": row.register_reference,
            "isin": row.isin,
            "dti": row.dti or self._dti_of(row.isin),
            "quantity": Decimal(row.quantity),
            "account": row.account,
            "movement": m.Movement(row.movement),
            "settlement_date": date.fromisoformat(row.settlement_date),
        }
        answer: m.Message
        if row.status == ACCEPTED:
            answer = m.SettlementConfirmation(**common, wallet=row.wallet)
        else:
            answer = m.SettlementStatus(**common, status=m.Status.REJECTED, reason=row.reason)
        path = self.outbox.write(answer)
        self.store.mark_answered(row.reference)
        return path

    def _dti_of(self, isin: str) -> str:
        """The DTI of a kept security (rows booked before the register kept each row's DTI)."""
        security = self.store.security(isin)
        assert security is not None  # such a row names a kept security
        return security.dti

    def _movement(self, row: MovementRow) -> m.CorporateActionMovement:
        booked = self.store.corporate_action(row.event_id)
        assert booked is not None  # a movement belongs to a booked corporate action
        isin, kind, record_date, _dividend, currency = booked
        security = self.store.security(isin)
        assert security is not None
        return m.CorporateActionMovement(
            event_id=row.event_id,
            kind=m.EventKind(kind),
            isin=isin,
            dti=security.dti,
            account=row.account,
            balance=shares(row.balance),
            posting_date=date.fromisoformat(record_date),
            securities_posted=shares(row.securities),
            cash_posted=Decimal(row.cash),
            currency=currency,
        )


def statement_of(
    store: RegisterStore, safekeeping_account: str = "REGISTER", as_of: datetime | None = None
) -> m.HoldingsStatement:
    """The semt.002 of every non-zero position of a register's book."""
    moment = (as_of or datetime.now(UTC)).replace(microsecond=0)
    holdings = []
    for security in store.securities():
        for isin, account, units in store.positions(security.isin):
            quantity = shares(to_tokens_down(units, security.multiplier))
            holdings.append(m.Holding(account, isin, security.dti, quantity))
    return m.HoldingsStatement(
        statement_id=f"STMT-{moment.strftime('%Y%m%dT%H%M%S')}",
        safekeeping_account=safekeeping_account,
        as_of=moment,
        holdings=tuple(holdings),
    )


def split_multiplier(multiplier: int, new_shares: int, old_shares: int) -> int:
    """The multiplier after a `new_shares`-for-`old_shares` split, as `RegistryShare.split`."""
    if new_shares <= 0 or old_shares <= 0:
        raise MessageRefused(f"a split ratio is two positive whole numbers, got {new_shares}:{old_shares}")
    result = multiplier * new_shares // old_shares
    if result == 0:
        raise MessageRefused(f"a {new_shares}:{old_shares} split leaves no shares")
    return result


def dividend_cash(balance: int, notice: m.CorporateActionNotification) -> Decimal:
    """Cash of a dividend on a balance (token amount): shares x rate, down to the minor unit."""
    exponent = MINOR_UNIT_EXPONENT.get(notice.currency.upper(), 2)
    with localcontext() as exact:
        exact.prec = 100  # balances reach 1e30: no rounding before the one below
        cash = Decimal(balance) * notice.dividend_per_share / ONE
        return cash.quantize(Decimal(1).scaleb(-exponent), rounding=ROUND_DOWN)


def _unmatched(instruction: m.SettlementInstruction, security: Security | None) -> str:
    """The rejection reason of an instruction the register cannot match ('' when it matches)."""
    if security is None:
        return UNKNOWN_SECURITY
    if security.dti != instruction.dti:
        return DTI_MISMATCH
    return ""


def _instruction_of(row: InstructionRow) -> m.SettlementInstruction:
    """The sese.023 a booked row stands for (what its answers must match)."""
    return m.SettlementInstruction(
        reference=row.reference,
        isin=row.isin,
        dti=row.dti,
        quantity=Decimal(row.quantity),
        account=row.account,
        wallet=row.wallet,
        movement=m.Movement(row.movement),
        settlement_date=date.fromisoformat(row.settlement_date),
        epoch=row.epoch,
    )


def _terms(row: InstructionRow) -> tuple[str, str, str, Decimal, str]:
    return (row.isin, row.account, row.movement, Decimal(row.quantity), row.wallet)


def _terms_of(instruction: m.SettlementInstruction) -> tuple[str, str, str, Decimal, str]:
    return (
        instruction.isin,
        instruction.account,
        instruction.movement.value,
        instruction.quantity,
        instruction.wallet,
    )
