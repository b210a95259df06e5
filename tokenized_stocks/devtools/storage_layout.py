"""Storage-layout snapshots of the stateful contracts, committed under test/storage-layout/.

    python -m tokenized_stocks.devtools.storage_layout --write   # make storage-layout
    python -m tokenized_stocks.devtools.storage_layout --check   # make check-storage-layout (CI)

Each snapshot is the contract's `storageLayout` (what `forge inspect <Contract> storageLayout --json`
prints; read here from the build of forge's `upgrades` profile in .forge-out-upgrades, the one the
upgrade-safety check reads), normalised so that only the layout is kept: every variable's label,
slot, offset and type label, and the members of every struct it uses (same fields).

solc's layout has no ERC-7201 namespaces (a struct annotated `@custom:storage-location
erc7201:<id>` is reached by assembly, not by a state variable), so they are added under
`namespaces`: for each namespace of the contract and of every contract it inherits, its base slot
(the ERC-7201 formula) and its struct's members with their slot relative to the base, offset and
type. They come from a second compile of the same sources (OpenZeppelin upgrades-core's
`makeNamespacedInput`, tools/namespaced-input.cjs, then the solc shim) in which a state variable of
each namespaced struct is injected, so the compiler itself lays the members out. A contract without
namespaces has no `namespaces` key. AST ids, source paths and the contract or library a struct or enum is declared
in are dropped, so an unrelated edit (or moving a struct into a library) does not change the file;
a variable that moves, changes type, appears or disappears does. `--check` names the contract and
the slot of every change, and prints the command that regenerates the snapshots.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from eth_utils import keccak

from tokenized_stocks.governance import upgrade_safety
from tokenized_stocks.protocol.errors import UserError

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "test" / "storage-layout"
REGENERATE = "make storage-layout"
OUT = ROOT / upgrade_safety.OUT
SOLC = ROOT / "tools" / "solc" / "solc-v0.8.30"
NAMESPACED_INPUT = ROOT / "tools" / "namespaced-input.cjs"

#: Every contract that holds state a deployed instance depends on.
CONTRACTS = (
    "Gateway",
    "TrackerCertificate",
    "CertificateExtension",
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
    # Test fixture (contracts/test/upgrades): the reference of the upgrade-safety tests, committed so
    # that CI's --check runs the ERC-7201 namespace path on a real snapshot.
    "BoxV1Mock",
)

_QUALIFIED = re.compile(r"\b(struct|enum) [A-Za-z0-9_]+\.")
_NAMESPACE = re.compile(r"@custom:storage-location\s+(erc7201:\S+)")
_STRUCT_ID = re.compile(r"^t_struct\(.*\)(\d+)_storage$")


def erc7201_slot(namespace: str) -> str:
    """The base slot of `erc7201:<id>`: keccak256(abi.encode(uint256(keccak256(id)) - 1)) & ~0xff."""
    prefix, _, name = namespace.partition(":")
    if prefix != "erc7201" or not name:
        raise ValueError(f"{namespace}: only erc7201 namespaces are supported")
    inner = int.from_bytes(keccak(text=name), "big") - 1
    slot = int.from_bytes(keccak(inner.to_bytes(32, "big")), "big") & ~0xFF
    return f"0x{slot:064x}"


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
    """The layout part of forge's `storageLayout` output (see the module docstring). `raw` may also
    hold `namespaces`: `[{"id": "erc7201:<id>", "type": <struct type id>}]`, with the struct types in
    `types` (what `inspect` adds from the namespaced compile)."""
    types: dict[str, Any] = raw.get("types") or {}
    labels = _type_labels(types)
    namespaced = {item["type"] for item in raw.get("namespaces", [])}
    structs = {
        labels[type_id]: [_entry(labels, m) for m in info["members"]]
        for type_id, info in types.items()
        if info.get("members") and type_id not in namespaced
    }
    layout: dict[str, Any] = {
        "storage": [_entry(labels, item) for item in raw.get("storage", [])],
        "structs": dict(sorted(structs.items())),
    }
    namespaces = {
        item["id"]: {
            "slot": erc7201_slot(item["id"]),
            "struct": labels[item["type"]],
            "members": [_entry(labels, m) for m in types[item["type"]]["members"]],
        }
        for item in raw.get("namespaces", [])
    }
    if namespaces:
        layout["namespaces"] = dict(sorted(namespaces.items()))
    return layout


def build() -> Path:
    """Compiles the contracts with forge's `upgrades` profile (storage layout, AST and build-info in
    the artifacts; a fresh build is reused, see tokenized_stocks.governance.upgrade_safety.build) and
    returns the output directory."""
    upgrade_safety.build(ROOT)
    return OUT


def _namespace_ids(output: dict[str, Any]) -> dict[int, str]:
    """AST id of every struct annotated `@custom:storage-location erc7201:<id>` -> its namespace."""
    found: dict[int, str] = {}
    stack: list[Any] = [source["ast"] for source in output.get("sources", {}).values()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("nodeType") == "StructDefinition":
                match = _NAMESPACE.search(str((node.get("documentation") or {}).get("text", "")))
                if match:
                    found[int(node["id"])] = match.group(1)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


@lru_cache(maxsize=4)
def _namespaced_compile(build_info: Path, modified: float) -> dict[str, Any]:
    """The solc output of the namespaced input made from `build_info` (`modified` keys the cache)."""
    with tempfile.TemporaryDirectory() as scratch:
        made = Path(scratch) / "namespaced-input.json"
        command = ["node", str(NAMESPACED_INPUT), str(build_info), str(made)]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}".strip())
        compiled = subprocess.run(
            [str(SOLC), "--standard-json", "--base-path", str(ROOT)],
            cwd=ROOT,
            input=made.read_text(),
            capture_output=True,
            text=True,
        )
    output: dict[str, Any] = json.loads(compiled.stdout or "{}")
    errors = [e["formattedMessage"] for e in output.get("errors", []) if e.get("severity") == "error"]
    if compiled.returncode != 0 or errors or "contracts" not in output:
        raise RuntimeError(f"namespaced compile failed: {(errors or [compiled.stderr])[0]}".strip())
    return output


def namespaced_layout(contract: str, out: Path = OUT) -> dict[str, Any]:
    """`namespaces` (id and struct type of each, the contract's and its bases') and their `types`,
    from the namespaced compile of the build in `out`."""
    infos = sorted((out / "build-info").glob("*.json"))
    if len(infos) != 1:
        raise RuntimeError(f"expected one build-info file under {out.name}/build-info, found {len(infos)}")
    output = _namespaced_compile(infos[0], infos[0].stat().st_mtime)
    layouts = [
        by_name[contract]["storageLayout"] for by_name in output["contracts"].values() if contract in by_name
    ]
    if len(layouts) != 1:
        raise RuntimeError(f"{contract}: expected one contract of that name in the namespaced compile")
    ids = _namespace_ids(output)
    namespaces = []
    for item in layouts[0].get("storage", []):
        match = _STRUCT_ID.match(str(item["type"]))
        if match and int(match.group(1)) in ids:
            namespaces.append({"id": ids[int(match.group(1))], "type": item["type"]})
    return {"namespaces": namespaces, "types": layouts[0].get("types") or {}}


def inspect(contract: str, out: Path = OUT) -> dict[str, Any]:
    """Normalised layout of `contract`, from the artifact `build` wrote, with its namespaces."""
    found = sorted(p for p in out.glob(f"*/{contract}.json") if p.parent.name != "build-info")
    if len(found) != 1:
        where = ", ".join(str(p.relative_to(ROOT)) for p in found) or "none"
        raise RuntimeError(f"{contract}: expected one artifact under {out.name}/, found {where}")
    artifact = json.loads(found[0].read_text())
    if "storageLayout" not in artifact:
        raise RuntimeError(f"{contract}: {found[0].relative_to(ROOT)} has no storage layout")
    raw = dict(artifact["storageLayout"])
    namespaced = namespaced_layout(contract, out)
    if namespaced["namespaces"]:
        raw["types"] = {**namespaced["types"], **(raw.get("types") or {})}
        raw["namespaces"] = namespaced["namespaces"]
    return normalise(raw)


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
    """One line per variable, struct member or namespace member that moved, changed type, appeared or
    disappeared, and per namespace that appeared, disappeared or moved."""
    changes = _compare("", old.get("storage", []), new.get("storage", []))
    old_structs, new_structs = old.get("structs", {}), new.get("structs", {})
    for name in sorted(set(old_structs) | set(new_structs)):
        if name not in new_structs:
            changes.append(f"{name} no longer used")
        elif name not in old_structs:
            changes.append(f"{name} newly used")
        else:
            changes += _compare(f"{name}.", old_structs[name], new_structs[name])
    old_spaces, new_spaces = old.get("namespaces", {}), new.get("namespaces", {})
    for space in sorted(set(old_spaces) | set(new_spaces)):
        was, now = old_spaces.get(space), new_spaces.get(space)
        if now is None:
            changes.append(f"namespace {space} removed (slot {was['slot']}, {was['struct']})")
        elif was is None:
            changes.append(f"namespace {space} added at slot {now['slot']} ({now['struct']})")
        else:
            if (was["slot"], was["struct"]) != (now["slot"], now["struct"]):
                changes.append(
                    f"namespace {space} moved: {was['struct']} at {was['slot']} -> {now['struct']} at {now['slot']}"
                )
            changes += _compare(f"namespace {space} ", was["members"], now["members"])
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
    try:
        problems = check(contracts)
    except (RuntimeError, UserError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
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
