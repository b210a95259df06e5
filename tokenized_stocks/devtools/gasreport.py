"""Gas report: rows measured on one chain, compared with a plain OpenZeppelin ERC20 transfer.

`ape run bench` fills a `GasReport`, prints it as a rich table, writes it as JSON and Markdown and
exits non-zero when a budget is exceeded. Budgets come from `gas-budgets.toml` (see
`tokenized_stocks.devtools.budgets`): a row whose operation a budget names in its `bench` list is
held to it, as a ratio to the plain transfer measured in the same run and/or an absolute gas
figure. Every row also carries the same operation measured with every proxy's code replaced by its
implementation's (`direct`, the "no proxy" column): the difference is what upgradeability costs.
A row may also carry the issue's *target* when the enforced
budget differs from it (a target shown as missed, with the reason in docs/gas.md, and a budget
that guards the measured design against regressions): the table never hides a missed target.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.table import Table

from tokenized_stocks.devtools.budgets import Budget, for_bench_row, load

# How much a scaling row may differ between holder/message counts: only calldata, never storage
# or a loop. A message nonce of 1,000 has one more non-zero byte than a nonce of 10 (16 - 4 gas
# per byte), and an amount or wallet number can add one or two more: a few dozen gas. A loop over
# holders or messages would add at least a cold storage read (2,100 gas) per element.
SCALING_SLACK_GAS = 64


@dataclass
class GasRow:
    group: str
    operation: str
    gas: int
    budget_ratio: float | None = None  # at most this many plain transfers
    budget_gas: int | None = None  # at most this much gas
    note: str = ""
    target_ratio: float | None = None  # the target, when not the enforced budget
    target_gas: int | None = None
    ratio: float = 0.0
    within_budget: bool = True
    budget: str = ""  # its name in gas-budgets.toml
    direct: int | None = None  # the same operation with no proxy in front of any contract

    @property
    def proxy_cost(self) -> int | None:
        """What the ERC-1967 proxies add to this operation (None: not measured without them)."""
        return None if self.direct is None else self.gas - self.direct

    @property
    def direct_text(self) -> str:
        return "" if self.direct is None else f"{self.direct:,}"

    @property
    def proxy_cost_text(self) -> str:
        cost = self.proxy_cost
        return "" if cost is None else f"{cost:+,}"

    @property
    def target_met(self) -> bool | None:
        if self.target_ratio is None and self.target_gas is None:
            return None
        return (self.target_ratio is None or self.ratio <= self.target_ratio) and (
            self.target_gas is None or self.gas <= self.target_gas
        )

    @property
    def target_text(self) -> str:
        if self.target_met is None:
            return ""
        limit = f"<= {self.target_ratio}x" if self.target_ratio is not None else f"<= {self.target_gas:,}"
        return f"{limit} " + ("met" if self.target_met else "MISSED")

    @property
    def budget_text(self) -> str:
        parts = []
        if self.budget_ratio is not None:
            parts.append(f"<= {self.budget_ratio}x")
        if self.budget_gas is not None:
            parts.append(f"<= {self.budget_gas:,}")
        return " ".join(parts)


@dataclass
class GasReport:
    baseline: int  # plain ERC20 transfer between existing holders, this run
    rows: list[GasRow] = field(default_factory=list)
    scaling: list[dict] = field(default_factory=list)
    throughput: dict = field(default_factory=dict)

    def add(
        self,
        group: str,
        operation: str,
        gas: int,
        *,
        note: str = "",
        target_ratio: float | None = None,
        target_gas: int | None = None,
    ) -> GasRow:
        """Adds a row, held to the budget of gas-budgets.toml that names `operation`, if any."""
        budget: Budget | None = for_bench_row(operation)
        row = GasRow(group, operation, int(gas), note=note, target_ratio=target_ratio, target_gas=target_gas)
        row.ratio = row.gas / self.baseline
        if budget is not None:
            row.budget, row.budget_ratio, row.budget_gas = budget.name, budget.ratio, budget.gas
            row.within_budget = budget.allows(row.gas, self.baseline)
        self.rows.append(row)
        return row

    def set_direct(self, direct: GasReport) -> None:
        """Records, on each row, the gas `direct` measured for the same operation (the same run
        with every proxy's code replaced by its implementation's)."""
        figures = {r.operation: r.gas for r in direct.rows}
        for row in self.rows:
            row.direct = figures.get(row.operation)

    def unmeasured_budget_rows(self) -> list[str]:
        """Rows gas-budgets.toml enforces that this report does not have (a renamed row would
        otherwise escape its budget silently)."""
        measured = {r.operation for r in self.rows}
        budgets, _ = load()
        return [row for b in budgets.values() for row in b.bench if row not in measured]

    def add_scaling(self, operation: str, figures: dict[int, int]) -> None:
        """Gas of one operation at several holder/message counts (must not grow with them)."""
        self.scaling.append({"operation": operation, "gas_by_count": {str(k): v for k, v in figures.items()}})

    @property
    def missed_targets(self) -> list[GasRow]:
        return [r for r in self.rows if r.target_met is False]

    @property
    def over_budget(self) -> list[GasRow]:
        return [r for r in self.rows if not r.within_budget]

    def table(self) -> Table:
        table = Table(title=f"Gas (plain OZ ERC20 transfer = {self.baseline:,})")
        numeric = ("gas", "x plain", "no proxy", "proxy cost")
        for col in (
            "part",
            "operation",
            "gas",
            "x plain",
            "no proxy",
            "proxy cost",
            "budget",
            "ok",
            "issue target",
        ):
            table.add_column(col, justify="right" if col in numeric else "left")
        for r in self.rows:
            table.add_row(
                r.group,
                r.operation,
                f"{r.gas:,}",
                f"{r.ratio:.2f}",
                r.direct_text,
                r.proxy_cost_text,
                r.budget_text,
                "yes" if r.within_budget else "[red]NO[/]",
                r.target_text.replace("MISSED", "[yellow]MISSED[/]"),
            )
        return table

    def growing(self) -> list[str]:
        """Scaling rows whose gas moves by more than `SCALING_SLACK_GAS` between the counts
        measured: an operation that depends on the number of holders or messages."""
        return [
            s["operation"]
            for s in self.scaling
            if s["gas_by_count"]
            and max(s["gas_by_count"].values()) - min(s["gas_by_count"].values()) > SCALING_SLACK_GAS
        ]

    def scaling_table(self) -> Table:
        counts = sorted({int(c) for s in self.scaling for c in s["gas_by_count"]})
        table = Table(title="Gas at scale (holders / messages)")
        table.add_column("operation")
        for c in counts:
            table.add_column(f"{c:,}", justify="right")
        for s in self.scaling:
            table.add_row(s["operation"], *(f"{s['gas_by_count'].get(str(c), 0):,}" for c in counts))
        return table

    def markdown(self) -> str:
        lines = [
            f"Plain OpenZeppelin ERC20 transfer between existing holders: **{self.baseline:,} gas**.",
            "",
            "Every contract is deployed behind its ERC-1967 proxy, as `ape run deploy` does; *no proxy* is "
            "the same operation with every proxy's code replaced by its implementation's (the price of "
            "upgradeability is the difference).",
            "",
            "| part | operation | gas | x plain | no proxy | proxy cost | budget | ok | issue target |",
            "| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |",
        ]
        for r in self.rows:
            lines.append(
                f"| {r.group} | {r.operation} | {r.gas:,} | {r.ratio:.2f} | {r.direct_text} | "
                f"{r.proxy_cost_text} | {r.budget_text} | "
                f"{'yes' if r.within_budget else 'NO'} | {r.target_text} |"
            )
        if self.throughput:
            rate = self.throughput["relayer_messages_per_second"]
            lines += [
                "",
                f"Relayer between two local chains: **{rate:,.0f} messages/s** (target {self.throughput['target']:g}).",
            ]
            t = self.throughput
            if "latency_seconds_p50" in t:
                lines[-1] = (
                    f"Delivery between two local chains, {t['attestor_processes']} attestor processes, threshold "
                    f"{t['threshold']}, {t['confirmations']} confirmations: **{rate:,.0f} messages/s** (target "
                    f"{t['target']:g}); latency from `send` to delivery ({t['latency_messages']} messages, a block "
                    f"every {t['block_time_seconds']:g} s): p50 {t['latency_seconds_p50']:g} s / "
                    f"{t['latency_blocks_p50']:g} blocks, p95 {t['latency_seconds_p95']:g} s / "
                    f"{t['latency_blocks_p95']:g} blocks."
                )
        if self.scaling:
            counts = sorted({int(c) for s in self.scaling for c in s["gas_by_count"]})
            lines += ["", "| operation | " + " | ".join(f"{c:,}" for c in counts) + " |"]
            lines.append("| --- |" + " ---: |" * len(counts))
            for s in self.scaling:
                cells = " | ".join(f"{s['gas_by_count'].get(str(c), 0):,}" for c in counts)
                lines.append(f"| {s['operation']} | {cells} |")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """The report as gas-report.json holds it."""
        return {
            "baseline": self.baseline,
            "rows": [asdict(r) for r in self.rows],
            "scaling": self.scaling,
            "throughput": self.throughput,
        }

    def write(self, folder: Path) -> tuple[Path, Path]:
        folder.mkdir(parents=True, exist_ok=True)
        as_json = folder / "gas-report.json"
        as_md = folder / "gas-report.md"
        as_json.write_text(json.dumps(self.to_dict(), indent=2) + "\n")
        as_md.write_text(self.markdown())
        return as_json, as_md

    @classmethod
    def read(cls, path: Path) -> GasReport:
        """The report `write` saved as JSON (docs/gas-report.json)."""
        data = json.loads(path.read_text())
        report = cls(baseline=int(data["baseline"]), scaling=data["scaling"], throughput=data["throughput"])
        report.rows = [GasRow(**row) for row in data["rows"]]
        return report

    def group_markdown(self, group: str) -> str:
        """The rows of one part (`gateway`, `certificate`, ...) with the baseline they compare to."""
        rows = [r for r in self.rows if r.group == group]
        if not rows:
            raise ValueError(f"the gas report has no part {group!r}")
        lines = [
            f"Plain OpenZeppelin ERC20 transfer between existing holders: **{self.baseline:,} gas**.",
            "",
            "| operation | gas | x plain | no proxy | budget |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        lines += [
            f"| {r.operation} | {r.gas:,} | {r.ratio:.2f} | {r.direct_text} | {r.budget_text} |" for r in rows
        ]
        return "\n".join(lines) + "\n"

    def budgets_markdown(self) -> str:
        """Every budget of gas-budgets.toml, with the figure this report measured for it."""
        budgets, throughputs = load()
        lines = ["| budget | measures | limit | measured by the bench |", "| --- | --- | --- | --- |"]
        for b in budgets.values():
            rows = [r for r in self.rows if r.budget == b.name]
            measured = "; ".join(f"{r.gas:,} ({r.ratio:.2f}x)" for r in rows) or "gas tests only"
            lines.append(f"| `{b.name}` | {b.measures} | {b.text} | {measured} |")
        for t in throughputs.values():
            rate = self.throughput.get("relayer_messages_per_second") if t.name == "relayer" else None
            measured = f"{rate:,.0f} messages/s" if rate is not None else "not measured"
            lines.append(
                f"| `{t.name}` (throughput) | {t.measures} | >= {t.min_rate:g} messages/s | {measured} |"
            )
        return "\n".join(lines) + "\n"

    def block(self, name: str) -> str:
        """The Markdown a `<!-- gas-report:NAME -->` block holds: `all`, `budgets` or a part."""
        if name == "all":
            return self.markdown()
        if name == "budgets":
            return self.budgets_markdown()
        return self.group_markdown(name)


# A document quotes the report between `<!-- gas-report:NAME -->` and `<!-- /gas-report -->`; the
# bench rewrites every such block, and a toolchain test fails when one differs from the committed
# docs/gas-report.json.
BLOCK = re.compile(r"(<!-- gas-report:([a-z -]+) -->\n)(.*?)(<!-- /gas-report -->)", re.S)


def blocks(text: str) -> list[tuple[str, str]]:
    """(name, content) of each gas-report block of a document."""
    return [(m.group(2), m.group(3)) for m in BLOCK.finditer(text)]


def embed(path: Path, report: GasReport) -> bool:
    """Rewrites the gas-report blocks of `path` from `report`; False when it has none."""
    if not path.is_file():
        return False
    text = path.read_text()
    updated, count = BLOCK.subn(lambda m: m.group(1) + report.block(m.group(2)) + m.group(4), text)
    if count and updated != text:
        path.write_text(updated)
    return count > 0


def documents(root: Path) -> list[Path]:
    """The documents the bench keeps in step with the report: README.md and docs/**/*.md."""
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
