"""ERC-7943 (uRWA, fungible) on the order token: frozen tokens beside the wallet freeze, forced
transfers, the account-level and transfer-level checks, and the transfer diagnostic.

Forced transfers and frozen tokens (the ERC leaves it open): a forced transfer takes the
unfrozen tokens first; when it needs more, it takes frozen ones and lowers the frozen amount by
what it took, emitting Frozen before Transfer."""

import pytest
from order_desk_helpers import SHARE, ZERO_ADDRESS, investor_id
from revert_data import reverts

from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.roles import COMPLIANCE_ROLE

pytestmark = pytest.mark.usefixtures("funded")

ERC7943_FUNGIBLE_ID = bytes.fromhex("3edbb4c4")  # the ERC's own figure


@pytest.fixture
def gateway(relayer, token, issuer):
    token.setGateway(relayer, sender=issuer)
    return relayer


@pytest.fixture
def holdings(token, gateway, investor_alice, investor_bob) -> None:
    """Alice holds 100 shares, Bob 50 (delivered by the gateway)."""
    token.crosschainMint(investor_alice, 100 * SHARE, sender=gateway)
    token.crosschainMint(investor_bob, 50 * SHARE, sender=gateway)


def freeze(token, officer, account, amount):
    return token.setFrozenTokens(account, amount, sender=officer)


# ---------------------------------------------------------------------------------------------
# setFrozenTokens / getFrozenTokens
# ---------------------------------------------------------------------------------------------


def test_set_frozen_tokens_emits_frozen_and_overwrites(token, compliance_officer, investor_alice):
    receipt = freeze(token, compliance_officer, investor_alice, 30 * SHARE)
    assert receipt.events == [token.Frozen(investor_alice, 30 * SHARE)]

    freeze(token, compliance_officer, investor_alice, 10 * SHARE)

    assert token.getFrozenTokens(investor_alice) == 10 * SHARE


def test_frozen_tokens_and_the_wallet_freeze_are_independent(token, compliance_officer, investor_alice):
    freeze(token, compliance_officer, investor_alice, 5 * SHARE)
    token.setFrozen(investor_alice, True, sender=compliance_officer)
    token.setFrozen(investor_alice, False, sender=compliance_officer)

    assert token.getFrozenTokens(investor_alice) == 5 * SHARE
    assert not token.isFrozen(investor_alice)


def test_freezing_the_zero_address_or_too_much_is_refused(token, compliance_officer, investor_alice):
    with reverts(token.OrderTokenZeroAddress):
        freeze(token, compliance_officer, ZERO_ADDRESS, 1)
    with reverts(token.OrderTokenFrozenAmountTooLarge, amount=2**248, maxAmount=2**248 - 1):
        freeze(token, compliance_officer, investor_alice, 2**248)


@pytest.mark.parametrize("call", ["setFrozenTokens", "forcedTransfer"])
def test_an_outsider_cannot_freeze_or_force(token, outsider, investor_alice, investor_bob, call):
    with reverts(token.AccessControlUnauthorizedAccount, account=outsider, neededRole=COMPLIANCE_ROLE):
        if call == "setFrozenTokens":
            token.setFrozenTokens(investor_alice, SHARE, sender=outsider)
        else:
            token.forcedTransfer(investor_alice, investor_bob, SHARE, sender=outsider)


# ---------------------------------------------------------------------------------------------
# Frozen tokens in ordinary debits
# ---------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("holdings")
def test_a_holder_moves_its_unfrozen_tokens_only(token, compliance_officer, investor_alice, investor_bob):
    freeze(token, compliance_officer, investor_alice, 60 * SHARE)

    token.transfer(investor_bob, 40 * SHARE, sender=investor_alice)

    with reverts(token.ERC7943InsufficientUnfrozenBalance, account=investor_alice, amount=1, unfrozen=0):
        token.transfer(investor_bob, 1, sender=investor_alice)


@pytest.mark.usefixtures("holdings")
def test_above_the_balance_the_base_erc20_error_wins(token, compliance_officer, investor_alice, investor_bob):
    freeze(token, compliance_officer, investor_alice, 60 * SHARE)

    with reverts(
        token.ERC20InsufficientBalance, sender=investor_alice, balance=100 * SHARE, needed=100 * SHARE + 1
    ):
        token.transfer(investor_bob, 100 * SHARE + 1, sender=investor_alice)


@pytest.mark.usefixtures("holdings")
def test_a_bridge_burn_cannot_take_frozen_tokens(token, gateway, compliance_officer, investor_alice):
    freeze(token, compliance_officer, investor_alice, 60 * SHARE)

    with reverts(
        token.ERC7943InsufficientUnfrozenBalance,
        account=investor_alice,
        amount=41 * SHARE,
        unfrozen=40 * SHARE,
    ):
        token.crosschainBurn(investor_alice, 41 * SHARE, sender=gateway)


@pytest.mark.usefixtures("holdings")
def test_a_freeze_above_the_balance_withholds_receipts(
    token, compliance_officer, investor_alice, investor_bob
):
    freeze(token, compliance_officer, investor_bob, 80 * SHARE)
    token.transfer(investor_bob, 20 * SHARE, sender=investor_alice)

    assert not token.canTransfer(investor_bob, investor_alice, 1)


# ---------------------------------------------------------------------------------------------
# forcedTransfer
# ---------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("holdings")
def test_a_forced_transfer_within_the_unfrozen_tokens_keeps_the_freeze(
    token, compliance_officer, investor_alice, investor_bob
):
    freeze(token, compliance_officer, investor_alice, 60 * SHARE)

    receipt = token.forcedTransfer(investor_alice, investor_bob, 40 * SHARE, sender=compliance_officer)

    assert receipt.events == [
        token.Transfer(investor_alice, investor_bob, 40 * SHARE),
        token.ForcedTransfer(investor_alice, investor_bob, 40 * SHARE),
    ]
    assert token.getFrozenTokens(investor_alice) == 60 * SHARE


@pytest.mark.usefixtures("holdings")
def test_a_forced_transfer_takes_frozen_tokens_and_lowers_the_freeze_first(
    token, compliance_officer, investor_alice, investor_bob
):
    freeze(token, compliance_officer, investor_alice, 60 * SHARE)

    receipt = token.forcedTransfer(investor_alice, investor_bob, 70 * SHARE, sender=compliance_officer)

    assert receipt.events == [
        token.Frozen(investor_alice, 30 * SHARE),
        token.Transfer(investor_alice, investor_bob, 70 * SHARE),
        token.ForcedTransfer(investor_alice, investor_bob, 70 * SHARE),
    ]
    assert token.getFrozenTokens(investor_alice) == token.balanceOf(investor_alice) == 30 * SHARE


@pytest.mark.usefixtures("holdings")
def test_a_forced_transfer_from_an_over_frozen_account_lowers_the_freeze_by_the_amount(
    token, compliance_officer, investor_alice, investor_bob
):
    freeze(token, compliance_officer, investor_bob, 80 * SHARE)

    token.forcedTransfer(investor_bob, investor_alice, 50 * SHARE, sender=compliance_officer)

    assert token.getFrozenTokens(investor_bob) == 30 * SHARE


@pytest.mark.usefixtures("holdings")
def test_a_forced_transfer_takes_from_a_frozen_or_sanctioned_holder(
    token, sanctions, compliance_officer, desk_registry, registrar, investor_alice, investor_bob
):
    token.setFrozen(investor_alice, True, sender=compliance_officer)
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)
    desk_registry.setInvestorFrozen(investor_id("alice"), True, sender=registrar)

    token.forcedTransfer(investor_alice, investor_bob, 100 * SHARE, sender=compliance_officer)

    assert token.balanceOf(investor_bob) == 150 * SHARE


@pytest.mark.usefixtures("holdings")
@pytest.mark.parametrize("rule", ["sanctioned", "wallet frozen", "investor frozen"])
def test_a_forced_transfer_to_a_recipient_that_cannot_receive_is_refused(
    token, sanctions, compliance_officer, desk_registry, registrar, investor_alice, investor_bob, rule
):
    if rule == "sanctioned":
        sanctions.setSanctioned(investor_bob, True, sender=compliance_officer)
        error = token.OrderTokenSanctioned
    elif rule == "wallet frozen":
        token.setFrozen(investor_bob, True, sender=compliance_officer)
        error = token.OrderTokenFrozen
    else:
        desk_registry.setInvestorFrozen(investor_id("bob"), True, sender=registrar)
        error = token.OrderTokenFrozen

    assert not token.canReceive(investor_bob)
    with reverts(error, account=investor_bob):
        token.forcedTransfer(investor_alice, investor_bob, SHARE, sender=compliance_officer)


@pytest.mark.usefixtures("holdings")
@pytest.mark.parametrize("paused", ["token", "desk"])
def test_a_forced_transfer_is_refused_while_paused(
    token, desk, guardian, compliance_officer, investor_alice, investor_bob, paused
):
    (token if paused == "token" else desk).pause(sender=guardian)

    with reverts(token.OrderTokenPaused, assetId=token.assetId()):
        token.forcedTransfer(investor_alice, investor_bob, SHARE, sender=compliance_officer)


@pytest.mark.usefixtures("holdings")
def test_a_forced_transfer_above_the_balance_or_with_zero_is_refused(
    token, compliance_officer, investor_alice, investor_bob
):
    with reverts(
        token.ERC20InsufficientBalance, sender=investor_alice, balance=100 * SHARE, needed=100 * SHARE + 1
    ):
        token.forcedTransfer(investor_alice, investor_bob, 100 * SHARE + 1, sender=compliance_officer)
    with reverts(token.ERC20InvalidReceiver, receiver=ZERO_ADDRESS):
        token.forcedTransfer(investor_alice, ZERO_ADDRESS, SHARE, sender=compliance_officer)
    with reverts(token.ERC20InvalidSender, sender=ZERO_ADDRESS):
        token.forcedTransfer(ZERO_ADDRESS, investor_bob, SHARE, sender=compliance_officer)


# ---------------------------------------------------------------------------------------------
# canSend / canReceive / canTransfer / diagnoseTransfer
# ---------------------------------------------------------------------------------------------


def test_can_send_covers_sanctions_wallet_and_investor_freezes(
    token,
    sanctions,
    compliance_officer,
    desk_registry,
    registrar,
    investor_alice,
    investor_bob,
    investor_carol,
):
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)
    token.setFrozen(investor_bob, True, sender=compliance_officer)

    assert not token.canSend(investor_alice)
    assert not token.canReceive(investor_bob)
    assert token.canSend(investor_carol)  # unbound wallets are not frozen: freely transferable
    assert not token.canSend(ZERO_ADDRESS)


def test_can_send_ignores_the_pauses(token, desk, guardian, investor_alice, investor_bob):
    desk.pause(sender=guardian)

    assert token.canSend(investor_alice)
    assert not token.canTransfer(investor_alice, investor_bob, 0)


RULES = [
    Restriction.ZERO_ADDRESS,
    Restriction.PAUSED,
    Restriction.SENDER_SANCTIONED,
    Restriction.RECIPIENT_SANCTIONED,
    Restriction.SENDER_WALLET_FROZEN,
    Restriction.RECIPIENT_WALLET_FROZEN,
    Restriction.SENDER_INVESTOR_FROZEN,
    Restriction.RECIPIENT_INVESTOR_FROZEN,
    Restriction.INSUFFICIENT_BALANCE,
    Restriction.INSUFFICIENT_UNFROZEN_BALANCE,
]


def failing(token, sender, to, amount) -> list[int]:
    rules = token.diagnoseTransfer(sender, to, amount)
    assert [rule.code for rule in rules] == RULES
    assert [rule.message for rule in rules] == [token.messageForTransferRestriction(c) for c in RULES]
    return [rule.code for rule in rules if not rule.passed]


@pytest.mark.usefixtures("holdings")
def test_an_allowed_transfer_passes_every_rule(token, investor_alice, investor_bob):
    assert failing(token, investor_alice, investor_bob, 100 * SHARE) == []
    assert token.canTransfer(investor_alice, investor_bob, 100 * SHARE)


@pytest.mark.usefixtures("holdings")
def test_the_diagnostic_lists_every_failing_rule_and_detect_returns_the_first(
    token, sanctions, compliance_officer, desk_registry, registrar, investor_alice, investor_bob
):
    token.setFrozen(investor_bob, True, sender=compliance_officer)
    desk_registry.setInvestorFrozen(investor_id("alice"), True, sender=registrar)
    freeze(token, compliance_officer, investor_alice, 90 * SHARE)

    failed = failing(token, investor_alice, investor_bob, 20 * SHARE)

    assert failed == [
        Restriction.RECIPIENT_WALLET_FROZEN,
        Restriction.SENDER_INVESTOR_FROZEN,
        Restriction.INSUFFICIENT_UNFROZEN_BALANCE,
    ]
    assert token.detectTransferRestriction(investor_alice, investor_bob, 20 * SHARE) == failed[0]


def test_the_token_advertises_erc7943_and_the_diagnostic(token):
    from eth_utils import keccak

    assert token.supportsInterface(ERC7943_FUNGIBLE_ID)
    assert token.supportsInterface(keccak(text="diagnoseTransfer(address,address,uint256)")[:4])
