"""`ape run demo`: the whole story on two local anvil chains, narrated as it happens.

    ape run demo                       # starts two anvils (chain ids 31337 and 31338) and stops them
    ape run demo --keep-chains         # leaves them running and prints their URLs
    ape run demo --json                # the story on stderr, the final reconciliation as JSON on stdout

Lists one stock in each architecture, onboards investors, mints against reserves, buys on order,
refuses then allows a restricted transfer, splits 2:1, pays a dividend, bridges every architecture
to chain B and back, refunds a refused bridge, settles an atomic and a hybrid DvP, takes shares to the
traditional register and back in ISO 20022 messages (a split while there), and reconciles.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from ape import accounts, project
from ape.logging import logger

from tokenized_stocks.cli.commands import ScriptCommand
from tokenized_stocks.cli.errors import user_errors
from tokenized_stocks.cli.output import Output, json_option
from tokenized_stocks.deploy.listings import load_listings
from tokenized_stocks.devtools.anvil import AnvilError, start_anvil
from tokenized_stocks.devtools.story import ChainHandle, DemoError, Story
from tokenized_stocks.protocol.errors import UserError


@click.command(cls=ScriptCommand)
@click.option(
    "--listings",
    type=click.Path(path_type=Path),
    default=Path("deployments/listings.yaml"),
    show_default=True,
    help="YAML file of the stocks to list (one per architecture is used)",
)
@click.option("--keep-chains", is_flag=True, help="leave both anvils running after the demo")
@json_option
@user_errors
def cli(listings: Path, keep_chains: bool, as_json: bool) -> None:
    """Run the tokenized-stock story on two local chains."""
    out = Output(as_json)
    console = out.console
    assets = load_listings(listings)
    logger.set_level("ERROR")  # the story narrates; ape's per-transaction lines would drown it
    try:
        node_a = start_anvil(31337, accounts=20)
        node_b = start_anvil(31338, accounts=20)
    except AnvilError as err:
        raise UserError(str(err)) from err
    console.print(f"chain A: {node_a.uri} (id 31337)   chain B: {node_b.uri} (id 31338)")
    story = Story(
        project=project,
        accounts=accounts.test_accounts,
        a=ChainHandle("A", "ethereum:chaina:node", node_a),
        b=ChainHandle("B", "ethereum:chainb:node", node_b),
        listings=assets,
        console=console,
    )
    chains = {"a": {"chain_id": 31337, "uri": node_a.uri}, "b": {"chain_id": 31338, "uri": node_b.uri}}
    try:
        report = story.run()
        out.result(
            {"ok": report.ok, "reconcile": report.to_dict(), "chains": chains, "kept_chains": keep_chains}
        )
    except DemoError as err:
        console.print(f"[red]demo failed: {err}[/]")
        out.result({"ok": False, "error": str(err), "chains": chains, "kept_chains": keep_chains})
        sys.exit(1)
    finally:
        if keep_chains:
            console.print(f"chains left running: {node_a.uri} {node_b.uri}")
        else:
            node_a.stop()
            node_b.stop()
