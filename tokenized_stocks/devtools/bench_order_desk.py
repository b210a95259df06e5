"""Gas of the order desk (mint-on-order) beside a plain OpenZeppelin ERC20 transfer.

`measure_order_desk_gas` deploys a fresh desk, token, registry, feed and cash token on the connected
chain and returns the gas used by each operation, so the lead's benchmark script and the unit test
report the same figures. The signer account must expose `private_key` (ape test accounts do).
"""

from __future__ import annotations

from typing import Any

from eth_utils import keccak

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.identity import asset_id
from tokenized_stocks.protocol.quote import QuoteService, Side
from tokenized_stocks.protocol.roles import (
    REGISTRAR_ROLE,
    REPORTER_ROLE,
    Architecture,
    Country,
    InvestorClass,
    role,
)

SHARE = 10**18
USD = 10**6
PRICE = 190 * USD
ISIN = "US0378331005"


def measure_order_desk_gas(
    project: Any, chain: Any, admin: Any, signer: Any, investor: Any, other: Any
) -> dict[str, int]:
    """Deploys the desk suite and measures, in gas used per transaction:

    - `plain_transfer`: PlainERC20 transfer between two existing holders (the baseline);
    - `buy_first`: an investor's first buy (new quote-id word, new investor bucket, new holder);
    - `buy`: a steady-state buy (signature check included, existing holder and buckets);
    - `sell`: a steady-state sell paid from the buffer;
    - `token_transfer`: an OrderToken transfer between two existing holders;
    - `vault_request_deposit`, `vault_fulfil_deposit`, `vault_claim_deposit`: an ERC-7540 subscription
      through the OrderVault (a request adding to an existing one, a partial fill by the executor, a
      claim by `deposit` to an existing holder);
    - `vault_request_redeem`, `vault_fulfil_redeem`, `vault_claim_redeem`: the redemption side.
    """
    gas: dict[str, int] = {}
    plain = admin.deploy(project.PlainERC20)
    plain.mint(investor, 10 * SHARE, sender=admin)
    plain.mint(other, 10 * SHARE, sender=admin)
    gas["plain_transfer"] = plain.transfer(other, SHARE, sender=investor).gas_used

    registry = deploy_behind_proxy(project, admin, project.InvestorRegistry, admin)
    registry.grantRole(REGISTRAR_ROLE, admin, sender=admin)
    expiry = chain.pending_timestamp + 365 * 86_400
    investor_id = keccak(text="bench-investor")
    other_id = keccak(text="bench-other")
    for ident, wallet in ((investor_id, investor), (other_id, other)):
        registry.registerInvestor(ident, Country.US, InvestorClass.ACCREDITED, expiry, sender=admin)
        registry.addWallet(ident, wallet, sender=admin)

    sanctions = deploy_behind_proxy(project, admin, project.SanctionsList, admin)
    feed = admin.deploy(project.AttestedFeed, admin, 8, "AAPL / USD")
    feed.grantRole(REPORTER_ROLE, admin, sender=admin)
    feed.report(PRICE * 100, sender=admin)
    cash = admin.deploy(project.MockStablecoin)
    desk = deploy_behind_proxy(project, admin, project.OrderDesk, admin, registry)
    desk.initializeCash(cash, sender=admin)
    desk.grantRole(role("TREASURY_ROLE"), admin, sender=admin)
    desk.addSigner(signer, sender=admin)
    desk.setGlobalRateLimit(10**15, 10**9, sender=admin)
    desk.setInvestorRateLimit(10**14, 10**9, sender=admin)
    aid = asset_id(ISIN)
    identity = (
        aid,
        ISIN,
        "AAPL",
        Architecture.MINT_ON_ORDER,
        chain.chain_id,
        "ipfs://terms",
        b"\x11" * 32,
        b"4H95J0R2X",
    )
    token = deploy_behind_proxy(
        project,
        admin,
        project.OrderToken,
        admin,
        "Apple Inc. on order",
        "AAPLon",
        identity,
        desk,
        registry,
        sanctions,
    )
    desk.listAsset(token, feed, 100, 3600, 0, 0, 0, sender=admin)

    for wallet in (investor, admin):
        cash.mint(wallet, 1_000_000 * USD, sender=wallet)
        cash.approve(desk, 2**256 - 1, sender=wallet)
    desk.topUpBuffer(100_000 * USD, sender=admin)

    quotes = QuoteService(private_key=signer.private_key, desk=desk.address, chain_id=chain.chain_id)

    def order(side: Side, quantity: int) -> int:
        signed = quotes.quote(aid, side, quantity, PRICE, investor_id, now=chain.pending_timestamp)
        call = desk.buy if side == Side.BUY else desk.sell
        limit = 10**30 if side == Side.BUY else 0
        return int(call(*signed.args(), limit, sender=investor).gas_used)

    gas["buy_first"] = order(Side.BUY, 10 * SHARE)
    gas["buy"] = order(Side.BUY, 10 * SHARE)
    gas["sell"] = order(Side.SELL, 5 * SHARE)
    token.transfer(other, SHARE, sender=investor)
    gas["token_transfer"] = int(token.transfer(other, SHARE, sender=investor).gas_used)
    gas.update(_measure_vault(project, admin, desk, token, cash, aid, investor))
    return gas


def _measure_vault(
    project: Any, admin: Any, desk: Any, token: Any, cash: Any, aid: bytes, investor: Any
) -> dict[str, int]:
    """ERC-7540 flows through an OrderVault of the same token, each measured in steady state."""
    vault = deploy_behind_proxy(project, admin, project.OrderVault, admin, cash, token)
    for name in ("EXECUTOR_ROLE", "TREASURY_ROLE"):
        vault.grantRole(role(name), admin, sender=admin)
    vault.setRateLimit(10**15, 10**9, sender=admin)
    desk.setVault(aid, cash, vault, sender=admin)
    cash.approve(vault, 2**256 - 1, sender=investor)
    cash.approve(vault, 2**256 - 1, sender=admin)
    token.approve(vault, 2**256 - 1, sender=investor)
    vault.topUpReserve(100_000 * USD, sender=admin)
    fill = iter(range(1, 100))

    vault.requestDeposit(1_900 * USD, investor, investor, sender=investor)
    vault.fulfilDeposit(investor, 190 * USD, PRICE, next(fill), sender=admin)
    gas: dict[str, int] = {}
    gas["vault_request_deposit"] = int(
        vault.requestDeposit(1_900 * USD, investor, investor, sender=investor).gas_used
    )
    gas["vault_fulfil_deposit"] = int(
        vault.fulfilDeposit(investor, 1_900 * USD, PRICE, next(fill), sender=admin).gas_used
    )
    gas["vault_claim_deposit"] = int(vault.deposit(950 * USD, investor, investor, sender=investor).gas_used)

    vault.requestRedeem(SHARE, investor, investor, sender=investor)
    vault.fulfilRedeem(investor, SHARE // 2, PRICE, next(fill), sender=admin)
    gas["vault_request_redeem"] = int(
        vault.requestRedeem(SHARE, investor, investor, sender=investor).gas_used
    )
    gas["vault_fulfil_redeem"] = int(
        vault.fulfilRedeem(investor, SHARE, PRICE, next(fill), sender=admin).gas_used
    )
    gas["vault_claim_redeem"] = int(vault.redeem(SHARE, investor, investor, sender=investor).gas_used)
    return gas
