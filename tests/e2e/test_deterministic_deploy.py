"""Deterministic deployment (issue 16): `ape run deploy` CREATE2s every contract through the
deterministic deployment proxy with the salt `keccak("tokenized-stocks/<generation>/<name>")`, so one
generation of the suite has the same addresses on every chain.

Three anvils with different chain ids (A 31337 home of every asset, B 31338, C 31339), fully linked;
C's desk uses a stablecoin of its own at another address (`--cash-token`), A's and B's the suite's
mock `Cash`. The tests run in file order on one module-scoped deployment: the last ones redeploy C and remove the
proxy from A (inside a snapshot).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_scripts import ALICE, ape_run, last_error_line, on

from tokenized_stocks.attestor.service import WatchedChain
from tokenized_stocks.deploy.plan import FACTORY, deployment_salt
from tokenized_stocks.devtools.anvil import AnvilNode, network_name, start_anvil
from tokenized_stocks.devtools.bridge import in_process_attestors
from tokenized_stocks.relayer.config import ChainEndpoint, RelayerConfig
from tokenized_stocks.relayer.service import Relayer

A, B, C = 31337, 31338, 31339
ISSUER, OPERATORS, SUBMITTER, CASH_DEPLOYER = 0, (8, 9, 10), 11, 19
DELIVERED = 1  # IGateway.MessageState.Delivered


@pytest.fixture(scope="module")
def nodes() -> Iterator[dict[int, AnvilNode]]:
    started = {chain_id: start_anvil(chain_id, accounts=20) for chain_id in (A, B, C)}
    yield started
    for node in started.values():
        node.stop()


def deploy(node: AnvilNode, out: Path, *extra: str):
    return ape_run("deploy", *on(node), "--manifests", str(out), *extra)


def planned_addresses(report: dict) -> dict[str, str]:
    return {step["name"]: step["address"] for step in report["steps"] if step["kind"] == "deploy"}


@pytest.fixture(scope="module")
def predicted(nodes, tmp_path_factory) -> dict:
    """`--dry-run --json` on A before anything is deployed (it writes nothing)."""
    result = deploy(nodes[A], tmp_path_factory.mktemp("dry"), "--dry-run", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def c_cash(nodes) -> str:
    """A stablecoin on C at an address of its own (plain CREATE by another account)."""
    from ape import accounts, project

    with connected(nodes[C]):
        return str(accounts.test_accounts[CASH_DEPLOYER].deploy(project.MockStablecoin).address)


@pytest.fixture(scope="module")
def out(nodes, predicted, c_cash, tmp_path_factory) -> Path:
    """The suite on A, B and C (homes on A), every gateway linked to the two others."""
    out = tmp_path_factory.mktemp("deployments")
    remote = ("--home-chain-id", str(A))
    steps = [
        (A, ()),
        (B, (*remote, "--peer", str(A))),
        (C, (*remote, "--peer", str(A), "--peer", str(B), "--cash-token", c_cash)),
        (A, ("--peer", str(B), "--peer", str(C))),
        (B, (*remote, "--peer", str(C))),
    ]
    for chain_id, extra in steps:
        result = deploy(nodes[chain_id], out, *extra)
        assert result.returncode == 0, result.stdout + result.stderr
    return out


def manifest(out: Path, chain_id: int) -> dict:
    return json.loads((out / str(chain_id) / "manifest.json").read_text())


def addresses(out: Path, chain_id: int) -> dict[str, str]:
    """Every contract's address; an upgradeable one's implementation as `<name>.implementation` (the
    name of its deployment in a plan)."""
    found = {}
    for name, record in manifest(out, chain_id)["contracts"].items():
        found[name] = record["address"]
        if "implementation" in record:
            found[f"{name}.implementation"] = record["implementation"]
    return found


def connected(node: AnvilNode):
    from ape import networks

    return networks.parse_network_choice(
        f"ethereum:{network_name(node.chain_id)}:node",
        provider_settings={"uri": node.uri},
        disconnect_on_exit=False,
    )


# --- one address per contract on every chain -----------------------------------------------------


def test_the_dry_run_printed_the_addresses_the_deploy_landed_at(out, predicted):
    assert predicted["generation"] == 1
    assert planned_addresses(predicted) == addresses(out, A)


def test_every_contract_has_one_address_on_the_three_chains(out):
    on_a = addresses(out, A)
    assert {
        "Gateway",
        "Gateway.implementation",
        "InvestorRegistry",
        "InvestorRegistry.implementation",
        "SanctionsList",
        "SanctionsList.implementation",
        "DvP",
        "DvP.implementation",
        "HybridDvP",
        "HybridDvP.implementation",
        "TraditionalLedgerAdapter",
        "TraditionalLedgerAdapter.implementation",
        "OrderDesk",
        "AAPLx",
        "NVDAon",
        "TSLArs",
    } <= set(on_a)
    assert addresses(out, B) == on_a
    assert addresses(out, C) == {name: address for name, address in on_a.items() if name != "Cash"}


def test_a_chains_own_stablecoin_moves_neither_the_desk_nor_the_order_token_nor_its_vault(nodes, out, c_cash):
    from ape import project

    assert c_cash != addresses(out, A)["Cash"]
    desk = addresses(out, A)["OrderDesk"]
    vault = addresses(out, A)["NVDAon.Vault"]
    for chain_id, cash in ((A, addresses(out, A)["Cash"]), (B, addresses(out, A)["Cash"]), (C, c_cash)):
        with connected(nodes[chain_id]):
            assert str(project.OrderDesk.at(desk).cash()) == cash, chain_id
            assert str(project.OrderVault.at(vault).asset()) == cash, chain_id


def test_every_asset_has_one_token_and_one_set_of_feeds_and_vaults_on_the_three_chains(out):
    def assets(chain_id: int) -> dict:
        return {
            key: (record["asset_id"], record["token"], record["extra"])
            for key, record in manifest(out, chain_id)["assets"].items()
        }

    assert len(assets(A)) == 3
    assert assets(B) == assets(A)
    assert assets(C) == assets(A)


def test_each_contract_records_the_salt_of_generation_1_and_its_name(out):
    for chain_id in (A, B, C):
        recorded = manifest(out, chain_id)
        assert recorded["generation"] == 1
        for name, record in recorded["contracts"].items():
            assert record["salt"] == "0x" + deployment_salt(1, name).hex(), (chain_id, name)


def test_each_token_carries_one_identity_on_the_three_chains(nodes, out):
    from ape import project

    for key, record in manifest(out, A)["assets"].items():
        seen = set()
        for chain_id in (A, B, C):
            with connected(nodes[chain_id]):
                token = project.IAssetIdentity.at(record["token"])
                seen.add(("0x" + bytes(token.assetId()).hex(), token.isin(), int(token.homeChainId())))
        assert seen == {(record["asset_id"], record["isin"], A)}, key


def test_each_gateway_trusts_the_same_address_on_the_two_other_chains(nodes, out):
    from ape import project

    gateway = manifest(out, A)["contracts"]["Gateway"]["address"]
    for chain_id in (A, B, C):
        with connected(nodes[chain_id]):
            trusted = project.Gateway.at(gateway)
            for peer in {A, B, C} - {chain_id}:
                assert str(trusted.remoteGateway(peer)) == gateway, (chain_id, peer)


# --- bridging round the triangle -----------------------------------------------------------------


def relay(nodes, out: Path, src: int, dst: int, db: Path) -> None:
    """Delivers what is pending between `src` and `dst` (both directions), with the operators'
    in-process attestors."""
    from ape import accounts
    from eth_account import Account

    keys = accounts.test_accounts
    gateway = manifest(out, A)["contracts"]["Gateway"]["address"]
    watched = [WatchedChain(nodes[src].uri, gateway, 0), WatchedChain(nodes[dst].uri, gateway, 0)]
    config = RelayerConfig(
        chain_a=ChainEndpoint("src", nodes[src].uri, gateway, 0),
        chain_b=ChainEndpoint("dst", nodes[dst].uri, gateway, 0),
        submitter=Account.from_key(keys[SUBMITTER].private_key),
        attestors=in_process_attestors([keys[i] for i in OPERATORS], watched, str(db)),
        db_path=str(db),
    )
    relayer = Relayer(config)
    try:
        relayer.run_until_idle()
    finally:
        relayer.close()


def send(nodes, out: Path, src: int, dst: int, amount: str) -> None:
    result = ape_run(
        "bridge", *on(nodes[src]), "--manifests", str(out), "--dst-chain-id", str(dst),
        "--asset", "AAPLx", "--to", ALICE, "--amount", amount,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def triangle(nodes, out, tmp_path_factory) -> dict[int, list]:
    """10 AAPLx minted to Alice on A; 6 bridged A -> B, 4 B -> C, 3 C -> A. Returns each chain's
    MessageDelivered events."""
    from ape import accounts, chain, project

    token = manifest(out, A)["assets"]["AAPLx"]["token"]
    with connected(nodes[A]):
        project.TrackerCertificate.at(token).mint(ALICE, 10 * 10**18, sender=accounts.test_accounts[ISSUER])
    dbs = tmp_path_factory.mktemp("relayers")
    for src, dst, amount in ((A, B, "6"), (B, C, "4"), (C, A, "3")):
        send(nodes, out, src, dst, amount)
        relay(nodes, out, src, dst, dbs / f"{src}-{dst}.sqlite")
    gateway = manifest(out, A)["contracts"]["Gateway"]["address"]
    delivered = {}
    for chain_id in (A, B, C):
        with connected(nodes[chain_id]):
            events = project.Gateway.at(gateway).MessageDelivered
            delivered[chain_id] = list(events.range(0, int(chain.blocks.head.number) + 1))
    return delivered


def test_the_first_message_of_each_gateway_is_delivered_though_all_three_share_address_and_nonce(
    nodes, out, triangle
):
    from ape import project

    gateway = manifest(out, A)["contracts"]["Gateway"]["address"]
    arrivals = {
        dst: [(int(log.srcChainId), int(log.nonce)) for log in logs] for dst, logs in triangle.items()
    }
    assert arrivals == {B: [(A, 0)], C: [(B, 0)], A: [(C, 0)]}
    for src, dst in ((A, B), (B, C), (C, A)):
        with connected(nodes[dst]):
            assert int(project.Gateway.at(gateway).inboundStateFrom(src, gateway, 0)) == DELIVERED


def test_the_three_messages_have_three_ids(triangle):
    ids = {bytes(log.messageId) for logs in triangle.values() for log in logs}
    assert len(ids) == 3


def test_bridging_round_the_triangle_conserves_the_supply(nodes, out, triangle):
    from ape import project

    token = manifest(out, A)["assets"]["AAPLx"]["token"]
    asset_id = manifest(out, A)["assets"]["AAPLx"]["asset_id"]
    gateway = manifest(out, A)["contracts"]["Gateway"]["address"]
    balances, supplies = {}, {}
    for chain_id in (A, B, C):
        with connected(nodes[chain_id]):
            certificate = project.TrackerCertificate.at(token)
            balances[chain_id] = int(certificate.balanceOf(ALICE))
            supplies[chain_id] = int(certificate.totalSupply())
            if chain_id == A:
                elsewhere = int(project.Gateway.at(gateway).supplyElsewhere(asset_id))
    assert balances == {A: 7 * 10**18, B: 2 * 10**18, C: 1 * 10**18}
    assert supplies == balances  # Alice is the only holder: nothing minted from nothing
    assert elsewhere == supplies[B] + supplies[C]


# --- new generations -----------------------------------------------------------------------------


def test_a_fresh_deployment_over_an_unrecorded_generation_plans_the_next_one(nodes, out, tmp_path):
    result = deploy(nodes[B], tmp_path, "--dry-run", "--json")  # B holds generation 1: not recorded here

    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["generation"] == 2
    assert "generation 1 is already deployed on chain 31338" in result.stderr
    assert set(planned_addresses(report).values()).isdisjoint(addresses(out, A).values())


def test_a_pinned_generation_already_on_the_chain_is_refused_before_anything_is_sent(nodes, tmp_path):
    result = deploy(nodes[B], tmp_path, "--generation", "1")

    assert result.returncode == 2, result.stdout + result.stderr
    assert last_error_line(result).startswith(
        "error: InvestorRegistry's address "
    ) and "(generation 1) already holds a contract" in last_error_line(result)
    assert not (tmp_path / str(B)).exists()


def test_generation_only_applies_to_a_new_or_forced_deployment(nodes, out):
    result = deploy(nodes[C], out, "--generation", "5", "--peer", str(A))

    assert result.returncode == 2
    assert "is generation 1: --generation 5 only applies to a new deployment or with --force" in (
        last_error_line(result)
    )


@pytest.fixture(scope="module")
def forced_c(nodes, out) -> dict[str, str]:
    """C redeployed with --force; returns its generation-1 addresses."""
    old = addresses(out, C)
    result = deploy(nodes[C], out, "--force", "--home-chain-id", str(A), "--peer", str(A), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["generation"] == 2
    return old


def test_force_deploys_the_next_generation_at_new_addresses(out, forced_c):
    new = addresses(out, C)
    assert manifest(out, C)["generation"] == 2
    assert set(new) == set(forced_c) | {"Cash"}  # generation 1 used C's own stablecoin
    assert set(new.values()).isdisjoint(forced_c.values())
    superseded = manifest(out, C)["superseded"]
    kept = {e["address"] for e in superseded if "address" in e} | {
        e["implementation"]
        for e in superseded
        if e.get("implementation")  # the old gateway's code
    }
    assert kept == set(forced_c.values())


def test_generation_2_has_one_address_per_contract_on_every_chain_too(nodes, out, forced_c, tmp_path):
    """B's dry run of generation 2 (an empty manifest directory) predicts C's forced addresses."""
    result = deploy(nodes[B], tmp_path, "--dry-run", "--json", "--generation", "2", "--home-chain-id", str(A))

    assert result.returncode == 0, result.stdout + result.stderr
    assert planned_addresses(json.loads(result.stdout)) == addresses(out, C)


def test_a_chain_without_the_create2_factory_is_refused_with_one_line(nodes, tmp_path):
    node = nodes[A]
    snapshot = node.rpc("evm_snapshot")
    try:
        node.rpc("anvil_setCode", FACTORY, "0x")
        result = deploy(node, tmp_path)
    finally:
        node.rpc("evm_revert", snapshot)

    assert result.returncode == 2, result.stdout + result.stderr
    assert last_error_line(result) == (
        f"error: chain {A} has no deterministic deployment proxy (CREATE2 factory) at {FACTORY}: deploy it "
        "first from its presigned transaction (github.com/Arachnid/deterministic-deployment-proxy), then re-run"
    )
    assert not (tmp_path / str(A)).exists()
