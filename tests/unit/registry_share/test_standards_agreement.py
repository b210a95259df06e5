"""The share's pre-trade answers never disagree with what a transfer does.

Seeded random sequences of onboarding, freezes (investor, wallet, partial), lock-ups, holding
limits, holder caps, the country rule, pause and transfers; before every transfer attempt:

    canTransfer == compliance().canTransfer == (detectTransferRestriction == 0)
                == every rule of diagnoseTransfer passed,
    the first failing rule of diagnoseTransfer == detectTransferRestriction,

and the transfer succeeds exactly when they say yes (a refusal carries that very code). The
ERC-7943 account views are checked against their rules too: a transfer that passes implies
`canSend(from)` and `canReceive(to)`.
"""

from __future__ import annotations

import contextlib
import random

import ape
import pytest
from revert_data import reverts

from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.protocol.roles import Country

SEEDS = (1, 2, 3)
STEPS = 45
REASON = "agreement test"


@pytest.fixture(scope="module")
def ext(project, share):
    return project.ShareExtension.at(share.address)


@pytest.fixture(scope="module")
def compliance(project, ext):
    return project.RegistryShare.at(ext.compliance())


@pytest.fixture(scope="module")
def wallets(
    investors, investor_alice, investor_alice_2, investor_bob, investor_carol, investor_dave, outsider
):
    return [investor_alice, investor_alice_2, investor_bob, investor_carol, investor_dave, outsider]


def check_transfer(share, ext, compliance, sender, to, amount) -> int:
    detect = share.detectTransferRestriction(sender, to, amount)
    rules = ext.diagnoseTransfer(sender, to, amount)
    failing = [rule.code for rule in rules if not rule.passed]
    allowed = share.canTransfer(sender, to, amount)
    assert allowed == compliance.canTransfer(sender, to, amount) == (detect == 0) == (not failing)
    assert (failing[0] if failing else 0) == detect
    for rule in rules:
        assert rule.message == share.messageForTransferRestriction(rule.code)
    if allowed:
        assert ext.canSend(sender) and ext.canReceive(to)
        before = share.balanceOf(to)
        share.transfer(to, amount, sender=sender)
        assert share.balanceOf(to) == before + amount or sender == to
    else:
        with reverts(share.ShareTransferRestricted, code=detect):
            share.transfer(to, amount, sender=sender)
    return detect


def random_amount(rng: random.Random, share, ext, wallet) -> int:
    balance = share.balanceOf(wallet)
    free = balance - ext.getFrozenTokens(wallet)
    return rng.choice([0, 1, free, free + 1, balance, balance // 2, 5 * ONE, 30 * ONE, 120 * ONE])


def act(rng, share, ext, registry, investors, wallets, chain, agent, guardian, issuer, registrar):
    """One random change of state (every change the rules read)."""
    holders = [w for w in wallets if share.balanceOf(w) > 0]
    action = rng.randrange(11)
    wallet = rng.choice(wallets[:-1])
    investor = rng.choice(list(investors.values()))
    if action == 0:
        amount = rng.choice([ONE, 10 * ONE, 40 * ONE])
        # An issue passes the recipient rules (caps, limits, freezes): refused ones change nothing.
        with contextlib.suppress(ape.exceptions.ContractLogicError):
            share.issue(wallet, amount, REASON, sender=agent)
    elif action == 1:
        ext.setAddressFrozen(wallet, not share.isFrozen(wallet), sender=agent)
    elif action == 2 and holders:
        holder = rng.choice(holders)
        ext.setFrozenTokens(holder, rng.randrange(share.balanceOf(holder) + 1), sender=agent)
    elif action == 3:
        registry.setInvestorFrozen(investor, not registry.investor(investor).frozen, sender=registrar)
    elif action == 4:
        until = rng.choice([0, chain.pending_timestamp + 3_600])
        share.setLockup(investor, until, REASON, sender=agent)
    elif action == 5:
        minimum = rng.choice([0, 0, 2, 5])
        share.setHoldingLimits(minimum, rng.choice([0, 0, 60, 150]), sender=issuer)
    elif action == 6:
        share.setMaxHolders(rng.choice([0, 1, 2, 3]), sender=issuer)
    elif action == 7:
        share.setCountryMaxHolders(Country.US, rng.choice([0, 1, 2]), sender=issuer)
    elif action == 8:
        share.setCountryRestriction(rng.random() < 0.5, sender=issuer)
        share.setCountryAllowed(Country.GB, rng.random() < 0.5, sender=issuer)
        share.setCountryAllowed(Country.US, rng.random() < 0.8, sender=issuer)
    elif action == 9:
        paused = share.paused()
        ext.unpause(sender=issuer) if paused else ext.pause(sender=guardian)
    # action 10 (and a no-op draw above): nothing changes before the next transfer


@pytest.mark.parametrize("seed", SEEDS)
def test_can_transfer_detect_diagnose_and_transfer_agree(
    seed,
    share,
    ext,
    compliance,
    registry,
    investors,
    wallets,
    chain,
    transfer_agent,
    guardian,
    issuer,
    registrar,
):
    rng = random.Random(seed)
    for wallet in wallets[:4]:
        share.issue(wallet, 50 * ONE, REASON, sender=transfer_agent)
    codes = set()
    for _ in range(STEPS):
        act(rng, share, ext, registry, investors, wallets, chain, transfer_agent, guardian, issuer, registrar)
        sender, to = rng.choice(wallets), rng.choice(wallets)
        codes.add(check_transfer(share, ext, compliance, sender, to, random_amount(rng, share, ext, sender)))
    # The walk is not trivial: it saw allowed transfers and several kinds of refusal.
    assert 0 in codes and len(codes) >= 4


def test_transfers_to_and_from_the_zero_address_are_refused_by_every_answer(
    funded, ext, compliance, investor_alice
):
    zero = ape.utils.ZERO_ADDRESS
    for sender, to in ((investor_alice, zero), (zero, investor_alice)):
        assert not funded.canTransfer(sender, to, ONE)
        assert not compliance.canTransfer(sender, to, ONE)
        rules = ext.diagnoseTransfer(sender, to, ONE)
        assert any(rule.code == Restriction.ZERO_ADDRESS and not rule.passed for rule in rules)
        assert [r.code for r in rules if not r.passed][0] == funded.detectTransferRestriction(sender, to, ONE)
