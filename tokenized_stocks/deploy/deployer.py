"""Resumable, manifest-backed deployment steps.

Each contract is deployed at most once per manifest: a name already recorded is re-attached, not
redeployed. Each configuration step runs at most once: its name is recorded after it succeeds. The
manifest is saved after every contract and every step, so a deployment that stops half-way resumes
exactly where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tokenized_stocks.deploy.manifest import ContractRecord, Manifest


@dataclass(frozen=True)
class Planned:
    """Stands in for a contract a dry run would deploy; its address names it."""

    name: str

    @property
    def address(self) -> str:
        return f"<{self.name}>"


@dataclass
class Deployer:
    manifest: Manifest
    account: Any
    save: Callable[[Manifest], Any]
    log: Callable[[str], None] = print
    dry_run: bool = False
    planned: list[str] = field(default_factory=list)

    def contract(self, name: str, container: Any, *args: Any) -> Any:
        """The contract recorded as `name`, deploying `container(*args)` first if it is not."""
        record = self.manifest.contracts.get(name)
        if record is not None:
            return container.at(record.address)
        if self.dry_run:
            self.planned.append(f"deploy {name} ({container.contract_type.name})")
            return Planned(name)
        instance = self.account.deploy(container, *args)
        receipt = instance.creation_metadata.receipt
        self.manifest.contracts[name] = ContractRecord(
            address=str(instance.address),
            block=int(receipt.block_number),
            tx_hash=str(receipt.txn_hash),
            contract_type=container.contract_type.name,
        )
        self.save(self.manifest)
        self.log(f"deployed {name} at {instance.address}")
        return instance

    def step(self, name: str, action: Callable[..., Any]) -> None:
        """Runs `action()` once per manifest; skipped when already recorded as done. (`...`: the
        suite's actions are lambdas that bind loop variables as defaulted parameters.)"""
        if name in self.manifest.steps_done:
            return
        if self.dry_run:
            self.planned.append(name)
            return
        action()
        self.manifest.steps_done.append(name)
        self.save(self.manifest)
        self.log(name)
