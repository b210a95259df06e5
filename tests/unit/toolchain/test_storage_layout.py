"""The storage-layout check: what it keeps, and how it names a change (no compiler needed; CI runs
`make check-storage-layout` against the real contracts)."""

from __future__ import annotations

import copy

from tokenized_stocks.devtools.storage_layout import CONTRACTS, diff, normalise, snapshot_path

RAW = {
    "storage": [
        {"astId": 1, "contract": "a.sol:A", "label": "_roles", "offset": 0, "slot": "0", "type": "t_m(R)7"},
        {"astId": 2, "contract": "a.sol:A", "label": "_count", "offset": 0, "slot": "1", "type": "t_uint128"},
        {
            "astId": 3,
            "contract": "a.sol:A",
            "label": "_limit",
            "offset": 16,
            "slot": "1",
            "type": "t_uint128",
        },
    ],
    "types": {
        "t_m(R)7": {"label": "mapping(bytes32 => struct AccessControl.RoleData)", "encoding": "mapping"},
        "t_struct(R)7": {
            "label": "struct AccessControl.RoleData",
            "members": [
                {
                    "astId": 4,
                    "contract": "x",
                    "label": "adminRole",
                    "offset": 0,
                    "slot": "1",
                    "type": "t_bytes32",
                }
            ],
        },
        "t_uint128": {"label": "uint128"},
        "t_bytes32": {"label": "bytes32"},
    },
}


def test_normalise_keeps_label_slot_offset_and_type_only():
    layout = normalise(RAW)
    assert layout["storage"][2] == {"slot": "1", "offset": 16, "label": "_limit", "type": "uint128"}
    assert layout["storage"][0]["type"] == "mapping(bytes32 => struct RoleData)"
    assert layout["structs"] == {
        "struct RoleData": [{"slot": "1", "offset": 0, "label": "adminRole", "type": "bytes32"}]
    }
    moved = copy.deepcopy(RAW)
    for item in moved["storage"]:
        item["astId"] += 100
        item["contract"] = "libraries/a.sol:A"
    assert normalise(moved) == layout


def test_diff_names_the_variable_and_its_slots():
    old = normalise(RAW)
    changed = copy.deepcopy(RAW)
    changed["storage"][2]["slot"], changed["storage"][2]["offset"] = "2", 0
    changed["storage"].append(dict(changed["storage"][1], label="_new", slot="3"))
    changed["types"]["t_struct(R)7"]["members"][0]["type"] = "t_uint128"
    assert diff(old, normalise(changed)) == [
        "`_limit` changed: slot 1 offset 16 (uint128) -> slot 2 offset 0 (uint128)",
        "`_new` added at slot 3 offset 0 (uint128)",
        "struct RoleData.`adminRole` changed: slot 1 offset 0 (bytes32) -> slot 1 offset 0 (uint128)",
    ]
    assert diff(old, old) == []


def test_every_stateful_contract_has_a_committed_snapshot():
    missing = [c for c in CONTRACTS if not snapshot_path(c).is_file()]
    assert not missing, f"run `make storage-layout` for {missing}"
