"""`ape run attestor serve|status` (scripts/attestor.py); also `python -m tokenized_stocks.cli.attestor`
(the same commands without ape's start-up, which a key in a keyfile does not need).

    ATTESTOR_PASSPHRASE=... ape run attestor serve --keyfile op1.json --db op1.sqlite --port 8601 \
        --watch http://127.0.0.1:8545,0xGatewayA --watch http://127.0.0.1:8546,0xGatewayB
    ape run attestor status --watch http://127.0.0.1:8545,0xGatewayA --watch ... [--attestor URL] [--json]

Every option has an `ATTESTOR_*` variable (tokenized_stocks/attestor/config.py). The key is an ape
account alias (`--account`, passphrase in `APE_ACCOUNTS_<alias>_PASSPHRASE`) or a keyfile
(`--keyfile`, passphrase in `ATTESTOR_PASSPHRASE`): never a key on the command line.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import click
import requests
from eth_account.signers.local import LocalAccount
from rich.console import Console
from rich.table import Table

from tokenized_stocks.attestor.chain import AttestorError, SourceChain
from tokenized_stocks.attestor.config import AttestorSettings, keyfile_key, parse_chain
from tokenized_stocks.attestor.server import serve as serve_api
from tokenized_stocks.attestor.service import Attestor
from tokenized_stocks.attestor.status import mismatches, operator_set
from tokenized_stocks.attestor.store import AttestorStore
from tokenized_stocks.cli.errors import FAILED, fail
from tokenized_stocks.cli.output import json_option
from tokenized_stocks.cli.params import hidden_alias
from tokenized_stocks.cli.signers import alias_key, refuse_key_like
from tokenized_stocks.protocol.errors import UserError

log = logging.getLogger("tokenized_stocks.attestor")


def watch_option(func: Any) -> Any:
    """`--watch RPC_URL,GATEWAY[,START_BLOCK]` (repeatable), and `--chain`, its deprecated spelling
    (`--chain` names an ape network choice elsewhere)."""
    func = hidden_alias("--chain", "old_chains", multiple=True)(func)
    return click.option(
        "--watch",
        "chains",
        multiple=True,
        metavar="RPC_URL,GATEWAY[,START_BLOCK]",
        help="A watched chain (repeatable).  [env: ATTESTOR_CHAINS, ';' between chains]",
    )(func)


class JsonLines(logging.Formatter):
    """`serve --json`: one JSON object per log record (time, level, logger, message)."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(
            {
                "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                "level": record.levelname,
                "logger": record.name,
                "message": record.getMessage(),
            },
            sort_keys=True,
        )


def _key(settings: AttestorSettings) -> LocalAccount:
    if (settings.account is None) == (settings.keyfile is None):
        raise UserError("give one of --account <ape alias> and --keyfile <path>")
    if settings.account is not None:
        return alias_key(settings.account, "--account")
    assert settings.keyfile is not None
    return keyfile_key(settings.keyfile, os.environ)


@click.group()
def cli() -> None:
    """One gateway operator's attestor: follows the gateways, signs what it saw, serves it."""


@cli.command()
@watch_option
@click.option(
    "--account", metavar="ALIAS", help="ape account alias of the operator key.  [env: ATTESTOR_ACCOUNT]"
)
@click.option(
    "--keyfile",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Encrypted JSON keyfile; passphrase in ATTESTOR_PASSPHRASE.  [env: ATTESTOR_KEYFILE]",
)
@click.option("--db", "db_path", help="SQLite state file.  [default: attestor.sqlite; env: ATTESTOR_DB_PATH]")
@click.option("--host", help="Listen address.  [default: 127.0.0.1; env: ATTESTOR_HOST]")
@click.option("--port", type=int, help="Listen port (0: any).  [default: 8600; env: ATTESTOR_PORT]")
@click.option(
    "--confirmations", type=int, help="Depth before signing.  [default: 12; env: ATTESTOR_CONFIRMATIONS]"
)
@click.option(
    "--poll-interval", type=float, help="Seconds between scans.  [default: 0.5; env: ATTESTOR_POLL_INTERVAL]"
)
@click.option(
    "--log-chunk", type=int, help="Blocks per eth_getLogs.  [default: 2000; env: ATTESTOR_LOG_CHUNK]"
)
@click.option(
    "--ready-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the API's URL to this file once it listens (for supervisors and tests).",
)
@json_option
def serve(ready_file: Path | None, old_chains: tuple[str, ...], as_json: bool, **options: Any) -> None:
    """Follows the watched gateways, signs confirmed messages, serves the signatures over HTTP.

    With `--json`, stdout carries only JSON lines: every log record, and `{"event": "listening",
    "url": ...}` once the API listens; a bad input is one `error:` line on stderr (exit 2)."""
    handler = logging.StreamHandler(sys.stdout if as_json else sys.stderr)
    handler.setFormatter(
        JsonLines() if as_json else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    options["chains"] = (*options["chains"], *(old_chains or ()))
    try:
        if options.get("account"):
            refuse_key_like(str(options["account"]), "--account")
        settings = AttestorSettings.load(**options)
        key = _key(settings)
    except UserError as err:
        fail(str(err))
    store = AttestorStore(settings.db_path)
    try:
        attestor = Attestor(
            key,
            settings.chains,
            store,
            confirmations=settings.confirmations,
            log_chunk=settings.log_chunk,
            rpc_retries=settings.rpc_retries,
            rpc_backoff=settings.rpc_backoff,
        )
    except AttestorError as err:
        store.close()
        fail(f"cannot reach a watched chain: {str(err).splitlines()[0]}")
    for source in attestor.sources:
        try:
            current = operator_set(source)
        except AttestorError as err:
            log.warning("%s: cannot read the operator set: %s", source.name, err)
            continue
        if key.address not in current.operators:
            log.warning(
                "%s: %s is not an operator of gateway %s (yet): its signatures will not count there",
                source.name,
                key.address,
                source.gateway,
            )

    def ready(url: str) -> None:
        if as_json:
            click.echo(json.dumps({"event": "listening", "url": url}))
        if ready_file is not None:
            tmp = ready_file.with_suffix(".tmp")
            tmp.write_text(url)
            tmp.replace(ready_file)

    try:
        serve_api(attestor, settings.host, settings.port, settings.poll_interval, ready)
    finally:
        attestor.close()


@cli.command()
@watch_option
@click.option(
    "--attestor",
    "attestors",
    multiple=True,
    metavar="URL",
    help="An attestor API to ask for its health (repeatable).",
)
@json_option
def status(
    chains: tuple[str, ...], old_chains: tuple[str, ...], attestors: tuple[str, ...], as_json: bool
) -> None:
    """The operator set and threshold on each chain; exits 1 when chains disagree."""
    chains = (*chains, *(old_chains or ()))
    try:
        watched = [parse_chain(c) for c in chains] if chains else AttestorSettings.load().chains
    except (ValueError, UserError) as err:
        fail(f"bad --watch: {err}")
    try:
        sets = [operator_set(SourceChain(w.rpc_url, w.gateway, retries=2), w.start_block) for w in watched]
    except AttestorError as err:
        fail(f"cannot read a chain: {str(err).splitlines()[0]}", FAILED)
    found = mismatches(sets) + [f"chain {s.chain_id}: {p}" for s in sets for p in s.problems]
    health = [_health(url) for url in attestors]
    if as_json:
        click.echo(
            json.dumps(
                {
                    "chains": [
                        {
                            "chain_id": s.chain_id,
                            "gateway": s.gateway,
                            "operators": s.operators,
                            "threshold": s.threshold,
                        }
                        for s in sets
                    ],
                    "mismatches": found,
                    "attestors": health,
                },
                sort_keys=True,
            )
        )
    else:
        console = Console()
        table = Table(title="gateway operators")
        for column in ("chain", "gateway", "threshold", "operators"):
            table.add_column(column)
        for s in sets:
            table.add_row(
                str(s.chain_id), s.gateway, f"{s.threshold} of {len(s.operators)}", "\n".join(s.operators)
            )
        console.print(table)
        if health:
            attest = Table(title="attestors")
            for column in ("url", "status", "signer", "operator on"):
                attest.add_column(column)
            for h in health:
                on = [str(s.chain_id) for s in sets if h.get("signer") in s.operators]
                attest.add_row(h["url"], str(h["status"]), str(h.get("signer", "-")), ", ".join(on) or "-")
            console.print(attest)
        for line in found:
            console.print(f"[red]MISMATCH[/] {line}")
        if not found:
            console.print("[green]the operator set and threshold agree on every chain[/]")
    sys.exit(FAILED if found else 0)


def _health(url: str) -> dict[str, Any]:
    try:
        body = requests.get(url.rstrip("/") + "/health", timeout=3).json()
        return {"url": url, "status": body.get("status"), "signer": body.get("signer")}
    except (requests.RequestException, ValueError) as err:
        return {"url": url, "status": f"unreachable ({type(err).__name__})"}


if __name__ == "__main__":
    cli()
