"""The investor registry under ERC-3643's `IIdentityRegistry` names, read as a specification.

An ERC-3643 identity (ONCHAINID address) is the investor whose id is the identity's address
(`bytes32(uint256(uint160(identity)))`); a T-REX "registered identity" is a wallet bound to it.
"""

import pytest
from eth_utils import keccak, to_checksum_address
from revert_data import reverts

from tokenized_stocks.protocol.roles import REGISTRAR_ROLE, Country

ZERO = "0x" + "00" * 20
ALICE_ID = to_checksum_address("0x" + "a1" * 20)
BOB_ID = to_checksum_address("0x" + "b0" * 20)
MAX_UINT64 = 2**64 - 1


def investor_id(identity: str) -> bytes:
    return bytes.fromhex(identity[2:]).rjust(32, b"\x00")


@pytest.fixture
def alice_identity(registry, registrar, investor_alice):
    registry.registerIdentity(investor_alice, ALICE_ID, Country.US, sender=registrar)
    return ALICE_ID


def test_register_identity_registers_the_investor_and_binds_the_wallet(registry, registrar, investor_alice):
    receipt = registry.registerIdentity(investor_alice, ALICE_ID, Country.US, sender=registrar)
    assert receipt.events == [
        registry.InvestorRegistered(investor_id(ALICE_ID), Country.US, 0, MAX_UINT64),
        registry.WalletAdded(investor_id(ALICE_ID), investor_alice),
        registry.IdentityRegistered(investor_alice, ALICE_ID),
    ]
    assert registry.contains(investor_alice)
    assert registry.isVerified(investor_alice)
    assert registry.identity(investor_alice) == ALICE_ID
    assert registry.investorCountry(investor_alice) == Country.US


def test_a_second_wallet_of_a_known_identity_joins_its_investor(
    registry, registrar, alice_identity, investor_alice, investor_alice_2
):
    receipt = registry.registerIdentity(investor_alice_2, ALICE_ID, Country.US, sender=registrar)
    assert receipt.events == [
        registry.WalletAdded(investor_id(ALICE_ID), investor_alice_2),
        registry.IdentityRegistered(investor_alice_2, ALICE_ID),
    ]
    assert registry.investorOf(investor_alice_2) == registry.investorOf(investor_alice)


def test_a_known_identity_with_another_country_is_refused(
    registry, registrar, alice_identity, investor_alice_2
):
    with reverts(
        registry.RegistryCountryMismatch, identity=ALICE_ID, country=Country.GB, registeredCountry=Country.US
    ):
        registry.registerIdentity(investor_alice_2, ALICE_ID, Country.GB, sender=registrar)


def test_the_zero_identity_is_refused(registry, registrar, investor_alice):
    with reverts(registry.RegistryZeroInvestorId):
        registry.registerIdentity(investor_alice, ZERO, Country.US, sender=registrar)


def test_an_unbound_wallet_has_no_identity_nor_country(registry, outsider):
    assert not registry.contains(outsider)
    assert registry.identity(outsider) == ZERO
    assert registry.investorCountry(outsider) == 0


def test_a_suite_investor_has_a_stable_derived_identity(registry, onboard, investor_bob):
    bob = onboard(registry, "bob", investor_bob)
    derived = to_checksum_address(keccak(bob)[12:])
    assert registry.identity(investor_bob) == derived


def test_delete_identity_unbinds_the_wallet(registry, registrar, alice_identity, investor_alice):
    receipt = registry.deleteIdentity(investor_alice, sender=registrar)
    assert receipt.events == [
        registry.WalletRemoved(investor_id(ALICE_ID), investor_alice),
        registry.IdentityRemoved(investor_alice, ALICE_ID),
    ]
    assert not registry.contains(investor_alice)


def test_delete_identity_of_an_unbound_wallet_is_refused(registry, registrar, outsider):
    with reverts(registry.RegistryWalletNotBound, wallet=outsider):
        registry.deleteIdentity(outsider, sender=registrar)


def test_update_country_changes_the_investors_country_for_every_wallet(
    registry, registrar, alice_identity, investor_alice, investor_alice_2
):
    registry.registerIdentity(investor_alice_2, ALICE_ID, Country.US, sender=registrar)
    receipt = registry.updateCountry(investor_alice, Country.GB, sender=registrar)
    assert receipt.events == [
        registry.InvestorUpdated(investor_id(ALICE_ID), Country.GB, 0, MAX_UINT64),
        registry.CountryUpdated(investor_alice, Country.GB),
    ]
    assert registry.investorCountry(investor_alice_2) == Country.GB


def test_update_country_to_an_invalid_code_is_refused(registry, registrar, alice_identity, investor_alice):
    with reverts(registry.RegistryInvalidCountry, country=0):
        registry.updateCountry(investor_alice, 0, sender=registrar)


def test_update_identity_moves_the_wallet_to_a_new_investor_with_the_old_terms(
    registry, registrar, alice_identity, investor_alice
):
    receipt = registry.updateIdentity(investor_alice, BOB_ID, sender=registrar)
    assert receipt.events == [
        registry.WalletRemoved(investor_id(ALICE_ID), investor_alice),
        registry.InvestorRegistered(investor_id(BOB_ID), Country.US, 0, MAX_UINT64),
        registry.WalletAdded(investor_id(BOB_ID), investor_alice),
        registry.IdentityUpdated(ALICE_ID, BOB_ID),
    ]
    assert registry.identity(investor_alice) == BOB_ID


def test_batch_register_identity_registers_each_and_checks_lengths(
    registry, registrar, investor_alice, investor_bob
):
    registry.batchRegisterIdentity(
        [investor_alice, investor_bob], [ALICE_ID, BOB_ID], [Country.US, Country.GB], sender=registrar
    )
    assert registry.identity(investor_bob) == BOB_ID
    assert registry.investorCountry(investor_bob) == Country.GB
    with reverts(registry.RegistryBatchLengthMismatch, length=1, otherLength=2):
        registry.batchRegisterIdentity([investor_alice], [ALICE_ID, BOB_ID], [Country.US], sender=registrar)


def test_the_registry_is_its_own_storage_and_has_no_claim_registries(registry):
    assert registry.identityStorage() == registry.address
    assert registry.issuersRegistry() == ZERO
    assert registry.topicsRegistry() == ZERO


@pytest.mark.parametrize(
    "call",
    [
        lambda r, w, s: r.registerIdentity(w, ALICE_ID, Country.US, sender=s),
        lambda r, w, s: r.batchRegisterIdentity([w], [ALICE_ID], [Country.US], sender=s),
        lambda r, w, s: r.deleteIdentity(w, sender=s),
        lambda r, w, s: r.updateCountry(w, Country.GB, sender=s),
        lambda r, w, s: r.updateIdentity(w, BOB_ID, sender=s),
    ],
    ids=["registerIdentity", "batchRegisterIdentity", "deleteIdentity", "updateCountry", "updateIdentity"],
)
def test_identity_registry_changes_refuse_an_outsider(
    registry, alice_identity, investor_alice, outsider, call
):
    with reverts(registry.AccessControlUnauthorizedAccount, account=outsider, neededRole=REGISTRAR_ROLE):
        call(registry, investor_alice, outsider)
