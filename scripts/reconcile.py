"""`ape run reconcile`: per asset and chain, identity, reserves, supply, in flight, holders, epoch.

    ape run reconcile --network ethereum:chaina:node --network ethereum:chainb:node
    ape run reconcile --network ethereum:chaina:node=http://127.0.0.1:8545 --json
    ape run reconcile --network ethereum:chaina:node --register register.sqlite   # or a semt.002 .xml

With `--register`, the register's holdings (a semt.002 statement, or the register's SQLite book) are
compared per ISIN and per account with the ledger adapters' books on the chains (settled off-ramps
minus on-ramps, inventory, in flight); any difference is a break naming the ISIN and account.
Movements between the two books are reported "in transit" with their id and age, not as breaks:
off-ramps the adapter holds pending and, from the register's book (not from a semt.002 alone),
on-ramps the register debited that no chain issued yet. Either one past its deadline is a break.

`--network` is repeated, once per chain (`=URI` overrides the network's RPC); `--chain` is its
deprecated spelling. Exits 1 when an invariant breaks (every mismatch is highlighted), 2 on bad
input. With `--json`, the report is the only thing on stdout (amounts in base units).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from tokenized_stocks.cli.commands import ScriptCommand
from tokenized_stocks.cli.errors import user_errors
from tokenized_stocks.cli.output import Output, json_option
from tokenized_stocks.cli.params import hidden_alias, manifests_option
from tokenized_stocks.cli.reading import (
    load_register_moves,
    load_statement,
    read_all,
    read_register_ledgers,
)
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.reconcile.model import reconcile
from tokenized_stocks.reconcile.register import compare
from tokenized_stocks.reconcile.render import render_report


@click.command(cls=ScriptCommand)
@click.option(
    "--network",
    "networks",
    multiple=True,
    help="network choice of a chain, optionally =URI (repeat for each chain)",
)
@hidden_alias("--chain", "chains", multiple=True)
@manifests_option
@click.option(
    "--register",
    "register_path",
    type=click.Path(path_type=Path),
    default=None,
    help="the register's semt.002 statement (.xml) or SQLite book, to compare per ISIN and account",
)
@json_option
@user_errors
def cli(
    networks: tuple[str, ...],
    chains: tuple[str, ...],
    manifests: Path,
    register_path: Path | None,
    as_json: bool,
) -> None:
    """Reconcile every listed asset across the given chains (and the register)."""
    out = Output(as_json)
    choices = [*networks, *(chains or ())]  # --chain: the deprecated spelling
    if not choices:
        raise UserError("give --network <choice>[=URI] once per chain to reconcile")
    specs = []
    for spec in choices:
        choice, _, uri = spec.partition("=")
        specs.append((choice, uri or None))
    statement = load_statement(register_path) if register_path is not None else None
    moves = load_register_moves(register_path) if register_path is not None else None
    views, topology = read_all(specs, manifests)
    if statement is not None:
        ledgers = read_register_ledgers(specs, manifests)
        topology = topology + compare(ledgers, statement, moves, int(time.time()))
    report = reconcile(views, topology)
    if not as_json:
        render_report(report, out.console)
    out.result(report.to_dict())
    sys.exit(0 if report.ok else 1)
