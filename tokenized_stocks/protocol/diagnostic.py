"""Twin of `ITransferDiagnostic.RuleCheck`: the verdict of every rule an asset applies to a
transfer, as `diagnoseTransfer(from, to, amount)` returns it, and what follows from it.

The contract's invariants (tested on every asset): the transfer succeeds exactly when every rule
passes, and the first failing rule is the ERC-1404 code `detectTransferRestriction` returns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RuleCheck:
    """One rule: its ERC-1404 code (`protocol.enums.Restriction`), whether the transfer passes it,
    and the asset's text for the code."""

    code: int
    passed: bool
    message: str


@dataclass(frozen=True)
class TransferDiagnosis:
    """Every rule of one transfer of `amount` (base units) from `sender` to `recipient`."""

    asset: str
    sender: str
    recipient: str
    amount: int
    rules: tuple[RuleCheck, ...]

    @classmethod
    def from_rules(
        cls, asset: str, sender: str, recipient: str, amount: int, rules: Iterable[Any]
    ) -> TransferDiagnosis:
        """From the contract's answer: each rule a `(code, passed, message)` tuple or an object
        with those attributes."""
        checks = []
        for rule in rules:
            code, passed, message = (
                rule if isinstance(rule, tuple) else (rule.code, rule.passed, rule.message)
            )
            checks.append(RuleCheck(int(code), bool(passed), str(message)))
        return cls(asset, sender, recipient, amount, tuple(checks))

    @property
    def allowed(self) -> bool:
        """Whether the transfer would succeed: every rule passes."""
        return all(rule.passed for rule in self.rules)

    @property
    def restriction(self) -> int:
        """The ERC-1404 code of the first failing rule, 0 when allowed."""
        return next((rule.code for rule in self.rules if not rule.passed), 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "asset": self.asset,
            "from": self.sender,
            "to": self.recipient,
            "amount": str(self.amount),
            "allowed": self.allowed,
            "restriction": self.restriction,
            "rules": [{"code": r.code, "passed": r.passed, "message": r.message} for r in self.rules],
        }
