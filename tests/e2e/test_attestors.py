"""Independent gateway operators (issue 15): three attestor PROCESSES, each with its own key, store
and RPCs, threshold 2, on real anvil chains (A = ape's, B, and C for the three-chain case). The
relayer holds no operator key: it asks the attestors over HTTP.

Every attestor here waits CONFIRMATIONS blocks; `settle` mines them and waits until each running
attestor has read that far (a sync point, not a timing)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from ape import chain
from revert_data import reverts
from test_bridge_architectures import ONE, asset_bridge  # noqa: F401 - the architectures' fixture

from tokenized_stocks.attestor.service import WatchedChain
from tokenized_stocks.devtools.attestors import AttestorProcess
from tokenized_stocks.devtools.bridge import (
    CHAIN_A,
    CHAIN_B,
    HOUR,
    build_bridge,
    deploy_gateway,
    link_gateway,
    local_signer,
    register_asset,
)
from tokenized_stocks.protocol.message import Message, MessageState
from tokenized_stocks.relayer.attestors import HttpAttestor
from tokenized_stocks.relayer.config import ChainEndpoint, RelayerConfig
from tokenized_stocks.relayer.service import Relayer
from tokenized_stocks.relayer.store import RelayerStore

CONFIRMATIONS = 2
CHAIN_C = 31339
HERE = Path(__file__).resolve().parent


# ---------------------------------------------------------------------------------------------
# fixtures and helpers
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def bridge(chains, project, issuer, operators, relayer, investor_alice):
    bridge = build_bridge(chains, project, issuer, operators, relayer)
    bridge.token_a.mint(investor_alice, 10_000, sender=issuer)
    return bridge


def watched(bridge) -> list[WatchedChain]:
    return [
        WatchedChain(bridge.uri_a, str(bridge.gateway_a.address)),
        WatchedChain(bridge.uri_b, str(bridge.gateway_b.address)),
    ]


@pytest.fixture
def spawn(tmp_path) -> Iterator:
    """Starts attestor processes (`spawn(key, chains, name=..., **fields)`); all stopped after."""
    started: list[AttestorProcess] = []

    def spawn(key, chains, name: str, **fields) -> AttestorProcess:
        process = AttestorProcess(
            key, tmp_path / "attestors", chains, CONFIRMATIONS, poll_interval=0.25, name=name, **fields
        )
        started.append(process)
        return process.start()

    yield spawn
    for process in started:
        process.stop()


@pytest.fixture
def attestors(bridge, operators, spawn) -> list[AttestorProcess]:
    """One process per operator of the bridge, watching A and B."""
    return [spawn(local_signer(op), watched(bridge), f"op{i}") for i, op in enumerate(operators)]


def head(uri: str) -> int:
    return int(
        requests.post(uri, json={"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber"}).json()["result"], 16
    )


def mine(uri: str, blocks: int = CONFIRMATIONS) -> None:
    for _ in range(blocks):
        requests.post(uri, json={"jsonrpc": "2.0", "id": 1, "method": "evm_mine", "params": []})


def settle(uris: dict[int, str], attestors: list[AttestorProcess]) -> None:
    """Mines CONFIRMATIONS blocks on each chain and waits until every running attestor read them."""
    for uri in uris.values():
        mine(uri)
    heads = {chain_id: head(uri) for chain_id, uri in uris.items()}
    for attestor in attestors:
        if attestor.running:
            attestor.wait_caught_up(heads)


def relay(bridge, db: Path, attestors: list[AttestorProcess], **options):
    """One relayer run (until idle) asking the attestors' HTTP APIs (processes or URLs)."""
    relayer = Relayer(
        RelayerConfig(
            chain_a=ChainEndpoint("A", bridge.uri_a, str(bridge.gateway_a.address)),
            chain_b=ChainEndpoint("B", bridge.uri_b, str(bridge.gateway_b.address)),
            submitter=local_signer(bridge.submitter),
            attestors=[HttpAttestor(getattr(a, "url", a), timeout=2.0) for a in attestors],
            db_path=str(db),
            confirmations=options.pop("confirmations", CONFIRMATIONS),
            **options,
        )
    )
    try:
        return relayer.run_until_idle()
    finally:
        relayer.close()


def sent_message(bridge, receipt) -> Message:
    return Message.from_values(receipt.events.filter(bridge.gateway_a.MessageSent)[0].message)


def attestation_status(attestor: AttestorProcess, message_id: bytes) -> int:
    return requests.get(f"{attestor.url}/v1/attestations/0x{message_id.hex()}", timeout=5).status_code


# ---------------------------------------------------------------------------------------------
# round trips
# ---------------------------------------------------------------------------------------------


def test_each_architecture_round_trips_with_attestor_processes(
    asset_bridge,  # noqa: F811 - the fixture imported above
    chains,
    operators,
    spawn,
    tmp_path,
    investor_alice,
    investor_bob,
):
    bridge = asset_bridge
    processes = [spawn(local_signer(op), watched(bridge), f"op{i}") for i, op in enumerate(operators)]
    uris = {CHAIN_A: bridge.uri_a, CHAIN_B: bridge.uri_b}
    bridge.send_a(investor_alice, investor_bob, 40 * ONE, ttl=HOUR)
    settle(uris, processes)
    assert len(relay(bridge, tmp_path / "r.sqlite", processes).delivered) == 1
    with chains.on_b():
        assert bridge.token_b.balanceOf(investor_bob) == 40 * ONE
    bridge.send_b(investor_bob, investor_alice, 40 * ONE)
    settle(uris, processes)
    assert len(relay(bridge, tmp_path / "r.sqlite", processes).delivered) == 1
    assert bridge.token_a.balanceOf(investor_alice) == 100 * ONE
    assert bridge.gateway_a.supplyElsewhere(bridge.asset_id) == 0


@contextmanager
def on_c(node) -> Iterator[None]:
    from ape import networks

    with networks.parse_network_choice(
        "ethereum:chainc:node", provider_settings={"uri": node.uri}, disconnect_on_exit=False
    ):
        yield


@pytest.fixture
def chain_c(chain_c_node) -> Iterator:
    snapshot = chain_c_node.rpc("evm_snapshot")
    yield chain_c_node
    chain_c_node.rpc("evm_revert", snapshot)


def test_one_attestor_set_serves_three_chains(
    bridge, chain_c, project, issuer, operators, spawn, tmp_path, investor_alice, investor_bob
):
    """Each attestor watches A, B and C; A sends to B and to C, both delivered at threshold 2."""
    params = (
        bridge.asset_id,
        bridge.token_a.isin(),
        "AAPL",
        0,
        CHAIN_A,
        "ipfs://terms",
        b"\x01" * 32,
        b"4H95J0R2X",
    )
    with on_c(chain_c):
        from ape import chain as chain_on_c

        token_c = issuer.deploy(project.MockCrosschainAsset, issuer, params)
        gateway_c = deploy_gateway(project, issuer, operators, 2)
        register_asset(gateway_c, issuer, token_c)
        link_gateway(gateway_c, issuer, CHAIN_A, bridge.gateway_a.address)
        assert chain_on_c.chain_id == CHAIN_C
    link_gateway(bridge.gateway_a, issuer, CHAIN_C, gateway_c.address)
    three = [*watched(bridge), WatchedChain(chain_c.uri, str(gateway_c.address))]
    processes = [spawn(local_signer(op), three, f"op{i}") for i, op in enumerate(operators)]
    bridge.send_a(investor_alice, investor_bob, 10)
    bridge.gateway_a.send(
        bridge.asset_id, CHAIN_C, investor_bob, 5, chain.pending_timestamp + HOUR, sender=investor_alice
    )
    settle({CHAIN_A: bridge.uri_a, CHAIN_B: bridge.uri_b, CHAIN_C: chain_c.uri}, processes)

    to_b = relay(bridge, tmp_path / "ab.sqlite", processes)
    bridge_c = type(bridge)(
        **{**bridge.__dict__, "gateway_b": gateway_c, "token_b": token_c, "uri_b": chain_c.uri}
    )
    to_c = relay(bridge_c, tmp_path / "ac.sqlite", processes)

    assert (len(to_b.delivered), len(to_c.delivered)) == (1, 1)
    assert bridge.units_b(investor_bob) == 10
    with on_c(chain_c):
        assert token_c.unitsOf(investor_bob) == 5


# ---------------------------------------------------------------------------------------------
# attestors down
# ---------------------------------------------------------------------------------------------


def test_one_attestor_killed_delivery_continues(bridge, attestors, tmp_path, investor_alice, investor_bob):
    attestors[0].kill()
    for _ in range(3):
        bridge.send_a(investor_alice, investor_bob, 10)
    settle({CHAIN_A: bridge.uri_a, CHAIN_B: bridge.uri_b}, attestors)

    report = relay(bridge, tmp_path / "r.sqlite", attestors)

    assert len(report.delivered) == 3 and not report.unattested and not report.failed
    assert bridge.units_b(investor_bob) == 30


def test_an_attestor_that_hangs_and_one_that_answers_garbage_do_not_stall_delivery(
    bridge, attestors, tmp_path, investor_alice, investor_bob
):
    import socket

    attestors[0].kill()
    hanging = socket.socket()  # accepts connections, never answers
    hanging.bind(("127.0.0.1", 0))
    hanging.listen(8)
    garbage = bridge.uri_b  # a JSON-RPC node: answers, but no attestations document
    bridge.send_a(investor_alice, investor_bob, 10)
    settle({CHAIN_A: bridge.uri_a, CHAIN_B: bridge.uri_b}, attestors)
    try:
        report = relay(
            bridge,
            tmp_path / "r.sqlite",
            [f"http://127.0.0.1:{hanging.getsockname()[1]}", garbage, *attestors],
        )
    finally:
        hanging.close()

    assert len(report.delivered) == 1 and not report.unattested
    assert bridge.units_b(investor_bob) == 10


def test_two_attestors_killed_nothing_delivered_nothing_lost_then_restarted_exactly_once(
    bridge, attestors, tmp_path, investor_alice, investor_bob
):
    db = tmp_path / "r.sqlite"
    attestors[0].kill()
    attestors[1].kill()
    for _ in range(3):
        bridge.send_a(investor_alice, investor_bob, 10)
    settle({CHAIN_A: bridge.uri_a, CHAIN_B: bridge.uri_b}, attestors)

    down = relay(bridge, db, attestors)

    assert down.delivered == [] and down.failed == []
    assert len(down.unattested) == 3
    assert all("below threshold: 1 of 2 valid attestations" in error for _, error in down.unattested)
    assert bridge.units_b(investor_bob) == 0
    assert RelayerStore(str(db)).counts() == {"pending": 3}  # kept, not dropped

    attestors[0].start()  # same store, same port: it resumes where it was killed
    attestors[1].start()
    settle({CHAIN_A: bridge.uri_a, CHAIN_B: bridge.uri_b}, attestors)
    up = relay(bridge, db, attestors)
    again = relay(bridge, db, attestors)

    assert len(up.delivered) == 3 and again.processed == 0
    assert bridge.units_b(investor_bob) == 30
    assert RelayerStore(str(db)).counts() == {"delivered": 3}


def test_an_attestor_killed_while_signing_restarts_without_losing_or_contradicting_what_it_served(
    bridge, operators, spawn, investor_alice, investor_bob
):
    ids = [sent_message(bridge, bridge.send_a(investor_alice, investor_bob, 1)).id for _ in range(40)]
    attestor = spawn(local_signer(operators[0]), watched(bridge), "op0")
    mine(bridge.uri_a)
    attestor.wait_signed(1)
    served = HttpAttestor(attestor.url).signatures(ids)  # whatever it had served when killed
    attestor.kill()  # SIGKILL: possibly in the middle of a scan

    attestor.start()
    settle({CHAIN_A: bridge.uri_a, CHAIN_B: bridge.uri_b}, [attestor])
    after = HttpAttestor(attestor.url).signatures(ids)
    metrics = requests.get(f"{attestor.url}/metrics", timeout=5).text

    assert served and all(after[i] == signature for i, signature in served.items())  # nothing lost or changed
    assert sorted(after) == sorted(ids)  # and it went on to sign the rest
    assert 'attestor_refused_total{reason="conflict"} 0' in metrics


def test_a_message_below_threshold_is_parked_and_reported_not_retried_forever(
    bridge, attestors, tmp_path, investor_alice, investor_bob
):
    db = tmp_path / "r.sqlite"
    for attestor in attestors[:2]:
        attestor.kill()
    bridge.send_a(investor_alice, investor_bob, 10)
    settle({CHAIN_A: bridge.uri_a, CHAIN_B: bridge.uri_b}, attestors)

    # every relayer round counts one attempt: the first run makes two (it read something, so it
    # went round again), the second run's single round is the third and last
    first = relay(bridge, db, attestors, attestation_attempts=3)
    second = relay(bridge, db, attestors, attestation_attempts=3)
    third = relay(bridge, db, attestors, attestation_attempts=3)

    assert (len(first.unattested), first.failed) == (1, [])
    assert len(second.failed) == 1 and "below threshold" in second.failed[0][1]
    assert third.unattested == [] and third.failed == [] and third.transactions == 0
    assert RelayerStore(str(db)).counts() == {"failed": 1}


# ---------------------------------------------------------------------------------------------
# a malicious attestor
# ---------------------------------------------------------------------------------------------


def test_a_malicious_attestor_moves_nothing_and_the_honest_ones_refuse_to_co_sign(
    bridge, chains, operators, spawn, tmp_path, relayer, investor_alice, investor_bob, outsider
):
    real = sent_message(bridge, bridge.send_a(investor_alice, investor_bob, 10))
    forged = real.with_(units=5_000, recipient=outsider.address)  # a real nonce, other terms
    never_sent = real.with_(nonce=real.nonce + 50, recipient=outsider.address)  # a nonce never used
    honest = [spawn(local_signer(op), watched(bridge), f"op{i}") for i, op in enumerate(operators[:2])]
    evil = spawn(
        local_signer(operators[2]),
        watched(bridge),
        "evil",
        module="malicious_attestor",
        pythonpath=[str(HERE)],
        env={"MALICIOUS_FORGED": ",".join(m.encode().hex() for m in (forged, never_sent))},
    )
    processes = [*honest, evil]
    settle({CHAIN_A: bridge.uri_a, CHAIN_B: bridge.uri_b}, processes)

    # the honest attestors never signed the forgeries; the malicious one did
    for message in (forged, never_sent):
        assert [attestation_status(a, message.id) for a in processes] == [404, 404, 200]
    # with the only signature there is, the gateway refuses both forgeries
    for message in (forged, never_sent):
        signature = HttpAttestor(evil.url).signatures([message.id])[message.id]
        with chains.on_b(), reverts(bridge.gateway_b.GatewayBelowThreshold, signatures=1, threshold=2):
            bridge.gateway_b.receiveMessage(message.as_tuple(), [signature], sender=relayer)
    # the relayer delivers the real message on the honest signatures, and nothing else
    report = relay(bridge, tmp_path / "r.sqlite", processes)
    assert report.delivered == [real.id]
    assert bridge.units_b(investor_bob) == 10 and bridge.units_b(outsider) == 0
    with chains.on_b():
        assert bridge.gateway_b.inboundState(CHAIN_A, never_sent.nonce) == MessageState.NONE
    assert bridge.total_units_b() == 10


# ---------------------------------------------------------------------------------------------
# a reorg below the confirmation depth
# ---------------------------------------------------------------------------------------------


def test_a_message_reorged_out_before_its_depth_is_never_signed_nor_delivered(
    bridge, attestors, tmp_path, investor_alice, investor_bob
):
    db = tmp_path / "r.sqlite"
    orphan = sent_message(bridge, bridge.send_a(investor_alice, investor_bob, 10))
    # a relayer that reads without waiting sees the orphan; no attestor signs it at depth 0
    eager = relay(bridge, db, attestors, confirmations=0)
    assert [m for m, _ in eager.unattested] == [orphan.id]

    chain.provider.make_request("anvil_reorg", [1, []])  # its block is replaced by an empty one
    replacement = sent_message(bridge, bridge.send_a(investor_alice, investor_bob, 7))
    assert replacement.nonce == orphan.nonce and replacement.id != orphan.id
    settle({CHAIN_A: bridge.uri_a, CHAIN_B: bridge.uri_b}, attestors)

    report = relay(bridge, db, attestors, confirmations=0)

    assert report.delivered == [replacement.id]
    assert [m for m, _ in report.unattested] == [orphan.id]
    assert [attestation_status(a, orphan.id) for a in attestors] == [404, 404, 404]
    assert bridge.units_b(investor_bob) == 7


# ---------------------------------------------------------------------------------------------
# several relayers at once
# ---------------------------------------------------------------------------------------------

RELAY_SCRIPT = """
import json, sys
from eth_account import Account
from tokenized_stocks.relayer.attestors import HttpAttestor
from tokenized_stocks.relayer.config import ChainEndpoint, RelayerConfig
from tokenized_stocks.relayer.service import Relayer

args = json.loads(sys.stdin.read())  # never a key on the command line
relayer = Relayer(RelayerConfig(
    chain_a=ChainEndpoint("A", args["rpc_a"], args["gateway_a"]),
    chain_b=ChainEndpoint("B", args["rpc_b"], args["gateway_b"]),
    submitter=Account.from_key(args["submitter"]),
    attestors=[HttpAttestor(url) for url in args["attestors"]],
    db_path=args["db"], batch_size=25, confirmations=args["confirmations"],
))
report = relayer.run_until_idle()
print(json.dumps({"delivered": [i.hex() for i in report.delivered],
                  "already": [i.hex() for i in report.already_processed],
                  "failed": len(report.failed), "unattested": len(report.unattested)}))
"""


def test_two_relayers_at_once_deliver_each_of_200_messages_exactly_once(
    bridge, attestors, accounts, tmp_path, relayer, investor_alice, investor_bob
):
    count = 200
    ids = [
        sent_message(bridge, bridge.send_a(investor_alice, investor_bob, 1)).id.hex() for _ in range(count)
    ]
    settle({CHAIN_A: bridge.uri_a, CHAIN_B: bridge.uri_b}, attestors)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    runs = []
    for name, submitter in (("one", relayer), ("two", accounts[17])):
        args = {
            "rpc_a": bridge.uri_a,
            "rpc_b": bridge.uri_b,
            "gateway_a": str(bridge.gateway_a.address),
            "gateway_b": str(bridge.gateway_b.address),
            "submitter": submitter.private_key,
            "attestors": [a.url for a in attestors],
            "db": str(tmp_path / f"{name}.sqlite"),
            "confirmations": CONFIRMATIONS,
        }
        process = subprocess.Popen(
            [sys.executable, "-c", RELAY_SCRIPT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        process.stdin.write(json.dumps(args).encode())
        process.stdin.close()
        runs.append(process)
    reports = []
    for process in runs:
        assert process.wait(timeout=300) == 0
        reports.append(json.loads(process.stdout.read().decode().strip().splitlines()[-1]))

    one, two = reports
    assert not set(one["delivered"]) & set(two["delivered"])  # never both
    assert sorted(one["delivered"] + two["delivered"]) == sorted(ids)  # each once
    for report in reports:  # each relayer accounts for every message: delivered, or by the other
        assert sorted(report["delivered"] + report["already"]) == sorted(ids)
        assert (report["failed"], report["unattested"]) == (0, 0)
    assert bridge.units_b(investor_bob) == count
    for name in ("one", "two"):  # the relayers' records agree: every message delivered
        assert RelayerStore(str(tmp_path / f"{name}.sqlite")).counts() == {"delivered": count}


# ---------------------------------------------------------------------------------------------
# operator lifecycle: the rotation runbook of docs/gateway.md, step by step
# ---------------------------------------------------------------------------------------------


def status(bridge, *extra: str):
    from click.testing import CliRunner

    from tokenized_stocks.cli.attestor import cli

    chains = [
        f"--watch={bridge.uri_a},{bridge.gateway_a.address}",
        f"--watch={bridge.uri_b},{bridge.gateway_b.address}",
    ]
    result = CliRunner(mix_stderr=False).invoke(cli, ["status", *chains, "--json", *extra])
    return result.exit_code, json.loads(result.stdout)


def test_rotation_runbook_replaces_a_compromised_operator_and_re_attests_messages_in_flight(
    bridge, chains, operators, accounts, spawn, tmp_path, issuer, investor_alice, investor_bob
):
    compromised, replacement = operators[2], accounts[18]
    processes = [spawn(local_signer(op), watched(bridge), f"op{i}") for i, op in enumerate(operators)]
    uris = {CHAIN_A: bridge.uri_a, CHAIN_B: bridge.uri_b}
    in_flight = sent_message(bridge, bridge.send_a(investor_alice, investor_bob, 10))
    settle(uris, processes)
    code, before = status(bridge)
    assert code == 0 and before["mismatches"] == []
    assert [c["threshold"] for c in before["chains"]] == [2, 2]

    # 1. the new operator's attestor starts first, from the gateways' deployment: it attests what
    #    is in flight before it counts anywhere
    new = spawn(local_signer(replacement), watched(bridge), "op3")
    settle(uris, [*processes, new])
    assert attestation_status(new, in_flight.id) == 200

    # 2. chain A: add the replacement, then remove the compromised operator (admin only, events)
    added = bridge.gateway_a.addOperator(replacement, sender=issuer)
    removed = bridge.gateway_a.removeOperator(compromised, sender=issuer)
    assert added.events == [bridge.gateway_a.OperatorAdded(operator=replacement.address, operatorCount=4)]
    assert removed.events == [bridge.gateway_a.OperatorRemoved(operator=compromised.address, operatorCount=3)]

    # 3. status flags the chain not rotated yet
    code, halfway = status(bridge)
    assert code == 1
    assert halfway["mismatches"] == [
        f"chain {CHAIN_B} lacks operator(s) {replacement.address} of chain {CHAIN_A}",
        f"chain {CHAIN_B} has operator(s) {compromised.address} that chain {CHAIN_A} has not",
    ]

    # 4. chain B the same; the sets agree again
    with chains.on_b():
        bridge.gateway_b.addOperator(replacement, sender=issuer)
        bridge.gateway_b.removeOperator(compromised, sender=issuer)
    code, after = status(bridge, f"--attestor={new.url}")
    assert code == 0 and after["mismatches"] == []
    assert all(replacement.address in c["operators"] for c in after["chains"])
    assert all(compromised.address not in c["operators"] for c in after["chains"])
    assert after["attestors"] == [{"url": new.url, "status": "ok", "signer": replacement.address}]

    # 5. the message in flight is delivered on the new set: with one old operator down and the
    #    compromised one's signature no longer counting, only op0 + the replacement reach 2
    processes[1].kill()
    report = relay(bridge, tmp_path / "r.sqlite", [*processes, new])
    assert report.delivered == [in_flight.id]
    assert bridge.units_b(investor_bob) == 10
