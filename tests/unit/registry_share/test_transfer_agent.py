"""Transfer-agent powers: issue, redeem, forced transfer, recovery, freezes, lock-ups, pause."""

import ape
import pytest
from revert_data import reverts

from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.multiplier import ONE

REASON = "court order 2026/118"


def test_issue_credits_the_wallet_and_the_investor_and_counts_a_holder(
    share, investors, transfer_agent, investor_alice
):
    receipt = share.issue(investor_alice, 10 * ONE, REASON, sender=transfer_agent)
    assert receipt.events == [
        share.Transfer(ape.utils.ZERO_ADDRESS, investor_alice, 10 * ONE),
        share.Issued(investor_alice, 10 * ONE, REASON),
    ]
    assert share.balanceOf(investor_alice) == 10 * ONE
    assert share.investorBalance(investors["alice"]) == 10 * ONE
    assert share.totalSupply() == 10 * ONE
    assert share.holderCount() == 1


def test_issue_to_an_unverified_wallet_is_refused(share, investors, transfer_agent, outsider):
    with reverts(share.ShareTransferRestricted, code=Restriction.RECIPIENT_NOT_VERIFIED):
        share.issue(outsider, ONE, REASON, sender=transfer_agent)
    assert share.totalSupply() == 0


def test_issue_to_a_second_wallet_does_not_count_a_new_holder(
    funded, investors, transfer_agent, investor_alice_2
):
    funded.issue(investor_alice_2, ONE, REASON, sender=transfer_agent)
    assert funded.holderCount() == 2
    assert funded.investorBalance(investors["alice"]) == 101 * ONE


def test_redeem_burns_shares_and_uncounts_a_holder_that_empties(funded, transfer_agent, investor_bob):
    receipt = funded.redeem(investor_bob, 50 * ONE, REASON, sender=transfer_agent)
    assert receipt.events == [
        funded.Transfer(investor_bob, ape.utils.ZERO_ADDRESS, 50 * ONE),
        funded.Redeemed(investor_bob, 50 * ONE, REASON),
    ]
    assert funded.totalSupply() == 100 * ONE
    assert funded.holderCount() == 1


def test_redeem_uses_frozen_tokens_after_releasing_them(funded, transfer_agent, investor_bob):
    funded.freezePartialTokens(investor_bob, 40 * ONE, REASON, sender=transfer_agent)
    receipt = funded.redeem(investor_bob, 20 * ONE, REASON, sender=transfer_agent)
    assert receipt.events.filter(funded.TokensUnfrozen)[0].amount == 10 * ONE
    assert funded.getFrozenTokens(investor_bob) == 30 * ONE


def test_redeem_beyond_the_balance_is_refused(funded, transfer_agent, investor_bob):
    with reverts(funded.ShareInsufficientBalance, wallet=investor_bob, balance=50 * ONE, needed=51 * ONE):
        funded.redeem(investor_bob, 51 * ONE, REASON, sender=transfer_agent)


def test_forced_transfer_overrides_lock_up_freeze_and_pause(
    funded, chain, transfer_agent, guardian, investors, investor_alice, investor_bob
):
    funded.setLockup(investors["alice"], chain.pending_timestamp + 3600, REASON, sender=transfer_agent)
    funded.setAddressFrozen(investor_alice, True, REASON, sender=transfer_agent)
    funded.pause("incident", sender=guardian)
    receipt = funded.forcedTransfer(investor_alice, investor_bob, 30 * ONE, REASON, sender=transfer_agent)
    assert receipt.events == [
        funded.Transfer(investor_alice, investor_bob, 30 * ONE),
        funded.ForcedTransfer(investor_alice, investor_bob, 30 * ONE, REASON),
    ]
    assert funded.balanceOf(investor_bob) == 80 * ONE
    assert funded.investorBalance(investors["bob"]) == 80 * ONE


def test_forced_transfer_to_an_unverified_wallet_is_refused(funded, transfer_agent, investor_alice, outsider):
    with reverts(funded.ShareTransferRestricted, code=Restriction.RECIPIENT_NOT_VERIFIED):
        funded.forcedTransfer(investor_alice, outsider, ONE, REASON, sender=transfer_agent)
    assert funded.balanceOf(investor_alice) == 100 * ONE


def test_forced_transfer_of_the_whole_holding_moves_the_holder_count(
    funded, transfer_agent, investor_bob, investor_carol
):
    funded.forcedTransfer(investor_bob, investor_carol, 50 * ONE, REASON, sender=transfer_agent)
    assert funded.holderCount() == 2
    assert funded.balanceOf(investor_bob) == 0


def test_forced_transfer_releases_the_frozen_tokens_it_needs(
    funded, transfer_agent, investor_bob, investor_carol
):
    funded.freezePartialTokens(investor_bob, 50 * ONE, REASON, sender=transfer_agent)
    funded.forcedTransfer(investor_bob, investor_carol, 20 * ONE, REASON, sender=transfer_agent)
    assert funded.getFrozenTokens(investor_bob) == 30 * ONE


def test_recovery_moves_balance_frozen_tokens_and_freeze_to_the_new_wallet(
    funded, registry, registrar, transfer_agent, investors, investor_alice, investor_alice_2
):
    funded.freezePartialTokens(investor_alice, 20 * ONE, REASON, sender=transfer_agent)
    funded.setAddressFrozen(investor_alice, True, REASON, sender=transfer_agent)
    registry.removeWallet(investor_alice, sender=registrar)
    receipt = funded.recoveryAddress(
        investor_alice, investor_alice_2, investors["alice"], "lost keys, id check 55", sender=transfer_agent
    )
    assert receipt.events == [
        funded.Transfer(investor_alice, investor_alice_2, 100 * ONE),
        funded.RecoverySuccess(
            investor_alice, investor_alice_2, investors["alice"], "lost keys, id check 55"
        ),
    ]
    assert funded.balanceOf(investor_alice) == 0
    assert funded.balanceOf(investor_alice_2) == 100 * ONE
    assert funded.getFrozenTokens(investor_alice_2) == 20 * ONE
    assert funded.getFrozenTokens(investor_alice) == 0
    assert funded.isFrozen(investor_alice_2)
    assert not funded.isFrozen(investor_alice)
    assert funded.recoveredTo(investor_alice) == investor_alice_2
    assert funded.holderCount() == 2


def test_the_lock_up_of_a_recovered_investor_still_applies(
    funded, chain, transfer_agent, investors, investor_alice, investor_alice_2, investor_bob
):
    funded.setLockup(investors["alice"], chain.pending_timestamp + 3600, REASON, sender=transfer_agent)
    funded.recoveryAddress(
        investor_alice, investor_alice_2, investors["alice"], REASON, sender=transfer_agent
    )
    assert funded.detectTransferRestriction(investor_alice_2, investor_bob, ONE) == Restriction.LOCKED_UP


def test_recovery_to_another_investors_wallet_is_refused(
    funded, transfer_agent, investors, investor_alice, investor_bob
):
    with reverts(
        funded.ShareInvalidRecovery,
        lostWallet=investor_alice,
        newWallet=investor_bob,
        investorId=investors["alice"],
    ):
        funded.recoveryAddress(
            investor_alice, investor_bob, investors["alice"], REASON, sender=transfer_agent
        )


def test_recovery_naming_the_wrong_investor_is_refused(
    funded, transfer_agent, investors, investor_alice, investor_alice_2
):
    with reverts(
        funded.ShareInvalidRecovery,
        lostWallet=investor_alice,
        newWallet=investor_alice_2,
        investorId=investors["bob"],
    ):
        funded.recoveryAddress(
            investor_alice, investor_alice_2, investors["bob"], REASON, sender=transfer_agent
        )


def test_freezing_a_wallet_emits_the_agent_and_the_reason(funded, transfer_agent, investor_bob):
    receipt = funded.setAddressFrozen(investor_bob, True, REASON, sender=transfer_agent)
    assert receipt.events == [funded.AddressFrozen(investor_bob, True, transfer_agent, REASON)]
    assert funded.isFrozen(investor_bob)


def test_freezing_a_frozen_wallet_again_is_refused(funded, transfer_agent, investor_bob):
    funded.setAddressFrozen(investor_bob, True, REASON, sender=transfer_agent)
    with reverts(funded.ShareWalletFrozenStateUnchanged, wallet=investor_bob, frozen=True):
        funded.setAddressFrozen(investor_bob, True, REASON, sender=transfer_agent)


def test_partial_freeze_and_unfreeze_emit_their_amounts(funded, transfer_agent, investor_bob):
    frozen = funded.freezePartialTokens(investor_bob, 30 * ONE, REASON, sender=transfer_agent)
    released = funded.unfreezePartialTokens(investor_bob, 10 * ONE, REASON, sender=transfer_agent)
    assert frozen.events == [funded.TokensFrozen(investor_bob, 30 * ONE, REASON)]
    assert released.events == [funded.TokensUnfrozen(investor_bob, 10 * ONE, REASON)]
    assert funded.getFrozenTokens(investor_bob) == 20 * ONE


def test_freezing_more_than_the_balance_is_refused(funded, transfer_agent, investor_bob):
    with reverts(funded.ShareInsufficientBalance, wallet=investor_bob, balance=50 * ONE, needed=51 * ONE):
        funded.freezePartialTokens(investor_bob, 51 * ONE, REASON, sender=transfer_agent)


def test_unfreezing_more_than_is_frozen_is_refused(funded, transfer_agent, investor_bob):
    funded.freezePartialTokens(investor_bob, 5 * ONE, REASON, sender=transfer_agent)
    with reverts(funded.ShareInsufficientFrozenTokens, wallet=investor_bob, frozen=5 * ONE, needed=6 * ONE):
        funded.unfreezePartialTokens(investor_bob, 6 * ONE, REASON, sender=transfer_agent)


def test_setting_a_lock_up_emits_it(funded, chain, transfer_agent, investors):
    until = chain.pending_timestamp + 3600
    receipt = funded.setLockup(investors["bob"], until, REASON, sender=transfer_agent)
    assert receipt.events == [funded.LockupSet(investors["bob"], until, REASON)]
    assert funded.lockupOf(investors["bob"]) == until


def test_a_lock_up_for_an_unknown_investor_is_refused(funded, transfer_agent):
    with reverts(funded.ShareUnknownInvestor, investorId=b"nobody".ljust(32, b"\x00")):
        funded.setLockup(b"nobody".ljust(32, b"\x00"), 1, REASON, sender=transfer_agent)


def test_pause_emits_the_guardian_and_the_reason(funded, guardian):
    receipt = funded.pause("incident 9", sender=guardian)
    assert receipt.events == [funded.Paused(guardian, "incident 9")]
    assert funded.paused()


def test_the_registry_is_exposed_under_the_erc3643_name(funded, registry, investor_alice, outsider):
    assert funded.identityRegistry() == registry.address
    assert funded.isVerified(investor_alice)
    assert not funded.isVerified(outsider)


# -------------------------------------------------------------------------------------------------
# Every privileged function refuses an outsider
# -------------------------------------------------------------------------------------------------

PRIVILEGED = {
    "issue": lambda s, a: s.issue(a["alice"], ONE, "x", sender=a["outsider"]),
    "redeem": lambda s, a: s.redeem(a["alice"], ONE, "x", sender=a["outsider"]),
    "forcedTransfer": lambda s, a: s.forcedTransfer(a["alice"], a["bob"], ONE, "x", sender=a["outsider"]),
    "recoveryAddress": lambda s, a: s.recoveryAddress(
        a["alice"], a["alice_2"], b"\x01" * 32, "x", sender=a["outsider"]
    ),
    "setAddressFrozen": lambda s, a: s.setAddressFrozen(a["alice"], True, "x", sender=a["outsider"]),
    "freezePartialTokens": lambda s, a: s.freezePartialTokens(a["alice"], ONE, "x", sender=a["outsider"]),
    "unfreezePartialTokens": lambda s, a: s.unfreezePartialTokens(a["alice"], ONE, "x", sender=a["outsider"]),
    "setLockup": lambda s, a: s.setLockup(b"\x01" * 32, 1, "x", sender=a["outsider"]),
    "split": lambda s, a: s.split(2, 1, "x", sender=a["outsider"]),
    "pause": lambda s, a: s.pause("x", sender=a["outsider"]),
    "unpause": lambda s, a: s.unpause("x", sender=a["outsider"]),
    "setCountryRestriction": lambda s, a: s.setCountryRestriction(True, sender=a["outsider"]),
    "setCountryAllowed": lambda s, a: s.setCountryAllowed(840, True, sender=a["outsider"]),
    "setMaxHolders": lambda s, a: s.setMaxHolders(1, sender=a["outsider"]),
    "setCountryMaxHolders": lambda s, a: s.setCountryMaxHolders(840, 1, sender=a["outsider"]),
    "setHoldingLimits": lambda s, a: s.setHoldingLimits(1, 2, sender=a["outsider"]),
    "snapshot": lambda s, a: s.snapshot(sender=a["outsider"]),
    "setGateway": lambda s, a: s.setGateway(a["outsider"], sender=a["outsider"]),
    "setTerms": lambda s, a: s.setTerms("x", b"\x01" * 32, sender=a["outsider"]),
}


@pytest.mark.parametrize("function", PRIVILEGED)
def test_a_privileged_function_refuses_an_outsider(
    function, funded, outsider, investor_alice, investor_alice_2, investor_bob
):
    wallets = {
        "alice": investor_alice,
        "alice_2": investor_alice_2,
        "bob": investor_bob,
        "outsider": outsider,
    }
    with reverts(funded.AccessControlUnauthorizedAccount, account=outsider):
        PRIVILEGED[function](funded, wallets)


@pytest.mark.parametrize("function", ["crosschainMint", "crosschainBurn", "syncCorporateAction"])
def test_a_gateway_function_refuses_anyone_but_the_gateway(
    function, funded, issuer, outsider, investor_alice
):
    funded.setGateway(issuer, sender=issuer)
    call = {
        "crosschainMint": lambda: funded.crosschainMint(investor_alice, ONE, sender=outsider),
        "crosschainBurn": lambda: funded.crosschainBurn(investor_alice, ONE, sender=outsider),
        "syncCorporateAction": lambda: funded.syncCorporateAction(1, 2 * ONE, sender=outsider),
    }[function]
    with reverts(funded.AssetUnauthorizedGateway, caller=outsider):
        call()


def test_recovery_back_to_a_lost_wallet_is_refused(
    funded, transfer_agent, investors, investor_alice, investor_alice_2
):
    funded.recoveryAddress(
        investor_alice, investor_alice_2, investors["alice"], REASON, sender=transfer_agent
    )
    with reverts(
        funded.ShareInvalidRecovery,
        lostWallet=investor_alice_2,
        newWallet=investor_alice,
        investorId=investors["alice"],
    ):
        funded.recoveryAddress(
            investor_alice_2, investor_alice, investors["alice"], REASON, sender=transfer_agent
        )


def test_the_share_advertises_its_interfaces(funded):
    erc1404 = bytes.fromhex("ab84a5c8")  # detectTransferRestriction ^ messageForTransferRestriction
    assert funded.supportsInterface(erc1404)
    assert not funded.supportsInterface(b"\xff\xff\xff\xff")
