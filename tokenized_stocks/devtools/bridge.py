"""Deploying and wiring gateways with ape: shared by the tests, the deploy and the demo scripts.

Every function acts on the chain ape is connected to when it is called; for two chains, call it
inside each provider context (`with chains.on_b(): ...` in tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount

from tokenized_stocks.attestor.local import InProcessAttestor
from tokenized_stocks.attestor.server import ThreadedServer
from tokenized_stocks.attestor.service import Attestor, WatchedChain
from tokenized_stocks.attestor.store import AttestorStore
from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.identity import asset_id as derive_asset_id
from tokenized_stocks.protocol.identity import dti_bytes, provisional_dti
from tokenized_stocks.protocol.roles import Architecture
from tokenized_stocks.relayer.config import ChainEndpoint, RelayerConfig
from tokenized_stocks.relayer.service import Relayer

ISIN = "US0378331005"
CHAIN_A = 31337
CHAIN_B = 31338
HOUR = 3600


def local_signer(ape_account: Any) -> LocalAccount:
    """The eth-account signer of an ape test account (an attestor signs off-chain with it)."""
    return Account.from_key(ape_account.private_key)


def in_process_attestors(
    operators: Sequence[Any], chains: Sequence[WatchedChain], db_prefix: str, confirmations: int = 0
) -> list[InProcessAttestor]:
    """One attestor object per operator, each with its own key and its own SQLite file
    (`<db_prefix>.attestor<i>.sqlite`), watching `chains`. The relayer asks them; it never holds
    their keys."""
    return [
        InProcessAttestor(
            Attestor(
                local_signer(op),
                chains,
                AttestorStore(f"{db_prefix}.attestor{i}.sqlite"),
                confirmations=confirmations,
            )
        )
        for i, op in enumerate(operators)
    ]


def deploy_gateway(project: Any, admin: Any, operators: Sequence[Any], threshold: int) -> Any:
    """Deploys a Gateway behind its proxy with `admin` as DEFAULT_ADMIN_ROLE/PAUSER_ROLE and the
    operator set; returns the Gateway at the proxy's address."""
    return deploy_behind_proxy(
        project, admin, project.Gateway, admin, [op.address for op in operators], threshold
    )


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
    """`IAssetIdentity.IdentityParams` for a test or demo asset."""
    return (
        asset_id,
        isin,
        ticker,
        architecture,
        home_chain_id,
        "ipfs://terms",
        b"\x01" * 32,
        dti_bytes(provisional_dti(isin)),
    )


# Two chains in tests (chain A = home of a mock asset, chain B = remote), see tests/e2e.


@dataclass
class Bridge:
    chains: Any
    asset_id: bytes
    token_a: Any
    gateway_a: Any
    token_b: Any
    gateway_b: Any
    uri_a: str
    uri_b: str
    operators: list[Any]
    submitter: Any

    def attestors(self, db_prefix: str, operators: Sequence[Any] | None = None) -> list[InProcessAttestor]:
        """In-process attestors of `operators` (default: the gateways' operators) on both chains."""
        watched = [
            WatchedChain(self.uri_a, str(self.gateway_a.address)),
            WatchedChain(self.uri_b, str(self.gateway_b.address)),
        ]
        return in_process_attestors(self.operators if operators is None else operators, watched, db_prefix)

    def served_attestors(self, db_prefix: str) -> list[ThreadedServer]:
        """The same attestors behind their HTTP API, on threads of this process (stop each)."""
        return [ThreadedServer(endpoint.attestor) for endpoint in self.attestors(db_prefix)]

    def relayer(
        self, db_path: str, fault: Any = None, attestors: Sequence[Any] | None = None, **options: Any
    ) -> Relayer:
        """A relayer on `db_path` asking `attestors` (default: in-process attestors of the
        gateways' operators, with their own stores beside `db_path`)."""
        config = RelayerConfig(
            chain_a=ChainEndpoint("A", self.uri_a, self.gateway_a.address),
            chain_b=ChainEndpoint("B", self.uri_b, self.gateway_b.address),
            submitter=local_signer(self.submitter),
            attestors=list(attestors) if attestors is not None else self.attestors(db_path),
            db_path=db_path,
            **options,
        )
        return Relayer(config, fault=fault)

    def send_a(self, who: Any, recipient: Any, units: int, ttl: int = HOUR) -> Any:
        return self.gateway_a.send(
            self.asset_id, CHAIN_B, recipient, units, _chain().pending_timestamp + ttl, sender=who
        )

    def send_b(self, who: Any, recipient: Any, units: int, ttl: int = HOUR) -> Any:
        with self.chains.on_b():
            return self.gateway_b.send(
                self.asset_id, CHAIN_A, recipient, units, _chain().pending_timestamp + ttl, sender=who
            )

    def units_b(self, who: Any) -> int:
        with self.chains.on_b():
            return int(self.token_b.unitsOf(who))

    def total_units_b(self) -> int:
        with self.chains.on_b():
            return int(self.token_b.totalUnits())


def build_bridge(chains: Any, project: Any, issuer: Any, operators: list[Any], submitter: Any) -> Bridge:
    asset_id = derive_asset_id(ISIN)
    params = identity_params(asset_id, ISIN, "AAPL", Architecture.TRACKER_CERTIFICATE, CHAIN_A)
    token_a = issuer.deploy(project.MockCrosschainAsset, issuer, params)
    gateway_a = deploy_gateway(project, issuer, operators, 2)
    register_asset(gateway_a, issuer, token_a)
    uri_a = _chain().provider.http_uri
    with chains.on_b():
        token_b = issuer.deploy(project.MockCrosschainAsset, issuer, params)
        gateway_b = deploy_gateway(project, issuer, operators, 2)
        register_asset(gateway_b, issuer, token_b)
        link_gateway(gateway_b, issuer, CHAIN_A, gateway_a.address)
    link_gateway(gateway_a, issuer, CHAIN_B, gateway_b.address)
    return Bridge(
        chains, asset_id, token_a, gateway_a, token_b, gateway_b, uri_a, chains.node.uri, operators, submitter
    )


def _chain() -> Any:
    from ape import chain

    return chain
