"""The register's book in SQLite: securities, positions in units, instructions, corporate actions.

Amounts are kept as the chain keeps them: units per account and one multiplier per security
(balance = units x multiplier / 1e18, `protocol.multiplier`), so a split rescales every position
at once, exactly as the token does. Integers are stored as decimal text (units exceed SQLite's
64 bits). Every booking is one transaction (`transaction()`): the instruction row, keyed by its
reference, and the position change commit together or not at all, so a kill -9 at any point
leaves either both or neither, and a re-delivered instruction finds its row and is not booked
twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from tokenized_stocks.protocol.multiplier import INITIAL_MULTIPLIER

SCHEMA = """
CREATE TABLE IF NOT EXISTS securities (
    isin TEXT PRIMARY KEY, dti TEXT NOT NULL, multiplier TEXT NOT NULL, epoch INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS epochs (
    isin TEXT NOT NULL, epoch INTEGER NOT NULL, multiplier TEXT NOT NULL, PRIMARY KEY (isin, epoch)
);
CREATE TABLE IF NOT EXISTS frozen (
    isin TEXT NOT NULL, account TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (isin, account)
);
CREATE TABLE IF NOT EXISTS forced_transfers (
    reference TEXT PRIMARY KEY, isin TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
    units TEXT NOT NULL, reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS late_dividends (
    reference TEXT NOT NULL, event_id TEXT NOT NULL, account TEXT NOT NULL, cash TEXT NOT NULL,
    PRIMARY KEY (reference, event_id)
);
CREATE TABLE IF NOT EXISTS positions (
    isin TEXT NOT NULL, account TEXT NOT NULL, units TEXT NOT NULL, PRIMARY KEY (isin, account)
);
CREATE TABLE IF NOT EXISTS instructions (
    reference TEXT PRIMARY KEY, register_reference TEXT NOT NULL UNIQUE, isin TEXT NOT NULL,
    account TEXT NOT NULL, wallet TEXT NOT NULL, movement TEXT NOT NULL, quantity TEXT NOT NULL,
    settlement_date TEXT NOT NULL, units TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL,
    answered INTEGER NOT NULL DEFAULT 0, dti TEXT NOT NULL DEFAULT '', epoch INTEGER,
    chain_reference TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS corporate_actions (
    event_id TEXT PRIMARY KEY, isin TEXT NOT NULL, kind TEXT NOT NULL, record_date TEXT NOT NULL,
    new_shares INTEGER NOT NULL, old_shares INTEGER NOT NULL, dividend TEXT NOT NULL,
    currency TEXT NOT NULL, epoch INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS movements (
    event_id TEXT NOT NULL, account TEXT NOT NULL, balance TEXT NOT NULL, securities TEXT NOT NULL,
    cash TEXT NOT NULL, answered INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (event_id, account)
);
"""


@dataclass(frozen=True)
class Security:
    isin: str
    dti: str
    multiplier: int
    epoch: int


#: Columns added to `instructions` after its first release, added to an older book on open.
_ADDED_COLUMNS = {
    "dti": "TEXT NOT NULL DEFAULT ''",
    "epoch": "INTEGER",
    "chain_reference": "TEXT NOT NULL DEFAULT ''",
    "booked_at": "INTEGER",
    "deadline": "INTEGER",
}
_INSTRUCTION_COLUMNS = (
    "reference, register_reference, isin, account, wallet, movement, quantity, settlement_date, units, status, "
    "reason, answered, dti, epoch, chain_reference, booked_at, deadline"
)


@dataclass(frozen=True)
class InstructionRow:
    """One instruction the register booked (an off-ramp it received) or sent (an on-ramp).

    `status`: settled, rejected, pending (an on-ramp sent to the chain, its position debited and
    awaiting the chain's answer) or reversed (an off-ramp the chain expired before the register's
    confirmation arrived). `answered`: the register's message for the row (its answer, or the
    sese.023 of an on-ramp) is in the outbox. `dti` and `epoch` are the instruction's own;
    `chain_reference` is the chain's id of the on-ramp that settled it. `booked_at` (unix seconds,
    the register's clock; None for rows booked before it was kept) and, for an on-ramp, `deadline`:
    when the chain should have issued it (reconciliation reports it in transit until then)."""

    reference: str
    register_reference: str
    isin: str
    account: str
    wallet: str
    movement: str
    quantity: str
    settlement_date: str
    units: int
    status: str
    reason: str
    answered: bool
    dti: str = ""
    epoch: int | None = None
    chain_reference: str = ""
    booked_at: int | None = None
    deadline: int | None = None


@dataclass(frozen=True)
class MovementRow:
    event_id: str
    account: str
    balance: int
    securities: int
    cash: str
    answered: bool


class RegisterStore:
    """The SQLite book. One connection, autocommit outside `transaction()`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._db = sqlite3.connect(str(path), isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        present = {row[1] for row in self._db.execute("PRAGMA table_info(instructions)")}
        for column, kind in _ADDED_COLUMNS.items():
            if column not in present:
                self._db.execute(f"ALTER TABLE instructions ADD COLUMN {column} {kind}")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic booking: committed on success, rolled back on any error."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ---------------------------------------------------------------- securities and positions

    def add_security(self, isin: str, dti: str, multiplier: int = INITIAL_MULTIPLIER, epoch: int = 0) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO securities (isin, dti, multiplier, epoch) VALUES (?, ?, ?, ?)",
                (isin, dti, str(multiplier), epoch),
            )
            db.execute(
                "INSERT OR IGNORE INTO epochs (isin, epoch, multiplier) VALUES (?, ?, ?)",
                (isin, epoch, str(multiplier)),
            )

    def security(self, isin: str) -> Security | None:
        row = self._db.execute(
            "SELECT isin, dti, multiplier, epoch FROM securities WHERE isin = ?", (isin,)
        ).fetchone()
        return None if row is None else Security(row[0], row[1], int(row[2]), int(row[3]))

    def securities(self) -> list[Security]:
        rows = self._db.execute(
            "SELECT isin, dti, multiplier, epoch FROM securities ORDER BY isin"
        ).fetchall()
        return [Security(r[0], r[1], int(r[2]), int(r[3])) for r in rows]

    def set_multiplier(self, db: sqlite3.Connection, isin: str, multiplier: int, epoch: int) -> None:
        db.execute(
            "UPDATE securities SET multiplier = ?, epoch = ? WHERE isin = ?", (str(multiplier), epoch, isin)
        )
        db.execute(
            "INSERT INTO epochs (isin, epoch, multiplier) VALUES (?, ?, ?)", (isin, epoch, str(multiplier))
        )

    def multiplier_at(self, isin: str, epoch: int) -> int | None:
        """The security's multiplier at corporate-action epoch `epoch` (None: never seen)."""
        row = self._db.execute(
            "SELECT multiplier FROM epochs WHERE isin = ? AND epoch = ?", (isin, epoch)
        ).fetchone()
        return None if row is None else int(row[0])

    def units(self, isin: str, account: str) -> int:
        row = self._db.execute(
            "SELECT units FROM positions WHERE isin = ? AND account = ?", (isin, account)
        ).fetchone()
        return 0 if row is None else int(row[0])

    def set_units(self, db: sqlite3.Connection, isin: str, account: str, units: int) -> None:
        db.execute(
            "INSERT INTO positions (isin, account, units) VALUES (?, ?, ?) "
            "ON CONFLICT (isin, account) DO UPDATE SET units = excluded.units",
            (isin, account, str(units)),
        )

    def positions(self, isin: str | None = None) -> list[tuple[str, str, int]]:
        """(isin, account, units) of every non-zero position, ordered."""
        rows = self._db.execute(
            "SELECT isin, account, units FROM positions ORDER BY isin, account"
        ).fetchall()
        return [(r[0], r[1], int(r[2])) for r in rows if int(r[2]) and (isin is None or r[0] == isin)]

    def is_frozen(self, isin: str, account: str) -> bool:
        found = self._db.execute(
            "SELECT 1 FROM frozen WHERE isin = ? AND account = ?", (isin, account)
        ).fetchone()
        return found is not None

    def set_frozen(self, isin: str, account: str, frozen: bool, reason: str) -> None:
        if frozen:
            self._db.execute(
                "INSERT OR REPLACE INTO frozen (isin, account, reason) VALUES (?, ?, ?)",
                (isin, account, reason),
            )
        else:
            self._db.execute("DELETE FROM frozen WHERE isin = ? AND account = ?", (isin, account))

    def has_forced_transfer(self, reference: str) -> bool:
        found = self._db.execute(
            "SELECT 1 FROM forced_transfers WHERE reference = ?", (reference,)
        ).fetchone()
        return found is not None

    def insert_forced_transfer(
        self,
        db: sqlite3.Connection,
        reference: str,
        isin: str,
        source: str,
        target: str,
        units: int,
        reason: str,
    ) -> None:
        db.execute(
            "INSERT INTO forced_transfers (reference, isin, source, target, units, reason) VALUES (?, ?, ?, ?, ?, ?)",
            (reference, isin, source, target, str(units), reason),
        )

    # ---------------------------------------------------------------- instructions

    def instruction(self, reference: str) -> InstructionRow | None:
        row = self._db.execute(
            f"SELECT {_INSTRUCTION_COLUMNS} FROM instructions WHERE reference = ?", (reference,)
        ).fetchone()
        return None if row is None else _instruction(row)

    def instructions(self) -> list[InstructionRow]:
        """Every instruction, in the order booked (the register's instruction log)."""
        rows = self._db.execute(f"SELECT {_INSTRUCTION_COLUMNS} FROM instructions ORDER BY rowid").fetchall()
        return [_instruction(r) for r in rows]

    def unanswered(self) -> list[InstructionRow]:
        rows = self._db.execute(
            f"SELECT {_INSTRUCTION_COLUMNS} FROM instructions WHERE answered = 0 ORDER BY rowid"
        ).fetchall()
        return [_instruction(r) for r in rows]

    def count_instructions(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM instructions").fetchone()[0])

    def insert_instruction(self, db: sqlite3.Connection, row: InstructionRow) -> None:
        db.execute(
            f"INSERT INTO instructions ({_INSTRUCTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)",
            (
                row.reference,
                row.register_reference,
                row.isin,
                row.account,
                row.wallet,
                row.movement,
                row.quantity,
                row.settlement_date,
                str(row.units),
                row.status,
                row.reason,
                row.dti,
                row.epoch,
                row.chain_reference,
                row.booked_at,
                row.deadline,
            ),
        )

    def close_instruction(
        self, db: sqlite3.Connection, reference: str, status: str, reason: str = "", chain_reference: str = ""
    ) -> None:
        """Moves an instruction to its final `status` (inside the booking's transaction)."""
        db.execute(
            "UPDATE instructions SET status = ?, reason = ?, chain_reference = ? WHERE reference = ?",
            (status, reason, chain_reference, reference),
        )

    def delete_late_dividends(self, db: sqlite3.Connection, reference: str) -> None:
        """Drops the late dividends credited by an instruction that is reversed."""
        db.execute("DELETE FROM late_dividends WHERE reference = ?", (reference,))

    def mark_answered(self, reference: str) -> None:
        self._db.execute("UPDATE instructions SET answered = 1 WHERE reference = ?", (reference,))

    # ---------------------------------------------------------------- corporate actions

    def has_corporate_action(self, event_id: str) -> bool:
        found = self._db.execute("SELECT 1 FROM corporate_actions WHERE event_id = ?", (event_id,)).fetchone()
        return found is not None

    def insert_corporate_action(
        self,
        db: sqlite3.Connection,
        *,
        event_id: str,
        isin: str,
        kind: str,
        record_date: str,
        new_shares: int,
        old_shares: int,
        dividend: str,
        currency: str,
        epoch: int,
    ) -> None:
        db.execute(
            "INSERT INTO corporate_actions (event_id, isin, kind, record_date, new_shares, old_shares, dividend, "
            "currency, epoch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (event_id, isin, kind, record_date, new_shares, old_shares, dividend, currency, epoch),
        )

    def insert_movement(self, db: sqlite3.Connection, row: MovementRow) -> None:
        db.execute(
            "INSERT INTO movements (event_id, account, balance, securities, cash, answered) VALUES (?, ?, ?, ?, ?, 0)",
            (row.event_id, row.account, str(row.balance), str(row.securities), row.cash),
        )

    def unanswered_movements(self) -> list[MovementRow]:
        rows = self._db.execute(
            "SELECT event_id, account, balance, securities, cash, answered FROM movements WHERE answered = 0 "
            "ORDER BY rowid"
        ).fetchall()
        return [MovementRow(r[0], r[1], int(r[2]), int(r[3]), r[4], bool(r[5])) for r in rows]

    def mark_movement_answered(self, event_id: str, account: str) -> None:
        self._db.execute(
            "UPDATE movements SET answered = 1 WHERE event_id = ? AND account = ?", (event_id, account)
        )

    def corporate_action(self, event_id: str) -> tuple[str, str, str, str, str] | None:
        """(isin, kind, record_date, dividend, currency) of a booked corporate action."""
        row = self._db.execute(
            "SELECT isin, kind, record_date, dividend, currency FROM corporate_actions WHERE event_id = ?",
            (event_id,),
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2], row[3], row[4])

    def cash_entitlement(self, isin: str, account: str) -> str:
        """Total dividend cash booked to `account` for `isin` (decimal text, summed exactly)."""
        rows = self._db.execute(
            "SELECT m.cash FROM movements m JOIN corporate_actions c ON c.event_id = m.event_id "
            "WHERE c.isin = ? AND m.account = ?",
            (isin, account),
        ).fetchall()
        rows += self._db.execute(
            "SELECT l.cash FROM late_dividends l JOIN corporate_actions c ON c.event_id = l.event_id "
            "WHERE c.isin = ? AND l.account = ?",
            (isin, account),
        ).fetchall()
        return str(sum((Decimal(r[0]) for r in rows), Decimal(0)))

    def dividends_after(self, isin: str, epoch: int) -> list[tuple[str, int, str, str]]:
        """(event id, record epoch, dividend per share, currency) of the cash dividends of `isin`
        whose record date is after `epoch`."""
        rows = self._db.execute(
            "SELECT event_id, epoch, dividend, currency FROM corporate_actions "
            "WHERE isin = ? AND kind = 'DVCA' AND epoch > ? ORDER BY epoch",
            (isin, epoch),
        ).fetchall()
        return [(r[0], int(r[1]), r[2], r[3]) for r in rows]

    def insert_late_dividend(
        self, db: sqlite3.Connection, reference: str, event_id: str, account: str, cash: Decimal
    ) -> None:
        db.execute(
            "INSERT INTO late_dividends (reference, event_id, account, cash) VALUES (?, ?, ?, ?)",
            (reference, event_id, account, str(cash)),
        )


def _instruction(row: tuple) -> InstructionRow:
    return InstructionRow(
        reference=row[0],
        register_reference=row[1],
        isin=row[2],
        account=row[3],
        wallet=row[4],
        movement=row[5],
        quantity=row[6],
        settlement_date=row[7],
        units=int(row[8]),
        status=row[9],
        reason=row[10],
        answered=bool(row[11]),
        dti=row[12],
        epoch=None if row[13] is None else int(row[13]),
        chain_reference=row[14],
        booked_at=None if row[15] is None else int(row[15]),
        deadline=None if row[16] is None else int(row[16]),
    )
