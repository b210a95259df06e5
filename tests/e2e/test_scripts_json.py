"""`--json` and the exit-code contract on every script: with `--json`, stdout is only JSON (one
object, or one JSON line per round for a stream) and the human text goes to stderr; bad input is
exit 2 with one `error:` line on stderr and nothing on stdout.

(`bridge --json` and `sanctions check/sync --json` are covered next to their scripts' other tests:
tests/e2e/test_scripts.py and tests/e2e/test_sanctions_script.py; `demo --json` by the demo test.)"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from ape import accounts
from eth_account import Account
from test_scripts import ALICE, ape_run, fund_alice, on, run_in_process

from tokenized_stocks.attestor.service import WatchedChain
from tokenized_stocks.devtools.attestors import start_attestors


@pytest.fixture(scope="module")
def deployed(nodes, tmp_path_factory) -> Path:
    """The suite on chains A and B, gateways linked both ways."""
    a, b = nodes
    out = tmp_path_factory.mktemp("json-deployments")
    for args in (on(a), [*on(b), "--home-chain-id", "31337", "--peer", "31337"], [*on(a), "--peer", "31338"]):
        result = ape_run("deploy", *args, "--manifests", str(out))
        assert result.returncode == 0, result.stdout + result.stderr
    return out


def only_json(result: subprocess.CompletedProcess[str]) -> object:
    """The whole of stdout parsed as one JSON value (ape's log lines must be on stderr)."""
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def json_lines(result: subprocess.CompletedProcess[str]) -> list[dict]:
    """Each line of stdout parsed as JSON (a stream)."""
    assert "Traceback" not in result.stderr, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def assert_bad_input(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.stderr


def test_relayer_once_json_finds_each_chains_manifest_and_prints_only_its_report(nodes, deployed, tmp_path):
    fund_alice(nodes, deployed, 3)
    sent = run_in_process(
        "bridge", *on(nodes[0]), "--manifests", str(deployed), "--dst-chain-id", "31338",
        "--asset", "AAPLx", "--to", ALICE, "--amount", "1", "--json",
    )  # fmt: skip
    message_id = only_json(sent)["message_id"]

    watched = [
        WatchedChain(node.uri, json.loads((deployed / str(cid) / "manifest.json").read_text())["contracts"]["Gateway"]["address"])
        for node, cid in zip(nodes, (31337, 31338), strict=True)
    ]  # fmt: skip
    keys = [
        Account.from_key(accounts.test_accounts[i].private_key) for i in (8, 9)
    ]  # two of the local operators
    attestors = start_attestors(keys, tmp_path / "attestors", watched)
    try:
        heads = {
            cid: int(str(node.rpc("eth_blockNumber")), 16)
            for node, cid in zip(nodes, (31337, 31338), strict=True)
        }
        for attestor in attestors:
            attestor.wait_caught_up(heads)
        result = ape_run(
            "relayer", "--rpc-a", nodes[0].uri, "--rpc-b", nodes[1].uri, "--manifests", str(deployed),
            "--submitter-test-account", "11", *(f"--attestor={a.url}" for a in attestors),
            "--db", str(tmp_path / "relayer.sqlite"), "--once", "--json",
        )  # fmt: skip
    finally:
        for attestor in attestors:
            attestor.stop()

    assert result.returncode == 0, result.stdout + result.stderr
    report = only_json(result)
    assert message_id in report["delivered"]
    assert report["parked"] == []


def test_reconcile_json_with_one_network_option_per_chain_is_only_the_report(nodes, deployed):
    result = run_in_process(
        "reconcile", "--network", f"ethereum:chaina:node={nodes[0].uri}",
        "--network", f"ethereum:chainb:node={nodes[1].uri}", "--manifests", str(deployed), "--json",
    )  # fmt: skip

    report = only_json(result)
    assert result.returncode == (0 if report["ok"] else 1)
    assert {(a["key"], a["chain_id"]) for a in report["assets"]} >= {("AAPLx", 31337), ("AAPLx", 31338)}
    assert all(isinstance(a["total_supply"], int) for a in report["assets"])  # base units, not text


def test_sanctions_watch_json_is_one_json_line_per_round(nodes, deployed):
    result = run_in_process(
        "sanctions", "watch", *on(nodes[0]), "--manifests", str(deployed), "--asset", "AAPLx",
        "--once", "--json",
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    rounds = json_lines(result)
    assert len(rounds) == 1
    assert rounds[0]["round"] == "catch-up"
    assert isinstance(rounds[0]["to_block"], int) and rounds[0]["synced"] == []
    assert "catch-up" in result.stderr  # the human line went to stderr


@pytest.mark.parametrize(
    ("script", "args", "message"),
    [
        ("bridge", ["--asset", "AAPLx", "--to", "0x1234", "--amount", "1", "--dst-chain-id", "31338"],
         "bad recipient"),
        ("sanctions", ["check", "--asset", "AAPLx", "--address", "0x1234"], "bad address"),
        ("sanctions", ["sync", "--asset", "AAPLx", "--address", ALICE, "--batch-size", "0"], "bad --batch-size"),
        ("sanctions", ["watch", "--asset", "AAPLx", "--once", "--poll-interval", "0"], "bad --poll-interval"),
        ("reconcile", [], "give --network"),
        ("relayer", [], "--json needs --once"),
        ("relayer", ["--rpc-a", "http://127.0.0.1:9", "--rpc-b", "http://127.0.0.1:9", "--manifests", ".",
                     "--submitter-test-account", "11", "--attestor", "http://127.0.0.1:9", "--once"],
         "cannot reach chain A at http://127.0.0.1:9"),
        ("bench", ["--scale", "ten"], "bad --scale"),
        ("demo", ["--listings", "no-such-listings.yaml"], "no-such-listings.yaml"),
    ],
    ids=["bridge", "sanctions-check", "sanctions-sync", "sanctions-watch", "reconcile", "relayer",
         "relayer-unreachable", "bench", "demo"],
)  # fmt: skip
def test_bad_input_with_json_is_exit_2_one_error_line_and_empty_stdout(
    nodes, deployed, script, args, message
):
    connected = script in ("bridge", "sanctions", "bench")
    where = [*on(nodes[0]), "--manifests", str(deployed)] if script != "bench" else on(nodes[0])
    head, rest = (args[:1], args[1:]) if script == "sanctions" else ([], args)
    argv = [*head, *(where if connected else []), *rest, "--json"]

    assert_bad_input(run_in_process(script, *argv), message)


@pytest.mark.slow  # the bench measures every operation on a fresh chain: a minute or two
def test_bench_json_prints_only_the_gas_report_on_stdout(tmp_path):
    result = ape_run(
        "bench", "--scale", "", "--no-embed", "--report-dir", str(tmp_path), "--json", timeout=900
    )

    report = only_json(result)
    assert result.returncode == (0 if report["ok"] else 1), result.stderr[-2000:]
    assert report["baseline"] > 0 and report["rows"]
    assert all(isinstance(row["gas"], int) for row in report["rows"])
    assert report["written"] == [str(tmp_path / "gas-report.json"), str(tmp_path / "gas-report.md")]
    assert json.loads((tmp_path / "gas-report.json").read_text())["rows"] == report["rows"]


def test_bad_input_of_a_real_ape_run_with_json_leaves_stdout_empty(nodes, deployed):
    result = ape_run(
        "sanctions", "check", *on(nodes[0]), "--manifests", str(deployed), "--asset", "NOPE",
        "--address", ALICE, "--json",
    )  # fmt: skip

    assert_bad_input(result, "unknown asset")
