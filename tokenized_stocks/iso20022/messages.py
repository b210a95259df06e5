"""The seven ISO 20022 messages the suite exchanges with the traditional side, as typed values.

Each value maps to the element tree of its message (`to_tree`) and back (`from_tree`); `codec`
builds the generated `python-iso20022` class from the tree, serialises it with its namespace and
parses it back. Every message names the security by ISIN and ISO 24165 DTI.

| value                          | message  | direction                                          |
|--------------------------------|----------|----------------------------------------------------|
| `SettlementInstruction`        | sese.023 | chain -> register (off-ramp), register -> chain (on-ramp) |
| `SettlementStatus`             | sese.024 | register -> chain: rejected (fails the off-ramp); chain -> register: on-ramp refused, late off-ramp expired |
| `SettlementConfirmation`       | sese.025 | register -> chain (confirms an off-ramp), chain -> register (settled on-ramp) |
| `CorporateActionNotification`  | seev.031 | issuer -> register and chains: split, reverse split, cash dividend |
| `CorporateActionMovement`      | seev.036 | per account: the movement a corporate action booked |
| `HoldingsStatement`            | semt.002 | register -> reconciler: holdings per account and ISIN |
| `CashCreditNotification`       | camt.054 | cash agent's bank -> chain: the payment that releases a hybrid DvP |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.identifiers import check_account, check_dti, check_isin
from tokenized_stocks.iso20022.typed import Tree, at

DTI_SOURCE = "DTI"
MOVEMENT_TYPE = "OWNE"  # external account transfer: between the chain and the register
EVENT_STATUS = {"EvtCmpltnsSts": "COMP", "EvtConfSts": "CONF"}
#: A sese.023 names the corporate-action epoch its quantity is measured at: `EPOCH-<n>`.
EPOCH_PREFIX = "EPOCH-"


class Movement(StrEnum):
    """`ReceiveDelivery1Code`: the account named in the message receives or delivers."""

    RECEIVE = "RECE"
    DELIVER = "DELI"


class Status(StrEnum):
    """What a sese.024 reports about an instruction."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"


class EventKind(StrEnum):
    """Corporate action event types (`CorporateActionEventType` codes) the suite applies."""

    SPLIT = "SPLF"
    REVERSE_SPLIT = "SPLR"
    CASH_DIVIDEND = "DVCA"


def _security(isin: str, dti: str) -> Tree:
    return {"ISIN": check_isin(isin), "OthrId": [{"Id": check_dti(dti), "Tp": {"Prtry": DTI_SOURCE}}]}


def _read_security(node: Tree) -> tuple[str, str]:
    isin = check_isin(str(at(node, "ISIN")))
    dtis = [o["Id"] for o in node.get("OthrId", []) if o.get("Tp", {}).get("Prtry") == DTI_SOURCE]
    if len(dtis) != 1:
        raise MessageRefused(f"the security {isin} must carry exactly one DTI, found {len(dtis)}")
    return isin, check_dti(dtis[0])


def _units(quantity: Decimal) -> Tree:
    if quantity < 0:
        raise MessageRefused(f"a quantity is not negative, got {quantity}")
    return {"Qty": {"Unit": quantity}}


def _read_units(node: Tree, path: str) -> Decimal:
    return Decimal(at(node, f"{path}/Qty/Unit"))


def _day(value: date) -> str:
    return value.isoformat()


def _read_day(node: Tree, path: str) -> date:
    return date.fromisoformat(str(at(node, path))[:10])


def _moment(value: datetime) -> str:
    return value.isoformat()


def _read_moment(node: Tree, path: str) -> datetime:
    return datetime.fromisoformat(str(at(node, path)).replace("Z", "+00:00"))


@dataclass(frozen=True)
class SettlementInstruction:
    """sese.023: move `quantity` shares between `account` on the register and `wallet` on chain.

    `movement` is from the register account's side: RECEIVE for an off-ramp (the register credits
    the account), DELIVER for an on-ramp (the register debits it and the chain issues to `wallet`).
    `epoch` is the asset's corporate-action epoch the quantity is measured at (the block of the
    off-ramp), carried as the corporate-action event id `EPOCH-<n>`: a split between the request
    and the booking is then applied to it, as the adapter applies it to the locked units.
    """

    KIND: ClassVar[str] = "sese.023"
    reference: str
    isin: str
    dti: str
    quantity: Decimal
    account: str
    wallet: str
    movement: Movement
    settlement_date: date
    epoch: int | None = None

    @property
    def message_id(self) -> str:
        return self.reference

    def to_tree(self) -> Tree:
        params: Tree = {"SctiesMvmntTp": self.movement.value, "Pmt": "FREE"}
        if self.epoch is not None:
            params["CorpActnEvtId"] = f"{EPOCH_PREFIX}{self.epoch}"
        return {
            "TxId": self.reference,
            "SttlmTpAndAddtlParams": params,
            "TradDtls": {"SttlmDt": {"Dt": {"Dt": _day(self.settlement_date)}}},
            "FinInstrmId": _security(self.isin, self.dti),
            "QtyAndAcctDtls": {
                "SttlmQty": _units(self.quantity),
                "SfkpgAcct": {"Id": check_account(self.account)},
                "BlckChainAdrOrWllt": {"Id": self.wallet},
            },
            "SttlmParams": {"SctiesTxTp": {"Cd": MOVEMENT_TYPE}},
        }

    @classmethod
    def from_tree(cls, node: Tree) -> SettlementInstruction:
        isin, dti = _read_security(at(node, "FinInstrmId"))
        return cls(
            reference=str(at(node, "TxId")),
            isin=isin,
            dti=dti,
            quantity=_read_units(node, "QtyAndAcctDtls/SttlmQty"),
            account=check_account(str(at(node, "QtyAndAcctDtls/SfkpgAcct/Id"))),
            wallet=str(at(node, "QtyAndAcctDtls/BlckChainAdrOrWllt/Id")),
            movement=Movement(at(node, "SttlmTpAndAddtlParams/SctiesMvmntTp")),
            settlement_date=_read_day(node, "TradDtls/SttlmDt/Dt/Dt"),
            epoch=_read_epoch(str(at(node, "SttlmTpAndAddtlParams/CorpActnEvtId", ""))),
        )


def _read_epoch(text: str) -> int | None:
    if not text:
        return None
    if not text.startswith(EPOCH_PREFIX) or not text[len(EPOCH_PREFIX) :].isdigit():
        raise MessageRefused(f"corporate-action reference {text!r} is not {EPOCH_PREFIX}<n>")
    return int(text[len(EPOCH_PREFIX) :])


@dataclass(frozen=True)
class SettlementStatus:
    """sese.024: the register's status of the instruction `reference` (its own id `register_reference`).

    A REJECTED status fails the off-ramp on chain (the holder's tokens go back); `reason` is the
    register's reason, at most 32 characters (it becomes the contract's `bytes32` reason)."""

    KIND: ClassVar[str] = "sese.024"
    reference: str
    register_reference: str
    isin: str
    dti: str
    quantity: Decimal
    account: str
    movement: Movement
    settlement_date: date
    status: Status
    reason: str = ""

    @property
    def message_id(self) -> str:
        return f"{self.register_reference}:{self.status.value}"

    def to_tree(self) -> Tree:
        if self.status is Status.REJECTED:
            if not 0 < len(self.reason) <= 32:
                raise MessageRefused("a rejection carries a reason of 1-32 characters")
            status: Tree = {"Rjctd": {"Rsn": [{"Cd": {"Prtry": {"Id": self.reason, "Issr": "REGISTER"}}}]}}
        else:
            status = {"AckdAccptd": {"NoSpcfdRsn": "NORE"}}
        return {
            "TxId": {"AcctOwnrTxId": self.reference, "AcctSvcrTxId": self.register_reference},
            "PrcgSts": status,
            "TxDtls": {
                "SfkpgAcct": {"Id": check_account(self.account)},
                "FinInstrmId": _security(self.isin, self.dti),
                "SttlmQty": _units(self.quantity),
                "SttlmDt": {"Dt": {"Dt": _day(self.settlement_date)}},
                "SctiesMvmntTp": self.movement.value,
                "Pmt": "FREE",
                "SttlmParams": {"SctiesTxTp": {"Cd": MOVEMENT_TYPE}},
            },
        }

    @classmethod
    def from_tree(cls, node: Tree) -> SettlementStatus:
        isin, dti = _read_security(at(node, "TxDtls/FinInstrmId"))
        status = at(node, "PrcgSts")
        if "Rjctd" in status:
            kind, reason = Status.REJECTED, str(at(status, "Rjctd/Rsn/Cd/Prtry/Id"))
        elif "AckdAccptd" in status:
            kind, reason = Status.ACCEPTED, ""
        else:
            raise MessageRefused(f"unsupported processing status {sorted(status)}")
        return cls(
            reference=str(at(node, "TxId/AcctOwnrTxId")),
            register_reference=str(at(node, "TxId/AcctSvcrTxId")),
            isin=isin,
            dti=dti,
            quantity=_read_units(node, "TxDtls/SttlmQty"),
            account=check_account(str(at(node, "TxDtls/SfkpgAcct/Id"))),
            movement=Movement(at(node, "TxDtls/SctiesMvmntTp")),
            settlement_date=_read_day(node, "TxDtls/SttlmDt/Dt/Dt"),
            status=kind,
            reason=reason,
        )


@dataclass(frozen=True)
class SettlementConfirmation:
    """sese.025: the instruction `reference` settled; `register_reference` is the booking (used
    once on chain)."""

    KIND: ClassVar[str] = "sese.025"
    reference: str
    register_reference: str
    isin: str
    dti: str
    quantity: Decimal
    account: str
    wallet: str
    movement: Movement
    settlement_date: date

    @property
    def message_id(self) -> str:
        return self.register_reference

    def to_tree(self) -> Tree:
        return {
            "TxIdDtls": {
                "AcctOwnrTxId": self.reference,
                "AcctSvcrTxId": self.register_reference,
                "SctiesMvmntTp": self.movement.value,
                "Pmt": "FREE",
            },
            "TradDtls": {"FctvSttlmDt": {"Dt": {"Dt": _day(self.settlement_date)}}},
            "FinInstrmId": _security(self.isin, self.dti),
            "QtyAndAcctDtls": {
                "SttldQty": _units(self.quantity),
                "SfkpgAcct": {"Id": check_account(self.account)},
                "BlckChainAdrOrWllt": {"Id": self.wallet},
            },
            "SttlmParams": {"SctiesTxTp": {"Cd": MOVEMENT_TYPE}},
        }

    @classmethod
    def from_tree(cls, node: Tree) -> SettlementConfirmation:
        isin, dti = _read_security(at(node, "FinInstrmId"))
        return cls(
            reference=str(at(node, "TxIdDtls/AcctOwnrTxId")),
            register_reference=str(at(node, "TxIdDtls/AcctSvcrTxId")),
            isin=isin,
            dti=dti,
            quantity=_read_units(node, "QtyAndAcctDtls/SttldQty"),
            account=check_account(str(at(node, "QtyAndAcctDtls/SfkpgAcct/Id"))),
            wallet=str(at(node, "QtyAndAcctDtls/BlckChainAdrOrWllt/Id")),
            movement=Movement(at(node, "TxIdDtls/SctiesMvmntTp")),
            settlement_date=_read_day(node, "TradDtls/FctvSttlmDt/Dt/Dt"),
        )


@dataclass(frozen=True)
class CorporateActionNotification:
    """seev.031: a mandatory corporate action on the security, for all accounts.

    `epoch` is the token's corporate-action epoch the event opened on chain (a split's new epoch, a
    dividend's record epoch), carried as the official event id `EPOCH-<n>`: the register numbers
    its epochs as the chain does, so a sese.023 naming an epoch means the same thing on both.

    A split or reverse split gives `new_shares` for every `old_shares` (2:1 split: 2 for 1; 1:3
    reverse split: 1 for 3); a cash dividend pays `dividend_per_share` in `currency` to the
    holders at `record_date`."""

    KIND: ClassVar[str] = "seev.031"
    event_id: str
    kind: EventKind
    isin: str
    dti: str
    record_date: date
    new_shares: int = 1
    old_shares: int = 1
    dividend_per_share: Decimal = Decimal(0)
    currency: str = "USD"
    epoch: int | None = None

    @property
    def message_id(self) -> str:
        return self.event_id

    def to_tree(self) -> Tree:
        option: Tree = {
            "OptnNb": "001",
            "OptnTp": {"Cd": "CASH" if self._cash else "SECU"},
            "DfltPrcgOrStgInstr": {"DfltOptnInd": True},
        }
        if self._cash:
            option["RateAndAmtDtls"] = {
                "GrssDvddRate": [{"Amt": {"value": self.dividend_per_share, "Ccy": self.currency}}]
            }
        else:
            if self.new_shares <= 0 or self.old_shares <= 0:
                raise MessageRefused("a split ratio is two positive whole numbers")
            option["SctiesMvmntDtls"] = [
                {
                    "SctyDtls": {"FinInstrmId": _security(self.isin, self.dti)},
                    "CdtDbtInd": "CRDT",
                    "RateDtls": {
                        "NewToOd": {
                            "QtyToQty": {"Qty1": Decimal(self.new_shares), "Qty2": Decimal(self.old_shares)}
                        }
                    },
                }
            ]
        return {
            "NtfctnGnlInf": {"NtfctnTp": "NEWM", "PrcgSts": {"Cd": EVENT_STATUS}},
            "CorpActnGnlInf": {
                "CorpActnEvtId": self.event_id,
                **({} if self.epoch is None else {"OffclCorpActnEvtId": f"{EPOCH_PREFIX}{self.epoch}"}),
                "EvtTp": {"Cd": self.kind.value},
                "MndtryVlntryEvtTp": {"Cd": "MAND"},
                "UndrlygScty": {"FinInstrmId": _security(self.isin, self.dti)},
            },
            "AcctDtls": {"ForAllAccts": {"IdCd": "GENR"}},
            "CorpActnDtls": {"DtDtls": {"RcrdDt": {"Dt": _day(self.record_date)}}},
            "CorpActnOptnDtls": [option],
        }

    @property
    def _cash(self) -> bool:
        return self.kind is EventKind.CASH_DIVIDEND

    @classmethod
    def from_tree(cls, node: Tree) -> CorporateActionNotification:
        isin, dti = _read_security(at(node, "CorpActnGnlInf/UndrlygScty/FinInstrmId"))
        kind = EventKind(at(node, "CorpActnGnlInf/EvtTp/Cd"))
        option = at(node, "CorpActnOptnDtls")[0]
        base: dict[str, Any] = {
            "event_id": str(at(node, "CorpActnGnlInf/CorpActnEvtId")),
            "kind": kind,
            "isin": isin,
            "dti": dti,
            "record_date": _read_day(node, "CorpActnDtls/DtDtls/RcrdDt/Dt"),
            "epoch": _read_epoch(str(at(node, "CorpActnGnlInf/OffclCorpActnEvtId", ""))),
        }
        if kind is EventKind.CASH_DIVIDEND:
            rate = at(option, "RateAndAmtDtls/GrssDvddRate/Amt")
            return cls(**base, dividend_per_share=Decimal(rate["value"]), currency=str(rate["Ccy"]))
        ratio = at(option, "SctiesMvmntDtls/RateDtls/NewToOd/QtyToQty")
        return cls(**base, new_shares=int(Decimal(ratio["Qty1"])), old_shares=int(Decimal(ratio["Qty2"])))


@dataclass(frozen=True)
class CorporateActionMovement:
    """seev.036: what the corporate action `event_id` booked on `account`: its balance before
    (`balance`), the securities credited or debited (`securities_posted`, signed) and the cash
    credited (`cash_posted` in `currency`)."""

    KIND: ClassVar[str] = "seev.036"
    event_id: str
    kind: EventKind
    isin: str
    dti: str
    account: str
    balance: Decimal
    posting_date: date
    securities_posted: Decimal = Decimal(0)
    cash_posted: Decimal = Decimal(0)
    currency: str = "USD"

    @property
    def message_id(self) -> str:
        return f"{self.event_id}:{self.account}"

    def to_tree(self) -> Tree:
        option: Tree = {"OptnNb": {"Nb": "001"}}
        posting = {"PstngDt": {"Dt": _day(self.posting_date)}}
        if self.kind is EventKind.CASH_DIVIDEND:
            option["OptnTp"] = {"Cd": "CASH"}
            option["CshMvmntDtls"] = [
                {
                    "CdtDbtInd": "CRDT",
                    "AmtDtls": {"PstngAmt": {"value": self.cash_posted, "Ccy": self.currency}},
                    "DtDtls": posting,
                }
            ]
        else:
            option["OptnTp"] = {"Cd": "SECU"}
            option["SctiesMvmntDtls"] = [
                {
                    "FinInstrmId": _security(self.isin, self.dti),
                    "CdtDbtInd": "CRDT" if self.securities_posted >= 0 else "DBIT",
                    "PstngQty": _units(abs(self.securities_posted)),
                    "DtDtls": posting,
                }
            ]
        return {
            "MvmntConfId": self.message_id[:35],
            "CorpActnGnlInf": {
                "CorpActnEvtId": self.event_id,
                "EvtTp": {"Cd": self.kind.value},
                "FinInstrmId": _security(self.isin, self.dti),
            },
            "AcctDtls": {
                "SfkpgAcct": check_account(self.account),
                "Bal": {"ConfdBal": {"Bal": {"ShrtLngPos": "LONG", "QtyChc": _units(self.balance)}}},
            },
            "CorpActnConfDtls": option,
        }

    @classmethod
    def from_tree(cls, node: Tree) -> CorporateActionMovement:
        isin, dti = _read_security(at(node, "CorpActnGnlInf/FinInstrmId"))
        kind = EventKind(at(node, "CorpActnGnlInf/EvtTp/Cd"))
        option = at(node, "CorpActnConfDtls")
        base: dict[str, Any] = {
            "event_id": str(at(node, "CorpActnGnlInf/CorpActnEvtId")),
            "kind": kind,
            "isin": isin,
            "dti": dti,
            "account": check_account(str(at(node, "AcctDtls/SfkpgAcct"))),
            "balance": _read_units(node, "AcctDtls/Bal/ConfdBal/Bal/QtyChc"),
        }
        if kind is EventKind.CASH_DIVIDEND:
            cash = at(option, "CshMvmntDtls")[0]
            return cls(
                **base,
                posting_date=_read_day(cash, "DtDtls/PstngDt/Dt"),
                cash_posted=Decimal(at(cash, "AmtDtls/PstngAmt/value")),
                currency=str(at(cash, "AmtDtls/PstngAmt/Ccy")),
            )
        move = at(option, "SctiesMvmntDtls")[0]
        sign = -1 if at(move, "CdtDbtInd") == "DBIT" else 1
        return cls(
            **base,
            posting_date=_read_day(move, "DtDtls/PstngDt/Dt"),
            securities_posted=sign * _read_units(move, "PstngQty"),
        )


@dataclass(frozen=True)
class Holding:
    """One line of a statement: `quantity` shares of `isin` on `account`."""

    account: str
    isin: str
    dti: str
    quantity: Decimal


@dataclass(frozen=True)
class HoldingsStatement:
    """semt.002: the holdings of every account of `safekeeping_account` (the register) at `as_of`."""

    KIND: ClassVar[str] = "semt.002"
    statement_id: str
    safekeeping_account: str
    as_of: datetime
    holdings: tuple[Holding, ...] = field(default_factory=tuple)

    @property
    def message_id(self) -> str:
        return self.statement_id

    def to_tree(self) -> Tree:
        accounts: dict[str, list[Holding]] = {}
        for holding in self.holdings:
            accounts.setdefault(check_account(holding.account), []).append(holding)
        return {
            "Pgntn": {"PgNb": "1", "LastPgInd": True},
            "StmtGnlDtls": {
                "StmtId": self.statement_id,
                "StmtDtTm": {"DtTm": _moment(self.as_of)},
                "Frqcy": {"Cd": "ADHO"},
                "UpdTp": {"Cd": "COMP"},
                "StmtBsis": {"Cd": "SETT"},
                "ActvtyInd": True,
                "SubAcctInd": True,
            },
            "SfkpgAcct": {"Id": check_account(self.safekeeping_account)},
            "SubAcctDtls": [
                {
                    "SfkpgAcct": {"Id": account},
                    "ActvtyInd": True,
                    "BalForSubAcct": [
                        {
                            "FinInstrmId": _security(h.isin, h.dti),
                            "AggtBal": {"ShrtLngInd": "LONG", "Qty": {"Qty": _units(h.quantity)}},
                        }
                        for h in lines
                    ],
                }
                for account, lines in accounts.items()
            ],
        }

    @classmethod
    def from_tree(cls, node: Tree) -> HoldingsStatement:
        holdings = []
        for sub in node.get("SubAcctDtls", []):
            account = check_account(str(at(sub, "SfkpgAcct/Id")))
            for line in sub.get("BalForSubAcct", []):
                isin, dti = _read_security(at(line, "FinInstrmId"))
                holdings.append(Holding(account, isin, dti, _read_units(line, "AggtBal/Qty/Qty")))
        return cls(
            statement_id=str(at(node, "StmtGnlDtls/StmtId")),
            safekeeping_account=check_account(str(at(node, "SfkpgAcct/Id"))),
            as_of=_read_moment(node, "StmtGnlDtls/StmtDtTm/DtTm"),
            holdings=tuple(holdings),
        )


@dataclass(frozen=True)
class CashCreditNotification:
    """camt.054: the cash agent's bank reports `amount` `currency` credited to `cash_account` for
    the hybrid DvP trade `trade_key` of security `isin`/`dti`.

    `payment_reference` (the end-to-end id) and `deadline` (unix seconds) are the payment
    confirmation's; `signature` is the cash agent's EIP-712 signature of it (`cash.py`), carried
    in the transaction's additional information. `amount` is in the currency's major unit."""

    KIND: ClassVar[str] = "camt.054"
    message_id: str
    created: datetime
    cash_account: str
    amount: Decimal
    currency: str
    payment_reference: str
    trade_key: str
    isin: str
    dti: str
    deadline: int
    signature: str = ""

    def to_tree(self) -> Tree:
        remittance = [
            f"ISIN/{check_isin(self.isin)}",
            f"DTI/{check_dti(self.dti)}",
            f"TRADE/{self.trade_key}",
        ]
        details: Tree = {
            "Refs": {"EndToEndId": self.payment_reference},
            "RmtInf": {"Ustrd": remittance + [f"EXPIRY/{self.deadline}"]},
        }
        if self.signature:
            details["AddtlTxInf"] = f"SIG/{self.signature}"
        return {
            "GrpHdr": {"MsgId": self.message_id, "CreDtTm": _moment(self.created)},
            "Ntfctn": [
                {
                    "Id": self.message_id,
                    "Acct": {"Id": {"Othr": {"Id": self.cash_account}}, "Ccy": self.currency},
                    "Ntry": [
                        {
                            "Amt": {"value": self.amount, "Ccy": self.currency},
                            "CdtDbtInd": "CRDT",
                            "Sts": {"Cd": "BOOK"},
                            "BkTxCd": {"Prtry": {"Cd": "DVPCASH"}},
                            "NtryDtls": [{"TxDtls": [details]}],
                        }
                    ],
                }
            ],
        }

    @classmethod
    def from_tree(cls, node: Tree) -> CashCreditNotification:
        entry = at(node, "Ntfctn/Ntry")[0]
        if at(entry, "CdtDbtInd") != "CRDT":
            raise MessageRefused("the cash notification is not a credit")
        tx = at(entry, "NtryDtls/TxDtls")[0]
        tags = dict(item.split("/", 1) for item in at(tx, "RmtInf/Ustrd") if "/" in item)
        signature = str(tx.get("AddtlTxInf", ""))
        missing = [t for t in ("ISIN", "DTI", "TRADE", "EXPIRY") if t not in tags]
        if missing:
            raise MessageRefused(
                f"the cash notification lacks {', '.join(missing)} in its remittance information"
            )
        return cls(
            message_id=str(at(node, "GrpHdr/MsgId")),
            created=_read_moment(node, "GrpHdr/CreDtTm"),
            cash_account=str(at(node, "Ntfctn/Acct/Id/Othr/Id")),
            amount=Decimal(at(entry, "Amt/value")),
            currency=str(at(entry, "Amt/Ccy")),
            payment_reference=str(at(tx, "Refs/EndToEndId")),
            trade_key=tags["TRADE"],
            isin=check_isin(tags["ISIN"]),
            dti=check_dti(tags["DTI"]),
            deadline=int(tags["EXPIRY"]),
            signature=signature.removeprefix("SIG/") if signature.startswith("SIG/") else "",
        )


Message = (
    SettlementInstruction
    | SettlementStatus
    | SettlementConfirmation
    | CorporateActionNotification
    | CorporateActionMovement
    | HoldingsStatement
    | CashCreditNotification
)
