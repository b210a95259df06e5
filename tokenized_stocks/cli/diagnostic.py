"""`ape run diagnose transfer`: read an asset's transfer diagnostic through the PUBLISHED
`ITransferDiagnostic` ABI (any asset that advertises it through ERC-165, whatever its
architecture) and render the rule table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.table import Table

from tokenized_stocks.abi import interface_id, load_abi
from tokenized_stocks.deploy.manifest import load_manifest
from tokenized_stocks.protocol.diagnostic import TransferDiagnosis
from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.errors import UserError


def asset_address(asset: str, manifests: Path) -> tuple[str, str]:
    """The manifest key and token address of `asset` (key, ticker or ISIN) on this chain, with code."""
    from ape import chain

    record = load_manifest(chain.chain_id, manifests).asset(asset)
    if not chain.provider.get_code(record.token):
        raise UserError(
            f"no contract at {record.token} ({record.key}) on chain {chain.chain_id}: was the chain reset? "
            "run `ape run deploy` again"
        )
    return record.key, str(record.token)


def read_diagnosis(key: str, address: str, sender: str, recipient: str, amount: int) -> TransferDiagnosis:
    """`diagnoseTransfer` of the asset at `address`, called through the published interface; an
    asset that does not advertise `ITransferDiagnostic` (ERC-165) is a UserError."""
    from ape.contracts import ContractInstance
    from ape.exceptions import ApeException
    from ethpm_types import ContractType

    abi = load_abi("ITransferDiagnostic") + [
        entry for entry in load_abi("IERC7943Fungible") if entry.get("name") == "supportsInterface"
    ]
    # An instance of the interface only: nothing cached under the asset's address.
    contract: Any = ContractInstance(address, ContractType.model_validate({"abi": abi}))
    try:
        supported = bool(contract.supportsInterface(interface_id("ITransferDiagnostic")))
    except ApeException:
        supported = False
    if not supported:
        raise UserError(f"{key} ({address}) does not implement ITransferDiagnostic (ERC-165 says no)")
    rules = contract.diagnoseTransfer(sender, recipient, amount)
    return TransferDiagnosis.from_rules(key, sender, recipient, amount, rules)


def rule_table(diagnosis: TransferDiagnosis) -> Table:
    table = Table(
        "code", "rule", "verdict", title=f"{diagnosis.asset}: transfer of {diagnosis.amount} base units"
    )
    for rule in diagnosis.rules:
        try:
            name = Restriction(rule.code).name
        except ValueError:
            name = str(rule.code)
        verdict = "[green]pass[/]" if rule.passed else "[red]FAIL[/]"
        table.add_row(f"{rule.code} {name}", rule.message, verdict)
    return table


def summary(diagnosis: TransferDiagnosis) -> str:
    if diagnosis.allowed:
        return f"allowed: every rule passes ({len(diagnosis.rules)} rules)"
    failed = [r for r in diagnosis.rules if not r.passed]
    return f"refused: code {diagnosis.restriction} ({failed[0].message}); {len(failed)} rule(s) fail"
