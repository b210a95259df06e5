"""The ABIs shipped in the package are exactly what the contracts compile to, and load by name.

When a contract changes, the first tests fail and say what to run: `make abi`, then commit
tokenized_stocks/abi/ and abi/ (the same files, exported for other languages)."""

from __future__ import annotations

import pytest
from ape import project

from tokenized_stocks.abi import CONTRACTS, load_abi, names
from tokenized_stocks.devtools.abi import ABI_DIR, EXPORT_DIR, FIX_COMMAND, compiled_abis, stale


def test_the_shipped_abis_equal_a_fresh_compile():
    wrong = stale(compiled_abis(project))

    assert wrong == [], (
        f"ABIs in {ABI_DIR} differ from the compiled contracts ({', '.join(wrong)}): "
        f"run `{FIX_COMMAND}` and commit tokenized_stocks/abi/"
    )


def test_the_abis_exported_for_other_languages_equal_a_fresh_compile():
    wrong = stale(compiled_abis(project), EXPORT_DIR)

    assert wrong == [], (
        f"ABIs in {EXPORT_DIR} differ from the compiled contracts ({', '.join(wrong)}): "
        f"run `{FIX_COMMAND}` and commit abi/"
    )


def test_the_exported_abis_are_the_package_data_byte_for_byte():
    exported = {p.name: p.read_bytes() for p in EXPORT_DIR.glob("*.json")}
    shipped = {p.name: p.read_bytes() for p in ABI_DIR.glob("*.json")}

    assert exported == shipped


def test_every_listed_contract_ships_one_file():
    assert names() == sorted(CONTRACTS)


def test_load_abi_returns_the_entries_of_the_contract():
    gateway = load_abi("Gateway")

    assert {"receiveBatch", "expire", "MessageSent", "GatewayRateLimited"} <= {e.get("name") for e in gateway}
    gateway.clear()  # a caller's mutation does not reach the next caller
    assert load_abi("Gateway")


def test_an_unknown_contract_is_refused_with_the_shipped_names():
    with pytest.raises(KeyError, match="Gateway"):
        load_abi("NoSuchContract")
