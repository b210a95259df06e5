"""The attestor's HTTP JSON API (aiohttp), and the process that runs it beside the scan loop.

    GET  /v1/attestations/<message id>   one attestation, 404 if this attestor has not signed it
    POST /v1/attestations {"ids": [...]} many at once (at most MAX_BATCH): {"attestations": [...],
                                         "missing": [...]}, for a relayer's throughput
    GET  /health                         200 while every watched chain is read, 503 otherwise
    GET  /metrics                        Prometheus text format

It only reads the store: nothing a caller sends can make the attestor sign.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

from aiohttp import web

from tokenized_stocks.attestor.service import Attestor
from tokenized_stocks.attestor.store import AttestorStore

log = logging.getLogger("tokenized_stocks.attestor")

MAX_BATCH = 1_000


def attestation_json(signer: str, message_id: bytes, row: tuple[bytes, bytes, int, bytes]) -> dict[str, Any]:
    """One attestation as served: the message's ABI encoding lets a caller check the id."""
    signature, data, block_number, block_hash = row
    return {
        "message_id": "0x" + message_id.hex(),
        "signer": signer,
        "signature": "0x" + signature.hex(),
        "message": "0x" + data.hex(),
        "block_number": block_number,
        "block_hash": "0x" + block_hash.hex(),
    }


def _message_id(text: str) -> bytes:
    raw = bytes.fromhex(text.removeprefix("0x"))
    if len(raw) != 32:
        raise ValueError("a message id is 32 bytes")
    return raw


def build_app(attestor: Attestor, store: AttestorStore) -> web.Application:
    """The API over `store` (a connection of its own: the scan loop writes through another)."""
    requests: dict[str, int] = attestor.counters.requests

    def count(endpoint: str) -> None:
        requests[endpoint] = requests.get(endpoint, 0) + 1

    async def one(request: web.Request) -> web.Response:
        count("attestation")
        try:
            message_id = _message_id(request.match_info["message_id"])
        except ValueError:
            return web.json_response({"error": "not a 32-byte hex message id"}, status=400)
        found = store.get_raw([message_id])
        if message_id not in found:
            return web.json_response({"error": "not attested by this operator"}, status=404)
        return web.json_response(attestation_json(attestor.address, message_id, found[message_id]))

    async def batch(request: web.Request) -> web.Response:
        count("batch")
        try:
            body = await request.json()
            ids = [_message_id(str(text)) for text in body["ids"]]
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": 'body must be {"ids": ["0x<32 bytes>", ...]}'}, status=400)
        if len(ids) > MAX_BATCH:
            return web.json_response({"error": f"at most {MAX_BATCH} ids per request"}, status=413)
        found = store.get_raw(ids)
        return web.json_response(
            {
                "signer": attestor.address,
                "attestations": [attestation_json(attestor.address, i, row) for i, row in found.items()],
                "missing": ["0x" + i.hex() for i in ids if i not in found],
            }
        )

    async def health(request: web.Request) -> web.Response:
        count("health")
        return web.json_response(attestor.snapshot(), status=200 if attestor.healthy() else 503)

    async def metrics(request: web.Request) -> web.Response:
        count("metrics")
        return web.Response(text=prometheus(attestor, store.count()), content_type="text/plain")

    app = web.Application()
    app.add_routes(
        [
            web.get("/v1/attestations/{message_id}", one),
            web.post("/v1/attestations", batch),
            web.get("/health", health),
            web.get("/metrics", metrics),
        ]
    )
    return app


def prometheus(attestor: Attestor, signed: int) -> str:
    """The metrics in Prometheus' text exposition format."""
    c = attestor.counters
    lines: list[str] = []

    def metric(name: str, kind: str, help_text: str, samples: list[tuple[str, float]]) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        lines.extend(f"{name}{labels} {value:g}" for labels, value in samples)

    metric("attestor_signed_messages", "gauge", "Messages this operator has signed (stored).", [("", signed)])
    metric(
        "attestor_refused_total",
        "counter",
        "Logs not signed since start, by reason.",
        [('{reason="conflict"}', c.refused_conflicts), ('{reason="malformed"}', c.refused_malformed)],
    )
    metric(
        "attestor_reorgs_during_scan_total",
        "counter",
        "Scans abandoned for a block hash change.",
        [("", c.reorgs_during_scan)],
    )
    metric("attestor_polls_total", "counter", "Scan rounds.", [("", c.polls)])
    metric("attestor_poll_errors_total", "counter", "Chain reads that failed.", [("", c.poll_errors)])
    for name, field, help_text in (
        ("attestor_cursor_block", "cursor", "Last block scanned and signed through."),
        ("attestor_head_block", "head", "Head block seen."),
    ):
        metric(
            name,
            "gauge",
            help_text,
            [
                (f'{{chain_id="{h.chain_id}"}}', getattr(h, field))
                for h in attestor.health
                if getattr(h, field) is not None
            ],
        )
    metric(
        "attestor_chain_up",
        "gauge",
        "1 while the chain's last read succeeded.",
        [(f'{{chain_id="{h.chain_id}"}}', 0 if h.error else 1) for h in attestor.health],
    )
    metric(
        "attestor_chain_halted",
        "gauge",
        "1 once a reorg deeper than the confirmations was seen.",
        [(f'{{chain_id="{h.chain_id}"}}', 1 if h.halted else 0) for h in attestor.health],
    )
    metric(
        "attestor_http_requests_total",
        "counter",
        "API requests by endpoint.",
        [(f'{{endpoint="{k}"}}', v) for k, v in sorted(c.requests.items())],
    )
    return "\n".join(lines) + "\n"


def serve(
    attestor: Attestor,
    host: str,
    port: int,
    poll_interval: float,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Runs the scan loop in a thread and the API in this one until SIGTERM / SIGINT."""
    stop = threading.Event()
    scanner = threading.Thread(target=attestor.run_forever, args=(poll_interval, stop), daemon=True)
    reader = AttestorStore(attestor.store.path)
    app = build_app(attestor, reader)

    async def start_scanning(_app: web.Application) -> None:
        scanner.start()

    async def stop_scanning(_app: web.Application) -> None:
        stop.set()
        await asyncio.to_thread(scanner.join, 30)

    app.on_startup.append(start_scanning)
    app.on_cleanup.append(stop_scanning)

    async def run() -> None:
        done = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, done.set)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0]
        url = f"http://{bound[0]}:{bound[1]}"
        log.info("attestor %s serving on %s", attestor.address, url)
        if on_ready is not None:
            on_ready(url)
        try:
            await done.wait()
        finally:
            await runner.cleanup()

    try:
        asyncio.run(run())
    finally:
        reader.close()


class ThreadedServer:
    """The API and the scan loop of an attestor object on background threads of this process
    (tests that need the HTTP API without a process per operator). `stop()` ends both."""

    def __init__(self, attestor: Attestor, poll_interval: float = 0.2, host: str = "127.0.0.1") -> None:
        self.attestor = attestor
        self._stop = threading.Event()
        self._reader = AttestorStore(attestor.store.path)
        self._loop = asyncio.new_event_loop()
        self._runner = web.AppRunner(build_app(attestor, self._reader), access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, host, 0)
        self._loop.run_until_complete(site.start())
        bound = self._runner.addresses[0]
        self.url = f"http://{bound[0]}:{bound[1]}"
        self._api = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._api.start()
        self._scanner = threading.Thread(
            target=attestor.run_forever, args=(poll_interval, self._stop), daemon=True
        )
        self._scanner.start()

    def stop(self) -> None:
        self._stop.set()
        self._scanner.join(30)
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._api.join(30)
        self._loop.close()
        self._reader.close()
        self.attestor.close()
