"""Round trip of each of the three architectures through the gateways and the relayer, on two real
chains: units leave A, are minted on B, come back, and the home gateway's count returns to zero.

Runs where the real asset contracts are in the project (the integration branch); skipped where only
the gateway and its mock asset are (the gateway's own branch).
"""

from __future__ import annotations

import pytest
from ape import chain

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.devtools.bridge import (
    CHAIN_A,
    CHAIN_B,
    HOUR,
    deploy_gateway,
    identity_params,
    link_gateway,
    register_asset,
)
from tokenized_stocks.protocol.identity import asset_id as derive_asset_id
from tokenized_stocks.protocol.roles import COMPLIANCE_ROLE, REPORTER_ROLE, Architecture, role

ONE = 10**18
ISINS = {"certificate": "US0378331005", "order": "US5949181045", "share": "US88160R1014"}
CONTRACTS = {"certificate": "TrackerCertificate", "order": "OrderToken", "share": "RegistryShare"}


def _deploy_asset(kind, project, issuer, custodian, transfer_agent, registry, home: bool):
    """The real asset of architecture `kind` (home chain = A), with what it needs on this chain."""
    isin = ISINS[kind]
    sanctions = deploy_behind_proxy(project, issuer, project.SanctionsList, issuer)
    if kind == "certificate":
        identity = identity_params(
            derive_asset_id(isin), isin, "AAPL", Architecture.TRACKER_CERTIFICATE, CHAIN_A
        )
        feed = issuer.deploy(project.AttestedFeed, issuer, 0, "AAPL reserves")
        feed.grantRole(REPORTER_ROLE, custodian, sender=issuer)
        token = deploy_behind_proxy(
            project,
            issuer,
            project.TrackerCertificate,
            identity,
            ("Tracker AAPL", "AAPLx", issuer, sanctions, feed, 86_400),
        )
        token.grantRole(role("MINTER_ROLE"), issuer, sender=issuer)
        sanctions.addSubscriber(token, sender=issuer)  # listings reach the cached flags at once
        if home:
            feed.report(1_000_000, sender=custodian)
        return token, lambda who, amount: token.mint(who, amount, sender=issuer), sanctions
    if kind == "order":
        identity = identity_params(derive_asset_id(isin), isin, "MSFT", Architecture.MINT_ON_ORDER, CHAIN_A)
        desk = issuer.deploy(project.MockOrderDesk)  # stands in for the order desk (pause flag, minting)
        token = deploy_behind_proxy(
            project,
            issuer,
            project.OrderToken,
            issuer,
            "Order MSFT",
            "MSFTo",
            identity,
            desk,
            registry,
            sanctions,
        )
        return token, lambda who, amount: desk.mint(token, who, amount, sender=issuer), sanctions
    identity = identity_params(derive_asset_id(isin), isin, "TSLA", Architecture.REGISTRY_SHARE, CHAIN_A)
    token = deploy_behind_proxy(
        project, issuer, project.RegistryShare, issuer, registry, "Share TSLA", "TSLAs", identity
    )
    token.grantRole(role("TRANSFER_AGENT_ROLE"), transfer_agent, sender=issuer)
    return (
        token,
        lambda who, amount: token.issue(who, amount, "initial allotment", sender=transfer_agent),
        sanctions,
    )


@pytest.fixture(params=["certificate", "order", "share"])
def asset_bridge(
    request,
    chains,
    project,
    issuer,
    custodian,
    transfer_agent,
    operators,
    relayer,
    deploy_registry,
    onboard,
    investor_alice,
    investor_bob,
):
    """Gateways on A and B and the real asset of one architecture on both (home A); alice holds 100
    on A; alice and bob are verified investors on both chains; carol is verified on neither."""
    kind = request.param
    if not hasattr(project, CONTRACTS[kind]):
        pytest.skip(
            f"{CONTRACTS[kind]} is not in this project (gateway branch): runs on the integration branch"
        )
    from tokenized_stocks.devtools.bridge import Bridge

    registry_a = deploy_registry()
    onboard(registry_a, "alice", investor_alice)
    onboard(registry_a, "bob", investor_bob)
    token_a, mint, sanctions_a = _deploy_asset(
        kind, project, issuer, custodian, transfer_agent, registry_a, home=True
    )
    sanctions_a.grantRole(COMPLIANCE_ROLE, issuer, sender=issuer)
    gateway_a = deploy_gateway(project, issuer, operators, 2)
    asset_id = register_asset(gateway_a, issuer, token_a)
    mint(investor_alice, 100 * ONE)
    with chains.on_b():
        registry_b = deploy_registry()
        onboard(registry_b, "alice", investor_alice)
        onboard(registry_b, "bob", investor_bob)
        token_b, _, sanctions_b = _deploy_asset(
            kind, project, issuer, custodian, transfer_agent, registry_b, home=False
        )
        sanctions_b.grantRole(COMPLIANCE_ROLE, issuer, sender=issuer)
        gateway_b = deploy_gateway(project, issuer, operators, 2)
        register_asset(gateway_b, issuer, token_b)
        link_gateway(gateway_b, issuer, CHAIN_A, gateway_a.address)
    link_gateway(gateway_a, issuer, CHAIN_B, gateway_b.address)
    bridge = Bridge(
        chains,
        asset_id,
        token_a,
        gateway_a,
        token_b,
        gateway_b,
        chain.provider.http_uri,
        chains.node.uri,
        operators,
        relayer,
    )
    bridge.sanctions_a = sanctions_a  # type: ignore[attr-defined]
    bridge.sanctions_b = sanctions_b  # type: ignore[attr-defined]
    return bridge


@pytest.fixture
def relay(asset_bridge, tmp_path):
    def relay():
        relayer_ = asset_bridge.relayer(str(tmp_path / "relayer.sqlite"))
        try:
            report = relayer_.run_until_idle()
        finally:
            relayer_.close()
        assert not report.failed, report.failed
        return report

    return relay


def test_each_architecture_round_trips_between_two_chains(
    asset_bridge, relay, chains, investor_alice, investor_bob
):
    bridge = asset_bridge
    token_a, token_b, gateway_a, asset_id = bridge.token_a, bridge.token_b, bridge.gateway_a, bridge.asset_id
    bridge.send_a(investor_alice, investor_bob, 40 * ONE, ttl=HOUR)
    assert gateway_a.supplyElsewhere(asset_id) == 40 * ONE
    assert len(relay().delivered) == 1
    with chains.on_b():
        assert token_b.balanceOf(investor_bob) == 40 * ONE
        assert token_b.totalSupply() == 40 * ONE
    bridge.send_b(investor_bob, investor_alice, 40 * ONE)
    assert len(relay().delivered) == 1
    assert token_a.balanceOf(investor_alice) == 100 * ONE
    assert gateway_a.supplyElsewhere(asset_id) == 0
    with chains.on_b():
        assert token_b.totalSupply() == 0


def test_each_architecture_refunds_a_refused_recipient(
    asset_bridge, relay, chains, issuer, investor_alice, investor_carol
):
    """Carol is not a verified investor on B (registry share) and is sanctioned there (all)."""
    bridge = asset_bridge
    with chains.on_b():
        bridge.sanctions_b.setSanctioned(investor_carol, True, sender=issuer)
    bridge.send_a(investor_alice, investor_carol, 25 * ONE)
    assert bridge.token_a.balanceOf(investor_alice) == 75 * ONE
    report = relay()
    assert (len(report.rejected), len(report.delivered)) == (1, 1)  # refused on B, refunded on A
    assert bridge.token_a.balanceOf(investor_alice) == 100 * ONE
    assert bridge.gateway_a.supplyElsewhere(bridge.asset_id) == 0
    with chains.on_b():
        assert bridge.token_b.balanceOf(investor_carol) == 0
        assert bridge.gateway_b.rejectionCode(report.rejected[0]) != 0


@pytest.mark.parametrize("asset_bridge", ["certificate"], indirect=True)
def test_a_refund_to_a_holder_sanctioned_meanwhile_is_reported_held_not_refunded(
    asset_bridge, relay, chains, issuer, investor_alice, investor_carol
):
    """B refuses carol; by the time the Return reaches A, alice is sanctioned there: the gateway
    holds the refund for the transfer agent, and the relayer says so instead of "refunded"."""
    bridge = asset_bridge
    with chains.on_b():
        bridge.sanctions_b.setSanctioned(investor_carol, True, sender=issuer)
    bridge.send_a(investor_alice, investor_carol, 25 * ONE)
    bridge.sanctions_a.setSanctioned(investor_alice, True, sender=issuer)
    report = relay()
    assert (len(report.rejected), len(report.held), len(report.delivered)) == (1, 1, 0)
    assert report.already_processed == []
    assert bridge.token_a.balanceOf(investor_alice) == 75 * ONE  # nothing minted to a sanctioned holder
    held = bridge.gateway_a.heldRefund(report.held[0])
    assert (held.holder, held.units) == (investor_alice.address, 25 * ONE)
