"""Deployment manifests: one JSON file per chain id under `deployments/<chain id>/manifest.json`.

A manifest records every deployed contract (address, block, transaction hash), every asset listed
(asset id, ISIN, ticker, architecture, token address) and the compiler version. It is written after
every step, and `pending` journals each transaction before it is sent, so a deployment that fails or
is interrupted half-way is resumed from where it stopped, never redone or left inconsistent. A complete manifest is never overwritten without `force`; what a forced redeploy replaces is kept
under `superseded`.

The file's shape is the `Manifest` model below (JSON Schema: docs/schema/manifest.schema.json); every
manifest is validated when it is loaded.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, PositiveInt, ValidationError

from tokenized_stocks.deploy.validation import Address, Bytes32, Isin, dotted, error_text, first_error, more
from tokenized_stocks.protocol.errors import UserError

DEFAULT_ROOT = Path("deployments")
SCHEMA_VERSION = 1

ArchitectureName = Literal["tracker_certificate", "mint_on_order", "registry_share"]


class _Strict(BaseModel):
    """Unknown keys are refused (a hand-edited manifest with a typo does not load half-read)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ContractRecord(_Strict):
    """A deployed contract: where, in which block and transaction, of which contract type."""

    address: Address
    block: NonNegativeInt
    tx_hash: Bytes32
    contract_type: str
    salt: Bytes32 | None = Field(
        None,
        description="The CREATE2 salt it was deployed with through the deterministic deployment proxy "
        "(absent: deployed with CREATE, before deterministic deployment). A contract adopted at its "
        "predicted address without a known transaction has the zero tx_hash.",
    )
    implementation: Address | None = Field(
        None,
        description="An upgradeable contract's implementation at deployment (`address` is its ERC-1967 "
        "proxy, what every client uses; `contract_type` is the implementation's type). Absent: not "
        "upgradeable. An upgrade through governance changes the proxy's implementation, not this record.",
    )


class PendingTx(_Strict):
    """The journal entry of a transaction sent but not yet recorded: written (and the manifest saved)
    before the transaction is broadcast, cleared once its outcome is recorded. A deployment resumed
    with an entry settles it against the chain first (adopts a mined deployment, marks a mined step
    done) instead of sending it again."""

    name: str
    kind: Literal["deploy", "step"]
    sender: Address
    nonce: NonNegativeInt
    tx_hash: Bytes32
    contract_type: str | None = None
    address: Address | None = Field(
        None, description="A deployment's predicted CREATE2 address (null: a step, or a CREATE deployment)."
    )
    salt: Bytes32 | None = Field(None, description="A deployment's CREATE2 salt (null: a step).")
    implementation: Address | None = Field(
        None, description="A proxy deployment's implementation (null: not a proxy, or a step)."
    )


class TimelockCallRecord(_Strict):
    """A call a listing added to a governed deployment needs from the timelock: the deployer is no
    admin of the suite's shared contracts any more (the gateway, the desk, the sanctions list, the
    ledger adapter), so `ape run deploy --add` records the call instead of sending it, and `ape run
    admin complete-listing` proposes the listing's calls to the Safe as one timelock batch."""

    step: str = Field(description="The deployment step the call stands for.")
    contract: str = Field(description="The called contract's name in this manifest.")
    to: Address
    function: str
    data: str = Field(pattern=r"^0x([0-9a-f]{2})*$", description="The calldata (0x-prefixed hex).")


class AssetRecord(_Strict):
    """A listed asset on this chain: its identity and its token (`extra`: its feeds, vault...).
    `awaiting_timelock`: a listing added to a governed deployment records the calls only the
    timelock can make for it (a record of what it needed: whether they ran is read from the chain,
    by `ape run admin complete-listing`)."""

    key: str
    asset_id: Bytes32
    isin: Isin
    ticker: str
    architecture: ArchitectureName
    token: Address
    home_chain_id: PositiveInt
    extra: dict[str, str] = Field(default_factory=dict)
    awaiting_timelock: list[TimelockCallRecord] = Field(default_factory=list)


class RoleRecord(_Strict):
    """One role of one contract: the known accounts holding it, and the seconds between its holders'
    decision and its effect (the timelock's min delay when only the timelock holds it, else 0)."""

    holders: list[Address]
    delay: NonNegativeInt


class GovernanceRecord(_Strict):
    """The governance layer (`ape run deploy --governance safe`): the Safe multisig that proposes to
    the timelock holding every contract's DEFAULT_ADMIN_ROLE, the guardian holding PAUSER_ROLE, and
    each role's holders (contract manifest name -> role getter name -> record). See docs/governance.md."""

    safe: Address
    safe_version: str
    owners: list[Address] = Field(min_length=1)
    threshold: PositiveInt
    timelock: Address
    min_delay: NonNegativeInt
    guardian: Address
    roles: dict[str, dict[str, RoleRecord]] = Field(default_factory=dict)


class Manifest(_Strict):
    """`deployments/<chain id>/manifest.json`: everything deployed on one chain."""

    chain_id: PositiveInt
    network: str
    deployer: Address
    compiler: str = "solc 0.8.30"
    generation: PositiveInt | None = Field(
        None,
        description="The deployment generation: every contract's CREATE2 salt is "
        'keccak("tokenized-stocks/<generation>/<contract name>"), so one generation has the same '
        "addresses on every chain; `ape run deploy --force` deploys the next one (new addresses). "
        "Absent: a manifest written before deterministic deployment (CREATE addresses), resumed as 1.",
    )
    status: Literal["partial", "complete"] = "partial"
    contracts: dict[str, ContractRecord] = Field(default_factory=dict)
    assets: dict[str, AssetRecord] = Field(default_factory=dict)
    steps_done: list[str] = Field(default_factory=list)
    #: The transaction in flight when the manifest was last saved (None: nothing is in flight).
    pending: PendingTx | None = None
    config: dict[str, Any] = Field(default_factory=dict)
    schema_version: int = Field(SCHEMA_VERSION, alias="schema", ge=1, le=SCHEMA_VERSION)
    #: Contracts and assets of earlier deployments on this chain that a `--force` redeploy replaced
    #: (`{"name", "address", "block", ...}` or `{"name", "asset": {...}}`): tokens there may still be
    #: held and the peers may still trust the old gateway, so `reconcile` keeps reading them.
    superseded: list[dict[str, Any]] = Field(default_factory=list)
    #: The Safe, the timelock and who holds each role (None: one deployer key administers everything).
    governance: GovernanceRecord | None = None

    # -- reading ---------------------------------------------------------------------------------

    @property
    def salt_generation(self) -> int:
        """The generation whose salts this deployment's contracts use (1 for a manifest that predates
        generations)."""
        return self.generation or 1

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
        data = self.model_dump(mode="json", by_alias=True)
        if data["pending"] is None:  # nothing in flight: written as manifests before the journal were
            del data["pending"]
        elif data["pending"]["implementation"] is None:  # not a proxy deployment
            del data["pending"]["implementation"]
        if data["governance"] is None:  # not governed: written as manifests before governance were
            del data["governance"]
        if data["generation"] is None:  # written as manifests before deterministic deployment were
            del data["generation"]
        for record in data["contracts"].values():
            if record["salt"] is None:  # a CREATE deployment
                del record["salt"]
            if record["implementation"] is None:  # not upgradeable
                del record["implementation"]
        for asset in data["assets"].values():
            if not asset["awaiting_timelock"]:  # listed by its deployer: as manifests before were
                del asset["awaiting_timelock"]
        return json.dumps(data, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, source: str = "the manifest") -> Manifest:
        """Parses and validates; any problem is one UserError line naming the key."""
        try:
            return cls.model_validate_json(text)
        except ValidationError as err:
            error = first_error(err)
            if error["type"] == "json_invalid":
                raise UserError(f"{source} is not valid JSON: {error['msg']}") from None
            where = dotted(error["loc"][:-1])
            problem = error_text(error, _known_keys(error["loc"]))
            raise UserError(
                f"{source} is invalid: {where + ': ' if where else ''}{problem}{more(err)}"
            ) from None


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where `loc` points (for a 'did you mean' on an unknown key)."""
    model: type[BaseModel] = Manifest
    if loc and loc[0] in ("contracts", "assets") and len(loc) == 3:
        model = ContractRecord if loc[0] == "contracts" else AssetRecord
    elif loc and loc[0] == "pending" and len(loc) == 2:
        model = PendingTx
    elif loc and loc[0] == "governance" and len(loc) == 2:
        model = GovernanceRecord
    elif len(loc) != 1:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def manifest_path(chain_id: int, root: Path | None = None) -> Path:
    return (root or DEFAULT_ROOT) / str(chain_id) / "manifest.json"


def load_manifest(
    chain_id: int | None = None, root: Path | None = None, *, path: Path | None = None
) -> Manifest:
    """The validated manifest of `chain_id` (`<root>/<chain id>/manifest.json`), or the one at `path`.

    Every script reads manifests through here. A missing file says to deploy first; an invalid one
    is one UserError line naming the key; a manifest recorded for another chain than `chain_id` is
    refused (a copied or misplaced file never drives transactions on the wrong chain).
    """
    if path is None:
        if chain_id is None:
            raise TypeError("load_manifest needs a chain id or a path")
        path = manifest_path(chain_id, root)
    if not path.exists():
        where = f"chain {chain_id}" if chain_id is not None else "this chain"
        raise UserError(f"no deployment manifest for {where} at {path}: run `ape run deploy` first")
    try:
        text = path.read_text()
    except OSError as err:
        raise UserError(f"the manifest at {path} is unreadable: {err}") from err
    manifest = Manifest.from_json(text, f"the manifest at {path}")
    if chain_id is not None and manifest.chain_id != chain_id:
        raise UserError(f"the manifest at {path} is for chain {manifest.chain_id}, not chain {chain_id}")
    return manifest


def save_manifest(manifest: Manifest, root: Path | None = None) -> Path:
    """Writes atomically (temp file + rename), so a crash never leaves half a manifest."""
    path = manifest_path(manifest.chain_id, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(manifest.to_json() + "\n")
    os.replace(tmp, path)
    return path
