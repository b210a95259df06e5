"""`ape run reconcile`: per asset and chain, identity, reserves, supply, in flight, holders, epoch.

    ape run reconcile --chain ethereum:local:node --chain ethereum:chainb:node
    ape run reconcile --chain ethereum:local:node=http://127.0.0.1:8545 --json

Exits 1 when an invariant breaks (every mismatch is highlighted), 2 on bad input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from tokenized_stocks.cli.commands import ScriptCommand
from tokenized_stocks.cli.errors import user_errors
from tokenized_stocks.cli.reading import read_all
from tokenized_stocks.reconcile.model import reconcile
from tokenized_stocks.reconcile.render import render_report


@click.command(cls=ScriptCommand)
@click.option(
    "--chain",
    "chains",
    multiple=True,
    required=True,
    help="network choice, optionally =URI (repeat for each chain)",
)
@click.option("--manifests", type=click.Path(path_type=Path), default=Path("deployments"), show_default=True)
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
@user_errors
def cli(chains: tuple[str, ...], manifests: Path, as_json: bool) -> None:
    """Reconcile every listed asset across the given chains."""
    specs = []
    for spec in chains:
        choice, _, uri = spec.partition("=")
        specs.append((choice, uri or None))
    views, topology = read_all(specs, manifests)
    report = reconcile(views, topology)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        render_report(report, Console(width=None if Console().is_terminal else 120))
    sys.exit(0 if report.ok else 1)
