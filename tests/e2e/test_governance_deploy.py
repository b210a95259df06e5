"""`ape run deploy --governance safe`: the suite deployed, then handed over to a timelock whose
proposer is a 2-of-3 Safe (test accounts 16-18 on a local chain), all recorded in the manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_scripts import last_error_line, on, run_in_process
from test_scripts_deploy_options import AAPL, GUARDIAN, contract

DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # test account 0
OWNERS = [  # test accounts 16-18
    "0x2546BcD3c84621e976D8185a91A922aE77ECEc30",
    "0xbDA5747bFD65F08deb54cb465eB87D40e51B197E",
    "0xdD2FD4581271e230360230F9337D5c0430Bf44C0",
]
ADMIN = b"\x00" * 32


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
