"""ERC-165 of the order vault and of the order token's share side: the published ids of ERC-7575,
ERC-7540 (operator, deposit, redeem) and ERC-7887 (deposit, redeem), recomputed from the selectors
the ERC texts list, so a missing or misspelt function shows here."""

import pytest
from eth_utils import keccak

pytestmark = pytest.mark.usefixtures("funded")


def interface_id(*signatures: str) -> bytes:
    value = 0
    for signature in signatures:
        value ^= int.from_bytes(keccak(text=signature)[:4], "big")
    return value.to_bytes(4, "big")


# (name, the id the ERC publishes, the functions the ERC lists for it)
PUBLISHED = [
    (
        "ERC-7575",
        "2f0a18c5",
        (
            "asset()",
            "share()",
            "convertToShares(uint256)",
            "convertToAssets(uint256)",
            "totalAssets()",
            "maxDeposit(address)",
            "previewDeposit(uint256)",
            "deposit(uint256,address)",
            "maxMint(address)",
            "previewMint(uint256)",
            "mint(uint256,address)",
            "maxWithdraw(address)",
            "previewWithdraw(uint256)",
            "withdraw(uint256,address,address)",
            "maxRedeem(address)",
            "previewRedeem(uint256)",
            "redeem(uint256,address,address)",
        ),
    ),
    ("ERC-7540 operator", "e3bc4e65", ("isOperator(address,address)", "setOperator(address,bool)")),
    (
        "ERC-7540 deposit",
        "ce3bbe50",
        (
            "requestDeposit(uint256,address,address)",
            "pendingDepositRequest(uint256,address)",
            "claimableDepositRequest(uint256,address)",
            "deposit(uint256,address,address)",
            "mint(uint256,address,address)",
        ),
    ),
    (
        "ERC-7540 redeem",
        "620ee8e4",
        (
            "requestRedeem(uint256,address,address)",
            "pendingRedeemRequest(uint256,address)",
            "claimableRedeemRequest(uint256,address)",
        ),
    ),
    (
        "ERC-7887 deposit",
        "8bf840e3",
        (
            "cancelDepositRequest(uint256,address)",
            "pendingCancelDepositRequest(uint256,address)",
            "claimableCancelDepositRequest(uint256,address)",
            "claimCancelDepositRequest(uint256,address,address)",
        ),
    ),
    (
        "ERC-7887 redeem",
        "e76cffc7",
        (
            "cancelRedeemRequest(uint256,address)",
            "pendingCancelRedeemRequest(uint256,address)",
            "claimableCancelRedeemRequest(uint256,address)",
            "claimCancelRedeemRequest(uint256,address,address)",
        ),
    ),
]


@pytest.mark.parametrize(("name", "published", "functions"), PUBLISHED, ids=[p[0] for p in PUBLISHED])
def test_the_vault_advertises_each_published_interface(vault, name, published, functions):
    assert interface_id(*functions).hex() == published
    assert vault.supportsInterface(bytes.fromhex(published))


def test_the_vault_advertises_erc165_and_access_control_but_not_erc20(vault):
    assert vault.supportsInterface(interface_id("supportsInterface(bytes4)"))
    assert vault.supportsInterface(bytes.fromhex("7965db0b"))
    assert not vault.supportsInterface(bytes.fromhex("36372b07"))  # IERC20: the share is separate
    assert not vault.supportsInterface(bytes.fromhex("ffffffff"))


def test_the_order_token_advertises_the_erc7575_share_interface(token):
    assert interface_id("vault(address)").hex() == "f815c03d"
    assert token.supportsInterface(bytes.fromhex("f815c03d"))
