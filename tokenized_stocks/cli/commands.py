"""Click command classes shared by the `ape run` scripts: a usage error (unknown network, missing
or invalid option) and an unreachable node are one `error:` line and exit 2, like every other bad
input, instead of click's multi-line usage block."""

from __future__ import annotations

from typing import Any

import click
from ape.cli import ConnectedProviderCommand
from ape.exceptions import ProviderError

from tokenized_stocks.cli.errors import fail
from tokenized_stocks.cli.output import quiet_for_json
from tokenized_stocks.cli.signers import autosigning_account
from tokenized_stocks.client.caches import keep_local_chain_caches_in_memory
from tokenized_stocks.protocol.chains import is_local_chain
from tokenized_stocks.protocol.errors import UserError


def _usage_line(err: click.UsageError) -> str:
    """Click's message, first line only (ape lists every known network after "Options:")."""
    return err.format_message().splitlines()[0].removesuffix(" Options:")


class ScriptCommand(click.Command):
    """A plain script command with one-line usage errors."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        restore = quiet_for_json() if "--json" in args else None
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
        except click.UsageError as err:
            if restore:
                restore()
            fail(_usage_line(err))
        if restore:
            ctx.call_on_close(restore)
        return ctx

    def invoke(self, ctx: click.Context) -> Any:
        keep_local_chain_caches_in_memory()
        return super().invoke(ctx)


def _names_network(args: list[str]) -> bool:
    return any(arg == "--network" or arg.startswith("--network=") for arg in args)


class ConnectedScriptCommand(ConnectedProviderCommand):
    """A script connected to `--network` with one-line usage and connection errors.

    `--network` must be given: without it ape starts a throwaway local chain that has chain A's
    id (31337), so a deployment "to nowhere" would read and overwrite chain A's manifest."""

    #: False for scripts that are meant for a fresh throwaway chain (the bench).
    requires_network = True

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        # Checked on the raw arguments, before ape's `--network` option connects to its default
        # (parsing alone would already set up the throwaway chain's provider).
        if self.requires_network and not _names_network(args) and "--help" not in args:
            fail(
                "--network is required (e.g. --network ethereum:chaina:node, or ethereum:sepolia:alchemy):"
                " without it ape starts a throwaway chain with chain A's id and manifest path"
            )
        # before ape connects: its "Connecting to ..." line is INFO, on stdout
        restore = quiet_for_json() if "--json" in args else None
        argv = list(args)  # the script's own arguments, as given (to print a resume command)
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
        except click.UsageError as err:
            if restore:
                restore()
            fail(_usage_line(err))
        if restore:
            ctx.call_on_close(restore)
        ctx.meta["argv"] = argv
        return ctx

    def invoke(self, ctx: click.Context) -> Any:
        keep_local_chain_caches_in_memory()
        try:
            return super().invoke(ctx)
        except ProviderError as err:
            fail(f"cannot reach the network: {str(err).splitlines()[0]}")


class ThrowawayChainCommand(ConnectedScriptCommand):
    """A connected script meant for ape's own throwaway local chain when `--network` is omitted."""

    requires_network = False


def sender_account(alias: str | None, test_account: int) -> Any:
    """The account a script sends from: the ape alias `alias`, or on a local chain the test
    account number `test_account`. A live network without an alias is refused. An alias signs
    without a `Sign: [y/N]` prompt per transaction (its passphrase from
    `APE_ACCOUNTS_<alias>_PASSPHRASE`, or asked once on a terminal): with stdin closed, a prompt
    would abort the command after its checks, with nothing sent."""
    from ape import accounts, chain

    if alias:
        return autosigning_account(alias)
    if not is_local_chain(chain.chain_id):
        raise UserError("a live network needs --account <alias>")
    if not 0 <= test_account < len(accounts.test_accounts):
        raise UserError(f"bad --test-account {test_account}")
    return accounts.test_accounts[test_account]
