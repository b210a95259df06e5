"""Chain against register: the adapter's book of what went to the register, per ISIN and account,
compared with the register's own statement of holdings (semt.002).

On chain, the `TraditionalLedgerAdapter` records every move to and from the register in units:
a settled off-ramp credits its account reference, an on-ramp debits it (`OffRampSettled`,
`OnRampSettled`); pending off-ramps are in flight (locked on chain, not yet on the register);
the inventory is the on-chain image of every share on the register. `RegisterLedger` is that book
for one asset on one chain; `compare` checks it against the statement:

- per account: the statement's quantity == the account's units at the asset's multiplier (rounded
  down like `balanceOf`), for every account either side names;
- per ISIN: the statement's total == the inventory's tokens, within the per-account rounding
  (one wei per account), and the inventory == the accounts' units + pre-funded units;
- identity: the statement's DTI is the token's.

Every difference is a `Finding` (severity "break") naming the ISIN, the account and both numbers.

Movements in transit between the two books (docs/iso20022.md, "Reconciling while instructions are
in transit") are told apart from breaks. The sources of truth for "pending" are the adapter's state
for off-ramps (`PendingOffRamp`: requested, neither settled, failed nor expired, with its deadline)
and the register's instruction log for on-ramps (`RegisterMove`: debited into a pending delivery,
with the deadline the register gave the chain); each side's book is corrected by what the other has
not booked yet, and each such movement is reported with severity "in transit" (its id and age):

- an on-ramp the register debited and no chain issued yet: the chain still counts the units in the
  account; past its deadline it is a break;
- an on-ramp a chain issued (`OnRampSettled` naming the register's reference) whose confirmation
  the register has not booked yet: both sides debited, in transit until the register books it;
- an off-ramp locked on chain: in transit, counted on the register's side only once the register
  credited it (its confirmation not yet applied on chain); past its deadline it is a break (the
  bridge expires it and the register reverses the credit).

With the instruction log, a chain issue no register debit explains (or whose position the
register released), a delivery the register booked that no chain issued, and a credit for an
off-ramp the chain failed or expired are breaks naming the instruction. A semt.002 statement alone carries no instruction log:
on-ramps in transit then show as position breaks; give the register's book instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from tokenized_stocks.iso20022.identifiers import amount
from tokenized_stocks.iso20022.messages import HoldingsStatement
from tokenized_stocks.protocol.multiplier import to_tokens_down
from tokenized_stocks.reconcile.model import Finding

REGISTER_CHAIN = 0  # findings about the register itself carry chain id 0
IN_TRANSIT = "in transit"  # a finding's severity: a movement between the books, not a difference
DELIVER, RECEIVE = "DELI", "RECE"  # the register account's side of a movement (sese.023)
PENDING, SETTLED, REJECTED = "pending", "settled", "rejected"  # register statuses (`register.book`)


@dataclass(frozen=True)
class PendingOffRamp:
    """An off-ramp the adapter holds pending: locked on chain, neither settled, failed nor expired."""

    instruction_id: str  # 0x-hex bytes32
    reference: str  # its ISO transaction id (the register's key for it)
    account: str
    units: int
    requested_at: int  # block timestamp of the request
    deadline: int  # the adapter's deadline (unix seconds)


@dataclass(frozen=True)
class RegisterMove:
    """One instruction of the register's log: an off-ramp it booked (RECE) or an on-ramp it sent
    (DELI), with its status, units (the register's) and when it was booked."""

    reference: str
    isin: str
    account: str
    movement: str
    status: str
    units: int
    booked_at: int | None = None  # unix seconds (None: booked before the register kept it)
    deadline: int | None = None  # on-ramps: when the chain should have issued it
    reason: str = ""  # why it was rejected or reversed


@dataclass
class RegisterLedger:
    """What the chain says about one asset's shares on the register."""

    key: str
    chain_id: int
    isin: str
    dti: str
    multiplier: int
    inventory_units: int
    pending_units: int
    funded_units: int = 0
    accounts: dict[str, int] = field(default_factory=dict)  # account reference -> units
    pending_off_ramps: list[PendingOffRamp] = field(default_factory=list)
    issued: dict[str, str] = field(default_factory=dict)  # on-ramp register reference -> instruction id
    # off-ramps that gave the tokens back: ISO reference -> (instruction id, "failed" | "expired")
    returned: dict[str, tuple[str, str]] = field(default_factory=dict)
    chain_time: int = 0  # the head block's timestamp when read

    def tokens(self, units: int) -> int:
        return to_tokens_down(units, self.multiplier)


def compare(
    ledgers: list[RegisterLedger],
    statement: HoldingsStatement,
    moves: list[RegisterMove] | None = None,
    now: int = 0,
) -> list[Finding]:
    """Every difference between the chains' ledgers and the register's statement, and every
    movement in transit between them. `moves` is the register's instruction log (None: only a
    statement was given); `now` the register's clock (unix seconds) for on-ramp ages."""
    findings: list[Finding] = []
    held: dict[str, dict[str, int]] = {}
    dtis: dict[str, set[str]] = {}
    for holding in statement.holdings:
        accounts = held.setdefault(holding.isin, {})
        accounts[holding.account] = accounts.get(holding.account, 0) + amount(Decimal(holding.quantity))
        dtis.setdefault(holding.isin, set()).add(holding.dti)
    by_isin: dict[str, list[RegisterLedger]] = {}
    for ledger in ledgers:
        by_isin.setdefault(ledger.isin, []).append(ledger)
    for isin in sorted(set(held) - set(by_isin)):
        findings.append(
            Finding(
                isin, REGISTER_CHAIN, "register", "break", f"the register holds {isin}, no chain lists it"
            )
        )
    for isin, group in sorted(by_isin.items()):
        mine = None if moves is None else [move for move in moves if move.isin == isin]
        transit = _in_transit(group, mine, now)
        findings.extend(transit.findings)
        findings.extend(_compare_isin(group, held.get(isin, {}), dtis.get(isin, set()), transit))
    return findings


@dataclass
class _Transit:
    """The in-transit findings of one ISIN and the units each chain's book is corrected by, per
    account (what the register booked and the chain not yet: negative for an on-ramp)."""

    name: str
    isin: str
    findings: list[Finding] = field(default_factory=list)
    units: dict[tuple[int, str], int] = field(default_factory=dict)  # (ledger index, account) -> units

    def add(self, index: int, account: str, units: int) -> None:
        self.units[(index, account)] = self.units.get((index, account), 0) + units

    def report(self, chain_id: int, check: str, late: bool, detail: str) -> None:
        """A movement in transit, or a break when `late` (or wrong)."""
        self.findings.append(Finding(self.name, chain_id, check, "break" if late else IN_TRANSIT, detail))


def _in_transit(group: list[RegisterLedger], moves: list[RegisterMove] | None, now: int) -> _Transit:
    transit = _Transit(group[0].key, group[0].isin)
    booked = {move.reference: move for move in moves or []}
    for index, ledger in enumerate(group):
        _off_ramps(transit, index, ledger, booked)
        if moves is not None:
            _issued_on_chain(transit, ledger, booked)
    _on_ramps(transit, group, moves or [], now)
    return transit


def _off_ramps(
    transit: _Transit, index: int, ledger: RegisterLedger, booked: dict[str, RegisterMove]
) -> None:
    """Off-ramps the adapter holds pending (in transit, late past their deadline), and credits the
    register still holds for off-ramps the chain failed or expired (breaks)."""
    for off in ledger.pending_off_ramps:
        move = booked.get(off.reference)
        status = "" if move is None or move.movement != RECEIVE else move.status
        if status == SETTLED:
            transit.add(index, off.account, off.units)
        where = {
            SETTLED: "credited on the register, awaiting its confirmation on chain",
            REJECTED: "rejected by the register, awaiting its failure on chain",
        }.get(status, "locked on chain, not yet credited on the register")
        late = ledger.chain_time > off.deadline
        detail = (
            f"{transit.isin} off-ramp {off.reference} ({off.instruction_id}) of "
            f"{_shares(ledger.tokens(off.units))} shares to {off.account}: {where}, for "
            f"{_age(ledger.chain_time - off.requested_at)}"
        )
        if late:
            detail += f", past its deadline {_iso(off.deadline)}: expire it (`ape run register bridge` does)"
        transit.report(ledger.chain_id, "register off-ramp", late, detail)
    for ref, (instruction_id, outcome) in sorted(ledger.returned.items()):
        move = booked.get(ref)
        if move is not None and move.movement == RECEIVE and move.status == SETTLED:
            transit.add(index, move.account, move.units)  # named here, not again as a position
            transit.report(
                ledger.chain_id,
                "register off-ramp",
                True,
                f"{transit.isin} off-ramp {ref} ({instruction_id}) {outcome} on chain (the tokens went back to "
                f"the holder) and is credited to {move.account} on the register: the register must reverse it",
            )


def _issued_on_chain(transit: _Transit, ledger: RegisterLedger, booked: dict[str, RegisterMove]) -> None:
    """On-ramps a chain issued that the register's log does not show debited (breaks)."""
    for ref, instruction_id in sorted(ledger.issued.items()):
        move = booked.get(ref)
        if move is None or move.movement != DELIVER:
            transit.report(
                ledger.chain_id,
                "register on-ramp",
                True,
                f"{transit.isin} on-ramp {instruction_id} issued on chain for register reference {ref}, "
                "which the register never debited",
            )
        elif move.status == REJECTED:
            transit.report(
                ledger.chain_id,
                "register on-ramp",
                True,
                f"{transit.isin} on-ramp {ref} issued on chain ({instruction_id}), and the register released "
                f"the position (rejected: {move.reason or 'no reason'})",
            )


def _on_ramps(transit: _Transit, group: list[RegisterLedger], moves: list[RegisterMove], now: int) -> None:
    """On-ramps the register sent: pending ones are in transit (late past their deadline); one the
    register booked delivered must have been issued by a chain."""
    issued = {ref for ledger in group for ref in ledger.issued}
    for move in moves:
        if move.movement != DELIVER or move.status not in (PENDING, SETTLED):
            continue
        age = "" if move.booked_at is None else f" for {_age(now - move.booked_at)}"
        what = f"{transit.isin} on-ramp {move.reference} of {_shares(group[0].tokens(move.units))} shares"
        if move.status == SETTLED:
            if move.reference not in issued:
                transit.report(
                    REGISTER_CHAIN,
                    "register on-ramp",
                    True,
                    f"{what} from {move.account} is delivered on the register, and no chain issued it",
                )
            continue
        if move.reference in issued:
            transit.report(
                REGISTER_CHAIN,
                "register on-ramp",
                False,
                f"{what} from {move.account}: issued on chain, its confirmation not yet booked on the register{age}",
            )
            continue
        # the chain whose book holds the account (the on-ramp is not yet any chain's)
        holder = max(range(len(group)), key=lambda i: group[i].accounts.get(move.account, 0))
        transit.add(holder, move.account, -move.units)
        late = move.deadline is not None and now > move.deadline
        detail = f"{what} from {move.account}: debited on the register, not yet issued on chain{age}"
        if late and move.deadline is not None:
            detail += f", past its deadline {_iso(move.deadline)}: is the bridge running?"
        transit.report(REGISTER_CHAIN, "register on-ramp", late, detail)


def _compare_isin(
    group: list[RegisterLedger], held: dict[str, int], dtis: set[str], transit: _Transit
) -> list[Finding]:
    findings: list[Finding] = []
    first = group[0]
    name = first.key
    for dti in sorted(dtis - {first.dti}):
        findings.append(
            Finding(
                name,
                REGISTER_CHAIN,
                "register identity",
                "break",
                f"statement DTI {dti}, token DTI {first.dti}",
            )
        )
    expected: dict[str, int] = {}
    for index, ledger in enumerate(group):
        booked = sum(ledger.accounts.values()) + ledger.funded_units
        if booked != ledger.inventory_units:
            findings.append(
                Finding(
                    name,
                    ledger.chain_id,
                    "register inventory",
                    "break",
                    f"inventory {ledger.inventory_units} units, settled moves to the register {booked}",
                )
            )
        accounts = set(ledger.accounts) | {account for (i, account) in transit.units if i == index}
        for account in accounts:
            units = ledger.accounts.get(account, 0) + transit.units.get((index, account), 0)
            expected[account] = expected.get(account, 0) + ledger.tokens(units)
    for account in sorted(set(expected) | set(held)):
        want, got = expected.get(account, 0), held.get(account, 0)
        if want != got:
            findings.append(
                Finding(
                    name,
                    REGISTER_CHAIN,
                    "register position",
                    "break",
                    f"{first.isin} account {account}: register {_shares(got)}, chain {_shares(want)} shares",
                )
            )
    on_register = sum(held.values())
    inventory = sum(
        ledger.tokens(
            ledger.inventory_units
            - ledger.funded_units
            + sum(units for (i, _account), units in transit.units.items() if i == index)
        )
        for index, ledger in enumerate(group)
    )
    if abs(on_register - inventory) > max(len(held), 1):
        findings.append(
            Finding(
                name,
                REGISTER_CHAIN,
                "register supply",
                "break",
                f"{first.isin}: register holds {_shares(on_register)}, the adapters' inventory stands for "
                f"{_shares(inventory)} shares",
            )
        )
    return findings


def in_flight(ledgers: list[RegisterLedger]) -> dict[str, int]:
    """Token amounts locked on chain for the register and not yet booked there, per ISIN."""
    out: dict[str, int] = {}
    for ledger in ledgers:
        out[ledger.isin] = out.get(ledger.isin, 0) + ledger.tokens(ledger.pending_units)
    return out


def _shares(tokens: int) -> str:
    return f"{Decimal(tokens).scaleb(-18).normalize():f}"


def _age(seconds: int) -> str:
    """A duration as people read it: `2d 3h`, `3h 5m`, `4m 10s`."""
    seconds = max(seconds, 0)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {secs}s"


def _iso(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
