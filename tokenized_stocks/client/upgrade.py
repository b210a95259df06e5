"""`ape run admin upgrade`: a proxied contract of the deployment moves to a new implementation.

In order, before anything is sent:
1. the contract is a proxied one of the manifest (`implementation` recorded) and the candidate is a
   contract of this project's build;
2. OpenZeppelin upgrades-core accepts the candidate as an upgrade of the implementation the proxy
   runs (`tokenized_stocks.governance.upgrade_safety.check_upgrade`: storage layout, upgrade-unsafe
   code): an unsafe candidate is refused, one line per problem, nothing deployed or proposed;
3. the acting address may upgrade (DEFAULT_ADMIN_ROLE: with `--safe` on a governed deployment, the
   timelock, so the upgrade is scheduled and waits its delay).

The candidate's implementation is deployed through the CREATE2 factory with the salt of
`implementation/<candidate>` (the same address on every chain; code already there is the same code,
and it is reused). An implementation has no authority and cannot be initialised, so deploying it
from the sender before the Safe proposes the upgrade is harmless. The plan is one call,
`upgradeToAndCall(implementation, "")` on the proxy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eth_utils import keccak

from tokenized_stocks.client.admin import Call, Plan
from tokenized_stocks.deploy.plan import FACTORY, SALT_PREFIX, create2_address, init_code
from tokenized_stocks.deploy.proxy import implementation_of
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.protocol.roles import DEFAULT_ADMIN_ROLE

if TYPE_CHECKING:
    from tokenized_stocks.client.admin import Admin


@dataclass(frozen=True)
class Implementation:
    """A candidate implementation: its contract, where the factory puts it and how."""

    name: str
    address: str
    salt: bytes
    code: bytes

    @property
    def factory_data(self) -> bytes:
        """The factory's calldata: the salt, then the init code."""
        return self.salt + self.code


def implementation_salt(candidate: str) -> bytes:
    """The CREATE2 salt of the implementation `candidate` (independent of the deployment's
    generation: the same code lands at the same address, whichever generation upgrades to it)."""
    return keccak(text=f"{SALT_PREFIX}/implementation/{candidate}")


def candidate_implementation(candidate: str) -> Implementation:
    """The project's contract `candidate` as an implementation to deploy (one line if unknown)."""
    from ape import project

    try:
        container = getattr(project, candidate)
    except AttributeError as err:
        raise UserError(f"no contract {candidate!r} in this project's build: nothing sent") from err
    contract_type = container.contract_type
    if (contract_type.deployment_bytecode.bytecode or "0x") == "0x":
        raise UserError(f"{candidate} is abstract or an interface: not an implementation: nothing sent")
    if contract_type.constructor.inputs:
        raise UserError(
            f"{candidate} takes constructor arguments: not an implementation (it is set up by "
            "`initialize` behind the proxy): nothing sent"
        )
    salt = implementation_salt(candidate)
    code = init_code(container, ())
    return Implementation(candidate, create2_address(salt, code), salt, code)


def proxied(admin: Admin, name: str) -> tuple[Any, str]:
    """The proxy recorded as `name` and the contract type it runs (the manifest's), or one line."""
    manifest = admin.suite.manifest
    record = manifest.contracts.get(name)
    if record is None:
        upgradeable = sorted(n for n, r in manifest.contracts.items() if r.implementation is not None)
        raise UserError(
            f"the manifest for chain {admin.suite.chain_id} has no contract {name!r}"
            f" (upgradeable: {', '.join(upgradeable) or 'none'}): nothing sent"
        )
    if record.implementation is None:
        raise UserError(f"{name} is not upgradeable (deployed without a proxy): nothing sent")
    return admin.suite._at(name), record.contract_type


def running(admin: Admin, name: str, proxy: Any, deployed_as: str) -> str:
    """The contract the proxy `name` runs now: the type it was deployed with while its
    implementation is the deployed one, else the contract whose deterministic implementation
    address (`implementation/<contract>`, what this command deploys) it delegates to."""
    from ape import project

    now = implementation_of(proxy.address)
    if now == admin.suite.manifest.contracts[name].implementation:
        return deployed_as
    for contract in project.contracts:
        container = getattr(project, contract)
        contract_type = container.contract_type
        if not contract_type.deployment_bytecode.bytecode or contract_type.constructor.inputs:
            continue  # an interface, an abstract contract, or no implementation (constructor arguments)
        if create2_address(implementation_salt(contract), init_code(container, ())) == now:
            return str(contract)
    raise UserError(
        f"{name} runs the implementation {now}, neither the one deployed with it nor one this "
        "command deployed: name the contract it runs with --from: nothing sent"
    )


def plan_upgrade(admin: Admin, name: str, candidate: str, reference: str | None = None) -> Plan:
    """The upgrade of the proxy `name` to the project's contract `candidate`: every check of the
    module's docstring, then one call (none if the proxy runs that implementation already).
    `reference`: the contract the proxy runs now (found when None, see `running`)."""
    from tokenized_stocks.governance.upgrade_safety import check_upgrade

    proxy, deployed_as = proxied(admin, name)
    implementation = candidate_implementation(candidate)
    if implementation_of(proxy.address) == implementation.address:
        return Plan("upgrade", f"{name} running {candidate} (implementation {implementation.address})")
    reference = reference or running(admin, name, proxy, deployed_as)
    check_upgrade(reference, candidate)
    admin._require(proxy, DEFAULT_ADMIN_ROLE, name)
    plan = Plan(
        "upgrade", f"upgrade {name} from {reference} to {candidate} (implementation {implementation.address})"
    )
    plan.calls.append(Call(name, proxy, "upgradeToAndCall", (implementation.address, b"")))
    return plan


def implementation_deployed(candidate: str) -> bool:
    """Whether the candidate's implementation is at its deterministic address already (False for
    a name that is no contract of the build: `plan_upgrade` refuses it)."""
    from ape import chain

    try:
        implementation = candidate_implementation(candidate)
    except UserError:
        return False
    return bool(chain.provider.get_code(implementation.address))


def ensure_deployed(admin: Admin, implementation: Implementation) -> str | None:
    """Deploys the implementation through the factory unless its code is there already; the
    transaction hash, or None when nothing was sent."""
    from ape import chain

    if chain.provider.get_code(implementation.address):
        return None
    if not chain.provider.get_code(FACTORY):
        raise UserError(
            f"chain {admin.suite.chain_id} has no CREATE2 factory at {FACTORY}: the implementation "
            "cannot be deployed at its deterministic address: nothing sent"
        )
    receipt = admin.sender.transfer(FACTORY, 0, data=implementation.factory_data)
    if not chain.provider.get_code(implementation.address):
        raise UserError(
            f"the factory left no code at {implementation.address} (tx {receipt.txn_hash}): nothing proposed"
        )
    return str(receipt.txn_hash)


def current_implementation(proxy: Any) -> str:
    """The implementation the proxy delegates to now (its ERC-1967 slot)."""
    return implementation_of(proxy.address)
