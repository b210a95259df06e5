"""The pieces of `ape run deploy` that need no chain: the plan's stand-ins (addresses, encoded
calls, grantees), the step counter and the cost in ETH. (The whole script: tests/e2e.)"""

from __future__ import annotations

from io import StringIO

import pytest
from eth_utils import keccak
from rich.console import Console

from tokenized_stocks.cli.dryrun import ether
from tokenized_stocks.cli.progress import StepCounter, clock
from tokenized_stocks.deploy.plan import FACTORY, Plan, create2_address, deployment_salt, init_code
from tokenized_stocks.protocol.roles import PAUSER_ROLE

ISSUER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"  # anvil's account 0
GUARDIAN = "0x976EA74026E726554dB657fA54763abd0C3a0aa9"


@pytest.mark.parametrize(
    ("wei", "text"),
    [(0, "0"), (1, "0.000000000000000001"), (10**18, "1"), (1_234_500_000_000_000, "0.0012345"),
     (77_394_590 * 10**9, "0.07739459")],
)  # fmt: skip
def test_a_cost_in_wei_prints_exactly_in_eth(wei, text):
    assert ether(wei) == text


def test_an_eta_prints_as_minutes_or_hours():
    assert (clock(41), clock(61), clock(3725)) == ("0:41", "1:01", "1:02:05")


def counter_lines(total: int, steps: list[str]) -> list[str]:
    console = Console(file=StringIO(), width=200)
    with StepCounter(console, total) as counter:
        for step in steps:
            counter.advance(step)
    return console.file.getvalue().splitlines()  # type: ignore[attr-defined]


def test_the_step_counter_numbers_each_line_against_the_planned_total_with_an_eta():
    lines = counter_lines(3, ["deployed A", "grant B"])
    assert [line.split(" (ETA ")[0].strip() for line in lines] == [
        "✓ step 1/3 deployed A",
        "✓ step 2/3 grant B",
    ]
    assert all(line.rstrip().endswith(")") and "(ETA " in line for line in lines)


def test_the_step_counter_never_shows_more_steps_done_than_its_total():
    assert "step 2/2 adopted" in counter_lines(1, ["deployed A", "adopted B"])[1]


# A plain (non-proxy) contract with an admin argument: the timelock, deployed as it is.
PLAIN = "GovernanceTimelock"
SALT = deployment_salt(1, PLAIN)


def timelock_args(admin: str) -> tuple:
    """GovernanceTimelock's constructor arguments: no delay, no proposer or executor, `admin`."""
    return (0, [], [], admin)


def test_a_salt_is_the_keccak_of_the_generation_and_the_contract_name():
    assert deployment_salt(3, "AAPLx.Vault") == keccak(text="tokenized-stocks/3/AAPLx.Vault")
    assert deployment_salt(1, "Gateway") != deployment_salt(2, "Gateway")


def test_the_create2_address_follows_eip_1014():
    # EIP-1014's example 5: deployer 0x00000000000000000000000000000000deadbeef, salt 0xcafebabe
    # (left-padded), init code 0xdeadbeef.
    salt = bytes.fromhex("cafebabe".rjust(64, "0"))
    address = create2_address(salt, bytes.fromhex("deadbeef"), "0x00000000000000000000000000000000deadbeef")
    assert address == "0x60f3f640a8508fC6a86d45DF051962668E1e8AC7"


def test_a_plan_deploys_each_contract_through_the_factory_at_its_create2_address(project):
    plan = Plan(nonce_of=lambda address: 7)
    timelock = plan.deploy(PLAIN, project.GovernanceTimelock, ISSUER, timelock_args(ISSUER), SALT)

    code = init_code(project.GovernanceTimelock, timelock_args(ISSUER))
    deploy = plan.txs[0]
    assert timelock.address == deploy.address == create2_address(SALT, code)
    assert (deploy.kind, deploy.to, deploy.data) == ("deploy", FACTORY, "0x" + (SALT + code).hex())


def test_a_planned_address_depends_on_neither_the_senders_nonce_nor_the_chain(project):
    early = Plan(nonce_of=lambda address: 0).deploy(
        PLAIN, project.GovernanceTimelock, ISSUER, timelock_args(ISSUER), SALT
    )
    late = Plan(nonce_of=lambda address: 41).deploy(
        PLAIN, project.GovernanceTimelock, ISSUER, timelock_args(ISSUER), SALT
    )
    assert early.address == late.address


def test_another_generation_or_another_constructor_argument_is_another_address(project):
    def address(salt: bytes, admin: str) -> str:
        plan = Plan(nonce_of=lambda a: 0)
        return plan.deploy("R", project.GovernanceTimelock, ISSUER, timelock_args(admin), salt).address

    first = address(SALT, ISSUER)
    assert address(deployment_salt(2, PLAIN), ISSUER) != first
    assert address(SALT, GUARDIAN) != first


def test_each_planned_transaction_takes_the_senders_next_nonce(project):
    plan = Plan(nonce_of=lambda address: 7)
    timelock = plan.deploy(PLAIN, project.GovernanceTimelock, ISSUER, timelock_args(ISSUER), SALT)
    timelock.grantRole(PAUSER_ROLE, GUARDIAN, sender=ISSUER)
    plan.deploy("PlainERC20", project.PlainERC20, ISSUER, (), deployment_salt(1, "PlainERC20"))

    assert plan.nonces[ISSUER] == 10
    assert [tx.kind for tx in plan.txs] == ["deploy", "step", "deploy"]


def test_a_call_on_a_stand_in_is_recorded_encoded_with_its_grantee_not_sent(project):
    plan = Plan(nonce_of=lambda address: 0)
    plan.current = "grant PAUSER_ROLE"
    timelock = plan.deploy(PLAIN, project.GovernanceTimelock, ISSUER, timelock_args(ISSUER), SALT)
    timelock.grantRole(PAUSER_ROLE, GUARDIAN, sender=ISSUER)

    call = plan.txs[-1]
    selector = keccak(text="grantRole(bytes32,address)")[:4].hex()
    assert call.data == "0x" + selector + PAUSER_ROLE.hex() + "00" * 12 + GUARDIAN[2:].lower()
    assert (call.name, call.to, call.sender, call.grant) == (
        "grant PAUSER_ROLE",
        timelock.address,
        ISSUER,
        ("PAUSER_ROLE", GUARDIAN),
    )


def test_a_stand_in_cannot_be_read_or_called_with_a_function_its_contract_lacks(project):
    timelock = Plan(nonce_of=lambda address: 0).deploy(
        PLAIN, project.GovernanceTimelock, ISSUER, timelock_args(ISSUER), SALT
    )
    with pytest.raises(AttributeError):
        timelock.hasRole  # noqa: B018 - a view: a plan never reads the chain
    with pytest.raises(AttributeError):
        timelock.mintEverything  # noqa: B018
