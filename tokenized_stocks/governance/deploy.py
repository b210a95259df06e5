"""Deploys the governance layer and hands every contract's admin role over to it.

`deploy_governance`: the Safe 1.5.0 singleton, proxy factory and fallback handler, the issuer's
Safe (a proxy created through the factory, at an address predicted from its owners and salt), and
the `GovernanceTimelock` whose proposer, canceller and executor is that Safe.

`hand_over`: on every AccessControl contract of the suite the timelock is granted
DEFAULT_ADMIN_ROLE, the guardian holds PAUSER_ROLE where the contract declares it, and then the
deployer renounces DEFAULT_ADMIN_ROLE. Routine role keys (registrar, transfer agent, custodian,
reporters, executor, treasury, minter) keep their roles: only granting and revoking them, and the
admin-only functions, now wait for the timelock.

Everything runs through the resumable `Deployer` (one transaction per step, checked against chain
state), so `--dry-run` plans it and an interrupted run resumes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tokenized_stocks.deploy.deployer import Deployer
from tokenized_stocks.deploy.manifest import GovernanceRecord
from tokenized_stocks.deploy.suite import grant
from tokenized_stocks.governance.config import GovernanceConfig
from tokenized_stocks.governance.roles import role_table
from tokenized_stocks.governance.safe import SAFE_VERSION, container, predicted_safe_address, setup_calldata
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.protocol.roles import DEFAULT_ADMIN_ROLE, PAUSER_ROLE

ZERO_ADDRESS = "0x" + "00" * 20

#: Manifest names of the governance contracts (not handed over: they govern themselves).
SAFE_NAMES = ("Safe.Singleton", "Safe.ProxyFactory", "Safe.FallbackHandler")
TIMELOCK_NAME = "GovernanceTimelock"


@dataclass
class Governance:
    """The deployed governance layer of one chain."""

    safe: str
    timelock: Any
    owners: list[str]
    threshold: int
    min_delay: int
    guardian: str
    singleton: Any
    factory: Any
    handler: Any


def deploy_governance(
    d: Deployer, project: Any, config: GovernanceConfig, owners: list[str], guardian: str
) -> Governance:
    """The Safe (`owners`, `config.threshold`) and the timelock (`config.min_delay`) it proposes to."""
    if not owners:
        raise UserError("governance: the Safe needs at least one owner (`governance.owners`)")
    if config.threshold > len(owners):
        raise UserError(f"governance: threshold {config.threshold} exceeds the {len(owners)} owners")
    admin = d.account
    singleton = d.contract("Safe.Singleton", container("SafeL2"))
    factory = d.contract("Safe.ProxyFactory", container("SafeProxyFactory"))
    handler = d.contract("Safe.FallbackHandler", container("CompatibilityFallbackHandler"))
    initializer = setup_calldata(owners, config.threshold, str(handler.address))
    safe = predicted_safe_address(
        str(factory.address), str(singleton.address), initializer, config.salt_nonce
    )

    def created() -> bool:
        from ape import chain

        return bool(chain.provider.get_code(safe))

    d.step(
        f"Safe: create {safe}",
        lambda: factory.createProxyWithNonce(singleton, initializer, config.salt_nonce, sender=admin),
        done=created,
    )
    timelock = d.contract(
        TIMELOCK_NAME, project.GovernanceTimelock, config.min_delay, [safe], [safe], ZERO_ADDRESS
    )
    return Governance(
        safe,
        timelock,
        list(owners),
        config.threshold,
        config.min_delay,
        guardian,
        singleton,
        factory,
        handler,
    )


def _declares(contract_type: Any, getter: str) -> bool:
    return any(m.name == getter and not m.inputs for m in contract_type.view_methods)


def suite_contracts(d: Deployer, project: Any) -> dict[str, Any]:
    """Every AccessControl contract of the deployment (recorded in the manifest, or planned), by
    manifest name, the governance contracts left out."""
    found: dict[str, tuple[str, str]] = {
        name: (record.contract_type, record.address) for name, record in d.manifest.contracts.items()
    }
    if d.plan is not None:
        found |= {
            tx.name: (tx.contract, str(tx.address))
            for tx in d.plan.txs
            if tx.kind == "deploy" and tx.upgradeable != "implementation"  # the code behind a proxy
        }
    contracts: dict[str, Any] = {}
    for name, (contract_type, address) in found.items():
        if name in SAFE_NAMES or name == TIMELOCK_NAME:
            continue
        try:
            holder = getattr(project, contract_type)
        except AttributeError:
            continue
        if _declares(holder.contract_type, "DEFAULT_ADMIN_ROLE"):
            contracts[name] = d.at(name, holder, address)
    return contracts


def _address(account: Any) -> str:
    return str(getattr(account, "address", account)).lower()


def hand_over(
    d: Deployer,
    contracts: Mapping[str, Any],
    timelock: Any,
    guardian: Any,
    former_pausers: Sequence[Any] = (),
) -> None:
    """Grants the timelock DEFAULT_ADMIN_ROLE and the guardian PAUSER_ROLE on each contract, then
    the deployer (`d.account`) renounces DEFAULT_ADMIN_ROLE on each: after it, no key but the
    timelock can grant a role or call an admin-only function. A deployer that is not the guardian
    renounces PAUSER_ROLE too, and `former_pausers` (a guardian the suite was deployed with) lose it:
    the guardian alone pauses."""
    admin = d.account
    for name, contract in contracts.items():
        if _declares(contract.contract_type, "PAUSER_ROLE"):
            grant(d, f"{name}: grant PAUSER_ROLE to the guardian", contract, PAUSER_ROLE, guardian, admin)
            for former in former_pausers:
                if _address(former) not in (_address(guardian), _address(admin)):
                    revoke(
                        d,
                        f"{name}: revoke PAUSER_ROLE of {_address(former)}",
                        contract,
                        PAUSER_ROLE,
                        former,
                        admin,
                    )
        grant(
            d,
            f"{name}: grant DEFAULT_ADMIN_ROLE to the timelock",
            contract,
            DEFAULT_ADMIN_ROLE,
            timelock,
            admin,
        )
    for name, contract in contracts.items():
        if _declares(contract.contract_type, "PAUSER_ROLE") and _address(guardian) != _address(admin):
            # the Gateway's constructor makes its admin a pauser too: the guardian alone pauses
            renounce(d, f"{name}: the deployer renounces PAUSER_ROLE", contract, PAUSER_ROLE, admin)
        renounce(d, f"{name}: the deployer renounces DEFAULT_ADMIN_ROLE", contract, DEFAULT_ADMIN_ROLE, admin)


def revoke(d: Deployer, name: str, contract: Any, role_id: bytes, account: Any, admin: Any) -> None:
    """Step `name`: `admin` revokes `role_id` from `account` on `contract` (skipped when not held)."""
    d.step(
        name,
        lambda: contract.revokeRole(role_id, account, sender=admin),
        done=lambda: not contract.hasRole(role_id, account),
    )


def renounce(d: Deployer, name: str, contract: Any, role_id: bytes, account: Any) -> None:
    """Step `name`: `account` renounces `role_id` on `contract` (skipped when it does not hold it)."""
    d.step(
        name,
        lambda: contract.renounceRole(role_id, account, sender=account),
        done=lambda: not contract.hasRole(role_id, account),
    )


def govern(
    d: Deployer,
    project: Any,
    config: GovernanceConfig,
    owners: list[str],
    guardian: str,
    known: list[str],
    former_pausers: Sequence[Any] = (),
) -> Governance:
    """Deploys the governance layer, hands the suite over to it and records it in the manifest
    (`known`: the addresses whose roles the record lists, besides the Safe and the timelock)."""
    governance = deploy_governance(d, project, config, owners, guardian)
    contracts = suite_contracts(d, project)
    hand_over(d, contracts, governance.timelock, guardian, former_pausers)
    if not d.dry_run:
        d.manifest.governance = record(governance, contracts, [str(d.account.address), *known])
        d.save(d.manifest)
    return governance


def record(governance: Governance, contracts: Mapping[str, Any], known: list[str]) -> GovernanceRecord:
    """The manifest's `governance` entry: the Safe, the timelock, and each role's holders and delay."""
    timelock = str(governance.timelock.address)
    candidates = list(
        dict.fromkeys([timelock, governance.safe, governance.guardian, *governance.owners, *known])
    )
    return GovernanceRecord(
        safe=governance.safe,
        safe_version=SAFE_VERSION,
        owners=governance.owners,
        threshold=governance.threshold,
        timelock=timelock,
        min_delay=governance.min_delay,
        guardian=governance.guardian,
        roles=role_table(contracts, candidates, timelock, governance.min_delay),
    )
