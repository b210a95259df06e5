"""A deployment's plan: every transaction a run would send, built without sending any.

`Deployer(plan=Plan(...))` runs the suite's wiring against stand-ins (`Planned`): a contract not yet
deployed gets the address its CREATE2 deployment through the deterministic deployment proxy
(`FACTORY`) will give it (from its salt and its init code, the same on every chain), a contract
already in the manifest keeps its address, and each call made on a stand-in is
encoded with the contract's ABI and recorded, with its sender, instead of being sent. The plan is
what `ape run deploy --dry-run` prints (with the grantees of every role), what a real run counts its
steps against, and what a simulation on a fork of the chain measures the gas of
(`tokenized_stocks.cli.dryrun`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import rlp  # type: ignore[import-untyped]
from eth_utils import keccak, to_bytes, to_checksum_address

from tokenized_stocks.protocol import roles as _roles


def create_address(sender: str, nonce: int) -> str:
    """The address of the contract `sender` deploys with its transaction of nonce `nonce` (CREATE)."""
    return to_checksum_address(keccak(rlp.encode([to_bytes(hexstr=sender), nonce]))[12:])


#: The deterministic deployment proxy (Arachnid's CREATE2 factory), at this address on every chain
#: that has it (anvil predeploys it; most public chains have it from its presigned transaction).
#: Called with `salt (32 bytes) ++ init code`, it CREATE2s the contract and returns its address.
FACTORY = "0x4e59b44847b379578588920cA78FbF26c0B4956C"

#: The prefix of every salt: `keccak("tokenized-stocks/<generation>/<manifest name>")`.
SALT_PREFIX = "tokenized-stocks"


def deployment_salt(generation: int, name: str) -> bytes:
    """The CREATE2 salt of contract `name` (its manifest name) in deployment generation `generation`:
    the same on every chain, new for every generation (`ape run deploy --force` bumps it)."""
    return keccak(text=f"{SALT_PREFIX}/{generation}/{name}")


def create2_address(salt: bytes, init_code: bytes, factory: str = FACTORY) -> str:
    """The address `factory` CREATE2s `init_code` at with `salt` (EIP-1014)."""
    digest = keccak(b"\xff" + to_bytes(hexstr=factory) + salt + keccak(init_code))
    return to_checksum_address(digest[12:])


def init_code(container: Any, args: tuple[Any, ...]) -> bytes:
    """A contract's creation bytecode followed by its ABI-encoded constructor arguments."""
    contract_type = container.contract_type
    bytecode = contract_type.deployment_bytecode.bytecode or "0x"
    return to_bytes(hexstr=bytecode) + to_bytes(hexstr=_encode(contract_type.constructor, args))


def calldata(abi: Any, args: tuple[Any, ...]) -> bytes:
    """The calldata of a call of the function `abi` with `args`: selector, then the arguments."""
    return keccak(text=abi.selector)[:4] + to_bytes(hexstr=_encode(abi, args))


#: bytes32 role id -> its name (`PAUSER_ROLE`), for the grantees of a plan.
ROLE_NAMES: dict[bytes, str] = {
    value: name for name, value in vars(_roles).items() if name.endswith("_ROLE") and isinstance(value, bytes)
}


@dataclass
class PlannedTx:
    """One transaction of the plan: a contract deployment or a step's call."""

    name: str
    kind: Literal["deploy", "step"]
    sender: str
    contract: str
    to: str | None
    data: str
    method: str | None = None
    #: `(role name, account)` for a `grantRole` call.
    grant: tuple[str, str] | None = None
    #: The address a deployment creates (predicted from its salt and init code).
    address: str | None = None
    #: Gas the transaction used in a simulation (None: not simulated).
    gas: int | None = None
    #: A deployment of an upgradeable contract: "proxy" (the address clients use; `contract` is the
    #: implementation's type) or "implementation" (the code behind it, not a contract of its own).
    upgradeable: Literal["proxy", "implementation"] | None = None

    def describe(self) -> str:
        if self.kind == "deploy":
            behind = {"proxy": " behind its proxy", "implementation": " implementation"}.get(
                self.upgradeable or "", ""
            )
            return f"deploy {self.name} ({self.contract}{behind}) at {self.address}"
        return self.name


@dataclass
class Plan:
    """The transactions of a run, in order. `nonces` starts from each sender's nonce on the chain."""

    nonce_of: Callable[[str], int]
    txs: list[PlannedTx] = field(default_factory=list)
    nonces: dict[str, int] = field(default_factory=dict)
    #: The step being planned (set by the Deployer around each step's action).
    current: str = "?"
    #: Steps a governed deployment leaves to the timelock (`Deployer.admin_step`): not sent.
    left_to_timelock: list[str] = field(default_factory=list)

    def next_nonce(self, sender: str) -> int:
        if sender not in self.nonces:
            self.nonces[sender] = int(self.nonce_of(sender))
        nonce = self.nonces[sender]
        self.nonces[sender] = nonce + 1
        return nonce

    def deploy(
        self,
        name: str,
        container: Any,
        sender: str,
        args: tuple[Any, ...],
        salt: bytes,
        *,
        behind: Any = None,
        upgradeable: Literal["proxy", "implementation"] | None = None,
    ) -> Planned:
        """Plans the CREATE2 deployment of `container(*args)` with `salt` through `FACTORY`. With
        `behind` (a proxy deployment), the stand-in and the record are of `behind`'s type."""
        code = init_code(container, args)
        address = create2_address(salt, code)
        self.next_nonce(sender)
        data = "0x" + (salt + code).hex()
        shown = behind if behind is not None else container
        name_of = shown.contract_type.name
        self.txs.append(
            PlannedTx(
                name, "deploy", sender, name_of, FACTORY, data, address=address, upgradeable=upgradeable
            )
        )
        return Planned(self, name, shown, address)

    def attach(self, name: str, container: Any, address: str) -> Planned:
        return Planned(self, name, container, to_checksum_address(address))


@dataclass
class Planned:
    """Stands in for a contract in a plan; a call on it (`token.grantRole(r, a, sender=issuer)`) is
    recorded in the plan as the current step's transaction, not sent."""

    plan: Plan
    name: str
    container: Any
    address: str

    @property
    def contract_type(self) -> Any:
        return self.container.contract_type

    def __str__(self) -> str:
        return self.address

    def __getattr__(self, method: str) -> Callable[..., None]:
        if method.startswith("_"):
            raise AttributeError(method)
        abis = [abi for abi in self.container.contract_type.mutable_methods if abi.name == method]
        if not abis:
            raise AttributeError(f"{self.name} has no state-changing function {method!r} to plan")

        def call(*args: Any, sender: Any = None, **_: Any) -> None:
            abi = next((a for a in abis if len(a.inputs) == len(args)), abis[0])
            data = "0x" + calldata(abi, args).hex()
            grant = None
            if method == "grantRole":
                role_id = bytes(args[0])
                grant = (ROLE_NAMES.get(role_id, "0x" + role_id.hex()), _plain(args[1]))
            self.plan.txs.append(
                PlannedTx(
                    name=self.plan.current,
                    kind="step",
                    sender=_plain(sender),
                    contract=self.name,
                    to=self.address,
                    data=data,
                    method=method,
                    grant=grant,
                )
            )
            self.plan.next_nonce(_plain(sender))

        return call


def _plain(value: Any) -> Any:
    """Arguments as the ABI encoder takes them: a contract, account or stand-in as its address."""
    if isinstance(value, (bytes, bytearray, str, int, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    address = getattr(value, "address", None)
    if address is not None:
        return str(address)
    return value


def _encode(abi: Any, args: tuple[Any, ...]) -> str:
    from ape import networks

    if abi is None or not abi.inputs:
        return "0x"
    return "0x" + bytes(networks.ethereum.encode_calldata(abi, *(_plain(a) for a in args))).hex()
