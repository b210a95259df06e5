"""Redemption: the holder burns and asks; the custodian settles once."""

import ape
from certificate_constants import ASSET_ID, ZERO

from tokenized_stocks.certificate import ONE


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
    assert (request.holder, request.status, request.shares, request.units) == (
        investor_alice,
        1,
        30 * ONE,
        30 * ONE,
    )


def test_request_ids_increase(funded, investor_alice, investor_bob):
    funded.requestRedemption(ONE, sender=investor_alice)
    funded.requestRedemption(ONE, sender=investor_bob)

    assert funded.redemptionCount() == 2
    assert funded.redemption(2).holder == investor_bob


def test_a_request_above_the_balance_burns_nothing(funded, investor_bob):
    with ape.reverts(funded.ERC20InsufficientBalance):
        funded.requestRedemption(51 * ONE, sender=investor_bob)

    assert funded.balanceOf(investor_bob) == 50 * ONE
    assert funded.redemptionCount() == 0


def test_a_zero_request_is_refused(funded, investor_bob):
    with ape.reverts(funded.CertificateZeroAmount):
        funded.requestRedemption(0, sender=investor_bob)


def test_the_custodian_settles_a_request(funded, custodian, investor_alice):
    funded.requestRedemption(ONE, sender=investor_alice)

    receipt = funded.settleRedemption(1, b"\x42" * 32, sender=custodian)

    assert receipt.events == [funded.RedemptionSettled(requestId=1, settlementRef=b"\x42" * 32)]
    assert funded.redemption(1).status == 2


def test_a_request_settles_only_once(funded, custodian, investor_alice):
    funded.requestRedemption(ONE, sender=investor_alice)
    funded.settleRedemption(1, b"\x42" * 32, sender=custodian)

    with ape.reverts(funded.CertificateRedemptionAlreadySettled, requestId=1):
        funded.settleRedemption(1, b"\x43" * 32, sender=custodian)


def test_an_unknown_request_cannot_be_settled(funded, custodian):
    with ape.reverts(funded.CertificateUnknownRedemption, requestId=9):
        funded.settleRedemption(9, b"\x42" * 32, sender=custodian)


def test_redemption_is_refused_off_the_home_chain(remote_cert, gateway, investor_alice, issuer):
    gateway.mintOn(remote_cert, investor_alice, ONE, sender=issuer)

    with ape.reverts(remote_cert.CertificateNotHomeChain):
        remote_cert.requestRedemption(ONE, sender=investor_alice)
