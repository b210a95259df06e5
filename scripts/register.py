"""`ape run register`: the reference traditional register (a CSD / transfer agent's book) and the
transfer agent's bridge between it and the chain, speaking ISO 20022 only.

    ape run register add-security --isin US0378331005 --dti 4H95J0R2X
    ape run register serve --once                 # book every message waiting in the inbox
    ape run register statement --output semt002.xml  # holdings per account (semt.002)
    ape run register freeze --isin US0378331005 --holder ACC-ALICE --reason "court order 7"
    ape run register force-transfer --reference FT-1 --isin US0378331005 --from ACC-ALICE --to ACC-BOB \
        --shares 4 --reason "court order 7"
    ape run register on-ramp --reference BACK-0001 --isin US0378331005 --holder ACC-ALICE \
        --wallet 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --shares 60   # sese.023 DELI to the chain
    ape run register bridge --network ethereum:chaina:node --once   # adapter <-> register, and
                                                    # expires off-ramps past their deadline

Settings: `--db`, `--inbox`, `--outbox` or REGISTER_DB / REGISTER_INBOX / REGISTER_OUTBOX, and
REGISTER_ON_RAMP_TIMEOUT: seconds the chain has to issue an on-ramp before `reconcile --register`
calls it a break (default one day; tokenized_stocks/register/config.py). The register keeps its book in SQLite and survives kill -9.
The bridge reads the TraditionalLedgerAdapter from the chain's manifest and signs as the transfer
agent (`--account <alias>`, or `--test-account N` on a local chain).
An on-ramp starts on the register (`on-ramp`): the bridge issues the tokens and answers it.
Exit codes: 0 done, 1 a message was refused, 2 bad input.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from tokenized_stocks.cli.commands import ConnectedScriptCommand, ScriptCommand, sender_account
from tokenized_stocks.cli.errors import FAILED, fail, user_errors
from tokenized_stocks.cli.output import Output, json_option
from tokenized_stocks.cli.params import hidden_alias, manifests_option
from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.mailbox import Mailbox
from tokenized_stocks.protocol.display import parse_amount
from tokenized_stocks.protocol.identity import is_valid_dti, is_valid_isin
from tokenized_stocks.register.config import RegisterSettings
from tokenized_stocks.register.service import RegisterService, open_register

F = TypeVar("F", bound=Callable[..., Any])
#: On a local chain, the transfer agent of the local role book (`RoleBook.local`: test account 3).
TRANSFER_AGENT_TEST_ACCOUNT = 3
console = Console(width=None if Console().is_terminal else 160)


def settings_options(func: F) -> F:
    """`--db`, `--inbox`, `--outbox` (each defaults to its REGISTER_* variable, then the built-in)."""
    for name in ("outbox", "inbox", "db"):
        func = click.option(f"--{name}", type=click.Path(path_type=Path), default=None)(func)
    return func


def _settings(**given: Path | None) -> RegisterSettings:
    try:
        return RegisterSettings(**{k: v for k, v in given.items() if v is not None})
    except ValueError as err:
        fail(f"bad register settings: {str(err).splitlines()[0]}")


def _iso(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _this_build(container: Any, address: str) -> Any:
    """The contract at `address` with this build's ABI. Local chains reuse addresses, so ape's
    disk cache may hold another build's ABI for it (merged in by `.at`): it is replaced."""
    from ape import chain  # noqa: PLC0415

    return chain.contracts.instance_at(
        address, contract_type=container.contract_type, replace=True, fetch_from_explorer=False
    )


@click.group()
def cli() -> None:
    """The reference traditional register and its ISO 20022 bridge to the chain."""


@cli.command(name="add-security", cls=ScriptCommand)
@click.option("--isin", required=True)
@click.option("--dti", required=True)
@settings_options
@json_option
@user_errors
def add_security(isin: str, dti: str, as_json: bool, **paths: Path | None) -> None:
    """Keep a security on the register (its ISIN and ISO 24165 DTI)."""
    output = Output(as_json)
    isin, dti = isin.strip().upper(), dti.strip().upper()
    if not is_valid_isin(isin):
        fail(f"not a valid ISIN: {isin}")
    if not is_valid_dti(dti):
        fail(f"not an ISO 24165 DTI: {dti}")
    register = open_register(_settings(**paths))
    register.store.add_security(isin, dti)
    output.print(f"the register keeps {isin} (DTI {dti})")
    output.result({"isin": isin, "dti": dti})


@cli.command(cls=ScriptCommand)
@click.option("--once", is_flag=True, help="process what is waiting and exit")
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="seconds between passes",
)
@hidden_alias("--poll", "poll", type=click.FloatRange(min=0.1))  # deprecated: --poll-interval
@settings_options
@json_option
@user_errors
def serve(once: bool, poll_interval: float, poll: float | None, as_json: bool, **paths: Path | None) -> None:
    """Book every ISO 20022 message arriving in the inbox and answer it in the outbox.

    With `--json` (and `--once`), the result is `{"refused": [file names]}` on stdout; a long-running
    serve writes its lines to stderr."""
    output = Output(as_json)
    service = RegisterService(_settings(**paths), report=output.print)
    service.serve(poll or poll_interval, passes=1 if once else None)
    refused = sorted(p.name for p in (service.inbox / "refused").glob("*.xml"))
    output.result({"refused": refused})
    sys.exit(FAILED if once and refused else 0)


@cli.command(cls=ScriptCommand)
@click.option("--isin", required=True)
@click.option("--holder", "account", required=True, help="the holder's account on the register")
@click.option("--unfreeze", is_flag=True, help="lift the freeze instead")
@click.option("--reason", required=True, help="legal reference")
@settings_options
@json_option
@user_errors
def freeze(isin: str, account: str, unfreeze: bool, reason: str, as_json: bool, **paths: Path | None) -> None:
    """Freeze (or unfreeze) an account: it can neither deliver nor receive."""
    output = Output(as_json)
    register = open_register(_settings(**paths))
    try:
        register.set_frozen(isin.strip().upper(), account, not unfreeze, reason)
    except MessageRefused as err:
        fail(str(err))
    output.print(f"{account} {'unfrozen' if unfreeze else 'frozen'} for {isin}: {reason}")
    output.result(
        {"isin": isin.strip().upper(), "account": account, "frozen": not unfreeze, "reason": reason}
    )


@cli.command(name="force-transfer", cls=ScriptCommand)
@click.option("--reference", required=True, help="the order's reference (applied once)")
@click.option("--isin", required=True)
@click.option("--from", "source", required=True)
@click.option("--to", "target", required=True)
@click.option("--shares", required=True, help="number of shares (decimal)")
@click.option("--reason", required=True, help="legal reference")
@settings_options
@json_option
@user_errors
def force_transfer(  # noqa: PLR0913 (click options)
    reference: str,
    isin: str,
    source: str,
    target: str,
    shares: str,
    reason: str,
    as_json: bool,
    **paths: Path | None,
) -> None:
    """Move shares between accounts without the holder's consent (court order)."""
    output = Output(as_json)
    tokens = parse_amount(shares, "--shares")  # 18 decimals, > 0, no excess precision
    register = open_register(_settings(**paths))
    try:
        register.force_transfer(reference, isin.strip().upper(), source, target, tokens, reason)
    except MessageRefused as err:
        fail(f"cannot force the transfer: {err}")
    output.print(f"moved {shares} {isin} from {source} to {target}: {reason}")
    output.result(
        {"reference": reference, "isin": isin.strip().upper(), "from": source, "to": target, "shares": shares}
    )


@cli.command(name="on-ramp", cls=ScriptCommand)
@click.option("--reference", required=True, help="the on-ramp's id (1-32 characters, used once on chain)")
@click.option("--isin", required=True)
@click.option("--holder", "account", required=True, help="the holder's account on the register")
@click.option("--wallet", required=True, help="the wallet that receives the tokens")
@click.option("--shares", required=True, help="number of shares (decimal)")
@settings_options
@json_option
@user_errors
def on_ramp(  # noqa: PLR0913 (click options)
    reference: str,
    isin: str,
    account: str,
    wallet: str,
    shares: str,
    as_json: bool,
    **paths: Path | None,
) -> None:
    """Move shares from a register account to a wallet on chain: the account is debited into a
    pending delivery and a sese.023 DELIVER goes to the outbox for the bridge (`register bridge`);
    the chain's sese.025 makes it final, its sese.024 releases the position."""
    output = Output(as_json)
    tokens = parse_amount(shares, "--shares")  # 18 decimals, > 0, no excess precision
    register = open_register(_settings(**paths))
    try:
        path = register.deliver(reference, isin.strip().upper(), account, wallet, tokens)
    except MessageRefused as err:
        fail(f"cannot start the on-ramp: {err}")
    row = register.store.instruction(reference)
    deadline = None if row is None else row.deadline
    due = "" if deadline is None else f" (to be issued by {_iso(deadline)})"
    output.print(f"{account} delivers {shares} {isin} to {wallet}: {path.name} written for the chain{due}")
    output.result(
        {
            "reference": reference,
            "isin": isin.strip().upper(),
            "holder": account,
            "wallet": wallet,
            "shares": shares,
            "file": str(path),
            "deadline": deadline,
        }
    )


@cli.command(cls=ScriptCommand)
@click.option(
    "--output", "out", type=click.Path(path_type=Path), default=None, help="also write the semt.002 here"
)
@json_option
@settings_options
@user_errors
def statement(out: Path | None, as_json: bool, **paths: Path | None) -> None:
    """Holdings per account and ISIN, as a semt.002 statement."""
    output = Output(as_json)
    register = open_register(_settings(**paths))
    report = register.statement()
    path = register.outbox.write(report)
    if out is not None:
        out.write_text(codec.render(report))
    table = Table("account", "ISIN", "DTI", "shares")
    for h in report.holdings:
        table.add_row(h.account, h.isin, h.dti, str(h.quantity))
    output.print(table)
    output.print(f"semt.002 {report.statement_id} written to {out or path}")
    output.result(
        {
            "statement": report.statement_id,
            "file": str(out or path),
            "holdings": [
                {"account": h.account, "isin": h.isin, "dti": h.dti, "shares": str(h.quantity)}
                for h in report.holdings
            ],
        }
    )


@cli.command(cls=ConnectedScriptCommand)
@manifests_option
@click.option("--account", "alias", default=None, help="ape account alias of the transfer agent")
@click.option(
    "--test-account",
    type=int,
    default=None,
    help="local chains: test account number of the transfer agent (default: the local role book's)",
)
@click.option(
    "--state", type=click.Path(path_type=Path), default=Path("register-bridge.sqlite"), show_default=True
)
@click.option("--once", is_flag=True, help="one pass and exit")
@click.option(
    "--start-block",
    type=click.IntRange(min=0),
    default=None,
    help="first block to read off-ramps from (default: where the bridge's state left off, else 0)",
)
@settings_options
@json_option
@user_errors
def bridge(  # noqa: PLR0913 (click options)
    network: Any,
    manifests: Path,
    alias: str | None,
    test_account: int | None,
    state: Path,
    once: bool,
    start_block: int | None,
    as_json: bool,
    **paths: Path | None,
) -> None:
    """Carry off-ramps to the register (sese.023) and its answers (sese.024/025) to the adapter,
    and the register's on-ramps (sese.023 DELIVER) to the adapter, answering each (sese.025/024).
    Off-ramps past their deadline are expired on chain and the register is told (sese.024
    REJECTED `EXPIRED ON CHAIN`). Bridges sharing a `--state` take turns, one pass at a time.

    With `--json`, one JSON line per pass: the files sent, applied, refused and deferred, and the
    references of the off-ramps expired (or deferred: the token refuses the refund now)."""
    from ape import chain, project  # noqa: PLC0415
    from ape.exceptions import ContractLogicError  # noqa: PLC0415

    from tokenized_stocks.deploy.manifest import load_manifest  # noqa: PLC0415
    from tokenized_stocks.register.chain import LedgerBridge  # noqa: PLC0415

    settings = _settings(**paths)
    manifest = load_manifest(chain.chain_id, manifests)
    if "TraditionalLedgerAdapter" not in manifest.contracts:
        fail(f"the manifest of chain {chain.chain_id} has no TraditionalLedgerAdapter")
    adapter = _this_build(project.TraditionalLedgerAdapter, manifest.address("TraditionalLedgerAdapter"))
    tokens = [
        _this_build(getattr(project, manifest.contracts[record.key].contract_type), record.token)
        for record in manifest.assets.values()
    ]
    output = Output(as_json)
    agent = sender_account(alias, TRANSFER_AGENT_TEST_ACCOUNT if test_account is None else test_account)
    carrier = LedgerBridge(adapter, agent, Mailbox(settings.inbox), state, tokens)
    applied = Mailbox(Path(settings.outbox) / "applied")
    refused = 0
    while True:
        round_: dict[str, list[str]] = {
            "sent": [],
            "expired": [],
            "applied": [],
            "refused": [],
            "deferred": [],
        }
        with carrier.exclusive():  # a second bridge on this state waits for the pass
            for path in carrier.forward_off_ramps(start_block):
                output.print(f"sent {path.name}")
                round_["sent"].append(path.name)
            for expiry in carrier.expire_overdue():  # deferred: the token refuses the refund now
                output.print(expiry.line if expiry.done else f"[yellow]{expiry.line}[/]")
                round_["expired" if expiry.done else "deferred"].append(expiry.reference)
            for path in sorted(Path(settings.outbox).glob("*.xml")):
                try:
                    if codec.kind_of(path.read_bytes()).KIND not in ("sese.023", "sese.024", "sese.025"):
                        continue
                    output.print(carrier.apply(path))
                    round_["applied"].append(path.name)
                except MessageRefused as err:
                    refused += 1
                    round_["refused"].append(path.name)
                    output.print(f"[red]refused {path.name}: {err}[/]")
                except ContractLogicError as err:  # the chain refuses the effect now (a frozen holder)
                    round_["deferred"].append(path.name)
                    output.print(f"[yellow]deferred {path.name}: {str(err).splitlines()[0]}[/]")
                    continue
                path.replace(applied.folder / path.name)
        if as_json:
            click.echo(json.dumps(round_, sort_keys=True))
        if once:
            break
        start_block = None  # later passes continue from the state's cursor
        time.sleep(2)
    sys.exit(FAILED if refused else 0)
