"""`ape run relayer`: carries gateway messages between two chains (see tokenized_stocks/relayer/).

Each chain is given by its RPC URI; its gateway comes from its deployment manifest, found in
`--manifests` by the chain id the RPC serves (or named by `--gateway-a` / `--gateway-b`). Every
option but `--manifests` has a `RELAYER_*` environment variable (RelayerSettings in
tokenized_stocks/relayer/config.py); an option given wins over the variable. `--manifest-a` /
`--manifest-b` (one manifest file each) are the deprecated spellings.

The relayer holds no operator key: it asks each operator's attestor (`ape run attestor serve`)
for its signatures (`--attestor URL`, repeatable) and submits once the destination's threshold is
met. Its own key, the submitter paying for gas, is never an option value: an ape account alias
(`ape accounts import <alias>`), unlocked with ape's `APE_ACCOUNTS_<alias>_PASSPHRASE`; on local
chains an ape test account by number.

    ape run relayer --rpc-a http://127.0.0.1:8545 --rpc-b http://127.0.0.1:8546 --manifests deployments \
        --submitter relayer --attestor http://op1:8600 --attestor http://op2:8600 \
        --attestor http://op3:8600 --once
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click
from eth_account.signers.local import LocalAccount

from tokenized_stocks.cli.commands import ScriptCommand
from tokenized_stocks.cli.errors import fail
from tokenized_stocks.cli.output import json_option
from tokenized_stocks.cli.signers import alias_key, local_test_key, refuse_key_like
from tokenized_stocks.deploy.manifest import Manifest, load_manifest
from tokenized_stocks.protocol.chains import is_local_chain
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.relayer.attestors import HttpAttestor
from tokenized_stocks.relayer.chain import RelayerError
from tokenized_stocks.relayer.config import ChainEndpoint, RelayerConfig, RelayerSettings
from tokenized_stocks.relayer.service import Relayer, RelayReport


def _endpoint(
    name: str, rpc: str, gateway: str | None, manifest: Manifest | None, start_block: int | None
) -> ChainEndpoint:
    """One chain. A fresh database starts at `start_block`, else at the manifest's gateway block
    (messages of an earlier deployment on the same chain are never re-read)."""
    option = f"--gateway-{name.lower()}"
    if gateway is None and manifest is None:
        raise UserError(f"chain {name}: give --manifests (a directory of manifests) or {option}")
    block = None
    if manifest is not None:
        recorded = manifest.contracts.get("Gateway")
        if recorded is None:
            raise UserError(f"chain {name}: the manifest for chain {manifest.chain_id} has no Gateway")
        if gateway is not None and gateway != recorded.address:
            raise UserError(
                f"chain {name}: {option} {gateway} is not the manifest's gateway {recorded.address}"
            )
        gateway, block = recorded.address, recorded.block
    return ChainEndpoint(name, rpc, str(gateway), start_block if start_block is not None else block)


def _submitter(settings: RelayerSettings) -> tuple[LocalAccount, bool]:
    """The submitter and whether it is a test account (local chains only)."""
    if (settings.submitter is None) == (settings.submitter_test_account is None):
        raise UserError("give one of --submitter <alias> and --submitter-test-account <n>")
    if not settings.attestors:
        raise UserError("give --attestor <URL> (repeatable): the operators' attestors sign, not the relayer")
    for url in settings.attestors:
        if not url.startswith(("http://", "https://")):
            raise UserError(f"bad --attestor {url!r}: an http(s) URL of an attestor API")
    if settings.submitter is not None:
        return alias_key(settings.submitter, "--submitter"), False
    return local_test_key(settings.submitter_test_account, "--submitter-test-account"), True


def _check_chains(relayer: Relayer, manifests: dict[str, Manifest | None], testing: bool) -> None:
    """Each manifest is the connected chain's; test accounts sign on local chains only."""
    for name, client in (("A", relayer.a), ("B", relayer.b)):
        manifest = manifests[name]
        if manifest is not None and manifest.chain_id != client.chain_id:
            raise UserError(
                f"chain {name}: its manifest is chain {manifest.chain_id}'s, "
                f"but --rpc-{name.lower()} serves chain {client.chain_id}"
            )
        if testing and not is_local_chain(client.chain_id):
            raise UserError(
                f"chain {name} ({client.chain_id}) is not local: test accounts sign on local chains only"
            )


def chain_id_at(rpc: str, name: str) -> int:
    """The chain id an RPC serves (to find its manifest); one error line when it does not answer."""
    from web3 import Web3

    try:
        return int(Web3(Web3.HTTPProvider(rpc, request_kwargs={"timeout": 10})).eth.chain_id)
    except Exception as err:  # noqa: BLE001 - connection refused, timeout, not an RPC...
        raise UserError(f"cannot reach chain {name} at {rpc}: {str(err).splitlines()[0]}") from err


def find_manifest(name: str, rpc: str, path: str | Path | None, directory: Path | None) -> Manifest | None:
    """Chain `name`'s manifest: the file given, else the one for its chain id in `directory`."""
    if path:
        return load_manifest(path=Path(path))
    if directory is not None:
        return load_manifest(chain_id_at(rpc, name), directory)
    return None


def _warn_if_deeper(url: str, confirmations: int) -> None:
    """An attestor that waits for more confirmations than the relayer signs each message later than
    the relayer reads it: every round in between counts towards parking it. Said once, at start."""
    import requests

    try:
        waits = int(requests.get(url.rstrip("/") + "/health", timeout=2).json()["confirmations"])
    except (requests.RequestException, ValueError, KeyError, TypeError):
        logging.getLogger("tokenized_stocks.relayer").warning("attestor %s: no health answer at start", url)
        return
    if waits > confirmations:
        logging.getLogger("tokenized_stocks.relayer").warning(
            "attestor %s waits %d confirmations, this relayer %d: give --confirmations %d or more, or "
            "messages may be parked before it signs them",
            url,
            waits,
            confirmations,
            waits,
        )


def report_json(report: RelayReport, parked: list[tuple[bytes, int, str]]) -> dict[str, Any]:
    """`--once --json`: what the run did, message ids as 0x-hex."""

    def ids(values: list[bytes]) -> list[str]:
        return ["0x" + v.hex() for v in values]

    return {
        "scanned": report.scanned,
        "delivered": ids(report.delivered),
        "rejected": ids(report.rejected),
        "expired": ids(report.expired),
        "refunds_held": ids(report.held),
        "already_processed": ids(report.already_processed),
        "retrying": [{"message_id": "0x" + m.hex(), "error": e} for m, e in report.retrying],
        "misaddressed": ids(report.misaddressed),
        "transactions": report.transactions,
        "parked": [{"message_id": "0x" + m.hex(), "attempts": n, "error": e} for m, n, e in parked],
        "unattested": [{"message_id": "0x" + m.hex(), "error": e} for m, e in report.unattested],
    }


@click.command(cls=ScriptCommand)
@click.option("--rpc-a", help="RPC URI of chain A.  [env: RELAYER_RPC_A]")
@click.option("--rpc-b", help="RPC URI of chain B.  [env: RELAYER_RPC_B]")
@click.option(
    "--manifests",
    "manifest_dir",
    type=click.Path(path_type=Path),
    help="Directory of deployment manifests (<dir>/<chain id>/manifest.json): each chain's is found "
    "by the chain id its RPC serves.",
)
@click.option("--manifest-a", type=click.Path(exists=True), hidden=True)  # deprecated: --manifests
@click.option("--manifest-b", type=click.Path(exists=True), hidden=True)  # deprecated: --manifests
@click.option(
    "--gateway-a", help="Gateway address on chain A (without a manifest).  [env: RELAYER_GATEWAY_A]"
)
@click.option(
    "--gateway-b", help="Gateway address on chain B (without a manifest).  [env: RELAYER_GATEWAY_B]"
)
@click.option(
    "--submitter",
    metavar="ALIAS",
    help="ape account alias paying for the receive transactions; passphrase in "
    "APE_ACCOUNTS_<ALIAS>_PASSPHRASE.  [env: RELAYER_SUBMITTER]",
)
@click.option(
    "--attestor",
    "attestors",
    metavar="URL",
    multiple=True,
    help="An operator's attestor API (repeatable).  [env: RELAYER_ATTESTORS, comma separated]",
)
@click.option(
    "--attestor-timeout",
    type=float,
    help="Seconds an attestor request may take.  [default: 2; env: RELAYER_ATTESTOR_TIMEOUT]",
)
@click.option(
    "--attestation-attempts",
    type=int,
    help="Rounds below the threshold before a message is parked.  [default: 20; env: RELAYER_ATTESTATION_ATTEMPTS]",
)
@click.option(
    "--submitter-test-account",
    type=int,
    metavar="N",
    help="Local chains: ape test account number of the submitter.  [env: RELAYER_SUBMITTER_TEST_ACCOUNT]",
)
@click.option("--db", "db_path", help="SQLite state file.  [default: relayer.sqlite; env: RELAYER_DB_PATH]")
@click.option(
    "--confirmations",
    type=int,
    help="Blocks on top of a MessageSent (0 on local anvils).  [default: 0; env: RELAYER_CONFIRMATIONS]",
)
@click.option(
    "--batch-size", type=int, help="Messages per transaction.  [default: 20; env: RELAYER_BATCH_SIZE]"
)
@click.option(
    "--max-attempts",
    type=int,
    help="Attempts before a message is parked.  [default: 3; env: RELAYER_MAX_ATTEMPTS]",
)
@click.option(
    "--start-block",
    type=int,
    help="First block of a fresh cursor (default: the gateway's deployment block in the manifest, "
    "else 0).  [env: RELAYER_START_BLOCK]",
)
@click.option(
    "--poll-interval", type=float, help="Seconds between polls.  [default: 1.0; env: RELAYER_POLL_INTERVAL]"
)
@click.option("--once", is_flag=True, help="Process what is pending (and the Returns it causes) and exit.")
@click.option("--retry-failed", is_flag=True, help="Re-queue parked messages first.")
@json_option
def cli(once: bool, retry_failed: bool, as_json: bool, manifest_dir: Path | None, **options: object) -> None:
    """Relays gateway messages between chain A and chain B, exactly once."""
    if as_json and not once:
        fail("--json needs --once (a relayer that runs on logs to stderr; its report is per run)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if options["submitter"] is not None:
            refuse_key_like(str(options["submitter"]), "--submitter")
        for url in options["attestors"]:  # type: ignore[attr-defined]
            refuse_key_like(str(url), "--attestor")
        settings = RelayerSettings.load(**options)
        manifests = {
            "A": find_manifest("A", settings.rpc_a, settings.manifest_a, manifest_dir),
            "B": find_manifest("B", settings.rpc_b, settings.manifest_b, manifest_dir),
        }
        chain_a = _endpoint("A", settings.rpc_a, settings.gateway_a, manifests["A"], settings.start_block)
        chain_b = _endpoint("B", settings.rpc_b, settings.gateway_b, manifests["B"], settings.start_block)
        submitter, testing = _submitter(settings)
    except UserError as err:
        fail(str(err))
    config = RelayerConfig(
        chain_a=chain_a,
        chain_b=chain_b,
        submitter=submitter,
        attestors=[HttpAttestor(url, timeout=settings.attestor_timeout) for url in settings.attestors],
        **settings.tunables(),
    )
    try:
        relayer = Relayer(config)
    except RelayerError as err:
        fail(f"cannot reach a chain: {str(err).splitlines()[0]}")
    try:
        try:
            _check_chains(relayer, manifests, testing)
        except UserError as err:
            fail(str(err))
        for url in settings.attestors:
            _warn_if_deeper(url, settings.confirmations)
        if retry_failed:
            click.echo(f"re-queued {relayer.retry_failed()} parked message(s)", err=as_json)
        if once:
            report = relayer.run_until_idle()
            parked = relayer.failed()
            if as_json:
                click.echo(json.dumps(report_json(report, parked), sort_keys=True))
                sys.exit(1 if parked else 0)
            click.echo(
                f"scanned {report.scanned}, delivered {len(report.delivered)},"
                f" rejected {len(report.rejected)}, expired {len(report.expired)},"
                f" refunds held {len(report.held)},"
                f" already processed {len(report.already_processed)},"
                f" failed {len(report.failed)}, retrying {len(report.retrying)},"
                f" misaddressed {len(report.misaddressed)}, unattested {len(report.unattested)}"
            )
            for message_id, error in report.unattested:
                click.echo(f"UNATTESTED {message_id.hex()}: {error}", err=True)
            for message_id, attempts, error in parked:
                click.echo(f"FAILED {message_id.hex()} after {attempts} attempts: {error}", err=True)
            sys.exit(1 if parked else 0)
        relayer.run_forever(settings.poll_interval)
    finally:
        relayer.close()
