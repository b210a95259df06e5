"""The `Deployer` on a chain: each contract CREATE2-deployed through the deterministic deployment
proxy at its predicted address, and what it does when that address already holds the contract.
(The whole script on three chains: tests/e2e/test_deterministic_deploy.py.)"""

from __future__ import annotations

import pytest

from tokenized_stocks.deploy.deployer import Deployer
from tokenized_stocks.deploy.manifest import ContractRecord, Manifest
from tokenized_stocks.deploy.plan import FACTORY, create2_address, deployment_salt, init_code
from tokenized_stocks.protocol.errors import UserError

# A plain (non-proxy) contract with an admin argument: the timelock, deployed as it is.
NAME = "GovernanceTimelock"


def timelock_args(admin) -> tuple:
    """GovernanceTimelock's constructor arguments: no delay, no proposer or executor, `admin`."""
    return (0, [], [], admin)


@pytest.fixture
def issuer(accounts):
    return accounts[0]


@pytest.fixture
def outsider(accounts):
    return accounts[19]


def deployer(chain, issuer, *, resuming: bool = False, recorded: bool = False) -> Deployer:
    manifest = Manifest(chain_id=chain.chain_id, network="test", deployer=str(issuer.address))
    if recorded:  # a deployment that already recorded a contract (an `--add` run, say)
        manifest.contracts["Other"] = ContractRecord(
            address=str(issuer.address), block=0, tx_hash="0x" + "11" * 32, contract_type="Other"
        )
    return Deployer(
        manifest=manifest, account=issuer, save=lambda m: None, log=lambda s: None, resuming=resuming
    )


def predicted(project, issuer, generation: int = 1) -> str:
    return create2_address(
        deployment_salt(generation, NAME), init_code(project.GovernanceTimelock, timelock_args(issuer))
    )


def create_by_hand(project, issuer, sender, generation: int = 1) -> None:
    """What a copy of our deployment transaction does: the factory creates the same contract."""
    data = deployment_salt(generation, NAME) + init_code(project.GovernanceTimelock, timelock_args(issuer))
    sender.transfer(FACTORY, 0, data=data)


def test_a_contract_lands_at_the_create2_address_of_its_salt_and_init_code(chain, project, issuer):
    d = deployer(chain, issuer)

    timelock = d.contract(NAME, project.GovernanceTimelock, *timelock_args(issuer))

    record = d.manifest.contracts[NAME]
    assert str(timelock.address) == record.address == predicted(project, issuer)
    assert record.salt == "0x" + deployment_salt(1, NAME).hex()
    assert timelock.hasRole(b"\x00" * 32, issuer)  # the admin is the argument, not the factory


def test_a_resumed_deployment_adopts_the_contract_found_at_its_address_without_sending(
    chain, project, issuer, outsider
):
    create_by_hand(project, issuer, outsider)
    nonce = issuer.nonce
    d = deployer(chain, issuer, resuming=True)

    timelock = d.contract(NAME, project.GovernanceTimelock, *timelock_args(issuer))

    assert str(timelock.address) == predicted(project, issuer)
    assert issuer.nonce == nonce
    assert d.adopted == [NAME]
    assert d.manifest.contracts[NAME].tx_hash == "0x" + "00" * 32  # its transaction is not known


def test_a_fresh_deployment_moves_to_the_next_free_generation(chain, project, issuer, outsider):
    create_by_hand(project, issuer, outsider)
    d = deployer(chain, issuer)

    timelock = d.contract(NAME, project.GovernanceTimelock, *timelock_args(issuer))

    assert d.manifest.generation == 2
    assert str(timelock.address) == predicted(project, issuer, generation=2)


def test_a_recorded_deployment_refuses_its_address_taken_when_not_resuming(chain, project, issuer, outsider):
    create_by_hand(project, issuer, outsider)
    d = deployer(chain, issuer, recorded=True)

    with pytest.raises(UserError) as err:
        d.contract(NAME, project.GovernanceTimelock, *timelock_args(issuer))

    assert str(err.value) == (
        f"{NAME}'s address {predicted(project, issuer)} (generation 1) already holds the contract: this "
        f"generation is already deployed on chain {chain.chain_id} by a deployment this manifest does not "
        "record; restore that manifest to resume it, or deploy another generation (--force, or --generation 2)"
    )


def test_a_chain_without_the_factory_is_refused_before_anything_is_sent(chain, project, issuer):
    chain.provider.set_code(FACTORY, b"")
    nonce = issuer.nonce

    with pytest.raises(
        UserError, match=f"no deterministic deployment proxy \\(CREATE2 factory\\) at {FACTORY}"
    ):
        deployer(chain, issuer).contract(NAME, project.GovernanceTimelock, *timelock_args(issuer))
    assert issuer.nonce == nonce
