"""The reconciliation rules, on hand-made views (the chain-reading part is tested end to end)."""

from tokenized_stocks.reconcile.model import AssetView, reconcile

E18 = 10**18


def view(chain_id: int, **overrides) -> AssetView:
    base = {
        "key": "AAPLx",
        "chain_id": chain_id,
        "asset_id": "0xaa",
        "isin": "US0378331005",
        "ticker": "AAPL",
        "architecture": 0,
        "home_chain_id": 1,
        "terms_hash": "0x01",
        "total_supply": 100 * E18,
        "total_units": 100 * E18,
        "multiplier": E18,
        "epoch": 0,
    }
    base.update(overrides)
    return AssetView(**base)


def test_consistent_chains_reconcile_clean():
    report = reconcile(
        [view(1, supply_elsewhere=30 * E18, reserves=200 * E18), view(2, total_units=30 * E18)]
    )
    assert report.ok and report.findings == []


def test_units_in_flight_count_towards_supply_elsewhere():
    home = view(1, supply_elsewhere=30 * E18, in_flight_out=0)
    remote = view(2, total_units=20 * E18, in_flight_out=10 * E18)
    assert reconcile([home, remote]).ok


def test_supply_on_other_chains_above_the_home_count_is_a_break():
    report = reconcile([view(1, supply_elsewhere=30 * E18), view(2, total_units=31 * E18)])
    assert not report.ok
    assert [f.check for f in report.findings] == ["conservation"]


def test_mismatched_identity_is_a_break():
    report = reconcile([view(1, supply_elsewhere=0), view(2, total_units=0, isin="US5949181045")])
    assert [(f.check, f.chain_id) for f in report.findings] == [("identity", 2)]


def test_a_different_dti_on_another_chain_is_an_identity_break():
    report = reconcile(
        [view(1, supply_elsewhere=0, dti="4H95J0R2X"), view(2, total_units=0, dti="4H95J0R2Z")]
    )
    assert [(f.check, f.chain_id, f.detail) for f in report.findings] == [
        ("identity", 2, "dti is '4H95J0R2Z' here, '4H95J0R2X' at home")
    ]


def test_supply_above_reserves_is_a_break():
    report = reconcile(
        [view(1, supply_elsewhere=10 * E18, reserves=105 * E18), view(2, total_units=10 * E18)]
    )
    assert [f.check for f in report.findings] == ["reserves"]


def test_chain_behind_on_corporate_actions_is_a_warning_not_a_break():
    report = reconcile([view(1, supply_elsewhere=0, epoch=2), view(2, total_units=0, epoch=1)])
    assert report.ok
    assert [(f.check, f.severity) for f in report.findings] == [("epoch", "warning")]


def test_missing_home_chain_is_a_break():
    report = reconcile([view(2, total_units=0)])
    assert [f.check for f in report.findings] == ["home"]


def test_wrong_holder_count_is_a_break():
    report = reconcile([view(1, supply_elsewhere=0, holders=3, holders_expected=4)])
    assert [f.check for f in report.findings] == ["holders"]
