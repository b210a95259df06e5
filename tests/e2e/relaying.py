"""Delivering bridge messages between the harness's two anvils: three attestor processes (2-of-3,
test accounts 8-10, the suite's operators) and one in-process relayer (test account 11) carry
everything in flight both ways, then stop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_scripts import ALICE, on, run_in_process


def relay(nodes: Any, gateways: tuple[str, str], folder: Path) -> None:
    """Delivers every message in flight between chain A's gateway `gateways[0]` and chain B's
    `gateways[1]` (both ways), then stops the attestors and the relayer."""
    from ape import accounts
    from eth_account import Account

    from tokenized_stocks.attestor.service import WatchedChain
    from tokenized_stocks.devtools.attestors import start_attestors
    from tokenized_stocks.relayer.attestors import HttpAttestor
    from tokenized_stocks.relayer.config import ChainEndpoint, RelayerConfig
    from tokenized_stocks.relayer.service import Relayer

    a, b = nodes
    key = lambda i: Account.from_key(accounts.test_accounts[i].private_key)  # noqa: E731
    watched = [WatchedChain(a.uri, gateways[0]), WatchedChain(b.uri, gateways[1])]
    attestors = start_attestors([key(i) for i in (8, 9, 10)], folder / "attestors", watched)
    try:
        heads = {
            a.chain_id: int(str(a.rpc("eth_blockNumber")), 16),
            b.chain_id: int(str(b.rpc("eth_blockNumber")), 16),
        }
        for attestor in attestors:
            attestor.wait_caught_up(heads)
        relayer = Relayer(
            RelayerConfig(
                chain_a=ChainEndpoint("A", a.uri, gateways[0]),
                chain_b=ChainEndpoint("B", b.uri, gateways[1]),
                submitter=key(11),
                attestors=[HttpAttestor(x.url) for x in attestors],
                db_path=str(folder / "relayer.sqlite"),
            )
        )
        try:
            relayer.run_until_idle()
        finally:
            relayer.close()
    finally:
        for attestor in attestors:
            attestor.stop()


def bridge(
    node: Any, manifests: Path, dst_chain_id: int, asset: str, amount: str, ttl: int = 86_400, to: str = ALICE
) -> None:
    """`ape run bridge` from `node`'s chain: Alice (test account 12) sends `amount` of `asset` to
    `to` on `dst_chain_id`, deliverable for `ttl` seconds."""
    sent = run_in_process(
        "bridge", *on(node), "--manifests", str(manifests), "--dst-chain-id", str(dst_chain_id),
        "--asset", asset, "--to", to, "--amount", amount, "--ttl", str(ttl),
    )  # fmt: skip
    assert sent.returncode == 0, sent.stdout[-2000:] + sent.stderr[-2000:]
