"""One sample of every message type, as the flows build them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from tokenized_stocks.iso20022 import messages as m

ISIN = "US0378331005"
DTI = "4H95J0R2X"
DAY = date(2026, 11, 26)
MOMENT = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
WALLET = "0x" + "11" * 20
REFERENCE = "AB" * 16

INSTRUCTION = m.SettlementInstruction(
    REFERENCE, ISIN, DTI, Decimal("12.5"), "ACC-ALICE", WALLET, m.Movement.RECEIVE, DAY
)
CONFIRMATION = m.SettlementConfirmation(
    REFERENCE, "REG-1", ISIN, DTI, Decimal("12.5"), "ACC-ALICE", WALLET, m.Movement.RECEIVE, DAY
)
REJECTION = m.SettlementStatus(
    REFERENCE,
    "REG-1",
    ISIN,
    DTI,
    Decimal("12.5"),
    "ACC-ALICE",
    m.Movement.RECEIVE,
    DAY,
    m.Status.REJECTED,
    "ACCOUNT CLOSED",
)
SAMPLES: dict[str, m.Message] = {
    "sese.023": INSTRUCTION,
    "sese.023 at an epoch": m.SettlementInstruction(
        REFERENCE, ISIN, DTI, Decimal(3), "ACC-ALICE", WALLET, m.Movement.RECEIVE, DAY, epoch=4
    ),
    "sese.024 accepted": m.SettlementStatus(
        REFERENCE,
        "REG-1",
        ISIN,
        DTI,
        Decimal("12.5"),
        "ACC-ALICE",
        m.Movement.RECEIVE,
        DAY,
        m.Status.ACCEPTED,
    ),
    "sese.024 rejected": REJECTION,
    "sese.025": CONFIRMATION,
    "seev.031 split": m.CorporateActionNotification("CA-1", m.EventKind.SPLIT, ISIN, DTI, DAY, 2, 1, epoch=5),
    "seev.031 reverse split": m.CorporateActionNotification(
        "CA-2", m.EventKind.REVERSE_SPLIT, ISIN, DTI, DAY, 1, 3
    ),
    "seev.031 dividend": m.CorporateActionNotification(
        "CA-3", m.EventKind.CASH_DIVIDEND, ISIN, DTI, DAY, dividend_per_share=Decimal("0.25")
    ),
    "seev.036 split": m.CorporateActionMovement(
        "CA-1", m.EventKind.SPLIT, ISIN, DTI, "ACC-ALICE", Decimal(10), DAY, securities_posted=Decimal(10)
    ),
    "seev.036 reverse split": m.CorporateActionMovement(
        "CA-2",
        m.EventKind.REVERSE_SPLIT,
        ISIN,
        DTI,
        "ACC-ALICE",
        Decimal(9),
        DAY,
        securities_posted=Decimal(-6),
    ),
    "seev.036 dividend": m.CorporateActionMovement(
        "CA-3",
        m.EventKind.CASH_DIVIDEND,
        ISIN,
        DTI,
        "ACC-ALICE",
        Decimal(10),
        DAY,
        cash_posted=Decimal("2.50"),
    ),
    "semt.002": m.HoldingsStatement(
        "ST-1",
        "REGISTER",
        MOMENT,
        (
            m.Holding("ACC-ALICE", ISIN, DTI, Decimal(5)),
            m.Holding("ACC-BOB", ISIN, DTI, Decimal("1.000000000000000001")),
        ),
    ),
    "camt.054": m.CashCreditNotification(
        "MSG-1",
        MOMENT,
        "DE89370400440532013000",
        Decimal("100.00"),
        "USD",
        "PAY-1",
        "0x" + "22" * 32,
        ISIN,
        DTI,
        1_800_000_000,
        "0x" + "33" * 65,
    ),
}
