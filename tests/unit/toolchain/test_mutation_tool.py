"""tools/mutation.py: which mutants it makes of a source, and that their ids are stable and unique."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

SOURCE = """\
// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice a comment with < and + in it
contract Probe {
    error TooBig(uint256 value);
    event Set(uint256 value);

    uint256 public value;

    function set(uint256 next) external {
        if (next > 10) revert TooBig(next);
        value = next + 1;
        emit Set(
            next
        );
    }

    function again(uint256 next) external {
        if (next > 10) revert TooBig(next);
    }
}
"""


@pytest.fixture(scope="module")
def mutation():
    spec = importlib.util.spec_from_file_location("mutation_tool", ROOT / "tools" / "mutation.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutation_tool"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def probe(tmp_path, mutation, monkeypatch):
    monkeypatch.setattr(mutation, "ROOT", tmp_path)
    path = tmp_path / "Probe.sol"
    path.write_text(SOURCE)
    return mutation.sites("probe", path)


def test_each_kind_of_site_is_found_and_comments_and_declarations_are_not(probe):
    kinds = sorted((m.line, m.kind) for m in probe)
    assert kinds == [
        (12, "guard"),
        (13, "arith"),
        (13, "write"),
        (14, "emit"),
        (20, "guard"),
    ]


def test_a_multi_line_emit_is_deleted_whole(probe):
    emit = next(m for m in probe if m.kind == "emit")
    assert (emit.line, emit.end_line, emit.mutated) == (14, 16, "")


def test_arithmetic_is_swapped_in_place(probe):
    arith = next(m for m in probe if m.kind == "arith")
    assert arith.mutated.strip() == "value = next - 1;"


def test_the_same_statement_twice_in_a_file_gives_two_ids(probe):
    guards = [m for m in probe if m.kind == "guard"]
    assert guards[0].original == guards[1].original
    assert guards[0].id != guards[1].id


def test_ids_do_not_depend_on_line_numbers(mutation, tmp_path, probe):
    shifted = tmp_path / "Probe.sol"
    shifted.write_text("\n\n" + SOURCE)
    moved = mutation.sites("probe", shifted)
    assert [m.id for m in moved] == [m.id for m in probe]
    assert [m.line for m in moved] == [m.line + 2 for m in probe]


@pytest.fixture(scope="module")
def every_id(mutation) -> set[str]:
    """The id of every mutant of every core contract."""
    contracts = mutation.load_config()["contract"].items()
    return {
        m.id for name, spec in contracts for rel in spec["paths"] for m in mutation.sites(name, ROOT / rel)
    }


def test_every_id_of_the_ci_list_names_a_site_of_the_core_contracts(mutation, every_id):
    ci = set(mutation.load_config()["ci"]["ids"])
    assert ci and ci <= every_id


def test_every_equivalent_mutant_names_a_site_and_gives_a_reason(mutation, every_id):
    equivalent = mutation.load_equivalent()
    assert set(equivalent) <= every_id
    assert all(len(reason) > 20 for reason in equivalent.values())


def _imports(path: Path, seen: set[Path]) -> set[Path]:
    """Local Solidity files `path` imports, transitively."""
    import re

    for target in re.findall(r'^import\s+.*?"(\.[^"]+)";', path.read_text(), flags=re.MULTILINE):
        child = (path.parent / target).resolve()
        if child not in seen:
            seen.add(child)
            _imports(child, seen)
    return seen


def test_every_file_of_a_core_contract_is_compiled_into_it(mutation):
    # a file listed under a contract that does not import it gives mutants its tests never run
    for name, spec in mutation.load_config()["contract"].items():
        main = (ROOT / spec["paths"][0]).resolve()
        compiled = _imports(main, {main})
        strays = [rel for rel in spec["paths"] if (ROOT / rel).resolve() not in compiled]
        assert strays == [], f"{name}: {strays} are not imported by {spec['paths'][0]}"
