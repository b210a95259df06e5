"""The gateway's packed per-asset words and its hand-written hot path.

Each asset has an outbound lane (send bucket + minimum send) and an inbound lane (receive bucket +
`supplyElsewhere`): setting one field never disturbs the other; a bucket's units, a limited capacity,
the minimum and the supply elsewhere are bounded by 2**104 - 1. The message id is hashed from the
calldata as it is, so a narrow field with dirty high bits is refused rather than given a second id;
a signature is recovered once, with `s` in the lower half and `v` 27 or 28 only.
"""

import pytest
from revert_data import reverts
from web3.exceptions import ContractLogicError

from tokenized_stocks.protocol.message import MessageState, attestation_digest, sign_digest

from .conftest import CHAIN_B, HOUR, REMOTE_GATEWAY

LANE_MAX = 2**104 - 1
OPEN = 2**256 - 1


def _send(gateway, asset_id, who, to, units, chain):
    return gateway.send(asset_id, CHAIN_B, to, units, chain.pending_timestamp + HOUR, sender=who)


def test_a_capacity_above_the_lane_is_refused(gateway, issuer, asset_id):
    with reverts(gateway.SafeCastOverflowedUintDowncast, bits=104, value=LANE_MAX + 1):
        gateway.setRateLimit(asset_id, True, LANE_MAX + 1, 1, sender=issuer)


def test_the_largest_capacity_is_kept_whole(gateway, issuer, asset_id, chain):
    receipt = gateway.setRateLimit(asset_id, False, LANE_MAX, 7, sender=issuer)
    timestamp = chain.blocks[receipt.block_number].timestamp
    assert gateway.rateLimit(asset_id, False) == (LANE_MAX, 7, LANE_MAX, timestamp)
    assert gateway.rateLimitAvailable(asset_id, False) == LANE_MAX


@pytest.mark.parametrize("capacity", [0, 2**128 - 1])
def test_capacity_zero_or_the_uint128_maximum_opens_the_bucket(gateway, funded, issuer, asset_id, capacity):
    gateway.setRateLimit(asset_id, True, 10, 1, sender=issuer)
    gateway.setRateLimit(asset_id, True, capacity, 5, sender=issuer)
    assert gateway.rateLimit(asset_id, True) == (0, 5, 0, 0)
    assert gateway.rateLimitAvailable(asset_id, True) == OPEN


def test_a_minimum_send_above_the_lane_is_refused(gateway, issuer, asset_id):
    with reverts(gateway.SafeCastOverflowedUintDowncast, bits=104, value=LANE_MAX + 1):
        gateway.setMinimumSend(asset_id, LANE_MAX + 1, sender=issuer)
    gateway.setMinimumSend(asset_id, LANE_MAX, sender=issuer)
    assert gateway.minimumSend(asset_id) == LANE_MAX


def test_the_minimum_send_and_the_send_bucket_share_a_word_without_clobbering(
    gateway, funded, issuer, asset_id, investor_alice, investor_bob, chain
):
    gateway.setMinimumSend(asset_id, 3, sender=issuer)
    gateway.setRateLimit(asset_id, False, 100, 0, sender=issuer)
    _send(gateway, asset_id, investor_alice, investor_bob, 40, chain)
    gateway.setMinimumSend(asset_id, 4, sender=issuer)
    assert gateway.rateLimitAvailable(asset_id, False) == 60
    assert gateway.minimumSend(asset_id) == 4
    with reverts(gateway.GatewayBelowMinimumSend, assetId=asset_id, units=3, minimum=4):
        _send(gateway, asset_id, investor_alice, investor_bob, 3, chain)
    gateway.setRateLimit(asset_id, False, 0, 0, sender=issuer)
    assert gateway.minimumSend(asset_id) == 4


def test_the_supply_elsewhere_and_the_receive_bucket_share_a_word_without_clobbering(
    gateway, funded, issuer, asset_id, investor_alice, investor_bob, inbound, sign, relayer, chain
):
    _send(gateway, asset_id, investor_alice, investor_bob, 500, chain)
    gateway.setRateLimit(asset_id, True, 100, 0, sender=issuer)
    assert gateway.supplyElsewhere(asset_id) == 500
    message = inbound(0, 30)
    gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    assert gateway.supplyElsewhere(asset_id) == 470
    assert gateway.rateLimitAvailable(asset_id, True) == 70
    _send(gateway, asset_id, investor_alice, investor_bob, 5, chain)
    assert gateway.rateLimitAvailable(asset_id, True) == 70
    assert gateway.supplyElsewhere(asset_id) == 475
    gateway.setRateLimit(asset_id, True, 0, 0, sender=issuer)
    assert gateway.supplyElsewhere(asset_id) == 475


def test_a_bucket_opened_again_passes_any_delivery(
    gateway, funded, issuer, asset_id, investor_alice, investor_bob, inbound, sign, relayer, chain
):
    _send(gateway, asset_id, investor_alice, investor_bob, 500, chain)
    gateway.setRateLimit(asset_id, True, 10, 0, sender=issuer)
    gateway.setRateLimit(asset_id, True, 0, 0, sender=issuer)
    message = inbound(0, 400)
    gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    assert gateway.supplyElsewhere(asset_id) == 100
    assert gateway.rateLimit(asset_id, True) == (0, 0, 0, 0)


def test_a_send_that_would_take_the_supply_elsewhere_past_the_lane_is_refused(
    gateway, token, issuer, asset_id, investor_alice, investor_bob, chain
):
    token.mint(investor_alice, LANE_MAX + 1, sender=issuer)
    _send(gateway, asset_id, investor_alice, investor_bob, LANE_MAX, chain)
    with reverts(gateway.SafeCastOverflowedUintDowncast, bits=104, value=LANE_MAX + 1):
        _send(gateway, asset_id, investor_alice, investor_bob, 1, chain)
    assert gateway.supplyElsewhere(asset_id) == LANE_MAX


@pytest.mark.parametrize(
    ("word", "dirty"), [(0, 2**8), (1, 2**8), (2, 2**64), (5, 2**160), (8, 2**160), (12, 2**64)]
)
def test_a_narrow_field_with_dirty_high_bits_is_refused(
    gateway, inbound, sign, relayer, seed_supply_elsewhere, word, dirty
):
    """Words: 0 version, 1 kind, 2 srcChainId, 5 dstGateway, 8 sender, 12 expiry. The same message
    with clean words is delivered; with dirty high bits it reverts with no data (as `abi.encode`
    of a dirty calldata field would), before any check could give it a second id."""
    seed_supply_elsewhere()
    message = inbound()
    clean = bytes(gateway.receiveMessage.encode_input(message.as_tuple(), sign(message)))
    data = bytearray(clean)
    start = 4 + 32 * word
    value = int.from_bytes(data[start : start + 32], "big") | dirty
    data[start : start + 32] = value.to_bytes(32, "big")
    web3 = gateway.chain_manager.provider.web3
    web3.eth.call({"from": relayer.address, "to": gateway.address, "data": clean})
    with pytest.raises(ContractLogicError) as refused:
        web3.eth.call({"from": relayer.address, "to": gateway.address, "data": bytes(data)})
    assert refused.value.data in (None, "", "0x", b"")
    gateway.receiveMessage(message.as_tuple(), sign(message), sender=relayer)
    assert gateway.inboundState(CHAIN_B, 0) == MessageState.DELIVERED


@pytest.mark.parametrize("v", [0, 1, 29])
def test_a_signature_whose_v_is_not_27_or_28_is_refused(gateway, inbound, signers, relayer, v):
    message = inbound()
    digest = attestation_digest(message, REMOTE_GATEWAY, gateway.address)
    ordered = sorted(signers[:2], key=lambda a: int(a.address, 16))
    good = [sign_digest(a, digest) for a in ordered]
    with reverts(gateway.GatewayInvalidSignature, index=0):
        gateway.receiveMessage(message.as_tuple(), [good[0][:64] + bytes([v]), good[1]], sender=relayer)
