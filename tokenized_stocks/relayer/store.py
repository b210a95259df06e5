"""The relayer's SQLite store: a cursor per source chain and the state of every message seen."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence

from tokenized_stocks.protocol.message import (
    Message,
)


class RelayerStore:
    """Cursor per source chain and the state of every message seen.

    Message states: `pending` (read, not yet sent), `submitting` (a transaction carrying it was sent
    or was about to be), `delivered` / `rejected` / `expired` (final on the destination), `failed`
    (gave up after `max_attempts`, or a permanent revert; kept for the report), `misaddressed`
    (names a destination gateway other than the configured one; never delivered).
    """

    FINAL = ("delivered", "rejected", "expired")

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a committed step survives a killed process (only an OS crash may lose the last one).
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS cursors (chain_id INTEGER PRIMARY KEY, block INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS messages (
                id BLOB PRIMARY KEY,
                src_chain_id INTEGER NOT NULL,
                dst_chain_id INTEGER NOT NULL,
                nonce INTEGER NOT NULL,
                kind INTEGER NOT NULL,
                data BLOB NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                tx_hash BLOB,
                last_error TEXT,
                updated_at REAL NOT NULL
            );
            CREATE INDEX IF NOT EXISTS messages_by_state
                ON messages (dst_chain_id, state, src_chain_id, nonce);
            """
        )
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(messages)")}
        if "dst_gateway" not in columns:  # a database written before the column existed
            self.db.execute("ALTER TABLE messages ADD COLUMN dst_gateway TEXT")

    def close(self) -> None:
        self.db.close()

    def cursor(self, chain_id: int) -> int | None:
        row = self.db.execute("SELECT block FROM cursors WHERE chain_id = ?", (chain_id,)).fetchone()
        return None if row is None else int(row[0])

    def record_scan(
        self,
        chain_id: int,
        to_block: int,
        messages: Iterable[Message],
        dst_gateways: Sequence[str | None] | None = None,
    ) -> int:
        """Stores messages read up to `to_block` (with the destination gateway each names, when
        known) and advances the cursor, atomically."""
        now = time.time()
        added = 0
        messages = list(messages)
        named = list(dst_gateways) if dst_gateways is not None else [None] * len(messages)
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for m, gateway in zip(messages, named, strict=True):
                cur = self.db.execute(
                    "INSERT OR IGNORE INTO messages"
                    " (id, src_chain_id, dst_chain_id, nonce, kind, data, state, updated_at, dst_gateway)"
                    " VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
                    (m.id, m.src_chain_id, m.dst_chain_id, m.nonce, m.kind, m.encode(), now, gateway),
                )
                added += cur.rowcount
            self.db.execute(
                "INSERT INTO cursors (chain_id, block) VALUES (?, ?)"
                " ON CONFLICT(chain_id) DO UPDATE SET block = excluded.block",
                (chain_id, to_block),
            )
        return added

    def open_messages(self, dst_chain_id: int, limit: int = 1_000) -> list[tuple[Message, str]]:
        return [(m, state) for m, state, _ in self.open_messages_to(dst_chain_id, limit)]

    def open_messages_to(
        self, dst_chain_id: int, limit: int = 1_000
    ) -> list[tuple[Message, str, str | None]]:
        """Open messages with the destination gateway each names (None: not recorded)."""
        rows = self.db.execute(
            "SELECT data, state, dst_gateway FROM messages"
            " WHERE dst_chain_id = ? AND state IN ('pending', 'submitting')"
            " ORDER BY src_chain_id, nonce LIMIT ?",
            (dst_chain_id, limit),
        ).fetchall()
        return [(Message.decode(bytes(data)), state, gateway) for data, state, gateway in rows]

    def mark(self, ids: Sequence[bytes], state: str, tx_hash: bytes | None = None) -> None:
        now = time.time()
        with self.db:
            self.db.executemany(
                "UPDATE messages SET state = ?, tx_hash = COALESCE(?, tx_hash), updated_at = ? WHERE id = ?",
                [(state, tx_hash, now, i) for i in ids],
            )

    def record_failure(self, message_id: bytes, error: str, max_attempts: int) -> bool:
        """Counts a failed attempt; returns True when the message is now parked as `failed`.
        `max_attempts` 0 keeps it pending however many attempts failed (a transient revert)."""
        if max_attempts <= 0:
            with self.db:
                self.db.execute(
                    "UPDATE messages SET attempts = attempts + 1, last_error = ?, updated_at = ?,"
                    " state = 'pending' WHERE id = ?",
                    (error, time.time(), message_id),
                )
            return False
        with self.db:
            self.db.execute(
                "UPDATE messages SET attempts = attempts + 1, last_error = ?, updated_at = ?,"
                " state = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END WHERE id = ?",
                (error, time.time(), max_attempts, message_id),
            )
        row = self.db.execute("SELECT state FROM messages WHERE id = ?", (message_id,)).fetchone()
        return row is not None and row[0] == "failed"

    def state(self, message_id: bytes) -> str | None:
        row = self.db.execute("SELECT state FROM messages WHERE id = ?", (message_id,)).fetchone()
        return None if row is None else str(row[0])

    def failed(self) -> list[tuple[bytes, int, str]]:
        rows = self.db.execute(
            "SELECT id, attempts, last_error FROM messages WHERE state = 'failed'"
        ).fetchall()
        return [(bytes(i), int(a), str(e)) for i, a, e in rows]

    def retry_failed(self) -> int:
        with self.db:
            return self.db.execute(
                "UPDATE messages SET state = 'pending', attempts = 0 WHERE state = 'failed'"
            ).rowcount

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT state, COUNT(*) FROM messages GROUP BY state").fetchall())
