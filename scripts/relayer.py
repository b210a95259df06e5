"""`ape run relayer`: carries gateway messages between two chains (see tokenized_stocks/relayer/).

Each chain is given by its RPC URI and its gateway address, either directly or from a deployment
manifest (a JSON file with a gateway address: `{"chainId": .., "contracts": {"Gateway": "0x.."}}`,
`{"Gateway": "0x.."}` or `{"gateway": "0x.."}`). Operator and submitter keys come from options or
the environment (RELAYER_OPERATOR_KEYS, comma separated; RELAYER_SUBMITTER_KEY).

    ape run relayer --rpc-a http://127.0.0.1:8545 --manifest-a deployments/31337.json \
        --rpc-b http://127.0.0.1:8546 --manifest-b deployments/31338.json --once
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import click
from eth_account import Account
from eth_utils import is_address

from tokenized_stocks.cli.commands import ScriptCommand
from tokenized_stocks.cli.errors import fail
from tokenized_stocks.relayer.chain import RelayerError
from tokenized_stocks.relayer.config import ChainEndpoint, LocalOperator, RelayerConfig
from tokenized_stocks.relayer.service import Relayer


def _account(key: str, what: str):
    """The signer of a private key; a malformed key is a usage error (the key is never echoed)."""
    try:
        return Account.from_key(key)
    except Exception:  # noqa: BLE001 - eth-account raises several types for a bad key
        fail(f"the {what} key is not a valid private key")


def _gateway_from_manifest(path: str) -> tuple[str, int | None]:
    """The gateway address in a manifest and, when recorded, the block it was deployed in."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as err:
        fail(f"{path} is not a readable JSON manifest: {err}")
    for candidate in (data.get("contracts", {}), data):
        for key in ("Gateway", "gateway"):
            value = candidate.get(key) if isinstance(candidate, dict) else None
            block = None
            if isinstance(value, dict):
                block = value.get("block")
                value = value.get("address")
            if isinstance(value, str):
                return value, int(block) if isinstance(block, int) else None
    fail(f"no Gateway address in {path}")


def _endpoint(
    name: str, rpc: str, gateway: str | None, manifest: str | None, start_block: int | None
) -> ChainEndpoint:
    """One chain. A fresh database starts at `start_block`, else at the manifest's gateway block
    (messages of an earlier deployment on the same chain are never re-read)."""
    if gateway is None and manifest is None:
        fail(f"chain {name}: give --gateway-{name.lower()} or --manifest-{name.lower()}")
    if gateway is not None and not is_address(gateway):
        fail(f"chain {name}: --gateway-{name.lower()} {gateway!r} is not an address")
    block = None
    if manifest is not None:
        recorded, block = _gateway_from_manifest(str(manifest))
        if gateway is not None and int(gateway, 16) != int(recorded, 16):
            fail(f"chain {name}: --gateway-{name.lower()} {gateway} is not the manifest's gateway {recorded}")
        gateway = recorded
    return ChainEndpoint(name, rpc, str(gateway), start_block if start_block is not None else block)


@click.command(cls=ScriptCommand)
@click.option("--rpc-a", required=True, help="RPC URI of chain A.")
@click.option("--rpc-b", required=True, help="RPC URI of chain B.")
@click.option("--gateway-a", help="Gateway address on chain A.")
@click.option("--gateway-b", help="Gateway address on chain B.")
@click.option("--manifest-a", type=click.Path(exists=True), help="Deployment manifest of chain A.")
@click.option("--manifest-b", type=click.Path(exists=True), help="Deployment manifest of chain B.")
@click.option("--operator-key", "operator_keys", multiple=True, help="Operator private key (repeatable).")
@click.option("--submitter-key", help="Private key paying for the receive transactions.")
@click.option("--db", default="relayer.sqlite", show_default=True, help="SQLite state file.")
@click.option(
    "--confirmations",
    default=0,
    show_default=True,
    help="Blocks on top of a MessageSent (0 on local anvils).",
)
@click.option("--batch-size", default=20, show_default=True)
@click.option("--max-attempts", default=3, show_default=True, help="Attempts before a message is parked.")
@click.option(
    "--start-block",
    type=int,
    default=None,
    help="First block of a fresh cursor (default: the gateway's deployment block in the manifest, else 0).",
)
@click.option("--poll-interval", default=1.0, show_default=True)
@click.option("--once", is_flag=True, help="Process what is pending (and the Returns it causes) and exit.")
@click.option("--retry-failed", is_flag=True, help="Re-queue parked messages first.")
def cli(
    rpc_a: str,
    rpc_b: str,
    gateway_a: str | None,
    gateway_b: str | None,
    manifest_a: str | None,
    manifest_b: str | None,
    operator_keys: tuple[str, ...],
    submitter_key: str | None,
    db: str,
    confirmations: int,
    batch_size: int,
    max_attempts: int,
    start_block: int | None,
    poll_interval: float,
    once: bool,
    retry_failed: bool,
) -> None:
    """Relays gateway messages between chain A and chain B, exactly once."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    keys = list(operator_keys) or [k for k in os.environ.get("RELAYER_OPERATOR_KEYS", "").split(",") if k]
    submitter = submitter_key or os.environ.get("RELAYER_SUBMITTER_KEY")
    if not keys or not submitter:
        fail("operator keys and a submitter key are required (options or environment)")
    config = RelayerConfig(
        chain_a=_endpoint("A", rpc_a, gateway_a, manifest_a, start_block),
        chain_b=_endpoint("B", rpc_b, gateway_b, manifest_b, start_block),
        submitter=_account(submitter, "submitter"),
        operators=[LocalOperator(_account(k, "operator")) for k in keys],
        db_path=db,
        confirmations=confirmations,
        batch_size=batch_size,
        max_attempts=max_attempts,
    )
    try:
        relayer = Relayer(config)
    except RelayerError as err:
        fail(f"cannot reach a chain: {str(err).splitlines()[0]}")
    try:
        if retry_failed:
            click.echo(f"re-queued {relayer.retry_failed()} parked message(s)")
        if once:
            report = relayer.run_until_idle()
            click.echo(
                f"scanned {report.scanned}, delivered {len(report.delivered)},"
                f" rejected {len(report.rejected)}, expired {len(report.expired)},"
                f" already processed {len(report.already_processed)},"
                f" failed {len(report.failed)}, retrying {len(report.retrying)},"
                f" misaddressed {len(report.misaddressed)}"
            )
            parked = relayer.failed()
            for message_id, attempts, error in parked:
                click.echo(f"FAILED {message_id.hex()} after {attempts} attempts: {error}", err=True)
            sys.exit(1 if parked else 0)
        relayer.run_forever(poll_interval)
    finally:
        relayer.close()
