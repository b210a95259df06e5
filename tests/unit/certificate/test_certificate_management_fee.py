"""Management fee: the multiplier decays once per whole period, in O(log periods) gas."""

from ape import chain
from revert_data import reverts

from tokenized_stocks.protocol.multiplier import MAX_FEE_PER_PERIOD, ONE, decay, to_tokens_down

DAY = 86_400
FEE = 137_000_000_000_000  # 0.0137% per day, about 5% a year


def start_fee(cert, issuer, fee: int = FEE, period: int = DAY) -> int:
    receipt = cert.setManagementFee(fee, period, sender=issuer)
    return receipt.timestamp


def test_setting_the_fee_emits_it(cert, issuer):
    receipt = cert.setManagementFee(FEE, DAY, sender=issuer)

    assert receipt.events == [cert.ManagementFeeSet(feePerPeriod=FEE, periodLength=DAY)]
    assert cert.managementFee() == (FEE, DAY, receipt.timestamp)


def test_no_fee_is_charged_before_a_whole_period_elapses(funded, issuer, investor_alice):
    start = start_fee(funded, issuer)
    chain.mine(timestamp=start + DAY - 1)

    assert funded.multiplier() == ONE
    assert funded.balanceOf(investor_alice) == 100 * ONE


def test_one_period_decays_every_balance_by_the_fee(funded, issuer, investor_alice):
    start = start_fee(funded, issuer)
    chain.mine(timestamp=start + DAY)

    expected = decay(ONE, FEE, 1)
    assert funded.multiplier() == expected == ONE - FEE
    assert funded.balanceOf(investor_alice) == to_tokens_down(100 * ONE, expected)


def test_a_thousand_periods_decay_in_closed_form(funded, issuer, investor_alice):
    start = start_fee(funded, issuer)
    chain.mine(timestamp=start + 1_000 * DAY + 5)

    expected = decay(ONE, FEE, 1_000)
    assert funded.multiplier() == expected
    assert abs(expected - int(ONE * (1 - FEE / ONE) ** 1_000)) < 10**6  # float check of the closed form
    assert funded.balanceOf(investor_alice) == to_tokens_down(100 * ONE, expected)


def test_accrual_folds_the_periods_and_emits_them(funded, issuer):
    start = start_fee(funded, issuer)
    chain.pending_timestamp = start + 3 * DAY

    receipt = funded.accrueFee(sender=issuer)

    assert receipt.events == [funded.ManagementFeeAccrued(periods=3, multiplier=decay(ONE, FEE, 3))]
    chain.mine(timestamp=start + 4 * DAY)
    assert funded.multiplier() == decay(decay(ONE, FEE, 3), FEE, 1)


def test_accrual_after_1_and_after_1000_periods_costs_the_same_gas(funded, issuer, outsider):
    start = start_fee(funded, issuer)
    snapshot = chain.snapshot()
    chain.pending_timestamp = start + DAY
    gas_one = funded.accrueFee(sender=outsider).gas_used
    chain.restore(snapshot)
    chain.pending_timestamp = start + 1_000 * DAY
    gas_thousand = funded.accrueFee(sender=outsider).gas_used

    print(f"accrueFee gas: 1 period {gas_one}, 1,000 periods {gas_thousand}")
    # O(log2 n): 1,000 periods take 9 more squarings (~170 gas each) than 1 period; a loop over
    # periods would cost at least 100 gas per period (100,000 more).
    assert abs(gas_thousand - gas_one) <= max(2_000, gas_one // 20)


def test_a_transfer_with_a_fee_running_moves_tokens_at_the_decayed_multiplier(
    funded, issuer, investor_alice, investor_bob
):
    start = start_fee(funded, issuer)
    chain.mine(timestamp=start + 10 * DAY)
    m = decay(ONE, FEE, 10)
    before = funded.balanceOf(investor_bob)

    funded.transfer(investor_bob, 10 * ONE, sender=investor_alice)

    assert funded.balanceOf(investor_bob) == before + 10 * ONE  # exact (finding 13.7)
    assert before == to_tokens_down(50 * ONE, m)


def test_a_split_scheduled_with_multiplier_at_keeps_the_fee_running(funded, issuer, transfer_agent):
    start = start_fee(funded, issuer)
    activation = start + 2 * DAY + 100
    target = 2 * funded.multiplierAt(activation)
    chain.pending_timestamp = start + DAY + 10
    current = decay(ONE, FEE, 1)

    funded.scheduleMultiplierUpdate(current, target, activation, 1, sender=transfer_agent)
    chain.mine(timestamp=activation)
    assert funded.multiplier() == target == 2 * decay(ONE, FEE, 2)
    chain.mine(timestamp=start + 3 * DAY)
    assert funded.multiplier() == decay(target, FEE, 1)
    assert funded.corporateActionEpoch() == 1


def test_stopping_the_fee_freezes_the_multiplier(funded, issuer):
    start = start_fee(funded, issuer)
    chain.pending_timestamp = start + 2 * DAY

    funded.setManagementFee(0, 0, sender=issuer)
    chain.mine(deltatime=30 * DAY)

    assert funded.multiplier() == decay(ONE, FEE, 2)


def test_a_fee_above_the_maximum_or_without_a_period_is_refused(cert, issuer):
    with reverts(cert.CertificateInvalidFee, feePerPeriod=MAX_FEE_PER_PERIOD + 1, periodLength=DAY):
        cert.setManagementFee(MAX_FEE_PER_PERIOD + 1, DAY, sender=issuer)
    with reverts(cert.CertificateInvalidFee, feePerPeriod=FEE, periodLength=0):
        cert.setManagementFee(FEE, 0, sender=issuer)


def test_the_fee_cannot_be_set_off_the_home_chain(remote_cert, issuer):
    with reverts(remote_cert.CertificateNotHomeChain, chainId=chain.chain_id, homeChainId=1):
        remote_cert.setManagementFee(FEE, DAY, sender=issuer)
