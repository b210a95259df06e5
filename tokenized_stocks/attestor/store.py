"""The attestor's SQLite store: a cursor per watched chain and every attestation it ever made.

The table `attestations` is keyed by (source chain, source gateway, nonce): a second, different
message for the same key can never be inserted, so the attestor never signs two messages for one
nonce, whatever it is told and however often it restarts. A signature is served only from this
table, so it is on disk (WAL, `synchronous=FULL`: fsync'd at each commit) before anyone sees it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tokenized_stocks.protocol.message import Message


@dataclass(frozen=True)
class Attestation:
    """One signed message, as stored and served."""

    message: Message
    signature: bytes
    block_number: int
    block_hash: bytes


@dataclass(frozen=True)
class Conflict:
    """A message the attestor refused to sign: another one holds its (chain, gateway, nonce)."""

    message_id: bytes
    signed_id: bytes
    src_chain_id: int
    nonce: int


class AttestorStore:
    """Cursors, attestations and refused conflicts, in one SQLite file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        # FULL: every commit is fsync'd, so an attestation served has survived any later crash.
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS cursors (
                chain_id INTEGER NOT NULL,
                gateway TEXT NOT NULL,
                block INTEGER NOT NULL,
                block_hash BLOB NOT NULL,
                PRIMARY KEY (chain_id, gateway)
            );
            CREATE TABLE IF NOT EXISTS attestations (
                src_chain_id INTEGER NOT NULL,
                src_gateway TEXT NOT NULL,
                nonce INTEGER NOT NULL,
                message_id BLOB NOT NULL UNIQUE,
                data BLOB NOT NULL,
                signature BLOB NOT NULL,
                block_number INTEGER NOT NULL,
                block_hash BLOB NOT NULL,
                signed_at REAL NOT NULL,
                PRIMARY KEY (src_chain_id, src_gateway, nonce)
            );
            CREATE TABLE IF NOT EXISTS conflicts (
                message_id BLOB PRIMARY KEY,
                signed_id BLOB NOT NULL,
                src_chain_id INTEGER NOT NULL,
                nonce INTEGER NOT NULL,
                seen_at REAL NOT NULL
            );
            """
        )

    def close(self) -> None:
        self.db.close()

    def cursor(self, chain_id: int, gateway: str) -> tuple[int, bytes] | None:
        """The last block scanned on (chain, gateway) and its hash, None before the first scan."""
        row = self.db.execute(
            "SELECT block, block_hash FROM cursors WHERE chain_id = ? AND gateway = ?",
            (chain_id, gateway.lower()),
        ).fetchone()
        return None if row is None else (int(row[0]), bytes(row[1]))

    def record(
        self,
        chain_id: int,
        gateway: str,
        to_block: int,
        to_hash: bytes,
        signed: Iterable[Attestation],
    ) -> tuple[int, list[Conflict]]:
        """Stores the attestations of a scanned range and advances the cursor, in one fsync'd
        transaction. An attestation whose (chain, gateway, nonce) already holds ANOTHER message is
        not stored (returned as a conflict); the same message again is a no-op. Returns how many
        were added and the conflicts."""
        now = time.time()
        added = 0
        conflicts: list[Conflict] = []
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for a in signed:
                m = a.message
                key = (m.src_chain_id, m.src_gateway.lower(), m.nonce)
                row = self.db.execute(
                    "SELECT message_id FROM attestations"
                    " WHERE src_chain_id = ? AND src_gateway = ? AND nonce = ?",
                    key,
                ).fetchone()
                if row is not None:
                    if bytes(row[0]) != m.id:
                        conflicts.append(Conflict(m.id, bytes(row[0]), m.src_chain_id, m.nonce))
                        self.db.execute(
                            "INSERT OR IGNORE INTO conflicts VALUES (?, ?, ?, ?, ?)",
                            (m.id, bytes(row[0]), m.src_chain_id, m.nonce, now),
                        )
                    continue
                self.db.execute(
                    "INSERT INTO attestations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*key, m.id, m.encode(), a.signature, a.block_number, a.block_hash, now),
                )
                added += 1
            self.db.execute(
                "INSERT INTO cursors (chain_id, gateway, block, block_hash) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(chain_id, gateway) DO UPDATE SET block = excluded.block,"
                " block_hash = excluded.block_hash",
                (chain_id, gateway.lower(), to_block, to_hash),
            )
        return added, conflicts

    def insert_unchecked(self, attestation: Attestation) -> None:
        """Stores an attestation without a scan (a test's forged store: never used by the service)."""
        m = attestation.message
        with self.db:
            self.db.execute(
                "INSERT INTO attestations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    m.src_chain_id,
                    m.src_gateway.lower(),
                    m.nonce,
                    m.id,
                    m.encode(),
                    attestation.signature,
                    attestation.block_number,
                    attestation.block_hash,
                    time.time(),
                ),
            )

    def get(self, message_ids: Sequence[bytes]) -> dict[bytes, Attestation]:
        """The attestations of those of `message_ids` this attestor signed."""
        found: dict[bytes, Attestation] = {}
        ids = list(message_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self.db.execute(
                "SELECT message_id, data, signature, block_number, block_hash FROM attestations"
                f" WHERE message_id IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            for message_id, data, signature, number, block_hash in rows:
                found[bytes(message_id)] = Attestation(
                    Message.decode(bytes(data)), bytes(signature), int(number), bytes(block_hash)
                )
        return found

    def get_raw(self, message_ids: Sequence[bytes]) -> dict[bytes, tuple[bytes, bytes, int, bytes]]:
        """`get` without decoding: {id: (signature, message encoding, block number, block hash)}
        (what the API serves, for throughput)."""
        found: dict[bytes, tuple[bytes, bytes, int, bytes]] = {}
        ids = list(message_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self.db.execute(
                "SELECT message_id, signature, data, block_number, block_hash FROM attestations"
                f" WHERE message_id IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            for message_id, signature, data, number, block_hash in rows:
                found[bytes(message_id)] = (bytes(signature), bytes(data), int(number), bytes(block_hash))
        return found

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM attestations").fetchone()[0])

    def conflicts(self) -> list[Conflict]:
        rows = self.db.execute("SELECT message_id, signed_id, src_chain_id, nonce FROM conflicts").fetchall()
        return [Conflict(bytes(a), bytes(b), int(c), int(d)) for a, b, c, d in rows]
