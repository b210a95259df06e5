"""The register bridge under real operations, through the scripts on a real anvil chain:

- reconciliation during an on-ramp the register debited and no chain issued yet reports it "in
  transit" (its id and age), not as a break; past its deadline it is a break (exit 1);
- an off-ramp past its deadline is a break until the bridge expires it; two bridge processes
  started together on one state expire it exactly once and tell the register once, which
  reverses nothing it did not book and reconciles afterwards;
- a real difference is still a break with exit code 1, next to a movement in transit.

Chain A is shared with the other e2e modules: this module deploys inside a node snapshot, each
test runs inside its own snapshot, and every snapshot is reverted (anvil's revert restores the
clock the expiry test moves)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_scripts import ALICE, APE, ROOT, _alice_balance, _alice_off_ramps, fund_alice, on, run_in_process

from tokenized_stocks.protocol.identity import provisional_dti
from tokenized_stocks.register.config import RegisterSettings
from tokenized_stocks.register.service import open_register

ALICE_ACCOUNT = "ACC-ALICE"


@pytest.fixture(scope="module")
def deployed(nodes, tmp_path_factory) -> Iterator[Path]:
    """The suite on chain A alone (the register bridge and reconcile need no peer)."""
    snapshot = nodes[0].rpc("evm_snapshot")
    out = tmp_path_factory.mktemp("register-ops")
    result = run_in_process("deploy", *on(nodes[0]), "--manifests", str(out))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    yield out
    nodes[0].rpc("evm_revert", snapshot)


@pytest.fixture
def fresh(nodes, deployed) -> Iterator[Path]:
    """Each test starts from the deployment: its register traffic is reverted afterwards."""
    snapshot = nodes[0].rpc("evm_snapshot")
    yield deployed
    nodes[0].rpc("evm_revert", snapshot)


class Desk:
    """A register (book and mailboxes under `folder`) and the commands an operator runs on it."""

    def __init__(self, nodes, manifests: Path, folder: Path) -> None:
        self.nodes, self.manifests, self.folder = nodes, manifests, folder
        self.book = [
            "--db",
            str(folder / "register.sqlite"),
            "--inbox",
            str(folder / "in"),
            "--outbox",
            str(folder / "out"),
        ]
        self.bridge_args = [
            "bridge",
            *on(nodes[0]),
            "--manifests",
            str(manifests),
            "--state",
            str(folder / "bridge.sqlite"),
            "--once",
            *self.book,
        ]
        self.settings = RegisterSettings(
            db=folder / "register.sqlite", inbox=folder / "in", outbox=folder / "out"
        )

    def register(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = run_in_process("register", *args, *self.book)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def bridge(self, *extra: str) -> subprocess.CompletedProcess[str]:
        result = run_in_process("register", *self.bridge_args, *extra)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def reconcile(self) -> tuple[int, dict]:
        result = run_in_process(
            "reconcile",
            "--network",
            f"ethereum:chaina:node={self.nodes[0].uri}",
            "--manifests",
            str(self.manifests),
            "--register",
            str(self.folder / "register.sqlite"),
            "--json",
        )
        assert result.returncode in (0, 1), result.stdout + result.stderr
        return result.returncode, json.loads(result.stdout[result.stdout.index("{") :])


def _register_findings(report: dict) -> list[tuple[str, str, str]]:
    return [
        (f["check"], f["severity"], f["detail"])
        for f in report["findings"]
        if f["check"].startswith("register")
    ]


@pytest.fixture
def on_register(nodes, fresh, tmp_path) -> tuple[Desk, dict]:
    """Alice off-ramped 3 AAPLx to ACC-ALICE: booked on the register and confirmed on chain."""
    desk = Desk(nodes, fresh, tmp_path)
    fund_alice(nodes, fresh, 5)
    asset, _before, start = _alice_off_ramps(nodes, fresh, 3 * 10**18)
    desk.register("add-security", "--isin", asset["isin"], "--dti", provisional_dti(asset["isin"]))
    desk.bridge("--start-block", start)
    desk.register("serve", "--once")
    assert "confirmed off-ramp" in desk.bridge().stdout
    return desk, asset


def test_a_pending_on_ramp_is_in_transit_not_a_break(on_register):
    desk, asset = on_register
    desk.register(
        "on-ramp", "--reference", "BACK-OPS-1", "--isin", asset["isin"], "--holder", ALICE_ACCOUNT,
        "--wallet", ALICE, "--shares", "1",
    )  # fmt: skip

    code, report = desk.reconcile()

    assert code == 0, report
    ((check, severity, detail),) = _register_findings(report)
    assert (check, severity) == ("register on-ramp", "in transit")
    assert detail.startswith(f"{asset['isin']} on-ramp BACK-OPS-1 of 1 shares from {ALICE_ACCOUNT}")
    assert "debited on the register, not yet issued on chain for 0m " in detail
    assert report["ok"] is True

    desk.bridge()  # issues it on chain and answers the register
    desk.register("serve", "--once")
    code, report = desk.reconcile()
    assert (code, _register_findings(report)) == (0, [])


def test_a_pending_on_ramp_past_its_deadline_is_a_break(on_register):
    """The on-ramp was sent two days ago (the register's clock) and no bridge issued it."""
    desk, asset = on_register
    register = open_register(desk.settings)
    register.clock = lambda: datetime.now(UTC) - timedelta(days=2)
    register.deliver("BACK-OPS-2", asset["isin"], ALICE_ACCOUNT, "0x" + "12" * 20, 10**18)

    code, report = desk.reconcile()

    assert code == 1
    ((check, severity, detail),) = _register_findings(report)
    assert (check, severity) == ("register on-ramp", "break")
    assert "BACK-OPS-2" in detail and "for 2d 0h" in detail and "past its deadline" in detail


def test_an_off_ramp_past_its_deadline_is_expired_once_even_by_two_bridges(nodes, fresh, tmp_path):
    desk = Desk(nodes, fresh, tmp_path)
    fund_alice(nodes, fresh, 5)
    asset, before, start = _alice_off_ramps(nodes, fresh, 2 * 10**18)
    desk.register("add-security", "--isin", asset["isin"], "--dti", provisional_dti(asset["isin"]))
    desk.bridge("--start-block", start)  # the sese.023 goes out; the register is not serving
    code, report = desk.reconcile()
    assert code == 0 and [f[1] for f in _register_findings(report)] == ["in transit"]
    nodes[0].rpc("evm_increaseTime", 7 * 24 * 3600 + 1)  # the adapter's default timeout
    nodes[0].rpc("evm_mine")

    code, late = desk.reconcile()
    both = [
        subprocess.Popen(
            [*APE, "run", "register", *desk.bridge_args],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=300) for process in both]

    assert code == 1
    ((check, severity, detail),) = _register_findings(late)
    assert (check, severity) == ("register off-ramp", "break") and "past its deadline" in detail
    assert [p.returncode for p in both] == [0, 0], outputs
    lines = [line for out, _err in outputs for line in out.splitlines() if "expired off-ramp" in line]
    assert len(lines) == 1, outputs
    assert _expiries(nodes, fresh) == 1
    assert _alice_balance(nodes, asset) == before
    told = sorted(p.name for p in (tmp_path / "in").glob("*sese.024*"))
    assert len(told) == 1 and "EXP" in told[0]

    desk.register("serve", "--once")  # books the sese.023, then reverses it on the notice
    desk.bridge()  # the register's crossed sese.025 is taken without a refusal
    code, report = desk.reconcile()
    assert (code, _register_findings(report)) == (0, [])


def test_a_real_mismatch_is_still_a_break_with_exit_1_next_to_a_movement_in_transit(on_register):
    """The register moves a share to an account the chain never credited (no instruction), while
    an on-ramp is in transit: the on-ramp stays in transit, the difference is a break naming it."""
    desk, asset = on_register
    desk.register(
        "on-ramp", "--reference", "BACK-OPS-3", "--isin", asset["isin"], "--holder", ALICE_ACCOUNT,
        "--wallet", "0x" + "12" * 20, "--shares", "1",
    )  # fmt: skip
    desk.register(
        "force-transfer", "--reference", "FT-OPS-1", "--isin", asset["isin"], "--from", ALICE_ACCOUNT,
        "--to", "ACC-GHOST", "--shares", "1", "--reason", "unbooked",
    )  # fmt: skip

    code, report = desk.reconcile()

    assert code == 1
    findings = _register_findings(report)
    assert ("register on-ramp", "in transit") == findings[0][:2]
    breaks = [detail for check, severity, detail in findings if severity == "break"]
    assert f"{asset['isin']} account ACC-ALICE: register 1, chain 2 shares" in breaks
    assert f"{asset['isin']} account ACC-GHOST: register 1, chain 0 shares" in breaks


def _expiries(nodes, manifests: Path) -> int:
    from ape import chain, networks, project  # noqa: PLC0415

    manifest = json.loads((manifests / "31337" / "manifest.json").read_text())
    with networks.parse_network_choice(
        "ethereum:chaina:node", provider_settings={"uri": nodes[0].uri}, disconnect_on_exit=False
    ):
        adapter = project.TraditionalLedgerAdapter.at(
            manifest["contracts"]["TraditionalLedgerAdapter"]["address"]
        )
        start = manifest["contracts"]["TraditionalLedgerAdapter"]["block"]
        return len(list(adapter.OffRampExpired.range(start, chain.blocks.head.number + 1)))
