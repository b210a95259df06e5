"""One clear line and a non-zero exit for bad input: never a traceback, never a half-done state.

Exit codes mean one thing in every script:

- 0 (`DONE`): done;
- 1 (`FAILED`): an invariant or an operation failed (reported);
- 2 (`BAD_INPUT`): bad input, and nothing was sent;
- 3 (`UNCONFIRMED`): a transaction was sent but its outcome is not confirmed; the line names
  what to follow up (a message id, a transaction hash). A wrapper must not simply retry on 3.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import NoReturn, ParamSpec, TypeVar

import click

from tokenized_stocks.protocol.errors import UserError

DONE = 0
FAILED = 1
BAD_INPUT = 2
UNCONFIRMED = 3

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int = BAD_INPUT) -> NoReturn:
    """Prints `error: <message>` on stderr and exits with `code`."""
    click.echo(f"error: {message}", err=True)  # flushed: a test's CliRunner sees it too
    raise SystemExit(code)


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turns a `UserError` (or ValueError from input parsing) raised by a command into one line."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except UserError as err:
            fail(str(err))

    return wrapper
