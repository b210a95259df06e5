"""ShareExtension runs by delegatecall on the registry share's storage: the two layouts are one.

Both inherit ShareStorage, the only contract of the share that declares storage; the committed
snapshots (test/storage-layout/, checked against the compiler by `make check-storage-layout`)
must therefore be identical, slot for slot.
"""

import json
from pathlib import Path

LAYOUTS = Path(__file__).resolve().parents[3] / "test" / "storage-layout"


def test_the_extension_and_the_share_have_the_same_storage_layout():
    share = json.loads((LAYOUTS / "RegistryShare.json").read_text())
    extension = json.loads((LAYOUTS / "ShareExtension.json").read_text())
    assert extension == share


def test_set_name_and_set_symbol_write_erc20_name_and_symbol_slots():
    """ShareExtension.NAME_SLOT / SYMBOL_SLOT are 3 and 4."""
    storage = {
        entry["label"]: entry for entry in json.loads((LAYOUTS / "RegistryShare.json").read_text())["storage"]
    }
    assert (storage["_name"]["slot"], storage["_name"]["offset"]) == ("3", 0)
    assert (storage["_symbol"]["slot"], storage["_symbol"]["offset"]) == ("4", 0)
