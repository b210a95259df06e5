"""Three long-running local anvil chains, A, B and C, for the scripts run by hand.

    python -m tokenized_stocks.devtools.chains up --port-a 8545 --port-b 8546 --port-c 8547  # make chains-up
    python -m tokenized_stocks.devtools.chains status                                        # make chains-status
    python -m tokenized_stocks.devtools.chains down                                          # make chains-down

Chain ids are fixed (A 31337, B 31338, C 31339: the `chaina`/`chainb`/`chainc` networks of
ape-config.yaml); the ports are chosen. `up` refuses, before starting anything, a port in use or a
chain still running; it returns once every chain answers `eth_chainId` with its id, and then
records each chain in `<dir>/<letter>.pid` as `<pid> <port>` (its output goes to
`<dir>/<letter>.log`). `down` stops only processes that still are anvil, so a pid reused by another
program is never signalled. `--dir` (or CHAINS_DIR) moves the directory, `.chains` by default.

Exit codes: 0 done; 1 a chain did not start (`up`, the others are stopped again), is not up
(`status`) or may not be stopped by this user (`down`); 2 refused (bad ports, a port in use, a
chain already running).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import click
import requests
from rich.console import Console
from rich.table import Table

from tokenized_stocks.devtools.anvil import CHAIN_IDS, AnvilError, AnvilNode, rpc, start_anvil

DEFAULT_PORTS = {"a": 8545, "b": 8546, "c": 8547}
ACCOUNTS = 20
START_TIMEOUT = 10.0  # seconds for one chain to answer eth_chainId
STOP_TIMEOUT = 10.0  # seconds between SIGTERM and SIGKILL
STATUS_TIMEOUT = 2.0  # seconds for one status request


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


# ---------------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------------


def _proc_state(pid: int) -> str | None:
    """The one-letter state of `pid` (`R`, `S`, `Z`...), None if there is no such process."""
    stat = Path(f"/proc/{pid}/stat")
    if Path("/proc/self/stat").exists():
        try:
            # "pid (comm) state ...": comm may hold spaces and parentheses, the state follows the last ")"
            return stat.read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return None
    result = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
    return result.stdout.strip()[:1] or None


def _command_line(pid: int) -> str:
    """The command line of `pid` ("" if it is gone or unreadable)."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if Path("/proc/self/cmdline").exists():
        try:
            return cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            return ""
    result = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True, text=True)
    return result.stdout.strip()


def process_alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, dead but not yet reaped by its parent, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, owned by another user
    return _proc_state(pid) not in (None, "Z")


def is_anvil(pid: int) -> bool:
    """True if `pid` runs and is an anvil process (not another program that reused the pid)."""
    if not process_alive(pid):
        return False
    argv0 = _command_line(pid).split(" ", 1)[0]
    return "anvil" in os.path.basename(argv0)


def _reap(pid: int) -> None:
    """Collects the exit status of `pid` if it is a child of this process (in tests it is)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        _reap(pid)
        if not process_alive(pid):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def _stop(pid: int) -> str:
    """Ends `pid`: SIGTERM, then SIGKILL if it is still there after STOP_TIMEOUT seconds."""
    try:
        os.kill(pid, signal.SIGTERM)
        if _wait_gone(pid, STOP_TIMEOUT):
            return "stopped"
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return "stopped"
    _wait_gone(pid, 5.0)
    return f"killed (it ignored SIGTERM for {STOP_TIMEOUT:.0f} s)"


def port_in_use(port: int) -> bool:
    """True if something holds `port` on 127.0.0.1 (where anvil listens).

    SO_REUSEADDR, as servers set it: a port whose last connections linger in TIME_WAIT after a
    chain stopped is free, a port another socket is bound to or listens on is not.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
        return False


# ---------------------------------------------------------------------------------------------
# The record of a running chain: <dir>/<letter>.pid holding "<pid> <port>"
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    letter: str
    pid: int
    port: int | None  # None in a pid file of the former Makefile, which held the pid alone

    @property
    def chain(self) -> str:
        return f"chain {self.letter.upper()}"

    @property
    def url(self) -> str:
        return _url(self.port) if self.port is not None else "-"


def _pid_file(directory: Path, letter: str) -> Path:
    return directory / f"{letter}.pid"


def _read_record(directory: Path, letter: str) -> Record | None:
    """The chain recorded for `letter`, None if there is no pid file. An unreadable file counts as
    naming no live process (pid 0)."""
    path = _pid_file(directory, letter)
    try:
        fields = path.read_text().split()
    except FileNotFoundError:
        return None
    try:
        pid = int(fields[0])
        port = int(fields[1]) if len(fields) > 1 else None
    except (IndexError, ValueError):
        return Record(letter, 0, None)
    return Record(letter, pid, port)


def _write_record(directory: Path, record: Record) -> None:
    path = _pid_file(directory, record.letter)
    tmp = path.with_suffix(".pid.tmp")
    tmp.write_text(f"{record.pid} {record.port}\n")
    tmp.replace(path)


def _records(directory: Path) -> list[Record]:
    return [r for letter in CHAIN_IDS if (r := _read_record(directory, letter)) is not None]


def _live(record: Record) -> bool:
    return record.pid > 0 and is_anvil(record.pid)


def _why_stale(record: Record) -> str:
    if record.pid <= 0:
        return "it names no process id"
    if process_alive(record.pid):
        return f"pid {record.pid} is now another program, not an anvil"
    return f"pid {record.pid} is not running"


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------

DIR_OPTION = click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".chains"),
    envvar="CHAINS_DIR",
    show_default=True,
    help="where the pid and log files are kept (env CHAINS_DIR)",
)


@click.group()
def cli() -> None:
    """Three local anvil chains: A (31337), B (31338) and C (31339)."""


@cli.command()
@DIR_OPTION
@click.option("--port-a", type=click.IntRange(1, 65535), default=DEFAULT_PORTS["a"], show_default=True)
@click.option("--port-b", type=click.IntRange(1, 65535), default=DEFAULT_PORTS["b"], show_default=True)
@click.option("--port-c", type=click.IntRange(1, 65535), default=DEFAULT_PORTS["c"], show_default=True)
def up(directory: Path, port_a: int, port_b: int, port_c: int) -> None:
    """Starts chains A, B and C on the given ports and returns once all three answer."""
    ports = {"a": port_a, "b": port_b, "c": port_c}
    _check_distinct(ports)
    directory.mkdir(parents=True, exist_ok=True)
    _refuse_running_chains(directory)
    for letter, port in ports.items():
        if port_in_use(port):
            _fail(
                f"port {port} (chain {letter.upper()}) is already in use by another process: stop it or "
                f"choose another port (make chains-up PORT_{letter.upper()}=<port>); nothing was started"
            )

    started: list[AnvilNode] = []
    try:
        for letter, port in ports.items():
            log = directory / f"{letter}.log"
            started.append(
                start_anvil(CHAIN_IDS[letter], port, accounts=ACCOUNTS, timeout=START_TIMEOUT, log=log)
            )
    except AnvilError as err:
        for node in started:
            node.stop()
        failed = list(ports)[len(started)]
        _fail(
            f"chain {failed.upper()} did not start: {' '.join(str(err).split())} "
            f"(log: {directory / f'{failed}.log'}); stopped the chains started before it",
            code=1,
        )
    except BaseException:  # Ctrl-C while starting: no chain is left running unrecorded
        for node in started:
            node.stop()
        raise

    for letter, node in zip(ports, started, strict=True):
        _write_record(directory, Record(letter, node.process.pid, node.port))
        click.echo(f"chain {letter.upper()}  {node.uri}  chain id {node.chain_id}  pid {node.process.pid}")


def _check_distinct(ports: dict[str, int]) -> None:
    seen: dict[int, str] = {}
    for letter, port in ports.items():
        if port in seen:
            _fail(
                f"chains {seen[port].upper()} and {letter.upper()} are both on port {port}: "
                "give each chain its own port"
            )
        seen[port] = letter


def _refuse_running_chains(directory: Path) -> None:
    """Refuses if a pid file names a running anvil; then removes (with a note) those that do not."""
    records = _records(directory)
    for record in records:
        if _live(record):
            where = f" at {record.url}" if record.port is not None else ""
            _fail(
                f"{record.chain} is already running{where} (pid {record.pid}, "
                f"{_pid_file(directory, record.letter)}): stop it with `make chains-down` "
                f"(or `kill {record.pid}`)"
            )
    for record in records:
        path = _pid_file(directory, record.letter)
        path.unlink(missing_ok=True)
        click.echo(f"note: removed stale {path} ({_why_stale(record)})")


@cli.command()
@DIR_OPTION
def down(directory: Path) -> None:
    """Stops the chains `up` recorded and removes their pid files."""
    records = _records(directory)
    if not records:
        click.echo(f"no chain is recorded in {directory}: nothing to stop")
        return
    refused = False
    for record in records:
        path = _pid_file(directory, record.letter)
        if _live(record):
            try:
                outcome = _stop(record.pid)
            except PermissionError:
                click.echo(
                    f"error: {record.chain}: not allowed to stop pid {record.pid}; kept {path}", err=True
                )
                refused = True
                continue
            click.echo(f"{record.chain}: {outcome} (pid {record.pid}, {record.url})")
        elif record.pid > 0 and process_alive(record.pid):
            click.echo(
                f"{record.chain}: pid {record.pid} is now another program, not an anvil: left running; "
                f"removed {path}"
            )
        else:
            click.echo(f"{record.chain}: not running ({_why_stale(record)}); removed {path}")
        path.unlink(missing_ok=True)
    if refused:
        sys.exit(1)


@dataclass(frozen=True)
class ChainStatus:
    letter: str
    record: Record | None
    state: str
    block: int | None = None

    @property
    def up(self) -> bool:
        return self.state == "up"


def chain_status(directory: Path, letter: str) -> ChainStatus:
    """The state of one chain: up / not answering / stopped / stale pid file."""
    record = _read_record(directory, letter)
    if record is None:
        return ChainStatus(letter, None, "stopped")
    if not _live(record):
        return ChainStatus(letter, record, "stale pid file")
    if record.port is None:
        return ChainStatus(letter, record, "not answering")
    try:
        chain_id = int(str(rpc(record.url, "eth_chainId", timeout=STATUS_TIMEOUT)), 16)
        if chain_id != CHAIN_IDS[letter]:
            return ChainStatus(letter, record, f"wrong chain id {chain_id}")
        block = int(str(rpc(record.url, "eth_blockNumber", timeout=STATUS_TIMEOUT)), 16)
    except (requests.RequestException, AnvilError, ValueError):
        return ChainStatus(letter, record, "not answering")
    return ChainStatus(letter, record, "up", block)


@cli.command()
@DIR_OPTION
def status(directory: Path) -> None:
    """Shows each chain's state; exits 0 only if all three are up."""
    statuses = [chain_status(directory, letter) for letter in CHAIN_IDS]
    table = Table(title=f"local chains ({directory})")
    for column in ("chain", "chain id", "URL", "pid", "state", "block"):
        table.add_column(column, justify="right" if column in ("chain id", "pid", "block") else "left")
    colours = {"up": "green", "stopped": "dim"}
    for s in statuses:
        colour = colours.get(s.state, "red")
        table.add_row(
            s.letter.upper(),
            str(CHAIN_IDS[s.letter]),
            s.record.url if s.record else "-",
            str(s.record.pid) if s.record else "-",
            f"[{colour}]{s.state}[/]",
            str(s.block) if s.block is not None else "-",
        )
    Console().print(table)
    if not all(s.up for s in statuses):
        sys.exit(1)


if __name__ == "__main__":
    cli()
