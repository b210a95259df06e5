"""The issuer's routine operations as plans: checked, then sent, dry-run or proposed to a Safe.

`Admin(suite, sender, safe=None)` builds a `Plan` for each operation (onboard, renew KYC, freezes,
forced transfer, recovery, reserves, prices, splits, dividends, ballots, limits, pause). Building a
plan is the preflight: addresses, amounts, the asset's architecture, the on-chain state and the
acting address's role are checked, and a `UserError` (one line) is raised before anything is sent.
A plan is a list of contract calls; it is then

- `send`: sent from `sender`, one transaction per call;
- `estimate`: a dry run, each call's gas estimated from the acting address (nothing is sent);
- `propose`: with `safe`, each call proposed to that Safe multisig as one SafeTx (consecutive Safe
  nonces), signed by `sender`, who must be one of its owners; the Safe is the acting address and
  must hold the role.

`ape run admin` (scripts/admin.py) is the command line over this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tokenized_stocks.abi import load_abi
from tokenized_stocks.client.suite import ZERO, Suite, address, investor_key
from tokenized_stocks.deploy.manifest import AssetRecord
from tokenized_stocks.protocol import roles as _roles
from tokenized_stocks.protocol.chains import is_local_chain
from tokenized_stocks.protocol.display import amount as shares_text
from tokenized_stocks.protocol.display import duration, money, parse_amount, when
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.protocol.roles import (
    COMPLIANCE_ROLE,
    DEFAULT_ADMIN_ROLE,
    PAUSER_ROLE,
    PROPOSER_ROLE,
    REGISTRAR_ROLE,
    REPORTER_ROLE,
    TRANSFER_AGENT_ROLE,
)

#: role id -> its name (`DEFAULT_ADMIN_ROLE`, `PAUSER_ROLE`...): every role protocol.roles mirrors.
ROLE_NAMES = {
    value: name for name, value in vars(_roles).items() if name.endswith("_ROLE") and isinstance(value, bytes)
}
#: The manifest name of the timelock of a governed deployment.
TIMELOCK = "GovernanceTimelock"
#: The ERC-20 functions of a cash token (a dividend's): the ERC-20 part of a shipped token ABI.
ERC20_FUNCTIONS = frozenset({"approve", "allowance", "balanceOf", "decimals", "symbol"})
#: The most shares a holding limit takes (`setHoldingLimits(uint48, uint48)`, whole shares).
MAX_HOLDING_LIMIT = 2**48 - 1
DAY = 86_400


class PartlySent(Exception):
    """A later call of a plan failed after earlier ones were confirmed (they stay done: the plans
    skip what the chain already shows, so the same command finishes the work)."""


@dataclass(frozen=True)
class Call:
    """One contract call of a plan."""

    target: str  # the contract's name in the manifest (`InvestorRegistry`, `TSLArs`...)
    contract: Any
    function: str
    args: tuple[Any, ...]

    @property
    def to(self) -> str:
        return str(self.contract.address)

    def method(self) -> Any:
        return getattr(self.contract, self.function)

    def calldata(self) -> bytes:
        return bytes(self.method().encode_input(*self.args))

    def describe(self) -> str:
        return f"{self.target}.{self.function}({', '.join(_arg_text(a) for a in self.args)})"

    def as_json(self) -> dict[str, Any]:
        return {
            "contract": self.target,
            "to": self.to,
            "function": self.function,
            "args": [_arg_json(a) for a in self.args],
            "data": "0x" + self.calldata().hex(),
        }


def _arg_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_arg_text(v) for v in value) + "]"
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, str) and not value.startswith("0x"):
        return repr(value)
    return str(value)


def _arg_json(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_arg_json(v) for v in value]
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, bool | int):
        return value
    return str(value)


@dataclass
class Plan:
    """What an operation sends: its calls in order, and a line saying what it does."""

    operation: str
    summary: str
    calls: list[Call] = field(default_factory=list)


@dataclass
class Outcome:
    """What was done with a plan: `mode` is `sent`, `dry-run` or `proposed`."""

    plan: Plan
    mode: str
    acting: str
    tx_hashes: list[str] = field(default_factory=list)
    gas: list[int | None] = field(default_factory=list)
    safe_txs: list[dict[str, Any]] = field(default_factory=list)
    #: a plan the timelock runs: the operation (id, salt, delay, earliest execution, next command)
    timelock: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        calls = [c.as_json() for c in self.plan.calls]
        for index, call in enumerate(calls):
            if self.gas:
                call["gas"] = self.gas[index]
        return {
            "operation": self.plan.operation,
            "summary": self.plan.summary,
            "mode": self.mode,
            "acting": self.acting,
            "calls": calls,
            "tx_hashes": self.tx_hashes,
            "safe_txs": self.safe_txs,
            "timelock": self.timelock,
        }


def parse_expiry(value: str | datetime) -> datetime:
    """A KYC expiry: an ISO date or date-time (UTC when no zone is given)."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError as err:
            raise UserError(f"bad kyc expiry {value!r}: not an ISO date (2027-12-31)") from err
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def parse_ratio(value: str) -> tuple[int, int]:
    """A split ratio `N:D` (N new shares per D old ones): 2:1 is a split, 1:10 a reverse split."""
    numerator, colon, denominator = str(value).partition(":")
    try:
        ratio = (int(numerator), int(denominator))
    except ValueError:
        ratio = (0, 0)
    if not colon or ratio[0] <= 0 or ratio[1] <= 0:
        raise UserError(f"bad ratio {value!r}: N:D with whole numbers above zero (2:1, 1:10)")
    if ratio[0] == ratio[1]:
        raise UserError(f"bad ratio {value!r}: a ratio of 1 changes nothing")
    return ratio


class Admin:
    """Plans the issuer's routine operations on `suite` for `sender`, or for the Safe `safe`."""

    def __init__(self, suite: Suite, sender: Any, safe: str | None = None) -> None:
        self.suite = suite
        self.sender = sender
        self.safe = address(safe, "--safe address") if safe else None
        #: with a Safe: a role the timelock holds was needed (the plan is scheduled there), or one
        #: the Safe holds (the plan is proposed as it is); set by the role checks of the plans
        self.via_timelock = False
        self._via_safe = False

    @property
    def acting(self) -> str:
        """The address that calls the contracts: the timelock (a plan it runs), the Safe, or the sender."""
        if self.via_timelock:
            return self.timelock_address()
        return self.safe or str(self.sender.address)

    def timelock_address(self) -> str:
        """The governed deployment's timelock (the manifest's governance record)."""
        governance = self.suite.manifest.governance
        if governance is None:
            raise UserError(
                f"the deployment on chain {self.suite.chain_id} has no timelock (deployed without --governance safe)"
            )
        return str(governance.timelock)

    # -- helpers ---------------------------------------------------------------------------------

    def _require(self, contract: Any, role: bytes, what: str) -> None:
        """The acting address holds `role` on `contract`, or one line naming who does. With a Safe:
        a role the Safe holds is proposed to it; a role the timelock holds (and the Safe proposes
        to it) makes the plan a timelock operation the Safe schedules; any other role is refused."""
        if self.safe:
            self._require_through_safe(contract, role, what)
            return
        if contract.hasRole(role, self.acting):
            return
        governance = self.suite.manifest.governance
        if (
            role == DEFAULT_ADMIN_ROLE
            and governance is not None
            and contract.hasRole(role, governance.timelock)
        ):
            # a governed deployment: no key (and not the Safe itself) holds the admin role
            raise UserError(
                f"{self.acting} does not hold DEFAULT_ADMIN_ROLE on {what}: the timelock {governance.timelock} "
                f"does; the Safe {governance.safe} schedules the call there and executes it "
                f"{governance.min_delay} s later (docs/governance.md): nothing sent"
            )
        raise UserError(f"{self.acting} does not hold {ROLE_NAMES[role]} on {what}: nothing sent")

    def _require_through_safe(self, contract: Any, role: bytes, what: str) -> None:
        assert self.safe
        name = ROLE_NAMES.get(role, "0x" + bytes(role).hex())
        governance = self.suite.manifest.governance
        if contract.hasRole(role, self.safe):
            route = "the Safe"
            self._via_safe = True
        elif governance is not None and contract.hasRole(role, governance.timelock):
            timelock = self.suite._at(TIMELOCK)
            if not timelock.hasRole(PROPOSER_ROLE, self.safe):
                raise UserError(
                    f"{name} on {what} is the timelock {governance.timelock}'s, and the Safe {self.safe} "
                    "is not its proposer: nothing sent"
                )
            route = "the timelock"
            self.via_timelock = True
        else:
            holders = self._holders(contract, role)
            if governance is None:
                held = "the manifest records no role holders (no --governance safe)"
            elif holders:
                held = f"{', '.join(holders)} {'holds' if len(holders) == 1 else 'hold'} it"
            else:
                held = "no address the manifest records holds it"
            timelock = ", nor does the timelock" if governance is not None else ""
            raise UserError(
                f"the Safe {self.safe} does not hold {name} on {what}{timelock}: {held}; "
                "send it from that key, without --safe: nothing sent"
            )
        if self.via_timelock and self._via_safe:
            raise UserError(
                f"this command needs roles the Safe holds and roles the timelock holds ({name} on {what} "
                f"is {route}'s): run its parts separately: nothing sent"
            )

    def _holders(self, contract: Any, role: bytes) -> list[str]:
        """Who holds `role` on `contract` now, among the holders the manifest's governance record
        lists for it (checked on chain: a role may have moved since the deployment)."""
        governance = self.suite.manifest.governance
        name = next(
            (n for n, r in self.suite.manifest.contracts.items() if r.address == str(contract.address)), None
        )
        if governance is None or name is None:
            return []
        record = governance.roles.get(name, {}).get(ROLE_NAMES.get(role, ""))
        return [h for h in (record.holders if record else []) if contract.hasRole(role, h)]

    def _asset(self, asset: str) -> tuple[AssetRecord, Any]:
        record = self.suite.manifest.asset(asset)
        from ape import chain

        if not chain.provider.get_code(record.token):
            raise UserError(
                f"no contract at {record.token} ({record.key}) on chain {self.suite.chain_id}: was the chain reset?"
            )
        return record, self.suite._token(record)

    def _extra(self, record: AssetRecord, kind: str, what: str) -> str:
        found = record.extra.get(kind)
        if not found:
            raise UserError(f"{record.key} is a {record.architecture}: it has no {what}")
        return found

    def _registry(self) -> Any:
        return self.suite._at("InvestorRegistry")

    def _registered(self, registry: Any, key: bytes) -> None:
        if not registry.isRegistered(key):
            raise UserError(f"investor 0x{key.hex()} is not registered on chain {self.suite.chain_id}")

    @staticmethod
    def _reason(reason: str) -> str:
        if not reason.strip():
            raise UserError("a --reason is required (the legal reference: court order, board resolution...)")
        return reason.strip()

    # -- investors -------------------------------------------------------------------------------

    def onboard(
        self,
        investor_id: bytes | str,
        *,
        country: int,
        class_flags: int,
        kyc_expiry: datetime,
        wallets: list[str],
        claimed: dict[str, bytes] | None = None,
    ) -> Plan:
        """Registers an investor (unless registered) and binds each wallet (unless bound to it). A
        wallet bound to another investor is refused. REGISTRAR_ROLE. `claimed` (wallet -> investor)
        gathers the wallets of earlier plans of one batch, not yet on chain."""
        from ape import chain

        key = investor_key(investor_id)
        if not 0 < country < 1000:
            raise UserError(f"bad country {country}: an ISO 3166-1 numeric code (840, 826...)")
        if not 0 <= class_flags < 2**16:
            raise UserError(f"bad class flags {class_flags}: 0 to 65535")
        bound = [address(w, "wallet") for w in wallets]
        expiry = int(kyc_expiry.timestamp())
        if expiry <= chain.pending_timestamp:
            raise UserError(f"bad kyc expiry {kyc_expiry.isoformat()}: already past")
        registry = self._registry()
        self._require(registry, REGISTRAR_ROLE, "the investor registry")
        plan = Plan("onboard", f"investor 0x{key.hex()}: country {country}, KYC until {when(expiry)}")
        if not registry.isRegistered(key):
            plan.calls.append(
                Call("InvestorRegistry", registry, "registerInvestor", (key, country, class_flags, expiry))
            )
        for wallet in dict.fromkeys(bound):
            owner = bytes(registry.investorOf(wallet))
            if claimed is not None and wallet in claimed:
                owner = claimed[wallet]
            if owner == key:
                continue
            if any(owner):
                raise UserError(f"wallet {wallet} belongs to investor 0x{owner.hex()}: nothing sent")
            plan.calls.append(Call("InvestorRegistry", registry, "addWallet", (key, wallet)))
            if claimed is not None:
                claimed[wallet] = key
        return plan

    def renew_kyc(self, investor_id: bytes | str, kyc_expiry: datetime) -> Plan:
        """Sets a registered investor's KYC expiry (country and classes kept). REGISTRAR_ROLE."""
        from ape import chain

        key = investor_key(investor_id)
        expiry = int(kyc_expiry.timestamp())
        if expiry <= chain.pending_timestamp:
            raise UserError(f"bad kyc expiry {kyc_expiry.isoformat()}: already past")
        registry = self._registry()
        self._require(registry, REGISTRAR_ROLE, "the investor registry")
        self._registered(registry, key)
        data = registry.investor(key)
        call = Call(
            "InvestorRegistry",
            registry,
            "updateInvestor",
            (key, int(data.country), int(data.classFlags), expiry),
        )
        return Plan("renew-kyc", f"investor 0x{key.hex()}: KYC until {when(expiry)}", [call])

    def freeze_investor(self, investor_id: bytes | str, frozen: bool) -> Plan:
        """Freezes (or unfreezes) an investor in the registry: every wallet on every asset."""
        key = investor_key(investor_id)
        registry = self._registry()
        self._require(registry, REGISTRAR_ROLE, "the investor registry")
        self._registered(registry, key)
        verb = "freeze" if frozen else "unfreeze"
        plan = Plan(f"{verb}-investor", f"{verb} investor 0x{key.hex()}")
        if bool(registry.investor(key).frozen) != frozen:
            plan.calls.append(Call("InvestorRegistry", registry, "setInvestorFrozen", (key, frozen)))
        return plan

    # -- holdings --------------------------------------------------------------------------------

    def freeze_wallet(self, asset: str, wallet: str, frozen: bool, reason: str = "") -> Plan:
        """Freezes (or unfreezes) one wallet on one asset: a registry share (TRANSFER_AGENT_ROLE,
        with the reason) or a mint-on-order token (COMPLIANCE_ROLE). A tracker certificate freezes
        tokens (`freeze_tokens`), not wallets."""
        holder = address(wallet, "wallet")
        record, token = self._asset(asset)
        verb = "freeze" if frozen else "unfreeze"
        if record.architecture == "registry_share":
            self._require(token, TRANSFER_AGENT_ROLE, record.key)
            call = Call(record.key, token, "setAddressFrozen", (holder, frozen, self._reason(reason)))
        elif record.architecture == "mint_on_order":
            self._require(token, COMPLIANCE_ROLE, record.key)
            call = Call(record.key, token, "setFrozen", (holder, frozen))
        else:
            raise UserError(
                f"{record.key} is a tracker certificate: it has no wallet freeze; freeze its tokens "
                "(freeze-tokens) or the investor (freeze-investor)"
            )
        plan = Plan(verb, f"{verb} {holder} on {record.key}")
        if bool(token.isFrozen(holder)) != frozen:
            plan.calls.append(call)
        return plan

    def freeze_tokens(
        self, asset: str, wallet: str, shares: Decimal | str, frozen: bool, reason: str = ""
    ) -> Plan:
        """Freezes (or releases) `shares` of a wallet's tokens: a registry share's partial freeze
        (TRANSFER_AGENT_ROLE, with the reason), or ERC-7943 `setFrozenTokens` to the new total (a
        certificate: TRANSFER_AGENT_ROLE; a mint-on-order token: COMPLIANCE_ROLE)."""
        holder = address(wallet, "wallet")
        amount = parse_amount(shares)
        record, token = self._asset(asset)
        current = int(token.getFrozenTokens(holder))
        verb = "freeze" if frozen else "unfreeze"
        if not frozen and amount > current:
            raise UserError(
                f"{holder} has {shares_text(current, symbol=record.key)} frozen on {record.key}, "
                f"less than {shares_text(amount, symbol=record.key)}"
            )
        if record.architecture == "registry_share":
            self._require(token, TRANSFER_AGENT_ROLE, record.key)
            function = "freezePartialTokens" if frozen else "unfreezePartialTokens"
            call = Call(record.key, token, function, (holder, amount, self._reason(reason)))
        else:
            role = TRANSFER_AGENT_ROLE if record.architecture == "tracker_certificate" else COMPLIANCE_ROLE
            self._require(token, role, record.key)
            total = current + amount if frozen else current - amount
            call = Call(record.key, token, "setFrozenTokens", (holder, total))
        text = f"{verb} {shares_text(amount, symbol=record.key)} of {holder}"
        return Plan(f"{verb}-tokens", text, [call])

    def forced_transfer(self, asset: str, source: str, to: str, shares: Decimal | str, reason: str) -> Plan:
        """Moves a holder's tokens without its consent (a court order, an estate): the registry
        share records the reason on chain; ERC-7943 `forcedTransfer` of the other assets has no
        reason argument (it is kept in the command's output and the Safe proposal)."""
        holder = address(source, "--from address")
        recipient = address(to, "--to address")
        amount = parse_amount(shares)
        why = self._reason(reason)
        if holder == recipient:
            raise UserError("--from and --to are the same wallet")
        record, token = self._asset(asset)
        held = int(token.balanceOf(holder))
        if held < amount:
            raise UserError(
                f"{holder} holds {shares_text(held, symbol=record.key)}, "
                f"less than {shares_text(amount, symbol=record.key)}"
            )
        if record.architecture == "registry_share":
            self._require(token, TRANSFER_AGENT_ROLE, record.key)
            call = Call(record.key, token, "forcedTransfer", (holder, recipient, amount, why))
        else:
            role = TRANSFER_AGENT_ROLE if record.architecture == "tracker_certificate" else COMPLIANCE_ROLE
            self._require(token, role, record.key)
            call = Call(record.key, token, "forcedTransfer", (holder, recipient, amount))
        text = f"force {shares_text(amount, symbol=record.key)} from {holder} to {recipient} ({why})"
        return Plan("forced-transfer", text, [call])

    def recover(self, asset: str, lost: str, new: str, investor_id: bytes | str, reason: str) -> Plan:
        """Moves a lost wallet's registry shares to the investor's new wallet (TRANSFER_AGENT_ROLE)."""
        lost_wallet = address(lost, "--lost wallet")
        new_wallet = address(new, "--new wallet")
        key = investor_key(investor_id)
        why = self._reason(reason)
        record, token = self._asset(asset)
        if record.architecture != "registry_share":
            raise UserError(f"{record.key} is a {record.architecture}: wallet recovery is a registry share's")
        self._require(token, TRANSFER_AGENT_ROLE, record.key)
        registry = self._registry()
        if bytes(registry.investorOf(new_wallet)) != key:
            raise UserError(f"{new_wallet} is not a wallet of investor 0x{key.hex()}: add it first (onboard)")
        call = Call(record.key, token, "recoveryAddress", (lost_wallet, new_wallet, key, why))
        return Plan("recover", f"recover {record.key} of {lost_wallet} to {new_wallet} ({why})", [call])

    # -- feeds -----------------------------------------------------------------------------------

    def _report(self, record: AssetRecord, kind: str, value: Decimal | str, what: str) -> tuple[Any, int]:
        feed_address = self._extra(record, kind, f"{what} feed")
        feed = self.suite.contracts.AttestedFeed.at(feed_address)
        self._require(feed, REPORTER_ROLE, f"{record.key}'s {what} feed")
        decimals = int(feed.decimals())
        answer = parse_amount(value, what)
        scaled, rest = divmod(answer, 10 ** (18 - decimals))
        if rest:
            raise UserError(f"bad {what} {value}: the feed has {decimals} decimals")
        return feed, scaled

    def attest_reserves(self, asset: str, shares: Decimal | str) -> Plan:
        """Reports the custodian's reserves (shares) on the asset's reserve feed (REPORTER_ROLE)."""
        record, _ = self._asset(asset)
        feed, answer = self._report(record, "reserve", shares, "reserves")
        text = f"{record.key} reserves: {shares_text(parse_amount(shares), symbol='shares')}"
        return Plan("attest-reserves", text, [Call(f"{record.key}.ReserveFeed", feed, "report", (answer,))])

    def publish_price(self, asset: str, price: Decimal | str) -> Plan:
        """Reports a reference price (USD per share) on the asset's price feed (REPORTER_ROLE)."""
        record, _ = self._asset(asset)
        feed, answer = self._report(record, "price", price, "price")
        text = f"{record.key} price: {money(parse_amount(price), 18)}"
        return Plan("publish-price", text, [Call(f"{record.key}.PriceFeed", feed, "report", (answer,))])

    # -- corporate actions -----------------------------------------------------------------------

    def split(self, asset: str, ratio: tuple[int, int], reason: str, activation: int | None = None) -> Plan:
        """A split (2:1) or reverse split (1:10): a registry share applies it at once; a tracker
        certificate schedules its multiplier update (at `activation`, default now). Home chain."""
        numerator, denominator = ratio
        record, token = self._asset(asset)
        if record.home_chain_id != self.suite.chain_id:
            raise UserError(
                f"{record.key}'s corporate actions are decided on its home chain {record.home_chain_id}"
            )
        kind = "split" if numerator > denominator else "reverse split"
        text = f"{record.key}: {kind} {numerator}:{denominator}"
        if record.architecture == "registry_share":
            self._require(token, TRANSFER_AGENT_ROLE, record.key)
            call = Call(record.key, token, "split", (numerator, denominator, self._reason(reason)))
        elif record.architecture == "tracker_certificate":
            from ape import chain

            self._require(token, TRANSFER_AGENT_ROLE, record.key)
            current = int(token.multiplier())
            new, rest = divmod(current * numerator, denominator)
            if rest:
                raise UserError(
                    f"bad ratio {numerator}:{denominator}: the multiplier {current} does not divide"
                )
            start = int(activation if activation is not None else chain.pending_timestamp + 60)
            if start < chain.pending_timestamp:
                raise UserError(f"bad activation {when(start)}: already past")
            call = Call(
                record.key,
                token,
                "scheduleMultiplierUpdate",
                (current, new, start, int(token.lastNonce()) + 1),
            )
            text += f", from {when(start)}"
        else:
            raise UserError(f"{record.key} is a mint-on-order token: its desk has no corporate actions")
        return Plan("split", text, [call])

    def _cash(self, cash: str | None) -> Any:
        if cash:
            where = address(cash, "--cash token")
        elif "Cash" in self.suite.manifest.contracts:
            where = self.suite.manifest.contracts["Cash"].address
        else:
            raise UserError("give the dividend's --cash token (the manifest has no Cash)")
        return _erc20().at(where)

    def declare_dividend(
        self, asset: str, total: Decimal | str, claim_days: int, reason: str, cash: str | None = None
    ) -> Plan:
        """Declares a dividend of `total` cash (human units) on a registry share: approves the
        distributor, then declares (TRANSFER_AGENT_ROLE on the distributor)."""
        if claim_days <= 0:
            raise UserError(f"bad --claim-days {claim_days}: must be greater than zero")
        why = self._reason(reason)
        record, _ = self._asset(asset)
        distributor = self.suite.contracts.DividendDistributor.at(
            self._extra(record, "dividends", "dividends")
        )
        self._require(distributor, TRANSFER_AGENT_ROLE, f"{record.key}'s dividend distributor")
        token = self._cash(cash)
        decimals = int(token.decimals())
        amount = parse_amount(total, "dividend")
        units, rest = divmod(amount, 10 ** (18 - decimals))
        if rest:
            raise UserError(f"bad dividend {total}: the cash token has {decimals} decimals")
        held = int(token.balanceOf(self.acting))
        if held < units:
            raise UserError(
                f"{self.acting} holds {money(held, decimals)} of cash, less than {money(units, decimals)}"
            )
        calls = [
            Call("Cash", token, "approve", (str(distributor.address), units)),
            Call(
                f"{record.key}.Dividends",
                distributor,
                "declareDividend",
                (str(token.address), units, claim_days * DAY, why),
            ),
        ]
        return Plan("declare-dividend", f"{record.key} dividend of {money(units, decimals)} ({why})", calls)

    def open_ballot(self, asset: str, description: str, voting_days: int) -> Plan:
        """Opens a ballot of a registry share's holders (TRANSFER_AGENT_ROLE on the ballot box)."""
        if voting_days <= 0:
            raise UserError(f"bad --voting-days {voting_days}: must be greater than zero")
        if not description.strip():
            raise UserError("a --description of the resolution is required")
        record, _ = self._asset(asset)
        box = self.suite.contracts.BallotBox.at(self._extra(record, "ballots", "ballot box"))
        self._require(box, TRANSFER_AGENT_ROLE, f"{record.key}'s ballot box")
        call = Call(f"{record.key}.Ballots", box, "propose", (description.strip(), voting_days * DAY))
        return Plan("open-ballot", f"{record.key} ballot: {description.strip()}", [call])

    # -- limits and pause ------------------------------------------------------------------------

    def set_limits(
        self,
        asset: str,
        *,
        max_holders: int | None = None,
        min_holding: int | None = None,
        max_holding: int | None = None,
    ) -> Plan:
        """A registry share's holder cap and holding limits (whole shares; 0 = none). DEFAULT_ADMIN_ROLE."""
        if max_holders is None and min_holding is None and max_holding is None:
            raise UserError("give --max-holders and/or --min-holding/--max-holding")
        for name, value, top in (
            ("--max-holders", max_holders, 2**32 - 1),
            ("--min-holding", min_holding, MAX_HOLDING_LIMIT),
            ("--max-holding", max_holding, MAX_HOLDING_LIMIT),
        ):
            if value is not None and not 0 <= value <= top:
                raise UserError(f"bad {name} {value}: 0 (no limit) to {top}")
        record, token = self._asset(asset)
        if record.architecture != "registry_share":
            raise UserError(f"{record.key} is a {record.architecture}: holder limits are a registry share's")
        self._require(token, DEFAULT_ADMIN_ROLE, record.key)
        calls = []
        parts = []
        if max_holders is not None:
            calls.append(Call(record.key, token, "setMaxHolders", (max_holders,)))
            parts.append(f"at most {max_holders} holders")
        if min_holding is not None or max_holding is not None:
            low, high = min_holding or 0, max_holding or 0
            if high and low > high:
                raise UserError(f"bad holding limits: --min-holding {low} above --max-holding {high}")
            calls.append(Call(record.key, token, "setHoldingLimits", (low, high)))
            parts.append(f"holdings {low} to {high or 'unlimited'} shares")
        return Plan("set-limits", f"{record.key}: {', '.join(parts)}", calls)

    def pause(self, asset: str, paused: bool, reason: str = "") -> Plan:
        """Pauses an asset's transfers (PAUSER_ROLE: the guardian, at once), or unpauses them
        (DEFAULT_ADMIN_ROLE: the timelock in a governed deployment; resuming is not the guardian's)."""
        record, token = self._asset(asset)
        self._require(token, PAUSER_ROLE if paused else DEFAULT_ADMIN_ROLE, record.key)
        verb = "pause" if paused else "unpause"
        args: tuple[Any, ...] = (self._reason(reason),) if record.architecture == "registry_share" else ()
        plan = Plan(verb, f"{verb} {record.key}")
        if bool(token.paused()) != paused:
            plan.calls.append(Call(record.key, token, verb, args))
        return plan

    def pause_gateway(self, paused: bool) -> Plan:
        """Pauses this chain's gateway (PAUSER_ROLE: the guardian, at once), or unpauses it
        (DEFAULT_ADMIN_ROLE: resuming the bridge is not the guardian's)."""
        gateway = self.suite._at("Gateway")
        self._require(gateway, PAUSER_ROLE if paused else DEFAULT_ADMIN_ROLE, "the gateway")
        verb = "pause" if paused else "unpause"
        plan = Plan(f"{verb}-gateway", f"{verb} the gateway of chain {self.suite.chain_id}")
        if bool(gateway.paused()) != paused:
            plan.calls.append(Call("Gateway", gateway, verb, ()))
        return plan

    def link_peer(self, peer_chain_id: int, peer_gateway: str, relink: bool) -> Plan:
        """Trusts `peer_gateway` as chain `peer_chain_id`'s gateway (`Gateway.setRemoteGateway`,
        DEFAULT_ADMIN_ROLE: the timelock in a governed deployment, so `--safe` schedules it). A link
        to another gateway is replaced only with `relink` (the peer was redeployed)."""
        from eth_utils import is_checksum_address

        if peer_chain_id == self.suite.chain_id:
            raise UserError(
                f"chain {peer_chain_id} is this chain: a gateway has no link to itself: nothing sent"
            )
        if not is_checksum_address(peer_gateway):
            raise UserError(
                f"chain {peer_chain_id}'s manifest names no valid gateway ({peer_gateway!r}): nothing sent"
            )
        gateway = self.suite._at("Gateway")
        self._require(gateway, DEFAULT_ADMIN_ROLE, "the gateway")
        plan = Plan(
            "link-peer",
            f"the gateway of chain {self.suite.chain_id} trusts {peer_gateway} for chain {peer_chain_id}",
        )
        current = str(gateway.remoteGateway(peer_chain_id))
        if current.lower() == peer_gateway.lower():
            return plan
        if int(current, 16) != 0 and not relink:
            raise UserError(
                f"this gateway trusts {current} for chain {peer_chain_id}, but its manifest names {peer_gateway} "
                "(the peer was redeployed): re-run with --relink to replace the link: nothing sent"
            )
        plan.calls.append(Call("Gateway", gateway, "setRemoteGateway", (peer_chain_id, peer_gateway)))
        return plan

    def complete_listing(self, asset: str) -> Plan:
        """The calls a listing added to a governed deployment left to the timelock (`ape run deploy
        --add` records them in the asset's `awaiting_timelock`): registering it on the gateway and
        its limits there, listing it on the desk or the ledger adapter, subscribing it to the
        sanctions list. With `--safe` they are one timelock batch: all run, or none. Each recorded
        call is checked against its contract in the manifest, the ABI and the acting address's role
        before it is proposed; nothing is sent once the gateway knows the token (the batch ran)."""
        record, _ = self._asset(asset)
        recorded = record.awaiting_timelock
        if not recorded:
            raise UserError(
                f"{record.key} awaits nothing from the timelock: its listing was completed by the deployer "
                "(only a listing added to a governed deployment records such calls): nothing sent"
            )
        plan = Plan(
            "complete-listing",
            f"{record.key}: the {len(recorded)} call{'s' if len(recorded) != 1 else ''} of its listing "
            "only the timelock may make",
        )
        for call in recorded:
            contract = self.suite._at(call.contract)
            if str(contract.address).lower() != call.to.lower():
                raise UserError(
                    f"{record.key}: a recorded call is to {call.to}, but the manifest's {call.contract} is "
                    f"{contract.address}: nothing sent"
                )
            data = bytes.fromhex(call.data[2:])
            try:
                _, arguments = getattr(contract, call.function).decode_input(data)
            except Exception as err:  # a hand-edited or foreign record
                raise UserError(
                    f"{record.key}: the recorded call {call.step!r} is not {call.contract}.{call.function}: nothing sent"
                ) from err
            planned = Call(call.contract, contract, call.function, tuple(arguments.values()))
            if planned.calldata() != data:
                raise UserError(
                    f"{record.key}: the recorded call {call.step!r} does not re-encode to its data: nothing sent"
                )
            self._require(contract, DEFAULT_ADMIN_ROLE, call.contract)
            plan.calls.append(planned)
        gateway = self.suite._at("Gateway")
        if str(gateway.asset(record.asset_id)[0]).lower() == record.token.lower():
            plan.calls.clear()  # the gateway knows the token: the batch has run
        return plan

    # -- timeouts --------------------------------------------------------------------------------

    def _timeout(self, contract: Any, setter: str, getter: str, seconds: int, what: str) -> Plan:
        """A timeout within the contract's own bounds (`MIN_*`/`MAX_*`), checked before sending."""
        low, high = (int(getattr(contract, f"{bound}_{getter}")()) for bound in ("MIN", "MAX"))
        if not low <= seconds <= high:
            raise UserError(
                f"bad {what} {duration(seconds)}: from {duration(low)} to {duration(high)} ({seconds} s "
                f"outside [{low}, {high}]): nothing sent"
            )
        plan = Plan(setter, f"{what}: {duration(seconds)}")
        if int(getattr(contract, _camel(getter))()) != seconds:
            plan.calls.append(Call(self._name_of(contract), contract, setter, (seconds,)))
        return plan

    def _name_of(self, contract: Any) -> str:
        where = str(contract.address)
        return next((n for n, r in self.suite.manifest.contracts.items() if r.address == where), where)

    def set_off_ramp_timeout(self, seconds: int) -> Plan:
        """How long an off-ramp to the traditional register waits for its confirmation before anyone
        can expire it and return the tokens (`TraditionalLedgerAdapter.setOffRampTimeout`,
        DEFAULT_ADMIN_ROLE: the timelock in a governed deployment)."""
        adapter = self.suite._at("TraditionalLedgerAdapter")
        self._require(adapter, DEFAULT_ADMIN_ROLE, "the traditional-ledger adapter")
        return self._timeout(adapter, "setOffRampTimeout", "OFF_RAMP_TIMEOUT", seconds, "off-ramp timeout")

    def set_cancel_timeout(self, asset: str, seconds: int) -> Plan:
        """How long a mint-on-order token's vault gives the executor to answer a cancellation before
        it expires (`OrderVault.setCancelTimeout`, DEFAULT_ADMIN_ROLE)."""
        record, _ = self._asset(asset)
        if record.architecture != "mint_on_order":
            raise UserError(
                f"{record.key} is a {record.architecture}: only a mint-on-order token's vault has a cancel timeout"
            )
        vault = self.suite.contracts.OrderVault.at(self._extra(record, "vault", "order vault"))
        self._require(vault, DEFAULT_ADMIN_ROLE, f"{record.key}'s order vault")
        return self._timeout(
            vault, "setCancelTimeout", "CANCEL_TIMEOUT", seconds, f"{record.key} cancel timeout"
        )

    # -- carrying a plan out ---------------------------------------------------------------------

    def send(self, plan: Plan) -> Outcome:
        """Sends each call from the sender (gas above anvil's exact estimate)."""
        if self.safe:
            raise UserError("a plan for a Safe is proposed, not sent")
        outcome = Outcome(plan, "sent", self.acting)
        for number, call in enumerate(plan.calls, 1):
            try:
                receipt = Suite._send(call.method(), *call.args, sender=self.sender)
            except Exception as err:  # a revert or a lost connection
                if not outcome.tx_hashes:
                    raise
                raise PartlySent(
                    f"step {number} ({call.describe()}) failed after {', '.join(outcome.tx_hashes)} "
                    f"confirmed: {str(err).splitlines()[0]}"
                ) from err
            outcome.tx_hashes.append(str(receipt.txn_hash))
        return outcome

    def estimate(self, plan: Plan) -> Outcome:
        """A dry run: each call's gas estimated from the acting address; a call that depends on an
        earlier one of the plan (an investor registered in step 1) has no estimate (None)."""
        from ape import chain

        outcome = Outcome(plan, "dry-run", self.acting)
        for number, call in enumerate(plan.calls, 1):
            request = {"from": self.acting, "to": call.to, "data": "0x" + call.calldata().hex()}
            try:
                outcome.gas.append(int(chain.provider.web3.eth.estimate_gas(request)))
            except Exception as err:  # a revert: the node's message
                if number == 1:
                    raise UserError(f"{call.describe()} would revert: {str(err).splitlines()[0]}") from None
                outcome.gas.append(None)
        return outcome

    def unestimated(self, plan: Plan) -> Outcome:
        """A dry run whose calls cannot be estimated yet (no gas figures)."""
        return Outcome(plan, "dry-run", self.acting, gas=[None] * len(plan.calls))

    def propose(self, plan: Plan, nonce: int | None = None) -> Outcome:
        """Proposes each call to the Safe as a SafeTx (consecutive Safe nonces) signed by the
        sender, through ape-safe's client: the Safe transaction service on a live network, ape-safe's
        local client on a development chain (which keeps nothing after the command: the SafeTx and
        the proposer's signature are in the outcome for the other owners). `nonce`: the first Safe
        nonce (default: the next one, after the proposals the service holds)."""
        from ape import chain
        from ape_safe.utils import get_safe_tx_hash  # type: ignore[import-untyped]
        from eip712.common import create_safe_tx_def

        if not self.safe:
            raise UserError("no --safe to propose to")
        contract, version = self._safe_contract()
        client = self._safe_client(contract)
        if nonce is None:
            nonce = self.next_safe_nonce()
        safe_tx_def = create_safe_tx_def(
            version=version,
            contract_address=self.safe,  # type: ignore[arg-type]
            chain_id=int(chain.provider.chain_id),
        )
        outcome = Outcome(plan, "proposed", self.acting)
        for offset, call in enumerate(plan.calls):
            safe_tx = safe_tx_def(
                to=call.to,
                value=0,
                data=call.calldata(),
                operation=0,
                safeTxGas=0,
                gasPrice=0,
                gasToken=ZERO,
                refundReceiver=ZERO,
                nonce=nonce + offset,
            )
            safe_tx_hash = str(get_safe_tx_hash(safe_tx))
            signature = self.sender.sign_message(safe_tx)
            if signature is None:
                raise UserError(f"{self.sender.address} did not sign the proposal: nothing proposed")
            client.post_transaction(
                safe_tx,
                {str(self.sender.address): signature},
                sender=str(self.sender.address),
                contractTransactionHash=safe_tx_hash,
            )
            outcome.safe_txs.append(
                {
                    "safe": self.safe,
                    "to": call.to,
                    "value": 0,
                    "data": "0x" + call.calldata().hex(),
                    "operation": 0,
                    "nonce": nonce + offset,
                    "safe_tx_hash": safe_tx_hash,
                    "proposer": str(self.sender.address),
                    "signature": "0x" + bytes(signature.encode_rsv()).hex(),
                }
            )
        return outcome

    def next_safe_nonce(self, queued: bool = True) -> int:
        """ape-safe's `new_nonce`: after the proposals already queued, else the Safe's next nonce.
        `queued=False`: the Safe's own nonce (a dry run, which asks no transaction service)."""
        contract = self._safe_contract()[0]
        if not queued:
            return int(contract._view_methods_["nonce"]())  # the Safe's; `.nonce` is the account's
        client = self._safe_client(contract)
        last = next(iter(client.get_transactions(confirmed=False)), None)
        return int(last.nonce) + 1 if last is not None else int(client.get_next_nonce())

    def _safe_contract(self) -> tuple[Any, str]:
        """The Safe (ape-safe's ABI of its version) and that version; a version ape-safe does not
        know, or no Safe at the address, is refused."""
        from ape_safe.packages import MANIFESTS_BY_VERSION, PackageType  # type: ignore[import-untyped]
        from packaging.version import Version

        self._know_the_deployments_safe()
        known = sorted(MANIFESTS_BY_VERSION)
        try:
            text = str(PackageType.SINGLETON(known[-1]).at(self.safe).VERSION())
        except Exception:  # no code, or no VERSION(): not a Safe
            raise UserError(f"--safe {self.safe} is not a Safe on chain {self.suite.chain_id}") from None
        version = Version(text.replace("+L2", ""))
        if version not in MANIFESTS_BY_VERSION:
            raise UserError(
                f"--safe {self.safe} is a Safe v{version}; ape-safe proposes to "
                + ", ".join(f"v{v}" for v in known)
            )
        # ape-safe's description of a Safe behind its proxy (the singleton's functions and `masterCopy`)
        return PackageType.PROXY(version).at(self.safe), str(version)

    def _know_the_deployments_safe(self) -> None:
        """A deployment made with `--governance safe` records its Safe 1.5.0 singleton and factory,
        a version ape-safe 0.8 does not ship: registered with ape-safe here (as the deploy does),
        so `--safe` reaches the deployment's own Safe."""
        from types import SimpleNamespace

        from tokenized_stocks.governance.safe import register_with_ape_safe

        contracts = self.suite.manifest.contracts
        singleton, factory = contracts.get("Safe.Singleton"), contracts.get("Safe.ProxyFactory")
        if singleton is not None and factory is not None:
            register_with_ape_safe(
                SimpleNamespace(address=singleton.address), SimpleNamespace(address=factory.address)
            )

    def _safe_client(self, contract: Any) -> Any:
        """ape-safe's client of the Safe: its transaction service, or its local one on a dev chain."""
        from ape import chain
        from ape_safe.client import MockSafeClient, SafeClient  # type: ignore[import-untyped]

        chain_id = int(chain.provider.chain_id)
        if is_local_chain(chain_id):
            return MockSafeClient(contract=contract)
        return SafeClient(address=self.safe, chain_id=chain_id)

    def check_safe(self) -> None:
        """The Safe exists here and the sender is one of its owners (who signs the proposals)."""
        if not self.safe:
            return
        contract, _ = self._safe_contract()
        owners = [str(o) for o in contract.getOwners()]
        if str(self.sender.address) not in owners:
            raise UserError(
                f"{self.sender.address} is not an owner of the Safe {self.safe}: it cannot propose"
            )

    def carry_out(self, plan: Plan, dry_run: bool, estimate: bool = True) -> Outcome:
        """Dry run, proposal to the Safe (of the plan, or of its timelock operation), or sending, as
        the admin was built for. `estimate=False`: a dry run shows the calls without estimating
        them (they depend on something the command does first, e.g. deploying an implementation)."""
        if self.via_timelock:
            from tokenized_stocks.client.timelock import schedule

            return schedule(self, plan, dry_run, estimate)
        if dry_run:
            return self.estimate(plan) if estimate else self.unestimated(plan)
        if self.safe:
            return self.propose(plan)
        return self.send(plan)


def _camel(constant: str) -> str:
    """`OFF_RAMP_TIMEOUT` -> `offRampTimeout`: a bound's name to its value's getter."""
    first, *rest = constant.lower().split("_")
    return first + "".join(word.capitalize() for word in rest)


def _erc20() -> Any:
    """A container of the ERC-20 functions (the part of a shipped token ABI that every ERC-20 has)."""
    from ape.contracts import ContractContainer
    from ethpm_types import ContractType

    abi = [e for e in load_abi("TrackerCertificate") if e.get("name") in ERC20_FUNCTIONS]
    return ContractContainer(ContractType.model_validate({"contractName": "ERC20", "abi": abi}))


__all__ = ["Admin", "Call", "Outcome", "PartlySent", "Plan", "parse_expiry", "parse_ratio"]
