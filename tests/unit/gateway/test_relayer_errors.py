"""The relayer's revert table (transient vs permanent) is the gateway ABI's: every error it names
exists with that exact signature, and every error a receive or an expire can revert with is
classified (an unclassified one would fall back to `max_attempts` and be parked)."""

from __future__ import annotations

from ape import project

from tokenized_stocks.relayer.chain import ERROR_CLASSES, PERMANENT, TRANSIENT


def signatures(contract_type) -> set[str]:
    return {
        f"{item.name}({','.join(i.canonical_type for i in item.inputs)})"
        for item in contract_type.contract_type.abi
        if item.type == "error"
    }


#: Gateway errors only `send`, `broadcast` or the admin functions raise: not a delivery outcome.
NOT_ON_DELIVERY = {
    "GatewayAssetAlreadyRegistered",
    "GatewayAssetIdentityMismatch",
    "GatewayInvalidChain",
    "GatewayInvalidRecipient",
    "GatewayZeroUnits",
    "GatewayInvalidExpiry",
    "GatewayInvalidThreshold",
    "GatewayOperatorAlreadySet",
    "GatewayNotHomeChain",
    "GatewayCorporateActionAlreadyBroadcast",
    "GatewayBelowMinimumSend",
    "GatewayNoHeldRefund",
}


def test_every_classified_error_has_the_signature_of_the_gateway_or_asset_abi():
    known = signatures(project.Gateway) | signatures(project.TrackerCertificate)

    assert set(ERROR_CLASSES) - known == set()


def test_every_gateway_error_a_delivery_can_raise_is_classified():
    delivery = {s for s in signatures(project.Gateway) if s.startswith("Gateway")}
    unclassified = {s for s in delivery - set(ERROR_CLASSES) if s.split("(")[0] not in NOT_ON_DELIVERY}

    assert unclassified == set()


def test_rate_limit_and_pause_are_transient_and_bad_signatures_permanent():
    assert ERROR_CLASSES["GatewayRateLimited(bytes32,bool,uint256,uint256)"] == TRANSIENT
    assert ERROR_CLASSES["EnforcedPause()"] == TRANSIENT
    assert ERROR_CLASSES["GatewayInvalidSignature(uint256)"] == PERMANENT
    assert ERROR_CLASSES["GatewayUnknownAsset(bytes32)"] == PERMANENT
    assert ERROR_CLASSES["GatewayWrongDestination(uint64,uint256)"] == PERMANENT
