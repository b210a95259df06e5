"""Governance: the issuer's Safe proposes to a timelock that holds every contract's admin role.

The whole suite is deployed as `ape run deploy --governance safe` deploys it (a real Safe 1.5.0,
2-of-3, and a GovernanceTimelock with a one-day delay), then handed over. Proposals, confirmations
and executions go through ape-safe (its local transaction service).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ape
import pytest
from ape import project
from ape_safe.exceptions import NotEnoughSignatures
from eth_utils import keccak
from revert_data import reverts

from tokenized_stocks.deploy.deployer import Deployer
from tokenized_stocks.deploy.listings import load_listings
from tokenized_stocks.deploy.manifest import Manifest, RoleRecord
from tokenized_stocks.deploy.suite import RoleBook, deploy_suite
from tokenized_stocks.governance import proposals
from tokenized_stocks.governance.config import GovernanceConfig
from tokenized_stocks.governance.deploy import Governance, govern, suite_contracts
from tokenized_stocks.governance.proposals import Call, TimelockOperation
from tokenized_stocks.governance.roles import role_getters
from tokenized_stocks.governance.safe import register_with_ape_safe, safe_account
from tokenized_stocks.protocol.roles import (
    DEFAULT_ADMIN_ROLE,
    MINTER_ROLE,
    PAUSER_ROLE,
    PROPOSER_ROLE,
    REGISTRAR_ROLE,
    TRANSFER_AGENT_ROLE,
    TREASURY_ROLE,
)

ROOT = Path(__file__).resolve().parents[3]
DELAY = 86_400
#: OZ TimelockController `_encodeStateBitmap(OperationState.Ready)`.
READY = (1 << 2).to_bytes(32, "big")


@dataclass
class Governed:
    manifest: Manifest
    governance: Governance
    deployer: Deployer
    contracts: dict[str, Any]


@pytest.fixture(scope="module")
def safe_owners(accounts):
    return [accounts[16], accounts[17], accounts[18]]


@pytest.fixture(scope="module")
def governed(accounts, safe_owners, guardian):
    manifest = Manifest(chain_id=31337, network="test", deployer=str(accounts[0].address))
    d = Deployer(manifest=manifest, account=accounts[0], save=lambda m: None, log=lambda s: None)
    roles = RoleBook.local(accounts)
    deploy_suite(d, project, roles, load_listings(ROOT / "deployments" / "listings.yaml"), 31337, local=True)
    owners = [str(o.address) for o in safe_owners]
    config = GovernanceConfig(owners=owners, threshold=2, min_delay=DELAY)
    known = [str(a.address) for a in accounts]
    governance = govern(d, project, config, owners, str(guardian.address), known)
    register_with_ape_safe(governance.singleton, governance.factory)
    return Governed(manifest, governance, d, suite_contracts(d, project))


@pytest.fixture
def timelock(governed):
    return governed.governance.timelock


@pytest.fixture
def safe(governed, tmp_path):
    """The Safe as an ape-safe account, with a fresh (mock) transaction service for each test."""
    governance = governed.governance
    return safe_account(governance.safe, tmp_path, handler=str(governance.handler.address))


@pytest.fixture
def gateway(governed):
    return governed.contracts["Gateway"]


def through_safe(safe, call: Call, proposer, confirmer):
    """One Safe transaction: proposed by one owner, confirmed by a second, submitted."""
    safe_tx_id = proposals.propose(safe, call, proposer)
    proposals.confirm(safe, safe_tx_id, confirmer)
    return proposals.execute(safe, safe_tx_id, proposer)


# -- the hand-over -------------------------------------------------------------------------------


def test_every_admin_contract_is_handed_over(governed):
    deployed_types = {r.contract_type for r in governed.manifest.contracts.values()} - {"GovernanceTimelock"}
    with_admin = {
        t for t in deployed_types
        if hasattr(project, t) and "DEFAULT_ADMIN_ROLE" in role_getters(getattr(project, t).contract_type)
    }  # fmt: skip
    handed = {c.contract_type.name for c in governed.contracts.values()}
    assert with_admin == handed


def test_the_deployer_holds_no_admin_power_after_hand_over(governed, issuer, timelock):
    for name, contract in governed.contracts.items():
        for getter in role_getters(contract.contract_type):
            role_id = getattr(contract, getter)()
            admin_role = contract.getRoleAdmin(role_id)
            assert not contract.hasRole(admin_role, issuer), f"{name}: the deployer administers {getter}"
            assert contract.hasRole(admin_role, timelock), (
                f"{name}: the timelock does not administer {getter}"
            )
        assert not contract.hasRole(DEFAULT_ADMIN_ROLE, issuer), name
        assert not contract.hasRole(PAUSER_ROLE, issuer), f"{name}: the deployer can still pause"


def test_the_deployer_can_no_longer_call_an_admin_function(gateway, issuer):
    with reverts(
        gateway.AccessControlUnauthorizedAccount, account=issuer.address, neededRole=DEFAULT_ADMIN_ROLE
    ):
        gateway.setThreshold(3, sender=issuer)


def test_the_timelock_is_proposed_to_and_executed_by_the_safe_only(governed, timelock, issuer):
    safe = governed.governance.safe
    assert timelock.getMinDelay() == DELAY
    for role in (PROPOSER_ROLE, timelock.EXECUTOR_ROLE(), timelock.CANCELLER_ROLE()):
        assert timelock.hasRole(role, safe)
        assert not timelock.hasRole(role, issuer)
    assert timelock.hasRole(DEFAULT_ADMIN_ROLE, timelock)
    assert not timelock.hasRole(DEFAULT_ADMIN_ROLE, issuer)


def test_the_safe_is_a_2_of_3_safe_1_5_0(governed, safe, safe_owners):
    assert safe.version.base_version == "1.5.0"
    assert safe.confirmations_required == 2
    assert set(safe.signers) == {o.address for o in safe_owners}


def test_the_manifest_records_each_role_holder_and_delay(governed, guardian, registrar, safe_owners):
    record = governed.manifest.governance
    timelock = str(governed.governance.timelock.address)
    assert record is not None
    assert (record.safe, record.timelock, record.threshold, record.min_delay) == (
        governed.governance.safe, timelock, 2, DELAY,
    )  # fmt: skip
    assert record.owners == [o.address for o in safe_owners]
    assert record.guardian == guardian.address
    assert record.roles["Gateway"]["DEFAULT_ADMIN_ROLE"] == RoleRecord(holders=[timelock], delay=DELAY)
    assert record.roles["Gateway"]["PAUSER_ROLE"] == RoleRecord(holders=[guardian.address], delay=0)
    assert registrar.address in record.roles["InvestorRegistry"]["REGISTRAR_ROLE"].holders
    assert set(record.roles) == set(governed.contracts)
    for name, roles in record.roles.items():
        assert set(roles) == set(role_getters(governed.contracts[name].contract_type))


# -- refusals ------------------------------------------------------------------------------------


def test_an_outsider_cannot_schedule(timelock, gateway, outsider):
    op = TimelockOperation.of(gateway, "setThreshold", 3)
    with reverts(
        timelock.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=PROPOSER_ROLE
    ):
        timelock.schedule(op.target, 0, op.data, op.predecessor, op.salt, DELAY, sender=outsider)


def test_an_outsider_cannot_grant_a_role(gateway, outsider):
    with reverts(
        gateway.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=DEFAULT_ADMIN_ROLE
    ):
        gateway.grantRole(PAUSER_ROLE, outsider, sender=outsider)


def test_a_single_safe_owner_cannot_schedule_directly(timelock, gateway, safe_owners):
    owner = safe_owners[0]
    op = TimelockOperation.of(gateway, "setThreshold", 3)
    with reverts(timelock.AccessControlUnauthorizedAccount, account=owner.address, neededRole=PROPOSER_ROLE):
        timelock.schedule(op.target, 0, op.data, op.predecessor, op.salt, DELAY, sender=owner)


def test_a_single_safe_owner_cannot_execute_a_safe_transaction(safe, timelock, gateway, safe_owners):
    call = TimelockOperation.of(gateway, "setThreshold", 3).schedule_call(timelock, DELAY)
    safe_tx_id = proposals.propose(safe, call, safe_owners[0])
    with pytest.raises(NotEnoughSignatures):
        proposals.execute(safe, safe_tx_id, safe_owners[0])


def test_the_safe_contract_refuses_one_signature_of_two(safe, timelock, gateway, safe_owners):
    owner = safe_owners[0]
    call = TimelockOperation.of(gateway, "setThreshold", 3).schedule_call(timelock, DELAY)
    safe_tx_id = proposals.propose(safe, call, owner)
    safe_tx = safe.client.get_safe_tx(safe_tx_id).as_safe_tx(version="1.5.0", chain_id=31337)
    encoded = bytes(proposals.signatures(safe, safe_tx_id)[owner.address])
    with ape.reverts("GS020"):
        safe.contract.execTransaction(*list(safe_tx)[:-1], encoded, sender=owner)


def test_the_safe_cannot_schedule_below_the_min_delay(safe, timelock, gateway, safe_owners):
    call = TimelockOperation.of(gateway, "setThreshold", 3).schedule_call(timelock, DELAY - 1)
    with reverts(timelock.TimelockInsufficientDelay, delay=DELAY - 1, minDelay=DELAY):
        through_safe(safe, call, safe_owners[0], safe_owners[1])


def test_the_safe_cannot_execute_before_the_delay(chain, safe, timelock, gateway, safe_owners):
    op = TimelockOperation.of(gateway, "setThreshold", 3)
    through_safe(safe, op.schedule_call(timelock, DELAY), safe_owners[0], safe_owners[1])
    chain.mine(deltatime=DELAY - 60)
    with reverts(timelock.TimelockUnexpectedOperationState, operationId=op.id, expectedStates=READY):
        through_safe(safe, op.execute_call(timelock), safe_owners[1], safe_owners[2])
    assert gateway.operatorSet().threshold == 2


# -- after the delay -----------------------------------------------------------------------------


def test_after_the_delay_the_safe_changes_the_gateway_threshold(chain, safe, timelock, gateway, safe_owners):
    op = TimelockOperation.of(gateway, "setThreshold", 3)
    scheduled = through_safe(safe, op.schedule_call(timelock, DELAY), safe_owners[0], safe_owners[1])
    assert scheduled.decode_logs(timelock.CallScheduled) == [
        timelock.CallScheduled(
            id=op.id, index=0, target=gateway.address, value=0, data=op.data,
            predecessor=op.predecessor, delay=DELAY,
        )
    ]  # fmt: skip
    chain.mine(deltatime=DELAY)
    executed = through_safe(safe, op.execute_call(timelock), safe_owners[1], safe_owners[2])
    assert executed.decode_logs(gateway.ThresholdChanged) == [gateway.ThresholdChanged(threshold=3)]
    assert executed.decode_logs(timelock.CallExecuted) == [
        timelock.CallExecuted(id=op.id, index=0, target=gateway.address, value=0, data=op.data)
    ]
    assert gateway.operatorSet().threshold == 3


def test_after_the_delay_the_safe_grants_a_role(chain, governed, safe, timelock, safe_owners, outsider):
    registry = governed.contracts["InvestorRegistry"]
    op = TimelockOperation.of(registry, "grantRole", REGISTRAR_ROLE, outsider.address)
    through_safe(safe, op.schedule_call(timelock, DELAY), safe_owners[0], safe_owners[2])
    chain.mine(deltatime=DELAY)
    executed = through_safe(safe, op.execute_call(timelock), safe_owners[2], safe_owners[0])
    assert executed.decode_logs(registry.RoleGranted) == [
        registry.RoleGranted(role=REGISTRAR_ROLE, account=outsider.address, sender=timelock.address)
    ]


def test_the_safe_swaps_an_owner_through_itself(safe, safe_owners, outsider):
    old = safe_owners[2]
    data = safe.contract.swapOwner.encode_input(safe.compute_prev_signer(old), old, outsider)
    through_safe(safe, Call(str(safe.address), bytes(data)), safe_owners[0], safe_owners[1])
    assert set(safe.contract.getOwners()) == {
        safe_owners[0].address,
        safe_owners[1].address,
        outsider.address,
    }
    assert safe.contract.getThreshold() == 2


# -- the guardian ----------------------------------------------------------------------------------


def test_the_guardian_pauses_at_once(governed, gateway, guardian):
    receipt = gateway.pause(sender=guardian)
    assert receipt.decode_logs(gateway.Paused) == [gateway.Paused(account=guardian.address)]
    assert gateway.paused()
    desk = governed.contracts["OrderDesk"]
    desk.pause(sender=guardian)
    assert desk.paused()


#: Every pausable contract of the suite; the share's ERC-3643 `pause()` / `unpause()` (no reason)
#: are its ShareExtension's, reached at the share's address.
PAUSABLE = [
    "Gateway",
    "OrderDesk",
    "OrderToken",
    "OrderVault",
    "TrackerCertificate",
    "RegistryShare",
    "ShareExtension",
]


def pausable(governed, contract_type: str) -> tuple[Any, tuple[Any, ...], Any]:
    """The contract of `contract_type`, the arguments of its `pause` / `unpause` (a reason on the
    registry share) and the contract whose `paused()` tells (the share, for its extension)."""
    if contract_type == "ShareExtension":
        share = of_type(governed, "RegistryShare")
        return project.ShareExtension.at(share.address), (), share
    contract = of_type(governed, contract_type)
    return contract, ("incident 7",) if contract_type == "RegistryShare" else (), contract


@pytest.mark.parametrize("contract_type", PAUSABLE)
def test_the_guardian_cannot_unpause(governed, guardian, contract_type):
    contract, args, state = pausable(governed, contract_type)
    contract.pause(*args, sender=guardian)
    with reverts(
        contract.AccessControlUnauthorizedAccount, account=guardian.address, neededRole=DEFAULT_ADMIN_ROLE
    ):
        contract.unpause(*args, sender=guardian)
    assert state.paused()


@pytest.mark.parametrize("contract_type", PAUSABLE)
def test_after_the_delay_the_safe_unpauses(
    chain, governed, safe, timelock, safe_owners, guardian, contract_type
):
    contract, args, state = pausable(governed, contract_type)
    contract.pause(*args, sender=guardian)
    op = TimelockOperation.of(contract, "unpause", *args)
    through_safe(safe, op.schedule_call(timelock, DELAY), safe_owners[0], safe_owners[1])
    execution = proposals.propose(safe, op.execute_call(timelock), safe_owners[1])
    proposals.confirm(safe, execution, safe_owners[2])
    chain.mine(deltatime=DELAY - 60)
    with reverts(timelock.TimelockUnexpectedOperationState, operationId=op.id, expectedStates=READY):
        proposals.execute(safe, execution, safe_owners[1])
    assert state.paused()
    chain.mine(deltatime=60)
    proposals.execute(safe, execution, safe_owners[1])  # the same Safe transaction, once the delay is over
    assert not state.paused()


def test_the_guardian_cannot_grant_a_role(governed, guardian):
    for name in ("Gateway", "OrderDesk", "InvestorRegistry"):
        contract = governed.contracts[name]
        with reverts(
            contract.AccessControlUnauthorizedAccount, account=guardian.address, neededRole=DEFAULT_ADMIN_ROLE
        ):
            contract.grantRole(PAUSER_ROLE, guardian, sender=guardian)


def test_the_guardian_holds_only_pauser_roles(governed, guardian):
    for name, contract in governed.contracts.items():
        held = [
            g
            for g in role_getters(contract.contract_type)
            if contract.hasRole(getattr(contract, g)(), guardian)
        ]
        expected = ["PAUSER_ROLE"] if "PAUSER_ROLE" in role_getters(contract.contract_type) else []
        assert held == expected, name


# -- every dangerous power waits for the timelock ----------------------------------------------------

ONE = "0x" + "11" * 20


def of_type(governed, contract_type: str):
    return next(c for c in governed.contracts.values() if c.contract_type.name == contract_type)


DANGEROUS = [  # (contract type, function, arguments): none may be called by a key, only the timelock
    ("Gateway", "addOperator", (ONE,)),
    ("Gateway", "setThreshold", (1,)),
    ("Gateway", "setRemoteGateway", (31338, ONE)),
    ("Gateway", "setRateLimit", (b"\x01" * 32, True, 2**100, 2**90)),
    ("TrackerCertificate", "setSanctionsList", (ONE,)),
    ("TrackerCertificate", "setReserveFeed", (ONE, 3600)),
    ("OrderDesk", "setGlobalRateLimit", (2**100, 2**90)),
    ("OrderDesk", "addSigner", (ONE,)),
    ("OrderVault", "setRateLimit", (2**100, 2**90)),
    ("OrderVault", "setCancelTimeout", (30 * 24 * 3600,)),
    ("RegistryShare", "setMaxHolders", (0,)),
    ("InvestorRegistry", "grantRole", (REGISTRAR_ROLE, ONE)),
    ("SanctionsList", "addSubscriber", (ONE,)),
    ("DvP", "upgradeToAndCall", (ONE, b"")),  # the DvP's one admin power
    ("HybridDvP", "upgradeToAndCall", (ONE, b"")),
    ("TraditionalLedgerAdapter", "upgradeToAndCall", (ONE, b"")),
]


@pytest.mark.parametrize(
    ("contract_type", "function", "args"), DANGEROUS, ids=[f"{c}.{f}" for c, f, _ in DANGEROUS]
)
@pytest.mark.parametrize("who", ["issuer", "guardian", "transfer_agent"])
def test_no_key_holds_a_dangerous_power(request, governed, contract_type, function, args, who):
    key = request.getfixturevalue(who)
    contract = of_type(governed, contract_type)
    with reverts(
        contract.AccessControlUnauthorizedAccount, account=key.address, neededRole=DEFAULT_ADMIN_ROLE
    ):
        getattr(contract, function)(*args, sender=key)


def test_the_safe_cannot_change_the_delay_without_the_timelock(safe, timelock, safe_owners):
    call = Call(str(timelock.address), bytes(timelock.updateDelay.encode_input(0)))
    with reverts(timelock.TimelockUnauthorizedCaller, caller=safe.address):
        through_safe(safe, call, safe_owners[0], safe_owners[1])
    assert timelock.getMinDelay() == DELAY


def test_a_cancelled_operation_never_executes(chain, safe, timelock, gateway, safe_owners):
    op = TimelockOperation.of(gateway, "setThreshold", 3)
    through_safe(safe, op.schedule_call(timelock, DELAY), safe_owners[0], safe_owners[1])
    cancelled = through_safe(safe, op.cancel_call(timelock), safe_owners[1], safe_owners[2])
    assert cancelled.decode_logs(timelock.Cancelled) == [timelock.Cancelled(id=op.id)]
    chain.mine(deltatime=DELAY)
    with reverts(timelock.TimelockUnexpectedOperationState, operationId=op.id, expectedStates=READY):
        through_safe(safe, op.execute_call(timelock), safe_owners[0], safe_owners[2])


def test_a_single_safe_owner_cannot_cancel(timelock, gateway, safe_owners):
    owner = safe_owners[0]
    op_id = TimelockOperation.of(gateway, "setThreshold", 3).id
    with reverts(
        timelock.AccessControlUnauthorizedAccount,
        account=owner.address,
        neededRole=keccak(text="CANCELLER_ROLE"),
    ):
        timelock.cancel(op_id, sender=owner)


def test_the_guardian_cannot_move_value(governed, guardian, outsider):
    vault = of_type(governed, "OrderVault")
    with reverts(vault.AccessControlUnauthorizedAccount, account=guardian.address, neededRole=TREASURY_ROLE):
        vault.withdrawReserve(outsider, 1, sender=guardian)
    certificate = of_type(governed, "TrackerCertificate")
    with reverts(
        certificate.AccessControlUnauthorizedAccount,
        account=guardian.address,
        neededRole=MINTER_ROLE,
    ):
        certificate.mint(guardian, 1, sender=guardian)
    share = of_type(governed, "RegistryShare")
    with reverts(
        share.AccessControlUnauthorizedAccount,
        account=guardian.address,
        neededRole=TRANSFER_AGENT_ROLE,
    ):
        share.issue(guardian, 1, "guardian", sender=guardian)
