"""Finding 13.7: ERC-20 basic properties hold EXACTLY at every multiplier.

Balances are stored in tokens with the multiplier they were written at and rescaled lazily at the
holder's first balance change after a corporate action, so a transfer of `v` changes the sender's
and the recipient's balances by exactly `v`, and Transfer events plus BalanceRescaled deltas
reproduce every balance. A split announces itself with CorporateActionActivated.
"""

import pytest
from ape import chain
from certificate_constants import ZERO
from revert_data import reverts

from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.multiplier import ONE

# 3:2 split, 2:3 reverse split, 7:3 split (a multiplier with no finite decimal ratio).
MULTIPLIERS = [ONE * 3 // 2, ONE * 2 // 3, ONE * 7 // 3]
AMOUNTS = [1, 2, 3, ONE + 1, 10 * ONE + 7]


@pytest.fixture(scope="module")
def funded(funded_once):
    """Every test of this module starts from these balances: minted once per module."""
    return funded_once


@pytest.fixture
def split(funded, schedule):
    """Schedules `multiplier()` -> `m` in 10 s and mines past the activation."""

    def split(m: int):
        _, activation = schedule(m, delay=10)
        chain.mine(timestamp=activation)
        return activation

    return split


@pytest.mark.parametrize("m", MULTIPLIERS)
@pytest.mark.parametrize("amount", AMOUNTS)
def test_a_transfer_changes_both_balances_by_exactly_the_amount(
    funded, split, investor_alice, investor_bob, m, amount
):
    split(m)
    alice, bob = funded.balanceOf(investor_alice), funded.balanceOf(investor_bob)

    receipt = funded.transfer(investor_bob, amount, sender=investor_alice)

    assert funded.balanceOf(investor_alice) == alice - amount
    assert funded.balanceOf(investor_bob) == bob + amount
    assert [e for e in receipt.events if e.event_name == "Transfer"] == [
        funded.Transfer(investor_alice, investor_bob, amount)
    ]


@pytest.mark.parametrize("m", MULTIPLIERS)
def test_transfer_from_changes_both_balances_by_exactly_the_amount(
    funded, split, investor_alice, investor_bob, outsider, m
):
    split(m)
    funded.approve(outsider, ONE + 1, sender=investor_alice)
    alice, bob = funded.balanceOf(investor_alice), funded.balanceOf(investor_bob)

    funded.transferFrom(investor_alice, investor_bob, ONE + 1, sender=outsider)

    assert funded.balanceOf(investor_alice) == alice - ONE - 1
    assert funded.balanceOf(investor_bob) == bob + ONE + 1
    assert funded.allowance(investor_alice, outsider) == 0


def test_the_first_balance_change_after_a_split_announces_it_and_materialises_both_holders(
    funded, split, investor_alice, investor_bob
):
    split(ONE * 3 // 2)

    receipt = funded.transfer(investor_bob, 2, sender=investor_alice)

    m = ONE * 3 // 2
    assert receipt.events == [
        funded.CorporateActionActivated(nonce=1, epoch=1, multiplier=m),
        funded.BalanceRescaled(investor_alice, 100 * ONE, 150 * ONE, m),
        funded.BalanceRescaled(investor_bob, 50 * ONE, 75 * ONE, m),
        funded.Transfer(investor_alice, investor_bob, 2),
    ]
    assert funded.corporateActionEpoch() == 1


def test_after_materialising_a_transfer_emits_only_its_transfer(funded, split, investor_alice, investor_bob):
    split(ONE * 3 // 2)
    funded.transfer(investor_bob, 2, sender=investor_alice)

    receipt = funded.transfer(investor_bob, 2, sender=investor_alice)

    assert receipt.events == [funded.Transfer(investor_alice, investor_bob, 2)]


@pytest.mark.parametrize("m", MULTIPLIERS)
def test_transfer_and_rescale_events_reproduce_every_balance(
    funded, split, issuer, investor_alice, investor_bob, investor_carol, m
):
    holders = [investor_alice, investor_bob, investor_carol]
    indexed = {h.address: funded.balanceOf(h) for h in holders}
    split(m)
    receipts = [
        funded.transfer(investor_bob, 2, sender=investor_alice),
        funded.transfer(investor_carol, ONE + 1, sender=investor_bob),
        funded.mint(investor_carol, 3, sender=issuer),
        funded.transfer(investor_alice, 5, sender=investor_carol),
    ]

    for receipt in receipts:
        for event in receipt.events:
            args = event.event_arguments
            if event.event_name == "Transfer":
                if args["from"] != ZERO:
                    indexed[args["from"]] -= args["value"]
                if args["to"] != ZERO:
                    indexed[args["to"]] += args["value"]
            elif event.event_name == "BalanceRescaled":
                assert indexed[args["account"]] == args["previousBalance"]
                indexed[args["account"]] = args["newBalance"]
    assert indexed == {h.address: funded.balanceOf(h) for h in holders}


@pytest.mark.parametrize("m", MULTIPLIERS)
def test_total_supply_is_never_below_the_sum_of_balances(
    funded, split, issuer, investor_alice, investor_bob, m
):
    split(m)
    funded.transfer(investor_bob, ONE + 1, sender=investor_alice)
    funded.mint(investor_alice, 7, sender=issuer)
    funded.requestRedemption(3, sender=investor_bob)

    total = funded.balanceOf(investor_alice) + funded.balanceOf(investor_bob)
    assert total <= funded.totalSupply() <= total + 4  # dust: a unit's worth per mint/burn


@pytest.mark.parametrize("m", MULTIPLIERS)
def test_erc1404_reports_zero_exactly_when_the_whole_balance_can_move(
    funded, split, investor_alice, investor_bob, m
):
    split(m)
    balance = funded.balanceOf(investor_alice)

    assert funded.detectTransferRestriction(investor_alice, investor_bob, balance + 1) == (
        Restriction.INSUFFICIENT_BALANCE
    )
    with reverts(funded.ERC20InsufficientBalance, sender=investor_alice, balance=balance, needed=balance + 1):
        funded.transfer(investor_bob, balance + 1, sender=investor_alice)
    assert funded.detectTransferRestriction(investor_alice, investor_bob, balance) == 0
    funded.transfer(investor_bob, balance, sender=investor_alice)
    assert funded.balanceOf(investor_alice) == 0


def test_a_mint_credits_exactly_the_amount_after_a_split(funded, split, issuer, investor_carol):
    split(ONE * 2 // 3)

    receipt = funded.mint(investor_carol, ONE + 1, sender=issuer)

    assert receipt.events == [
        funded.CorporateActionActivated(nonce=1, epoch=1, multiplier=ONE * 2 // 3),
        funded.Transfer(ZERO, investor_carol, ONE + 1),
    ]
    assert funded.balanceOf(investor_carol) == ONE + 1


def test_a_fee_period_keeps_transfers_exact(funded, issuer, investor_alice, investor_bob):
    start = funded.setManagementFee(10**16, 86_400, sender=issuer).timestamp
    chain.mine(timestamp=start + 3 * 86_400)
    alice, bob = funded.balanceOf(investor_alice), funded.balanceOf(investor_bob)

    funded.transfer(investor_bob, 3, sender=investor_alice)

    assert funded.balanceOf(investor_alice) == alice - 3
    assert funded.balanceOf(investor_bob) == bob + 3
