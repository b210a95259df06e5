"""The scripts a developer runs, run as a developer runs them: `ape run <script>` subprocesses
against local anvil chains. Bad input must give one error line and a non-zero exit.

Each script keeps one real `ape run` of a usage error (ape's own wrapping of the command is part
of what a developer sees); the other bad-input cases call the script's click command in this
process (`run_in_process`), which checks the same exit code and `error:` line without the ~10 s
start-up of a new ape process."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from tokenized_stocks.devtools.anvil import AnvilNode, free_port, network_name

ROOT = Path(__file__).resolve().parents[2]


# ape's command line run by this interpreter (never an `ape` found on PATH). ape 0.8 has no
# `ape/__main__.py`, so `python -m ape` cannot run it; this calls the console script's entry point.
APE = [sys.executable, "-c", "import sys; from ape._cli import cli; sys.argv[0] = 'ape'; sys.exit(cli())"]


def ape_run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [*APE, "run", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def load_script(name: str) -> Any:
    """scripts/<name>.py, loaded afresh: click commands keep what ape's network option resolved
    (the first node an in-process run reached for a network name), so each run gets its own."""
    spec = importlib.util.spec_from_file_location(f"_script_{name}", ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


script_module = functools.cache(load_script)  # the commands' definitions (options, help)


def script_cli(name: str) -> click.Command:
    """The `cli` click command of scripts/<name>.py."""
    return script_module(name).cli


class _Runner(CliRunner):
    """click 8.1's CliRunner reads the captured stderr without flushing it, so a `print(...,
    file=sys.stderr)` followed by `SystemExit` (the scripts' `fail`) would be lost: the captured
    stderr is made line-buffered, as a terminal's is."""

    @contextlib.contextmanager
    def isolation(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        with super().isolation(*args, **kwargs) as streams:
            sys.stderr.reconfigure(line_buffering=True)
            yield streams


def run_in_process(
    script: str, *args: str, patch: dict[str, Any] | None = None
) -> subprocess.CompletedProcess[str]:
    """`ape run <script> <args>` in this process: click's CliRunner on the script's `cli`, with the
    result shaped like `ape_run`'s. An exception other than the script's exit is raised. `patch`
    replaces names of the script module (a fault to inject) for this run only."""
    module = load_script(script)
    originals = {name: getattr(module, name) for name in patch or {}}
    for name, value in (patch or {}).items():
        setattr(module, name, value)
    from ape.api.networks import ProviderContextManager
    from e2e_hygiene import drop_providers_added_since

    before = set(ProviderContextManager.connected_providers)
    try:
        result = _Runner(mix_stderr=False).invoke(module.cli, list(args), prog_name=script)
    finally:
        drop_providers_added_since(before)  # a script's connection must not outlive its run
        for name, value in originals.items():  # the fault is this run's, not the next test's
            setattr(module, name, value)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess([script, *args], result.exit_code, result.stdout, result.stderr)


def last_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [
        line for line in result.stderr.splitlines() + result.stdout.splitlines() if line.startswith("error:")
    ]
    assert len(lines) == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


def on(node: AnvilNode) -> list[str]:
    return [
        "--network",
        f"ethereum:{network_name(node.chain_id)}:node",
        "--provider-settings",
        json.dumps({"uri": node.uri}),
    ]


@pytest.fixture(scope="module")
def deployed(nodes, tmp_path_factory) -> Path:
    """The suite deployed on both chains with `ape run deploy`, gateways linked both ways."""
    a, b = nodes
    out = tmp_path_factory.mktemp("deployments")
    first = ape_run("deploy", *on(a), "--manifests", str(out))
    assert first.returncode == 0, first.stdout + first.stderr
    second = ape_run("deploy", *on(b), "--manifests", str(out), "--home-chain-id", "31337", "--peer", "31337")
    assert second.returncode == 0, second.stdout + second.stderr
    link = ape_run("deploy", *on(a), "--manifests", str(out), "--peer", "31338")
    assert link.returncode == 0, link.stdout + link.stderr
    return out


# --- deploy --------------------------------------------------------------------------------------


def test_deploy_writes_a_manifest_per_chain_with_every_listed_asset(deployed):
    for chain_id in (31337, 31338):
        manifest = json.loads((deployed / str(chain_id) / "manifest.json").read_text())
        assert manifest["status"] == "complete"
        assert {a["architecture"] for a in manifest["assets"].values()} == {
            "tracker_certificate",
            "mint_on_order",
            "registry_share",
        }
        assert {"InvestorRegistry", "Gateway", "OrderDesk", "DvP", "HybridDvP"} <= set(manifest["contracts"])
        assert all(a["home_chain_id"] == 31337 for a in manifest["assets"].values())
    linked = json.loads((deployed / "31337" / "manifest.json").read_text())["steps_done"]
    gateway_b = json.loads((deployed / "31338" / "manifest.json").read_text())["contracts"]["Gateway"][
        "address"
    ]
    assert f"Gateway: link chain 31338 to {gateway_b}" in linked


def test_deploy_onboards_the_settlement_escrows_so_they_can_hold_registry_shares(nodes, deployed):
    from ape import networks, project

    manifest = json.loads((deployed / "31337" / "manifest.json").read_text())
    contracts = manifest["contracts"]
    with networks.parse_network_choice(
        "ethereum:chaina:node", provider_settings={"uri": nodes[0].uri}, disconnect_on_exit=False
    ):
        registry = project.InvestorRegistry.at(contracts["InvestorRegistry"]["address"])
        for name in ("HybridDvP", "TraditionalLedgerAdapter"):
            assert registry.isVerified(contracts[name]["address"]), name


def test_deploy_on_a_local_chain_publishes_the_listed_reserves_and_price_so_mint_works(nodes, deployed):
    """13.9: `initial_reserves` and `reference_price` of listings.yaml are the feeds' first rounds."""
    from ape import accounts, networks, project

    assets = json.loads((deployed / "31337" / "manifest.json").read_text())["assets"]
    with networks.parse_network_choice(
        "ethereum:chaina:node", provider_settings={"uri": nodes[0].uri}, disconnect_on_exit=False
    ):
        reserve = project.AttestedFeed.at(assets["AAPLx"]["extra"]["reserve"])
        price = project.AttestedFeed.at(assets["NVDAon"]["extra"]["price"])
        certificate = project.TrackerCertificate.at(assets["AAPLx"]["token"])
        before = int(certificate.balanceOf(ALICE))

        certificate.mint(ALICE, 10**18, sender=accounts.test_accounts[0])

        assert int(reserve.latestRoundData()[1]) == 1_000_000  # whole shares, 0 decimals
        assert int(price.latestRoundData()[1]) == 18_025_000_000  # 180.25 USD, 8 decimals
        assert int(certificate.balanceOf(ALICE)) == before + 10**18


def test_deploy_refuses_to_overwrite_a_complete_manifest(nodes, deployed):
    result = run_in_process("deploy", *on(nodes[0]), "--manifests", str(deployed))
    assert result.returncode == 2
    assert "already exists" in last_error_line(result)


def test_deploy_dry_run_prints_the_plan_and_writes_nothing(nodes, tmp_path):
    result = ape_run("deploy", *on(nodes[0]), "--manifests", str(tmp_path), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "deploy InvestorRegistry" in result.stdout and "deploy Gateway" in result.stdout
    assert not list(tmp_path.iterdir())


def test_deploy_with_a_bad_listing_fails_with_one_line(nodes, tmp_path):
    listings = tmp_path / "bad.yaml"
    listings.write_text(
        "assets:\n  - {key: X, isin: US0378331006, ticker: X, architecture: registry_share}\n"
    )
    result = run_in_process(
        "deploy", *on(nodes[0]), "--manifests", str(tmp_path), "--listings", str(listings)
    )
    assert result.returncode == 2
    assert "not a valid ISIN" in last_error_line(result)


def test_deploy_with_an_unknown_account_alias_fails_with_one_line(nodes, tmp_path):
    result = run_in_process(
        "deploy", *on(nodes[0]), "--manifests", str(tmp_path), "--account", "no-such-alias"
    )
    assert result.returncode == 2
    assert "unknown account alias" in last_error_line(result)


def test_deploy_on_an_unknown_network_is_refused(tmp_path):
    result = ape_run("deploy", "--network", "ethereum:atlantis:node", "--manifests", str(tmp_path))
    assert result.returncode == 2
    assert (result.stdout + result.stderr).strip().splitlines() == [
        "error: Invalid value for '--network': No network in 'ethereum' named 'atlantis'."
    ]


@pytest.mark.parametrize(
    ("script", "args", "run"),
    [
        ("bridge", ("--network", "ethereum:atlantis:node"), ape_run),
        ("reconcile", ("--bogus",), ape_run),
        ("relayer", (), ape_run),
        ("relayer", ("--rpc-a", "http://127.0.0.1:9", "--rpc-b", "http://127.0.0.1:9", "--gateway-a", "0x12",
                     "--gateway-b", "0x12", "--attestor", "http://127.0.0.1:9", "--submitter-test-account", "11"), run_in_process),
        ("relayer", ("--rpc-a", "http://127.0.0.1:9", "--rpc-b", "http://127.0.0.1:9", "--gateway-a", "0x" + "11" * 20,
                     "--gateway-b", "0x" + "11" * 20, "--attestor", "http://127.0.0.1:9", "--submitter", "no-such-alias"),
         run_in_process),
    ],
    ids=["bridge-network", "reconcile-option", "relayer-no-args", "relayer-bad-gateway", "relayer-bad-alias"],
)  # fmt: skip
def test_a_usage_error_of_any_script_is_one_line_and_exit_2(script, args, run):
    """The first case of each script is a real `ape run`; the others run in process."""
    result = run(script, *args)
    assert result.returncode == 2
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")


@pytest.mark.parametrize(
    "args",
    [
        ("deploy",),
        ("deploy", "--force"),
        ("bridge", "--asset", "AAPLx", "--to", "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a", "--amount", "1",
         "--dst-chain-id", "31338"),
        ("sanctions", "check", "--asset", "AAPLx", "--address", "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a"),
        ("sanctions", "sync", "--asset", "AAPLx", "--address", "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a"),
        ("sanctions", "watch", "--asset", "AAPLx", "--once"),
    ],
    ids=["deploy", "deploy-force", "bridge", "sanctions-check", "sanctions-sync", "sanctions-watch"],
)  # fmt: skip
def test_a_script_that_reads_or_writes_a_deployment_needs_an_explicit_network(args, tmp_path):
    """Without --network ape would start a throwaway chain with chain A's id (31337): a deploy
    there would write (and with --force overwrite) chain A's manifest for a chain about to vanish."""
    script, *rest = args
    out = "--manifests"
    result = run_in_process(script, *rest, out, str(tmp_path))
    assert result.returncode == 2
    assert last_error_line(result).startswith("error: --network is required")
    assert list(tmp_path.iterdir()) == []


def test_a_relayer_that_cannot_reach_a_chain_logs_its_retries_then_fails_with_one_error_line():
    result = run_in_process(
        "relayer", "--rpc-a", "http://127.0.0.1:9", "--rpc-b", "http://127.0.0.1:9",
        "--gateway-a", "0x" + "11" * 20, "--gateway-b", "0x" + "11" * 20,
        "--attestor", "http://127.0.0.1:9", "--submitter-test-account", "11",
    )  # fmt: skip
    assert result.returncode == 2
    assert "cannot reach a chain" in last_error_line(result)


def test_the_relayer_offers_no_option_taking_a_private_key():
    import re

    result = ape_run("relayer", "--help")

    assert result.returncode == 0, result.stdout + result.stderr
    options = re.findall(r"^\s+(--[a-z-]+)", result.stdout, re.MULTILINE)
    assert {"--submitter", "--attestor", "--rpc-a", "--manifests"} <= set(options)
    assert not [o for o in options if "operator" in o]  # operators sign in their attestors
    assert not [o for o in options if "key" in o or "secret" in o or "passphrase" in o or "mnemonic" in o]
    assert "private key" not in result.stdout.lower()


def test_the_attestor_takes_its_key_from_an_alias_or_a_keyfile_never_from_an_option():
    import re

    result = run_in_process("attestor", "serve", "--help")

    assert result.returncode == 0, result.stdout + result.stderr
    options = set(re.findall(r"^\s+(--[a-z-]+)", result.stdout, re.MULTILINE))
    assert {"--account", "--keyfile", "--watch", "--db", "--confirmations"} <= options
    assert not [o for o in options if o != "--keyfile" and ("key" in o or "secret" in o or "passphrase" in o)]


KEY = "0x" + "5a" * 32


@pytest.mark.parametrize(
    "args",
    [
        ("--submitter", KEY),
        ("--operator", "alias", "--operator", KEY[2:]),
        ("--attestor", KEY),
        ("--submitter-key", KEY),
        ("--operator-key", KEY),
    ],
    ids=["submitter", "old-operator", "attestor", "old-submitter-key", "old-operator-key"],
)
def test_a_key_on_the_relayers_command_line_is_refused_without_echoing_it(args):
    result = ape_run("relayer", "--rpc-a", "http://127.0.0.1:9", "--rpc-b", "http://127.0.0.1:9", *args)

    assert result.returncode == 2
    line = last_error_line(result)
    assert "5a5a5a5a" not in result.stdout + result.stderr
    assert "looks like a private key" in line or "No such option" in line


# --- reconcile -----------------------------------------------------------------------------------


def reconcile(nodes, manifests: Path, *extra: str, run=ape_run) -> subprocess.CompletedProcess[str]:
    a, b = nodes
    return run(
        "reconcile",
        "--chain",
        f"ethereum:chaina:node={a.uri}",
        "--chain",
        f"ethereum:chainb:node={b.uri}",
        "--manifests",
        str(manifests),
        *extra,
    )


def test_reconcile_of_a_fresh_deployment_holds_and_reports_json(nodes, deployed):
    result = reconcile(nodes, deployed, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout[result.stdout.index("{") :])
    assert report["ok"] is True
    assert len(report["assets"]) == 6  # three assets on two chains
    assert {a["asset_id"] for a in report["assets"]} == {a["asset_id"] for a in report["assets"][:3]}


def test_reconcile_without_a_manifest_says_to_deploy_first(nodes, tmp_path):
    result = reconcile(nodes, tmp_path, run=run_in_process)
    assert result.returncode == 2
    assert "run `ape run deploy` first" in last_error_line(result)


def _statement(path: Path, *holdings: tuple[str, str]) -> Path:
    from datetime import UTC, datetime  # noqa: PLC0415
    from decimal import Decimal  # noqa: PLC0415

    from tokenized_stocks.iso20022 import codec  # noqa: PLC0415
    from tokenized_stocks.iso20022.messages import Holding, HoldingsStatement  # noqa: PLC0415
    from tokenized_stocks.protocol.identity import provisional_dti  # noqa: PLC0415

    statement = HoldingsStatement(
        "ST-E2E",
        "REGISTER",
        datetime(2026, 11, 26, tzinfo=UTC),
        tuple(Holding(account, isin, provisional_dti(isin), Decimal(5)) for account, isin in holdings),
    )
    path.write_text(codec.render(statement))
    return path


def test_reconcile_with_an_empty_register_statement_holds(nodes, deployed, tmp_path):
    result = reconcile(nodes, deployed, "--register", str(_statement(tmp_path / "semt.xml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_reconcile_names_a_register_position_no_adapter_explains(nodes, deployed, tmp_path):
    manifest = json.loads((deployed / "31337" / "manifest.json").read_text())
    isin = next(iter(manifest["assets"].values()))["isin"]
    statement = _statement(tmp_path / "semt.xml", ("ACC-GHOST", isin))

    result = reconcile(nodes, deployed, "--register", str(statement), "--json")

    assert result.returncode == 1
    report = json.loads(result.stdout[result.stdout.index("{") :])
    findings = [f for f in report["findings"] if f["check"].startswith("register")]
    assert [f["check"] for f in findings] == ["register position", "register supply"]
    assert f"{isin} account ACC-GHOST: register 5, chain 0 shares" in findings[0]["detail"]


def test_reconcile_refuses_a_register_file_that_is_no_statement(nodes, deployed, tmp_path):
    bogus = tmp_path / "semt.xml"
    bogus.write_text("<Document")
    result = reconcile(nodes, deployed, "--register", str(bogus), run=run_in_process)
    assert result.returncode == 2
    assert "malformed XML" in last_error_line(result)


def test_reconcile_on_a_stopped_chain_fails_with_one_line(deployed):
    result = run_in_process(
        "reconcile", "--chain", "ethereum:chaina:node=http://127.0.0.1:9", "--manifests", str(deployed)
    )
    assert result.returncode == 2
    assert "cannot connect" in last_error_line(result)


def test_reconcile_flags_an_unbacked_mint_on_another_chain(nodes, deployed):
    """An admin on chain B points the token's gateway at itself and mints: conservation breaks."""
    from ape import accounts, networks, project

    manifest = json.loads((deployed / "31338" / "manifest.json").read_text())
    token_address = manifest["assets"]["NVDAon"]["token"]
    gateway = manifest["contracts"]["Gateway"]["address"]
    with networks.parse_network_choice(
        "ethereum:chainb:node", provider_settings={"uri": nodes[1].uri}, disconnect_on_exit=False
    ):
        issuer = accounts.test_accounts[0]
        token = project.OrderToken.at(token_address)
        token.setGateway(issuer, sender=issuer)
        token.crosschainMint(accounts.test_accounts[12], 5 * 10**18, sender=issuer)
        try:
            result = reconcile(nodes, deployed)
        finally:
            token.crosschainBurn(accounts.test_accounts[12], 5 * 10**18, sender=issuer)
            token.setGateway(gateway, sender=issuer)
    assert result.returncode == 1
    assert "conservation" in result.stdout and "NVDAon" in result.stdout


# --- bridge --------------------------------------------------------------------------------------


def bridge(nodes, deployed, *extra: str, run=ape_run) -> subprocess.CompletedProcess[str]:
    return run("bridge", *on(nodes[0]), "--manifests", str(deployed), "--dst-chain-id", "31338", *extra)


ALICE = "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a"  # test account 12


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--asset", "AAPLx", "--to", "0x1234", "--amount", "1"], "bad recipient"),
        (["--asset", "AAPLx", "--to", "0x0", "--amount", "1"], "bad recipient"),
        (["--asset", "AAPLx", "--to", "0x" + "0" * 40, "--amount", "1"], "bad recipient: the zero address"),
        (["--asset", "AAPLx", "--to", ALICE.replace("F", "f", 1), "--amount", "1"], "EIP-55"),
        (["--asset", "AAPLx", "--to", ALICE, "--amount", "0"], "must be greater than zero"),
        (["--asset", "AAPLx", "--to", ALICE, "--amount", "-3"], "must be greater than zero"),
        (["--asset", "NOPE", "--to", ALICE, "--amount", "1"], "unknown asset"),
        (["--asset", "AAPLx", "--to", ALICE, "--amount", "1", "--wait", "-5"], "bad --wait -5"),
    ],
    ids=[
        "bad-address",
        "short-zero",
        "zero-address",
        "bad-checksum",
        "zero-amount",
        "negative-amount",
        "unknown-asset",
        "negative-wait",
    ],
)
def test_bridge_refuses_bad_input_with_one_line(nodes, deployed, args, message):
    result = bridge(nodes, deployed, *args, run=run_in_process)
    assert result.returncode == 2
    assert message in last_error_line(result)


def test_bridge_to_an_unlinked_chain_is_refused(nodes, deployed):
    result = run_in_process(
        "bridge", *on(nodes[0]), "--manifests", str(deployed), "--dst-chain-id", "4242",
        "--asset", "AAPLx", "--to", ALICE, "--amount", "1",
    )  # fmt: skip
    assert result.returncode == 2
    assert "not linked" in last_error_line(result)


def fund_alice(nodes, deployed, shares: int) -> None:
    """Reserves reported and `shares` AAPLx minted to ALICE on chain A."""
    from ape import accounts, networks, project

    manifest = json.loads((deployed / "31337" / "manifest.json").read_text())
    with networks.parse_network_choice(
        "ethereum:chaina:node", provider_settings={"uri": nodes[0].uri}, disconnect_on_exit=False
    ):
        issuer, custodian = accounts.test_accounts[0], accounts.test_accounts[2]
        feed = project.AttestedFeed.at(manifest["assets"]["AAPLx"]["extra"]["reserve"])
        feed.report(1_000_000, sender=custodian)
        project.TrackerCertificate.at(manifest["assets"]["AAPLx"]["token"]).mint(
            ALICE, shares * 10**18, sender=issuer
        )


def outbound_nonce_and_balance(nodes, deployed) -> tuple[int, int]:
    """Chain A's gateway outbound nonce and ALICE's AAPLx balance: both move only if something was sent."""
    from ape import networks, project

    manifest = json.loads((deployed / "31337" / "manifest.json").read_text())
    with networks.parse_network_choice(
        "ethereum:chaina:node", provider_settings={"uri": nodes[0].uri}, disconnect_on_exit=False
    ):
        gateway = project.Gateway.at(manifest["contracts"]["Gateway"]["address"])
        token = project.TrackerCertificate.at(manifest["assets"]["AAPLx"]["token"])
        return int(gateway.nextNonce()), int(token.balanceOf(ALICE))


def send_two(nodes, deployed, *extra: str, run=ape_run, patch=None) -> subprocess.CompletedProcess[str]:
    args = ("--asset", "AAPLx", "--to", ALICE, "--amount", "2", *extra)
    if patch is not None:
        return run(
            "bridge",
            *on(nodes[0]),
            "--manifests",
            str(deployed),
            "--dst-chain-id",
            "31338",
            *args,
            patch=patch,
        )
    return bridge(nodes, deployed, *args, run=run)


def test_bridge_without_a_relayer_exits_3_sent_but_not_confirmed_with_the_message_id(nodes, deployed):
    fund_alice(nodes, deployed, 5)
    result = send_two(nodes, deployed, "--wait", "3", "--dst-uri", nodes[1].uri)
    assert "sent 2 AAPLx" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 3
    line = last_error_line(result)
    assert "not delivered within 3s" in line
    assert "message 0x" in line and "do not resend" in line


def test_bridge_with_an_unreachable_destination_is_refused_before_anything_is_sent(nodes, deployed):
    fund_alice(nodes, deployed, 5)
    before = outbound_nonce_and_balance(nodes, deployed)
    dead = f"http://127.0.0.1:{free_port()}"
    result = send_two(nodes, deployed, "--wait", "3", "--dst-uri", dead, run=run_in_process)
    assert result.returncode == 2
    assert f"cannot reach the destination chain at {dead}" in last_error_line(result)
    assert outbound_nonce_and_balance(nodes, deployed) == before


def test_bridge_with_a_destination_uri_of_another_chain_is_refused_before_anything_is_sent(nodes, deployed):
    fund_alice(nodes, deployed, 5)
    before = outbound_nonce_and_balance(nodes, deployed)
    result = send_two(nodes, deployed, "--wait", "3", "--dst-uri", nodes[0].uri, run=run_in_process)
    assert result.returncode == 2
    assert "is chain 31337, not the destination chain 31338" in last_error_line(result)
    assert outbound_nonce_and_balance(nodes, deployed) == before


def test_bridge_that_loses_the_destination_after_sending_exits_3_not_2(nodes, deployed):
    def gone(*_args, **_kwargs):
        raise ConnectionError("connection refused")

    fund_alice(nodes, deployed, 5)
    before_nonce, before_balance = outbound_nonce_and_balance(nodes, deployed)
    result = send_two(
        nodes, deployed, "--wait", "3", "--dst-uri", nodes[1].uri, run=run_in_process,
        patch={"wait_for_delivery": gone},
    )  # fmt: skip
    assert result.returncode == 3
    line = last_error_line(result)
    assert "the destination chain stopped answering (connection refused)" in line
    assert "message 0x" in line and "do not resend" in line
    assert outbound_nonce_and_balance(nodes, deployed) == (before_nonce + 1, before_balance - 2 * 10**18)


# --- register ------------------------------------------------------------------------------------


def test_an_off_ramp_goes_to_the_register_and_back_through_the_scripts(nodes, deployed, tmp_path):
    """ape run register bridge | serve | bridge, then reconcile --register: the off-ramp of alice's
    AAPLx is booked on the register and confirmed on chain, and the register reconciles."""
    from ape import accounts, networks, project  # noqa: PLC0415

    from tokenized_stocks.iso20022.identifiers import account_bytes  # noqa: PLC0415
    from tokenized_stocks.protocol.identity import provisional_dti  # noqa: PLC0415

    a, _ = nodes
    manifest = json.loads((deployed / "31337" / "manifest.json").read_text())
    asset = manifest["assets"]["AAPLx"]
    fund_alice(nodes, deployed, 5)
    adapter_address = manifest["contracts"]["TraditionalLedgerAdapter"]["address"]
    with networks.parse_network_choice(
        "ethereum:chaina:node", provider_settings={"uri": a.uri}, disconnect_on_exit=False
    ):
        alice = accounts.test_accounts[12]
        token = project.TrackerCertificate.at(asset["token"])
        token.approve(adapter_address, 3 * 10**18, sender=alice)
        project.TraditionalLedgerAdapter.at(adapter_address).requestOffRamp(
            token, 3 * 10**18, account_bytes("ACC-ALICE"), sender=alice
        )
    book = ["--db", str(tmp_path / "register.sqlite"), "--inbox", str(tmp_path / "in")]
    book += ["--outbox", str(tmp_path / "out")]
    bridge = (
        "register",
        "bridge",
        *on(a),
        "--manifests",
        str(deployed),
        "--state",
        str(tmp_path / "b.sqlite"),
    )

    steps = [
        ape_run(
            "register",
            "add-security",
            "--isin",
            asset["isin"],
            "--dti",
            provisional_dti(asset["isin"]),
            *book,
        ),
        ape_run(*bridge, "--once", *book),
        ape_run("register", "serve", "--once", *book),
        ape_run(*bridge, "--once", *book),
    ]
    reconciled = reconcile(nodes, deployed, "--register", str(tmp_path / "register.sqlite"))

    assert [r.returncode for r in steps] == [0, 0, 0, 0], [r.stdout + r.stderr for r in steps]
    assert "sent 0001-sese.023-" in steps[1].stdout
    assert "confirmed off-ramp" in steps[3].stdout
    assert reconciled.returncode == 0, reconciled.stdout + reconciled.stderr


def _alice_off_ramps(nodes, deployed, shares: int) -> tuple[dict, int, str]:
    """Alice locks `shares` AAPLx in the adapter for ACC-ALICE; returns the asset, her balance
    before and the block a bridge starts from to see only this off-ramp."""
    from ape import accounts, chain, networks, project  # noqa: PLC0415

    from tokenized_stocks.iso20022.identifiers import account_bytes  # noqa: PLC0415

    manifest = json.loads((deployed / "31337" / "manifest.json").read_text())
    asset = manifest["assets"]["AAPLx"]
    adapter_address = manifest["contracts"]["TraditionalLedgerAdapter"]["address"]
    with networks.parse_network_choice(
        "ethereum:chaina:node", provider_settings={"uri": nodes[0].uri}, disconnect_on_exit=False
    ):
        alice = accounts.test_accounts[12]
        token = project.TrackerCertificate.at(asset["token"])
        before = int(token.balanceOf(alice))
        start = str(chain.blocks.head.number + 1)
        token.approve(adapter_address, shares, sender=alice)
        project.TraditionalLedgerAdapter.at(adapter_address).requestOffRamp(
            token, shares, account_bytes("ACC-ALICE"), sender=alice
        )
    return asset, before, start


def _alice_balance(nodes, asset: dict) -> int:
    from ape import accounts, networks, project  # noqa: PLC0415

    with networks.parse_network_choice(
        "ethereum:chaina:node", provider_settings={"uri": nodes[0].uri}, disconnect_on_exit=False
    ):
        return int(project.TrackerCertificate.at(asset["token"]).balanceOf(accounts.test_accounts[12]))


def test_an_off_ramp_the_register_cannot_match_is_rejected_and_returned_through_the_scripts(
    nodes, deployed, tmp_path
):
    """The register does not keep AAPLx's ISIN: it answers the sese.023 with a sese.024 REJECTED
    (DSEC UNKNOWN SECURITY) instead of leaving it unanswered, and the bridge's failOffRamp gives
    alice her tokens back."""
    fund_alice(nodes, deployed, 5)
    asset, before, start = _alice_off_ramps(nodes, deployed, 2 * 10**18)
    book = ["--db", str(tmp_path / "register.sqlite"), "--inbox", str(tmp_path / "in")]
    book += ["--outbox", str(tmp_path / "out")]
    bridge = (
        "register",
        "bridge",
        *on(nodes[0]),
        "--manifests",
        str(deployed),
        "--state",
        str(tmp_path / "b.sqlite"),
    )

    steps = [
        ape_run(*bridge, "--once", "--start-block", start, *book),
        ape_run("register", "serve", "--once", *book),
        ape_run(*bridge, "--once", *book),
    ]

    assert [r.returncode for r in steps] == [0, 0, 0], [r.stdout + r.stderr for r in steps]
    assert "sese.024" in steps[1].stdout
    assert "DSEC UNKNOWN SECURITY" in steps[2].stdout
    assert _alice_balance(nodes, asset) == before


def test_an_on_ramp_starts_on_the_register_and_is_answered_through_the_scripts(nodes, deployed, tmp_path):
    """Off-ramp 3 AAPLx to ACC-ALICE, then `register on-ramp` 1 back to alice's wallet: the bridge
    issues it (onRamp) and answers a sese.025, and the register books it delivered (its statement
    holds the 2 shares left; the module's earlier register traffic keeps reconcile out of this one)."""
    from ape import accounts  # noqa: PLC0415

    from tokenized_stocks.protocol.identity import provisional_dti  # noqa: PLC0415

    fund_alice(nodes, deployed, 5)
    asset, before, start = _alice_off_ramps(nodes, deployed, 3 * 10**18)
    book = ["--db", str(tmp_path / "register.sqlite"), "--inbox", str(tmp_path / "in")]
    book += ["--outbox", str(tmp_path / "out")]
    bridge = (
        "register",
        "bridge",
        *on(nodes[0]),
        "--manifests",
        str(deployed),
        "--state",
        str(tmp_path / "b.sqlite"),
    )
    dti = provisional_dti(asset["isin"])
    wallet = str(accounts.test_accounts[12].address)

    steps = [
        ape_run("register", "add-security", "--isin", asset["isin"], "--dti", dti, *book),
        ape_run(*bridge, "--once", "--start-block", start, *book),
        ape_run("register", "serve", "--once", *book),
        ape_run(*bridge, "--once", *book),
        ape_run(
            "register", "on-ramp", "--reference", "BACK-E2E-1", "--isin", asset["isin"], "--holder", "ACC-ALICE",
            "--wallet", wallet, "--shares", "1", *book,
        ),
        ape_run(*bridge, "--once", *book),
        ape_run("register", "serve", "--once", *book),
        ape_run("register", "statement", "--json", *book),
    ]  # fmt: skip

    assert [r.returncode for r in steps] == [0] * len(steps), [r.stdout + r.stderr for r in steps]
    assert "issued 1 " in steps[5].stdout
    assert _alice_balance(nodes, asset) == before - 2 * 10**18
    holdings = json.loads(steps[7].stdout)["holdings"]
    assert [(h["account"], h["shares"]) for h in holdings] == [("ACC-ALICE", "2")]


# --- demo ----------------------------------------------------------------------------------------


def test_demo_tells_the_whole_story_and_reconciles():
    """With --json: the story on stderr, the final reconciliation as the only JSON on stdout."""
    result = ape_run("demo", "--json", timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for phase in range(1, 12):
        assert f"{phase}. " in result.stderr
    assert "agrees with the adapter's book: no difference" in result.stderr
    assert "the ISO 20022 messages are in " in result.stderr
    assert "all invariants hold" in result.stderr
    assert "Traceback" not in result.stderr
    summary = json.loads(result.stdout)
    assert summary["ok"] is True and summary["reconcile"]["ok"] is True
    assert {c["chain_id"] for c in summary["chains"].values()} == {31337, 31338}


def test_bridge_json_prints_only_one_json_object_on_stdout(nodes, deployed):
    fund_alice(nodes, deployed, 5)
    result = send_two(nodes, deployed, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    sent = json.loads(result.stdout)  # the whole of stdout: ape's log lines went to stderr
    assert sent["status"] == "sent"
    assert (sent["asset"], sent["amount"], sent["to"], sent["dst_chain_id"]) == (
        "AAPLx",
        2 * 10**18,
        ALICE,
        31338,
    )
    assert sent["units"] == 2 * 10**18 and isinstance(sent["expiry"], int)  # raw integers, not text
    assert sent["message_id"].startswith("0x") and len(sent["message_id"]) == 66
    assert "sent 2 AAPLx" in result.stderr  # the human text: shares and an ISO-8601 UTC expiry
    assert re.search(r"deliverable until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", result.stderr), result.stderr
    assert "Traceback" not in result.stderr and "Logging error" not in result.stderr


def test_bridge_json_reports_an_unconfirmed_message_with_exit_3(nodes, deployed):
    fund_alice(nodes, deployed, 5)
    result = send_two(nodes, deployed, "--json", "--wait", "2", "--dst-uri", nodes[1].uri)
    assert result.returncode == 3
    report = json.loads(result.stdout)
    assert report["status"] == "unconfirmed"
    assert report["message_id"][2:] in last_error_line(result)
