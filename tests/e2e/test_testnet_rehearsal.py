"""A testnet as a user meets it, rehearsed: two anvils with public testnets' chain ids (Sepolia
11155111 and Base Sepolia 84532) reached as ape's own `ethereum:sepolia:node` and `base:sepolia:node`
(their URIs in the ape data folder's ape-config.yaml, as a user writes them), every key an imported
ape keyfile account unlocked from `APE_ACCOUNTS_<alias>_PASSPHRASE` with stdin closed, one key per
role, admin behind a 2-of-3 Safe and a timelock (`--governance safe`). The commands are the README's section
"Two testnets, a key per role, a Safe" (`COMMANDS`; a drift test holds the two together).

No ape test account is used anywhere: the keys are fresh (not anvil's mnemonic), funded with
`anvil_setBalance` (the faucet), and a last test reads every transaction of both chains and checks
its sender is one of the keyfile accounts.

The Safe's owners sign the timelock's `schedule` and `execute` here directly (the SafeTx hash signed
by each owner's key, decrypted from its keyfile, then `execTransaction` from one owner): on a public
network ape-safe posts proposals to the Safe transaction service, which this rehearsal cannot reach.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import string
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from eth_abi import encode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from revert_data import expected_revert_data
from test_scripts import APE, ROOT

from tokenized_stocks.devtools.anvil import AnvilNode, free_port, start_anvil

SEPOLIA, BASE_SEPOLIA = 11155111, 84532
#: Imported as ape keyfile accounts (each signs something in the rehearsal).
ALIASES = ("issuer", "registrar", "custodian", "agent", "guardian", "owner1", "owner2", "owner3",
           "op1", "op2", "relayer", "alice")  # fmt: skip
#: Named by address only: they hold a role and sign nothing here (a key kept elsewhere).
ADDRESS_ONLY = ("quote_signer", "executor", "cash_agent")
MIN_DELAY = 3600
ASSET = "AAPLx"
INVESTOR = "0x" + "a1" * 32
ZERO = "0x" + "00" * 20
ADMIN = b"\x00" * 32
ERROR_STRING = bytes.fromhex("08c379a0")  # Error(string)
README = ROOT / "README.md"

#: The README's commands, in order, exactly as written there ($NAME: a value the user sets).
COMMANDS = {
    "deploy-a": "ape run deploy --network ethereum:sepolia:node --account issuer --cash-token $CASH_A "
    "--listings $LISTINGS --manifests $MANIFESTS --governance safe --role registrar=registrar "
    "--role custodian=custodian --role transfer_agent=agent --role guardian=guardian "
    "--role quote_signer=$QUOTE_SIGNER --role executor=$EXECUTOR --role cash_agent=$CASH_AGENT "
    "--role operator=op1 --role operator=op2 --operator-threshold 2",
    "deploy-b": "ape run deploy --network base:sepolia:node --account issuer --cash-token $CASH_B "
    "--listings $LISTINGS --manifests $MANIFESTS --governance safe --role registrar=registrar "
    "--role custodian=custodian --role transfer_agent=agent --role guardian=guardian "
    "--role quote_signer=$QUOTE_SIGNER --role executor=$EXECUTOR --role cash_agent=$CASH_AGENT "
    "--role operator=op1 --role operator=op2 --operator-threshold 2 "
    "--home-chain-id 11155111 --peer 11155111",
    "attest-reserves": "ape run admin attest-reserves --network ethereum:sepolia:node --manifests $MANIFESTS "
    "--account custodian --asset AAPLx --amount 1000",
    "onboard": "ape run admin onboard --network ethereum:sepolia:node --manifests $MANIFESTS "
    "--account registrar --investor $INVESTOR --country 840 --class-flags 1 --kyc-expiry 2030-12-31 "
    "--wallet $ALICE",
    "freeze-tokens": "ape run admin freeze-tokens --network ethereum:sepolia:node --manifests $MANIFESTS "
    "--account agent --asset AAPLx --wallet $ALICE --amount 5 --reason 'court order 12'",
    "unfreeze-tokens": "ape run admin unfreeze-tokens --network ethereum:sepolia:node --manifests $MANIFESTS "
    "--account agent --asset AAPLx --wallet $ALICE --amount 5 --reason 'order lifted'",
    "unpause-gateway": "ape run admin unpause-gateway --network ethereum:sepolia:node --manifests $MANIFESTS "
    "--account guardian",
    "attestor-1": "ape run attestor serve --account op1 --db $STATE/op1.sqlite --port $PORT_1 "
    "--confirmations $CONFIRMATIONS --watch $SEPOLIA_RPC,$GATEWAY_A --watch $BASE_SEPOLIA_RPC,$GATEWAY_B",
    "attestor-2": "ape run attestor serve --account op2 --db $STATE/op2.sqlite --port $PORT_2 "
    "--confirmations $CONFIRMATIONS --watch $SEPOLIA_RPC,$GATEWAY_A --watch $BASE_SEPOLIA_RPC,$GATEWAY_B",
    "bridge-out": "ape run bridge --network ethereum:sepolia:node --manifests $MANIFESTS --account alice "
    "--asset AAPLx --to $ALICE --amount 10 --dst-chain-id 84532",
    "relay": "ape run relayer --rpc-a $SEPOLIA_RPC --rpc-b $BASE_SEPOLIA_RPC --manifests $MANIFESTS "
    "--submitter relayer --db $STATE/relayer.sqlite --attestor http://127.0.0.1:$PORT_1 --attestor http://127.0.0.1:$PORT_2 "
    "--confirmations $CONFIRMATIONS --once",
    "bridge-back": "ape run bridge --network base:sepolia:node --manifests $MANIFESTS --account alice "
    "--asset AAPLx --to $ALICE --amount 4 --dst-chain-id 11155111",
}


def key_of(name: str) -> LocalAccount:
    """A fresh key per role (never one of anvil's or ape's test mnemonic)."""
    return Account.from_key(keccak(text=f"tokenized-stocks testnet rehearsal: {name}"))


def passphrase(alias: str) -> str:
    return f"the {alias} passphrase"


def variable(alias: str) -> str:
    """ape's passphrase variable of an account."""
    return f"APE_ACCOUNTS_{alias}_PASSPHRASE"


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stdout + result.stderr
    return lines[0]


ADDRESSES = {name: key_of(name).address for name in (*ALIASES, *ADDRESS_ONLY)}


# -- the two testnets, the ape data folder, the keys ------------------------------------------


@pytest.fixture(scope="module")
def testnets() -> Iterator[dict[int, AnvilNode]]:
    nodes = {SEPOLIA: start_anvil(SEPOLIA, accounts=1), BASE_SEPOLIA: start_anvil(BASE_SEPOLIA, accounts=1)}
    for node in nodes.values():  # the faucet
        for name in ALIASES:
            node.rpc("anvil_setBalance", ADDRESSES[name], hex(10**20))
    yield nodes
    for node in nodes.values():
        node.stop()


@pytest.fixture(scope="module")
def data_folder(tmp_path_factory, testnets) -> Path:
    """A temporary ape data folder: the keyfile accounts, imported with ape's own API, and the
    testnets' RPC URIs in its ape-config.yaml (merged by ape with the project's)."""
    import ape

    folder = tmp_path_factory.mktemp("ape-data")
    (folder / "packages").symlink_to(ape.config.DATA_FOLDER / "packages", target_is_directory=True)
    config = {
        "node": {
            "ethereum": {"sepolia": {"uri": testnets[SEPOLIA].uri}},
            "base": {"sepolia": {"uri": testnets[BASE_SEPOLIA].uri}},
        },
        # one block per transaction on these anvils: no extra confirmations to wait for
        "ethereum": {"sepolia": {"required_confirmations": 0}},
        "base": {"sepolia": {"required_confirmations": 0}},
    }
    (folder / "ape-config.yaml").write_text(json.dumps(config))  # JSON is YAML
    keys = {alias: key_of(alias).key.hex() for alias in ALIASES}
    code = (
        "import json, sys; from ape_accounts import import_account_from_private_key as imp; "
        "keys = json.loads(sys.argv[1]); "
        "print(json.dumps([imp(a, f'the {a} passphrase', k).address for a, k in keys.items()]))"
    )
    env = dict(os.environ, APE_DATA_FOLDER=str(folder), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [*APE[:-1], code, json.dumps(keys)], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [ADDRESSES[a] for a in ALIASES]
    return folder


def send_raw(node: AnvilNode, sender: LocalAccount, tx: dict[str, Any]) -> dict[str, Any]:
    """Signs `tx` with `sender`'s key and waits for its receipt (status checked)."""
    nonce = int(str(node.rpc("eth_getTransactionCount", sender.address, "pending")), 16)
    full = {"chainId": int(str(node.rpc("eth_chainId")), 16), "nonce": nonce, "gas": 3_000_000,
            "maxFeePerGas": 10**11, "maxPriorityFeePerGas": 10**9, "value": 0, **tx}  # fmt: skip
    tx_hash = node.rpc("eth_sendRawTransaction", "0x" + sender.sign_transaction(full).raw_transaction.hex())
    receipt = node.receipt(str(tx_hash), timeout=60)
    assert receipt["status"] == "0x1", receipt
    return receipt


@pytest.fixture(scope="module")
def cash(testnets) -> dict[int, str]:
    """A stablecoin already on each testnet (the desk's cash is never deployed there)."""
    from ape import project

    data = project.MockStablecoin.contract_type.deployment_bytecode.bytecode
    return {
        chain_id: to_checksum_address(send_raw(node, key_of("issuer"), {"data": data})["contractAddress"])
        for chain_id, node in testnets.items()
    }


class Rehearsal:
    """Runs the README's commands as a user would: `ape run` subprocesses, stdin closed."""

    def __init__(self, folder: Path, testnets: dict[int, AnvilNode], values: dict[str, str]) -> None:
        self.folder, self.testnets, self.values = folder, testnets, values

    def env(self, without: str | None = None) -> dict[str, str]:
        """The user's environment: every alias's passphrase variable (but `without`'s)."""
        env = dict(os.environ, APE_DATA_FOLDER=str(self.folder), PYTHONPATH=str(ROOT))
        env.update({variable(alias): passphrase(alias) for alias in ALIASES if alias != without})
        return env

    def argv(self, name: str, **extra: str) -> list[str]:
        words = shlex.split(COMMANDS[name])
        assert words[:2] == ["ape", "run"]
        return [*APE, *(string.Template(w).substitute(self.values, **extra) for w in words[1:])]

    def run(
        self, name: str, *more: str, without: str | None = None, **extra: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.argv(name, **extra), *more], cwd=ROOT, env=self.env(without), stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip

    def ok(self, name: str, *more: str, **extra: str) -> subprocess.CompletedProcess[str]:
        result = self.run(name, *more, **extra)
        assert result.returncode == 0, f"{name}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
        return result


@pytest.fixture(scope="module")
def rehearsal(data_folder, testnets, cash) -> Rehearsal:
    manifests = data_folder / "deployments"
    listings = data_folder / "testnet.yaml"
    listings.write_text(readme_listings())
    values = {
        "CASH_A": cash[SEPOLIA], "CASH_B": cash[BASE_SEPOLIA], "LISTINGS": str(listings),
        "MANIFESTS": str(manifests), "STATE": str(data_folder), "INVESTOR": INVESTOR, "ALICE": ADDRESSES["alice"],
        "SEPOLIA_RPC": testnets[SEPOLIA].uri, "BASE_SEPOLIA_RPC": testnets[BASE_SEPOLIA].uri,
        "CONFIRMATIONS": "0", "PORT_1": str(free_port()), "PORT_2": str(free_port()),
        **{name.upper(): ADDRESSES[name] for name in ADDRESS_ONLY},
    }  # fmt: skip
    return Rehearsal(data_folder, testnets, values)


def manifest(rehearsal: Rehearsal, chain_id: int) -> dict[str, Any]:
    return json.loads((Path(rehearsal.values["MANIFESTS"]) / str(chain_id) / "manifest.json").read_text())


@pytest.fixture(scope="module")
def deployed(rehearsal) -> dict[int, dict[str, Any]]:
    """Both testnets deployed, B linked to A by its own deploy (B's admin is still its deployer
    then); A's link to B is a governance change (see `linked`)."""
    rehearsal.ok("deploy-a")
    rehearsal.ok("deploy-b")
    found = {chain_id: manifest(rehearsal, chain_id) for chain_id in (SEPOLIA, BASE_SEPOLIA)}
    rehearsal.values["GATEWAY_A"] = found[SEPOLIA]["contracts"]["Gateway"]["address"]
    rehearsal.values["GATEWAY_B"] = found[BASE_SEPOLIA]["contracts"]["Gateway"]["address"]
    return found


def web3_contract(node: AnvilNode, name: str, address: str, abi: list[Any] | None = None) -> Any:
    from ape import project
    from web3 import Web3

    if abi is None:
        abi = [i.model_dump(mode="json", by_alias=True) for i in getattr(project, name).contract_type.abi]
    return Web3(Web3.HTTPProvider(node.uri)).eth.contract(address=address, abi=abi)


def refusal(node: AnvilNode, sender: str, to: str, data: str) -> bytes:
    """The revert data of `data` sent to `to` by `sender` (an eth_call: nothing is sent)."""
    try:
        node.rpc("eth_call", {"from": sender, "to": to, "data": data}, "latest")
    except Exception as err:  # the node's JSON-RPC error carries the revert data
        found = re.search(r"'data': '(0x[0-9a-fA-F]*)'", str(err))
        assert found, str(err)
        return bytes.fromhex(found.group(1)[2:])
    raise AssertionError(f"{sender} -> {to} was not refused")


# -- the Safe, signed by its owners' keyfile keys ---------------------------------------------


def keyfile_key(folder: Path, alias: str) -> LocalAccount:
    """The key of the ape keyfile account `alias`, decrypted with its passphrase variable."""
    keyfile = json.loads((folder / "accounts" / f"{alias}.json").read_text())
    return Account.from_key(Account.decrypt(keyfile, passphrase(alias)))


def safe_contract(node: AnvilNode, address: str) -> Any:
    from tokenized_stocks.governance.safe import contract_type

    abi = [i.model_dump(mode="json", by_alias=True) for i in contract_type("SafeL2").abi]
    return web3_contract(node, "", address, abi)


def safe_signatures(safe: Any, to: str, data: bytes, owners: list[LocalAccount]) -> bytes:
    """The owners' signatures of the SafeTx `to`/`data` at the Safe's next nonce, sorted by owner
    (what the Safe transaction service collects)."""
    nonce = safe.functions.nonce().call()
    digest = safe.functions.getTransactionHash(to, 0, data, 0, 0, 0, 0, ZERO, ZERO, nonce).call()
    signed = sorted(owners, key=lambda owner: int(owner.address, 16))
    return b"".join(
        s.r.to_bytes(32, "big") + s.s.to_bytes(32, "big") + bytes([s.v])
        for s in (Account.unsafe_sign_hash(digest, owner.key) for owner in signed)
    )


def exec_call(safe: Any, to: str, data: bytes, signatures: bytes) -> str:
    return safe.encode_abi("execTransaction", [to, 0, data, 0, 0, 0, 0, ZERO, ZERO, signatures])


@pytest.fixture(scope="module")
def linked(rehearsal, deployed) -> dict[str, Any]:
    """A's gateway trusts B's: `setRemoteGateway` is an admin power, so the Safe schedules it on
    A's timelock (2 of 3 owners), and executes it once `min_delay` has passed. What was refused on
    the way is kept for the tests."""
    node, folder = rehearsal.testnets[SEPOLIA], rehearsal.folder
    record = deployed[SEPOLIA]
    governance = record["governance"]
    gateway = web3_contract(node, "Gateway", rehearsal.values["GATEWAY_A"])
    timelock = web3_contract(node, "GovernanceTimelock", governance["timelock"])
    safe = safe_contract(node, governance["safe"])
    owner1, owner2 = keyfile_key(folder, "owner1"), keyfile_key(folder, "owner2")
    call = bytes.fromhex(
        gateway.encode_abi("setRemoteGateway", [BASE_SEPOLIA, rehearsal.values["GATEWAY_B"]])[2:]
    )
    op = [gateway.address, 0, call, b"\x00" * 32, b"\x00" * 32]
    schedule = bytes.fromhex(timelock.encode_abi("schedule", [*op, MIN_DELAY])[2:])
    execute = bytes.fromhex(timelock.encode_abi("execute", op)[2:])
    seen: dict[str, Any] = {
        "issuer": refusal(node, ADDRESSES["issuer"], gateway.address, "0x" + call.hex()),
        "owner": refusal(node, owner1.address, timelock.address, "0x" + schedule.hex()),
        "one signature": refusal(
            node, owner1.address, safe.address,
            exec_call(safe, timelock.address, schedule, safe_signatures(safe, timelock.address, schedule, [owner1])),
        ),
    }  # fmt: skip
    data = exec_call(
        safe, timelock.address, schedule, safe_signatures(safe, timelock.address, schedule, [owner1, owner2])
    )
    seen["scheduled"] = send_raw(node, owner1, {"to": safe.address, "data": data})
    seen["early"] = refusal(node, safe.address, timelock.address, "0x" + execute.hex())  # the Safe, too early
    seen["before"] = gateway.functions.remoteGateway(BASE_SEPOLIA).call()
    for each in rehearsal.testnets.values():  # the delay passes on both chains (one real clock)
        each.rpc("evm_increaseTime", MIN_DELAY)
        each.rpc("evm_mine")
    data = exec_call(
        safe, timelock.address, execute, safe_signatures(safe, timelock.address, execute, [owner2, owner1])
    )
    seen["executed"] = send_raw(node, owner2, {"to": safe.address, "data": data})
    seen["after"] = gateway.functions.remoteGateway(BASE_SEPOLIA).call()
    seen["operation"] = timelock.functions.hashOperation(*op).call()
    seen["done"] = timelock.functions.isOperationDone(seen["operation"]).call()
    return seen


# -- deploy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("chain_id", [SEPOLIA, BASE_SEPOLIA])
def test_the_manifest_names_a_key_per_role_the_safe_and_the_delay(deployed, chain_id):
    written = deployed[chain_id]
    roles = written["config"]["roles"]
    assert {k: roles[k] for k in ("issuer", "registrar", "custodian", "transfer_agent", "guardian")} == {
        "issuer": ADDRESSES["issuer"], "registrar": ADDRESSES["registrar"],
        "custodian": ADDRESSES["custodian"], "transfer_agent": ADDRESSES["agent"],
        "guardian": ADDRESSES["guardian"],
    }  # fmt: skip
    assert {k: roles[k] for k in ADDRESS_ONLY} == {k: ADDRESSES[k] for k in ADDRESS_ONLY}
    assert (roles["operators"], roles["threshold"]) == (f"{ADDRESSES['op1']},{ADDRESSES['op2']}", "2")
    record = written["governance"]
    assert record["owners"] == [ADDRESSES[o] for o in ("owner1", "owner2", "owner3")]
    assert (record["threshold"], record["min_delay"], record["guardian"]) == (
        2,
        MIN_DELAY,
        ADDRESSES["guardian"],
    )
    certificate = record["roles"][ASSET]
    assert certificate["DEFAULT_ADMIN_ROLE"] == {"holders": [record["timelock"]], "delay": MIN_DELAY}
    assert certificate["CUSTODIAN_ROLE"] == {"holders": [ADDRESSES["custodian"]], "delay": 0}
    assert certificate["TRANSFER_AGENT_ROLE"] == {"holders": [ADDRESSES["agent"]], "delay": 0}
    assert certificate["PAUSER_ROLE"] == {"holders": [ADDRESSES["guardian"]], "delay": 0}
    assert record["roles"]["InvestorRegistry"]["REGISTRAR_ROLE"] == {
        "holders": [ADDRESSES["registrar"]],
        "delay": 0,
    }


@pytest.mark.parametrize("chain_id", [SEPOLIA, BASE_SEPOLIA])
def test_the_gateway_needs_both_operators_keys(rehearsal, deployed, chain_id):
    gateway = web3_contract(
        rehearsal.testnets[chain_id], "Gateway", deployed[chain_id]["contracts"]["Gateway"]["address"]
    )
    assert gateway.functions.operatorSet().call() == [2, 2]
    assert all(gateway.functions.isOperator(ADDRESSES[op]).call() for op in ("op1", "op2"))


# -- routine operations, each by its role key --------------------------------------------------


@pytest.fixture(scope="module")
def minted(rehearsal, deployed) -> int:
    """The custodian attests 1,000 shares in custody; the issuer mints 100 to alice."""
    rehearsal.ok("attest-reserves")
    node = rehearsal.testnets[SEPOLIA]
    token = web3_contract(node, "TrackerCertificate", deployed[SEPOLIA]["assets"][ASSET]["token"])
    data = token.encode_abi("mint", [ADDRESSES["alice"], 100 * 10 ** token.functions.decimals().call()])
    send_raw(node, keyfile_key(rehearsal.folder, "issuer"), {"to": token.address, "data": data})
    return 100 * 10 ** token.functions.decimals().call()


def test_the_custodian_attests_reserves_and_the_issuer_mints_within_them(rehearsal, deployed, minted):
    token = web3_contract(
        rehearsal.testnets[SEPOLIA], "TrackerCertificate", deployed[SEPOLIA]["assets"][ASSET]["token"]
    )
    assert token.functions.balanceOf(ADDRESSES["alice"]).call() == minted


def test_the_registrar_onboards_an_investor(rehearsal, deployed):
    result = rehearsal.ok("onboard", "--json")
    assert json.loads(result.stdout)["acting"] == ADDRESSES["registrar"]
    registry = web3_contract(
        rehearsal.testnets[SEPOLIA],
        "InvestorRegistry",
        deployed[SEPOLIA]["contracts"]["InvestorRegistry"]["address"],
    )
    assert registry.functions.investorOf(ADDRESSES["alice"]).call() == bytes.fromhex(INVESTOR[2:])


def test_the_transfer_agent_freezes_and_releases_tokens(rehearsal, deployed, minted):
    token = web3_contract(
        rehearsal.testnets[SEPOLIA], "TrackerCertificate", deployed[SEPOLIA]["assets"][ASSET]["token"]
    )
    rehearsal.ok("freeze-tokens")
    assert token.functions.getFrozenTokens(ADDRESSES["alice"]).call() == minted // 20
    rehearsal.ok("unfreeze-tokens")
    assert token.functions.getFrozenTokens(ADDRESSES["alice"]).call() == 0


def test_a_routine_command_by_another_roles_key_is_one_line_and_sends_nothing(rehearsal, deployed):
    node = rehearsal.testnets[SEPOLIA]
    before = node.rpc("eth_getTransactionCount", ADDRESSES["registrar"], "latest")
    result = rehearsal.run("attest-reserves", "--account", "registrar")  # the custodian's power
    assert result.returncode == 2, result.stdout + result.stderr
    assert ADDRESSES["registrar"] in error_line(result)
    assert node.rpc("eth_getTransactionCount", ADDRESSES["registrar"], "latest") == before


# -- a dangerous change: the Safe, then the delay ---------------------------------------------


def only_the_timelock(sender: str, governance: dict) -> str:
    """The one line a key (or the Safe) asking for the timelock's power gets: who holds it, and how."""
    return (
        f"error: {sender} does not hold DEFAULT_ADMIN_ROLE on the gateway: the timelock "
        f"{governance['timelock']} does; the Safe {governance['safe']} schedules the call there and "
        f"executes it {governance['min_delay']} s later (docs/governance.md): nothing sent"
    )


@pytest.mark.parametrize("alias", ["guardian", "issuer"])
def test_an_admin_power_asked_of_a_single_key_is_one_line_and_sends_nothing(rehearsal, deployed, alias):
    """Resuming the bridge is the timelock's: the guardian (who pauses) and the deployer are refused."""
    node = rehearsal.testnets[SEPOLIA]
    before = node.rpc("eth_getTransactionCount", ADDRESSES[alias], "latest")
    result = rehearsal.run("unpause-gateway", "--account", alias)
    assert result.returncode == 2
    assert error_line(result) == only_the_timelock(ADDRESSES[alias], deployed[SEPOLIA]["governance"])
    assert node.rpc("eth_getTransactionCount", ADDRESSES[alias], "latest") == before


def test_the_safe_asks_the_timelock_for_the_admin_power(rehearsal, deployed):
    """`--safe` reaches the deployment's own Safe 1.5.0 (it was refused as a version ape-safe does
    not know); the Safe holds no admin role, so the command is the timelock's to run: the Safe would
    schedule it there. The rehearsal's gateway runs, so there is nothing to schedule (tests/e2e/
    test_admin_timelock.py schedules and executes through the timelock)."""
    governance = deployed[SEPOLIA]["governance"]
    result = rehearsal.run("unpause-gateway", "--account", "owner1", "--safe", governance["safe"], "--json")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert (outcome["mode"], outcome["acting"], outcome["calls"]) == ("nothing", governance["timelock"], [])


def test_no_single_key_changes_the_gateways_peers(linked):
    from ape import project

    unauthorized = project.Gateway.AccessControlUnauthorizedAccount
    assert linked["issuer"] == expected_revert_data(
        unauthorized, account=ADDRESSES["issuer"], neededRole=ADMIN
    )
    proposer = keccak(text="PROPOSER_ROLE")
    assert linked["owner"] == expected_revert_data(
        unauthorized, account=ADDRESSES["owner1"], neededRole=proposer
    )
    assert linked["one signature"] == ERROR_STRING + encode(["string"], ["GS020"])  # below the threshold


def test_the_safes_change_waits_for_the_timelock_delay_then_executes(linked, rehearsal):
    from ape import project

    assert linked["before"] == ZERO
    waiting = project.GovernanceTimelock.TimelockUnexpectedOperationState
    ready = (1 << 2).to_bytes(32, "big")  # OZ `_encodeStateBitmap(OperationState.Ready)`
    assert linked["early"] == expected_revert_data(
        waiting, operationId=linked["operation"], expectedStates=ready
    )
    assert linked["after"] == rehearsal.values["GATEWAY_B"] and linked["done"]


# -- the bridge round trip --------------------------------------------------------------------


def caught_up(rehearsal: Rehearsal, attestors: list[tuple[str, subprocess.Popen[str]]]) -> None:
    """Waits until every attestor has read both chains up to their current heads (a sync point:
    with 0 confirmations it has then signed every message sent so far)."""
    heads = {c: int(str(node.rpc("eth_blockNumber")), 16) for c, node in rehearsal.testnets.items()}
    for url, process in attestors:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, f"attestor {url} exited"
            try:
                chains = requests.get(f"{url}/health", timeout=2).json().get("chains") or []
                cursors = {int(c["chain_id"]): c.get("cursor") for c in chains}
                if all(cursors.get(c) is not None and int(cursors[c]) >= head for c, head in heads.items()):
                    break
            except (requests.RequestException, ValueError):
                pass
            assert time.monotonic() < deadline, f"attestor {url} did not read up to {heads}"
            time.sleep(0.2)


@pytest.fixture(scope="module")
def attestors(rehearsal, linked) -> Iterator[list[tuple[str, subprocess.Popen[str]]]]:
    started = []
    for name, port in (("attestor-1", "PORT_1"), ("attestor-2", "PORT_2")):
        log = (rehearsal.folder / f"{name}.log").open("w")
        process = subprocess.Popen(
            rehearsal.argv(name), cwd=ROOT, env=rehearsal.env(), stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        started.append((f"http://127.0.0.1:{rehearsal.values[port]}", process))
    yield started
    for _, process in started:
        process.terminate()
        process.wait(timeout=30)


def balances(rehearsal: Rehearsal, deployed: dict[int, dict[str, Any]]) -> dict[int, tuple[int, int]]:
    """Alice's balance and the total supply of the asset on each chain."""
    found = {}
    for chain_id, node in rehearsal.testnets.items():
        token = web3_contract(node, "TrackerCertificate", deployed[chain_id]["assets"][ASSET]["token"])
        found[chain_id] = (
            token.functions.balanceOf(ADDRESSES["alice"]).call(),
            token.functions.totalSupply().call(),
        )
    return found


def test_a_bridge_without_the_senders_passphrase_is_one_line_and_sends_nothing(rehearsal, deployed, minted):
    """With stdin closed, `--account` signs without a `Sign: [y/N]` prompt or is refused up front
    (it used to prompt after its checks and abort: exit 1, a traceback-free but silent failure)."""
    node = rehearsal.testnets[SEPOLIA]
    before = node.rpc("eth_getTransactionCount", ADDRESSES["alice"], "latest")
    result = rehearsal.run("bridge-out", without="alice")
    assert result.returncode == 2
    assert variable("alice") in error_line(result) and "Sign:" not in result.stdout + result.stderr
    assert node.rpc("eth_getTransactionCount", ADDRESSES["alice"], "latest") == before


@pytest.fixture(scope="module")
def round_trip(rehearsal, deployed, minted, attestors) -> list[dict[int, tuple[int, int]]]:
    seen = [balances(rehearsal, deployed)]
    for leg in ("bridge-out", "bridge-back"):
        rehearsal.ok(leg)
        caught_up(rehearsal, attestors)
        report = json.loads(rehearsal.ok("relay", "--json").stdout)
        assert len(report["delivered"]) == 1, report
        seen.append(balances(rehearsal, deployed))
    return seen


def test_a_bridge_round_trip_moves_the_shares_and_keeps_the_supply(round_trip, minted):
    share = minted // 100
    start, there, back = round_trip
    assert start == {SEPOLIA: (minted, minted), BASE_SEPOLIA: (0, 0)}
    assert there[BASE_SEPOLIA] == (10 * share, 10 * share)
    assert there[SEPOLIA][0] == minted - 10 * share
    assert back[BASE_SEPOLIA] == (6 * share, 6 * share)
    assert back[SEPOLIA][0] == minted - 6 * share


# -- no test account, anywhere ----------------------------------------------------------------


def test_every_transaction_was_signed_by_a_keyfile_account(rehearsal, round_trip, linked):
    keyfile_accounts = {ADDRESSES[alias].lower() for alias in ALIASES}
    senders: set[str] = set()
    for node in rehearsal.testnets.values():
        head = int(str(node.rpc("eth_blockNumber")), 16)
        for number in range(1, head + 1):
            block: dict[str, Any] = node.rpc("eth_getBlockByNumber", hex(number), True)  # type: ignore[assignment]
            senders |= {tx["from"].lower() for tx in block["transactions"]}
    assert senders and senders <= keyfile_accounts, senders - keyfile_accounts


#: The order the README shows the commands in (the relayer runs once per leg).
README_ORDER = ["deploy-a", "deploy-b", "attest-reserves", "onboard", "freeze-tokens", "unfreeze-tokens",
                "unpause-gateway", "attestor-1", "attestor-2", "bridge-out", "relay", "bridge-back", "relay"]  # fmt: skip


def readme_section() -> str:
    text = README.read_text()
    section = text[text.index("### Two testnets, a key per role, a Safe") :]
    return section[: section.index("\n## ")]


def readme_listings() -> str:
    """The README's `testnet.yaml`, its owner placeholders replaced by the owners' addresses."""
    block = re.search(r"```yaml\n(.*?)```", readme_section(), re.S)
    assert block, "the README's section shows no testnet.yaml"
    text = block.group(1)
    for owner in ("owner1", "owner2", "owner3"):
        assert f"0x<{owner}>" in text
        text = text.replace(f"0x<{owner}>", ADDRESSES[owner])
    return text


def readme_commands() -> list[str]:
    """Every `ape run` command of the README's section, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", "", readme_section())
    return [" ".join(line.split()) for line in joined.splitlines() if line.startswith("ape run ")]


def test_the_readme_shows_exactly_the_commands_this_test_runs():
    assert readme_commands() == [COMMANDS[name] for name in README_ORDER]
    assert set(README_ORDER) == set(COMMANDS)
