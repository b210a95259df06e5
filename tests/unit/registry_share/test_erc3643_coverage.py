"""ERC-3643 coverage of the registry share and the investor registry, computed so it cannot drift.

The published T-REX 4.1.6 ABIs (`IToken`, `IIdentityRegistry`) are read from the npm package
`@tokenysolutions/t-rex` (a devDependency: `npm ci` installs it); the share's address answers
`RegistryShare`'s selectors and, through its fallback, `ShareExtension`'s. A T-REX function counts
when a function of the same name and input types exists with the same output types. The README
quotes the figure and lists every missing function; both are checked against the computation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from trex_abi import ARTIFACTS, trex_abi

from tokenized_stocks.abi import load_abi

ROOT = Path(__file__).resolve().parents[3]
MISSING_BLOCK = re.compile(r"<!-- erc3643-missing:start -->(.*?)<!-- erc3643-missing:end -->", re.S)


def signature(entry: dict[str, Any]) -> str:
    return f"{entry['name']}({','.join(i['type'] for i in entry['inputs'])})"


def functions(abi: list[dict[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Signature -> output types."""
    return {signature(e): tuple(o["type"] for o in e["outputs"]) for e in abi if e["type"] == "function"}


def events(abi: list[dict[str, Any]]) -> set[str]:
    return {signature(e) for e in abi if e["type"] == "event"}


def share_functions() -> dict[str, tuple[str, ...]]:
    return {**functions(load_abi("ShareExtension")), **functions(load_abi("RegistryShare"))}


def missing() -> dict[str, set[str]]:
    share, registry = share_functions(), functions(load_abi("InvestorRegistry"))
    result = {}
    for name, ours in (("IToken", share), ("IIdentityRegistry", registry)):
        result[name] = {sig for sig, out in functions(trex_abi(name)).items() if ours.get(sig) != out}
    return result


def readme() -> str:
    return (ROOT / "README.md").read_text()


def test_at_least_90_percent_of_token_and_identity_registry_functions_are_implemented():
    total = sum(len(functions(trex_abi(name))) for name in ARTIFACTS)
    absent = sum(len(sigs) for sigs in missing().values())
    assert (total - absent) / total >= 0.9


def test_readme_quotes_the_computed_coverage():
    total = sum(len(functions(trex_abi(name))) for name in ARTIFACTS)
    covered = total - sum(len(sigs) for sigs in missing().values())
    assert f"{covered} of {total} functions ({100 * covered / total:.1f}%)" in readme()


def test_readme_lists_exactly_the_missing_functions():
    block = MISSING_BLOCK.search(readme())
    assert block is not None, "README has no erc3643-missing block"
    # The missing functions all take arguments; the views named in the reasons take none.
    listed = set(re.findall(r"`([A-Za-z]+\([a-z0-9,\[\]]+\))`", block.group(1)))
    assert listed == set().union(*missing().values())


def test_every_token_event_is_emitted_in_t_rex_shape_at_the_share_address():
    ours = events(load_abi("RegistryShare")) | events(load_abi("ShareExtension"))
    assert events(trex_abi("IToken")) <= ours


def test_identity_registry_events_exist_except_the_claim_registries_setters():
    absent = events(trex_abi("IIdentityRegistry")) - events(load_abi("InvestorRegistry"))
    assert absent == {
        "ClaimTopicsRegistrySet(address)",
        "IdentityStorageSet(address)",
        "TrustedIssuersRegistrySet(address)",
    }
