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
from rich.table import Table

from tokenized_stocks.errors import user_errors
from tokenized_stocks.reconcile import Report, reconcile
from tokenized_stocks.views import read_chain_views

console = Console()


def render(report: Report) -> None:
    table = Table(title="Reconciliation")
    for column in (
        "asset",
        "chain",
        "home",
        "supply",
        "units",
        "elsewhere",
        "in flight",
        "reserves",
        "holders",
    ):
        table.add_column(column, justify="right" if column not in ("asset",) else "left")
    table.add_column("epoch", justify="right")
    broken = {(f.asset, f.chain_id) for f in report.findings if f.severity == "break"}
    for v in report.views:
        style = "red" if (v.key, v.chain_id) in broken else None
        table.add_row(
            v.key,
            str(v.chain_id),
            "yes" if v.is_home else "",
            f"{v.total_supply / 1e18:,.4f}",
            f"{v.total_units / 1e18:,.4f}",
            "" if v.supply_elsewhere is None else f"{v.supply_elsewhere / 1e18:,.4f}",
            f"{v.in_flight_out / 1e18:,.4f}",
            "" if v.reserves is None else f"{v.reserves / 1e18:,.4f}",
            "" if v.holders is None else str(v.holders),
            str(v.epoch),
            style=style,
        )
    console.print(table)
    for f in report.findings:
        colour = "red" if f.severity == "break" else "yellow"
        console.print(f"[{colour}]{f.severity}[/] {f.asset} on {f.chain_id}: {f.check}: {f.detail}")
    console.print("[green]all invariants hold[/]" if report.ok else "[red]invariant broken[/]")


@click.command()
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
    views = []
    for spec in chains:
        choice, _, uri = spec.partition("=")
        views.extend(read_chain_views(choice, uri or None, manifests))
    report = reconcile(views)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        render(report)
    sys.exit(0 if report.ok else 1)
