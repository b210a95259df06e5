"""Gas of the settlement operations beside a plain OpenZeppelin ERC20 transfer (for the benchmark).

`measure_settlement_gas` deploys its own contracts on the connected chain (test mocks included), so
the lead's benchmark script can call it with any funded accounts. The DvP, the hybrid DvP and the
ledger adapter sit behind their UUPS proxies, as `ape run deploy` deploys them: every figure pays the
proxy's delegatecall.
"""

from __future__ import annotations

from typing import Any

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.identity import asset_id
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

UNIT = 10**18
HOUR = 3600
ISIN = "US0378331005"


def measure_settlement_gas(
    project: Any, chain: Any, admin: Any, seller: Any, buyer: Any, agent: Any
) -> dict[str, int]:
    """`receipt.gas_used` of each settlement operation and of a plain ERC20 transfer between existing
    holders. `agent` acts as cash agent and transfer agent; `seller` and `buyer` need test keys
    (`private_key`). Every transfer measured is between parties that already hold the token."""
    plain = admin.deploy(project.PlainERC20)
    plain.mint(seller, 100 * UNIT, sender=admin)
    plain.mint(buyer, 100 * UNIT, sender=admin)
    gas = {"plain_erc20_transfer": plain.transfer(buyer, UNIT, sender=seller).gas_used}

    identity = (
        asset_id(ISIN),
        ISIN,
        "AAPL",
        int(Architecture.TRACKER_CERTIFICATE),
        chain.chain_id,
        "ipfs://t",
        b"\x01" * 32,
        b"4H95J0R2X",
    )
    asset = admin.deploy(project.SettleSecurityMock, "Security", "SEC", identity)
    cash = admin.deploy(project.SettleCashMock)
    for holder in (seller, buyer):
        asset.mint(holder, 100 * UNIT, sender=admin)
        cash.mint(holder, 1_000_000 * 10**6, sender=admin)

    dvp = deploy_behind_proxy(project, admin, project.DvP, admin)
    asset.approve(dvp, 2**256 - 1, sender=seller)
    cash.approve(dvp, 2**256 - 1, sender=buyer)
    trade = Trade(
        tradeId=reference("gas-dvp"),
        seller=str(seller.address),
        buyer=str(buyer.address),
        asset=str(asset.address),
        quantity=10 * UNIT,
        cashToken=str(cash.address),
        cashAmount=1_500 * 10**6,
        deadline=chain.pending_timestamp + HOUR,
    )
    signatures = [sign_trade(p.private_key, trade, chain.chain_id, str(dvp.address)) for p in (seller, buyer)]
    gas["dvp_settle"] = dvp.settle(trade.as_tuple(), *signatures, sender=buyer).gas_used

    hybrid = deploy_behind_proxy(project, admin, project.HybridDvP, admin)
    hybrid.grantRole(CASH_AGENT_ROLE, agent, sender=admin)
    asset.approve(hybrid, 2**256 - 1, sender=seller)
    hybrid_trade = HybridTrade(
        tradeId=reference("gas-hybrid"),
        seller=str(seller.address),
        buyer=str(buyer.address),
        asset=str(asset.address),
        quantity=10 * UNIT,
        currency=currency("USD"),
        cashAmount=150_000,
        deadline=chain.pending_timestamp + HOUR,
    )
    gas["hybrid_escrow"] = hybrid.escrow(hybrid_trade.as_tuple(), sender=seller).gas_used
    confirmation = PaymentConfirmation(
        tradeKey=hybrid_trade_key(hybrid_trade, chain.chain_id, str(hybrid.address)),
        amount=hybrid_trade.cashAmount,
        currency=hybrid_trade.currency,
        paymentReference=reference("gas-payment"),
        deadline=chain.pending_timestamp + HOUR,
    )
    signature = sign_payment_confirmation(
        agent.private_key, confirmation, chain.chain_id, str(hybrid.address)
    )
    gas["hybrid_release"] = hybrid.release(
        hybrid_trade.as_tuple(), confirmation.as_tuple(), signature, sender=buyer
    ).gas_used

    adapter = deploy_behind_proxy(project, admin, project.TraditionalLedgerAdapter, admin)
    adapter.grantRole(TRANSFER_AGENT_ROLE, agent, sender=admin)
    adapter.setAssetListed(asset, True, sender=admin)
    asset.approve(adapter, 2**256 - 1, sender=seller)
    receipt = adapter.requestOffRamp(asset, 10 * UNIT, reference("ACC"), sender=seller)
    gas["adapter_off_ramp_request"] = receipt.gas_used
    instruction = receipt.events.filter(adapter.OffRampRequested)[0].instructionId
    gas["adapter_off_ramp_confirm"] = adapter.confirmOffRamp(
        instruction, reference("BOOK"), sender=agent
    ).gas_used
    gas["adapter_on_ramp"] = adapter.onRamp(
        asset, buyer, 10 * UNIT, reference("ACC"), reference("DEBIT"), sender=agent
    ).gas_used
    return gas
