"""Input parsing shared by the scripts: one clear error per bad value."""

from pathlib import Path

import pytest

from tokenized_stocks.cli.params import parse_address
from tokenized_stocks.deploy.listings import load_listings
from tokenized_stocks.deploy.manifest import Manifest, load_manifest, save_manifest
from tokenized_stocks.protocol.display import parse_amount
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.protocol.identity import provisional_dti
from tokenized_stocks.protocol.roles import Architecture

ROOT = Path(__file__).resolve().parents[3]


def test_amounts_scale_to_base_units():
    assert parse_amount("1.5") == 15 * 10**17
    assert parse_amount(2, decimals=6) == 2_000_000


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "nan", "1e-30"])
def test_amount_not_positive_or_not_a_number_is_refused(bad):
    with pytest.raises(UserError, match="bad amount"):
        parse_amount(bad)


CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"  # the EIP-55 example


def test_a_lower_case_address_is_accepted_and_checksummed():
    assert parse_address(CHECKSUMMED.lower()) == CHECKSUMMED


def test_a_checksummed_address_is_accepted_as_is():
    assert parse_address(CHECKSUMMED) == CHECKSUMMED


def test_a_mixed_case_address_with_a_wrong_checksum_is_refused():
    typo = CHECKSUMMED[:-1] + "D"  # one character's case flipped: another checksum
    with pytest.raises(UserError, match="bad recipient: .* not a valid EIP-55 checksum"):
        parse_address(typo, "recipient")


def test_a_short_address_is_refused_naming_the_option():
    with pytest.raises(UserError, match="bad recipient: '0x1234' is not a 20-byte hex address"):
        parse_address("0x1234", "recipient")


def test_sample_listings_cover_the_three_architectures():
    listings = load_listings(ROOT / "deployments" / "listings.yaml")
    assert {listing.architecture for listing in listings} == set(Architecture)


def test_listing_with_a_bad_isin_is_refused(tmp_path):
    path = tmp_path / "l.yaml"
    path.write_text("assets:\n  - {key: X, isin: US0378331006, ticker: X, architecture: registry_share}\n")
    with pytest.raises(UserError, match="not a valid ISIN"):
        load_listings(path)


def test_listing_with_a_malformed_dti_is_refused(tmp_path):
    path = tmp_path / "l.yaml"
    path.write_text(
        "assets:\n  - {key: X, isin: US0378331005, dti: AEIOU1234, ticker: X, architecture: registry_share}\n"
    )
    with pytest.raises(UserError, match="not an ISO 24165 DTI"):
        load_listings(path)


def test_a_listing_keeps_its_dti_or_gets_a_provisional_one(tmp_path):
    path = tmp_path / "l.yaml"
    path.write_text(
        "assets:\n"
        "  - {key: X, isin: US0378331005, dti: 4h95j0r2x, ticker: X, architecture: registry_share}\n"
        "  - {key: Y, isin: US5949181045, ticker: Y, architecture: registry_share}\n"
    )
    given, provisional = load_listings(path)
    assert given.dti_code == "4H95J0R2X"
    assert provisional.dti_code == provisional_dti("US5949181045")


def test_missing_manifest_says_to_deploy_first(tmp_path):
    with pytest.raises(UserError, match="run `ape run deploy` first"):
        load_manifest(999, tmp_path)


def test_manifest_round_trips(tmp_path):
    manifest = Manifest(chain_id=5, network="ethereum:local:node", deployer="0x" + "11" * 20)
    save_manifest(manifest, tmp_path)
    assert load_manifest(5, tmp_path) == manifest
