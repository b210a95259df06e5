"""Mint-on-order outside the home chain (finding 13.4): orders mint and burn the token only on its
home chain. Elsewhere the token moves only through the gateway, so the home gateway's count of the
units that left home (`supplyElsewhere`) stays exact.

This chain plays chain B: the token's home chain is chain 1. A desk on B that minted on a buy would
create tokens the home gateway never sent out (the holder's bridge home would use up the count of
units that really left, and genuine holders on B could then never come home); a sell on B would
burn tokens the count still includes (overstated forever)."""

import pytest
from order_desk_helpers import (
    ASSET_ID,
    GLOBAL_CAPACITY,
    GLOBAL_REFILL,
    INVESTOR_CAPACITY,
    INVESTOR_REFILL,
    MAX_DEVIATION_BPS,
    MAX_STALENESS,
    SHARE,
    USD,
)
from revert_data import reverts

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.quote import QuoteService, Side
from tokenized_stocks.protocol.roles import EXECUTOR_ROLE, TREASURY_ROLE

pytestmark = pytest.mark.usefixtures("funded")

HOME_CHAIN = 1


@pytest.fixture
def desk_b(project, issuer, cash, desk_registry, quote_signer, treasury):
    """The order desk of chain B, with the same signer, registry and cash as the home desk."""
    contract = deploy_behind_proxy(project, issuer, project.OrderDesk, issuer, desk_registry)
    contract.initializeCash(cash, sender=issuer)
    contract.grantRole(EXECUTOR_ROLE, issuer, sender=issuer)
    contract.addSigner(quote_signer, sender=issuer)
    contract.setGlobalRateLimit(GLOBAL_CAPACITY, GLOBAL_REFILL, sender=issuer)
    contract.setInvestorRateLimit(INVESTOR_CAPACITY, INVESTOR_REFILL, sender=issuer)
    contract.grantRole(TREASURY_ROLE, treasury, sender=issuer)
    cash.approve(contract, 2**256 - 1, sender=treasury)
    contract.topUpBuffer(10_000 * USD, sender=treasury)
    return contract


@pytest.fixture
def token_b(deploy_token, desk_b, identity, price_feed, issuer, relayer):
    """The stock's token on chain B (home chain 1), listed on B's desk; `relayer` is B's gateway."""
    contract = deploy_token(desk_b, identity[:4] + (HOME_CHAIN,) + identity[5:])
    contract.setGateway(relayer, sender=issuer)
    desk_b.listAsset(contract, price_feed, MAX_DEVIATION_BPS, MAX_STALENESS, 0, 0, 0, sender=issuer)
    return contract


@pytest.fixture
def quotes_b(quote_signer, desk_b, chain):
    return QuoteService(private_key=quote_signer.private_key, desk=desk_b.address, chain_id=chain.chain_id)


def test_buy_on_a_chain_other_than_home_is_refused_and_mints_nothing(
    desk_b, token_b, quotes_b, cash, chain, investor_alice
):
    cash.approve(desk_b, 2**256 - 1, sender=investor_alice)
    signed = quotes_b.quote(
        ASSET_ID, Side.BUY, 10 * SHARE, 190 * USD, b"alice".ljust(32, b"\x00"), now=chain.pending_timestamp
    )
    cash_before = cash.balanceOf(investor_alice)

    with reverts(desk_b.DeskNotHomeChain, assetId=ASSET_ID, homeChainId=HOME_CHAIN, chainId=chain.chain_id):
        desk_b.buy(*signed.args(), 1_900 * USD, sender=investor_alice)

    assert token_b.totalSupply() == 0
    assert cash.balanceOf(investor_alice) == cash_before


def test_sell_on_a_chain_other_than_home_is_refused_and_the_holder_bridges_home(
    desk_b, token_b, quotes_b, cash, chain, relayer, investor_alice
):
    token_b.crosschainMintUnits(investor_alice, 10 * SHARE, sender=relayer)  # arrived from home
    signed = quotes_b.quote(
        ASSET_ID, Side.SELL, 10 * SHARE, 190 * USD, b"alice".ljust(32, b"\x00"), now=chain.pending_timestamp
    )

    with reverts(desk_b.DeskNotHomeChain, assetId=ASSET_ID, homeChainId=HOME_CHAIN, chainId=chain.chain_id):
        desk_b.sell(*signed.args(), 0, sender=investor_alice)

    assert token_b.totalSupply() == 10 * SHARE
    token_b.crosschainBurnUnits(investor_alice, 10 * SHARE, sender=relayer)  # back home
    assert token_b.totalSupply() == 0


def test_listing_records_whether_this_is_the_home_chain(desk, token, desk_b, token_b):
    assert desk.assetConfig(ASSET_ID).homeChain is True
    assert desk_b.assetConfig(ASSET_ID).homeChain is False


@pytest.fixture
def token_b_minted_by_a_stand_in_desk(project, issuer, deploy_token, identity):
    """A token on chain B whose desk is a stand-in that forwards any mint (a compromised or
    misconfigured desk): the token itself must refuse."""
    stand_in = issuer.deploy(project.MockOrderDesk)
    return stand_in, deploy_token(stand_in, identity[:4] + (HOME_CHAIN,) + identity[5:])


def test_the_token_refuses_a_desk_mint_off_its_home_chain(
    token_b_minted_by_a_stand_in_desk, chain, investor_alice
):
    stand_in, token = token_b_minted_by_a_stand_in_desk

    with reverts(token.OrderTokenNotHomeChain, homeChainId=HOME_CHAIN, chainId=chain.chain_id):
        stand_in.mint(token, investor_alice, SHARE, sender=investor_alice)

    assert token.totalSupply() == 0


def test_the_token_refuses_a_desk_burn_off_its_home_chain(
    token_b_minted_by_a_stand_in_desk, chain, issuer, relayer, investor_alice
):
    stand_in, token = token_b_minted_by_a_stand_in_desk
    token.setGateway(relayer, sender=issuer)
    token.crosschainMintUnits(investor_alice, SHARE, sender=relayer)

    with reverts(token.OrderTokenNotHomeChain, homeChainId=HOME_CHAIN, chainId=chain.chain_id):
        stand_in.burn(token, investor_alice, SHARE, sender=investor_alice)

    assert token.totalSupply() == SHARE
