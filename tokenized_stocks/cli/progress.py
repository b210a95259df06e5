"""A step counter with an ETA for long scripts: `step 12/70 deployed Gateway at 0x... (ETA 0:41)`.

Progress goes to stderr (`progress_console`), like Foundry's and ape's own: stdout keeps the result
(the summary table, or the JSON of `--json`). On a terminal a rich progress bar with the time
remaining runs below the lines as well.
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn


def progress_console() -> Console:
    """A console on stderr, as wide as the terminal (160 columns when not a terminal)."""
    plain = Console(stderr=True)
    return Console(stderr=True, width=None if plain.is_terminal else 160)


def clock(seconds: float) -> str:
    """`h:mm:ss` or `m:ss`."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class StepCounter:
    """Counts units of work (`advance`) against a total known in advance (the plan's length)."""

    def __init__(self, console: Console, total: int) -> None:
        self.console = console
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> StepCounter:
        if self.console.is_terminal and self.total:
            self._bar = Progress(
                TextColumn("step {task.completed}/{task.total}"),
                BarColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("deploy", total=self.total)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def eta(self) -> str:
        """Time left at the mean pace so far."""
        if not self.done:
            return "?"
        left = max(self.total - self.done, 0)
        return clock((time.monotonic() - self.started) / self.done * left)

    def advance(self, line: str) -> None:
        self.done += 1
        self.total = max(self.total, self.done)
        self.console.print(f"  [green]✓[/] step {self.done}/{self.total} {line} (ETA {self.eta()})")
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=self.done, total=self.total)
