"""Registration, operator set, threshold, limits, pause: admin-only, with events."""

import pytest
from revert_data import reverts

from tokenized_stocks.protocol.roles import DEFAULT_ADMIN_ROLE

from .conftest import CHAIN_A, CHAIN_B, OTHER_ISIN


def test_registration_records_token_and_home(gateway, token, asset_id):
    assert gateway.asset(asset_id) == (token.address, CHAIN_A)


def test_registration_refuses_a_token_whose_asset_id_differs(gateway, make_asset, issuer, asset_id):
    other = make_asset(isin=OTHER_ISIN)
    with reverts(gateway.GatewayAssetIdentityMismatch, field="assetId"):
        gateway.registerAsset(b"\x05" * 32, OTHER_ISIN, other, sender=issuer)


def test_registration_refuses_a_token_whose_isin_differs(gateway, make_asset, issuer):
    other = make_asset(isin=OTHER_ISIN)
    with reverts(gateway.GatewayAssetIdentityMismatch, field="isin"):
        gateway.registerAsset(bytes(other.assetId()), "US0378331005", other, sender=issuer)


def test_registration_refuses_a_second_token_for_the_same_asset(gateway, token, make_asset, issuer, asset_id):
    with reverts(gateway.GatewayAssetAlreadyRegistered, assetId=asset_id, token=token.address):
        gateway.registerAsset(asset_id, "US0378331005", make_asset(), sender=issuer)


def test_registration_emits_asset_registered(project, issuer, operators, make_asset):
    from tokenized_stocks.devtools.bridge import deploy_gateway

    gw = deploy_gateway(project, issuer, operators, 2)
    other = make_asset(isin=OTHER_ISIN)
    receipt = gw.registerAsset(bytes(other.assetId()), OTHER_ISIN, other, sender=issuer)
    assert receipt.events == [
        gw.AssetRegistered(assetId=bytes(other.assetId()), token=other.address, homeChainId=CHAIN_A)
    ]


def test_adding_an_operator_emits_operator_added(gateway, issuer, accounts):
    receipt = gateway.addOperator(accounts[16], sender=issuer)
    assert receipt.events == [gateway.OperatorAdded(operator=accounts[16].address, operatorCount=4)]
    assert gateway.isOperator(accounts[16])


def test_removing_an_operator_emits_operator_removed(gateway, issuer, operators):
    receipt = gateway.removeOperator(operators[2], sender=issuer)
    assert receipt.events == [gateway.OperatorRemoved(operator=operators[2].address, operatorCount=2)]


def test_removing_below_the_threshold_is_refused(gateway, issuer, operators):
    gateway.removeOperator(operators[2], sender=issuer)
    with reverts(gateway.GatewayInvalidThreshold, threshold=2, operatorCount=1):
        gateway.removeOperator(operators[1], sender=issuer)


def test_threshold_change_emits_threshold_changed(gateway, issuer):
    receipt = gateway.setThreshold(3, sender=issuer)
    assert receipt.events == [gateway.ThresholdChanged(threshold=3)]
    assert gateway.operatorSet() == (3, 3)


@pytest.mark.parametrize("threshold", [0, 4])
def test_threshold_outside_one_to_operator_count_is_refused(gateway, issuer, threshold):
    with reverts(gateway.GatewayInvalidThreshold, threshold=threshold, operatorCount=3):
        gateway.setThreshold(threshold, sender=issuer)


def test_remote_gateway_for_this_chain_is_refused(gateway, issuer):
    with reverts(gateway.GatewayInvalidChain, chainId=CHAIN_A):
        gateway.setRemoteGateway(CHAIN_A, gateway, sender=issuer)


def test_rate_limit_change_emits_rate_limit_set(gateway, issuer, asset_id):
    receipt = gateway.setRateLimit(asset_id, True, 10, 1, sender=issuer)
    assert receipt.events == [
        gateway.RateLimitSet(assetId=asset_id, inbound=True, capacity=10, ratePerSecond=1)
    ]


def test_guardian_pauses_and_admin_unpauses(gateway, guardian, issuer):
    gateway.pause(sender=guardian)
    assert gateway.paused()
    gateway.unpause(sender=issuer)
    assert not gateway.paused()


PRIVILEGED = [
    ("registerAsset", lambda asset_id, who: (asset_id, "US0378331005", who.address), DEFAULT_ADMIN_ROLE),
    ("setRemoteGateway", lambda asset_id, who: (CHAIN_B, who.address), DEFAULT_ADMIN_ROLE),
    ("addOperator", lambda asset_id, who: (who.address,), DEFAULT_ADMIN_ROLE),
    ("removeOperator", lambda asset_id, who: (who.address,), DEFAULT_ADMIN_ROLE),
    ("setThreshold", lambda asset_id, who: (1,), DEFAULT_ADMIN_ROLE),
    ("setRateLimit", lambda asset_id, who: (asset_id, True, 1, 1), DEFAULT_ADMIN_ROLE),
    ("unpause", lambda asset_id, who: (), DEFAULT_ADMIN_ROLE),
]


@pytest.mark.parametrize(("name", "args", "needed_role"), PRIVILEGED, ids=[p[0] for p in PRIVILEGED])
def test_privileged_function_refuses_an_outsider(gateway, asset_id, outsider, name, args, needed_role):
    with reverts(gateway.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=needed_role):
        getattr(gateway, name)(*args(asset_id, outsider), sender=outsider)


def test_pause_refuses_an_outsider(gateway, outsider):
    with reverts(
        gateway.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=gateway.PAUSER_ROLE()
    ):
        gateway.pause(sender=outsider)


@pytest.mark.parametrize("name", ["setGateway", "mint", "setRestriction", "split"])
def test_mock_asset_admin_functions_refuse_an_outsider(token, outsider, name):
    args = {
        "setGateway": (outsider,),
        "mint": (outsider, 1),
        "setRestriction": (outsider, 1),
        "split": (2 * 10**18,),
    }[name]
    with reverts(token.AccessControlUnauthorizedAccount, account=outsider.address):
        getattr(token, name)(*args, sender=outsider)


def test_sync_corporate_action_by_an_outsider_is_refused(token, outsider):
    with reverts(token.AssetUnauthorizedGateway, caller=outsider.address):
        token.syncCorporateAction(1, 2 * 10**18, sender=outsider)
