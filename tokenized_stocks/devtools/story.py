"""The demo's story, told on two local chains: chain A (home of every asset) and chain B.

`ape run demo` builds a `Story` and calls `run()`; every phase prints what happens as it happens.
Each phase asserts its own outcome (a demo that silently shows wrong numbers is worse than none):
a broken expectation raises `DemoError` and the script exits non-zero.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eth_account import Account
from rich.console import Console
from rich.table import Table

from tokenized_stocks.attestor.service import WatchedChain
from tokenized_stocks.cli.networks import connect
from tokenized_stocks.deploy.deployer import Deployer
from tokenized_stocks.deploy.listings import Listing
from tokenized_stocks.deploy.manifest import Manifest, save_manifest
from tokenized_stocks.deploy.suite import RoleBook, deploy_suite, link_peer
from tokenized_stocks.devtools.anvil import AnvilNode
from tokenized_stocks.devtools.attestors import AttestorProcess, start_attestors
from tokenized_stocks.iso20022 import cash as cash_notice
from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022.identifiers import account_bytes
from tokenized_stocks.iso20022.mailbox import Mailbox
from tokenized_stocks.iso20022.messages import (
    CashCreditNotification,
    CorporateActionNotification,
    EventKind,
)
from tokenized_stocks.protocol import display
from tokenized_stocks.protocol.quote import QuoteService, Side
from tokenized_stocks.protocol.roles import Country, InvestorClass
from tokenized_stocks.protocol.trade import (
    HybridTrade,
    PaymentConfirmation,
    Trade,
    currency,
    hybrid_trade_key,
    reference,
    sign_trade,
)
from tokenized_stocks.reconcile.model import Report, reconcile
from tokenized_stocks.reconcile.read import (
    SentMessage,
    asset_views,
    epoch_of,
    register_ledgers,
    sent_messages,
    undelivered,
    with_in_flight,
)
from tokenized_stocks.reconcile.register import compare
from tokenized_stocks.reconcile.render import render_report
from tokenized_stocks.register.chain import LedgerBridge
from tokenized_stocks.register.config import RegisterSettings
from tokenized_stocks.register.service import RegisterService
from tokenized_stocks.relayer.attestors import HttpAttestor
from tokenized_stocks.relayer.config import ChainEndpoint, RelayerConfig
from tokenized_stocks.relayer.service import Relayer

E18 = 10**18
USD = 10**6  # the demo stablecoin has 6 decimals
ONE_YEAR = 365 * 24 * 3600


class DemoError(RuntimeError):
    """The demo saw something other than what the suite promises."""


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise DemoError(what)


def investor_id(name: str) -> bytes:
    return name.encode().ljust(32, b"\x00")


@dataclass
class ChainHandle:
    name: str
    choice: str
    node: AnvilNode
    manifest: Manifest | None = None
    contracts: dict[str, Any] = field(default_factory=dict)

    @property
    def chain_id(self) -> int:
        return self.node.chain_id

    @property
    def deployed(self) -> Manifest:
        """The manifest of the suite deployed on this chain (the story deploys before it acts)."""
        if self.manifest is None:
            raise RuntimeError(f"chain {self.name}: the suite is not deployed yet")
        return self.manifest


@dataclass
class Story:
    project: Any
    accounts: Any
    a: ChainHandle
    b: ChainHandle
    listings: list[Listing]
    console: Console
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="demo-")))

    def __post_init__(self) -> None:
        self.roles = RoleBook.local(self.accounts)
        acc = self.accounts
        self.alice, self.alice_2, self.bob, self.carol = acc[12], acc[13], acc[14], acc[15]
        self.dave = acc[16]  # never onboarded on chain B
        self.keys = {k.key: k for k in self.listings}
        self.cert_key = self._key_of(0)
        self.order_key = self._key_of(1)
        self.share_key = self._key_of(2)

    def _key_of(self, architecture: int) -> str:
        for listing in self.listings:
            if int(listing.architecture) == architecture:
                return listing.key
        raise DemoError(f"the listings file has no asset of architecture {architecture}")

    # ------------------------------------------------------------------------------------------
    # plumbing
    # ------------------------------------------------------------------------------------------

    @contextmanager
    def on(self, handle: ChainHandle) -> Iterator[ChainHandle]:
        with connect(handle.choice, handle.node.uri):
            yield handle

    def say(self, text: str) -> None:
        self.console.print(f"  {text}")

    def phase(self, title: str) -> None:
        self.console.rule(f"[bold cyan]{title}")

    def warp(self, seconds: int) -> None:
        """Moves both chains' clocks forward together."""
        for node in (self.a.node, self.b.node):
            node.rpc("evm_increaseTime", seconds)
            node.rpc("evm_mine")

    def refused(self, action: Callable[[], Any]) -> str:
        """Runs an action that must revert; returns the custom error's name and arguments."""
        from ape.exceptions import ContractLogicError

        try:
            with _no_revert_traces():  # ape prints a reverted call's trace; the story says why instead
                action()
        except ContractLogicError as err:
            inputs = getattr(err, "inputs", None) or {}
            args = ", ".join(f"{k}={_short(v)}" for k, v in inputs.items())
            return f"{type(err).__name__}({args})"
        raise DemoError("an action that must be refused went through")

    def c(self, handle: ChainHandle, name: str) -> Any:
        return handle.contracts[name]

    def now(self) -> int:
        from ape import chain

        return int(chain.pending_timestamp)

    def start_attestors(self) -> None:
        """One attestor process per operator, each with its own key, store and port, watching both
        gateways: the relayer asks them and holds no operator key."""
        watched = [
            WatchedChain(h.node.uri, str(self.c(h, "gateway").address), _gateway_block(h.deployed))
            for h in (self.a, self.b)
        ]
        keys = [Account.from_key(op.private_key) for op in self.roles.operators]
        self.attestors = start_attestors(keys, self.workdir / "attestors", watched)
        self.say(
            f"[magenta]attestors[/]: {len(self.attestors)} operator processes "
            f"({', '.join(a.url for a in self.attestors)}), threshold {self.roles.threshold}"
        )

    def stop_attestors(self) -> None:
        for attestor in getattr(self, "attestors", []):
            attestor.stop()

    def relay(self) -> Any:
        attestors: list[AttestorProcess] = self.attestors
        heads = {h.chain_id: int(str(h.node.rpc("eth_blockNumber")), 16) for h in (self.a, self.b)}
        for attestor in attestors:
            attestor.wait_caught_up(heads)
        config = RelayerConfig(
            chain_a=ChainEndpoint("A", self.a.node.uri, str(self.c(self.a, "gateway").address)),
            chain_b=ChainEndpoint("B", self.b.node.uri, str(self.c(self.b, "gateway").address)),
            submitter=Account.from_key(self.roles.relayer.private_key),
            attestors=[HttpAttestor(a.url) for a in attestors],
            db_path=str(self.workdir / "relayer.sqlite"),
        )
        relayer = Relayer(config)
        try:
            report = relayer.run_once()
        finally:
            relayer.close()
        self.say(
            f"[magenta]relayer[/]: {len(report.delivered)} delivered, {len(report.rejected)} rejected, "
            f"{len(getattr(report, 'expired', []))} expired, {len(report.failed)} failed"
        )
        expect(not report.failed, f"relayer failures: {report.failed}")
        expect(not report.unattested, f"messages below the threshold: {report.unattested}")
        return report

    # ------------------------------------------------------------------------------------------
    # the story
    # ------------------------------------------------------------------------------------------

    def run(self) -> Report:
        started = time.monotonic()
        self.deploy()
        self.start_attestors()
        try:
            self.onboard()
            self.certificate()
            self.order_on_demand()
            self.restricted_transfer()
            self.corporate_actions()
            self.bridge_round_trips()
            self.refused_bridge()
            self.settlement()
            self.traditional_register()
            report = self.reconcile()
        finally:
            self.stop_attestors()
        self.console.rule(f"[bold green]demo finished in {time.monotonic() - started:.0f}s")
        return report

    def deploy(self) -> None:
        self.phase("1. List one stock in each architecture on chain A (home) and chain B")
        for handle in (self.a, self.b):
            with self.on(handle):
                manifest = Manifest(
                    chain_id=handle.chain_id, network=handle.choice, deployer=str(self.roles.issuer)
                )
                deployer = Deployer(
                    manifest=manifest,
                    account=self.roles.issuer,
                    save=lambda m: save_manifest(m, self.workdir / "deployments"),
                    log=lambda _line: None,
                )
                with self.console.status(f"deploying the suite on chain {handle.name} ({handle.chain_id})"):
                    handle.contracts = deploy_suite(
                        deployer, self.project, self.roles, self.listings, self.a.chain_id, local=True
                    )
                handle.manifest = manifest
                self.say(
                    f"chain {handle.name}: {len(manifest.contracts)} contracts, {len(manifest.steps_done)} steps"
                )
        with self.on(self.a):
            link_peer(
                self._deployer(self.a),
                self.c(self.a, "gateway"),
                self.roles,
                self.b.chain_id,
                self._gw(self.b),
            )
        with self.on(self.b):
            link_peer(
                self._deployer(self.b),
                self.c(self.b, "gateway"),
                self.roles,
                self.a.chain_id,
                self._gw(self.a),
            )
        table = Table(title="Listed assets (same identity on both chains)")
        for col in ("key", "architecture", "ISIN", "assetId", "chain A", "chain B"):
            table.add_column(col)
        for listing in self.listings:
            table.add_row(
                listing.key,
                listing.architecture.name.lower(),
                listing.isin,
                "0x" + listing.asset_id.hex()[:12] + "…",
                _short(self.c(self.a, listing.key).address),
                _short(self.c(self.b, listing.key).address),
            )
        self.console.print(table)

    def _deployer(self, handle: ChainHandle) -> Deployer:
        assert handle.manifest is not None
        return Deployer(
            manifest=handle.manifest,
            account=self.roles.issuer,
            save=lambda m: save_manifest(m, self.workdir / "deployments"),
            log=lambda _line: None,
        )

    def _gw(self, handle: ChainHandle) -> str:
        return str(self.c(handle, "gateway").address)

    def onboard(self) -> None:
        self.phase("2. Onboard investors from two countries (on both chains' registries)")
        people = [
            ("alice", Country.US, InvestorClass.ACCREDITED, [self.alice, self.alice_2]),
            ("bob", Country.GB, InvestorClass.PROFESSIONAL, [self.bob]),
        ]
        for handle in (self.a, self.b):
            with self.on(handle):
                registry = self.c(handle, "registry")
                expiry = self.now() + ONE_YEAR
                for name, country, classes, wallets in people:
                    registry.registerInvestor(
                        investor_id(name), country, classes, expiry, sender=self.roles.registrar
                    )
                    for wallet in wallets:
                        registry.addWallet(investor_id(name), wallet, sender=self.roles.registrar)
        self.say("alice (US, accredited, 2 wallets) and bob (GB, professional) verified on A and B")
        self.say("carol (DE) is not onboarded yet; dave is never onboarded on B")

    def certificate(self) -> None:
        self.phase("3. Tracker certificate: custodian attests reserves, issuer mints against them")
        with self.on(self.a):
            cert = self.c(self.a, self.cert_key)
            feed = self.project.AttestedFeed.at(self.a.deployed.assets[self.cert_key].extra["reserve"])
            feed.report(1_000_000, sender=self.roles.custodian)
            self.say("custodian attests [bold]1,000,000[/] AAPL shares held in custody")
            cert.mint(self.alice, 1_000 * E18, sender=self.roles.issuer)
            cert.mint(self.bob, 500 * E18, sender=self.roles.issuer)
            self.say("issuer mints 1,000 AAPLx to alice and 500 to bob")
            error = self.refused(lambda: cert.mint(self.alice, 1_000_000 * E18, sender=self.roles.issuer))
            self.say(f"minting 1,000,000 more is refused: [red]{error}[/]")
            expect(cert.totalSupply() == 1_500 * E18, "certificate supply")

    def order_on_demand(self) -> None:
        self.phase("4. Mint-on-order: alice buys NVDA on a signed quote, later redeems part")
        with self.on(self.a):
            desk = self.c(self.a, "desk")
            cash = self.c(self.a, "cash")
            token = self.c(self.a, self.order_key)
            listing = self.keys[self.order_key]
            price_feed = self.project.AttestedFeed.at(self.a.deployed.assets[self.order_key].extra["price"])
            price_usd = float(listing.option("reference_price", 180.25))
            price_feed.report(int(round(price_usd * 10**8)), sender=self.roles.quote_signer)
            cash.mint(self.alice, 10_000 * USD, sender=self.roles.issuer)
            cash.approve(desk, 10_000 * USD, sender=self.alice)
            service = QuoteService(self.roles.quote_signer.private_key, str(desk.address), self.a.chain_id)
            price = int(round(price_usd * USD))
            quote = service.quote(
                listing.asset_id, Side.BUY, 10 * E18, price, investor_id("alice"), now=self.now()
            )
            before = cash.balanceOf(self.alice)
            receipt = desk.buy(*quote.args(), quote.quote.cash(), sender=self.alice)
            paid = before - cash.balanceOf(self.alice)
            expect(token.balanceOf(self.alice) == 10 * E18, "order token minted on execution")
            self.say(
                f"quote #{quote.quote.quote_id}: buy 10 NVDA @ {display.money(price, 6)} -> paid {display.money(paid, 6)}, minted 10"
            )
            desk.recordFill(quote.quote.quote_id, reference("BROKER-FILL-0001"), sender=self.roles.executor)
            self.say(f"executor records the broker fill (tx {_short(receipt.txn_hash)})")
            replay = self.refused(lambda: desk.buy(*quote.args(), quote.quote.cash(), sender=self.alice))
            self.say(f"replaying the same quote is refused: [red]{replay}[/]")
            cash.mint(self.roles.issuer, 5_000 * USD, sender=self.roles.issuer)
            cash.approve(desk, 5_000 * USD, sender=self.roles.issuer)
            desk.topUpBuffer(5_000 * USD, sender=self.roles.issuer)
            sell = service.quote(
                listing.asset_id, Side.SELL, 4 * E18, price, investor_id("alice"), now=self.now()
            )
            before = cash.balanceOf(self.alice)
            desk.sell(*sell.args(), sell.quote.cash(), sender=self.alice)
            received = cash.balanceOf(self.alice) - before
            expect(token.balanceOf(self.alice) == 6 * E18, "order token burned on redemption")
            self.say(
                f"alice redeems 4 NVDA -> receives {display.money(received, 6)} from the desk's cash buffer"
            )

    def restricted_transfer(self) -> None:
        self.phase("5. Registry share: a transfer to a non-verified investor is refused, then allowed")
        with self.on(self.a):
            share = self.c(self.a, self.share_key)
            share.issue(
                self.alice,
                500 * E18,
                "initial allocation, register entry 1",
                sender=self.roles.transfer_agent,
            )
            share.issue(
                self.bob, 200 * E18, "initial allocation, register entry 2", sender=self.roles.transfer_agent
            )
            self.say(f"transfer agent issues 500 {self.share_key} to alice and 200 to bob")
            code = share.detectTransferRestriction(self.alice, self.carol, 100 * E18)
            message = share.messageForTransferRestriction(code)
            expect(code != 0, "carol is not verified yet")
            self.say(f"pre-check alice -> carol: ERC-1404 code {code}: [yellow]{message}[/]")
            error = self.refused(lambda: share.transfer(self.carol, 100 * E18, sender=self.alice))
            self.say(f"the transfer itself reverts: [red]{error}[/]")
            registry = self.c(self.a, "registry")
            registry.registerInvestor(
                investor_id("carol"),
                Country.DE,
                InvestorClass.RETAIL,
                self.now() + ONE_YEAR,
                sender=self.roles.registrar,
            )
            registry.addWallet(investor_id("carol"), self.carol, sender=self.roles.registrar)
            self.say("registrar onboards carol (DE)")
            expect(
                share.detectTransferRestriction(self.alice, self.carol, 100 * E18) == 0, "carol now allowed"
            )
            share.transfer(self.carol, 100 * E18, sender=self.alice)
            self.say(
                f"alice -> carol 100 {self.share_key}: done; holders on the register: {share.holderCount()}"
            )

    def corporate_actions(self) -> None:
        self.phase("6. A 2:1 split and a cash dividend, then the split is synced to chain B")
        with self.on(self.a):
            share = self.c(self.a, self.share_key)
            cert = self.c(self.a, self.cert_key)
            share.split(2, 1, "board resolution 2026-11: 2-for-1 split", sender=self.roles.transfer_agent)
            self.say(
                f"{self.share_key}: alice now holds {display.amount(share.balanceOf(self.alice))} (was 400)"
            )
            expect(share.balanceOf(self.alice) == 800 * E18, "registry share split")
            current = cert.multiplier()
            activation = self.now() + 60
            cert.scheduleMultiplierUpdate(
                current, current * 2, activation, cert.lastNonce() + 1, sender=self.roles.transfer_agent
            )
            self.say(f"{self.cert_key}: 2:1 split scheduled for {activation} (in 60 s)")
            before = cert.balanceOf(self.bob)
            self.warp(61)
            after = cert.balanceOf(self.bob)
            self.say(
                f"after activation bob, who never transacted, holds {display.amount(after)} (was {display.amount(before)})"
            )
            expect(after == 2 * before, "certificate split applied lazily to every holder")
            feed = self.project.AttestedFeed.at(self.a.deployed.assets[self.cert_key].extra["reserve"])
            feed.report(2_000_000, sender=self.roles.custodian)
            self.say("custodian attests 2,000,000 shares after the split")
            cash = self.c(self.a, "cash")
            dividends = self.project.DividendDistributor.at(
                self.a.deployed.assets[self.share_key].extra["dividends"]
            )
            pool = 1_100 * USD
            cash.mint(self.roles.transfer_agent, pool, sender=self.roles.issuer)
            cash.approve(dividends, pool, sender=self.roles.transfer_agent)
            dividends.declareDividend(
                cash, pool, 30 * 24 * 3600, "Q4 dividend $0.50/share", sender=self.roles.transfer_agent
            )
            dividend_id = dividends.dividendCount()  # ids start at 1
            share.transfer(
                self.bob, 100 * E18, sender=self.alice
            )  # after the record date: no effect on the dividend
            owed = dividends.claimable(dividend_id, self.alice)
            before = cash.balanceOf(self.alice)
            dividends.claim(dividend_id, self.alice, sender=self.alice)
            got = cash.balanceOf(self.alice) - before
            expect(got == owed and got > 0, "dividend paid from the record-date snapshot")
            self.say(
                f"dividend declared (record date = now); alice claims {display.money(got, 6)} for her record-date 800 shares"
            )
            double = self.refused(lambda: dividends.claim(dividend_id, self.alice, sender=self.alice))
            self.say(f"a second claim is refused: [red]{double}[/]")
            gateway = self.c(self.a, "gateway")
            for key in (self.share_key, self.cert_key):
                gateway.broadcastCorporateAction(
                    self.keys[key].asset_id, self.b.chain_id, sender=self.roles.issuer
                )
        self.relay()
        with self.on(self.b):
            for key in (self.share_key, self.cert_key):
                token = self.c(self.b, key)
                expect(token.multiplier() == 2 * E18, f"{key} multiplier synced on chain B")
                self.say(
                    f"chain B {key}: multiplier {display.amount(token.multiplier())}, epoch {token.corporateActionEpoch()}"
                )

    def bridge_round_trips(self) -> None:
        self.phase("7. Bridge each architecture from chain A to chain B and back")
        moves = [(self.cert_key, 100 * E18), (self.order_key, 2 * E18), (self.share_key, 50 * E18)]
        with self.on(self.a):
            gateway = self.c(self.a, "gateway")
            sent = []
            for key, amount in moves:
                token = self.c(self.a, key)
                units = amount * E18 // token.multiplier()
                sender = self.alice if key != self.share_key else self.alice
                gateway.send(
                    self.keys[key].asset_id,
                    self.b.chain_id,
                    self.bob,
                    units,
                    self.now() + 3600,
                    sender=sender,
                )
                sent.append((key, amount, units))
                self.say(
                    f"alice sends {display.amount(amount)} {key} ({display.amount(units)} units) to bob on chain B"
                )
        self.relay()
        with self.on(self.b):
            gateway_b = self.c(self.b, "gateway")
            for key, amount, _units in sent:
                token = self.c(self.b, key)
                expect(token.balanceOf(self.bob) == amount, f"{key} delivered on B")
                self.say(f"chain B: bob holds {display.amount(token.balanceOf(self.bob))} {key}")
            for key, _amount, units in sent:
                half = units // 2
                gateway_b.send(
                    self.keys[key].asset_id,
                    self.a.chain_id,
                    self.alice,
                    half,
                    self.now() + 3600,
                    sender=self.bob,
                )
            self.say("bob sends half of each back to alice on chain A")
        self.relay()
        with self.on(self.a):
            gateway = self.c(self.a, "gateway")
            for key, _amount, units in sent:
                elsewhere = gateway.supplyElsewhere(self.keys[key].asset_id)
                expect(elsewhere == units - units // 2, f"{key} supply elsewhere")
                self.say(f"home gateway: {display.amount(elsewhere)} units of {key} live on other chains")

    def refused_bridge(self) -> None:
        self.phase("8. A bridge to a recipient who may not hold the share is refused and refunded")
        with self.on(self.a):
            share = self.c(self.a, self.share_key)
            gateway = self.c(self.a, "gateway")
            before = share.balanceOf(self.alice)
            units = 10 * E18 * E18 // share.multiplier()
            gateway.send(
                self.keys[self.share_key].asset_id,
                self.b.chain_id,
                self.dave,
                units,
                self.now() + 3600,
                sender=self.alice,
            )
            self.say(
                f"alice sends 10 {self.share_key} to dave on chain B (dave is not a verified investor there)"
            )
            expect(share.balanceOf(self.alice) == before - 10 * E18, "burned on send")
        first = self.relay()
        expect(len(first.rejected) == 1, "the destination refuses the delivery")
        with self.on(self.b):
            gateway_b = self.c(self.b, "gateway")
            code = gateway_b.rejectionCode(first.rejected[0])
            self.say(
                f"chain B records the message as rejected (ERC-1404 code {code}) and emits a return message"
            )
        self.relay()
        with self.on(self.a):
            share = self.c(self.a, self.share_key)
            expect(share.balanceOf(self.alice) == before, "refunded on the source chain")
            self.say(
                f"alice is refunded on chain A: {display.amount(share.balanceOf(self.alice))} {self.share_key}, as before"
            )

    def settlement(self) -> None:
        self.phase("9. Settlement: atomic DvP and hybrid DvP (cash paid on a bank network)")
        with self.on(self.a):
            cert = self.c(self.a, self.cert_key)
            cash = self.c(self.a, "cash")
            dvp = self.c(self.a, "dvp")
            hybrid = self.c(self.a, "hybrid")
            cash.mint(self.bob, 5_000 * USD, sender=self.roles.issuer)
            trade = Trade(
                tradeId=reference("TRADE-0001"),
                seller=str(self.alice.address),
                buyer=str(self.bob.address),
                asset=str(cert.address),
                quantity=20 * E18,
                cashToken=str(cash.address),
                cashAmount=4_600 * USD,
                deadline=self.now() + 3600,
                corporateActionEpoch=epoch_of(cert),
            )
            cert.approve(dvp, trade.quantity, sender=self.alice)
            cash.approve(dvp, trade.cashAmount, sender=self.bob)
            sig_seller = sign_trade(self.alice.private_key, trade, self.a.chain_id, str(dvp.address))
            sig_buyer = sign_trade(self.bob.private_key, trade, self.a.chain_id, str(dvp.address))
            alice_cert, bob_cash = cert.balanceOf(self.alice), cash.balanceOf(self.bob)
            dvp.settle(trade.as_tuple(), sig_seller, sig_buyer, sender=self.roles.relayer)
            expect(cert.balanceOf(self.alice) == alice_cert - trade.quantity, "securities delivered")
            expect(cash.balanceOf(self.bob) == bob_cash - trade.cashAmount, "cash paid")
            self.say("atomic DvP: 20 AAPLx alice -> bob against $4,600 bob -> alice, in one transaction")
            deal = HybridTrade(
                tradeId=reference("TRADE-0002"),
                seller=str(self.alice.address),
                buyer=str(self.bob.address),
                asset=str(cert.address),
                quantity=10 * E18,
                currency=currency("USD"),
                cashAmount=2_300 * USD,
                deadline=self.now() + 3600,
                corporateActionEpoch=epoch_of(cert),
            )
            cert.approve(hybrid, deal.quantity, sender=self.alice)
            hybrid.escrow(deal.as_tuple(), sender=self.alice)
            self.say("hybrid DvP: alice escrows 10 AAPLx; bob pays $2,300 by wire")
            confirmation = PaymentConfirmation(
                tradeKey=hybrid_trade_key(deal, self.a.chain_id, str(hybrid.address)),
                amount=deal.cashAmount,
                currency=deal.currency,
                paymentReference=reference("FEDWIRE-20261124-0042"),
                deadline=self.now() + 3600,
            )
            notice = cash_notice.sign(
                CashCreditNotification(
                    message_id="CAMT-20261124-0042",
                    created=datetime.now(UTC).replace(microsecond=0),
                    cash_account="US-ALICE-SETTLEMENT-0001",
                    amount=cash_notice.major_units(deal.cashAmount, "USD"),
                    currency="USD",
                    payment_reference="FEDWIRE-20261124-0042",
                    trade_key="0x" + confirmation.tradeKey.hex(),
                    isin=str(cert.isin()),
                    dti=bytes(cert.dti()).decode(),
                    deadline=confirmation.deadline,
                ),
                self.roles.cash_agent.private_key,
                self.a.chain_id,
                str(hybrid.address),
            )
            camt = Mailbox(self.iso_folder / "from-bank").write(notice)
            confirmation_, signature = cash_notice.verify(
                codec.parse(camt.read_bytes(), CashCreditNotification),
                deal,
                chain_id=self.a.chain_id,
                hybrid=str(hybrid.address),
                cash_agents={str(self.roles.cash_agent.address)},
                now=self.now(),
                isin=str(cert.isin()),
                dti=bytes(cert.dti()).decode(),
            )
            expect(confirmation_ == confirmation, "the camt.054 carries the confirmation the bank signed")
            bob_before = cert.balanceOf(self.bob)
            hybrid.release(deal.as_tuple(), confirmation.as_tuple(), signature, sender=self.bob)
            expect(cert.balanceOf(self.bob) == bob_before + deal.quantity, "hybrid release")
            self.say(f"the bank's signed camt.054 ([cyan]{camt.name}[/]) releases the 10 AAPLx to bob")
            replay = self.refused(
                lambda: hybrid.release(deal.as_tuple(), confirmation.as_tuple(), signature, sender=self.bob)
            )
            self.say(f"presenting the confirmation again is refused: [red]{replay}[/]")

    @property
    def iso_folder(self) -> Path:
        """Where the demo leaves its ISO 20022 messages."""
        return self.workdir / "iso20022"

    def traditional_register(self) -> None:
        self.phase("10. To the traditional register and back, in ISO 20022 (a split while there)")
        folder = self.iso_folder
        settings = RegisterSettings(
            db=folder / "register.sqlite", inbox=folder / "to-register", outbox=folder / "from-register"
        )
        service = RegisterService(settings)
        with self.on(self.a):
            share = self.c(self.a, self.share_key)
            adapter = self.c(self.a, "adapter")
            isin, dti = str(share.isin()), bytes(share.dti()).decode()
            service.register.store.add_security(
                isin, dti, int(share.multiplier()), int(share.corporateActionEpoch())
            )
            bridge = LedgerBridge(
                adapter, self.roles.transfer_agent, Mailbox(settings.inbox), folder / "bridge.sqlite", [share]
            )
            held = share.balanceOf(self.alice)
            share.approve(adapter, 50 * E18, sender=self.alice)
            adapter.requestOffRamp(share, 50 * E18, account_bytes("ACC-ALICE"), sender=self.alice)
            (instruction,) = bridge.forward_off_ramps()
            self.say(
                f"alice off-ramps 50 {self.share_key}: the adapter locks them, [cyan]{instruction.name}[/] goes out"
            )
            service.run_once()
            for answer in service.register.outbox.files():
                self.say(
                    f"the register books ACC-ALICE and answers [cyan]{answer.name}[/]: {bridge.apply(answer)}"
                )
            expect(service.register.balance(isin, "ACC-ALICE") == 50 * E18, "the register credited 50 shares")
            share.split(2, 1, "board resolution 2026-12: 2-for-1 split", sender=self.roles.transfer_agent)
            notice = CorporateActionNotification(
                "CA-2026-12-SPLIT",
                EventKind.SPLIT,
                isin,
                dti,
                datetime.now(UTC).date(),
                2,
                1,
                epoch=int(share.corporateActionEpoch()),
            )
            Mailbox(settings.inbox).write(notice)
            service.run_once()
            self.say(
                f"a 2:1 split on chain and, by seev.031, on the register: ACC-ALICE holds "
                f"{service.register.balance(isin, 'ACC-ALICE') / E18:,.6g} there (seev.036 written)"
            )
            expect(service.register.balance(isin, "ACC-ALICE") == 100 * E18, "the register applied the split")
            back = service.register.deliver(
                "ALICE-BACK-0001", isin, "ACC-ALICE", str(self.alice.address), 60 * E18
            )
            self.say(
                f"alice asks the register for 60 of her 100 shares on chain: it debits ACC-ALICE into a pending "
                f"delivery and sends [cyan]{back.name}[/] (sese.023 DELI); {bridge.apply(back)}"
            )
            service.run_once()
            delivered = service.register.store.instruction("ALICE-BACK-0001")
            expect(
                delivered is not None and delivered.status == "settled",
                "the register booked the chain's sese.025: the delivery is final",
            )
            expect(share.balanceOf(self.alice) == 2 * held - 40 * E18, "alice's 60 shares are back on chain")
            expect(service.register.balance(isin, "ACC-ALICE") == 40 * E18, "40 shares stay on the register")
            statement = service.register.statement()
            statement_file = service.register.outbox.write(statement)
            findings = compare(register_ledgers(self.project, self.a.deployed), statement)
            breaks = [f.detail for f in findings if f.severity == "break"]  # not movements in transit
            expect(not breaks, f"register and chain disagree: {breaks}")
            self.say(f"semt.002 [cyan]{statement_file.name}[/] agrees with the adapter's book: no difference")
            gateway = self.c(self.a, "gateway")
            gateway.broadcastCorporateAction(
                self.keys[self.share_key].asset_id, self.b.chain_id, sender=self.roles.issuer
            )
        self.relay()
        self.say(f"[bold]the ISO 20022 messages are in {folder}[/]")

    def reconcile(self) -> Report:
        self.phase("11. Reconciliation across both chains")
        views = []
        sent: list[SentMessage] = []
        for handle in (self.a, self.b):
            with self.on(handle):
                views.extend(asset_views(self.project, handle.deployed))
                sent.extend(sent_messages(self.project, handle.deployed))
        pending = []
        for handle in (self.a, self.b):
            with self.on(handle):
                pending.extend(undelivered(self.project, handle.deployed, sent))
        expect(not pending, "every message was delivered")
        report = reconcile(with_in_flight(views, pending))
        render_report(report, self.console)
        expect(report.ok, "reconciliation found a broken invariant")
        return report


def _short(value: Any) -> str:
    text = value.hex() if isinstance(value, bytes) else str(value)
    if text.startswith("0x") and len(text) > 14:
        return text[:8] + "…" + text[-4:]
    return text


@contextmanager
def _no_revert_traces() -> Iterator[None]:
    import ape_ethereum.provider as provider_module

    original = provider_module._get_trace_from_revert_kwargs
    provider_module._get_trace_from_revert_kwargs = lambda **_kwargs: None
    try:
        yield
    finally:
        provider_module._get_trace_from_revert_kwargs = original


def _gateway_block(manifest: Manifest) -> int:
    """The block the gateway was deployed in (where its attestors start reading)."""
    recorded = manifest.contracts.get("Gateway")
    return recorded.block if recorded is not None else 0
