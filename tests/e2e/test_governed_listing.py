"""A stock listed on a deployment already handed over to its Safe and timelock (`ape run deploy
--add`, then `ape run admin complete-listing --safe`).

After the hand-over the deployer is no admin of the suite's shared contracts, so the listing's
calls on them (registering it on the gateway, its gateway limits, listing it on the desk or the
ledger adapter, subscribing it to the sanctions list) are recorded in the manifest instead of sent,
and the listing's own new contracts are handed over to the same timelock and guardian. A Safe owner
proposes the recorded calls as one timelock batch; after the delay it runs, all or nothing.

Deployed by `ape run deploy --governance safe` with one certificate (a 2-of-3 Safe 1.5.0 of test
accounts 16-18, a one-hour timelock), then a certificate and a mint-on-order stock are added.
Everything runs inside a node snapshot reverted at the end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_scripts import last_error_line, on, run_in_process

from tokenized_stocks.cli.errors import BAD_INPUT
from tokenized_stocks.client import Suite
from tokenized_stocks.protocol.roles import DEFAULT_ADMIN_ROLE, PAUSER_ROLE

DELAY = 3600
OWNERS = (16, 17)  # two of the Safe's three owners: its threshold
GUARDIAN = "0x976EA74026E726554dB657fA54763abd0C3a0aa9"  # test account 6, the deploy's guardian
ZERO = "0x" + "00" * 20
GOVERNANCE = """\
governance:
  threshold: 2
  min_delay: 3600
assets:
  - key: AAPLx
    isin: US0378331005
    ticker: AAPL
    architecture: tracker_certificate
    initial_reserves: 1000000
"""
ADDED = """\
  - key: MSFTx
    isin: US5949181045
    ticker: MSFT
    architecture: tracker_certificate
    initial_reserves: 500000
  - key: NVDAon
    isin: US67066G1040
    ticker: NVDA
    architecture: mint_on_order
    reference_price: 180.25
"""
#: The steps of each added listing that only the timelock may make, in order.
AWAITED = {
    "MSFTx": [
        ("MSFTx: subscribe to SanctionsList", "SanctionsList", "addSubscriber"),
        ("MSFTx: register on the gateway", "Gateway", "registerAsset"),
        ("MSFTx: gateway outbound rate limit", "Gateway", "setRateLimit"),
        ("MSFTx: gateway inbound rate limit", "Gateway", "setRateLimit"),
        ("MSFTx: list on the ledger adapter", "TraditionalLedgerAdapter", "setAssetListed"),
    ],
    "NVDAon": [
        ("NVDAon: list on the order desk", "OrderDesk", "listAsset"),
        ("NVDAon: register the vault on the order desk", "OrderDesk", "setVault"),
        ("NVDAon: register on the gateway", "Gateway", "registerAsset"),
        ("NVDAon: gateway outbound rate limit", "Gateway", "setRateLimit"),
        ("NVDAon: gateway inbound rate limit", "Gateway", "setRateLimit"),
        ("NVDAon: list on the ledger adapter", "TraditionalLedgerAdapter", "setAssetListed"),
    ],
}


def result_of(process: Any) -> dict[str, Any]:
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    return json.loads(process.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def folder(nodes, tmp_path_factory) -> Iterator[Path]:
    """The governed deployment of AAPLx (its manifests in `folder / "deployments"`)."""
    folder = tmp_path_factory.mktemp("governed-listing")
    (folder / "listings.yaml").write_text(GOVERNANCE)
    snapshot = nodes[0].rpc("evm_snapshot")
    try:
        result_of(
            run_in_process(
                "deploy", *on(nodes[0]), "--manifests", str(folder / "deployments"),
                "--listings", str(folder / "listings.yaml"), "--governance", "safe", "--json",
            )
        )  # fmt: skip
        yield folder
    finally:
        nodes[0].rpc("evm_revert", snapshot)


@pytest.fixture(scope="module")
def added(nodes, folder) -> dict[str, Any]:
    """`ape run deploy --add` of MSFTx and NVDAon (no --governance: the manifest says it is governed)."""
    (folder / "listings.yaml").write_text(GOVERNANCE + ADDED)
    return result_of(
        run_in_process(
            "deploy", *on(nodes[0]), "--manifests", str(folder / "deployments"),
            "--listings", str(folder / "listings.yaml"), "--add", "--json",
        )
    )  # fmt: skip


def manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "deployments" / "31337" / "manifest.json").read_text())


def admin(nodes, folder: Path, *command: str, sender: int = OWNERS[0]) -> Any:
    return run_in_process(
        "admin", command[0], *on(nodes[0]), "--manifests", str(folder / "deployments"),
        "--test-account", str(sender), *command[1:],
    )  # fmt: skip


def contracts(suite: Suite, written: dict[str, Any]) -> dict[str, Any]:
    from ape import project

    from tokenized_stocks.governance.safe import container

    def at(name: str, kind: str) -> Any:
        return getattr(project, kind).at(written["contracts"][name]["address"])

    return {
        "safe": container("SafeL2").at(written["governance"]["safe"]),
        "timelock": project.GovernanceTimelock.at(written["governance"]["timelock"]),
        "gateway": at("Gateway", "Gateway"),
        "desk": at("OrderDesk", "OrderDesk"),
        "sanctions": at("SanctionsList", "SanctionsList"),
        "adapter": at("TraditionalLedgerAdapter", "TraditionalLedgerAdapter"),
        "MSFTx": project.TrackerCertificate.at(written["assets"]["MSFTx"]["token"]),
        "MSFTx.Vault": at("MSFTx.Vault", "CertificateVault"),
        "NVDAon": project.OrderToken.at(written["assets"]["NVDAon"]["token"]),
        "NVDAon.Vault": at("NVDAon.Vault", "OrderVault"),
    }


def submit(nodes, folder: Path, outcomes: list[dict[str, Any]]) -> Any:
    """The SafeTx the owners' outcomes propose, submitted with their signatures (by account 0)."""
    tx = outcomes[0]["safe_txs"][0]
    assert {o["safe_txs"][0]["safe_tx_hash"] for o in outcomes} == {tx["safe_tx_hash"]}
    ordered = sorted((o["safe_txs"][0]["proposer"].lower(), o["safe_txs"][0]["signature"]) for o in outcomes)
    signatures = b"".join(bytes.fromhex(sig[2:]) for _, sig in ordered)
    written = manifest(folder)
    with Suite.from_manifest(folder / "deployments", nodes[0].uri) as suite, suite.connected():
        safe = contracts(suite, written)["safe"]
        args = (tx["to"], 0, tx["data"], 0, 0, 0, 0, ZERO, ZERO, signatures)
        return safe.execTransaction(*args, sender=suite.test_account(0))


def proposals(nodes, folder: Path, *command: str) -> list[dict[str, Any]]:
    """The same command run by each of the two owners: their outcomes (the same SafeTx, each signed)."""
    return [result_of(admin(nodes, folder, *command, "--json", sender=owner)) for owner in OWNERS]


@pytest.fixture(scope="module")
def completed(nodes, folder, added) -> dict[str, list[dict[str, Any]]]:
    """Each added listing's recorded calls scheduled through the Safe, the hour passed, executed:
    the owners' outcomes of `complete-listing` and of `timelock execute`, by listing."""
    safe = manifest(folder)["governance"]["safe"]
    outcomes = {}
    for key in AWAITED:
        scheduling = proposals(nodes, folder, "complete-listing", "--asset", key, "--safe", safe)
        submit(nodes, folder, scheduling)
        outcomes[key] = scheduling
    nodes[0].rpc("evm_increaseTime", DELAY)
    nodes[0].rpc("evm_mine")
    for scheduling in outcomes.values():
        operation = scheduling[0]["timelock"]["operation_id"]
        run = [
            result_of(
                run_in_process(
                    "admin", "timelock", "execute", *on(nodes[0]), "--manifests", str(folder / "deployments"),
                    "--test-account", str(owner), "--operation", operation, "--json",
                )
            )
            for owner in OWNERS
        ]  # fmt: skip
        submit(nodes, folder, run)
    return outcomes


# -- deploy --add on a governed deployment -------------------------------------------------------


def test_a_dry_run_of_the_add_lists_what_it_leaves_to_the_timelock_and_sends_nothing(nodes, folder):
    (folder / "listings.yaml").write_text(GOVERNANCE + ADDED)
    before = (folder / "deployments" / "31337" / "manifest.json").read_text()
    report = result_of(
        run_in_process(
            "deploy", *on(nodes[0]), "--manifests", str(folder / "deployments"),
            "--listings", str(folder / "listings.yaml"), "--add", "--dry-run", "--json",
        )
    )  # fmt: skip
    assert (report["status"], report["sent"]) == ("dry-run", 0)
    assert report["left_to_timelock"] == [step for steps in AWAITED.values() for step, _, _ in steps]
    planned = {row["name"] for row in report["steps"]}
    assert not planned & set(report["left_to_timelock"])
    assert "MSFTx: grant DEFAULT_ADMIN_ROLE to the timelock" in planned
    assert (folder / "deployments" / "31337" / "manifest.json").read_text() == before


def test_adding_to_a_governed_deployment_records_the_calls_only_the_timelock_may_make(added, folder):
    assert added["added"] == ["MSFTx", "NVDAon"]
    written = manifest(folder)
    for key, steps in AWAITED.items():
        recorded = written["assets"][key]["awaiting_timelock"]
        assert [(c["step"], c["contract"], c["function"]) for c in recorded] == steps
        assert all(c["to"] == written["contracts"][c["contract"]]["address"] for c in recorded)
        assert not set(written["steps_done"]) & {step for step, _, _ in steps}
    assert "awaiting_timelock" not in written["assets"]["AAPLx"]  # listed by its deployer


def test_adding_to_a_governed_deployment_says_how_to_complete_each_listing(added, folder):
    safe = manifest(folder)["governance"]["safe"]
    for key, steps in AWAITED.items():
        (notice,) = [n for n in added["notices"] if n.startswith(f"{key}: ")]
        assert f"{len(steps)} calls of its listing need the timelock" in notice
        assert f"ape run admin complete-listing --asset {key} --safe {safe}" in notice


def test_the_added_listings_contracts_are_handed_over_to_the_timelock_and_the_guardian(nodes, added, folder):
    """The guardian pauses those that pause (the certificate's vault has no pause of its own)."""
    written = manifest(folder)
    deployer, timelock = written["deployer"], written["governance"]["timelock"]
    with Suite.from_manifest(folder / "deployments", nodes[0].uri) as suite, suite.connected():
        c = contracts(suite, written)
        for name in ("MSFTx", "MSFTx.Vault", "NVDAon", "NVDAon.Vault"):
            assert c[name].hasRole(DEFAULT_ADMIN_ROLE, timelock), name
            assert not c[name].hasRole(DEFAULT_ADMIN_ROLE, deployer), name
            if any(m.name == "PAUSER_ROLE" for m in c[name].contract_type.view_methods):
                assert c[name].hasRole(PAUSER_ROLE, GUARDIAN), name
                assert not c[name].hasRole(PAUSER_ROLE, deployer), name


def test_until_the_timelock_runs_the_shared_contracts_do_not_know_the_added_listings(nodes, added, folder):
    written = manifest(folder)
    with Suite.from_manifest(folder / "deployments", nodes[0].uri) as suite, suite.connected():
        c = contracts(suite, written)
        for key in AWAITED:
            assert str(c["gateway"].asset(written["assets"][key]["asset_id"])[0]) == ZERO
            assert not c["adapter"].isListed(c[key].address)
        assert not c["sanctions"].isSubscriber(c["MSFTx"].address)


# -- admin complete-listing ------------------------------------------------------------------------


def test_complete_listing_proposes_the_recorded_calls_as_one_timelock_batch(completed, folder):
    written = manifest(folder)
    for key, (first, second) in completed.items():
        recorded = written["assets"][key]["awaiting_timelock"]
        assert (first["mode"], first["acting"]) == ("proposed", written["governance"]["timelock"])
        assert [(c["contract"], c["function"], c["data"]) for c in first["calls"]] == [
            (r["contract"], r["function"], r["data"]) for r in recorded
        ]
        assert first["timelock"]["function"] == "scheduleBatch"
        assert first["timelock"]["operation_id"] == second["timelock"]["operation_id"]


def test_after_the_delay_the_batch_completes_each_listing(nodes, completed, folder):
    written = manifest(folder)
    with Suite.from_manifest(folder / "deployments", nodes[0].uri) as suite, suite.connected():
        c = contracts(suite, written)
        for key in AWAITED:
            token = c[key].address
            assert str(c["gateway"].asset(written["assets"][key]["asset_id"])[0]) == token
            for inbound in (False, True):
                limit = c["gateway"].rateLimit(written["assets"][key]["asset_id"], inbound)
                assert (limit.capacity, limit.ratePerSecond) == (1_000_000 * 10**18, 100 * 10**18)
            assert c["adapter"].isListed(token)
        assert c["sanctions"].isSubscriber(c["MSFTx"].address)
        assert (
            str(c["desk"].assetConfig(written["assets"]["NVDAon"]["asset_id"]).token) == c["NVDAon"].address
        )


def test_complete_listing_after_the_batch_ran_sends_nothing(nodes, completed, folder):
    safe = manifest(folder)["governance"]["safe"]
    outcome = result_of(
        admin(nodes, folder, "complete-listing", "--asset", "MSFTx", "--safe", safe, "--json")
    )
    assert (outcome["mode"], outcome["calls"]) == ("nothing", [])


def test_complete_listing_of_a_listing_its_deployer_completed_is_refused(nodes, added, folder):
    safe = manifest(folder)["governance"]["safe"]
    process = admin(nodes, folder, "complete-listing", "--asset", "AAPLx", "--safe", safe)
    assert process.returncode == BAD_INPUT
    assert last_error_line(process) == (
        "error: AAPLx awaits nothing from the timelock: its listing was completed by the deployer (only a "
        "listing added to a governed deployment records such calls): nothing sent"
    )


def test_complete_listing_without_the_safe_is_refused_naming_the_timelock(nodes, added, folder):
    written = manifest(folder)
    process = admin(nodes, folder, "complete-listing", "--asset", "NVDAon", sender=0)
    assert process.returncode == BAD_INPUT
    line = last_error_line(process)
    assert (
        f"does not hold DEFAULT_ADMIN_ROLE on OrderDesk: the timelock {written['governance']['timelock']}"
        in line
    )
    assert line.endswith("nothing sent")


def test_a_recorded_call_edited_to_another_contract_is_refused(nodes, added, folder, tmp_path):
    """A hand-edited manifest cannot smuggle a call to another address into the Safe's batch."""
    edited = manifest(folder)
    edited["assets"]["NVDAon"]["awaiting_timelock"][0]["to"] = edited["contracts"]["Gateway"]["address"]
    copy = tmp_path / "deployments" / "31337"
    copy.mkdir(parents=True)
    (copy / "manifest.json").write_text(json.dumps(edited))
    safe = edited["governance"]["safe"]
    process = run_in_process(
        "admin", "complete-listing", *on(nodes[0]), "--manifests", str(tmp_path / "deployments"),
        "--test-account", str(OWNERS[0]), "--asset", "NVDAon", "--safe", safe,
    )  # fmt: skip
    assert process.returncode == BAD_INPUT
    assert last_error_line(process) == (
        f"error: NVDAon: a recorded call is to {edited['contracts']['Gateway']['address']}, but the manifest's "
        f"OrderDesk is {edited['contracts']['OrderDesk']['address']}: nothing sent"
    )


def test_linking_a_peer_with_deploy_on_a_governed_deployment_is_refused_naming_the_admin_command(
    nodes, folder, tmp_path
):
    """After the hand-over `deploy --peer` cannot link (the deployer is no gateway admin): it stops
    before sending anything and names `admin link-peer --safe`, instead of failing half-way."""
    written = manifest(folder)
    for chain_id in (31337, 31338):  # this chain's deployment and a peer's (same addresses)
        copy = tmp_path / "deployments" / str(chain_id)
        copy.mkdir(parents=True)
        (copy / "manifest.json").write_text(json.dumps({**written, "chain_id": chain_id}))
    before = (tmp_path / "deployments" / "31337" / "manifest.json").read_text()
    process = run_in_process(
        "deploy", *on(nodes[0]), "--manifests", str(tmp_path / "deployments"),
        "--listings", str(folder / "listings.yaml"), "--peer", "31338",
    )  # fmt: skip
    assert process.returncode == BAD_INPUT
    assert last_error_line(process) == (
        "error: the deployment on chain 31337 is governed: linking chain 31338 is a timelock power; propose it "
        f"with `ape run admin link-peer --peer 31338 --safe {written['governance']['safe']} --network ...`: "
        "nothing sent"
    )
    assert (tmp_path / "deployments" / "31337" / "manifest.json").read_text() == before
