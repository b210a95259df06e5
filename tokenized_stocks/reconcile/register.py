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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from tokenized_stocks.iso20022.identifiers import amount
from tokenized_stocks.iso20022.messages import HoldingsStatement
from tokenized_stocks.protocol.multiplier import to_tokens_down
from tokenized_stocks.reconcile.model import Finding

REGISTER_CHAIN = 0  # findings about the register itself carry chain id 0


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

    def tokens(self, units: int) -> int:
        return to_tokens_down(units, self.multiplier)


def compare(ledgers: list[RegisterLedger], statement: HoldingsStatement) -> list[Finding]:
    """Every difference between the chains' ledgers and the register's statement."""
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
        findings.extend(_compare_isin(group, held.get(isin, {}), dtis.get(isin, set())))
    return findings


def _compare_isin(group: list[RegisterLedger], held: dict[str, int], dtis: set[str]) -> list[Finding]:
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
    for ledger in group:
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
        for account, units in ledger.accounts.items():
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
    inventory = sum(ledger.tokens(ledger.inventory_units - ledger.funded_units) for ledger in group)
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
