"""The gas budgets of `gas-budgets.toml` (repository root), for the bench and the gas tests alike.

    from tokenized_stocks.devtools.budgets import budget
    budget("certificate-transfer").check(gas.transfer, plain=gas.plain_transfer)

A budget is a ratio to a plain OpenZeppelin ERC20 transfer measured in the same run, an absolute
gas figure, or both; `check` raises `BudgetExceeded` (an `AssertionError`, so pytest reports it)
naming the budget, the figure, the limit and the file to change.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BUDGETS_FILE = Path(__file__).resolve().parents[2] / "gas-budgets.toml"


class BudgetExceeded(AssertionError):
    """A measured figure outside its budget."""


@dataclass(frozen=True)
class Budget:
    name: str
    measures: str
    why: str
    ratio: float | None = None  # at most this many plain transfers
    gas: int | None = None  # at most this much gas
    min_gas: int | None = None  # at least this much gas (a sanity floor)
    bench: tuple[str, ...] = ()  # the bench rows it is enforced on

    def allows(self, gas: int, plain: int | None = None) -> bool:
        if self.ratio is not None:
            if plain is None:
                raise ValueError(f"budget {self.name!r} is a ratio: give the plain transfer's gas")
            if gas > self.ratio * plain:
                return False
        if self.gas is not None and gas > self.gas:
            return False
        return self.min_gas is None or gas >= self.min_gas

    def check(self, gas: int, plain: int | None = None) -> None:
        if not self.allows(gas, plain):
            measured = f"{gas:,} gas" + (f" ({gas / plain:.4f}x plain {plain:,})" if plain else "")
            raise BudgetExceeded(
                f"gas budget {self.name!r} exceeded: {self.measures}: {measured}, budget {self.text} "
                f"({self.why}; figures live in {BUDGETS_FILE.name})"
            )

    @property
    def text(self) -> str:
        parts = []
        if self.min_gas is not None:
            parts.append(f">= {self.min_gas:,}")
        if self.ratio is not None:
            parts.append(f"<= {self.ratio}x")
        if self.gas is not None:
            parts.append(f"<= {self.gas:,}")
        return " ".join(parts)


@dataclass(frozen=True)
class Throughput:
    name: str
    measures: str
    why: str
    min_rate: float


def _budget(name: str, entry: dict[str, object]) -> Budget:
    known = {"measures", "why", "ratio", "gas", "min_gas", "bench"}
    if unknown := set(entry) - known:
        raise ValueError(f"{BUDGETS_FILE.name}: budget {name!r} has unknown keys {sorted(unknown)}")
    if not isinstance(entry.get("measures"), str) or not isinstance(entry.get("why"), str):
        raise ValueError(f"{BUDGETS_FILE.name}: budget {name!r} needs `measures` and `why`")
    ratio, gas, min_gas, bench = (entry.get(k) for k in ("ratio", "gas", "min_gas", "bench"))
    if ratio is None and gas is None:
        raise ValueError(f"{BUDGETS_FILE.name}: budget {name!r} needs a `ratio` or a `gas` limit")
    if ratio is not None and not isinstance(ratio, int | float):
        raise ValueError(f"{BUDGETS_FILE.name}: budget {name!r}: `ratio` must be a number")
    for key, value in (("gas", gas), ("min_gas", min_gas)):
        if value is not None and not isinstance(value, int):
            raise ValueError(f"{BUDGETS_FILE.name}: budget {name!r}: `{key}` must be an integer")
    if not isinstance(bench, list | None) or not all(isinstance(row, str) for row in bench or []):
        raise ValueError(f"{BUDGETS_FILE.name}: budget {name!r}: `bench` must be a list of row names")
    return Budget(
        name=name,
        measures=str(entry["measures"]),
        why=str(entry["why"]),
        ratio=float(ratio) if ratio is not None else None,
        gas=gas if isinstance(gas, int) else None,
        min_gas=min_gas if isinstance(min_gas, int) else None,
        bench=tuple(str(row) for row in bench or []),
    )


@cache
def load(path: Path = BUDGETS_FILE) -> tuple[dict[str, Budget], dict[str, Throughput]]:
    """Every budget and throughput target of the file, by name (validated)."""
    data = tomllib.loads(path.read_text())
    budgets = {name: _budget(name, entry) for name, entry in data.get("budget", {}).items()}
    throughputs = {
        name: Throughput(name, entry["measures"], entry["why"], float(entry["min_rate"]))
        for name, entry in data.get("throughput", {}).items()
    }
    rows = [row for b in budgets.values() for row in b.bench]
    if duplicated := {row for row in rows if rows.count(row) > 1}:
        raise ValueError(f"{path.name}: bench rows under two budgets: {sorted(duplicated)}")
    return budgets, throughputs


def budget(name: str) -> Budget:
    budgets, _ = load()
    if name not in budgets:
        raise KeyError(f"no budget {name!r} in {BUDGETS_FILE.name} (known: {', '.join(sorted(budgets))})")
    return budgets[name]


def throughput(name: str) -> Throughput:
    _, throughputs = load()
    return throughputs[name]


def for_bench_row(operation: str) -> Budget | None:
    """The budget enforced on a bench row, if any."""
    budgets, _ = load()
    return next((b for b in budgets.values() if operation in b.bench), None)
