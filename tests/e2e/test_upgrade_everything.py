"""Every upgradeable contract of a governed deployment upgraded at once, through the Safe and the
timelock, with the suite in use: nothing it holds is lost and the new code is live.

Chain A is the home of AAPLx (certificate), NVDAon (mint-on-order) and TSLArs (registry share),
deployed by `ape run deploy --governance safe` (a 2-of-3 Safe of test accounts 16-18 proposing to a
one-hour timelock) and linked to chain B (deployed without governance). Before the upgrade:
Alice and Bob are verified investors holding AAPLx and TSLArs; TSLArs has split 2:1; Alice has a
pending ERC-7540 deposit request on NVDAon's vault, AAPLx escrowed in the hybrid DvP against a bank
payment, and a bridge message from B to A in flight. Then one `ape run admin upgrade --safe` names
every proxied contract of the manifest with its `<contract>V2Mock`: one `scheduleBatch` the Safe
proposes and, after the delay, executes. Checked: a batch with an unsafe v2 (a field inserted in
the gateway's namespace) is refused with nothing deployed; every storage slot of every proxied
contract except the ERC-1967 implementation slot and every view of it (read at the same block
time) are what they were; every contract answers `version()` "2"; the in-flight message is
delivered and the escrow released by the new code. Both nodes run inside snapshots reverted at the
end (they are shared with the other modules)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from relaying import bridge, relay
from test_admin_timelock import DELAY, LISTINGS, proposals, submit
from test_scripts import ALICE, last_error_line, on, run_in_process

from tokenized_stocks.cli.errors import BAD_INPUT
from tokenized_stocks.client import Suite
from tokenized_stocks.client.upgrade import candidate_implementation
from tokenized_stocks.deploy.proxy import IMPLEMENTATION_SLOT, implementation_of

A, B = 31337, 31338
BOB = "0xdF3e18d64BC6A983f673Ab319CCaE4f1a57C7097"  # test account 14
E18 = 10**18
USD = 10**6
CASH_AGENT = 7
#: test_admin_timelock's three listings (a certificate, a mint-on-order token, a registry share),
#: without its governance block for chain B.
PLAIN_LISTINGS = "assets:\n" + LISTINGS.split("assets:\n", 1)[1]


def manifest(out: Path, chain_id: int) -> dict[str, Any]:
    return json.loads((out / str(chain_id) / "manifest.json").read_text())


def proxied(written: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every contract of the manifest deployed behind a proxy, by manifest name."""
    return {name: r for name, r in written["contracts"].items() if r.get("implementation")}


def v2_of(record: dict[str, Any]) -> str:
    return f"{record['contract_type']}V2Mock"


@pytest.fixture(scope="module")
def deployed(nodes, tmp_path_factory) -> Iterator[Path]:
    """B (plain, home A), then A (governed, linked to B), then B linked to A."""
    a, b = nodes
    folder = tmp_path_factory.mktemp("upgrade-everything")
    plain, governed = folder / "plain.yaml", folder / "governed.yaml"
    plain.write_text(PLAIN_LISTINGS)
    governed.write_text(LISTINGS)
    out = folder / "deployments"
    snapshots = (a.rpc("evm_snapshot"), b.rpc("evm_snapshot"))
    try:
        for node, listings, extra in (
            (b, plain, ("--home-chain-id", str(A))),
            (a, governed, ("--peer", str(B), "--governance", "safe")),
            (b, plain, ("--home-chain-id", str(A), "--peer", str(A))),
        ):
            result = run_in_process(
                "deploy", *on(node), "--manifests", str(out), "--listings", str(listings), *extra
            )
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        yield out
    finally:
        a.rpc("evm_revert", snapshots[0])
        b.rpc("evm_revert", snapshots[1])


def on_a(nodes: Any, out: Path) -> Any:
    return Suite.from_manifest(out, nodes[0].uri)


@pytest.fixture(scope="module")
def in_use(nodes, deployed, tmp_path_factory) -> dict[str, Any]:
    """The scenario before the upgrade; returns the escrowed trade (released after it)."""
    from ape import chain, project

    from tokenized_stocks.protocol.roles import Country, InvestorClass
    from tokenized_stocks.protocol.trade import HybridTrade, currency, reference
    from tokenized_stocks.reconcile.read import epoch_of

    out, written = deployed, manifest(deployed, A)
    with on_a(nodes, out) as suite, suite.connected():
        issuer, registrar, agent = (suite.test_account(i) for i in (0, 1, 3))
        alice, bob = suite.test_account(12), suite.test_account(14)
        registry = project.InvestorRegistry.at(written["contracts"]["InvestorRegistry"]["address"])
        expiry = chain.pending_timestamp + 365 * 86_400
        for name, who, country in (("alice", alice, Country.US), ("bob", bob, Country.GB)):
            investor = name.encode().ljust(32, b"\x00")
            registry.registerInvestor(investor, country, InvestorClass.ACCREDITED, expiry, sender=registrar)
            registry.addWallet(investor, who, sender=registrar)
        cert = project.TrackerCertificate.at(written["assets"]["AAPLx"]["token"])
        cert.mint(alice, 10 * E18, sender=issuer)
        cert.transfer(bob, E18, sender=alice)
        share = project.RegistryShare.at(written["assets"]["TSLArs"]["token"])
        share.issue(alice, 10 * E18, "allotment", sender=agent)
        share.transfer(bob, 2 * E18, sender=alice)
        share.split(2, 1, "2-for-1 split", sender=agent)
        cash = project.MockStablecoin.at(written["contracts"]["Cash"]["address"])
        vault = project.OrderVault.at(written["assets"]["NVDAon"]["extra"]["vault"])
        cash.mint(alice, 1_000 * USD, sender=alice)
        cash.approve(vault, 500 * USD, sender=alice)
        vault.requestDeposit(500 * USD, alice, alice, sender=alice)
        hybrid = project.HybridDvP.at(written["contracts"]["HybridDvP"]["address"])
        trade = HybridTrade(
            reference("UPGRADE-1"), str(alice.address), str(bob.address), str(cert.address), E18,
            currency("USD"), 200 * USD, chain.pending_timestamp + 2 * 86_400, epoch_of(cert),
        )  # fmt: skip
        cert.approve(hybrid, E18, sender=alice)
        hybrid.escrow(trade.as_tuple(), sender=alice)
    bridge(nodes[0], out, B, "AAPLx", "3")
    relay(nodes, (written["contracts"]["Gateway"]["address"], manifest(out, B)["contracts"]["Gateway"]["address"]),
          tmp_path_factory.mktemp("first"))  # fmt: skip
    bridge(nodes[1], out, A, "AAPLx", "1")  # in flight: sent on B, not delivered to A
    return {"trade": trade}


def admin(nodes: Any, out: Path, *command: str, sender: int | None = 16) -> Any:
    words = 2 if command[0] == "timelock" else 1
    account = ["--test-account", str(sender)] if sender is not None else []
    return run_in_process(
        "admin", *command[:words], *on(nodes[0]), "--manifests", str(out), *account, *command[words:]
    )


class _Admin:
    """`proposals` and `submit` of test_admin_timelock on this module's deployment."""

    def __init__(self, nodes: Any, out: Path) -> None:
        self.nodes, self.out = nodes, out

    def __call__(self, *command: str, sender: int | None = 16) -> Any:
        return admin(self.nodes, self.out, *command, sender=sender)

    def on_chain(self) -> Any:
        from contextlib import contextmanager

        from test_admin_timelock import contracts

        @contextmanager
        def opened() -> Iterator[tuple[Suite, dict[str, Any]]]:
            with on_a(self.nodes, self.out) as suite, suite.connected():
                yield suite, contracts(manifest(self.out, A))

        return opened


def upgrade_options(written: dict[str, Any], unsafe_gateway: bool = False) -> list[str]:
    options: list[str] = []
    for name, record in proxied(written).items():
        candidate = "GatewayV2UnsafeMock" if unsafe_gateway and name == "Gateway" else v2_of(record)
        options += ["--contract", name, "--to", candidate]
    return options


def views(contract: Any, probes: list[str]) -> dict[str, str]:
    """Every view of `contract` that takes nothing or one address (asked for each probe), by its
    signature and arguments: its answer, or the error it reverts with."""
    from ape.contracts.base import ContractCall

    answers: dict[str, str] = {}
    for abi in contract.contract_type.view_methods:
        types = [i.type for i in abi.inputs]
        calls = [()] if not types else [(p,) for p in probes] if types == ["address"] else []
        for args in calls:
            try:
                value = repr(ContractCall(abi, contract.address)(*args))
            except Exception as err:  # a view that reverts must revert the same way
                value = f"reverts: {str(err).splitlines()[0] if str(err) else type(err).__name__}"
            answers[f"{abi.selector}{args}"] = value
    return answers


def figures(written: dict[str, Any], probes: list[str]) -> dict[str, dict[str, str]]:
    """Every view of every proxied contract, read through the type it was deployed as."""
    from ape import project

    return {
        name: views(getattr(project, r["contract_type"]).at(r["address"]), probes)
        for name, r in proxied(written).items()
    }


def storage(node: Any, addresses: list[str]) -> dict[str, dict[int, int]]:
    """Every non-zero storage slot of each address, from anvil's state dump."""
    dump = json.loads(gzip.decompress(bytes.fromhex(str(node.rpc("anvil_dumpState"))[2:])))
    accounts = {k.lower(): v for k, v in dump["accounts"].items()}
    return {
        a: {int(k, 16): int(v, 16) for k, v in accounts[a.lower()]["storage"].items() if int(v, 16)}
        for a in addresses
    }


@pytest.fixture(scope="module")
def upgraded(nodes, deployed, in_use) -> dict[str, Any]:
    """The unsafe batch refused; the batch of every v2 scheduled through the Safe, the hour
    passed, then executed at the block time the figures before it were read at."""
    out, written = deployed, manifest(deployed, A)
    run = _Admin(nodes, out)
    seen: dict[str, Any] = {"refused": admin(nodes, out, "upgrade", *upgrade_options(written, True), "--safe",
                                             written["governance"]["safe"])}  # fmt: skip
    with on_a(nodes, out) as suite, suite.connected() as provider:
        seen["deployed by the refused batch"] = [
            name
            for name, r in proxied(written).items()
            if provider.get_code(candidate_implementation(v2_of(r)).address) not in (b"", "0x")
        ]
    safe = written["governance"]["safe"]
    outcomes = proposals(run, "upgrade", *upgrade_options(written), "--safe", safe)
    submit(run.on_chain(), outcomes)
    seen["scheduled"] = outcomes[0]
    nodes[0].rpc("evm_increaseTime", DELAY)
    nodes[0].rpc("evm_mine")
    execution = proposals(run, "timelock", "execute", "--operation", outcomes[0]["timelock"]["operation_id"])
    addresses = [r["address"] for r in proxied(written).values()]
    probes = [
        ALICE,
        BOB,
        written["contracts"]["HybridDvP"]["address"],
        written["assets"]["NVDAon"]["extra"]["vault"],
    ]
    with on_a(nodes, out) as suite, suite.connected():
        seen["figures before"] = figures(written, probes)
        seen["storage before"] = storage(nodes[0], addresses)
        from ape import chain

        latest = chain.blocks.head.timestamp
    nodes[0].rpc("evm_setNextBlockTimestamp", latest)  # the execution lands at the same block time
    submit(run.on_chain(), execution)
    with on_a(nodes, out) as suite, suite.connected():
        seen["figures after"] = figures(written, probes)
        seen["storage after"] = storage(nodes[0], addresses)
        seen["implementations"] = {
            name: implementation_of(r["address"]) for name, r in proxied(written).items()
        }
    return seen


def test_a_batch_with_an_unsafe_v2_is_refused_and_nothing_is_deployed(upgraded):
    refused = upgraded["refused"]

    assert refused.returncode == BAD_INPUT
    assert last_error_line(refused).startswith(
        "error: GatewayV2UnsafeMock is not a safe upgrade of Gateway: "
    )
    assert upgraded["deployed by the refused batch"] == []  # every pair checked before any deployment


def test_every_proxied_contract_is_upgraded_by_one_timelock_batch(upgraded, deployed):
    written = manifest(deployed, A)
    scheduled = upgraded["scheduled"]

    assert scheduled["timelock"]["function"] == "scheduleBatch"
    assert {c["contract"] for c in scheduled["calls"]} == set(proxied(written))
    assert upgraded["implementations"] == {
        name: candidate_implementation(v2_of(r)).address for name, r in proxied(written).items()
    }


def test_every_storage_slot_but_the_implementation_is_unchanged(upgraded):
    before, after = upgraded["storage before"], upgraded["storage after"]

    for address, slots in before.items():
        assert {k: v for k, v in after[address].items() if k != IMPLEMENTATION_SLOT} == {
            k: v for k, v in slots.items() if k != IMPLEMENTATION_SLOT
        }, address
        assert after[address][IMPLEMENTATION_SLOT] != slots[IMPLEMENTATION_SLOT]


def test_every_view_of_every_contract_answers_what_it_did(upgraded):
    before, after = upgraded["figures before"], upgraded["figures after"]

    assert before.keys() == after.keys()
    for name in before:
        assert after[name] == before[name], name
    assert before["InvestorRegistry"][f"isVerified(address){(ALICE,)}"] == "True"  # the register was read
    share = before["TSLArs"]  # the registry share: two holders and its 2:1 split, read before and after
    assert share[f"balanceOf(address){(ALICE,)}"] == repr(16 * E18)
    assert share[f"balanceOf(address){(BOB,)}"] == repr(4 * E18)
    assert (share["holderCount()()"], share["multiplier()()"], share["totalSupply()()"]) == (
        "2",
        repr(2 * E18),
        repr(20 * E18),
    )


def test_the_v2_code_is_live_on_every_contract(upgraded, nodes, deployed):
    from ape import project

    written = manifest(deployed, A)
    with on_a(nodes, deployed) as suite, suite.connected():
        versions = {
            name: getattr(project, v2_of(r)).at(r["address"]).version()
            for name, r in proxied(written).items()
        }
    assert set(versions.values()) == {"2"}


def test_the_message_in_flight_is_delivered_by_the_upgraded_gateway(upgraded, nodes, deployed, tmp_path):
    from ape import project

    written = manifest(deployed, A)
    gateways = (
        written["contracts"]["Gateway"]["address"],
        manifest(deployed, B)["contracts"]["Gateway"]["address"],
    )
    with on_a(nodes, deployed) as suite, suite.connected():
        cert = project.TrackerCertificate.at(written["assets"]["AAPLx"]["token"])
        held = cert.balanceOf(ALICE)
    relay(nodes, gateways, tmp_path)
    with on_a(nodes, deployed) as suite, suite.connected():
        assert cert.balanceOf(ALICE) == held + E18


def test_the_escrow_is_released_by_the_upgraded_settlement(upgraded, in_use, nodes, deployed):
    from ape import chain, project

    from tokenized_stocks.protocol.trade import (
        PaymentConfirmation,
        hybrid_trade_key,
        reference,
        sign_payment_confirmation,
    )

    written = manifest(deployed, A)
    trade = in_use["trade"]
    with on_a(nodes, deployed) as suite, suite.connected():
        hybrid = project.HybridDvP.at(written["contracts"]["HybridDvP"]["address"])
        cert = project.TrackerCertificate.at(written["assets"]["AAPLx"]["token"])
        confirmation = PaymentConfirmation(
            hybrid_trade_key(trade, A, str(hybrid.address)), trade.cashAmount, trade.currency,
            reference("WIRE-UPGRADE"), chain.pending_timestamp + 3600,
        )  # fmt: skip
        signature = sign_payment_confirmation(
            suite.test_account(CASH_AGENT).private_key, confirmation, A, str(hybrid.address)
        )
        held = cert.balanceOf(BOB)
        hybrid.release(trade.as_tuple(), confirmation.as_tuple(), signature, sender=suite.test_account(14))
        assert cert.balanceOf(BOB) == held + E18
