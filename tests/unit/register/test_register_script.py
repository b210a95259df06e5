"""`ape run register`: serve books what waits in the inbox and refuses the rest with a reason;
statement writes the semt.002; bad input is one line and exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from conftest import DAY, DTI, ISIN, WALLET

from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022 import messages as m
from tokenized_stocks.iso20022.mailbox import Mailbox
from tokenized_stocks.register.store import RegisterStore

ROOT = Path(__file__).resolve().parents[3]


def _ape(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    folders = [
        "--db",
        str(tmp_path / "b.sqlite"),
        "--inbox",
        str(tmp_path / "in"),
        "--outbox",
        str(tmp_path / "out"),
    ]
    ape = Path(sys.executable).with_name("ape")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [str(ape), "run", "register", *args, *folders],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )


def test_serve_books_the_inbox_and_refuses_a_malformed_message_with_its_reason(tmp_path: Path):
    assert _ape(tmp_path, "add-security", "--isin", ISIN, "--dti", DTI).returncode == 0
    inbox = Mailbox(tmp_path / "in")
    inbox.write(
        m.SettlementInstruction("A" * 32, ISIN, DTI, Decimal(5), "ACC-1", WALLET, m.Movement.RECEIVE, DAY)
    )
    (inbox.folder / "0002-broken.xml").write_text("<Document")

    served = _ape(tmp_path, "serve", "--once")
    listed = _ape(tmp_path, "statement", "--output", str(tmp_path / "semt.xml"), "--json")

    assert served.returncode == 1
    assert (tmp_path / "in" / "refused" / "0002-broken.xml.reason").read_text().startswith("malformed XML")
    assert listed.returncode == 0
    statement = codec.parse((tmp_path / "semt.xml").read_text(), m.HoldingsStatement)
    assert statement.holdings == (m.Holding("ACC-1", ISIN, DTI, Decimal(5)),)


def test_a_bad_dti_is_one_line_and_exit_2(tmp_path: Path):
    result = _ape(tmp_path, "add-security", "--isin", ISIN, "--dti", "AEIOU1234")

    assert result.returncode == 2
    assert result.stderr.strip() == "error: not an ISO 24165 DTI: AEIOU1234"


def test_add_security_json_is_the_only_thing_on_stdout(tmp_path: Path):
    result = _ape(tmp_path, "add-security", "--isin", ISIN, "--dti", DTI, "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"isin": ISIN, "dti": DTI}


def test_serve_json_names_the_refused_files(tmp_path: Path):
    assert _ape(tmp_path, "add-security", "--isin", ISIN, "--dti", DTI).returncode == 0
    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "in" / "0001-broken.xml").write_text("<Document")

    served = _ape(tmp_path, "serve", "--once", "--json")

    assert served.returncode == 1
    assert json.loads(served.stdout) == {"refused": ["0001-broken.xml"]}


def test_bad_input_with_json_leaves_stdout_empty(tmp_path: Path):
    result = _ape(tmp_path, "add-security", "--isin", ISIN, "--dti", "AEIOU1234", "--json")

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == "error: not an ISO 24165 DTI: AEIOU1234"


def test_freeze_names_the_register_account_with_holder(tmp_path: Path):
    assert _ape(tmp_path, "add-security", "--isin", ISIN, "--dti", DTI).returncode == 0

    result = _ape(
        tmp_path, "freeze", "--isin", ISIN, "--holder", "ACC-1", "--reason", "court order 7", "--json"
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "isin": ISIN,
        "account": "ACC-1",
        "frozen": True,
        "reason": "court order 7",
    }


def test_a_forced_transfer_of_shares_that_are_not_a_number_is_one_line_and_exit_2(tmp_path: Path):
    result = _ape(
        tmp_path, "force-transfer", "--reference", "FT-1", "--isin", ISIN, "--from", "A", "--to", "B",
        "--shares", "abc", "--reason", "court order 7",
    )  # fmt: skip

    assert result.returncode == 2
    assert result.stderr.strip() == "error: bad --shares: 'abc' is not a number"


def _funded(tmp_path: Path) -> None:
    """ACC-1 holds 5 shares on the register."""
    assert _ape(tmp_path, "add-security", "--isin", ISIN, "--dti", DTI).returncode == 0
    Mailbox(tmp_path / "in").write(
        m.SettlementInstruction("A" * 32, ISIN, DTI, Decimal(5), "ACC-1", WALLET, m.Movement.RECEIVE, DAY)
    )
    assert _ape(tmp_path, "serve", "--once").returncode == 0


def test_on_ramp_debits_the_holder_and_writes_the_instruction_for_the_chain(tmp_path: Path):
    _funded(tmp_path)

    result = _ape(
        tmp_path, "on-ramp", "--reference", "BACK-1", "--isin", ISIN, "--holder", "ACC-1",
        "--wallet", WALLET, "--shares", "2", "--json",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    written = json.loads(result.stdout)
    instruction = codec.parse(Path(written["file"]).read_text(), m.SettlementInstruction)
    assert (instruction.reference, instruction.movement, instruction.quantity, instruction.wallet) == (
        "BACK-1",
        m.Movement.DELIVER,
        Decimal(2),
        WALLET,
    )
    booked = RegisterStore(tmp_path / "b.sqlite").instruction("BACK-1")
    assert booked is not None and written["deadline"] == booked.booked_at + 86_400  # one day, by default
    listed = _ape(tmp_path, "statement", "--json")
    assert json.loads(listed.stdout)["holdings"][0]["shares"] == "3"


def test_an_on_ramp_beyond_the_position_is_one_line_exit_2_and_writes_nothing(tmp_path: Path):
    _funded(tmp_path)
    before = sorted((tmp_path / "out").glob("*.xml"))

    result = _ape(
        tmp_path, "on-ramp", "--reference", "BACK-1", "--isin", ISIN, "--holder", "ACC-1",
        "--wallet", WALLET, "--shares", "6",
    )  # fmt: skip

    assert result.returncode == 2
    assert result.stderr.strip() == f"error: cannot start the on-ramp: ACC-1 holds 5 {ISIN}, not 6"
    assert sorted((tmp_path / "out").glob("*.xml")) == before
