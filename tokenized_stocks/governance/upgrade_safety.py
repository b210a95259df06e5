"""Upgrade safety: OpenZeppelin upgrades-core validates the forge build before an upgrade is proposed.

    check_upgrade("Gateway", "GatewayV2")   # raises UpgradeUnsafe, one line per problem
    check_all()                             # every upgradeable implementation; the report's lines

Both build the contracts with forge's `upgrades` profile (foundry.toml: build-info files with the
compiler's input, the AST and every contract's storage layout, in `.forge-out-upgrades/`) and run
`openzeppelin-upgrades-core validate` (the `@openzeppelin/upgrades-core` package's own executable,
what `npx @openzeppelin/upgrades-core` starts, called directly so nothing is looked up online) on
them. upgrades-core finds the upgradeable contracts itself (those that are `Initializable`, UUPS, or
annotated `@custom:oz-upgrades` / `@custom:oz-upgrades-from`) and refuses, among others, a
constructor, `selfdestruct`, `delegatecall`, an initial value or an immutable not allowed by an
annotation, and a storage layout (sequential or ERC-7201 namespaced) that moves, retypes, inserts
before or deletes what the reference version stored.

upgrades-core reads only a full compilation (an incremental forge build leaves a partial build-info
file beside the old one, and the tool then silently checks stale code), so a build is reused only
when its fingerprint (every source under `contracts/`, foundry.toml, the solc shim and
package-lock.json, which pins the imported packages and solcjs) is the one recorded after it;
otherwise the profile is rebuilt from clean.

Contracts left out of `check_all` are listed, each with its reason, in `upgrade_safety.toml` next
to this module (the deliberately unsafe test fixtures); the report names every file left out.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tokenized_stocks.protocol.errors import UserError

ROOT = Path(__file__).resolve().parents[2]
#: The foundry.toml profile, and the output directory it names (the test checks they agree).
PROFILE = "upgrades"
OUT = ".forge-out-upgrades"
EXCLUSIONS = Path(__file__).with_name("upgrade_safety.toml")
FINGERPRINT = "upgrade-safety.fingerprint"

_NAME = re.compile(r"^(?:[A-Za-z0-9_./-]+\.sol:)?[A-Za-z_][A-Za-z0-9_]*$")
_HEADER = re.compile(r"^ ([✔✘])  (\S+)(?: \(upgrades from (\S+)\))?$")
_TOOL_ERROR = re.compile(r"^([A-Za-z]*Error|ReferenceContractNotFound)(?: \[Error\])?: (.+)$")
_STRUCT = re.compile(r"\bstruct\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{")


class UpgradeUnsafe(UserError):
    """The upgrade (or an implementation) is not shown safe; `problems` has one line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Exclusion:
    """Source files (a glob relative to the project root) `check_all` leaves out, and why."""

    glob: str
    reason: str


@dataclass(frozen=True)
class ContractResult:
    """upgrades-core's verdict on one upgradeable contract (`contract` and `reference` are fully
    qualified names, `path.sol:Name`)."""

    contract: str
    reference: str | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def name(self) -> str:
        return _short(self.contract)

    @property
    def source(self) -> str:
        return self.contract.rsplit(":", 1)[0]


@dataclass(frozen=True)
class Survey:
    """What `check_all` saw: the verdict on every upgradeable contract, and the files left out."""

    results: tuple[ContractResult, ...]
    excluded: tuple[tuple[str, Exclusion], ...]

    @property
    def problems(self) -> list[str]:
        return [problem for result in self.results for problem in result.problems]

    def lines(self) -> list[str]:
        """The report: one line per contract, one per exclusion rule (naming its files), a total."""
        out = []
        for result in self.results:
            upgrade = f" upgrades from {_short(result.reference)}" if result.reference else ""
            verdict = "safe" if result.ok else f"UNSAFE ({len(result.problems)} problems)"
            out.append(f"{result.name}{upgrade}: {verdict} ({result.source})")
        for rule in dict.fromkeys(exclusion for _, exclusion in self.excluded):
            files = ", ".join(Path(path).name for path, exclusion in self.excluded if exclusion == rule)
            out.append(f"excluded ({rule.glob}) {files}: {rule.reason}")
        pairs = sum(1 for r in self.results if r.reference)
        failed = sum(1 for r in self.results if not r.ok)
        out.append(
            f"{len(self.results)} upgradeable contracts checked ({pairs} against a reference), "
            f"{failed} unsafe, {len(self.excluded)} files excluded"
        )
        return out


def _short(name: str | None) -> str:
    return (name or "").rsplit(":", 1)[-1]


# --------------------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------------------


def _executable(root: Path, name: str) -> str:
    local = root / "node_modules" / ".bin" / name
    return str(local) if local.exists() else name


#: The folder of `contracts/` where ape-solidity unpacks the dependencies when it compiles (copies
#: of OpenZeppelin's packages): never part of the suite's build here.
UNPACKED = ".cache"


def fingerprint(root: Path) -> str:
    """A digest of everything the build depends on: a change to any of it means a rebuild."""
    digest = hashlib.sha256()
    # package-lock.json pins every imported package (OpenZeppelin...) and solcjs behind the shim.
    sources = (p for p in (root / "contracts").rglob("*.sol") if UNPACKED not in p.parts)
    inputs = sorted(sources) + [root / "foundry.toml", root / "package-lock.json"]
    inputs += sorted((root / "tools" / "solc").glob("solc-v*"))
    for path in inputs:
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def build(root: Path | None = None) -> Path:
    """Builds the contracts with the `upgrades` profile unless the last build is of these very
    sources; returns the build-info directory (one file: a full compilation)."""
    root = root or ROOT
    out = root / OUT
    stamp = out / FINGERPRINT
    build_info = out / "build-info"
    current = fingerprint(root)
    if stamp.is_file() and stamp.read_text() == current and len(list(build_info.glob("*.json"))) == 1:
        return build_info
    command = [_executable(root, "forge"), "build", "--force", "--skip", "test", "--skip", "script"]
    command += ["--skip", f"*/{UNPACKED}/*"]  # ape-solidity's copies of the dependencies
    env = {**os.environ, "FOUNDRY_PROFILE": PROFILE}
    try:
        result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise UserError(f"{command[0]} not found: install the npm packages (`npm ci`)") from error
    if result.returncode != 0:
        errors = [line for line in (result.stdout + result.stderr).splitlines() if "Error" in line]
        raise UserError(
            f"forge build (profile {PROFILE}) failed: {(errors or ['see `forge build`'])[0].strip()}"
        )
    if len(list(build_info.glob("*.json"))) != 1:
        raise UserError(
            f"forge build (profile {PROFILE}) wrote no single build-info file in {OUT}/build-info"
        )
    stamp.write_text(current)
    return build_info


# --------------------------------------------------------------------------------------------------
# Running upgrades-core and reading its report
# --------------------------------------------------------------------------------------------------


def _struct_at(root: Path, src: str) -> str | None:
    """The struct whose body holds `path.sol:line` (a member of an ERC-7201 namespace), if any."""
    path, _, line = src.rpartition(":")
    source = root / path
    if not line.isdigit() or not path.endswith(".sol") or not source.is_file():
        return None
    text = source.read_text()
    offset = sum(len(x) + 1 for x in text.split("\n")[: int(line) - 1])
    for match in _STRUCT.finditer(text, 0, offset):
        end = text.find("}", match.end())
        if match.end() <= offset <= end:
            return match.group(1)
    return None


def _problem(root: Path, contract: str, block: list[str]) -> str:
    """One line for one error block of the report: `Contract: message (src) - detail`."""
    first = block[0].strip()
    src, _, message = first.partition(": ")
    if not message:
        src, message = "", first
    struct = _struct_at(root, src)
    field = re.search(r"`([^`]+)`", message)
    if struct and field:
        message = message.replace(f"`{field.group(1)}`", f"`{struct}.{field.group(1)}`", 1)
    details = [line.strip()[2:] for line in block[1:] if line.strip().startswith("- ")]
    where = f" ({src})" if src else ""
    return f"{_short(contract)}: {message}{where}" + "".join(f"; {d}" for d in details)


def parse_report(text: str, root: Path | None = None) -> list[ContractResult]:
    """The contracts and problems of `openzeppelin-upgrades-core validate`'s report (no colour)."""
    root = root or ROOT
    results: list[ContractResult] = []
    current: tuple[str, str | None, bool] | None = None
    blocks: list[list[str]] = []

    def close() -> None:
        if current is not None:
            contract, reference, failed = current
            problems = tuple(_problem(root, contract, block) for block in blocks)
            if failed and not problems:  # marked failed, nothing readable: still a failure
                problems = (f"{_short(contract)}: refused by upgrades-core",)
            results.append(ContractResult(contract, reference, problems))

    for line in text.splitlines():
        header = _HEADER.match(line)
        if header:
            close()
            current, blocks = (header.group(2), header.group(3), header.group(1) == "✘"), []
        elif not line.strip():
            continue  # the tool's blank separators (indented ones too) are no problem
        elif current is not None and line.startswith(" " * 7) and blocks:
            blocks[-1].append(line)  # the details of the problem above
        elif current is not None and line.startswith(" " * 6):
            blocks.append([line])  # a problem: `src: message`
        elif line.strip() and not line.startswith(" "):
            close()  # the summary line
            current = None
    close()
    return results


def _tool_error(output: str) -> str | None:
    for line in output.splitlines():
        match = _TOOL_ERROR.match(line.strip())
        if match:
            return match.group(2).strip()
    return None


def validate(build_info: Path, arguments: Sequence[str], root: Path | None = None) -> list[ContractResult]:
    """Runs `openzeppelin-upgrades-core validate <build_info> <arguments>`; returns its verdicts. The
    tool's own error (a contract not found, a contract as its own reference...) is a UserError: bad
    input, nothing was checked."""
    root = root or ROOT
    command = [_executable(root, "openzeppelin-upgrades-core"), "validate", str(build_info), *arguments]
    env = {**os.environ, "FORCE_COLOR": "0", "NO_COLOR": "1"}
    try:
        result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise UserError(f"{command[0]} not found: install the npm packages (`npm ci`)") from error
    results = parse_report(result.stdout, root)
    if result.returncode != 0 and not any(not r.ok for r in results):
        message = (
            _tool_error(result.stderr + "\n" + result.stdout)
            or (result.stderr.strip().splitlines() or ["?"])[-1]
        )
        raise UserError(f"upgrades-core validate: {message}")
    return results


def _checked_name(name: str, what: str) -> str:
    if not _NAME.match(name):
        raise UserError(f"{what} {name!r} is not a contract name (Name or path/File.sol:Name)")
    return name


def check_upgrade(reference: str, candidate: str, *, root: Path | None = None) -> None:
    """Raises UpgradeUnsafe unless `candidate` is a safe upgrade of `reference`: upgrade-safe code
    and a storage layout (sequential and ERC-7201 namespaces) compatible with the reference's."""
    root = root or ROOT
    _checked_name(reference, "reference")
    _checked_name(candidate, "candidate")
    build_info = build(root)
    arguments = ["--contract", candidate, "--reference", reference, "--requireReference"]
    results = validate(build_info, arguments, root)
    problems = [problem for result in results for problem in result.problems]
    if problems:
        raise UpgradeUnsafe(problems)
    if not results:
        raise UserError(f"upgrades-core reported nothing on {candidate} (is it abstract?)")


def exclusions(path: Path = EXCLUSIONS) -> list[Exclusion]:
    """The rules of `upgrade_safety.toml`: `[[exclude]]` tables with a `glob` and a `reason`."""
    data = tomllib.loads(path.read_text())
    rules = []
    for entry in data.get("exclude", []):
        glob, reason = entry.get("glob"), entry.get("reason")
        if not isinstance(glob, str) or not glob or not isinstance(reason, str) or not reason.strip():
            raise UserError(f"{path.name}: every [[exclude]] needs a glob and a reason: {entry}")
        rules.append(Exclusion(glob, reason.strip()))
    return rules


def survey(root: Path | None = None, rules: Sequence[Exclusion] | None = None) -> Survey:
    """upgrades-core's verdict on every upgradeable contract under contracts/ but the excluded."""
    root = root or ROOT
    rules = exclusions() if rules is None else rules
    excluded: list[tuple[str, Exclusion]] = []
    for rule in rules:
        matched = sorted(str(p.relative_to(root)) for p in root.glob(rule.glob))
        if not matched:
            raise UserError(f"exclusion {rule.glob!r} matches no file: remove it from {EXCLUSIONS.name}")
        excluded += [(path, rule) for path in matched]
    build_info = build(root)
    arguments = [argument for rule in rules for argument in ("--exclude", rule.glob)]
    results = validate(build_info, arguments, root)
    return Survey(tuple(results), tuple(excluded))


def check_all(root: Path | None = None) -> list[str]:
    """Every upgradeable implementation under contracts/ (found by upgrades-core) validated, every
    `@custom:oz-upgrades-from` pair against its reference; returns the report's lines, or raises
    UpgradeUnsafe naming each problem."""
    found = survey(root)
    if found.problems:
        raise UpgradeUnsafe(found.problems)
    return found.lines()
