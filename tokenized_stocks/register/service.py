"""The register's service loop: take every message file in the inbox, book it, answer it.

A processed file moves to `inbox/done/`, a refused one to `inbox/refused/` with a `.reason` file
(the one-line error). Booking is idempotent (`book.Register`), so a kill -9 anywhere - before the
booking commits, after it, or after the answer is written but before the file moves - is repaired
by the next pass: the file is processed again, nothing is booked twice, and answers lost in the
crash are written again (`resend_pending` at start).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.mailbox import Mailbox
from tokenized_stocks.register.book import Register
from tokenized_stocks.register.config import RegisterSettings
from tokenized_stocks.register.store import RegisterStore

Report = Callable[[str], None]


def open_register(settings: RegisterSettings) -> Register:
    """The register of these settings (its book created on first use)."""
    settings.db.parent.mkdir(parents=True, exist_ok=True)
    return Register(
        RegisterStore(settings.db),
        Mailbox(settings.outbox),
        settings.safekeeping_account,
        on_ramp_timeout=settings.on_ramp_timeout,
    )


class RegisterService:
    """Polls the inbox; each pass processes every waiting file in name order."""

    def __init__(self, settings: RegisterSettings, report: Report = lambda _line: None) -> None:
        self.settings = settings
        self.register = open_register(settings)
        self.inbox = Path(settings.inbox)
        self.report = report
        for folder in (self.inbox, self.inbox / "done", self.inbox / "refused"):
            folder.mkdir(parents=True, exist_ok=True)
        for path in self.register.resend_pending():
            report(f"resent {path.name}")

    def waiting(self) -> list[Path]:
        return sorted(self.inbox.glob("*.xml"))

    def run_once(self) -> int:
        """Processes every waiting file; returns how many."""
        files = self.waiting()
        for path in files:
            try:
                answers = self.register.receive_file(path)
            except MessageRefused as refused:
                (self.inbox / "refused" / f"{path.name}.reason").write_text(f"{refused}\n")
                os.replace(path, self.inbox / "refused" / path.name)
                self.report(f"refused {path.name}: {refused}")
                continue
            os.replace(path, self.inbox / "done" / path.name)
            self.report(f"booked {path.name} -> {', '.join(a.name for a in answers) or 'nothing new'}")
        return len(files)

    def serve(self, poll_seconds: float, passes: int | None = None) -> None:
        """Runs `run_once` every `poll_seconds`, `passes` times (forever when None)."""
        done = 0
        while passes is None or done < passes:
            self.run_once()
            done += 1
            if passes is None or done < passes:
                time.sleep(poll_seconds)
