"""AssetIdentity: the legal identity every asset carries, identical on every chain."""

import pytest
from eth_utils import keccak
from revert_data import reverts

from tokenized_stocks.protocol.identity import (
    asset_id,
    dti_bytes,
    is_valid_dti,
    is_valid_isin,
    provisional_dti,
)
from tokenized_stocks.protocol.roles import Architecture

APPLE_ISIN = "US0378331005"
TERMS_URI = "ipfs://terms/aapl-v1"
TERMS_HASH = keccak(text="AAPL terms v1")
DTI = "4H95J0R2X"


@pytest.fixture
def identity_params(chain):
    def params(**overrides):
        base = {
            "assetId": asset_id(APPLE_ISIN),
            "isin": APPLE_ISIN,
            "ticker": "AAPL",
            "architecture": Architecture.REGISTRY_SHARE,
            "homeChainId": chain.chain_id,
            "termsURI": TERMS_URI,
            "termsHash": TERMS_HASH,
            "dti": DTI.encode(),
        }
        base.update(overrides)
        return tuple(base.values())

    return params


@pytest.fixture
def asset(project, issuer, identity_params):
    return issuer.deploy(project.AssetIdentityMock, issuer, identity_params())


def test_identity_fields_are_readable(asset, chain):
    assert asset.assetId() == asset_id(APPLE_ISIN)
    assert asset.isin() == APPLE_ISIN
    assert asset.ticker() == "AAPL"
    assert asset.architecture() == Architecture.REGISTRY_SHARE
    assert asset.homeChainId() == chain.chain_id
    assert asset.termsURI() == TERMS_URI
    assert asset.termsHash() == TERMS_HASH
    assert asset.dti() == DTI.encode()


@pytest.mark.parametrize(
    ("field", "override"),
    [
        ("assetId", {"assetId": b"\x00" * 32}),
        ("isin", {"isin": "US037833100"}),
        ("ticker", {"ticker": ""}),
        ("homeChainId", {"homeChainId": 0}),
        ("homeChainId", {"homeChainId": 2**64}),
        ("termsHash", {"termsHash": b"\x00" * 32}),
        ("dti", {"dti": b"\x00" * 9}),
    ],
)
def test_deployment_with_an_invalid_identity_field_is_refused(
    project, issuer, identity_params, field, override
):
    with reverts(project.AssetIdentityMock.IdentityInvalid, field=field):
        issuer.deploy(project.AssetIdentityMock, issuer, identity_params(**override))


def _erc7201_slot(namespace: str) -> int:
    return (
        int.from_bytes(keccak((int.from_bytes(keccak(text=namespace), "big") - 1).to_bytes(32, "big")), "big")
    ) & ~0xFF


def test_the_identity_lives_in_its_erc7201_namespace_so_an_upgrade_keeps_it(asset, chain):
    root = _erc7201_slot("tokenized-stocks.storage.AssetIdentity")
    assert chain.provider.get_storage(asset.address, root) == asset_id(APPLE_ISIN)
    packed = int.from_bytes(chain.provider.get_storage(asset.address, root + 1), "big")
    assert packed & (2**64 - 1) == chain.chain_id  # homeChainId, uint64
    assert (packed >> 64) & 0xFF == Architecture.REGISTRY_SHARE
    assert ((packed >> 72) & (2**72 - 1)).to_bytes(9, "big") == DTI.encode()
    assert chain.provider.get_storage(asset.address, root + 2) == TERMS_HASH
    assert chain.provider.get_storage(asset.address, 0) == b"\x00" * 32  # no sequential slot


def test_admin_replaces_the_terms(asset, issuer):
    new_hash = keccak(text="AAPL terms v2")
    receipt = asset.setTerms("ipfs://terms/aapl-v2", new_hash, sender=issuer)
    assert receipt.events == [asset.TermsUpdated(termsURI="ipfs://terms/aapl-v2", termsHash=new_hash)]
    assert asset.termsURI() == "ipfs://terms/aapl-v2"
    assert asset.termsHash() == new_hash


def test_outsider_cannot_replace_the_terms(asset, outsider):
    with reverts(asset.AccessControlUnauthorizedAccount, account=outsider.address):
        asset.setTerms("ipfs://evil", keccak(text="evil"), sender=outsider)


def test_terms_with_zero_hash_are_refused(asset, issuer):
    with reverts(asset.IdentityInvalid, field="termsHash"):
        asset.setTerms("ipfs://terms", b"\x00" * 32, sender=issuer)


def test_asset_id_is_derived_from_the_isin_and_validated():
    assert asset_id(APPLE_ISIN) == keccak(text=f"tokenized-stock:{APPLE_ISIN}")
    assert is_valid_isin("US5949181045")  # Microsoft
    assert not is_valid_isin("US0378331006")  # bad check digit
    with pytest.raises(ValueError, match="not a valid ISIN"):
        asset_id("NOTANISIN")


@pytest.mark.parametrize("dti", ["4H95J0R2X", "X9J9K872T", "1BCDFGHJK"])
def test_dti_of_the_iso_24165_form_is_valid(dti):
    assert is_valid_dti(dti)


@pytest.mark.parametrize("dti", ["", "4H95J0R2", "4H95J0R2XX", "0H95J0R2X", "4H95J0R2A", "4h95j0r2x"])
def test_dti_not_of_the_iso_24165_form_is_invalid(dti):
    assert not is_valid_dti(dti)


def test_a_provisional_dti_is_of_the_dti_form_and_stable():
    assert is_valid_dti(provisional_dti(APPLE_ISIN))
    assert provisional_dti(APPLE_ISIN) == provisional_dti(APPLE_ISIN.lower())
    assert provisional_dti(APPLE_ISIN) != provisional_dti("US5949181045")


def test_the_contract_form_of_a_dti_is_its_nine_ascii_bytes():
    assert dti_bytes(DTI) == b"4H95J0R2X"
    with pytest.raises(ValueError, match="DTI"):
        dti_bytes("AEIOU0000")
