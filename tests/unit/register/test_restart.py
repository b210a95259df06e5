"""The register survives kill -9 and restart without losing or double-booking an instruction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from conftest import DAY, DTI, ISIN

from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022 import messages as m
from tokenized_stocks.iso20022.mailbox import Mailbox
from tokenized_stocks.register.config import RegisterSettings
from tokenized_stocks.register.service import RegisterService, open_register
from tokenized_stocks.register.store import RegisterStore

INSTRUCTIONS = 24
UNKNOWN_ISIN = "US5949181045"
ROOT = Path(__file__).resolve().parents[3]

WORKER = """
import sys
from pathlib import Path
from tokenized_stocks.register.config import RegisterSettings
from tokenized_stocks.register.service import RegisterService
settings = RegisterSettings(db=Path(sys.argv[1]), inbox=Path(sys.argv[2]), outbox=Path(sys.argv[3]))
service = RegisterService(settings, report=lambda line: print(line, flush=True))
for path in service.waiting():
    service.register.receive_file(path)
    print("committed", path.name, flush=True)
    path.replace(service.inbox / "done" / path.name)
"""


def _settings(folder: Path) -> RegisterSettings:
    folder.mkdir(parents=True, exist_ok=True)
    return RegisterSettings(db=folder / "book.sqlite", inbox=folder / "in", outbox=folder / "out")


def _instructions(settings: RegisterSettings) -> list[m.SettlementInstruction]:
    store = RegisterStore(settings.db)
    store.add_security(ISIN, DTI)
    store.close()
    inbox = Mailbox(settings.inbox)
    sent = []
    for i in range(INSTRUCTIONS):
        account = f"ACC-{i % 3}"
        isin = UNKNOWN_ISIN if i % 4 == 3 else ISIN  # answered with a sese.024 rejection
        instruction = m.SettlementInstruction(
            f"{i + 1:032X}", isin, DTI, Decimal(i + 1), account, "0x" + "11" * 20, m.Movement.RECEIVE, DAY
        )
        inbox.write(instruction)
        sent.append(instruction)
    return sent


def _kill_after(settings: RegisterSettings, commits: int) -> None:
    """Starts the worker and kills it with SIGKILL once it has committed `commits` bookings."""
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(settings.db), str(settings.inbox), str(settings.outbox)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert worker.stdout is not None
    seen = 0
    for line in worker.stdout:
        if line.startswith("committed"):
            seen += 1
            if seen == commits:
                break
    worker.send_signal(signal.SIGKILL)
    worker.wait()


def _answers(settings: RegisterSettings) -> dict[str, set[tuple[str, str]]]:
    """Per instruction id, the distinct (register reference, answer kind) the outbox holds."""
    answers: dict[str, set[tuple[str, str]]] = {}
    for path in Mailbox(settings.outbox).files():
        xml = path.read_bytes()
        answer = codec.parse(xml, codec.kind_of(xml))
        assert isinstance(answer, m.SettlementConfirmation | m.SettlementStatus)
        answers.setdefault(answer.reference, set()).add((answer.register_reference, answer.KIND))
    return answers


def test_kill_9_and_restart_book_every_instruction_exactly_once(tmp_path: Path):
    reference = _settings(tmp_path / "uninterrupted")
    _instructions(reference)
    RegisterService(reference).run_once()
    settings = _settings(tmp_path / "crashed")
    sent = _instructions(settings)

    for commits in (3, 5, 4):
        _kill_after(settings, commits)
    service = RegisterService(settings)
    service.run_once()

    crashed, clean = open_register(settings), open_register(reference)
    assert service.waiting() == []
    assert crashed.store.count_instructions() == INSTRUCTIONS
    assert crashed.store.positions() == clean.store.positions()
    answers = _answers(settings)
    assert sorted(answers) == sorted(i.reference for i in sent)
    assert all(len(found) == 1 for found in answers.values())
    assert answers == _answers(reference)
