"""Click command classes shared by the `ape run` scripts: a usage error (unknown network, missing
or invalid option) and an unreachable node are one `error:` line and exit 2, like every other bad
input, instead of click's multi-line usage block."""

from __future__ import annotations

from typing import Any

import click
from ape.cli import ConnectedProviderCommand
from ape.exceptions import ProviderError

from tokenized_stocks.errors import fail


def _usage_line(err: click.UsageError) -> str:
    """Click's message, first line only (ape lists every known network after "Options:")."""
    return err.format_message().splitlines()[0].removesuffix(" Options:")


class ScriptCommand(click.Command):
    """A plain script command with one-line usage errors."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as err:
            fail(_usage_line(err))


class ConnectedScriptCommand(ConnectedProviderCommand):
    """A script connected to `--network` with one-line usage and connection errors."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as err:
            fail(_usage_line(err))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ProviderError as err:
            fail(f"cannot reach the network: {str(err).splitlines()[0]}")
