"""ShareExtension runs by delegatecall on the registry share's storage: its layout is part of the share's.

Both inherit ShareStorage (the share's ERC-7201 namespace and the asset identity's, through
AssetIdentityCore). The extension does not carry the share's ERC-20 and access-control surfaces
(EIP-170): it reads and writes OZ's access-control namespace through its own copy of OZ's struct
(annotated with the same namespace) and the ERC-20 name and symbol by slot. The committed snapshots
(test/storage-layout/, checked against the compiler by `make check-storage-layout`) must therefore
agree: every namespace of the extension is the share's, field for field, and the name and symbol
slots the extension writes are the share's.
"""

import json
from pathlib import Path

LAYOUTS = Path(__file__).resolve().parents[3] / "test" / "storage-layout"
ERC20 = "erc7201:openzeppelin.storage.ERC20"
ACCESS_CONTROL = "erc7201:openzeppelin.storage.AccessControl"


def _layout(contract: str) -> dict:
    return json.loads((LAYOUTS / f"{contract}.json").read_text())


def test_every_namespace_of_the_extension_is_the_shares_field_for_field():
    share = _layout("RegistryShare")["namespaces"]
    extension = _layout("ShareExtension")["namespaces"]
    assert {name: share.get(name) for name in extension} == extension


def test_the_extension_sees_the_register_the_identity_and_the_roles():
    extension = _layout("ShareExtension")["namespaces"]
    for name in (
        "erc7201:tokenized-stocks.storage.RegistryShare",
        "erc7201:tokenized-stocks.storage.AssetIdentity",
        ACCESS_CONTROL,
        "erc7201:openzeppelin.storage.Initializable",
    ):
        assert name in extension


def test_neither_declares_a_sequential_slot():
    assert _layout("RegistryShare")["storage"] == []
    assert _layout("ShareExtension")["storage"] == []


def test_set_name_and_set_symbol_write_erc20_name_and_symbol_slots():
    """ShareExtension.NAME_SLOT / SYMBOL_SLOT are fields 3 and 4 of OZ's ERC-20 namespace."""
    namespace = _layout("RegistryShare")["namespaces"][ERC20]
    assert namespace["slot"] == "0x52c63247e1f47db19d5ce0460030c497f067ca4cebf71ba98eeadabe20bace00"
    fields = {entry["label"]: entry for entry in namespace["members"]}
    assert (fields["_name"]["slot"], fields["_name"]["offset"]) == ("3", 0)
    assert (fields["_symbol"]["slot"], fields["_symbol"]["offset"]) == ("4", 0)
