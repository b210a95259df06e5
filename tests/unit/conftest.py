"""Fixtures of every unit suite.

Deployments are module-scoped: they run once per test module, ape snapshots the chain after them
and reverts to that snapshot after each test (block, balances, storage and timestamp), so every
test starts from the same deployed state and pays only for its own transactions.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module", autouse=True)
def module_fixtures_in_fixed_order(request):
    """Sets up, before the first test of a module, every module-scoped fixture that any selected
    test of the module uses, in collection order.

    ape snapshots the chain after the module-scoped fixtures and reverts to that snapshot after
    each test. A module-scoped fixture first requested by the fifth test would otherwise exist for
    the sixth test but not for the fourth: what a test starts from would depend on the tests that
    ran before it. Set up at once, every test of a module starts from the same deployments.
    """
    for item in request.session.items:
        if getattr(item, "module", None) is not request.module:
            continue
        for name in item.fixturenames:
            definitions = item._fixtureinfo.name2fixturedefs.get(name)
            if (
                definitions
                and definitions[-1].scope == "module"
                and definitions[-1].params is None
                and name != request.fixturename
            ):
                request.getfixturevalue(name)
