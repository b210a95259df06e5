"""Deploying and wiring gateways with ape: shared by the tests, the deploy and the demo scripts.

Every function acts on the chain ape is connected to when it is called; for two chains, call it
inside each provider context (`with chains.on_b(): ...` in tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount

from tokenized_stocks.roles import role

PAUSER_ROLE = role("PAUSER_ROLE")


def local_signer(ape_account: Any) -> LocalAccount:
    """The eth-account signer of an ape test account (operators sign off-chain with it)."""
    return Account.from_key(ape_account.private_key)


def deploy_gateway(project: Any, admin: Any, operators: Sequence[Any], threshold: int) -> Any:
    """Deploys a Gateway with `admin` as DEFAULT_ADMIN_ROLE/PAUSER_ROLE and the operator set."""
    return admin.deploy(project.Gateway, admin, [op.address for op in operators], threshold)


def link_gateway(gateway: Any, admin: Any, remote_chain_id: int, remote_gateway: str) -> None:
    """Registers the gateway of another chain (source of trusted messages, destination of sends)."""
    gateway.setRemoteGateway(remote_chain_id, remote_gateway, sender=admin)


def register_asset(gateway: Any, admin: Any, token: Any) -> bytes:
    """Registers `token` under its own asset id and ISIN, makes the gateway its gateway if the
    admin may (`setGateway`), and returns the asset id."""
    asset_id = bytes(token.assetId())
    gateway.registerAsset(asset_id, token.isin(), token.address, sender=admin)
    if token.gateway() != gateway.address:
        token.setGateway(gateway.address, sender=admin)
    return asset_id


def identity_params(
    asset_id: bytes, isin: str, ticker: str, architecture: int, home_chain_id: int
) -> tuple[Any, ...]:
    """`AssetIdentity.IdentityParams` for a test or demo asset."""
    return (asset_id, isin, ticker, architecture, home_chain_id, "ipfs://terms", b"\x01" * 32)
