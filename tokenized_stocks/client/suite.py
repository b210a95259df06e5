"""`Suite`: the daily operations on one deployed chain, from any working directory.

A `Suite` is a deployment manifest plus a connection. Contracts are reached through the ABIs
shipped in the package (never the repository's ape project, which exists only in a checkout), and
the read paths are the scripts' own (`reconcile.read`, `keeper.sanctions`). Every method checks
what it can before sending (addresses, amounts, the sender's role, the asset's architecture) and
raises `UserError` with one line when the input is bad, with nothing sent.

Senders are ape accounts: `suite.account("issuer")` (an ape alias, unlocked with ape's
`APE_ACCOUNTS_<alias>_PASSPHRASE`) or, on a local chain, `suite.test_account(n)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from tokenized_stocks.abi import CONTRACTS, load_abi
from tokenized_stocks.client.caches import keep_local_chain_caches_in_memory, pin_chain_id
from tokenized_stocks.client.models import (
    AssetSummary,
    Balance,
    BridgeTransfer,
    FindingSummary,
    Investor,
    ReconcileSummary,
    ReserveAttestation,
    SanctionsFlag,
    Sent,
)
from tokenized_stocks.deploy.manifest import AssetRecord, Manifest, load_manifest
from tokenized_stocks.deploy.validation import checksum_address
from tokenized_stocks.keeper.sanctions import flags
from tokenized_stocks.protocol.chains import is_local_chain
from tokenized_stocks.protocol.display import amount as shares_text
from tokenized_stocks.protocol.display import parse_amount
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.protocol.message import Message
from tokenized_stocks.protocol.roles import (
    MINTER_ROLE,
    TRANSFER_AGENT_ROLE,
)
from tokenized_stocks.reconcile.model import Finding, reconcile
from tokenized_stocks.reconcile.read import (
    SentMessage,
    asset_views,
    gateway_links,
    sent_messages,
    superseded_supply,
    undelivered,
    with_in_flight,
)

if TYPE_CHECKING:
    from tokenized_stocks.client.admin import Admin, Plan

ZERO = "0x0000000000000000000000000000000000000000"
#: anvil's gas estimate is exact, and an external call under the 63/64 rule can then run out of gas
#: (the repository's ape-config sets the same multiplier, which a program elsewhere does not read).
GAS_MULTIPLIER = 1.3


class PackageContracts:
    """Stands in for ape's `project` where the read paths expect one: `contracts.Gateway.at(addr)`,
    from the ABIs shipped in the package."""

    def __getattr__(self, name: str) -> Any:
        if name not in CONTRACTS:
            raise AttributeError(f"no ABI shipped for {name!r}")
        return _container(name)


@cache
def _container(name: str) -> Any:
    from ape.contracts import ContractContainer
    from ethpm_types import ContractType

    return ContractContainer(ContractType.model_validate({"contractName": name, "abi": load_abi(name)}))


def _is_uri(network: str) -> bool:
    return network.startswith(("http://", "https://", "ws://", "wss://"))


def address(value: str, what: str = "address") -> str:
    """A checksummed address (lower case accepted, a bad EIP-55 mixed case refused), not zero."""
    try:
        checked = checksum_address(str(value))
    except ValueError as err:
        raise UserError(f"bad {what}: {err}") from err
    if checked == ZERO:
        raise UserError(f"bad {what}: the zero address")
    return checked


def investor_key(investor_id: bytes | str) -> bytes:
    """A registry investor id: 32 bytes, or their 0x-hex."""
    if isinstance(investor_id, str):
        text = investor_id.removeprefix("0x")
        try:
            investor_id = bytes.fromhex(text)
        except ValueError as err:
            raise UserError(f"bad investor id {investor_id!r}: not hex") from err
    if len(investor_id) != 32:
        raise UserError(f"bad investor id 0x{bytes(investor_id).hex()}: must be 32 bytes")
    return bytes(investor_id)


def send_units(
    gateway: Any, token: Any, asset_key: str, holder: str, amount: int, src_chain_id: int, dst_chain_id: int
) -> int:
    """The stored units a gateway send of `amount` (base units) carries, after the checks that can
    be made before anything is burnt: the destination is a linked peer, `holder` holds the amount,
    and it is at least one stored unit. Shared by the client and `ape run bridge`."""
    if dst_chain_id == src_chain_id or str(gateway.remoteGateway(dst_chain_id)) == ZERO:
        raise UserError(
            f"chain {dst_chain_id} is not linked to the gateway on chain {src_chain_id}"
            f" (ape run deploy --peer {dst_chain_id})"
        )
    held = int(token.balanceOf(holder))
    if held < amount:
        raise UserError(
            f"{holder} holds {shares_text(held, symbol=asset_key)}, less than {shares_text(amount, symbol=asset_key)}"
        )
    units = amount * 10**18 // int(token.multiplier())
    if units == 0:
        raise UserError(f"{shares_text(amount, symbol=asset_key)} is less than one stored unit")
    return units


class _ActiveProvider:
    """A provider context for a suite on ape's active connection (entering and leaving keep it)."""

    def __enter__(self) -> Any:
        from ape import chain

        return chain.provider

    def __exit__(self, *exc: object) -> None:
        return None


class Suite:
    """One deployed chain: its manifest and a connection to it. Build with `from_manifest`."""

    def __init__(
        self, manifest: Manifest, network: str, provider_context: Any, *, pushed: bool = False
    ) -> None:
        self.manifest = manifest
        self.network = network
        self._context = provider_context
        self._pushed = pushed  # the context is on ape's provider stack until `close`
        self.contracts = PackageContracts()

    # -- connection ------------------------------------------------------------------------------

    @classmethod
    def from_manifest(cls, path: str | Path, network: str) -> Suite:
        """Connects to `network` and loads its deployment manifest.

        `path` is a manifest file or a manifests directory (`<dir>/<chain id>/manifest.json` is
        read); relative paths are the caller's. `network` is an RPC URI (`http://127.0.0.1:8545`)
        or an ape network choice (`ethereum:sepolia:alchemy`). A manifest of another chain than the
        one `network` serves is refused.
        """
        from ape import networks
        from ape.exceptions import ApeException

        keep_local_chain_caches_in_memory()
        location = Path(path).expanduser().resolve()
        had_provider = networks.active_provider is not None
        try:
            context = networks.parse_network_choice(network, disconnect_on_exit=False)
        except (ApeException, ValueError) as err:
            raise UserError(f"unknown network {network!r}: {str(err).splitlines()[0]}") from err
        try:
            provider = context.__enter__()
        except Exception as err:  # connection refused, not an RPC...
            raise UserError(f"cannot connect to {network}: {str(err).splitlines()[0]}") from err
        try:
            # the provider's, not `chain.chain_id`: ape caches that per network name, and every
            # URI is the network "custom"
            chain_id = pin_chain_id(provider)
            if location.is_dir():
                manifest = load_manifest(chain_id, location)
            else:
                manifest = load_manifest(chain_id, path=location)
        except BaseException:
            context.__exit__(None, None, None)
            raise
        if had_provider:
            # the caller's chain stays the active one (a test, an `ape run` script): every method
            # switches to this suite's chain for its own block only (`_connected`)
            context.__exit__(None, None, None)
        # else this program had no connection: the suite's is the active one until `close`
        return cls(manifest, network, context, pushed=not had_provider)

    @classmethod
    def on_active_provider(cls, path: str | Path) -> Suite:
        """The suite of the chain ape is already connected to (an `ape run` script's `--network`):
        its manifest from `path` (a manifests directory or a manifest file). `close` leaves the
        connection to its owner."""
        from ape import chain

        location = Path(path).expanduser().resolve()
        chain_id = int(chain.provider.chain_id)
        if location.is_dir() or not location.suffix:
            manifest = load_manifest(chain_id, location)
        else:
            manifest = load_manifest(chain_id, path=location)
        return cls(manifest, str(chain.provider.network.name), _ActiveProvider())

    def close(self) -> None:
        """Closes the suite (not usable afterwards). A connection it made the active one is
        released; ape closes every connection it opened when the process ends."""
        if self._context is not None and self._pushed:
            self._context.__exit__(None, None, None)
        self._context = None

    def __enter__(self) -> Suite:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _connected(self) -> Iterator[Any]:
        """This suite's chain as ape's active provider for the block (ape has one active provider;
        several suites may be open, each method switches to its own)."""
        if self._context is None:
            raise UserError("this Suite is closed")
        with self._context as provider:
            pin_chain_id(provider)
            yield provider

    @property
    def chain_id(self) -> int:
        return self.manifest.chain_id

    @property
    def assets(self) -> list[str]:
        """The keys of the listed assets (`AAPLx`, ...)."""
        return sorted(self.manifest.assets)

    # -- accounts --------------------------------------------------------------------------------

    def account(self, alias: str) -> Any:
        """The ape account `alias` (`ape accounts import <alias>`)."""
        from ape import accounts

        try:
            return accounts.load(alias)
        except Exception as err:  # ape raises its own error types for unknown aliases
            raise UserError(f"unknown account alias {alias!r} (see `ape accounts list`)") from err

    def test_account(self, index: int) -> Any:
        """Ape test account `index` (the test mnemonic): local chains only."""
        from ape import accounts

        if not is_local_chain(self.chain_id):
            raise UserError(f"chain {self.chain_id} is not local: use suite.account(<alias>)")
        test_accounts = accounts.test_accounts
        if index < 0:
            raise UserError(f"bad test account {index}: must be >= 0")
        if index < len(test_accounts):
            return test_accounts[index]
        # Outside the repository ape's config asks for 10 test accounts; derive further ones from
        # the same mnemonic and path, as ape does (anvil funds the same addresses).
        from eth_account import Account

        Account.enable_unaudited_hdwallet_features()
        key = Account.from_mnemonic(test_accounts.mnemonic, account_path=f"{test_accounts.hd_path}/{index}")
        return test_accounts.init_test_account(index, key.address, key.key.hex())

    # -- helpers ---------------------------------------------------------------------------------

    def _asset(self, asset: str) -> AssetRecord:
        return self.manifest.asset(asset)

    def _at(self, name: str) -> Any:
        record = self.manifest.contracts.get(name)
        if record is None:
            raise UserError(f"the manifest for chain {self.chain_id} has no contract {name!r}")
        return getattr(self.contracts, record.contract_type).at(record.address)

    def _token(self, record: AssetRecord) -> Any:
        return self._at(record.key)

    @staticmethod
    def _require_role(contract: Any, role: bytes, role_name: str, sender: Any, what: str) -> None:
        if not contract.hasRole(role, sender.address):
            raise UserError(f"{sender.address} does not hold {role_name} on {what}: nothing sent")

    @staticmethod
    def _send(method: Any, *args: Any, sender: Any) -> Any:
        """Sends with a gas limit above anvil's exact estimate (`GAS_MULTIPLIER`)."""
        estimate = int(method.estimate_gas_cost(*args, sender=sender))
        return method(*args, sender=sender, gas_limit=int(estimate * GAS_MULTIPLIER))

    # -- reading ---------------------------------------------------------------------------------

    def balance(self, asset: str, account: str) -> Balance:
        """`account`'s balance of `asset` (and whether the asset has its wallet frozen)."""
        record = self._asset(asset)
        holder = address(account, "account")
        with self._connected():
            token = self._token(record)
            frozen = bool(token.isFrozen(holder)) if hasattr(token, "isFrozen") else False
            return Balance(
                asset=record.key, account=holder, amount=int(token.balanceOf(holder)), frozen=frozen
            )

    def investor(self, investor_id: bytes | str) -> Investor:
        """The registry's record of an investor and its wallets."""
        key = investor_key(investor_id)
        with self._connected():
            registry = self._at("InvestorRegistry")
            if not registry.isRegistered(key):
                raise UserError(f"investor 0x{key.hex()} is not registered on chain {self.chain_id}")
            data = registry.investor(key)
            return Investor(
                investor_id="0x" + key.hex(),
                country=int(data.country),
                class_flags=int(data.classFlags),
                kyc_expiry=datetime.fromtimestamp(int(data.kycExpiry), tz=UTC),
                frozen=bool(data.frozen),
                wallets=[str(w) for w in registry.walletsOf(key)],
            )

    def sanctions_check(self, asset: str, accounts: Sequence[str]) -> list[SanctionsFlag]:
        """A tracker certificate's cached sanctions flag of each account beside its oracle's answer
        (`ape run sanctions check`)."""
        record = self._asset(asset)
        if record.architecture != "tracker_certificate":
            raise UserError(f"{record.key} is a {record.architecture}: it has no cached sanctions flags")
        wanted = [address(a, "account") for a in accounts]
        with self._connected():
            certificate = self._token(record)
            oracle = self.contracts.ChainalysisOracleMock.at(certificate.sanctionsList())
            return [
                SanctionsFlag(account=a, cached=cached, oracle=listed)
                for a, cached, listed in flags(certificate, wanted, oracle)
            ]

    def reconcile_summary(self, *peers: Suite) -> ReconcileSummary:
        """Every listed asset checked against its invariants on this chain and on `peers` (other
        chains' suites), as `ape run reconcile` does: supply, reserves, what is in flight between
        the chains, each gateway's links. Without peers, supply the home chain counts elsewhere
        cannot be matched and is reported as a break."""
        suites = [self, *peers]
        views: list[Any] = []
        sent: list[SentMessage] = []
        topology: list[Finding] = []
        for suite in suites:
            with suite._connected():
                views.extend(asset_views(suite.contracts, suite.manifest))
                sent.extend(sent_messages(suite.contracts, suite.manifest))
                topology.extend(superseded_supply(suite.contracts, suite.manifest))
        pending: list[SentMessage] = []
        manifests = [suite.manifest for suite in suites]
        for suite in suites:
            with suite._connected():
                pending.extend(undelivered(suite.contracts, suite.manifest, sent))
                if peers:
                    topology.extend(gateway_links(suite.contracts, suite.manifest, manifests))
        report = reconcile(with_in_flight(views, pending), topology)
        return ReconcileSummary(
            ok=report.ok,
            assets=[
                AssetSummary(
                    asset=v.key,
                    chain_id=v.chain_id,
                    home=v.is_home,
                    total_supply=v.total_supply,
                    total_units=v.total_units,
                    supply_elsewhere=v.supply_elsewhere,
                    in_flight_out=v.in_flight_out,
                    reserves=v.reserves,
                    holders=v.holders,
                    epoch=v.epoch,
                )
                for v in report.views
            ],
            findings=[
                FindingSummary(
                    asset=f.asset, chain_id=f.chain_id, check=f.check, severity=f.severity, detail=f.detail
                )
                for f in report.findings
            ],
        )

    # -- operations ------------------------------------------------------------------------------

    def admin(self, sender: Any, safe: str | None = None) -> Admin:
        """The issuer's routine operations (`tokenized_stocks.client.admin`) for `sender`, or
        proposed to the Safe `safe`: use inside `with suite.connected():`."""
        from tokenized_stocks.client.admin import Admin

        return Admin(self, sender, safe)

    @contextmanager
    def connected(self) -> Iterator[Any]:
        """This suite's chain as ape's active provider for the block (see `_connected`)."""
        with self._connected() as provider:
            yield provider

    def _carry_out(self, build: Callable[[Admin], Plan], sender: Any) -> Sent:
        """Builds an admin plan (its checks) and sends it from `sender`."""
        with self._connected():
            admin = self.admin(sender)
            return Sent(tx_hashes=admin.send(build(admin)).tx_hashes)

    def onboard_investor(
        self,
        investor_id: bytes | str,
        *,
        country: int,
        class_flags: int,
        kyc_expiry: datetime,
        wallets: Sequence[str],
        sender: Any,
    ) -> Sent:
        """Registers an investor (unless registered) and binds each wallet (unless bound to it).
        A wallet bound to another investor is refused before anything is sent. Needs REGISTRAR_ROLE."""
        return self._carry_out(
            lambda a: a.onboard(
                investor_id,
                country=country,
                class_flags=class_flags,
                kyc_expiry=kyc_expiry,
                wallets=list(wallets),
            ),
            sender,
        )

    def add_wallet(self, investor_id: bytes | str, wallet: str, sender: Any) -> Sent:
        """Binds one more wallet to a registered investor. Needs REGISTRAR_ROLE."""
        key = investor_key(investor_id)
        with self._connected():
            if not self._at("InvestorRegistry").isRegistered(key):
                raise UserError(f"investor 0x{key.hex()} is not registered: onboard it first")
            record = self.investor(key)
        return self.onboard_investor(
            key,
            country=record.country,
            class_flags=record.class_flags,
            kyc_expiry=record.kyc_expiry,
            wallets=[wallet],
            sender=sender,
        )

    def set_investor_frozen(self, investor_id: bytes | str, frozen: bool, sender: Any) -> Sent:
        """Freezes (or unfreezes) an investor in the registry: every wallet, every asset that
        reads the registry. Needs REGISTRAR_ROLE."""
        return self._carry_out(lambda a: a.freeze_investor(investor_id, frozen), sender)

    def freeze_investor(self, investor_id: bytes | str, sender: Any) -> Sent:
        return self.set_investor_frozen(investor_id, True, sender)

    def unfreeze_investor(self, investor_id: bytes | str, sender: Any) -> Sent:
        return self.set_investor_frozen(investor_id, False, sender)

    def set_frozen(self, asset: str, wallet: str, frozen: bool, sender: Any, reason: str = "") -> Sent:
        """Freezes (or unfreezes) one wallet on one asset: a registry share (TRANSFER_AGENT_ROLE,
        `reason` recorded) or a mint-on-order token (COMPLIANCE_ROLE). A tracker certificate has no
        wallet freeze (it freezes tokens: `ape run admin freeze-tokens`)."""
        return self._carry_out(lambda a: a.freeze_wallet(asset, wallet, frozen, reason or "client"), sender)

    def freeze(self, asset: str, wallet: str, sender: Any, reason: str = "") -> Sent:
        return self.set_frozen(asset, wallet, True, sender, reason)

    def unfreeze(self, asset: str, wallet: str, sender: Any, reason: str = "") -> Sent:
        return self.set_frozen(asset, wallet, False, sender, reason)

    def attest_reserves(self, asset: str, shares: Decimal | int | str, sender: Any) -> ReserveAttestation:
        """Reports the custodian's reserves (in shares) on the asset's reserve feed (REPORTER_ROLE):
        what a tracker certificate may be minted against."""
        with self._connected():
            admin = self.admin(sender)
            plan = admin.attest_reserves(asset, str(shares))
            (call,) = plan.calls
            decimals = int(call.contract.decimals())
            (tx_hash,) = admin.send(plan).tx_hashes
        return ReserveAttestation(
            asset=self._asset(asset).key,
            feed=call.to,
            reserves=parse_amount(shares, "reserves"),
            answer=int(call.args[0]),
            decimals=decimals,
            tx_hash=tx_hash,
        )

    def issue(self, asset: str, to: str, shares: Decimal | int | str, sender: Any, reason: str = "") -> Sent:
        """Mints `shares` to `to`: a tracker certificate against its reserves (MINTER_ROLE) or a
        registry share (TRANSFER_AGENT_ROLE). A mint-on-order token is minted by its order desk."""
        record = self._asset(asset)
        recipient = address(to, "recipient")
        amount = parse_amount(shares)
        with self._connected():
            token = self._token(record)
            if record.architecture == "tracker_certificate":
                self._require_role(token, MINTER_ROLE, "MINTER_ROLE", sender, record.key)
                mintable = int(token.mintableShares())
                if amount > mintable:
                    raise UserError(
                        f"{record.key}: {shares} shares exceed the {shares_text(mintable)} the reserves back: "
                        "attest the reserves first"
                    )
                receipt = self._send(token.mint, recipient, amount, sender=sender)
            elif record.architecture == "registry_share":
                self._require_role(token, TRANSFER_AGENT_ROLE, "TRANSFER_AGENT_ROLE", sender, record.key)
                receipt = self._send(token.issue, recipient, amount, reason or "client", sender=sender)
            else:
                raise UserError(f"{record.key} is minted on order by its desk, not issued directly")
        return Sent(tx_hashes=[str(receipt.txn_hash)])

    def bridge_send(
        self,
        asset: str,
        to: str,
        shares: Decimal | int | str,
        dst_chain_id: int,
        sender: Any,
        ttl: int = 3600,
    ) -> BridgeTransfer:
        """Sends `shares` of `asset` to `to` on chain `dst_chain_id` through the gateway
        (`ape run bridge` without `--wait`); the relayer delivers it. Follow up by `message_id`."""
        record = self._asset(asset)
        recipient = address(to, "recipient")
        amount = parse_amount(shares)
        if ttl <= 0:
            raise UserError(f"bad ttl {ttl}: must be greater than zero")
        with self._connected():
            from ape import chain

            gateway = self._at("Gateway")
            token = self._token(record)
            units = send_units(
                gateway, token, record.key, sender.address, amount, self.chain_id, dst_chain_id
            )
            expiry = int(chain.pending_timestamp) + ttl
            receipt = self._send(
                gateway.send,
                bytes.fromhex(record.asset_id[2:]),
                dst_chain_id,
                recipient,
                units,
                expiry,
                sender=sender,
            )
            message = Message.from_values(receipt.events.filter(gateway.MessageSent)[0].message)
        return BridgeTransfer(
            asset=record.key,
            recipient=recipient,
            amount=amount,
            units=units,
            src_chain_id=self.chain_id,
            dst_chain_id=dst_chain_id,
            message_id="0x" + message.id.hex(),
            nonce=message.nonce,
            expiry=datetime.fromtimestamp(expiry, tz=UTC),
            tx_hash=str(receipt.txn_hash),
        )
