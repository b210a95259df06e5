"""The relayer: carries gateway messages between two chains, exactly once.

For each chain it follows `MessageSent` logs of the gateway once they have `confirmations` blocks
on top, stores every message in SQLite (with the per-chain block cursor, in the same transaction),
collects the operators' EIP-712 attestations from their attestors (it holds no operator key: see
`attestors.py`; each signature is checked to recover to a current operator of the destination),
and submits them to the destination gateway with `receiveBatch` (or `expire` once a Transfer's
expiry has passed there). A message whose attestations stay below the destination's threshold is
reported every round (`RelayReport.unattested`) and parked as `failed` after
`attestation_attempts` rounds (`--retry-failed` re-queues it): never retried forever.

Several relayers may run at once: the destination refuses a message already processed (a batch
skips it), and a relayer records a message another one delivered with the destination's final
state (`already_processed` in its report), so every relayer's store ends in the same state.

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
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from eth_utils import to_checksum_address
from web3.exceptions import ContractLogicError, TimeExhausted

from tokenized_stocks.protocol.message import (
    Message,
    MessageKind,
    MessageState,
)
from tokenized_stocks.relayer.attestors import Collector
from tokenized_stocks.relayer.chain import (
    GAS_BASE,
    GAS_PER_MESSAGE,
    PERMANENT,
    TRANSIENT,
    UNKNOWN,
    GatewayClient,
    RelayerError,
    revert_class,
    revert_reason,
)
from tokenized_stocks.relayer.config import RelayerConfig
from tokenized_stocks.relayer.store import RelayerStore

log = logging.getLogger("tokenized_stocks.relayer")


@dataclass
class RelayReport:
    """What one `run_once` did."""

    scanned: int = 0
    delivered: list[bytes] = field(default_factory=list)
    rejected: list[bytes] = field(default_factory=list)
    expired: list[bytes] = field(default_factory=list)
    held: list[bytes] = field(default_factory=list)  # Returns held for their holder, not refunded
    already_processed: list[bytes] = field(default_factory=list)
    failed: list[tuple[bytes, str]] = field(default_factory=list)
    retrying: list[tuple[bytes, str]] = field(default_factory=list)  # transient failures, kept pending
    misaddressed: list[bytes] = field(default_factory=list)
    unattested: list[tuple[bytes, str]] = field(default_factory=list)  # below threshold this round
    transactions: int = 0

    @property
    def processed(self) -> int:
        return (
            len(self.delivered)
            + len(self.rejected)
            + len(self.expired)
            + len(self.held)
            + len(self.already_processed)
        )


class Relayer:
    """Relays messages both ways between `config.chain_a` and `config.chain_b`.

    `fault` is a test hook called with a step name ("scanned", "before_submit", "after_submit");
    raising `SimulatedCrash` there stops the relayer like a kill at that point.
    """

    def __init__(self, config: RelayerConfig, fault: Callable[[str], None] | None = None) -> None:
        self.config = config
        self.store = RelayerStore(config.db_path)
        self.a = GatewayClient(config.chain_a, config.rpc_retries, config.rpc_backoff)
        self.b = GatewayClient(config.chain_b, config.rpc_retries, config.rpc_backoff)
        self.fault = fault or (lambda step: None)
        self.submitter = config.submitter
        self._tx_nonce: dict[int, int] = {}
        self.collector = Collector(config.attestors)

    def close(self) -> None:
        self.collector.close()
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
                "relayed: %d delivered, %d rejected (returned), %d expired (returned), %d refunds held,"
                " %d already processed, %d failed, %d transactions",
                len(report.delivered),
                len(report.rejected),
                len(report.expired),
                len(report.held),
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
            total.held += report.held
            total.already_processed += report.already_processed
            total.failed += report.failed
            total.retrying += report.retrying
            total.misaddressed += report.misaddressed
            total.unattested = report.unattested  # the last round's: still below threshold
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

    def scan(self, src: GatewayClient, dst: GatewayClient) -> int:
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

    def _named_destinations(
        self, src: GatewayClient, dst: GatewayClient, found: list[tuple[Message, int]]
    ) -> list[str]:
        """The destination gateway each message names: its own field once messages carry one, else
        the gateway the source trusted for that chain in the block that emitted it."""
        at_block: dict[int, str] = {}
        named: list[str] = []
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

    def deliver(self, dst: GatewayClient, report: RelayReport) -> None:
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
        signatures = self._collect(dst, to_send, report)
        to_send = [m for m in to_send if m.id in signatures]
        now = dst.timestamp()
        expired = [m for m in to_send if m.kind == MessageKind.TRANSFER and m.expiry < now]
        live = [m for m in to_send if m not in expired]
        for message in expired:
            self._submit_expire(src, dst, message, signatures, report)
        for i in range(0, len(live), self.config.batch_size):
            self._submit_batch(src, dst, live[i : i + self.config.batch_size], signatures, report)

    def _collect(
        self, dst: GatewayClient, messages: list[Message], report: RelayReport
    ) -> dict[bytes, list[bytes]]:
        """The attestations of `messages` that reach `dst`'s threshold, from the attestors; the
        others are reported (and parked once they have failed `attestation_attempts` rounds)."""
        threshold = dst.threshold()
        operators: dict[str, bool] = {}

        def is_operator(address: str) -> bool:
            if address not in operators:
                operators[address] = dst.is_operator(address)
            return operators[address]

        collected = self.collector.collect(messages, dst.gateway, threshold, is_operator)
        for message in messages:
            reason = collected.short.get(message.id)
            if reason is None:
                continue
            error = f"{dst.name}: {reason}"
            report.unattested.append((message.id, error))
            if self.store.record_failure(message.id, error, self.config.attestation_attempts):
                log.error(
                    "message %s FAILED: %s (after %d rounds)",
                    message.id.hex(),
                    error,
                    self.config.attestation_attempts,
                )
                report.failed.append((message.id, error))
            else:
                log.warning("message %s not attested yet: %s", message.id.hex(), error)
        return collected.ready

    def _submit_batch(
        self,
        src: GatewayClient,
        dst: GatewayClient,
        batch: list[Message],
        signatures: Mapping[bytes, list[bytes]],
        report: RelayReport,
    ) -> None:
        data = dst.receive_batch_data(batch, [signatures[m.id] for m in batch])
        try:
            receipt = self._transact(dst, data, [m.id for m in batch])
        except ContractLogicError as exc:
            if len(batch) > 1:
                log.warning(
                    "%s: batch of %d reverted (%s); isolating", dst.name, len(batch), revert_reason(exc)
                )
                for message in batch:
                    self._submit_batch(src, dst, [message], signatures, report)
                return
            self._fail(batch[0], f"{dst.name}: {revert_reason(exc)}", report, revert_class(exc))
            return
        self._settle(dst, batch, receipt, report)

    def _submit_expire(
        self,
        src: GatewayClient,
        dst: GatewayClient,
        message: Message,
        signatures: Mapping[bytes, list[bytes]],
        report: RelayReport,
    ) -> None:
        data = dst.expire_data(message, signatures[message.id])
        try:
            receipt = self._transact(dst, data, [message.id])
        except ContractLogicError as exc:
            self._fail(message, f"{dst.name}: expire: {revert_reason(exc)}", report, revert_class(exc))
            return
        self._settle(dst, [message], receipt, report)

    def _transact(self, dst: GatewayClient, data: bytes, ids: list[bytes]) -> Any:
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

    def _settle(self, dst: GatewayClient, batch: list[Message], receipt: Any, report: RelayReport) -> None:
        """Records each message's fate from the receipt's events (absent = processed earlier)."""
        report.transactions += 1
        fates = dst.fates(receipt)
        held = dst.held_refunds(receipt)
        for message in batch:
            if message.id in held:
                fates[message.id] = MessageState.REJECTED
        known = [m for m in batch if m.id in fates]
        for state in (MessageState.DELIVERED, MessageState.REJECTED, MessageState.EXPIRED):
            group = [m for m in known if fates[m.id] == state and m.id not in held]
            if group:
                self._record_final(group, state, report, already=False)
        refunds_held = [m for m in known if m.id in held]
        if refunds_held:
            self.store.mark([m.id for m in refunds_held], MessageState.REJECTED.name.lower())
            for message in refunds_held:
                log.warning(
                    "refund %s held for its holder on %s (a holder restriction): the transfer agent"
                    " releases it (releaseHeldRefund) or redirects it (redirectHeldRefund)",
                    message.id.hex(),
                    dst.name,
                )
            report.held.extend(m.id for m in refunds_held)
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
