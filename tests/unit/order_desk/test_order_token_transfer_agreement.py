"""The order token's pre-trade views never disagree with a transfer: a seeded random
walk of token freezes (partial, above the balance, cleared), wallet freezes, investor freezes,
sanctions listings, the token's and the desk's pauses, forced transfers and transfers of edge
amounts, each transfer checked by `assert_views_agree_with_transfer` (canTransfer, ERC-1404, the
diagnostic and the transfer)."""

import random

import pytest
from ape.exceptions import ContractLogicError
from order_desk_helpers import SHARE, ZERO_ADDRESS, investor_id
from transfer_agreement import assert_views_agree_with_transfer

pytestmark = pytest.mark.usefixtures("funded")

STEPS = 60


def test_can_transfer_agrees_with_the_transfer_under_random_operations(
    token,
    desk,
    relayer,
    issuer,
    sanctions,
    compliance_officer,
    desk_registry,
    registrar,
    guardian,
    investor_alice,
    investor_alice_2,
    investor_bob,
    investor_carol,
):
    holders = [investor_alice, investor_alice_2, investor_bob, investor_carol]
    investors = {
        investor_alice.address: "alice",
        investor_alice_2.address: "alice",
        investor_bob.address: "bob",
    }
    token.setGateway(relayer, sender=issuer)
    for holder in holders:
        token.crosschainMint(holder, 40 * SHARE, sender=relayer)
    rng = random.Random(7943)
    flags: set[tuple[str, str]] = set()
    outcomes = {True: 0, False: 0}
    for _ in range(STEPS):
        action = rng.choice(
            [
                "freeze",
                "wallet",
                "investor",
                "sanction",
                "pause",
                "clear",
                "force",
                "transfer",
                "transfer",
                "transfer",
            ]
        )
        account = rng.choice(holders)
        balance = token.balanceOf(account)
        key = (action, account.address)
        on = key not in flags
        if action == "freeze":
            amount = rng.choice([0, 1, balance // 2, balance, balance + SHARE])
            token.setFrozenTokens(account, amount, sender=compliance_officer)
        elif action == "wallet":
            token.setFrozen(account, on, sender=compliance_officer)
        elif action == "investor" and account.address in investors:
            name = investors[account.address]
            key, on = (action, name), (action, name) not in flags
            desk_registry.setInvestorFrozen(investor_id(name), on, sender=registrar)
        elif action == "sanction":
            sanctions.setSanctioned(account, on, sender=compliance_officer)
        elif action == "pause":
            target = rng.choice([token, desk])
            key = (action, target.address)
            on = key not in flags
            target.pause(sender=guardian) if on else target.unpause(sender=issuer)
        elif action == "clear":  # lifts every restriction, so the walk keeps finding allowed transfers
            for kind, subject in sorted(flags):
                if kind == "wallet":
                    token.setFrozen(subject, False, sender=compliance_officer)
                elif kind == "investor":
                    desk_registry.setInvestorFrozen(investor_id(subject), False, sender=registrar)
                elif kind == "sanction":
                    sanctions.setSanctioned(subject, False, sender=compliance_officer)
                else:
                    (token if subject == token.address else desk).unpause(sender=issuer)
            flags.clear()
            continue
        elif action == "force":
            try:
                to = rng.choice(holders)
                token.forcedTransfer(
                    account, to, rng.choice([1, balance, balance + 1]), sender=compliance_officer
                )
            except ContractLogicError:
                pass  # paused, a recipient that cannot receive, above the balance
            continue
        elif action == "transfer":
            to = rng.choice([*holders, ZERO_ADDRESS])
            unfrozen = max(balance - token.getFrozenTokens(account), 0)
            amount = rng.choice([0, 1, balance, balance + 1, unfrozen, unfrozen + 1])
            outcomes[assert_views_agree_with_transfer(token, account, to, amount)] += 1
            continue
        else:
            continue
        if action != "freeze":  # frozen tokens are not a flag: "freeze" itself sets them to 0 at times
            (flags.add if on else flags.discard)(key)
        sender, to = rng.choice(holders), rng.choice(holders)
        amount = rng.choice([1, token.balanceOf(sender)])
        outcomes[assert_views_agree_with_transfer(token, sender, to, amount)] += 1
    assert outcomes[True] > 5 and outcomes[False] > 5, outcomes
