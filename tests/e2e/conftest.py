"""Hygiene shared by the e2e modules (each starts its own anvil nodes)."""

from __future__ import annotations

from collections.abc import Iterator

import ape
import pytest
from e2e_hygiene import drop_providers_added_since

from tokenized_stocks.devtools.anvil import AnvilNode, start_anvil


@pytest.fixture(autouse=True, scope="module")
def _no_provider_outlives_its_module() -> Iterator[None]:
    from ape.api.networks import ProviderContextManager

    before = set(ProviderContextManager.connected_providers)
    yield
    drop_providers_added_since(before)


@ape.fixture(scope="session", chain_isolation=False)  # holds no state of ape's own chain
def nodes() -> Iterator[tuple[AnvilNode, AnvilNode]]:
    """Chains A (31337) and B (31338) for the modules that run scripts in this process. One pair
    per session: ape keeps the first node it connected for a network name in in-process runs, so
    a second pair on the same chain ids would not be reached."""
    a = start_anvil(31337, accounts=20)
    b = start_anvil(31338, accounts=20)
    yield a, b
    a.stop()
    b.stop()
