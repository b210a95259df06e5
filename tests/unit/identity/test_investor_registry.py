"""InvestorRegistry, read as a specification.

One registry per chain: investors (country, class flags, KYC expiry, frozen flag) and the wallets
bound to them. Only the registrar changes it; every change emits an event; every refusal has its
own custom error.
"""

import pytest
from revert_data import reverts

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.roles import REGISTRAR_ROLE, Country, InvestorClass

ALICE = b"alice".ljust(32, b"\x00")
BOB = b"bob".ljust(32, b"\x00")


@pytest.fixture
def alice_registered(registry, registrar, kyc_expiry):
    expiry = kyc_expiry()
    registry.registerInvestor(ALICE, Country.US, InvestorClass.ACCREDITED, expiry, sender=registrar)
    return expiry


@pytest.fixture
def alice_onboarded(registry, registrar, alice_registered, investor_alice):
    registry.addWallet(ALICE, investor_alice, sender=registrar)
    return alice_registered


# --- deployment ----------------------------------------------------------------------------------


def test_deployer_given_admin_role_and_nobody_is_registrar(project, issuer, registrar):
    registry = deploy_behind_proxy(project, issuer, project.InvestorRegistry, issuer)
    assert registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), issuer)
    assert not registry.hasRole(REGISTRAR_ROLE, registrar)
    assert registry.REGISTRAR_ROLE() == REGISTRAR_ROLE


def test_deployment_with_zero_admin_is_refused(project, issuer):
    with reverts(project.InvestorRegistry.RegistryZeroAddress):
        deploy_behind_proxy(
            project, issuer, project.InvestorRegistry, "0x0000000000000000000000000000000000000000"
        )


# --- registering investors -----------------------------------------------------------------------


def test_registrar_registers_an_investor(registry, registrar, kyc_expiry):
    expiry = kyc_expiry()
    receipt = registry.registerInvestor(
        ALICE, Country.GB, InvestorClass.PROFESSIONAL, expiry, sender=registrar
    )
    assert receipt.events == [
        registry.InvestorRegistered(
            investorId=ALICE, country=Country.GB, classFlags=InvestorClass.PROFESSIONAL, kycExpiry=expiry
        )
    ]
    record = registry.investor(ALICE)
    assert (record.investorId, record.country, record.classFlags, record.kycExpiry) == (
        ALICE,
        Country.GB,
        InvestorClass.PROFESSIONAL,
        expiry,
    )
    assert not record.frozen and record.walletCount == 0
    assert registry.isRegistered(ALICE)
    assert registry.investorCount() == 1
    assert registry.indexOf(ALICE) == 1
    assert registry.investorIdAt(1) == ALICE


def test_outsider_cannot_register_an_investor(registry, outsider, kyc_expiry):
    with reverts(registry.AccessControlUnauthorizedAccount, account=outsider, neededRole=REGISTRAR_ROLE):
        registry.registerInvestor(ALICE, Country.US, 0, kyc_expiry(), sender=outsider)


def test_zero_investor_id_is_refused(registry, registrar, kyc_expiry):
    with reverts(registry.RegistryZeroInvestorId):
        registry.registerInvestor(b"\x00" * 32, Country.US, 0, kyc_expiry(), sender=registrar)


def test_registering_the_same_investor_twice_is_refused(registry, registrar, alice_registered, kyc_expiry):
    with reverts(registry.RegistryInvestorExists, investorId=ALICE):
        registry.registerInvestor(ALICE, Country.US, 0, kyc_expiry(), sender=registrar)


@pytest.mark.parametrize("country", [0, 1000])
def test_country_outside_iso_3166_numeric_range_is_refused(registry, registrar, kyc_expiry, country):
    with reverts(registry.RegistryInvalidCountry, country=country):
        registry.registerInvestor(ALICE, country, 0, kyc_expiry(), sender=registrar)


def test_kyc_expiry_in_the_past_is_refused(registry, registrar, chain):
    expired = chain.pending_timestamp - 1
    with reverts(registry.RegistryKycAlreadyExpired, kycExpiry=expired):
        registry.registerInvestor(ALICE, Country.US, 0, expired, sender=registrar)


# --- updating and freezing -----------------------------------------------------------------------


def test_registrar_updates_country_class_and_expiry(registry, registrar, alice_registered, kyc_expiry):
    expiry = kyc_expiry() + 100
    receipt = registry.updateInvestor(
        ALICE, Country.DE, InvestorClass.INSTITUTIONAL, expiry, sender=registrar
    )
    assert receipt.events == [
        registry.InvestorUpdated(
            investorId=ALICE, country=Country.DE, classFlags=InvestorClass.INSTITUTIONAL, kycExpiry=expiry
        )
    ]
    record = registry.investor(ALICE)
    assert (record.country, record.classFlags, record.kycExpiry) == (
        Country.DE,
        InvestorClass.INSTITUTIONAL,
        expiry,
    )


def test_updating_an_unknown_investor_is_refused(registry, registrar, kyc_expiry):
    with reverts(registry.RegistryUnknownInvestor, investorId=BOB):
        registry.updateInvestor(BOB, Country.US, 0, kyc_expiry(), sender=registrar)


def test_outsider_cannot_update_an_investor(registry, outsider, alice_registered, kyc_expiry):
    with reverts(
        registry.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=REGISTRAR_ROLE
    ):
        registry.updateInvestor(ALICE, Country.US, 0, kyc_expiry(), sender=outsider)


def test_frozen_investor_is_not_verified_until_unfrozen(registry, registrar, alice_onboarded, investor_alice):
    receipt = registry.setInvestorFrozen(ALICE, True, sender=registrar)
    assert receipt.events == [registry.InvestorFrozen(investorId=ALICE)]
    assert not registry.isVerified(investor_alice)
    assert registry.investor(ALICE).frozen

    receipt = registry.setInvestorFrozen(ALICE, False, sender=registrar)
    assert receipt.events == [registry.InvestorUnfrozen(investorId=ALICE)]
    assert registry.isVerified(investor_alice)


def test_freezing_twice_is_refused(registry, registrar, alice_registered):
    registry.setInvestorFrozen(ALICE, True, sender=registrar)
    with reverts(registry.RegistryInvestorAlreadyFrozen, investorId=ALICE):
        registry.setInvestorFrozen(ALICE, True, sender=registrar)


def test_unfreezing_an_unfrozen_investor_is_refused(registry, registrar, alice_registered):
    with reverts(registry.RegistryInvestorNotFrozen, investorId=ALICE):
        registry.setInvestorFrozen(ALICE, False, sender=registrar)


def test_freezing_an_unknown_investor_is_refused(registry, registrar):
    with reverts(registry.RegistryUnknownInvestor, investorId=BOB):
        registry.setInvestorFrozen(BOB, True, sender=registrar)


def test_outsider_cannot_freeze_an_investor(registry, outsider, alice_registered):
    with reverts(
        registry.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=REGISTRAR_ROLE
    ):
        registry.setInvestorFrozen(ALICE, True, sender=outsider)


# --- wallets -------------------------------------------------------------------------------------


def test_registrar_binds_several_wallets_to_one_investor(
    registry, registrar, alice_registered, investor_alice, investor_alice_2
):
    receipt = registry.addWallet(ALICE, investor_alice, sender=registrar)
    assert receipt.events == [registry.WalletAdded(investorId=ALICE, wallet=investor_alice)]
    registry.addWallet(ALICE, investor_alice_2, sender=registrar)
    assert registry.investorOf(investor_alice) == ALICE
    assert registry.investorOf(investor_alice_2) == ALICE
    assert registry.investor(ALICE).walletCount == 2
    assert registry.isVerified(investor_alice) and registry.isVerified(investor_alice_2)


def test_wallet_already_bound_to_another_investor_is_refused(
    registry, registrar, alice_onboarded, investor_alice, kyc_expiry
):
    registry.registerInvestor(BOB, Country.US, 0, kyc_expiry(), sender=registrar)
    with reverts(registry.RegistryWalletAlreadyBound, wallet=investor_alice, investorId=ALICE):
        registry.addWallet(BOB, investor_alice, sender=registrar)


def test_binding_a_wallet_to_an_unknown_investor_is_refused(registry, registrar, investor_bob):
    with reverts(registry.RegistryUnknownInvestor, investorId=BOB):
        registry.addWallet(BOB, investor_bob, sender=registrar)


def test_binding_the_zero_address_is_refused(registry, registrar, alice_registered):
    with reverts(registry.RegistryZeroAddress):
        registry.addWallet(ALICE, "0x0000000000000000000000000000000000000000", sender=registrar)


def test_outsider_cannot_bind_a_wallet(registry, outsider, alice_registered):
    with reverts(
        registry.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=REGISTRAR_ROLE
    ):
        registry.addWallet(ALICE, outsider, sender=outsider)


def test_removed_wallet_is_unbound_and_unverified(registry, registrar, alice_onboarded, investor_alice):
    receipt = registry.removeWallet(investor_alice, sender=registrar)
    assert receipt.events == [registry.WalletRemoved(investorId=ALICE, wallet=investor_alice)]
    assert registry.investorOf(investor_alice) == b"\x00" * 32
    assert not registry.isVerified(investor_alice)
    assert registry.investor(ALICE).walletCount == 0


def test_removed_wallet_can_be_bound_to_another_investor(
    registry, registrar, alice_onboarded, investor_alice, kyc_expiry
):
    registry.removeWallet(investor_alice, sender=registrar)
    registry.registerInvestor(BOB, Country.US, 0, kyc_expiry(), sender=registrar)
    registry.addWallet(BOB, investor_alice, sender=registrar)
    assert registry.investorOf(investor_alice) == BOB


def test_removing_an_unbound_wallet_is_refused(registry, registrar, outsider):
    with reverts(registry.RegistryWalletNotBound, wallet=outsider):
        registry.removeWallet(outsider, sender=registrar)


def test_outsider_cannot_remove_a_wallet(registry, outsider, alice_onboarded, investor_alice):
    with reverts(
        registry.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=REGISTRAR_ROLE
    ):
        registry.removeWallet(investor_alice, sender=outsider)


# --- verification --------------------------------------------------------------------------------


def test_unbound_wallet_is_not_verified(registry, outsider):
    assert not registry.isVerified(outsider)
    assert registry.investorOf(outsider) == b"\x00" * 32
    assert registry.party(outsider).index == 0


def test_kyc_stays_valid_until_expiry_and_lapses_after(registry, alice_onboarded, investor_alice, chain):
    expiry = alice_onboarded
    chain.mine(timestamp=expiry)
    assert registry.isVerified(investor_alice)
    chain.mine(timestamp=expiry + 1)
    assert not registry.isVerified(investor_alice)


def test_renewed_kyc_verifies_again(registry, registrar, alice_onboarded, investor_alice, chain, kyc_expiry):
    chain.mine(timestamp=alice_onboarded + 1)
    assert not registry.isVerified(investor_alice)
    registry.updateInvestor(ALICE, Country.US, InvestorClass.ACCREDITED, kyc_expiry(), sender=registrar)
    assert registry.isVerified(investor_alice)


def test_parties_reads_both_sides_of_a_transfer_in_one_call(
    registry, registrar, alice_onboarded, investor_alice, investor_bob, kyc_expiry
):
    expiry = kyc_expiry()
    registry.registerInvestor(BOB, Country.FR, InvestorClass.RETAIL, expiry, sender=registrar)
    registry.addWallet(BOB, investor_bob, sender=registrar)
    alice, bob = registry.parties(investor_alice, investor_bob)
    assert (alice.index, alice.country, alice.kycExpiry, alice.frozen) == (
        1,
        Country.US,
        alice_onboarded,
        False,
    )
    assert (bob.index, bob.country, bob.classFlags, bob.kycExpiry) == (
        2,
        Country.FR,
        InvestorClass.RETAIL,
        expiry,
    )


def test_investor_lookup_of_unknown_id_is_refused(registry):
    with reverts(registry.RegistryUnknownInvestor, investorId=BOB):
        registry.investor(BOB)


# --- the packed wallet slot: one read per party, kept in step with the investor -------------------


def test_an_investor_binds_at_most_max_wallets(registry, registrar, alice_registered, accounts):
    limit = registry.MAX_WALLETS_PER_INVESTOR()
    wallets = [f"0x{(0xA000 + i):040x}" for i in range(limit)]
    for wallet in wallets:
        registry.addWallet(ALICE, wallet, sender=registrar)
    assert registry.investor(ALICE).walletCount == limit
    with reverts(registry.RegistryTooManyWallets, investorId=ALICE, maxWallets=limit):
        registry.addWallet(ALICE, accounts[18], sender=registrar)


def test_freezing_an_investor_reaches_every_one_of_its_wallets(
    registry, registrar, alice_onboarded, investor_alice, investor_alice_2
):
    registry.addWallet(ALICE, investor_alice_2, sender=registrar)
    registry.setInvestorFrozen(ALICE, True, sender=registrar)
    assert registry.party(investor_alice).frozen and registry.party(investor_alice_2).frozen
    assert not registry.isVerified(investor_alice) and not registry.isVerified(investor_alice_2)


def test_an_investor_update_reaches_every_one_of_its_wallets(
    registry, registrar, alice_onboarded, investor_alice, investor_alice_2, kyc_expiry
):
    registry.addWallet(ALICE, investor_alice_2, sender=registrar)
    expiry = kyc_expiry() + 7
    registry.updateInvestor(ALICE, Country.CH, InvestorClass.QUALIFIED_PURCHASER, expiry, sender=registrar)
    for wallet in (investor_alice, investor_alice_2):
        party = registry.party(wallet)
        assert (party.country, party.classFlags, party.kycExpiry) == (
            Country.CH,
            InvestorClass.QUALIFIED_PURCHASER,
            expiry,
        )


def test_removing_a_wallet_keeps_the_others_bound_and_updated(
    registry, registrar, alice_onboarded, investor_alice, investor_alice_2, accounts
):
    third = accounts[18]
    registry.addWallet(ALICE, investor_alice_2, sender=registrar)
    registry.addWallet(ALICE, third, sender=registrar)
    registry.removeWallet(investor_alice, sender=registrar)  # the first: the last takes its place
    assert sorted(registry.walletsOf(ALICE)) == sorted([investor_alice_2.address, third.address])
    registry.setInvestorFrozen(ALICE, True, sender=registrar)
    assert registry.party(investor_alice_2).frozen and registry.party(third).frozen
    assert registry.party(investor_alice).index == 0


# --- sole wallets and raw party words ------------------------------------------------------------


def _decode(word: int) -> tuple[int, int, int, int, bool, bool]:
    """`PartyWord`: index 0..31 | country 32..47 | classFlags 48..63 | kycExpiry 64..127 |
    frozen 128..135 | position 136..143 | sole 144..151."""
    return (
        word & 0xFFFFFFFF,
        (word >> 32) & 0xFFFF,
        (word >> 48) & 0xFFFF,
        (word >> 64) & 0xFFFFFFFFFFFFFFFF,
        (word >> 128) & 0xFF != 0,
        (word >> 144) & 0xFF != 0,
    )


def test_the_raw_party_word_carries_the_same_record_as_the_party_view(
    registry, registrar, alice_onboarded, investor_alice, investor_bob
):
    registry.setInvestorFrozen(ALICE, True, sender=registrar)
    party = registry.party(investor_alice)
    word, unbound = registry.partyWords(investor_alice, investor_bob)
    assert word == registry.partyWord(investor_alice)
    assert _decode(word)[:5] == (party.index, party.country, party.classFlags, party.kycExpiry, party.frozen)
    assert unbound == 0


def test_the_first_wallet_of_an_investor_is_its_sole_wallet(registry, alice_onboarded, investor_alice):
    assert _decode(registry.partyWord(investor_alice))[5] is True
    assert registry.walletModeOf(1) == (investor_alice.address, True)


def test_binding_a_second_wallet_ends_the_sole_wallet_status_of_both(
    registry, registrar, alice_onboarded, investor_alice, investor_alice_2
):
    registry.addWallet(ALICE, investor_alice_2, sender=registrar)
    assert _decode(registry.partyWord(investor_alice))[5] is False
    assert _decode(registry.partyWord(investor_alice_2))[5] is False
    assert registry.walletModeOf(1) == (investor_alice.address, False)


def test_the_sole_wallet_status_never_comes_back(
    registry, registrar, alice_onboarded, investor_alice, investor_alice_2
):
    registry.addWallet(ALICE, investor_alice_2, sender=registrar)
    registry.removeWallet(investor_alice_2, sender=registrar)
    assert registry.investor(ALICE).walletCount == 1
    assert _decode(registry.partyWord(investor_alice))[5] is False
    assert registry.walletModeOf(1).sole is False


def test_unbinding_the_sole_wallet_ends_the_status(
    registry, registrar, alice_onboarded, investor_alice, investor_alice_2
):
    registry.removeWallet(investor_alice, sender=registrar)
    assert registry.walletModeOf(1) == (investor_alice.address, False)
    registry.addWallet(ALICE, investor_alice_2, sender=registrar)
    assert registry.walletModeOf(1).sole is False


def test_a_wallet_bound_before_is_never_a_sole_wallet(
    registry, registrar, alice_onboarded, investor_alice, kyc_expiry
):
    registry.removeWallet(investor_alice, sender=registrar)
    registry.registerInvestor(BOB, Country.FR, InvestorClass.RETAIL, kyc_expiry(), sender=registrar)
    registry.addWallet(BOB, investor_alice, sender=registrar)
    assert _decode(registry.partyWord(investor_alice))[5] is False
    assert registry.walletModeOf(2) == (investor_alice.address, False)


def test_an_investor_without_wallets_has_no_first_wallet(registry, alice_registered):
    assert registry.walletModeOf(1) == ("0x0000000000000000000000000000000000000000", False)
