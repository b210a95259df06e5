"""`make chains-up` / `chains-status` / `chains-down` (tokenized_stocks/devtools/chains.py): real
anvils on free ports, their pid and log files in a temporary directory, never the repository's
.chains. Every test stops what it started (the `chains_dir` finalizer runs `down`)."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tokenized_stocks.devtools import chains
from tokenized_stocks.devtools.anvil import free_port, rpc, start_anvil

LETTERS = ("a", "b", "c")
CHAIN_IDS = {"a": 31337, "b": 31338, "c": 31339}


def invoke(*args: str) -> Result:
    result = CliRunner(mix_stderr=False).invoke(chains.cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def one_error_line(result: Result) -> str:
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture
def chains_dir(tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "chains"
    yield directory
    result = invoke("down", "--dir", str(directory))
    assert result.exit_code == 0, result.stdout + result.stderr


def free_ports() -> dict[str, int]:
    """Three distinct free ports, one per chain."""
    chosen: dict[str, int] = {}
    while len(chosen) < 3:
        port = free_port()
        if port not in chosen.values():
            chosen[LETTERS[len(chosen)]] = port
    return chosen


@pytest.fixture
def ports() -> dict[str, int]:
    return free_ports()


def port_args(ports: dict[str, int]) -> list[str]:
    return [arg for letter, port in ports.items() for arg in (f"--port-{letter}", str(port))]


def up(directory: Path, ports: dict[str, int]) -> Result:
    return invoke("up", "--dir", str(directory), *port_args(ports))


def recorded(directory: Path) -> dict[str, tuple[int, int]]:
    """letter -> (pid, port) of the pid files in `directory`."""
    found = {}
    for letter in LETTERS:
        path = directory / f"{letter}.pid"
        if path.exists():
            pid, port = path.read_text().split()
            found[letter] = (int(pid), int(port))
    return found


def nothing_listens(ports: dict[str, int]) -> bool:
    return not any(chains.port_in_use(port) for port in ports.values())


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen]:
    """A running process that is not an anvil."""
    process = subprocess.Popen(["sleep", "30"])
    yield process
    process.kill()
    process.wait()


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


# -- up ------------------------------------------------------------------------------------------


def test_up_starts_each_chain_on_its_port_with_its_chain_id(chains_dir, ports):
    result = up(chains_dir, ports)

    assert result.exit_code == 0, result.stdout + result.stderr
    for letter, port in ports.items():
        assert int(str(rpc(f"http://127.0.0.1:{port}", "eth_chainId")), 16) == CHAIN_IDS[letter]
        assert len(rpc(f"http://127.0.0.1:{port}", "eth_accounts")) == 20


def test_up_prints_one_line_per_chain_with_url_chain_id_and_pid(chains_dir, ports):
    result = up(chains_dir, ports)

    records = recorded(chains_dir)
    assert result.stdout.splitlines() == [
        f"chain {letter.upper()}  http://127.0.0.1:{port}  chain id {CHAIN_IDS[letter]}  "
        f"pid {records[letter][0]}"
        for letter, port in ports.items()
    ]


def test_up_records_each_chains_pid_and_port(chains_dir, ports):
    up(chains_dir, ports)

    records = recorded(chains_dir)
    assert {letter: port for letter, (_, port) in records.items()} == ports
    assert all(chains.is_anvil(pid) for pid, _ in records.values())


def test_up_refuses_a_port_in_use_and_starts_nothing(chains_dir, ports):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", ports["b"]))
        busy.listen()
        result = up(chains_dir, ports)
        assert chains.port_in_use(ports["b"])

    assert result.exit_code == 2
    line = one_error_line(result)
    assert f"port {ports['b']} (chain B) is already in use" in line
    assert recorded(chains_dir) == {}
    assert nothing_listens({"a": ports["a"], "c": ports["c"]})


def test_up_refuses_while_a_recorded_chain_runs_and_starts_nothing(chains_dir, ports):
    assert up(chains_dir, ports).exit_code == 0
    first = recorded(chains_dir)
    others = free_ports()

    result = up(chains_dir, others)

    assert result.exit_code == 2
    line = one_error_line(result)
    assert "chain A is already running" in line
    assert "make chains-down" in line and str(first["a"][0]) in line
    assert recorded(chains_dir) == first
    assert nothing_listens(others)


def test_up_removes_a_stale_pid_file_and_starts(chains_dir, ports):
    chains_dir.mkdir()
    stale = dead_pid()
    (chains_dir / "a.pid").write_text(f"{stale} {ports['a']}\n")

    result = up(chains_dir, ports)

    assert result.exit_code == 0, result.stdout + result.stderr
    assert f"removed stale {chains_dir / 'a.pid'} (pid {stale} is not running)" in result.stdout
    assert recorded(chains_dir)["a"][0] != stale
    assert chains.is_anvil(recorded(chains_dir)["a"][0])


def test_up_refuses_two_chains_on_one_port(chains_dir, ports):
    ports["c"] = ports["a"]

    result = up(chains_dir, ports)

    assert result.exit_code == 2
    assert one_error_line(result) == (
        f"error: chains A and C are both on port {ports['a']}: give each chain its own port"
    )
    assert recorded(chains_dir) == {}
    assert nothing_listens(ports)


@pytest.mark.parametrize("bad", ["x", "0", "70000"])
def test_up_refuses_a_value_that_is_not_a_port(chains_dir, ports, bad):
    result = invoke("up", "--dir", str(chains_dir), *port_args(ports), "--port-b", bad)

    assert result.exit_code == 2
    assert "Invalid value for '--port-b'" in result.stderr
    assert "Traceback" not in result.stderr
    assert recorded(chains_dir) == {}
    assert nothing_listens(ports)


def test_up_stops_the_started_chains_when_one_fails_to_start(chains_dir, ports, monkeypatch):
    # the port is taken between the check and anvil's start: anvil C exits, A and B are stopped
    monkeypatch.setattr(chains, "port_in_use", lambda port: False)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", ports["c"]))
        busy.listen()
        result = up(chains_dir, ports)
    monkeypatch.undo()

    assert result.exit_code == 1
    line = one_error_line(result)
    assert line.startswith("error: chain C did not start:")
    assert "Address already in use" in line
    assert recorded(chains_dir) == {}
    assert nothing_listens(ports)


# -- status --------------------------------------------------------------------------------------


def test_status_shows_every_chain_up_with_its_block_and_exits_0(chains_dir, ports):
    up(chains_dir, ports)

    result = invoke("status", "--dir", str(chains_dir))

    assert result.exit_code == 0, result.stdout
    rows = [line for line in result.stdout.splitlines() if "http://127.0.0.1:" in line]
    assert len(rows) == 3
    for row, (letter, port) in zip(rows, ports.items(), strict=True):
        assert f"http://127.0.0.1:{port}" in row and str(CHAIN_IDS[letter]) in row
        assert " up " in row and str(recorded(chains_dir)[letter][0]) in row


def test_status_exits_1_when_no_chain_runs(chains_dir):
    result = invoke("status", "--dir", str(chains_dir))

    assert result.exit_code == 1
    assert result.stdout.count("stopped") == 3


def test_status_names_a_stale_pid_file(chains_dir):
    chains_dir.mkdir()
    (chains_dir / "b.pid").write_text(f"{dead_pid()} 8546\n")

    result = invoke("status", "--dir", str(chains_dir))

    assert result.exit_code == 1
    assert result.stdout.count("stale pid file") == 1
    assert result.stdout.count("stopped") == 2


# -- down ----------------------------------------------------------------------------------------


def test_down_stops_every_chain_and_removes_its_pid_file(chains_dir, ports):
    up(chains_dir, ports)
    pids = [pid for pid, _ in recorded(chains_dir).values()]

    result = invoke("down", "--dir", str(chains_dir))

    assert result.exit_code == 0, result.stdout + result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["chain A", "chain B", "chain C"]
    assert not any(chains.process_alive(pid) for pid in pids)
    assert recorded(chains_dir) == {}
    assert nothing_listens(ports)
    assert invoke("status", "--dir", str(chains_dir)).stdout.count("stopped") == 3


def test_down_leaves_a_process_that_is_not_anvil_running(chains_dir, sleeper):
    chains_dir.mkdir()
    (chains_dir / "a.pid").write_text(f"{sleeper.pid} 8545\n")

    result = invoke("down", "--dir", str(chains_dir))

    assert result.exit_code == 0
    assert f"pid {sleeper.pid} is now another program, not an anvil: left running" in result.stdout
    assert sleeper.poll() is None
    assert not (chains_dir / "a.pid").exists()


def test_down_exits_0_when_nothing_runs(chains_dir):
    result = invoke("down", "--dir", str(chains_dir))

    assert result.exit_code == 0
    assert "nothing to stop" in result.stdout


def test_down_stops_a_chain_recorded_by_the_former_makefile_with_its_pid_alone(chains_dir):
    chains_dir.mkdir()
    node = start_anvil(31337, log=chains_dir / "a.log")
    (chains_dir / "a.pid").write_text(f"{node.process.pid}\n")

    result = invoke("down", "--dir", str(chains_dir))

    assert result.exit_code == 0
    assert f"chain A: stopped (pid {node.process.pid}, -)" in result.stdout
    assert node.process.poll() is not None
