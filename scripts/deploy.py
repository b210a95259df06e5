"""`ape run deploy`: deploys the suite on the chosen network and writes its manifest.

ape run deploy --network ethereum:local:node                      # local anvil, test accounts
ape run deploy --network ethereum:sepolia:node --account issuer   # a testnet, an ape account alias
ape run deploy --dry-run                                          # print the plan, send nothing

Resumable: the same command again resumes a partial deployment (see tokenized_stocks/deploy/
deployer.py: every transaction is journaled in the manifest before it is sent). Ctrl-C prints one
line naming what was interrupted and the command that resumes; exit 3 when a transaction may be in
flight (sent, outcome unknown: the resumed run settles it against the chain), else 1.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import click
from ape import accounts, chain, project
from rich.console import Console
from rich.table import Table

from tokenized_stocks.cli.commands import LOCAL_CHAIN_IDS, ConnectedScriptCommand
from tokenized_stocks.cli.errors import FAILED, UNCONFIRMED, fail, user_errors
from tokenized_stocks.deploy.deployer import Deployer
from tokenized_stocks.deploy.listings import load_listings
from tokenized_stocks.deploy.manifest import Manifest, load_manifest, manifest_path, save_manifest
from tokenized_stocks.deploy.suite import RoleBook, deploy_suite, link_peer
from tokenized_stocks.protocol.errors import UserError

console = Console()


def pick_roles(account_alias: str | None, is_local: bool) -> RoleBook:
    if account_alias:
        try:
            account = accounts.load(account_alias)
        except Exception as err:  # ape raises its own error types for unknown aliases
            raise UserError(f"unknown account alias {account_alias!r} (see `ape accounts list`)") from err
        return RoleBook.single(account)
    if not is_local:
        raise UserError("a live network needs --account <alias> (import one with `ape accounts import`)")
    return RoleBook.local(accounts.test_accounts)


def prepare_manifest(
    chain_id: int, network: str, deployer: str, root: Path, force: bool, linking: bool
) -> Manifest:
    path = manifest_path(chain_id, root)
    if not path.exists():
        return Manifest(chain_id=chain_id, network=network, deployer=deployer)
    existing = load_manifest(chain_id, root)
    stale = [n for n, r in existing.contracts.items() if not chain.provider.get_code(r.address)]
    if force:
        console.print(f"[yellow]--force: replacing the manifest at {path}[/]")
        fresh = Manifest(chain_id=chain_id, network=network, deployer=deployer)
        fresh.superseded = supersede(existing, stale)
        return fresh
    if stale:
        raise UserError(
            f"the manifest at {path} names contracts with no code on this chain ({stale[0]}...): "
            "the chain was reset; re-run with --force to deploy afresh"
        )
    if existing.status == "complete" and not linking:
        raise UserError(f"a complete deployment already exists at {path}; use --force to replace it")
    if existing.status == "complete":
        console.print(f"[yellow]updating the deployment at {path}: linking peers only[/]")
        return existing
    console.print(f"[yellow]resuming the partial deployment recorded at {path}[/]")
    return existing


def supersede(existing: Manifest, stale: list[str]) -> list[dict[str, Any]]:
    """The contracts a `--force` redeploy replaces, kept in the new manifest (with those replaced
    earlier) so `reconcile` still reads the supply they hold and a peer can tell it was redeployed.
    Contracts with no code (a reset chain) are dropped: nothing can be held there."""
    kept = list(existing.superseded)
    gone = set(stale)
    for name, record in existing.contracts.items():
        if name not in gone:
            kept.append({"name": name, **record.model_dump()})
    for record in existing.assets.values():
        if record.key not in gone:
            kept.append({"name": record.key, "asset": record.model_dump()})
    return kept


def check_peers(gateway: Any, peers: dict[int, str], relink: bool) -> list[int]:
    """Compares this gateway's trusted remote gateway for each peer with the peer's manifest.

    Returns the peers to (re-)link. A link to a gateway the peer's manifest no longer names (the peer
    was redeployed with --force) is re-linked with `--relink`, else refused with one error line: the
    old link would keep accepting messages from, and sending to, a superseded gateway.
    """
    to_link = []
    for peer, wanted in peers.items():
        current = str(gateway.remoteGateway(peer))
        if int(current, 16) == 0:
            to_link.append(peer)
        elif current.lower() != wanted.lower():
            if not relink:
                raise UserError(
                    f"chain {peer}'s gateway is {wanted} in its manifest but this gateway trusts {current}: "
                    "the peer was redeployed; re-run with --relink to trust the new gateway"
                )
            console.print(f"[bold red]re-linking chain {peer}: trusted gateway {current} -> {wanted}[/]")
            to_link.append(peer)
    return to_link


def resume_command() -> str:
    """The command line that was run: `ape run deploy` and this script's arguments."""
    return shlex.join(["ape", "run", "deploy", *click.get_current_context().meta.get("argv", [])])


def interrupted(deployer: Deployer, path: Path) -> None:
    """One line for Ctrl-C: what was interrupted, whether a transaction may be in flight, and the
    command that resumes. Exit 3 with a journaled transaction in flight, else 1."""
    what = deployer.current or "between steps"
    pending = deployer.manifest.pending
    if pending is not None:
        fail(
            f"interrupted ({what}): tx {pending.tx_hash} (nonce {pending.nonce}) may be in flight and is "
            f"journaled in {path}; resume with: {resume_command()}",
            UNCONFIRMED,
        )
    fail(
        f"interrupted ({what}): nothing in flight, progress saved in {path}; resume with: {resume_command()}",
        FAILED,
    )


@click.command(cls=ConnectedScriptCommand)
@click.option(
    "--account", "account_alias", default=None, help="ape account alias (required on live networks)"
)
@click.option(
    "--listings",
    type=click.Path(path_type=Path),
    default=Path("deployments/listings.yaml"),
    show_default=True,
    help="YAML file of the stocks to list",
)
@click.option(
    "--home-chain-id", type=int, default=None, help="home chain of the listed assets (default: this)"
)
@click.option("--out", type=click.Path(path_type=Path), default=Path("deployments"), show_default=True)
@click.option(
    "--peer",
    "peers",
    type=int,
    multiple=True,
    help="chain id of another deployment (its manifest in --out) whose gateway this one trusts",
)
@click.option("--force", is_flag=True, help="replace an existing manifest")
@click.option(
    "--relink",
    is_flag=True,
    help="replace a peer link that names a gateway the peer's manifest no longer has",
)
@click.option("--dry-run", is_flag=True, help="print the plan and send nothing")
@user_errors
def cli(
    ecosystem: Any,
    network: Any,
    account_alias: str | None,
    listings: Path,
    home_chain_id: int | None,
    out: Path,
    peers: tuple[int, ...],
    force: bool,
    relink: bool,
    dry_run: bool,
) -> None:
    """Deploy the tokenized-stock suite and write deployments/<chain id>/manifest.json."""
    chain_id = chain.chain_id
    is_local = chain_id in LOCAL_CHAIN_IDS or network.name in ("local",)
    roles = pick_roles(account_alias, is_local)
    assets = load_listings(listings)
    choice = f"{ecosystem.name}:{network.name}:{chain.provider.name}"
    peer_gateways = {peer: load_manifest(peer, out).address("Gateway") for peer in peers if peer != chain_id}
    manifest = prepare_manifest(chain_id, choice, str(roles.issuer.address), out, force, bool(peer_gateways))
    manifest.config["roles"] = roles.describe()
    deployer = Deployer(
        manifest=manifest,
        account=roles.issuer,
        save=lambda m: save_manifest(m, out),
        log=lambda line: console.print(f"  [green]✓[/] {line}"),
        dry_run=dry_run,
    )
    console.print(f"[bold]Deploying the suite on {choice} (chain {chain_id})[/]")
    try:
        deployed = deploy_suite(deployer, project, roles, assets, home_chain_id or chain_id, local=is_local)
        to_link = list(peer_gateways) if dry_run else check_peers(deployed["gateway"], peer_gateways, relink)
        for peer in to_link:
            link_peer(deployer, deployed["gateway"], roles, peer, peer_gateways[peer])
    except KeyboardInterrupt:
        interrupted(deployer, manifest_path(chain_id, out))
    if dry_run:
        table = Table(title=f"Plan for chain {chain_id}")
        table.add_column("#", justify="right")
        table.add_column("action")
        for i, action in enumerate(deployer.planned, 1):
            table.add_row(str(i), action)
        console.print(table)
        return
    manifest.status = "complete"
    path = save_manifest(manifest, out)
    table = Table(title=f"Deployed on chain {chain_id}")
    table.add_column("contract")
    table.add_column("address")
    for name, record in manifest.contracts.items():
        table.add_row(name, record.address)
    console.print(table)
    console.print(f"manifest: {path}")
    for notice in deployed["notices"]:
        console.print(f"[bold yellow]to do:[/] {notice}")
