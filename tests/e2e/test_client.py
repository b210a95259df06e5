"""The client API (`tokenized_stocks.client.Suite`) used as another program uses it: a Python
program run from a directory outside the repository (no ape-config, no contracts, no `deployments/`)
against a suite deployed on two anvils by `ape run deploy`. The program does the daily operations
and prints what it saw as JSON; each test checks one of them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_scripts import ROOT, ape_run, on

ALICE = "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a"  # test account 12
BOB = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788"  # test account 13
INVESTOR = "0x" + "ab" * 32
E18 = 10**18

PROGRAM = textwrap.dedent(
    """
    import json, sys
    from datetime import UTC, datetime, timedelta
    from tokenized_stocks.client import Suite, UserError

    manifests, uri_a, uri_b = sys.argv[1:4]
    ALICE, BOB, INVESTOR = sys.argv[4:7]
    out = {}

    def refused(call):
        try:
            call()
        except UserError as err:
            return str(err)
        return None

    with Suite.from_manifest(manifests, uri_a) as a:
        issuer, registrar, custodian, agent = (a.test_account(i) for i in (0, 1, 2, 3))
        alice = a.test_account(12)
        expiry = datetime.now(UTC) + timedelta(days=365)
        out["assets"] = a.assets
        out["onboard"] = a.onboard_investor(
            INVESTOR, country=840, class_flags=1, kyc_expiry=expiry, wallets=[ALICE], sender=registrar
        ).tx_hashes
        out["onboard_again"] = a.onboard_investor(
            INVESTOR, country=840, class_flags=1, kyc_expiry=expiry, wallets=[ALICE], sender=registrar
        ).tx_hashes
        out["add_wallet"] = a.add_wallet(INVESTOR, BOB, registrar).tx_hashes
        out["investor"] = a.investor(INVESTOR).model_dump(mode="json")
        out["attest"] = a.attest_reserves("AAPLx", 1000, custodian).model_dump(mode="json")
        out["issue"] = a.issue("AAPLx", ALICE, "5.5", issuer).tx_hashes
        balance = a.balance("AAPLx", ALICE)
        out["balance"] = balance.model_dump(mode="json")
        out["balance_text"] = balance.text
        a.freeze("TSLArs", BOB, agent, "client test")
        out["frozen"] = a.balance("TSLArs", BOB).frozen
        a.unfreeze("TSLArs", BOB, agent)
        out["unfrozen"] = a.balance("TSLArs", BOB).frozen
        a.freeze_investor(INVESTOR, registrar)
        out["investor_frozen"] = a.investor(INVESTOR).frozen
        a.unfreeze_investor(INVESTOR, registrar)
        out["bridge"] = a.bridge_send("AAPLx", BOB, "2", 31338, alice).model_dump(mode="json")
        out["balance_after_bridge"] = a.balance("AAPLx", ALICE).amount
        out["sanctions"] = [f.model_dump(mode="json") for f in a.sanctions_check("AAPLx", [ALICE, BOB])]
        with Suite.from_manifest(manifests, uri_b) as b:
            out["b_chain_id"] = b.chain_id
            out["reconcile"] = a.reconcile_summary(b).model_dump(mode="json")
        senders = (issuer, registrar, custodian, agent, alice)
        nonces = [s.nonce for s in senders]
        other = "0x" + "cd" * 32
        out["refused_role"] = refused(lambda: a.issue("AAPLx", ALICE, 1, registrar))
        out["refused_freeze_role"] = refused(lambda: a.freeze("TSLArs", BOB, alice))
        out["refused_unknown_asset"] = refused(lambda: a.balance("NOPE", ALICE))
        out["refused_zero_amount"] = refused(lambda: a.bridge_send("AAPLx", BOB, 0, 31338, alice))
        out["refused_over_balance"] = refused(lambda: a.bridge_send("AAPLx", BOB, 1000, 31338, alice))
        out["refused_over_reserves"] = refused(lambda: a.issue("AAPLx", ALICE, 10**6, issuer))
        out["refused_taken_wallet"] = refused(
            lambda: a.onboard_investor(
                other, country=840, class_flags=1, kyc_expiry=expiry, wallets=[ALICE], sender=registrar
            )
        )
        out["other_investor_not_registered"] = refused(lambda: a.investor(other))
        out["refused_checksum"] = refused(lambda: a.balance("AAPLx", ALICE.replace("F", "f", 1)))
        out["refused_zero"] = refused(lambda: a.bridge_send("AAPLx", "0x" + "0" * 40, 1, 31338, alice))
        out["refused_unlinked"] = refused(lambda: a.bridge_send("AAPLx", BOB, 1, 4242, alice))
        out["refused_certificate_freeze"] = refused(lambda: a.freeze("AAPLx", BOB, agent))
        out["balance_after_refusals"] = a.balance("AAPLx", ALICE).amount
        out["nonces_unchanged"] = [s.nonce for s in senders] == nonces
    out["refused_wrong_chain"] = refused(
        lambda: Suite.from_manifest(manifests + "/31338/manifest.json", uri_a)
    )
    json.dump(out, sys.stdout)
    """
)


@pytest.fixture(scope="module")
def deployed(nodes, tmp_path_factory) -> Path:
    """The suite on chains A and B, gateways linked both ways (as `ape run deploy` leaves it)."""
    a, b = nodes
    out = tmp_path_factory.mktemp("client-deployments")
    for args in (on(a), [*on(b), "--home-chain-id", "31337", "--peer", "31337"], [*on(a), "--peer", "31338"]):
        result = ape_run("deploy", *args, "--manifests", str(out))
        assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def seen(nodes, deployed, tmp_path_factory) -> dict:
    """What the program printed, run from a directory outside the repository."""
    workdir = tmp_path_factory.mktemp("elsewhere")
    assert not workdir.resolve().is_relative_to(ROOT)
    (workdir / "program.py").write_text(PROGRAM)
    env = dict(os.environ, PYTHONPATH=str(ROOT))  # the package, as `pip install` would provide it
    result = subprocess.run(
        [sys.executable, "program.py", str(deployed), nodes[0].uri, nodes[1].uri, ALICE, BOB, INVESTOR],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (workdir / "ape-config.yaml").exists()
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_suite_lists_the_manifests_assets(seen):
    assert seen["assets"] == ["AAPLx", "NVDAon", "TSLArs"]


def test_onboarding_registers_the_investor_and_binds_its_wallets(seen):
    assert len(seen["onboard"]) == 2  # registerInvestor, addWallet
    assert seen["investor"]["investor_id"] == INVESTOR
    assert seen["investor"]["country"] == 840
    assert seen["investor"]["wallets"] == [ALICE, BOB]


def test_onboarding_again_sends_nothing(seen):
    assert seen["onboard_again"] == []


def test_adding_a_wallet_sends_one_transaction(seen):
    assert len(seen["add_wallet"]) == 1


def test_attested_reserves_are_reported_on_the_feed_in_its_decimals(seen):
    attest = seen["attest"]
    assert attest["reserves"] == 1000 * E18
    assert attest["answer"] * 10 ** (18 - attest["decimals"]) == 1000 * E18


def test_the_attested_reserves_are_what_the_reconciliation_reads(seen):
    home = next(a for a in seen["reconcile"]["assets"] if a["asset"] == "AAPLx" and a["chain_id"] == 31337)
    assert home["reserves"] == 1000 * E18


def test_an_issue_shows_in_the_balance_in_base_units_and_as_shares(seen):
    assert seen["balance"] == {"asset": "AAPLx", "account": ALICE, "amount": 55 * E18 // 10, "frozen": False}
    assert seen["balance_text"] == "5.5 AAPLx"


def test_a_wallet_freeze_on_a_registry_share_is_set_and_lifted(seen):
    assert seen["frozen"] is True
    assert seen["unfrozen"] is False


def test_an_investor_freeze_is_recorded_in_the_registry(seen):
    assert seen["investor_frozen"] is True


def test_a_bridge_send_burns_on_the_source_and_reports_the_message(seen):
    bridge = seen["bridge"]
    assert (bridge["amount"], bridge["units"], bridge["recipient"]) == (2 * E18, 2 * E18, BOB)
    assert (bridge["src_chain_id"], bridge["dst_chain_id"]) == (31337, 31338)
    assert bridge["message_id"].startswith("0x") and len(bridge["message_id"]) == 66
    assert seen["balance_after_bridge"] == 35 * E18 // 10


def test_the_sanctions_check_compares_the_cache_with_the_oracle(seen):
    assert seen["sanctions"] == [
        {"account": ALICE, "cached": False, "oracle": False},
        {"account": BOB, "cached": False, "oracle": False},
    ]


def test_the_reconcile_summary_of_both_chains_holds_with_the_message_in_flight(seen):
    summary = seen["reconcile"]
    assert summary["ok"] is True, summary["findings"]
    home = next(a for a in summary["assets"] if a["asset"] == "AAPLx" and a["chain_id"] == 31337)
    assert (home["total_supply"], home["in_flight_out"]) == (35 * E18 // 10, 2 * E18)
    assert {a["chain_id"] for a in summary["assets"]} == {31337, 31338}


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("refused_role", "does not hold MINTER_ROLE on AAPLx: nothing sent"),
        ("refused_checksum", "EIP-55"),
        ("refused_zero", "the zero address"),
        ("refused_unlinked", "chain 4242 is not linked"),
        ("refused_certificate_freeze", "has no wallet freeze"),
        ("refused_wrong_chain", "is for chain 31338, not chain 31337"),
        ("refused_freeze_role", "does not hold TRANSFER_AGENT_ROLE on TSLArs: nothing sent"),
        ("refused_unknown_asset", "unknown asset 'NOPE'"),
        ("refused_zero_amount", "must be greater than zero"),
        ("refused_over_balance", "less than 1,000 AAPLx"),
        ("refused_over_reserves", "the reserves back"),
        ("refused_taken_wallet", f"wallet {ALICE} belongs to investor {INVESTOR}: nothing sent"),
        ("other_investor_not_registered", "is not registered"),
    ],
)
def test_bad_input_is_one_userror_line(seen, key, message):
    assert seen[key] is not None and message in seen[key]
    assert "\n" not in seen[key]


def test_refused_operations_sent_nothing(seen):
    assert seen["balance_after_refusals"] == seen["balance_after_bridge"]
    assert seen["nonces_unchanged"] is True


def test_each_suite_sees_its_own_chain_id_although_both_uris_are_the_custom_network(nodes, deployed):
    from ape import chain

    from tokenized_stocks.client import Suite

    with Suite.from_manifest(deployed, nodes[1].uri) as b, b.connected():
        assert chain.chain_id == 31338
    with Suite.from_manifest(deployed, nodes[0].uri) as a, a.connected():
        assert chain.chain_id == 31337  # ape caches the id per network name: "custom" for both
