"""Pure pieces of the ops fixes: the feeds' first answers from the listings (13.9), the
superseded contracts in the manifest and the topology findings of reconcile (13.10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tokenized_stocks.deploy.listings import ListingBase, load_listings, parse_listing
from tokenized_stocks.deploy.manifest import Manifest
from tokenized_stocks.deploy.suite import feed_answer
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.reconcile.model import Finding, reconcile

ROOT = Path(__file__).resolve().parents[3]


def listing(**options) -> ListingBase:
    kind = "tracker_certificate" if "initial_reserves" in options else "mint_on_order"
    return parse_listing({"key": "X", "isin": "US0378331005", "ticker": "X", "architecture": kind, **options})


def test_a_reference_price_is_scaled_exactly_to_the_feeds_decimals():
    assert feed_answer(listing(reference_price=180.25), "reference_price", 8) == 18_025_000_000


def test_initial_reserves_in_whole_shares_need_no_scaling():
    assert feed_answer(listing(initial_reserves=1_000_000), "initial_reserves", 0) == 1_000_000


def test_a_figure_finer_than_the_feed_is_refused_not_rounded():
    with pytest.raises(UserError, match="at most 0 decimals"):
        feed_answer(listing(initial_reserves=1.5), "initial_reserves", 0)


def test_an_absent_figure_is_none():
    assert feed_answer(listing(), "reference_price", 8) is None


def test_the_sample_listings_give_reserves_and_a_price():
    by_key = {li.key: li for li in load_listings(ROOT / "deployments" / "listings.yaml")}

    assert feed_answer(by_key["AAPLx"], "initial_reserves", 0) == 1_000_000
    assert feed_answer(by_key["NVDAon"], "reference_price", 8) == 18_025_000_000


@pytest.mark.parametrize("bad", ["'abc'", "-1", "nan", "inf", "true"])
def test_a_listing_with_a_bad_reference_price_is_refused_before_anything_is_sent(tmp_path, bad):
    path = tmp_path / "listings.yaml"
    path.write_text(
        "assets:\n  - {key: X, isin: US0378331005, ticker: X, architecture: mint_on_order, "
        f"reference_price: {bad}}}\n"
    )

    with pytest.raises(UserError, match="reference_price: must be a number >= 0"):
        load_listings(path)


def test_a_manifest_written_before_superseded_existed_loads_with_none():
    raw = json.loads(Manifest(chain_id=1, network="n", deployer="0x" + "11" * 20).to_json())
    del raw["superseded"]

    assert Manifest.from_json(json.dumps(raw)).superseded == []


def test_superseded_contracts_round_trip_through_the_manifest():
    manifest = Manifest(chain_id=1, network="n", deployer="0x" + "11" * 20)
    manifest.superseded = [{"name": "Gateway", "address": "0x" + "11" * 20, "block": 3}]

    assert Manifest.from_json(manifest.to_json()).superseded == manifest.superseded


def test_a_topology_break_fails_the_reconciliation():
    finding = Finding("Gateway", 31337, "topology", "break", "trusts a superseded gateway")

    report = reconcile([], [finding])

    assert not report.ok and report.findings == [finding]
