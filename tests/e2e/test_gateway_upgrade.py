"""The gateway upgraded through governance with a message in flight.

AAPLx deployed with the real deploy script on chain A (its home) and on chain B with `--governance
safe` (a 2-of-3 Safe proposing to a timelock with a one-hour delay), the gateways linked both ways.
Alice holds AAPLx on A and, after one delivered bridge, on B; a second bridge A -> B is sent and
left in flight. B's gateway is then upgraded to `GatewayV2Mock` through the Safe and the timelock:
an outsider, a single Safe owner and the Safe before the delay are refused; after the delay it
executes. The in-flight message is then delivered by the new code, every figure of B's gateway is
what it was, and the v2 behaviour is live. The hour passes inside a snapshot of chain B, reverted
when the module ends (the nodes are shared with other modules)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from relaying import bridge as send
from relaying import relay as relay_between
from revert_data import reverts
from test_scripts import ALICE, ape_run, on, run_in_process
from test_scripts_deploy_options import AAPL

A, B = 31337, 31338
DELAY = 3600
ADMIN = b"\x00" * 32
OWNER_INDEXES = (16, 17, 18)
OUTSIDER_INDEX = 19
E18 = 10**18
DELIVERED = 1  # IGateway.MessageState.Delivered
#: OZ TimelockController `_encodeStateBitmap(OperationState.Ready)`.
READY = (1 << 2).to_bytes(32, "big")


def manifest(out: Path, chain_id: int) -> dict:
    return json.loads((out / str(chain_id) / "manifest.json").read_text())


def gateway_address(out: Path, chain_id: int) -> str:
    return manifest(out, chain_id)["contracts"]["Gateway"]["address"]


def connected(node: Any):
    from ape import networks

    name = "chaina" if node.chain_id == A else "chainb"
    return networks.parse_network_choice(
        f"ethereum:{name}:node", provider_settings={"uri": node.uri}, disconnect_on_exit=False
    )


def relay(nodes: Any, out: Path, folder: Path) -> None:
    """Everything in flight between A and B delivered, both ways."""
    relay_between(nodes, (gateway_address(out, A), gateway_address(out, B)), folder)


def bridge(node: Any, out: Path, amount: str) -> None:
    """Alice bridges `amount` AAPLx from A to B, deliverable for a day (the timelock's hour passes
    on B before the second one is delivered)."""
    send(node, out, B, "AAPLx", amount)


def _plain(value: Any) -> Any:
    return value if isinstance(value, (int, str, bool, bytes)) else tuple(_plain(v) for v in value)


def figures(gateway: Any, asset_id: bytes) -> dict[str, Any]:
    """Every view of B's gateway the scenario changed (and the roles governance set)."""
    return {
        "operators": _plain(gateway.operatorSet()),
        "remote": str(gateway.remoteGateway(A)),
        "asset": _plain(gateway.asset(asset_id)),
        "nonce": gateway.nextNonce(),
        "delivered": sum(int(gateway.inboundState(A, n)) == DELIVERED for n in range(8)),
        "inbound bucket": _plain(gateway.rateLimit(asset_id, True)),
        "outbound bucket": _plain(gateway.rateLimit(asset_id, False)),
        "minimum send": gateway.minimumSend(asset_id),
        "returnable": gateway.returnableUnits(asset_id, A),
        "held": gateway.heldRefundUnits(asset_id),
        "paused": gateway.paused(),
    }


@pytest.fixture(scope="module")
def deployed(nodes, tmp_path_factory) -> Path:
    """AAPLx on A (home, no governance) and B (governed), linked both ways; Alice holds 5 AAPLx on
    A, has bridged 2 to B (delivered) and 1 more (in flight)."""
    from ape import accounts, project

    a, b = nodes
    folder = tmp_path_factory.mktemp("gateway-upgrade")
    plain, governed = folder / "plain.yaml", folder / "governed.yaml"
    plain.write_text("assets:\n" + AAPL)
    governed.write_text(f"governance:\n  threshold: 2\n  min_delay: {DELAY}\nassets:\n" + AAPL)
    out = folder / "deployments"
    for run, node, listings, extra in (
        (run_in_process, a, plain, ()),
        (ape_run, b, governed, ("--home-chain-id", str(A), "--peer", str(A), "--governance", "safe")),
        (run_in_process, a, plain, ("--peer", str(B))),
    ):
        result = run("deploy", *on(node), "--manifests", str(out), "--listings", str(listings), *extra)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with connected(a):
        token = project.TrackerCertificate.at(manifest(out, A)["assets"]["AAPLx"]["token"])
        token.mint(ALICE, 5 * E18, sender=accounts.test_accounts[0])
    bridge(a, out, "2")
    relay(nodes, out, folder / "first")
    bridge(a, out, "1")  # in flight: sent on A, not delivered to B
    return out


@pytest.fixture(scope="module")
def upgrade(nodes, deployed, tmp_path_factory) -> Any:
    """B's gateway upgraded to GatewayV2Mock through the Safe and the timelock (each refusal
    recorded on the way), then the in-flight message relayed. Yields what the tests check."""
    from ape import project
    from ape_safe.exceptions import NotEnoughSignatures

    from tokenized_stocks.client import Suite
    from tokenized_stocks.deploy.proxy import implementation_of
    from tokenized_stocks.governance import proposals
    from tokenized_stocks.governance.proposals import TimelockOperation
    from tokenized_stocks.governance.safe import container, register_with_ape_safe, safe_account
    from tokenized_stocks.protocol.identity import asset_id as asset_id_of

    out, b = deployed, nodes[1]
    record = manifest(out, B)["governance"]
    snapshot = b.rpc("evm_snapshot")
    seen: dict[str, Any] = {}
    try:
        with Suite.from_manifest(out, b.uri) as suite, suite.connected():
            m = suite.manifest
            register_with_ape_safe(
                container("SafeL2").at(m.address("Safe.Singleton")),
                container("SafeProxyFactory").at(m.address("Safe.ProxyFactory")),
            )
            safe = safe_account(
                record["safe"], tmp_path_factory.mktemp("safe"), handler=m.address("Safe.FallbackHandler"),
                local_service=True,
            )  # fmt: skip
            first, second, third = (suite.test_account(i) for i in OWNER_INDEXES)
            outsider = suite.test_account(OUTSIDER_INDEX)
            timelock = project.GovernanceTimelock.at(record["timelock"])
            gateway = project.Gateway.at(gateway_address(out, B))
            asset = asset_id_of("US0378331005")
            seen["implementation before"] = implementation_of(gateway.address)
            seen["recorded implementation"] = m.contracts["Gateway"].implementation
            seen["before"] = figures(gateway, asset)
            v2 = project.GatewayV2Mock.deploy(sender=outsider)  # anyone may deploy the code
            op = TimelockOperation.of(gateway, "upgradeToAndCall", v2.address, b"")

            with reverts(
                gateway.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=ADMIN
            ):
                gateway.upgradeToAndCall(v2, b"", sender=outsider)
            seen["outsider refused"] = True

            schedule = proposals.propose(safe, op.schedule_call(timelock, DELAY), first)
            with pytest.raises(NotEnoughSignatures):
                proposals.execute(safe, schedule, first)
            seen["single owner refused"] = not timelock.isOperation(op.id)
            proposals.confirm(safe, schedule, second)
            proposals.execute(safe, schedule, first)
            seen["scheduled"] = timelock.isOperationPending(op.id)

            execution = proposals.propose(safe, op.execute_call(timelock), second)
            proposals.confirm(safe, execution, third)
            with reverts(timelock.TimelockUnexpectedOperationState, operationId=op.id, expectedStates=READY):
                proposals.execute(safe, execution, second)
            seen["early implementation"] = implementation_of(gateway.address)

            b.rpc("evm_increaseTime", DELAY)
            b.rpc("evm_mine")
            executed = proposals.execute(safe, execution, second)
            seen["upgraded events"] = executed.decode_logs(gateway.Upgraded)
            seen["v2"] = str(v2.address)
            seen["implementation after"] = implementation_of(gateway.address)
            seen["after upgrade"] = figures(gateway, asset)
            seen["alice on B before delivery"] = project.TrackerCertificate.at(
                manifest(out, B)["assets"]["AAPLx"]["token"]
            ).balanceOf(ALICE)
        relay(nodes, out, tmp_path_factory.mktemp("second"))
        with Suite.from_manifest(out, b.uri) as suite, suite.connected():
            gateway = project.Gateway.at(gateway_address(out, B))
            seen["after delivery"] = figures(gateway, asset_id_of("US0378331005"))
            seen["alice on B"] = project.TrackerCertificate.at(
                manifest(out, B)["assets"]["AAPLx"]["token"]
            ).balanceOf(ALICE)
            upgraded = project.GatewayV2Mock.at(gateway.address)
            seen["version"] = upgraded.version()
            pinged = upgraded.ping(sender=suite.test_account(OUTSIDER_INDEX))
            outsider = suite.test_account(OUTSIDER_INDEX)
            seen["pings"] = upgraded.pings()
            seen["ping events"] = (
                pinged.events,
                [upgraded.GatewayV2Pinged(caller=outsider.address, pings=1)],
            )
        # Yielded outside every provider context: the tests run on ape's own chain, whose per-test
        # snapshots must never be taken while chain B's provider is the active one.
        yield seen
    finally:
        b.rpc("evm_revert", snapshot)


def test_the_deployed_gateway_is_a_proxy_of_the_recorded_implementation(upgrade):
    assert upgrade["implementation before"] == upgrade["recorded implementation"]


def test_an_outsider_cannot_upgrade_the_gateway(upgrade):
    assert upgrade["outsider refused"]


def test_a_single_safe_owner_cannot_schedule_the_upgrade(upgrade):
    assert upgrade["single owner refused"]
    assert upgrade["scheduled"]  # with the second owner's signature it is


def test_the_safe_cannot_execute_the_upgrade_before_the_delay(upgrade):
    assert upgrade["early implementation"] == upgrade["implementation before"]


def test_after_the_delay_the_upgrade_executes(upgrade):
    assert upgrade["implementation after"] == upgrade["v2"] != upgrade["implementation before"]
    assert [log.implementation for log in upgrade["upgraded events"]] == [upgrade["v2"]]


def test_the_upgrade_keeps_every_figure_of_the_gateway(upgrade):
    before, after = upgrade["before"], upgrade["after upgrade"]
    assert after == before
    assert before["delivered"] >= 1  # the first bridge delivered, the second in flight
    assert upgrade["alice on B before delivery"] == 2 * E18


def test_the_message_in_flight_is_delivered_by_the_new_code(upgrade):
    assert upgrade["after delivery"]["delivered"] == upgrade["before"]["delivered"] + 1
    assert upgrade["alice on B"] == 3 * E18
    unchanged = {
        k: v for k, v in upgrade["after delivery"].items() if k not in ("delivered", "inbound bucket")
    }
    assert unchanged == {
        k: v for k, v in upgrade["before"].items() if k not in ("delivered", "inbound bucket")
    }


def test_the_v2_behaviour_is_live(upgrade):
    events, expected = upgrade["ping events"]
    assert upgrade["version"] == "2"
    assert upgrade["pings"] == 1
    assert events == expected
