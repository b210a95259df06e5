"""The attestor service: one per gateway operator. Configuration (`config`), SQLite store
(`store`), chain client (`chain`), the scan-and-sign loop (`service`), the HTTP API (`server`) and
the operator sets in force (`status`). The names below are its public API."""

from tokenized_stocks.attestor.chain import AttestorError
from tokenized_stocks.attestor.service import Attestor, WatchedChain
from tokenized_stocks.attestor.store import Attestation, AttestorStore

__all__ = ["Attestation", "Attestor", "AttestorError", "AttestorStore", "WatchedChain"]
