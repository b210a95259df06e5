"""`ape run admin upgrade`: a proxied contract of a governed deployment moves to a new
implementation, checked by OpenZeppelin upgrades-core before anything is deployed or proposed, then
scheduled on the timelock through the Safe and executed after the delay.

The deployment is `ape run deploy --governance safe` on chain A (a 2-of-3 Safe of test accounts
16-18, a one-hour timelock: the fixtures of test_admin_timelock.py), inside a node snapshot reverted
at the end. The gateway is upgraded from `Gateway` to `GatewayV2Mock`; `GatewayV2UnsafeMock` (a field
inserted in the gateway's ERC-7201 namespace) is refused."""

# ruff: noqa: F811  (the fixtures imported from test_admin_timelock are the tests' arguments)
from __future__ import annotations

from typing import Any

import pytest
from test_admin_timelock import (  # noqa: F401  (its module-scoped fixtures, used here)
    DELAY,
    admin,
    governed,
    on_chain,
    proposals,
    result_of,
    safe,
    status,
    submit,
)
from test_scripts import last_error_line

from tokenized_stocks.cli.errors import BAD_INPUT
from tokenized_stocks.client.upgrade import candidate_implementation
from tokenized_stocks.deploy.proxy import implementation_of


def gateway(written: dict[str, Any]) -> str:
    return written["contracts"]["Gateway"]["address"]


def test_an_unsafe_implementation_is_refused_and_nothing_is_deployed_or_proposed(admin, safe, on_chain):
    process = admin("upgrade", "--contract", "Gateway", "--to", "GatewayV2UnsafeMock", "--safe", safe)

    assert process.returncode == BAD_INPUT
    line = last_error_line(process)
    assert line.startswith("error: GatewayV2UnsafeMock is not a safe upgrade of Gateway: ")
    assert "Replaced `GatewayStorage.nonce` with `insertedField` of incompatible type" in line
    assert line.endswith("nothing deployed or proposed")
    with on_chain() as (suite, _):
        from ape import chain

        assert chain.provider.get_code(candidate_implementation("GatewayV2UnsafeMock").address) in (b"", "0x")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (("--contract", "Nope", "--to", "GatewayV2Mock"), "has no contract 'Nope' (upgradeable: {upgradeable})"),
        (("--contract", "Cash", "--to", "GatewayV2Mock"), "Cash is not upgradeable"),
        (("--contract", "Gateway", "--to", "NoSuchContract"), "no contract 'NoSuchContract' in this project's build"),
        (("--contract", "Gateway", "--to", "SettleSecurityMock"), "SettleSecurityMock takes constructor arguments: not an implementation"),
        (("--contract", "Gateway", "--to", "IGateway"), "IGateway is abstract or an interface: not an implementation"),
        (("--contract", "Gateway", "--contract", "SanctionsList", "--to", "GatewayV2Mock"), "2 --contract but 1 --to: give one --to per --contract"),
        (("--contract", "Gateway", "--to", "GatewayV2Mock", "--contract", "Gateway", "--to", "GatewayV2Mock"), "a contract is named twice"),
        (("--contract", "Gateway", "--to", "GatewayV2Mock", "--contract", "SanctionsList", "--to", "SanctionsListV2Mock", "--from", "Gateway"), "--from names what one contract runs"),
        (("--contract", "SanctionsList", "--to", "SanctionsListV2Mock", "--contract", "Gateway", "--to", "GatewayV2UnsafeMock"), "GatewayV2UnsafeMock is not a safe upgrade of Gateway"),
    ],
)  # fmt: skip
def test_a_bad_contract_or_candidate_is_one_line_and_sends_nothing(admin, safe, governed, options, expected):
    process = admin("upgrade", *options, "--safe", safe)

    proxied = sorted(
        name for name, record in governed[1]["contracts"].items() if record.get("implementation")
    )
    assert process.returncode == BAD_INPUT
    assert expected.format(upgradeable=", ".join(proxied)) in last_error_line(process)
    assert process.stdout.strip() == ""


def test_a_single_owner_key_cannot_upgrade_the_gateway_it_names_the_timelock(admin, governed):
    _, written = governed
    process = admin("upgrade", "--contract", "Gateway", "--to", "GatewayV2Mock")

    assert process.returncode == BAD_INPUT
    line = last_error_line(process)
    assert (
        f"does not hold DEFAULT_ADMIN_ROLE on Gateway: the timelock {written['governance']['timelock']}"
        in line
    )


def test_a_dry_run_shows_the_upgrade_and_deploys_nothing(admin, safe, on_chain):
    result = result_of(
        admin(
            "upgrade", "--contract", "Gateway", "--to", "GatewayV2Mock", "--safe", safe, "--dry-run", "--json"
        )
    )

    assert result["mode"] == "dry-run"
    assert [call["function"] for call in result["calls"]] == ["upgradeToAndCall"]
    with on_chain() as (_, _c):
        from ape import chain

        assert chain.provider.get_code(candidate_implementation("GatewayV2Mock").address) in (b"", "0x")


def figures(suite: Any, address: str) -> dict[str, Any]:
    """What the gateway's state answers (the manifest's assets registered on it included)."""
    from ape import project

    proxy = project.Gateway.at(address)
    return {
        "operators": proxy.operatorSet(),
        "nonce": proxy.nextNonce(),
        "paused": proxy.paused(),
        "domain": proxy.eip712Domain(),
        "assets": [proxy.asset(record.asset_id) for record in suite.manifest.assets.values()],
    }


@pytest.fixture(scope="module")
def before(on_chain, governed) -> dict[str, Any]:
    """The gateway's figures before the upgrade is scheduled."""
    with on_chain() as (suite, _c):
        return figures(suite, gateway(governed[1]))


@pytest.fixture(scope="module")
def upgrade_scheduled(before, admin, safe, on_chain, governed) -> list[dict[str, Any]]:
    """Both owners run the upgrade with --safe (the first deploys the implementation), then the
    schedule is executed on the Safe with their two signatures."""
    outcomes = proposals(admin, "upgrade", "--contract", "Gateway", "--to", "GatewayV2Mock", "--safe", safe)
    submit(on_chain, outcomes)
    return outcomes


def test_the_upgrade_is_scheduled_on_the_timelock_not_executed(upgrade_scheduled, on_chain, governed):
    _, written = governed
    scheduled = upgrade_scheduled[0]
    v2 = candidate_implementation("GatewayV2Mock").address

    assert scheduled["mode"] == "proposed" and scheduled["timelock"]["delay"] == DELAY
    assert scheduled["calls"][0]["function"] == "upgradeToAndCall"
    assert scheduled["calls"][0]["args"] == [v2, "0x"]
    with on_chain() as (_, _c):
        from ape import chain

        assert chain.provider.get_code(v2) not in (b"", "0x")  # deployed before the proposal
        assert implementation_of(gateway(written)) == written["contracts"]["Gateway"]["implementation"]


def test_executing_the_upgrade_before_the_delay_is_refused(upgrade_scheduled, admin):
    process = admin("timelock", "execute", "--operation", upgrade_scheduled[0]["timelock"]["operation_id"])

    assert process.returncode == BAD_INPUT
    assert "it is not ready" in last_error_line(process)


@pytest.fixture(scope="module")
def upgraded(upgrade_scheduled, admin, on_chain, governed, nodes) -> Any:
    """The hour passes; both owners propose the execution and the Safe executes it."""
    nodes[0].rpc("evm_increaseTime", DELAY)
    nodes[0].rpc("evm_mine")
    operation_id = upgrade_scheduled[0]["timelock"]["operation_id"]
    assert status(admin, operation_id)["state"] == "ready"
    return submit(on_chain, proposals(admin, "timelock", "execute", "--operation", operation_id))


def test_after_the_delay_the_gateway_runs_v2_with_its_figures_intact(upgraded, before, on_chain, governed):
    from ape import project

    _, written = governed
    v2 = candidate_implementation("GatewayV2Mock").address
    with on_chain() as (suite, _c):
        proxy = project.GatewayV2Mock.at(gateway(written))
        assert upgraded.decode_logs(proxy.Upgraded) == [proxy.Upgraded(implementation=v2)]
        assert implementation_of(proxy.address) == v2
        assert figures(suite, proxy.address) == before
        assert proxy.hasRole(b"\x00" * 32, written["governance"]["timelock"])
        assert proxy.version() == "2"


def test_running_the_upgrade_again_has_nothing_to_send(upgraded, admin, safe):
    result = result_of(
        admin("upgrade", "--contract", "Gateway", "--to", "GatewayV2Mock", "--safe", safe, "--json")
    )

    assert result["mode"] == "nothing"


def test_a_further_upgrade_is_checked_against_the_contract_the_proxy_runs_now(upgraded, admin, safe):
    dry = admin(
        "upgrade", "--contract", "Gateway", "--to", "GatewayV2UnsafeMock", "--safe", safe, "--dry-run"
    )

    assert dry.returncode == BAD_INPUT
    assert last_error_line(dry).startswith("error: GatewayV2UnsafeMock is not a safe upgrade of Gateway: ")
    named = admin(
        "upgrade", "--contract", "Gateway", "--to", "GatewayV2UnsafeMock", "--from", "Gateway", "--safe", safe
    )
    assert named.returncode == BAD_INPUT
    assert "Replaced `GatewayStorage.nonce`" in last_error_line(named)


@pytest.fixture(scope="module")
def batch_scheduled(upgraded, admin, safe, on_chain) -> list[dict[str, Any]]:
    """Both compliance contracts upgraded in one command: one timelock operation for both."""
    outcomes = proposals(
        admin, "upgrade", "--contract", "SanctionsList", "--to", "SanctionsListV2Mock",
        "--contract", "InvestorRegistry", "--to", "InvestorRegistryV2Mock", "--safe", safe,
    )  # fmt: skip
    submit(on_chain, outcomes)
    return outcomes


def test_several_upgrades_are_one_batch_on_the_timelock(batch_scheduled, on_chain, governed):
    _, written = governed
    scheduled = batch_scheduled[0]

    assert scheduled["timelock"]["function"] == "scheduleBatch"
    assert [(c["contract"], c["function"], c["args"]) for c in scheduled["calls"]] == [
        (
            "SanctionsList",
            "upgradeToAndCall",
            [candidate_implementation("SanctionsListV2Mock").address, "0x"],
        ),
        (
            "InvestorRegistry",
            "upgradeToAndCall",
            [candidate_implementation("InvestorRegistryV2Mock").address, "0x"],
        ),
    ]
    with on_chain() as (_, _c):
        for name in ("SanctionsList", "InvestorRegistry"):
            record = written["contracts"][name]
            assert implementation_of(record["address"]) == record["implementation"]  # not before the delay


def test_after_the_delay_the_batch_upgrades_both_contracts_at_once(
    batch_scheduled, admin, on_chain, governed, nodes
):
    _, written = governed
    nodes[0].rpc("evm_increaseTime", DELAY)
    nodes[0].rpc("evm_mine")
    operation_id = batch_scheduled[0]["timelock"]["operation_id"]
    submit(on_chain, proposals(admin, "timelock", "execute", "--operation", operation_id))

    with on_chain() as (_, _c):
        assert implementation_of(written["contracts"]["SanctionsList"]["address"]) == (
            candidate_implementation("SanctionsListV2Mock").address
        )
        assert implementation_of(written["contracts"]["InvestorRegistry"]["address"]) == (
            candidate_implementation("InvestorRegistryV2Mock").address
        )
