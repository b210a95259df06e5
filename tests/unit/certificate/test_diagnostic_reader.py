"""The reader behind `ape run diagnose` (tokenized_stocks/cli/diagnostic.py): it calls any asset
through the published ITransferDiagnostic ABI, refuses a contract that does not advertise it, and
its verdict is the asset's own (`detectTransferRestriction`)."""

import pytest

from tokenized_stocks.cli.diagnostic import read_diagnosis, summary
from tokenized_stocks.protocol.diagnostic import RuleCheck, TransferDiagnosis
from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.protocol.multiplier import ONE


def test_the_reader_returns_the_assets_verdict(funded, transfer_agent, investor_alice, investor_bob):
    funded.setFrozenTokens(investor_alice, 95 * ONE, sender=transfer_agent)

    diagnosis = read_diagnosis(
        "AAPLx", funded.address, investor_alice.address, investor_bob.address, 10 * ONE
    )

    assert not diagnosis.allowed
    assert diagnosis.restriction == funded.detectTransferRestriction(investor_alice, investor_bob, 10 * ONE)
    assert diagnosis.restriction == Restriction.INSUFFICIENT_UNFROZEN_BALANCE
    assert summary(diagnosis).startswith("refused: code 8 (Amount exceeds the unfrozen balance)")


def test_a_contract_without_the_diagnostic_is_refused(sanctions, investor_alice, investor_bob):
    with pytest.raises(UserError, match="does not implement ITransferDiagnostic"):
        read_diagnosis("list", sanctions.address, investor_alice.address, investor_bob.address, 1)


def test_the_verdict_follows_the_first_failing_rule():
    rules = [(1, True, "a"), (18, False, "b"), (8, False, "c")]

    diagnosis = TransferDiagnosis.from_rules("X", "0x1", "0x2", 5, rules)

    assert diagnosis.rules[1] == RuleCheck(18, False, "b")
    assert (diagnosis.allowed, diagnosis.restriction) == (False, 18)
    assert diagnosis.to_json()["rules"][2] == {"code": 8, "passed": False, "message": "c"}
