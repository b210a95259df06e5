"""Relayer configuration: the chains, the operators and the tunables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from eth_account.signers.local import LocalAccount

from tokenized_stocks.protocol.message import (
    Message,
    sign_digest,
)


class Signer(Protocol):
    """An operator: a local key here, or a client of a separate operator process."""

    @property
    def address(self) -> str: ...

    def sign(self, message: Message, digest: bytes) -> bytes:
        """65-byte signature of `digest` (the attestation of `message`)."""
        ...


@dataclass(frozen=True)
class LocalOperator:
    """An operator whose key the relayer holds (tests, demo)."""

    account: LocalAccount

    @property
    def address(self) -> str:
        return self.account.address

    def sign(self, message: Message, digest: bytes) -> bytes:
        return sign_digest(self.account, digest)


@dataclass(frozen=True)
class ChainEndpoint:
    """One side of the bridge: an RPC URL, the gateway deployed there and, when known, the block it
    was deployed in (a fresh cursor starts there: messages of an earlier deployment are not read)."""

    name: str
    rpc_url: str
    gateway: str
    start_block: int | None = None


@dataclass
class RelayerConfig:
    """Everything the relayer needs. `start_block` is where a fresh cursor starts."""

    chain_a: ChainEndpoint
    chain_b: ChainEndpoint
    submitter: LocalAccount
    operators: Sequence[Signer]
    db_path: str = "relayer.sqlite"
    confirmations: int = 0
    batch_size: int = 20
    max_attempts: int = 3
    start_block: int = 0
    log_chunk: int = 5_000
    rpc_retries: int = 5
    rpc_backoff: float = 0.2
    receipt_timeout: float = 60.0
