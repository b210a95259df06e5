"""The published JSON Schemas (docs/schema/) are the ones the models generate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tokenized_stocks.deploy.schema import REGENERATE, SCHEMA_DIR, rendered

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("name", sorted(rendered()))
def test_the_committed_schema_is_the_generated_one(name):
    committed = ROOT / SCHEMA_DIR / name
    assert committed.exists(), f"{committed} is missing: run `{REGENERATE}`"
    assert committed.read_text() == rendered()[name], f"{committed} is stale: run `{REGENERATE}`"


def test_the_listings_schema_forbids_unknown_keys_per_architecture():
    schema = json.loads(rendered()["listings.schema.json"])
    mapping = schema["properties"]["assets"]["items"]["discriminator"]["mapping"]

    assert set(mapping) == {"tracker_certificate", "mint_on_order", "registry_share"}
    assert all(
        schema["$defs"][ref.split("/")[-1]]["additionalProperties"] is False for ref in mapping.values()
    )
