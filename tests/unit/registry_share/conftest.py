"""Fixtures of the registry share: a share on a fresh registry, onboarded investors, cash, corporate.

The share, its registry with the onboarded investors, the cash token and the corporate-action
contracts are set up once per module (ape reverts each test to the state after them); `funded`
(shares issued to Alice and Bob) stays function-scoped so that tests without it see no holders.
"""

from __future__ import annotations

import ape
import pytest
from eth_utils import keccak

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.identity import asset_id
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.protocol.roles import (
    PAUSER_ROLE,
    SNAPSHOT_ROLE,
    TRANSFER_AGENT_ROLE,
    Architecture,
    Country,
)

ISIN = "US0378331005"
REASON = "board resolution 2026-11"


def identity_params(chain_id: int) -> tuple:
    """`AssetIdentity.IdentityParams` of the test share, home chain `chain_id`."""
    return (
        asset_id(ISIN),
        ISIN,
        "AAPL",
        Architecture.REGISTRY_SHARE,
        chain_id,
        "ipfs://terms",
        keccak(text="terms v1"),
        b"4H95J0R2X",
    )


@ape.fixture(scope="session", chain_isolation=False)
def deploy_share(project, chain, issuer, transfer_agent, guardian):
    """Factory: a RegistryShare on `registry`, roles granted to the transfer agent and guardian."""

    def deploy(registry, home_chain_id: int | None = None):
        share = deploy_behind_proxy(
            project,
            issuer,
            project.RegistryShare,
            issuer,
            registry,
            "Apple Registry Share",
            "AAPL.R",
            identity_params(home_chain_id or chain.chain_id),
        )
        share.grantRole(TRANSFER_AGENT_ROLE, transfer_agent, sender=issuer)
        share.grantRole(PAUSER_ROLE, guardian, sender=issuer)
        share.grantRole(PAUSER_ROLE, transfer_agent, sender=issuer)
        return share

    return deploy


@pytest.fixture(scope="module")
def share(deploy_share, registry):
    return deploy_share(registry)


@ape.fixture(scope="session", chain_isolation=False)
def investor_dave(accounts):
    """A fourth investor's wallet (US)."""
    return accounts[16]


@pytest.fixture(scope="module")
def investors(
    registry, onboard, investor_alice, investor_alice_2, investor_bob, investor_carol, investor_dave
):
    """Alice (US, two wallets), Bob (US), Carol (GB), Dave (US): their investor ids."""
    return {
        "alice": onboard(registry, "alice", investor_alice, investor_alice_2, country=Country.US),
        "bob": onboard(registry, "bob", investor_bob, country=Country.US),
        "carol": onboard(registry, "carol", investor_carol, country=Country.GB),
        "dave": onboard(registry, "dave", investor_dave, country=Country.US),
    }


def _fund(share, transfer_agent, investor_alice, investor_bob):
    share.issue(investor_alice, 100 * ONE, REASON, sender=transfer_agent)
    share.issue(investor_bob, 50 * ONE, REASON, sender=transfer_agent)
    return share


@pytest.fixture
def funded(share, investors, transfer_agent, investor_alice, investor_bob):
    """Alice holds 100 shares, Bob 50; returns the share."""
    return _fund(share, transfer_agent, investor_alice, investor_bob)


@pytest.fixture(scope="module")
def funded_once(share, investors, transfer_agent, investor_alice, investor_bob):
    """`funded`, issued once per module: a module whose every test uses `funded` overrides it with
    this one (see docs/testing.md)."""
    return _fund(share, transfer_agent, investor_alice, investor_bob)


@pytest.fixture(scope="module")
def cash(project, issuer):
    return issuer.deploy(project.MockCash)


@pytest.fixture(scope="module")
def distributor(project, share, issuer, transfer_agent):
    """The share's dividend distributor (holds SNAPSHOT_ROLE on the share)."""
    contract = deploy_behind_proxy(project, issuer, project.DividendDistributor, issuer, share)
    contract.grantRole(TRANSFER_AGENT_ROLE, transfer_agent, sender=issuer)
    share.grantRole(SNAPSHOT_ROLE, contract, sender=issuer)
    return contract


@pytest.fixture(scope="module")
def ballot_box(project, share, issuer, transfer_agent):
    """The share's ballot box (holds SNAPSHOT_ROLE on the share)."""
    contract = deploy_behind_proxy(project, issuer, project.BallotBox, issuer, share)
    contract.grantRole(TRANSFER_AGENT_ROLE, transfer_agent, sender=issuer)
    share.grantRole(SNAPSHOT_ROLE, contract, sender=issuer)
    return contract
