"""Access-control matrix, generated from the ABIs.

The whole suite is deployed as `ape run deploy` deploys it; then every state-changing function of
every contract is called by an account with no role, and must be refused with an authorization
error. The only exceptions are the functions listed in PERMISSIONLESS, each with the reason it is
open to everyone (they are tested for their own rules in their unit suites).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ape import project
from ape.exceptions import ContractLogicError

from tokenized_stocks.deploy.deployer import Deployer
from tokenized_stocks.deploy.listings import load_listings
from tokenized_stocks.deploy.manifest import Manifest
from tokenized_stocks.deploy.suite import RoleBook, deploy_suite

ROOT = Path(__file__).resolve().parents[3]

ERC20_HOLDER_FUNCTIONS = {
    "transfer": "a holder moves its own tokens (the asset's rules apply in _update)",
    "transferFrom": "spends an allowance the owner granted",
    "approve": "a holder manages its own allowances",
    "permit": "EIP-2612: authorised by the owner's signature",
}

# (contract type, function) -> why anyone may call it. Each is tested for its own rules in its suite.
PERMISSIONLESS: dict[tuple[str, str], str] = {
    ("AccessControl", "renounceRole"): "an account can only renounce its own roles",
    ("TrackerCertificate", "transferUnits"): "a holder moves its own units",
    ("TrackerCertificate", "transferUnitsFrom"): "spends an allowance the owner granted",
    ("TrackerCertificate", "requestRedemption"): "a holder burns its own tokens to redeem them",
    ("TrackerCertificate", "accrueFee"): "the fee is a function of time only; anyone may bring it up to date",
    (
        "TrackerCertificate",
        "syncSanctions",
    ): "copies the sanctions oracle's own answer into the cache; the caller pays for its list",
    (
        "TrackerCertificate",
        "onSanctionsChanged",
    ): "subscriber hook: re-reads the sanctions oracle for one account, like syncSanctions",
    ("CertificateVault", "deposit"): "ERC-4626: a holder wraps its own certificates",
    ("CertificateVault", "mint"): "ERC-4626: a holder wraps its own certificates",
    ("CertificateVault", "withdraw"): "ERC-4626: an owner (or its approved spender) unwraps",
    ("CertificateVault", "redeem"): "ERC-4626: an owner (or its approved spender) unwraps",
    ("OrderDesk", "buy"): "authorised by the quote signer's EIP-712 signature and the caller's investor",
    ("OrderDesk", "sell"): "authorised by the quote signer's EIP-712 signature and the caller's investor",
    (
        "OrderDesk",
        "syncInvestorWords",
    ): "takes only what the desk's own registry answers (its word store, or the registry itself)",
    (
        "OrderToken",
        "syncSanctionsReader",
    ): "takes only what the token's own sanctions list answers (its store, or the list itself)",
    ("OrderVault", "requestDeposit"): "ERC-7540: the owner (or its operator) requests with its own cash",
    ("OrderVault", "requestRedeem"): "ERC-7540: the owner (or its operator) requests with its own shares",
    ("OrderVault", "setOperator"): "ERC-7540: a controller manages its own operators",
    ("OrderVault", "deposit"): "ERC-7540: the controller (or its operator) claims its own fill",
    ("OrderVault", "mint"): "ERC-7540: the controller (or its operator) claims its own fill",
    ("OrderVault", "redeem"): "ERC-7540: the controller (or its operator) claims its own fill",
    ("OrderVault", "withdraw"): "ERC-7540: the controller (or its operator) claims its own fill",
    (
        "OrderVault",
        "cancelDepositRequest",
    ): "ERC-7887: the controller (or its operator) cancels its own request",
    (
        "OrderVault",
        "cancelRedeemRequest",
    ): "ERC-7887: the controller (or its operator) cancels its own request",
    (
        "OrderVault",
        "claimCancelDepositRequest",
    ): "ERC-7887: the controller (or its operator) claims its own cash",
    (
        "OrderVault",
        "claimCancelRedeemRequest",
    ): "ERC-7887: the controller (or its operator) claims its shares",
    ("Gateway", "send"): "a holder bridges its own units (the asset's sender checks apply)",
    ("Gateway", "receiveMessage"): "relaying is permissionless: the operators' M-of-N signatures authorise",
    ("Gateway", "receiveBatch"): "relaying is permissionless: the operators' M-of-N signatures authorise",
    (
        "Gateway",
        "broadcastCorporateAction",
    ): "mirrors the home chain's on-chain state, once per epoch and chain",
    ("Gateway", "expire"): "anyone may prove an attested message expired undelivered (refunds its sender)",
    (
        "Gateway",
        "releaseHeldRefund",
    ): "pays a held refund only to its own holder, once the asset accepts them",
    ("DvP", "instruct"): "only the trade's seller or buyer can instruct (checked against the terms)",
    ("DvP", "settle"): "settles only with both parties' instructions or signatures",
    ("DvP", "cancel"): "only the trade's seller or buyer can cancel (checked against the terms)",
    ("DvP", "expire"): "anyone may record that a trade passed its deadline",
    ("HybridDvP", "escrow"): "the seller escrows its own securities",
    ("HybridDvP", "release"): "authorised by the cash agent's EIP-712 payment confirmation",
    ("HybridDvP", "refund"): "after the deadline the securities can only go back to the seller",
    ("HybridDvP", "cancel"): "only the trade's buyer can give it up",
    ("TraditionalLedgerAdapter", "requestOffRamp"): "a holder locks its own tokens for the register",
    (
        "TraditionalLedgerAdapter",
        "expireOffRamp",
    ): "after its deadline an unanswered off-ramp can only go back to its holder, whoever calls",
    ("DividendDistributor", "claim"): "pays the record-date holder (or its recovery wallet), whoever calls",
    (
        "DividendDistributor",
        "withhold",
    ): "keeps an ineligible holder's part in escrow past the deadline; it only ever protects the holder",
    (
        "RegistryShare",
        "batchTransfer",
    ): "ERC-3643: a holder's transfers of its own tokens (each under every rule)",
    ("BallotBox", "castVote"): "a holder votes its own record-date shares",
    (
        "BallotBox",
        "castVoteFor",
    ): "votes a lost wallet's shares for the wallet it was recovered to, only by it",
}

# Errors that mean "you are not allowed to do this".
# `InvalidInitialization`: an upgradeable contract's `initialize` ran in its proxy's deployment; it refuses
# everyone after.
ACCESS_ERRORS = {"AccessControlUnauthorizedAccount", "AccessControlBadConfirmation", "InvalidInitialization"}
ACCESS_ERROR_WORDS = ("Unauthorized", "NotGateway", "OnlyGateway", "NotDesk", "OnlyDesk", "NotSigner")

# Every contract `ape run deploy` deploys, except the local-only mock cash token.
CONTRACT_TYPES = [
    "InvestorRegistry",
    "SanctionsList",
    "AttestedFeed",
    "OrderDesk",
    "Gateway",
    "DvP",
    "HybridDvP",
    "TraditionalLedgerAdapter",
    "TrackerCertificate",
    "CertificateVault",
    "OrderToken",
    "OrderVault",
    "RegistryShare",
    "ShareExtension",
    "DividendDistributor",
    "BallotBox",
]

# Contract types reached at another deployed contract's address: the registry share forwards the
# selectors its own ABI lacks (ERC-7943, the ERC-3643 names) to its ShareExtension by delegatecall.
AT_ADDRESS_OF = {"ShareExtension": "RegistryShare"}


def is_permissionless(contract_type: str, function: str, abi_names: set[str]) -> bool:
    if ("AccessControl", function) in PERMISSIONLESS and "grantRole" in abi_names:
        return True
    if function in ERC20_HOLDER_FUNCTIONS and "totalSupply" in abi_names:
        return True
    return (contract_type, function) in PERMISSIONLESS


def dummy(abi_type: Any, filler: str) -> Any:
    """A well-formed argument of `abi_type` (the call must fail on authorization, not decoding)."""
    t = abi_type.type
    if t.endswith("]"):
        return []
    if t == "tuple":
        return tuple(dummy(c, filler) for c in abi_type.components)
    if t == "address":
        return filler
    if t == "bool":
        return True
    if t == "string":
        return "x"
    if t == "bytes":
        return b"\x01"
    if t.startswith("bytes"):
        return b"\x01" * int(t[5:])
    if t.startswith(("uint", "int")):
        return 1
    raise ValueError(f"no dummy argument for ABI type {t!r}: extend dummy()")


def state_changing(contract_type: str) -> list[Any]:
    abi = getattr(project, contract_type).contract_type.abi
    return [a for a in abi if a.type == "function" and a.stateMutability in ("nonpayable", "payable")]


CASES = []
for name in CONTRACT_TYPES:
    functions = state_changing(name)
    names = {f.name for f in functions} | {
        a.name for a in getattr(project, name).contract_type.abi if a.type == "function"
    }
    for function in functions:
        if not is_permissionless(name, function.name, names):
            CASES.append(pytest.param(name, function, id=f"{name}.{function.name}({len(function.inputs)})"))


@pytest.fixture(scope="module")
def suite(accounts):
    manifest = Manifest(chain_id=31337, network="test", deployer=str(accounts[0].address))
    deployer = Deployer(manifest=manifest, account=accounts[0], save=lambda m: None, log=lambda s: None)
    listings = load_listings(ROOT / "deployments" / "listings.yaml")
    deploy_suite(deployer, project, RoleBook.local(accounts), listings, 31337, local=True)
    return manifest


def instance_of(manifest: Manifest, contract_type: str) -> Any:
    deployed = AT_ADDRESS_OF.get(contract_type, contract_type)
    for record in manifest.contracts.values():
        if record.contract_type == deployed:
            return getattr(project, contract_type).at(record.address)
    pytest.fail(f"the suite deployment has no {contract_type}")


@pytest.mark.parametrize(("contract_type", "function"), CASES)
def test_outsider_is_refused(suite, outsider, contract_type, function):
    contract = instance_of(suite, contract_type)
    args = [dummy(i, str(outsider.address)) for i in function.inputs]
    method = getattr(contract, function.name)
    with pytest.raises(ContractLogicError) as refused:
        method(*args, sender=outsider)
    name = type(refused.value).__name__
    assert name in ACCESS_ERRORS or any(word in name for word in ACCESS_ERROR_WORDS), (
        f"{contract_type}.{function.name} refused an outsider with {name}, not an authorization error"
    )


def test_every_permissionless_function_is_justified():
    assert all(reason for reason in PERMISSIONLESS.values())
    assert all(reason for reason in ERC20_HOLDER_FUNCTIONS.values())


def test_the_deployed_certificates_subscribe_to_the_sanctions_list(suite):
    """`syncSanctions` is permissionless above because the suite's own list pushes every listing to
    the certificates in the same transaction: the deployment must wire that subscription."""
    sanctions = instance_of(suite, "SanctionsList")
    certificates = {r.address for r in suite.contracts.values() if r.contract_type == "TrackerCertificate"}

    assert certificates
    assert certificates <= set(sanctions.subscribers())
