"""One clear line and a non-zero exit for bad input: never a traceback, never a half-done state."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import NoReturn, ParamSpec, TypeVar

from tokenized_stocks.protocol.errors import UserError

P = ParamSpec("P")
R = TypeVar("R")


def fail(message: str, code: int = 2) -> NoReturn:
    """Prints `error: <message>` on stderr and exits with `code`."""
    print(f"error: {message}", file=sys.stderr)
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
