"""The listings and manifest models (issue 14): one model per architecture, unknown keys refused with
one line naming them, ISINs and addresses checked, a manifest tied to its chain."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tokenized_stocks.deploy.listings import (
    CertificateListing,
    OrderListing,
    ShareListing,
    load_listings,
    parse_listing,
)
from tokenized_stocks.deploy.manifest import (
    ContractRecord,
    Manifest,
    load_manifest,
    manifest_path,
    save_manifest,
)
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.protocol.roles import Architecture

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).parent / "data"
#: A manifest as `ape run deploy` wrote it before the models (commit f2551f2).
OLD_MANIFEST = DATA / "manifest-31337-f2551f2.json"
ENTRY = {"key": "X", "isin": "US0378331005", "ticker": "X"}
LOWER = "0x" + "ab" * 20
CHECKSUMMED = "0xABaBaBaBABabABabAbAbABAbABabababaBaBABaB"


def write_listings(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "listings.yaml"
    path.write_text("assets:\n" + "".join(f"  - {{{e}}}\n" for e in entries))
    return path


def one_line(err: pytest.ExceptionInfo[UserError]) -> str:
    text = str(err.value)
    assert "\n" not in text
    return text


# --- listings ------------------------------------------------------------------------------------


def test_each_architecture_has_its_own_model():
    listings = load_listings(ROOT / "deployments" / "listings.yaml")

    assert [type(li) for li in listings] == [CertificateListing, OrderListing, ShareListing]
    assert [li.architecture for li in listings] == list(Architecture)


@pytest.mark.parametrize(
    ("architecture", "typo", "meant"),
    [
        ("registry_share", "allowed_countrys: [840]", "allowed_countries"),
        ("registry_share", "max_holder: 10", "max_holders"),
        ("mint_on_order", "max_deviation: 100", "max_deviation_bps"),
        ("mint_on_order", "referense_price: 1", "reference_price"),
        ("tracker_certificate", "reserve_hearbeat: 60", "reserve_heartbeat"),
        ("tracker_certificate", "initial_reserve: 5", "initial_reserves"),
        ("tracker_certificate", "bridge_capacty: 5", "bridge_capacity"),
    ],
)
def test_a_typo_in_a_key_is_refused_with_one_line_naming_it(tmp_path, architecture, typo, meant):
    path = write_listings(
        tmp_path, f"key: X, isin: US0378331005, ticker: X, architecture: {architecture}, {typo}"
    )

    with pytest.raises(UserError) as err:
        load_listings(path)

    key = typo.split(":")[0]
    assert one_line(err) == f"{path}: asset #1 (X): unknown key {key!r} (did you mean {meant!r}?)"


def test_an_option_of_another_architecture_is_refused(tmp_path):
    path = write_listings(
        tmp_path, "key: X, isin: US0378331005, ticker: X, architecture: mint_on_order, max_holders: 5"
    )

    with pytest.raises(UserError, match="unknown key 'max_holders'"):
        load_listings(path)


def test_a_bad_isin_is_refused_naming_the_entry(tmp_path):
    path = write_listings(
        tmp_path,
        "key: A, isin: US0378331005, ticker: A, architecture: registry_share",
        "key: B, isin: US0378331006, ticker: B, architecture: registry_share",
    )

    with pytest.raises(UserError) as err:
        load_listings(path)

    assert one_line(err) == f"{path}: asset #2 (B): isin: 'US0378331006' is not a valid ISIN"


def test_an_unknown_architecture_lists_the_three(tmp_path):
    path = write_listings(tmp_path, "key: X, isin: US0378331005, ticker: X, architecture: share")

    with pytest.raises(UserError, match="architecture must be one of tracker_certificate, mint_on_order"):
        load_listings(path)


def test_a_duplicate_key_is_refused(tmp_path):
    entry = "key: X, isin: US0378331005, ticker: X, architecture: registry_share"

    with pytest.raises(UserError, match="duplicate key 'X'"):
        load_listings(write_listings(tmp_path, entry, entry))


def test_several_problems_are_still_one_line(tmp_path):
    path = write_listings(
        tmp_path, "key: X, isin: US0378331006, ticker: X, architecture: registry_share, max_holder: 1"
    )

    with pytest.raises(UserError) as err:
        load_listings(path)

    assert one_line(err).endswith("(and 1 more problem)")


def test_defaults_fill_the_name_the_terms_and_the_options():
    listing = parse_listing({**ENTRY, "architecture": "tracker_certificate"})

    assert (listing.name, listing.terms_uri) == ("X", "urn:terms:US0378331005")
    assert listing.option("reserve_heartbeat") == 86_400
    assert listing.option("initial_reserves", "none") == "none"
    assert listing.option("max_holders", 7) == 7  # not a certificate's option


# --- addresses -----------------------------------------------------------------------------------


def test_a_lower_case_address_is_accepted_and_checksummed():
    assert Manifest(chain_id=1, network="n", deployer=LOWER).deployer == CHECKSUMMED


def test_a_mixed_case_address_with_a_bad_checksum_is_refused(tmp_path):
    bad = CHECKSUMMED[:-1] + "b"
    manifest = json.loads(Manifest(chain_id=1, network="n", deployer=LOWER).to_json())
    manifest["deployer"] = bad
    path = manifest_path(1, tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(manifest))

    with pytest.raises(UserError) as err:
        load_manifest(1, tmp_path)

    assert "deployer" in one_line(err) and "not a valid EIP-55 checksum" in str(err.value)


# --- manifests -----------------------------------------------------------------------------------


def test_a_manifest_written_before_the_models_still_loads(tmp_path):
    path = manifest_path(31337, tmp_path)
    path.parent.mkdir(parents=True)
    shutil.copy(OLD_MANIFEST, path)

    manifest = load_manifest(31337, tmp_path)

    assert manifest.address("Gateway") == "0x5FbDB2315678afecb367f032d93F642f64180aa3"
    assert manifest.asset("AAPL").extra["reserve"] == "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"
    assert json.loads(manifest.to_json()) == json.loads(OLD_MANIFEST.read_text())


def test_an_upgradeable_contract_records_its_implementation_and_a_plain_one_writes_none(tmp_path):
    manifest = load_manifest(path=OLD_MANIFEST)
    record = manifest.contracts["Gateway"].model_dump()
    manifest.contracts["Gateway"] = ContractRecord.model_validate({**record, "implementation": LOWER})

    written = json.loads(manifest.to_json())
    again = Manifest.from_json(manifest.to_json())

    assert written["contracts"]["Gateway"]["implementation"] == CHECKSUMMED
    assert again.contracts["Gateway"].implementation == CHECKSUMMED
    assert all("implementation" not in r for n, r in written["contracts"].items() if n != "Gateway")


def test_a_manifest_for_another_chain_is_refused(tmp_path):
    path = manifest_path(31338, tmp_path)
    path.parent.mkdir(parents=True)
    shutil.copy(OLD_MANIFEST, path)  # chain 31337's manifest in chain 31338's place

    with pytest.raises(UserError) as err:
        load_manifest(31338, tmp_path)

    assert one_line(err) == f"the manifest at {path} is for chain 31337, not chain 31338"


def test_a_manifest_by_path_is_checked_against_the_chain_when_given(tmp_path):
    assert load_manifest(path=OLD_MANIFEST).chain_id == 31337
    with pytest.raises(UserError, match="is for chain 31337, not chain 1"):
        load_manifest(1, path=OLD_MANIFEST)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m.update(chainid=1), "unknown key 'chainid' (did you mean 'chain_id'?)"),
        (lambda m: m["contracts"]["Gateway"].update(adress="0x"), "contracts.Gateway: unknown key 'adress'"),
        (
            lambda m: m["assets"]["AAPLx"].update(isin="US0378331006"),
            "assets.AAPLx: isin: 'US0378331006' is not",
        ),
        (lambda m: m.update(status="done"), "status: Input should be 'partial' or 'complete'"),
        (lambda m: m.update(schema=2), "schema: Input should be less than or equal to 1"),
        (lambda m: m.pop("network"), "missing key 'network'"),
    ],
    ids=["typo", "nested-typo", "isin", "status", "newer-schema", "missing"],
)
def test_an_invalid_manifest_is_one_line_naming_the_key(tmp_path, edit, message):
    raw = json.loads(OLD_MANIFEST.read_text())
    edit(raw)
    path = manifest_path(31337, tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(raw))

    with pytest.raises(UserError) as err:
        load_manifest(31337, tmp_path)

    assert one_line(err).startswith(f"the manifest at {path} is invalid: ")
    assert message in str(err.value)


def test_a_saved_manifest_round_trips(tmp_path):
    manifest = load_manifest(path=OLD_MANIFEST)
    save_manifest(manifest, tmp_path)

    assert load_manifest(31337, tmp_path) == manifest
