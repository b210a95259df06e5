"""Fixtures of the order desk (mint-on-order): a desk with one listed stock, funded investors.

The deployment is module-scoped (ape snapshots and reverts between tests), so a test only pays for
its own transactions. Amounts follow `IOrderDesk`: quantities with 18 decimals, prices and cash
in 6-decimal USD base units per whole share.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ape
import pytest
from order_desk_helpers import (
    ALICE,
    ASSET_ID,
    FEED_DECIMALS,
    GLOBAL_CAPACITY,
    GLOBAL_REFILL,
    INITIAL_BUFFER,
    INITIAL_CASH,
    INVESTOR_CAPACITY,
    INVESTOR_REFILL,
    ISIN,
    MAX_DEVIATION_BPS,
    MAX_STALENESS,
    ONE_YEAR,
    REFERENCE_PRICE,
    SHARE,
    USD,
    investor_id,
)

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.quote import QuoteService, Side, SignedQuote
from tokenized_stocks.protocol.roles import (
    COMPLIANCE_ROLE,
    EXECUTOR_ROLE,
    PAUSER_ROLE,
    REGISTRAR_ROLE,
    REPORTER_ROLE,
    TREASURY_ROLE,
    Architecture,
    Country,
    InvestorClass,
)


@ape.fixture(scope="session", chain_isolation=False)
def treasury(accounts):
    """The desk's treasury (TREASURY_ROLE): tops up and withdraws the cash buffer."""
    return accounts[16]


@ape.fixture(scope="session", chain_isolation=False)
def compliance_officer(transfer_agent):
    """Freezes wallets on the token and keeps the sanctions list."""
    return transfer_agent


@pytest.fixture(scope="module")
def cash(project, issuer):
    return issuer.deploy(project.MockStablecoin)


@pytest.fixture(scope="module")
def sanctions(project, issuer, compliance_officer):
    contract = deploy_behind_proxy(project, issuer, project.SanctionsList, issuer)
    contract.grantRole(COMPLIANCE_ROLE, compliance_officer, sender=issuer)
    return contract


@pytest.fixture(scope="module")
def price_feed(project, issuer, custodian):
    """The reference price of the stock (8 decimals, USD per share), reported by the custodian."""
    feed = issuer.deploy(project.AttestedFeed, issuer, FEED_DECIMALS, "AAPL / USD")
    feed.grantRole(REPORTER_ROLE, custodian, sender=issuer)
    feed.report(REFERENCE_PRICE * 100, sender=custodian)
    return feed


@pytest.fixture(scope="module")
def desk_registry(project, issuer, registrar, chain, investor_alice, investor_alice_2, investor_bob):
    """The chain's investor registry: alice (two wallets) and bob are verified; carol is unknown."""
    registry = deploy_behind_proxy(project, issuer, project.InvestorRegistry, issuer)
    registry.grantRole(REGISTRAR_ROLE, registrar, sender=issuer)
    expiry = chain.pending_timestamp + ONE_YEAR
    for name, wallets in (("alice", (investor_alice, investor_alice_2)), ("bob", (investor_bob,))):
        registry.registerInvestor(
            investor_id(name), Country.US, InvestorClass.ACCREDITED, expiry, sender=registrar
        )
        for wallet in wallets:
            registry.addWallet(investor_id(name), wallet, sender=registrar)
    return registry


@pytest.fixture(scope="module")
def desk(project, issuer, cash, desk_registry, quote_signer, guardian, executor, treasury):
    contract = deploy_behind_proxy(project, issuer, project.OrderDesk, issuer, desk_registry)
    contract.initializeCash(cash, sender=issuer)
    contract.grantRole(PAUSER_ROLE, guardian, sender=issuer)
    contract.grantRole(EXECUTOR_ROLE, executor, sender=issuer)
    contract.grantRole(TREASURY_ROLE, treasury, sender=issuer)
    contract.addSigner(quote_signer, sender=issuer)
    contract.setGlobalRateLimit(GLOBAL_CAPACITY, GLOBAL_REFILL, sender=issuer)
    contract.setInvestorRateLimit(INVESTOR_CAPACITY, INVESTOR_REFILL, sender=issuer)
    contract.setBufferLimits(50_000 * USD, 500_000 * USD, 500_000 * USD // 86_400, sender=issuer)
    return contract


@pytest.fixture(scope="module")
def identity(chain) -> tuple:
    """`AssetIdentity.IdentityParams` of the listed stock, home chain = this chain."""
    return (
        ASSET_ID,
        ISIN,
        "AAPL",
        Architecture.MINT_ON_ORDER,
        chain.chain_id,
        "ipfs://terms-aapl-on-order",
        b"\x11" * 32,
        b"4H95J0R2X",
    )


@pytest.fixture(scope="module")
def deploy_token(project, issuer, desk_registry, sanctions, compliance_officer, guardian, identity):
    """Factory: a new OrderToken for `desk` (not listed)."""

    def deploy(desk, params: tuple = identity):
        token = deploy_behind_proxy(
            project,
            issuer,
            project.OrderToken,
            issuer,
            "Apple Inc. on order",
            "AAPLon",
            params,
            desk,
            desk_registry,
            sanctions,
        )
        token.grantRole(COMPLIANCE_ROLE, compliance_officer, sender=issuer)
        token.grantRole(PAUSER_ROLE, guardian, sender=issuer)
        return token

    return deploy


@pytest.fixture(scope="module")
def token(deploy_token, desk, price_feed, issuer):
    """The listed stock: 1% band, 1 h staleness, no market-hours rule."""
    contract = deploy_token(desk)
    desk.listAsset(contract, price_feed, MAX_DEVIATION_BPS, MAX_STALENESS, 0, 0, 0, sender=issuer)
    return contract


@pytest.fixture(scope="module")
def funded(
    cash, desk, token, treasury, investor_alice, investor_alice_2, investor_bob, investor_carol, outsider
):
    """Investors hold cash and approved the desk; the treasury filled the buffer.

    (Requests every session-scoped account, so none is first created after a module snapshot.)
    """
    for wallet in (investor_alice, investor_alice_2, investor_bob, treasury):
        cash.mint(wallet, INITIAL_CASH, sender=wallet)
        cash.approve(desk, 2**256 - 1, sender=wallet)
    desk.topUpBuffer(INITIAL_BUFFER, sender=treasury)
    return True


@pytest.fixture(scope="module")
def quotes(quote_signer, desk, chain) -> QuoteService:
    """The issuer's quote service, signing with the current quote signer's key."""
    return QuoteService(private_key=quote_signer.private_key, desk=desk.address, chain_id=chain.chain_id)


@pytest.fixture
def make_quote(quotes, chain) -> Callable[..., SignedQuote]:
    """Factory: a signed quote at the reference price for alice (defaults), valid for 120 s."""

    def make(
        side: Side = Side.BUY,
        quantity: int = 10 * SHARE,
        price: int = REFERENCE_PRICE,
        investor: bytes = ALICE,
        **overrides,
    ) -> SignedQuote:
        return quotes.quote(
            ASSET_ID, side, quantity, price, investor, now=chain.pending_timestamp, **overrides
        )

    return make


@dataclass(frozen=True)
class Balances:
    cash: dict[str, int]
    tokens: dict[str, int]
    supply: int


@pytest.fixture
def balances(cash, token, desk, investor_alice, investor_alice_2, investor_bob, investor_carol, treasury):
    """Snapshot of every cash and token balance involved, to assert that nothing moved."""

    def snapshot() -> Balances:
        holders = [investor_alice, investor_alice_2, investor_bob, investor_carol, treasury, desk]
        return Balances(
            cash={h.address: cash.balanceOf(h) for h in holders},
            tokens={h.address: token.balanceOf(h) for h in holders},
            supply=token.totalSupply(),
        )

    return snapshot


# ---------------------------------------------------------------------------------------------
# Asynchronous vaults (ERC-7540): one per cash token, sharing the order token
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deploy_vault(project, issuer, desk, token, executor, treasury, guardian):
    """Factory: an OrderVault of `token` for `cash_token`, registered on the desk, with its roles
    and the order desk's global limit as its fill-value limit."""

    def deploy(cash_token, capacity: int = GLOBAL_CAPACITY, refill: int = GLOBAL_REFILL):
        vault = deploy_behind_proxy(project, issuer, project.OrderVault, issuer, cash_token, token)
        vault.grantRole(EXECUTOR_ROLE, executor, sender=issuer)
        vault.grantRole(TREASURY_ROLE, treasury, sender=issuer)
        vault.grantRole(PAUSER_ROLE, guardian, sender=issuer)
        vault.setRateLimit(capacity, refill, sender=issuer)
        desk.setVault(ASSET_ID, cash_token, vault, sender=issuer)
        return vault

    return deploy


@pytest.fixture(scope="module")
def vault(deploy_vault, cash, funded, treasury, investor_alice, investor_alice_2, investor_bob):
    """The USD vault: investors approved it; the treasury put INITIAL_BUFFER in its reserve."""
    contract = deploy_vault(cash)
    for wallet in (investor_alice, investor_alice_2, investor_bob, treasury):
        cash.approve(contract, 2**256 - 1, sender=wallet)
    contract.topUpReserve(INITIAL_BUFFER, sender=treasury)
    return contract


@pytest.fixture(scope="module")
def dai(project, issuer):
    """A second stablecoin with 18 decimals."""
    return issuer.deploy(project.PlainERC20)


@pytest.fixture(scope="module")
def dai_vault(deploy_vault, dai, vault, treasury, investor_alice, investor_bob):
    """The DAI vault of the same order token (the USD vault exists too)."""
    contract = deploy_vault(dai, GLOBAL_CAPACITY * 10**12, GLOBAL_REFILL * 10**12)
    for wallet in (investor_alice, investor_bob, treasury):
        dai.mint(wallet, INITIAL_CASH * 10**12, sender=wallet)
        dai.approve(contract, 2**256 - 1, sender=wallet)
    contract.topUpReserve(INITIAL_BUFFER * 10**12, sender=treasury)
    return contract
