"""Raw JSON-RPC access to one watched gateway: heads, block hashes (batched) and `MessageSent` logs.

Plain JSON-RPC over one `requests` session: the attestor needs five methods, and a batch request
checks the hashes of many blocks in one round trip (one block per message on an automining chain).
Transport errors are retried with exponential backoff; an answer that is an RPC error is not.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import requests
from eth_utils import to_checksum_address

from tokenized_stocks.abi import event
from tokenized_stocks.protocol.message import Message

log = logging.getLogger("tokenized_stocks.attestor")

MESSAGE_SENT = event("Gateway", "MessageSent")


class AttestorError(RuntimeError):
    """A chain kept failing after every retry, or answered with an error."""


@dataclass(frozen=True)
class SentLog:
    """One `MessageSent` log: the message, the id the log carries, and where it was found."""

    message: Message
    logged_id: bytes
    address: str
    block_number: int
    block_hash: bytes


class SourceChain:
    """One watched chain and the gateway on it whose messages the attestor signs."""

    def __init__(
        self, rpc_url: str, gateway: str, retries: int = 5, backoff: float = 0.2, timeout: float = 10.0
    ):
        self.rpc_url = rpc_url
        self.gateway = to_checksum_address(gateway)
        self.retries = max(1, retries)
        self.backoff = backoff
        self.timeout = timeout
        self.session = requests.Session()
        self.chain_id = int(self.call("eth_chainId"), 16)
        self.name = f"chain {self.chain_id}"

    def _post(self, body: Any) -> Any:
        delay = self.backoff
        for attempt in range(1, self.retries + 1):
            try:
                response = self.session.post(self.rpc_url, json=body, timeout=self.timeout)
                response.raise_for_status()
                return response.json()
            except (requests.RequestException, ValueError) as exc:
                if attempt == self.retries:
                    raise AttestorError(
                        f"{self.rpc_url}: RPC failed after {attempt} attempts: {exc}"
                    ) from exc
                log.warning(
                    "%s: RPC error (%s), retry %d/%d in %.1fs",
                    self.rpc_url,
                    exc,
                    attempt,
                    self.retries,
                    delay,
                )
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def call(self, method: str, *params: Any) -> Any:
        body = self._post({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})
        if "error" in body:
            raise AttestorError(f"{self.rpc_url}: {method} failed: {body['error']}")
        return body["result"]

    def block_number(self) -> int:
        return int(self.call("eth_blockNumber"), 16)

    def block_hashes(self, numbers: Sequence[int]) -> dict[int, bytes | None]:
        """The canonical hash of each block number now (None: no such block), in one batch."""
        wanted = sorted(set(numbers))
        if not wanted:
            return {}
        batch = [
            {"jsonrpc": "2.0", "id": i, "method": "eth_getBlockByNumber", "params": [hex(n), False]}
            for i, n in enumerate(wanted)
        ]
        answers = self._post(batch)
        if not isinstance(answers, list):
            raise AttestorError(f"{self.rpc_url}: a batch request was answered with {answers!r}")
        by_id = {answer.get("id"): answer for answer in answers}
        hashes: dict[int, bytes | None] = {}
        for i, n in enumerate(wanted):
            answer = by_id.get(i)
            if answer is None or "error" in answer:
                raise AttestorError(f"{self.rpc_url}: eth_getBlockByNumber({n}) failed: {answer}")
            block = answer["result"]
            hashes[n] = None if block is None else bytes.fromhex(block["hash"][2:])
        return hashes

    def block_hash(self, number: int) -> bytes | None:
        return self.block_hashes([number])[number]

    def sent_logs(self, from_block: int, to_block: int) -> list[SentLog]:
        """The `MessageSent` logs of the gateway in `[from_block, to_block]` (removed ones skipped)."""
        raw = self.call(
            "eth_getLogs",
            {
                "address": self.gateway,
                "fromBlock": hex(from_block),
                "toBlock": hex(to_block),
                "topics": ["0x" + MESSAGE_SENT.topic.hex()],
            },
        )
        found: list[SentLog] = []
        for entry in raw:
            if entry.get("removed") or not MESSAGE_SENT.matches(entry):
                continue
            args = MESSAGE_SENT.args(entry)
            found.append(
                SentLog(
                    message=Message.from_values(args["message"]),
                    logged_id=bytes(args["messageId"]),
                    address=to_checksum_address(entry["address"]),
                    block_number=int(entry["blockNumber"], 16),
                    block_hash=bytes.fromhex(entry["blockHash"][2:]),
                )
            )
        return found
