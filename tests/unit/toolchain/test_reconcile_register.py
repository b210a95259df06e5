"""Chain vs register: every difference per ISIN and account is a break that names it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tokenized_stocks.iso20022.messages import Holding, HoldingsStatement
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.reconcile.register import RegisterLedger, compare, in_flight

ISIN = "US0378331005"
DTI = "4H95J0R2X"
SHARE = 10**18


def _ledger(**over) -> RegisterLedger:
    values = {
        "key": "AAPL",
        "chain_id": 31337,
        "isin": ISIN,
        "dti": DTI,
        "multiplier": 2 * ONE,  # after a 2:1 split
        "inventory_units": 8 * SHARE,
        "pending_units": SHARE,
        "accounts": {"ACC-A": 5 * SHARE, "ACC-B": 3 * SHARE},
    }
    values.update(over)
    return RegisterLedger(**values)


def _statement(*holdings: tuple[str, str]) -> HoldingsStatement:
    return HoldingsStatement(
        "ST-1",
        "REGISTER",
        datetime(2026, 11, 26, tzinfo=UTC),
        tuple(Holding(account, ISIN, DTI, Decimal(q)) for account, q in holdings),
    )


def test_a_register_that_agrees_with_the_chain_has_no_finding():
    assert compare([_ledger()], _statement(("ACC-A", "10"), ("ACC-B", "6"))) == []


def test_a_wrong_account_position_is_a_break_naming_the_account_and_both_numbers():
    (finding,) = compare([_ledger()], _statement(("ACC-A", "10"), ("ACC-B", "7")))[:1]

    assert (finding.check, finding.severity) == ("register position", "break")
    assert finding.detail == f"{ISIN} account ACC-B: register 7, chain 6 shares"


def test_an_account_only_the_register_knows_is_a_break():
    findings = compare([_ledger()], _statement(("ACC-A", "10"), ("ACC-B", "6"), ("ACC-X", "1")))

    assert [f.detail for f in findings if f.check == "register position"] == [
        f"{ISIN} account ACC-X: register 1, chain 0 shares"
    ]
    assert any(f.check == "register supply" for f in findings)


def test_a_register_that_missed_a_split_breaks_every_account():
    findings = compare([_ledger()], _statement(("ACC-A", "5"), ("ACC-B", "3")))

    assert {f.detail for f in findings if f.check == "register position"} == {
        f"{ISIN} account ACC-A: register 5, chain 10 shares",
        f"{ISIN} account ACC-B: register 3, chain 6 shares",
    }


def test_a_security_no_chain_lists_is_a_break():
    statement = HoldingsStatement(
        "ST-1",
        "REGISTER",
        datetime(2026, 11, 26, tzinfo=UTC),
        (Holding("ACC-A", "US5949181045", DTI, Decimal(1)),),
    )

    findings = compare([], statement)

    assert [(f.asset, f.check) for f in findings] == [("US5949181045", "register")]


def test_a_statement_naming_another_dti_is_a_break():
    statement = HoldingsStatement(
        "ST-1",
        "REGISTER",
        datetime(2026, 11, 26, tzinfo=UTC),
        (Holding("ACC-A", ISIN, "4H95J0R2Z", Decimal(10)),),
    )

    findings = compare([_ledger(accounts={"ACC-A": 5 * SHARE}, inventory_units=5 * SHARE)], statement)

    assert [f.detail for f in findings] == ["statement DTI 4H95J0R2Z, token DTI 4H95J0R2X"]


def test_an_inventory_that_settled_moves_do_not_explain_is_a_break():
    findings = compare([_ledger(inventory_units=9 * SHARE)], _statement(("ACC-A", "10"), ("ACC-B", "6")))

    assert [f.check for f in findings] == ["register inventory", "register supply"]


def test_pending_off_ramps_are_reported_in_flight_per_isin():
    assert in_flight([_ledger()]) == {ISIN: 2 * SHARE}
