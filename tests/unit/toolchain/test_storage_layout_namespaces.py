"""The storage-layout snapshots cover ERC-7201 namespaces, on the real compiler output: the Box
fixtures (contracts/test/upgrades) built with forge's `upgrades` profile (the build the
upgrade-safety tests use, reused while the sources are unchanged), then the namespaced compile."""

from __future__ import annotations

import json

import pytest

from tokenized_stocks.devtools.storage_layout import build, diff, erc7201_slot, inspect, snapshot_path

BOX = "erc7201:tokenized-stocks.storage.BoxMock"


@pytest.fixture(scope="module")
def box_v1() -> dict:
    build()
    return inspect("BoxV1Mock")


def test_the_namespace_members_are_laid_out_by_the_compiler(box_v1):
    assert box_v1["namespaces"][BOX] == {
        "slot": "0x347b946de08a0a2c8fabc697dbbd3fbd975707b048bde4e1b347c8041591b600",  # BoxV1Mock's constant
        "struct": "struct BoxStorage",
        "members": [
            {"slot": "0", "offset": 0, "label": "value", "type": "uint256"},
            {"slot": "1", "offset": 0, "label": "setter", "type": "address"},
        ],
    }


def test_the_namespaces_of_inherited_contracts_are_included(box_v1):
    assert set(box_v1["namespaces"]) == {
        BOX,
        "erc7201:openzeppelin.storage.AccessControl",
        "erc7201:openzeppelin.storage.Initializable",
    }
    assert box_v1["namespaces"]["erc7201:openzeppelin.storage.AccessControl"]["slot"] == erc7201_slot(
        "erc7201:openzeppelin.storage.AccessControl"
    )
    assert box_v1["storage"] == [], "an upgradeable implementation keeps no sequential state"


def test_the_committed_snapshot_holds_the_namespace_members(box_v1):
    assert json.loads(snapshot_path("BoxV1Mock").read_text()) == box_v1


def test_a_member_inserted_into_a_namespace_is_caught(box_v1):
    assert diff(box_v1, inspect("BoxV2UnsafeMock")) == [
        f"namespace {BOX} `value` changed: slot 0 offset 0 (uint256) -> slot 1 offset 0 (uint256)",
        f"namespace {BOX} `setter` changed: slot 1 offset 0 (address) -> slot 2 offset 0 (address)",
        f"namespace {BOX} `fee` added at slot 0 offset 0 (uint256)",
    ]


def test_a_retyped_namespace_member_is_caught(box_v1):
    assert diff(box_v1, inspect("BoxV2UnsafeTypeMock")) == [
        f"namespace {BOX} `setter` changed: slot 1 offset 0 (address) -> slot 1 offset 0 (bytes32)"
    ]


def test_an_appended_member_and_a_new_namespace_are_named(box_v1):
    extras = "erc7201:tokenized-stocks.storage.BoxMockExtras"
    assert diff(box_v1, inspect("BoxV2Mock")) == [
        f"namespace {BOX} `revision` added at slot 1 offset 20 (uint64)",
        f"namespace {extras} added at slot {erc7201_slot(extras)} (struct BoxExtrasStorage)",
    ]
