"""Gas of the gateway next to a plain OpenZeppelin ERC20 transfer between existing holders.

Budgets (gas-budgets.toml): send + receive (2-of-3) at most 200k together; batch receive at most
60k per message.
`measure_gateway_gas` is reusable from a benchmark script (it needs the same fixtures' objects).
"""

from __future__ import annotations

from typing import Any

from tokenized_stocks.devtools.budgets import budget
from tokenized_stocks.protocol.message import MessageKind, attest

from .conftest import CHAIN_B, HOUR, REMOTE_GATEWAY

BATCH = 20


def measure_gateway_gas(
    *,
    project: Any,
    chain: Any,
    gateway: Any,
    token: Any,
    signers: list,
    sender: Any,
    recipients: list,
    make_inbound: Any,
    relayer: Any,
) -> dict[str, int]:
    """Gas used by: plain ERC20 transfer, send, receive (2-of-3), batch receive per message, refund
    (a Return minted back), reject (refused Transfer, Return emitted). `sender` holds units."""
    asset_id = bytes(token.assetId())
    plain = project.PlainERC20.deploy(sender=sender)
    plain.mint(sender, 10**18, sender=sender)
    plain.mint(recipients[0], 1, sender=sender)
    figures = {"plain_transfer": plain.transfer(recipients[0], 1, sender=sender).gas_used}
    expiry = chain.pending_timestamp + HOUR
    # Supply elsewhere for the inbound messages to reduce; recipients already hold units.
    gateway.send(asset_id, CHAIN_B, recipients[0], 10_000, expiry, sender=sender)
    figures["send"] = gateway.send(asset_id, CHAIN_B, recipients[0], 10, expiry, sender=sender).gas_used

    def signed(message):
        return attest(message, REMOTE_GATEWAY, gateway.address, signers[:2])

    first = make_inbound(nonce=1_000, units=10, recipient=recipients[0].address)
    figures["receive"] = gateway.receiveMessage(first.as_tuple(), signed(first), sender=relayer).gas_used
    batch = [
        make_inbound(nonce=2_000 + i, units=1, recipient=recipients[i % len(recipients)].address)
        for i in range(BATCH)
    ]
    receipt = gateway.receiveBatch([m.as_tuple() for m in batch], [signed(m) for m in batch], sender=relayer)
    figures["batch_per_message"] = receipt.gas_used // BATCH
    refund = make_inbound(nonce=3_000, units=5, recipient=sender.address).with_(
        kind=MessageKind.RETURN, expiry=2**64 - 1, ref=b"\x01" * 32
    )
    figures["refund"] = gateway.receiveMessage(refund.as_tuple(), signed(refund), sender=relayer).gas_used
    refused = make_inbound(nonce=4_000, units=5, recipient=gateway.address)  # refused: Return emitted
    figures["reject"] = gateway.receiveMessage(refused.as_tuple(), signed(refused), sender=relayer).gas_used
    return figures


def test_gateway_gas_budgets(
    project,
    chain,
    gateway,
    funded,
    signers,
    investor_alice,
    investor_bob,
    investor_carol,
    investor_alice_2,
    inbound,
    relayer,
    issuer,
):
    recipients = [investor_bob, investor_carol, investor_alice_2]
    for who in recipients:  # existing holders, as in the plain transfer baseline
        funded.mint(who, 1, sender=issuer)
    funded.mint(investor_alice, 100_000, sender=issuer)
    figures = measure_gateway_gas(
        project=project,
        chain=chain,
        gateway=gateway,
        token=funded,
        signers=signers,
        sender=investor_alice,
        recipients=recipients,
        make_inbound=inbound,
        relayer=relayer,
    )
    plain = figures["plain_transfer"]
    print(f"\ngateway gas (plain OZ ERC20 transfer = {plain}):")
    for name, gas in figures.items():
        print(f"  {name:<18} {gas:>8,}  ({gas / plain:.2f}x plain)")
    print(f"  send + receive     {figures['send'] + figures['receive']:>8,}")
    budget("gateway-send-receive").check(figures["send"] + figures["receive"], plain)
    budget("gateway-batch-receive").check(figures["batch_per_message"], plain)
