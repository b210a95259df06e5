"""`ape run deploy` interrupted half-way, then run again: it resumes from its journal.

Each test deploys the suite afresh (its own --out) on one anvil. The interruption is injected in
this process: a `Deployer` whose `mined` hook (called when a transaction is mined, before its
outcome is recorded) raises KeyboardInterrupt, as a Ctrl-C at that moment would."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from test_scripts import last_error_line, on, run_in_process

from tokenized_stocks.deploy.deployer import Deployer, create_address
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


def deploy(node: AnvilNode, out: Path, deployer: type[Deployer] = Deployer):
    return run_in_process("deploy", *on(node), "--out", str(out), patch={"Deployer": deployer})


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
    assert f"adopted {REGISTER}" in second.stdout
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


def issuer_nonce(node: AnvilNode) -> int:
    from ape import chain

    with connected(node):
        return int(chain.provider.get_nonce(ISSUER))


def test_a_contract_mined_but_not_recorded_is_adopted_not_deployed_twice(node, tmp_path):
    start = issuer_nonce(node)
    first = deploy(node, tmp_path, interrupted_after("Gateway"))
    assert first.returncode == 3, first.stdout + first.stderr
    pending = manifest(tmp_path)["pending"]
    assert pending["kind"] == "deploy" and "Gateway" not in manifest(tmp_path)["contracts"]

    second = deploy(node, tmp_path)

    assert second.returncode == 0, second.stdout + second.stderr
    assert "adopted Gateway" in second.stdout
    contracts = manifest(tmp_path)["contracts"]
    assert contracts["Gateway"]["address"] == create_address(ISSUER, pending["nonce"])
    from ape import chain

    with connected(node):
        assert chain.provider.get_code(contracts["Gateway"]["address"])
        end = int(chain.provider.get_nonce(ISSUER))
        created = {
            create_address(ISSUER, n)
            for n in range(start, end)
            if chain.provider.get_code(create_address(ISSUER, n))
        }
    # every contract the issuer created in the two runs is in the manifest once: none twice
    assert created == {c["address"] for c in contracts.values()}


def test_ctrl_c_with_a_transaction_in_flight_prints_the_resume_command_and_exits_3(node, tmp_path):
    args = [*on(node), "--out", str(tmp_path)]

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
