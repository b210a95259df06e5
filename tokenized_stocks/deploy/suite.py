"""Deploys and wires the whole suite on one chain, through a resumable `Deployer`.

Used by `ape run deploy`, `ape run demo` and the end-to-end tests, so all three deploy the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from tokenized_stocks.deploy.deployer import Deployer
from tokenized_stocks.deploy.listings import Listing
from tokenized_stocks.deploy.manifest import ArchitectureName, AssetRecord, Manifest
from tokenized_stocks.deploy.plan import Planned
from tokenized_stocks.deploy.proxy import PROXY_CONTRACT
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.protocol.identity import dti_bytes
from tokenized_stocks.protocol.message import ZERO_ADDRESS
from tokenized_stocks.protocol.roles import (
    CASH_AGENT_ROLE,
    COMPLIANCE_ROLE,
    CUSTODIAN_ROLE,
    EXECUTOR_ROLE,
    MINTER_ROLE,
    PAUSER_ROLE,
    REGISTRAR_ROLE,
    REPORTER_ROLE,
    SNAPSHOT_ROLE,
    TRANSFER_AGENT_ROLE,
    TREASURY_ROLE,
    Country,
    InvestorClass,
)


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
    # Upgradeable (UUPS): each an implementation and its proxy, both CREATE2 (the proxy is the contract).
    proxy = getattr(project, PROXY_CONTRACT)
    registry = d.proxy("InvestorRegistry", project.InvestorRegistry, proxy, issuer)
    sanctions = d.proxy("SanctionsList", project.SanctionsList, proxy, issuer)
    grant(d, "grant REGISTRAR_ROLE", registry, REGISTRAR_ROLE, roles.registrar, issuer)
    grant(d, "grant COMPLIANCE_ROLE", sanctions, COMPLIANCE_ROLE, roles.registrar, issuer)
    return {"registry": registry, "sanctions": sanctions}


def deploy_feed(
    d: Deployer, project: Any, roles: RoleBook, name: str, decimals: int, description: str
) -> Any:
    """An attested feed whose reporter is the custodian (reserves) or the quote signer (prices)."""
    feed = d.contract(name, project.AttestedFeed, roles.issuer, decimals, description)
    reporter = roles.custodian if "Reserve" in name else roles.quote_signer
    grant(d, f"grant REPORTER_ROLE on {name}", feed, REPORTER_ROLE, reporter, roles.issuer)
    return feed


def listing_names(listing: Listing) -> dict[str, str]:
    """Manifest names of the contracts that belong to one listing."""
    return {
        "token": f"{listing.key}",
        "reserve": f"{listing.key}.ReserveFeed",
        "price": f"{listing.key}.PriceFeed",
    }


PRICE_DECIMALS = 8
#: Decimals of contracts/test/MockStablecoin.sol (the cash of a local deployment).
MOCK_CASH_DECIMALS = 6


def identity(listing: Listing, home_chain_id: int) -> tuple[Any, ...]:
    """`IAssetIdentity.IdentityParams` of a listing."""
    return (
        listing.asset_id,
        listing.isin,
        listing.ticker,
        int(listing.architecture),
        home_chain_id,
        listing.terms_uri,
        listing.terms_hash,
        dti_bytes(listing.dti_code),
    )


def grant(d: Deployer, name: str, contract: Any, role_id: bytes, account: Any, admin: Any) -> None:
    """Step `name`: `admin` grants `role_id` to `account` on `contract`. Idempotent: checked with
    `hasRole` before it is sent (a grant made by hand, or mined but not recorded, is not re-sent)."""
    d.step(
        name,
        lambda: contract.grantRole(role_id, account, sender=admin),
        done=lambda: bool(contract.hasRole(role_id, account)),
    )


def deploy_certificate(
    d: Deployer, project: Any, roles: RoleBook, listing: Listing, base: dict[str, Any], home: int
) -> Any:
    issuer = roles.issuer
    reserve = deploy_feed(
        d, project, roles, f"{listing.key}.ReserveFeed", 0, f"{listing.ticker} shares in custody"
    )
    heartbeat = int(listing.option("reserve_heartbeat", 86_400))
    config = (listing.name, listing.key, issuer, base["sanctions"], reserve, heartbeat)
    token = d.proxy(
        listing.key,
        project.TrackerCertificate,
        getattr(project, PROXY_CONTRACT),
        identity(listing, home),
        config,
    )
    for label, role_id, account in (
        ("MINTER_ROLE", MINTER_ROLE, issuer),
        ("TRANSFER_AGENT_ROLE", TRANSFER_AGENT_ROLE, roles.transfer_agent),
        ("PAUSER_ROLE", PAUSER_ROLE, roles.guardian),
        ("CUSTODIAN_ROLE", CUSTODIAN_ROLE, roles.custodian),
    ):
        grant(d, f"{listing.key}: grant {label}", token, role_id, account, issuer)
    sanctions = base["sanctions"]
    d.admin_step(  # the list pushes every listing to the certificate's cached sanctions flags
        f"{listing.key}: subscribe to SanctionsList", "SanctionsList", sanctions, "addSubscriber", token,
        done=lambda: bool(sanctions.isSubscriber(token)),
    )  # fmt: skip
    # Upgradeable (UUPS): an implementation and its proxy, both CREATE2 (the proxy is the vault).
    vault = d.proxy(
        f"{listing.key}.Vault",
        project.CertificateVault,
        getattr(project, PROXY_CONTRACT),
        token,
        f"Wrapped {listing.name}",
        f"w{listing.key}",
        issuer,
    )
    return token, {"reserve": str(reserve.address), "vault": str(vault.address)}


def deploy_order_token(
    d: Deployer, project: Any, roles: RoleBook, listing: Listing, base: dict[str, Any], home: int
) -> Any:
    issuer = roles.issuer
    desk = base["desk"]
    price = deploy_feed(
        d, project, roles, f"{listing.key}.PriceFeed", PRICE_DECIMALS, f"{listing.ticker} / USD"
    )
    # Upgradeable (UUPS): the implementation and its proxy, both CREATE2 (the proxy is the token).
    token = d.proxy(
        listing.key,
        project.OrderToken,
        getattr(project, PROXY_CONTRACT),
        issuer,
        listing.name,
        listing.key,
        identity(listing, home),
        desk,
        base["registry"],
        base["sanctions"],
    )
    grant(d, f"{listing.key}: grant PAUSER_ROLE", token, PAUSER_ROLE, roles.guardian, issuer)
    grant(d, f"{listing.key}: grant COMPLIANCE_ROLE", token, COMPLIANCE_ROLE, roles.registrar, issuer)
    deviation = int(listing.option("max_deviation_bps", 200))
    staleness = int(listing.option("max_price_staleness", 3_600))
    d.admin_step(
        f"{listing.key}: list on the order desk", "OrderDesk", desk, "listAsset",
        token, price, deviation, staleness, 0, 0, 0,
        done=lambda: str(desk.assetConfig(listing.asset_id).token) == str(token.address),
    )  # fmt: skip
    vault = deploy_order_vault(d, project, roles, listing, base, token)
    return token, {"price": str(price.address), "vault": str(vault.address)}


def deploy_order_vault(
    d: Deployer, project: Any, roles: RoleBook, listing: Listing, base: dict[str, Any], token: Any
) -> Any:
    """The ERC-7540 vault of the order token in the desk's cash (asynchronous orders), registered on
    the desk (ERC-7575 `vault(cash)`), with the desk's roles and its global limit on fills. Its cash
    argument is zero, "the desk's cash" (read by its initializer), so its proxy's init code, hence
    its address, is the same on every chain."""
    issuer, cash = roles.issuer, base["cash"]
    vault = d.proxy(
        f"{listing.key}.Vault",
        project.OrderVault,
        getattr(project, PROXY_CONTRACT),
        issuer,
        ZERO_ADDRESS,
        token,
    )
    for label, role_id, account in (
        ("EXECUTOR_ROLE", EXECUTOR_ROLE, roles.executor),
        ("TREASURY_ROLE", TREASURY_ROLE, issuer),
        ("PAUSER_ROLE", PAUSER_ROLE, roles.guardian),
    ):
        d.step(
            f"{listing.key}.Vault: grant {label}",
            lambda r=role_id, a=account: vault.grantRole(r, a, sender=issuer),
        )
    unit = 10 ** int(cash.decimals()) if not d.dry_run else 10**6
    capacity, refill = DESK_LIMITS["global_capacity"] * unit, DESK_LIMITS["global_refill"] * unit
    d.step(f"{listing.key}.Vault: rate limit", lambda: vault.setRateLimit(capacity, refill, sender=issuer))
    d.admin_step(
        f"{listing.key}: register the vault on the order desk", "OrderDesk", base["desk"], "setVault",
        listing.asset_id, cash, vault,
    )  # fmt: skip
    return vault


def deploy_registry_share(
    d: Deployer, project: Any, roles: RoleBook, listing: Listing, base: dict[str, Any], home: int
) -> Any:
    issuer = roles.issuer
    share = d.proxy(
        listing.key,
        project.RegistryShare,
        getattr(project, PROXY_CONTRACT),
        issuer,
        base["registry"],
        listing.name,
        listing.key,
        identity(listing, home),
    )
    for label, role_id, account in (
        ("TRANSFER_AGENT_ROLE", TRANSFER_AGENT_ROLE, roles.transfer_agent),
        ("PAUSER_ROLE", PAUSER_ROLE, roles.guardian),
    ):
        grant(d, f"{listing.key}: grant {label}", share, role_id, account, issuer)
    countries = [int(c) for c in listing.option("allowed_countries", [])]
    if countries:
        d.step(f"{listing.key}: restrict countries", lambda: share.setCountryRestriction(True, sender=issuer))
        for country in countries:
            d.step(
                f"{listing.key}: allow country {country}",
                lambda c=country: share.setCountryAllowed(c, True, sender=issuer),
            )
    if listing.option("max_holders"):
        cap = int(listing.option("max_holders"))
        d.step(f"{listing.key}: max holders {cap}", lambda: share.setMaxHolders(cap, sender=issuer))
    # Upgradeable (UUPS): each an implementation and its proxy, both CREATE2 (the proxy is the contract).
    proxy = getattr(project, PROXY_CONTRACT)
    dividends = d.proxy(f"{listing.key}.Dividends", project.DividendDistributor, proxy, issuer, share)
    ballots = d.proxy(f"{listing.key}.Ballots", project.BallotBox, proxy, issuer, share)
    for contract, name in ((dividends, "Dividends"), (ballots, "Ballots")):
        grant(
            d, f"{listing.key}.{name}: grant TRANSFER_AGENT_ROLE", contract, TRANSFER_AGENT_ROLE,
            roles.transfer_agent, issuer,
        )  # fmt: skip
        grant(d, f"{listing.key}: grant SNAPSHOT_ROLE to {name}", share, SNAPSHOT_ROLE, contract, issuer)
    return share, {"dividends": str(dividends.address), "ballots": str(ballots.address)}


def feed_answer(listing: Listing, option: str, decimals: int) -> int | None:
    """A listing's `initial_reserves` / `reference_price` in the feed's fixed-point units (exact
    decimal arithmetic: `180.25` with 8 decimals is 18_025_000_000), or None when not given."""
    value = listing.option(option)
    if value is None:
        return None
    try:
        scaled = Decimal(str(value)) * 10**decimals
    except InvalidOperation as err:
        raise UserError(f"{listing.key}: {option} {value!r} is not a number") from err
    if scaled < 0 or scaled != scaled.to_integral_value():
        raise UserError(f"{listing.key}: {option} {value!r} must be >= 0 with at most {decimals} decimals")
    return int(scaled)


def seed_feeds(
    d: Deployer,
    project: Any,
    roles: RoleBook,
    listing: Listing,
    extra: dict[str, str],
    local: bool,
    home: bool,
) -> list[str]:
    """Publishes a listing's `initial_reserves` (home chain only: reserves back the home supply) and
    `reference_price` as the first round of its feeds, through the feeds' own `report` and the
    reporter's role, so a freshly deployed local suite mints and trades at once.

    On a live network nothing is invented: a notice says what the custodian or the quote signer
    must publish. The step is recorded once; a feed whose round later went stale is refreshed by
    its reporter, not by re-deploying. Returns the notices (one line each).
    """
    notices: list[str] = []
    wanted = []
    if "reserve" in extra and home:
        wanted.append(("reserve", "initial_reserves", 0, roles.custodian, "custodian"))
    if "price" in extra:
        wanted.append(("price", "reference_price", PRICE_DECIMALS, roles.quote_signer, "quote signer"))
    for kind, option, decimals, reporter, who in wanted:
        answer = feed_answer(listing, option, decimals)
        address = extra[kind]
        if answer is None:
            notices.append(
                f"{listing.key}: {kind} feed {address} has no answer yet: the {who} must call report()"
            )
            continue
        if not local:
            notices.append(
                f"{listing.key}: the {who} {reporter.address} must report the {kind} "
                f"(e.g. {answer}, {decimals} decimals) on {address} before it is used"
            )
            continue
        feed = d.at(
            f"{listing.key}.{'ReserveFeed' if kind == 'reserve' else 'PriceFeed'}",
            project.AttestedFeed,
            address,
        )
        d.step(
            f"{listing.key}: report {option} {listing.option(option)}",
            lambda f=feed, n=answer, r=reporter: f.report(n, sender=r),
        )
    return notices


ARCHITECTURE_DEPLOYERS = {0: deploy_certificate, 1: deploy_order_token, 2: deploy_registry_share}


# Cash value (in whole cash-token units) an order desk executes: at most `capacity` at once,
# regained at `refill` per second. Buys and sells count together.
DESK_LIMITS = {
    "global_capacity": 5_000_000,
    "global_refill": 100,
    "investor_capacity": 250_000,
    "investor_refill": 5,
}


# Units of one asset the gateway moves in each direction: at most `capacity` at once, regained at
# `refill` per second (a gateway limit of 0 would mean "no limit", so every asset gets one).
GATEWAY_LIMITS = {"capacity": 1_000_000, "refill": 100}


def deploy_desk(
    d: Deployer, project: Any, roles: RoleBook, base: dict[str, Any], cash_token: str | None
) -> Any:
    """The order desk and its cash: the desk is deployed without it (its address is the same on every
    chain) and its admin sets it once (`initializeCash`), the chain's `cash_token` or, on a local
    chain, a mock stablecoin (`Cash`)."""
    issuer = roles.issuer
    cash = project.MockStablecoin.at(cash_token) if cash_token else d.contract("Cash", project.MockStablecoin)
    # Upgradeable (UUPS): the implementation and its proxy, both CREATE2 (the proxy is the desk).
    desk = d.proxy("OrderDesk", project.OrderDesk, getattr(project, PROXY_CONTRACT), issuer, base["registry"])
    d.step(
        "OrderDesk: set cash",
        lambda: desk.initializeCash(cash, sender=issuer),
        done=lambda: str(desk.cash()).lower() == str(cash.address).lower(),
    )
    d.step("OrderDesk: add quote signer", lambda: desk.addSigner(roles.quote_signer, sender=issuer))
    decimals = 10 ** (MOCK_CASH_DECIMALS if isinstance(cash, Planned) else int(cash.decimals()))
    limits = DESK_LIMITS
    d.step(
        "OrderDesk: global rate limit",
        lambda: desk.setGlobalRateLimit(
            limits["global_capacity"] * decimals, limits["global_refill"] * decimals, sender=issuer
        ),
    )
    d.step(
        "OrderDesk: per-investor rate limit",
        lambda: desk.setInvestorRateLimit(
            limits["investor_capacity"] * decimals, limits["investor_refill"] * decimals, sender=issuer
        ),
    )
    for label, role_id, account in (
        ("EXECUTOR_ROLE", EXECUTOR_ROLE, roles.executor),
        ("TREASURY_ROLE", TREASURY_ROLE, issuer),
        ("PAUSER_ROLE", PAUSER_ROLE, roles.guardian),
    ):
        grant(d, f"OrderDesk: grant {label}", desk, role_id, account, issuer)
    return cash, desk


def deploy_gateway(d: Deployer, project: Any, roles: RoleBook) -> Any:
    issuer = roles.issuer
    operators = [op.address for op in roles.operators]
    # Upgradeable (UUPS): the implementation and its proxy, both CREATE2 (the proxy is the Gateway).
    gateway = d.proxy(
        "Gateway", project.Gateway, getattr(project, PROXY_CONTRACT), issuer, operators, roles.threshold
    )
    grant(d, "Gateway: grant PAUSER_ROLE", gateway, PAUSER_ROLE, roles.guardian, issuer)
    return gateway


def deploy_settlement(d: Deployer, project: Any, roles: RoleBook, registry: Any) -> dict[str, Any]:
    issuer = roles.issuer
    # Upgradeable (UUPS): each an implementation and its proxy, both CREATE2 (the proxy is the
    # contract; it is also the EIP-712 verifying contract of the DvPs' signatures).
    proxy = getattr(project, PROXY_CONTRACT)
    dvp = d.proxy("DvP", project.DvP, proxy, issuer)
    hybrid = d.proxy("HybridDvP", project.HybridDvP, proxy, issuer)
    adapter = d.proxy("TraditionalLedgerAdapter", project.TraditionalLedgerAdapter, proxy, issuer)
    grant(d, "HybridDvP: grant CASH_AGENT_ROLE", hybrid, CASH_AGENT_ROLE, roles.cash_agent, issuer)
    grant(
        d, "TraditionalLedgerAdapter: grant TRANSFER_AGENT_ROLE", adapter, TRANSFER_AGENT_ROLE,
        roles.transfer_agent, issuer,
    )  # fmt: skip
    # The hybrid DvP escrows and the ledger adapter locks tokens: to hold registry shares they must
    # be verified wallets. Each is onboarded as an institutional escrow investor (it is counted as a
    # holder while it holds shares); its KYC is renewed like any other investor's.
    for name, contract in (("HybridDvP", hybrid), ("TraditionalLedgerAdapter", adapter)):
        onboard_escrow(d, registry, roles, name, contract)
    return {"dvp": dvp, "hybrid": hybrid, "adapter": adapter}


ESCROW_KYC_VALIDITY = 5 * 365 * 24 * 3600


def escrow_investor_id(name: str) -> bytes:
    return f"escrow:{name}".encode()[:32].ljust(32, b"\x00")


def onboard_escrow(d: Deployer, registry: Any, roles: RoleBook, name: str, contract: Any) -> None:
    """Two steps of one transaction each, each checked against the registry: register the escrow
    investor, then bind the contract as its wallet. (Both were one step, `<name>: onboard as escrow
    investor`, until it wedged a deployment interrupted between its two transactions: a manifest
    that recorded that step skips both.)"""
    from ape import chain

    investor_id = escrow_investor_id(name)
    old = (f"{name}: onboard as escrow investor",)
    d.step(
        f"{name}: register escrow investor",
        lambda: registry.registerInvestor(
            investor_id,
            Country.US,
            InvestorClass.INSTITUTIONAL,
            chain.pending_timestamp + ESCROW_KYC_VALIDITY,
            sender=roles.registrar,
        ),
        done=lambda: bool(registry.isRegistered(investor_id)),
        was=old,
    )
    d.step(
        f"{name}: add escrow wallet",
        lambda: registry.addWallet(investor_id, contract, sender=roles.registrar),
        done=lambda: bytes(registry.investorOf(contract)) == investor_id,
        was=old,
    )


def deploy_suite(
    d: Deployer,
    project: Any,
    roles: RoleBook,
    listings: list[Listing],
    home_chain_id: int,
    local: bool,
    cash_token: str | None = None,
) -> dict[str, Any]:
    """Everything on one chain: registry, sanctions, desk, gateway, settlement, then each listing.

    Returns the contracts by name, and under "notices" what a person must still do (live networks:
    the feeds' first answers)."""
    deployed = deploy_base(d, project, roles)
    notices: list[str] = []
    deployed["cash"], deployed["desk"] = deploy_desk(d, project, roles, deployed, cash_token)
    deployed["gateway"] = deploy_gateway(d, project, roles)
    deployed.update(deploy_settlement(d, project, roles, deployed["registry"]))
    issuer = roles.issuer
    gateway = deployed["gateway"]
    adapter = deployed["adapter"]
    for listing in listings:
        token, extra = ARCHITECTURE_DEPLOYERS[int(listing.architecture)](
            d, project, roles, listing, deployed, home_chain_id
        )
        deployed[listing.key] = token
        notices += seed_feeds(d, project, roles, listing, extra, local, home_chain_id == _chain_id(d))
        d.admin_step(
            f"{listing.key}: register on the gateway", "Gateway", gateway, "registerAsset",
            listing.asset_id, listing.isin, token, done=registered(gateway, listing.asset_id, token),
        )  # fmt: skip
        d.step(f"{listing.key}: set gateway", lambda t=token: t.setGateway(gateway, sender=issuer))
        capacity = int(listing.option("bridge_capacity", GATEWAY_LIMITS["capacity"])) * 10**18
        refill = int(listing.option("bridge_refill_per_second", GATEWAY_LIMITS["refill"])) * 10**18
        for inbound in (False, True):
            d.admin_step(
                f"{listing.key}: gateway {'inbound' if inbound else 'outbound'} rate limit", "Gateway",
                gateway, "setRateLimit", listing.asset_id, inbound, capacity, refill,
                done=limit_set(gateway, listing.asset_id, inbound, capacity, refill),
            )  # fmt: skip
        d.admin_step(
            f"{listing.key}: list on the ledger adapter", "TraditionalLedgerAdapter", adapter,
            "setAssetListed", token, True, done=listed(adapter, token),
        )  # fmt: skip
        if listing.key not in d.manifest.assets and not d.dry_run:
            d.manifest.assets[listing.key] = AssetRecord(
                key=listing.key,
                asset_id="0x" + listing.asset_id.hex(),
                isin=listing.isin,
                ticker=listing.ticker,
                architecture=cast(ArchitectureName, listing.architecture.name.lower()),
                token=str(token.address),
                home_chain_id=home_chain_id,
                extra=extra,
            )
            d.save(d.manifest)
        if d.deferred and not d.dry_run:  # a governed deployment: what the listing awaits
            d.manifest.assets[listing.key].awaiting_timelock = list(d.deferred)
            d.save(d.manifest)
            notices.append(awaiting_notice(d.manifest, listing.key, len(d.deferred)))
        d.deferred.clear()
    deployed["notices"] = notices
    return deployed


def awaiting_notice(manifest: Manifest, key: str, calls: int) -> str:
    """What a person must do for a listing added to a governed deployment: have the Safe schedule
    the calls only the timelock may make, then execute them after the delay."""
    governance = manifest.governance
    safe = governance.safe if governance is not None else "<safe>"
    return (
        f"{key}: {calls} call{'s' if calls != 1 else ''} of its listing need the timelock (the deployer is no "
        f"admin after the hand-over): a Safe owner proposes them with `ape run admin complete-listing "
        f"--asset {key} --safe {safe} --network ...`, then executes them after the delay"
    )


def limit_set(gateway: Any, asset_id: bytes, inbound: bool, capacity: int, refill: int) -> Callable[[], bool]:
    """The check of a gateway rate-limit step: the limit has this capacity and refill."""

    def check() -> bool:
        limit = gateway.rateLimit(asset_id, inbound)
        return (int(limit.capacity), int(limit.ratePerSecond)) == (capacity, refill)

    return check


def listed(adapter: Any, token: Any) -> Callable[[], bool]:
    """The check of a ledger-adapter listing step."""
    return lambda: bool(adapter.isListed(token))


def registered(gateway: Any, asset_id: bytes, token: Any) -> Callable[[], bool]:
    """The check of a "register on the gateway" step: the gateway knows `token` for `asset_id`."""
    return lambda: str(gateway.asset(asset_id)[0]) == str(token.address)


def _chain_id(d: Deployer) -> int:
    return int(d.manifest.chain_id)


def link_peer(d: Deployer, gateway: Any, roles: RoleBook, peer_chain_id: int, peer_gateway: str) -> None:
    """Trusts the gateway of another chain (both directions need this, one per chain). The step is
    named after the peer gateway too, so linking to a redeployed peer is a new step, not a skip."""
    d.step(
        f"Gateway: link chain {peer_chain_id} to {peer_gateway}",
        lambda: gateway.setRemoteGateway(peer_chain_id, peer_gateway, sender=roles.issuer),
        done=lambda: str(gateway.remoteGateway(peer_chain_id)).lower() == peer_gateway.lower(),
    )
