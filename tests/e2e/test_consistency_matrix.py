"""One economic outcome everywhere, for each architecture where the event exists: a holder's
position is the same whether the tokens sit on the home chain, on the remote chain, in flight
between them, on the traditional register (reached through the ledger adapter and ISO 20022
messages only), or in flight to it.

Events: a 2:1 split and a 1:3 reverse split (shares: alice's position equals a control holder's,
bob, whose 30 never left the home chain), a freeze (ability to transfer: the frozen holder can
move nothing anywhere, and loses nothing) and a forced transfer (the tokens go to bob wherever
they are; in flight, once they arrive). The register is reached two ways: booked before the
event, and in flight to it (the off-ramp is requested on chain, the event happens, then the
register books the sese.023, which names the epoch its quantity was measured at). A cash
dividend pays $1 a share at every location (in flight: where the shares are delivered).

Architectures (tests/e2e/matrix_assets.py says how each is driven): 55 cells.
- registry share (RegistryShare): every event at every location, 25 cells.
- tracker certificate (TrackerCertificate): splits (a scheduled multiplier update, synced to
  chain B by the gateway), freeze (ERC-7943 frozen tokens above any balance: they also hold what
  arrives, so tokens in flight land frozen instead of bouncing) and forced transfer, 20 cells.
  No cash-dividend cells: the certificate has no cash dividend. It keeps no record points a
  DividendDistributor could pay from (the distributor takes an IRegistryShare); a dividend on the
  underlying is reinvested by the issuer as a multiplier update, which is the split path tested
  here.
- order token (OrderToken, mint-on-order): freeze (wallet freeze) and forced transfer, 10 cells.
  No split or dividend cells: its multiplier is fixed at 1e18 (`syncCorporateAction` refuses any
  other), a split is priced into new quotes and reissued by the order desk, and dividends are
  paid off chain by the issuer, so neither event exists on any of its locations.

Each forced-transfer cell runs twice: from a free holder and from one frozen everywhere (a court
order ignores freezes on every location), so the 55 cells are 70 tests. One module-scoped
deployment per architecture on two anvils; each cell is reverted on both chains, with a fresh
register.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from ape.exceptions import ContractLogicError
from matrix_assets import ASSETS, CASH_DIVIDEND, FORCED_TRANSFER, FREEZE, SPLIT, Deployer
from two_chains import TwoChains

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.devtools.bridge import CHAIN_A, CHAIN_B, deploy_gateway, link_gateway, register_asset
from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.identifiers import account_bytes
from tokenized_stocks.iso20022.mailbox import Mailbox
from tokenized_stocks.iso20022.messages import (
    CorporateActionNotification,
    EventKind,
)
from tokenized_stocks.protocol.roles import SNAPSHOT_ROLE, TRANSFER_AGENT_ROLE
from tokenized_stocks.register.chain import LedgerBridge
from tokenized_stocks.register.config import RegisterSettings
from tokenized_stocks.register.service import RegisterService

ONE = 10**18
HELD = 30 * ONE
LOCATIONS = ["home chain", "remote chain", "in flight", "register", "in flight to the register"]
EVENTS = {"2:1 split": (2, 1), "1:3 reverse split": (1, 3)}


def kinds(event: str) -> list[str]:
    """The architectures that have `event`, always in the order of ASSETS: pytest groups the cells
    by the index of this module-scoped parameter, so one index must mean one architecture for
    each architecture to be deployed once (the events' architectures are nested prefixes)."""
    return [kind for kind, asset in ASSETS.items() if event in asset.events]


class World:
    """Everything the cells of one architecture share, deployed once."""

    def __init__(self, **parts: Any) -> None:
        self.__dict__.update(parts)


@pytest.fixture(scope="module")
def two(chain_b_node) -> TwoChains:
    return TwoChains(chain_b_node)


@pytest.fixture(scope="module")
def world(
    request,
    two,
    project,
    issuer,
    custodian,
    transfer_agent,
    operators,
    relayer,
    deploy_registry,
    onboard,
    investor_alice,
    investor_bob,
) -> World:
    """The architecture `request.param` on both chains (home A) behind linked gateways; alice and
    bob hold 30 each on A; a ledger adapter lists the asset on A."""
    from ape import chain  # noqa: PLC0415

    asset = ASSETS[request.param]
    deployer = Deployer(project, issuer, custodian, transfer_agent)

    def asset_on_this_chain(home: bool) -> Any:
        registry = deploy_registry()
        onboard(registry, "alice", investor_alice)
        onboard(registry, "bob", investor_bob)
        token = asset.deploy(deployer, registry, home)
        return registry, token

    registry_a, token_a = asset_on_this_chain(home=True)
    gateway_a = deploy_gateway(project, issuer, operators, 2)
    asset_id = register_asset(gateway_a, issuer, token_a)
    for holder in (investor_alice, investor_bob):
        asset.issue(deployer, token_a, holder, HELD)
    adapter = deploy_behind_proxy(project, issuer, project.TraditionalLedgerAdapter, issuer)
    adapter.grantRole(TRANSFER_AGENT_ROLE, transfer_agent, sender=issuer)
    onboard(registry_a, "ledger-adapter", adapter)
    adapter.setAssetListed(token_a, True, sender=issuer)
    dividends: dict[str, Any] = {}
    if CASH_DIVIDEND in asset.events:
        dividends["cash_a"], dividends["dividends_a"] = _dividends(project, issuer, transfer_agent, token_a)
    with two.on_b():
        _, token_b = asset_on_this_chain(home=False)
        if CASH_DIVIDEND in asset.events:
            dividends["cash_b"], dividends["dividends_b"] = _dividends(
                project, issuer, transfer_agent, token_b
            )
        gateway_b = deploy_gateway(project, issuer, operators, 2)
        register_asset(gateway_b, issuer, token_b)
        link_gateway(gateway_b, issuer, CHAIN_A, gateway_a.address)
    link_gateway(gateway_a, issuer, CHAIN_B, gateway_b.address)
    from tokenized_stocks.devtools.bridge import Bridge  # noqa: PLC0415

    bridge = Bridge(
        two,
        asset_id,
        token_a,
        gateway_a,
        token_b,
        gateway_b,
        chain.provider.http_uri,
        two.node.uri,
        operators,
        relayer,
    )
    return World(
        asset=asset,
        deployer=deployer,
        isin=asset.isin,
        bridge=bridge,
        adapter=adapter,
        token_a=token_a,
        token_b=token_b,
        dti=bytes(token_a.dti()).decode(),
        **dividends,
    )


def _dividends(project: Any, issuer: Any, transfer_agent: Any, share: Any) -> tuple[Any, Any]:
    """A cash token (6 decimals) and the share's dividend distributor on the current chain."""
    cash = issuer.deploy(project.SettleCashMock)
    dividends = deploy_behind_proxy(project, issuer, project.DividendDistributor, issuer, share)
    dividends.grantRole(TRANSFER_AGENT_ROLE, transfer_agent, sender=issuer)
    share.grantRole(SNAPSHOT_ROLE, dividends, sender=issuer)
    return cash, dividends


@pytest.fixture
def cell(world, two, tmp_path) -> Iterator[World]:
    """The world, with both chains reverted after the cell and a fresh register. Chain A is
    snapshotted here too, not left to ape's isolation: after a module that kept another provider
    connected for its whole length (tests/e2e/test_admin_script.py's suite), ape's own revert did
    not reach this module's chain and one cell's split stayed for the next."""
    from ape import chain  # noqa: PLC0415

    snapshot_a = chain.snapshot()
    snapshot = two.snapshot_b()
    settings = RegisterSettings(
        db=tmp_path / "register.sqlite", inbox=tmp_path / "in", outbox=tmp_path / "out"
    )
    world.register = RegisterService(settings)
    world.register.register.store.add_security(world.isin, world.dti)
    yield world
    two.revert_b(snapshot)
    chain.restore(snapshot_a)


def _relay(world: World, tmp_path: Path) -> None:
    relayer = world.bridge.relayer(str(tmp_path / "relayer.sqlite"))
    try:
        report = relayer.run_until_idle()
    finally:
        relayer.close()
    assert not report.failed, report.failed


def _place(world: World, location: str, alice: Any, transfer_agent: Any, tmp_path: Path) -> None:
    """Puts alice's 30 shares at `location` (in flight: sent, not delivered or booked yet)."""
    if location in ("remote chain", "in flight"):
        world.bridge.send_a(alice, alice, HELD)
        if location == "remote chain":
            _relay(world, tmp_path)
    elif location in ("register", "in flight to the register"):
        world.token_a.approve(world.adapter, HELD, sender=alice)
        world.adapter.requestOffRamp(world.token_a, HELD, account_bytes("ACC-ALICE"), sender=alice)
        if location == "register":
            _settle_with_register(world, transfer_agent, tmp_path)
            assert world.register.register.balance(world.isin, "ACC-ALICE") == HELD


def _settle_with_register(world: World, transfer_agent: Any, tmp_path: Path) -> None:
    """The bridge sends the pending off-ramps (sese.023), the register books them, the bridge
    applies its answers (sese.025 -> confirmOffRamp)."""
    carrier = LedgerBridge(
        world.adapter,
        transfer_agent,
        Mailbox(world.register.inbox),
        tmp_path / "bridge.sqlite",
        [world.token_a],
    )
    carrier.forward_off_ramps()
    world.register.run_once()
    for answer in world.register.register.outbox.files():
        if "sese.024" in answer.name or "sese.025" in answer.name:  # not a probe's sese.023 DELI
            try:
                carrier.apply(answer)
            except ContractLogicError:  # the chain refuses the effect (a frozen holder): it waits
                pass


def _position(world: World, location: str, holder: Any, account: str = "ACC-ALICE") -> int:
    """The holder's shares (token amount) at the location (`account` on the register)."""
    if location == "home chain":
        return int(world.token_a.balanceOf(holder))
    if location in ("remote chain", "in flight"):
        with world.bridge.chains.on_b():
            return int(world.token_b.balanceOf(holder))
    return world.register.register.balance(world.isin, account)


@pytest.mark.parametrize("location", LOCATIONS)
@pytest.mark.parametrize("event", list(EVENTS))
@pytest.mark.parametrize("world", kinds(SPLIT), indirect=True)
def test_a_split_gives_the_same_position_wherever_the_shares_are(
    cell, event, location, issuer, transfer_agent, investor_alice, investor_bob, tmp_path
):
    new, old = EVENTS[event]
    _place(cell, location, investor_alice, transfer_agent, tmp_path)

    cell.asset.split(cell.deployer, cell.token_a, new, old)
    cell.bridge.gateway_a.broadcastCorporateAction(cell.bridge.asset_id, CHAIN_B, sender=issuer)
    _relay(cell, tmp_path)
    kind = EventKind.SPLIT if new > old else EventKind.REVERSE_SPLIT
    notice = CorporateActionNotification(
        f"CA-{new}-{old}",
        kind,
        cell.isin,
        cell.dti,
        datetime.now(UTC).date(),
        new,
        old,
        epoch=int(cell.token_a.corporateActionEpoch()),
    )
    Mailbox(cell.register.inbox).write(notice)
    cell.register.run_once()
    if location == "in flight to the register":  # the off-ramp was requested before the split
        _settle_with_register(cell, transfer_agent, tmp_path)

    control = int(cell.token_a.balanceOf(investor_bob))  # bob's 30 shares never left the home chain
    assert control == HELD * new // old or new < old  # a reverse split rounds down: 9.999...
    assert _position(cell, location, investor_alice) == control
    assert _can_move(cell, location, investor_alice, "ACC-ALICE", tmp_path, control)  # all of it


def _arrive(cell: World, location: str, transfer_agent: Any, tmp_path: Path) -> None:
    """Lets in-flight shares arrive (the relayer, or the register booking the off-ramp)."""
    if location == "in flight":
        _relay(cell, tmp_path)
    elif location == "in flight to the register":
        _settle_with_register(cell, transfer_agent, tmp_path)


def _can_move(
    cell: World, location: str, holder: Any, account: str, tmp_path: Path, value: int = ONE
) -> bool:
    """Whether the holder can move `value` (one share) where its shares are (ERC-1404 pre-check
    on chain; on the register, whether it lets the account start an on-ramp of `value`)."""
    if location == "home chain":
        return int(cell.token_a.detectTransferRestriction(holder, holder, value)) == 0
    if location in ("remote chain", "in flight"):
        with cell.bridge.chains.on_b():
            return int(cell.token_b.detectTransferRestriction(holder, holder, value)) == 0
    probe = f"PROBE-{LOCATIONS.index(location)}-{account}"[:32]
    try:
        cell.register.register.deliver(probe, cell.isin, account, str(holder.address), value)
    except MessageRefused:
        return False
    return True


@pytest.mark.parametrize("location", LOCATIONS)
@pytest.mark.parametrize("world", kinds(FREEZE), indirect=True)
def test_a_freeze_stops_the_holder_wherever_the_shares_are(
    cell, location, transfer_agent, investor_alice, investor_bob, tmp_path
):
    """The holder is frozen on both chains and on the register while the shares are at the
    location (in flight: before they arrive, so a wallet-frozen destination refuses them and they
    go back; the certificate's frozen tokens take them in, frozen)."""
    _place(cell, location, investor_alice, transfer_agent, tmp_path)

    _freeze_everywhere(cell, investor_alice)
    _arrive(cell, location, transfer_agent, tmp_path)

    for where in ("home chain", "remote chain", "register"):
        assert not _can_move(cell, where, investor_alice, "ACC-ALICE", tmp_path), where
    assert _can_move(cell, "home chain", investor_bob, "ACC-BOB", tmp_path)  # the control is free
    assert _total(cell, investor_alice) == HELD  # frozen, not lost


def _freeze_everywhere(cell: World, holder: Any) -> None:
    """Freezes the holder on both chains and its account on the register."""
    cell.asset.freeze(cell.deployer, cell.token_a, holder)
    with cell.bridge.chains.on_b():
        cell.asset.freeze(cell.deployer, cell.token_b, holder)
    cell.register.register.set_frozen(cell.isin, "ACC-ALICE", True, "court order 7")


def _total(cell: World, holder: Any) -> int:
    """Everything of the holder's, wherever it is: both chains, the register, a refund the home
    gateway holds for a frozen holder, an off-ramp the adapter keeps locked (the only holder of
    those here is alice)."""
    total = int(cell.token_a.balanceOf(holder)) + cell.register.register.balance(cell.isin, "ACC-ALICE")
    with cell.bridge.chains.on_b():
        total += int(cell.token_b.balanceOf(holder))
    locked_units = int(cell.bridge.gateway_a.heldRefundUnits(cell.bridge.asset_id))
    locked_units += int(cell.adapter.pendingOf(cell.token_a))
    return total + locked_units * int(cell.token_a.multiplier()) // ONE


@pytest.mark.parametrize("location", LOCATIONS)
@pytest.mark.parametrize("holder", ["free holder", "frozen holder"])
@pytest.mark.parametrize("world", kinds(FORCED_TRANSFER), indirect=True)
def test_a_forced_transfer_moves_the_shares_wherever_they_are(
    cell, holder, location, transfer_agent, investor_alice, investor_bob, tmp_path
):
    """The tokens go to bob, who can move all of them there; a court order also takes them from
    a holder frozen everywhere (once in-flight tokens have arrived), as ERC-7943 forcedTransfer
    and the register's force-transfer both ignore freezes."""
    _place(cell, location, investor_alice, transfer_agent, tmp_path)
    _arrive(cell, location, transfer_agent, tmp_path)
    if holder == "frozen holder":
        _freeze_everywhere(cell, investor_alice)
    before = _position(cell, location, investor_bob, "ACC-BOB")

    if location == "home chain":
        cell.asset.force(cell.deployer, cell.token_a, investor_alice, investor_bob, HELD)
    elif location in ("remote chain", "in flight"):
        with cell.bridge.chains.on_b():
            cell.asset.force(cell.deployer, cell.token_b, investor_alice, investor_bob, HELD)
    else:
        cell.register.register.force_transfer(
            "FT-9", cell.isin, "ACC-ALICE", "ACC-BOB", HELD, "court order 9"
        )

    assert _position(cell, location, investor_alice, "ACC-ALICE") == 0
    assert _position(cell, location, investor_bob, "ACC-BOB") == before + HELD
    assert _can_move(cell, location, investor_bob, "ACC-BOB", tmp_path, before + HELD)


USD = 10**6  # the cash token's decimals
CLAIM_PERIOD = 30 * 24 * 3600


def _declare(cash: Any, dividends: Any, transfer_agent: Any, pool: int, declare: Any) -> int:
    cash.mint(transfer_agent, pool, sender=transfer_agent)
    cash.approve(dividends, pool, sender=transfer_agent)
    declare()
    return int(dividends.dividendCount())


@pytest.mark.parametrize("location", LOCATIONS)
@pytest.mark.parametrize("world", kinds(CASH_DIVIDEND), indirect=True)
def test_a_cash_dividend_pays_the_same_wherever_the_shares_are(
    cell, location, issuer, transfer_agent, investor_alice, investor_bob, tmp_path
):
    """$60 over the 60 shares of the security: $1 a share wherever it is at the record date (in
    flight: where it is delivered), the home chain's rate carried to chain B and, as a dividend
    per share in a seev.031, to the register."""
    _place(cell, location, investor_alice, transfer_agent, tmp_path)

    pool = 60 * USD
    home_id = _declare(
        cell.cash_a,
        cell.dividends_a,
        transfer_agent,
        pool,
        lambda: cell.dividends_a.declareDividend(
            cell.cash_a, pool, CLAIM_PERIOD, "Q4", sender=transfer_agent
        ),
    )
    declared = cell.dividends_a.dividend(home_id)
    cell.bridge.gateway_a.broadcastCorporateAction(cell.bridge.asset_id, CHAIN_B, sender=issuer)
    _relay(cell, tmp_path)
    with cell.bridge.chains.on_b():
        remote_id = _declare(
            cell.cash_b,
            cell.dividends_b,
            transfer_agent,
            pool,
            lambda: cell.dividends_b.declareRemoteDividend(
                cell.cash_b,
                declared.recordEpoch,
                declared.rate,
                pool,
                CLAIM_PERIOD,
                "Q4",
                sender=transfer_agent,
            ),
        )
    per_share = Decimal(declared.rate) * ONE / Decimal(10) ** 36 / USD * ONE / int(cell.token_a.multiplier())
    notice = CorporateActionNotification(
        "CA-Q4",
        EventKind.CASH_DIVIDEND,
        cell.isin,
        cell.dti,
        datetime.now(UTC).date(),
        dividend_per_share=per_share,
        currency="USD",
        epoch=int(declared.recordEpoch),
    )
    Mailbox(cell.register.inbox).write(notice)
    cell.register.run_once()
    if location == "in flight to the register":  # the off-ramp was requested before the record date
        _settle_with_register(cell, transfer_agent, tmp_path)

    control = Decimal(int(cell.dividends_a.claimable(home_id, investor_bob))) / USD  # bob: 30 shares at home
    if location == "home chain":
        paid = Decimal(int(cell.dividends_a.claimable(home_id, investor_alice))) / USD
    elif location in ("remote chain", "in flight"):
        with cell.bridge.chains.on_b():
            paid = Decimal(int(cell.dividends_b.claimable(remote_id, investor_alice))) / USD
    else:
        paid = Decimal(cell.register.register.store.cash_entitlement(cell.isin, "ACC-ALICE"))
    assert control == Decimal(30)
    assert paid == control
