"""gas-budgets.toml is the one source of gas budgets: it parses, every budget the gas tests name
exists, and every bench row it enforces is a row the bench measures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tokenized_stocks.devtools.budgets import BUDGETS_FILE, Budget, BudgetExceeded, budget, load

ROOT = Path(__file__).resolve().parents[3]


def test_every_budget_has_a_limit_a_measure_and_a_reason():
    budgets, throughputs = load()
    assert budgets and "relayer" in throughputs
    for b in budgets.values():
        assert b.measures and b.why and (b.ratio is not None or b.gas is not None), b.name


def test_every_budget_the_tests_name_exists():
    names = set()
    for path in ROOT.glob("tests/**/*.py"):
        names |= set(re.findall(r'budget\("([a-z0-9-]+)"\)', path.read_text()))
    budgets, _ = load()
    assert names, "the gas tests read their budgets from gas-budgets.toml"
    assert names <= set(budgets), f"unknown budgets: {sorted(names - set(budgets))}"


def test_every_budgeted_bench_row_is_a_row_the_bench_measures():
    source = (ROOT / "tokenized_stocks/devtools/bench.py").read_text()
    budgets, _ = load()
    for b in budgets.values():
        for row in b.bench:
            assert f'"{row}"' in source, f"{BUDGETS_FILE.name}: {b.name} names bench row {row!r}"


def test_no_gas_test_hard_codes_a_budget():
    for path in ROOT.glob("tests/unit/*/test_gas_*.py"):
        text = path.read_text()
        assert not re.search(r"(BUDGET|CEILING|RATIO)\w* = [0-9]", text), path.name
        assert not re.search(r"assert .*[<>]=? *[0-9][0-9_.]*( \*|$)", text, re.M), path.name


def test_check_names_the_budget_the_figure_and_the_file():
    b = Budget("example", "a transfer", "a guard", ratio=1.5, gas=50_000)
    b.check(45_000, plain=30_000)
    with pytest.raises(
        BudgetExceeded, match=r"'example' exceeded.*46,000 gas.*<= 1.5x <= 50,000.*gas-budgets.toml"
    ):
        b.check(46_000, plain=30_000)
    with pytest.raises(BudgetExceeded):
        b.check(50_001, plain=40_000)
    with pytest.raises(ValueError, match="ratio"):
        b.check(1)
    floor = budget("plain-erc20-transfer")
    assert floor.allows(35_000) and not floor.allows(29_999)
