"""`ape run admin`: the issuer's daily operations against a suite deployed on anvil by `ape run
deploy`. Each test runs the script as an operator would and reads the chain afterwards through the
client (`Suite`). Roles are the local role book: issuer 0, registrar 1, custodian 2, transfer agent
3, quote signer 4, guardian 6; alice and bob are test accounts 12 and 13.

The `--safe` path runs against a real Safe v1.4.1 deployed from ape-safe's own package: the
proposal's SafeTx hash is the one the Safe computes on chain, and the SafeTx, signed by the
proposing owner (a 1-of-1 Safe), executes on the Safe.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_scripts import ape_run, on

from tokenized_stocks.cli.errors import BAD_INPUT
from tokenized_stocks.client import Suite
from tokenized_stocks.protocol.roles import PAUSER_ROLE

ALICE = "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a"  # test account 12
BOB = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788"  # test account 13
ALICE_ID = "0x" + "a1" * 32
BOB_ID = "0x" + "b0" * 32
REGISTRAR, CUSTODIAN, AGENT, QUOTER, GUARDIAN = 1, 2, 3, 4, 6
E18 = 10**18
ZERO = "0x" + "0" * 40
EXPIRY = (datetime.now(UTC) + timedelta(days=400)).date().isoformat()


@pytest.fixture(scope="module")
def deployed(nodes, tmp_path_factory) -> Path:
    """The suite on chain A, as `ape run deploy` leaves it."""
    out = tmp_path_factory.mktemp("admin-deployments")
    result = ape_run("deploy", *on(nodes[0]), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def suite(nodes, deployed) -> Iterator[Suite]:
    with Suite.from_manifest(deployed, nodes[0].uri) as connected:
        yield connected


@pytest.fixture(scope="module")
def admin(nodes, deployed):
    """Runs `ape run admin <command> ...` on chain A; returns the process."""

    def run(command: str, *args: str, sender: int | None = None) -> Any:
        account = ["--test-account", str(sender)] if sender is not None else []
        return ape_run("admin", command, *on(nodes[0]), "--manifests", str(deployed), *account, *args)

    return run


def result_of(process: Any) -> dict[str, Any]:
    assert process.returncode == 0, process.stdout + process.stderr
    return json.loads(process.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def onboarded(admin, suite) -> dict[str, Any]:
    """Alice and Bob onboarded by the command (each a registry investor with one wallet)."""
    first = result_of(
        admin(
            "onboard",
            "--investor", ALICE_ID, "--country", "840", "--class-flags", "1",
            "--kyc-expiry", EXPIRY, "--wallet", ALICE, "--json",
            sender=REGISTRAR,
        )
    )  # fmt: skip
    result_of(
        admin(
            "onboard",
            "--investor", BOB_ID, "--country", "826", "--kyc-expiry", EXPIRY, "--wallet", BOB, "--json",
            sender=REGISTRAR,
        )
    )  # fmt: skip
    return first


def nonce(suite: Suite, index: int) -> int:
    with suite.connected():
        return int(suite.test_account(index).nonce)


def token(suite: Suite, key: str) -> Any:
    record = suite.manifest.asset(key)
    return getattr(suite.contracts, suite.manifest.contracts[record.key].contract_type).at(record.token)


# -- investors ---------------------------------------------------------------------------------


def test_onboard_registers_the_investor_and_binds_its_wallet(onboarded, suite):
    assert [c["function"] for c in onboarded["calls"]] == ["registerInvestor", "addWallet"]
    assert len(onboarded["tx_hashes"]) == 2
    investor = suite.investor(ALICE_ID)
    assert (investor.country, investor.class_flags, investor.wallets) == (840, 1, [ALICE])


def test_onboarding_again_sends_nothing(onboarded, admin):
    again = result_of(
        admin(
            "onboard", "--investor", ALICE_ID, "--country", "840", "--kyc-expiry", EXPIRY,
            "--wallet", ALICE, "--json", sender=REGISTRAR,
        )
    )  # fmt: skip
    assert (again["mode"], again["calls"], again["tx_hashes"]) == ("nothing", [], [])


def test_renew_kyc_sets_the_new_expiry_and_keeps_the_rest(onboarded, admin, suite):
    later = (datetime.now(UTC) + timedelta(days=800)).replace(microsecond=0)
    result_of(
        admin(
            "renew-kyc", "--investor", BOB_ID, "--kyc-expiry", later.isoformat(), "--json", sender=REGISTRAR
        )
    )
    investor = suite.investor(BOB_ID)
    assert (investor.kyc_expiry, investor.country) == (later, 826)


def test_freeze_investor_and_unfreeze_investor(onboarded, admin, suite):
    result_of(admin("freeze-investor", "--investor", BOB_ID, "--json", sender=REGISTRAR))
    assert suite.investor(BOB_ID).frozen is True
    result_of(admin("unfreeze-investor", "--investor", BOB_ID, "--json", sender=REGISTRAR))
    assert suite.investor(BOB_ID).frozen is False


# -- dry run -----------------------------------------------------------------------------------


def test_a_dry_run_prints_the_calls_and_their_gas_and_sends_nothing(onboarded, admin, suite):
    before = nonce(suite, GUARDIAN)
    process = admin("pause", "--asset", "TSLArs", "--reason", "drill", "--dry-run", "--json", sender=GUARDIAN)
    dry = result_of(process)
    assert dry["mode"] == "dry-run"
    (call,) = dry["calls"]
    assert (call["contract"], call["function"], call["args"]) == ("TSLArs", "pause", ["drill"])
    assert call["gas"] > 21_000
    assert nonce(suite, GUARDIAN) == before
    with suite.connected():
        assert token(suite, "TSLArs").paused() is False


def test_a_dry_run_in_text_shows_the_gas_column(onboarded, admin):
    process = admin("publish-price", "--asset", "NVDAon", "--price", "131.25", "--dry-run", sender=QUOTER)
    assert process.returncode == 0, process.stderr
    assert "gas" in process.stdout and "dry run, nothing sent" in process.stdout


# -- holdings ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def alice_holds_shares(onboarded, suite) -> None:
    """100 TSLArs issued to alice by the transfer agent."""
    with suite.connected():
        agent = suite.test_account(AGENT)
    suite.issue("TSLArs", ALICE, 100, agent, "admin test allocation")


def test_freeze_and_unfreeze_a_wallet_on_a_registry_share(alice_holds_shares, admin, suite):
    result_of(
        admin(
            "freeze",
            "--asset",
            "TSLArs",
            "--wallet",
            BOB,
            "--reason",
            "court order 1",
            "--json",
            sender=AGENT,
        )
    )
    assert suite.balance("TSLArs", BOB).frozen is True
    result_of(
        admin("unfreeze", "--asset", "TSLArs", "--wallet", BOB, "--reason", "lifted", "--json", sender=AGENT)
    )
    assert suite.balance("TSLArs", BOB).frozen is False


def test_freeze_tokens_on_a_certificate_goes_through_erc7943_set_frozen_tokens(onboarded, admin, suite):
    frozen = result_of(
        admin("freeze-tokens", "--asset", "AAPLx", "--wallet", BOB, "--amount", "2.5", "--json", sender=AGENT)
    )
    assert frozen["calls"][0]["function"] == "setFrozenTokens"
    assert frozen["calls"][0]["args"] == [BOB, 25 * E18 // 10]
    result_of(
        admin("unfreeze-tokens", "--asset", "AAPLx", "--wallet", BOB, "--amount", "1", "--json", sender=AGENT)
    )
    with suite.connected():
        assert token(suite, "AAPLx").getFrozenTokens(BOB) == 15 * E18 // 10


def test_releasing_more_tokens_than_are_frozen_is_refused(onboarded, admin):
    process = admin("unfreeze-tokens", "--asset", "AAPLx", "--wallet", ALICE, "--amount", "1", sender=AGENT)
    assert process.returncode == BAD_INPUT
    assert process.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "frozen on AAPLx" in process.stderr


def test_partial_freeze_on_a_registry_share_records_the_reason(alice_holds_shares, admin, suite):
    result = result_of(
        admin("freeze-tokens", "--asset", "TSLArs", "--wallet", ALICE, "--amount", "10", "--reason", "lien 4", "--json", sender=AGENT)
    )  # fmt: skip
    assert result["calls"][0]["function"] == "freezePartialTokens"
    assert result["calls"][0]["args"] == [ALICE, 10 * E18, "lien 4"]
    with suite.connected():
        assert token(suite, "TSLArs").getFrozenTokens(ALICE) == 10 * E18
    result_of(admin("unfreeze-tokens", "--asset", "TSLArs", "--wallet", ALICE, "--amount", "10", "--reason", "released", "--json", sender=AGENT))  # fmt: skip


def test_forced_transfer_moves_the_shares_with_the_reason(alice_holds_shares, admin, suite):
    before = suite.balance("TSLArs", BOB).amount
    result = result_of(
        admin(
            "forced-transfer", "--asset", "TSLArs", "--from", ALICE, "--to", BOB, "--amount", "4",
            "--reason", "court order 2026-77", "--json", sender=AGENT,
        )
    )  # fmt: skip
    assert result["calls"][0]["args"] == [ALICE, BOB, 4 * E18, "court order 2026-77"]
    assert suite.balance("TSLArs", BOB).amount == before + 4 * E18


def test_a_forced_transfer_needs_a_reason(alice_holds_shares, admin):
    process = admin(
        "forced-transfer", "--asset", "TSLArs", "--from", ALICE, "--to", BOB, "--amount", "1", sender=AGENT
    )
    assert process.returncode == BAD_INPUT
    assert "--reason" in process.stderr


# -- feeds -------------------------------------------------------------------------------------


def test_attest_reserves_reports_the_shares_in_the_feeds_decimals(onboarded, admin, suite):
    result = result_of(
        admin("attest-reserves", "--asset", "AAPLx", "--amount", "5000", "--json", sender=CUSTODIAN)
    )
    assert result["calls"][0]["function"] == "report"
    with suite.connected():
        shares, _, fresh = token(suite, "AAPLx").reserves()
    assert (shares, fresh) == (5000 * E18, True)


def test_publish_price_reports_usd_with_eight_decimals(onboarded, admin):
    result = result_of(
        admin("publish-price", "--asset", "NVDAon", "--price", "231.5", "--json", sender=QUOTER)
    )
    assert result["calls"][0]["args"] == [23_150_000_000]


# -- corporate actions -------------------------------------------------------------------------


def test_a_two_for_one_split_doubles_every_balance(alice_holds_shares, admin, suite):
    before = suite.balance("TSLArs", ALICE).amount
    result_of(
        admin(
            "split",
            "--asset",
            "TSLArs",
            "--ratio",
            "2:1",
            "--reason",
            "board 2026-11",
            "--json",
            sender=AGENT,
        )
    )
    assert suite.balance("TSLArs", ALICE).amount == 2 * before


def test_a_reverse_split_on_a_certificate_schedules_the_multiplier_update(onboarded, admin, suite):
    with suite.connected():
        current = int(token(suite, "AAPLx").multiplier())
    result = result_of(
        admin(
            "split",
            "--asset",
            "AAPLx",
            "--ratio",
            "1:10",
            "--reason",
            "consolidation",
            "--json",
            sender=AGENT,
        )
    )
    (call,) = result["calls"]
    assert call["function"] == "scheduleMultiplierUpdate"
    assert call["args"][:2] == [current, current // 10]


def test_declare_dividend_approves_then_declares(alice_holds_shares, admin, suite):
    from ape import project

    with suite.connected():
        cash = project.MockStablecoin.at(suite.manifest.address("Cash"))
        cash.mint(suite.test_account(AGENT), 1_000 * 10**6, sender=suite.test_account(0))
    result = result_of(
        admin("declare-dividend", "--asset", "TSLArs", "--amount", "250.50", "--reason", "Q4 dividend", "--json", sender=AGENT)
    )  # fmt: skip
    assert [c["function"] for c in result["calls"]] == ["approve", "declareDividend"]
    assert result["calls"][1]["args"][1:] == [250_500_000, 30 * 86_400, "Q4 dividend"]
    with suite.connected():
        distributor = suite.contracts.DividendDistributor.at(
            suite.manifest.asset("TSLArs").extra["dividends"]
        )
        assert distributor.dividendCount() == 1


def test_open_ballot_proposes_the_resolution(alice_holds_shares, admin, suite):
    result_of(admin("open-ballot", "--asset", "TSLArs", "--description", "Elect the board", "--voting-days", "3", "--json", sender=AGENT))  # fmt: skip
    with suite.connected():
        box = suite.contracts.BallotBox.at(suite.manifest.asset("TSLArs").extra["ballots"])
        assert box.ballotCount() == 1


def test_set_limits_caps_the_holders(onboarded, admin, suite):
    result = result_of(admin("set-limits", "--asset", "TSLArs", "--max-holders", "500", "--json", sender=0))
    assert [c["function"] for c in result["calls"]] == ["setMaxHolders"]


def test_the_guardian_pauses_and_only_the_admin_unpauses(onboarded, admin, suite):
    result_of(admin("pause", "--asset", "NVDAon", "--json", sender=GUARDIAN))
    with suite.connected():
        assert token(suite, "NVDAon").paused() is True
    refused = admin("unpause", "--asset", "NVDAon", sender=GUARDIAN)
    assert refused.returncode == BAD_INPUT
    assert "does not hold DEFAULT_ADMIN_ROLE on NVDAon: nothing sent" in refused.stderr
    with suite.connected():
        assert token(suite, "NVDAon").paused() is True
    result_of(admin("unpause", "--asset", "NVDAon", "--json", sender=0))
    with suite.connected():
        assert token(suite, "NVDAon").paused() is False


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "sender", "message"),
    [
        (
            ["freeze", "--asset", "TSLArs", "--wallet", ALICE.replace("F", "f", 1), "--reason", "x"],
            AGENT,
            "bad wallet",
        ),
        (
            [
                "forced-transfer",
                "--asset",
                "TSLArs",
                "--from",
                ALICE,
                "--to",
                BOB,
                "--amount",
                "0",
                "--reason",
                "x",
            ],
            AGENT,
            "greater than zero",
        ),
        (["pause", "--asset", "NOPE"], GUARDIAN, "unknown asset 'NOPE'"),
        (["pause", "--asset", "TSLArs", "--reason", "x"], AGENT, "does not hold PAUSER_ROLE"),
        (["attest-reserves", "--asset", "TSLArs", "--amount", "1"], CUSTODIAN, "no reserves feed"),
        (["split", "--asset", "TSLArs", "--ratio", "2", "--reason", "x"], AGENT, "bad ratio"),
        (
            [
                "onboard",
                "--investor",
                BOB_ID,
                "--country",
                "840",
                "--kyc-expiry",
                "2020-01-01",
                "--wallet",
                BOB,
            ],
            REGISTRAR,
            "already past",
        ),
        (
            ["declare-dividend", "--asset", "TSLArs", "--amount", "1000000000", "--reason", "x"],
            AGENT,
            "of cash, less than",
        ),
        (
            [
                "recover",
                "--asset",
                "AAPLx",
                "--lost",
                ALICE,
                "--new",
                BOB,
                "--investor",
                ALICE_ID,
                "--reason",
                "x",
            ],
            AGENT,
            "wallet recovery is a registry share's",
        ),
        (
            ["pause", "--asset", "TSLArs", "--reason", "x", "--safe", ALICE.replace("F", "f", 1)],
            AGENT,
            "bad --safe",
        ),
        (
            ["freeze-tokens", "--asset", "AAPLx", "--wallet", BOB, "--amount", "-1"],
            AGENT,
            "greater than zero",
        ),
    ],
    ids=[
        "non-checksummed",
        "zero-amount",
        "unknown-asset",
        "missing-role",
        "no-feed",
        "bad-ratio",
        "expired-kyc",
        "more-cash-than-held",
        "recovery-on-a-certificate",
        "bad-safe-checksum",
        "negative-amount",
    ],
)
def test_bad_input_is_one_error_line_exit_2_and_nothing_sent(onboarded, admin, suite, args, sender, message):
    before = nonce(suite, sender)
    process = admin(*args, "--json", sender=sender)
    assert process.returncode == BAD_INPUT
    assert process.stdout.strip() == ""
    assert process.stderr.strip().splitlines()[-1].startswith("error: ")
    assert message in process.stderr
    assert nonce(suite, sender) == before


def test_network_is_required(admin):
    process = ape_run("admin", "pause", "--asset", "TSLArs")
    assert process.returncode == BAD_INPUT
    assert "--network is required" in process.stderr


# -- the Safe ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def safe(suite, onboarded) -> Any:
    """A 1-of-1 Safe v1.4.1 (ape-safe's package) owned by the transfer agent, holding PAUSER_ROLE
    on TSLArs (and no other role)."""
    from ape_safe.packages import PackageType, get_manifest
    from packaging.version import Version

    version = Version("1.4.1")
    with suite.connected():
        issuer, agent = suite.test_account(0), suite.test_account(AGENT)
        singleton = PackageType.SINGLETON(version).deploy(sender=issuer)
        proxy = get_manifest(version).SafeProxy.deploy(singleton.address, sender=issuer)
        contract = PackageType.SINGLETON(version).at(proxy.address)
        contract.setup([agent.address], 1, ZERO, b"", ZERO, ZERO, 0, ZERO, sender=issuer)
        token(suite, "TSLArs").grantRole(PAUSER_ROLE, contract.address, sender=issuer)
    return contract


def test_safe_proposal_is_the_safe_tx_the_safe_executes(safe, admin, suite):
    before = nonce(suite, AGENT)
    process = admin("pause", "--asset", "TSLArs", "--reason", "incident 9", "--safe", str(safe.address), "--json", sender=AGENT)  # fmt: skip
    result = result_of(process)
    assert result["mode"] == "proposed" and result["acting"] == str(safe.address)
    (tx,) = result["safe_txs"]
    with suite.connected():
        share = token(suite, "TSLArs")
        assert tx["to"] == str(share.address)
        assert tx["data"] == "0x" + bytes(share.pause.encode_input("incident 9")).hex()
        expected = safe.getTransactionHash(tx["to"], 0, tx["data"], 0, 0, 0, 0, ZERO, ZERO, tx["nonce"])
        assert tx["safe_tx_hash"] == "0x" + bytes(expected).hex()
        assert share.paused() is False  # proposed, not sent
        assert nonce(suite, AGENT) == before
        safe.execTransaction(
            tx["to"], 0, tx["data"], 0, 0, 0, 0, ZERO, ZERO, tx["signature"], sender=suite.test_account(0)
        )
        assert share.paused() is True
        share.unpause("after the drill", sender=suite.test_account(0))


def test_a_safe_without_the_role_is_refused(safe, admin):
    process = admin("freeze", "--asset", "TSLArs", "--wallet", BOB, "--reason", "x", "--safe", str(safe.address), sender=AGENT)  # fmt: skip
    assert process.returncode == BAD_INPUT
    assert f"{safe.address} does not hold TRANSFER_AGENT_ROLE" in process.stderr


def test_a_proposer_who_is_not_an_owner_is_refused(safe, admin):
    process = admin(
        "pause", "--asset", "TSLArs", "--reason", "x", "--safe", str(safe.address), sender=GUARDIAN
    )
    assert process.returncode == BAD_INPUT
    assert "is not an owner of the Safe" in process.stderr


def test_safe_is_refused_where_there_is_no_safe(onboarded, admin):
    process = admin("pause", "--asset", "TSLArs", "--reason", "x", "--safe", BOB, sender=AGENT)
    assert process.returncode == BAD_INPUT
    assert "is not a Safe" in process.stderr


def test_the_timelock_commands_are_refused_where_there_is_no_timelock(nodes, deployed, onboarded):
    unknown = "0x" + "42" * 32
    process = ape_run(
        "admin",
        "timelock",
        "status",
        *on(nodes[0]),
        "--manifests",
        str(deployed),
        "--operation",
        unknown,
        "--json",
    )
    assert process.returncode == BAD_INPUT
    assert "has no timelock (deployed without --governance safe)" in process.stderr
    assert process.stdout.strip() == ""


# -- many investors ----------------------------------------------------------------------------


def investors_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = ["investor_id,country,class_flags,kyc_expiry,wallets"]
    lines += [f"{investor},276,0,{EXPIRY},{wallets}" for investor, wallets in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def wallet(n: int) -> str:
    from eth_utils import to_checksum_address

    return to_checksum_address(f"0x{n:040x}")


def test_onboard_csv_registers_every_row_and_a_second_run_skips_them(onboarded, admin, suite, tmp_path):
    rows = [("0x" + f"{n:064x}", f"{wallet(1000 + n)};{wallet(2000 + n)}") for n in range(1, 4)]
    path = investors_csv(tmp_path / "investors.csv", rows)
    first = result_of(admin("onboard-csv", str(path), "--json", sender=REGISTRAR))
    assert (first["rows"], first["skipped"], len(first["onboarded"])) == (3, 0, 3)
    assert suite.investor(rows[2][0]).wallets == [wallet(1003), wallet(2003)]
    again = result_of(admin("onboard-csv", str(path), "--json", sender=REGISTRAR))
    assert (again["skipped"], again["onboarded"]) == (3, [])


def test_onboard_csv_resumes_where_investors_are_already_registered(onboarded, admin, tmp_path):
    rows = [("0x" + f"{n:064x}", wallet(3000 + n)) for n in range(10, 13)]
    path = investors_csv(tmp_path / "resume.csv", rows)
    result_of(
        admin("onboard-csv", str(investors_csv(tmp_path / "one.csv", rows[1:2])), "--json", sender=REGISTRAR)
    )
    result = result_of(admin("onboard-csv", str(path), "--json", sender=REGISTRAR))
    assert (result["skipped"], result["onboarded"]) == (1, [rows[0][0], rows[2][0]])


def test_onboard_csv_with_a_bad_row_names_it_and_sends_nothing(onboarded, admin, suite, tmp_path):
    rows = [("0x" + f"{n:064x}", wallet(4000 + n)) for n in range(20, 23)]
    rows[2] = (rows[2][0], "0xnot-an-address")
    path = investors_csv(tmp_path / "bad.csv", rows)
    before = nonce(suite, REGISTRAR)
    process = admin("onboard-csv", str(path), sender=REGISTRAR)
    assert process.returncode == BAD_INPUT
    assert "row 4, column wallets" in process.stderr.strip().splitlines()[-1]
    assert nonce(suite, REGISTRAR) == before


def test_onboard_csv_with_a_wallet_of_another_investor_sends_nothing(onboarded, admin, suite, tmp_path):
    rows = [("0x" + f"{n:064x}", wallet(5000 + n)) for n in range(30, 32)] + [("0x" + "3f" * 32, ALICE)]
    before = nonce(suite, REGISTRAR)
    process = admin("onboard-csv", str(investors_csv(tmp_path / "taken.csv", rows)), sender=REGISTRAR)
    assert process.returncode == BAD_INPUT
    assert f"row 4: wallet {ALICE} belongs to investor {ALICE_ID}" in process.stderr
    assert nonce(suite, REGISTRAR) == before


def test_onboard_csv_dry_run_sends_nothing(onboarded, admin, suite, tmp_path):
    rows = [("0x" + f"{n:064x}", wallet(6000 + n)) for n in range(40, 42)]
    before = nonce(suite, REGISTRAR)
    path = investors_csv(tmp_path / "dry.csv", rows)
    result = result_of(admin("onboard-csv", str(path), "--dry-run", "--json", sender=REGISTRAR))
    assert result["mode"] == "dry-run"
    assert [p["calls"][0]["gas"] > 21_000 for p in result["plans"]] == [True, True]
    assert nonce(suite, REGISTRAR) == before


def test_onboard_csv_through_a_safe_is_proposed_with_consecutive_safe_nonces(safe, admin, suite, tmp_path):
    from tokenized_stocks.protocol.roles import REGISTRAR_ROLE

    with suite.connected():
        registry = suite.contracts.InvestorRegistry.at(suite.manifest.address("InvestorRegistry"))
        registry.grantRole(REGISTRAR_ROLE, safe.address, sender=suite.test_account(0))
        first = int(safe._view_methods_["nonce"]())
    rows = [("0x" + f"{n:064x}", wallet(7000 + n)) for n in range(50, 52)]
    path = investors_csv(tmp_path / "safe.csv", rows)
    result = result_of(admin("onboard-csv", str(path), "--safe", str(safe.address), "--json", sender=AGENT))
    (proposal,) = result["plans"]
    assert [tx["nonce"] for tx in proposal["safe_txs"]] == [first, first + 1, first + 2, first + 3]
    with suite.connected():
        assert registry.isRegistered(rows[0][0]) is False  # proposed, not sent


def test_recover_moves_a_lost_wallets_shares_to_the_investors_new_wallet(alice_holds_shares, admin, suite):
    new = wallet(9001)
    result_of(
        admin(
            "onboard", "--investor", ALICE_ID, "--country", "840", "--class-flags", "1",
            "--kyc-expiry", EXPIRY, "--wallet", new, "--json", sender=REGISTRAR,
        )
    )  # fmt: skip
    held = suite.balance("TSLArs", ALICE).amount
    result_of(
        admin(
            "recover", "--asset", "TSLArs", "--lost", ALICE, "--new", new, "--investor", ALICE_ID,
            "--reason", "lost key, affidavit 31", "--json", sender=AGENT,
        )
    )  # fmt: skip
    assert (suite.balance("TSLArs", new).amount, suite.balance("TSLArs", ALICE).amount) == (held, 0)


def test_the_guardian_pauses_the_gateway_and_only_the_admin_unpauses_it(onboarded, admin, suite):
    result_of(admin("pause-gateway", "--json", sender=GUARDIAN))
    with suite.connected():
        gateway = suite.contracts.Gateway.at(suite.manifest.address("Gateway"))
        assert gateway.paused() is True
    refused = admin("unpause-gateway", sender=GUARDIAN)
    assert refused.returncode == BAD_INPUT
    assert "does not hold DEFAULT_ADMIN_ROLE on the gateway" in refused.stderr
    result_of(admin("unpause-gateway", "--json", sender=0))
    with suite.connected():
        assert gateway.paused() is False
