"""The bench fails when an operation's gas grows with the number of holders or messages."""

from __future__ import annotations

from tokenized_stocks.devtools.gasreport import SCALING_SLACK_GAS, GasReport


def _report(**rows: dict[int, int]) -> GasReport:
    report = GasReport(baseline=34_000)
    for operation, figures in rows.items():
        report.add_scaling(operation, figures)
    return report


def test_a_flat_scaling_row_passes():
    assert _report(transfer={10: 54_563, 100: 54_563, 1000: 54_563}).growing() == []


def test_calldata_noise_up_to_the_slack_passes():
    assert _report(receive={10: 106_246, 1000: 106_246 + SCALING_SLACK_GAS}).growing() == []


def test_one_gas_past_the_slack_fails_the_row():
    report = _report(receive={10: 106_246, 1000: 106_246 + SCALING_SLACK_GAS + 1}, flat={10: 5, 100: 5})
    assert report.growing() == ["receive"]


def test_a_row_that_shrinks_by_more_than_the_slack_also_fails():
    # gas that depends on the count in either direction is a loop or a stale measurement
    assert _report(claim={10: 120_000, 100: 110_000}).growing() == ["claim"]


def test_the_committed_report_is_flat():
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).parents[3] / "docs" / "gas-report.json").read_text())
    report = GasReport(baseline=data["baseline"], scaling=data["scaling"])
    assert report.scaling and report.growing() == []
