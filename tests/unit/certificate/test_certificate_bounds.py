"""The certificate's multiplier and fee bounds, at the limit and one past (issue 21, "What survived").

A scheduled or synced multiplier must lie in `[MIN_MULTIPLIER, MAX_MULTIPLIER]` (1e12 and the
80-bit maximum of its storage field); the management fee per period may be at most
`MAX_FEE_PER_PERIOD` (1%). Each bound is accepted and one past it refused with its error.
"""

from __future__ import annotations

import pytest
from certificate_constants import pinned_now
from revert_data import reverts

from tokenized_stocks.protocol.multiplier import MAX_FEE_PER_PERIOD, MAX_MULTIPLIER, MIN_MULTIPLIER, ONE

DAY = 86_400
BOUNDS = [MIN_MULTIPLIER, MAX_MULTIPLIER]
PAST = [MIN_MULTIPLIER - 1, MAX_MULTIPLIER + 1]


@pytest.mark.parametrize("multiplier", BOUNDS, ids=["min", "max"])
def test_an_update_to_a_multiplier_at_a_bound_is_accepted(cert, transfer_agent, multiplier):
    now = pinned_now()
    receipt = cert.scheduleMultiplierUpdate(ONE, multiplier, now, 1, sender=transfer_agent)
    assert receipt.events == [
        cert.MultiplierUpdateScheduled(
            nonce=1, epoch=1, previousMultiplier=ONE, newMultiplier=multiplier, activationTime=now
        )
    ]
    assert cert.multiplier() == multiplier


@pytest.mark.parametrize("multiplier", PAST, ids=["min-1", "max+1"])
def test_an_update_to_a_multiplier_one_past_a_bound_is_refused(cert, transfer_agent, multiplier):
    with reverts(cert.CertificateInvalidMultiplier, multiplier=multiplier):
        cert.scheduleMultiplierUpdate(ONE, multiplier, pinned_now(), 1, sender=transfer_agent)
    assert cert.pendingMultiplierUpdate() == (0, 0, 0)


@pytest.mark.parametrize("multiplier", BOUNDS, ids=["min", "max"])
def test_a_synced_multiplier_at_a_bound_is_accepted(remote_cert, gateway, issuer, multiplier):
    receipt = gateway.syncOn(remote_cert, 1, multiplier, sender=issuer)
    assert receipt.decode_logs(remote_cert.CorporateActionSynced)[0].event_arguments == {
        "epoch": 1,
        "multiplier": multiplier,
    }
    assert remote_cert.multiplier() == multiplier


@pytest.mark.parametrize("multiplier", PAST, ids=["min-1", "max+1"])
def test_a_synced_multiplier_one_past_a_bound_is_refused(remote_cert, gateway, issuer, multiplier):
    with reverts(remote_cert.CertificateInvalidMultiplier, multiplier=multiplier):
        gateway.syncOn(remote_cert, 1, multiplier, sender=issuer)
    assert remote_cert.multiplier() == ONE
    assert remote_cert.corporateActionEpoch() == 0


def test_the_maximum_management_fee_is_accepted(cert, issuer):
    receipt = cert.setManagementFee(MAX_FEE_PER_PERIOD, DAY, sender=issuer)
    assert receipt.events == [cert.ManagementFeeSet(feePerPeriod=MAX_FEE_PER_PERIOD, periodLength=DAY)]
    assert cert.managementFee() == (MAX_FEE_PER_PERIOD, DAY, receipt.timestamp)


def test_a_management_fee_one_past_the_maximum_is_refused(cert, issuer):
    with reverts(cert.CertificateInvalidFee, feePerPeriod=MAX_FEE_PER_PERIOD + 1, periodLength=DAY):
        cert.setManagementFee(MAX_FEE_PER_PERIOD + 1, DAY, sender=issuer)
    assert cert.managementFee() == (0, 0, 0)
