"""Liveness of the order vault: a cancelation the executor neither accepts nor fills before its
deadline (request time + the admin's cancel timeout) expires, and the controller claims alone."""

import pytest
from order_desk_helpers import REFERENCE_PRICE, SHARE, USD
from revert_data import reverts

from tokenized_stocks.protocol.roles import DEFAULT_ADMIN_ROLE

pytestmark = pytest.mark.usefixtures("funded")

PRICE = REFERENCE_PRICE
DAY = 24 * 3600
DEFAULT_TIMEOUT = 7 * DAY


@pytest.fixture
def alice_cancelled(vault, investor_alice, chain) -> int:
    """Alice asked for 1,000 USD of stock, then to cancel; returns the cancelation's deadline."""
    vault.requestDeposit(1_000 * USD, investor_alice, investor_alice, sender=investor_alice)
    receipt = vault.cancelDepositRequest(0, investor_alice, sender=investor_alice)
    return chain.blocks[receipt.block_number].timestamp + DEFAULT_TIMEOUT


def test_the_cancelation_records_its_deadline(vault, investor_alice, alice_cancelled):
    assert vault.cancelTimeout() == DEFAULT_TIMEOUT
    assert vault.cancelDeadlines(investor_alice) == (alice_cancelled, 0)


def test_before_the_deadline_only_the_executor_settles(vault, investor_alice, alice_cancelled, chain):
    chain.mine(timestamp=alice_cancelled - 2)

    with reverts(vault.VaultNothingPending, controller=investor_alice.address):
        vault.claimCancelDepositRequest(0, investor_alice, investor_alice, sender=investor_alice)


def test_after_the_deadline_the_controller_claims_without_the_executor(
    vault, cash, investor_alice, investor_alice_2, alice_cancelled, chain
):
    chain.mine(timestamp=alice_cancelled)
    assert not vault.pendingCancelDepositRequest(0, investor_alice)
    assert vault.claimableCancelDepositRequest(0, investor_alice) == 1_000 * USD
    before = cash.balanceOf(investor_alice_2)

    claim = vault.claimCancelDepositRequest(0, investor_alice_2, investor_alice, sender=investor_alice)

    assert claim.events == [
        vault.CancelDepositExpired(investor_alice, 1_000 * USD),
        cash.Transfer(vault, investor_alice_2, 1_000 * USD),
        vault.CancelDepositClaim(investor_alice, investor_alice_2, 0, investor_alice, 1_000 * USD),
    ]
    assert cash.balanceOf(investor_alice_2) == before + 1_000 * USD
    assert vault.cancelDeadlines(investor_alice) == (0, 0)
    with reverts(vault.VaultNothingPending, controller=investor_alice.address):
        vault.claimCancelDepositRequest(0, investor_alice, investor_alice, sender=investor_alice)


def test_after_the_deadline_the_executor_can_no_longer_fill(
    vault, investor_alice, executor, alice_cancelled, chain, price_feed, custodian
):
    chain.mine(timestamp=alice_cancelled)
    price_feed.report(REFERENCE_PRICE * 100, sender=custodian)  # a fresh reference price

    with reverts(vault.VaultCancelExpired, controller=investor_alice.address, deadline=alice_cancelled):
        vault.fulfilDeposit(investor_alice, 1_000 * USD, PRICE, 1, sender=executor)


def test_an_expired_redeem_cancelation_returns_the_shares(vault, token, investor_alice, executor, chain):
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 1_900 * USD, PRICE, 1, sender=executor)
    vault.deposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    token.approve(vault, 10 * SHARE, sender=investor_alice)
    vault.requestRedeem(10 * SHARE, investor_alice, investor_alice, sender=investor_alice)
    vault.cancelRedeemRequest(0, investor_alice, sender=investor_alice)
    chain.mine(deltatime=DEFAULT_TIMEOUT)

    claim = vault.claimCancelRedeemRequest(0, investor_alice, investor_alice, sender=investor_alice)

    assert claim.events == [
        vault.CancelRedeemExpired(investor_alice, 10 * SHARE),
        token.Transfer(vault, investor_alice, 10 * SHARE),
        vault.CancelRedeemClaim(investor_alice, investor_alice, 0, investor_alice, 10 * SHARE),
    ]
    assert token.balanceOf(investor_alice) == 10 * SHARE


def test_a_new_request_settles_an_expired_cancelation_first(vault, investor_alice, alice_cancelled, chain):
    chain.mine(timestamp=alice_cancelled)

    receipt = vault.requestDeposit(50 * USD, investor_alice, investor_alice, sender=investor_alice)

    assert receipt.events[0] == vault.CancelDepositExpired(investor_alice, 1_000 * USD)
    assert vault.pendingDepositRequest(0, investor_alice) == 50 * USD
    assert vault.claimableCancelDepositRequest(0, investor_alice) == 1_000 * USD


def test_set_cancel_timeout_emits_and_is_bounded(vault, issuer):
    receipt = vault.setCancelTimeout(3600, sender=issuer)

    assert receipt.events == [vault.CancelTimeoutSet(3600)]
    assert vault.cancelTimeout() == 3600
    with reverts(vault.VaultCancelTimeoutOutOfBounds, timeout=3599, min=3600, max=30 * DAY):
        vault.setCancelTimeout(3599, sender=issuer)
    with reverts(vault.VaultCancelTimeoutOutOfBounds, timeout=30 * DAY + 1, min=3600, max=30 * DAY):
        vault.setCancelTimeout(30 * DAY + 1, sender=issuer)


def test_set_cancel_timeout_refuses_the_executor(vault, executor):
    with reverts(
        vault.AccessControlUnauthorizedAccount, account=executor.address, neededRole=DEFAULT_ADMIN_ROLE
    ):
        vault.setCancelTimeout(DAY, sender=executor)
