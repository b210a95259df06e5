"""The folder an operator inspects, and the journal that refuses a replayed message.

`Mailbox(folder)` writes every message it sends or receives as `NNNN-<kind>-<id>.xml` (numbered
in order, written to a temporary name and renamed, so a reader never sees half a file) and reads
them back. `Journal(path)` is a small SQLite table of the messages already acted upon: `claim`
refuses a message id seen before, so replaying a confirmation or a cash notification changes
nothing.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import TypeVar

from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.messages import Message

M = TypeVar("M", bound=Message)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class Mailbox:
    """A folder of ISO 20022 XML files, in the order they were written."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def files(self) -> list[Path]:
        return sorted(self.folder.glob("*.xml"))

    def write(self, message: Message) -> Path:
        """Writes `message` as the next file of the folder and returns its path."""
        xml = codec.render(message)
        number = self._last_number() + 1
        name = f"{number:04d}-{message.KIND}-{_UNSAFE.sub('_', message.message_id)[:60]}.xml"
        path = self.folder / name
        temporary = path.with_suffix(".tmp")
        temporary.write_text(xml, encoding="utf-8")
        os.replace(temporary, path)
        return path

    def _last_number(self) -> int:
        """The highest file number in the folder and its subfolders (files a reader moved on to
        `done/`, `refused/` or `applied/` keep their numbers: a new file never reuses one)."""
        numbers = [int(p.name[:4]) for p in self.folder.rglob("*.xml") if p.name[:4].isdigit()]
        return max(numbers, default=0)

    @staticmethod
    def read(path: Path, kind: type[M]) -> M:
        """The `kind` message in the file at `path` (refused when it is anything else)."""
        return codec.parse(Path(path).read_bytes(), kind)


class Journal:
    """The ids of the messages already acted upon, kept in SQLite (survives a restart)."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(str(path), isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS seen (kind TEXT, id TEXT, PRIMARY KEY (kind, id))")

    def seen(self, message: Message) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM seen WHERE kind = ? AND id = ?", (message.KIND, message.message_id)
        ).fetchone()
        return row is not None

    def check_new(self, message: Message) -> None:
        """Refuses a message already acted upon."""
        if self.seen(message):
            raise MessageRefused(f"{message.KIND} {message.message_id} was already processed (replay)")

    def record(self, message: Message) -> None:
        """Marks `message` as acted upon (call once its effect is durable)."""
        self._db.execute(
            "INSERT OR IGNORE INTO seen (kind, id) VALUES (?, ?)", (message.KIND, message.message_id)
        )

    def close(self) -> None:
        self._db.close()
