"""The relayer's revert table (transient vs permanent) is the gateway ABI's: every error it names
exists in the compiled gateway or asset, every error a receive or an expire can revert with is
classified (an unclassified one would fall back to `max_attempts` and be parked), and the selectors
the relayer recognises a revert by are the compiled contracts' own."""

from __future__ import annotations

from ape import project
from eth_utils import keccak

from tokenized_stocks.relayer.chain import (
    ERROR_CLASSES,
    ERROR_SOURCES,
    KNOWN_ERRORS,
    PERMANENT,
    TRANSIENT,
    UNKNOWN,
    revert_class,
    revert_reason,
)


def signatures(contract_type) -> set[str]:
    return {
        f"{item.name}({','.join(i.canonical_type for i in item.inputs)})"
        for item in contract_type.contract_type.abi
        if item.type == "error"
    }


def names(contract_type) -> set[str]:
    return {s.split("(")[0] for s in signatures(contract_type)}


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
    "GatewayNotRetired",
}


def test_every_classified_error_is_an_error_of_the_gateway_or_asset_abi():
    known = names(project.Gateway) | names(project.TrackerCertificate)

    assert set(ERROR_CLASSES) - known == set()


def test_every_gateway_error_a_delivery_can_raise_is_classified():
    delivery = {n for n in names(project.Gateway) if n.startswith("Gateway")}

    assert delivery - set(ERROR_CLASSES) - NOT_ON_DELIVERY == set()


def test_the_relayer_knows_every_error_of_the_compiled_contracts_by_its_selector():
    compiled = {
        keccak(text=signature)[:4]: signature
        for name in ERROR_SOURCES
        for signature in signatures(project.get_contract(name))
    }

    assert KNOWN_ERRORS == compiled


class Revert(Exception):
    def __init__(self, data: str) -> None:
        super().__init__("execution reverted")
        self.data = data


def test_a_revert_is_named_and_classified_by_its_selector():
    selector = keccak(text="GatewayRateLimited(bytes32,bool,uint256,uint256)")[:4]
    limited = Revert("0x" + selector.hex() + "00" * 128)

    assert revert_reason(limited) == "GatewayRateLimited(bytes32,bool,uint256,uint256)"
    assert revert_class(limited) == TRANSIENT
    assert revert_class(Revert("0xdeadbeef")) == UNKNOWN
    assert revert_reason(Revert("0xdeadbeef")) == "execution reverted"


def test_rate_limit_and_pause_are_transient_and_bad_signatures_permanent():
    assert ERROR_CLASSES["GatewayRateLimited"] == TRANSIENT
    assert ERROR_CLASSES["EnforcedPause"] == TRANSIENT
    assert ERROR_CLASSES["GatewayInvalidSignature"] == PERMANENT
    assert ERROR_CLASSES["GatewayUnknownAsset"] == PERMANENT
    assert ERROR_CLASSES["GatewayWrongDestination"] == PERMANENT
