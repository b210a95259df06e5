"""Every privileged function of the desk and the token refuses an outsider; the guardian pauses
both at once and only the admin unpauses."""

import pytest
from order_desk_helpers import ASSET_ID, USD
from revert_data import reverts

from tokenized_stocks.protocol.roles import (
    COMPLIANCE_ROLE,
    DEFAULT_ADMIN_ROLE,
    EXECUTOR_ROLE,
    PAUSER_ROLE,
    TREASURY_ROLE,
)

pytestmark = pytest.mark.usefixtures("funded")

ADDRESS = "0x" + "12" * 20

# (function, role required, arguments; "feed"/"token" are replaced by the deployed contracts)
DESK_FUNCTIONS = [
    ("initializeCash", DEFAULT_ADMIN_ROLE, (ADDRESS,)),
    ("listAsset", DEFAULT_ADMIN_ROLE, ("token", "feed", 100, 3600, 0, 0, 0)),
    ("configureAsset", DEFAULT_ADMIN_ROLE, (ASSET_ID, 100, 3600, 0, 0, 0)),
    ("addSigner", DEFAULT_ADMIN_ROLE, (ADDRESS,)),
    ("removeSigner", DEFAULT_ADMIN_ROLE, (ADDRESS,)),
    ("setGlobalRateLimit", DEFAULT_ADMIN_ROLE, (1, 1)),
    ("setInvestorRateLimit", DEFAULT_ADMIN_ROLE, (1, 1)),
    ("setBufferLimits", DEFAULT_ADMIN_ROLE, (0, 1, 1)),
    ("pause", PAUSER_ROLE, ()),
    ("unpause", DEFAULT_ADMIN_ROLE, ()),
    ("recordFill", EXECUTOR_ROLE, (1, b"\x01" * 32)),
    ("topUpBuffer", TREASURY_ROLE, (USD,)),
    ("withdrawBuffer", TREASURY_ROLE, (ADDRESS, USD)),
    ("grantRole", DEFAULT_ADMIN_ROLE, (TREASURY_ROLE, ADDRESS)),
]

TOKEN_FUNCTIONS = [
    ("setFrozen", COMPLIANCE_ROLE, (ADDRESS, True)),
    ("setFrozenTokens", COMPLIANCE_ROLE, (ADDRESS, 1)),
    ("forcedTransfer", COMPLIANCE_ROLE, (ADDRESS, ADDRESS, 0)),
    ("pause", PAUSER_ROLE, ()),
    ("unpause", DEFAULT_ADMIN_ROLE, ()),
    ("setGateway", DEFAULT_ADMIN_ROLE, (ADDRESS,)),
    ("setTerms", DEFAULT_ADMIN_ROLE, ("ipfs://x", b"\x01" * 32)),
    ("grantRole", DEFAULT_ADMIN_ROLE, (PAUSER_ROLE, ADDRESS)),
]


def _resolve(args, token, feed):
    return tuple({"token": token, "feed": feed}.get(a, a) if isinstance(a, str) else a for a in args)


@pytest.mark.parametrize(
    ("function", "required_role", "args"), DESK_FUNCTIONS, ids=[f[0] for f in DESK_FUNCTIONS]
)
def test_desk_refuses_an_outsider(desk, token, price_feed, outsider, function, required_role, args):
    with reverts(desk.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=required_role):
        getattr(desk, function)(*_resolve(args, token, price_feed), sender=outsider)


@pytest.mark.parametrize(
    ("function", "required_role", "args"), TOKEN_FUNCTIONS, ids=[f[0] for f in TOKEN_FUNCTIONS]
)
def test_token_refuses_an_outsider(token, outsider, function, required_role, args):
    with reverts(token.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=required_role):
        getattr(token, function)(*args, sender=outsider)


@pytest.mark.parametrize("target", ["desk", "token"])
def test_the_guardian_pauses_at_once_and_its_unpause_is_refused(request, target, guardian):
    contract = request.getfixturevalue(target)
    receipt = contract.pause(sender=guardian)
    assert receipt.events == [contract.Paused(account=guardian)]
    with reverts(
        contract.AccessControlUnauthorizedAccount, account=guardian.address, neededRole=DEFAULT_ADMIN_ROLE
    ):
        contract.unpause(sender=guardian)
    assert contract.paused()


@pytest.mark.parametrize("target", ["desk", "token"])
def test_the_admin_unpauses(request, target, guardian, issuer):
    contract = request.getfixturevalue(target)
    contract.pause(sender=guardian)
    receipt = contract.unpause(sender=issuer)
    assert receipt.events == [contract.Unpaused(account=issuer)]
    assert not contract.paused()


def test_desk_refuses_a_quote_revocation_by_an_outsider(desk, outsider):
    with reverts(desk.DeskUnauthorizedRevoker, caller=outsider.address):
        desk.revokeQuote(1, sender=outsider)


def test_token_refuses_mint_and_burn_by_an_outsider(token, outsider):
    with reverts(token.OrderTokenUnauthorizedDesk, caller=outsider.address):
        token.mint(outsider, 1, sender=outsider)
    with reverts(token.OrderTokenUnauthorizedDesk, caller=outsider.address):
        token.burn(outsider, 1, sender=outsider)


def test_token_refuses_gateway_functions_by_an_outsider(token, outsider):
    for call in (
        lambda: token.crosschainMint(outsider, 1, sender=outsider),
        lambda: token.crosschainBurn(outsider, 1, sender=outsider),
        lambda: token.syncCorporateAction(1, 10**18, sender=outsider),
    ):
        with reverts(token.AssetUnauthorizedGateway, caller=outsider.address):
            call()


def test_a_role_holder_of_one_function_is_an_outsider_to_the_others(desk, executor, treasury):
    with reverts(desk.AccessControlUnauthorizedAccount, account=executor.address, neededRole=TREASURY_ROLE):
        desk.withdrawBuffer(executor, USD, sender=executor)
    with reverts(desk.AccessControlUnauthorizedAccount, account=treasury.address, neededRole=EXECUTOR_ROLE):
        desk.recordFill(1, b"\x01" * 32, sender=treasury)


def test_listing_a_token_of_another_desk_is_refused(desk, deploy_token, identity, price_feed, issuer):
    other_desk = "0x" + "34" * 20
    foreign = deploy_token(other_desk, identity)

    with reverts(desk.DeskForeignToken, token=foreign.address, tokenDesk=other_desk):
        desk.listAsset(foreign, price_feed, 100, 3600, 0, 0, 0, sender=issuer)


def test_listing_an_asset_twice_is_refused(desk, token, price_feed, issuer):
    with reverts(desk.DeskAssetListed, assetId=ASSET_ID):
        desk.listAsset(token, price_feed, 100, 3600, 0, 0, 0, sender=issuer)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((10_001, 3600, 0, 0, 0), "maxDeviationBps"),
        ((100, 0, 0, 0, 0), "maxStaleness"),
        ((100, 3600, 128, 0, 0), "tradingDays"),
        ((100, 3600, 62, 86_400, 0), "session"),
        ((100, 3600, 62, 100, 100), "session"),
    ],
)
def test_invalid_asset_settings_are_refused(desk, issuer, args, field):
    with reverts(desk.DeskInvalidConfig, field=field):
        desk.configureAsset(ASSET_ID, *args, sender=issuer)


def test_configure_asset_emits_and_reads_back(desk, token, price_feed, issuer):
    receipt = desk.configureAsset(ASSET_ID, 50, 600, 62, 52_200, 75_600, sender=issuer)

    assert receipt.events == [desk.AssetConfigured(ASSET_ID, 50, 600, 62, 52_200, 75_600)]
    assert desk.assetConfig(ASSET_ID) == (
        token.address,
        50,
        600,
        8,
        62,
        True,
        price_feed.address,
        52_200,
        75_600,
    )


def test_rate_limit_settings_emit(desk, issuer):
    assert desk.setGlobalRateLimit(5, 6, sender=issuer).events == [desk.GlobalRateLimitSet(5, 6)]
    assert desk.setInvestorRateLimit(7, 8, sender=issuer).events == [desk.InvestorRateLimitSet(7, 8)]
    assert desk.globalRateLimit() == (5, 6, 5)
