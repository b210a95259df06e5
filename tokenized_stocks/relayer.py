"""The relayer: carries gateway messages between two chains, exactly once.

For each chain it follows `MessageSent` logs of the gateway once they have `confirmations` blocks
on top, stores every message in SQLite (with the per-chain block cursor, in the same transaction),
collects the operators' EIP-712 attestations, and submits them to the destination gateway with
`receiveBatch` (or `expire` once a Transfer's expiry has passed there).

Exactly once, across crashes:
- the cursor and the messages read up to it are committed together, so a restart neither skips
  nor re-reads a block range it has stored (re-reading would be harmless: INSERT OR IGNORE);
- before a transaction is sent, its messages are marked `submitting` with the transaction hash;
  after a restart, a `submitting` message is first looked up on the destination
  (`inboundState`) and only re-sent if the destination has not processed it;
- `receiveBatch` skips a message the destination already processed, so even a duplicate
  submission (another relayer, a lost receipt) cannot deliver twice.

A failed submission is classified BY ITS REVERT (the custom error's selector, named through the
gateway's error table, see `ERROR_CLASSES`):
- transient (`GatewayRateLimited`, `EnforcedPause`, an expiry race; transport errors abort the
  round and are retried with it): the message stays `pending` and is retried every round until its
  expiry has passed on the destination, then `expire` is submitted so the source is refunded (an
  attacker filling the rate limit can delay an honest transfer, never strand it);
- permanent (invalid signature, unknown asset or chain, wrong destination, ...): parked as `failed`
  at once and reported (`Relayer.failed()`, `RelayReport.failed`), never retried on its own;
- unrecognised: retried `max_attempts` times, then parked.
`Relayer.retry_failed()` puts parked messages back after the cause is fixed.

A message is only ever delivered to the gateway it names: the source gateway's trusted
`remoteGateway(dstChainId)` in the block that emitted it. One that names another gateway (the
destination was redeployed and the relayer points at the new one) is parked as `misaddressed`.
A fresh database starts each chain at its endpoint's `start_block` (the gateway's deployment
block from the manifest), never at block 0 of a chain that hosted an earlier deployment.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from eth_abi import decode, encode
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from web3 import HTTPProvider, Web3
from web3.exceptions import ContractLogicError, TimeExhausted

from tokenized_stocks.messages import (
    MESSAGE_ABI_TYPE,
    Message,
    MessageKind,
    MessageState,
    attestation_digest,
    sign_digest,
)

log = logging.getLogger("tokenized_stocks.relayer")

MESSAGE_SENT_TOPIC = keccak(text=f"MessageSent(bytes32,uint64,{MESSAGE_ABI_TYPE})")
MESSAGE_DELIVERED_TOPIC = keccak(text="MessageDelivered(bytes32,uint64,uint64)")
MESSAGE_REJECTED_TOPIC = keccak(text="MessageRejected(bytes32,uint8,bytes32)")
MESSAGE_EXPIRED_TOPIC = keccak(text="MessageExpired(bytes32,bytes32)")


def _selector(signature: str) -> bytes:
    return keccak(text=signature)[:4]


RECEIVE_BATCH = _selector(f"receiveBatch({MESSAGE_ABI_TYPE}[],bytes[][])")
EXPIRE = _selector(f"expire({MESSAGE_ABI_TYPE},bytes[])")
INBOUND_STATE = _selector("inboundState(uint64,uint64)")
OPERATOR_SET = _selector("operatorSet()")
REMOTE_GATEWAY = _selector("remoteGateway(uint64)")
IS_OPERATOR = _selector("isOperator(address)")

TRANSIENT = "transient"
PERMANENT = "permanent"
UNKNOWN = "unknown"

# Every custom error a receive or expire can revert with (the gateway's and what it bubbles up
# from the token), by signature, with whether retrying later can succeed. The signatures are the
# gateway ABI's: tests/unit/gateway/test_relayer_errors.py checks this table against the compiled ABI.
ERROR_CLASSES = {
    # a bucket refills, a pause is lifted, a message expires on the next block: retry
    "GatewayRateLimited(bytes32,bool,uint256,uint256)": TRANSIENT,
    "EnforcedPause()": TRANSIENT,
    "GatewayMessageExpired(bytes32,uint64)": TRANSIENT,
    "GatewayMessageNotExpired(bytes32,uint64)": TRANSIENT,
    "GatewayMessageAlreadyProcessed(bytes32,uint8)": TRANSIENT,
    "GatewayStateAlreadyFinal(uint64,address,uint64,uint8)": TRANSIENT,
    # the home chain's record date has not been synced here yet: delivered once it is
    "GatewayCorporateActionPending(bytes32,uint64,uint64)": TRANSIENT,
    # the same bytes will be refused again: report, do not retry
    "GatewayRefundRestricted(bytes32,address,uint8)": PERMANENT,
    "GatewayUnknownAsset(bytes32)": PERMANENT,
    "GatewayUnknownChain(uint256)": PERMANENT,
    "GatewayWrongDestination(uint64,uint256)": PERMANENT,
    "GatewayWrongDestinationGateway(address,address)": PERMANENT,
    "GatewayUnknownSourceGateway(uint64,address,address)": PERMANENT,
    "GatewayReturnExceedsSent(bytes32,uint64,uint256,uint256)": PERMANENT,
    "GatewayInvalidSignature(uint256)": PERMANENT,
    "GatewaySignersNotAscending(address,address)": PERMANENT,
    "GatewayBelowThreshold(uint256,uint256)": PERMANENT,
    "GatewayNotOperator(address)": PERMANENT,
    "GatewayCorporateActionNotFromHome(bytes32,uint64,uint256)": PERMANENT,
    "GatewayUnsupportedMessage(uint8,uint8)": PERMANENT,
    "GatewayNotExpirable(bytes32,uint8)": PERMANENT,
    "GatewayLengthMismatch(uint256,uint256)": PERMANENT,
    "GatewaySupplyUnderflow(bytes32,uint256,uint256)": PERMANENT,
    "AssetStaleCorporateAction(uint64,uint64)": PERMANENT,
}
# Gateway errors by selector: named in log lines, classified on failure.
KNOWN_ERRORS = {_selector(sig): sig for sig in ERROR_CLASSES}

# Gas limit of a submission: generous bounds of a receive (a first-time holder, a Return emitted).
GAS_BASE = 150_000
GAS_PER_MESSAGE = 150_000

T = TypeVar("T")


class Signer(Protocol):
    """An operator: a local key here, or a client of a separate operator process."""

    @property
    def address(self) -> str: ...

    def sign(self, message: Message, digest: bytes) -> bytes:
        """65-byte signature of `digest` (the attestation of `message`)."""
        ...


@dataclass(frozen=True)
class LocalOperator:
    """An operator whose key the relayer holds (tests, demo)."""

    account: LocalAccount

    @property
    def address(self) -> str:
        return self.account.address

    def sign(self, message: Message, digest: bytes) -> bytes:
        return sign_digest(self.account, digest)


@dataclass(frozen=True)
class ChainEndpoint:
    """One side of the bridge: an RPC URL, the gateway deployed there and, when known, the block it
    was deployed in (a fresh cursor starts there: messages of an earlier deployment are not read)."""

    name: str
    rpc_url: str
    gateway: str
    start_block: int | None = None


@dataclass
class RelayerConfig:
    """Everything the relayer needs. `start_block` is where a fresh cursor starts."""

    chain_a: ChainEndpoint
    chain_b: ChainEndpoint
    submitter: LocalAccount
    operators: Sequence[Signer]
    db_path: str = "relayer.sqlite"
    confirmations: int = 0
    batch_size: int = 20
    max_attempts: int = 3
    start_block: int = 0
    log_chunk: int = 5_000
    rpc_retries: int = 5
    rpc_backoff: float = 0.2
    receipt_timeout: float = 60.0


@dataclass
class RelayReport:
    """What one `run_once` did."""

    scanned: int = 0
    delivered: list[bytes] = field(default_factory=list)
    rejected: list[bytes] = field(default_factory=list)
    expired: list[bytes] = field(default_factory=list)
    already_processed: list[bytes] = field(default_factory=list)
    failed: list[tuple[bytes, str]] = field(default_factory=list)
    retrying: list[tuple[bytes, str]] = field(default_factory=list)  # transient failures, kept pending
    misaddressed: list[bytes] = field(default_factory=list)
    transactions: int = 0

    @property
    def processed(self) -> int:
        return len(self.delivered) + len(self.rejected) + len(self.expired) + len(self.already_processed)


class RelayerError(RuntimeError):
    """An RPC kept failing after every retry."""


class SimulatedCrash(BaseException):
    """Raised by a test fault hook to stop the relayer between two steps, like a kill."""


# =================================================================================================
# SQLite store
# =================================================================================================


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


# =================================================================================================
# Chain access
# =================================================================================================


class _Chain:
    """Raw JSON-RPC access to one gateway (calldata encoded with eth-abi, no ABI files needed)."""

    def __init__(self, endpoint: ChainEndpoint, retries: int, backoff: float) -> None:
        self.endpoint = endpoint
        self.name = endpoint.name
        self.gateway = to_checksum_address(endpoint.gateway)
        self.w3 = Web3(HTTPProvider(endpoint.rpc_url, request_kwargs={"timeout": 30}))
        self.retries = retries
        self.backoff = backoff
        self.chain_id = int(self.rpc(lambda: self.w3.eth.chain_id))

    def rpc(self, call: Callable[[], T]) -> T:
        """Runs `call`, retrying transport errors with exponential backoff (reverts are not retried)."""
        delay = self.backoff
        for attempt in range(1, self.retries + 1):
            try:
                return call()
            except ContractLogicError:
                raise
            except Exception as exc:  # noqa: BLE001 - transport errors of every kind are retried
                if attempt == self.retries:
                    raise RelayerError(f"{self.name}: RPC failed after {attempt} attempts: {exc}") from exc
                log.warning(
                    "%s: RPC error (%s), retry %d/%d in %.1fs", self.name, exc, attempt, self.retries, delay
                )
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def call(self, data: bytes) -> bytes:
        return bytes(self.rpc(lambda: self.w3.eth.call({"to": self.gateway, "data": data})))

    def block_number(self) -> int:
        return int(self.rpc(lambda: self.w3.eth.block_number))

    def timestamp(self) -> int:
        return int(self.rpc(lambda: self.w3.eth.get_block("latest")["timestamp"]))

    def message_logs_at(self, from_block: int, to_block: int) -> list[tuple[Message, int]]:
        """The messages sent in `[from_block, to_block]` with the block of each."""
        logs = self.rpc(
            lambda: self.w3.eth.get_logs(
                {
                    "address": self.gateway,
                    "fromBlock": from_block,
                    "toBlock": to_block,
                    "topics": [MESSAGE_SENT_TOPIC],
                }
            )
        )
        return [(Message.decode(bytes(entry["data"])), int(entry["blockNumber"])) for entry in logs]

    def remote_gateway(self, chain_id: int, block: int | None = None) -> str:
        """The gateway this one trusts for `chain_id` (at `block`, else now). A node that has pruned
        that block's state is asked for the current value."""
        data = REMOTE_GATEWAY + encode(["uint64"], [chain_id])
        out: bytes | None = None
        if block is not None:
            try:
                out = bytes(self.w3.eth.call({"to": self.gateway, "data": data}, block))
            except Exception:  # noqa: BLE001 - historical state unavailable: fall back to the head
                out = None
        if out is None:
            out = self.call(data)
        return to_checksum_address(decode(["address"], out)[0])

    def message_logs(self, from_block: int, to_block: int) -> list[Message]:
        logs = self.rpc(
            lambda: self.w3.eth.get_logs(
                {
                    "address": self.gateway,
                    "fromBlock": from_block,
                    "toBlock": to_block,
                    "topics": [MESSAGE_SENT_TOPIC],
                }
            )
        )
        return [Message.decode(bytes(entry["data"])) for entry in logs]

    def inbound_state(self, src_chain_id: int, nonce: int) -> MessageState:
        out = self.call(INBOUND_STATE + encode(["uint64", "uint64"], [src_chain_id, nonce]))
        return MessageState(decode(["uint8"], out)[0])

    def threshold(self) -> int:
        return int(decode(["uint256", "uint256"], self.call(OPERATOR_SET))[1])

    def is_operator(self, address: str) -> bool:
        return bool(decode(["bool"], self.call(IS_OPERATOR + encode(["address"], [address])))[0])


def _revert_signature(exc: BaseException) -> str | None:
    data = getattr(exc, "data", None)
    if isinstance(data, bytes | bytearray):
        data = "0x" + bytes(data).hex()
    if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
        return KNOWN_ERRORS.get(bytes.fromhex(data[2:10]))
    return None


def revert_reason(exc: BaseException) -> str:
    """A readable name for a gateway revert (`GatewayRateLimited(...)`), else the raw text."""
    return _revert_signature(exc) or str(exc)


def revert_class(exc: BaseException) -> str:
    """`TRANSIENT`, `PERMANENT` or `UNKNOWN`, from the custom error the revert carries."""
    signature = _revert_signature(exc)
    return ERROR_CLASSES.get(signature, UNKNOWN) if signature else UNKNOWN


# =================================================================================================
# Relayer
# =================================================================================================


class Relayer:
    """Relays messages both ways between `config.chain_a` and `config.chain_b`.

    `fault` is a test hook called with a step name ("scanned", "before_submit", "after_submit");
    raising `SimulatedCrash` there stops the relayer like a kill at that point.
    """

    def __init__(self, config: RelayerConfig, fault: Callable[[str], None] | None = None) -> None:
        self.config = config
        self.store = RelayerStore(config.db_path)
        self.a = _Chain(config.chain_a, config.rpc_retries, config.rpc_backoff)
        self.b = _Chain(config.chain_b, config.rpc_retries, config.rpc_backoff)
        self.fault = fault or (lambda step: None)
        self.submitter = config.submitter
        self._tx_nonce: dict[int, int] = {}

    def close(self) -> None:
        self.store.close()

    # ----------------------------------------------------------------------------------------- run

    def run_once(self) -> RelayReport:
        """Reads what is confirmed on both chains and delivers everything pending, then returns."""
        report = RelayReport()
        for src, dst in ((self.a, self.b), (self.b, self.a)):
            report.scanned += self.scan(src, dst)
        self.fault("scanned")
        for dst in (self.b, self.a):
            self.deliver(dst, report)
        if report.processed or report.failed:
            log.info(
                "relayed: %d delivered, %d rejected (returned), %d expired (returned), %d already processed,"
                " %d failed, %d transactions",
                len(report.delivered),
                len(report.rejected),
                len(report.expired),
                len(report.already_processed),
                len(report.failed),
                report.transactions,
            )
        return report

    def run_until_idle(self, max_rounds: int = 5) -> RelayReport:
        """Repeats `run_once` while it processes something (a rejection's Return, emitted during a
        round, is carried by the next one); returns the merged report."""
        total = RelayReport()
        for _ in range(max_rounds):
            report = self.run_once()
            total.scanned += report.scanned
            total.delivered += report.delivered
            total.rejected += report.rejected
            total.expired += report.expired
            total.already_processed += report.already_processed
            total.failed += report.failed
            total.retrying += report.retrying
            total.misaddressed += report.misaddressed
            total.transactions += report.transactions
            if not report.scanned and not report.processed:
                break
        return total

    def run_forever(self, poll_interval: float = 1.0, stop: Callable[[], bool] | None = None) -> None:
        """Polls until `stop()` is true (or forever). A chain that stays unreachable is logged and
        retried at the next poll (messages are safe in the store meanwhile)."""
        while not (stop and stop()):
            try:
                self.run_once()
            except RelayerError as exc:
                self._tx_nonce.clear()
                log.error("round abandoned, retrying in %.1fs: %s", poll_interval, exc)
            time.sleep(poll_interval)

    def failed(self) -> list[tuple[bytes, int, str]]:
        """Parked messages: (id, attempts, last error)."""
        return self.store.failed()

    def retry_failed(self) -> int:
        """Puts every parked message back in the queue; returns how many."""
        return self.store.retry_failed()

    # ---------------------------------------------------------------------------------------- scan

    def scan(self, src: _Chain, dst: _Chain) -> int:
        """Stores the confirmed `MessageSent` logs of `src` addressed to `dst`; returns how many."""
        head = src.block_number() - self.config.confirmations
        start = self.store.cursor(src.chain_id)
        if start is None:
            fresh = src.endpoint.start_block
            start = max(self.config.start_block, fresh if fresh is not None else 0)
        else:
            start += 1
        added = 0
        while start <= head:
            end = min(head, start + self.config.log_chunk - 1)
            found = [(m, b) for m, b in src.message_logs_at(start, end) if m.dst_chain_id == dst.chain_id]
            named = self._named_destinations(src, dst, found)
            added += self.store.record_scan(src.chain_id, end, [m for m, _ in found], named)
            start = end + 1
        if added:
            log.info("%s: read %d new message(s) for %s up to block %d", src.name, added, dst.name, head)
        return added

    def _named_destinations(self, src: _Chain, dst: _Chain, found: list[tuple[Message, int]]) -> list[str]:
        """The destination gateway each message names: its own field once messages carry one, else
        the gateway the source trusted for that chain in the block that emitted it."""
        at_block: dict[int, str] = {}
        named = []
        for message, block in found:
            carried = getattr(message, "dst_gateway", None)
            if carried:
                named.append(to_checksum_address(carried))
                continue
            if block not in at_block:
                at_block[block] = src.remote_gateway(dst.chain_id, block)
            named.append(at_block[block])
        return named

    # ------------------------------------------------------------------------------------- deliver

    def deliver(self, dst: _Chain, report: RelayReport) -> None:
        """Submits every open message addressed to `dst`."""
        src = self.b if dst is self.a else self.a
        open_messages = self.store.open_messages_to(dst.chain_id)
        if not open_messages:
            return
        to_send: list[Message] = []
        for message, state, named in open_messages:
            if named is not None and int(named, 16) != int(dst.gateway, 16):
                log.error(
                    "message %s names gateway %s on %s, not %s: never delivered elsewhere (misaddressed)",
                    message.id.hex(),
                    named,
                    dst.name,
                    dst.gateway,
                )
                self.store.mark([message.id], "misaddressed")
                report.misaddressed.append(message.id)
                continue
            if state == "submitting":
                # A transaction may have carried it before a crash: ask the destination first.
                onchain = dst.inbound_state(message.src_chain_id, message.nonce)
                if onchain != MessageState.NONE:
                    self._record_final([message], onchain, report, already=True)
                    continue
            to_send.append(message)
        if not to_send:
            return
        now = dst.timestamp()
        expired = [m for m in to_send if m.kind == MessageKind.TRANSFER and m.expiry < now]
        live = [m for m in to_send if m not in expired]
        signers = self._signers(dst)
        for message in expired:
            self._submit_expire(src, dst, message, signers, report)
        for i in range(0, len(live), self.config.batch_size):
            self._submit_batch(src, dst, live[i : i + self.config.batch_size], signers, report)

    def _signers(self, dst: _Chain) -> list[Signer]:
        threshold = dst.threshold()
        current = [op for op in self.config.operators if dst.is_operator(op.address)]
        if len(current) < threshold:
            raise RelayerError(
                f"{dst.name}: {len(current)} of our operators are current, threshold {threshold}"
            )
        return sorted(current, key=lambda op: int(op.address, 16))[:threshold]

    def _attest(self, src: _Chain, dst: _Chain, message: Message, signers: Sequence[Signer]) -> list[bytes]:
        digest = attestation_digest(message, src.gateway, dst.gateway)
        return [op.sign(message, digest) for op in signers]

    def _submit_batch(
        self, src: _Chain, dst: _Chain, batch: list[Message], signers: Sequence[Signer], report: RelayReport
    ) -> None:
        data = RECEIVE_BATCH + encode(
            [f"{MESSAGE_ABI_TYPE}[]", "bytes[][]"],
            [[m.as_tuple() for m in batch], [self._attest(src, dst, m, signers) for m in batch]],
        )
        try:
            receipt = self._transact(dst, data, [m.id for m in batch])
        except ContractLogicError as exc:
            if len(batch) > 1:
                log.warning(
                    "%s: batch of %d reverted (%s); isolating", dst.name, len(batch), revert_reason(exc)
                )
                for message in batch:
                    self._submit_batch(src, dst, [message], signers, report)
                return
            self._fail(batch[0], f"{dst.name}: {revert_reason(exc)}", report, revert_class(exc))
            return
        self._settle(dst, batch, receipt, report)

    def _submit_expire(
        self, src: _Chain, dst: _Chain, message: Message, signers: Sequence[Signer], report: RelayReport
    ) -> None:
        data = EXPIRE + encode(
            [MESSAGE_ABI_TYPE, "bytes[]"], [message.as_tuple(), self._attest(src, dst, message, signers)]
        )
        try:
            receipt = self._transact(dst, data, [message.id])
        except ContractLogicError as exc:
            self._fail(message, f"{dst.name}: expire: {revert_reason(exc)}", report, revert_class(exc))
            return
        self._settle(dst, [message], receipt, report)

    def _transact(self, dst: _Chain, data: bytes, ids: list[bytes]) -> Any:
        """Dry-runs (a revert raises ContractLogicError), marks `submitting`, sends, waits.

        The dry run is one `eth_call` (anvil's `eth_estimateGas` bisects, several executions); the
        gas limit is a generous per-message bound, unused gas is not charged.
        """
        tx: dict[str, Any] = {"from": self.submitter.address, "to": dst.gateway, "data": data, "value": 0}
        dst.rpc(lambda: dst.w3.eth.call(tx))  # type: ignore[arg-type]
        gas = GAS_BASE + GAS_PER_MESSAGE * len(ids)
        if dst.chain_id not in self._tx_nonce:
            self._tx_nonce[dst.chain_id] = dst.rpc(
                lambda: dst.w3.eth.get_transaction_count(self.submitter.address, "pending")
            )
        base_fee = dst.rpc(lambda: dst.w3.eth.get_block("latest")["baseFeePerGas"])
        tx.update(
            gas=gas,
            nonce=self._tx_nonce[dst.chain_id],
            chainId=dst.chain_id,
            maxFeePerGas=2 * base_fee + 10**9,
            maxPriorityFeePerGas=10**9,
            type=2,
        )
        del tx["from"]
        signed = self.submitter.sign_transaction(tx)
        self.fault("before_submit")
        self.store.mark(ids, "submitting", bytes(signed.hash))
        try:
            dst.rpc(lambda: dst.w3.eth.send_raw_transaction(signed.raw_transaction))
        except RelayerError:
            self._tx_nonce.pop(dst.chain_id, None)
            raise
        self._tx_nonce[dst.chain_id] += 1
        self.fault("after_submit")
        try:
            receipt = dst.w3.eth.wait_for_transaction_receipt(
                signed.hash, timeout=self.config.receipt_timeout, poll_latency=0.02
            )
        except TimeExhausted as exc:
            self._tx_nonce.pop(dst.chain_id, None)
            raise RelayerError(f"{dst.name}: no receipt for {signed.hash.hex()}") from exc
        if receipt["status"] != 1:
            self._tx_nonce.pop(dst.chain_id, None)
            raise ContractLogicError("transaction reverted on chain")
        log.info(
            "%s: tx %s carried %d message(s), gas %d",
            dst.name,
            signed.hash.hex(),
            len(ids),
            receipt["gasUsed"],
        )
        return receipt

    def _settle(self, dst: _Chain, batch: list[Message], receipt: Any, report: RelayReport) -> None:
        """Records each message's fate from the receipt's events (absent = processed earlier)."""
        report.transactions += 1
        fates: dict[bytes, MessageState] = {}
        topics = {
            MESSAGE_DELIVERED_TOPIC: MessageState.DELIVERED,
            MESSAGE_REJECTED_TOPIC: MessageState.REJECTED,
            MESSAGE_EXPIRED_TOPIC: MessageState.EXPIRED,
        }
        for entry in receipt["logs"]:
            if to_checksum_address(entry["address"]) != dst.gateway or not entry["topics"]:
                continue
            fate = topics.get(bytes(entry["topics"][0]))
            if fate is not None:
                fates[bytes(entry["topics"][1])] = fate
        known = [m for m in batch if m.id in fates]
        for state in (MessageState.DELIVERED, MessageState.REJECTED, MessageState.EXPIRED):
            group = [m for m in known if fates[m.id] == state]
            if group:
                self._record_final(group, state, report, already=False)
        for message in batch:
            if message.id not in fates:
                onchain = dst.inbound_state(message.src_chain_id, message.nonce)
                self._record_final([message], onchain, report, already=True)

    def _record_final(
        self, messages: list[Message], state: MessageState, report: RelayReport, already: bool
    ) -> None:
        """Stores the destination's final state of `messages` (one SQLite transaction)."""
        ids = [m.id for m in messages]
        if state == MessageState.NONE:
            self.store.mark(ids, "pending")
            return
        self.store.mark(ids, state.name.lower())
        if already:
            report.already_processed.extend(ids)
        elif state == MessageState.DELIVERED:
            report.delivered.extend(ids)
        elif state == MessageState.REJECTED:
            for message_id in ids:
                log.info(
                    "message %s rejected by the destination: a Return refunds the sender", message_id.hex()
                )
            report.rejected.extend(ids)
        else:
            for message_id in ids:
                log.info(
                    "message %s expired on the destination: a Return refunds the sender", message_id.hex()
                )
            report.expired.extend(ids)

    def _fail(self, message: Message, error: str, report: RelayReport, kind: str = UNKNOWN) -> None:
        """Records a reverted submission by the revert's class: transient stays pending (retried
        each round until its expiry passes, then expired), permanent is parked at once, unknown is
        parked after `max_attempts`."""
        if kind == TRANSIENT:
            self.store.record_failure(message.id, error, 0)
            log.warning("message %s delayed (transient, retried until expiry): %s", message.id.hex(), error)
            report.retrying.append((message.id, error))
            return
        attempts = 1 if kind == PERMANENT else self.config.max_attempts
        parked = self.store.record_failure(message.id, error, attempts)
        if parked:
            log.error(
                "message %s FAILED for good (%s) after %d attempt(s): %s",
                message.id.hex(),
                kind,
                attempts,
                error,
            )
            report.failed.append((message.id, error))
        else:
            log.warning("message %s not delivered (will retry): %s", message.id.hex(), error)
