"""The published ERC-3643 ABIs (T-REX 4.1.6), read from the npm package `@tokenysolutions/t-rex`.

package.json lists the package, so `npm ci` (make setup, CI) installs it under node_modules;
`TREX_PACKAGE_DIR` points elsewhere (a private install). A missing package fails the test that
needs it (never a skip: the coverage figure must be checked on every run).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
TREX = Path(os.environ.get("TREX_PACKAGE_DIR", ROOT / "node_modules" / "@tokenysolutions" / "t-rex"))
ARTIFACTS = {
    "IToken": "artifacts/contracts/token/IToken.sol/IToken.json",
    "IIdentityRegistry": "artifacts/contracts/registry/interface/IIdentityRegistry.sol/IIdentityRegistry.json",
}


def trex_abi(name: str) -> list[dict[str, Any]]:
    """The ABI of T-REX's `IToken` or `IIdentityRegistry`."""
    path = TREX / ARTIFACTS[name]
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `npm ci` (package.json lists @tokenysolutions/t-rex)")
    return json.loads(path.read_text())["abi"]
