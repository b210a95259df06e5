"""Collecting attestations: the relayer holds no operator key, it asks the operators' attestors.

Each attestor is asked once per round for every open message, all of them in parallel, in one
batch request each (`POST /v1/attestations`). Every signature returned is checked here before it
counts: it must recover, for this message and the destination gateway, to a CURRENT operator of the
destination (a signature the gateway would refuse is dropped, whoever sent it), and each operator
counts once. Collection stops waiting as soon as every message has its threshold, so up to N-M
attestors that are down, slow or answer garbage cost at most one timeout a round, never a stall.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Protocol

import requests

from tokenized_stocks.protocol.message import Message, attestation_digest, recover_signer

log = logging.getLogger("tokenized_stocks.relayer")

#: Ids per request (the attestor API's own limit is larger).
CHUNK = 500


class AttestorUnavailable(RuntimeError):
    """An attestor did not answer usefully this round (down, slow, or not speaking the API)."""


class AttestorEndpoint(Protocol):
    """Where the signatures of one operator come from."""

    @property
    def name(self) -> str: ...

    def signatures(self, message_ids: Sequence[bytes]) -> dict[bytes, bytes]:
        """The signatures this attestor has for those of `message_ids` it signed."""
        ...


class HttpAttestor:
    """An attestor's HTTP API, with a timeout per request and a bounded number of attempts."""

    def __init__(self, url: str, timeout: float = 2.0, attempts: int = 2, backoff: float = 0.1) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.session = requests.Session()

    @property
    def name(self) -> str:
        return self.url

    def signatures(self, message_ids: Sequence[bytes]) -> dict[bytes, bytes]:
        found: dict[bytes, bytes] = {}
        ids = list(message_ids)
        for i in range(0, len(ids), CHUNK):
            found.update(self._chunk(ids[i : i + CHUNK]))
        return found

    def _chunk(self, ids: list[bytes]) -> dict[bytes, bytes]:
        body = {"ids": ["0x" + i.hex() for i in ids]}
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            try:
                response = self.session.post(f"{self.url}/v1/attestations", json=body, timeout=self.timeout)
                response.raise_for_status()
                return _parse(response.json())
            except (requests.RequestException, ValueError, KeyError, TypeError, AttributeError) as exc:
                if attempt == self.attempts:
                    raise AttestorUnavailable(f"{_why(exc)} after {attempt} attempt(s)") from exc
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")


def _why(exc: BaseException) -> str:
    """A short reason for a failed request (requests' own texts run to several hundred characters)."""
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.ConnectionError):
        return "unreachable"
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code}"
    return "answered something that is not an attestations document"


def _parse(document: object) -> dict[bytes, bytes]:
    """`{"attestations": [{"message_id": "0x..", "signature": "0x.."}, ...]}` -> {id: signature};
    entries that are not hex of the right length are skipped (garbage never counts)."""
    if not isinstance(document, dict) or not isinstance(document.get("attestations"), list):
        raise ValueError("not an attestations document")
    found: dict[bytes, bytes] = {}
    for entry in document["attestations"]:
        try:
            message_id = bytes.fromhex(str(entry["message_id"]).removeprefix("0x"))
            signature = bytes.fromhex(str(entry["signature"]).removeprefix("0x"))
        except (KeyError, TypeError, ValueError):
            continue
        if len(message_id) == 32 and len(signature) == 65:
            found[message_id] = signature
    return found


@dataclass
class Collected:
    """The outcome of one round of collection."""

    #: Messages at threshold: their signatures, ordered by ascending signer as the gateway requires.
    ready: dict[bytes, list[bytes]] = field(default_factory=dict)
    #: Messages below threshold: why (valid signatures found, attestors that failed).
    short: dict[bytes, str] = field(default_factory=dict)
    #: Attestors that failed this round, with the reason.
    unavailable: dict[str, str] = field(default_factory=dict)
    #: Signatures dropped: (attestor, message id, why).
    dropped: list[tuple[str, bytes, str]] = field(default_factory=list)


class Collector:
    """Asks the attestors in parallel and keeps what the destination gateway will accept."""

    def __init__(self, endpoints: Sequence[AttestorEndpoint]) -> None:
        if not endpoints:
            raise ValueError("the relayer needs at least one attestor endpoint")
        self.endpoints = list(endpoints)
        # twice the endpoints: a straggler of the last round never holds up the next round's requests
        self.pool = ThreadPoolExecutor(max_workers=2 * len(self.endpoints), thread_name_prefix="attestor")

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    def collect(
        self,
        messages: Sequence[Message],
        destination_gateway: str,
        threshold: int,
        is_operator: Callable[[str], bool],
    ) -> Collected:
        result = Collected()
        if not messages:
            return result
        by_id = {m.id: m for m in messages}
        digests: dict[bytes, bytes] = {}  # computed once per message, on its first signature
        keys: dict[str, str] = {}  # the signer of each attestor's first valid-looking signature
        valid: dict[bytes, dict[str, bytes]] = {m.id: {} for m in messages}
        ids = list(by_id)
        futures: dict[Future[dict[bytes, bytes]], str] = {
            self.pool.submit(endpoint.signatures, ids): endpoint.name for endpoint in self.endpoints
        }
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                name = futures[future]
                try:
                    answered = future.result()
                except Exception as exc:  # noqa: BLE001 - an attestor's failure is reported, never fatal
                    result.unavailable[name] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                    log.warning("attestor %s unavailable this round: %s", name, result.unavailable[name])
                    continue
                for message_id, signature in answered.items():
                    message = by_id.get(message_id)
                    if message is None or len(valid[message_id]) >= threshold:
                        continue
                    if message_id not in digests:
                        digests[message_id] = attestation_digest(
                            message, message.src_gateway, destination_gateway
                        )
                    signer = recover_signer(digests[message_id], signature)
                    if signer is None:
                        result.dropped.append((name, message_id, "not a signature the gateway accepts"))
                    elif keys.setdefault(name, signer) != signer:
                        # an attestor holds one key: another signer is not looked up (a lying
                        # attestor cannot make the relayer ask the chain once per signature)
                        result.dropped.append(
                            (name, message_id, f"signed by {signer}, not its key {keys[name]}")
                        )
                    elif not is_operator(signer):
                        result.dropped.append(
                            (name, message_id, f"signed by {signer}, not a current operator")
                        )
                    else:
                        valid[message_id].setdefault(signer, signature)
            if all(len(v) >= threshold for v in valid.values()):
                break  # every message has its threshold: stragglers are not waited for
        for message_id, signers in valid.items():
            if len(signers) >= threshold:
                chosen = sorted(signers, key=lambda a: int(a, 16))[:threshold]
                result.ready[message_id] = [signers[a] for a in chosen]
            else:
                failing = "; ".join(f"{n}: {why}" for n, why in sorted(result.unavailable.items()))
                result.short[message_id] = (
                    f"below threshold: {len(signers)} of {threshold} valid attestations"
                    + (f" ({failing})" if failing else "")
                )
        for name, message_id, why in result.dropped:
            log.warning("dropped a signature of %s for message %s: %s", name, message_id.hex(), why)
        return result
