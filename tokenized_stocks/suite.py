"""Deploys and wires the whole suite on one chain, through a resumable `Deployer`.

Used by `ape run deploy`, `ape run demo` and the end-to-end tests, so all three deploy the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tokenized_stocks.deployer import Deployer
from tokenized_stocks.listings import Listing
from tokenized_stocks.roles import COMPLIANCE_ROLE, REGISTRAR_ROLE, REPORTER_ROLE


@dataclass
class RoleBook:
    """Who holds which role on a chain. On local chains each role is its own test account."""

    issuer: Any
    registrar: Any
    custodian: Any
    transfer_agent: Any
    quote_signer: Any
    executor: Any
    guardian: Any
    cash_agent: Any
    operators: list[Any]
    relayer: Any
    threshold: int = 2

    @classmethod
    def local(cls, test_accounts: Any) -> RoleBook:
        """The same assignment as tests/conftest.py."""
        a = test_accounts
        return cls(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], [a[8], a[9], a[10]], a[11], 2)

    @classmethod
    def single(cls, account: Any) -> RoleBook:
        """Every role held by one account (a live testnet with one funded key), 1-of-1 operators."""
        return cls(*(account,) * 8, operators=[account], relayer=account, threshold=1)

    def describe(self) -> dict[str, str]:
        named = {
            k: str(getattr(self, k).address) for k in ("issuer", "registrar", "custodian", "transfer_agent")
        }
        named |= {
            k: str(getattr(self, k).address) for k in ("quote_signer", "executor", "guardian", "cash_agent")
        }
        named["operators"] = ",".join(str(o.address) for o in self.operators)
        named["threshold"] = str(self.threshold)
        return named


def deploy_base(d: Deployer, project: Any, roles: RoleBook) -> dict[str, Any]:
    """The per-chain shared contracts: investor registry and sanctions list."""
    issuer = roles.issuer
    registry = d.contract("InvestorRegistry", project.InvestorRegistry, issuer)
    sanctions = d.contract("SanctionsList", project.SanctionsList, issuer)
    d.step("grant REGISTRAR_ROLE", lambda: registry.grantRole(REGISTRAR_ROLE, roles.registrar, sender=issuer))
    d.step(
        "grant COMPLIANCE_ROLE", lambda: sanctions.grantRole(COMPLIANCE_ROLE, roles.registrar, sender=issuer)
    )
    return {"registry": registry, "sanctions": sanctions}


def deploy_feed(
    d: Deployer, project: Any, roles: RoleBook, name: str, decimals: int, description: str
) -> Any:
    """An attested feed whose reporter is the custodian (reserves) or the quote signer (prices)."""
    feed = d.contract(name, project.AttestedFeed, roles.issuer, decimals, description)
    reporter = roles.custodian if "Reserve" in name else roles.quote_signer
    d.step(
        f"grant REPORTER_ROLE on {name}", lambda: feed.grantRole(REPORTER_ROLE, reporter, sender=roles.issuer)
    )
    return feed


def listing_names(listing: Listing) -> dict[str, str]:
    """Manifest names of the contracts that belong to one listing."""
    return {
        "token": f"{listing.key}",
        "reserve": f"{listing.key}.ReserveFeed",
        "price": f"{listing.key}.PriceFeed",
    }


def deploy_suite(
    d: Deployer, project: Any, roles: RoleBook, listings: list[Listing], home_chain_id: int, local: bool
) -> dict[str, Any]:
    """Everything on one chain: base contracts, then each listing in its architecture."""
    deployed = deploy_base(d, project, roles)
    for listing in listings:
        names = listing_names(listing)
        if listing.option("initial_reserves") is not None or listing.architecture == 0:
            deployed[names["reserve"]] = deploy_feed(
                d, project, roles, names["reserve"], 18, f"{listing.ticker} reserves"
            )
    return deployed
