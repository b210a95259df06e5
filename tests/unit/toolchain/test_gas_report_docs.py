"""Documents quote the gas report, they do not copy it: every `<!-- gas-report:NAME -->` block of
README.md and docs/**/*.md, and docs/gas-report.md itself, must be what the committed
docs/gas-report.json renders (`make bench` rewrites them all from one run)."""

from __future__ import annotations

from pathlib import Path

from tokenized_stocks.devtools.gasreport import GasReport, blocks, documents

ROOT = Path(__file__).resolve().parents[3]
REPORT = GasReport.read(ROOT / "docs/gas-report.json")


def test_gas_report_markdown_is_rendered_from_the_json():
    assert (ROOT / "docs/gas-report.md").read_text() == REPORT.markdown(), "run `make bench`"


def test_every_quoted_block_matches_the_report():
    found = {}
    for doc in documents(ROOT):
        for name, content in blocks(doc.read_text()):
            found[f"{doc.relative_to(ROOT)}:{name}"] = content
            assert content == REPORT.block(name), (
                f"{doc.relative_to(ROOT)}: gas-report block {name!r} differs from docs/gas-report.json: "
                "run `make bench` (or rewrite the blocks from the committed report)"
            )
    assert {"README.md:all", "docs/gateway.md:gateway", "docs/gas.md:budgets"} <= set(found)


def test_every_budgeted_row_of_the_report_names_its_budget():
    from tokenized_stocks.devtools.budgets import for_bench_row

    for row in REPORT.rows:
        budget = for_bench_row(row.operation)
        assert row.budget == (budget.name if budget else ""), row.operation
