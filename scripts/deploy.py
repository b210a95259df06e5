"""`ape run deploy`: deploys the suite on the chosen network and writes its manifest.

ape run deploy --network ethereum:local:node                      # local anvil, test accounts
ape run deploy --network ethereum:sepolia:node --account issuer --cash-token 0x...  # a live network
ape run deploy --network ethereum:sepolia:node --account issuer --role registrar=registrar \
    --role custodian=custodian --role operator=op1 --role operator=op2 ...  # a key per role
ape run deploy --network ... --dry-run [--json]   # every step, its grantees, gas and cost; sends nothing
ape run deploy --network ... --add                # deploy the listings the manifest lacks (new stocks)
ape run deploy --network ... --json               # only the manifest summary (JSON) on stdout
ape run deploy --network ... --force              # deploy the next generation (new addresses)

Deterministic: every contract is CREATE2-deployed through the deterministic deployment proxy at
0x4e59b44847b379578588920cA78FbF26c0B4956C with a salt of the manifest's generation and the
contract's name, so one generation has the same addresses on every chain (a chain without the proxy
is refused with one line). `--force` deploys the next generation; `--generation N` picks one.

Resumable: the same command again resumes a partial deployment (see tokenized_stocks/deploy/
deployer.py: every transaction is journaled in the manifest before it is sent). Ctrl-C prints one
line naming what was interrupted and the command that resumes; exit 3 when a transaction may be in
flight (sent, outcome unknown: the resumed run settles it against the chain), else 1.

On a live network (a chain id that is not local, `tokenized_stocks.protocol.chains.LOCAL_CHAIN_IDS`)
`--account` and `--cash-token` are required, and the account signs without a prompt per
transaction: its passphrase comes from `APE_ACCOUNTS_<alias>_PASSPHRASE` (or one prompt on a
terminal). Exit codes: 0 done, 1 failed (or interrupted with nothing in flight), 2 bad input and
nothing sent, 3 interrupted with a transaction in flight.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import click
from ape import accounts, chain, project
from rich.table import Table

from tokenized_stocks.cli.commands import ConnectedScriptCommand
from tokenized_stocks.cli.dryrun import SimulationFailed, ether, simulate
from tokenized_stocks.cli.errors import FAILED, UNCONFIRMED, fail, user_errors
from tokenized_stocks.cli.output import Output, json_option
from tokenized_stocks.cli.params import hidden_alias, manifests_option, parse_address
from tokenized_stocks.cli.progress import StepCounter, progress_console
from tokenized_stocks.cli.rolebook import ROLE_NAMES, assign_roles
from tokenized_stocks.cli.signers import autosigning_account
from tokenized_stocks.deploy import deployer as journal
from tokenized_stocks.deploy.deployer import Deployer, require_factory
from tokenized_stocks.deploy.listings import Listing, load_governance, load_listings
from tokenized_stocks.deploy.manifest import Manifest, load_manifest, manifest_path, save_manifest
from tokenized_stocks.deploy.plan import Plan, PlannedTx
from tokenized_stocks.deploy.suite import RoleBook, deploy_suite, link_peer
from tokenized_stocks.governance.config import GovernanceConfig
from tokenized_stocks.governance.deploy import TIMELOCK_NAME, govern, hand_over, suite_contracts
from tokenized_stocks.protocol.chains import is_local_chain
from tokenized_stocks.protocol.errors import UserError

#: Where the script writes (set per run: `--json` moves the text to stderr).
ui = Output(False)


def pick_roles(account_alias: str | None, is_local: bool, dry_run: bool = False) -> RoleBook:
    if account_alias:
        return RoleBook.single(autosigning_account(account_alias, unlock_now=not dry_run))
    if not is_local:
        raise UserError("a live network needs --account <alias> (import one with `ape accounts import`)")
    return RoleBook.local(accounts.test_accounts)


#: Test accounts that own the local Safe (2-of-3 unless the listings file says otherwise).
LOCAL_SAFE_OWNERS = (16, 17, 18)


def pick_governance(
    choice: str, listings: Path, roles: RoleBook, local: bool
) -> tuple[GovernanceConfig, list[str], str] | None:
    """`--governance safe`: the listings file's `governance:` section (owners, threshold, min_delay,
    guardian), the Safe's owners (local default: test accounts 16-18) and the guardian."""
    if choice == "none":
        return None
    config = load_governance(listings) or GovernanceConfig()
    owners = list(config.owners)
    if not owners and local:
        owners = [str(accounts.test_accounts[i].address) for i in LOCAL_SAFE_OWNERS]
    if not owners:
        raise UserError(f"--governance safe on a live network needs `governance.owners` in {listings}")
    if config.threshold > len(owners):
        raise UserError(f"governance: threshold {config.threshold} exceeds the {len(owners)} Safe owners")
    guardian = config.guardian or str(roles.guardian.address)
    if guardian.lower() == str(roles.issuer.address).lower():
        raise UserError(
            "governance: the guardian must be a key of its own (`governance.guardian` or `--role guardian=`),"
            " not the deployer,"
            " which keeps the issuer's minting and treasury roles"
        )
    return config, owners, guardian


def pick_cash_token(cash_token: str | None, chain_id: int) -> str | None:
    """The desk's cash token: required on a live network (a mock stablecoin anyone can mint is
    never deployed as the desk's cash there), a contract on this chain when given."""
    if cash_token is None:
        if not is_local_chain(chain_id):
            raise UserError(
                f"chain {chain_id} is a live network: --cash-token <address of the desk's stablecoin> is "
                "required (a mock stablecoin is only deployed as the cash on local chains)"
            )
        return None
    address = parse_address(cash_token, "--cash-token")
    if not chain.provider.get_code(address):
        raise UserError(f"--cash-token {address} has no contract on chain {chain_id}")
    try:
        project.MockStablecoin.at(address).decimals()  # the ERC-20 read the desk's limits need
    except Exception as err:  # a revert or an undecodable answer: not an ERC-20
        raise UserError(f"--cash-token {address} is not an ERC-20 token (decimals() failed)") from err
    return address


def check_desk_cash(manifest: Manifest, cash: str | None) -> None:
    """A `--cash-token` on a deployment whose desk exists must be that desk's cash (the desk's cash
    is set once, right after its deployment: another one would be recorded but never used)."""
    record = manifest.contracts.get("OrderDesk")
    if record is None or cash is None:
        return
    actual = str(project.OrderDesk.at(record.address).cash())
    if int(actual, 16) != 0 and actual.lower() != cash.lower():  # zero: set by the resumed run
        raise UserError(f"--cash-token {cash} is not the cash of the order desk already deployed ({actual})")


def prepare_manifest(
    chain_id: int,
    network: str,
    deployer: str,
    root: Path,
    *,
    force: bool,
    linking: bool,
    add: bool,
    listings: list[Listing],
    generation: int | None = None,
) -> tuple[Manifest, list[str], bool]:
    """The manifest to deploy into, the keys of the listings it lacks (what `--add` adds), and
    whether a partial deployment is resumed. A new deployment is generation `generation` (default
    1); `force` replaces the recorded one with generation `generation` (default: the next)."""
    path = manifest_path(chain_id, root)
    if not path.exists():
        if add:
            raise UserError(
                f"no deployment on chain {chain_id} at {path} to add to: deploy it first (without --add)"
            )
        return (
            Manifest(chain_id=chain_id, network=network, deployer=deployer, generation=generation or 1),
            [],
            False,
        )
    existing = load_manifest(chain_id, root)
    stale = [n for n, r in existing.contracts.items() if not chain.provider.get_code(r.address)]
    if force:
        fresh = Manifest(
            chain_id=chain_id,
            network=network,
            deployer=deployer,
            generation=generation or existing.salt_generation + 1,
        )
        ui.print(
            f"[yellow]--force: replacing the manifest at {path} (generation {existing.salt_generation} -> "
            f"{fresh.generation}: new addresses)[/]"
        )
        fresh.superseded = supersede(existing, stale)
        return fresh, [], False
    if generation is not None and generation != existing.salt_generation:
        raise UserError(
            f"the deployment at {path} is generation {existing.salt_generation}: --generation {generation} "
            "only applies to a new deployment or with --force"
        )
    if stale:
        raise UserError(
            f"the manifest at {path} names contracts with no code on this chain ({stale[0]}...): "
            "the chain was reset; re-run with --force to deploy afresh"
        )
    missing = [listing.key for listing in listings if listing.key not in existing.assets]
    if existing.status == "partial":
        ui.print(f"[yellow]resuming the partial deployment recorded at {path}[/]")
        return existing, missing if add else [], True
    if missing and not add:
        raise UserError(
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} listed but not deployed on chain "
            f"{chain_id}: re-run with --add to deploy {'it' if len(missing) == 1 else 'them'} (and nothing else)"
        )
    if add:
        if not missing and not linking:
            raise UserError(f"nothing to add: every listing is already deployed on chain {chain_id}")
        if missing:
            ui.print(f"[yellow]adding {', '.join(missing)} to the deployment at {path}[/]")
            existing.status = "partial"  # until the added listings are done: a re-run resumes them
        return existing, missing, False
    if not linking:
        raise UserError(f"a complete deployment already exists at {path}; use --force to replace it")
    ui.print(f"[yellow]updating the deployment at {path}: linking peers[/]")
    return existing, [], False


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


def taken_address(txs: list[PlannedTx]) -> PlannedTx | None:
    """The first planned deployment whose predicted address already holds code. An implementation
    is not one: its address commits to its code alone (no arguments), and `Deployer.proxy` reuses the
    code it finds there; the proxy in front of it says whether the deployment is taken."""
    return next(
        (
            tx
            for tx in txs
            if tx.kind == "deploy"
            and tx.upgradeable != "implementation"
            and tx.address
            and chain.provider.get_code(tx.address)
        ),
        None,
    )


def plan_deployment(
    manifest: Manifest,
    account: Any,
    run: Any,
    *,
    resuming: bool,
    pinned: bool,
    log: Any = None,
) -> Plan:
    """The plan of the run (`run(deployer)` runs the suite on a planning Deployer), in a generation
    whose predicted addresses are free. A resumed deployment adopts what it finds at them (see
    tokenized_stocks/deploy/deployer.py). A new deployment (a fresh or a `--force`d manifest) whose
    generation is already deployed on the chain by a manifest we do not have deploys the next free
    generation, loudly, unless `--generation` pinned it: then, like a taken address on a recorded
    deployment (`--add`), it is refused with one line before anything is sent."""
    while True:
        plan = Plan(nonce_of=chain.provider.get_nonce)
        run(
            journal.Deployer(
                manifest=manifest.model_copy(deep=True), account=account, save=lambda m: None,
                log=log or (lambda line: None), plan=plan,
            )
        )  # fmt: skip
        taken = None if resuming else taken_address(plan.txs)
        if taken is None:
            return plan
        generation = manifest.salt_generation
        where = (
            f"{taken.name}'s address {taken.address} (generation {generation}) already holds a contract: "
            f"generation {generation} is already deployed on chain {manifest.chain_id} by a deployment "
            "this manifest does not record"
        )
        if pinned or manifest.contracts:
            raise UserError(
                f"{where}; restore that deployment's manifest to resume it, or deploy another generation "
                f"(--force, or --generation {generation + 1} on a new deployment)"
            )
        manifest.generation = generation + 1
        ui.print(
            f"[bold yellow]{where}: deploying generation {manifest.generation} (new addresses; "
            f"`--generation {manifest.generation}` gives other chains the same ones)[/]"
        )


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
            ui.print(f"[bold red]re-linking chain {peer}: trusted gateway {current} -> {wanted}[/]")
            to_link.append(peer)
    return to_link


def peers_to_link(manifest: Manifest, peer_gateways: dict[int, str], relink: bool) -> list[int]:
    """The peers whose link is missing or stale (every peer while this chain has no gateway yet)."""
    record = manifest.contracts.get("Gateway")
    if record is None:
        return list(peer_gateways)
    return check_peers(project.Gateway.at(record.address), peer_gateways, relink)


def check_home_lists(missing: list[str], home: int, chain_id: int, peers: dict[int, Manifest]) -> None:
    """An asset is added on its home chain first: a remote chain refuses one its home does not list."""
    if home == chain_id or home not in peers:
        return
    for key in missing:
        if key not in peers[home].assets:
            raise UserError(
                f"{key} is not deployed on its home chain {home} yet: add it there first "
                f"(ape run deploy --network {peers[home].network} --add)"
            )


def peer_notices(
    added: list[str], chain_id: int, home: int, root: Path, peers: dict[int, Manifest]
) -> list[str]:
    """For each peer that does not list an added asset: the command that registers it there (the
    peer's own deploy, through its gateway's admin), so a bridge of the asset can be delivered."""
    notices = []
    for peer, manifest in peers.items():
        lacking = [key for key in added if key not in manifest.assets]
        if lacking:
            notices.append(
                f"chain {peer} does not list {', '.join(lacking)} yet, so its gateway cannot receive "
                f"{'it' if len(lacking) == 1 else 'them'}: run there `ape run deploy --network "
                f"{manifest.network} --manifests {root} --add --home-chain-id {home} --peer {chain_id}`"
            )
    return notices


def resume_command() -> str:
    """The command line that was run: `ape run deploy` and this script's arguments."""
    return shlex.join(["ape", "run", "deploy", *click.get_current_context().meta.get("argv", [])])


def interrupted(deployer: Deployer, path: Path) -> None:
    """One line for Ctrl-C: what was interrupted, whether a transaction may be in flight, and the
    command that resumes. Exit 3 with a journaled transaction in flight, else 1."""
    what = deployer.current or "between steps"
    pending = deployer.manifest.pending
    ui.result(
        {
            "status": "interrupted",
            "chain_id": deployer.manifest.chain_id,
            "manifest": str(path),
            "interrupted": what,
            "in_flight": None if pending is None else pending.model_dump(mode="json"),
            "transactions": deployer.sent,
            "resume": resume_command(),
        }
    )
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


def run_suite(
    d: Deployer,
    roles: RoleBook,
    listings: list[Listing],
    home: int,
    local: bool,
    cash_token: str | None,
    to_link: dict[int, str],
    governance: tuple[GovernanceConfig, list[str], str] | None = None,
) -> dict[str, Any]:
    """Everything a run does, the same whether it plans or sends: the suite, then the peer links,
    then (`--governance safe`) the Safe, the timelock and the hand-over of admin to them. On a
    deployment already handed over (`--add`), the new listings' contracts are handed over to the
    same timelock and guardian, and what only the timelock may do is left to it (`admin_step`)."""
    deployed = deploy_suite(d, project, roles, listings, home, local=local, cash_token=cash_token)
    for peer, gateway in to_link.items():
        link_peer(d, deployed["gateway"], roles, peer, gateway)
    record = d.manifest.governance
    if record is not None:  # governed before this run: hand the new contracts over too
        timelock = d.at(TIMELOCK_NAME, project.GovernanceTimelock, record.timelock)
        hand_over(d, suite_contracts(d, project), timelock, record.guardian, former_pausers=[roles.guardian])
    elif governance is not None:
        config, owners, guardian = governance
        known = [
            address
            for key, value in roles.describe().items()
            if key != "threshold"
            for address in value.split(",")
        ]
        govern(d, project, config, owners, guardian, known, former_pausers=[roles.guardian])
    return deployed


def holder_names(roles: RoleBook) -> dict[str, str]:
    """Address -> the role-book names it holds (`guardian`), for the grantees of a plan."""
    names: dict[str, list[str]] = {}
    for name in (
        "issuer",
        "registrar",
        "custodian",
        "transfer_agent",
        "quote_signer",
        "executor",
        "guardian",
    ):
        names.setdefault(str(getattr(roles, name).address), []).append(name)
    names.setdefault(str(roles.cash_agent.address), []).append("cash_agent")
    names.setdefault(str(roles.relayer.address), []).append("relayer")
    for operator in roles.operators:
        names.setdefault(str(operator.address), []).append("operator")
    return {
        address: "/".join(dict.fromkeys(n)) if len(n) < 3 else "the account" for address, n in names.items()
    }


def plan_rows(txs: list[PlannedTx], holders: dict[str, str], gas_price: int) -> list[dict[str, Any]]:
    rows = []
    for number, tx in enumerate(txs, 1):
        row: dict[str, Any] = {
            "n": number,
            "kind": tx.kind,
            "name": tx.name,
            "contract": tx.contract,
            "sender": tx.sender,
            "gas": tx.gas,
            "cost_eth": ether(tx.gas * gas_price) if tx.gas is not None else None,
        }
        if tx.kind == "deploy":
            row["address"] = tx.address
        else:
            row["to"] = tx.to
            row["method"] = tx.method
        if tx.grant is not None:
            role, account = tx.grant
            row["grant"] = {"role": role, "account": account, "holder": holders.get(account, account)}
        rows.append(row)
    return rows


def plan_dry_run(manifest: Manifest, plan: Plan, roles: RoleBook) -> dict[str, Any]:
    """Simulates the run's plan on a fork for its gas, and prints it. Sends nothing, writes nothing."""
    uri = getattr(chain.provider, "http_uri", None) or getattr(chain.provider, "uri", None)
    simulation = simulate(plan.txs, str(uri), manifest.chain_id)
    gas_price = int(chain.provider.gas_price)
    holders = holder_names(roles)
    holders |= {record.address: name for name, record in manifest.contracts.items()}
    holders |= {str(tx.address): tx.name for tx in plan.txs if tx.kind == "deploy"}
    rows = plan_rows(plan.txs, holders, gas_price)
    total_gas = sum(tx.gas or 0 for tx in plan.txs)
    table = Table(title=f"Plan for chain {manifest.chain_id}: {len(rows)} transactions, nothing sent")
    for column in ("#", "step", "sender", "grantee (role -> account)", "gas", "cost (ETH)"):
        table.add_column(column, justify="right" if column in ("#", "gas", "cost (ETH)") else "left")
    for row, tx in zip(rows, plan.txs, strict=True):
        grant = row.get("grant")
        grantee = f"{grant['role']} -> {grant['holder']} ({grant['account']})" if grant else ""
        table.add_row(
            str(row["n"]),
            tx.describe(),
            holders.get(tx.sender, tx.sender),
            grantee,
            "" if tx.gas is None else f"{tx.gas:,}",
            row["cost_eth"] or "",
        )
    ui.print(table)
    cost = ether(total_gas * gas_price)
    if simulation.simulated:
        ui.print(f"total: {total_gas:,} gas, {cost} ETH at {gas_price / 1e9:g} gwei (simulated on a fork)")
    else:
        ui.print(f"[yellow]{simulation.note}[/]")
    for name in plan.left_to_timelock:
        ui.print(f"left to the timelock (ape run admin complete-listing): {name}")
    return {
        "status": "dry-run",
        "chain_id": manifest.chain_id,
        "network": manifest.network,
        "generation": manifest.salt_generation,
        "sent": 0,
        "simulated": simulation.simulated,
        "note": simulation.note or None,
        "gas_price_wei": gas_price,
        "total_gas": total_gas if simulation.simulated else None,
        "total_cost_eth": cost if simulation.simulated else None,
        "steps": rows,
        "left_to_timelock": list(plan.left_to_timelock),
    }


@click.command(cls=ConnectedScriptCommand)
@click.option(
    "--account", "account_alias", default=None, help="ape account alias (required on live networks)"
)
@click.option(
    "--role",
    "role_specs",
    multiple=True,
    metavar="NAME=ALIAS|ADDRESS",
    help=f"a role held by a key of its own ({', '.join(ROLE_NAMES)}; operator repeatable); default: --account",
)
@click.option(
    "--operator-threshold",
    type=int,
    default=None,
    help="attestations the gateway needs (default: a majority of the --role operator keys)",
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
@manifests_option
@hidden_alias("--out", "out", type=click.Path(path_type=Path))  # deprecated: --manifests
@click.option(
    "--peer",
    "peers",
    type=int,
    multiple=True,
    help="chain id of another deployment (its manifest in --manifests) whose gateway this one trusts",
)
@click.option("--add", is_flag=True, help="deploy the listings a complete deployment lacks (new stocks)")
@click.option(
    "--cash-token", default=None, help="address of the desk's stablecoin (required on live networks)"
)
@click.option("--force", is_flag=True, help="replace an existing manifest: deploy the next generation")
@click.option(
    "--generation",
    type=click.IntRange(min=1),
    default=None,
    help="deployment generation of a new or --force deployment (CREATE2 salts; default 1, or the next)",
)
@click.option(
    "--relink",
    is_flag=True,
    help="replace a peer link that names a gateway the peer's manifest no longer has",
)
@click.option("--dry-run", is_flag=True, help="print every step, its grantees, gas and cost; send nothing")
@click.option(
    "--governance",
    type=click.Choice(["none", "safe"]),
    default="none",
    show_default=True,
    help="safe: hand every admin role to a timelock proposed to by a Safe (docs/governance.md)",
)
@json_option
@user_errors
def cli(
    ecosystem: Any,
    network: Any,
    account_alias: str | None,
    role_specs: tuple[str, ...],
    operator_threshold: int | None,
    listings: Path,
    home_chain_id: int | None,
    manifests: Path,
    out: Path | None,
    peers: tuple[int, ...],
    add: bool,
    cash_token: str | None,
    force: bool,
    generation: int | None,
    relink: bool,
    dry_run: bool,
    governance: str,
    as_json: bool,
) -> None:
    """Deploy the tokenized-stock suite and write deployments/<chain id>/manifest.json."""
    global ui  # noqa: PLW0603 - the script's output, chosen once per run
    ui = Output(as_json)
    out = out or manifests  # --out: the deprecated spelling of --manifests
    chain_id = chain.chain_id
    local = is_local_chain(chain_id)
    if add and force:
        raise UserError(
            "--add and --force exclude each other: --add keeps the deployment, --force replaces it"
        )
    cash = pick_cash_token(cash_token, chain_id)
    require_factory(chain_id)
    assets = load_listings(listings)
    roles = assign_roles(pick_roles(account_alias, local, dry_run), role_specs, operator_threshold, dry_run)
    governed = pick_governance(governance, listings, roles, local)
    home = home_chain_id or chain_id
    choice = f"{ecosystem.name}:{network.name}:{chain.provider.name}"
    peer_manifests = {peer: load_manifest(peer, out) for peer in peers if peer != chain_id}
    peer_gateways = {peer: manifest.address("Gateway") for peer, manifest in peer_manifests.items()}
    manifest, missing, resumed = prepare_manifest(
        chain_id, choice, str(roles.issuer.address), out,
        force=force, linking=bool(peer_gateways), add=add, listings=assets, generation=generation,
    )  # fmt: skip
    check_home_lists(missing, home, chain_id, peer_manifests)
    check_desk_cash(manifest, cash)
    manifest.config["roles"] = roles.describe()
    if cash:
        manifest.config["cash_token"] = cash
    to_link = {peer: peer_gateways[peer] for peer in peers_to_link(manifest, peer_gateways, relink)}
    if to_link and manifest.governance is not None:
        peer = next(iter(to_link))
        raise UserError(
            f"the deployment on chain {chain_id} is governed: linking chain {peer} is a timelock power; "
            f"propose it with `ape run admin link-peer --peer {peer}{' --relink' if relink else ''} "
            f"--safe {manifest.governance.safe} --network ...`: nothing sent"
        )

    def run(d: Deployer) -> Any:
        return run_suite(d, roles, assets, home, local, cash, to_link, governed)

    if dry_run:
        ui.print(f"[bold]Dry run on {choice} (chain {chain_id}): nothing is sent[/]")
        try:
            plan = plan_deployment(
                manifest, roles.issuer, run, resuming=resumed, pinned=generation is not None,
                log=lambda line: ui.print(f"  {line}"),
            )  # fmt: skip
            report = plan_dry_run(manifest, plan, roles)
        except SimulationFailed as err:  # the plan is valid input; the chain would refuse it
            fail(str(err), FAILED)
        except KeyboardInterrupt:
            fail("interrupted during the dry run: nothing was sent", FAILED)
        ui.result(report)
        return
    try:
        plan = plan_deployment(manifest, roles.issuer, run, resuming=resumed, pinned=generation is not None)
    except KeyboardInterrupt:
        fail("interrupted while planning the deployment: nothing was sent", FAILED)
    path = manifest_path(chain_id, out)
    ui.print(f"[bold]Deploying the suite on {choice} (chain {chain_id}): {len(plan.txs)} transactions[/]")
    progress = progress_console()
    with StepCounter(progress, len(plan.txs)) as counter:
        deployer = Deployer(
            manifest=manifest,
            account=roles.issuer,
            save=lambda m: save_manifest(m, out),
            log=lambda line: progress.print(f"  {line}"),
            advance=counter.advance,
            resuming=resumed,
        )
        try:
            deployed = run(deployer)
        except KeyboardInterrupt:
            interrupted(deployer, path)
    manifest.status = "complete"
    path = save_manifest(manifest, out)
    notices = list(deployed["notices"]) + peer_notices(missing, chain_id, home, out, peer_manifests)
    table = Table(title=f"Deployed on chain {chain_id}")
    table.add_column("contract")
    table.add_column("address")
    for name, record in manifest.contracts.items():
        table.add_row(name, record.address)
    ui.print(table)
    ui.print(f"manifest: {path}")
    for notice in notices:
        ui.print(f"[bold yellow]to do:[/] {notice}")
    ui.result(
        {
            "status": "complete",
            "chain_id": chain_id,
            "network": choice,
            "manifest": str(path),
            "generation": manifest.salt_generation,
            "resumed": resumed,
            "added": missing,
            "linked": sorted(to_link),
            "contracts": {name: record.address for name, record in manifest.contracts.items()},
            "assets": {key: record.token for key, record in manifest.assets.items()},
            "steps": {
                "recorded": len(manifest.steps_done),
                "sent": len(deployer.sent),
                "adopted": deployer.adopted,
                "already_in_place": deployer.in_place,
            },
            "transactions": deployer.sent,
            "notices": notices,
        }
    )
