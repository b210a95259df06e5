"""A malicious operator's attestor, run as its own process by tests/e2e/test_attestors.py.

Before serving exactly like an honest attestor, it signs with its own key the forged messages
given (ABI-encoded hex, comma separated) in MALICIOUS_FORGED, and stores them as if it had seen
them on chain: a forged Transfer reusing a real nonce, and one for a nonce never sent."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tokenized_stocks.attestor.config import keyfile_key
from tokenized_stocks.attestor.store import Attestation, AttestorStore
from tokenized_stocks.cli.attestor import cli
from tokenized_stocks.protocol.message import Message, attest_message


def forge(argv: list[str]) -> None:
    key = keyfile_key(Path(argv[argv.index("--keyfile") + 1]), os.environ)
    store = AttestorStore(argv[argv.index("--db") + 1])
    try:
        for text in filter(None, os.environ.get("MALICIOUS_FORGED", "").split(",")):
            message = Message.decode(bytes.fromhex(text))
            if message.id not in store.get([message.id]):
                signature = attest_message(message, [key])[0]
                store.insert_unchecked(Attestation(message, signature, 0, b"\x00" * 32))
    finally:
        store.close()


if __name__ == "__main__":
    forge(sys.argv)
    cli()
