"""Does an answer match what it answers? One check, one error naming the first difference."""

from __future__ import annotations

from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.messages import SettlementConfirmation, SettlementInstruction, SettlementStatus

MATCHED_FIELDS = ("reference", "isin", "dti", "quantity", "account", "movement")


def check_answers(
    answer: SettlementConfirmation | SettlementStatus, instruction: SettlementInstruction
) -> None:
    """Refuses a sese.024/025 whose instruction id, ISIN, DTI, quantity, account or movement is not
    the instruction's (the first difference is named)."""
    for name in MATCHED_FIELDS:
        got, want = getattr(answer, name), getattr(instruction, name)
        if got != want:
            raise MessageRefused(
                f"{answer.KIND} for {instruction.reference} does not match the instruction: {name} is {got}, expected {want}"
            )
