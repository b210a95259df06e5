"""The documents name only what exists: every repository path in README.md and docs/**/*.md (in
backticks, in links or in prose) must exist, and no document cites an issue number ("issue 12",
"#12") or a working branch ("Branch `fix/ops`") — the reader has neither."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
TOP = ("contracts", "tokenized_stocks", "tests", "test", "scripts", "docs", "deployments", "tools", ".ci")
PATH = re.compile(r"(?<![\w./-])((?:" + "|".join(re.escape(t) for t in TOP) + r")/[\w./*{},-]*)")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
ISSUE = re.compile(r"\bissues? #?\d+\b|(?<![\w&#/])#\d+\b", re.I)
BRANCH = re.compile(r"\bbranch(?:es)? `[^`]+`", re.I)


def _generated(path: str) -> bool:
    """An output the tools write and git ignores (e.g. `deployments/31337/manifest.json`)."""
    result = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT, check=False)
    return result.returncode == 0


def _exists(path: str) -> bool:
    path = path.rstrip(".,;:")
    if "*" in path or "{" in path:
        pattern = re.sub(r"\{[^}]*\}", "*", path)
        return any(ROOT.glob(pattern))
    return (ROOT / path).exists() or _generated(path)


def _ids(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("doc", DOCUMENTS, ids=_ids)
def test_every_repository_path_exists(doc: Path):
    text = doc.read_text()
    missing = sorted({p for p in PATH.findall(text) if not _exists(p)})
    for target in LINK.findall(text):
        if "://" in target or target.startswith("mailto:"):
            continue
        if not (doc.parent / target).exists():
            missing.append(target)
    assert not missing, f"{_ids(doc)} names paths that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCUMENTS, ids=_ids)
def test_no_issue_numbers_or_branch_names(doc: Path):
    text = doc.read_text()
    found = ISSUE.findall(text) + BRANCH.findall(text)
    assert not found, f"{_ids(doc)} cites issues or branches the reader cannot see: {found}"


def test_the_checker_sees_a_missing_path_and_an_issue():
    assert not _exists("contracts/NoSuchContract.sol") and _exists("contracts/gateway/Gateway.sol")
    assert _exists("deployments/31337/manifest.json")  # written by `ape run deploy`, ignored by git
    assert PATH.findall("see `tokenized_stocks/protocol/message.py`.") == [
        "tokenized_stocks/protocol/message.py"
    ]
    assert ISSUE.findall("as issue 14 asks (#14); ## 5. Gateway") == ["issue 14", "#14"]
    assert BRANCH.findall("Branch `fix/ops`: ...") == ["Branch `fix/ops`"]
