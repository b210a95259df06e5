"""Three chains, gateways at identical addresses, a redeployed gateway: what the deploy, relayer and
reconcile scripts do when the topology is more than one pair of fresh chains.

A (31337) is the home of every asset; B (31338) and C (31339) are remotes deployed by the same
deployer, so their gateways (and every other contract) share their addresses. The tests run in
file order on one module-scoped deployment: the later ones redeploy B.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_scripts import ALICE, ape_run, last_error_line, on

from tokenized_stocks.attestor.service import WatchedChain
from tokenized_stocks.devtools.anvil import AnvilNode, network_name, start_anvil
from tokenized_stocks.devtools.bridge import in_process_attestors
from tokenized_stocks.relayer.config import ChainEndpoint, RelayerConfig
from tokenized_stocks.relayer.service import Relayer

A, B, C = 31337, 31338, 31339
ISSUER, OPERATORS, SUBMITTER = 0, (8, 9, 10), 11


@pytest.fixture(scope="module")
def nodes() -> Iterator[dict[int, AnvilNode]]:
    started = {chain_id: start_anvil(chain_id, accounts=20) for chain_id in (A, B, C)}
    yield started
    for node in started.values():
        node.stop()


def deploy(node: AnvilNode, out: Path, *extra: str):
    return ape_run("deploy", *on(node), "--manifests", str(out), *extra)


@pytest.fixture(scope="module")
def out(nodes, tmp_path_factory) -> Path:
    """The suite on A, B and C (homes on A), A's gateway linked to both, each remote to A."""
    out = tmp_path_factory.mktemp("deployments")
    steps = [
        (A, ()),
        (B, ("--home-chain-id", str(A), "--peer", str(A))),
        (C, ("--home-chain-id", str(A), "--peer", str(A))),
        (A, ("--peer", str(B), "--peer", str(C))),
    ]
    for chain_id, extra in steps:
        result = deploy(nodes[chain_id], out, *extra)
        assert result.returncode == 0, result.stdout + result.stderr
    return out


def manifest(out: Path, chain_id: int) -> dict:
    return json.loads((out / str(chain_id) / "manifest.json").read_text())


def gateway(out: Path, chain_id: int) -> str:
    return manifest(out, chain_id)["contracts"]["Gateway"]["address"]


def connected(node: AnvilNode):
    from ape import networks

    return networks.parse_network_choice(
        f"ethereum:{network_name(node.chain_id)}:node",
        provider_settings={"uri": node.uri},
        disconnect_on_exit=False,
    )


def relayer(nodes, out: Path, src: int, db: Path, start_block: int | None = None) -> Relayer:
    """A relayer between A and `src` on database `db`, asking the operators' own (in-process)
    attestors, which keep their stores beside `db`."""
    from ape import accounts
    from eth_account import Account

    keys = accounts.test_accounts
    block_a = manifest(out, A)["contracts"]["Gateway"]["block"]
    watched = [
        WatchedChain(nodes[A].uri, gateway(out, A), block_a),
        WatchedChain(nodes[src].uri, gateway(out, src), start_block or 0),
    ]
    config = RelayerConfig(
        chain_a=ChainEndpoint("A", nodes[A].uri, gateway(out, A), block_a),
        chain_b=ChainEndpoint("X", nodes[src].uri, gateway(out, src), start_block),
        submitter=Account.from_key(keys[SUBMITTER].private_key),
        attestors=in_process_attestors([keys[i] for i in OPERATORS], watched, str(db)),
        db_path=str(db),
    )
    return Relayer(config)


def relay(nodes, out: Path, src: int, db: Path) -> object:
    r = relayer(nodes, out, src, db)
    try:
        return r.run_until_idle()
    finally:
        r.close()


def send(nodes, out: Path, src: int, dst: int, amount: str):
    result = ape_run(
        "bridge", *on(nodes[src]), "--manifests", str(out), "--dst-chain-id", str(dst),
        "--asset", "AAPLx", "--to", ALICE, "--amount", amount,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def balance_on(node: AnvilNode, out: Path, key: str = "AAPLx") -> int:
    from ape import project

    with connected(node):
        return int(
            project.TrackerCertificate.at(manifest(out, node.chain_id)["assets"][key]["token"]).balanceOf(
                ALICE
            )
        )


# --- identical addresses --------------------------------------------------------------------------


def test_the_three_gateways_share_one_address(out):
    assert gateway(out, A) == gateway(out, B) == gateway(out, C)


def test_nonce_n_from_b_and_nonce_n_from_c_both_reach_a(nodes, out, tmp_path):
    """13.1: B's and C's gateways share one address, so A must tell their inbound messages apart by
    (source chain, source gateway, nonce); before the fix the second nonce n was skipped as a replay."""
    from ape import accounts, project

    with connected(nodes[A]):
        project.TrackerCertificate.at(manifest(out, A)["assets"]["AAPLx"]["token"]).mint(
            ALICE, 10 * 10**18, sender=accounts.test_accounts[ISSUER]
        )
    send(nodes, out, A, B, "5")
    send(nodes, out, A, C, "5")
    relay(nodes, out, B, tmp_path / "ab.sqlite")
    relay(nodes, out, C, tmp_path / "ac.sqlite")
    assert balance_on(nodes[B], out) == 5 * 10**18
    assert balance_on(nodes[C], out) == 5 * 10**18
    home_before = balance_on(nodes[A], out)

    send(nodes, out, B, A, "2")  # B's first outbound message
    send(nodes, out, C, A, "2")  # C's first outbound message: the same nonce
    relay(nodes, out, B, tmp_path / "ab.sqlite")
    relay(nodes, out, C, tmp_path / "ac.sqlite")

    assert balance_on(nodes[A], out) == home_before + 4 * 10**18


# --- a redeployed gateway -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def on_old_b(nodes, out, tmp_path_factory) -> int:
    """Tokens delivered to B's first deployment; returns the block A sent them in."""
    from ape import accounts, project

    with connected(nodes[A]):
        project.TrackerCertificate.at(manifest(out, A)["assets"]["AAPLx"]["token"]).mint(
            ALICE, 3 * 10**18, sender=accounts.test_accounts[ISSUER]
        )
    before = balance_on(nodes[B], out)
    send(nodes, out, A, B, "3")
    relay(nodes, out, B, tmp_path_factory.mktemp("relayer") / "old-b.sqlite")
    assert balance_on(nodes[B], out) == before + 3 * 10**18
    return before + 3 * 10**18


@pytest.fixture(scope="module")
def redeployed_b(nodes, out, on_old_b) -> dict:
    """B redeployed with --force (A still trusts the old B gateway)."""
    old = manifest(out, B)
    result = deploy(nodes[B], out, "--force", "--home-chain-id", str(A), "--peer", str(A))
    assert result.returncode == 0, result.stdout + result.stderr
    return old


def test_a_forced_redeploy_keeps_the_superseded_contracts_in_the_manifest(out, redeployed_b):
    new = manifest(out, B)
    superseded = {(e["name"], e.get("address") or e["asset"]["token"]) for e in new["superseded"]}

    assert new["contracts"]["Gateway"]["address"] != redeployed_b["contracts"]["Gateway"]["address"]
    assert ("Gateway", redeployed_b["contracts"]["Gateway"]["address"]) in superseded
    assert ("AAPLx", redeployed_b["assets"]["AAPLx"]["token"]) in superseded


def test_reconcile_reports_the_stale_link_and_the_supply_left_on_the_superseded_token(
    nodes, out, redeployed_b
):
    result = ape_run(
        "reconcile", "--manifests", str(out),
        "--chain", f"ethereum:chaina:node={nodes[A].uri}", "--chain", f"ethereum:chainb:node={nodes[B].uri}",
    )  # fmt: skip

    assert result.returncode == 1, result.stdout + result.stderr
    text = " ".join(result.stdout.split())
    assert "superseded" in text and redeployed_b["assets"]["AAPLx"]["token"] in text
    assert f"trusts {redeployed_b['contracts']['Gateway']['address']} for chain {B}" in text


def test_a_fresh_relayer_never_delivers_old_messages_to_the_new_gateway(nodes, out, redeployed_b, tmp_path):
    """A's messages to the old B name the old B gateway: a relayer pointed at the new one (fresh
    database) parks them as misaddressed instead of minting them a second time on the new B."""
    r = relayer(nodes, out, B, tmp_path / "fresh.sqlite", manifest(out, B)["contracts"]["Gateway"]["block"])
    try:
        report = r.run_until_idle()
    finally:
        r.close()

    assert report.misaddressed and not report.delivered
    assert balance_on(nodes[B], out) == 0


def test_relinking_to_a_redeployed_peer_is_refused_without_relink(nodes, out, redeployed_b):
    result = deploy(nodes[A], out, "--peer", str(B))

    assert result.returncode == 2
    assert "was redeployed" in last_error_line(result)


@pytest.fixture(scope="module")
def relinked_b(nodes, out, redeployed_b):
    """A re-linked to B's new gateway (`deploy --peer B --relink`): the deploy's result."""
    return deploy(nodes[A], out, "--peer", str(B), "--relink")


def test_relink_trusts_the_peers_new_gateway_loudly(nodes, out, relinked_b):
    from ape import project

    result = relinked_b
    assert result.returncode == 0, result.stdout + result.stderr
    assert "re-linking chain 31338" in result.stdout
    with connected(nodes[A]):
        trusted = project.Gateway.at(gateway(out, A)).remoteGateway(B)
    assert trusted == gateway(out, B)


def test_the_relayer_script_on_the_manifests_delivers_no_old_message_to_the_new_gateway(nodes, out, tmp_path):
    from ape import accounts

    from tokenized_stocks.attestor.server import ThreadedServer

    watched = [
        WatchedChain(nodes[c].uri, gateway(out, c), manifest(out, c)["contracts"]["Gateway"]["block"])
        for c in (A, B)
    ]
    operators = [accounts.test_accounts[i] for i in OPERATORS]
    servers = [
        ThreadedServer(endpoint.attestor)
        for endpoint in in_process_attestors(operators, watched, str(tmp_path / "attestors"))
    ]
    try:
        for server in servers:
            server.attestor.poll()
        result = ape_run(
            "relayer", "--once", "--db", str(tmp_path / "script.sqlite"),
            "--rpc-a", nodes[A].uri, "--manifest-a", str(out / str(A) / "manifest.json"),
            "--rpc-b", nodes[B].uri, "--manifest-b", str(out / str(B) / "manifest.json"),
            "--submitter-test-account", str(SUBMITTER), *[f"--attestor={s.url}" for s in servers],
        )  # fmt: skip
    finally:
        for server in servers:
            server.stop()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "delivered 0" in result.stdout
    assert balance_on(nodes[B], out) == 0
    assert os.path.exists(tmp_path / "script.sqlite")


# --- after the relink: the superseded peer's holders and the third chain ------------------------


@pytest.fixture(scope="module")
def old_b_manifests(out, redeployed_b, tmp_path_factory) -> Path:
    """A's manifest beside the superseded B's: what a holder left on the old B deployment bridges with."""
    folder = tmp_path_factory.mktemp("old-b")
    for chain_id, written in ((A, manifest(out, A)), (B, redeployed_b)):
        (folder / str(chain_id)).mkdir()
        (folder / str(chain_id) / "manifest.json").write_text(json.dumps(written))
    return folder


def test_a_holder_left_on_the_superseded_peer_still_bridges_home_after_the_relink(
    nodes, out, relinked_b, old_b_manifests, tmp_path
):
    """A trusts B's new gateway now; B's old gateway is retired, not forgotten: what it burns after
    the relink (or burned before it, in flight) is delivered on A, never stranded."""
    from ape import project

    old_gateway = old_b_manifests / str(B) / "manifest.json"
    old_token = json.loads(old_gateway.read_text())["assets"]["AAPLx"]["token"]
    with connected(nodes[B]):
        left = int(project.TrackerCertificate.at(old_token).balanceOf(ALICE))
    assert left >= 10**18
    home_before = balance_on(nodes[A], out)

    send(nodes, old_b_manifests, B, A, "1")
    report = relay(nodes, old_b_manifests, B, tmp_path / "old-b-home.sqlite")

    assert len(report.delivered) == 1, report
    assert balance_on(nodes[A], out) == home_before + 10**18
    with connected(nodes[A]):
        a_gateway = project.Gateway.at(gateway(out, A))
        assert a_gateway.remoteGateway(B) == gateway(out, B)
        assert a_gateway.isRetiredGateway(
            B, json.loads(old_gateway.read_text())["contracts"]["Gateway"]["address"]
        )


def test_relinking_one_peer_leaves_the_third_chain_linked_both_ways(nodes, out, relinked_b, tmp_path):
    with connected(nodes[A]):
        from ape import project

        assert project.Gateway.at(gateway(out, A)).remoteGateway(C) == gateway(out, C)
    c_before, a_before = balance_on(nodes[C], out), balance_on(nodes[A], out)
    send(nodes, out, A, C, "1")
    relay(nodes, out, C, tmp_path / "ac-after.sqlite")
    assert balance_on(nodes[C], out) == c_before + 10**18
    send(nodes, out, C, A, "1")
    relay(nodes, out, C, tmp_path / "ac-after.sqlite")
    assert balance_on(nodes[A], out) == a_before
