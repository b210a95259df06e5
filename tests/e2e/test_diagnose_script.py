"""`ape run diagnose transfer` run as a developer runs it, against a deployment on a local anvil:
the rule table of any asset through the published ITransferDiagnostic ABI, exit 0 when the
transfer would succeed, 1 when it would be refused, 2 on bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_scripts import ape_run, last_error_line, on, run_in_process

from tokenized_stocks.devtools.anvil import AnvilNode, start_anvil
from tokenized_stocks.protocol.enums import Restriction

ISSUER = 0  # test account index: the deployer, admin (and minter) of every asset
HOLDER, OTHER = 5, 6
CERTIFICATE = "AAPLx"
ORDER_TOKEN = "NVDAon"


@pytest.fixture(scope="module")
def node() -> Iterator[AnvilNode]:
    a = start_anvil(31337, accounts=20)
    yield a
    a.stop()


def connected(node: AnvilNode):
    from ape import networks

    return networks.parse_network_choice(
        "ethereum:chaina:node", provider_settings={"uri": node.uri}, disconnect_on_exit=False
    )


@pytest.fixture(scope="module")
def deployed(node, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("deployments")
    result = ape_run("deploy", *on(node), "--manifests", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def holders(node, deployed) -> tuple[str, str]:
    """HOLDER holds 10 certificates (minted by the issuer against the reserves the deploy reported)."""
    from ape import accounts, project

    token = json.loads((deployed / "31337" / "manifest.json").read_text())["assets"][CERTIFICATE]["token"]
    with connected(node):
        issuer, holder, other = (accounts.test_accounts[i] for i in (ISSUER, HOLDER, OTHER))
        project.TrackerCertificate.at(token).mint(holder, 10 * 10**18, sender=issuer)
        return str(holder.address), str(other.address)


def diagnose(node: AnvilNode, deployed: Path, *extra: str):
    return run_in_process("diagnose", "transfer", *on(node), "--manifests", str(deployed), *extra)


def test_an_allowed_transfer_prints_every_rule_passing_and_exits_0(node, deployed, holders):
    holder, other = holders

    result = diagnose(
        node, deployed, "--asset", CERTIFICATE, "--from", holder, "--to", other, "--amount", "10"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "allowed: every rule passes (6 rules)" in result.stdout
    assert "Amount exceeds the unfrozen balance" in result.stdout


def test_a_refused_transfer_exits_1_and_the_json_names_the_first_failing_rule(node, deployed, holders):
    holder, other = holders

    result = diagnose(
        node, deployed, "--asset", CERTIFICATE, "--from", holder, "--to", other, "--amount", "10.5", "--json"
    )

    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["allowed"] is False
    assert report["restriction"] == Restriction.INSUFFICIENT_BALANCE
    assert [r["code"] for r in report["rules"] if not r["passed"]] == [
        Restriction.INSUFFICIENT_BALANCE,
        Restriction.INSUFFICIENT_UNFROZEN_BALANCE,
    ]
    assert report["amount"] == str(105 * 10**17)


def test_the_same_command_reads_the_order_token(node, deployed, holders):
    holder, other = holders

    result = diagnose(
        node, deployed, "--asset", ORDER_TOKEN, "--from", holder, "--to", other, "--amount", "1", "--json"
    )

    assert result.returncode == 1  # the holder has no order tokens
    report = json.loads(result.stdout)
    assert len(report["rules"]) == 10
    assert report["restriction"] == Restriction.INSUFFICIENT_BALANCE


def test_the_same_command_reads_the_registry_share_through_its_extension(node, deployed, holders):
    holder, other = holders  # neither is an investor of the share's registry

    result = diagnose(
        node, deployed, "--asset", "TSLArs", "--from", holder, "--to", other, "--amount", "1", "--json"
    )

    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert len(report["rules"]) == 19
    assert report["restriction"] == Restriction.SENDER_NOT_VERIFIED
    assert [r["code"] for r in report["rules"] if not r["passed"]][0] == Restriction.SENDER_NOT_VERIFIED


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--asset", "NOPE", "--amount", "1"], "unknown asset"),
        (["--asset", CERTIFICATE, "--amount", "0"], "must be greater than zero"),
        (["--asset", CERTIFICATE, "--amount", "1", "--to", "0x1234"], "bad --to"),
    ],
    ids=["unknown-asset", "zero-amount", "bad-address"],
)
def test_bad_input_is_one_line_and_exit_2(node, deployed, holders, extra, message):
    holder, other = holders
    args = ["--from", holder, "--to", other, *extra] if "--to" not in extra else ["--from", holder, *extra]

    result = diagnose(node, deployed, *args)

    assert result.returncode == 2
    assert message in last_error_line(result)
