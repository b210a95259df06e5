"""The gateway message in Python: encoding, id, EIP-712 attestation digest and operator signing.

Byte-for-byte the twin of `contracts/gateway/MessageCodec.sol` and `Gateway.attestationDigest`:

- encoding: `abi.encode(Message)`; every field is static, so it is the 14 words in field order
  (version 2 names both gateways: `src_gateway`, `dst_gateway`);
- id: `keccak256(encoding)`;
- attestation: EIP-712 `Attestation(address sourceGateway,bytes32 messageId)` under the domain
  `("TokenizedStockGateway", "1", dstChainId, dstGateway)`; signatures of a set are ordered by
  ascending signer address (the contract counts a signer once by requiring that order).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass, field, replace
from enum import IntEnum
from functools import cached_property, lru_cache
from typing import Any

from eth_abi import decode, encode
from eth_account.signers.local import LocalAccount
from eth_keys.datatypes import Signature as KeySignature
from eth_keys.exceptions import BadSignature
from eth_utils import keccak, to_checksum_address

from tokenized_stocks.protocol import typed_data
from tokenized_stocks.protocol.typed_data import sign_digest

VERSION = 2
NEVER = 2**64 - 1
DOMAIN_NAME = "TokenizedStockGateway"
DOMAIN_VERSION = "1"
MESSAGE_TYPES = (
    "uint8",
    "uint8",
    "uint64",
    "uint64",
    "address",
    "address",
    "uint64",
    "bytes32",
    "address",
    "address",
    "uint256",
    "uint64",
    "uint64",
    "bytes32",
)
MESSAGE_ABI_TYPE = "(" + ",".join(MESSAGE_TYPES) + ")"
ATTESTATION_TYPES: dict[str, list[dict[str, str]]] = {
    "Attestation": [
        {"name": "sourceGateway", "type": "address"},
        {"name": "messageId", "type": "bytes32"},
    ]
}
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
ZERO_BYTES32 = b"\x00" * 32


@lru_cache(maxsize=4_096)
def _checksum(address: str) -> str:
    """EIP-55 form of an address, cached: a relayer or attestor decodes thousands of messages that
    name the same few gateways and holders, and the checksum is a keccak each time."""
    return str(to_checksum_address(address))


class MessageKind(IntEnum):
    """`IGateway.MessageKind`."""

    TRANSFER = 0
    RETURN = 1
    CORPORATE_ACTION = 2


class MessageState(IntEnum):
    """`IGateway.MessageState` (inbound, on the destination)."""

    NONE = 0
    DELIVERED = 1
    REJECTED = 2
    EXPIRED = 3


@dataclass(frozen=True)
class Message:
    """`IGateway.Message`. `units` is the multiplier and `corporate_action_epoch` the epoch of a
    corporate action; `ref` is the refunded message id of a Return. `src_gateway` emitted it and
    `dst_gateway` is the only gateway that may deliver or expire it."""

    version: int
    kind: int
    src_chain_id: int
    dst_chain_id: int
    src_gateway: str
    dst_gateway: str
    nonce: int
    asset_id: bytes
    sender: str
    recipient: str
    units: int
    corporate_action_epoch: int
    expiry: int
    ref: bytes = field(default=ZERO_BYTES32)

    def as_tuple(self) -> tuple[Any, ...]:
        """Positional values in ABI order (what a contract call takes for the struct)."""
        return astuple(self)

    def encode(self) -> bytes:
        """`abi.encode(message)`."""
        return encode([MESSAGE_ABI_TYPE], [self.as_tuple()])

    @cached_property
    def id(self) -> bytes:
        """keccak256 of the encoding: the message id."""
        return keccak(self.encode())

    @classmethod
    def decode(cls, data: bytes) -> Message:
        """Inverse of `encode`."""
        (values,) = decode([MESSAGE_ABI_TYPE], data)
        return cls.from_values(values)

    @classmethod
    def from_values(cls, values: Sequence[Any] | Mapping[str, Any]) -> Message:
        """From the decoded struct of a log or call (a sequence in ABI order or a name mapping)."""
        if isinstance(values, Mapping):
            names = (
                "version",
                "kind",
                "srcChainId",
                "dstChainId",
                "srcGateway",
                "dstGateway",
                "nonce",
                "assetId",
                "sender",
                "recipient",
                "units",
                "corporateActionEpoch",
                "expiry",
                "ref",
            )
            values = [values[name] for name in names]
        v = list(values)
        return cls(
            version=int(v[0]),
            kind=int(v[1]),
            src_chain_id=int(v[2]),
            dst_chain_id=int(v[3]),
            src_gateway=_checksum(str(v[4])),
            dst_gateway=_checksum(str(v[5])),
            nonce=int(v[6]),
            asset_id=bytes(v[7]),
            sender=_checksum(str(v[8])),
            recipient=_checksum(str(v[9])),
            units=int(v[10]),
            corporate_action_epoch=int(v[11]),
            expiry=int(v[12]),
            ref=bytes(v[13]),
        )

    def with_(self, **changes: Any) -> Message:
        """A copy with some fields changed (tests forge messages with it)."""
        return replace(self, **changes)


def transfer_message(
    *,
    src_chain_id: int,
    dst_chain_id: int,
    src_gateway: str,
    dst_gateway: str,
    nonce: int,
    asset_id: bytes,
    sender: str,
    recipient: str,
    units: int,
    expiry: int,
    corporate_action_epoch: int = 0,
) -> Message:
    """A Transfer message with the current version (what `Gateway.send` emits)."""
    return Message(
        VERSION,
        MessageKind.TRANSFER,
        src_chain_id,
        dst_chain_id,
        to_checksum_address(src_gateway),
        to_checksum_address(dst_gateway),
        nonce,
        asset_id,
        to_checksum_address(sender),
        to_checksum_address(recipient),
        units,
        corporate_action_epoch,
        expiry,
    )


def gateway_domain(chain_id: int, gateway: str) -> dict[str, Any]:
    """EIP-712 domain of the gateway `gateway` on `chain_id`."""
    return typed_data.domain(DOMAIN_NAME, DOMAIN_VERSION, chain_id, gateway)


def domain_separator(chain_id: int, gateway: str) -> bytes:
    """EIP-712 domain separator of the gateway `gateway` on `chain_id`."""
    return typed_data.domain_separator(gateway_domain(chain_id, gateway))


def attestation_digest(message: Message, source_gateway: str, destination_gateway: str) -> bytes:
    """The digest operators sign: EIP-712 under the destination gateway's domain. An honest
    attestor passes the message's own `src_gateway` and `dst_gateway` (see `attest_message`)."""
    return typed_data.digest(
        gateway_domain(message.dst_chain_id, destination_gateway),
        ATTESTATION_TYPES,
        {"sourceGateway": source_gateway, "messageId": message.id},
    )


def attest(
    message: Message, source_gateway: str, destination_gateway: str, signers: Iterable[LocalAccount]
) -> list[bytes]:
    """Signatures of `signers`, ordered by ascending signer address as the gateway requires."""
    digest = attestation_digest(message, source_gateway, destination_gateway)
    ordered = sorted(signers, key=lambda a: int(a.address, 16))
    return [sign_digest(account, digest) for account in ordered]


def attest_message(message: Message, signers: Iterable[LocalAccount]) -> list[bytes]:
    """`attest` for the gateways the message itself names (what an honest attestor signs)."""
    return attest(message, message.src_gateway, message.dst_gateway, signers)


#: Half the secp256k1 order: the gateway (OpenZeppelin ECDSA) refuses a signature with a larger s.
_HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0


def recover_attester(message: Message, destination_gateway: str, signature: bytes) -> str | None:
    """The operator whose `signature` attests `message` for `destination_gateway` (the message's
    own source gateway bound in), or None where the gateway would refuse the signature itself."""
    return recover_signer(attestation_digest(message, message.src_gateway, destination_gateway), signature)


def recover_signer(digest: bytes, signature: bytes) -> str | None:
    """The address whose 65-byte `r || s || v` signature signed `digest`, or None where the gateway
    (OpenZeppelin ECDSA) would refuse it: not 65 bytes, v not 27/28, s in the upper half, r or s
    zero, no recoverable key."""
    if len(signature) != 65 or signature[64] not in (27, 28):
        return None
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:64], "big")
    if s > _HALF_ORDER or r == 0 or s == 0:
        return None
    try:
        key = KeySignature(vrs=(signature[64] - 27, r, s)).recover_public_key_from_msg_hash(digest)
    except (BadSignature, ValueError):
        return None
    return str(key.to_checksum_address())
