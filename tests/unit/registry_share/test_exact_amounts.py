"""Findings 13.7, 13.8 and 20.1 (share side): ERC-20 exact at every multiplier, ERC-7802 exact,
ERC-1404 codes equal to what a transfer does, ERC-165 for every interface, refunds that global
rules cannot refuse."""

import ape
import pytest
from eth_utils import keccak
from revert_data import reverts
from share_helpers import assert_allowed

from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.protocol.roles import SNAPSHOT_ROLE

REASON = "board resolution 13.7"


@pytest.fixture
def gateway(funded, issuer):
    funded.setGateway(issuer, sender=issuer)
    return issuer


# -------------------------------------------------------------------------------------------------
# 13.7: a transfer of v moves exactly v at every multiplier
# -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ratio", [(3, 2), (1, 10), (2, 3), (7, 3)])
@pytest.mark.parametrize("amount", [1, 2, ONE + 1, 3 * ONE + 7])
def test_a_transfer_after_a_split_moves_exactly_the_amount(
    funded, transfer_agent, investor_alice, investor_bob, ratio, amount
):
    funded.split(*ratio, REASON, sender=transfer_agent)
    assert_allowed(funded, investor_alice, investor_bob, amount)


def test_at_3_2_a_transfer_of_2_debits_2_not_3(funded, transfer_agent, investor_alice, investor_bob):
    funded.split(3, 2, REASON, sender=transfer_agent)
    before = funded.balanceOf(investor_alice)
    funded.transfer(investor_bob, 2, sender=investor_alice)
    assert funded.balanceOf(investor_alice) == before - 2


def test_a_transfer_from_after_a_split_moves_exactly_the_amount(
    funded, transfer_agent, investor_alice, investor_bob, investor_carol
):
    funded.split(3, 2, REASON, sender=transfer_agent)
    funded.approve(investor_carol, 5, sender=investor_alice)
    receipt = funded.transferFrom(investor_alice, investor_bob, 5, sender=investor_carol)
    assert receipt.events[-1] == funded.Transfer(investor_alice, investor_bob, 5)
    assert funded.balanceOf(investor_bob) == 75 * ONE + 5
    assert funded.allowance(investor_alice, investor_carol) == 0


def test_a_split_rescales_each_balance_by_the_published_multipliers(
    funded, transfer_agent, investor_alice, investor_bob
):
    """An indexer replays `CorporateActionApplied`: balance' = balance * new // previous."""
    funded.transfer(investor_bob, 1, sender=investor_alice)  # odd balances
    for ratio in [(3, 2), (1, 10), (7, 3)]:
        previous = funded.multiplier()
        balances = [funded.balanceOf(w) for w in (investor_alice, investor_bob)]
        receipt = funded.split(*ratio, REASON, sender=transfer_agent)
        new = receipt.events[0].newMultiplier
        expected = [b * new // previous for b in balances]
        assert [funded.balanceOf(w) for w in (investor_alice, investor_bob)] == expected


def test_touching_a_stale_wallet_does_not_change_its_balance(
    funded, transfer_agent, investor_alice, investor_bob
):
    funded.transfer(investor_bob, 1, sender=investor_alice)
    funded.split(3, 2, REASON, sender=transfer_agent)
    funded.split(1, 10, REASON, sender=transfer_agent)
    bob = funded.balanceOf(investor_bob)
    funded.transfer(investor_bob, 0, sender=investor_alice)
    assert funded.balanceOf(investor_bob) == bob


def test_the_sum_of_balances_never_exceeds_the_total_supply_after_splits(
    funded, transfer_agent, investor_alice, investor_bob, investor_carol
):
    funded.transfer(investor_carol, 3 * ONE + 1, sender=investor_alice)
    funded.transfer(investor_bob, 7, sender=investor_alice)
    for ratio in [(3, 2), (1, 10), (7, 3), (2, 3)]:
        funded.split(*ratio, REASON, sender=transfer_agent)
        total = sum(funded.balanceOf(w) for w in (investor_alice, investor_bob, investor_carol))
        assert total <= funded.totalSupply() < total + 3 * 4 + funded.multiplier() // ONE + 2


def test_the_record_date_balance_is_exact_after_a_split(
    funded, issuer, transfer_agent, investor_alice, investor_bob
):
    funded.grantRole(SNAPSHOT_ROLE, issuer, sender=issuer)
    funded.split(3, 2, REASON, sender=transfer_agent)
    funded.transfer(investor_bob, 1, sender=investor_alice)
    funded.snapshot(sender=issuer)
    alice = funded.balanceOf(investor_alice)
    funded.split(1, 10, REASON, sender=transfer_agent)
    funded.transfer(investor_bob, 3, sender=investor_alice)
    assert funded.balanceAt(investor_alice, 1) == alice
    assert funded.unitsAt(investor_alice, 1) == alice * ONE // (3 * ONE // 2)


# -------------------------------------------------------------------------------------------------
# 13.8: ERC-7802 exact, ERC-1404 codes equal to what happens, ERC-165
# -------------------------------------------------------------------------------------------------


def test_crosschain_mint_after_a_3_2_split_credits_exactly_the_amount(
    funded, gateway, transfer_agent, investor_carol
):
    funded.split(3, 2, REASON, sender=transfer_agent)
    receipt = funded.crosschainMint(investor_carol, 2 * ONE, sender=gateway)
    assert receipt.events == [
        funded.Transfer(ape.utils.ZERO_ADDRESS, investor_carol, 2 * ONE),
        funded.CrosschainMint(investor_carol, 2 * ONE, gateway),
    ]
    assert funded.balanceOf(investor_carol) == 2 * ONE


def test_crosschain_burn_after_a_3_2_split_debits_exactly_the_amount(
    funded, gateway, transfer_agent, investor_bob
):
    funded.split(3, 2, REASON, sender=transfer_agent)
    receipt = funded.crosschainBurn(investor_bob, 2 * ONE + 1, sender=gateway)
    assert receipt.events == [
        funded.Transfer(investor_bob, ape.utils.ZERO_ADDRESS, 2 * ONE + 1),
        funded.CrosschainBurn(investor_bob, 2 * ONE + 1, gateway),
    ]
    assert funded.balanceOf(investor_bob) == 75 * ONE - 2 * ONE - 1


def test_crosschain_mint_units_emits_and_returns_the_amount_credited(
    funded, gateway, transfer_agent, investor_carol
):
    funded.split(3, 2, REASON, sender=transfer_agent)
    receipt = funded.crosschainMintUnits(investor_carol, 3, sender=gateway)
    assert receipt.events == [
        funded.Transfer(ape.utils.ZERO_ADDRESS, investor_carol, 4),
        funded.CrosschainMint(investor_carol, 4, gateway),
    ]
    assert receipt.return_value == 4
    assert funded.balanceOf(investor_carol) == 4


def test_crosschain_burn_units_emits_and_returns_the_amount_debited(
    funded, gateway, transfer_agent, investor_bob
):
    funded.split(3, 2, REASON, sender=transfer_agent)
    units = funded.totalUnits()
    receipt = funded.crosschainBurnUnits(investor_bob, 3, sender=gateway)
    assert receipt.events == [
        funded.Transfer(investor_bob, ape.utils.ZERO_ADDRESS, 5),
        funded.CrosschainBurn(investor_bob, 5, gateway),
    ]
    assert receipt.return_value == 5
    assert funded.balanceOf(investor_bob) == 75 * ONE - 5
    assert funded.totalUnits() == units - 3


def test_detect_reports_insufficient_balance_for_an_amount_above_the_balance(
    funded, transfer_agent, investor_alice, investor_bob
):
    funded.split(3, 2, REASON, sender=transfer_agent)
    amount = funded.balanceOf(investor_alice) + 1
    code = Restriction.INSUFFICIENT_UNFROZEN_BALANCE
    assert funded.detectTransferRestriction(investor_alice, investor_bob, amount) == code
    with reverts(funded.ShareTransferRestricted, code=code):
        funded.transfer(investor_bob, amount, sender=investor_alice)


def test_detect_allows_exactly_the_whole_balance_after_a_split(
    funded, transfer_agent, investor_alice, investor_bob
):
    funded.split(3, 2, REASON, sender=transfer_agent)
    assert_allowed(funded, investor_alice, investor_bob, funded.balanceOf(investor_alice))
    assert funded.balanceOf(investor_alice) == 0


def test_detect_refuses_the_zero_address_both_ways(funded, investor_alice):
    zero = ape.utils.ZERO_ADDRESS
    assert funded.detectTransferRestriction(investor_alice, zero, 1) == Restriction.RECIPIENT_NOT_VERIFIED
    assert funded.detectTransferRestriction(zero, investor_alice, 1) == Restriction.SENDER_NOT_VERIFIED
    with reverts(funded.ERC20InvalidReceiver, receiver=zero):
        funded.transfer(zero, 1, sender=investor_alice)


def test_detect_allows_an_amount_the_frozen_part_leaves_free_and_refuses_one_more(
    funded, transfer_agent, investor_alice, investor_bob
):
    funded.split(3, 2, REASON, sender=transfer_agent)
    funded.freezePartialTokens(investor_alice, 100 * ONE + 1, REASON, sender=transfer_agent)
    free = funded.balanceOf(investor_alice) - funded.getFrozenTokens(investor_alice)
    assert free == 50 * ONE - 1
    code = Restriction.INSUFFICIENT_UNFROZEN_BALANCE
    assert funded.detectTransferRestriction(investor_alice, investor_bob, free + 1) == code
    assert_allowed(funded, investor_alice, investor_bob, free)


def _interface_id(*signatures: str) -> bytes:
    value = 0
    for signature in signatures:
        value ^= int.from_bytes(keccak(text=signature)[:4], "big")
    return value.to_bytes(4, "big")


@pytest.mark.parametrize(
    "interface_id",
    [
        bytes.fromhex("33331994"),  # ERC-7802
        bytes.fromhex("01ffc9a7"),  # ERC-165
        bytes.fromhex("36372b07"),  # ERC-20
        bytes.fromhex("7965db0b"),  # IAccessControl
        _interface_id(
            "detectTransferRestriction(address,address,uint256)", "messageForTransferRestriction(uint8)"
        ),
    ],
)
def test_supports_every_interface_it_implements(share, interface_id):
    assert share.supportsInterface(interface_id)


def test_does_not_claim_an_unknown_interface(share):
    assert not share.supportsInterface(bytes.fromhex("ffffffff"))
    assert not share.supportsInterface(bytes.fromhex("12345678"))


# -------------------------------------------------------------------------------------------------
# 20.1: a refund is refused only for rules about the holder itself
# -------------------------------------------------------------------------------------------------


def test_a_refund_is_credited_after_a_third_party_fills_the_freed_holder_slot(
    funded, gateway, issuer, investor_alice, investor_bob, investor_carol
):
    """Bob bridges his whole position (freeing a slot under maxHolders 2); Alice gives 1 wei to
    Carol (a non-holder), filling it; Bob's Return must still be credited."""
    funded.setMaxHolders(2, sender=issuer)
    units = funded.unitsOf(investor_bob)
    funded.crosschainBurnUnits(investor_bob, units, sender=gateway)
    funded.transfer(investor_carol, 1, sender=investor_alice)
    assert funded.holderCount() == 2
    assert funded.crosschainRestriction(investor_bob, units) == Restriction.MAX_HOLDERS
    assert funded.crosschainRefundRestriction(investor_bob, units) == 0
    receipt = funded.crosschainMintUnits(investor_bob, units, sender=gateway)
    assert receipt.events[-1] == funded.CrosschainMint(investor_bob, 50 * ONE, gateway)
    assert funded.balanceOf(investor_bob) == 50 * ONE
    assert funded.holderCount() == 3


def test_a_refund_is_credited_when_a_reverse_split_left_it_below_the_minimum_holding(
    funded, gateway, issuer, transfer_agent, investor_bob
):
    units = funded.unitsOf(investor_bob)
    funded.crosschainBurnUnits(investor_bob, units, sender=gateway)
    funded.setHoldingLimits(10, 0, sender=issuer)
    funded.split(1, 10, REASON, sender=transfer_agent)  # 50 shares in flight are now worth 5
    assert funded.crosschainRestriction(investor_bob, units) == Restriction.BELOW_MIN_HOLDING
    assert funded.crosschainRefundRestriction(investor_bob, units) == 0
    funded.crosschainMintUnits(investor_bob, units, sender=gateway)
    assert funded.balanceOf(investor_bob) == 5 * ONE


def test_a_refund_above_the_maximum_holding_is_credited(funded, gateway, issuer, investor_bob):
    units = funded.unitsOf(investor_bob)
    funded.crosschainBurnUnits(investor_bob, units, sender=gateway)
    funded.setHoldingLimits(0, 10, sender=issuer)
    assert funded.crosschainRefundRestriction(investor_bob, units) == 0
    funded.crosschainMintUnits(investor_bob, units, sender=gateway)
    assert funded.balanceOf(investor_bob) == 50 * ONE


def test_a_refund_past_a_full_country_cap_is_credited(funded, gateway, issuer, investor_bob):
    units = funded.unitsOf(investor_bob)
    funded.crosschainBurnUnits(investor_bob, units, sender=gateway)
    funded.setCountryMaxHolders(840, 1, sender=issuer)  # Alice (US) fills it
    assert funded.crosschainRefundRestriction(investor_bob, units) == 0
    funded.crosschainMintUnits(investor_bob, units, sender=gateway)
    assert funded.balanceOf(investor_bob) == 50 * ONE


def test_a_refund_to_a_frozen_wallet_is_refused(funded, gateway, transfer_agent, investor_bob):
    units = funded.unitsOf(investor_bob)
    funded.crosschainBurnUnits(investor_bob, units, sender=gateway)
    funded.setAddressFrozen(investor_bob, True, REASON, sender=transfer_agent)
    code = Restriction.RECIPIENT_WALLET_FROZEN
    assert funded.crosschainRefundRestriction(investor_bob, units) == code
    with reverts(funded.ShareTransferRestricted, code=code):
        funded.crosschainMintUnits(investor_bob, units, sender=gateway)


def test_a_refund_to_an_unverified_wallet_is_refused(funded, gateway, outsider):
    code = Restriction.RECIPIENT_NOT_VERIFIED
    assert funded.crosschainRefundRestriction(outsider, 1) == code
    with reverts(funded.ShareTransferRestricted, code=code):
        funded.crosschainMintUnits(outsider, 1, sender=gateway)


def test_a_refund_is_refused_while_paused(funded, gateway, guardian, investor_bob):
    funded.pause("incident", sender=guardian)
    assert funded.crosschainRefundRestriction(investor_bob, 1) == Restriction.PAUSED


# -------------------------------------------------------------------------------------------------
# Identity lifecycle with stale records (13.7 x recovery)
# -------------------------------------------------------------------------------------------------


def test_recovery_after_a_split_moves_the_exact_balance_and_frozen_tokens(
    funded, registry, registrar, transfer_agent, investors, investor_alice, investor_alice_2
):
    funded.freezePartialTokens(investor_alice, 20 * ONE + 1, REASON, sender=transfer_agent)
    funded.split(3, 2, REASON, sender=transfer_agent)
    balance, frozen = funded.balanceOf(investor_alice), funded.getFrozenTokens(investor_alice)
    assert (balance, frozen) == (150 * ONE, 30 * ONE + 1)
    registry.removeWallet(investor_alice, sender=registrar)
    receipt = funded.recoveryAddress(
        investor_alice, investor_alice_2, investors["alice"], REASON, sender=transfer_agent
    )
    assert receipt.events[0] == funded.Transfer(investor_alice, investor_alice_2, balance)
    assert funded.balanceOf(investor_alice_2) == balance
    assert funded.getFrozenTokens(investor_alice_2) == frozen
    assert funded.investorBalance(investors["alice"]) == balance
    assert funded.holdingWallets(investors["alice"]) == 1
    assert funded.holderCount() == 2


def test_a_holder_rounded_to_zero_by_a_reverse_split_leaves_when_its_wallet_is_next_written(
    funded, transfer_agent, investors, investor_alice, investor_bob
):
    funded.transfer(investor_alice, 50 * ONE - 9, sender=investor_bob)  # Bob keeps 9 wei
    funded.split(1, 10, REASON, sender=transfer_agent)
    assert funded.balanceOf(investor_bob) == 0
    assert funded.holdingWallets(investors["bob"]) == 1  # its record is kept until written
    assert funded.holderCount() == 2
    receipt = funded.transfer(investor_alice, 0, sender=investor_bob)
    assert receipt.events == [funded.Transfer(investor_bob, investor_alice, 0)]
    assert funded.holdingWallets(investors["bob"]) == 0
    assert funded.holderCount() == 1
