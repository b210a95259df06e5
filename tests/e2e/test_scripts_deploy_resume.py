"""`ape run deploy` interrupted half-way, then run again: it resumes from its journal.

Each test deploys the suite afresh (its own --manifests) on one anvil. The interruption is injected in
this process: a `Deployer` whose `mined` hook (called when a transaction is mined, before its
outcome is recorded) raises KeyboardInterrupt, as a Ctrl-C at that moment would."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest
from test_scripts import APE, ROOT, last_error_line, on, run_in_process

from tokenized_stocks.deploy.deployer import Deployer
from tokenized_stocks.deploy.plan import deployment_salt
from tokenized_stocks.devtools.anvil import AnvilNode, network_name

REGISTER = "HybridDvP: register escrow investor"


@pytest.fixture(scope="module")
def node(nodes) -> AnvilNode:
    """Chain A of the session's pair (see tests/e2e/conftest.py: in-process runs need one node
    per chain id); each test deploys into its own manifest directory."""
    return nodes[0]


def interrupted_after(name: str) -> type[Deployer]:
    """A Deployer that is interrupted once the transaction of `name` is mined, before it is recorded."""

    class Interrupted(Deployer):
        def mined(self, entry, receipt):
            if entry.name == name:
                raise KeyboardInterrupt

    return Interrupted


def deploy(node: AnvilNode, out: Path, deployer: type[Deployer] = Deployer, *args: str):
    return run_in_process("deploy", *on(node), "--manifests", str(out), *args, patch={"Deployer": deployer})


def manifest(out: Path) -> dict:
    return json.loads((out / "31337" / "manifest.json").read_text())


def connected(node: AnvilNode):
    from ape import networks

    return networks.parse_network_choice(
        f"ethereum:{network_name(node.chain_id)}:node",
        provider_settings={"uri": node.uri},
        disconnect_on_exit=True,
    )


def test_a_deploy_interrupted_between_the_two_transactions_of_an_onboarding_completes_when_rerun(
    node, tmp_path
):
    first = deploy(node, tmp_path, interrupted_after(REGISTER))
    assert first.returncode == 3, first.stdout + first.stderr
    assert manifest(tmp_path)["pending"]["name"] == REGISTER

    second = deploy(node, tmp_path)

    assert second.returncode == 0, second.stdout + second.stderr
    assert f"adopted {REGISTER}" in second.stderr  # progress is on stderr
    done = manifest(tmp_path)
    assert done["status"] == "complete" and "pending" not in done
    assert len(done["steps_done"]) == len(set(done["steps_done"]))
    assert {REGISTER, "HybridDvP: add escrow wallet"} <= set(done["steps_done"])
    addresses = [c["address"] for c in done["contracts"].values()]
    assert len(addresses) == len(set(addresses))
    from ape import project

    with connected(node):
        registry = project.InvestorRegistry.at(done["contracts"]["InvestorRegistry"]["address"])
        assert int(registry.investorCount()) == 2  # the two escrows, each registered once
        for name in ("HybridDvP", "TraditionalLedgerAdapter"):
            assert registry.isVerified(done["contracts"][name]["address"]), name


ISSUER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # test account 0


def test_a_contract_mined_but_not_recorded_is_adopted_not_deployed_twice(node, tmp_path):
    first = deploy(node, tmp_path, interrupted_after("Gateway"))
    assert first.returncode == 3, first.stdout + first.stderr
    pending = manifest(tmp_path)["pending"]
    assert pending["kind"] == "deploy" and "Gateway" not in manifest(tmp_path)["contracts"]
    generation = manifest(tmp_path)["generation"]
    assert pending["salt"] == "0x" + deployment_salt(generation, "Gateway").hex()

    second = deploy(node, tmp_path, Deployer, "--json")

    assert second.returncode == 0, second.stdout + second.stderr
    assert "adopted Gateway" in second.stderr
    report = json.loads(second.stdout)
    assert report["resumed"] is True and report["generation"] == generation  # the recorded salts
    assert "Gateway" not in [tx["name"] for tx in report["transactions"]]  # not sent again
    contracts = manifest(tmp_path)["contracts"]
    assert (contracts["Gateway"]["address"], contracts["Gateway"]["salt"]) == (
        pending["address"],
        pending["salt"],
    )
    assert contracts["Gateway"]["tx_hash"] == pending["tx_hash"]
    from ape import chain

    with connected(node):
        assert chain.provider.get_code(contracts["Gateway"]["address"])
    addresses = [c["address"] for c in contracts.values()]
    assert len(addresses) == len(set(addresses))


def test_ctrl_c_with_a_transaction_in_flight_prints_the_resume_command_and_exits_3(node, tmp_path):
    args = [*on(node), "--manifests", str(tmp_path)]

    result = deploy(node, tmp_path, interrupted_after("OrderDesk"))

    assert result.returncode == 3
    line = last_error_line(result)  # exactly one error line, no traceback
    assert line.startswith("error: interrupted (deploy OrderDesk): tx 0x")
    assert line.endswith(f"resume with: {shlex.join(['ape', 'run', 'deploy', *args])}")


def test_ctrl_c_between_transactions_says_nothing_is_in_flight_and_exits_1(node, tmp_path):
    class InterruptedAfterStep(Deployer):
        def step(self, name, action, **kwargs):
            super().step(name, action, **kwargs)
            if name == "grant REGISTRAR_ROLE":
                raise KeyboardInterrupt

    result = deploy(node, tmp_path, InterruptedAfterStep)

    assert result.returncode == 1
    line = last_error_line(result)
    assert "nothing in flight" in line and "resume with: ape run deploy --network" in line
    assert "pending" not in manifest(tmp_path)


class InterruptedAfterGrantingTheRegistrar(Deployer):
    def step(self, name, action, **kwargs):
        super().step(name, action, **kwargs)
        if name == "grant REGISTRAR_ROLE":
            raise KeyboardInterrupt


REGISTRAR = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"  # test account 1


def test_a_grant_already_in_place_on_chain_is_recorded_not_sent_again(node, tmp_path):
    """The next grant was made outside the journal (by hand, or mined with its record lost): the
    resumed run checks `hasRole` and records the step without sending it."""
    assert deploy(node, tmp_path, InterruptedAfterGrantingTheRegistrar).returncode == 1
    from eth_abi import encode
    from eth_utils import keccak

    from tokenized_stocks.protocol.roles import COMPLIANCE_ROLE

    # by hand, over plain JSON-RPC from the node's unlocked issuer (no ape connection in this
    # process between the two runs)
    grant = keccak(text="grantRole(bytes32,address)")[:4] + encode(
        ["bytes32", "address"], [COMPLIANCE_ROLE, REGISTRAR]
    )
    sanctions = manifest(tmp_path)["contracts"]["SanctionsList"]["address"]
    tx_hash = node.rpc("eth_sendTransaction", {"from": ISSUER, "to": sanctions, "data": "0x" + grant.hex()})
    assert int(str(node.receipt(str(tx_hash))["status"]), 16) == 1

    second = deploy(node, tmp_path, Deployer, "--json")

    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert report["steps"]["already_in_place"] == ["grant COMPLIANCE_ROLE"]
    assert "grant COMPLIANCE_ROLE" not in [tx["name"] for tx in report["transactions"]]
    assert "grant COMPLIANCE_ROLE (already in place on chain)" in second.stderr
    assert "grant COMPLIANCE_ROLE" in manifest(tmp_path)["steps_done"]


def broadcast_then_interrupted(node: AnvilNode, name: str) -> type[Deployer]:
    """A Deployer whose transaction for step `name` is broadcast with mining off (it stays in the
    mempool), then Ctrl-C arrives while it waits for the receipt."""

    class BroadcastThenInterrupted(Deployer):
        def step(self, step_name, action, **kwargs):
            if step_name == name:
                from ape import chain

                provider = chain.provider

                def broadcast_only(txn):
                    node.rpc("evm_setAutomine", False)
                    provider.web3.eth.send_raw_transaction(txn.serialize_transaction())
                    raise KeyboardInterrupt

                object.__setattr__(provider, "send_transaction", broadcast_only)
            super().step(step_name, action, **kwargs)

    return BroadcastThenInterrupted


def test_a_transaction_still_in_the_mempool_at_ctrl_c_is_adopted_once_mined(node, tmp_path):
    try:
        first = deploy(node, tmp_path, broadcast_then_interrupted(node, "grant COMPLIANCE_ROLE"))
        assert first.returncode == 3, first.stderr
        pending = manifest(tmp_path)["pending"]
        assert pending["name"] == "grant COMPLIANCE_ROLE"
        assert (
            node.rpc("eth_getTransactionByHash", pending["tx_hash"])["blockNumber"] is None
        )  # in the mempool
        node.rpc("evm_mine")
    finally:
        node.rpc("evm_setAutomine", True)  # the session's chain A: other modules need it mining

    second = deploy(node, tmp_path, Deployer, "--json")

    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert report["resumed"] is True
    assert report["steps"]["adopted"] == ["grant COMPLIANCE_ROLE"]
    assert "grant COMPLIANCE_ROLE" not in [tx["name"] for tx in report["transactions"]]
    assert manifest(tmp_path)["status"] == "complete" and "pending" not in manifest(tmp_path)


def test_the_printed_resume_command_resumes_the_deployment_when_run(node, tmp_path):
    first = deploy(node, tmp_path, interrupted_after("OrderDesk"))
    assert first.returncode == 3
    command = shlex.split(last_error_line(first).split("resume with: ", 1)[1])
    assert command[:3] == ["ape", "run", "deploy"]

    resumed = subprocess.run(  # the line as printed; `ape` is this interpreter's ape
        [*APE, *command[1:]], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip

    assert resumed.returncode == 0, resumed.stdout[-2000:] + resumed.stderr[-2000:]
    assert "adopted OrderDesk" in resumed.stderr
    done = manifest(tmp_path)
    assert done["status"] == "complete" and "pending" not in done


def test_ctrl_c_under_json_reports_the_transaction_in_flight_and_the_resume_command(node, tmp_path):
    result = deploy(node, tmp_path, interrupted_after("Gateway"), "--json")

    assert result.returncode == 3
    report = json.loads(result.stdout)  # the whole of stdout
    pending = manifest(tmp_path)["pending"]
    assert report["status"] == "interrupted" and report["interrupted"] == "deploy Gateway"
    assert report["in_flight"] == pending
    assert report["transactions"][-1] == {
        "name": "Gateway", "kind": "deploy", "tx_hash": pending["tx_hash"], "nonce": pending["nonce"]
    }  # fmt: skip
    assert report["resume"] in last_error_line(result)
