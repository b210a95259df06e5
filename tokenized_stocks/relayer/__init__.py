"""The relayer service: configuration (`config`), SQLite store (`store`), gateway client (`chain`)
and the relay loop (`service`). The names below are its public API."""

from tokenized_stocks.relayer.chain import RelayerError, SimulatedCrash
from tokenized_stocks.relayer.config import ChainEndpoint, LocalOperator, RelayerConfig, Signer
from tokenized_stocks.relayer.service import Relayer, RelayReport
from tokenized_stocks.relayer.store import RelayerStore

__all__ = [
    "ChainEndpoint",
    "LocalOperator",
    "Relayer",
    "RelayReport",
    "RelayerConfig",
    "RelayerError",
    "RelayerStore",
    "Signer",
    "SimulatedCrash",
]
