"""Reading several chains for `ape run reconcile`: connect to each, read, then cross-check."""

from __future__ import annotations

from pathlib import Path

from tokenized_stocks.cli.networks import connect
from tokenized_stocks.deploy.manifest import Manifest, load_manifest
from tokenized_stocks.reconcile.model import AssetView, Finding
from tokenized_stocks.reconcile.read import (
    SentMessage,
    asset_views,
    gateway_links,
    sent_messages,
    superseded_supply,
    undelivered,
    with_in_flight,
)


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
