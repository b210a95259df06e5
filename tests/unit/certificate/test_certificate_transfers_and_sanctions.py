"""Free transferability except from/to/by sanctioned addresses; pause; units functions; ERC-1404."""

from ape import chain
from certificate_constants import ZERO, pinned_now
from revert_data import reverts

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.multiplier import ONE, to_tokens_down
from tokenized_stocks.protocol.permit import sign_permit as sign_permit_vrs
from tokenized_stocks.protocol.roles import DEFAULT_ADMIN_ROLE


def test_transfer_moves_tokens_and_emits_transfer(funded, investor_alice, investor_carol):
    receipt = funded.transfer(investor_carol, 40 * ONE, sender=investor_alice)

    assert receipt.events == [funded.Transfer(investor_alice, investor_carol, 40 * ONE)]
    assert funded.balanceOf(investor_alice) == 60 * ONE
    assert funded.balanceOf(investor_carol) == 40 * ONE


def test_a_transfer_at_a_non_integer_multiplier_moves_exactly_the_value(
    cert, issuer, transfer_agent, investor_alice, investor_bob
):
    cert.mint(investor_alice, 10 * ONE, sender=issuer)
    m = ONE * 3 // 2
    cert.scheduleMultiplierUpdate(ONE, m, pinned_now(), 1, sender=transfer_agent)

    cert.transfer(investor_bob, 1, sender=investor_alice)

    assert cert.balanceOf(investor_bob) == 1
    assert cert.balanceOf(investor_alice) == to_tokens_down(10 * ONE, m) - 1


def test_a_transfer_above_the_balance_is_refused_with_the_erc20_error(funded, investor_alice, investor_bob):
    with reverts(funded.ERC20InsufficientBalance, sender=investor_alice, balance=100 * ONE, needed=101 * ONE):
        funded.transfer(investor_bob, 101 * ONE, sender=investor_alice)


def test_a_sanctioned_sender_is_refused(funded, sanctions, compliance_officer, investor_alice, investor_bob):
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)

    with reverts(funded.CertificateSanctioned, account=investor_alice):
        funded.transfer(investor_bob, ONE, sender=investor_alice)


def test_a_sanctioned_recipient_is_refused(
    funded, sanctions, compliance_officer, investor_alice, investor_carol
):
    sanctions.setSanctioned(investor_carol, True, sender=compliance_officer)

    with reverts(funded.CertificateSanctioned, account=investor_carol):
        funded.transfer(investor_carol, ONE, sender=investor_alice)


def test_a_sanctioned_spender_is_refused(
    funded, sanctions, compliance_officer, investor_alice, investor_bob, investor_carol
):
    funded.approve(investor_carol, 10 * ONE, sender=investor_alice)
    sanctions.setSanctioned(investor_carol, True, sender=compliance_officer)

    with reverts(funded.CertificateSanctioned, account=investor_carol):
        funded.transferFrom(investor_alice, investor_bob, ONE, sender=investor_carol)
    with reverts(funded.CertificateSanctioned, account=investor_carol):
        funded.transferUnitsFrom(investor_alice, investor_bob, ONE, sender=investor_carol)


def test_an_unsanctioned_spender_transfers_with_its_allowance(
    funded, investor_alice, investor_bob, investor_carol
):
    funded.approve(investor_carol, 10 * ONE, sender=investor_alice)

    funded.transferFrom(investor_alice, investor_bob, 4 * ONE, sender=investor_carol)

    assert funded.allowance(investor_alice, investor_carol) == 6 * ONE
    assert funded.balanceOf(investor_bob) == 54 * ONE


def test_mint_to_a_sanctioned_address_is_refused(cert, sanctions, compliance_officer, issuer, investor_carol):
    sanctions.setSanctioned(investor_carol, True, sender=compliance_officer)

    with reverts(cert.CertificateSanctioned, account=investor_carol):
        cert.mint(investor_carol, ONE, sender=issuer)


def test_redemption_by_a_sanctioned_holder_is_refused(funded, sanctions, compliance_officer, investor_alice):
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)

    with reverts(funded.CertificateSanctioned, account=investor_alice):
        funded.requestRedemption(ONE, sender=investor_alice)


def test_a_delisted_address_transfers_again(
    funded, sanctions, compliance_officer, investor_alice, investor_bob
):
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)
    sanctions.setSanctioned(investor_alice, False, sender=compliance_officer)

    funded.transfer(investor_bob, ONE, sender=investor_alice)

    assert funded.balanceOf(investor_bob) == 51 * ONE


def test_a_replaced_sanctions_list_applies_to_an_account_once_it_is_synced(
    funded, project, issuer, compliance_officer, outsider, investor_alice, investor_bob
):
    from tokenized_stocks.protocol.roles import COMPLIANCE_ROLE

    new_list = deploy_behind_proxy(project, issuer, project.SanctionsList, issuer)
    new_list.grantRole(COMPLIANCE_ROLE, compliance_officer, sender=issuer)
    new_list.setSanctioned(investor_bob, True, sender=compliance_officer)

    receipt = funded.setSanctionsList(new_list, sender=issuer)
    funded.transfer(investor_bob, ONE, sender=investor_alice)  # the cache was not re-read: lag
    synced = funded.syncSanctions([investor_bob], sender=outsider)

    assert receipt.events == [funded.SanctionsListSet(sanctionsList=new_list.address)]
    assert synced.events == [funded.SanctionsSynced(account=investor_bob, sanctioned=True)]
    with reverts(funded.CertificateSanctioned, account=investor_bob):
        funded.transfer(investor_bob, ONE, sender=investor_alice)


def test_a_zero_sanctions_list_is_refused(cert, issuer):
    with reverts(cert.CertificateZeroAddress):
        cert.setSanctionsList(ZERO, sender=issuer)


def test_pause_blocks_transfers_mints_and_redemptions(funded, guardian, issuer, investor_alice, investor_bob):
    funded.pause(sender=guardian)

    with reverts(funded.EnforcedPause):
        funded.transfer(investor_bob, ONE, sender=investor_alice)
    with reverts(funded.EnforcedPause):
        funded.mint(investor_bob, ONE, sender=issuer)
    with reverts(funded.EnforcedPause):
        funded.requestRedemption(ONE, sender=investor_alice)


def test_the_guardian_pauses_at_once(funded, guardian):
    receipt = funded.pause(sender=guardian)

    assert receipt.events == [funded.Paused(account=guardian)]
    assert funded.paused()


def test_the_guardian_cannot_unpause(funded, guardian):
    funded.pause(sender=guardian)

    with reverts(funded.AccessControlUnauthorizedAccount, account=guardian, neededRole=DEFAULT_ADMIN_ROLE):
        funded.unpause(sender=guardian)
    assert funded.paused()


def test_the_admins_unpause_restores_transfers(funded, guardian, issuer, investor_alice, investor_bob):
    funded.pause(sender=guardian)
    receipt = funded.unpause(sender=issuer)

    funded.transfer(investor_bob, ONE, sender=investor_alice)

    assert receipt.events == [funded.Unpaused(account=issuer)]
    assert funded.balanceOf(investor_bob) == 51 * ONE


def test_transfer_units_moves_exact_units_and_emits_both_events(
    funded, schedule, investor_alice, investor_carol
):
    _, activation = schedule(3 * ONE, delay=5)
    chain.pending_timestamp = activation

    receipt = funded.transferUnits(investor_carol, 7, sender=investor_alice)

    assert receipt.events == [
        funded.CorporateActionActivated(nonce=1, epoch=1, multiplier=3 * ONE),
        funded.BalanceRescaled(investor_alice, 100 * ONE, 300 * ONE, 3 * ONE),
        funded.Transfer(investor_alice, investor_carol, 21),
        funded.UnitsTransferred(investor_alice, investor_carol, 7),
    ]
    assert funded.unitsOf(investor_carol) == 7
    assert funded.unitsOf(investor_alice) == 100 * ONE - 7


def test_transfer_units_from_spends_the_allowance_in_tokens_rounded_up(
    cert, issuer, transfer_agent, investor_alice, investor_bob, investor_carol
):
    cert.mint(investor_alice, 10 * ONE, sender=issuer)
    cert.scheduleMultiplierUpdate(ONE, ONE * 3 // 2, pinned_now(), 1, sender=transfer_agent)
    cert.approve(investor_carol, 100, sender=investor_alice)

    cert.transferUnitsFrom(investor_alice, investor_bob, 3, sender=investor_carol)  # 4.5 tokens -> 5

    assert cert.allowance(investor_alice, investor_carol) == 95
    assert cert.unitsOf(investor_bob) == 3


def test_transfer_units_to_the_zero_address_is_refused_and_moves_nothing(funded, investor_alice):
    supply, total_units = funded.totalSupply(), funded.totalUnits()

    with reverts(funded.ERC20InvalidReceiver, receiver=ZERO):
        funded.transferUnits(ZERO, ONE, sender=investor_alice)

    assert funded.balanceOf(investor_alice) == 100 * ONE
    assert funded.totalSupply() == supply
    assert funded.totalUnits() == total_units


def test_transfer_units_from_to_the_zero_address_is_refused_and_moves_nothing(
    funded, investor_alice, investor_carol
):
    funded.approve(investor_carol, 10 * ONE, sender=investor_alice)
    supply, total_units = funded.totalSupply(), funded.totalUnits()

    with reverts(funded.ERC20InvalidReceiver, receiver=ZERO):
        funded.transferUnitsFrom(investor_alice, ZERO, ONE, sender=investor_carol)

    assert funded.balanceOf(investor_alice) == 100 * ONE
    assert funded.allowance(investor_alice, investor_carol) == 10 * ONE
    assert funded.totalSupply() == supply
    assert funded.totalUnits() == total_units


def test_transfer_units_from_the_zero_address_is_refused_with_the_invalid_sender_error(
    funded, investor_bob, investor_carol
):
    supply, total_units = funded.totalSupply(), funded.totalUnits()

    with reverts(funded.ERC20InvalidSender, sender=ZERO):
        funded.transferUnitsFrom(ZERO, investor_bob, ONE, sender=investor_carol)

    assert funded.balanceOf(investor_bob) == 50 * ONE
    assert funded.totalSupply() == supply
    assert funded.totalUnits() == total_units


def test_transfer_units_above_the_holding_is_refused(funded, investor_bob, investor_carol):
    # Balances are tokens (finding 13.7): the ERC-20 error, in tokens (multiplier 1 here).
    with reverts(funded.ERC20InsufficientBalance, sender=investor_bob, balance=50 * ONE, needed=50 * ONE + 1):
        funded.transferUnits(investor_carol, 50 * ONE + 1, sender=investor_bob)


def test_detect_transfer_restriction_names_the_rule(
    funded, sanctions, compliance_officer, guardian, investor_alice, investor_bob, investor_carol
):
    assert funded.detectTransferRestriction(investor_alice, investor_bob, ONE) == 0
    assert (
        funded.detectTransferRestriction(investor_alice, investor_bob, 101 * ONE)
        == Restriction.INSUFFICIENT_BALANCE
    )
    sanctions.setSanctioned(investor_carol, True, sender=compliance_officer)
    assert (
        funded.detectTransferRestriction(investor_alice, investor_carol, ONE)
        == Restriction.RECIPIENT_SANCTIONED
    )
    assert (
        funded.detectTransferRestriction(investor_carol, investor_alice, 0) == Restriction.SENDER_SANCTIONED
    )
    funded.pause(sender=guardian)
    assert funded.detectTransferRestriction(investor_alice, investor_bob, ONE) == Restriction.PAUSED
    assert funded.messageForTransferRestriction(Restriction.PAUSED) == "The asset is paused"


def sign_permit(token, owner, spender, value: int, nonce: int, deadline: int, chain_id: int | None = None):
    """EIP-2612 permit `(v, r, s)` of `owner` (the certificate's domain: its name, version "1")."""
    return sign_permit_vrs(
        owner.private_key,
        token_name="Tracker AAPL",
        chain_id=chain_id or chain.chain_id,
        token=token.address,
        owner=owner.address,
        spender=spender.address,
        value=value,
        nonce=nonce,
        deadline=deadline,
    )


def test_permit_sets_an_allowance_from_a_signature(funded, investor_alice, investor_bob):
    deadline = chain.pending_timestamp + 3_600
    sig = sign_permit(funded, investor_alice, investor_bob, 5 * ONE, 0, deadline)

    funded.permit(investor_alice, investor_bob, 5 * ONE, deadline, *sig, sender=investor_bob)

    assert funded.allowance(investor_alice, investor_bob) == 5 * ONE
    assert funded.nonces(investor_alice) == 1


def test_a_permit_cannot_be_replayed(funded, investor_alice, investor_bob):
    deadline = chain.pending_timestamp + 3_600
    sig = sign_permit(funded, investor_alice, investor_bob, 5 * ONE, 0, deadline)
    funded.permit(investor_alice, investor_bob, 5 * ONE, deadline, *sig, sender=investor_bob)

    with reverts(funded.ERC2612InvalidSigner):
        funded.permit(investor_alice, investor_bob, 5 * ONE, deadline, *sig, sender=investor_bob)


def test_an_expired_permit_is_refused(funded, investor_alice, investor_bob):
    deadline = pinned_now() - 1
    sig = sign_permit(funded, investor_alice, investor_bob, 5 * ONE, 0, deadline)

    with reverts(funded.ERC2612ExpiredSignature, deadline=deadline):
        funded.permit(investor_alice, investor_bob, 5 * ONE, deadline, *sig, sender=investor_bob)


def test_a_permit_signed_for_another_chain_is_refused(funded, investor_alice, investor_bob):
    deadline = chain.pending_timestamp + 3_600
    sig = sign_permit(funded, investor_alice, investor_bob, 5 * ONE, 0, deadline, chain_id=31338)

    with reverts(funded.ERC2612InvalidSigner):
        funded.permit(investor_alice, investor_bob, 5 * ONE, deadline, *sig, sender=investor_bob)
