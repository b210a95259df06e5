"""`ape run deploy` options beyond a first deployment: `--json`, `--dry-run`, the step counter, and
`--add` of a new stock to a live two-chain deployment (the peer chain learns it; a bridge of it is
delivered). Chains A and B are the session's pair; each test deploys into its own manifests."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from relaying import bridge, relay
from test_scripts import ALICE, ape_run, last_error_line, on, run_in_process

from tokenized_stocks.devtools.anvil import AnvilNode, rpc

AAPL = """\
  - key: AAPLx
    isin: US0378331005
    ticker: AAPL
    architecture: tracker_certificate
    initial_reserves: 1000000
"""
MSFT = """\
  - key: MSFTx
    isin: US5949181045
    ticker: MSFT
    architecture: tracker_certificate
    initial_reserves: 500000
"""
GUARDIAN = "0x976EA74026E726554dB657fA54763abd0C3a0aa9"  # test account 6


@pytest.fixture(scope="module")
def listings(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("listings")
    one, two = folder / "one.yaml", folder / "two.yaml"
    one.write_text("assets:\n" + AAPL)
    two.write_text("assets:\n" + AAPL + MSFT)
    return {"one": one, "two": two}


def deploy(node: AnvilNode, out: Path, listings: Path, *args: str):
    """In this process on chain A; chain B's runs are `ape run` subprocesses (in-process runs reach
    one node per process, see tests/e2e/conftest.py)."""
    run = run_in_process if node.chain_id == 31337 else ape_run
    return run("deploy", *on(node), "--manifests", str(out), "--listings", str(listings), *args)


def contract(node: AnvilNode, name: str, address: str):
    """A web3 contract on `node` with the ABI of the project's contract `name` (reads only)."""
    from ape import project
    from web3 import Web3

    abi = [item.model_dump(mode="json", by_alias=True) for item in getattr(project, name).contract_type.abi]
    return Web3(Web3.HTTPProvider(node.uri)).eth.contract(address=address, abi=abi)


def nonces(node: AnvilNode) -> list[int]:
    from ape import accounts

    return [
        int(str(rpc(node.uri, "eth_getTransactionCount", str(a.address), "latest")), 16)
        for a in accounts.test_accounts
    ]


def manifest(out: Path, chain_id: int) -> dict:
    return json.loads((out / str(chain_id) / "manifest.json").read_text())


# --- --json and the step counter -----------------------------------------------------------------


def test_deploy_json_prints_only_the_manifest_summary_on_stdout(nodes, listings, tmp_path):
    result = ape_run(
        "deploy", *on(nodes[0]), "--manifests", str(tmp_path), "--listings", str(listings["one"]), "--json"
    )

    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)  # the whole of stdout
    written = manifest(tmp_path, 31337)
    assert report["status"] == "complete" and report["chain_id"] == 31337
    assert report["contracts"] == {name: c["address"] for name, c in written["contracts"].items()}
    assert report["assets"] == {"AAPLx": written["assets"]["AAPLx"]["token"]}
    assert report["steps"]["recorded"] == len(written["steps_done"])
    sent = report["transactions"]
    assert len(sent) == len(written["contracts"]) + len(written["steps_done"])
    assert all(re.fullmatch(r"0x[0-9a-f]{64}", tx["tx_hash"]) for tx in sent)
    assert {tx["name"] for tx in sent if tx["kind"] == "deploy"} == set(written["contracts"])
    assert "Confirmed" in result.stderr  # ape's log lines went to stderr


def test_deploy_counts_its_steps_against_the_plan_with_an_eta(nodes, listings, tmp_path):
    result = run_in_process(
        "deploy", *on(nodes[0]), "--manifests", str(tmp_path), "--listings", str(listings["one"])
    )

    assert result.returncode == 0, result.stderr
    counted = re.findall(r"step (\d+)/(\d+) .* \(ETA [0-9:?]+\)", result.stderr)  # progress: stderr
    assert "step 1/" not in result.stdout
    total = len(manifest(tmp_path, 31337)["contracts"]) + len(manifest(tmp_path, 31337)["steps_done"])
    assert [int(n) for n, _ in counted] == list(range(1, total + 1))
    assert {int(t) for _, t in counted} == {total}


def test_deploy_json_with_bad_input_leaves_stdout_empty_and_exits_2(nodes, listings, tmp_path):
    result = ape_run(
        "deploy", *on(nodes[0]), "--manifests", str(tmp_path), "--listings", str(listings["one"]), "--json",
        "--cash-token", "0x12",
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    assert "bad --cash-token" in last_error_line(result)


KEY = "0x" + "ab" * 32


@pytest.mark.parametrize(
    ("args", "message"),
    [(("--account", KEY), "looks like a private key"),
     (("--account", "no-such-alias"), "unknown account alias"),
     (("--add", "--force"), "--add and --force exclude each other"),
     (("--add",), "no deployment on chain 31337"),
     (("--cash-token", "0x" + "11" * 20), "has no contract on chain 31337")],
    ids=["key-as-account", "unknown-alias", "add-force", "add-to-nothing", "cash-not-a-contract"],
)  # fmt: skip
def test_deploy_refuses_bad_input_with_one_line_before_sending(nodes, listings, tmp_path, args, message):
    before = nonces(nodes[0])
    result = deploy(nodes[0], tmp_path, listings["one"], *args)
    assert result.returncode == 2
    line = last_error_line(result)
    assert message in line and KEY not in result.stdout + result.stderr
    assert nonces(nodes[0]) == before
    assert not list(tmp_path.iterdir())


# --- --dry-run -----------------------------------------------------------------------------------


def test_a_dry_run_sends_nothing_and_prices_every_step(nodes, listings, tmp_path):
    before = nonces(nodes[0])

    result = deploy(nodes[0], tmp_path, listings["two"], "--dry-run", "--json")

    assert result.returncode == 0, result.stderr
    assert nonces(nodes[0]) == before  # not one transaction from any account
    assert not list(tmp_path.iterdir())
    plan = json.loads(result.stdout)
    assert plan["status"] == "dry-run" and plan["sent"] == 0 and plan["simulated"] is True
    steps = plan["steps"]
    assert all(step["gas"] > 21_000 for step in steps)
    assert sum(step["gas"] for step in steps) == plan["total_gas"]
    price = plan["gas_price_wei"]
    assert all(float(step["cost_eth"]) == pytest.approx(step["gas"] * price / 1e18) for step in steps)
    assert float(plan["total_cost_eth"]) == pytest.approx(plan["total_gas"] * price / 1e18)
    grants = {
        (s["name"], s["grant"]["role"], s["grant"]["account"], s["grant"]["holder"])
        for s in steps
        if "grant" in s
    }
    assert ("Gateway: grant PAUSER_ROLE", "PAUSER_ROLE", GUARDIAN, "guardian") in grants
    assert any(s["kind"] == "deploy" and s["name"] == "MSFTx" for s in steps)


def test_a_dry_run_prints_each_step_with_its_grantee_gas_and_cost(nodes, listings, tmp_path):
    result = deploy(nodes[0], tmp_path, listings["one"], "--dry-run")

    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "PAUSER_ROLE -> guardian" in text and "REGISTRAR_ROLE -> registrar" in text
    assert re.search(r"total: [\d,]+ gas, [\d.]+ ETH at [\d.]+ gwei", text)


def test_a_dry_run_predicts_the_transactions_and_addresses_of_the_real_run(nodes, listings, tmp_path):
    plan = json.loads(deploy(nodes[0], tmp_path, listings["one"], "--dry-run", "--json").stdout)
    real = json.loads(deploy(nodes[0], tmp_path, listings["one"], "--json").stdout)

    assert [s["name"] for s in plan["steps"]] == [tx["name"] for tx in real["transactions"]]
    predicted = {s["name"]: s["address"] for s in plan["steps"] if s["kind"] == "deploy"}
    implementations = {
        n.removesuffix(".implementation"): predicted.pop(n)
        for n in list(predicted)
        if n.endswith(".implementation")
    }
    assert predicted == real["contracts"]
    written = json.loads((tmp_path / "31337" / "manifest.json").read_text())["contracts"]
    assert implementations == {n: written[n]["implementation"] for n in implementations} != {}


# --- --add: a new stock on a live two-chain deployment ------------------------------------------


@pytest.fixture(scope="module")
def two_chains(nodes, listings, tmp_path_factory) -> Path:
    """AAPLx deployed on A (home) and B, gateways linked both ways."""
    a, b = nodes
    out = tmp_path_factory.mktemp("two-chains")
    assert deploy(a, out, listings["one"]).returncode == 0
    assert deploy(b, out, listings["one"], "--home-chain-id", "31337", "--peer", "31337").returncode == 0
    assert deploy(a, out, listings["one"], "--peer", "31338").returncode == 0
    return out


def test_a_new_listing_on_a_complete_deployment_without_add_is_refused_naming_it(nodes, listings, two_chains):
    before = nonces(nodes[0])
    result = deploy(nodes[0], two_chains, listings["two"])
    assert result.returncode == 2
    line = last_error_line(result)
    assert "MSFTx is listed but not deployed on chain 31337" in line and "--add" in line
    assert nonces(nodes[0]) == before


def test_a_remote_chain_refuses_to_add_an_asset_its_home_chain_does_not_list(
    nodes, listings, two_chains, tmp_path
):
    out = tmp_path / "copy"
    shutil.copytree(two_chains, out)  # the manifests as they are before A adds MSFTx
    result = deploy(nodes[1], out, listings["two"], "--add", "--home-chain-id", "31337", "--peer", "31337")
    assert result.returncode == 2
    assert "MSFTx is not deployed on its home chain 31337 yet" in last_error_line(result)


@pytest.fixture(scope="module")
def added(nodes, listings, two_chains) -> dict[int, dict]:
    """MSFTx added on A, then on B (each chain's own deploy, through its gateway's admin)."""
    a, b = nodes
    on_a = deploy(a, two_chains, listings["two"], "--add", "--peer", "31338", "--json")
    assert on_a.returncode == 0, on_a.stderr
    on_b = deploy(
        b, two_chains, listings["two"], "--add", "--home-chain-id", "31337", "--peer", "31337", "--json"
    )
    assert on_b.returncode == 0, on_b.stderr
    return {31337: json.loads(on_a.stdout), 31338: json.loads(on_b.stdout)}


def test_add_deploys_only_the_new_listing(added, two_chains):
    for chain_id, report in added.items():
        assert report["added"] == ["MSFTx"]
        assert report["transactions"] and all("MSFTx" in tx["name"] for tx in report["transactions"])
        assert manifest(two_chains, chain_id)["status"] == "complete"
        assert set(manifest(two_chains, chain_id)["assets"]) == {"AAPLx", "MSFTx"}


def test_add_on_the_home_chain_says_which_peer_must_add_it_too(added, two_chains):
    notices = added[31337]["notices"]
    assert any(
        "chain 31338 does not list MSFTx yet" in n and "--add --home-chain-id 31337" in n for n in notices
    )


def test_the_peer_gateway_learns_the_added_asset(nodes, added, two_chains):
    from tokenized_stocks.protocol.identity import asset_id

    for node, chain_id in ((nodes[0], 31337), (nodes[1], 31338)):
        written = manifest(two_chains, chain_id)
        gateway = contract(node, "Gateway", written["contracts"]["Gateway"]["address"])
        token, home = gateway.functions.asset(asset_id("US5949181045")).call()
        assert (token, home) == (written["assets"]["MSFTx"]["token"], 31337)


def test_a_bridge_of_the_added_asset_is_delivered_to_the_peer(nodes, added, two_chains, tmp_path):
    from ape import accounts, networks, project

    a, b = nodes
    on_a, on_b = manifest(two_chains, 31337), manifest(two_chains, 31338)
    with networks.parse_network_choice(
        "ethereum:chaina:node", provider_settings={"uri": a.uri}, disconnect_on_exit=False
    ):
        project.TrackerCertificate.at(on_a["assets"]["MSFTx"]["token"]).mint(
            ALICE, 5 * 10**18, sender=accounts.test_accounts[0]
        )
    bridge(a, two_chains, 31338, "MSFTx", "2")
    relay(nodes, (on_a["contracts"]["Gateway"]["address"], on_b["contracts"]["Gateway"]["address"]), tmp_path)
    token_b = contract(b, "TrackerCertificate", on_b["assets"]["MSFTx"]["token"])
    assert token_b.functions.balanceOf(ALICE).call() == 2 * 10**18


def test_a_cash_token_other_than_the_deployed_desks_is_refused_on_resume(
    nodes, listings, two_chains, tmp_path
):
    from tokenized_stocks.deploy.deployer import Deployer

    class InterruptedAfterTheDesk(Deployer):
        def step(self, name, action, **kwargs):
            super().step(name, action, **kwargs)
            if name == "OrderDesk: add quote signer":
                raise KeyboardInterrupt

    args = ("deploy", *on(nodes[0]), "--manifests", str(tmp_path), "--listings", str(listings["one"]))
    assert run_in_process(*args, patch={"Deployer": InterruptedAfterTheDesk}).returncode == 1
    other_cash = manifest(two_chains, 31337)["contracts"]["Cash"]["address"]  # a real ERC-20, not this desk's
    before = nonces(nodes[0])

    result = run_in_process(*args, "--cash-token", other_cash, patch={"Deployer": Deployer})

    assert result.returncode == 2
    assert f"--cash-token {other_cash} is not the cash of the order desk already deployed" in last_error_line(
        result
    )
    assert nonces(nodes[0]) == before
