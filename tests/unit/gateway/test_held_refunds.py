"""A Return always has a way out (issue 20.1).

A refund restores a position the holder had: only rules about the holder (sanctions, freeze,
eligibility: `crosschainRefundRestriction`) may refuse it, never a global rule a third party can
change (holder count, minimum holding). A refused holder's refund is held, not reverted: anyone
releases it to the holder once the asset accepts them, and the refund agent may redirect it.
"""

import pytest
from revert_data import reverts

from tokenized_stocks.protocol.message import MessageKind, MessageState

from .conftest import CHAIN_B

SANCTIONED = 9
MAX_HOLDERS = 5  # a global rule: refuses new transfers but never a refund


@pytest.fixture
def refund_of(inbound):
    def make(units: int = 500, nonce: int = 0, **changes):
        return inbound(nonce=nonce, units=units, **changes).with_(
            kind=MessageKind.RETURN, ref=b"\x01" * 32, expiry=2**64 - 1
        )

    return make


@pytest.fixture
def refund_role(gateway):
    return gateway.REFUND_ROLE()


@pytest.fixture
def refund_agent(gateway, issuer, refund_role, accounts):
    agent = accounts[16]
    gateway.grantRole(refund_role, agent, sender=issuer)
    return agent


@pytest.fixture
def held(gateway, token, refund_of, sign, issuer, relayer, investor_alice, seed_supply_elsewhere):
    """Alice bridged 500 units away; their Return arrives while she is sanctioned: it is held."""
    seed_supply_elsewhere(500)
    token.setRestriction(investor_alice, SANCTIONED, sender=issuer)
    refund = refund_of(500)
    gateway.receiveMessage(refund.as_tuple(), sign(refund), sender=relayer)
    return refund


def test_a_global_rule_does_not_block_a_refund(
    gateway, token, refund_of, sign, issuer, relayer, investor_alice, seed_supply_elsewhere, asset_id
):
    # Alice bridged her whole position away; someone filled the freed holder slot.
    seed_supply_elsewhere(500)
    token.setTransferOnlyRestriction(investor_alice, MAX_HOLDERS, sender=issuer)
    refund = refund_of(500)
    receipt = gateway.receiveMessage(refund.as_tuple(), sign(refund), sender=relayer)
    assert [log.event_arguments for log in receipt.decode_logs(gateway.MessageDelivered)] == [
        {"messageId": refund.id, "srcChainId": CHAIN_B, "nonce": 0}
    ]
    assert token.unitsOf(investor_alice) == 1_000
    assert gateway.supplyElsewhere(asset_id) == 0


def test_a_refused_holders_refund_is_held_not_reverted(gateway, token, held, investor_alice, asset_id):
    assert gateway.inboundState(CHAIN_B, 0) == MessageState.REJECTED
    assert gateway.rejectionCode(held.id) == SANCTIONED
    assert gateway.heldRefund(held.id) == (asset_id, investor_alice.address, 500)
    assert gateway.heldRefundUnits(asset_id) == 500
    assert gateway.supplyElsewhere(asset_id) == 500  # still owed: counted until it is paid
    assert token.unitsOf(investor_alice) == 500


def test_a_held_refund_is_not_delivered_twice(gateway, held, sign, relayer):
    with reverts(gateway.GatewayMessageAlreadyProcessed, messageId=held.id, state=MessageState.REJECTED):
        gateway.receiveMessage(held.as_tuple(), sign(held), sender=relayer)


def test_a_held_refund_cannot_be_released_while_the_holder_is_refused(
    gateway, held, outsider, investor_alice
):
    with reverts(
        gateway.GatewayRefundRestricted, messageId=held.id, recipient=investor_alice.address, code=SANCTIONED
    ):
        gateway.releaseHeldRefund(held.id, sender=outsider)


def test_anyone_releases_a_held_refund_to_the_holder_once_accepted(
    gateway, token, held, issuer, outsider, investor_alice, asset_id
):
    token.setRestriction(investor_alice, 0, sender=issuer)
    receipt = gateway.releaseHeldRefund(held.id, sender=outsider)
    assert receipt.decode_logs(gateway.HeldRefundReleased)[0].event_arguments == {
        "returnId": held.id,
        "to": investor_alice.address,
        "units": 500,
        "caller": outsider.address,
    }
    assert token.unitsOf(investor_alice) == 1_000
    assert gateway.supplyElsewhere(asset_id) == 0
    assert gateway.heldRefundUnits(asset_id) == 0
    assert gateway.heldRefund(held.id) == (b"\x00" * 32, "0x" + "00" * 20, 0)


def test_a_held_refund_is_paid_once(gateway, token, held, issuer, outsider, investor_alice):
    token.setRestriction(investor_alice, 0, sender=issuer)
    gateway.releaseHeldRefund(held.id, sender=outsider)
    with reverts(gateway.GatewayNoHeldRefund, returnId=held.id):
        gateway.releaseHeldRefund(held.id, sender=outsider)


def test_the_refund_agent_redirects_a_held_refund_to_a_recovered_wallet(
    gateway, token, held, refund_agent, investor_alice_2, asset_id
):
    receipt = gateway.redirectHeldRefund(held.id, investor_alice_2, sender=refund_agent)
    assert receipt.decode_logs(gateway.HeldRefundReleased)[0].event_arguments == {
        "returnId": held.id,
        "to": investor_alice_2.address,
        "units": 500,
        "caller": refund_agent.address,
    }
    assert token.unitsOf(investor_alice_2) == 500
    assert gateway.supplyElsewhere(asset_id) == 0


def test_an_outsider_cannot_redirect_a_held_refund(gateway, held, outsider, refund_role):
    with reverts(gateway.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=refund_role):
        gateway.redirectHeldRefund(held.id, outsider, sender=outsider)


def test_a_held_refund_is_not_redirected_to_a_refused_address(
    gateway, token, held, issuer, refund_agent, investor_bob
):
    token.setRestriction(investor_bob, 3, sender=issuer)
    with reverts(gateway.GatewayRefundRestricted, messageId=held.id, recipient=investor_bob.address, code=3):
        gateway.redirectHeldRefund(held.id, investor_bob, sender=refund_agent)


def test_a_held_refund_is_not_redirected_to_the_gateway(gateway, held, refund_agent):
    with reverts(gateway.GatewayInvalidRecipient, recipient=gateway.address):
        gateway.redirectHeldRefund(held.id, gateway, sender=refund_agent)


def test_held_refunds_cannot_exceed_what_left_the_home_chain(
    gateway, token, refund_of, sign, issuer, relayer, investor_alice, seed_supply_elsewhere, asset_id
):
    # A forged Return (compromised quorum) is bounded even when it would only be held.
    seed_supply_elsewhere(500)
    token.setRestriction(investor_alice, SANCTIONED, sender=issuer)
    refund = refund_of(501)
    with reverts(gateway.GatewaySupplyUnderflow, assetId=asset_id, units=501, supplyElsewhere=500):
        gateway.receiveMessage(refund.as_tuple(), sign(refund), sender=relayer)


def test_a_refund_addressed_to_the_gateway_is_held_and_only_redirected(
    gateway, token, refund_of, sign, relayer, outsider, refund_agent, investor_alice_2, seed_supply_elsewhere
):
    seed_supply_elsewhere(500)
    refund = refund_of(100, recipient=gateway.address)
    receipt = gateway.receiveMessage(refund.as_tuple(), sign(refund), sender=relayer)
    assert receipt.decode_logs(gateway.RefundHeld)[0].event_arguments["code"] == 255
    with reverts(gateway.GatewayInvalidRecipient, recipient=gateway.address):
        gateway.releaseHeldRefund(refund.id, sender=outsider)
    gateway.redirectHeldRefund(refund.id, investor_alice_2, sender=refund_agent)
    assert token.unitsOf(investor_alice_2) == 100
    assert token.unitsOf(gateway) == 0
