"""Fixtures of the tracker-certificate suite: sanctions list, reserve feed, mock gateway and a
certificate with its roles granted to the role accounts of `tests/conftest.py`.

Roles: issuer = admin and minter; custodian = reserve reporter and redemption settler;
transfer_agent = corporate actions; guardian = pauser; registrar = compliance officer (sanctions).

Deployments are module-scoped: they run once per test module and ape reverts the chain to the
state after them before each test (time included), so every test still starts from the same
state. `funded` (mints to Alice and Bob) and `remote_cert` (a second subscriber of the sanctions list) stay
function-scoped: tests that do not ask for them must see no balances and a single subscriber.
"""

from __future__ import annotations

import ape
import pytest
from ape import chain
from certificate_constants import ASSET_ID, HEARTBEAT, INITIAL_RESERVES, ISIN, TERMS_HASH, pinned_now

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.protocol.roles import (
    COMPLIANCE_ROLE,
    CUSTODIAN_ROLE,
    MINTER_ROLE,
    PAUSER_ROLE,
    REPORTER_ROLE,
    TRANSFER_AGENT_ROLE,
    Architecture,
)


@ape.fixture(scope="session", chain_isolation=False)
def compliance_officer(registrar):
    """Holds COMPLIANCE_ROLE on the sanctions list."""
    return registrar


@pytest.fixture(scope="module")
def sanctions(project, issuer, compliance_officer):
    contract = deploy_behind_proxy(project, issuer, project.SanctionsList, issuer)
    contract.grantRole(COMPLIANCE_ROLE, compliance_officer, sender=issuer)
    return contract


@ape.fixture(scope="session", chain_isolation=False)
def deploy_feed(project, issuer, custodian):
    """Factory: an AttestedFeed with `decimals` whose reporter is the custodian."""

    def deploy(decimals: int = 0):
        feed = issuer.deploy(project.AttestedFeed, issuer, decimals, "AAPL reserves")
        feed.grantRole(REPORTER_ROLE, custodian, sender=issuer)
        return feed

    return deploy


@pytest.fixture(scope="module")
def reserve_feed(deploy_feed):
    return deploy_feed(0)


@pytest.fixture(scope="module")
def gateway(project, issuer):
    return issuer.deploy(project.MockGatewaySupply)


@pytest.fixture(scope="module")
def deploy_certificate(project, issuer, custodian, transfer_agent, guardian, sanctions, reserve_feed):
    """Factory: a certificate with every role granted, subscribed to the `sanctions` list (so a
    `setSanctioned` reaches its cached flags at once) unless `subscribe=False`; home chain = this
    chain unless given."""

    def deploy(
        home_chain_id: int | None = None, feed=None, heartbeat: int = HEARTBEAT, subscribe: bool = True
    ):
        identity = (
            ASSET_ID,
            ISIN,
            "AAPL",
            Architecture.TRACKER_CERTIFICATE,
            home_chain_id or chain.chain_id,
            "ipfs://terms",
            TERMS_HASH,
            b"4H95J0R2X",
        )
        feed_address = reserve_feed.address if feed is None else feed
        config = ("Tracker AAPL", "AAPLx", issuer, sanctions, feed_address, heartbeat)
        cert = deploy_behind_proxy(project, issuer, project.TrackerCertificate, identity, config)
        cert.grantRole(MINTER_ROLE, issuer, sender=issuer)
        cert.grantRole(TRANSFER_AGENT_ROLE, transfer_agent, sender=issuer)
        cert.grantRole(PAUSER_ROLE, guardian, sender=issuer)
        cert.grantRole(CUSTODIAN_ROLE, custodian, sender=issuer)
        if subscribe:
            sanctions.addSubscriber(cert, sender=issuer)  # our list pushes changes to the cache
        return cert

    return deploy


@pytest.fixture(scope="module")
def cert(deploy_certificate, reserve_feed, custodian, gateway, issuer):
    """Home-chain certificate with a mock gateway and 1,000,000 shares attested just now."""
    certificate = deploy_certificate()
    certificate.setGateway(gateway, sender=issuer)
    reserve_feed.report(INITIAL_RESERVES, sender=custodian)
    return certificate


@pytest.fixture
def remote_cert(deploy_certificate, gateway, issuer):
    """The same asset on a chain that is not its home chain (home = 1): gateway-fed only."""
    certificate = deploy_certificate(home_chain_id=1)
    certificate.setGateway(gateway, sender=issuer)
    return certificate


def _fund(cert, issuer, investor_alice, investor_bob):
    cert.mint(investor_alice, 100 * ONE, sender=issuer)
    cert.mint(investor_bob, 50 * ONE, sender=issuer)
    return cert


@pytest.fixture
def funded(cert, issuer, investor_alice, investor_bob):
    """Alice holds 100 tokens and Bob 50, minted against reserves."""
    return _fund(cert, issuer, investor_alice, investor_bob)


@pytest.fixture(scope="module")
def funded_once(cert, issuer, investor_alice, investor_bob):
    """`funded`, minted once per module: a module whose every test uses `funded` overrides it with
    this one (see docs/testing.md)."""
    return _fund(cert, issuer, investor_alice, investor_bob)


@pytest.fixture
def schedule(cert, transfer_agent):
    """Schedules `multiplier()` -> `new_multiplier` after `delay` seconds with the next nonce."""

    def schedule(new_multiplier: int, delay: int = 3_600, nonce: int | None = None):
        activation = pinned_now() + delay
        use_nonce = cert.lastNonce() + 1 if nonce is None else nonce
        receipt = cert.scheduleMultiplierUpdate(
            cert.multiplier(), new_multiplier, activation, use_nonce, sender=transfer_agent
        )
        return receipt, activation

    return schedule
