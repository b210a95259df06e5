"""The relayer between two real chains: exactly once across crashes, failures reported not
retried forever, confirmations respected, throughput."""

from __future__ import annotations

import time

import pytest
from eth_keys import KeyAPI

from tokenized_stocks.devtools.bridge import build_bridge
from tokenized_stocks.protocol.message import MessageState
from tokenized_stocks.relayer.chain import SimulatedCrash
from tokenized_stocks.relayer.store import RelayerStore


@pytest.fixture
def bridge(chains, project, issuer, operators, relayer, investor_alice):
    bridge = build_bridge(chains, project, issuer, operators, relayer)
    bridge.token_a.mint(investor_alice, 10_000, sender=issuer)
    return bridge


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "relayer.sqlite")


def crash_at(step: str):
    def fault(name: str) -> None:
        if name == step:
            raise SimulatedCrash(step)

    return fault


def run(bridge, db, **options):
    relayer = bridge.relayer(db, **options)
    try:
        return relayer.run_once()
    finally:
        relayer.close()


@pytest.mark.parametrize("step", ["scanned", "before_submit", "after_submit"])
def test_relayer_killed_mid_way_then_restarted_delivers_exactly_once(
    bridge, db, step, investor_alice, investor_bob
):
    for _ in range(3):
        bridge.send_a(investor_alice, investor_bob, 10)
    with pytest.raises(SimulatedCrash):
        run(bridge, db, fault=crash_at(step))
    report = run(bridge, db)  # restarted on the same database
    assert report.processed == 3
    assert bridge.units_b(investor_bob) == 30
    assert run(bridge, db).processed == 0  # nothing is repeated
    assert bridge.units_b(investor_bob) == 30
    assert RelayerStore(db).counts() == {"delivered": 3}


def test_a_message_delivered_by_someone_else_is_not_delivered_again(
    bridge, db, chains, investor_alice, investor_bob
):
    bridge.send_a(investor_alice, investor_bob, 10)
    run(bridge, db)
    other_db = db + ".other"
    report = run(bridge, other_db)  # a second relayer that never saw the delivery
    assert report.already_processed and not report.delivered
    assert bridge.units_b(investor_bob) == 10


def test_a_paused_destination_is_retried_every_round_not_parked(
    bridge, db, chains, guardian, issuer, investor_alice, investor_bob
):
    """20.3: a pause is transient (EnforcedPause): the message stays pending, never `failed`."""
    with chains.on_b():
        bridge.gateway_b.grantRole(bridge.gateway_b.PAUSER_ROLE(), guardian, sender=issuer)
        bridge.gateway_b.pause(sender=guardian)
    bridge.send_a(investor_alice, investor_bob, 10)
    reports = [run(bridge, db, max_attempts=2) for _ in range(3)]
    assert [len(r.failed) for r in reports] == [0, 0, 0]
    assert all("EnforcedPause" in r.retrying[0][1] for r in reports)
    with chains.on_b():
        bridge.gateway_b.unpause(sender=issuer)
    assert len(run(bridge, db).delivered) == 1
    assert bridge.units_b(investor_bob) == 10


def test_a_rate_limited_delivery_is_retried_until_the_bucket_allows_it(
    bridge, db, chains, issuer, investor_alice, investor_bob
):
    """20.3: GatewayRateLimited is transient: retried past max_attempts, delivered once allowed."""
    with chains.on_b():
        bridge.gateway_b.setRateLimit(bridge.asset_id, True, 5, 0, sender=issuer)
    bridge.send_a(investor_alice, investor_bob, 10)
    reports = [run(bridge, db, max_attempts=2) for _ in range(3)]
    assert [len(r.failed) for r in reports] == [0, 0, 0]
    assert all(r.retrying[0][1] == "B: GatewayRateLimited(bytes32,bool,uint256,uint256)" for r in reports)
    assert RelayerStore(db).counts() == {"pending": 1}
    with chains.on_b():
        bridge.gateway_b.setRateLimit(bridge.asset_id, True, 100, 0, sender=issuer)
    assert len(run(bridge, db, max_attempts=2).delivered) == 1
    assert bridge.units_b(investor_bob) == 10


def test_a_transfer_rate_limited_until_its_expiry_is_expired_and_refunded(
    bridge, db, chains, issuer, investor_alice, investor_bob
):
    """20.3: an attacker filling the bucket delays an honest transfer, never strands it: once the
    expiry has passed on the destination the relayer submits `expire`, the Return refunds A."""
    before = int(bridge.token_a.unitsOf(investor_alice))
    with chains.on_b():
        bridge.gateway_b.setRateLimit(bridge.asset_id, True, 5, 0, sender=issuer)
    bridge.send_a(investor_alice, investor_bob, 10, ttl=600)
    assert len(run(bridge, db, max_attempts=1).retrying) == 1
    chains.node.rpc("evm_increaseTime", 3_600)
    chains.node.rpc("evm_mine")

    relayer = bridge.relayer(db, max_attempts=1)
    try:
        report = relayer.run_until_idle()
    finally:
        relayer.close()

    assert len(report.expired) == 1 and not report.failed
    assert bridge.units_b(investor_bob) == 0
    assert int(bridge.token_a.unitsOf(investor_alice)) == before


def test_a_permanent_revert_is_parked_at_once_and_reported(
    bridge, db, chains, project, issuer, investor_alice, investor_bob
):
    """20.3: GatewayUnknownAsset cannot succeed later: parked after one attempt, not retried."""
    from ape import chain

    from tokenized_stocks.devtools.bridge import CHAIN_B, identity_params, register_asset
    from tokenized_stocks.protocol.identity import asset_id
    from tokenized_stocks.protocol.roles import Architecture

    isin = "US5949181045"  # listed on A only: B's gateway does not know it
    params = identity_params(asset_id(isin), isin, "MSFT", Architecture.TRACKER_CERTIFICATE, chain.chain_id)
    token = issuer.deploy(project.MockCrosschainAsset, issuer, params)
    register_asset(bridge.gateway_a, issuer, token)
    token.mint(investor_alice, 100, sender=issuer)
    bridge.gateway_a.send(
        asset_id(isin), CHAIN_B, investor_bob, 10, chain.pending_timestamp + 3_600, sender=investor_alice
    )

    first = run(bridge, db, max_attempts=3)
    second = run(bridge, db, max_attempts=3)

    assert [e for _, e in first.failed] == ["B: GatewayUnknownAsset(bytes32)"]
    assert not second.failed and not second.retrying and not second.transactions
    assert RelayerStore(db).counts() == {"failed": 1}


def test_one_bad_message_does_not_block_the_rest_of_its_batch(
    bridge, db, chains, issuer, investor_alice, investor_bob
):
    # A rate limit on B lets 20 units in: the first two messages pass, the third (50) cannot.
    with chains.on_b():
        bridge.gateway_b.setRateLimit(bridge.asset_id, True, 20, 0, sender=issuer)
    bridge.send_a(investor_alice, investor_bob, 10)
    bridge.send_a(investor_alice, investor_bob, 50)
    bridge.send_a(investor_alice, investor_bob, 10)
    report = run(bridge, db)
    assert len(report.delivered) == 2
    assert bridge.units_b(investor_bob) == 20


def test_unconfirmed_messages_wait_for_their_confirmations(bridge, db, chain, investor_alice, investor_bob):
    bridge.send_a(investor_alice, investor_bob, 10)
    assert run(bridge, db, confirmations=3).scanned == 0
    chain.mine(3)
    assert run(bridge, db, confirmations=3).processed == 1


def test_relayer_throughput_between_two_local_chains(bridge, db, chains, investor_alice, investor_bob):
    count = 100
    for _ in range(count):
        bridge.send_a(investor_alice, investor_bob, 1)
    relayer = bridge.relayer(db, batch_size=50)
    started = time.perf_counter()
    report = relayer.run_once()
    elapsed = time.perf_counter() - started
    relayer.close()
    rate = count / elapsed
    print(
        f"\nrelayer throughput: {count} messages in {elapsed:.2f}s = {rate:.0f} msgs/s "
        f"({report.transactions} transactions)"
    )
    assert len(report.delivered) == count
    assert bridge.units_b(investor_bob) == count
    # Attestation signing and checking dominate: eth-keys is ~10x faster with coincurve (a dependency)
    # than with its pure-Python backend, which alone cannot reach 50/s on a loaded 2-core machine.
    fast_signing = type(KeyAPI().backend).__name__ == "CoinCurveECCBackend"
    print(f"signing backend: {type(KeyAPI().backend).__name__}")
    assert rate >= (50 if fast_signing else 20)


__all__ = ["MessageState"]


@pytest.fixture
def served_attestors(bridge, tmp_path):
    """The operators' attestors behind their HTTP API (threads of this process, own keys and
    stores): what the relayer asks; it never holds an operator key."""
    servers = bridge.served_attestors(str(tmp_path / "served"))
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def relayer_once(bridge, tmp_path, served_attestors, relayer):
    """Runs scripts/relayer.py's command in process with `--once` and the given extra arguments:
    the submitter by test account number, the three attestors by URL."""
    import importlib.util
    from pathlib import Path

    import ape
    from click.testing import CliRunner

    spec = importlib.util.spec_from_file_location("relayer_script", Path("scripts/relayer.py"))
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    index = {str(account.address): i for i, account in enumerate(ape.accounts.test_accounts)}
    args = [
        "--rpc-a", bridge.uri_a, "--gateway-a", bridge.gateway_a.address,
        "--rpc-b", bridge.uri_b, "--gateway-b", bridge.gateway_b.address,
        "--submitter-test-account", str(index[str(relayer.address)]),
        "--db", str(tmp_path / "cli.sqlite"),
    ]  # fmt: skip
    for server in served_attestors:
        args += ["--attestor", server.url]

    def run(*extra: str, once: bool = True):
        for server in served_attestors:
            server.attestor.poll()  # each has read the chains (its own scan loop may lag a poll)
        return CliRunner(mix_stderr=False).invoke(script.cli, [*args, *(["--once"] if once else []), *extra])

    return run


def test_ape_run_relayer_once_delivers_and_exits(bridge, relayer_once, investor_alice, investor_bob):
    bridge.send_a(investor_alice, investor_bob, 10)
    result = relayer_once()
    assert result.exit_code == 0, result.output + result.stderr
    assert "delivered 1" in result.output
    assert bridge.units_b(investor_bob) == 10


def test_relayer_once_json_prints_only_the_report_as_json(bridge, relayer_once, investor_alice, investor_bob):
    import json

    from tokenized_stocks.protocol.message import Message

    receipt = bridge.send_a(investor_alice, investor_bob, 10)
    message = Message.from_values(receipt.events.filter(bridge.gateway_a.MessageSent)[0].message)
    result = relayer_once("--json")
    assert result.exit_code == 0, result.output + result.stderr
    report = json.loads(result.stdout)  # the whole of stdout; the relayer's logs are on stderr
    assert report["delivered"] == ["0x" + message.id.hex()]
    assert (report["rejected"], report["parked"], report["refunds_held"]) == ([], [], [])
    assert report["transactions"] == 1


def test_relayer_json_without_once_is_refused_before_connecting(relayer_once):
    result = relayer_once("--json", once=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --json needs --once (a relayer that runs on logs to stderr; its report is per run)"
    )
    assert result.stdout == ""


KILL_SCRIPT = """
import json, os, signal, sys
from eth_account import Account
from tokenized_stocks.relayer.attestors import HttpAttestor
from tokenized_stocks.relayer.config import ChainEndpoint, RelayerConfig
from tokenized_stocks.relayer.service import Relayer

args = json.loads(sys.stdin.read())  # never a key on the command line
config = RelayerConfig(
    chain_a=ChainEndpoint("A", args["rpc_a"], args["gateway_a"]),
    chain_b=ChainEndpoint("B", args["rpc_b"], args["gateway_b"]),
    submitter=Account.from_key(args["submitter"]),
    attestors=[HttpAttestor(url) for url in args["attestors"]],
    db_path=args["db"],
)

def fault(step):
    if step == args["kill_at"]:
        os.kill(os.getpid(), signal.SIGKILL)

Relayer(config, fault=fault).run_once()
"""


@pytest.mark.parametrize("kill_at", ["before_submit", "after_submit"])
def test_relayer_process_killed_with_sigkill_then_restarted_delivers_exactly_once(
    bridge, db, served_attestors, relayer, investor_alice, investor_bob, kill_at
):
    import json
    import os
    import subprocess
    import sys

    for _ in range(3):
        bridge.send_a(investor_alice, investor_bob, 10)
    args = {
        "rpc_a": bridge.uri_a,
        "rpc_b": bridge.uri_b,
        "gateway_a": bridge.gateway_a.address,
        "gateway_b": bridge.gateway_b.address,
        "submitter": relayer.private_key,
        "attestors": [server.url for server in served_attestors],
        "db": db,
        "kill_at": kill_at,
    }
    for server in served_attestors:
        server.attestor.poll()
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    done = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT], input=json.dumps(args).encode(), env=env, timeout=120
    )
    assert done.returncode == -9  # killed, not exited
    report = run(bridge, db)
    assert report.processed == 3
    assert run(bridge, db).processed == 0
    assert bridge.units_b(investor_bob) == 30


def test_an_unreachable_chain_is_retried_with_backoff_then_reported(bridge, db):
    from tokenized_stocks.relayer.chain import GatewayClient, RelayerError
    from tokenized_stocks.relayer.config import ChainEndpoint

    with pytest.raises(RelayerError, match="RPC failed after 3 attempts"):
        GatewayClient(
            ChainEndpoint("down", "http://127.0.0.1:9", bridge.gateway_a.address), retries=3, backoff=0.01
        )


def test_the_relayer_warns_at_start_of_an_attestor_waiting_for_more_confirmations(
    bridge, tmp_path, relayer, caplog
):
    import importlib.util
    from pathlib import Path

    import ape
    from click.testing import CliRunner

    from tokenized_stocks.attestor.server import ThreadedServer
    from tokenized_stocks.attestor.service import WatchedChain
    from tokenized_stocks.devtools.bridge import in_process_attestors

    watched = [WatchedChain(bridge.uri_a, str(bridge.gateway_a.address))]
    (deep,) = in_process_attestors(bridge.operators[:1], watched, str(tmp_path / "deep"), confirmations=3)
    server = ThreadedServer(deep.attestor)
    spec = importlib.util.spec_from_file_location("relayer_script", Path("scripts/relayer.py"))
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    index = {str(account.address): i for i, account in enumerate(ape.accounts.test_accounts)}
    try:
        result = CliRunner(mix_stderr=False).invoke(
            script.cli,
            [
                "--rpc-a", bridge.uri_a, "--gateway-a", bridge.gateway_a.address,
                "--rpc-b", bridge.uri_b, "--gateway-b", bridge.gateway_b.address,
                "--submitter-test-account", str(index[str(relayer.address)]),
                "--db", str(tmp_path / "cli.sqlite"), "--attestor", server.url, "--once",
            ],
        )  # fmt: skip
    finally:
        server.stop()
    assert result.exit_code == 0, result.output + result.stderr
    assert f"attestor {server.url} waits 3 confirmations, this relayer 0" in caplog.text
