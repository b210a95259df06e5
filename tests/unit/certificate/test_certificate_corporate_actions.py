"""Corporate actions through the share multiplier: scheduled, compare-and-swap, nonce, history, epoch."""

from ape import chain
from certificate_constants import pinned_now
from revert_data import reverts

from tokenized_stocks.protocol.multiplier import MAX_MULTIPLIER, MIN_MULTIPLIER, ONE, to_tokens_down


def test_balances_are_unchanged_before_the_activation_time(funded, schedule, investor_alice, investor_bob):
    _, activation = schedule(2 * ONE)
    chain.mine(timestamp=activation - 1)

    assert funded.balanceOf(investor_alice) == 100 * ONE
    assert funded.balanceOf(investor_bob) == 50 * ONE
    assert funded.multiplier() == ONE


def test_balances_double_at_activation_for_holders_who_never_transact(
    funded, schedule, investor_alice, investor_bob
):
    _, activation = schedule(2 * ONE)
    chain.mine(timestamp=activation)

    assert funded.balanceOf(investor_alice) == 200 * ONE
    assert funded.balanceOf(investor_bob) == 100 * ONE
    assert funded.totalSupply() == 300 * ONE
    assert funded.unitsOf(investor_alice) == 100 * ONE


def test_the_epoch_opens_at_activation_not_at_scheduling(funded, schedule):
    _, activation = schedule(2 * ONE)
    assert funded.corporateActionEpoch() == 0

    chain.mine(timestamp=activation)

    assert funded.corporateActionEpoch() == 1


def test_the_epoch_stays_once_a_transfer_folds_the_update_and_counts_the_next_from_its_activation(
    funded, schedule, investor_alice, investor_bob
):
    # The fold clears the slow-path flag: the epoch is then read from storage alone (the gateway's
    # send reads it after the burn), and must not lose the folded update nor count the next early.
    _, activation = schedule(2 * ONE)
    chain.mine(timestamp=activation)
    funded.transfer(investor_bob, ONE, sender=investor_alice)  # folds the update
    assert funded.pendingMultiplierUpdate() == (0, 0, 0)
    assert funded.corporateActionEpoch() == 1

    _, second = schedule(3 * ONE)
    assert funded.corporateActionEpoch() == 1
    chain.mine(timestamp=second)
    assert funded.corporateActionEpoch() == 2


def test_scheduling_emits_the_update_with_nonce_epoch_and_activation(cert, transfer_agent):
    activation = pinned_now() + 100

    receipt = cert.scheduleMultiplierUpdate(ONE, 3 * ONE, activation, 7, sender=transfer_agent)

    assert receipt.events == [
        cert.MultiplierUpdateScheduled(
            nonce=7, epoch=1, previousMultiplier=ONE, newMultiplier=3 * ONE, activationTime=activation
        )
    ]
    assert cert.pendingMultiplierUpdate() == (7, 3 * ONE, activation)


def test_reverse_split_rounds_every_balance_down_and_never_above_total_supply(
    cert, issuer, transfer_agent, investor_alice, investor_bob, investor_carol
):
    for holder, amount in ((investor_alice, 10 * ONE + 1), (investor_bob, 7), (investor_carol, 5 * ONE + 2)):
        cert.mint(holder, amount, sender=issuer)
    one_for_three = ONE // 3  # 333333333333333333
    cert.scheduleMultiplierUpdate(ONE, one_for_three, pinned_now(), 1, sender=transfer_agent)

    balances = [cert.balanceOf(h) for h in (investor_alice, investor_bob, investor_carol)]

    assert balances == [to_tokens_down(u, one_for_three) for u in (10 * ONE + 1, 7, 5 * ONE + 2)]
    assert balances[1] == 2  # 7 units * 1/3 = 2.33 -> 2
    assert sum(balances) <= cert.totalSupply() < sum(balances) + 3


def test_a_holder_can_always_transfer_its_whole_balance_after_a_reverse_split(
    cert, issuer, transfer_agent, investor_alice, investor_bob
):
    cert.mint(investor_alice, 10 * ONE + 1, sender=issuer)
    cert.scheduleMultiplierUpdate(ONE, ONE // 3, pinned_now(), 1, sender=transfer_agent)

    cert.transfer(investor_bob, cert.balanceOf(investor_alice), sender=investor_alice)

    assert cert.balanceOf(investor_alice) == 0
    assert cert.unitsOf(investor_alice) <= 3  # dust worth less than one wei


def test_a_stale_quoted_multiplier_is_refused(funded, schedule, transfer_agent):
    _, activation = schedule(2 * ONE, delay=10)
    chain.mine(timestamp=activation)

    with reverts(funded.CertificateMultiplierMismatch, quoted=ONE, current=2 * ONE):
        funded.scheduleMultiplierUpdate(ONE, 4 * ONE, pinned_now(), 2, sender=transfer_agent)


def test_two_operators_racing_on_the_same_quote_apply_only_once(
    funded, schedule, transfer_agent, investor_alice
):
    _, activation = schedule(2 * ONE, delay=0)

    with reverts(funded.CertificateMultiplierMismatch, quoted=ONE, current=2 * ONE):
        funded.scheduleMultiplierUpdate(ONE, 2 * ONE, pinned_now(), 2, sender=transfer_agent)
    assert funded.balanceOf(investor_alice) == 200 * ONE


def test_a_nonce_not_above_the_last_one_is_refused(funded, schedule, transfer_agent):
    schedule(2 * ONE, delay=0, nonce=5)

    with reverts(funded.CertificateStaleNonce, nonce=5, lastNonce=5):
        funded.scheduleMultiplierUpdate(2 * ONE, 4 * ONE, pinned_now(), 5, sender=transfer_agent)
    with reverts(funded.CertificateStaleNonce, nonce=4, lastNonce=5):
        funded.scheduleMultiplierUpdate(2 * ONE, 4 * ONE, pinned_now(), 4, sender=transfer_agent)


def test_a_second_update_while_one_is_pending_is_refused(cert, schedule, transfer_agent):
    _, activation = schedule(2 * ONE, nonce=1)

    with reverts(cert.CertificateUpdatePending, nonce=1, activationTime=activation):
        cert.scheduleMultiplierUpdate(ONE, 3 * ONE, activation, 2, sender=transfer_agent)


def test_an_activation_time_in_the_past_is_refused(cert, transfer_agent):
    past = pinned_now() - 1

    with reverts(cert.CertificateInvalidActivation, activationTime=past):
        cert.scheduleMultiplierUpdate(ONE, 2 * ONE, past, 1, sender=transfer_agent)


def test_a_multiplier_outside_the_bounds_is_refused(cert, transfer_agent):
    for bad in (MIN_MULTIPLIER - 1, MAX_MULTIPLIER + 1):
        with reverts(cert.CertificateInvalidMultiplier, multiplier=bad):
            cert.scheduleMultiplierUpdate(ONE, bad, pinned_now(), 1, sender=transfer_agent)


def test_a_pending_update_can_be_cancelled_and_its_nonce_stays_used(funded, schedule, transfer_agent):
    _, activation = schedule(2 * ONE, nonce=3)

    receipt = funded.cancelMultiplierUpdate(3, sender=transfer_agent)
    chain.mine(timestamp=activation)

    assert receipt.events == [funded.MultiplierUpdateCancelled(nonce=3)]
    assert funded.multiplier() == ONE
    assert funded.corporateActionEpoch() == 0
    assert funded.multiplierUpdateCount() == 0
    with reverts(funded.CertificateStaleNonce, nonce=3, lastNonce=3):
        funded.scheduleMultiplierUpdate(ONE, 2 * ONE, pinned_now(), 3, sender=transfer_agent)


def test_an_active_update_cannot_be_cancelled(funded, schedule, transfer_agent):
    _, activation = schedule(2 * ONE, nonce=1, delay=5)
    chain.pending_timestamp = activation

    with reverts(funded.CertificateNoPendingUpdate, nonce=1):
        funded.cancelMultiplierUpdate(1, sender=transfer_agent)


def test_the_history_keeps_every_update_in_order(cert, transfer_agent):
    t0 = pinned_now()
    cert.scheduleMultiplierUpdate(ONE, 2 * ONE, t0, 1, sender=transfer_agent)
    t1 = pinned_now()
    cert.scheduleMultiplierUpdate(2 * ONE, ONE, t1 + 50, 4, sender=transfer_agent)

    assert cert.multiplierUpdateCount() == 2
    first, second = cert.multiplierUpdate(0), cert.multiplierUpdate(1)
    assert (first.nonce, first.epoch, first.activationTime) == (1, 1, t0)
    assert (first.previousMultiplier, first.newMultiplier) == (ONE, 2 * ONE)
    assert (second.nonce, second.epoch, second.activationTime, second.scheduledAt) == (4, 2, t1 + 50, t1)
    assert (second.previousMultiplier, second.newMultiplier) == (2 * ONE, ONE)
    with reverts(cert.CertificateUnknownUpdate, index=2):
        cert.multiplierUpdate(2)


def test_successive_updates_bump_the_epoch_each_time(cert, transfer_agent):
    for nonce, (old, new) in enumerate(((ONE, 2 * ONE), (2 * ONE, 6 * ONE), (6 * ONE, 3 * ONE)), start=1):
        cert.scheduleMultiplierUpdate(old, new, pinned_now(), nonce, sender=transfer_agent)

    chain.mine()
    assert cert.corporateActionEpoch() == 3
    assert cert.multiplier() == 3 * ONE


def test_transfers_after_a_split_move_tokens_at_the_new_multiplier(
    funded, schedule, investor_alice, investor_bob
):
    _, activation = schedule(2 * ONE, delay=5)
    chain.pending_timestamp = activation

    funded.transfer(investor_bob, 30 * ONE, sender=investor_alice)

    assert funded.balanceOf(investor_alice) == 170 * ONE
    assert funded.balanceOf(investor_bob) == 130 * ONE
    assert funded.unitsOf(investor_bob) == 65 * ONE


def test_scheduling_is_refused_off_the_home_chain(remote_cert, transfer_agent):
    with reverts(remote_cert.CertificateNotHomeChain, chainId=chain.chain_id, homeChainId=1):
        remote_cert.scheduleMultiplierUpdate(ONE, 2 * ONE, pinned_now(), 1, sender=transfer_agent)


def test_an_update_to_the_current_multiplier_opens_an_epoch_to_sync_the_fee(funded, transfer_agent):
    funded.scheduleMultiplierUpdate(ONE, ONE, pinned_now(), 1, sender=transfer_agent)

    assert funded.corporateActionEpoch() == 1
    assert funded.multiplier() == ONE
