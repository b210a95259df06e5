"""Deployment manifests: one JSON file per chain id under `deployments/<chain id>/manifest.json`.

A manifest records every deployed contract (address, block, transaction hash), every asset listed
(asset id, ISIN, ticker, architecture, token address) and the compiler version. It is written after
every step, so a deployment that fails half-way is resumed from where it stopped, never redone or
left inconsistent. A complete manifest is never overwritten without `force`; what a forced redeploy replaces is kept
under `superseded`.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tokenized_stocks.protocol.errors import UserError

DEFAULT_ROOT = Path("deployments")
SCHEMA_VERSION = 1


@dataclass
class ContractRecord:
    address: str
    block: int
    tx_hash: str
    contract_type: str


@dataclass
class AssetRecord:
    key: str
    asset_id: str
    isin: str
    ticker: str
    architecture: str
    token: str
    home_chain_id: int
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Manifest:
    chain_id: int
    network: str
    deployer: str
    compiler: str = "solc 0.8.30"
    status: str = "partial"  # partial | complete
    contracts: dict[str, ContractRecord] = field(default_factory=dict)
    assets: dict[str, AssetRecord] = field(default_factory=dict)
    steps_done: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    schema: int = SCHEMA_VERSION
    #: Contracts and assets of earlier deployments on this chain that a `--force` redeploy replaced
    #: (`{"name", "address", "block", ...}` or `{"name", "asset": {...}}`): tokens there may still be
    #: held and the peers may still trust the old gateway, so `reconcile` keeps reading them.
    superseded: list[dict[str, Any]] = field(default_factory=list)

    # -- reading ---------------------------------------------------------------------------------

    def address(self, name: str) -> str:
        try:
            return self.contracts[name].address
        except KeyError as err:
            raise UserError(f"the manifest for chain {self.chain_id} has no contract {name!r}") from err

    def asset(self, key: str) -> AssetRecord:
        wanted = key.upper()
        for record in self.assets.values():
            if wanted in (record.key.upper(), record.ticker.upper(), record.isin.upper()):
                return record
        known = ", ".join(sorted(self.assets)) or "none"
        raise UserError(f"unknown asset {key!r} on chain {self.chain_id} (listed: {known})")

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        raw = json.loads(text)
        raw["contracts"] = {k: ContractRecord(**v) for k, v in raw.get("contracts", {}).items()}
        raw["assets"] = {k: AssetRecord(**v) for k, v in raw.get("assets", {}).items()}
        return cls(**raw)


def manifest_path(chain_id: int, root: Path | None = None) -> Path:
    return (root or DEFAULT_ROOT) / str(chain_id) / "manifest.json"


def load_manifest(chain_id: int, root: Path | None = None) -> Manifest:
    """The manifest of `chain_id`, or a UserError telling the user to deploy first."""
    path = manifest_path(chain_id, root)
    if not path.exists():
        raise UserError(f"no deployment manifest for chain {chain_id} at {path}: run `ape run deploy` first")
    try:
        return Manifest.from_json(path.read_text())
    except (json.JSONDecodeError, TypeError, KeyError) as err:
        raise UserError(f"the manifest at {path} is unreadable: {err}") from err


def save_manifest(manifest: Manifest, root: Path | None = None) -> Path:
    """Writes atomically (temp file + rename), so a crash never leaves half a manifest."""
    path = manifest_path(manifest.chain_id, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(manifest.to_json() + "\n")
    os.replace(tmp, path)
    return path
