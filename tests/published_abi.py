"""The published ERC-7943 and ITransferDiagnostic ABIs, called from plain web3.py (not ape).

An integrator holds the standard's ABI, not this suite's: the ABIs here are the compiled
*interfaces* shipped as package data (`IERC7943Fungible`, `ITransferDiagnostic`), never an
asset's own ABI, and `erc165_id` recomputes the interface id from them so a test can compare it
with the figure the ERC itself publishes (0x3edbb4c4)."""

from __future__ import annotations

from functools import reduce
from typing import Any

from eth_utils import function_abi_to_4byte_selector
from web3 import Web3
from web3.logs import DISCARD

from tokenized_stocks.abi import load_abi

ERC7943_FUNGIBLE_ID = bytes.fromhex("3edbb4c4")  # as published in ERC-7943, "Additional Specifications"


def erc165_id(abi: list[dict[str, Any]], inherited: tuple[str, ...] = ("supportsInterface",)) -> bytes:
    """ERC-165 id of an interface ABI: XOR of its own functions' selectors (not the inherited ones)."""
    selectors = [
        int.from_bytes(function_abi_to_4byte_selector(entry), "big")
        for entry in abi
        if entry["type"] == "function" and entry["name"] not in inherited
    ]
    return reduce(lambda a, b: a ^ b, selectors, 0).to_bytes(4, "big")


def plain_web3() -> Web3:
    """A web3.py client of its own on the anvil ape's test provider runs (not ape's web3)."""
    from ape import chain

    return Web3(Web3.HTTPProvider(chain.provider.uri))


def erc7943(w3: Web3, address: Any) -> Any:
    return w3.eth.contract(address=Web3.to_checksum_address(str(address)), abi=load_abi("IERC7943Fungible"))


def diagnostic(w3: Web3, address: Any) -> Any:
    return w3.eth.contract(
        address=Web3.to_checksum_address(str(address)), abi=load_abi("ITransferDiagnostic")
    )


def send(w3: Web3, call: Any, sender: Any) -> Any:
    """Sends `call` from `sender` (an anvil dev account, unlocked) and returns the receipt."""
    tx_hash = call.transact({"from": Web3.to_checksum_address(str(sender))})
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash)
    assert receipt["status"] == 1
    return receipt


def decoded(contract: Any, event: str, receipt: Any) -> list[Any]:
    """The logs of `receipt` that are `event` of the standard ABI (the others, e.g. ERC-20's
    Transfer, are not in that ABI and are skipped)."""
    return list(getattr(contract.events, event)().process_receipt(receipt, errors=DISCARD))
