"""Rendering a reconciliation report for people (rich) — the data lives in `reconcile.Report`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from tokenized_stocks.protocol.display import amount
from tokenized_stocks.reconcile.model import Report

COLUMNS = (
    "asset",
    "chain",
    "home",
    "supply",
    "units",
    "elsewhere",
    "in flight",
    "reserves",
    "holders",
    "epoch",
)


def _amount(value: int | None) -> str:
    """Shares (18-decimal base units) in a column: four decimals, exact (never through a float)."""
    return "" if value is None else amount(value, places=4)


def render_report(report: Report, console: Console) -> None:
    """One row per asset and chain, broken rows in red, then every finding on its own line."""
    table = Table(title="Reconciliation")
    for column in COLUMNS:
        table.add_column(column, justify="left" if column == "asset" else "right")
    broken = {(f.asset, f.chain_id) for f in report.findings if f.severity == "break"}
    for v in report.views:
        table.add_row(
            v.key,
            str(v.chain_id),
            "yes" if v.is_home else "",
            _amount(v.total_supply),
            _amount(v.total_units),
            _amount(v.supply_elsewhere),
            _amount(v.in_flight_out),
            _amount(v.reserves),
            "" if v.holders is None else str(v.holders),
            str(v.epoch),
            style="red" if (v.key, v.chain_id) in broken else None,
        )
    console.print(table)
    for f in report.findings:
        colour = {"break": "red", "in transit": "cyan"}.get(f.severity, "yellow")
        console.print(f"[{colour}]{f.severity}[/] {f.asset} on chain {f.chain_id}: {f.check}: {f.detail}")
    console.print("[green]all invariants hold[/]" if report.ok else "[red]an invariant is broken[/]")
