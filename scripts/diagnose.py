"""`ape run diagnose`: why would this transfer fail? Every rule an asset applies to a transfer of
`--amount` from `--from` to `--to`, each with pass or fail and its ERC-1404 code and text, read
through the published `ITransferDiagnostic` ABI (the tracker certificate, the order token, and
any asset that advertises the interface through ERC-165).

    ape run diagnose transfer --network ethereum:chaina:node --asset AAPLx \\
        --from 0xA11... --to 0xB0b... --amount 10 [--json]

`--amount` is in tokens (18 decimals, as every asset of the suite). The first failing rule is the
code `detectTransferRestriction` returns, and the transfer succeeds exactly when every rule passes.

Exit codes: 0 the transfer would succeed; 1 it would be refused (the table, or the JSON's
`restriction` and `rules`, say why); 2 bad input, nothing read (unknown asset, bad address or
amount, an asset without the diagnostic). `--json`: one JSON object on stdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tokenized_stocks.cli.commands import ConnectedScriptCommand
from tokenized_stocks.cli.diagnostic import asset_address, read_diagnosis, rule_table, summary
from tokenized_stocks.cli.errors import FAILED, user_errors
from tokenized_stocks.cli.output import Output, json_option
from tokenized_stocks.cli.params import parse_address
from tokenized_stocks.protocol.display import parse_amount


@click.group()
def cli() -> None:
    """Diagnose a transfer of any asset of the suite."""


@cli.command(cls=ConnectedScriptCommand)
@click.option("--asset", required=True, help="asset key, ticker or ISIN from the manifest")
@click.option("--from", "sender", required=True, help="sender address")
@click.option("--to", "recipient", required=True, help="recipient address")
@click.option("--amount", required=True, help="tokens (decimal, 18 decimals)")
@click.option("--manifests", type=click.Path(path_type=Path), default=Path("deployments"), show_default=True)
@json_option
@user_errors
def transfer(
    network: Any, asset: str, sender: str, recipient: str, amount: str, manifests: Path, as_json: bool
) -> None:
    """Every rule of a transfer, pass or fail; exit 0 allowed, 1 refused."""
    out = Output(as_json)
    from_address = parse_address(sender, "--from")
    to_address = parse_address(recipient, "--to")
    value = parse_amount(amount, "--amount")
    key, address = asset_address(asset, manifests)
    diagnosis = read_diagnosis(key, address, from_address, to_address, value)
    out.print(rule_table(diagnosis))
    out.print(summary(diagnosis))
    out.result(diagnosis.to_json())
    if not diagnosis.allowed:
        raise SystemExit(FAILED)
