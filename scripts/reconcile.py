"""`ape run reconcile`: per asset and chain, identity, reserves, supply, in flight, holders, epoch.

    ape run reconcile --network ethereum:chaina:node --network ethereum:chainb:node
    ape run reconcile --network ethereum:chaina:node=http://127.0.0.1:8545 --json

`--network` is repeated, once per chain (`=URI` overrides the network's RPC); `--chain` is its
deprecated spelling. Exits 1 when an invariant breaks (every mismatch is highlighted), 2 on bad
input. With `--json`, the report is the only thing on stdout (amounts in base units).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tokenized_stocks.cli.commands import ScriptCommand
from tokenized_stocks.cli.errors import user_errors
from tokenized_stocks.cli.output import Output, json_option
from tokenized_stocks.cli.params import hidden_alias, manifests_option
from tokenized_stocks.cli.reading import read_all
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.reconcile.model import reconcile
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
@json_option
@user_errors
def cli(networks: tuple[str, ...], chains: tuple[str, ...], manifests: Path, as_json: bool) -> None:
    """Reconcile every listed asset across the given chains."""
    out = Output(as_json)
    choices = [*networks, *(chains or ())]  # --chain: the deprecated spelling
    if not choices:
        raise UserError("give --network <choice>[=URI] once per chain to reconcile")
    specs = []
    for spec in choices:
        choice, _, uri = spec.partition("=")
        specs.append((choice, uri or None))
    views, topology = read_all(specs, manifests)
    report = reconcile(views, topology)
    if not as_json:
        render_report(report, out.console)
    out.result(report.to_dict())
    sys.exit(0 if report.ok else 1)
