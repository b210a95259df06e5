"""The storage-layout check: what it keeps, and how it names a change (no compiler needed; CI runs
`make check-storage-layout` against the real contracts)."""

from __future__ import annotations

import copy

import pytest

from tokenized_stocks.devtools.storage_layout import CONTRACTS, diff, erc7201_slot, normalise, snapshot_path

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


# ERC-7201 namespaces: solc's layout has none; `inspect` adds them from the namespaced compile.
NAMESPACED = {
    "storage": [],
    "types": {
        "t_struct(S)9_storage": {
            "label": "struct Box.BoxStorage",
            "members": [
                {
                    "astId": 5,
                    "contract": "b.sol:Box",
                    "label": "value",
                    "offset": 0,
                    "slot": "0",
                    "type": "t_uint128",
                },
                {
                    "astId": 6,
                    "contract": "b.sol:Box",
                    "label": "cap",
                    "offset": 16,
                    "slot": "0",
                    "type": "t_uint128",
                },
            ],
        },
        "t_uint128": {"label": "uint128"},
    },
    "namespaces": [{"id": "erc7201:example.main", "type": "t_struct(S)9_storage"}],
}


def test_the_erc7201_slot_is_openzeppelins():
    # AccessControlUpgradeable 5.4's AccessControlStorageLocation constant.
    assert erc7201_slot("erc7201:openzeppelin.storage.AccessControl") == (
        "0x02dd7bc7dec4dceedda775e58dd541e08a116c6c53815c0bd028192f7b626800"
    )


def test_a_namespace_keeps_its_base_slot_struct_and_members():
    layout = normalise(NAMESPACED)
    assert layout["namespaces"] == {
        "erc7201:example.main": {
            "slot": erc7201_slot("erc7201:example.main"),
            "struct": "struct BoxStorage",
            "members": [
                {"slot": "0", "offset": 0, "label": "value", "type": "uint128"},
                {"slot": "0", "offset": 16, "label": "cap", "type": "uint128"},
            ],
        }
    }
    assert layout["structs"] == {}, "the namespace's struct is listed once, under namespaces"


def test_a_contract_without_namespaces_has_no_namespaces_key():
    assert "namespaces" not in normalise(RAW)


def test_diff_names_an_inserted_or_retyped_namespace_member():
    old = normalise(NAMESPACED)
    changed = copy.deepcopy(NAMESPACED)
    members = changed["types"]["t_struct(S)9_storage"]["members"]
    members[1]["type"] = "t_bytes32"
    members.insert(0, dict(members[0], label="fee"))
    for member in members[1:]:
        member["slot"] = str(int(member["slot"]) + 1)
    changed["types"]["t_bytes32"] = {"label": "bytes32"}
    assert diff(old, normalise(changed)) == [
        "namespace erc7201:example.main `value` changed: slot 0 offset 0 (uint128) -> slot 1 offset 0 (uint128)",
        "namespace erc7201:example.main `cap` changed: slot 0 offset 16 (uint128) -> slot 1 offset 16 (bytes32)",
        "namespace erc7201:example.main `fee` added at slot 0 offset 0 (uint128)",
    ]


def test_diff_names_a_namespace_added_or_removed():
    with_one = normalise(NAMESPACED)
    without = normalise({"storage": [], "types": {}})
    slot = erc7201_slot("erc7201:example.main")
    assert diff(without, with_one) == [
        f"namespace erc7201:example.main added at slot {slot} (struct BoxStorage)"
    ]
    assert diff(with_one, without) == [
        f"namespace erc7201:example.main removed (slot {slot}, struct BoxStorage)"
    ]


def test_only_erc7201_namespaces_are_understood():
    with pytest.raises(ValueError, match="only erc7201"):
        erc7201_slot("custom:main")
