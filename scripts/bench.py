"""`ape run bench`: gas of every user-facing operation beside a plain OpenZeppelin ERC20 transfer.

    ape run bench                         # fresh local chain, scaling at 10, 100 and 1,000
    ape run bench --scale 10,100          # a quicker scaling run
    ape run bench --report-dir docs       # where gas-report.json and gas-report.md go
    ape run bench --no-embed              # leave the gas-report blocks of README.md and docs/ alone
    ape run bench --json                  # the report as one JSON object on stdout (text on stderr)

Exits 1 when a budget of gas-budgets.toml is exceeded (the table marks which), when a row that
file enforces was not measured (a renamed row must not escape its budget), or when an operation's
gas grows with the number of holders or messages (the scaling table; a few dozen gas of calldata
are allowed, `SCALING_SLACK_GAS`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from ape import accounts, chain, project
from ape.logging import logger

from tokenized_stocks.cli.commands import ThrowawayChainCommand
from tokenized_stocks.cli.errors import user_errors
from tokenized_stocks.cli.output import Output, json_option
from tokenized_stocks.cli.params import hidden_alias
from tokenized_stocks.deploy.listings import load_listings
from tokenized_stocks.devtools.bench import Bench
from tokenized_stocks.devtools.gasreport import documents
from tokenized_stocks.devtools.gasreport import embed as embed_report
from tokenized_stocks.protocol.errors import UserError


def parse_counts(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as err:
        raise UserError(
            f"bad --scale {text!r}: give comma-separated holder counts, e.g. 10,100,1000"
        ) from err
    if any(c <= 0 for c in counts) or counts != sorted(counts):
        raise UserError(f"bad --scale {text!r}: counts must be positive and increasing")
    return counts


@click.command(cls=ThrowawayChainCommand)
@click.option(
    "--scale", default="10,100,1000", show_default=True, help="holder / message counts ('' to skip)"
)
@click.option(
    "--report-dir",
    type=click.Path(path_type=Path),
    default=Path("docs"),
    show_default=True,
    help="directory gas-report.json and gas-report.md are written to",
)
@hidden_alias("--out", "out", type=click.Path(path_type=Path))  # deprecated: --report-dir
@click.option(
    "--listings",
    type=click.Path(path_type=Path),
    default=Path("deployments/listings.yaml"),
    show_default=True,
)
@click.option(
    "--embed/--no-embed",
    default=True,
    show_default=True,
    help="rewrite the <!-- gas-report:NAME --> blocks of README.md and docs/**/*.md",
)
@json_option
@user_errors
def cli(
    network: Any,
    scale: str,
    report_dir: Path,
    out: Path | None,
    listings: Path,
    embed: bool,
    as_json: bool,
) -> None:
    """Measure gas on a fresh local chain and write docs/gas-report.{json,md}."""
    output = Output(as_json)
    console = output.console
    folder = out or report_dir  # --out: the deprecated spelling
    counts = parse_counts(scale)
    if chain.chain_id not in (31337, 31338, 1337):
        raise UserError("the benchmark deploys a fresh suite: run it on a local network")
    logger.set_level("ERROR")
    bench = Bench(
        project, chain, accounts.test_accounts, load_listings(listings), log=lambda s: console.print(f"  {s}")
    )
    report = bench.run(counts)
    console.print(report.table())
    if report.scaling:
        console.print(report.scaling_table())
    json_path, md_path = report.write(folder)
    console.print(f"written: {json_path} {md_path}")
    if embed:
        quoted = [str(doc) for doc in documents(Path(".")) if embed_report(doc, report)]
        console.print(f"gas-report blocks rewritten in {', '.join(quoted) or 'no document'}")
    for row in report.missed_targets:
        console.print(
            f"[yellow]issue target missed[/]: {row.operation}: {row.gas:,} gas ({row.ratio:.2f}x), target "
            f"{row.target_text.removesuffix(' MISSED')} (see docs/gas.md)"
        )
    rate = report.throughput.get("relayer_messages_per_second", 0)
    # A wall-clock figure depends on the machine's load: it is reported against its target, never
    # a failure (only deterministic figures, gas and its growth, fail the bench).
    slow = rate < report.throughput.get("target", 0)
    console.print(
        f"relayer throughput: {rate:,.0f} messages/s"
        + (
            f" [yellow](target {report.throughput['target']:,.0f} missed on this machine now)[/]"
            if slow
            else ""
        )
    )
    t = report.throughput
    if "latency_seconds_p50" in t:
        console.print(
            f"  {t['attestor_processes']} attestor processes, threshold {t['threshold']}; latency send -> delivery:"
            f" p50 {t['latency_seconds_p50']:g} s ({t['latency_blocks_p50']:g} blocks),"
            f" p95 {t['latency_seconds_p95']:g} s ({t['latency_blocks_p95']:g} blocks)"
        )
    unmeasured = report.unmeasured_budget_rows()
    for operation in unmeasured:
        console.print(f"[red]budgeted row not measured[/]: {operation!r} (gas-budgets.toml names it)")
    growing = report.growing()
    for operation in growing:
        console.print(f"[red]gas grows with the holder / message count[/]: {operation!r}")
    failed = bool(report.over_budget or unmeasured or growing)
    output.result(
        {
            **report.to_dict(),
            "written": [str(json_path), str(md_path)],
            "over_budget": [row.operation for row in report.over_budget],
            "unmeasured": list(unmeasured),
            "growing": list(growing),
            "ok": not failed,
        }
    )
    if failed:
        for row in report.over_budget:
            console.print(
                f"[red]over budget[/]: {row.operation}: {row.gas:,} gas ({row.ratio:.2f}x), budget {row.budget_text}"
            )
        sys.exit(1)
    console.print("[green]every operation within its budget[/]")
