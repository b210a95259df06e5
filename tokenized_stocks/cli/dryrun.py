"""`ape run deploy --dry-run`: the plan's gas, measured on a fork, and its cost at today's gas price.

Nothing is sent to the chain: each planned transaction is replayed, in order, on a throwaway anvil
that forks the chain at its latest block and lets any sender send without a key. The gas each one
used there is its estimate (the chain's state is the same, so are the contracts' code paths); the
cost is that gas at the chain's current gas price. A transaction that reverts on the fork would
revert on the chain: the dry run says which, and exits 1.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tokenized_stocks.deploy.plan import PlannedTx
from tokenized_stocks.devtools.anvil import AnvilError, start_anvil
from tokenized_stocks.protocol.errors import UserError

#: Balance given to each sender on the fork (the simulation measures gas, not funds).
FORK_BALANCE_WEI = 10**24


class SimulationFailed(UserError):
    """A planned transaction reverted on the fork."""


@dataclass(frozen=True)
class Simulation:
    """What the fork measured; `note` says why gas is missing, when it is."""

    simulated: bool
    note: str = ""


def simulate(txs: list[PlannedTx], fork_url: str, chain_id: int) -> Simulation:
    """Replays `txs` on a fork of `fork_url`, filling in each one's `gas` (see the module docstring)."""
    if not txs:
        return Simulation(True)
    if shutil.which("anvil") is None:
        return Simulation(False, "gas not estimated: anvil (foundry) is not on PATH to fork the chain")
    try:
        node = start_anvil(chain_id, fork_url=fork_url)
    except AnvilError as err:
        return Simulation(False, f"gas not estimated: could not fork {fork_url}: {err}")
    try:
        funded: set[str] = set()
        for number, tx in enumerate(txs, 1):
            if tx.sender not in funded:
                node.rpc("anvil_setBalance", tx.sender, hex(FORK_BALANCE_WEI))
                funded.add(tx.sender)
            call: dict[str, Any] = {"from": tx.sender, "data": tx.data}
            if tx.to is not None:
                call["to"] = tx.to
            try:
                tx_hash = node.rpc("eth_sendTransaction", call)
            except AnvilError as err:
                raise SimulationFailed(
                    f"the dry run reverted at step {number} ({tx.describe()}) on a fork of the chain: {err}"
                ) from None
            receipt = _receipt(node, str(tx_hash))
            if int(receipt["status"], 16) != 1:
                raise SimulationFailed(
                    f"the dry run reverted at step {number} ({tx.describe()}) on a fork of the chain"
                )
            tx.gas = int(receipt["gasUsed"], 16)
    finally:
        node.stop()
    return Simulation(True)


def _receipt(node: Any, tx_hash: str) -> Any:
    """The fork's receipt of `tx_hash` (anvil mines each one on arrival; it may take a moment)."""
    try:
        return node.receipt(tx_hash, timeout=10)
    except AnvilError as error:
        raise SimulationFailed(f"the fork did not mine {tx_hash}") from error


def ether(wei: int) -> str:
    """`wei` in ETH, as a decimal string (exact)."""
    text = format(Decimal(wei) / Decimal(10**18), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
