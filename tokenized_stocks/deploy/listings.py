"""Asset listings: the YAML file `ape run deploy` reads (see deployments/listings.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from eth_utils import keccak

from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.protocol.identity import asset_id, is_valid_isin
from tokenized_stocks.protocol.roles import Architecture

ARCHITECTURES = {
    "tracker_certificate": Architecture.TRACKER_CERTIFICATE,
    "mint_on_order": Architecture.MINT_ON_ORDER,
    "registry_share": Architecture.REGISTRY_SHARE,
}


@dataclass(frozen=True)
class Listing:
    key: str
    isin: str
    ticker: str
    name: str
    architecture: Architecture
    terms_uri: str
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def asset_id(self) -> bytes:
        return asset_id(self.isin)

    @property
    def terms_hash(self) -> bytes:
        """Hash of the terms document; stands in for the document's hash until one is published."""
        return keccak(text=self.terms_uri)

    def option(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


def load_listings(path: Path) -> list[Listing]:
    """Reads and validates a listings file; every problem is a UserError naming the entry."""
    if not path.exists():
        raise UserError(f"listings file not found: {path}")
    try:
        raw = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as err:
        raise UserError(f"listings file {path} is not valid YAML: {err}") from err
    entries = raw.get("assets")
    if not isinstance(entries, list) or not entries:
        raise UserError(f"listings file {path} has no `assets:` list")
    listings: list[Listing] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        where = f"{path}: asset #{i + 1}"
        if not isinstance(entry, dict):
            raise UserError(f"{where} is not a mapping")
        missing = [k for k in ("key", "isin", "ticker", "architecture") if not entry.get(k)]
        if missing:
            raise UserError(f"{where} lacks {', '.join(missing)}")
        isin = str(entry["isin"]).upper()
        if not is_valid_isin(isin):
            raise UserError(f"{where}: {isin!r} is not a valid ISIN")
        arch = ARCHITECTURES.get(str(entry["architecture"]))
        if arch is None:
            raise UserError(f"{where}: architecture must be one of {', '.join(ARCHITECTURES)}")
        key = str(entry["key"])
        if key in seen:
            raise UserError(f"{where}: duplicate key {key!r}")
        seen.add(key)
        for number in ("initial_reserves", "reference_price"):
            if number in entry and not _is_non_negative_number(entry[number]):
                raise UserError(f"{where}: {number} must be a number >= 0, got {entry[number]!r}")
        known = {"key", "isin", "ticker", "name", "architecture", "terms_uri"}
        listings.append(
            Listing(
                key=key,
                isin=isin,
                ticker=str(entry["ticker"]),
                name=str(entry.get("name", entry["ticker"])),
                architecture=arch,
                terms_uri=str(entry.get("terms_uri", f"urn:terms:{isin}")),
                options={k: v for k, v in entry.items() if k not in known},
            )
        )
    return listings


def _is_non_negative_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        number = Decimal(str(value))
        return number.is_finite() and number >= 0
    except InvalidOperation:
        return False
