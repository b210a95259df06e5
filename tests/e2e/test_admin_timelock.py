"""`ape run admin ... --safe` on a governed deployment: a dangerous power is scheduled on the
timelock through the Safe, waits its delay, then `ape run admin timelock execute` proposes its
execution. Deployed by `ape run deploy --governance safe` (a 2-of-3 Safe 1.5.0 of test accounts
16-18, a one-hour timelock). On a local chain ape-safe's transaction service keeps nothing between
commands, so each owner runs the same command: the salt is derived from the Safe's nonce, so every
owner signs the same SafeTx, and the test submits it with the signatures the commands returned.

The module's state flows through its fixtures: the guardian pauses AAPLx; unpause (one call) and
TSLArs's limits (a batch) are scheduled; the off-ramp timeout is scheduled and cancelled; the hour
passes; both operations execute. Everything runs inside a node snapshot reverted at the end (the
node and its clock are shared with the other modules)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from ape.exceptions import ContractLogicError
from test_scripts import last_error_line, on, run_in_process

from tokenized_stocks.cli.errors import BAD_INPUT
from tokenized_stocks.client import Suite
from tokenized_stocks.governance.proposals import ZERO32, TimelockOperation, operation_salt

DELAY = 3600
OWNERS = (16, 17)  # two of the Safe's three owners: its threshold
GUARDIAN = 6
TRANSFER_AGENT = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"  # test account 3
ZERO = "0x" + "00" * 20
LISTINGS = """\
governance:
  threshold: 2
  min_delay: 3600
assets:
  - key: AAPLx
    isin: US0378331005
    ticker: AAPL
    architecture: tracker_certificate
    initial_reserves: 1000000
  - key: NVDAon
    isin: US67066G1040
    ticker: NVDA
    architecture: mint_on_order
    reference_price: 180.25
  - key: TSLArs
    isin: US88160R1014
    ticker: TSLA
    architecture: registry_share
    allowed_countries: [840, 826]
    max_holders: 2000
"""


@pytest.fixture(scope="module")
def governed(nodes, tmp_path_factory) -> Iterator[tuple[Path, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("timelocked")
    (folder / "listings.yaml").write_text(LISTINGS)
    out = folder / "deployments"
    snapshot = nodes[0].rpc("evm_snapshot")
    try:
        result = run_in_process(
            "deploy", *on(nodes[0]), "--out", str(out), "--listings", str(folder / "listings.yaml"),
            "--governance", "safe",
        )  # fmt: skip
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        yield out, json.loads((out / "31337" / "manifest.json").read_text())
    finally:
        nodes[0].rpc("evm_revert", snapshot)


@pytest.fixture(scope="module")
def admin(nodes, governed):
    """Runs `ape run admin <command...>` on the governed deployment as test account `sender`."""
    out, _ = governed

    def run(*command: str, sender: int | None = OWNERS[0]) -> Any:
        words = 2 if command[0] == "timelock" else 1  # the subcommand, then its options
        account = ["--test-account", str(sender)] if sender is not None else []
        return run_in_process(
            "admin", *command[:words], *on(nodes[0]), "--manifests", str(out), *account, *command[words:]
        )

    return run


@pytest.fixture(scope="module")
def on_chain(nodes, governed) -> Callable[[], Any]:
    """Chain A for a block: `with on_chain() as (suite, c)`, `c` the deployment's contracts. Opened
    and closed each time (a connection held across the module would outlive its in-process runs)."""
    out, written = governed

    @contextmanager
    def opened() -> Iterator[tuple[Suite, dict[str, Any]]]:
        with Suite.from_manifest(out, nodes[0].uri) as suite, suite.connected():
            yield suite, contracts(written)

    return opened


def result_of(process: Any) -> dict[str, Any]:
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    return json.loads(process.stdout.strip().splitlines()[-1])


def contracts(written: dict[str, Any]) -> dict[str, Any]:
    from ape import project

    from tokenized_stocks.governance.safe import container

    record = written["governance"]
    return {
        "safe": container("SafeL2").at(record["safe"]),
        "timelock": project.GovernanceTimelock.at(record["timelock"]),
        "AAPLx": project.TrackerCertificate.at(written["assets"]["AAPLx"]["token"]),
        "TSLArs": project.RegistryShare.at(written["assets"]["TSLArs"]["token"]),
        "adapter": project.TraditionalLedgerAdapter.at(written["contracts"]["TraditionalLedgerAdapter"]["address"]),
    }  # fmt: skip


def proposals(admin, *command: str) -> list[dict[str, Any]]:
    """The same command run by each of the two owners: their outcomes (the same SafeTx, each signed)."""
    return [result_of(admin(*command, "--json", sender=owner)) for owner in OWNERS]


def submit(on_chain: Callable[[], Any], outcomes: list[dict[str, Any]], refused: str | None = None) -> Any:
    """The SafeTx the outcomes propose, submitted with their owners' signatures (by the deployer).
    `refused`: the Safe's revert reason expected instead (caught inside the connection: a provider
    context left by an exception would break the next module's in-process runs)."""
    tx = outcomes[0]["safe_txs"][0]
    assert {o["safe_txs"][0]["safe_tx_hash"] for o in outcomes} == {tx["safe_tx_hash"]}
    ordered = sorted((o["safe_txs"][0]["proposer"].lower(), o["safe_txs"][0]["signature"]) for o in outcomes)
    signatures = b"".join(bytes.fromhex(sig[2:]) for _, sig in ordered)
    with on_chain() as (suite, c):
        args = (tx["to"], 0, tx["data"], 0, 0, 0, 0, ZERO, ZERO, signatures)
        if refused is None:
            return c["safe"].execTransaction(*args, sender=suite.test_account(0))
        with pytest.raises(ContractLogicError, match=refused):
            c["safe"].execTransaction(*args, sender=suite.test_account(0))
        return None


def status(admin, operation_id: str) -> dict[str, Any]:
    return result_of(admin("timelock", "status", "--operation", operation_id, "--json", sender=None))


# -- scheduling ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def paused(admin, on_chain, governed) -> None:
    """AAPLx paused by the guardian (at once, its own key)."""
    result = result_of(admin("pause", "--asset", "AAPLx", "--json", sender=GUARDIAN))
    assert result["mode"] == "sent"


@pytest.fixture(scope="module")
def safe(governed) -> str:
    """The issuer's Safe, as the manifest records it."""
    return governed[1]["governance"]["safe"]


@pytest.fixture(scope="module")
def unpause_proposed(paused, admin, safe) -> list[dict[str, Any]]:
    return proposals(admin, "unpause", "--asset", "AAPLx", "--safe", safe)


def test_a_dangerous_power_with_safe_is_proposed_as_a_timelock_schedule(unpause_proposed, on_chain, governed):
    _, written = governed
    outcome = unpause_proposed[0]
    scheduled = outcome["timelock"]
    with on_chain() as (_, c):
        op = TimelockOperation.of(
            c["AAPLx"], "unpause", salt=operation_salt(c["safe"].address, scheduled["safe_nonce"])
        )
        assert (outcome["mode"], outcome["acting"]) == ("proposed", str(c["timelock"].address))
        assert [call["function"] for call in outcome["calls"]] == ["unpause"]
        (tx,) = outcome["safe_txs"]
        assert tx["to"] == str(c["timelock"].address)
        assert tx["data"] == "0x" + bytes(c["timelock"].schedule.encode_input(*op.schedule_args(DELAY))).hex()
        assert scheduled["operation_id"] == "0x" + op.id.hex()
        assert op.id == bytes(c["timelock"].hashOperation(op.target, 0, op.data, ZERO32, op.salt))
        assert (scheduled["function"], scheduled["delay"]) == ("schedule", DELAY)
        assert scheduled["next"] == f"ape run admin timelock execute --operation {scheduled['operation_id']}"
        assert c["AAPLx"].paused()  # scheduled, not executed


def test_every_owner_running_the_command_derives_the_same_safe_tx(unpause_proposed):
    first, second = unpause_proposed
    assert first["timelock"]["operation_id"] == second["timelock"]["operation_id"]
    assert first["safe_txs"][0]["safe_tx_hash"] == second["safe_txs"][0]["safe_tx_hash"]
    assert first["safe_txs"][0]["signature"] != second["safe_txs"][0]["signature"]


def test_a_proposal_is_unknown_to_the_timelock_until_the_safe_executes_it(unpause_proposed, admin):
    found = status(admin, unpause_proposed[0]["timelock"]["operation_id"])
    assert (found["state"], found["calls"]) == ("unset", [])


def test_one_owners_signature_does_not_schedule(unpause_proposed, on_chain, governed):
    submit(on_chain, unpause_proposed[:1], refused="GS020")  # GS020: signatures below the threshold


@pytest.fixture(scope="module")
def unpause_scheduled(unpause_proposed, on_chain, governed) -> tuple[str, Any]:
    """The schedule, signed by two owners and executed on the Safe: (operation id, receipt)."""
    return unpause_proposed[0]["timelock"]["operation_id"], submit(on_chain, unpause_proposed)


def test_two_owners_schedule_the_operation_in_public(unpause_scheduled, on_chain, governed):
    operation_id, receipt = unpause_scheduled
    with on_chain() as (_, c):
        assert receipt.decode_logs(c["timelock"].CallScheduled) == [
            c["timelock"].CallScheduled(
                id=operation_id, index=0, target=c["AAPLx"].address, value=0,
                data=c["AAPLx"].unpause.encode_input(), predecessor=ZERO32, delay=DELAY,
            )
        ]  # fmt: skip
        assert c["AAPLx"].paused()


def test_the_status_of_a_scheduled_operation_is_waiting_with_its_calls(
    unpause_scheduled, admin, on_chain, governed
):
    found = status(admin, unpause_scheduled[0])
    assert found["state"] == "waiting" and 0 < found["seconds_left"] <= DELAY
    with on_chain() as (_, c):
        certificate = c["AAPLx"]
        assert found["calls"] == [
            {"to": str(certificate.address), "value": 0, "data": "0x" + bytes(certificate.unpause.encode_input()).hex()}
        ]  # fmt: skip


def test_executing_before_the_delay_is_refused_with_the_time_left(unpause_scheduled, admin):
    process = admin("timelock", "execute", "--operation", unpause_scheduled[0])
    assert process.returncode == BAD_INPUT
    line = last_error_line(process)
    assert f"cannot execute operation {unpause_scheduled[0]}: it is not ready: " in line
    assert " left (ready at " in line and line.endswith("nothing sent")
    assert process.stdout.strip() == ""


@pytest.fixture(scope="module")
def limits_scheduled(unpause_scheduled, admin, on_chain, governed, safe) -> tuple[list[dict[str, Any]], Any]:
    """TSLArs's holder cap and holding limits: two calls of one command, one batch, scheduled."""
    outcomes = proposals(admin, "set-limits", "--asset", "TSLArs", "--max-holders", "500", "--min-holding", "1", "--safe", safe)  # fmt: skip
    return outcomes, submit(on_chain, outcomes)


def test_several_calls_of_one_command_are_one_batch(limits_scheduled, on_chain, governed, admin):
    outcomes, receipt = limits_scheduled
    scheduled = outcomes[0]["timelock"]
    with on_chain() as (_, c):
        share = c["TSLArs"]
        payloads = [
            bytes(share.setMaxHolders.encode_input(500)),
            bytes(share.setHoldingLimits.encode_input(1, 0)),
        ]
        expected = c["timelock"].hashOperationBatch(
            [share.address] * 2, [0, 0], payloads, ZERO32, scheduled["salt"]
        )
        assert scheduled["function"] == "scheduleBatch"
        assert scheduled["operation_id"] == "0x" + bytes(expected).hex()
        assert [log.index for log in receipt.decode_logs(c["timelock"].CallScheduled)] == [0, 1]
        assert share.maxHolders() == 2000
    found = status(admin, scheduled["operation_id"])
    assert [call["data"] for call in found["calls"]] == ["0x" + p.hex() for p in payloads]


# -- cancelling ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def off_ramp_cancelled(limits_scheduled, admin, on_chain, governed, safe) -> tuple[str, Any]:
    """The off-ramp timeout (3 days) scheduled, then cancelled through the Safe."""
    scheduling = proposals(admin, "set-off-ramp-timeout", "--timeout", "3d", "--safe", safe)
    submit(on_chain, scheduling)
    operation_id = scheduling[0]["timelock"]["operation_id"]
    cancelling = proposals(admin, "timelock", "cancel", "--operation", operation_id)
    return operation_id, submit(on_chain, cancelling)


def test_a_cancelled_operation_is_gone_and_its_execution_is_refused(
    off_ramp_cancelled, admin, on_chain, governed
):
    operation_id, receipt = off_ramp_cancelled
    with on_chain() as (_, c):
        assert receipt.decode_logs(c["timelock"].Cancelled) == [c["timelock"].Cancelled(id=operation_id)]
        assert c["adapter"].offRampTimeout() == 7 * 86_400
    assert status(admin, operation_id)["state"] == "cancelled"
    process = admin("timelock", "execute", "--operation", operation_id)
    assert process.returncode == BAD_INPUT
    assert last_error_line(process) == (
        f"error: cannot execute operation {operation_id}: it was cancelled: nothing sent"
    )


# -- after the delay ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def delay_passed(unpause_scheduled, limits_scheduled, off_ramp_cancelled, nodes) -> None:
    nodes[0].rpc("evm_increaseTime", DELAY)
    nodes[0].rpc("evm_mine")  # the latest block (the state and the gas estimate read it) is past the delay


@pytest.fixture(scope="module")
def unpause_executed(
    delay_passed, unpause_scheduled, admin, on_chain, governed
) -> tuple[list[dict[str, Any]], Any]:
    outcomes = proposals(admin, "timelock", "execute", "--operation", unpause_scheduled[0])
    return outcomes, submit(on_chain, outcomes)


def test_a_ready_operation_reads_ready(delay_passed, unpause_scheduled, admin):
    assert status(admin, unpause_scheduled[0])["state"] == "ready"


def test_after_the_delay_the_execution_unpauses_the_asset(unpause_executed, on_chain, governed):
    outcomes, receipt = unpause_executed
    assert [call["function"] for call in outcomes[0]["calls"]] == ["execute"]
    with on_chain() as (_, c):
        assert receipt.decode_logs(c["AAPLx"].Unpaused) == [
            c["AAPLx"].Unpaused(account=c["timelock"].address)
        ]
        assert not c["AAPLx"].paused()


def test_a_dry_run_of_a_ready_execution_estimates_it_and_proposes_nothing(
    delay_passed, limits_scheduled, admin
):
    operation_id = limits_scheduled[0][0]["timelock"]["operation_id"]
    outcome = result_of(admin("timelock", "execute", "--operation", operation_id, "--dry-run", "--json"))
    assert (outcome["mode"], outcome["safe_txs"]) == ("dry-run", [])
    (call,) = outcome["calls"]
    assert call["function"] == "executeBatch" and call["gas"] > 21_000  # from the Safe, the executor
    assert status(admin, operation_id)["state"] == "ready"


def test_a_batch_executes_every_call_at_once(delay_passed, limits_scheduled, admin, on_chain, governed):
    operation_id = limits_scheduled[0][0]["timelock"]["operation_id"]
    outcomes = proposals(admin, "timelock", "execute", "--operation", operation_id)
    assert [call["function"] for call in outcomes[0]["calls"]] == ["executeBatch"]
    receipt = submit(on_chain, outcomes)
    with on_chain() as (_, c):
        share = c["TSLArs"]
        assert receipt.decode_logs(share.MaxHoldersSet) == [share.MaxHoldersSet(maxHolders=500)]
        assert receipt.decode_logs(share.HoldingLimitsSet) == [
            share.HoldingLimitsSet(minHolding=1, maxHolding=0)
        ]
        assert share.maxHolders() == 500 and share.rules().minHolding == 1


def test_a_done_operation_is_refused(unpause_executed, unpause_scheduled, admin):
    assert status(admin, unpause_scheduled[0])["state"] == "done"
    process = admin("timelock", "execute", "--operation", unpause_scheduled[0])
    assert process.returncode == BAD_INPUT
    assert "it was already executed: nothing sent" in last_error_line(process)


# -- refused in one line ------------------------------------------------------------------------


def test_an_unknown_operation_is_refused(governed, admin):
    unknown = "0x" + "42" * 32
    process = admin("timelock", "execute", "--operation", unknown)
    assert process.returncode == BAD_INPUT
    assert f"cannot execute operation {unknown}: it is unknown to the timelock" in last_error_line(process)


@pytest.mark.parametrize("operation", ["0x12", "not-hex", "0x" + "42" * 33])
def test_a_malformed_operation_id_is_refused(governed, admin, operation):
    process = admin("timelock", "status", "--operation", operation, sender=None)
    assert process.returncode == BAD_INPUT
    assert "an operation id is 32 bytes of hex" in last_error_line(process)


def test_a_routine_power_the_safe_lacks_names_its_holder(governed, admin, safe):
    process = admin("freeze-tokens", "--asset", "AAPLx", "--wallet", ZERO[:-1] + "1", "--amount", "1", "--safe", safe)  # fmt: skip
    assert process.returncode == BAD_INPUT
    line = last_error_line(process)
    assert f"the Safe {safe} does not hold TRANSFER_AGENT_ROLE on AAPLx, nor does the timelock" in line
    assert f"{TRANSFER_AGENT} holds it" in line


@pytest.mark.parametrize(
    ("timeout", "message"),
    [("31d", "bad NVDAon cancel timeout 31d: from 1h to 30d"), ("30m", "bad NVDAon cancel timeout 30m: from 1h to 30d"),
     ("3x", "bad --timeout '3x'"), ("3600", "bad --timeout '3600'")],
    ids=["above", "below", "no-unit", "bare-number"],
)  # fmt: skip
def test_a_cancel_timeout_out_of_bounds_or_unreadable_is_refused(governed, admin, timeout, message, safe):
    process = admin("set-cancel-timeout", "--asset", "NVDAon", "--timeout", timeout, "--safe", safe)
    assert process.returncode == BAD_INPUT
    assert message in last_error_line(process)


def test_a_cancel_timeout_is_scheduled_with_its_duration(governed, admin, on_chain, safe):
    (outcome, _) = proposals(
        admin, "set-cancel-timeout", "--asset", "NVDAon", "--timeout", "12h", "--safe", safe
    )
    (call,) = outcome["calls"]
    assert (call["contract"], call["function"], call["args"]) == (
        "NVDAon.Vault",
        "setCancelTimeout",
        [43_200],
    )
    assert outcome["timelock"]["function"] == "schedule"


def test_a_dry_run_shows_the_operation_and_proposes_nothing(governed, admin, on_chain, safe):
    outcome = result_of(
        admin("set-off-ramp-timeout", "--timeout", "2d", "--safe", safe, "--dry-run", "--json")
    )
    assert (outcome["mode"], outcome["safe_txs"]) == ("dry-run", [])
    assert outcome["acting"] == governed[1]["governance"]["timelock"]
    (call,) = outcome["calls"]
    assert call["function"] == "setOffRampTimeout" and call["gas"] > 21_000  # from the timelock
    assert outcome["timelock"]["operation_id"].startswith("0x")


def test_the_text_output_names_the_operation_its_earliest_time_and_the_next_command(governed, admin, safe):
    process = admin("set-cancel-timeout", "--asset", "NVDAon", "--timeout", "1d 12h", "--safe", safe)
    assert process.returncode == 0, process.stdout[-2000:] + process.stderr[-2000:]
    text = " ".join(process.stdout.split())
    assert f"proposed to Safe {safe}: nonce " in text
    assert "timelock operation 0x" in text and "(schedule, salt 0x" in text
    assert "runs 1h after the Safe executes the schedule, at the earliest " in text
    assert "then: ape run admin timelock execute --operation 0x" in text
    assert " --network ethereum:chaina:" in text  # the network the command ran on
    assert "done:" not in text


# -- linking a peer chain after the hand-over ---------------------------------------------------

PEER = 4242
PEER_GATEWAY = "0x00000000000000000000000000000000000a4242"  # its EIP-55 form


@pytest.fixture(scope="module")
def peer_manifest(governed) -> str:
    """A peer chain's manifest beside A's (chain 4242, its gateway at `PEER_GATEWAY`)."""
    out, written = governed
    peer = json.loads(json.dumps(written))
    peer["chain_id"] = PEER
    peer["contracts"]["Gateway"]["address"] = PEER_GATEWAY
    (out / str(PEER)).mkdir(exist_ok=True)
    (out / str(PEER) / "manifest.json").write_text(json.dumps(peer))
    return PEER_GATEWAY


def test_linking_a_peer_is_a_timelock_power_a_single_owner_key_lacks(peer_manifest, admin):
    process = admin("link-peer", "--peer", str(PEER))

    assert process.returncode == BAD_INPUT
    assert "DEFAULT_ADMIN_ROLE" in last_error_line(process) and "timelock" in last_error_line(process)


def test_linking_a_peer_with_safe_schedules_set_remote_gateway(peer_manifest, admin, safe):
    (outcome, _) = proposals(admin, "link-peer", "--peer", str(PEER), "--safe", safe)

    (call,) = outcome["calls"]
    assert (call["contract"], call["function"], call["args"]) == (
        "Gateway",
        "setRemoteGateway",
        [PEER, PEER_GATEWAY],
    )
    assert outcome["timelock"]["function"] == "schedule" and outcome["mode"] == "proposed"


@pytest.mark.parametrize(
    ("peer", "message"),
    [("31337", "chain 31337 is this chain"), ("777", "no deployment manifest for chain 777")],
)
def test_linking_this_chain_or_a_chain_without_a_manifest_is_refused(governed, admin, safe, peer, message):
    process = admin("link-peer", "--peer", peer, "--safe", safe)

    assert process.returncode == BAD_INPUT
    assert message in last_error_line(process)
