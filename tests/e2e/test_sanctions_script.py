"""`ape run sanctions` run as a developer runs it, against a deployment on a local anvil whose
certificate screens against a Chainalysis-style oracle that never pushes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_hygiene import drop_providers_of
from test_scripts import ape_run, last_error_line, on, run_in_process

from tokenized_stocks.devtools.anvil import AnvilNode, start_anvil

ISSUER = 0  # test account index: the deployer, admin of every certificate
ASSET = "AAPLx"


@pytest.fixture(scope="module")
def node() -> Iterator[AnvilNode]:
    a = start_anvil(31337, accounts=20)
    yield a
    a.stop()
    drop_providers_of(a.uri)  # the session's chain A (`nodes`) is reached by the next modules


EARLY_LISTED = "0x00000000000000000000000000000000000000E1"


@pytest.fixture(scope="module")
def early_oracle(node) -> str:
    """A Chainalysis mock that listed EARLY_LISTED before the suite (and its certificate) existed."""
    from ape import accounts, project

    with connected(node):
        issuer = accounts.test_accounts[ISSUER]
        mock = issuer.deploy(project.ChainalysisOracleMock)
        mock.addToSanctionsList([EARLY_LISTED], sender=issuer)
        return str(mock.address)


@pytest.fixture(scope="module")
def deployed(node, early_oracle, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("deployments")
    result = ape_run("deploy", *on(node), "--manifests", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def connected(node: AnvilNode):
    from ape import networks

    return networks.parse_network_choice(
        "ethereum:chaina:node", provider_settings={"uri": node.uri}, disconnect_on_exit=False
    )


@pytest.fixture(scope="module")
def oracle(node, deployed) -> str:
    """A Chainalysis mock made the certificate's oracle by its admin (no push, so the cache lags)."""
    from ape import accounts, project

    token = json.loads((deployed / "31337" / "manifest.json").read_text())["assets"][ASSET]["token"]
    with connected(node):
        issuer = accounts.test_accounts[ISSUER]
        mock = issuer.deploy(project.ChainalysisOracleMock)
        project.TrackerCertificate.at(token).setSanctionsList(mock, sender=issuer)
        return str(mock.address)


def list_on_oracle(node: AnvilNode, oracle: str, address: str) -> int:
    """Lists `address` on the mock; returns the block of the listing."""
    from ape import accounts, project

    with connected(node):
        receipt = project.ChainalysisOracleMock.at(oracle).addToSanctionsList(
            [address], sender=accounts.test_accounts[ISSUER]
        )
        return int(receipt.block_number)


def sanctions(node: AnvilNode, deployed: Path, command: str, *extra: str):
    return ape_run("sanctions", command, *on(node), "--manifests", str(deployed), "--asset", ASSET, *extra)


def test_check_exits_1_on_a_listing_the_cache_has_not_seen(node, deployed, oracle):
    listed = "0x00000000000000000000000000000000000000C1"
    list_on_oracle(node, oracle, listed)

    result = sanctions(node, deployed, "check", "--address", listed)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "stale" in result.stdout and "1 stale of 1" in result.stdout


def test_watch_once_syncs_the_listed_address_and_check_then_passes(node, deployed, oracle):
    listed = "0x00000000000000000000000000000000000000C2"
    block = list_on_oracle(node, oracle, listed)

    watched = sanctions(node, deployed, "watch", "--from-block", str(block), "--once")
    checked = sanctions(node, deployed, "check", "--address", listed)

    assert watched.returncode == 0, watched.stdout + watched.stderr
    assert "synced 1 account(s) in 1 transaction(s)" in watched.stdout
    assert listed.lower() in watched.stdout.lower()
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 stale of 1" in checked.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--asset", ASSET, "--address", "0x1234"], "bad address"),
        (["sync", "--asset", "NVDAon", "--address", "0x" + "11" * 20], "not a tracker certificate"),
        (["watch", "--asset", "NOPE", "--once"], "unknown asset"),
        (["check", "--asset", ASSET, "--address", "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed"], "EIP-55"),
        (["sync", "--asset", ASSET, "--address", "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed"], "EIP-55"),
    ],
    ids=["bad-address", "not-a-certificate", "unknown-asset", "check-bad-checksum", "sync-bad-checksum"],
)
def test_bad_input_is_one_line_and_exit_2(node, deployed, args, message):
    command, *extra = args
    result = run_in_process("sanctions", command, *on(node), "--manifests", str(deployed), *extra)

    assert result.returncode == 2
    assert message in last_error_line(result)


def test_a_missing_manifest_says_to_deploy_first(node, tmp_path):
    result = run_in_process("sanctions", "check", *on(node), "--manifests", str(tmp_path), "--asset", ASSET,
                     "--address", "0x" + "11" * 20)  # fmt: skip

    assert result.returncode == 2
    assert "run `ape run deploy` first" in last_error_line(result)


def test_an_unknown_network_is_one_line_and_exit_2(tmp_path):
    result = ape_run("sanctions", "check", "--network", "ethereum:atlantis:node", "--manifests", str(tmp_path),
                     "--asset", ASSET, "--address", "0x" + "11" * 20)  # fmt: skip

    assert result.returncode == 2
    assert "atlantis" in last_error_line(result)


def test_a_fresh_watch_syncs_an_address_the_oracle_listed_before_the_certificate_existed(
    node, deployed, early_oracle
):
    """20.8: without --from-block, watch catches up with the oracle's whole history first."""
    from ape import accounts, project

    token = json.loads((deployed / "31337" / "manifest.json").read_text())["assets"][ASSET]["token"]
    with connected(node):
        project.TrackerCertificate.at(token).setSanctionsList(
            early_oracle, sender=accounts.test_accounts[ISSUER]
        )

    watched = sanctions(node, deployed, "watch", "--once")
    checked = sanctions(node, deployed, "check", "--address", EARLY_LISTED)

    assert watched.returncode == 0, watched.stdout + watched.stderr
    assert "catch-up" in watched.stdout and EARLY_LISTED.lower() in watched.stdout.lower()
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 stale of 1" in checked.stdout


def test_check_and_sync_json_print_only_json_on_stdout(node, deployed, oracle):
    from ape import accounts, project

    listed = "0x00000000000000000000000000000000000000C3"
    token = json.loads((deployed / "31337" / "manifest.json").read_text())["assets"][ASSET]["token"]
    with connected(node):  # an earlier test may have pointed the certificate at another oracle
        project.TrackerCertificate.at(token).setSanctionsList(oracle, sender=accounts.test_accounts[ISSUER])
    list_on_oracle(node, oracle, listed)

    checked = sanctions(node, deployed, "check", "--address", listed, "--json")
    synced = sanctions(node, deployed, "sync", "--address", listed, "--json")

    assert checked.returncode == 1, "STDOUT:" + checked.stdout + "STDERR:" + checked.stderr
    assert json.loads(checked.stdout) == {
        "oracle": oracle,
        "accounts": [{"account": listed, "cached": False, "oracle": True, "stale": True}],
        "stale": 1,
    }
    assert synced.returncode == 0, synced.stdout + synced.stderr
    report = json.loads(synced.stdout)
    assert report["synced"] == [{"account": listed, "sanctioned": True}]
    assert len(report["tx_hashes"]) == 1
