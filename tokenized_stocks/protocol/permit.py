"""EIP-2612 permit typed data, for the tokens of this suite that take permits (OpenZeppelin
`ERC20Permit`: domain name = token name, version "1")."""

from __future__ import annotations

from typing import Any

PERMIT_TYPES: dict[str, list[dict[str, str]]] = {
    "EIP712Domain": [
        {"name": "name", "type": "string"},
        {"name": "version", "type": "string"},
        {"name": "chainId", "type": "uint256"},
        {"name": "verifyingContract", "type": "address"},
    ],
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ],
}


def permit_typed_data(
    *,
    token_name: str,
    chain_id: int,
    token: str,
    owner: str,
    spender: str,
    value: int,
    nonce: int,
    deadline: int,
    version: str = "1",
) -> dict[str, Any]:
    """The full EIP-712 message of a permit, ready for `eth_account.messages.encode_typed_data`."""
    return {
        "types": PERMIT_TYPES,
        "primaryType": "Permit",
        "domain": {"name": token_name, "version": version, "chainId": chain_id, "verifyingContract": token},
        "message": {"owner": owner, "spender": spender, "value": value, "nonce": nonce, "deadline": deadline},
    }
