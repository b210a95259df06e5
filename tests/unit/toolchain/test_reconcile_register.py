"""Chain vs register: every difference per ISIN and account is a break that names it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tokenized_stocks.iso20022.messages import Holding, HoldingsStatement
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.reconcile.model import reconcile
from tokenized_stocks.reconcile.register import (
    IN_TRANSIT,
    PendingOffRamp,
    RegisterLedger,
    RegisterMove,
    compare,
    in_flight,
)

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
        "chain_time": 1_800_000_000,
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


# ---------------------------------------------------------------------------------------------
# Movements in transit between the chain and the register
# ---------------------------------------------------------------------------------------------

NOW = 1_800_000_000  # the register's clock and the chain's head (`_ledger`)
HOUR = 3_600
OFF_RAMP_ID = "0x" + "ab" * 32
OFF_RAMP_REF = "AB" * 16


def _on_ramp(status: str = "pending", **over) -> RegisterMove:
    values = {
        "reference": "BACK-1",
        "isin": ISIN,
        "account": "ACC-A",
        "movement": "DELI",
        "status": status,
        "units": SHARE,  # 2 shares at the 2:1 multiplier
        "booked_at": NOW - 2 * HOUR,
        "deadline": NOW - 2 * HOUR + 24 * HOUR,
    }
    values.update(over)
    return RegisterMove(**values)


def _off_ramp(**over) -> PendingOffRamp:
    values = {
        "instruction_id": OFF_RAMP_ID,
        "reference": OFF_RAMP_REF,
        "account": "ACC-B",
        "units": SHARE,
        "requested_at": NOW - HOUR,
        "deadline": NOW - HOUR + 7 * 24 * HOUR,
    }
    values.update(over)
    return PendingOffRamp(**values)


def _breaks(findings) -> list:
    return [f for f in findings if f.severity == "break"]


def test_an_on_ramp_the_register_debited_and_no_chain_issued_is_in_transit_not_a_break():
    findings = compare([_ledger()], _statement(("ACC-A", "8"), ("ACC-B", "6")), [_on_ramp()], NOW)

    (finding,) = findings
    assert (finding.check, finding.severity, finding.chain_id) == ("register on-ramp", IN_TRANSIT, 0)
    assert finding.detail == (
        f"{ISIN} on-ramp BACK-1 of 2 shares from ACC-A: debited on the register, not yet issued on chain for 2h 0m"
    )


def test_an_on_ramp_past_its_deadline_is_a_break_naming_it():
    late = _on_ramp(deadline=NOW - 1)

    (finding,) = compare([_ledger()], _statement(("ACC-A", "8"), ("ACC-B", "6")), [late], NOW)

    assert (finding.check, finding.severity) == ("register on-ramp", "break")
    assert "BACK-1" in finding.detail and "past its deadline" in finding.detail


def test_an_on_ramp_the_chain_issued_and_the_register_has_not_confirmed_is_in_transit():
    issued = _ledger(accounts={"ACC-A": 4 * SHARE, "ACC-B": 3 * SHARE}, inventory_units=7 * SHARE)
    issued.issued["BACK-1"] = "0x" + "cd" * 32

    findings = compare([issued], _statement(("ACC-A", "8"), ("ACC-B", "6")), [_on_ramp()], NOW)

    assert [(f.check, f.severity) for f in findings] == [("register on-ramp", IN_TRANSIT)]
    assert "issued on chain, its confirmation not yet booked on the register" in findings[0].detail


def test_a_register_debit_no_pending_on_ramp_explains_is_a_break():
    findings = compare([_ledger()], _statement(("ACC-A", "8"), ("ACC-B", "6")), [], NOW)

    assert [f.check for f in _breaks(findings)] == ["register position", "register supply"]
    assert findings[0].detail == f"{ISIN} account ACC-A: register 8, chain 10 shares"


def test_an_on_ramp_of_another_account_does_not_explain_a_debit():
    other = _on_ramp(account="ACC-B")

    findings = compare([_ledger()], _statement(("ACC-A", "8"), ("ACC-B", "6")), [other], NOW)

    assert {f.detail for f in _breaks(findings) if f.check == "register position"} == {
        f"{ISIN} account ACC-A: register 8, chain 10 shares",
        f"{ISIN} account ACC-B: register 6, chain 4 shares",
    }


def test_a_settled_or_rejected_on_ramp_is_not_in_transit():
    rejected = _on_ramp("rejected")

    assert compare([_ledger()], _statement(("ACC-A", "10"), ("ACC-B", "6")), [rejected], NOW) == []


def test_a_chain_issue_with_no_register_debit_is_a_break():
    issued = _ledger(accounts={"ACC-A": 4 * SHARE, "ACC-B": 3 * SHARE}, inventory_units=7 * SHARE)
    issued.issued["GHOST-1"] = "0x" + "cd" * 32

    findings = compare([issued], _statement(("ACC-A", "10"), ("ACC-B", "6")), [], NOW)

    assert [f.check for f in _breaks(findings)][0] == "register on-ramp"
    assert "issued on chain for register reference GHOST-1, which the register never debited" in (
        findings[0].detail
    )


def test_a_delivery_the_register_booked_that_no_chain_issued_is_a_break():
    delivered = _on_ramp("settled")

    findings = compare([_ledger()], _statement(("ACC-A", "8"), ("ACC-B", "6")), [delivered], NOW)

    assert findings[0].check == "register on-ramp" and findings[0].severity == "break"
    assert "delivered on the register, and no chain issued it" in findings[0].detail


def test_an_off_ramp_the_register_credited_and_the_chain_holds_pending_is_in_transit():
    ledger = _ledger(pending_off_ramps=[_off_ramp()])
    credited = _on_ramp("settled", reference=OFF_RAMP_REF, account="ACC-B", movement="RECE", deadline=None)

    findings = compare([ledger], _statement(("ACC-A", "10"), ("ACC-B", "8")), [credited], NOW)

    (finding,) = findings
    assert (finding.check, finding.severity, finding.chain_id) == ("register off-ramp", IN_TRANSIT, 31337)
    assert finding.detail == (
        f"{ISIN} off-ramp {OFF_RAMP_REF} ({OFF_RAMP_ID}) of 2 shares to ACC-B: credited on the register, "
        "awaiting its confirmation on chain, for 1h 0m"
    )


def test_an_off_ramp_locked_on_chain_not_yet_booked_is_in_transit_with_or_without_the_log():
    ledger = _ledger(pending_off_ramps=[_off_ramp()])
    statement = _statement(("ACC-A", "10"), ("ACC-B", "6"))

    for moves in ([], None):
        (finding,) = compare([ledger], statement, moves, NOW)
        assert finding.severity == IN_TRANSIT
        assert "locked on chain, not yet credited on the register" in finding.detail


def test_an_off_ramp_pending_past_its_deadline_is_a_break():
    ledger = _ledger(pending_off_ramps=[_off_ramp(deadline=NOW - 1)])

    (finding,) = compare([ledger], _statement(("ACC-A", "10"), ("ACC-B", "6")), [], NOW)

    assert (finding.check, finding.severity) == ("register off-ramp", "break")
    assert "past its deadline" in finding.detail and OFF_RAMP_REF in finding.detail


def test_a_credit_for_an_off_ramp_the_chain_expired_is_a_break_naming_it():
    """The chain expired the off-ramp (the tokens went back); the register still shows the credit."""
    ledger = _ledger(returned={OFF_RAMP_REF: (OFF_RAMP_ID, "expired")})
    credited = _on_ramp("settled", reference=OFF_RAMP_REF, account="ACC-B", movement="RECE", deadline=None)

    (finding,) = compare([ledger], _statement(("ACC-A", "10"), ("ACC-B", "8")), [credited], NOW)

    assert (finding.check, finding.severity) == ("register off-ramp", "break")
    assert finding.detail == (
        f"{ISIN} off-ramp {OFF_RAMP_REF} ({OFF_RAMP_ID}) expired on chain (the tokens went back to the holder) "
        "and is credited to ACC-B on the register: the register must reverse it"
    )


def test_an_expired_off_ramp_the_register_reversed_reconciles():
    ledger = _ledger(returned={OFF_RAMP_REF: (OFF_RAMP_ID, "expired")})
    reversed_ = _on_ramp("reversed", reference=OFF_RAMP_REF, account="ACC-B", movement="RECE", deadline=None)

    assert compare([ledger], _statement(("ACC-A", "10"), ("ACC-B", "6")), [reversed_], NOW) == []


def test_a_credit_no_chain_move_explains_is_a_position_break():
    credited = _on_ramp("settled", reference=OFF_RAMP_REF, account="ACC-B", movement="RECE", deadline=None)

    findings = compare([_ledger()], _statement(("ACC-A", "10"), ("ACC-B", "8")), [credited], NOW)

    assert [f.check for f in findings] == ["register position", "register supply"]


def test_without_the_instruction_log_an_on_ramp_in_transit_shows_as_a_break():
    findings = compare([_ledger()], _statement(("ACC-A", "8"), ("ACC-B", "6")), None, NOW)

    assert [f.check for f in findings] == ["register position", "register supply"]


def test_movements_in_transit_leave_the_report_ok():
    findings = compare([_ledger()], _statement(("ACC-A", "8"), ("ACC-B", "6")), [_on_ramp()], NOW)

    assert reconcile([], findings).ok
    assert not reconcile([], compare([_ledger()], _statement(("ACC-A", "8"), ("ACC-B", "6")), [], NOW)).ok


def test_an_off_ramp_the_register_rejected_is_in_transit_until_failed_on_chain():
    ledger = _ledger(pending_off_ramps=[_off_ramp()])
    rejected = _on_ramp("rejected", reference=OFF_RAMP_REF, account="ACC-B", movement="RECE", deadline=None)

    (finding,) = compare([ledger], _statement(("ACC-A", "10"), ("ACC-B", "6")), [rejected], NOW)

    assert finding.severity == IN_TRANSIT
    assert "rejected by the register, awaiting its failure on chain" in finding.detail


def test_an_on_ramp_issued_on_chain_that_the_register_released_is_a_break():
    issued = _ledger(accounts={"ACC-A": 4 * SHARE, "ACC-B": 3 * SHARE}, inventory_units=7 * SHARE)
    issued.issued["BACK-1"] = "0x" + "cd" * 32
    released = _on_ramp("rejected", reason="DUPLICATE REFERENCE")

    findings = compare([issued], _statement(("ACC-A", "10"), ("ACC-B", "6")), [released], NOW)

    assert findings[0].severity == "break"
    assert findings[0].detail == (
        f"{ISIN} on-ramp BACK-1 issued on chain (0x{'cd' * 32}), and the register released the position "
        "(rejected: DUPLICATE REFERENCE)"
    )
    assert any(f.check == "register position" for f in findings)


def test_an_on_ramp_in_transit_is_taken_from_the_chain_that_holds_the_account():
    """Two chains' adapters book the ISIN; ACC-B's units are on the second: the on-ramp's debit
    is matched there, not on the first."""
    first = _ledger(accounts={"ACC-A": 5 * SHARE}, inventory_units=5 * SHARE, pending_units=0)
    second = _ledger(
        chain_id=31338, accounts={"ACC-B": 3 * SHARE}, inventory_units=3 * SHARE, pending_units=0
    )
    on_ramp = _on_ramp(account="ACC-B")

    findings = compare([first, second], _statement(("ACC-A", "10"), ("ACC-B", "4")), [on_ramp], NOW)

    assert [f.severity for f in findings] == [IN_TRANSIT]


def test_an_age_reads_in_days_hours_minutes():
    old = _on_ramp(booked_at=NOW - (3 * 24 + 5) * HOUR, deadline=NOW + 1)

    (finding,) = compare([_ledger()], _statement(("ACC-A", "8"), ("ACC-B", "6")), [old], NOW)

    assert finding.detail.endswith("not yet issued on chain for 3d 5h")
