"""`ape run sanctions`: the keeper that keeps a certificate's cached sanctions flags in line with an
oracle that does not push (Chainalysis), through the permissionless `syncSanctions`.

    ape run sanctions check --network ethereum:chaina:node --asset AAPLx --address 0xB0b... --address 0xA11...
    ape run sanctions sync  --network ethereum:chaina:node --asset AAPLx --address 0xB0b...
    ape run sanctions watch --network ethereum:chaina:node --asset AAPLx --from-block 120 --once

`check` exits 1 when a cached flag differs from the oracle; `sync` sends only the stale accounts;
`watch` first catches up with the oracle's whole history (its listing events from the oracle's own
deployment block, so addresses listed before the certificate existed are synced), then follows new
events and syncs the addresses they name; `--from-block` replaces the catch-up by an explicit start.
When the certificate's oracle is replaced, the new oracle's history is caught up the same way.
`check` and `sync` take `--json` (one JSON object on stdout; the text and ape's logs on stderr).
Bad input: one error line, exit 2.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from ape import chain, project
from rich.console import Console
from rich.table import Table

from tokenized_stocks.cli.commands import ConnectedScriptCommand, sender_account
from tokenized_stocks.cli.errors import fail, user_errors
from tokenized_stocks.cli.output import Output, json_option
from tokenized_stocks.cli.params import parse_address
from tokenized_stocks.deploy.manifest import load_manifest
from tokenized_stocks.keeper.sanctions import DEFAULT_BATCH_SIZE, SyncResult, flags, follow, sync
from tokenized_stocks.protocol.errors import UserError

console = Console(width=None if Console().is_terminal else 160)
CERTIFICATE = "tracker_certificate"

F = TypeVar("F", bound=Callable[..., Any])


def asset_options(func: F) -> F:
    """`--asset` and `--manifests`, shared by every subcommand."""
    func = click.option(
        "--manifests", type=click.Path(path_type=Path), default=Path("deployments"), show_default=True
    )(func)
    return click.option("--asset", required=True, help="certificate key, ticker or ISIN from the manifest")(
        func
    )


def sender_options(func: F) -> F:
    """`--account`, `--test-account` and `--batch-size`, for the subcommands that send."""
    func = click.option(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        show_default=True,
        help="most accounts per syncSanctions transaction",
    )(func)
    func = click.option(
        "--test-account", type=int, default=19, show_default=True, help="local test account index"
    )(func)
    return click.option(
        "--account", "alias", default=None, help="ape account alias (required on live networks)"
    )(func)


def address_option(func: F) -> F:
    return click.option(
        "--address", "addresses", multiple=True, required=True, help="account to screen (repeat for several)"
    )(func)


def load_certificate(asset: str, manifests: Path) -> tuple[Any, int]:
    """The certificate named by `asset` on this chain and the block it was deployed in."""
    manifest = load_manifest(chain.chain_id, manifests)
    record = manifest.asset(asset)
    if record.architecture != CERTIFICATE:
        raise UserError(
            f"{record.key} is a {record.architecture}, not a tracker certificate: it has no cached sanctions flags"
        )
    deployed = manifest.contracts.get(record.key)
    if not chain.provider.get_code(record.token):
        raise UserError(
            f"no contract at {record.token} ({record.key}) on chain {chain.chain_id}: was the chain reset? "
            "run `ape run deploy` again"
        )
    return project.TrackerCertificate.at(record.token), deployed.block if deployed else 0


def check_batch_size(batch_size: int) -> None:
    if batch_size <= 0:
        raise UserError(f"bad --batch-size {batch_size}: must be greater than zero")


def flag_text(sanctioned: bool) -> str:
    return "[red]sanctioned[/]" if sanctioned else "clear"


def synced_json(result: SyncResult) -> dict[str, Any]:
    return {
        "synced": [{"account": c.account, "sanctioned": c.sanctioned} for c in result.changes],
        "tx_hashes": list(result.tx_hashes),
    }


def print_synced(result: SyncResult, console: Console | Output = console) -> None:
    if not result.changes:
        console.print("nothing to sync: every cached flag matches the oracle")
        return
    table = Table("account", "cached flag now")
    for change in result.changes:
        table.add_row(change.account, flag_text(change.sanctioned))
    console.print(table)
    console.print(
        f"synced {len(result.changes)} account(s) in {len(result.batches)} transaction(s): "
        + ", ".join(result.tx_hashes)
    )


@click.group()
def cli() -> None:
    """Keep a certificate's cached sanctions flags in line with its oracle."""


@cli.command(cls=ConnectedScriptCommand)
@asset_options
@address_option
@json_option
@user_errors
def check(network: Any, asset: str, manifests: Path, addresses: tuple[str, ...], as_json: bool) -> None:
    """Cached flag vs oracle for each --address; exit 1 if any is stale."""
    out = Output(as_json)
    wanted = [parse_address(a) for a in addresses]
    certificate, _ = load_certificate(asset, manifests)
    rows = flags(certificate, wanted)
    table = Table("account", "cached", "oracle", "status")
    for account, cached, listed in rows:
        status = "[yellow]stale[/]" if cached != listed else "[green]in sync[/]"
        table.add_row(account, flag_text(cached), flag_text(listed), status)
    out.print(table)
    stale = sum(1 for _, cached, listed in rows if cached != listed)
    oracle = str(certificate.sanctionsList())
    out.print(f"oracle {oracle}: {stale} stale of {len(rows)}")
    out.result(
        {
            "oracle": oracle,
            "accounts": [
                {"account": a, "cached": cached, "oracle": listed, "stale": cached != listed}
                for a, cached, listed in rows
            ],
            "stale": stale,
        }
    )
    sys.exit(1 if stale else 0)


@cli.command(name="sync", cls=ConnectedScriptCommand)
@asset_options
@address_option
@sender_options
@json_option
@user_errors
def sync_command(
    network: Any,
    asset: str,
    manifests: Path,
    addresses: tuple[str, ...],
    alias: str | None,
    test_account: int,
    batch_size: int,
    as_json: bool,
) -> None:
    """Sync the given addresses (only the stale ones are sent)."""
    out = Output(as_json)
    wanted = [parse_address(a) for a in addresses]
    check_batch_size(batch_size)
    certificate, _ = load_certificate(asset, manifests)
    result = sync(certificate, wanted, sender_account(alias, test_account), batch_size)
    print_synced(result, out)
    out.result(synced_json(result))


def watch_round(
    certificate: Any, sender: Any, cursor: int | None, head: int, batch_size: int, last_oracle: str
) -> str:
    """Syncs the addresses the oracle named in `[cursor, head]`; returns the oracle. With no cursor
    (a fresh start) or a replaced oracle, it first catches up with the oracle's whole history."""
    done, caught_up = follow(certificate, chain.provider.web3, cursor, head, sender, batch_size, last_oracle)
    if caught_up and last_oracle:
        console.print(
            f"[yellow]the certificate's oracle changed from {last_oracle} to {done.oracle}: "
            "caught up with the new oracle's whole history[/]"
        )
    label = f"catch-up, blocks {done.from_block}-{head}" if caught_up else f"blocks {cursor}-{head}"
    console.print(f"{label}: oracle {done.oracle} named {len(done.named)} address(es)")
    if done.named:
        print_synced(done.result)
    return done.oracle


@cli.command(cls=ConnectedScriptCommand)
@asset_options
@sender_options
@click.option(
    "--from-block",
    type=int,
    default=None,
    help="first block to read (default: the oracle's whole history, from its deployment block)",
)
@click.option(
    "--confirmations", type=int, default=0, show_default=True, help="blocks to stay behind the head"
)
@click.option("--once", is_flag=True, help="process up to the head block and exit")
@click.option("--poll", type=float, default=12.0, show_default=True, help="seconds between polls")
@user_errors
def watch(
    network: Any,
    asset: str,
    manifests: Path,
    alias: str | None,
    test_account: int,
    batch_size: int,
    from_block: int | None,
    confirmations: int,
    once: bool,
    poll: float,
) -> None:
    """Follow the oracle's listing events and sync the addresses they name.

    A fresh watch first catches up with the oracle's whole history, then follows. The cursor lives
    in memory: a restarted watch catches up again, which is harmless (only stale accounts are sent). A round that fails (RPC error, reverted sync) is retried at the
    next poll from the same block; with --once it is one error line and exit 1.
    """
    check_batch_size(batch_size)
    if from_block is not None and from_block < 0:
        raise UserError(f"bad --from-block {from_block}: must be >= 0")
    if confirmations < 0:
        raise UserError(f"bad --confirmations {confirmations}: must be >= 0")
    if poll <= 0:
        raise UserError(f"bad --poll {poll}: must be greater than zero")
    certificate, _ = load_certificate(asset, manifests)
    sender = sender_account(alias, test_account)
    cursor: int | None = from_block
    oracle = ""
    while True:
        head = (chain.blocks.head.number or 0) - confirmations
        if head >= 0 and (cursor is None or cursor <= head):
            try:
                oracle = watch_round(certificate, sender, cursor, head, batch_size, oracle)
                cursor = head + 1
            except Exception as err:  # RPC hiccup or a reverted sync: retry the same range
                where = f"round {'catch-up' if cursor is None else cursor}-{head}"
                if once:
                    fail(f"{where} failed: {str(err).splitlines()[0]}", code=1)
                console.print(f"[yellow]{where} failed, retrying: {str(err).splitlines()[0]}[/]")
        if once:
            return
        time.sleep(poll)
