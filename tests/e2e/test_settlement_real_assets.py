"""Settlement with the real assets, deployed as `ape run deploy` deploys them: the registry share's
compliance applies to the buyer at settlement, and the escrows the deploy onboards can hold shares."""

from __future__ import annotations

from pathlib import Path

import pytest
from revert_data import reverts

from tokenized_stocks.deploy.deployer import Deployer
from tokenized_stocks.deploy.listings import load_listings
from tokenized_stocks.deploy.manifest import Manifest
from tokenized_stocks.deploy.suite import RoleBook, deploy_suite
from tokenized_stocks.protocol.roles import Country
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

ROOT = Path(__file__).resolve().parents[2]
E18, USD = 10**18, 10**6


@pytest.fixture
def suite(
    project, chain, accounts, onboard, investor_alice, investor_bob, investor_carol, transfer_agent, issuer
):
    manifest = Manifest(chain_id=chain.chain_id, network="test", deployer=str(issuer.address))
    deployer = Deployer(manifest=manifest, account=issuer, save=lambda m: None, log=lambda s: None)
    listings = load_listings(ROOT / "deployments" / "listings.yaml")
    c = deploy_suite(deployer, project, RoleBook.local(accounts), listings, chain.chain_id, local=True)
    onboard(c["registry"], "alice", investor_alice, country=Country.US)
    onboard(c["registry"], "bob", investor_bob, country=Country.GB)
    c["share"] = c["TSLArs"]
    c["share"].issue(investor_alice, 100 * E18, "allocation", sender=transfer_agent)
    c["cash"].mint(investor_bob, 10_000 * USD, sender=issuer)
    c["cash"].mint(investor_carol, 10_000 * USD, sender=issuer)
    return c


def dvp_trade(c, chain, seller, buyer, trade_id: str) -> Trade:
    return Trade(
        reference(trade_id),
        str(seller.address),
        str(buyer.address),
        str(c["share"].address),
        10 * E18,
        str(c["cash"].address),
        2_000 * USD,
        chain.pending_timestamp + 3600,
    )


def settle(c, chain, trade: Trade, seller, buyer, relayer):
    c["share"].approve(c["dvp"], trade.quantity, sender=seller)
    c["cash"].approve(c["dvp"], trade.cashAmount, sender=buyer)
    dvp = c["dvp"]
    return dvp.settle(
        trade.as_tuple(),
        sign_trade(seller.private_key, trade, chain.chain_id, str(dvp.address)),
        sign_trade(buyer.private_key, trade, chain.chain_id, str(dvp.address)),
        sender=relayer,
    )


def test_dvp_of_a_registry_share_to_an_unverified_buyer_is_refused_and_nothing_moves(
    suite, chain, investor_alice, investor_carol, relayer
):
    trade = dvp_trade(suite, chain, investor_alice, investor_carol, "REAL-1")
    share, cash = suite["share"], suite["cash"]
    before = (
        share.balanceOf(investor_alice),
        share.balanceOf(investor_carol),
        cash.balanceOf(investor_carol),
    )
    with reverts(share.ShareTransferRestricted):
        settle(suite, chain, trade, investor_alice, investor_carol, relayer)
    assert (
        share.balanceOf(investor_alice),
        share.balanceOf(investor_carol),
        cash.balanceOf(investor_carol),
    ) == before


def test_dvp_of_a_registry_share_settles_once_the_buyer_is_onboarded(
    suite, chain, onboard, investor_alice, investor_carol, relayer
):
    onboard(suite["registry"], "carol", investor_carol, country=Country.DE)
    trade = dvp_trade(suite, chain, investor_alice, investor_carol, "REAL-2")
    share, cash = suite["share"], suite["cash"]
    alice_cash = cash.balanceOf(investor_alice)
    settle(suite, chain, trade, investor_alice, investor_carol, relayer)
    assert share.balanceOf(investor_carol) == 10 * E18
    assert share.balanceOf(investor_alice) == 90 * E18
    assert cash.balanceOf(investor_alice) == alice_cash + 2_000 * USD
    assert share.holderCount() == 2


def test_hybrid_dvp_escrows_a_registry_share_because_deploy_onboarded_it(
    suite, chain, investor_alice, investor_bob, cash_agent
):
    hybrid, share = suite["hybrid"], suite["share"]
    deal = HybridTrade(
        reference("REAL-3"),
        str(investor_alice.address),
        str(investor_bob.address),
        str(share.address),
        5 * E18,
        currency("USD"),
        1_000 * USD,
        chain.pending_timestamp + 3600,
    )
    share.approve(hybrid, deal.quantity, sender=investor_alice)
    hybrid.escrow(deal.as_tuple(), sender=investor_alice)
    assert share.balanceOf(hybrid) == 5 * E18
    confirmation = PaymentConfirmation(
        hybrid_trade_key(deal, chain.chain_id, str(hybrid.address)),
        deal.cashAmount,
        deal.currency,
        reference("WIRE-REAL-3"),
        chain.pending_timestamp + 3600,
    )
    signature = sign_payment_confirmation(
        cash_agent.private_key, confirmation, chain.chain_id, str(hybrid.address)
    )
    hybrid.release(deal.as_tuple(), confirmation.as_tuple(), signature, sender=investor_bob)
    assert share.balanceOf(investor_bob) == 5 * E18
    assert share.balanceOf(hybrid) == 0
