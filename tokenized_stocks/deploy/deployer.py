"""Resumable, manifest-backed deployment: a journal of every transaction.

Each contract is deployed at most once per manifest: a name already recorded is re-attached, not
redeployed. Each configuration step runs at most once: its name is recorded after it succeeds, and
a step sends at most one transaction (a second one is refused: split the step). A step that has a
`done` check (a read of chain state) is skipped when its effect is already in place.

Every transaction is journaled before it is broadcast: `manifest.pending` (name, kind, sender,
nonce, transaction hash; for a deployment its CREATE2 address and salt) is saved, then the
transaction is sent and waited for, then its outcome is recorded and the entry cleared. A deployment
interrupted at any point (Ctrl-C, a dropped RPC, a lost receipt) therefore resumes exactly where it
stopped: a resumed run first settles the pending entry against the chain. A deployment whose
journaled address holds code is adopted, not deployed again (an entry journaled before
deterministic deployment: its receipt's address, or its sender's CREATE address for a used nonce); a step is marked done when its
`done` check holds or its receipt is found successful; anything else runs again. Each adoption is
logged.

Contracts are deployed deterministically: each one through the deterministic deployment proxy
(`plan.FACTORY`, the same CREATE2 factory on every chain) with the salt
`keccak("tokenized-stocks/<generation>/<manifest name>")`, so a contract's address depends only on
its salt and its init code, never on the chain or the deployer's nonce: the same deployment lands at
the same addresses on every chain. The manifest records the generation (`--force` bumps it: new
salts, new addresses) and each contract's salt. A CREATE2 address commits to the init code, so code
already at a contract's predicted address was created from exactly that init code and salt: a
resumed deployment adopts it (a journaled deployment whose transaction was lost or front-run, for
instance); a new deployment that has recorded nothing yet moves to the next free generation (loudly);
a recorded one (`--add`) refuses it with one line.

With a `Plan` (a dry run, or the count before a real run) nothing is sent: contracts are stand-ins
at their predicted addresses and each step's call is recorded in the plan (see
tokenized_stocks/deploy/plan.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from eth_utils import to_hex

from tokenized_stocks.deploy.manifest import ContractRecord, Manifest, PendingTx, TimelockCallRecord
from tokenized_stocks.deploy.plan import (
    FACTORY,
    Plan,
    create2_address,
    create_address,
    deployment_salt,
    init_code,
)
from tokenized_stocks.protocol.errors import UserError

__all__ = ["Deployer", "require_factory"]


def require_factory(chain_id: int) -> None:
    """Refuses, with one line, a chain without the deterministic deployment proxy at `FACTORY`."""
    from ape import chain

    if not chain.provider.get_code(FACTORY):
        raise UserError(
            f"chain {chain_id} has no deterministic deployment proxy (CREATE2 factory) at {FACTORY}: "
            "deploy it first from its presigned transaction "
            "(github.com/Arachnid/deterministic-deployment-proxy), then re-run"
        )


@dataclass
class Deployer:
    manifest: Manifest
    account: Any
    save: Callable[[Manifest], Any]
    log: Callable[[str], None] = print
    #: Plan instead of sending (see the module docstring).
    plan: Plan | None = None
    planned: list[str] = field(default_factory=list)
    #: What is running now ("deploy Gateway", "step 'Gateway: grant PAUSER_ROLE'"), for an interruption.
    current: str | None = None
    #: Called with one line for each unit of work done (a contract deployed or adopted, a step done
    #: or found in place): the script's step counter. Default: `log`.
    advance: Callable[[str], None] | None = None
    #: What this run did: the transactions it sent (name, kind, hash, nonce), what it adopted from
    #: the journal and the steps it found already in place on chain.
    sent: list[dict[str, Any]] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)
    in_place: list[str] = field(default_factory=list)
    #: True when this run resumes a recorded deployment: a contract found at its predicted address is
    #: adopted (see the module docstring); False: it is refused.
    resuming: bool = False
    #: The calls `admin_step` left to the timelock in this run (a governed deployment), in order.
    deferred: list[TimelockCallRecord] = field(default_factory=list)
    _factory_checked: bool = False

    @property
    def dry_run(self) -> bool:
        return self.plan is not None

    def _done(self, line: str) -> None:
        (self.advance or self.log)(line)

    # -- the plan ----------------------------------------------------------------------------------

    def contract(self, name: str, container: Any, *args: Any) -> Any:
        """The contract recorded as `name`, deploying `container(*args)` first if it is not."""
        record = self.manifest.contracts.get(name)
        if self.plan is not None:
            if record is not None:
                return self.plan.attach(name, container, record.address)
            self.planned.append(f"deploy {name} ({container.contract_type.name})")
            return self.plan.deploy(name, container, str(self.account.address), args, self.salt(name))
        if record is not None:
            return container.at(record.address)
        return self._create(name, container, args)

    def proxy(self, name: str, container: Any, proxy_container: Any, *args: Any) -> Any:
        """The upgradeable contract recorded as `name` (see tokenized_stocks/deploy/proxy.py): first
        its implementation `container()` (a step, `<name>.implementation`, CREATE2 through the
        factory with the salt of `<name>.implementation`; code already there is the same code, so it
        is used as it is), then `proxy_container(implementation, initialize(*args))` recorded as
        `name`, of `container`'s type, with the implementation. Both addresses depend only on the
        generation and the arguments: the same on every chain."""
        from tokenized_stocks.deploy.proxy import initializer_call

        record = self.manifest.contracts.get(name)
        if record is not None:
            return self.at(name, container, record.address)
        if self.plan is None:
            self._free_generation(name, container, proxy_container, args)
        impl_name = f"{name}.implementation"
        impl_salt = self.salt(impl_name)
        impl_code = init_code(container, ())
        implementation = create2_address(impl_salt, impl_code)
        sender = str(self.account.address)

        def deploy_implementation() -> None:
            if self.plan is not None:
                self.plan.deploy(impl_name, container, sender, (), impl_salt, upgradeable="implementation")
                return
            self._require_factory()
            self.account.transfer(FACTORY, 0, data=impl_salt + impl_code)

        # named as the dry run plans it, so a plan's steps are the real run's transactions
        self.step(
            impl_name,
            deploy_implementation,
            done=lambda: _has_code(implementation),
            was=(f"{name}: deploy implementation",),
        )
        proxy_args = (implementation, initializer_call(container, args))
        if self.plan is not None:
            self.planned.append(
                f"deploy {name} ({container.contract_type.name} behind {proxy_container.contract_type.name})"
            )
            return self.plan.deploy(
                name,
                proxy_container,
                sender,
                proxy_args,
                self.salt(name),
                behind=container,
                upgradeable="proxy",
            )
        if not _has_code(implementation):
            raise RuntimeError(f"{name}: no implementation at {implementation}")
        return self._create(
            name, proxy_container, proxy_args, record_as=container, implementation=implementation
        )

    def _free_generation(
        self, name: str, container: Any, proxy_container: Any, args: tuple[Any, ...]
    ) -> None:
        """A new deployment whose proxy address for `name` is taken moves to the next free generation
        before the implementation's step records anything (as `_create` does for a plain contract)."""
        from tokenized_stocks.deploy.proxy import initializer_call

        while self._fresh():
            implementation = create2_address(self.salt(f"{name}.implementation"), init_code(container, ()))
            code = init_code(proxy_container, (implementation, initializer_call(container, args)))
            address = create2_address(self.salt(name), code)
            if not _has_code(address):
                return
            self._next_generation(name, address)

    def _require_factory(self) -> None:
        if not self._factory_checked:
            require_factory(self.manifest.chain_id)
            self._factory_checked = True

    def _next_generation(self, name: str, address: str) -> None:
        self.manifest.generation = self.manifest.salt_generation + 1
        self.log(
            f"generation {self.manifest.generation - 1} is already deployed on chain "
            f"{self.manifest.chain_id} ({name} at {address}): deploying generation {self.manifest.generation}"
        )

    def _create(
        self,
        name: str,
        container: Any,
        args: tuple[Any, ...],
        *,
        record_as: Any = None,
        implementation: str | None = None,
    ) -> Any:
        """Deploys `container(*args)` as `name` through the factory (journaled), or adopts it from
        the journal; returns it as `record_as` (default: `container`), the type recorded."""
        shown = record_as if record_as is not None else container
        self.settle()
        record = self.manifest.contracts.get(name)
        if record is not None:  # adopted from the journal
            return shown.at(record.address)
        from ape import chain

        self._require_factory()
        salt = self.salt(name)
        code = init_code(container, args)
        address = create2_address(salt, code)
        while chain.provider.get_code(address) and self._fresh():
            self._next_generation(name, address)
            salt = self.salt(name)
            address = create2_address(salt, code)
        if chain.provider.get_code(address):
            self._found(name, shown.contract_type.name, address, salt, implementation)
            return shown.at(address)
        with self._journal(
            name,
            "deploy",
            f"deploy {name}",
            shown.contract_type.name,
            address=address,
            salt=salt,
            implementation=implementation,
        ):
            receipt = self.account.transfer(FACTORY, 0, data=salt + code)
            if not chain.provider.get_code(address):
                raise RuntimeError(f"deploy {name}: tx {receipt.txn_hash} left no code at {address}")
            self.manifest.contracts[name] = ContractRecord(
                address=address,
                block=int(receipt.block_number),
                tx_hash=str(receipt.txn_hash),
                contract_type=shown.contract_type.name,
                salt="0x" + salt.hex(),
                implementation=implementation,
            )
        self._done(f"deployed {name} at {address}")
        return shown.at(address)

    def _fresh(self) -> bool:
        """A new deployment that has recorded nothing yet: it may still move to the next free
        generation (`ape run deploy` picks it when planning; this serves in-process deployers)."""
        m = self.manifest
        return not (self.resuming or m.contracts or m.steps_done or m.pending)

    def salt(self, name: str) -> bytes:
        """The CREATE2 salt of contract `name` in this manifest's generation."""
        return deployment_salt(self.manifest.salt_generation, name)

    def _found(
        self, name: str, contract_type: str, address: str, salt: bytes, implementation: str | None = None
    ) -> None:
        """Contract `name`'s predicted address already holds code: the factory created it from this
        very salt and init code (the address commits to both). Adopted when resuming, else refused."""
        from ape import chain

        generation = self.manifest.salt_generation
        if not self.resuming:
            raise UserError(
                f"{name}'s address {address} (generation {generation}) already holds the contract: this "
                f"generation is already deployed on chain {self.manifest.chain_id} by a deployment this "
                f"manifest does not record; restore that manifest to resume it, or deploy another "
                f"generation (--force, or --generation {generation + 1})"
            )
        self.manifest.contracts[name] = ContractRecord(
            address=address,
            block=int(chain.blocks.head.number),
            tx_hash="0x" + "00" * 32,
            contract_type=contract_type,
            salt="0x" + salt.hex(),
            implementation=implementation,
        )
        self.adopted.append(name)
        self.save(self.manifest)
        self._done(
            f"adopted {name} at {address}: already created there from this salt and init code "
            f"(generation {generation}); its transaction is not known, block {self.manifest.contracts[name].block} "
            "is the lookup's"
        )

    def at(self, name: str, container: Any, address: str) -> Any:
        """The contract at `address` (a stand-in when planning)."""
        if self.plan is not None:
            return self.plan.attach(name, container, address)
        return container.at(address)

    def step(
        self,
        name: str,
        action: Callable[..., Any],
        *,
        done: Callable[[], bool] | None = None,
        was: tuple[str, ...] = (),
    ) -> None:
        """Runs `action()` (at most one transaction) once per manifest; skipped when already
        recorded as done, under `name` or one of its former names `was`, or when `done()` (a read
        of chain state) says its effect is in place. (`...`: the suite's actions are lambdas that
        bind loop variables as defaulted parameters.)"""
        steps = self.manifest.steps_done
        if name in steps:
            return
        if any(old in steps for old in was):
            if self.plan is None:
                steps.append(name)
                self.save(self.manifest)
                self.log(f"{name} (recorded as {next(o for o in was if o in steps)!r})")
            return
        if self.plan is not None:
            self.planned.append(name)
            self.plan.current = name
            try:
                action()
            finally:
                self.plan.current = "?"
            return
        self.settle(name, done)
        if name in steps:
            return
        if done is not None and done():
            self.in_place.append(name)
            self._mark_done(name, f"{name} (already in place on chain)")
            return
        with self._journal(name, "step", f"step {name!r}"):
            action()
            self.manifest.steps_done.append(name)
        self._done(name)

    def admin_step(
        self,
        name: str,
        target: str,
        contract: Any,
        function: str,
        *args: Any,
        done: Callable[[], bool] | None = None,
    ) -> None:
        """Step `name`: `contract.function(*args)`, a call only the admin of a contract the suite
        shares (`target`, its manifest name: the gateway, the desk...) may make. Sent by the deployer
        as any step, unless the manifest records a governance hand-over: then no key but the
        timelock holds that admin role, and the call is left to it instead, appended to `deferred`
        (`ape run admin complete-listing` proposes it), unless `done()` says it is in place."""
        if self.manifest.governance is None:
            self.step(name, lambda: getattr(contract, function)(*args, sender=self.account), done=done)
            return
        if name in self.manifest.steps_done:
            return
        if self.plan is not None:
            self.planned.append(f"{name} (left to the timelock)")
            self.plan.left_to_timelock.append(name)
            return
        if done is not None and done():
            self.in_place.append(name)
            self._mark_done(name, f"{name} (already in place on chain)")
            return
        data = bytes(getattr(contract, function).encode_input(*args))
        self.deferred.append(
            TimelockCallRecord(
                step=name, contract=target, to=str(contract.address), function=function, data=to_hex(data)
            )
        )
        self._done(f"{name} (left to the timelock: the deployer is no admin of {target})")

    def mined(self, entry: PendingTx, receipt: Any) -> None:
        """Called when a journaled transaction is mined, before its outcome is recorded (a seam for
        fault-injection tests: an interruption here leaves the entry in the journal)."""

    # -- the journal -------------------------------------------------------------------------------

    @contextmanager
    def _journal(
        self,
        name: str,
        kind: Literal["deploy", "step"],
        what: str,
        contract_type: str | None = None,
        *,
        address: str | None = None,
        salt: bytes | None = None,
        implementation: str | None = None,
    ) -> Iterator[None]:
        """Journals the transaction the body sends (saved before it is broadcast) and clears the
        entry with the body's record once the body is done. A second transaction is refused."""
        from ape import chain

        provider = chain.provider
        send = provider.send_transaction
        sent: list[PendingTx] = []

        def journaled_send(txn: Any) -> Any:
            if sent:
                raise RuntimeError(f"{what} sends a second transaction: split it into one step each")
            entry = PendingTx(
                name=name,
                kind=kind,
                sender=str(txn.sender),
                nonce=int(txn.nonce),
                tx_hash=to_hex(txn.txn_hash),
                contract_type=contract_type,
                address=address,
                salt=None if salt is None else "0x" + salt.hex(),
                implementation=implementation,
            )
            sent.append(entry)
            self.sent.append({"name": name, "kind": kind, "tx_hash": entry.tx_hash, "nonce": entry.nonce})
            self.manifest.pending = entry
            self.save(self.manifest)
            receipt = send(txn)
            self.mined(entry, receipt)
            return receipt

        self.current = what
        object.__setattr__(provider, "send_transaction", journaled_send)
        try:
            yield
        finally:
            object.__delattr__(provider, "send_transaction")
        self.manifest.pending = None
        self.save(self.manifest)
        self.current = None

    def settle(self, name: str | None = None, done: Callable[[], bool] | None = None) -> None:
        """Settles the journal's pending entry against the chain (see the module docstring).
        `done` is the check of step `name`, used when the entry is that step's."""
        entry = self.manifest.pending
        if entry is None:
            return
        from ape import chain

        provider = chain.provider
        receipt = _receipt(provider, entry.tx_hash, self.log)
        ok = receipt is not None and int(receipt["status"]) == 1
        nonce_used = int(provider.get_nonce(entry.sender)) > entry.nonce
        tx = f"tx {entry.tx_hash} (nonce {entry.nonce})"
        if entry.kind == "deploy":
            # A CREATE2 deployment's address is journaled (its code there is ours whatever became of
            # the transaction: mined, or front-run by a copy of it); a CREATE one's (a manifest
            # journaled before deterministic deployment) is its receipt's or its sender's nonce's.
            address = entry.address
            if address is None and ok:
                address = str(receipt["contractAddress"])
            if address is None and nonce_used:
                address = create_address(entry.sender, entry.nonce)
            if address is not None and provider.get_code(address):
                block = int(receipt["blockNumber"]) if ok else int(chain.blocks.head.number)
                self.manifest.contracts[entry.name] = ContractRecord(
                    address=address,
                    block=block,
                    tx_hash=entry.tx_hash,
                    contract_type=entry.contract_type or "unknown",
                    salt=entry.salt,
                    implementation=entry.implementation,
                )
                found = "" if ok else f"; its receipt was not found, block {block} is the lookup's"
                self.adopted.append(entry.name)
                self._done(
                    f"adopted {entry.name} at {address}: deployed by {tx} before the interruption{found}"
                )
            else:
                self.log(f"journal: {entry.name} was not deployed by {tx}; deploying it again")
        else:
            if done is not None and entry.name == name:
                ok = bool(done())
            if ok:
                if entry.name not in self.manifest.steps_done:
                    self.manifest.steps_done.append(entry.name)
                self.adopted.append(entry.name)
                self._done(f"adopted {entry.name}: done by {tx} before the interruption")
            else:
                self.log(f"journal: {entry.name} was not done by {tx}; it runs again")
        self.manifest.pending = None
        self.save(self.manifest)

    def _mark_done(self, name: str, line: str) -> None:
        self.manifest.steps_done.append(name)
        self.save(self.manifest)
        self._done(line)


def _has_code(address: str) -> bool:
    from ape import chain

    return bool(chain.provider.get_code(address))


def _receipt(provider: Any, tx_hash: str, log: Callable[[str], None]) -> Any:
    """The receipt of `tx_hash`, waiting for it if the transaction is still in the mempool; None if
    the node knows no such transaction (never broadcast, dropped or replaced)."""
    from web3.exceptions import TransactionNotFound

    eth = provider.web3.eth
    try:
        return eth.get_transaction_receipt(tx_hash)
    except TransactionNotFound:
        pass
    try:
        eth.get_transaction(tx_hash)
    except TransactionNotFound:
        return None
    log(f"journal: {tx_hash} is still pending; waiting for it")
    return eth.wait_for_transaction_receipt(tx_hash, timeout=600)
