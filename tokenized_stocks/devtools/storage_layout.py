"""Storage-layout snapshots of the stateful contracts, committed under test/storage-layout/.

    python -m tokenized_stocks.devtools.storage_layout --write   # make storage-layout
    python -m tokenized_stocks.devtools.storage_layout --check   # make check-storage-layout (CI)

Each snapshot is the contract's `storageLayout` (what `forge inspect <Contract> storageLayout --json`
prints; read here from a `forge build --extra-output storageLayout` into .forge-out-layout), normalised so that only the layout
is kept: every variable's label, slot, offset and type label, and the members of every struct it
uses (same fields). AST ids, source paths and the contract or library a struct or enum is declared
in are dropped, so an unrelated edit (or moving a struct into a library) does not change the file;
a variable that moves, changes type, appears or disappears does. `--check` names the contract and
the slot of every change, and prints the command that regenerates the snapshots.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "test" / "storage-layout"
REGENERATE = "make storage-layout"
OUT = ROOT / ".forge-out-layout"
CACHE = ROOT / ".forge-cache-layout"

#: Every contract that holds state a deployed instance depends on.
CONTRACTS = (
    "Gateway",
    "TrackerCertificate",
    "OrderToken",
    "OrderDesk",
    "OrderVault",
    "RegistryShare",
    "ShareExtension",
    "InvestorRegistry",
    "SanctionsList",
    "DvP",
    "HybridDvP",
    "TraditionalLedgerAdapter",
    "DividendDistributor",
    "BallotBox",
    "AttestedFeed",
    "CertificateVault",
)

_QUALIFIED = re.compile(r"\b(struct|enum) [A-Za-z0-9_]+\.")


def _type_labels(types: dict[str, Any]) -> dict[str, str]:
    """Type id -> label, with the declaring contract or library dropped from struct and enum
    names unless two different types would then read the same."""
    short = {type_id: _QUALIFIED.sub(r"\1 ", str(info["label"])) for type_id, info in types.items()}
    full = {type_id: str(info["label"]) for type_id, info in types.items()}
    clashes = {
        label for label in short.values() if len({full[t] for t, s in short.items() if s == label}) > 1
    }
    return {t: full[t] if short[t] in clashes else short[t] for t in types}


def _entry(labels: dict[str, str], item: dict[str, Any]) -> dict[str, Any]:
    return {
        "slot": str(item["slot"]),
        "offset": int(item["offset"]),
        "label": str(item["label"]),
        "type": labels[item["type"]],
    }


def normalise(raw: dict[str, Any]) -> dict[str, Any]:
    """The layout part of forge's `storageLayout` output (see the module docstring)."""
    types: dict[str, Any] = raw.get("types") or {}
    labels = _type_labels(types)
    structs = {
        labels[type_id]: [_entry(labels, m) for m in info["members"]]
        for type_id, info in types.items()
        if info.get("members")
    }
    return {
        "storage": [_entry(labels, item) for item in raw.get("storage", [])],
        "structs": dict(sorted(structs.items())),
    }


def build() -> Path:
    """Compiles the contracts with the storage layout in the artifacts, into an output directory of
    its own (`forge inspect` can find a cached artifact without the layout, and the default
    `.forge-out` is left as `forge test` wants it). Returns the output directory."""
    env = {**os.environ, "FOUNDRY_OUT": str(OUT), "FOUNDRY_CACHE_PATH": str(CACHE)}
    command = ["forge", "build", "--extra-output", "storageLayout", "--skip", "test", "--skip", "script"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}".strip())
    return OUT


def inspect(contract: str, out: Path = OUT) -> dict[str, Any]:
    """Normalised layout of `contract`, from the artifact `build` wrote."""
    found = sorted(out.glob(f"*/{contract}.json"))
    if len(found) != 1:
        where = ", ".join(str(p.relative_to(ROOT)) for p in found) or "none"
        raise RuntimeError(f"{contract}: expected one artifact under {out.name}/, found {where}")
    artifact = json.loads(found[0].read_text())
    if "storageLayout" not in artifact:
        raise RuntimeError(f"{contract}: {found[0].relative_to(ROOT)} has no storage layout")
    return normalise(artifact["storageLayout"])


def _where(entry: dict[str, Any]) -> str:
    return f"slot {entry['slot']} offset {entry['offset']} ({entry['type']})"


def _compare(scope: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    before = {e["label"]: e for e in old}
    after = {e["label"]: e for e in new}
    changes = []
    for label, was in before.items():
        now = after.get(label)
        if now is None:
            changes.append(f"{scope}`{label}` removed from {_where(was)}")
        elif now != was:
            changes.append(f"{scope}`{label}` changed: {_where(was)} -> {_where(now)}")
    for label, now in after.items():
        if label not in before:
            changes.append(f"{scope}`{label}` added at {_where(now)}")
    return changes


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """One line per variable or struct member that moved, changed type, appeared or disappeared."""
    changes = _compare("", old.get("storage", []), new.get("storage", []))
    old_structs, new_structs = old.get("structs", {}), new.get("structs", {})
    for name in sorted(set(old_structs) | set(new_structs)):
        if name not in new_structs:
            changes.append(f"{name} no longer used")
        elif name not in old_structs:
            changes.append(f"{name} newly used")
        else:
            changes += _compare(f"{name}.", old_structs[name], new_structs[name])
    return changes


def snapshot_path(contract: str) -> Path:
    return SNAPSHOTS / f"{contract}.json"


def dump(layout: dict[str, Any]) -> str:
    return json.dumps(layout, indent=2) + "\n"


def write(contracts: tuple[str, ...] = CONTRACTS) -> None:
    build()
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    for contract in contracts:
        snapshot_path(contract).write_text(dump(inspect(contract)))
        print(f"wrote {snapshot_path(contract).relative_to(ROOT)}")


def check(contracts: tuple[str, ...] = CONTRACTS) -> list[str]:
    """Every difference between the committed snapshots and the contracts, by contract."""
    build()
    problems = []
    for contract in contracts:
        path = snapshot_path(contract)
        if not path.is_file():
            problems.append(f"{contract}: no snapshot {path.relative_to(ROOT)}")
            continue
        changes = diff(json.loads(path.read_text()), inspect(contract))
        problems += [f"{contract}: {change}" for change in changes]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="regenerate test/storage-layout/*.json")
    mode.add_argument("--check", action="store_true", help="fail when a layout differs from its snapshot")
    parser.add_argument("contracts", nargs="*", help=f"default: all {len(CONTRACTS)}")
    args = parser.parse_args(argv)
    contracts = tuple(args.contracts) or CONTRACTS
    if args.write:
        write(contracts)
        return 0
    problems = check(contracts)
    if not problems:
        print(f"storage layouts match test/storage-layout/ ({len(contracts)} contracts)")
        return 0
    print("storage layout changed:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    print(
        f"If the change is intended (no deployed instance depends on the old layout), regenerate "
        f"the snapshots with `{REGENERATE}` and commit them.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
