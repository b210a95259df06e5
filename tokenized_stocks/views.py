"""Reads what one chain says about each listed asset, from its manifest and contracts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tokenized_stocks.manifest import Manifest, load_manifest
from tokenized_stocks.networks import connect
from tokenized_stocks.reconcile import AssetView


def _contract(project: Any, manifest: Manifest, name: str) -> Any:
    record = manifest.contracts[name]
    return getattr(project, record.contract_type).at(record.address)


def _call(contract: Any, name: str, *args: Any, default: Any = None) -> Any:
    """Calls an optional view; `default` when the contract does not have it."""
    method = getattr(contract, name, None)
    if method is None:
        return default
    return method(*args)


def asset_views(project: Any, manifest: Manifest) -> list[AssetView]:
    """The views of every asset in `manifest`, read from the connected chain."""
    gateway = _contract(project, manifest, "Gateway") if "Gateway" in manifest.contracts else None
    views = []
    for record in manifest.assets.values():
        token = _contract(project, manifest, record.key)
        chain_id = manifest.chain_id
        home = int(token.homeChainId())
        asset_id = token.assetId()
        total_supply = int(token.totalSupply())
        multiplier = int(_call(token, "multiplier", default=10**18))
        units = int(_call(token, "totalUnits", default=total_supply * 10**18 // multiplier))
        reserves = None
        if "reserve" in record.extra and chain_id == home:
            feed = project.AttestedFeed.at(record.extra["reserve"])
            reserves = int(feed.latestRoundData()[1])
        holders = _call(token, "holderCount")
        views.append(
            AssetView(
                key=record.key,
                chain_id=chain_id,
                asset_id="0x" + bytes(asset_id).hex(),
                isin=token.isin(),
                ticker=token.ticker(),
                architecture=int(token.architecture()),
                home_chain_id=home,
                terms_hash="0x" + bytes(token.termsHash()).hex(),
                total_supply=total_supply,
                total_units=units,
                multiplier=multiplier,
                epoch=int(token.corporateActionEpoch()),
                supply_elsewhere=int(gateway.supplyElsewhere(asset_id))
                if gateway and chain_id == home
                else None,
                in_flight_out=int(_call(gateway, "unitsInFlight", asset_id, default=0)) if gateway else 0,
                reserves=reserves,
                holders=None if holders is None else int(holders),
            )
        )
    return views


def read_chain_views(choice: str, uri: str | None, root: Path) -> list[AssetView]:
    """Connects to one chain and reads the views of every asset its manifest lists."""
    from ape import chain, project

    with connect(choice, uri):
        manifest = load_manifest(chain.chain_id, root)
        return asset_views(project, manifest)
