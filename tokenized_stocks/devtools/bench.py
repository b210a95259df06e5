"""Gas benchmark of every user-facing operation, on the suite exactly as `ape run deploy` deploys it
(every stateful contract behind its ERC-1967 proxy), and again with no proxy in front of any
contract, so each row shows what upgradeability costs.

Everything is measured in one run on one fresh chain, beside a plain OpenZeppelin ERC20 transfer
between existing holders, so the ratios are comparable. The gateway's inbound side is measured on
the same chain by registering a second, simulated chain whose messages the operators attest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount

from tokenized_stocks.deploy.deployer import Deployer
from tokenized_stocks.deploy.listings import Listing
from tokenized_stocks.deploy.manifest import Manifest
from tokenized_stocks.deploy.suite import RoleBook, deploy_suite
from tokenized_stocks.devtools.budgets import throughput
from tokenized_stocks.devtools.gasreport import GasReport
from tokenized_stocks.protocol.identity import asset_id as asset_id_of
from tokenized_stocks.protocol.message import MessageKind, attest, transfer_message
from tokenized_stocks.protocol.quote import QuoteService, Side
from tokenized_stocks.protocol.roles import Country, InvestorClass
from tokenized_stocks.protocol.trade import (
    HybridTrade,
    PaymentConfirmation,
    Trade,
    currency,
    hybrid_trade_key,
    reference,
    sign_payment_confirmation,
    sign_trade,
)
from tokenized_stocks.reconcile.read import epoch_of

E18 = 10**18
USD = 10**6
YEAR = 365 * 24 * 3600
REMOTE_CHAIN = 999_999  # a simulated second chain, so both sides of the gateway run here
REMOTE_GATEWAY = "0x000000000000000000000000000000000000dEaD"
BATCH = 20
DESK_PRICE = 180_250_000  # the order desk's quoted price, in the cash's base units (USD, 6 decimals)
CONFIRMATIONS = 2  # the attestors' and the relayer's depth in the delivery measurement
BLOCK_TIME = 0.5  # seconds between blocks of the source chain in the latency measurement
# Budgets live in gas-budgets.toml: a budget names the rows below it is enforced on (`bench`).


def investor_id(name: str) -> bytes:
    return name.encode().ljust(32, b"\x00")


@dataclass
class Bench:
    project: Any
    chain: Any
    accounts: Any
    listings: list[Listing]
    log: Callable[[str], None] = print

    def __post_init__(self) -> None:
        self.roles = RoleBook.local(self.accounts)
        a = self.accounts
        self.alice, self.bob, self.carol, self.dave = a[12], a[14], a[15], a[16]
        self.keys = {int(listing.architecture): listing for listing in self.listings}
        self.fillers = 0

    # -- setup -------------------------------------------------------------------------------------

    def deploy(self) -> None:
        manifest = Manifest(chain_id=self.chain.chain_id, network="bench", deployer=str(self.roles.issuer))
        deployer = Deployer(
            manifest=manifest, account=self.roles.issuer, save=lambda _m: None, log=lambda _s: None
        )
        self.c = deploy_suite(
            deployer, self.project, self.roles, self.listings, self.chain.chain_id, local=True
        )
        self.manifest = manifest
        self.cert = self.c[self.keys[0].key]
        self.order = self.c[self.keys[1].key]
        self.share = self.c[self.keys[2].key]
        registry = self.c["registry"]
        expiry = self.chain.pending_timestamp + YEAR
        for name, who, country in (
            ("alice", self.alice, Country.US),
            ("bob", self.bob, Country.GB),
            ("carol", self.carol, Country.DE),
            ("dave", self.dave, Country.FR),
        ):
            registry.registerInvestor(
                investor_id(name), country, InvestorClass.ACCREDITED, expiry, sender=self.roles.registrar
            )
            registry.addWallet(investor_id(name), who, sender=self.roles.registrar)

    def extra(self, key: str, name: str) -> str:
        return self.manifest.assets[key].extra[name]

    # -- measurements ------------------------------------------------------------------------------

    def view_gas(self, asset: Any, view: str) -> int:
        """Gas of a view call from Alice to Bob of one token (eth_estimateGas, so it includes the
        21,000 of a transaction): what an integrator's contract pays to ask before it sends."""
        data = getattr(asset, view).encode_input(self.alice, self.bob, E18)
        return int(self.chain.provider.web3.eth.estimate_gas({"to": asset.address, "data": data}))

    def baseline(self) -> tuple[int, int]:
        plain = self.roles.issuer.deploy(self.project.PlainERC20)
        plain.mint(self.alice, 10 * E18, sender=self.alice)
        plain.mint(self.bob, E18, sender=self.alice)
        existing = plain.transfer(self.bob, E18, sender=self.alice).gas_used
        new = plain.transfer(self.carol, E18, sender=self.alice).gas_used
        return existing, new

    def certificate(self, report: GasReport) -> None:
        issuer = self.roles.issuer
        feed = self.project.AttestedFeed.at(self.extra(self.keys[0].key, "reserve"))
        feed.report(1_000_000_000, sender=self.roles.custodian)
        self.cert.mint(self.alice, 1_000 * E18, sender=issuer)
        self.cert.mint(self.bob, E18, sender=issuer)
        g = "certificate"
        report.add(
            g,
            "certificate transfer",
            self.cert.transfer(self.bob, E18, sender=self.alice).gas_used,
        )
        report.add(
            g, "certificate mint (reserve-checked)", self.cert.mint(self.bob, E18, sender=issuer).gas_used
        )
        current = self.cert.multiplier()
        receipt = self.cert.scheduleMultiplierUpdate(
            current,
            current * 2,
            self.chain.pending_timestamp + 60,
            self.cert.lastNonce() + 1,
            sender=self.roles.transfer_agent,
        )
        report.add(g, "certificate schedule split", receipt.gas_used)
        self.chain.mine(deltatime=61)
        report.add(
            g,
            "certificate transfer after a split",
            self.cert.transfer(self.bob, E18, sender=self.alice).gas_used,
        )
        report.add(
            g, "certificate redemption request", self.cert.requestRedemption(E18, sender=self.alice).gas_used
        )
        vault = self.project.CertificateVault.at(self.extra(self.keys[0].key, "vault"))
        self.cert.approve(vault, 10 * E18, sender=self.alice)
        report.add(
            g,
            "certificate wrap into ERC-4626",
            vault.deposit(10 * E18, self.alice, sender=self.alice).gas_used,
        )
        report.add(
            g, "certificate canTransfer (view, eth_estimateGas)", self.view_gas(self.cert, "canTransfer")
        )
        agent = self.roles.transfer_agent
        report.add(
            g, "certificate setFrozenTokens", self.cert.setFrozenTokens(self.bob, E18, sender=agent).gas_used
        )
        report.add(
            g,
            "certificate transfer, sender with frozen tokens",
            self.cert.transfer(self.alice, E18, sender=self.bob).gas_used,
        )
        report.add(
            g,
            "certificate forced transfer (takes frozen tokens)",
            self.cert.forcedTransfer(
                self.bob, self.alice, self.cert.balanceOf(self.bob), sender=agent
            ).gas_used,
        )

    def desk_buy(self) -> tuple[int, QuoteService]:
        """The order desk's steady-state buy of the mint-on-order listing (its feed reported, Alice's
        cash approved, the buffer topped up, a first buy made): the gas used, and the quote service,
        whose next quote id the following orders use. tests/unit/order_desk/test_gas_desk_buy_as_deployed.py
        holds it to its budget on the same path."""
        listing = self.keys[1]
        desk, cash = self.c["desk"], self.c["cash"]
        price_feed = self.project.AttestedFeed.at(self.extra(listing.key, "price"))
        price_feed.report(180_25000000, sender=self.roles.quote_signer)
        cash.mint(self.alice, 100_000 * USD, sender=self.roles.issuer)
        cash.approve(desk, 100_000 * USD, sender=self.alice)
        cash.mint(self.roles.issuer, 100_000 * USD, sender=self.roles.issuer)
        cash.approve(desk, 100_000 * USD, sender=self.roles.issuer)
        desk.topUpBuffer(50_000 * USD, sender=self.roles.issuer)
        service = QuoteService(self.roles.quote_signer.private_key, str(desk.address), self.chain.chain_id)
        first = service.quote(
            listing.asset_id,
            Side.BUY,
            E18,
            DESK_PRICE,
            investor_id("alice"),
            now=self.chain.pending_timestamp,
        )
        desk.buy(
            *first.args(), first.quote.cash(), sender=self.alice
        )  # first order warms the investor's bucket
        buy = service.quote(
            listing.asset_id,
            Side.BUY,
            10 * E18,
            DESK_PRICE,
            investor_id("alice"),
            now=self.chain.pending_timestamp,
        )
        return int(desk.buy(*buy.args(), buy.quote.cash(), sender=self.alice).gas_used), service

    def order_desk(self, report: GasReport) -> None:
        listing = self.keys[1]
        desk = self.c["desk"]
        price = DESK_PRICE
        gas, service = self.desk_buy()
        g = "order desk"
        report.add(g, "order desk buy (signed quote)", gas, target_gas=150_000)
        sell = service.quote(
            listing.asset_id,
            Side.SELL,
            4 * E18,
            price,
            investor_id("alice"),
            now=self.chain.pending_timestamp,
        )
        report.add(
            g,
            "order desk sell (signed quote)",
            desk.sell(*sell.args(), sell.quote.cash(), sender=self.alice).gas_used,
        )
        report.add(g, "order token transfer", self.order.transfer(self.bob, E18, sender=self.alice).gas_used)
        report.add(
            g, "order token canTransfer (view, eth_estimateGas)", self.view_gas(self.order, "canTransfer")
        )
        report.add(
            g,
            "order token forced transfer",
            self.order.forcedTransfer(self.bob, self.alice, E18, sender=self.roles.registrar).gas_used,
        )
        self.order_vault(report, price)

    def order_vault(self, report: GasReport, price: int) -> None:
        """ERC-7540 through the deployed order vault: a request adding to a pending one, a partial
        fill by the executor, a claim to an existing holder (each in steady state)."""
        vault = self.project.OrderVault.at(self.extra(self.keys[1].key, "vault"))
        cash, executor = self.c["cash"], self.roles.executor
        cash.mint(self.alice, 10_000 * USD, sender=self.roles.issuer)
        cash.approve(vault, 10_000 * USD, sender=self.alice)
        vault.requestDeposit(1_000 * USD, self.alice, self.alice, sender=self.alice)
        vault.fulfilDeposit(self.alice, 100 * USD, price, 1, sender=executor)
        g = "order desk"
        report.add(
            g,
            "order vault requestDeposit (ERC-7540)",
            vault.requestDeposit(1_000 * USD, self.alice, self.alice, sender=self.alice).gas_used,
        )
        report.add(
            g,
            "order vault fulfilDeposit (executor, mints)",
            vault.fulfilDeposit(self.alice, 1_000 * USD, price, 2, sender=executor).gas_used,
        )
        report.add(
            g,
            "order vault claim by deposit (ERC-7540)",
            vault.deposit(500 * USD, self.alice, self.alice, sender=self.alice).gas_used,
        )

    def registry_share(self, report: GasReport) -> None:
        agent = self.roles.transfer_agent
        share = self.share
        share.issue(self.alice, 1_000 * E18, "allocation", sender=agent)
        share.issue(self.bob, 10 * E18, "allocation", sender=agent)
        g = "registry share"
        report.add(
            g,
            "registry share transfer (existing holders)",
            share.transfer(self.bob, E18, sender=self.alice).gas_used,
        )
        report.add(
            g,
            "registry share transfer to a new investor",
            share.transfer(self.carol, E18, sender=self.alice).gas_used,
        )
        report.add(g, "registry share issue", share.issue(self.bob, E18, "issue", sender=agent).gas_used)
        report.add(
            g,
            "registry share forced transfer",
            share.forcedTransfer(self.bob, self.carol, E18, "court order 42", sender=agent).gas_used,
        )
        alice_2 = self.accounts[13]
        self.c["registry"].addWallet(investor_id("alice"), alice_2, sender=self.roles.registrar)
        share.transfer(alice_2, E18, sender=self.alice)
        report.add(
            g,
            "registry share transfer between one investor's wallets",
            share.transfer(alice_2, E18, sender=self.alice).gas_used,
        )
        # alice now keeps her total in her own investor slot (she has two wallets)
        report.add(
            g,
            "registry share transfer, multi-wallet investor to another investor",
            share.transfer(self.bob, E18, sender=self.alice).gas_used,
        )
        report.add(g, "registry share dividend claim", self.dividend_claim(self.alice))
        report.add(
            g,
            "registry share first transfer after a record date",
            share.transfer(self.bob, E18, sender=self.alice).gas_used,
        )

    def dividend_claim(self, who: Any) -> int:
        cash = self.c["cash"]
        agent = self.roles.transfer_agent
        dividends = self.project.DividendDistributor.at(self.extra(self.keys[2].key, "dividends"))
        cash.mint(agent, 10_000 * USD, sender=self.roles.issuer)
        cash.approve(dividends, 10_000 * USD, sender=agent)
        dividends.declareDividend(cash, 10_000 * USD, 30 * 24 * 3600, "dividend", sender=agent)
        return dividends.claim(dividends.dividendCount(), who, sender=who).gas_used

    def operators(self) -> list[LocalAccount]:
        return [Account.from_key(op.private_key) for op in self.roles.operators]

    def gateway(self, report: GasReport) -> None:
        gateway = self.c["gateway"]
        gateway.setRemoteGateway(REMOTE_CHAIN, REMOTE_GATEWAY, sender=self.roles.issuer)
        asset_id = self.keys[0].asset_id
        expiry = self.chain.pending_timestamp + 3600
        gateway.send(
            asset_id, REMOTE_CHAIN, self.bob, 100 * E18, expiry, sender=self.alice
        )  # supply elsewhere
        g = "gateway"
        send = gateway.send(asset_id, REMOTE_CHAIN, self.bob, E18, expiry, sender=self.alice).gas_used
        report.add(g, "gateway send (burn + message)", send)
        self.nonce = 0
        # Processed states are 2 bits per nonce, 128 nonces a word: the first message of a word
        # pays for creating it (once per 128 messages); the steady state is every other message.
        report.add(g, "gateway receive, first of a 128-nonce word", self.receive_one(asset_id))
        receive = self.receive_one(asset_id)
        report.add(g, "gateway receive (2-of-3, mint)", receive)
        report.add(
            g,
            "gateway send + receive (2-of-3), tracker certificate",
            send + receive,
            target_gas=200_000,
        )
        own_send, own_receive = self.gateway_own_cost()
        report.add(
            g,
            "gateway send + receive (2-of-3), gateway's own cost",
            own_send + own_receive,
            note="a minimal asset (no compliance of its own): what the gateway itself adds",
        )
        report.add(
            g,
            "gateway batch receive, per message (20)",
            self.receive_batch(asset_id, BATCH) // BATCH,
        )
        refund = self.inbound(asset_id, self.alice, E18).with_(
            kind=MessageKind.RETURN, expiry=2**64 - 1, ref=b"\x01" * 32
        )
        sigs = attest(refund, REMOTE_GATEWAY, gateway.address, self.operators()[:2])
        report.add(
            g,
            "gateway refund (Return delivered)",
            gateway.receiveMessage(refund.as_tuple(), sigs, sender=self.roles.relayer).gas_used,
        )
        self.share.issue(self.alice, 10 * E18, "for the bridge", sender=self.roles.transfer_agent)
        gateway.send(self.keys[2].asset_id, REMOTE_CHAIN, self.bob, 5 * E18, expiry, sender=self.alice)
        outsider = self.accounts[19]  # not a verified investor: the delivery is refused, a Return emitted
        refused = self.inbound(self.keys[2].asset_id, outsider, E18)
        sigs = attest(refused, REMOTE_GATEWAY, gateway.address, self.operators()[:2])
        report.add(
            g,
            "gateway reject (compliance refusal + Return)",
            gateway.receiveMessage(refused.as_tuple(), sigs, sender=self.roles.relayer).gas_used,
        )

    def gateway_own_cost(self) -> tuple[int, int]:
        """Send and steady-state receive of an asset whose mint and burn do nothing else, so the
        figure is the gateway's own (each real asset adds its own compliance checks on top)."""
        isin = "US5949181045"
        params = (
            asset_id_of(isin),
            isin,
            "MSFT",
            0,
            self.chain.chain_id,
            "ipfs://bench",
            b"\x01" * 32,
            b"4H95J0R2X",
        )
        mock = self.roles.issuer.deploy(self.project.MockCrosschainAsset, self.roles.issuer, params)
        gateway = self.c["gateway"]
        gateway.registerAsset(asset_id_of(isin), isin, mock, sender=self.roles.issuer)
        mock.setGateway(gateway, sender=self.roles.issuer)
        mock.mint(self.alice, 1_000 * E18, sender=self.roles.issuer)
        mock.mint(self.bob, E18, sender=self.roles.issuer)
        expiry = self.chain.pending_timestamp + 3600
        gateway.send(asset_id_of(isin), REMOTE_CHAIN, self.bob, 100 * E18, expiry, sender=self.alice)
        send = gateway.send(
            asset_id_of(isin), REMOTE_CHAIN, self.bob, E18, expiry, sender=self.alice
        ).gas_used
        return send, self.receive_one(asset_id_of(isin))

    def inbound(self, asset_id: bytes, recipient: Any, units: int) -> Any:
        self.nonce += 1
        return transfer_message(
            src_chain_id=REMOTE_CHAIN,
            dst_chain_id=self.chain.chain_id,
            src_gateway=REMOTE_GATEWAY,
            dst_gateway=self.c["gateway"].address,
            nonce=self.nonce,
            asset_id=asset_id,
            sender=str(self.bob.address),
            recipient=str(recipient.address if hasattr(recipient, "address") else recipient),
            units=units,
            expiry=self.chain.pending_timestamp + 3600,
        )

    def receive_one(self, asset_id: bytes) -> int:
        gateway = self.c["gateway"]
        message = self.inbound(asset_id, self.bob, E18 // 100)
        sigs = attest(message, REMOTE_GATEWAY, gateway.address, self.operators()[:2])
        return gateway.receiveMessage(message.as_tuple(), sigs, sender=self.roles.relayer).gas_used

    def receive_batch(self, asset_id: bytes, size: int) -> int:
        gateway = self.c["gateway"]
        messages = [self.inbound(asset_id, self.bob, E18 // 1000) for _ in range(size)]
        sigs = [attest(m, REMOTE_GATEWAY, gateway.address, self.operators()[:2]) for m in messages]
        return gateway.receiveBatch(
            [m.as_tuple() for m in messages], sigs, sender=self.roles.relayer
        ).gas_used

    def settlement(self, report: GasReport) -> None:
        dvp, hybrid, cash = self.c["dvp"], self.c["hybrid"], self.c["cash"]
        cash.mint(self.bob, 10_000 * USD, sender=self.roles.issuer)
        chain_id = self.chain.chain_id
        trade = Trade(
            reference("BENCH-1"),
            str(self.alice.address),
            str(self.bob.address),
            str(self.cert.address),
            E18,
            str(cash.address),
            200 * USD,
            self.chain.pending_timestamp + 3600,
            epoch_of(self.cert),
        )
        self.cert.approve(dvp, E18, sender=self.alice)
        cash.approve(dvp, 200 * USD, sender=self.bob)
        receipt = dvp.settle(
            trade.as_tuple(),
            sign_trade(self.alice.private_key, trade, chain_id, str(dvp.address)),
            sign_trade(self.bob.private_key, trade, chain_id, str(dvp.address)),
            sender=self.roles.relayer,
        )
        g = "settlement"
        report.add(g, "atomic DvP settlement (two signatures)", receipt.gas_used)
        deal = HybridTrade(
            reference("BENCH-2"),
            str(self.alice.address),
            str(self.bob.address),
            str(self.cert.address),
            E18,
            currency("USD"),
            200 * USD,
            self.chain.pending_timestamp + 3600,
            epoch_of(self.cert),
        )
        self.cert.approve(hybrid, E18, sender=self.alice)
        report.add(g, "hybrid DvP escrow", hybrid.escrow(deal.as_tuple(), sender=self.alice).gas_used)
        confirmation = PaymentConfirmation(
            hybrid_trade_key(deal, chain_id, str(hybrid.address)),
            deal.cashAmount,
            deal.currency,
            reference("WIRE-1"),
            self.chain.pending_timestamp + 3600,
        )
        signature = sign_payment_confirmation(
            self.roles.cash_agent.private_key, confirmation, chain_id, str(hybrid.address)
        )
        report.add(
            g,
            "hybrid DvP release (bank confirmation)",
            hybrid.release(deal.as_tuple(), confirmation.as_tuple(), signature, sender=self.bob).gas_used,
        )

    # -- scaling -----------------------------------------------------------------------------------

    def grow_holders(self, target: int) -> None:
        """Adds verified investors holding the share until `target` fillers exist."""
        registry = self.c["registry"]
        expiry = self.chain.pending_timestamp + YEAR
        while self.fillers < target:
            self.fillers += 1
            wallet = "0x" + (0x10000 + self.fillers).to_bytes(20, "big").hex()
            name = f"filler-{self.fillers}"
            registry.registerInvestor(
                investor_id(name), Country.US, InvestorClass.RETAIL, expiry, sender=self.roles.registrar
            )
            registry.addWallet(investor_id(name), wallet, sender=self.roles.registrar)
            self.share.issue(wallet, E18, "filler", sender=self.roles.transfer_agent)

    def scaling(self, report: GasReport, counts: list[int]) -> None:
        transfer: dict[int, int] = {}
        claim: dict[int, int] = {}
        receive: dict[int, int] = {}
        asset_id = self.keys[0].asset_id
        gateway = self.c["gateway"]
        gateway.send(
            asset_id,
            REMOTE_CHAIN,
            self.bob,
            100 * E18,
            self.chain.pending_timestamp + 3600,
            sender=self.alice,
        )
        processed = 0
        for count in counts:
            self.log(f"scaling: {count:,} holders / messages")
            self.grow_holders(count)
            # the first change of a wallet after a record date writes its snapshot once (its own
            # cost, measured in the table); settle it so every round measures the same steady state
            # (bob and carol each hold through one wallet, like the table's headline transfer)
            self.share.transfer(self.carol, E18 // 10, sender=self.bob)
            self.share.transfer(self.bob, E18 // 10, sender=self.carol)
            transfer[count] = self.share.transfer(self.carol, E18 // 10, sender=self.bob).gas_used
            claim[count] = self.dividend_claim(self.alice)
            while processed < count:
                size = min(BATCH, count - processed)
                self.receive_batch(asset_id, size)
                processed += size
            receive[count] = self.receive_one(asset_id)
        report.add_scaling("registry share transfer (existing holders)", transfer)
        report.add_scaling("registry share dividend claim", claim)
        report.add_scaling("gateway receive (2-of-3) after N messages", receive)

    def relayer_throughput(self, count: int = 300, latency_count: int = 40) -> dict[str, float]:
        """Delivery between this chain and a second local anvil, with the operators' attestors as
        three separate processes (own keys and stores) and threshold 2; the relayer holds no
        operator key and fetches signatures in batches.

        - messages/s: `count` one-unit sends, the attestors caught up, then one relayer run
          delivering them (batches of 50), timed;
        - latency: a relayer running continuously while `latency_count` sends go out and this
          chain mines a block every `BLOCK_TIME` s: send (its receipt) to delivery (the relayer's
          record), in seconds and in blocks of this chain.
        Minimal assets, so the figures are the bridge's, not an asset's."""
        import tempfile
        from pathlib import Path

        from tokenized_stocks.attestor.service import WatchedChain
        from tokenized_stocks.cli.networks import connect
        from tokenized_stocks.devtools.anvil import start_anvil
        from tokenized_stocks.devtools.attestors import start_attestors
        from tokenized_stocks.devtools.bridge import (
            deploy_gateway,
            link_gateway,
            local_signer,
            register_asset,
        )

        isin, issuer = "US0231351067", self.roles.issuer
        home = self.chain.chain_id  # read now: inside `connect` the chain manager follows chain B
        uri_a = self.chain.provider.uri
        params = (asset_id_of(isin), isin, "AMZN", 0, home, "ipfs://bench", b"\x01" * 32, b"4H95J0R2X")
        node_b = start_anvil(31338 if home != 31338 else 31337, accounts=20)
        try:
            token_a = issuer.deploy(self.project.MockCrosschainAsset, issuer, params)
            gateway_a = deploy_gateway(self.project, issuer, self.roles.operators, self.roles.threshold)
            start_a = self.chain.blocks.head.number
            register_asset(gateway_a, issuer, token_a)
            choice = "ethereum:chainb:node" if node_b.chain_id == 31338 else "ethereum:chaina:node"
            with connect(choice, node_b.uri):
                token_b = issuer.deploy(self.project.MockCrosschainAsset, issuer, params)
                gateway_b = deploy_gateway(self.project, issuer, self.roles.operators, self.roles.threshold)
                register_asset(gateway_b, issuer, token_b)
                link_gateway(gateway_b, issuer, home, gateway_a.address)
            link_gateway(gateway_a, issuer, node_b.chain_id, gateway_b.address)
            token_a.mint(self.alice, count + latency_count, sender=issuer)
            watched = [
                WatchedChain(uri_a, str(gateway_a.address), start_a),
                WatchedChain(node_b.uri, str(gateway_b.address)),
            ]
            keys = [local_signer(op) for op in self.roles.operators]
            with tempfile.TemporaryDirectory() as folder:
                attestors = start_attestors(keys, Path(folder), watched, CONFIRMATIONS, poll_interval=0.1)
                try:
                    run = _BridgeRun(self, gateway_a, asset_id_of(isin), node_b, attestors, folder, uri_a)
                    rate, transactions = run.throughput(count)
                    latency = run.latency(latency_count)
                finally:
                    for attestor in attestors:
                        attestor.stop()
            self.log(f"relayer: {rate:.0f} messages/s ({count} messages, {transactions} transactions)")
            return {
                "relayer_messages_per_second": round(rate, 1),
                "attestor_processes": len(attestors),
                "threshold": self.roles.threshold,
                "confirmations": CONFIRMATIONS,
                "block_time_seconds": BLOCK_TIME,
                **latency,
            }
        finally:
            node_b.stop()

    def without_proxies(self) -> int:
        """Replaces the code of every proxy the deployment recorded with its implementation's, so
        each contract runs its code directly on the storage it already has (no delegatecall hop, no
        implementation-slot read). Returns how many contracts were changed."""
        provider = self.chain.provider
        proxied = [r for r in self.manifest.contracts.values() if r.implementation]
        for record in proxied:
            provider.set_code(record.address, provider.get_code(record.implementation))
        return len(proxied)

    def measure(self, report: GasReport) -> None:
        """Every headline operation, from the state `deploy` and `baseline` left."""
        for part in (self.certificate, self.order_desk, self.registry_share, self.gateway, self.settlement):
            self.log(f"measuring {part.__name__.replace('_', ' ')}")
            part(report)

    def run(self, counts: list[int]) -> GasReport:
        self.deploy()
        existing, new = self.baseline()
        deployed = self.chain.snapshot()
        # First the operations with no proxy in front of any contract, then, from the same state,
        # as deployed: each row shows both, so the price of upgradeability is visible.
        direct = GasReport(baseline=existing)
        self.log(f"without proxies: {self.without_proxies()} contracts run their implementation's code")
        self.measure(direct)
        self.chain.restore(deployed)
        report = GasReport(baseline=existing)
        report.add("baseline", "plain OZ ERC20 transfer (existing holder)", existing)
        report.add("baseline", "plain OZ ERC20 transfer (new holder)", new)
        self.log("as deployed, behind the proxies")
        self.measure(report)
        report.set_direct(direct)
        if counts:
            self.scaling(report, counts)
        self.log("measuring delivery between two local chains (three attestor processes, 2-of-3)")
        report.throughput = {**self.relayer_throughput(), "target": throughput("relayer").min_rate}
        return report


def _percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of `values`."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


class _BridgeRun:
    """The delivery measurements of `Bench.relayer_throughput` on deployed, linked gateways."""

    def __init__(
        self,
        bench: Bench,
        gateway_a: Any,
        asset_id: bytes,
        node_b: Any,
        attestors: list[Any],
        folder: str,
        uri_a: str,
    ) -> None:
        self.bench, self.gateway_a, self.asset_id, self.node_b = bench, gateway_a, asset_id, node_b
        self.attestors, self.folder, self.uri_a = attestors, folder, uri_a
        self.home = bench.chain.chain_id
        self.gateway_b = str(gateway_a.remoteGateway(node_b.chain_id))

    def relayer(self, db: str, start_block: int | None = None) -> Any:
        from tokenized_stocks.devtools.bridge import local_signer
        from tokenized_stocks.relayer.attestors import HttpAttestor
        from tokenized_stocks.relayer.config import ChainEndpoint, RelayerConfig
        from tokenized_stocks.relayer.service import Relayer

        return Relayer(
            RelayerConfig(
                chain_a=ChainEndpoint("A", self.uri_a, str(self.gateway_a.address), start_block),
                chain_b=ChainEndpoint("B", self.node_b.uri, self.gateway_b),
                submitter=local_signer(self.bench.roles.relayer),
                attestors=[HttpAttestor(a.url) for a in self.attestors],
                db_path=db,
                batch_size=50,
                confirmations=CONFIRMATIONS,
            )
        )

    def send(self) -> Any:
        expiry = self.bench.chain.pending_timestamp + 3600
        return self.gateway_a.send(
            self.asset_id, self.node_b.chain_id, self.bench.bob, 1, expiry, sender=self.bench.alice
        )

    def mine(self, blocks: int) -> None:
        from tokenized_stocks.devtools.anvil import rpc

        for _ in range(blocks):
            rpc(self.uri_a, "evm_mine")

    def head(self) -> int:
        from tokenized_stocks.devtools.anvil import rpc

        return int(str(rpc(self.uri_a, "eth_blockNumber")), 16)

    def throughput(self, count: int) -> tuple[float, int]:
        import time

        for _ in range(count):
            self.send()
        self.mine(CONFIRMATIONS)
        for attestor in self.attestors:
            attestor.wait_caught_up({self.home: self.head()}, timeout=300)
        relayer = self.relayer(f"{self.folder}/throughput.sqlite")
        try:
            started = time.perf_counter()
            report = relayer.run_once()
            elapsed = time.perf_counter() - started
        finally:
            relayer.close()
        if len(report.delivered) != count:
            raise RuntimeError(
                f"the relayer delivered {len(report.delivered)} of {count} messages: {report.unattested[:3]}"
            )
        return count / elapsed, report.transactions

    def latency(self, count: int) -> dict[str, float]:
        """Send -> delivery with a relayer polling every 0.1 s and a block every BLOCK_TIME s."""
        import sqlite3
        import threading
        import time

        db = f"{self.folder}/latency.sqlite"
        stop = threading.Event()
        heads: list[tuple[float, int]] = []
        errors: list[BaseException] = []

        def relay() -> None:
            try:
                relayer = self.relayer(db, start_block)
                try:
                    relayer.run_forever(0.1, stop.is_set)
                finally:
                    relayer.close()
            except BaseException as exc:  # noqa: BLE001 - reported by the measuring thread
                errors.append(exc)

        def tick() -> None:
            while not stop.wait(BLOCK_TIME):
                self.mine(1)
                heads.append((time.time(), self.head()))

        first_nonce = int(self.gateway_a.nextNonce())
        start_block = self.head() + 1  # the throughput run's messages are delivered already
        threads = [threading.Thread(target=relay, daemon=True), threading.Thread(target=tick, daemon=True)]
        for thread in threads:
            thread.start()
        sent: dict[int, tuple[float, int]] = {}
        try:
            for i in range(count):
                receipt = self.send()
                sent[first_nonce + i] = (time.time(), int(receipt.block_number))
                heads.append((time.time(), int(receipt.block_number)))
                time.sleep(0.05)
            delivered: dict[int, float] = {}
            deadline = time.monotonic() + 120
            while len(delivered) < count and time.monotonic() < deadline and not errors:
                time.sleep(0.2)
                with sqlite3.connect(db) as reader:
                    rows = reader.execute(
                        "SELECT nonce, updated_at FROM messages WHERE src_chain_id = ? AND state IN ('delivered')"
                        " AND nonce >= ?",
                        (self.home, first_nonce),
                    ).fetchall()
                delivered = {int(n): float(t) for n, t in rows}
        finally:
            stop.set()
            for thread in threads:
                thread.join(30)
        if errors:
            raise RuntimeError(f"the latency relayer failed: {errors[0]}")
        if len(delivered) < count:
            raise RuntimeError(f"latency run: {len(delivered)} of {count} messages delivered in 120 s")
        seconds = [delivered[n] - sent[n][0] for n in sent]
        blocks = [max(b for t, b in heads if t <= delivered[n]) - sent[n][1] for n in sent]
        return {
            "latency_seconds_p50": round(_percentile(seconds, 0.50), 2),
            "latency_seconds_p95": round(_percentile(seconds, 0.95), 2),
            "latency_blocks_p50": _percentile([float(b) for b in blocks], 0.50),
            "latency_blocks_p95": _percentile([float(b) for b in blocks], 0.95),
            "latency_messages": count,
        }
