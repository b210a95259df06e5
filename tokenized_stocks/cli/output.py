"""`--json`: only JSON on stdout; everything else (ape's log lines, the human text) on stderr.

Every script takes `--json` (`json_option`). In JSON mode the result is one JSON object on stdout,
written last (a stream, `sanctions watch`, writes one JSON line per round), and nothing else is
written there: the human text moves to stderr, and so do ape's log lines (which ape sends to
stdout), at WARNING and above unless `-v INFO` asks for more: a machine reading the output is not
told "Connecting to a node" on every run. On bad input (exit 2) stdout stays empty and the one
`error:` line is alone on stderr.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click
from rich.console import Console

F = TypeVar("F", bound=Callable[..., Any])


def json_option(func: F) -> F:
    """The `--json` flag (parameter `as_json`)."""
    return click.option(
        "--json", "as_json", is_flag=True, help="print only JSON on stdout (logs and text go to stderr)"
    )(func)


class _AllToStderr(dict[Any, Any]):
    """echo keyword arguments of ape's log handler: every level to stderr."""

    def get(self, key: Any, default: Any = None) -> dict[str, bool]:
        return {"err": True}

    def __getitem__(self, key: Any) -> dict[str, bool]:
        return {"err": True}


def logs_to_stderr() -> None:
    """Moves every ape log line (its handler sends INFO and SUCCESS to stdout) to stderr."""
    from ape.logging import ClickHandler

    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in logging.root.manager.loggerDict)]
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, ClickHandler):
                handler.echo_kwargs = _AllToStderr()


def quiet_for_json() -> Callable[[], None]:
    """JSON mode, before ape connects: ape's logs to stderr, and only from WARNING up (an explicit
    `-v`/`--verbosity`, parsed afterwards, still wins). Returns what restores the level (for a
    command run in process, whose caller keeps logging)."""
    from ape.logging import LogLevel, logger

    logs_to_stderr()
    previous = logger.level
    if previous < LogLevel.WARNING:
        logger.set_level(LogLevel.WARNING)
    return lambda: logger.set_level(previous)


class Output:
    """Where a script writes: human text to stdout, or with `as_json` to stderr with the result
    as one JSON object on stdout."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        plain = Console(stderr=as_json)
        self.console = Console(stderr=as_json, width=None if plain.is_terminal else 160)
        if as_json:
            logs_to_stderr()

    def print(self, *objects: Any, **kwargs: Any) -> None:
        self.console.print(*objects, **kwargs)

    def result(self, data: Mapping[str, Any]) -> None:
        """The script's result: one JSON object on stdout in JSON mode (nothing otherwise)."""
        if self.as_json:
            sys.stdout.write(json.dumps(data, sort_keys=True) + "\n")
            sys.stdout.flush()
