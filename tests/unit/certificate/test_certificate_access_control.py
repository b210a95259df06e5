"""Every privileged function of the certificate refuses an outsider, with the role it needs."""

import pytest
from certificate_constants import pinned_now
from revert_data import reverts

from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.protocol.roles import (
    CUSTODIAN_ROLE,
    DEFAULT_ADMIN_ROLE,
    MINTER_ROLE,
    PAUSER_ROLE,
    TRANSFER_AGENT_ROLE,
)

PRIVILEGED = {
    "mint": (MINTER_ROLE, lambda c, who: c.mint(who, ONE, sender=who)),
    "pause": (PAUSER_ROLE, lambda c, who: c.pause(sender=who)),
    "unpause": (DEFAULT_ADMIN_ROLE, lambda c, who: c.unpause(sender=who)),
    "scheduleMultiplierUpdate": (
        TRANSFER_AGENT_ROLE,
        lambda c, who: c.scheduleMultiplierUpdate(ONE, 2 * ONE, pinned_now(), 1, sender=who),
    ),
    "cancelMultiplierUpdate": (TRANSFER_AGENT_ROLE, lambda c, who: c.cancelMultiplierUpdate(1, sender=who)),
    "settleRedemption": (CUSTODIAN_ROLE, lambda c, who: c.settleRedemption(1, b"\x01" * 32, sender=who)),
    "setFrozenTokens": (TRANSFER_AGENT_ROLE, lambda c, who: c.setFrozenTokens(who, ONE, sender=who)),
    "forcedTransfer": (TRANSFER_AGENT_ROLE, lambda c, who: c.forcedTransfer(who, who, 0, sender=who)),
    "setManagementFee": (DEFAULT_ADMIN_ROLE, lambda c, who: c.setManagementFee(1, 1, sender=who)),
    "setSanctionsList": (DEFAULT_ADMIN_ROLE, lambda c, who: c.setSanctionsList(who, sender=who)),
    "setReserveFeed": (DEFAULT_ADMIN_ROLE, lambda c, who: c.setReserveFeed(who, 1, sender=who)),
    "setGateway": (DEFAULT_ADMIN_ROLE, lambda c, who: c.setGateway(who, sender=who)),
    "setLiveScreening": (DEFAULT_ADMIN_ROLE, lambda c, who: c.setLiveScreening(True, sender=who)),
    "setTerms": (DEFAULT_ADMIN_ROLE, lambda c, who: c.setTerms("ipfs://x", b"\x01" * 32, sender=who)),
    "grantRole": (DEFAULT_ADMIN_ROLE, lambda c, who: c.grantRole(MINTER_ROLE, who, sender=who)),
}


@pytest.mark.parametrize("name", sorted(PRIVILEGED))
def test_an_outsider_is_refused(cert, outsider, name):
    role, call = PRIVILEGED[name]

    with reverts(cert.AccessControlUnauthorizedAccount, account=outsider, neededRole=role):
        call(cert, outsider)


@pytest.mark.parametrize("name", ["crosschainMint", "crosschainBurn"])
def test_an_outsider_cannot_call_the_gateway_hooks(cert, outsider, name):
    with reverts(cert.AssetUnauthorizedGateway, caller=outsider):
        getattr(cert, name)(outsider, ONE, sender=outsider)


def test_an_outsider_cannot_sync_a_corporate_action(remote_cert, outsider):
    with reverts(remote_cert.AssetUnauthorizedGateway, caller=outsider):
        remote_cert.syncCorporateAction(1, 2 * ONE, sender=outsider)


def test_anyone_may_accrue_the_fee(cert, outsider):
    receipt = cert.accrueFee(sender=outsider)

    assert receipt.events == [cert.ManagementFeeAccrued(periods=0, multiplier=ONE)]
