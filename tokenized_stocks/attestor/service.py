"""The attestor: one operator's own witness of the gateways it watches.

It follows the `MessageSent` logs of each watched gateway over its own RPC, and signs a message
only when it found it itself, emitted by that gateway, in a block at least `confirmations` deep on
the canonical chain. Nothing else is ever signed: the HTTP API serves what is in the store and
takes no message from anyone.

At signing time it checks again, in one batched request, that every block holding a message and
the last block of the range still have the hashes the logs were read from (a reorg meanwhile
abandons the round; the next one reads the new chain). The signatures and the advanced cursor are
committed together, fsync'd, before they can be served; the store refuses a second message for a
(source chain, source gateway, nonce), so a reorg deeper than `confirmations` cannot make it sign
two messages for one nonce: it is reported (health, metrics, log) and that chain is halted.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from eth_account.signers.local import LocalAccount

from tokenized_stocks.attestor.chain import AttestorError, SentLog, SourceChain
from tokenized_stocks.attestor.store import Attestation, AttestorStore
from tokenized_stocks.protocol.message import VERSION, attestation_digest, sign_digest

log = logging.getLogger("tokenized_stocks.attestor")


@dataclass(frozen=True)
class WatchedChain:
    """A chain to watch: its RPC URL, the gateway there and where a fresh cursor starts."""

    rpc_url: str
    gateway: str
    start_block: int = 0


@dataclass
class ChainHealth:
    """What the attestor knows of one watched chain (served by /health and /metrics)."""

    chain_id: int
    gateway: str
    cursor: int | None = None
    head: int | None = None
    error: str | None = None
    halted: str | None = None  # a reorg deeper than the confirmations: signing stopped on this chain


@dataclass
class Counters:
    signed: int = 0
    refused_conflicts: int = 0
    refused_malformed: int = 0
    reorgs_during_scan: int = 0
    polls: int = 0
    poll_errors: int = 0
    requests: dict[str, int] = field(default_factory=dict)


class Attestor:
    """Scans, checks and signs; `poll()` does one round over every watched chain."""

    def __init__(
        self,
        key: LocalAccount,
        chains: Sequence[WatchedChain],
        store: AttestorStore,
        confirmations: int = 0,
        log_chunk: int = 2_000,
        rpc_retries: int = 5,
        rpc_backoff: float = 0.2,
    ) -> None:
        if not chains:
            raise ValueError("an attestor watches at least one chain")
        self.key = key
        self.address = key.address
        self.store = store
        self.confirmations = confirmations
        self.log_chunk = log_chunk
        self.watched = list(chains)
        self.sources: list[SourceChain] = []
        self.health: list[ChainHealth] = []
        for watched in chains:
            source = SourceChain(watched.rpc_url, watched.gateway, rpc_retries, rpc_backoff)
            self.sources.append(source)
            self.health.append(ChainHealth(source.chain_id, source.gateway))
        self.counters = Counters()
        self.lock = threading.Lock()  # one poll at a time (the server thread may trigger one)

    def close(self) -> None:
        self.store.close()

    # ------------------------------------------------------------------------------------- polling

    def poll(self) -> int:
        """One round: scans every watched chain; returns how many messages were signed. A chain
        that fails is recorded in its health and retried next round; the others go on."""
        signed = 0
        with self.lock:
            self.counters.polls += 1
            for watched, source, health in zip(self.watched, self.sources, self.health, strict=True):
                if health.halted:
                    continue
                try:
                    signed += self._scan(watched, source, health)
                    health.error = None
                except AttestorError as exc:
                    self.counters.poll_errors += 1
                    health.error = str(exc).splitlines()[0]
                    log.error("%s: round abandoned: %s", source.name, health.error)
                except Exception as exc:  # noqa: BLE001 - the loop must outlive one bad answer
                    self.counters.poll_errors += 1
                    health.error = f"{type(exc).__name__}: {exc}".splitlines()[0]
                    log.exception("%s: round abandoned on an unexpected error", source.name)
        return signed

    def run_forever(self, poll_interval: float, stop: threading.Event) -> None:
        while not stop.is_set():
            self.poll()
            stop.wait(poll_interval)

    def _scan(self, watched: WatchedChain, source: SourceChain, health: ChainHealth) -> int:
        head = source.block_number()
        health.head = head
        safe = head - self.confirmations
        cursor = self.store.cursor(source.chain_id, source.gateway)
        if cursor is None:
            start = watched.start_block
        else:
            block, block_hash = cursor
            health.cursor = block
            if source.block_hash(block) != block_hash:
                health.halted = (
                    f"block {block} signed through was reorged out (deeper than {self.confirmations} "
                    "confirmations): signing stopped on this chain; investigate before restarting"
                )
                log.critical("%s: %s", source.name, health.halted)
                return 0
            start = block + 1
        signed = 0
        while start <= safe:
            end = min(safe, start + self.log_chunk - 1)
            end_hash = source.block_hash(end)
            if end_hash is None:
                return signed
            found = source.sent_logs(start, end)
            genuine = [entry for entry in found if self._genuine(source, entry)]
            # Signing time: every block holding a message, and the range's last, still canonical.
            now = source.block_hashes([entry.block_number for entry in genuine] + [end])
            if now[end] != end_hash or any(now[e.block_number] != e.block_hash for e in genuine):
                self.counters.reorgs_during_scan += 1
                log.warning(
                    "%s: blocks %d-%d changed while read: read again next round", source.name, start, end
                )
                return signed
            if source.block_number() - self.confirmations < end:
                return signed  # the chain got shorter meanwhile: not deep enough any more
            attestations = [self._sign(entry) for entry in genuine]
            added, conflicts = self.store.record(source.chain_id, source.gateway, end, end_hash, attestations)
            for conflict in conflicts:
                self.counters.refused_conflicts += 1
                log.critical(
                    "%s: REFUSED to sign message %s: nonce %d of this gateway was signed for %s",
                    source.name,
                    conflict.message_id.hex(),
                    conflict.nonce,
                    conflict.signed_id.hex(),
                )
            self.counters.signed += added
            signed += added
            health.cursor = end
            start = end + 1
        if signed:
            log.info("%s: signed %d message(s) up to block %d", source.name, signed, health.cursor)
        return signed

    def _genuine(self, source: SourceChain, entry: SentLog) -> bool:
        """The log is the watched gateway's own message, consistent with itself."""
        m = entry.message
        problems = []
        if entry.address != source.gateway or m.src_gateway != source.gateway:
            problems.append("not emitted by the watched gateway")
        if m.src_chain_id != source.chain_id:
            problems.append(f"names source chain {m.src_chain_id}")
        if entry.logged_id != m.id:
            problems.append("its id is not the hash of its message")
        if m.version != VERSION:
            problems.append(f"version {m.version}")
        if problems:
            self.counters.refused_malformed += 1
            log.error(
                "%s: not signing a log in block %d: %s", source.name, entry.block_number, "; ".join(problems)
            )
        return not problems

    def _sign(self, entry: SentLog) -> Attestation:
        m = entry.message
        signature = sign_digest(self.key, attestation_digest(m, m.src_gateway, m.dst_gateway))
        return Attestation(m, signature, entry.block_number, entry.block_hash)

    # -------------------------------------------------------------------------------------- reading

    def attestations(self, message_ids: Sequence[bytes]) -> dict[bytes, Attestation]:
        return self.store.get(message_ids)

    def healthy(self) -> bool:
        return all(h.error is None and h.halted is None for h in self.health)

    def snapshot(self) -> dict[str, object]:
        """The /health document."""
        return {
            "status": "ok" if self.healthy() else "degraded",
            "signer": self.address,
            "confirmations": self.confirmations,
            "signed": self.store.count(),
            "chains": [
                {
                    "chain_id": h.chain_id,
                    "gateway": h.gateway,
                    "cursor": h.cursor,
                    "head": h.head,
                    "lag": None if h.head is None or h.cursor is None else h.head - h.cursor,
                    "error": h.error,
                    "halted": h.halted,
                }
                for h in self.health
            ],
            "time": time.time(),
        }


__all__ = ["Attestor", "AttestorError", "ChainHealth", "WatchedChain"]
