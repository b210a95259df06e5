"""ERC-7887 cancelation on the order vault: the controller asks, the executor accepts (after any fill
the broker had already made), the controller claims the cash or shares back."""

import pytest
from order_desk_helpers import REFERENCE_PRICE, SHARE, USD
from revert_data import reverts

pytestmark = pytest.mark.usefixtures("funded")

PRICE = REFERENCE_PRICE


@pytest.fixture
def alice_pending(vault, investor_alice) -> int:
    vault.requestDeposit(1_000 * USD, investor_alice, investor_alice, sender=investor_alice)
    return 1_000 * USD


def test_a_deposit_cancelation_is_pending_until_accepted(vault, investor_alice, alice_pending):
    receipt = vault.cancelDepositRequest(0, investor_alice, sender=investor_alice)

    assert receipt.events == [vault.CancelDepositRequest(investor_alice, 0, investor_alice)]
    assert vault.pendingCancelDepositRequest(0, investor_alice)
    assert vault.claimableCancelDepositRequest(0, investor_alice) == 0
    assert vault.pendingDepositRequest(0, investor_alice) == alice_pending


def test_a_pending_cancelation_blocks_new_deposit_requests(vault, investor_alice, alice_pending):
    vault.cancelDepositRequest(0, investor_alice, sender=investor_alice)

    with reverts(vault.VaultCancelPending, controller=investor_alice.address):
        vault.requestDeposit(USD, investor_alice, investor_alice, sender=investor_alice)
    with reverts(vault.VaultCancelPending, controller=investor_alice.address):
        vault.cancelDepositRequest(0, investor_alice, sender=investor_alice)


def test_accepting_makes_the_rest_claimable_and_a_claim_pays_it(
    vault, cash, investor_alice, investor_alice_2, executor, alice_pending
):
    vault.cancelDepositRequest(0, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 380 * USD, PRICE, 1, sender=executor)  # the broker filled part first

    accepted = vault.fulfilCancelDeposit(investor_alice, sender=executor)

    assert accepted.events == [vault.CancelDepositFulfilled(investor_alice, 620 * USD)]
    assert not vault.pendingCancelDepositRequest(0, investor_alice)
    assert vault.claimableCancelDepositRequest(0, investor_alice) == 620 * USD
    assert vault.pendingDepositRequest(0, investor_alice) == 0
    assert vault.claimableDepositRequest(0, investor_alice) == 380 * USD

    before = cash.balanceOf(investor_alice_2)
    claim = vault.claimCancelDepositRequest(0, investor_alice_2, investor_alice, sender=investor_alice)

    assert claim.events == [
        cash.Transfer(vault, investor_alice_2, 620 * USD),
        vault.CancelDepositClaim(investor_alice, investor_alice_2, 0, investor_alice, 620 * USD),
    ]
    assert cash.balanceOf(investor_alice_2) == before + 620 * USD
    assert vault.claimableCancelDepositRequest(0, investor_alice) == 0


def test_new_requests_are_allowed_once_the_cancelation_is_accepted(
    vault, investor_alice, executor, alice_pending
):
    vault.cancelDepositRequest(0, investor_alice, sender=investor_alice)
    vault.fulfilCancelDeposit(investor_alice, sender=executor)

    vault.requestDeposit(USD, investor_alice, investor_alice, sender=investor_alice)

    assert vault.pendingDepositRequest(0, investor_alice) == USD


def test_a_cancelled_deposit_cannot_be_filled(vault, investor_alice, executor, alice_pending):
    vault.cancelDepositRequest(0, investor_alice, sender=investor_alice)
    vault.fulfilCancelDeposit(investor_alice, sender=executor)

    with reverts(vault.VaultExceedsPending, controller=investor_alice.address, requested=USD, pending=0):
        vault.fulfilDeposit(investor_alice, USD, PRICE, 1, sender=executor)


def test_cancel_edge_cases_are_refused(vault, investor_alice, executor, alice_pending, investor_bob):
    with reverts(vault.VaultNoCancelPending, controller=investor_alice.address):
        vault.fulfilCancelDeposit(investor_alice, sender=executor)
    with reverts(vault.VaultNothingPending, controller=investor_bob.address):
        vault.cancelDepositRequest(0, investor_bob, sender=investor_bob)
    with reverts(vault.VaultNothingPending, controller=investor_alice.address):
        vault.claimCancelDepositRequest(0, investor_alice, investor_alice, sender=investor_alice)
    with reverts(vault.VaultUnknownRequest, requestId=1):
        vault.cancelDepositRequest(1, investor_alice, sender=investor_alice)
    with reverts(
        vault.VaultUnauthorizedOperator, account=investor_alice.address, caller=investor_bob.address
    ):
        vault.cancelDepositRequest(0, investor_alice, sender=investor_bob)


def test_a_redeem_cancelation_returns_the_shares(vault, token, investor_alice, executor):
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 1_900 * USD, PRICE, 1, sender=executor)
    vault.deposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    token.approve(vault, 10 * SHARE, sender=investor_alice)
    vault.requestRedeem(10 * SHARE, investor_alice, investor_alice, sender=investor_alice)

    asked = vault.cancelRedeemRequest(0, investor_alice, sender=investor_alice)
    with reverts(vault.VaultCancelPending, controller=investor_alice.address):
        vault.requestRedeem(SHARE, investor_alice, investor_alice, sender=investor_alice)
    accepted = vault.fulfilCancelRedeem(investor_alice, sender=executor)
    claimed = vault.claimCancelRedeemRequest(0, investor_alice, investor_alice, sender=investor_alice)

    assert asked.events == [vault.CancelRedeemRequest(investor_alice, 0, investor_alice)]
    assert accepted.events == [vault.CancelRedeemFulfilled(investor_alice, 10 * SHARE)]
    assert claimed.events == [
        token.Transfer(vault, investor_alice, 10 * SHARE),
        vault.CancelRedeemClaim(investor_alice, investor_alice, 0, investor_alice, 10 * SHARE),
    ]
    assert token.balanceOf(investor_alice) == 10 * SHARE
    assert vault.pendingRedeemRequest(0, investor_alice) == 0
    assert vault.claimableCancelRedeemRequest(0, investor_alice) == 0
    assert not vault.pendingCancelRedeemRequest(0, investor_alice)


def test_redeem_cancel_edge_cases_are_refused(vault, investor_alice, investor_bob, executor):
    with reverts(vault.VaultNoCancelPending, controller=investor_alice.address):
        vault.fulfilCancelRedeem(investor_alice, sender=executor)
    with reverts(vault.VaultNothingPending, controller=investor_alice.address):
        vault.cancelRedeemRequest(0, investor_alice, sender=investor_alice)
    with reverts(vault.VaultNothingPending, controller=investor_alice.address):
        vault.claimCancelRedeemRequest(0, investor_alice, investor_alice, sender=investor_alice)
    with reverts(vault.VaultUnknownRequest, requestId=1):
        vault.claimCancelRedeemRequest(1, investor_alice, investor_alice, sender=investor_alice)
    with reverts(
        vault.VaultUnauthorizedOperator, account=investor_alice.address, caller=investor_bob.address
    ):
        vault.cancelRedeemRequest(0, investor_alice, sender=investor_bob)


def test_a_cancelled_redemption_cannot_be_filled(vault, token, investor_alice, executor):
    vault.requestDeposit(190 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 190 * USD, PRICE, 1, sender=executor)
    vault.deposit(190 * USD, investor_alice, investor_alice, sender=investor_alice)
    token.approve(vault, SHARE, sender=investor_alice)
    vault.requestRedeem(SHARE, investor_alice, investor_alice, sender=investor_alice)
    vault.cancelRedeemRequest(0, investor_alice, sender=investor_alice)
    vault.fulfilCancelRedeem(investor_alice, sender=executor)

    with reverts(vault.VaultExceedsPending, controller=investor_alice.address, requested=SHARE, pending=0):
        vault.fulfilRedeem(investor_alice, SHARE, PRICE, 2, sender=executor)
