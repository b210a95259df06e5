"""The certificate's pre-trade views never disagree with a transfer: a seeded random
walk of freezes (partial, above the balance, cleared), sanctions listings, pauses, forced
transfers, a split and transfers of edge amounts, each transfer checked by
`assert_views_agree_with_transfer` (canTransfer, ERC-1404, the diagnostic and the transfer)."""

import random

from ape.exceptions import ContractLogicError
from certificate_constants import ZERO, pinned_now
from transfer_agreement import assert_views_agree_with_transfer

from tokenized_stocks.protocol.multiplier import ONE

STEPS = 60


def test_can_transfer_agrees_with_the_transfer_under_random_operations(
    funded,
    sanctions,
    compliance_officer,
    transfer_agent,
    guardian,
    issuer,
    chain,
    investor_alice,
    investor_bob,
    investor_carol,
):
    cert = funded
    holders = [investor_alice, investor_bob, investor_carol]
    rng = random.Random(7943)
    sanctioned: set[str] = set()
    paused = False
    split_done = False
    outcomes = {True: 0, False: 0}
    for _ in range(STEPS):
        action = rng.choice(
            ["freeze", "freeze", "sanction", "pause", "force", "split", "transfer", "transfer"]
        )
        account = rng.choice(holders)
        balance = cert.balanceOf(account)
        if action == "freeze":
            amount = rng.choice([0, 1, balance // 2, balance, balance + ONE, rng.randrange(0, 200) * ONE])
            cert.setFrozenTokens(account, amount, sender=transfer_agent)
        elif action == "sanction":
            listed = account.address not in sanctioned
            sanctions.setSanctioned(account, listed, sender=compliance_officer)
            (sanctioned.add if listed else sanctioned.discard)(account.address)
        elif action == "pause":
            cert.unpause(sender=issuer) if paused else cert.pause(sender=guardian)
            paused = not paused
        elif action == "force":
            to = rng.choice(holders)
            amount = rng.choice([1, balance, balance + 1, balance // 3])
            try:
                cert.forcedTransfer(account, to, amount, sender=transfer_agent)
            except ContractLogicError:
                pass  # paused, a sanctioned recipient or above the balance: the views are what is tested
        elif action == "split" and not split_done:
            activation = pinned_now() + 10
            cert.scheduleMultiplierUpdate(
                cert.multiplier(), 3 * ONE // 2, activation, 1, sender=transfer_agent
            )
            chain.mine(timestamp=activation)
            split_done = True
        else:
            to = rng.choice([*holders, ZERO])
            frozen = cert.getFrozenTokens(account)
            unfrozen = max(balance - frozen, 0)
            amount = rng.choice([0, 1, balance, balance + 1, unfrozen, unfrozen + 1])
            outcomes[assert_views_agree_with_transfer(cert, account, to, amount)] += 1
        if action != "transfer":  # one more check after every change of state
            sender, to = rng.choice(holders), rng.choice(holders)
            amount = rng.choice(
                [1, cert.balanceOf(sender), max(cert.balanceOf(sender) - cert.getFrozenTokens(sender), 0)]
            )
            outcomes[assert_views_agree_with_transfer(cert, sender, to, amount)] += 1
    # The walk explored both outcomes (a walk that only ever fails or succeeds proves little).
    assert outcomes[True] > 5 and outcomes[False] > 5, outcomes
