"""Reading several chains for `ape run reconcile`: connect to each, read, then cross-check."""

from __future__ import annotations

from pathlib import Path

from tokenized_stocks.cli.networks import connect
from tokenized_stocks.deploy.manifest import Manifest, load_manifest
from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.messages import HoldingsStatement
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.reconcile.model import AssetView, Finding
from tokenized_stocks.reconcile.read import (
    SentMessage,
    asset_views,
    gateway_links,
    register_ledgers,
    sent_messages,
    superseded_supply,
    undelivered,
    with_in_flight,
)
from tokenized_stocks.reconcile.register import RegisterLedger, RegisterMove


def read_all_views(specs: list[tuple[str, str | None]], root: Path) -> list[AssetView]:
    """The asset views of `read_all` (without the topology findings)."""
    return read_all(specs, root)[0]


def read_all(specs: list[tuple[str, str | None]], root: Path) -> tuple[list[AssetView], list[Finding]]:
    """Connects to each chain (network choice, optional URI) and reads every asset its manifest
    lists and the supply left on superseded contracts; a second pass asks each destination which
    messages it has not processed (in flight) and checks each gateway's links to the others."""
    from ape import chain, project

    topology: list[Finding] = []
    views: list[AssetView] = []
    sent: list[SentMessage] = []
    manifests: list[Manifest] = []
    for choice, uri in specs:
        with connect(choice, uri):
            manifest = load_manifest(chain.chain_id, root)
            manifests.append(manifest)
            views.extend(asset_views(project, manifest))
            sent.extend(sent_messages(project, manifest))
            topology.extend(superseded_supply(project, manifest))
    pending: list[SentMessage] = []
    for (choice, uri), manifest in zip(specs, manifests, strict=True):
        with connect(choice, uri):
            pending.extend(undelivered(project, manifest, sent))
            topology.extend(gateway_links(project, manifest, manifests))
    return with_in_flight(views, pending), topology


def read_register_ledgers(specs: list[tuple[str, str | None]], root: Path) -> list[RegisterLedger]:
    """The ledger adapters' books of the register, from every chain that has one."""
    from ape import chain, project

    ledgers: list[RegisterLedger] = []
    for choice, uri in specs:
        with connect(choice, uri):
            ledgers.extend(register_ledgers(project, load_manifest(chain.chain_id, root)))
    return ledgers


def load_statement(path: Path) -> HoldingsStatement:
    """The register's holdings: a semt.002 file, or the statement of a register's SQLite book."""
    if not path.exists():
        raise UserError(f"no register statement or book at {path}")
    if path.suffix.lower() == ".xml":
        try:
            return codec.parse(path.read_bytes(), HoldingsStatement)
        except MessageRefused as err:
            raise UserError(f"{path}: {err}") from err
    from tokenized_stocks.register.book import statement_of
    from tokenized_stocks.register.store import RegisterStore

    try:
        store = RegisterStore(path)
        return statement_of(store)
    except Exception as err:  # sqlite3.DatabaseError and friends: not a register book
        raise UserError(f"{path} is neither a semt.002 statement nor a register book: {err}") from err


def load_register_moves(path: Path) -> list[RegisterMove] | None:
    """The instruction log of a register's SQLite book (None for a semt.002 file, which has none):
    what reconciliation needs to tell movements in transit from breaks."""
    if path.suffix.lower() == ".xml":
        return None
    from tokenized_stocks.register.store import RegisterStore

    try:
        rows = RegisterStore(path).instructions()
    except Exception as err:  # sqlite3.DatabaseError and friends: not a register book
        raise UserError(f"{path} is neither a semt.002 statement nor a register book: {err}") from err
    return [
        RegisterMove(
            reference=row.reference,
            isin=row.isin,
            account=row.account,
            movement=row.movement,
            status=row.status,
            units=row.units,
            booked_at=row.booked_at,
            deadline=row.deadline,
            reason=row.reason,
        )
        for row in rows
    ]
