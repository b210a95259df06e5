"""`ape run admin`: the issuer's daily operations on a deployed chain.

    ape run admin onboard --network ethereum:chaina:node --investor 0xab..ab --country 840 \
        --class-flags 1 --kyc-expiry 2027-12-31 --wallet 0xFABB...694a --test-account 1
    ape run admin freeze-tokens --network ... --asset TSLArs --wallet 0x... --amount 10 --reason "court order 12"
    ape run admin pause --network ... --asset TSLArs --reason "incident 7" --dry-run
    ape run admin split --network ... --asset TSLArs --ratio 2:1 --reason "board resolution" --safe 0xSafe...
    ape run admin onboard-csv investors.csv --network ... --test-account 1
    ape run admin unpause --network ... --asset TSLArs --safe 0xSafe... --account owner1   # schedules
    ape run admin timelock execute --network ... --operation 0x<id> --account owner2       # once ready

Every subcommand checks before it sends (addresses, amounts > 0, the asset, the role of the acting
address) and refuses bad input with one `error:` line and exit 2, nothing sent. `--dry-run` prints
the calls and their gas estimate and sends nothing; `--safe ADDRESS` proposes the calls to that Safe
multisig (the sender signs the proposal as one of its owners). A role the Safe holds is proposed as
it is; a role the timelock holds (a governed deployment's admin powers: unpause, limits, timeouts,
roles) is proposed as the timelock's `schedule` (`scheduleBatch` for several calls) of an operation
whose id, earliest execution and next command are printed; `timelock status|execute|cancel
--operation ID` follow it up. Amounts are decimals (`10.5` shares, `12.50` USD), durations `3d`,
`12h`. The operations are `tokenized_stocks.client.admin` and `tokenized_stocks.client.timelock`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from tokenized_stocks.cli.commands import ConnectedScriptCommand, sender_account
from tokenized_stocks.cli.errors import FAILED, fail, user_errors
from tokenized_stocks.cli.output import Output, json_option
from tokenized_stocks.cli.params import manifests_option, sender_options
from tokenized_stocks.cli.signers import autosigning_account
from tokenized_stocks.client import timelock
from tokenized_stocks.client.admin import Admin, Outcome, Plan, parse_expiry, parse_ratio
from tokenized_stocks.client.onboarding import read_rows
from tokenized_stocks.client.suite import Suite
from tokenized_stocks.client.upgrade import (
    candidate_implementation,
    ensure_deployed,
    implementation_deployed,
    plan_upgrade,
)
from tokenized_stocks.deploy.manifest import load_manifest
from tokenized_stocks.governance.upgrade_safety import UpgradeUnsafe
from tokenized_stocks.protocol.display import duration, parse_duration, when
from tokenized_stocks.protocol.errors import UserError

F = TypeVar("F", bound=Callable[..., Any])


def admin_options(func: F) -> F:
    """`--manifests`, `--account`, `--test-account`, `--dry-run`, `--safe`, `--json`: every subcommand."""
    func = json_option(func)
    func = click.option(
        "--safe",
        default=None,
        metavar="ADDRESS",
        help="propose the calls to this Safe multisig instead of sending",
    )(func)
    func = click.option(
        "--dry-run", is_flag=True, help="print the calls and their gas estimate; send nothing"
    )(func)
    func = sender_options(func)
    return manifests_option(func)


def asset_option(func: F) -> F:
    return click.option("--asset", required=True, help="asset key, ticker or ISIN from the manifest")(func)


def reason_option(required: bool = True) -> Callable[[F], F]:
    return click.option(
        "--reason", required=required, default="", help="the legal reference (court order, board resolution)"
    )


def investor_option(func: F) -> F:
    return click.option("--investor", required=True, help="registry investor id (32 bytes of hex)")(func)


def wallet_option(func: F) -> F:
    return click.option("--wallet", required=True, help="the holder's wallet")(func)


def amount_option(text: str) -> Callable[[F], F]:
    return click.option("--amount", required=True, help=text)


def _admin(options: dict[str, Any], default_safe: bool = False) -> Admin:
    """The admin of this chain for the sender (and the Safe) the options name; the Safe checked.
    `default_safe`: without `--safe`, the Safe the manifest's governance record names."""
    suite = Suite.on_active_provider(options["manifests"])
    if default_safe and not options["safe"]:
        governance = suite.manifest.governance
        if governance is None:
            raise UserError(
                f"the deployment on chain {suite.chain_id} has no timelock (deployed without --governance safe)"
            )
        options["safe"] = str(governance.safe)
    alias, dry_run = options["alias"], options["dry_run"]
    if alias:
        # a proposal is signed, a dry run signs nothing
        sender = autosigning_account(alias, unlock_now=not dry_run)
    else:
        sender = sender_account(None, options["test_account"])
    admin = Admin(suite, sender, options["safe"])
    admin.check_safe()
    return admin


def _print(out: Output, outcome: Outcome) -> None:
    plan = outcome.plan
    table = Table("step", "contract", "function", "arguments", *(["gas"] if outcome.gas else []))
    for number, call in enumerate(plan.calls, 1):
        row = [
            str(number),
            f"{call.target}\n{call.to}",
            call.function,
            call.describe().partition("(")[2][:-1],
        ]
        if outcome.gas:
            gas = outcome.gas[number - 1]
            later = "after step 1" if number > 1 else "once deployed"  # (an upgrade's implementation)
            row.append(f"{gas:,}" if gas is not None else later)
        table.add_row(*row)
    out.print(table)
    if outcome.mode == "dry-run":
        out.print(f"dry run, nothing sent: {plan.summary} (as {outcome.acting})")
    elif outcome.mode == "proposed":
        for tx in outcome.safe_txs:
            out.print(f"proposed to Safe {tx['safe']}: nonce {tx['nonce']}, SafeTx {tx['safe_tx_hash']}")
        out.print(f"{plan.summary}: awaiting the Safe's owners")
    else:
        out.print(f"[green]done[/]: {plan.summary} ({', '.join(outcome.tx_hashes)})")
    scheduled = outcome.timelock
    if scheduled and "function" in scheduled:  # a plan the timelock runs: what to do next
        from ape import chain

        out.print(
            f"timelock operation {scheduled['operation_id']} ({scheduled['function']}, salt {scheduled['salt']}): "
            f"runs {duration(scheduled['delay'])} after the Safe executes the schedule, at the earliest "
            f"{scheduled['earliest_execution']}"
        )
        out.print(f"then: {scheduled['next']} --network {chain.provider.network_choice}")


def run(options: dict[str, Any], build: Callable[[Admin], Plan], estimate_after: bool = False) -> None:
    """Builds the plan (every check), then dry-runs, proposes or sends it, and reports.
    `estimate_after`: the plan's first call depends on something the command itself does first (an
    implementation it deploys), so a dry run shows it without a gas estimate."""
    out = Output(options["as_json"])
    admin = _admin(options)
    plan = build(admin)
    if not plan.calls:
        out.print(f"nothing to send: {plan.summary} is already the case")
        out.result(Outcome(plan, "nothing", admin.acting).as_json())
        return
    try:
        outcome = admin.carry_out(plan, options["dry_run"], estimate=not estimate_after)
    except UserError:
        raise
    except Exception as err:  # a revert or a lost connection while sending
        fail(f"{plan.operation} failed: {str(err).splitlines()[0]}", FAILED)
    _print(out, outcome)
    out.result(outcome.as_json())


@click.group()
def cli() -> None:
    """The issuer's daily operations: investors, freezes, reserves, prices, corporate actions."""


# -- investors ---------------------------------------------------------------------------------


@cli.command(cls=ConnectedScriptCommand)
@investor_option
@click.option("--country", type=int, required=True, help="ISO 3166-1 numeric country code (840)")
@click.option(
    "--class-flags", type=int, default=0, show_default=True, help="investor class bits (1 accredited)"
)
@click.option("--kyc-expiry", required=True, help="ISO date the KYC expires (2027-12-31)")
@click.option(
    "--wallet", "wallets", multiple=True, required=True, help="a wallet of the investor (repeatable)"
)
@admin_options
@user_errors
def onboard(
    network: Any,
    investor: str,
    country: int,
    class_flags: int,
    kyc_expiry: str,
    wallets: tuple[str, ...],
    **o: Any,
) -> None:
    """Register an investor and bind its wallets (what is already done is skipped)."""
    expiry = parse_expiry(kyc_expiry)
    run(
        o,
        lambda a: a.onboard(
            investor, country=country, class_flags=class_flags, kyc_expiry=expiry, wallets=list(wallets)
        ),
    )


@cli.command(name="renew-kyc", cls=ConnectedScriptCommand)
@investor_option
@click.option("--kyc-expiry", required=True, help="ISO date the KYC now expires")
@admin_options
@user_errors
def renew_kyc(network: Any, investor: str, kyc_expiry: str, **o: Any) -> None:
    """Extend a registered investor's KYC."""
    expiry = parse_expiry(kyc_expiry)
    run(o, lambda a: a.renew_kyc(investor, expiry))


def _investor_freeze(frozen: bool) -> Callable[..., None]:
    def command(network: Any, investor: str, **o: Any) -> None:
        run(o, lambda a: a.freeze_investor(investor, frozen))

    return command


for _name, _frozen in (("freeze-investor", True), ("unfreeze-investor", False)):
    cli.command(
        name=_name,
        cls=ConnectedScriptCommand,
        help=f"{'Freeze' if _frozen else 'Unfreeze'} an investor in the registry (every wallet, every asset).",
    )(investor_option(admin_options(user_errors(_investor_freeze(_frozen)))))


# -- holdings ----------------------------------------------------------------------------------


def _wallet_freeze(frozen: bool) -> Callable[..., None]:
    def command(network: Any, asset: str, wallet: str, reason: str, **o: Any) -> None:
        run(o, lambda a: a.freeze_wallet(asset, wallet, frozen, reason))

    return command


for _name, _frozen in (("freeze", True), ("unfreeze", False)):
    cli.command(
        name=_name,
        cls=ConnectedScriptCommand,
        help=f"{'Freeze' if _frozen else 'Unfreeze'} a wallet on an asset (registry share, mint-on-order token).",
    )(asset_option(wallet_option(reason_option(False)(admin_options(user_errors(_wallet_freeze(_frozen)))))))


def _token_freeze(frozen: bool) -> Callable[..., None]:
    def command(network: Any, asset: str, wallet: str, amount: str, reason: str, **o: Any) -> None:
        run(o, lambda a: a.freeze_tokens(asset, wallet, amount, frozen, reason))

    return command


for _name, _frozen in (("freeze-tokens", True), ("unfreeze-tokens", False)):
    cli.command(
        name=_name,
        cls=ConnectedScriptCommand,
        help=f"{'Freeze' if _frozen else 'Release'} part of a wallet's tokens (ERC-7943 setFrozenTokens).",
    )(
        asset_option(
            wallet_option(
                amount_option("shares (decimal)")(
                    reason_option(False)(admin_options(user_errors(_token_freeze(_frozen))))
                )
            )
        )
    )


@cli.command(name="forced-transfer", cls=ConnectedScriptCommand)
@asset_option
@click.option("--from", "source", required=True, help="the holder's wallet")
@click.option("--to", required=True, help="the recipient wallet")
@amount_option("shares (decimal)")
@reason_option()
@admin_options
@user_errors
def forced_transfer(
    network: Any, asset: str, source: str, to: str, amount: str, reason: str, **o: Any
) -> None:
    """Move a holder's tokens by order (a court order, an estate), with the reason."""
    run(o, lambda a: a.forced_transfer(asset, source, to, amount, reason))


@cli.command(cls=ConnectedScriptCommand)
@asset_option
@click.option("--lost", required=True, help="the lost wallet")
@click.option("--new", required=True, help="the investor's new wallet (bound in the registry)")
@investor_option
@reason_option()
@admin_options
@user_errors
def recover(network: Any, asset: str, lost: str, new: str, investor: str, reason: str, **o: Any) -> None:
    """Move a lost wallet's registry shares to the investor's new wallet."""
    run(o, lambda a: a.recover(asset, lost, new, investor, reason))


# -- feeds -------------------------------------------------------------------------------------


@cli.command(name="attest-reserves", cls=ConnectedScriptCommand)
@asset_option
@amount_option("shares the custodian holds (decimal)")
@admin_options
@user_errors
def attest_reserves(network: Any, asset: str, amount: str, **o: Any) -> None:
    """Report the custodian's reserves on a certificate's reserve feed."""
    run(o, lambda a: a.attest_reserves(asset, amount))


@cli.command(name="publish-price", cls=ConnectedScriptCommand)
@asset_option
@click.option("--price", required=True, help="USD per share (decimal)")
@admin_options
@user_errors
def publish_price(network: Any, asset: str, price: str, **o: Any) -> None:
    """Report a reference price on an asset's price feed."""
    run(o, lambda a: a.publish_price(asset, price))


# -- corporate actions -------------------------------------------------------------------------


@cli.command(cls=ConnectedScriptCommand)
@asset_option
@click.option("--ratio", required=True, help="N:D new shares per old (2:1 split, 1:10 reverse split)")
@click.option(
    "--activation", default=None, help="certificates: ISO time the multiplier applies (default: in 60 s)"
)
@reason_option()
@admin_options
@user_errors
def split(network: Any, asset: str, ratio: str, activation: str | None, reason: str, **o: Any) -> None:
    """Split or reverse-split an asset (a certificate schedules its multiplier update)."""
    numerator, denominator = parse_ratio(ratio)
    start = int(parse_expiry(activation).timestamp()) if activation else None
    run(o, lambda a: a.split(asset, (numerator, denominator), reason, start))


@cli.command(name="declare-dividend", cls=ConnectedScriptCommand)
@asset_option
@amount_option("total cash of the dividend (decimal, in the cash token)")
@click.option("--claim-days", type=int, default=30, show_default=True, help="days holders can claim")
@click.option("--cash", default=None, help="cash token (default: the manifest's Cash)")
@reason_option()
@admin_options
@user_errors
def declare_dividend(
    network: Any, asset: str, amount: str, claim_days: int, cash: str | None, reason: str, **o: Any
) -> None:
    """Declare a dividend on a registry share (approves the distributor, then declares)."""
    run(o, lambda a: a.declare_dividend(asset, amount, claim_days, reason, cash))


@cli.command(name="open-ballot", cls=ConnectedScriptCommand)
@asset_option
@click.option("--description", required=True, help="the resolution put to the vote")
@click.option("--voting-days", type=int, default=7, show_default=True, help="days the ballot stays open")
@admin_options
@user_errors
def open_ballot(network: Any, asset: str, description: str, voting_days: int, **o: Any) -> None:
    """Open a ballot of a registry share's holders."""
    run(o, lambda a: a.open_ballot(asset, description, voting_days))


# -- limits and pause --------------------------------------------------------------------------


@cli.command(name="set-limits", cls=ConnectedScriptCommand)
@asset_option
@click.option("--max-holders", type=int, default=None, help="most holders (0: no cap)")
@click.option("--min-holding", type=int, default=None, help="least whole shares an investor holds (0: none)")
@click.option("--max-holding", type=int, default=None, help="most whole shares an investor holds (0: none)")
@admin_options
@user_errors
def set_limits(
    network: Any,
    asset: str,
    max_holders: int | None,
    min_holding: int | None,
    max_holding: int | None,
    **o: Any,
) -> None:
    """Set a registry share's holder cap and holding limits."""
    run(
        o,
        lambda a: a.set_limits(
            asset, max_holders=max_holders, min_holding=min_holding, max_holding=max_holding
        ),
    )


def _pause(paused: bool) -> Callable[..., None]:
    def command(network: Any, asset: str, reason: str, **o: Any) -> None:
        run(o, lambda a: a.pause(asset, paused, reason))

    return command


for _name, _paused, _who in (("pause", True, "the guardian"), ("unpause", False, "the admin")):
    cli.command(
        name=_name,
        cls=ConnectedScriptCommand,
        help=f"{_name.capitalize()} an asset's transfers ({_who}).",
    )(asset_option(reason_option(False)(admin_options(user_errors(_pause(_paused))))))


def _pause_gateway(paused: bool) -> Callable[..., None]:
    def command(network: Any, **o: Any) -> None:
        run(o, lambda a: a.pause_gateway(paused))

    return command


for _name, _paused, _who in (
    ("pause-gateway", True, "the guardian"),
    ("unpause-gateway", False, "the admin"),
):
    cli.command(
        name=_name,
        cls=ConnectedScriptCommand,
        help=f"{_name.split('-')[0].capitalize()} this chain's gateway: every bridge send and delivery ({_who}).",
    )(admin_options(user_errors(_pause_gateway(_paused))))


# -- timeouts ----------------------------------------------------------------------------------


def timeout_option(func: F) -> F:
    return click.option("--timeout", required=True, help="a duration: 3d, 12h, 1d 12h, 90m")(func)


@cli.command(name="link-peer", cls=ConnectedScriptCommand)
@click.option(
    "--peer",
    "peer",
    type=int,
    required=True,
    help="the peer chain's id (its manifest is read from --manifests)",
)
@click.option(
    "--relink", is_flag=True, help="replace a link to a gateway the peer's manifest no longer names"
)
@admin_options
@user_errors
def link_peer(network: Any, peer: int, relink: bool, **o: Any) -> None:
    """Trust a peer chain's gateway (its manifest's) on this chain's gateway: after the hand-over a
    timelock power, so on a governed deployment propose it with --safe."""
    peer_gateway = load_manifest(peer, o["manifests"]).address("Gateway")
    run(o, lambda a: a.link_peer(peer, peer_gateway, relink))


@cli.command(name="complete-listing", cls=ConnectedScriptCommand)
@asset_option
@admin_options
@user_errors
def complete_listing(network: Any, asset: str, **o: Any) -> None:
    """Propose what a listing added to a governed deployment (`ape run deploy --add`) left to the
    timelock: its gateway registration and limits, its desk or ledger-adapter listing, its sanctions
    subscription, as one batch (--safe)."""
    run(o, lambda a: a.complete_listing(asset))


@cli.command(name="set-off-ramp-timeout", cls=ConnectedScriptCommand)
@timeout_option
@admin_options
@user_errors
def set_off_ramp_timeout(network: Any, timeout: str, **o: Any) -> None:
    """How long an off-ramp to the traditional register waits before it can be expired (1h to 90d)."""
    seconds = parse_duration(timeout, "--timeout")
    run(o, lambda a: a.set_off_ramp_timeout(seconds))


@cli.command(name="set-cancel-timeout", cls=ConnectedScriptCommand)
@asset_option
@timeout_option
@admin_options
@user_errors
def set_cancel_timeout(network: Any, asset: str, timeout: str, **o: Any) -> None:
    """How long a mint-on-order vault's executor has to answer a cancellation (1h to 30d)."""
    seconds = parse_duration(timeout, "--timeout")
    run(o, lambda a: a.set_cancel_timeout(asset, seconds))


# -- upgrades ----------------------------------------------------------------------------------


@cli.command(name="upgrade", cls=ConnectedScriptCommand)
@click.option(
    "--contract",
    "names",
    required=True,
    multiple=True,
    help="the proxied contract's manifest name (Gateway); repeat with --to for several in one operation",
)
@click.option(
    "--to",
    "candidates",
    required=True,
    multiple=True,
    help="the new implementation: a contract of this project (the n-th --to for the n-th --contract)",
)
@click.option(
    "--from",
    "reference",
    default=None,
    help="the contract the proxy runs now (default: found from its implementation address; one --contract only)",
)
@admin_options
@user_errors
def upgrade(
    network: Any, names: tuple[str, ...], candidates: tuple[str, ...], reference: str | None, **o: Any
) -> None:
    """Upgrade proxied contracts to new implementations (DEFAULT_ADMIN_ROLE: with --safe, scheduled
    on the timelock, several upgrades as one batch that runs all or nothing). OpenZeppelin
    upgrades-core checks every candidate first: an unsafe one is refused and nothing is deployed or
    proposed. Each implementation is deployed through the CREATE2 factory (the same address on every
    chain) before the upgrade is sent or proposed."""
    if len(names) != len(candidates):
        fail(
            f"{len(names)} --contract but {len(candidates)} --to: give one --to per --contract: nothing sent"
        )
    if len(set(names)) != len(names):
        fail("a contract is named twice: upgrade each once: nothing sent")
    if reference is not None and len(names) > 1:
        fail("--from names what one contract runs: use it with one --contract: nothing sent")
    pairs = list(zip(names, candidates, strict=True))

    def build(admin: Admin) -> Plan:
        plans = []
        for name, candidate in pairs:  # every check of every pair before anything is deployed
            try:
                plans.append(plan_upgrade(admin, name, candidate, reference))
            except UpgradeUnsafe as unsafe:
                fail(
                    f"{candidate} is not a safe upgrade of {name}: {'; '.join(unsafe.problems)}: "
                    "nothing deployed or proposed"
                )
        plan = plans[0] if len(plans) == 1 else Plan("upgrade", "; ".join(p.summary for p in plans))
        if len(plans) > 1:
            plan.calls.extend(call for p in plans for call in p.calls)
        if plan.calls and not o["dry_run"]:
            for (_name, candidate), one in zip(pairs, plans, strict=True):
                sent = ensure_deployed(admin, candidate_implementation(candidate)) if one.calls else None
                if sent:
                    Output(o["as_json"]).print(
                        f"implementation {candidate} deployed at {one.calls[0].args[0]} (tx {sent})"
                    )
        return plan

    run(o, build, estimate_after=not all(implementation_deployed(c) for c in candidates))


# -- the timelock ------------------------------------------------------------------------------


@cli.group(name="timelock")
def timelock_group() -> None:
    """Follow a timelock operation up: its status, then its execution (or cancellation) through the Safe."""


def operation_option(func: F) -> F:
    return click.option("--operation", required=True, help="the operation id (0x + 64 hex digits)")(func)


@timelock_group.command(name="status", cls=ConnectedScriptCommand)
@operation_option
@manifests_option
@json_option
@user_errors
def timelock_status(network: Any, operation: str, manifests: Path, as_json: bool) -> None:
    """An operation's state (unset, waiting, ready, done, cancelled), its calls and when it is ready."""
    out = Output(as_json)
    operation_id = timelock.parse_operation_id(operation)
    found = timelock.status(Admin(Suite.on_active_provider(manifests), None), operation_id)
    line = f"operation 0x{operation_id.hex()}: {found.state}"
    if found.state == "waiting" and found.ready_at:
        line += f", {duration(found.left)} left (ready at {when(found.ready_at)})"
    elif found.state == "ready" and found.ready_at:
        line += f" since {when(found.ready_at)}"
    out.print(line)
    if found.scheduled:
        op = found.scheduled.operation
        table = Table("call", "to", "data")
        for number, (to, data) in enumerate(zip(op.targets, op.payloads, strict=True), 1):
            table.add_row(str(number), to, "0x" + data.hex())
        out.print(table)
    out.result(found.as_json())


def _follow_up(action: Callable[[Admin, bytes, bool], Outcome]) -> Callable[..., None]:
    def command(network: Any, operation: str, **o: Any) -> None:
        out = Output(o["as_json"])
        operation_id = timelock.parse_operation_id(operation)
        admin = _admin(o, default_safe=True)
        try:
            outcome = action(admin, operation_id, o["dry_run"])
        except UserError:
            raise
        except Exception as err:  # a revert or a lost connection while proposing
            fail(f"{action.__name__} failed: {str(err).splitlines()[0]}", FAILED)
        _print(out, outcome)
        out.result(outcome.as_json())

    return command


for _name, _action, _text in (
    (
        "execute",
        timelock.execute,
        "Propose to the Safe the execution of a ready operation (default: the manifest's Safe).",
    ),
    (
        "cancel",
        timelock.cancel,
        "Propose to the Safe the cancellation of a scheduled operation not yet executed.",
    ),
):
    timelock_group.command(name=_name, cls=ConnectedScriptCommand, help=_text)(
        operation_option(admin_options(user_errors(_follow_up(_action))))
    )


# -- many investors ----------------------------------------------------------------------------


@cli.command(name="onboard-csv", cls=ConnectedScriptCommand)
@click.argument("file", type=click.Path(path_type=Path))
@admin_options
@user_errors
def onboard_csv(network: Any, file: Path, **o: Any) -> None:
    """Onboard every investor of a CSV file (investor_id,country,class_flags,kyc_expiry,wallets).

    The whole file is checked, then every row against the chain, before anything is sent; investors
    and wallets already registered are skipped, so a run that stopped is finished by running it
    again. The progress bar goes to stderr."""
    out = Output(o["as_json"])
    rows = read_rows(file)
    admin = _admin(o)
    claimed: dict[str, bytes] = {}
    plans: list[tuple[int, Plan]] = []
    for row in rows:
        try:
            plan = admin.onboard(
                row.investor_id,
                country=row.country,
                class_flags=row.class_flags,
                kyc_expiry=row.kyc_expiry,
                wallets=list(row.wallets),
                claimed=claimed,
            )
        except UserError as err:
            raise UserError(f"row {row.line}: {err}") from None
        plans.append((row.line, plan))
    pending = [(line, plan) for line, plan in plans if plan.calls]
    skipped = len(plans) - len(pending)
    result: dict[str, Any] = {"rows": len(plans), "skipped": skipped, "onboarded": [], "mode": "sent"}
    if o["dry_run"] or o["safe"]:
        if o["dry_run"]:
            outcomes = [admin.estimate(plan) for _, plan in pending]
        else:  # one proposal (the Safe's nonces follow each other), or one timelock operation
            calls = [call for _, plan in pending for call in plan.calls]
            outcomes = (
                [admin.carry_out(Plan("onboard-csv", f"{len(pending)} investor(s) of {file}", calls), False)]
                if calls
                else []
            )
        result |= {
            "mode": "dry-run" if o["dry_run"] else "proposed",
            "plans": [x.as_json() for x in outcomes],
        }
        count = sum(len(plan.calls) for _, plan in pending)
        out.print(
            f"{result['mode']}: {len(pending)} investor(s), {count} call(s); {skipped} already onboarded"
        )
        out.result(result)
        return
    stderr = Console(stderr=True)
    done = 0
    with Progress(
        TextColumn("onboarding"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=stderr,
        transient=not stderr.is_terminal,
    ) as progress:
        task = progress.add_task("onboard", total=len(pending))
        for line, plan in pending:
            try:
                admin.send(plan)
            except Exception as err:  # a revert or a lost connection: what is done stays done
                fail(
                    f"row {line} failed after {done} investor(s) were onboarded: {str(err).splitlines()[0]}; "
                    "run the same command again to finish (done rows are skipped)",
                    FAILED,
                )
            done += 1
            result["onboarded"].append("0x" + bytes(plan.calls[0].args[0]).hex())
            progress.advance(task)
    out.print(f"[green]onboarded {done} investor(s)[/], {skipped} already onboarded")
    out.result(result)


if __name__ == "__main__":
    cli()
