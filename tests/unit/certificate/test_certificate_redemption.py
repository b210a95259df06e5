"""Redemption: the holder burns and asks; the custodian settles once."""

from ape import chain
from certificate_constants import ASSET_ID, ZERO
from revert_data import reverts

from tokenized_stocks.protocol.multiplier import ONE


def test_a_request_burns_the_tokens_and_tells_the_custodian_what_to_deliver(funded, investor_alice):
    receipt = funded.requestRedemption(30 * ONE, sender=investor_alice)

    assert receipt.events == [
        funded.Transfer(investor_alice, ZERO, 30 * ONE),
        funded.RedemptionRequested(
            requestId=1, holder=investor_alice, assetId=ASSET_ID, shares=30 * ONE, units=30 * ONE
        ),
    ]
    assert funded.balanceOf(investor_alice) == 70 * ONE
    assert funded.totalSupply() == 120 * ONE
    request = funded.redemption(1)
    assert (request.holder, request.status, request.shares, request.units, request.multiplier) == (
        investor_alice,
        1,
        30 * ONE,
        30 * ONE,
        ONE,
    )


def test_request_ids_increase(funded, investor_alice, investor_bob):
    funded.requestRedemption(ONE, sender=investor_alice)
    funded.requestRedemption(ONE, sender=investor_bob)

    assert funded.redemptionCount() == 2
    assert funded.redemption(2).holder == investor_bob


def test_a_request_above_the_balance_burns_nothing(funded, investor_bob):
    with reverts(funded.ERC20InsufficientBalance):
        funded.requestRedemption(51 * ONE, sender=investor_bob)

    assert funded.balanceOf(investor_bob) == 50 * ONE
    assert funded.redemptionCount() == 0


def test_a_zero_request_is_refused(funded, investor_bob):
    with reverts(funded.CertificateZeroAmount):
        funded.requestRedemption(0, sender=investor_bob)


def test_the_custodian_settles_a_request(funded, custodian, investor_alice):
    funded.requestRedemption(ONE, sender=investor_alice)

    receipt = funded.settleRedemption(1, b"\x42" * 32, sender=custodian)

    assert receipt.events == [funded.RedemptionSettled(requestId=1, settlementRef=b"\x42" * 32, shares=ONE)]
    assert funded.redemption(1).status == 2


def test_a_request_settles_only_once(funded, custodian, investor_alice):
    funded.requestRedemption(ONE, sender=investor_alice)
    funded.settleRedemption(1, b"\x42" * 32, sender=custodian)

    with reverts(funded.CertificateRedemptionAlreadySettled, requestId=1):
        funded.settleRedemption(1, b"\x43" * 32, sender=custodian)


def test_an_unknown_request_cannot_be_settled(funded, custodian):
    with reverts(funded.CertificateUnknownRedemption, requestId=9):
        funded.settleRedemption(9, b"\x42" * 32, sender=custodian)


def test_redemption_is_refused_off_the_home_chain(remote_cert, gateway, investor_alice, issuer):
    gateway.mintOn(remote_cert, investor_alice, ONE, sender=issuer)

    with reverts(remote_cert.CertificateNotHomeChain, chainId=chain.chain_id, homeChainId=1):
        remote_cert.requestRedemption(ONE, sender=investor_alice)


# Finding 20.11: a request made before a split is due at the split's scale.


def test_a_request_before_a_split_is_due_at_the_post_split_scale(funded, schedule, custodian, investor_alice):
    _, activation = schedule(2 * ONE, delay=10)
    funded.requestRedemption(30 * ONE, sender=investor_alice)
    assert funded.redemptionSharesDue(1) == 30 * ONE
    chain.mine(timestamp=activation)

    assert funded.redemptionSharesDue(1) == 60 * ONE
    receipt = funded.settleRedemption(1, b"\x42" * 32, sender=custodian)

    assert receipt.events == [
        funded.RedemptionSettled(requestId=1, settlementRef=b"\x42" * 32, shares=60 * ONE)
    ]
    assert funded.redemption(1).sharesSettled == 60 * ONE


def test_a_settled_request_keeps_the_shares_it_settled_for(funded, schedule, custodian, investor_alice):
    funded.requestRedemption(30 * ONE, sender=investor_alice)
    funded.settleRedemption(1, b"\x42" * 32, sender=custodian)
    _, activation = schedule(2 * ONE, delay=10)
    chain.mine(timestamp=activation)

    assert funded.redemptionSharesDue(1) == 30 * ONE


def test_a_request_at_a_non_integer_multiplier_is_due_exactly_what_was_burned(
    funded, schedule, custodian, investor_alice
):
    _, activation = schedule(ONE * 3 // 2, delay=10)
    chain.mine(timestamp=activation)

    funded.requestRedemption(ONE + 1, sender=investor_alice)

    assert funded.redemptionSharesDue(1) == ONE + 1
