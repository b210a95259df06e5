"""Timelock operations as the admin CLI builds them (tokenized_stocks.governance.proposals): the
salt every owner derives alike, the operation id OZ's `hashOperation` / `hashOperationBatch` compute,
and an operation rebuilt from the timelock's own events (the chain is the record of what runs).

A bare GovernanceTimelock with a one-minute delay whose proposer, canceller and executor is one
key stands in for the Safe: what is checked here is the timelock's side of the operation."""

from __future__ import annotations

import pytest
from ape import project
from eth_abi import encode
from eth_utils import keccak

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.governance.proposals import (
    SALT_DOMAIN,
    ZERO32,
    TimelockOperation,
    operation_salt,
    scheduled_operation,
)
from tokenized_stocks.protocol.roles import COMPLIANCE_ROLE, OperationState

DELAY = 60
SAFE = "0x2546BcD3c84621e976D8185a91A922aE77ECEc30"
OTHER_SAFE = "0xbDA5747bFD65F08deb54cb465eB87D40e51B197E"
ZERO = "0x" + "00" * 20


@pytest.fixture(scope="module")
def proposer(accounts):
    return accounts[16]


@pytest.fixture(scope="module")
def timelock(issuer, proposer):
    return project.GovernanceTimelock.deploy(DELAY, [proposer], [proposer], ZERO, sender=issuer)


@pytest.fixture(scope="module")
def target(issuer, timelock):
    """A contract the timelock administers: a sanctions list, its admin the timelock."""
    return deploy_behind_proxy(project, issuer, project.SanctionsList, timelock)


def calls(target, *accounts: str) -> list[tuple[str, bytes]]:
    """`grantRole(COMPLIANCE_ROLE, account)` on `target` for each account."""
    return [(str(target.address), bytes(target.grantRole.encode_input(COMPLIANCE_ROLE, a))) for a in accounts]


# -- the salt ------------------------------------------------------------------------------------


def test_the_salt_is_the_hash_of_the_domain_the_safe_and_its_nonce():
    expected = keccak(encode(["string", "address", "uint256"], [SALT_DOMAIN, SAFE, 7]))
    assert operation_salt(SAFE, 7) == expected


def test_every_owner_derives_the_same_salt_whatever_the_address_case():
    assert operation_salt(SAFE.lower(), 7) == operation_salt(SAFE, 7)


def test_the_salt_differs_for_each_safe_nonce_and_each_safe():
    salts = {operation_salt(SAFE, 7), operation_salt(SAFE, 8), operation_salt(OTHER_SAFE, 7)}
    assert len(salts) == 3


# -- the id ---------------------------------------------------------------------------------------


def test_one_call_is_scheduled_alone_with_the_id_of_hash_operation(timelock, target, outsider):
    op = TimelockOperation.of_calls(calls(target, outsider.address), salt=operation_salt(SAFE, 1))
    assert (op.batch, op.schedule_function, op.execute_function) == (False, "schedule", "execute")
    assert op.id == bytes(timelock.hashOperation(op.target, 0, op.data, ZERO32, op.salt))


def test_several_calls_are_one_batch_with_the_id_of_hash_operation_batch(
    timelock, target, outsider, guardian
):
    op = TimelockOperation.of_calls(
        calls(target, outsider.address, guardian.address), salt=operation_salt(SAFE, 1)
    )
    assert (op.batch, op.schedule_function, op.execute_function) == (True, "scheduleBatch", "executeBatch")
    expected = timelock.hashOperationBatch(list(op.targets), [0, 0], list(op.payloads), ZERO32, op.salt)
    assert op.id == bytes(expected)


def test_the_same_calls_under_another_nonce_are_another_operation(target, outsider):
    first, later = (
        TimelockOperation.of_calls(calls(target, outsider.address), salt=operation_salt(SAFE, n))
        for n in (1, 2)
    )
    assert first.id != later.id


def test_several_calls_outside_a_batch_are_refused(target, outsider, guardian):
    pairs = calls(target, outsider.address, guardian.address)
    with pytest.raises(ValueError, match="one batch"):
        TimelockOperation(tuple(t for t, _ in pairs), tuple(d for _, d in pairs))


# -- rebuilt from the events ---------------------------------------------------------------------


def schedule(timelock, op: TimelockOperation, proposer):
    return getattr(timelock, op.schedule_function)(*op.schedule_args(DELAY), sender=proposer)


def test_a_scheduled_call_is_rebuilt_from_its_events(timelock, target, outsider, proposer):
    op = TimelockOperation.of_calls(calls(target, outsider.address), salt=operation_salt(SAFE, 3))
    receipt = schedule(timelock, op, proposer)
    found = scheduled_operation(str(timelock.address), op.id)
    assert found is not None
    assert (found.operation, found.delay, found.block) == (op, DELAY, receipt.block_number)
    assert (found.cancelled, found.executed) == (False, False)


def test_a_scheduled_batch_is_rebuilt_with_every_call_in_order(
    timelock, target, outsider, guardian, proposer
):
    op = TimelockOperation.of_calls(
        calls(target, outsider.address, guardian.address), salt=operation_salt(SAFE, 4)
    )
    schedule(timelock, op, proposer)
    found = scheduled_operation(str(timelock.address), op.id)
    assert found is not None and found.operation == op


def test_an_operation_without_a_salt_is_rebuilt_with_the_zero_salt(timelock, target, outsider, proposer):
    op = TimelockOperation.of_calls(calls(target, outsider.address))
    schedule(timelock, op, proposer)
    found = scheduled_operation(str(timelock.address), op.id)
    assert found is not None and found.operation.salt == ZERO32 and found.operation == op


def test_a_batch_of_one_call_is_rebuilt_as_a_batch(timelock, target, outsider, proposer):
    (pair,) = calls(target, outsider.address)
    op = TimelockOperation((pair[0],), (pair[1],), salt=operation_salt(SAFE, 5), batch=True)
    schedule(timelock, op, proposer)
    found = scheduled_operation(str(timelock.address), op.id)
    assert found is not None and found.operation == op


def test_an_id_never_scheduled_is_none(timelock):
    assert scheduled_operation(str(timelock.address), b"\x42" * 32) is None


def test_a_cancelled_operation_reads_cancelled(timelock, target, outsider, proposer):
    op = TimelockOperation.of_calls(calls(target, outsider.address), salt=operation_salt(SAFE, 6))
    schedule(timelock, op, proposer)
    timelock.cancel(op.id, sender=proposer)
    found = scheduled_operation(str(timelock.address), op.id)
    assert found is not None and (found.cancelled, found.executed) == (True, False)
    assert timelock.getOperationState(op.id) == OperationState.UNSET


def test_an_operation_scheduled_again_after_its_cancellation_is_pending(
    timelock, target, outsider, proposer, chain
):
    op = TimelockOperation.of_calls(calls(target, outsider.address), salt=operation_salt(SAFE, 7))
    schedule(timelock, op, proposer)
    timelock.cancel(op.id, sender=proposer)
    chain.mine()
    schedule(timelock, op, proposer)
    found = scheduled_operation(str(timelock.address), op.id)
    assert found is not None and (found.cancelled, found.executed) == (False, False)


def test_an_executed_batch_reads_executed(timelock, target, outsider, guardian, proposer, chain):
    op = TimelockOperation.of_calls(
        calls(target, outsider.address, guardian.address), salt=operation_salt(SAFE, 8)
    )
    schedule(timelock, op, proposer)
    chain.mine(deltatime=DELAY)
    found = scheduled_operation(str(timelock.address), op.id)
    assert found is not None
    rebuilt = found.operation
    receipt = getattr(timelock, rebuilt.execute_function)(*rebuilt.execute_args(), sender=proposer)
    assert receipt.events.filter(target.RoleGranted) == [
        target.RoleGranted(role=COMPLIANCE_ROLE, account=outsider.address, sender=timelock.address),
        target.RoleGranted(role=COMPLIANCE_ROLE, account=guardian.address, sender=timelock.address),
    ]
    found = scheduled_operation(str(timelock.address), op.id)
    assert found is not None and found.executed
    assert timelock.getOperationState(op.id) == OperationState.DONE
