"""The order token's standards (finding 13.8): ERC-1404 reports code 0 exactly when the transfer
would succeed, and ERC-165 advertises every interface the token implements (ERC-7802 included)."""

import random

import ape
import pytest
from eth_utils import keccak
from order_desk_helpers import SHARE, ZERO_ADDRESS

from tokenized_stocks.protocol.enums import Restriction

pytestmark = pytest.mark.usefixtures("funded")

ERC7802_INTERFACE_ID = bytes.fromhex("33331994")


def interface_id(*signatures: str) -> bytes:
    """ERC-165 id: XOR of the selectors of the functions an interface itself declares."""
    value = 0
    for signature in signatures:
        value ^= int.from_bytes(keccak(text=signature)[:4], "big")
    return value.to_bytes(4, "big")


INTERFACES = {
    "IERC165": interface_id("supportsInterface(bytes4)"),
    "IAccessControl": interface_id(
        "hasRole(bytes32,address)",
        "getRoleAdmin(bytes32)",
        "grantRole(bytes32,address)",
        "revokeRole(bytes32,address)",
        "renounceRole(bytes32,address)",
    ),
    "IERC20": interface_id(
        "totalSupply()",
        "balanceOf(address)",
        "transfer(address,uint256)",
        "allowance(address,address)",
        "approve(address,uint256)",
        "transferFrom(address,address,uint256)",
    ),
    "IERC20Metadata": interface_id("name()", "symbol()", "decimals()"),
    "IERC20Permit": interface_id(
        "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
        "nonces(address)",
        "DOMAIN_SEPARATOR()",
    ),
    "IERC5267": interface_id("eip712Domain()"),
    "IERC7802": interface_id("crosschainMint(address,uint256)", "crosschainBurn(address,uint256)"),
    "IERC1404": interface_id(
        "detectTransferRestriction(address,address,uint256)", "messageForTransferRestriction(uint8)"
    ),
    "IAssetIdentity": interface_id(
        "assetId()",
        "isin()",
        "dti()",
        "ticker()",
        "architecture()",
        "homeChainId()",
        "termsURI()",
        "termsHash()",
        "setTerms(string,bytes32)",
    ),
    "ICrosschainAsset": interface_id(
        "gateway()",
        "multiplier()",
        "corporateActionEpoch()",
        "crosschainRestriction(address,uint256)",
        "crosschainRefundRestriction(address,uint256)",
        "crosschainMintUnits(address,uint256)",
        "crosschainBurnUnits(address,uint256)",
        "syncCorporateAction(uint64,uint256)",
    ),
    "IOrderToken": interface_id(
        "mint(address,uint256)", "burn(address,uint256)", "desk()", "paused()", "isFrozen(address)"
    ),
}


@pytest.fixture
def gateway(relayer, token, issuer):
    token.setGateway(relayer, sender=issuer)
    return relayer


@pytest.fixture
def alice_holds(token, gateway, investor_alice) -> int:
    token.crosschainMint(investor_alice, 100 * SHARE, sender=gateway)
    return 100 * SHARE


# ---------------------------------------------------------------------------------------------
# ERC-1404
# ---------------------------------------------------------------------------------------------


def test_an_amount_above_the_balance_is_restricted(token, alice_holds, investor_alice, investor_bob):
    assert token.detectTransferRestriction(investor_alice, investor_bob, alice_holds) == Restriction.NONE
    assert (
        token.detectTransferRestriction(investor_alice, investor_bob, alice_holds + 1)
        == Restriction.INSUFFICIENT_BALANCE
    )


def test_the_zero_address_on_either_side_is_restricted(token, alice_holds, investor_alice):
    assert token.detectTransferRestriction(ZERO_ADDRESS, investor_alice, 1) == Restriction.ZERO_ADDRESS
    assert token.detectTransferRestriction(investor_alice, ZERO_ADDRESS, 1) == Restriction.ZERO_ADDRESS


def test_every_code_has_its_message(token):
    # The codes an order token returns, and one past the table.
    codes = [0, 1, 4, 5, 6, 7, 8, 16, 17, 18, 19, 20]
    assert [token.messageForTransferRestriction(code) for code in codes] == [
        "No restriction",
        "The asset is paused",
        "Sender's investor is frozen",
        "Recipient's investor is frozen",
        "Sender wallet is frozen",
        "Recipient wallet is frozen",
        "Amount exceeds the unfrozen balance",
        "Sender is sanctioned",
        "Recipient is sanctioned",
        "Insufficient balance",
        "Zero address",
        "Unknown restriction code",
    ]


def test_detect_transfer_restriction_is_zero_exactly_when_the_transfer_succeeds(
    token,
    chain,
    gateway,
    sanctions,
    compliance_officer,
    desk_registry,
    registrar,
    guardian,
    investor_alice,
    investor_alice_2,
    investor_bob,
    investor_carol,
    outsider,
):
    """Random worlds (holdings, sanctions, freezes, pauses) and random transfers: the code predicts
    the outcome of the real transfer every time."""
    wallets = [investor_alice, investor_alice_2, investor_bob, investor_carol, outsider]
    rng = random.Random(1404)
    for holder in wallets:
        token.crosschainMint(holder, rng.randrange(0, 50) * SHARE, sender=gateway)
    sanctions.setSanctioned(outsider, True, sender=compliance_officer)
    token.setFrozen(investor_carol, True, sender=compliance_officer)
    for world in range(4):
        with chain.isolate():
            if world == 1:
                desk_registry.setInvestorFrozen(b"bob".ljust(32, b"\x00"), True, sender=registrar)
            if world == 2:
                token.pause(sender=guardian)
            if world == 3:
                token.setFrozen(investor_carol, False, sender=compliance_officer)
                sanctions.setSanctioned(outsider, False, sender=compliance_officer)
            for _ in range(12):
                sender = rng.choice(wallets)
                to = rng.choice([*wallets, ZERO_ADDRESS])
                balance = token.balanceOf(sender)
                amount = rng.choice([0, 1, balance, balance + 1, rng.randrange(0, 60) * SHARE])
                code = token.detectTransferRestriction(sender, to, amount)
                with chain.isolate():
                    try:
                        token.transfer(to, amount, sender=sender)
                        succeeded = True
                    except ape.exceptions.ContractLogicError:
                        succeeded = False
                assert (code == Restriction.NONE) == succeeded, (world, sender, to, amount, code)


# ---------------------------------------------------------------------------------------------
# ERC-165
# ---------------------------------------------------------------------------------------------


def test_the_token_advertises_erc7802(token):
    assert INTERFACES["IERC7802"] == ERC7802_INTERFACE_ID
    assert token.supportsInterface(ERC7802_INTERFACE_ID)


@pytest.mark.parametrize("name", sorted(INTERFACES))
def test_the_token_advertises_each_interface_it_implements(token, name):
    assert token.supportsInterface(INTERFACES[name])


@pytest.mark.parametrize("unknown", ["ffffffff", "00000000", "12345678"])
def test_the_token_does_not_advertise_what_it_does_not_implement(token, unknown):
    assert not token.supportsInterface(bytes.fromhex(unknown))


# ---------------------------------------------------------------------------------------------
# ERC-7802 amounts are tokens (units == tokens here)
# ---------------------------------------------------------------------------------------------


def test_crosschain_mint_and_burn_move_exactly_the_token_amount(token, gateway, investor_alice):
    token.crosschainMint(investor_alice, 7 * SHARE + 3, sender=gateway)
    token.crosschainBurn(investor_alice, 2 * SHARE + 1, sender=gateway)

    assert token.balanceOf(investor_alice) == 5 * SHARE + 2
    assert token.multiplier() == 10**18


def test_crosschain_mint_emits_transfer_and_erc7802_mint(token, gateway, investor_alice):
    receipt = token.crosschainMint(investor_alice, 3 * SHARE, sender=gateway)

    assert receipt.events == [
        token.Transfer(ZERO_ADDRESS, investor_alice, 3 * SHARE),
        token.CrosschainMint(investor_alice, 3 * SHARE, gateway.address),
    ]


def test_crosschain_burn_emits_transfer_and_erc7802_burn(token, alice_holds, gateway, investor_alice):
    receipt = token.crosschainBurn(investor_alice, 2 * SHARE, sender=gateway)

    assert receipt.events == [
        token.Transfer(investor_alice, ZERO_ADDRESS, 2 * SHARE),
        token.CrosschainBurn(investor_alice, 2 * SHARE, gateway.address),
    ]


def test_crosschain_mint_units_emits_the_same_events_as_a_token_mint(token, gateway, investor_alice):
    receipt = token.crosschainMintUnits(investor_alice, 4 * SHARE + 1, sender=gateway)

    assert receipt.events == [
        token.Transfer(ZERO_ADDRESS, investor_alice, 4 * SHARE + 1),
        token.CrosschainMint(investor_alice, 4 * SHARE + 1, gateway.address),
    ]
    assert token.balanceOf(investor_alice) == 4 * SHARE + 1


def test_crosschain_burn_units_emits_the_same_events_as_a_token_burn(
    token, alice_holds, gateway, investor_alice
):
    receipt = token.crosschainBurnUnits(investor_alice, 5 * SHARE + 1, sender=gateway)

    assert receipt.events == [
        token.Transfer(investor_alice, ZERO_ADDRESS, 5 * SHARE + 1),
        token.CrosschainBurn(investor_alice, 5 * SHARE + 1, gateway.address),
    ]
    assert token.balanceOf(investor_alice) == alice_holds - 5 * SHARE - 1
