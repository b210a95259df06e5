"""Fixtures of the settlement suite: the three asset types, cash, the settlement contracts, and
factories for trades and signatures.

Alice sells, Bob buys; both are verified investors. Carol is not onboarded, so a registry share
refuses her. Every settlement contract that holds tokens is itself onboarded as the settlement
escrow, as a registrar would in production.

Deployments (registry and investors, cash, assets, DvP, hybrid DvP, adapter; the three settlement
contracts behind their UUPS proxies, as `ape run deploy` makes them) are module-scoped: they
run once per module and ape reverts each test to the state after them. Trade and signature
factories stay function-scoped, so each test numbers its trades from 1 as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import ape
import pytest
from ape import chain
from settlement_terms import BUYER_CASH, CASH_AMOUNT, HOUR, HYBRID_CASH_AMOUNT, QUANTITY, SELLER_HOLDING

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.identity import asset_id, dti_bytes
from tokenized_stocks.protocol.roles import CASH_AGENT_ROLE, TRANSFER_AGENT_ROLE, Architecture
from tokenized_stocks.protocol.trade import (
    HybridTrade,
    PaymentConfirmation,
    Trade,
    currency,
    hybrid_trade_key,
    reference,
    sign_payment_confirmation,
    sign_trade,
)
from tokenized_stocks.reconcile.read import epoch_of

ISINS = {
    Architecture.TRACKER_CERTIFICATE: "US0378331005",
    Architecture.MINT_ON_ORDER: "US5949181045",
    Architecture.REGISTRY_SHARE: "US88160R1014",
}
DTI = "4H95J0R2X"
ASSET_KINDS = ["certificate", "order", "registry"]
KIND_ARCHITECTURE = {
    "certificate": Architecture.TRACKER_CERTIFICATE,
    "order": Architecture.MINT_ON_ORDER,
    "registry": Architecture.REGISTRY_SHARE,
}


def identity(architecture: Architecture) -> tuple[Any, ...]:
    """`AssetIdentity.IdentityParams` of a test asset of the given architecture."""
    isin = ISINS[architecture]
    return (
        asset_id(isin),
        isin,
        "TST",
        int(architecture),
        chain.chain_id,
        "ipfs://terms",
        b"\x01" * 32,
        dti_bytes(DTI),
    )


# ---------------------------------------------------------------------------------------------
# Parties and assets
# ---------------------------------------------------------------------------------------------


@ape.fixture(scope="session", chain_isolation=False)
def seller(investor_alice):
    return investor_alice


@ape.fixture(scope="session", chain_isolation=False)
def buyer(investor_bob):
    return investor_bob


@ape.fixture(scope="session", chain_isolation=False)
def unverified_buyer(investor_carol):
    """Not onboarded: a registry share refuses her."""
    return investor_carol


@pytest.fixture(scope="module")
def investors(registry, onboard, seller, buyer):
    onboard(registry, "alice", seller)
    onboard(registry, "bob", buyer)
    return registry


@pytest.fixture(scope="module")
def cash(project, issuer, buyer, unverified_buyer):
    token = issuer.deploy(project.SettleCashMock)
    token.mint(buyer, BUYER_CASH, sender=issuer)
    token.mint(unverified_buyer, BUYER_CASH, sender=issuer)
    return token


@pytest.fixture(scope="module")
def deploy_asset(project, issuer, investors, seller):
    """Factory: an asset of the given kind, `SELLER_HOLDING` minted to the seller."""

    def deploy(kind: str):
        architecture = KIND_ARCHITECTURE[kind]
        if kind == "registry":
            token = issuer.deploy(project.SettleRestrictedMock, investors, identity(architecture))
        else:
            token = issuer.deploy(
                project.SettleSecurityMock, f"{kind} token", kind.upper(), identity(architecture)
            )
        token.mint(seller, SELLER_HOLDING, sender=issuer)
        return token

    return deploy


@pytest.fixture(scope="module")
def assets_by_kind(deploy_asset):
    """One asset of each architecture, deployed once per module."""
    return {kind: deploy_asset(kind) for kind in ASSET_KINDS}


@pytest.fixture(params=ASSET_KINDS)
def asset(request, assets_by_kind):
    """One asset of each of the three architectures, in turn."""
    return assets_by_kind[request.param]


@pytest.fixture(scope="module")
def registry_share(deploy_asset):
    return deploy_asset("registry")


@pytest.fixture(scope="module")
def certificate(deploy_asset):
    return deploy_asset("certificate")


# ---------------------------------------------------------------------------------------------
# Atomic DvP
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dvp(project, issuer):
    """The DvP behind its proxy (UUPS): the proxy is the EIP-712 verifying contract."""
    return deploy_behind_proxy(project, issuer, project.DvP, issuer)


@pytest.fixture
def make_trade(dvp, seller, buyer, cash) -> Callable[..., Trade]:
    """Factory: a trade of `QUANTITY` of `asset` for `CASH_AMOUNT`, due in one hour; any field can
    be overridden."""

    counter = iter(range(1, 1_000_000))

    def make(asset, **overrides: Any) -> Trade:
        trade = Trade(
            tradeId=reference(f"trade-{next(counter)}"),
            seller=str(seller.address),
            buyer=str(buyer.address),
            asset=str(asset.address),
            quantity=QUANTITY,
            cashToken=str(cash.address),
            cashAmount=CASH_AMOUNT,
            deadline=chain.pending_timestamp + HOUR,
            corporateActionEpoch=epoch_of(asset),
        )
        return replace(trade, **overrides)

    return make


@pytest.fixture
def sign(dvp) -> Callable[..., bytes]:
    """Factory: `account`'s EIP-712 signature of `trade` for `dvp` (or another DvP)."""

    def sign_(account, trade: Trade, verifying: Any = None, chain_id: int | None = None) -> bytes:
        target = str((verifying or dvp).address)
        return sign_trade(account.private_key, trade, chain_id or chain.chain_id, target)

    return sign_


@pytest.fixture
def approve_legs(dvp, cash):
    """Factory: the seller approves the asset and the buyer the cash to `dvp`."""

    def approve(trade: Trade, asset, seller, buyer) -> None:
        asset.approve(dvp, trade.quantity, sender=seller)
        cash.approve(dvp, trade.cashAmount, sender=buyer)

    return approve


# ---------------------------------------------------------------------------------------------
# Hybrid DvP
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hybrid(project, issuer, cash_agent, investors, onboard):
    contract = deploy_behind_proxy(project, issuer, project.HybridDvP, issuer)
    contract.grantRole(CASH_AGENT_ROLE, cash_agent, sender=issuer)
    onboard(investors, "hybrid-escrow", contract)
    return contract


@pytest.fixture
def make_hybrid_trade(seller, buyer) -> Callable[..., HybridTrade]:
    counter = iter(range(1, 1_000_000))

    def make(asset, **overrides: Any) -> HybridTrade:
        trade = HybridTrade(
            tradeId=reference(f"hybrid-{next(counter)}"),
            seller=str(seller.address),
            buyer=str(buyer.address),
            asset=str(asset.address),
            quantity=QUANTITY,
            currency=currency("USD"),
            cashAmount=HYBRID_CASH_AMOUNT,
            deadline=chain.pending_timestamp + HOUR,
            corporateActionEpoch=epoch_of(asset),
        )
        return replace(trade, **overrides)

    return make


@pytest.fixture
def escrowed(hybrid, make_hybrid_trade, seller) -> Callable[..., HybridTrade]:
    """Factory: a hybrid trade whose securities the seller has escrowed."""

    def open_(asset, **overrides: Any) -> HybridTrade:
        trade = make_hybrid_trade(asset, **overrides)
        asset.approve(hybrid, trade.quantity, sender=seller)
        hybrid.escrow(trade.as_tuple(), sender=seller)
        return trade

    return open_


@pytest.fixture
def confirm(hybrid, cash_agent) -> Callable[..., tuple[tuple, bytes]]:
    """Factory: a payment confirmation of `trade` signed by the cash agent (or `signer`), as
    (struct tuple, signature); any field can be overridden."""

    counter = iter(range(1, 1_000_000))

    def confirm_(trade: HybridTrade, signer: Any = None, **overrides: Any) -> tuple[tuple, bytes]:
        confirmation = PaymentConfirmation(
            tradeKey=hybrid_trade_key(trade, chain.chain_id, str(hybrid.address)),
            amount=trade.cashAmount,
            currency=trade.currency,
            paymentReference=reference(f"SWIFT-{next(counter)}"),
            deadline=chain.pending_timestamp + HOUR,
        )
        confirmation = replace(confirmation, **overrides)
        key = (signer or cash_agent).private_key
        signature = sign_payment_confirmation(key, confirmation, chain.chain_id, str(hybrid.address))
        return confirmation.as_tuple(), signature

    return confirm_


# ---------------------------------------------------------------------------------------------
# Traditional ledger adapter
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def adapter(project, issuer, transfer_agent, investors, onboard):
    contract = deploy_behind_proxy(project, issuer, project.TraditionalLedgerAdapter, issuer)
    contract.grantRole(TRANSFER_AGENT_ROLE, transfer_agent, sender=issuer)
    onboard(investors, "ledger-adapter", contract)
    return contract


@pytest.fixture
def listed(adapter, issuer):
    """Factory: lists `asset` on the adapter and returns it."""

    def list_(asset):
        adapter.setAssetListed(asset, True, sender=issuer)
        return asset

    return list_
