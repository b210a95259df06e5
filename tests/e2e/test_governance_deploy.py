"""`ape run deploy --governance safe`: the suite deployed, then handed over to a timelock whose
proposer is a 2-of-3 Safe (test accounts 16-18 on a local chain), all recorded in the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from revert_data import reverts
from test_scripts import last_error_line, on, run_in_process
from test_scripts_deploy_options import AAPL, GUARDIAN, contract

from tokenized_stocks.cli.errors import BAD_INPUT
from tokenized_stocks.client import Suite

DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # test account 0
OWNERS = [  # test accounts 16-18
    "0x2546BcD3c84621e976D8185a91A922aE77ECEc30",
    "0xbDA5747bFD65F08deb54cb465eB87D40e51B197E",
    "0xdD2FD4581271e230360230F9337D5c0430Bf44C0",
]
ADMIN = b"\x00" * 32
DEPLOYER_INDEX, GUARDIAN_INDEX, OWNER_INDEXES = 0, 6, (16, 17, 18)
#: OZ TimelockController `_encodeStateBitmap(OperationState.Ready)`.
READY = (1 << 2).to_bytes(32, "big")


@pytest.fixture(scope="module")
def governed(nodes, tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("governed")
    listings = folder / "listings.yaml"
    listings.write_text("governance:\n  threshold: 2\n  min_delay: 3600\nassets:\n" + AAPL)
    out = folder / "deployments"
    result = run_in_process(
        "deploy", *on(nodes[0]), "--out", str(out), "--listings", str(listings), "--governance", "safe"
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out, json.loads((out / "31337" / "manifest.json").read_text())


def test_the_manifest_records_the_safe_the_timelock_and_the_delay(governed):
    _, written = governed
    record = written["governance"]
    assert (record["owners"], record["threshold"], record["min_delay"]) == (OWNERS, 2, 3600)
    assert record["safe_version"] == "1.5.0" and record["guardian"] == GUARDIAN
    assert record["timelock"] == written["contracts"]["GovernanceTimelock"]["address"]


def test_every_admin_role_is_the_timelocks_with_its_delay(governed):
    _, written = governed
    record = written["governance"]
    assert record["roles"]["Gateway"]["PAUSER_ROLE"] == {"holders": [GUARDIAN], "delay": 0}
    for name, roles in record["roles"].items():
        assert roles["DEFAULT_ADMIN_ROLE"] == {"holders": [record["timelock"]], "delay": 3600}, name


def test_the_deployer_keeps_no_admin_role_on_chain(nodes, governed):
    _, written = governed
    for name in written["governance"]["roles"]:
        entry = written["contracts"][name]
        assert (
            not contract(nodes[0], entry["contract_type"], entry["address"])
            .functions.hasRole(ADMIN, DEPLOYER)
            .call()
        ), name
    timelock = contract(nodes[0], "GovernanceTimelock", written["governance"]["timelock"])
    assert timelock.functions.getMinDelay().call() == 3600


def test_a_governed_dry_run_plans_the_safe_and_the_hand_over(nodes, governed, tmp_path):
    out, _ = governed
    result = run_in_process(
        "deploy", *on(nodes[0]), "--out", str(tmp_path), "--listings", str(out.parent / "listings.yaml"),
        "--governance", "safe", "--dry-run", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    steps = [json.dumps(row) for row in json.loads(result.stdout)["steps"]]
    assert sum("Safe: create" in s for s in steps) == 1
    assert any("GovernanceTimelock" in s for s in steps)
    assert (
        sum("the deployer renounces DEFAULT_ADMIN_ROLE" in s for s in steps)
        == sum("grant DEFAULT_ADMIN_ROLE to the timelock" in s for s in steps)
        > 0
    )
    assert not (tmp_path / "31337").exists()


@pytest.mark.parametrize(
    ("section", "message"),
    [(f"  guardian: '{DEPLOYER}'\n", "the guardian must be a key of its own"),
     (f"  guardian: {DEPLOYER}\n", "write each address in quotes"),
     ("  threshold: 4\n", "threshold 4 exceeds the 3 Safe owners"),
     (f"  owners: ['{OWNERS[0]}', '{OWNERS[0]}']\n", "owners must be distinct"),
     ("  min_delay: -1\n", "governance: min_delay")],
    ids=["guardian-is-deployer", "unquoted-address", "threshold-over-owners", "duplicate-owner", "negative-delay"],
)  # fmt: skip
def test_bad_governance_input_is_one_line_and_sends_nothing(nodes, tmp_path, section, message):
    listings = tmp_path / "listings.yaml"
    listings.write_text("governance:\n" + section + "assets:\n" + AAPL)
    result = run_in_process(
        "deploy", *on(nodes[0]), "--out", str(tmp_path), "--listings", str(listings), "--governance", "safe"
    )
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert message in last_error_line(result)
    assert not (tmp_path / "31337").exists()


def test_a_guardian_of_its_own_replaces_the_role_books_as_the_only_pauser(nodes, tmp_path):
    outsider = "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199"  # test account 19
    listings = tmp_path / "listings.yaml"
    listings.write_text(f"governance:\n  guardian: '{outsider}'\nassets:\n" + AAPL)
    out = tmp_path / "deployments"
    result = run_in_process(
        "deploy", *on(nodes[0]), "--out", str(out), "--listings", str(listings), "--governance", "safe"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    roles = json.loads((out / "31337" / "manifest.json").read_text())["governance"]["roles"]
    pausers = {name: r["PAUSER_ROLE"]["holders"] for name, r in roles.items() if "PAUSER_ROLE" in r}
    assert pausers and set(map(tuple, pausers.values())) == {(outsider,)}


# -- the guardian pauses at once; resuming is the timelock's ---------------------------------------


def admin(node, out: Path, command: str, sender: int, *args: str):
    """`ape run admin <command> --asset AAPLx` on the governed deployment, sent by test account `sender`."""
    return run_in_process(
        "admin", command, *on(node), "--manifests", str(out), "--asset", "AAPLx",
        "--test-account", str(sender), *args,
    )  # fmt: skip


def aapl_paused(node, written: dict) -> bool:
    return bool(
        contract(node, "TrackerCertificate", written["assets"]["AAPLx"]["token"]).functions.paused().call()
    )


@pytest.fixture(scope="module")
def paused_by_the_guardian(nodes, governed) -> tuple[Path, dict]:
    """AAPLx paused by the guardian with `ape run admin pause`: at once, no proposal."""
    out, written = governed
    result = admin(nodes[0], out, "pause", GUARDIAN_INDEX, "--json")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1])["mode"] == "sent"
    assert aapl_paused(nodes[0], written)
    return out, written


@pytest.mark.parametrize("sender", [GUARDIAN_INDEX, DEPLOYER_INDEX], ids=["guardian", "deployer"])
def test_admin_unpause_by_a_key_is_refused_naming_the_timelock(nodes, paused_by_the_guardian, sender):
    out, written = paused_by_the_guardian
    result = admin(nodes[0], out, "unpause", sender)
    record = written["governance"]
    assert result.returncode == BAD_INPUT, result.stdout[-2000:] + result.stderr[-2000:]
    assert (
        f"does not hold DEFAULT_ADMIN_ROLE on AAPLx: the timelock {record['timelock']} does; "
        f"the Safe {record['safe']} schedules the call there and executes it 3600 s later"
    ) in last_error_line(result)
    assert aapl_paused(nodes[0], written)


def test_the_guardians_own_unpause_reverts_with_the_access_control_error(nodes, paused_by_the_guardian):
    out, written = paused_by_the_guardian
    with Suite.from_manifest(out, nodes[0].uri) as suite, suite.connected():
        from ape import project

        certificate = project.TrackerCertificate.at(written["assets"]["AAPLx"]["token"])
        with reverts(certificate.AccessControlUnauthorizedAccount, account=GUARDIAN, neededRole=ADMIN):
            certificate.unpause(sender=suite.test_account(GUARDIAN_INDEX))
        assert certificate.paused()


def test_the_safe_unpauses_through_the_timelock_after_the_delay(nodes, paused_by_the_guardian, tmp_path):
    """Safe proposal (two owners of three) -> `schedule` -> the delay -> `execute` -> unpaused; the
    execution is refused before the delay. The hour passes inside a node snapshot, reverted after
    (the node is shared with the other modules; anvil's revert restores its clock too)."""
    from ape import project

    from tokenized_stocks.governance import proposals
    from tokenized_stocks.governance.proposals import TimelockOperation
    from tokenized_stocks.governance.safe import container, register_with_ape_safe, safe_account

    out, written = paused_by_the_guardian
    record = written["governance"]
    snapshot = nodes[0].rpc("evm_snapshot")
    try:
        with Suite.from_manifest(out, nodes[0].uri) as suite, suite.connected():
            manifest = suite.manifest
            register_with_ape_safe(
                container("SafeL2").at(manifest.address("Safe.Singleton")),
                container("SafeProxyFactory").at(manifest.address("Safe.ProxyFactory")),
            )
            safe = safe_account(
                record["safe"], tmp_path, handler=manifest.address("Safe.FallbackHandler"), local_service=True
            )
            first, second, third = (suite.test_account(i) for i in OWNER_INDEXES)
            # the manifest's 2-of-3 Safe, as ape-safe reads it
            assert safe.version.base_version == record["safe_version"]
            assert (safe.confirmations_required, set(safe.signers)) == (2, set(OWNERS))
            timelock = project.GovernanceTimelock.at(record["timelock"])
            certificate = project.TrackerCertificate.at(written["assets"]["AAPLx"]["token"])
            op = TimelockOperation.of(certificate, "unpause")

            def signed(call, proposer, confirmer):
                """A Safe transaction making `call`, signed by two owners (the threshold)."""
                safe_tx_id = proposals.propose(safe, call, proposer)
                proposals.confirm(safe, safe_tx_id, confirmer)
                return safe_tx_id

            scheduled = proposals.execute(
                safe, signed(op.schedule_call(timelock, 3600), first, second), first
            )
            assert [log.id for log in scheduled.decode_logs(timelock.CallScheduled)] == [op.id]
            execution = signed(op.execute_call(timelock), second, third)
            with reverts(timelock.TimelockUnexpectedOperationState, operationId=op.id, expectedStates=READY):
                proposals.execute(safe, execution, second)
            assert certificate.paused()

            nodes[0].rpc("evm_increaseTime", 3600)
            nodes[0].rpc("evm_mine")  # the delay is over in the latest block (the gas estimate's)
            # the same Safe transaction, once the delay is over
            executed = proposals.execute(safe, execution, second)
            assert executed.decode_logs(certificate.Unpaused) == [
                certificate.Unpaused(account=timelock.address)
            ]
            assert not certificate.paused()
    finally:
        nodes[0].rpc("evm_revert", snapshot)
