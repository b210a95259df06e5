"""Attestor processes for the e2e tests, the bench and the demo: each a real `serve` process (the
`ape run attestor serve` command, started as `python -m tokenized_stocks.cli.attestor` to skip
ape's start-up) with its own encrypted keyfile, SQLite file and port. The port is chosen once, so
a restarted attestor answers at the same URL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import requests
from eth_account import Account
from eth_account.signers.local import LocalAccount

from tokenized_stocks.attestor.service import WatchedChain
from tokenized_stocks.devtools.anvil import free_port

#: The passphrase of the throwaway keyfiles written for local attestors (never a real key's).
LOCAL_PASSPHRASE = "local-attestor"
START_TIMEOUT = 60.0


class AttestorProcessError(RuntimeError):
    """An attestor process did not come up."""


@dataclass
class AttestorProcess:
    """One operator's attestor as a separate process."""

    key: LocalAccount
    workdir: Path
    chains: Sequence[WatchedChain]
    confirmations: int = 0
    poll_interval: float = 0.2
    name: str = "attestor"
    module: str = "tokenized_stocks.cli.attestor"
    port: int = field(default_factory=free_port)
    #: Extra environment (and import path) of the process: a test's malicious variant uses them.
    env: dict[str, str] = field(default_factory=dict)
    pythonpath: Sequence[str] = ()
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.keyfile = self.workdir / f"{self.name}.key.json"
        if not self.keyfile.exists():
            # a cheap KDF: a throwaway local key, decrypted at every start
            encrypted = Account.encrypt(self.key.key, LOCAL_PASSPHRASE, kdf="scrypt", iterations=2**10)
            self.keyfile.write_text(json.dumps(encrypted))
        self.db = self.workdir / f"{self.name}.sqlite"
        self.log = self.workdir / f"{self.name}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        return self.key.address

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", self.module, "serve", "--keyfile", str(self.keyfile)]
        cmd += ["--db", str(self.db), "--port", str(self.port), "--confirmations", str(self.confirmations)]
        cmd += [
            "--poll-interval",
            str(self.poll_interval),
            "--ready-file",
            str(self.workdir / f"{self.name}.url"),
        ]
        for chain in self.chains:
            cmd += ["--watch", f"{chain.rpc_url},{chain.gateway},{chain.start_block}"]
        return cmd

    def start(self) -> AttestorProcess:
        if self.running:
            return self
        ready = self.workdir / f"{self.name}.url"
        ready.unlink(missing_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.upper().startswith("ATTESTOR_")}
        env["ATTESTOR_PASSPHRASE"] = LOCAL_PASSPHRASE
        env.update(self.env)
        paths = [str(Path(__file__).resolve().parents[2]), *self.pythonpath, env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.command(), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AttestorProcessError(f"{self.name} exited at start: {self.log.read_text()[-2000:]}")
            if ready.exists() and self.healthy() is not None:
                return self
            time.sleep(0.1)
        self.kill()
        raise AttestorProcessError(
            f"{self.name} did not come up in {START_TIMEOUT:.0f}s: {self.log.read_text()[-2000:]}"
        )

    def healthy(self) -> dict[str, object] | None:
        """Its /health document (None if it does not answer)."""
        try:
            body = requests.get(f"{self.url}/health", timeout=2).json()
        except (requests.RequestException, ValueError):
            return None
        return body if isinstance(body, dict) else None

    def wait_signed(self, count: int, timeout: float = 60.0) -> None:
        """Waits until it has signed at least `count` messages (a test's sync point, not a timing)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            health = self.healthy()
            if health is not None and int(str(health.get("signed", 0))) >= count:
                return
            time.sleep(0.1)
        raise AttestorProcessError(f"{self.name} did not sign {count} messages in {timeout:.0f}s")

    def wait_caught_up(self, heads: dict[int, int], timeout: float = 60.0) -> None:
        """Waits until it has read each chain up to `heads[chain_id]` minus its confirmations."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            health = self.healthy() or {}
            chains = health.get("chains")
            if isinstance(chains, list):
                cursors = {int(c["chain_id"]): c.get("cursor") for c in chains}
                if all(
                    cursors.get(chain_id) is not None and int(cursors[chain_id]) >= head - self.confirmations
                    for chain_id, head in heads.items()
                ):
                    return
            time.sleep(0.05)
        raise AttestorProcessError(f"{self.name} did not read up to {heads} in {timeout:.0f}s")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, like a crash: no cleanup runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def start_attestors(
    keys: Sequence[LocalAccount],
    workdir: Path,
    chains: Sequence[WatchedChain],
    confirmations: int = 0,
    poll_interval: float = 0.2,
) -> list[AttestorProcess]:
    """One attestor process per key (all started, then each waited for)."""
    started: list[AttestorProcess] = []
    try:
        for i, key in enumerate(keys):
            process = AttestorProcess(key, workdir, chains, confirmations, poll_interval, name=f"attestor{i}")
            started.append(process.start())
    except BaseException:
        for process in started:
            process.stop()
        raise
    return started
