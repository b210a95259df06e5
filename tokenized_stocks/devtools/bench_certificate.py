"""Certificate gas benchmark (plain OZ transfer vs certificate paths), reused by `ape run bench`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.protocol.roles import MINTER_ROLE, TRANSFER_AGENT_ROLE


@dataclass(frozen=True)
class CertificateGas:
    """Gas used by one operation of each kind, measured in the same run."""

    plain_transfer: int
    transfer: int
    mint: int
    corporate_action: int
    transfer_live_screening: int
    transfer_pending_update: int
    set_sanctioned_pushed: int
    sync_one_account: int
    crosschain_burn_units: int
    crosschain_mint_units: int

    @property
    def transfer_ratio(self) -> float:
        return self.transfer / self.plain_transfer

    @property
    def live_screening_ratio(self) -> float:
        """Transfer with live screening on (an oracle call per party, the issuer's option)."""
        return self.transfer_live_screening / self.plain_transfer


def benchmark_certificate_gas(project: Any, admin: Any, holder_a: Any, holder_b: Any) -> CertificateGas:
    """Deploys a plain OZ ERC20 and a certificate wired to a real `SanctionsList` (subscribed, so the
    list pushes to the certificate's cached flags) and a reserve feed, in the same run, and
    measures: a transfer between existing holders of each (the certificate checks the cached
    flags, no oracle call); a mint against reserves; `setSanctioned` pushing to the certificate;
    a permissionless `syncSanctions` of one account that changes its flag; the same transfer with
    live screening on (two cold oracle calls); the scheduling of a 2:1 split (corporate action);
    a transfer while that split is pending (the slow path, one more slot). `admin` takes every
    role; `holder_a` and `holder_b` end with balances.
    """
    from ape import chain

    from tokenized_stocks.protocol.identity import asset_id
    from tokenized_stocks.protocol.roles import COMPLIANCE_ROLE, REPORTER_ROLE, Architecture

    amount = 1_000 * ONE
    plain = admin.deploy(project.PlainERC20)
    plain.mint(holder_a, amount, sender=admin)
    plain.mint(holder_b, amount, sender=admin)
    plain_transfer = plain.transfer(holder_b, ONE, sender=holder_a).gas_used

    sanctions = deploy_behind_proxy(project, admin, project.SanctionsList, admin)
    sanctions.grantRole(COMPLIANCE_ROLE, admin, sender=admin)
    feed = admin.deploy(project.AttestedFeed, admin, 0, "BENCH reserves")
    feed.grantRole(REPORTER_ROLE, admin, sender=admin)
    feed.report(1_000_000, sender=admin)
    isin = "US0378331005"
    identity = (
        asset_id(isin),
        isin,
        "AAPL",
        Architecture.TRACKER_CERTIFICATE,
        chain.chain_id,
        "ipfs://t",
        b"\x01" * 32,
        b"4H95J0R2X",
    )
    config = ("Bench Certificate", "bAAPL", admin, sanctions, feed, 86_400)
    cert = deploy_behind_proxy(project, admin, project.TrackerCertificate, identity, config)
    sanctions.addSubscriber(cert, sender=admin)
    for role_id in (MINTER_ROLE, TRANSFER_AGENT_ROLE):
        cert.grantRole(role_id, admin, sender=admin)
    cert.mint(holder_a, amount, sender=admin)
    mint = cert.mint(holder_b, amount, sender=admin).gas_used
    transfer = cert.transfer(holder_b, ONE, sender=holder_a).gas_used
    # The certificate's share of the gateway's send + receive: the units burn and mint it is
    # called for (through a mock gateway; the real gateway adds its own cost).
    mock_gateway = admin.deploy(project.MockGatewaySupply)
    cert.setGateway(mock_gateway, sender=admin)
    crosschain_burn = mock_gateway.burnOn(cert, holder_a, ONE, sender=admin).gas_used
    crosschain_mint = mock_gateway.mintOn(cert, holder_b, ONE, sender=admin).gas_used
    # A third party, listed and delisted: the push (one subscriber) and a pull that flips a flag.
    bystander = plain.address
    set_sanctioned = sanctions.setSanctioned(bystander, True, sender=admin).gas_used
    sanctions.removeSubscriber(cert, sender=admin)
    sanctions.setSanctioned(bystander, False, sender=admin)
    sync_one = cert.syncSanctions([bystander], sender=holder_a).gas_used
    sanctions.addSubscriber(cert, sender=admin)
    cert.setLiveScreening(True, sender=admin)
    transfer_live = cert.transfer(holder_b, ONE, sender=holder_a).gas_used
    cert.setLiveScreening(False, sender=admin)
    current = cert.multiplier()
    corporate_action = cert.scheduleMultiplierUpdate(
        current, current * 2, chain.pending_timestamp + 3_600, 1, sender=admin
    ).gas_used
    # Slow path: with an update scheduled (or a fee running) a transfer reads one more slot.
    transfer_pending = cert.transfer(holder_b, ONE, sender=holder_a).gas_used
    return CertificateGas(
        plain_transfer,
        transfer,
        mint,
        corporate_action,
        transfer_live,
        transfer_pending,
        set_sanctioned,
        sync_one,
        crosschain_burn,
        crosschain_mint,
    )
