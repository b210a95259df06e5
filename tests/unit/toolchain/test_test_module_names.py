"""Two test modules outside packages may not share a file name: pytest imports them by basename
(rootdir import mode), so the second one fails the whole session's collection."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[2]


def test_no_two_test_modules_outside_packages_share_a_name():
    loose = [p for p in TESTS.rglob("*.py") if not (p.parent / "__init__.py").exists()]
    shared = sorted(name for name, count in Counter(p.name for p in loose).items() if count > 1)
    assert shared in ([], ["conftest.py"]), shared
