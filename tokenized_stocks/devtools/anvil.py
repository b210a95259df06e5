"""Start and stop extra local anvil chains (ape-foundry only ever starts chain id 31337)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

DEFAULT_MNEMONIC = "test test test test test test test test test test test junk"
DEFAULT_DERIVATION_PATH = "m/44'/60'/0'/0/"


#: The local chains of the e2e harness and the demo: A (home), B and C (remotes). Each is reached
#: through the `ethereum:chain<x>:node` network of ape-config.yaml.
CHAIN_IDS = {"a": 31337, "b": 31338, "c": 31339}


def network_name(chain_id: int) -> str:
    """The ape network of a harness chain: `chaina`, `chainb` or `chainc`."""
    for letter, known in CHAIN_IDS.items():
        if known == chain_id:
            return f"chain{letter}"
    raise ValueError(f"chain id {chain_id} is not a harness chain ({sorted(CHAIN_IDS.values())})")


class AnvilError(RuntimeError):
    """An anvil node could not be started."""


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rpc(uri: str, method: str, *params: object, timeout: float = 10.0) -> object:
    """Sends one JSON-RPC request to the node at `uri` and returns its result."""
    response = requests.post(
        uri, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}, timeout=timeout
    )
    body = response.json()
    if "error" in body:
        raise AnvilError(f"{method} failed: {body['error']}")
    return body["result"]


@dataclass
class AnvilNode:
    """A running anvil process; `stop()` ends it."""

    chain_id: int
    port: int
    process: subprocess.Popen = field(repr=False)

    @property
    def uri(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rpc(self, method: str, *params: object) -> object:
        """Sends one JSON-RPC request and returns its result."""
        return rpc(self.uri, method, *params)

    def receipt(self, tx_hash: str, timeout: float = 30.0) -> dict[str, object]:
        """The receipt of `tx_hash`, waited for: anvil answers `eth_sendTransaction` before the
        receipt is readable (under load, several polls later). Raises `AnvilError` after
        `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.rpc("eth_getTransactionReceipt", tx_hash)
            if isinstance(found, dict):
                return found
            if time.monotonic() > deadline:
                raise AnvilError(f"no receipt for {tx_hash} after {timeout:g} s")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


#: anvil writes the chain's historical states beyond the ones it keeps in memory to
#: ~/.foundry/anvil/tmp, and never removes them when it is killed: a long test session left
#: gigabytes per node. Bounded, historical calls reach far enough back for every caller here.
BOUNDED_HISTORY = ["--max-persisted-states", "64"]


def start_anvil(
    chain_id: int,
    port: int | None = None,
    *,
    mnemonic: str = DEFAULT_MNEMONIC,
    accounts: int = 10,
    balance_ether: int = 10_000,
    derivation_path: str = DEFAULT_DERIVATION_PATH,
    block_time: int | None = None,
    timeout: float = 20.0,
    log: Path | None = None,
    fork_url: str | None = None,
) -> AnvilNode:
    """Starts anvil with `chain_id` and the same funded accounts as ape's test accounts, and returns
    once it answers `eth_chainId` with that id.

    With `fork_url`, anvil forks that chain (its state, at its latest block) and lets any address
    send without a key (`--auto-impersonate`): a dry run simulates a deployment there.

    With `log`, anvil is detached: its output goes to that file and it runs in a session of its own,
    so it outlives the caller and ignores the terminal's Ctrl-C (`make chains-up`).
    """
    binary = shutil.which("anvil")
    if binary is None:
        raise AnvilError("anvil is not on PATH: run `make setup` (it installs anvil from npm)")
    port = port or free_port()
    cmd = [
        binary,
        "--chain-id",
        str(chain_id),
        "--port",
        str(port),
        "--mnemonic",
        mnemonic,
        "--accounts",
        str(accounts),
        "--derivation-path",
        derivation_path,
        "--balance",
        str(balance_ether),
        "--hardfork",
        "cancun",
        "--silent",
        *BOUNDED_HISTORY,
    ]
    if block_time:
        cmd += ["--block-time", str(block_time)]
    if fork_url:
        cmd += ["--fork-url", fork_url, "--auto-impersonate", "--no-storage-caching"]
    if log is None:
        process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    else:
        with log.open("wb") as out:
            process = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
    node = AnvilNode(chain_id=chain_id, port=port, process=process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if log is not None:
                err = log.read_text(errors="replace")
            else:
                err = process.stderr.read().decode() if process.stderr else ""
            raise AnvilError(f"anvil exited at start (port {port}): {err.strip()}")
        try:
            # a short timeout: another listener on the port may accept and never answer
            if int(str(rpc(node.uri, "eth_chainId", timeout=1.0)), 16) == chain_id:
                return node
        except (requests.RequestException, AnvilError):
            time.sleep(0.1)
    node.stop()
    raise AnvilError(f"anvil on port {port} did not answer within {timeout:.0f}s")
