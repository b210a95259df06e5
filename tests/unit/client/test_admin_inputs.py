"""`ape run admin`'s input parsing, checked before anything is sent: the investors CSV of
`onboard-csv` (validated whole, one line naming row and column), split ratios, KYC expiries,
timelock operation ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tokenized_stocks.client.admin import Admin, Call, PartlySent, Plan, parse_expiry, parse_ratio
from tokenized_stocks.client.onboarding import COLUMNS, parse_rows, read_rows
from tokenized_stocks.client.timelock import parse_operation_id
from tokenized_stocks.protocol.errors import UserError

ALICE = "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a"
BOB = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788"
ID_A = "0x" + "a1" * 32
ID_B = "0x" + "b0" * 32
HEADER = ",".join(COLUMNS)


def rows(*lines: str) -> list[str]:
    return [HEADER, *lines]


def refused(lines: list[str]) -> str:
    with pytest.raises(UserError) as err:
        parse_rows(lines, "investors.csv")
    message = str(err.value)
    assert "\n" not in message
    return message


def test_a_row_becomes_an_investor_with_its_wallets():
    (row,) = parse_rows(rows(f"{ID_A},840,1,2027-12-31,{ALICE};{BOB.lower()}"))
    assert row.line == 2
    assert row.investor_id == bytes.fromhex("a1" * 32)
    assert (row.country, row.class_flags) == (840, 1)
    assert row.kyc_expiry == datetime(2027, 12, 31, tzinfo=UTC)
    assert row.wallets == (ALICE, BOB)


def test_the_columns_may_come_in_any_order_and_blank_lines_are_skipped():
    lines = ["wallets,kyc_expiry,class_flags,country,investor_id", "", f"{ALICE},2027-01-01,0,826,{ID_A}"]
    (row,) = parse_rows(lines)
    assert (row.line, row.country, row.wallets) == (3, 826, (ALICE,))


@pytest.mark.parametrize(
    ("line", "where"),
    [
        (f"0x1234,840,1,2027-12-31,{ALICE}", "row 2, column investor_id"),
        (f"{ID_A},eight,1,2027-12-31,{ALICE}", "row 2, column country"),
        (f"{ID_A},0,1,2027-12-31,{ALICE}", "row 2, column country"),
        (f"{ID_A},840,70000,2027-12-31,{ALICE}", "row 2, column class_flags"),
        (f"{ID_A},840,1,31/12/2027,{ALICE}", "row 2, column kyc_expiry"),
        (f"{ID_A},840,1,2027-12-31,{ALICE.replace('F', 'f', 1)}", "row 2, column wallets"),
        (f"{ID_A},840,1,2027-12-31,0x" + "0" * 40, "row 2, column wallets"),
        (f"{ID_A},840,1,2027-12-31,", "row 2, column wallets: at least one wallet"),
        (f"{ID_A},840,1,2027-12-31", "row 2: 4 cells, the header has 5"),
    ],
    ids=[
        "short-id",
        "country-text",
        "country-zero",
        "flags-range",
        "date",
        "checksum",
        "zero-wallet",
        "no-wallet",
        "cells",
    ],
)
def test_a_bad_cell_is_one_line_naming_its_row_and_column(line, where):
    assert where in refused(rows(line))


def test_the_error_names_the_first_bad_row_after_good_ones():
    message = refused(rows(f"{ID_A},840,1,2027-12-31,{ALICE}", f"{ID_B},840,1,2027-12-31,nope"))
    assert message.startswith("row 3, column wallets")


def test_an_investor_listed_twice_is_refused():
    message = refused(rows(f"{ID_A},840,1,2027-12-31,{ALICE}", f"{ID_A},840,1,2027-12-31,{BOB}"))
    assert message == f"row 3, column investor_id: {ID_A} is already on row 2"


def test_a_wallet_listed_for_two_investors_is_refused():
    message = refused(rows(f"{ID_A},840,1,2027-12-31,{ALICE}", f"{ID_B},840,1,2027-12-31,{BOB};{ALICE}"))
    assert message == f"row 3, column wallets: {ALICE} is already on row 2"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "investors.csv is empty"),
        ([HEADER], "lists no investor"),
        (["investor_id,country,kyc_expiry,wallets"], "missing class_flags"),
        ([HEADER + ",email"], "unknown email"),
    ],
    ids=["empty", "header-only", "missing-column", "unknown-column"],
)
def test_a_file_without_the_right_header_or_rows_is_refused(lines, message):
    assert message in refused(lines)


def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(UserError, match="cannot read"):
        read_rows(tmp_path / "missing.csv")


def test_a_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("\ufeff" + HEADER + f"\n{ID_A},840,1,2027-12-31,{ALICE}\n", encoding="utf-8")
    assert [r.wallets for r in read_rows(path)] == [(ALICE,)]


@pytest.mark.parametrize(("text", "ratio"), [("2:1", (2, 1)), ("1:10", (1, 10)), ("3:2", (3, 2))])
def test_a_ratio_is_new_shares_per_old(text, ratio):
    assert parse_ratio(text) == ratio


@pytest.mark.parametrize("text", ["2", "2:0", "0:1", "-1:2", "a:b", "1:1", "2:1:1"])
def test_a_bad_ratio_is_refused(text):
    with pytest.raises(UserError, match="bad ratio"):
        parse_ratio(text)


def test_an_expiry_without_a_zone_is_utc_and_a_zone_is_kept():
    assert parse_expiry("2027-12-31") == datetime(2027, 12, 31, tzinfo=UTC)
    plus_two = parse_expiry("2027-12-31T10:00:00+02:00")
    assert plus_two.utcoffset() == timedelta(hours=2) and plus_two.tzinfo == timezone(timedelta(hours=2))


def test_a_bad_expiry_is_refused():
    with pytest.raises(UserError, match="not an ISO date"):
        parse_expiry("next year")


# -- carrying a plan out (fake contracts: no chain) --------------------------------------------


class FakeMethod:
    def __init__(self, name: str, fails: bool = False) -> None:
        self.name, self.fails = name, fails

    def estimate_gas_cost(self, *args, sender):
        return 50_000

    def encode_input(self, *args):
        return bytes.fromhex("abcdef01") + len(args).to_bytes(32, "big")

    def __call__(self, *args, sender, gas_limit):
        if self.fails:
            raise RuntimeError(f"{self.name} reverted\nwith a trace")
        assert gas_limit == int(50_000 * 1.3)
        return type("Receipt", (), {"txn_hash": "0x" + self.name.encode().hex()})()


class FakeContract:
    address = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

    def __init__(self, failing: str = "") -> None:
        self.failing = failing

    def __getattr__(self, name: str) -> FakeMethod:
        return FakeMethod(name, fails=name == self.failing)


SENDER = type("Sender", (), {"address": ALICE})()


def plan_of(contract: FakeContract) -> Plan:
    return Plan(
        "onboard",
        "investor",
        [
            Call("InvestorRegistry", contract, "registerInvestor", (bytes(32), 840, 1, 2)),
            Call("InvestorRegistry", contract, "addWallet", (bytes(32), BOB)),
        ],
    )


def test_a_plan_is_sent_call_by_call_and_reports_each_hash():
    outcome = Admin(None, SENDER).send(plan_of(FakeContract()))  # type: ignore[arg-type]
    assert outcome.mode == "sent"
    assert outcome.tx_hashes == ["0x" + b"registerInvestor".hex(), "0x" + b"addWallet".hex()]


def test_a_later_call_that_fails_names_what_was_already_confirmed():
    with pytest.raises(PartlySent) as err:
        Admin(None, SENDER).send(plan_of(FakeContract(failing="addWallet")))  # type: ignore[arg-type]
    message = str(err.value)
    assert message.startswith(
        "step 2 (InvestorRegistry.addWallet(0x" + "00" * 32 + f", {BOB})) failed after 0x"
    )
    assert message.endswith("confirmed: addWallet reverted")


def test_a_first_call_that_fails_is_the_error_itself():
    with pytest.raises(RuntimeError, match="registerInvestor reverted"):
        Admin(None, SENDER).send(plan_of(FakeContract(failing="registerInvestor")))  # type: ignore[arg-type]


def test_a_call_as_json_keeps_raw_values_and_its_calldata():
    call = Call("TSLArs", FakeContract(), "forcedTransfer", (ALICE, BOB, 4 * 10**18, "court order"))
    assert call.as_json() == {
        "contract": "TSLArs",
        "to": FakeContract.address,
        "function": "forcedTransfer",
        "args": [ALICE, BOB, 4 * 10**18, "court order"],
        "data": "0xabcdef01" + (4).to_bytes(32, "big").hex(),
    }
    assert call.describe() == f"TSLArs.forcedTransfer({ALICE}, {BOB}, {4 * 10**18}, 'court order')"


def test_a_plan_for_a_safe_is_never_sent():
    safe = Admin(None, SENDER, safe=FakeContract.address)  # type: ignore[arg-type]
    assert safe.acting == FakeContract.address
    with pytest.raises(UserError, match="proposed, not sent"):
        safe.send(plan_of(FakeContract()))


@pytest.mark.parametrize("text", ["0x" + "ab" * 32, "AB" * 32, " 0X" + "ab" * 32 + " "])
def test_an_operation_id_is_32_bytes_of_hex_with_or_without_0x(text):
    assert parse_operation_id(text) == b"\xab" * 32


@pytest.mark.parametrize(
    "text", ["", "0x", "0x" + "ab" * 31, "0x" + "ab" * 33, "0x" + "zz" * 32, "0x" + "a" * 63]
)
def test_a_malformed_operation_id_is_one_line_naming_it(text):
    with pytest.raises(UserError, match="an operation id is 32 bytes of hex") as refusal:
        parse_operation_id(text)
    assert str(refusal.value).startswith(f"bad --operation {text!r}")
