"""ERC-7943 (uRWA, fungible) on the tracker certificate: frozen tokens, forced transfers, the
account-level and transfer-level checks, and the transfer diagnostic (ITransferDiagnostic).

Forced transfers and frozen tokens (the ERC leaves it open): a forced transfer takes the
unfrozen tokens first; when it needs more, it takes frozen ones and lowers the frozen amount by
what it took, emitting Frozen before Transfer."""

import pytest
from certificate_constants import ZERO
from revert_data import reverts

from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.protocol.roles import TRANSFER_AGENT_ROLE

pytestmark = pytest.mark.usefixtures("funded")

ERC7943_FUNGIBLE_ID = bytes.fromhex("3edbb4c4")  # the ERC's own figure


@pytest.fixture(scope="module")
def funded(funded_once):
    return funded_once


def freeze(cert, transfer_agent, account, amount):
    return cert.setFrozenTokens(account, amount, sender=transfer_agent)


# ---------------------------------------------------------------------------------------------
# setFrozenTokens / getFrozenTokens
# ---------------------------------------------------------------------------------------------


def test_set_frozen_tokens_emits_frozen_with_the_new_amount(cert, transfer_agent, investor_alice):
    receipt = freeze(cert, transfer_agent, investor_alice, 30 * ONE)

    assert receipt.events == [cert.Frozen(investor_alice, 30 * ONE)]
    assert cert.getFrozenTokens(investor_alice) == 30 * ONE


def test_set_frozen_tokens_overwrites_instead_of_adding(cert, transfer_agent, investor_alice):
    freeze(cert, transfer_agent, investor_alice, 30 * ONE)
    freeze(cert, transfer_agent, investor_alice, 10 * ONE)

    assert cert.getFrozenTokens(investor_alice) == 10 * ONE


def test_a_freeze_may_exceed_the_balance_and_withholds_receipts(
    cert, transfer_agent, investor_alice, investor_bob
):
    freeze(cert, transfer_agent, investor_bob, 80 * ONE)  # Bob holds 50
    cert.transfer(investor_bob, 20 * ONE, sender=investor_alice)  # Bob now holds 70, all frozen

    assert cert.getFrozenTokens(investor_bob) == 80 * ONE
    assert not cert.canTransfer(investor_bob, investor_alice, 1)
    with reverts(cert.ERC7943InsufficientUnfrozenBalance, account=investor_bob, amount=1, unfrozen=0):
        cert.transfer(investor_alice, 1, sender=investor_bob)


def test_setting_zero_unfreezes(cert, transfer_agent, investor_alice, investor_bob):
    freeze(cert, transfer_agent, investor_alice, 100 * ONE)
    receipt = freeze(cert, transfer_agent, investor_alice, 0)

    assert receipt.events == [cert.Frozen(investor_alice, 0)]
    cert.transfer(investor_bob, 100 * ONE, sender=investor_alice)
    assert cert.balanceOf(investor_alice) == 0


def test_freezing_the_zero_address_is_refused(cert, transfer_agent):
    with reverts(cert.CertificateZeroAddress):
        freeze(cert, transfer_agent, ZERO, 1)


def test_a_frozen_amount_above_the_maximum_is_refused(cert, transfer_agent, investor_alice):
    too_much = 2**176
    with reverts(cert.CertificateFrozenAmountTooLarge, amount=too_much, maxAmount=too_much - 1):
        freeze(cert, transfer_agent, investor_alice, too_much)


def test_freezing_works_while_paused(cert, transfer_agent, guardian, investor_alice):
    cert.pause(sender=guardian)

    freeze(cert, transfer_agent, investor_alice, ONE)

    assert cert.getFrozenTokens(investor_alice) == ONE


@pytest.mark.parametrize("call", ["setFrozenTokens", "forcedTransfer"])
def test_an_outsider_cannot_freeze_or_force(cert, outsider, investor_alice, investor_bob, call):
    with reverts(cert.AccessControlUnauthorizedAccount, account=outsider, neededRole=TRANSFER_AGENT_ROLE):
        if call == "setFrozenTokens":
            cert.setFrozenTokens(investor_alice, ONE, sender=outsider)
        else:
            cert.forcedTransfer(investor_alice, investor_bob, ONE, sender=outsider)


# ---------------------------------------------------------------------------------------------
# Frozen tokens in ordinary debits
# ---------------------------------------------------------------------------------------------


def test_a_holder_moves_its_unfrozen_tokens_only(cert, transfer_agent, investor_alice, investor_bob):
    freeze(cert, transfer_agent, investor_alice, 60 * ONE)

    cert.transfer(investor_bob, 40 * ONE, sender=investor_alice)

    assert cert.balanceOf(investor_alice) == 60 * ONE
    with reverts(cert.ERC7943InsufficientUnfrozenBalance, account=investor_alice, amount=1, unfrozen=0):
        cert.transfer(investor_bob, 1, sender=investor_alice)


def test_above_the_balance_the_base_erc20_error_wins(cert, transfer_agent, investor_alice, investor_bob):
    freeze(cert, transfer_agent, investor_alice, 60 * ONE)

    with reverts(
        cert.ERC20InsufficientBalance, sender=investor_alice, balance=100 * ONE, needed=100 * ONE + 1
    ):
        cert.transfer(investor_bob, 100 * ONE + 1, sender=investor_alice)


def test_a_redemption_cannot_burn_frozen_tokens(cert, transfer_agent, investor_alice):
    freeze(cert, transfer_agent, investor_alice, 60 * ONE)

    with reverts(
        cert.ERC7943InsufficientUnfrozenBalance, account=investor_alice, amount=41 * ONE, unfrozen=40 * ONE
    ):
        cert.requestRedemption(41 * ONE, sender=investor_alice)


def test_a_units_transfer_cannot_move_frozen_tokens(cert, transfer_agent, investor_alice, investor_bob):
    freeze(cert, transfer_agent, investor_alice, 100 * ONE)

    with reverts(cert.ERC7943InsufficientUnfrozenBalance, account=investor_alice, amount=ONE, unfrozen=0):
        cert.transferUnits(investor_bob, ONE, sender=investor_alice)


def test_a_split_scales_the_frozen_amount_like_the_balance(
    cert, schedule, chain, transfer_agent, investor_alice, investor_bob
):
    freeze(cert, transfer_agent, investor_alice, 60 * ONE)
    _, activation = schedule(2 * ONE)
    chain.mine(timestamp=activation)

    assert cert.balanceOf(investor_alice) == 200 * ONE
    assert cert.getFrozenTokens(investor_alice) == 120 * ONE
    with reverts(cert.ERC7943InsufficientUnfrozenBalance, account=investor_alice, amount=81 * ONE):
        cert.transfer(investor_bob, 81 * ONE, sender=investor_alice)


def test_a_reverse_split_rounds_the_frozen_amount_up(cert, schedule, chain, transfer_agent, investor_alice):
    freeze(cert, transfer_agent, investor_alice, 10)  # 10 wei: 10 / 3 = 3.33 -> 4
    _, activation = schedule(ONE // 3)
    chain.mine(timestamp=activation)

    assert cert.getFrozenTokens(investor_alice) == 4


# ---------------------------------------------------------------------------------------------
# forcedTransfer
# ---------------------------------------------------------------------------------------------


def test_a_forced_transfer_within_the_unfrozen_tokens_keeps_the_freeze(
    cert, transfer_agent, investor_alice, investor_carol
):
    freeze(cert, transfer_agent, investor_alice, 60 * ONE)

    receipt = cert.forcedTransfer(investor_alice, investor_carol, 40 * ONE, sender=transfer_agent)

    assert receipt.events == [
        cert.Transfer(investor_alice, investor_carol, 40 * ONE),
        cert.ForcedTransfer(investor_alice, investor_carol, 40 * ONE),
    ]
    assert cert.getFrozenTokens(investor_alice) == 60 * ONE
    assert cert.balanceOf(investor_carol) == 40 * ONE


def test_a_forced_transfer_takes_frozen_tokens_and_lowers_the_freeze_first(
    cert, transfer_agent, investor_alice, investor_carol
):
    freeze(cert, transfer_agent, investor_alice, 60 * ONE)  # 40 unfrozen

    receipt = cert.forcedTransfer(investor_alice, investor_carol, 70 * ONE, sender=transfer_agent)

    # 40 unfrozen + 30 frozen taken: 30 stay frozen, exactly the balance left.
    assert receipt.events == [
        cert.Frozen(investor_alice, 30 * ONE),
        cert.Transfer(investor_alice, investor_carol, 70 * ONE),
        cert.ForcedTransfer(investor_alice, investor_carol, 70 * ONE),
    ]
    assert cert.getFrozenTokens(investor_alice) == 30 * ONE
    assert cert.balanceOf(investor_alice) == 30 * ONE


def test_a_forced_transfer_from_an_over_frozen_account_lowers_the_freeze_by_the_amount(
    cert, transfer_agent, investor_bob, investor_carol
):
    freeze(cert, transfer_agent, investor_bob, 80 * ONE)  # holds 50: nothing unfrozen

    receipt = cert.forcedTransfer(investor_bob, investor_carol, 50 * ONE, sender=transfer_agent)

    assert receipt.events[0] == cert.Frozen(investor_bob, 30 * ONE)
    assert cert.getFrozenTokens(investor_bob) == 30 * ONE
    assert cert.balanceOf(investor_bob) == 0


def test_a_forced_transfer_of_everything_frozen_clears_the_freeze(
    cert, transfer_agent, investor_alice, investor_carol
):
    freeze(cert, transfer_agent, investor_alice, 100 * ONE)

    cert.forcedTransfer(investor_alice, investor_carol, 100 * ONE, sender=transfer_agent)

    assert cert.getFrozenTokens(investor_alice) == 0
    assert cert.canTransfer(investor_carol, investor_alice, ONE)


def test_a_forced_transfer_takes_tokens_of_a_sanctioned_holder(
    cert, sanctions, compliance_officer, transfer_agent, investor_alice, investor_carol
):
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)

    cert.forcedTransfer(investor_alice, investor_carol, 100 * ONE, sender=transfer_agent)

    assert cert.balanceOf(investor_carol) == 100 * ONE
    assert cert.isSanctionedCached(investor_alice)  # the debit kept the flag
    assert not cert.canSend(investor_alice)


def test_a_forced_transfer_to_a_sanctioned_recipient_is_refused(
    cert, sanctions, compliance_officer, transfer_agent, investor_alice, investor_carol
):
    sanctions.setSanctioned(investor_carol, True, sender=compliance_officer)

    with reverts(cert.CertificateSanctioned, account=investor_carol):
        cert.forcedTransfer(investor_alice, investor_carol, ONE, sender=transfer_agent)


def test_a_forced_transfer_is_refused_while_paused(
    cert, guardian, transfer_agent, investor_alice, investor_carol
):
    cert.pause(sender=guardian)

    with reverts(cert.EnforcedPause):
        cert.forcedTransfer(investor_alice, investor_carol, ONE, sender=transfer_agent)


def test_a_forced_transfer_above_the_balance_is_refused(cert, transfer_agent, investor_alice, investor_carol):
    with reverts(
        cert.ERC20InsufficientBalance, sender=investor_alice, balance=100 * ONE, needed=100 * ONE + 1
    ):
        cert.forcedTransfer(investor_alice, investor_carol, 100 * ONE + 1, sender=transfer_agent)


def test_a_forced_transfer_to_or_from_zero_is_refused(cert, transfer_agent, investor_alice):
    with reverts(cert.ERC20InvalidReceiver, receiver=ZERO):
        cert.forcedTransfer(investor_alice, ZERO, ONE, sender=transfer_agent)
    with reverts(cert.ERC20InvalidSender, sender=ZERO):
        cert.forcedTransfer(ZERO, investor_alice, ONE, sender=transfer_agent)


# ---------------------------------------------------------------------------------------------
# canSend / canReceive / canTransfer
# ---------------------------------------------------------------------------------------------


def test_can_send_and_receive_follow_the_sanctions_cache(
    cert, sanctions, compliance_officer, investor_alice, investor_bob
):
    sanctions.setSanctioned(investor_bob, True, sender=compliance_officer)

    assert cert.canSend(investor_alice) and cert.canReceive(investor_alice)
    assert not cert.canSend(investor_bob) and not cert.canReceive(investor_bob)
    assert not cert.canSend(ZERO) and not cert.canReceive(ZERO)


def test_can_send_is_account_level_and_ignores_the_pause(cert, guardian, investor_alice, investor_bob):
    cert.pause(sender=guardian)

    assert cert.canSend(investor_alice)
    assert not cert.canTransfer(investor_alice, investor_bob, 1)


def test_can_transfer_counts_the_frozen_tokens(cert, transfer_agent, investor_alice, investor_bob):
    freeze(cert, transfer_agent, investor_alice, 60 * ONE)

    assert cert.canTransfer(investor_alice, investor_bob, 40 * ONE)
    assert not cert.canTransfer(investor_alice, investor_bob, 40 * ONE + 1)


# ---------------------------------------------------------------------------------------------
# diagnoseTransfer
# ---------------------------------------------------------------------------------------------

RULES = [
    Restriction.PAUSED,
    Restriction.ZERO_ADDRESS,
    Restriction.SENDER_SANCTIONED,
    Restriction.RECIPIENT_SANCTIONED,
    Restriction.INSUFFICIENT_BALANCE,
    Restriction.INSUFFICIENT_UNFROZEN_BALANCE,
]


def verdicts(cert, sender, to, amount) -> dict[int, bool]:
    rules = cert.diagnoseTransfer(sender, to, amount)
    assert [rule.code for rule in rules] == RULES
    assert [rule.message for rule in rules] == [cert.messageForTransferRestriction(code) for code in RULES]
    return {Restriction(rule.code): rule.passed for rule in rules}


def test_an_allowed_transfer_passes_every_rule(cert, investor_alice, investor_bob):
    assert all(verdicts(cert, investor_alice, investor_bob, 100 * ONE).values())


def test_the_diagnostic_lists_every_failing_rule_and_detect_returns_the_first(
    cert, guardian, sanctions, compliance_officer, transfer_agent, investor_alice, investor_bob
):
    sanctions.setSanctioned(investor_bob, True, sender=compliance_officer)
    freeze(cert, transfer_agent, investor_alice, 60 * ONE)
    cert.pause(sender=guardian)

    failed = [
        code for code, passed in verdicts(cert, investor_alice, investor_bob, 50 * ONE).items() if not passed
    ]

    assert failed == [
        Restriction.PAUSED,
        Restriction.RECIPIENT_SANCTIONED,
        Restriction.INSUFFICIENT_UNFROZEN_BALANCE,
    ]
    assert cert.detectTransferRestriction(investor_alice, investor_bob, 50 * ONE) == Restriction.PAUSED


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("zero sender", Restriction.ZERO_ADDRESS),
        ("zero recipient", Restriction.ZERO_ADDRESS),
        ("sanctioned sender", Restriction.SENDER_SANCTIONED),
        ("above balance", Restriction.INSUFFICIENT_BALANCE),
        ("frozen", Restriction.INSUFFICIENT_UNFROZEN_BALANCE),
    ],
)
def test_each_rule_fails_on_its_own(
    cert, sanctions, compliance_officer, transfer_agent, investor_alice, investor_bob, case, expected
):
    sender, to, amount = investor_alice, investor_bob, 10 * ONE
    if case == "zero sender":
        sender = ZERO
    elif case == "zero recipient":
        to = ZERO
    elif case == "sanctioned sender":
        sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)
    elif case == "above balance":
        amount = 100 * ONE + 1
    else:
        freeze(cert, transfer_agent, investor_alice, 95 * ONE)

    result = verdicts(cert, sender, to, amount)

    assert not result[expected]
    assert cert.detectTransferRestriction(sender, to, amount) == expected
    assert not cert.canTransfer(sender, to, amount)


# ---------------------------------------------------------------------------------------------
# ERC-165
# ---------------------------------------------------------------------------------------------


def test_the_certificate_advertises_erc7943_and_the_diagnostic(cert):
    from eth_utils import keccak

    diagnostic_id = keccak(text="diagnoseTransfer(address,address,uint256)")[:4]

    assert cert.supportsInterface(ERC7943_FUNGIBLE_ID)
    assert cert.supportsInterface(diagnostic_id)
