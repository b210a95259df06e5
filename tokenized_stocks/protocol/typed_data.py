"""EIP-712 typed data: the one place this package builds a domain, hashes and signs a struct.

Every signed struct of the suite goes through here: gateway attestations (`message.py`), desk
quotes (`quote.py`), DvP trades and payment confirmations (`trade.py`) and EIP-2612 permits
(`permit.py`). A caller names its domain (`domain`), its struct types (without `EIP712Domain`, as
eth_account's `encode_typed_data` takes them) and the message; `digest` is what the contract
recomputes, `sign` is the 65-byte `r || s || v` signature the contract recovers.

Built on eth-account (a declared dependency, and what protocol code may import: no ape, no web3):
`signable` is `encode_typed_data(domain, types, message)` made of the same two halves eth-account
builds it from (`hash_domain`, `hash_eip712_message`), with the domain half cached, because a
relayer hashes one attestation per message under a handful of domains and the domain hash is four
fifths of the cost. The contract-side tests (`attestationDigest`, `quoteDigest`, `tradeKey`,
`confirmationDigest`, `permit`) prove the digests byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from eth_account import Account
from eth_account.messages import SignableMessage, hash_domain, hash_eip712_message
from eth_account.signers.local import LocalAccount
from eth_typing import Hash32
from eth_utils import keccak, to_checksum_address

#: `EIP712Domain` with the four fields every domain of the suite uses (OpenZeppelin's `EIP712`).
EIP712_DOMAIN_TYPE: list[dict[str, str]] = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]

Types = Mapping[str, Sequence[Mapping[str, str]]]
"""Struct types by name, each a list of `{"name": ..., "type": ...}` in field order."""


def domain(name: str, version: str, chain_id: int, verifying_contract: Any) -> dict[str, Any]:
    """The domain `(name, version, chainId, verifyingContract)` of a contract on a chain."""
    return {
        "name": name,
        "version": version,
        "chainId": int(chain_id),
        "verifyingContract": to_checksum_address(str(verifying_contract)),
    }


def primary_type(types: Types) -> str:
    """The struct no other struct of `types` refers to (EIP-712's primary type)."""
    referenced = {field["type"].split("[")[0] for fields in types.values() for field in fields}
    roots = [name for name in types if name != "EIP712Domain" and name not in referenced]
    if len(roots) != 1:
        raise ValueError(f"typed data needs exactly one primary type, found {roots}")
    return roots[0]


def typed_data(domain_data: Mapping[str, Any], types: Types, message: Mapping[str, Any]) -> dict[str, Any]:
    """The full document, as a wallet's `eth_signTypedData_v4` takes it."""
    return {
        "types": {"EIP712Domain": EIP712_DOMAIN_TYPE, **{k: list(v) for k, v in types.items()}},
        "primaryType": primary_type(types),
        "domain": dict(domain_data),
        "message": dict(message),
    }


@lru_cache(maxsize=256)
def _domain_separator(items: tuple[tuple[str, Any], ...]) -> bytes:
    return bytes(hash_domain(dict(items)))


def domain_separator(domain_data: Mapping[str, Any]) -> bytes:
    """`hashStruct(EIP712Domain)` of `domain_data` (what the contract's `_domainSeparatorV4` is)."""
    return _domain_separator(tuple(domain_data.items()))


def signable(domain_data: Mapping[str, Any], types: Types, message: Mapping[str, Any]) -> SignableMessage:
    """`eth_account.messages.encode_typed_data(domain_data, types, message)`, domain hash cached."""
    return SignableMessage(
        b"\x01",
        domain_separator(domain_data),
        bytes(hash_eip712_message({k: [dict(f) for f in v] for k, v in types.items()}, dict(message))),
    )


def digest(domain_data: Mapping[str, Any], types: Types, message: Mapping[str, Any]) -> bytes:
    """The 32-byte digest signers sign: `keccak256("\\x19\\x01" || domainSeparator || hashStruct)`."""
    encoded = signable(domain_data, types, message)
    return keccak(b"\x19" + encoded.version + encoded.header + encoded.body)


def sign_digest(account: LocalAccount, digest_: bytes) -> bytes:
    """65-byte `r || s || v` signature (v = 27/28) of an EIP-712 digest."""
    signed = account.unsafe_sign_hash(Hash32(digest_))
    return signed.r.to_bytes(32, "big") + signed.s.to_bytes(32, "big") + bytes([signed.v])


def sign(
    signer: str | bytes | LocalAccount,
    domain_data: Mapping[str, Any],
    types: Types,
    message: Mapping[str, Any],
) -> bytes:
    """65-byte `r || s || v` signature of the typed data by a private key or local account."""
    account = signer if isinstance(signer, LocalAccount) else Account.from_key(signer)
    return sign_digest(account, digest(domain_data, types, message))


def recover(
    domain_data: Mapping[str, Any], types: Types, message: Mapping[str, Any], signature: bytes
) -> str:
    """The address that signed the typed data."""
    return str(Account.recover_message(signable(domain_data, types, message), signature=signature))


def vrs(signature: bytes) -> tuple[int, bytes, bytes]:
    """`(v, r, s)` of a 65-byte signature, the split form `permit(..., v, r, s)` takes."""
    if len(signature) != 65:
        raise ValueError(f"a signature is 65 bytes, got {len(signature)}")
    return signature[64], bytes(signature[:32]), bytes(signature[32:64])
