"""Cached sanctions flags (USDC-blacklist style): pushed by our SanctionsList to its subscribers in
the same transaction, pulled permissionlessly from any oracle with `syncSanctions`, and optionally
screened live. The transfer-level refusals with a pushing list are in
test_certificate_transfers_and_sanctions.py."""

from __future__ import annotations

import pytest
from certificate_constants import ZERO
from revert_data import reverts

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.multiplier import MAX_MULTIPLIER, ONE, to_tokens_down
from tokenized_stocks.protocol.roles import COMPLIANCE_ROLE, DEFAULT_ADMIN_ROLE

MAX_SUBSCRIBERS = 16
MAX_UNITS = 2**150


@pytest.fixture
def external_oracle(project, issuer, compliance_officer):
    """A second sanctions list the certificate is NOT subscribed to: it stands for an external
    oracle (Chainalysis) that never pushes."""
    oracle = deploy_behind_proxy(project, issuer, project.SanctionsList, issuer)
    oracle.grantRole(COMPLIANCE_ROLE, compliance_officer, sender=issuer)
    return oracle


@pytest.fixture
def external(funded, external_oracle, issuer):
    """`funded` (alice 100, bob 50) screened against the non-pushing `external_oracle`."""
    funded.setSanctionsList(external_oracle, sender=issuer)
    return funded


@pytest.fixture
def broken_subscriber(project, issuer):
    return issuer.deploy(project.CertTestRevertingSubscriber)


# ---- push from our own list ------------------------------------------------------------------


def test_the_certificate_subscribes_to_our_list(cert, sanctions):
    assert sanctions.subscribers() == [cert.address]
    assert sanctions.isSubscriber(cert)


def test_set_sanctioned_pushes_the_flag_to_the_certificate_in_the_same_transaction(
    cert, sanctions, compliance_officer, investor_alice
):
    receipt = sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)

    assert receipt.events == [
        sanctions.AddressSanctioned(account=investor_alice),
        cert.SanctionsSynced(account=investor_alice, sanctioned=True),
    ]
    assert cert.isSanctionedCached(investor_alice)


def test_delisting_pushes_the_cleared_flag(cert, sanctions, compliance_officer, investor_alice):
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)

    receipt = sanctions.setSanctioned(investor_alice, False, sender=compliance_officer)

    assert receipt.events == [
        sanctions.AddressUnsanctioned(account=investor_alice),
        cert.SanctionsSynced(account=investor_alice, sanctioned=False),
    ]
    assert not cert.isSanctionedCached(investor_alice)


def test_a_flagged_holder_keeps_its_units_and_balance(funded, sanctions, compliance_officer, investor_alice):
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)

    assert funded.unitsOf(investor_alice) == 100 * ONE
    assert funded.balanceOf(investor_alice) == 100 * ONE
    assert funded.totalSupply() == 150 * ONE


def test_a_delisted_holder_transfers_its_whole_balance(
    funded, sanctions, compliance_officer, investor_alice, investor_bob
):
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)
    sanctions.setSanctioned(investor_alice, False, sender=compliance_officer)

    funded.transfer(investor_bob, 100 * ONE, sender=investor_alice)

    assert funded.unitsOf(investor_alice) == 0
    assert funded.balanceOf(investor_bob) == 150 * ONE


def test_an_unsubscribed_certificate_is_no_longer_pushed_to(
    funded, sanctions, compliance_officer, issuer, investor_alice, investor_bob
):
    receipt = sanctions.removeSubscriber(funded, sender=issuer)
    sanctions.setSanctioned(investor_bob, True, sender=compliance_officer)

    funded.transfer(investor_bob, ONE, sender=investor_alice)  # stale until synced

    assert receipt.events == [sanctions.SubscriberRemoved(subscriber=funded.address)]
    assert sanctions.subscribers() == []
    assert not funded.isSanctionedCached(investor_bob)


# ---- subscriber administration -----------------------------------------------------------------


def test_the_admin_adds_a_subscriber(project, issuer, deploy_certificate):
    fresh = deploy_behind_proxy(project, issuer, project.SanctionsList, issuer)
    cert = deploy_certificate(subscribe=False)

    receipt = fresh.addSubscriber(cert, sender=issuer)

    assert receipt.events == [fresh.SubscriberAdded(subscriber=cert.address)]
    assert fresh.subscribers() == [cert.address]


def test_an_outsider_cannot_add_or_remove_a_subscriber(cert, sanctions, broken_subscriber, outsider):
    with reverts(sanctions.AccessControlUnauthorizedAccount, account=outsider, neededRole=DEFAULT_ADMIN_ROLE):
        sanctions.addSubscriber(broken_subscriber, sender=outsider)
    with reverts(sanctions.AccessControlUnauthorizedAccount, account=outsider, neededRole=DEFAULT_ADMIN_ROLE):
        sanctions.removeSubscriber(cert, sender=outsider)


def test_the_compliance_officer_cannot_manage_subscribers(sanctions, broken_subscriber, compliance_officer):
    with reverts(sanctions.AccessControlUnauthorizedAccount, account=compliance_officer):
        sanctions.addSubscriber(broken_subscriber, sender=compliance_officer)


def test_a_subscriber_cannot_be_added_twice(cert, sanctions, issuer):
    with reverts(sanctions.SanctionsSubscriberExists, subscriber=cert.address):
        sanctions.addSubscriber(cert, sender=issuer)


def test_removing_an_unknown_subscriber_is_refused(sanctions, issuer, outsider):
    with reverts(sanctions.SanctionsUnknownSubscriber, subscriber=outsider.address):
        sanctions.removeSubscriber(outsider, sender=issuer)


def test_an_account_or_a_contract_without_the_hook_cannot_subscribe(project, sanctions, issuer, outsider):
    plain = issuer.deploy(project.PlainERC20)

    with reverts(sanctions.SanctionsInvalidSubscriber, subscriber=outsider.address):
        sanctions.addSubscriber(outsider, sender=issuer)
    with reverts(sanctions.SanctionsInvalidSubscriber, subscriber=plain.address):
        sanctions.addSubscriber(plain, sender=issuer)


def test_the_number_of_subscribers_is_bounded(project, issuer):
    fresh = deploy_behind_proxy(project, issuer, project.SanctionsList, issuer)
    for _ in range(MAX_SUBSCRIBERS):
        fresh.addSubscriber(issuer.deploy(project.CertTestRevertingSubscriber), sender=issuer)
    one_more = issuer.deploy(project.CertTestRevertingSubscriber)

    assert fresh.MAX_SUBSCRIBERS() == MAX_SUBSCRIBERS
    with reverts(fresh.SanctionsTooManySubscribers, max=MAX_SUBSCRIBERS):
        fresh.addSubscriber(one_more, sender=issuer)


def test_a_reverting_subscriber_reverts_the_whole_listing(
    cert, sanctions, broken_subscriber, issuer, compliance_officer, investor_alice
):
    sanctions.addSubscriber(broken_subscriber, sender=issuer)

    with reverts(sanctions.SanctionsSubscriberFailed, subscriber=broken_subscriber.address):
        sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)
    assert not sanctions.isSanctioned(investor_alice)
    assert not cert.isSanctionedCached(investor_alice)


def test_removing_a_reverting_subscriber_unblocks_the_list(
    cert, sanctions, broken_subscriber, issuer, compliance_officer, investor_alice
):
    sanctions.addSubscriber(broken_subscriber, sender=issuer)
    sanctions.removeSubscriber(broken_subscriber, sender=issuer)

    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)

    assert sanctions.isSanctioned(investor_alice)
    assert cert.isSanctionedCached(investor_alice)


# ---- pull from a non-pushing oracle ----------------------------------------------------------


def test_with_a_non_pushing_oracle_the_cache_lags_until_synced(
    external, external_oracle, compliance_officer, outsider, investor_alice, investor_bob
):
    external_oracle.setSanctioned(investor_bob, True, sender=compliance_officer)
    assert not external.isSanctionedCached(investor_bob)
    assert external.detectTransferRestriction(investor_alice, investor_bob, ONE) == 0
    external.transfer(investor_bob, ONE, sender=investor_alice)  # the documented lag

    receipt = external.syncSanctions([investor_bob], sender=outsider)

    assert receipt.events == [external.SanctionsSynced(account=investor_bob, sanctioned=True)]
    with reverts(external.CertificateSanctioned, account=investor_bob):
        external.transfer(investor_bob, ONE, sender=investor_alice)


def test_a_delisting_on_a_non_pushing_oracle_applies_once_synced(
    external, external_oracle, compliance_officer, outsider, investor_alice, investor_bob
):
    external_oracle.setSanctioned(investor_alice, True, sender=compliance_officer)
    external.syncSanctions([investor_alice], sender=outsider)
    external_oracle.setSanctioned(investor_alice, False, sender=compliance_officer)
    with reverts(external.CertificateSanctioned, account=investor_alice):
        external.transfer(investor_bob, ONE, sender=investor_alice)

    receipt = external.syncSanctions([investor_alice], sender=outsider)
    external.transfer(investor_bob, ONE, sender=investor_alice)

    assert receipt.events == [external.SanctionsSynced(account=investor_alice, sanctioned=False)]
    assert external.balanceOf(investor_bob) == 51 * ONE


def test_sync_emits_only_for_the_accounts_whose_flag_changes(
    external, external_oracle, compliance_officer, outsider, investor_alice, investor_carol
):
    external_oracle.setSanctioned(investor_carol, True, sender=compliance_officer)

    receipt = external.syncSanctions([investor_alice, investor_carol, ZERO, investor_carol], sender=outsider)

    assert receipt.events == [external.SanctionsSynced(account=investor_carol, sanctioned=True)]
    assert external.isSanctionedCached(investor_carol)
    assert not external.isSanctionedCached(investor_alice)


def test_sync_with_nothing_changed_emits_nothing(cert, outsider, investor_alice, investor_bob):
    receipt = cert.syncSanctions([investor_alice, investor_bob], sender=outsider)

    assert receipt.events == []


def test_anyone_calling_the_hook_only_re_reads_the_oracle(cert, outsider, investor_alice):
    receipt = cert.onSanctionsChanged(investor_alice, sender=outsider)

    assert receipt.events == []
    assert not cert.isSanctionedCached(investor_alice)


def test_replacing_the_oracle_keeps_the_cached_flags(
    funded, external_oracle, sanctions, compliance_officer, issuer, outsider, investor_alice, investor_bob
):
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)
    funded.setSanctionsList(external_oracle, sender=issuer)
    with reverts(funded.CertificateSanctioned, account=investor_alice):
        funded.transfer(investor_bob, ONE, sender=investor_alice)

    funded.syncSanctions([investor_alice], sender=outsider)  # the new oracle does not list her

    funded.transfer(investor_bob, ONE, sender=investor_alice)
    assert not funded.isSanctionedCached(investor_alice)


# ---- live mode -------------------------------------------------------------------------------


def test_the_admin_turns_live_screening_on_and_off(cert, issuer):
    on = cert.setLiveScreening(True, sender=issuer)
    assert cert.liveScreening()
    off = cert.setLiveScreening(False, sender=issuer)

    assert on.events == [cert.LiveScreeningSet(enabled=True)]
    assert off.events == [cert.LiveScreeningSet(enabled=False)]
    assert not cert.liveScreening()


def test_live_screening_is_off_by_default(cert):
    assert not cert.liveScreening()


def test_live_screening_refuses_a_recipient_listed_on_a_non_pushing_oracle_without_a_sync(
    external, external_oracle, compliance_officer, issuer, investor_alice, investor_bob
):
    external.setLiveScreening(True, sender=issuer)
    external_oracle.setSanctioned(investor_bob, True, sender=compliance_officer)

    assert not external.isSanctionedCached(investor_bob)
    assert (
        external.detectTransferRestriction(investor_alice, investor_bob, ONE)
        == Restriction.RECIPIENT_SANCTIONED
    )
    with reverts(external.CertificateSanctioned, account=investor_bob):
        external.transfer(investor_bob, ONE, sender=investor_alice)


def test_live_screening_refuses_a_sender_and_a_spender_listed_on_a_non_pushing_oracle(
    external, external_oracle, compliance_officer, issuer, investor_alice, investor_bob, investor_carol
):
    external.approve(investor_carol, 10 * ONE, sender=investor_alice)
    external.setLiveScreening(True, sender=issuer)
    external_oracle.setSanctioned(investor_carol, True, sender=compliance_officer)
    external_oracle.setSanctioned(investor_bob, True, sender=compliance_officer)

    with reverts(external.CertificateSanctioned, account=investor_carol):
        external.transferFrom(investor_alice, investor_alice, ONE, sender=investor_carol)
    with reverts(external.CertificateSanctioned, account=investor_bob):
        external.transfer(investor_alice, ONE, sender=investor_bob)


def test_live_screening_still_honours_a_cached_flag(
    funded, sanctions, compliance_officer, issuer, investor_alice, investor_bob
):
    sanctions.setSanctioned(investor_bob, True, sender=compliance_officer)
    funded.setLiveScreening(True, sender=issuer)

    with reverts(funded.CertificateSanctioned, account=investor_bob):
        funded.transfer(investor_bob, ONE, sender=investor_alice)


def test_live_screening_off_again_returns_to_the_cached_flags(
    external, external_oracle, compliance_officer, issuer, investor_alice, investor_bob
):
    external.setLiveScreening(True, sender=issuer)
    external_oracle.setSanctioned(investor_bob, True, sender=compliance_officer)
    external.setLiveScreening(False, sender=issuer)

    external.transfer(investor_bob, ONE, sender=investor_alice)

    assert external.balanceOf(investor_bob) == 51 * ONE


# ---- bridge and the units bound ------------------------------------------------------------------


def test_a_flagged_recipient_is_a_crosschain_restriction(
    remote_cert, sanctions, compliance_officer, investor_carol
):
    assert remote_cert.crosschainRestriction(investor_carol, ONE) == 0
    sanctions.setSanctioned(investor_carol, True, sender=compliance_officer)

    assert remote_cert.crosschainRestriction(investor_carol, ONE) == Restriction.RECIPIENT_SANCTIONED


def full_holding(remote_cert, gateway, issuer, holder) -> None:
    """Mints MAX_UNITS to `holder` at the highest multiplier (a synced value): the largest balance
    there can be, which must fit its 175-bit field below the flag and the reference multiplier."""
    gateway.syncOn(remote_cert, 1, MAX_MULTIPLIER, sender=issuer)
    gateway.mintOn(remote_cert, holder, MAX_UNITS, sender=issuer)


def test_units_are_bounded_below_the_flag_bit(remote_cert, gateway, issuer, investor_alice):
    full_holding(remote_cert, gateway, issuer, investor_alice)

    assert remote_cert.MAX_UNITS() == MAX_UNITS
    assert remote_cert.totalUnits() == MAX_UNITS
    assert remote_cert.balanceOf(investor_alice) == to_tokens_down(MAX_UNITS, MAX_MULTIPLIER) < 2**175
    assert not remote_cert.isSanctionedCached(investor_alice)
    with reverts(remote_cert.CertificateUnitsOverflow, totalUnits=MAX_UNITS + 1, maxUnits=MAX_UNITS):
        gateway.mintOn(remote_cert, investor_alice, 1, sender=issuer)


def test_a_flag_set_on_a_full_holding_leaves_its_units_intact(
    remote_cert, gateway, sanctions, compliance_officer, issuer, investor_alice
):
    full_holding(remote_cert, gateway, issuer, investor_alice)

    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)

    assert remote_cert.isSanctionedCached(investor_alice)
    assert remote_cert.balanceOf(investor_alice) == to_tokens_down(MAX_UNITS, MAX_MULTIPLIER)


def test_the_certificate_declares_the_subscriber_interface(cert):
    from eth_utils import keccak

    interface_id = keccak(text="onSanctionsChanged(address)")[:4]

    assert cert.supportsInterface(interface_id)


def test_a_push_from_a_list_that_is_not_the_oracle_only_re_reads_the_oracle(
    funded, sanctions, external_oracle, compliance_officer, issuer, investor_bob
):
    funded.setSanctionsList(external_oracle, sender=issuer)  # still subscribed to `sanctions`

    receipt = sanctions.setSanctioned(investor_bob, True, sender=compliance_officer)

    assert receipt.events == [sanctions.AddressSanctioned(account=investor_bob)]
    assert not funded.isSanctionedCached(investor_bob)
