"""`ape run deploy` on a live network, rehearsed on an anvil with Sepolia's chain id (11155111):
ape's own `ethereum:sepolia:node` network pointed at it, an ape keyfile account in a temporary ape
data folder, stdin closed (as in CI). The account signs through ape's autosign with the passphrase
from ape's variable, never a `Sign: [y/N]` prompt; without the passphrase, or without the desk's
cash token, nothing is sent."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_utils import to_checksum_address
from test_scripts import APE, ROOT, last_error_line

from tokenized_stocks.devtools.anvil import AnvilNode, rpc, start_anvil

SEPOLIA = 11155111
ALIAS = "deployer"
PASSPHRASE = "correct horse battery staple"
VARIABLE = f"APE_ACCOUNTS_{ALIAS}_PASSPHRASE"
#: ape test account 5 (the anvil's mnemonic funds it), imported as a keyfile account.
DEPLOYER = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"
DEPLOYER_KEY = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"


@pytest.fixture(scope="module")
def sepolia() -> Iterator[AnvilNode]:
    node = start_anvil(SEPOLIA, accounts=10)
    yield node
    node.stop()


@pytest.fixture(scope="module")
def data_folder(tmp_path_factory) -> Path:
    """A temporary ape data folder holding one keyfile account, imported with ape's own API; its
    ape-config.yaml (merged by ape with the project's) waits for no extra confirmation on this
    rehearsal chain, which mines one block per transaction."""
    import ape

    folder = tmp_path_factory.mktemp("ape-data")
    (folder / "packages").symlink_to(ape.config.DATA_FOLDER / "packages", target_is_directory=True)
    (folder / "ape-config.yaml").write_text("ethereum:\n  sepolia:\n    required_confirmations: 0\n")
    code = (
        "from ape_accounts import import_account_from_private_key as imp; "
        f"print(imp({ALIAS!r}, {PASSPHRASE!r}, {DEPLOYER_KEY!r}).address)"
    )
    env = dict(os.environ, APE_DATA_FOLDER=str(folder), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [*APE[:-1], code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == DEPLOYER
    return folder


@pytest.fixture(scope="module")
def stablecoin(sepolia) -> str:
    """A stablecoin already on the live chain (the desk's cash is never deployed there)."""
    from ape import project

    data = project.MockStablecoin.contract_type.deployment_bytecode.bytecode
    sender = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # anvil's unlocked account 0
    tx_hash = sepolia.rpc("eth_sendTransaction", {"from": sender, "data": data})
    return to_checksum_address(str(sepolia.receipt(str(tx_hash))["contractAddress"]))


def deploy_live(
    node: AnvilNode, folder: Path, out: Path, *args: str, passphrase: str | None = PASSPHRASE
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, APE_DATA_FOLDER=str(folder), PYTHONPATH=str(ROOT))
    env.pop(VARIABLE, None)
    if passphrase is not None:
        env[VARIABLE] = passphrase
    network = ["--network", "ethereum:sepolia:node", "--provider-settings", json.dumps({"uri": node.uri})]
    return subprocess.run(
        [*APE, "run", "deploy", *network, "--account", ALIAS, "--manifests", str(out), *args],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def nonce(node: AnvilNode) -> int:
    return int(str(rpc(node.uri, "eth_getTransactionCount", DEPLOYER, "latest")), 16)


def test_a_live_deploy_without_the_passphrase_variable_is_one_line_and_sends_nothing(
    sepolia, data_folder, stablecoin, tmp_path
):
    before = nonce(sepolia)
    result = deploy_live(sepolia, data_folder, tmp_path, "--cash-token", stablecoin, passphrase=None)
    assert result.returncode == 2, result.stdout + result.stderr
    assert VARIABLE in last_error_line(result)
    assert "Sign:" not in result.stdout + result.stderr
    assert nonce(sepolia) == before
    assert not list(tmp_path.iterdir())


def test_a_live_deploy_with_a_wrong_passphrase_is_one_line_and_sends_nothing(
    sepolia, data_folder, stablecoin, tmp_path
):
    before = nonce(sepolia)
    result = deploy_live(sepolia, data_folder, tmp_path, "--cash-token", stablecoin, passphrase="wrong")
    assert result.returncode == 2
    assert "wrong passphrase" in last_error_line(result)
    assert nonce(sepolia) == before


def test_a_live_deploy_without_a_cash_token_is_refused_before_anything_is_sent(
    sepolia, data_folder, tmp_path
):
    before = nonce(sepolia)
    result = deploy_live(sepolia, data_folder, tmp_path)
    assert result.returncode == 2
    assert "--cash-token" in last_error_line(result) and "live network" in last_error_line(result)
    assert nonce(sepolia) == before
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("token", "problem"),
    [("0x" + "ab" * 19, "not a 20-byte hex address"), ("mixed", "not a valid EIP-55 checksum"),
     ("0x" + "11" * 20, "has no contract")],
    ids=["short", "bad-checksum", "no-contract"],
)  # fmt: skip
def test_a_bad_cash_token_is_refused_with_exit_2(sepolia, data_folder, stablecoin, tmp_path, token, problem):
    if token == "mixed":  # the real address with one letter's case flipped
        flip = next(i for i, ch in enumerate(stablecoin) if i > 1 and ch.isalpha())
        token = stablecoin[:flip] + stablecoin[flip].swapcase() + stablecoin[flip + 1 :]
    before = nonce(sepolia)
    result = deploy_live(sepolia, data_folder, tmp_path, "--cash-token", token)
    assert result.returncode == 2
    assert problem in last_error_line(result)
    assert nonce(sepolia) == before


def test_a_live_dry_run_needs_no_passphrase_and_sends_nothing(sepolia, data_folder, stablecoin, tmp_path):
    before = nonce(sepolia)
    result = deploy_live(
        sepolia, data_folder, tmp_path, "--cash-token", stablecoin, "--dry-run", "--json", passphrase=None
    )
    assert result.returncode == 0, result.stderr[-3000:]
    plan = json.loads(result.stdout)
    assert plan["chain_id"] == SEPOLIA and plan["simulated"] is True and plan["total_gas"] > 0
    assert {step["sender"] for step in plan["steps"]} == {DEPLOYER}
    assert not any(step["name"] == "Cash" for step in plan["steps"])
    assert nonce(sepolia) == before
    assert not list(tmp_path.iterdir())


def test_a_live_deploy_signs_every_transaction_without_a_prompt_and_uses_the_given_cash(
    sepolia, data_folder, stablecoin, tmp_path
):
    result = deploy_live(sepolia, data_folder, tmp_path, "--cash-token", stablecoin, "--json")

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "Sign:" not in result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["chain_id"] == SEPOLIA and report["status"] == "complete"
    assert "Cash" not in report["contracts"]  # no mock stablecoin on a live network
    manifest = json.loads((tmp_path / str(SEPOLIA) / "manifest.json").read_text())
    assert manifest["config"]["cash_token"] == stablecoin
    assert {tx["nonce"] for tx in report["transactions"]} == set(range(len(report["transactions"])))
    from ape import networks, project

    with networks.parse_network_choice(
        "ethereum:sepolia:node", provider_settings={"uri": sepolia.uri}, disconnect_on_exit=False
    ):
        desk = project.OrderDesk.at(report["contracts"]["OrderDesk"])
        assert str(desk.cash()) == stablecoin
