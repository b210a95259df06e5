"""Gateway unit fixtures: one gateway on chain A, home of a mock asset, trusting a remote gateway
of chain B (31338) whose messages the tests forge and sign with the operators' keys.

The asset and the gateway are deployed once per module (ape reverts each test to the state after
them); `funded` (Alice's 1,000 units) stays function-scoped so that tests without it see none.
"""

from __future__ import annotations

from collections.abc import Callable

import ape
import pytest

from tokenized_stocks.devtools.bridge import (
    deploy_gateway,
    identity_params,
    link_gateway,
    local_signer,
    register_asset,
)
from tokenized_stocks.protocol.identity import asset_id as derive_asset_id
from tokenized_stocks.protocol.message import Message, MessageKind, attest, transfer_message
from tokenized_stocks.protocol.roles import Architecture

ISIN = "US0378331005"
OTHER_ISIN = "US5949181045"
CHAIN_A = 31337
CHAIN_B = 31338
REMOTE_GATEWAY = "0x00000000000000000000000000000000000b0B0b"  # checksummed
HOUR = 3600


@ape.fixture(scope="session", chain_isolation=False)
def asset_id() -> bytes:
    return derive_asset_id(ISIN)


@ape.fixture(scope="session", chain_isolation=False)
def make_asset(project, issuer):
    """Factory: a MockCrosschainAsset with `ISIN` (or another) whose home is `home_chain_id`."""

    def make(home_chain_id: int = CHAIN_A, isin: str = ISIN):
        params = identity_params(
            derive_asset_id(isin), isin, "AAPL", Architecture.TRACKER_CERTIFICATE, home_chain_id
        )
        return issuer.deploy(project.MockCrosschainAsset, issuer, params)

    return make


@pytest.fixture(scope="module")
def token(make_asset):
    return make_asset()


@pytest.fixture(scope="module")
def gateway(project, issuer, operators, token, guardian):
    gw = deploy_gateway(project, issuer, operators, 2)
    link_gateway(gw, issuer, CHAIN_B, REMOTE_GATEWAY)
    register_asset(gw, issuer, token)
    gw.grantRole(gw.PAUSER_ROLE(), guardian, sender=issuer)
    return gw


@ape.fixture(scope="session", chain_isolation=False)
def signers(operators):
    return [local_signer(op) for op in operators]


@pytest.fixture
def funded(token, issuer, investor_alice):
    """Alice holds 1,000 units on chain A."""
    token.mint(investor_alice, 1_000, sender=issuer)
    return token


@pytest.fixture
def inbound(chain, gateway, asset_id, investor_alice, investor_bob) -> Callable[..., Message]:
    """Factory: a Transfer from chain B's gateway to this gateway on chain A (nonce, units,
    recipient... overridable)."""

    def make(nonce: int = 0, units: int = 100, **changes) -> Message:
        message = transfer_message(
            src_chain_id=CHAIN_B,
            dst_chain_id=CHAIN_A,
            src_gateway=REMOTE_GATEWAY,
            dst_gateway=gateway.address,
            nonce=nonce,
            asset_id=asset_id,
            sender=investor_bob.address,
            recipient=investor_alice.address,
            units=units,
            expiry=chain.pending_timestamp + HOUR,
        )
        return message.with_(**changes) if changes else message

    return make


@pytest.fixture
def sign(gateway, signers) -> Callable[..., list[bytes]]:
    """Factory: the signatures of `who` (default: the first two operators) for `message`, from
    `source` (default: the message's own source gateway) to this gateway."""

    def do(message: Message, who=None, source: str | None = None) -> list[bytes]:
        source = message.src_gateway if source is None else source
        return attest(message, source, gateway.address, signers[:2] if who is None else who)

    return do


@pytest.fixture
def seed_supply_elsewhere(gateway, funded, investor_alice, chain):
    """Alice sends 500 units to chain B so that returns and inbound transfers have supply to undo."""

    def seed(units: int = 500) -> None:
        gateway.send(
            bytes(funded.assetId()),
            CHAIN_B,
            investor_alice,
            units,
            chain.pending_timestamp + HOUR,
            sender=investor_alice,
        )

    return seed


__all__ = ["MessageKind"]
