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

from tokenized_stocks.deploy.plan import FACTORY, SALT_PREFIX, create2_address, init_code
from tokenized_stocks.deploy.proxy import implementation_of
from tokenized_stocks.protocol.errors import UserError

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


def check_safe_upgrade(reference: str, candidate: str) -> None:
    """upgrades-core's verdict on `candidate` replacing `reference` (raises `UpgradeUnsafe`)."""
    from tokenized_stocks.governance.upgrade_safety import check_upgrade

    check_upgrade(reference, candidate)


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
