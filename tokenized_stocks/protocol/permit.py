"""EIP-2612 permits, for the tokens of this suite that take them (OpenZeppelin `ERC20Permit`:
domain name = token name, version "1"), built and signed through `typed_data`."""

from __future__ import annotations

from typing import Any

from eth_account.signers.local import LocalAccount

from tokenized_stocks.protocol import typed_data as eip712

PERMIT_TYPES: dict[str, list[dict[str, str]]] = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ],
}


def _parts(
    token_name: str,
    chain_id: int,
    token: str,
    owner: str,
    spender: str,
    value: int,
    nonce: int,
    deadline: int,
    version: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    domain = eip712.domain(token_name, version, chain_id, token)
    message = {"owner": owner, "spender": spender, "value": value, "nonce": nonce, "deadline": deadline}
    return domain, message


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
    """The full EIP-712 document of a permit (as a wallet's `eth_signTypedData_v4` takes it)."""
    domain, message = _parts(token_name, chain_id, token, owner, spender, value, nonce, deadline, version)
    return eip712.typed_data(domain, PERMIT_TYPES, message)


def sign_permit(
    signer: str | bytes | LocalAccount,
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
) -> tuple[int, bytes, bytes]:
    """`(v, r, s)` of the owner's permit signature: the last three arguments of `token.permit`."""
    domain, message = _parts(token_name, chain_id, token, owner, spender, value, nonce, deadline, version)
    return eip712.vrs(eip712.sign(signer, domain, PERMIT_TYPES, message))
