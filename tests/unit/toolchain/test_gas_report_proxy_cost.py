"""Every bench row shows what upgradeability costs: the same operation measured with no proxy."""

from __future__ import annotations

import json
from pathlib import Path

from tokenized_stocks.devtools.gasreport import GasReport


def _report(rows: dict[str, int]) -> GasReport:
    report = GasReport(baseline=34_000)
    for operation, gas in rows.items():
        report.add("part", operation, gas)
    return report


def test_each_row_gets_the_figure_measured_without_proxies_for_the_same_operation():
    report = _report({"transfer": 43_700, "mint": 60_000})
    report.set_direct(_report({"mint": 55_100, "transfer": 38_800}))

    assert [(r.operation, r.direct, r.proxy_cost) for r in report.rows] == [
        ("transfer", 38_800, 4_900),
        ("mint", 55_100, 4_900),
    ]


def test_a_row_not_measured_without_proxies_shows_no_figure_rather_than_a_guess():
    report = _report({"transfer": 43_700})
    report.set_direct(_report({}))

    row = report.rows[0]
    assert (row.direct, row.proxy_cost, row.direct_text, row.proxy_cost_text) == (None, None, "", "")


def test_the_markdown_table_has_the_no_proxy_and_proxy_cost_columns():
    report = _report({"transfer": 43_700})
    report.set_direct(_report({"transfer": 38_800}))

    lines = report.markdown().splitlines()
    assert (
        "| part | operation | gas | x plain | no proxy | proxy cost | budget | ok | issue target |" in lines
    )
    assert any(line.startswith("| part | transfer | 43,700 | 1.29 | 38,800 | +4,900 |") for line in lines)


def test_the_direct_figure_survives_the_json_round_trip(tmp_path: Path):
    report = _report({"transfer": 43_700})
    report.set_direct(_report({"transfer": 38_800}))
    as_json, _ = report.write(tmp_path)

    again = GasReport.read(as_json)
    assert again.rows[0].direct == 38_800
    assert json.loads(as_json.read_text())["rows"][0]["direct"] == 38_800
