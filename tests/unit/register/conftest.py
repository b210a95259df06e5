from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tokenized_stocks.iso20022 import messages as m
from tokenized_stocks.iso20022.mailbox import Mailbox
from tokenized_stocks.register.book import Register
from tokenized_stocks.register.store import RegisterStore

ISIN = "US0378331005"
DTI = "4H95J0R2X"
WALLET = "0x" + "11" * 20
DAY = date(2026, 11, 26)


@pytest.fixture
def register(tmp_path: Path) -> Register:
    store = RegisterStore(tmp_path / "register.sqlite")
    store.add_security(ISIN, DTI)
    return Register(store, Mailbox(tmp_path / "out"))


@pytest.fixture
def instruction() -> Callable[..., m.SettlementInstruction]:
    counter = iter(range(1, 1_000_000))

    def make(quantity: str = "10", account: str = "ACC-ALICE", movement=m.Movement.RECEIVE, **over):
        values = {
            "reference": f"{next(counter):032X}",
            "isin": ISIN,
            "dti": DTI,
            "quantity": Decimal(quantity),
            "account": account,
            "wallet": WALLET,
            "movement": movement,
            "settlement_date": DAY,
        }
        values.update(over)
        return m.SettlementInstruction(**values)

    return make


def notice(kind: m.EventKind, event_id: str = "CA-1", **over) -> m.CorporateActionNotification:
    return m.CorporateActionNotification(event_id, kind, ISIN, DTI, DAY, **over)
