"""Reconciliation: the "no manual reconciliation" promise made checkable.

The chain-reading part (`scripts/reconcile.py`) turns each chain's manifest and contracts into
`AssetView`s; `reconcile()` compares them and lists every broken invariant as a `Finding`:

- identity: assetId, ISIN, DTI, ticker, architecture, home chain and terms hash match on every chain;
- conservation: on the home chain, `supplyElsewhere` == units on the other chains + units in flight;
- reserves (tracker certificate): home supply + supply elsewhere <= attested reserves;
- corporate actions: every chain is at the home chain's epoch, or behind only while a sync is in
  flight (reported as a warning, not a break);
- register (registry share): holder count == investors with a non-zero balance, when known;
- topology (read by `views.read_topology`): no supply left on contracts a `--force` redeploy
  superseded, and every gateway trusts exactly the gateway each peer's manifest names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class AssetView:
    """What one chain says about one asset."""

    key: str
    chain_id: int
    asset_id: str
    isin: str
    ticker: str
    architecture: int
    home_chain_id: int
    terms_hash: str
    total_supply: int
    total_units: int
    multiplier: int
    epoch: int
    supply_elsewhere: int | None = None  # home chain only
    in_flight_out: int = 0  # units sent from this chain not yet delivered or refunded
    reserves: int | None = None  # tracker certificate, home chain only (in units of supply)
    holders: int | None = None
    holders_expected: int | None = None
    dti: str = ""  # ISO 24165 DTI (`dti()`); empty for a token without one

    @property
    def is_home(self) -> bool:
        return self.chain_id == self.home_chain_id


@dataclass(frozen=True)
class Finding:
    asset: str
    chain_id: int
    check: str
    severity: str  # "break" | "warning" | "in transit" (a movement between books, not a break)
    detail: str


@dataclass
class Report:
    views: list[AssetView] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.severity == "break" for f in self.findings)

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "assets": [asdict(v) for v in self.views],
            "findings": [asdict(f) for f in self.findings],
        }


IDENTITY_FIELDS = ("asset_id", "isin", "dti", "ticker", "architecture", "home_chain_id", "terms_hash")


def reconcile(views: list[AssetView], topology: list[Finding] | None = None) -> Report:
    """Checks every invariant across the chains' views of each asset; `topology` findings (read
    from the chains by `views.read_topology`) are added as they are."""
    report = Report(views=list(views), findings=list(topology or []))
    by_asset: dict[str, list[AssetView]] = {}
    for view in views:
        by_asset.setdefault(view.asset_id, []).append(view)
    for group in by_asset.values():
        report.findings.extend(_check_asset(group))
    return report


def _check_asset(group: list[AssetView]) -> list[Finding]:
    findings: list[Finding] = []
    homes = [v for v in group if v.is_home]
    name = group[0].key
    if len(homes) != 1:
        chains = ", ".join(str(v.chain_id) for v in group)
        findings.append(Finding(name, 0, "home", "break", f"expected one home chain among {chains}"))
        return findings
    home = homes[0]
    for view in group:
        for attr in IDENTITY_FIELDS:
            if getattr(view, attr) != getattr(home, attr):
                findings.append(
                    Finding(
                        name,
                        view.chain_id,
                        "identity",
                        "break",
                        f"{attr} is {getattr(view, attr)!r} here, {getattr(home, attr)!r} at home",
                    )
                )
        if view.epoch > home.epoch:
            findings.append(
                Finding(
                    name, view.chain_id, "epoch", "break", f"epoch {view.epoch} ahead of home {home.epoch}"
                )
            )
        elif view.epoch < home.epoch:
            findings.append(
                Finding(
                    name,
                    view.chain_id,
                    "epoch",
                    "warning",
                    f"epoch {view.epoch} behind home {home.epoch} (sync due)",
                )
            )
        if (
            view.holders is not None
            and view.holders_expected is not None
            and view.holders != view.holders_expected
        ):
            findings.append(
                Finding(
                    name,
                    view.chain_id,
                    "holders",
                    "break",
                    f"holder count {view.holders} != {view.holders_expected} investors with a balance",
                )
            )
    others = [v for v in group if not v.is_home]
    outside = sum(v.total_units for v in others) + sum(v.in_flight_out for v in group)
    if home.supply_elsewhere is not None and home.supply_elsewhere != outside:
        findings.append(
            Finding(
                name,
                home.chain_id,
                "conservation",
                "break",
                f"home counts {home.supply_elsewhere} units elsewhere; other chains + in flight: {outside}",
            )
        )
    if home.reserves is not None:
        backed = home.total_supply + _to_tokens(home.supply_elsewhere or 0, home.multiplier)
        if backed > home.reserves:
            findings.append(
                Finding(
                    name,
                    home.chain_id,
                    "reserves",
                    "break",
                    f"supply {backed} exceeds reserves {home.reserves}",
                )
            )
    return findings


def _to_tokens(units: int, multiplier: int) -> int:
    return units * multiplier // 10**18
