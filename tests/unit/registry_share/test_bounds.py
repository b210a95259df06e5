"""The registry share's packed-word bounds, at the limit and one past (issue 21, "What survived").

- The multiplier is stored in 96 bits of the Rules word: a split or a synced corporate action
  may set any multiplier in `[1, 2**96 - 1]`; a split whose ratio rounds the multiplier to 0 or
  past 96 bits is refused with `ShareInvalidSplit(numerator, denominator)`, a synced multiplier
  of 0 or 2**96 with `ShareInvalidMultiplier(multiplier)`.
- Total units are stored in 128 bits of the Supply word and a wallet's amount in 104 bits of its
  Wallet word: one unit (one token) past either is refused with `ShareUnitsOverflow`.
"""

from __future__ import annotations

import pytest
from revert_data import reverts

from tokenized_stocks.protocol.multiplier import ONE

REASON = "board resolution 21"
MAX_MULTIPLIER = 2**96 - 1
MAX_UNITS = 2**128 - 1
MAX_WALLET_AMOUNT = 2**104 - 1


@pytest.fixture(scope="module")
def remote_share(deploy_share, deploy_registry, issuer):
    """The share on a chain that is not its home (home = 1); the issuer acts as its gateway."""
    share = deploy_share(deploy_registry(), home_chain_id=1)
    share.setGateway(issuer, sender=issuer)
    return share


@pytest.fixture(scope="module")
def gateway_fed(share, investors, issuer):
    """The home share with the issuer as its gateway (mints units directly)."""
    share.setGateway(issuer, sender=issuer)
    return share


# -------------------------------------------------------------------------------------------------
# Split ratio
# -------------------------------------------------------------------------------------------------


def test_a_split_to_the_largest_96_bit_multiplier_is_accepted(share, transfer_agent):
    receipt = share.split(MAX_MULTIPLIER, ONE, REASON, sender=transfer_agent)
    assert receipt.events == [share.CorporateActionApplied(1, MAX_MULTIPLIER, ONE, MAX_MULTIPLIER, REASON)]
    assert share.multiplier() == MAX_MULTIPLIER


def test_a_split_one_past_the_96_bit_multiplier_is_refused(share, transfer_agent):
    with reverts(share.ShareInvalidSplit, numerator=MAX_MULTIPLIER + 1, denominator=ONE):
        share.split(MAX_MULTIPLIER + 1, ONE, REASON, sender=transfer_agent)
    assert share.multiplier() == ONE
    assert share.corporateActionEpoch() == 0


def test_a_reverse_split_to_a_multiplier_of_one_is_accepted(share, transfer_agent):
    receipt = share.split(1, ONE, REASON, sender=transfer_agent)
    assert receipt.events == [share.CorporateActionApplied(1, 1, ONE, 1, REASON)]
    assert share.multiplier() == 1


def test_a_reverse_split_that_rounds_the_multiplier_to_zero_is_refused(share, transfer_agent):
    with reverts(share.ShareInvalidSplit, numerator=1, denominator=ONE + 1):
        share.split(1, ONE + 1, REASON, sender=transfer_agent)
    assert share.multiplier() == ONE
    assert share.corporateActionEpoch() == 0


def test_a_split_with_a_zero_denominator_is_refused(share, transfer_agent):
    with reverts(share.ShareInvalidSplit, numerator=2, denominator=0):
        share.split(2, 0, REASON, sender=transfer_agent)


# -------------------------------------------------------------------------------------------------
# Synced multiplier (other chains)
# -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("multiplier", [1, MAX_MULTIPLIER], ids=["one", "max96"])
def test_a_synced_multiplier_at_a_bound_is_accepted(remote_share, issuer, multiplier):
    receipt = remote_share.syncCorporateAction(1, multiplier, sender=issuer)
    assert receipt.decode_logs(remote_share.CorporateActionSynced)[0].event_arguments == {
        "epoch": 1,
        "multiplier": multiplier,
    }
    assert remote_share.multiplier() == multiplier


@pytest.mark.parametrize("multiplier", [0, MAX_MULTIPLIER + 1], ids=["zero", "max96+1"])
def test_a_synced_multiplier_past_a_bound_is_refused(remote_share, issuer, multiplier):
    with reverts(remote_share.ShareInvalidMultiplier, multiplier=multiplier):
        remote_share.syncCorporateAction(1, multiplier, sender=issuer)
    assert remote_share.multiplier() == ONE
    assert remote_share.corporateActionEpoch() == 0


# -------------------------------------------------------------------------------------------------
# Units (Supply word, 128 bits) and wallet amounts (Wallet word, 104 bits)
# -------------------------------------------------------------------------------------------------


def test_total_units_up_to_the_128_bit_maximum_are_accepted(
    gateway_fed, transfer_agent, issuer, investor_bob
):
    gateway_fed.split(1, ONE, REASON, sender=transfer_agent)  # multiplier 1: 1e18 units a token
    gateway_fed.crosschainMintUnits(investor_bob, MAX_UNITS, sender=issuer)
    assert gateway_fed.totalUnits() == MAX_UNITS
    assert gateway_fed.balanceOf(investor_bob) == MAX_UNITS // ONE


def test_total_units_one_past_the_128_bit_maximum_are_refused(
    gateway_fed, transfer_agent, issuer, investor_bob
):
    gateway_fed.split(1, ONE, REASON, sender=transfer_agent)
    with reverts(gateway_fed.ShareUnitsOverflow, units=MAX_UNITS + 1):
        gateway_fed.crosschainMintUnits(investor_bob, MAX_UNITS + 1, sender=issuer)
    assert gateway_fed.totalUnits() == 0


def test_an_issue_that_takes_total_units_past_128_bits_is_refused(
    gateway_fed, transfer_agent, issuer, investor_alice, investor_bob
):
    gateway_fed.split(1, ONE, REASON, sender=transfer_agent)
    gateway_fed.crosschainMintUnits(investor_bob, MAX_UNITS, sender=issuer)
    with reverts(gateway_fed.ShareUnitsOverflow, units=MAX_UNITS + ONE):
        gateway_fed.issue(investor_alice, 1, REASON, sender=transfer_agent)  # 1 token = 1e18 units
    assert gateway_fed.totalUnits() == MAX_UNITS


def test_a_wallet_amount_at_the_104_bit_maximum_is_accepted(share, investors, transfer_agent, investor_bob):
    share.issue(investor_bob, MAX_WALLET_AMOUNT, REASON, sender=transfer_agent)
    assert share.balanceOf(investor_bob) == MAX_WALLET_AMOUNT


def test_a_wallet_amount_one_past_the_104_bit_maximum_is_refused(
    share, investors, transfer_agent, investor_bob
):
    with reverts(share.ShareUnitsOverflow, units=MAX_WALLET_AMOUNT + 1):
        share.issue(investor_bob, MAX_WALLET_AMOUNT + 1, REASON, sender=transfer_agent)
    assert share.balanceOf(investor_bob) == 0
