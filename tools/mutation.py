#!/usr/bin/env python3
"""Sampled mutation testing of the core contracts: does the test suite fail when behaviour breaks?

One meaningful mutant per site, of five kinds:
  guard     a `revert`/`require` removed (the check no longer refuses)
  boundary  a comparison flipped at its bound (`<` <-> `<=`, `>` <-> `>=`)
  arith     an arithmetic operator swapped (`+` <-> `-`, `*` <-> `/`, `+=` <-> `-=`)
  write     a state write deleted (an assignment statement removed)
  emit      an event emission deleted

For each contract of `tools/mutation.toml` the sites are enumerated, `--sample` of them are drawn
with a fixed `--seed`, and each mutant is applied to the source in place (restored afterwards,
also on Ctrl-C), then judged in order:
  stillborn  the mutated source does not compile (not counted);
  killed     `forge test` on the contract's forge tests fails, or else its ape tests fail;
  survived   every test still passes;
  equivalent listed in `tools/mutation-equivalent.toml` with the reason (not counted).
Score = killed / (killed + survived) per contract; `--min-score` fails the run below it. The
"forge alone" column is the share of the same mutants the forge suite kills by itself.

Mutant ids hash the file, the original line's text, the kind and the occurrence in the line, so
they survive unrelated edits (line numbers do not).

    python tools/mutation.py --list --contract gateway     # the sites, no test run
    python tools/mutation.py                               # the full sample (tools/mutation.toml)
    python tools/mutation.py --ci --min-score 1            # what CI runs (minutes)

Run it on a clean tree: it edits contracts in place and restores them.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "tools" / "mutation.toml"
EQUIVALENT = ROOT / "tools" / "mutation-equivalent.toml"
_APE = str(Path(sys.executable).parent / "ape")  # the venv's own ape (it has no `python -m ape`)

_COMMENT = re.compile(r"^\s*(//|/\*|\*)")
_SKIP = re.compile(
    r"^\s*(import|pragma|error|event|interface|library|contract|abstract|using|function|modifier|constructor)\b"
)
_GUARD_ONE_LINE = re.compile(r"^\s*(if\s*\(.*\)\s*)?revert\b.*;\s*(//.*)?$")
_REQUIRE = re.compile(r"^\s*require\s*\(.*\);\s*(//.*)?$")
_COMPARE = re.compile(r"(?<![<>=!])(<=|>=|<|>)(?![<>=])")
_ARITH = re.compile(r"(?<=\s)(\+=|-=|\+|-|\*|/)(?=\s)")
# A state write: an assignment to a variable, a mapping entry or a member (`$` is the local an
# ERC-7201 accessor returns: `$.nonce = ...`).
_WRITE = re.compile(
    r"^\s*(?!(?:uint\d*|int\d*|bytes\d*|bool|address|string|return|emit|revert|if|else|for|while|delete|unchecked)\b)"
    r"[_A-Za-z$][\w$]*(?:\[[^\]]*\]|\.\w+)*\s*(?:=|\+=|-=|\|=|&=|\*=)\s*[^=].*;\s*(//.*)?$"
)
_EMIT = re.compile(r"^\s*emit\s+\w+\s*\(.*\);\s*(//.*)?$")
_SWAP = {
    "<": "<=",
    "<=": "<",
    ">": ">=",
    ">=": ">",
    "+": "-",
    "-": "+",
    "*": "/",
    "/": "*",
    "+=": "-=",
    "-=": "+=",
}


@dataclass(frozen=True)
class Mutant:
    contract: str
    path: Path
    line: int  # 1-based
    kind: str
    original: str
    mutated: str  # "" deletes the statement
    occurrence: int
    end_line: int = 0  # last line of a multi-line statement that is deleted (0: one line)
    twin: int = 0  # how many earlier lines of the file have the same text and mutation

    @property
    def id(self) -> str:
        key = f"{self.path.relative_to(ROOT)}|{self.original.strip()}|{self.kind}|{self.occurrence}"
        if self.twin:  # the same statement twice in a file: the second one is a different mutant
            key += f"|{self.twin}"
        return f"{self.contract}:{hashlib.sha1(key.encode()).hexdigest()[:10]}"

    def describe(self) -> str:
        after = self.mutated.strip() or (
            f"(lines {self.line}-{self.end_line} deleted)" if self.end_line else "(line deleted)"
        )
        return f"{self.path.relative_to(ROOT)}:{self.line} [{self.kind}] {self.original.strip()}  ->  {after}"


def _in_code(lines: list[str]) -> list[bool]:
    """Whether each line is code (not inside a block comment)."""
    out, block = [], False
    for text in lines:
        stripped = text.strip()
        if block:
            out.append(False)
            block = "*/" not in stripped
            continue
        if stripped.startswith("/*"):
            out.append(False)
            block = "*/" not in stripped
            continue
        out.append(not _COMMENT.match(text))
    return out


_MULTI_LINE = re.compile(r"^\s*(?:if\s*\(.*\)\s*)?(emit|revert|require)\b")


def _statement_end(lines: list[str], start: int) -> int | None:
    """Index of the line that closes the statement opened at `start` (balanced parentheses, `;`)."""
    depth = 0
    for index in range(start, min(start + 12, len(lines))):
        code = _code_part(lines[index])
        depth += code.count("(") - code.count(")")
        if depth == 0 and code.rstrip().endswith(";"):
            return index
    return None


def _code_part(text: str) -> str:
    """The line without a trailing `//` comment (strings with `//` are rare in these contracts)."""
    return text.split("//", 1)[0]


def sites(contract: str, path: Path) -> list[Mutant]:
    lines = path.read_text().splitlines(keepends=True)
    code = _in_code(lines)
    found: list[Mutant] = []
    for index, (text, is_code) in enumerate(zip(lines, code, strict=True)):
        if not is_code or _SKIP.match(text) or not text.strip():
            continue
        number = index + 1
        body = _code_part(text)
        if _GUARD_ONE_LINE.match(text) or _REQUIRE.match(text):
            found.append(Mutant(contract, path, number, "guard", text, "", 0))
            continue
        if _EMIT.match(text):
            found.append(Mutant(contract, path, number, "emit", text, "", 0))
            continue
        opening = _MULTI_LINE.match(body)
        if opening and not body.rstrip().endswith(";"):
            end = _statement_end(lines, index)
            if end is not None:
                kind = "emit" if opening.group(1) == "emit" else "guard"
                found.append(Mutant(contract, path, number, kind, text, "", 0, end + 1))
            continue
        if "mapping(" not in body and re.search(
            r"\bif\s*\(|\brequire\s*\(|\?|\bwhile\s*\(|\breturn\b|&&|\|\|", body
        ):
            for occurrence, match in enumerate(_COMPARE.finditer(body)):
                mutated = text[: match.start()] + _SWAP[match.group(1)] + text[match.end() :]
                found.append(Mutant(contract, path, number, "boundary", text, mutated, occurrence))
        if "mapping(" not in body and not body.lstrip().startswith(("uint", "int ", "bytes")):
            for occurrence, match in enumerate(_ARITH.finditer(body)):
                mutated = text[: match.start()] + _SWAP[match.group(1)] + text[match.end() :]
                found.append(Mutant(contract, path, number, "arith", text, mutated, occurrence))
        if _WRITE.match(text):
            found.append(Mutant(contract, path, number, "write", text, "", 0))
    seen: dict[tuple[str, str, int], int] = {}
    for index, m in enumerate(found):
        key = (m.original.strip(), m.kind, m.occurrence)
        if key in seen:
            found[index] = dataclasses.replace(m, twin=seen[key])
        seen[key] = seen.get(key, 0) + 1
    return found


def load_config() -> dict:
    return tomllib.loads(CONFIG.read_text())


def load_equivalent() -> dict[str, str]:
    if not EQUIVALENT.exists():
        return {}
    data = tomllib.loads(EQUIVALENT.read_text())
    return {entry["id"]: entry["reason"] for entry in data.get("mutant", [])}


def _run(cmd: list[str], timeout: int) -> tuple[int, str]:
    env = dict(os.environ)
    # forge's fuzz and invariant campaigns draw a fresh seed each run: fix it so a verdict is
    # reproducible (a mutant the campaigns catch only sometimes would flip between runs)
    env.setdefault("FOUNDRY_FUZZ_SEED", "0x1")
    try:
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return 124, "timeout"
    return done.returncode, done.stdout + done.stderr


def _glob(patterns: list[str]) -> str:
    """One forge `--match-path` glob for several patterns (forge takes the option once)."""
    if not patterns:
        return "test/forge/*.t.sol"
    return patterns[0] if len(patterns) == 1 else "{" + ",".join(patterns) + "}"


def judge(m: Mutant, spec: dict, forge_only: bool, timeout: int) -> tuple[str, str]:
    original = m.path.read_text()
    lines = original.splitlines(keepends=True)
    lines[m.line - 1] = m.mutated
    for extra in range(m.line, m.end_line):  # the rest of a deleted multi-line statement
        lines[extra] = ""
    m.path.write_text("".join(lines))
    try:
        code, out = _run(["forge", "build", "-q"], timeout)
        if code != 0:
            return "stillborn", "does not compile"
        forge_cmd = ["forge", "test", "--fail-fast", "--match-path", _glob(spec.get("forge", []))]
        code, out = _run(forge_cmd, timeout)
        if code == 0 and "No tests" in out:
            raise SystemExit(f"error: no forge test matches {spec.get('forge')} (fix tools/mutation.toml)")
        if code == 124:
            return "killed", "forge timed out"
        if code != 0:
            return "killed", "forge"
        if forge_only or not spec.get("ape"):
            return "survived", "forge"
        # ape recompiles a contract only when its own file changes, not an imported one (a base
        # or a library): force it, or the ape tests would run the unmutated bytecode. Only the
        # contract's own files (and what they import) are recompiled: seconds, not the whole tree.
        code, out = _run([_APE, "compile", "--force", *spec["paths"]], timeout)
        if code != 0:
            return "stillborn", "ape compile failed"
        ape_cmd = [_APE, "test", "-q", "-x", "-p", "no:cacheprovider", *spec["ape"]]
        code, out = _run(ape_cmd, timeout * 4)
        if code not in (0, 5):
            return "killed", "ape"
        return "survived", "forge+ape"
    finally:
        m.path.write_text(original)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--contract", action="append", help="contract key of tools/mutation.toml (repeatable)"
    )
    parser.add_argument("--sample", type=int, default=None, help="mutants per contract (default: config)")
    parser.add_argument("--seed", type=int, default=None, help="sampling seed (default: config)")
    parser.add_argument("--forge-only", action="store_true", help="judge with forge tests only")
    parser.add_argument("--list", action="store_true", help="list the sampled mutants, run nothing")
    parser.add_argument(
        "--id", action="append", default=[], help="judge this mutant id (repeatable; instead of a sample)"
    )
    parser.add_argument(
        "--ci", action="store_true", help="judge the fixed CI list of tools/mutation.toml ([ci] ids)"
    )
    parser.add_argument("--min-score", type=float, default=None, help="fail below this kill ratio (0-1)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per forge step")
    args = parser.parse_args()

    config = load_config()
    defaults = config.get("defaults", {})
    sample = args.sample if args.sample is not None else int(defaults.get("sample", 10))
    seed = args.seed if args.seed is not None else int(defaults.get("seed", 1))
    equivalent = load_equivalent()
    contracts = config["contract"]
    wanted = set(args.id) | (set(config.get("ci", {}).get("ids", [])) if args.ci else set())
    if (args.id or args.ci) and not wanted:
        print("error: no mutant id given ([ci] ids of tools/mutation.toml is empty)", file=sys.stderr)
        return 2
    chosen = args.contract or list(contracts)
    found: set[str] = set()
    unknown = [c for c in chosen if c not in contracts]
    if unknown:
        print(f"error: unknown contract {unknown[0]!r} (known: {', '.join(contracts)})", file=sys.stderr)
        return 2

    # Restore sources on Ctrl-C: judge() restores in `finally`; turn SIGTERM into the same path.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))

    results: dict[str, dict[str, int]] = {}
    survivors: list[str] = []
    for name in chosen:
        spec = contracts[name]
        every = [m for rel in spec["paths"] for m in sites(name, ROOT / rel)]
        rng = random.Random(f"{seed}:{name}")
        if wanted:
            picked = [m for m in every if m.id in wanted]
            found.update(m.id for m in picked)
            if not picked:
                continue
        else:
            picked = sorted(rng.sample(every, min(sample, len(every))), key=lambda m: (str(m.path), m.line))
        counts = {"killed": 0, "survived": 0, "equivalent": 0, "stillborn": 0, "by_forge": 0}
        chosen_by = "chosen by id" if wanted else f"sampled (seed {seed})"
        print(f"== {name}: {len(every)} sites, {len(picked)} {chosen_by}", flush=True)
        for mutant in picked:
            if args.list:
                print(f"  {mutant.id}  {mutant.describe()}")
                continue
            if mutant.id in equivalent:
                counts["equivalent"] += 1
                print(f"  equivalent {mutant.id}  {mutant.describe()}  ({equivalent[mutant.id]})", flush=True)
                continue
            started = time.monotonic()
            verdict, by = judge(mutant, spec, args.forge_only, args.timeout)
            counts[verdict] += 1
            counts["by_forge"] += verdict == "killed" and by.startswith("forge")
            print(
                f"  {verdict:<10} {mutant.id}  {mutant.describe()}  [{by}, {time.monotonic() - started:.0f}s]",
                flush=True,
            )
            if verdict == "survived":
                survivors.append(f"{mutant.id}  {mutant.describe()}")
        results[name] = counts
    if wanted - found:
        # a stale id (its line was edited) must not let a fixed sample shrink silently
        print(f"error: no site has the mutant id(s) {', '.join(sorted(wanted - found))}", file=sys.stderr)
        return 2
    if args.list:
        return 0
    if not args.forge_only:
        _run([_APE, "compile", "--force"], args.timeout)  # leave .build with the restored sources

    print("\ncontract            killed  survived  equivalent  stillborn  score  forge alone")
    failed = False
    for name, c in results.items():
        judged = c["killed"] + c["survived"]
        score = c["killed"] / judged if judged else 1.0
        forge_alone = c["by_forge"] / judged if judged else 1.0
        print(
            f"{name:<20}{c['killed']:>6}  {c['survived']:>8}  {c['equivalent']:>10}  {c['stillborn']:>9}"
            f"  {score:6.1%}  {forge_alone:10.1%}"
        )
        if args.min_score is not None and score < args.min_score:
            failed = True
    if survivors:
        print("\nsurvivors (each is a missing assertion, or an equivalent mutant to list with its reason):")
        for line in survivors:
            print(f"  {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
