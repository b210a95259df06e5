"""Asset listings: the YAML file `ape run deploy` reads (see deployments/listings.yaml).

One model per architecture, chosen by the entry's `architecture` (a discriminated union): each knows
the options its deployment reads, and a key it does not know (`max_holder`, `allowed_countrys`) is
refused with one line naming it. JSON Schema: docs/schema/listings.schema.json.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from eth_utils import keccak
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from tokenized_stocks.deploy.validation import Dti, Figure, Isin, error_text, first_error, more
from tokenized_stocks.governance.config import GovernanceConfig
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.protocol.identity import asset_id, provisional_dti
from tokenized_stocks.protocol.roles import Architecture

ARCHITECTURES = {
    "tracker_certificate": Architecture.TRACKER_CERTIFICATE,
    "mint_on_order": Architecture.MINT_ON_ORDER,
    "registry_share": Architecture.REGISTRY_SHARE,
}

StrictPositive = Annotated[int, Field(strict=True, gt=0)]
StrictNonNegative = Annotated[int, Field(strict=True, ge=0)]
NonEmpty = Annotated[str, Field(min_length=1)]


class ListingBase(BaseModel):
    """What every listing has, whatever its architecture."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, coerce_numbers_to_str=True)

    key: NonEmpty = Field(description="Contract name and token symbol of the asset on every chain.")
    isin: Isin
    dti: Dti | None = Field(
        None,
        description="ISO 24165 Digital Token Identifier (default: a provisional code derived from the ISIN).",
    )
    ticker: NonEmpty
    name: str = Field("", description="Token name (default: the ticker).")
    terms_uri: str = Field("", description="URI of the terms document (default: urn:terms:<ISIN>).")
    bridge_capacity: StrictPositive | None = Field(
        None, description="Whole shares the gateway lets through at once, each way (default: the suite's)."
    )
    bridge_refill_per_second: StrictNonNegative | None = Field(
        None, description="Whole shares per second the gateway's allowance regains (default: the suite's)."
    )

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            if not data.get("name") and data.get("ticker"):
                data["name"] = str(data["ticker"])
            if not data.get("terms_uri") and data.get("isin"):
                data["terms_uri"] = f"urn:terms:{str(data['isin']).strip().upper()}"
        return data

    @property
    def architecture(self) -> Architecture:
        return ARCHITECTURES[self.kind]  # type: ignore[attr-defined]

    @property
    def asset_id(self) -> bytes:
        return asset_id(self.isin)

    @property
    def dti_code(self) -> str:
        """The DTI every message and the contract name the token by."""
        return self.dti or provisional_dti(self.isin)

    @property
    def terms_hash(self) -> bytes:
        """Hash of the terms document; stands in for the document's hash until one is published."""
        return keccak(text=self.terms_uri)

    def option(self, name: str, default: Any = None) -> Any:
        """The option `name` of this listing, or `default` when it is not set (or not one of its
        architecture's)."""
        value = getattr(self, name, None) if name in type(self).model_fields else None
        return default if value is None else value


class CertificateListing(ListingBase):
    """A tracker certificate: minted against the custodian's attested reserves."""

    kind: Literal["tracker_certificate"] = Field(alias="architecture")
    reserve_heartbeat: StrictPositive = Field(
        86_400, description="Seconds the custodian's reserve attestation stays fresh."
    )
    initial_reserves: Figure | None = Field(
        None, description="Shares attested in custody at deployment (local chains only)."
    )


class OrderListing(ListingBase):
    """A mint-on-order token: minted when the order desk fills a buy at the feed's price."""

    kind: Literal["mint_on_order"] = Field(alias="architecture")
    reference_price: Figure | None = Field(
        None, description="USD per share published as the first price (local chains only)."
    )
    max_deviation_bps: Annotated[int, Field(strict=True, ge=0, le=10_000)] = Field(
        200, description="Largest deviation of a quote from the feed, in basis points."
    )
    max_price_staleness: StrictPositive = Field(3_600, description="Seconds a price stays usable.")


class ShareListing(ListingBase):
    """A registered share: the investor registry is the register of holders."""

    kind: Literal["registry_share"] = Field(alias="architecture")
    allowed_countries: list[Annotated[int, Field(strict=True, ge=1, le=999)]] = Field(
        default_factory=list,
        description="ISO 3166 numeric codes of the countries allowed to hold (empty: no restriction).",
    )
    max_holders: StrictNonNegative | None = Field(None, description="Most holders (none or 0: no cap).")


#: A listing: one model per architecture, chosen by `architecture`.
Listing = Annotated[CertificateListing | OrderListing | ShareListing, Field(discriminator="kind")]

LISTING_MODELS: dict[str, type[ListingBase]] = {
    "tracker_certificate": CertificateListing,
    "mint_on_order": OrderListing,
    "registry_share": ShareListing,
}


class ListingsFile(BaseModel):
    """The listings file: the assets `ape run deploy` lists, in order."""

    model_config = ConfigDict(extra="forbid")

    assets: list[Listing] = Field(min_length=1)
    #: The Safe and timelock of `ape run deploy --governance safe` (docs/governance.md).
    governance: GovernanceConfig | None = None

    @model_validator(mode="after")
    def _unique_keys(self) -> ListingsFile:
        seen: set[str] = set()
        for listing in self.assets:
            if listing.key in seen:
                raise ValueError(f"duplicate key {listing.key!r}")
            seen.add(listing.key)
        return self


_LISTING = TypeAdapter(Listing)


def parse_listing(entry: dict[str, Any]) -> ListingBase:
    """One listing from a mapping (as in the YAML file); a problem is one UserError line."""
    try:
        return _LISTING.validate_python(entry)
    except ValidationError as err:
        raise UserError(_describe(err, ("assets", 0), [entry], "listing")) from None


def load_governance(path: Path) -> GovernanceConfig | None:
    """The `governance:` section of a listings file (None when it has none); a problem is one
    UserError line, like `load_listings`."""
    load_listings(path)
    raw = yaml.safe_load(path.read_text()) or {}
    return ListingsFile.model_validate(raw).governance


def load_listings(path: Path) -> list[ListingBase]:
    """Reads and validates a listings file; a problem is one UserError line naming the entry and key."""
    if not path.exists():
        raise UserError(f"listings file not found: {path}")
    try:
        raw = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as err:
        raise UserError(f"listings file {path} is not valid YAML: {err}") from err
    if not isinstance(raw, dict) or not isinstance(raw.get("assets"), list) or not raw["assets"]:
        raise UserError(f"listings file {path} has no `assets:` list")
    try:
        return list(ListingsFile.model_validate(raw).assets)
    except ValidationError as err:
        raise UserError(_describe(err, (), raw["assets"], str(path))) from None


def _describe(err: ValidationError, prefix: tuple[Any, ...], entries: list[Any], source: str) -> str:
    """`<file>: asset #2 (NVDAon): unknown key 'max_deviation' (did you mean ...?)`."""
    error = first_error(err)
    loc = prefix + tuple(error["loc"])
    where = source
    known: list[str] = list(ListingsFile.model_fields)
    if len(loc) >= 2 and loc[0] == "assets" and isinstance(loc[1], int):
        entry = entries[loc[1]] if loc[1] < len(entries) else None
        where = f"{source}: asset #{loc[1] + 1}"
        if isinstance(entry, dict) and entry.get("key"):
            where += f" ({entry['key']})"
        model = LISTING_MODELS.get(str(loc[2])) if len(loc) > 2 else None
        known = [f.alias or n for n, f in model.model_fields.items()] if model else []
    if loc and loc[0] == "governance":
        where = f"{source}: governance" if len(loc) > 1 else source
        known = list(GovernanceConfig.model_fields)
    if error["type"] == "union_tag_invalid" or error["type"] == "union_tag_not_found":
        problem = f"architecture must be one of {', '.join(ARCHITECTURES)}"
    elif len(loc) == 2 and error["type"] in ("model_attributes_type", "model_type", "dict_type"):
        problem = "is not a mapping"
    else:
        problem = error_text(error, known)
    return f"{where}: {problem}{more(err)}"
