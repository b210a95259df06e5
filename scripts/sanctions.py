"""`ape run sanctions`: the keeper that keeps a certificate's cached sanctions flags in line with an
oracle that does not push (Chainalysis), through the permissionless `syncSanctions`.

    ape run sanctions check --network ethereum:chaina:node --asset AAPLx --address 0xB0b... --address 0xA11...
    ape run sanctions sync  --network ethereum:chaina:node --asset AAPLx --address 0xB0b...
    ape run sanctions watch --network ethereum:chaina:node --asset AAPLx --start-block 120 --once

`check` exits 1 when a cached flag differs from the oracle; `sync` sends only the stale accounts;
`watch` first catches up with the oracle's whole history (its listing events from the oracle's own
deployment block, so addresses listed before the certificate existed are synced), then follows new
events and syncs the addresses they name; `--start-block` replaces the catch-up by an explicit start
(`--from-block` and `--poll` are the deprecated spellings of `--start-block` and `--poll-interval`).
When the certificate's oracle is replaced, the new oracle's history is caught up the same way.
`--json`: `check` and `sync` print one JSON object on stdout, `watch` one JSON line per round (a
stream: parse each line); the text and ape's logs go to stderr. Bad input: one error line, exit 2.
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
from tokenized_stocks.cli.params import hidden_alias, manifests_option, parse_address, sender_options
from tokenized_stocks.deploy.manifest import load_manifest
from tokenized_stocks.keeper.sanctions import DEFAULT_BATCH_SIZE, SyncResult, flags, follow, sync
from tokenized_stocks.protocol.errors import UserError

console = Console(width=None if Console().is_terminal else 160)
CERTIFICATE = "tracker_certificate"

F = TypeVar("F", bound=Callable[..., Any])


def asset_options(func: F) -> F:
    """`--asset` and `--manifests`, shared by every subcommand."""
    func = manifests_option(func)
    return click.option("--asset", required=True, help="certificate key, ticker or ISIN from the manifest")(
        func
    )


def batch_option(func: F) -> F:
    """`--batch-size`, for the subcommands that send."""
    return click.option(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        show_default=True,
        help="most accounts per syncSanctions transaction",
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
@batch_option
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
    certificate: Any,
    sender: Any,
    cursor: int | None,
    head: int,
    batch_size: int,
    last_oracle: str,
    out: Output | None = None,
) -> str:
    """Syncs the addresses the oracle named in `[cursor, head]`; returns the oracle. With no cursor
    (a fresh start) or a replaced oracle, it first catches up with the oracle's whole history.
    With JSON output the round is one JSON line on stdout."""
    out = out or Output(False)
    done, caught_up = follow(certificate, chain.provider.web3, cursor, head, sender, batch_size, last_oracle)
    replaced = bool(caught_up and last_oracle)
    if replaced:
        out.print(
            f"[yellow]the certificate's oracle changed from {last_oracle} to {done.oracle}: "
            "caught up with the new oracle's whole history[/]"
        )
    label = f"catch-up, blocks {done.from_block}-{head}" if caught_up else f"blocks {cursor}-{head}"
    out.print(f"{label}: oracle {done.oracle} named {len(done.named)} address(es)")
    if done.named:
        print_synced(done.result, out)
    out.result(
        {
            "round": "catch-up" if caught_up else "follow",
            "from_block": done.from_block if caught_up else cursor,
            "to_block": head,
            "oracle": done.oracle,
            "oracle_replaced": replaced,
            "named": list(done.named),
            **synced_json(done.result),
        }
    )
    return done.oracle


@cli.command(cls=ConnectedScriptCommand)
@asset_options
@sender_options
@batch_option
@click.option(
    "--start-block",
    type=int,
    default=None,
    help="first block to read (default: the oracle's whole history, from its deployment block)",
)
@hidden_alias("--from-block", "from_block", type=int)
@click.option(
    "--confirmations", type=int, default=0, show_default=True, help="blocks to stay behind the head"
)
@click.option("--once", is_flag=True, help="process up to the head block and exit")
@click.option("--poll-interval", type=float, default=12.0, show_default=True, help="seconds between polls")
@hidden_alias("--poll", "poll", type=float)
@json_option
@user_errors
def watch(
    network: Any,
    asset: str,
    manifests: Path,
    alias: str | None,
    test_account: int,
    batch_size: int,
    start_block: int | None,
    from_block: int | None,
    confirmations: int,
    once: bool,
    poll_interval: float,
    poll: float | None,
    as_json: bool,
) -> None:
    """Follow the oracle's listing events and sync the addresses they name.

    A fresh watch first catches up with the oracle's whole history, then follows. The cursor lives
    in memory: a restarted watch catches up again, which is harmless (only stale accounts are sent). A round that fails (RPC error, reverted sync) is retried at the
    next poll from the same block; with --once it is one error line and exit 1. With --json each
    round is one JSON line on stdout.
    """
    out = Output(as_json)
    from_block = start_block if start_block is not None else from_block  # --from-block: deprecated
    poll = poll if poll is not None else poll_interval  # --poll: deprecated
    check_batch_size(batch_size)
    if from_block is not None and from_block < 0:
        raise UserError(f"bad --start-block {from_block}: must be >= 0")
    if confirmations < 0:
        raise UserError(f"bad --confirmations {confirmations}: must be >= 0")
    if poll <= 0:
        raise UserError(f"bad --poll-interval {poll}: must be greater than zero")
    certificate, _ = load_certificate(asset, manifests)
    sender = sender_account(alias, test_account)
    cursor: int | None = from_block
    oracle = ""
    while True:
        head = (chain.blocks.head.number or 0) - confirmations
        if head >= 0 and (cursor is None or cursor <= head):
            try:
                oracle = watch_round(certificate, sender, cursor, head, batch_size, oracle, out)
                cursor = head + 1
            except Exception as err:  # RPC hiccup or a reverted sync: retry the same range
                where = f"round {'catch-up' if cursor is None else cursor}-{head}"
                if once:
                    fail(f"{where} failed: {str(err).splitlines()[0]}", code=1)
                out.print(f"[yellow]{where} failed, retrying: {str(err).splitlines()[0]}[/]")
        if once:
            return
        time.sleep(poll)
