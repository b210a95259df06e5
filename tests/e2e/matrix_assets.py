"""The three architectures as the consistency matrix (tests/e2e/test_consistency_matrix.py) drives
them: how each is deployed on a chain, issued, split, frozen and force-transferred, and which
lifecycle events it has at all. Home chain is A; the transfer agent holds every role an event needs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.devtools.bridge import CHAIN_A, identity_params
from tokenized_stocks.protocol.identity import asset_id as derive_asset_id
from tokenized_stocks.protocol.roles import (
    COMPLIANCE_ROLE,
    REPORTER_ROLE,
    TRANSFER_AGENT_ROLE,
    Architecture,
    role,
)

SPLIT = "split"
CASH_DIVIDEND = "cash dividend"
FREEZE = "freeze"
FORCED_TRANSFER = "forced transfer"


@dataclass(frozen=True)
class Deployer:
    """The accounts and project the deployments use."""

    project: Any
    issuer: Any
    custodian: Any
    transfer_agent: Any


class MatrixAsset(ABC):
    """One architecture: its identity, its events, and the calls that make them happen."""

    kind: str
    isin: str
    ticker: str
    architecture: Architecture
    events: frozenset[str]

    def identity(self) -> tuple[Any, ...]:
        """`AssetIdentity.IdentityParams` of the asset, home chain A."""
        return identity_params(derive_asset_id(self.isin), self.isin, self.ticker, self.architecture, CHAIN_A)

    @abstractmethod
    def deploy(self, d: Deployer, registry: Any, home: bool) -> Any:
        """The asset on the current chain; `registry` holds alice and bob as verified investors."""

    @abstractmethod
    def issue(self, d: Deployer, token: Any, holder: Any, amount: int) -> None:
        """Gives `holder` `amount` new tokens on the home chain."""

    @abstractmethod
    def freeze(self, d: Deployer, token: Any, holder: Any) -> None:
        """Stops `holder` from moving anything of this asset on this chain."""

    @abstractmethod
    def force(self, d: Deployer, token: Any, source: Any, recipient: Any, amount: int) -> None:
        """Moves `amount` from `source` to `recipient` without the holder's consent (court order)."""

    def split(self, d: Deployer, token: Any, new: int, old: int) -> None:
        """Applies a `new`:`old` split on the home chain (chain A, the current one); only for an
        architecture whose `events` has SPLIT."""
        raise TypeError(f"the {self.kind} has no split (see its `events`)")


class Share(MatrixAsset):
    """RegistryShare: a split is an immediate multiplier change; dividends from record points."""

    kind = "share"
    isin = "US88160R1014"
    ticker = "TSLA"
    architecture = Architecture.REGISTRY_SHARE
    events = frozenset({SPLIT, CASH_DIVIDEND, FREEZE, FORCED_TRANSFER})

    def deploy(self, d: Deployer, registry: Any, home: bool) -> Any:
        token = deploy_behind_proxy(
            d.project,
            d.issuer,
            d.project.RegistryShare,
            d.issuer,
            registry,
            "Share TSLA",
            "TSLAs",
            self.identity(),
        )
        token.grantRole(role("TRANSFER_AGENT_ROLE"), d.transfer_agent, sender=d.issuer)
        return token

    def issue(self, d: Deployer, token: Any, holder: Any, amount: int) -> None:
        token.issue(holder, amount, "initial allotment", sender=d.transfer_agent)

    def freeze(self, d: Deployer, token: Any, holder: Any) -> None:
        token.setAddressFrozen(holder, True, "court order 7", sender=d.transfer_agent)

    def force(self, d: Deployer, token: Any, source: Any, recipient: Any, amount: int) -> None:
        token.forcedTransfer(source, recipient, amount, "court order 9", sender=d.transfer_agent)

    def split(self, d: Deployer, token: Any, new: int, old: int) -> None:
        token.split(new, old, f"{new}:{old} split", sender=d.transfer_agent)


# More tokens than any holder holds in a cell: the certificate freezes amounts, not wallets, and a
# frozen amount above the balance also withholds what arrives later (ERC-7943).
FREEZE_ALL = 10**6 * 10**18
SPLIT_NOTICE = 60  # seconds between scheduling a certificate's multiplier update and its activation


class Certificate(MatrixAsset):
    """TrackerCertificate (Backed / xStocks): a split is a scheduled multiplier update; the freeze is
    ERC-7943 frozen tokens. No cash dividend: the certificate's dividends are reinvested through the
    multiplier (the split path) and it keeps no record points a distributor could pay from."""

    kind = "certificate"
    isin = "US0378331005"
    ticker = "AAPL"
    architecture = Architecture.TRACKER_CERTIFICATE
    events = frozenset({SPLIT, FREEZE, FORCED_TRANSFER})

    def deploy(self, d: Deployer, registry: Any, home: bool) -> Any:
        sanctions = deploy_behind_proxy(d.project, d.issuer, d.project.SanctionsList, d.issuer)
        feed = d.issuer.deploy(d.project.AttestedFeed, d.issuer, 0, "AAPL reserves")
        feed.grantRole(REPORTER_ROLE, d.custodian, sender=d.issuer)
        token = deploy_behind_proxy(
            d.project,
            d.issuer,
            d.project.TrackerCertificate,
            self.identity(),
            ("Tracker AAPL", "AAPLx", d.issuer, sanctions, feed, 86_400),
        )
        token.grantRole(role("MINTER_ROLE"), d.issuer, sender=d.issuer)
        token.grantRole(TRANSFER_AGENT_ROLE, d.transfer_agent, sender=d.issuer)
        if home:
            feed.report(1_000_000, sender=d.custodian)
        return token

    def issue(self, d: Deployer, token: Any, holder: Any, amount: int) -> None:
        token.mint(holder, amount, sender=d.issuer)

    def freeze(self, d: Deployer, token: Any, holder: Any) -> None:
        token.setFrozenTokens(holder, FREEZE_ALL, sender=d.transfer_agent)

    def force(self, d: Deployer, token: Any, source: Any, recipient: Any, amount: int) -> None:
        token.forcedTransfer(source, recipient, amount, sender=d.transfer_agent)

    def split(self, d: Deployer, token: Any, new: int, old: int) -> None:
        from ape import chain  # noqa: PLC0415

        current = int(token.multiplier())
        activation = chain.pending_timestamp + SPLIT_NOTICE
        nonce = int(token.lastNonce()) + 1
        token.scheduleMultiplierUpdate(
            current, current * new // old, activation, nonce, sender=d.transfer_agent
        )
        chain.mine(timestamp=activation)  # the update is active from this block on


class Order(MatrixAsset):
    """OrderToken (mint-on-order): the multiplier is fixed at 1e18 and cash dividends are paid off
    chain by the issuer, so it has neither splits nor dividends on chain; the freeze is a wallet
    freeze by the compliance officer (here the transfer agent)."""

    kind = "order"
    isin = "US5949181045"
    ticker = "MSFT"
    architecture = Architecture.MINT_ON_ORDER
    events = frozenset({FREEZE, FORCED_TRANSFER})

    def deploy(self, d: Deployer, registry: Any, home: bool) -> Any:
        sanctions = deploy_behind_proxy(d.project, d.issuer, d.project.SanctionsList, d.issuer)
        desk = d.issuer.deploy(d.project.MockOrderDesk)  # stands in for the desk (pause flag, minting)
        token = deploy_behind_proxy(
            d.project,
            d.issuer,
            d.project.OrderToken,
            d.issuer,
            "Order MSFT",
            "MSFTo",
            self.identity(),
            desk,
            registry,
            sanctions,
        )
        token.grantRole(COMPLIANCE_ROLE, d.transfer_agent, sender=d.issuer)
        return token

    def issue(self, d: Deployer, token: Any, holder: Any, amount: int) -> None:
        d.project.MockOrderDesk.at(token.desk()).mint(token, holder, amount, sender=d.issuer)

    def freeze(self, d: Deployer, token: Any, holder: Any) -> None:
        token.setFrozen(holder, True, sender=d.transfer_agent)

    def force(self, d: Deployer, token: Any, source: Any, recipient: Any, amount: int) -> None:
        token.forcedTransfer(source, recipient, amount, sender=d.transfer_agent)


ASSETS: dict[str, MatrixAsset] = {asset.kind: asset for asset in (Share(), Certificate(), Order())}
