"""Chain <-> register through ISO 20022 only: an off-ramp goes out as a sese.023, the register's
sese.025 confirms it on the adapter; a register debit comes back as a sese.025 and issues tokens;
a rejection fails the off-ramp; replayed or mismatched answers are refused and change nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from ape import chain
from settlement_terms import QUANTITY

from tokenized_stocks.deploy.manifest import AssetRecord, ContractRecord, Manifest
from tokenized_stocks.iso20022 import codec
from tokenized_stocks.iso20022 import messages as m
from tokenized_stocks.iso20022.errors import MessageRefused
from tokenized_stocks.iso20022.identifiers import account_bytes, shares
from tokenized_stocks.iso20022.mailbox import Mailbox
from tokenized_stocks.protocol.trade import InstructionState
from tokenized_stocks.reconcile.read import register_ledgers
from tokenized_stocks.reconcile.register import compare, in_flight
from tokenized_stocks.register.chain import LedgerBridge
from tokenized_stocks.register.config import RegisterSettings
from tokenized_stocks.register.service import RegisterService

ACCOUNT = "ACC-SELLER"


@pytest.fixture
def world(tmp_path: Path, adapter, listed, certificate, transfer_agent):
    """A register keeping the certificate's ISIN, and the transfer agent's bridge to it."""
    listed(certificate)
    settings = RegisterSettings(db=tmp_path / "book.sqlite", inbox=tmp_path / "in", outbox=tmp_path / "out")
    service = RegisterService(settings)
    service.register.store.add_security(certificate.isin(), bytes(certificate.dti()).decode())
    bridge = LedgerBridge(
        adapter, transfer_agent, Mailbox(settings.inbox), tmp_path / "bridge.sqlite", [certificate]
    )
    return service, bridge


def _off_ramp(adapter, certificate, seller, shares_: int = QUANTITY) -> bytes:
    certificate.approve(adapter, shares_, sender=seller)
    receipt = adapter.requestOffRamp(certificate, shares_, account_bytes(ACCOUNT), sender=seller)
    return receipt.events.filter(adapter.OffRampRequested)[0].instructionId


def test_an_off_ramp_is_booked_on_the_register_and_confirmed_on_chain(world, adapter, certificate, seller):
    service, bridge = world
    instruction_id = _off_ramp(adapter, certificate, seller)

    (sent,) = bridge.forward_off_ramps()
    service.run_once()
    (answer,) = service.register.outbox.files()
    outcome = bridge.apply(answer)

    instruction = codec.parse((sent.parent / "done" / sent.name).read_bytes(), m.SettlementInstruction)
    assert (instruction.quantity, instruction.account, instruction.isin) == (
        shares(QUANTITY),
        ACCOUNT,
        certificate.isin(),
    )
    assert outcome.startswith("confirmed off-ramp")
    assert adapter.instruction(instruction_id)[2] == InstructionState.SETTLED
    assert service.register.balance(certificate.isin(), ACCOUNT) == QUANTITY


def test_a_replayed_confirmation_is_refused_and_changes_nothing(world, adapter, certificate, seller):
    service, bridge = world
    _off_ramp(adapter, certificate, seller)
    bridge.forward_off_ramps()
    service.run_once()
    (answer,) = service.register.outbox.files()
    bridge.apply(answer)
    inventory = adapter.inventoryOf(certificate)

    with pytest.raises(MessageRefused, match="already processed"):
        bridge.apply(answer)
    assert adapter.inventoryOf(certificate) == inventory


@pytest.mark.parametrize(
    ("field", "value"), [("quantity", Decimal("0.5")), ("account", "ACC-MALLORY"), ("isin", "US5949181045")]
)
def test_a_confirmation_that_does_not_match_the_off_ramp_is_refused(
    world, adapter, certificate, seller, tmp_path, field, value
):
    service, bridge = world
    instruction_id = _off_ramp(adapter, certificate, seller)
    bridge.forward_off_ramps()
    service.run_once()
    (answer,) = service.register.outbox.files()
    confirmation = codec.parse(answer.read_bytes(), m.SettlementConfirmation)
    forged = Mailbox(tmp_path / "forged").write(replace(confirmation, **{field: value}))

    with pytest.raises(MessageRefused, match=f"{field} is {value}"):
        bridge.apply(forged)
    assert adapter.instruction(instruction_id)[2] == InstructionState.PENDING


def test_a_confirmation_for_an_instruction_never_sent_is_refused(world, tmp_path, certificate):
    _service, bridge = world
    stray = Mailbox(tmp_path / "stray").write(
        m.SettlementConfirmation(
            "F" * 32,
            "REG-X",
            certificate.isin(),
            bytes(certificate.dti()).decode(),
            Decimal(1),
            ACCOUNT,
            "0x" + "11" * 20,
            m.Movement.RECEIVE,
            date.today(),
        )
    )
    with pytest.raises(MessageRefused, match="never sent"):
        bridge.apply(stray)


def test_a_register_rejection_fails_the_off_ramp_and_returns_the_tokens(
    world, adapter, certificate, seller, tmp_path
):
    _service, bridge = world
    before = certificate.balanceOf(seller)
    instruction_id = _off_ramp(adapter, certificate, seller)
    (sent,) = bridge.forward_off_ramps()
    instruction = codec.parse(sent.read_bytes(), m.SettlementInstruction)
    rejection = m.SettlementStatus(
        instruction.reference,
        "REG-REJ-1",
        instruction.isin,
        instruction.dti,
        instruction.quantity,
        instruction.account,
        instruction.movement,
        instruction.settlement_date,
        m.Status.REJECTED,
        "ACCOUNT CLOSED",
    )

    outcome = bridge.apply(Mailbox(tmp_path / "rej").write(rejection))

    assert outcome == f"failed off-ramp {instruction.reference}: ACCOUNT CLOSED"
    assert adapter.instruction(instruction_id)[2] == InstructionState.FAILED
    assert certificate.balanceOf(seller) == before


def test_a_register_debit_comes_back_on_chain_from_the_inventory(world, adapter, certificate, seller, buyer):
    service, bridge = world
    _off_ramp(adapter, certificate, seller)
    bridge.forward_off_ramps()
    service.run_once()
    bridge.apply(service.register.outbox.files()[0])
    before = certificate.balanceOf(buyer)
    back = m.SettlementInstruction(
        "B" * 32,
        certificate.isin(),
        bytes(certificate.dti()).decode(),
        shares(QUANTITY // 2),
        ACCOUNT,
        str(buyer.address),
        m.Movement.DELIVER,
        date.today(),
    )
    answer = service.register.instruct(back)

    outcome = bridge.apply(answer)

    assert outcome.startswith("issued")
    assert certificate.balanceOf(buyer) == before + QUANTITY // 2
    assert service.register.balance(certificate.isin(), ACCOUNT) == QUANTITY - QUANTITY // 2


# ---------------------------------------------------------------------------------------------
# Reconciliation of the register against the adapter's book
# ---------------------------------------------------------------------------------------------


def _manifest(adapter, certificate, issuer) -> Manifest:
    def record(contract, kind: str) -> ContractRecord:
        return ContractRecord(
            address=str(contract.address), block=0, tx_hash="0x" + "00" * 32, contract_type=kind
        )

    return Manifest(
        chain_id=chain.chain_id,
        network="ethereum:local:test",
        deployer=str(issuer.address),
        contracts={
            "TraditionalLedgerAdapter": record(adapter, "TraditionalLedgerAdapter"),
            "AAPLx": record(certificate, "SettleSecurityMock"),  # the settlement tests' stand-in
        },
        assets={
            "AAPLx": AssetRecord(
                key="AAPLx",
                asset_id="0x" + bytes(certificate.assetId()).hex(),
                isin=certificate.isin(),
                ticker="AAPL",
                architecture="tracker_certificate",
                token=str(certificate.address),
                home_chain_id=int(certificate.homeChainId()),
            )
        },
    )


@pytest.fixture
def settled(world, adapter, certificate, seller):
    """One off-ramp settled on the register and confirmed on chain, a second one in flight."""
    service, bridge = world
    _off_ramp(adapter, certificate, seller)
    bridge.forward_off_ramps()
    service.run_once()
    bridge.apply(service.register.outbox.files()[0])
    _off_ramp(adapter, certificate, seller, QUANTITY // 4)
    return service


def test_the_register_statement_reconciles_with_the_adapter(settled, project, adapter, certificate, issuer):
    ledgers = register_ledgers(project, _manifest(adapter, certificate, issuer))

    assert compare(ledgers, settled.register.statement()) == []
    assert in_flight(ledgers) == {certificate.isin(): QUANTITY // 4}


def test_a_deliberately_wrong_statement_is_a_break_naming_the_account(
    settled, project, adapter, certificate, issuer
):
    statement = settled.register.statement()
    (holding,) = statement.holdings
    wrong = replace(statement, holdings=(replace(holding, quantity=holding.quantity + 1),))

    findings = compare(register_ledgers(project, _manifest(adapter, certificate, issuer)), wrong)

    assert [f.check for f in findings] == ["register position", "register supply"]
    assert f"account {ACCOUNT}: register {holding.quantity + 1}" in findings[0].detail
