"""The relayer service: configuration (`config`), SQLite store (`store`), gateway client (`chain`),
the attestors it collects signatures from (`attestors`) and the relay loop (`service`). The names
below are its public API."""

from tokenized_stocks.relayer.attestors import AttestorEndpoint, AttestorUnavailable, HttpAttestor
from tokenized_stocks.relayer.chain import RelayerError, SimulatedCrash
from tokenized_stocks.relayer.config import ChainEndpoint, RelayerConfig
from tokenized_stocks.relayer.service import Relayer, RelayReport
from tokenized_stocks.relayer.store import RelayerStore

__all__ = [
    "AttestorEndpoint",
    "AttestorUnavailable",
    "ChainEndpoint",
    "HttpAttestor",
    "Relayer",
    "RelayReport",
    "RelayerConfig",
    "RelayerError",
    "RelayerStore",
    "SimulatedCrash",
]
