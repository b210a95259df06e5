"""Opening a provider for a network choice, with one-line errors instead of tracebacks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tokenized_stocks.protocol.errors import UserError


@contextmanager
def connect(choice: str, uri: str | None = None) -> Iterator[Any]:
    """Connects to `choice` (e.g. `ethereum:chainb:node`) for the duration of the block."""
    from ape import networks
    from ape.exceptions import ApeException

    settings = {"uri": uri} if uri else {}
    try:
        ctx = networks.parse_network_choice(choice, provider_settings=settings, disconnect_on_exit=False)
    except (ApeException, ValueError) as err:
        raise UserError(f"unknown network {choice!r}: {str(err).splitlines()[0]}") from err
    try:
        provider = ctx.__enter__()
    except Exception as err:  # connection refused, wrong chain id...
        raise UserError(
            f"cannot connect to {choice}{f' at {uri}' if uri else ''}: {str(err).splitlines()[0]}"
        ) from err
    try:
        yield provider
    finally:
        ctx.__exit__(None, None, None)
