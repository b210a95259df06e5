"""Finding 13.8 (certificate part): ERC-7802 exact in tokens at every multiplier, and ERC-165
advertising every interface the certificate implements."""

import pytest
from ape import chain
from certificate_constants import ZERO
from eth_utils import keccak

from tokenized_stocks.protocol.multiplier import ONE


@pytest.fixture
def bridged(funded, schedule, issuer, relayer):
    """The funded certificate after a 3:2 split, with `relayer` as its (ERC-7802) bridge."""
    _, activation = schedule(ONE * 3 // 2, delay=10)
    chain.mine(timestamp=activation)
    funded.accrueFee(sender=issuer)  # folds the activation (CorporateActionActivated) now
    funded.setGateway(relayer, sender=issuer)
    return funded


def test_crosschain_mint_credits_exactly_the_amount_after_a_split(bridged, relayer, investor_carol):
    receipt = bridged.crosschainMint(investor_carol, 2 * ONE, sender=relayer)

    assert receipt.events == [
        bridged.Transfer(ZERO, investor_carol, 2 * ONE),
        bridged.CrosschainMint(investor_carol, 2 * ONE, relayer),
    ]
    assert bridged.balanceOf(investor_carol) == 2 * ONE


def test_crosschain_burn_debits_exactly_the_amount_after_a_split(bridged, relayer, investor_alice):
    before = bridged.balanceOf(investor_alice)

    receipt = bridged.crosschainBurn(investor_alice, 2 * ONE + 1, sender=relayer)

    assert [e for e in receipt.events if e.event_name != "BalanceRescaled"] == [
        bridged.Transfer(investor_alice, ZERO, 2 * ONE + 1),
        bridged.CrosschainBurn(investor_alice, 2 * ONE + 1, relayer),
    ]
    assert bridged.balanceOf(investor_alice) == before - 2 * ONE - 1


def selector(signature: str) -> int:
    return int.from_bytes(keccak(text=signature)[:4], "big")


def interface_id(*signatures: str) -> bytes:
    result = 0
    for signature in signatures:
        result ^= selector(signature)
    return result.to_bytes(4, "big")


ERC20 = (
    "totalSupply()",
    "balanceOf(address)",
    "transfer(address,uint256)",
    "allowance(address,address)",
    "approve(address,uint256)",
    "transferFrom(address,address,uint256)",
)
INTERFACES = {
    "ERC-165": interface_id("supportsInterface(bytes4)"),
    "ERC-20": interface_id(*ERC20),
    "ERC-20 metadata": interface_id("name()", "symbol()", "decimals()"),
    "ERC-2612 permit": interface_id(
        "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
        "nonces(address)",
        "DOMAIN_SEPARATOR()",
    ),
    "ERC-5267": interface_id("eip712Domain()"),
    "ERC-7802": bytes.fromhex("33331994"),
    "ERC-1404": interface_id(
        "detectTransferRestriction(address,address,uint256)", "messageForTransferRestriction(uint8)"
    ),
    "AccessControl": interface_id(
        "hasRole(bytes32,address)",
        "getRoleAdmin(bytes32)",
        "grantRole(bytes32,address)",
        "revokeRole(bytes32,address)",
        "renounceRole(bytes32,address)",
    ),
    "ISanctionsSubscriber": interface_id("onSanctionsChanged(address)"),
}


def test_the_erc7802_interface_id_is_the_standards():
    assert (
        interface_id("crosschainMint(address,uint256)", "crosschainBurn(address,uint256)")
        == INTERFACES["ERC-7802"]
    )


@pytest.mark.parametrize("name", sorted(INTERFACES))
def test_erc165_advertises_every_implemented_interface(cert, name):
    assert cert.supportsInterface(INTERFACES[name])


def test_erc165_refuses_the_invalid_interface_id(cert):
    assert not cert.supportsInterface(b"\xff\xff\xff\xff")
