"""Chain <-> register through ISO 20022 only: an off-ramp goes out as a sese.023, the register's
sese.025 confirms it on the adapter; a rejection (also of an instruction the register cannot match)
fails the off-ramp; a confirmation after the deadline is refused and the register reverses it; an
on-ramp comes from the register as a sese.023 DELIVER, issues tokens and is answered with a sese.025
(or a sese.024 that releases the position); replayed or mismatched messages change nothing."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
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
from tokenized_stocks.reconcile.register import IN_TRANSIT, RegisterMove, compare, in_flight
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


def _unmatched_world(tmp_path: Path, adapter, listed, certificate, transfer_agent, dti: str | None):
    """A register that does not keep the certificate's ISIN (`dti` None) or keeps it as another DTI."""
    listed(certificate)
    settings = RegisterSettings(db=tmp_path / "book.sqlite", inbox=tmp_path / "in", outbox=tmp_path / "out")
    service = RegisterService(settings)
    if dti is not None:
        service.register.store.add_security(certificate.isin(), dti)
    bridge = LedgerBridge(
        adapter, transfer_agent, Mailbox(settings.inbox), tmp_path / "bridge.sqlite", [certificate]
    )
    return service, bridge


@pytest.mark.parametrize(
    ("dti", "reason"), [(None, "DSEC UNKNOWN SECURITY"), ("4H95J0R2Z", "DSEC DTI MISMATCH")]
)
def test_an_off_ramp_the_register_cannot_match_is_rejected_and_the_tokens_go_back(
    tmp_path, adapter, listed, certificate, seller, transfer_agent, dti, reason
):
    service, bridge = _unmatched_world(tmp_path, adapter, listed, certificate, transfer_agent, dti)
    before = certificate.balanceOf(seller)
    instruction_id = _off_ramp(adapter, certificate, seller)
    bridge.forward_off_ramps()

    service.run_once()
    (answer,) = service.register.outbox.files()
    outcome = bridge.apply(answer)

    rejection = codec.parse(answer.read_bytes(), m.SettlementStatus)
    assert (rejection.status, rejection.reason) == (m.Status.REJECTED, reason)
    assert outcome.endswith(reason)
    assert adapter.instruction(instruction_id)[2] == InstructionState.FAILED
    assert certificate.balanceOf(seller) == before
    assert service.register.store.positions() == []


# ---------------------------------------------------------------------------------------------
# An off-ramp past its deadline
# ---------------------------------------------------------------------------------------------


def _confirmed_too_late(world, adapter, certificate, seller):
    """An off-ramp the register books and confirms only after the adapter's deadline."""
    service, bridge = world
    instruction_id = _off_ramp(adapter, certificate, seller)
    bridge.forward_off_ramps()
    service.run_once()
    (answer,) = service.register.outbox.files()
    chain.pending_timestamp = adapter.instruction(instruction_id)[3] + 1
    return instruction_id, answer


def test_a_late_confirmation_expires_the_off_ramp_is_refused_and_the_register_reverses(
    world, adapter, certificate, seller
):
    service, bridge = world
    before = certificate.balanceOf(seller)
    instruction_id, answer = _confirmed_too_late(world, adapter, certificate, seller)

    with pytest.raises(MessageRefused, match="expired on chain") as refused:
        bridge.apply(answer)

    assert "\n" not in str(refused.value)
    assert adapter.instruction(instruction_id)[2] == InstructionState.EXPIRED
    assert certificate.balanceOf(seller) == before
    assert adapter.inventoryOf(certificate) == 0
    (told,) = service.waiting()
    status = codec.parse(told.read_bytes(), m.SettlementStatus)
    assert (status.status, status.reason) == (m.Status.REJECTED, "EXPIRED ON CHAIN")
    service.run_once()
    assert service.register.balance(certificate.isin(), ACCOUNT) == 0
    assert service.register.store.instruction(status.reference).status == "reversed"


def test_a_late_confirmation_of_an_off_ramp_the_holder_expired_is_refused(
    world, adapter, certificate, seller, outsider
):
    service, bridge = world
    instruction_id, answer = _confirmed_too_late(world, adapter, certificate, seller)
    adapter.expireOffRamp(instruction_id, sender=seller)

    with pytest.raises(MessageRefused, match="expired on chain"):
        bridge.apply(answer)
    with pytest.raises(MessageRefused, match="already processed"):
        bridge.apply(answer)

    assert len(service.waiting()) == 1
    service.run_once()
    assert service.register.balance(certificate.isin(), ACCOUNT) == 0


def test_a_rejection_of_an_expired_off_ramp_changes_nothing(world, adapter, certificate, seller, tmp_path):
    _service, bridge = world
    instruction_id = _off_ramp(adapter, certificate, seller)
    (sent,) = bridge.forward_off_ramps()
    chain.pending_timestamp = adapter.instruction(instruction_id)[3] + 1
    adapter.expireOffRamp(instruction_id, sender=seller)
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

    assert "already expired" in outcome
    assert adapter.instruction(instruction_id)[2] == InstructionState.EXPIRED


def _expiries(adapter, since: int) -> list:
    return list(adapter.OffRampExpired.range(since, chain.blocks.head.number + 1))


def _overdue(world, adapter, certificate, seller) -> tuple[bytes, str, int]:
    """An off-ramp the bridge sent, now past its deadline; its id, ISO reference and first block."""
    _service, bridge = world
    since = chain.blocks.head.number + 1
    instruction_id = _off_ramp(adapter, certificate, seller)
    bridge.forward_off_ramps()
    chain.pending_timestamp = adapter.instruction(instruction_id)[3] + 1
    return instruction_id, bytes(instruction_id)[:16].hex().upper(), since


def _told(service) -> list[m.SettlementStatus]:
    return [
        codec.parse(path.read_bytes(), m.SettlementStatus)
        for path in service.waiting()
        if codec.kind_of(path.read_bytes()) is m.SettlementStatus
    ]


def test_an_off_ramp_before_its_deadline_is_not_expired(world, adapter, certificate, seller):
    service, bridge = world
    instruction_id = _off_ramp(adapter, certificate, seller)
    bridge.forward_off_ramps()
    chain.pending_timestamp = adapter.instruction(instruction_id)[3]  # the last second it may settle

    assert bridge.expire_overdue() == []
    assert adapter.instruction(instruction_id)[2] == InstructionState.PENDING
    assert _told(service) == []


def test_an_overdue_off_ramp_is_expired_by_the_bridge_and_the_register_told(
    world, adapter, certificate, seller
):
    service, bridge = world
    before = certificate.balanceOf(seller)
    instruction_id, ref, since = _overdue(world, adapter, certificate, seller)

    (expiry,) = bridge.expire_overdue()

    assert (expiry.reference, expiry.done) == (ref, True)
    line = expiry.line
    assert line.startswith(f"expired off-ramp {ref} (deadline ")
    assert f"{shares(QUANTITY)} shares back to {seller.address}" in line
    assert _expiries(adapter, since)[0].instructionId == instruction_id
    assert certificate.balanceOf(seller) == before
    (status,) = _told(service)
    assert (status.reference, status.status, status.reason) == (ref, m.Status.REJECTED, "EXPIRED ON CHAIN")


def test_an_overdue_off_ramp_is_expired_once_however_often_the_bridge_passes(
    world, adapter, certificate, seller
):
    service, bridge = world
    _id, _ref, since = _overdue(world, adapter, certificate, seller)

    bridge.expire_overdue()
    bridge.forward_off_ramps()  # reads its own OffRampExpired
    again = bridge.expire_overdue()

    assert again == []
    assert len(_expiries(adapter, since)) == 1
    assert len(_told(service)) == 1


def test_a_second_bridge_that_lost_the_race_expires_nothing_and_tells_the_register(
    world, adapter, certificate, seller, transfer_agent, tmp_path
):
    """Two bridges with their own state: the second saw the off-ramp pending, but the first
    expired it; the adapter refuses the second expiry before it is sent."""
    service, first = world
    second = LedgerBridge(
        adapter, transfer_agent, Mailbox(tmp_path / "in"), tmp_path / "second.sqlite", [certificate]
    )
    instruction_id, ref, since = _overdue(world, adapter, certificate, seller)
    second.forward_off_ramps(since)
    nonce = transfer_agent.nonce

    first.expire_overdue()
    lines = second.expire_overdue()

    assert transfer_agent.nonce == nonce + 1  # the first bridge's expiry, nothing from the second
    assert len(_expiries(adapter, since)) == 1
    assert [e.line for e in lines] == [
        f"off-ramp {ref} was found expired on chain (not by this pass); {_told_name(service, 1)} to the register"
    ]
    service.run_once()  # both bridges sent the instruction and the notice: booked once, reversed once
    assert service.register.store.instruction(ref).status == "reversed"
    assert service.register.balance(certificate.isin(), ACCOUNT) == 0


def _told_name(service, index: int) -> str:
    return [p.name for p in service.waiting() if "sese.024" in p.name][index]


def test_an_off_ramp_the_holder_expired_is_told_to_the_register_from_the_event(
    world, adapter, certificate, seller
):
    service, bridge = world
    instruction_id, ref, _since = _overdue(world, adapter, certificate, seller)
    adapter.expireOffRamp(instruction_id, sender=seller)

    bridge.forward_off_ramps()
    (expiry,) = bridge.expire_overdue()

    assert expiry.line.startswith(f"off-ramp {ref} was found expired on chain (not by this pass)")
    assert [s.reason for s in _told(service)] == ["EXPIRED ON CHAIN"]
    assert bridge.expire_overdue() == []


def test_a_credit_the_register_booked_is_reversed_when_the_off_ramp_expires(
    world, adapter, certificate, seller
):
    """The register credited and confirmed, but the bridge only reads the sese.025 after the
    deadline: the expiry pass comes first, the register reverses on the notice, and the crossed
    confirmation is taken without a refusal."""
    service, bridge = world
    instruction_id = _off_ramp(adapter, certificate, seller)
    bridge.forward_off_ramps()
    service.run_once()
    (confirmation,) = service.register.outbox.files()
    chain.pending_timestamp = adapter.instruction(instruction_id)[3] + 1

    bridge.expire_overdue()
    service.run_once()
    outcome = bridge.apply(confirmation)

    assert "crossed the expiry" in outcome
    assert service.register.balance(certificate.isin(), ACCOUNT) == 0
    ref = bytes(instruction_id)[:16].hex().upper()
    assert service.register.store.instruction(ref).status == "reversed"
    assert adapter.instruction(instruction_id)[2] == InstructionState.EXPIRED


def test_an_expiry_the_token_refuses_now_is_deferred_and_done_on_a_later_pass(
    tmp_path, adapter, listed, registry_share, seller, transfer_agent, investors, registrar
):
    """The registry share refuses the refund to a frozen investor: the bridge reports the expiry
    deferred, changes nothing, and expires it once the investor is unfrozen."""
    listed(registry_share)
    settings = RegisterSettings(db=tmp_path / "book.sqlite", inbox=tmp_path / "in", outbox=tmp_path / "out")
    service = RegisterService(settings)
    bridge = LedgerBridge(
        adapter, transfer_agent, Mailbox(settings.inbox), tmp_path / "bridge.sqlite", [registry_share]
    )
    instruction_id = _off_ramp(adapter, registry_share, seller)
    bridge.forward_off_ramps()
    chain.pending_timestamp = adapter.instruction(instruction_id)[3] + 1
    investor = investors.investorOf(seller)
    investors.setInvestorFrozen(investor, True, sender=registrar)

    (deferred,) = bridge.expire_overdue()
    investors.setInvestorFrozen(investor, False, sender=registrar)
    (done,) = bridge.expire_overdue()

    assert not deferred.done and deferred.line.startswith(f"cannot expire off-ramp {deferred.reference} now")
    assert done.done and done.reference == deferred.reference
    assert adapter.instruction(instruction_id)[2] == InstructionState.EXPIRED
    assert len(_told(service)) == 1


def test_an_off_ramp_settled_in_time_is_never_expired(world, adapter, certificate, seller):
    service, bridge = world
    instruction_id = _off_ramp(adapter, certificate, seller)
    bridge.forward_off_ramps()
    service.run_once()
    bridge.apply(service.register.outbox.files()[0])
    chain.pending_timestamp = adapter.instruction(instruction_id)[3] + 1

    assert bridge.expire_overdue() == []
    bridge.forward_off_ramps()
    assert bridge.expire_overdue() == []
    assert adapter.instruction(instruction_id)[2] == InstructionState.SETTLED


def test_an_off_ramp_closed_before_the_bridge_saw_it_is_not_sent_to_the_register(
    world, adapter, certificate, seller
):
    service, bridge = world
    instruction_id = _off_ramp(adapter, certificate, seller)
    chain.pending_timestamp = adapter.instruction(instruction_id)[3] + 1
    adapter.expireOffRamp(instruction_id, sender=seller)

    assert bridge.forward_off_ramps() == []
    assert bridge.expire_overdue() == []
    assert service.waiting() == []


# ---------------------------------------------------------------------------------------------
# An on-ramp: a sese.023 DELIVER from the register, a sese.025 back
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def on_register(world, adapter, certificate, seller):
    """QUANTITY shares of ACC-SELLER on the register (a confirmed off-ramp): the adapter's inventory."""
    service, bridge = world
    _off_ramp(adapter, certificate, seller)
    bridge.forward_off_ramps()
    service.run_once()
    bridge.apply(service.register.outbox.files()[0])
    return service, bridge


def _deliver(service, certificate, wallet, quantity: int = QUANTITY // 2, ref: str = "BACK-0001") -> Path:
    return service.register.deliver(ref, certificate.isin(), ACCOUNT, str(wallet), quantity)


def test_an_on_ramp_instruction_from_the_register_issues_tokens_and_is_confirmed(
    on_register, adapter, certificate, buyer
):
    service, bridge = on_register
    before = certificate.balanceOf(buyer)
    sent = _deliver(service, certificate, buyer.address)

    outcome = bridge.apply(sent)

    assert outcome.startswith(f"issued {shares(QUANTITY // 2)}")
    assert certificate.balanceOf(buyer) == before + QUANTITY // 2
    assert adapter.inventoryOf(certificate) == QUANTITY - QUANTITY // 2
    assert adapter.isRegisterReferenceUsed(account_bytes("BACK-0001"))
    (answer,) = service.waiting()
    confirmation = codec.parse(answer.read_bytes(), m.SettlementConfirmation)
    assert (confirmation.reference, confirmation.movement, confirmation.wallet) == (
        "BACK-0001",
        m.Movement.DELIVER,
        str(buyer.address),
    )
    service.run_once()
    assert service.register.store.instruction("BACK-0001").status == "settled"
    assert service.register.balance(certificate.isin(), ACCOUNT) == QUANTITY - QUANTITY // 2


def test_an_on_ramp_beyond_the_inventory_is_rejected_and_the_register_releases_it(
    on_register, adapter, certificate, buyer, transfer_agent
):
    service, bridge = on_register
    # the inventory shrinks under the register's feet: another on-ramp took it
    adapter.onRamp(
        certificate,
        buyer,
        QUANTITY,
        account_bytes(ACCOUNT),
        account_bytes("ELSEWHERE"),
        sender=transfer_agent,
    )
    before = certificate.balanceOf(buyer)
    sent = _deliver(service, certificate, buyer.address)

    outcome = bridge.apply(sent)

    assert outcome.startswith("rejected on-ramp BACK-0001: INSUFFICIENT INVENTORY")
    assert certificate.balanceOf(buyer) == before
    assert not adapter.isRegisterReferenceUsed(account_bytes("BACK-0001"))
    service.run_once()
    assert service.register.store.instruction("BACK-0001").status == "rejected"
    assert service.register.balance(certificate.isin(), ACCOUNT) == QUANTITY


def test_a_replayed_on_ramp_instruction_is_refused_and_issues_nothing(on_register, certificate, buyer):
    service, bridge = on_register
    sent = _deliver(service, certificate, buyer.address)
    bridge.apply(sent)
    balance = certificate.balanceOf(buyer)

    with pytest.raises(MessageRefused, match="already processed"):
        bridge.apply(sent)
    assert certificate.balanceOf(buyer) == balance
    assert len(service.waiting()) == 1


def test_an_on_ramp_replayed_with_other_terms_is_refused_and_issues_nothing(
    on_register, certificate, buyer, tmp_path, monkeypatch
):
    service, bridge = on_register
    sent = _deliver(service, certificate, buyer.address)
    instruction = codec.parse(sent.read_bytes(), m.SettlementInstruction)
    with monkeypatch.context() as patch:
        patch.setattr(
            bridge.adapter, "isRegisterReferenceUsed", lambda _ref: (_ for _ in ()).throw(SystemExit)
        )
        with pytest.raises(SystemExit):
            bridge.apply(sent)  # recorded, then "killed" before anything is sent
    balance = certificate.balanceOf(buyer)
    forged = Mailbox(tmp_path / "forged").write(replace(instruction, quantity=instruction.quantity * 2))

    with pytest.raises(MessageRefused, match="replay with changes"):
        bridge.apply(forged)
    assert certificate.balanceOf(buyer) == balance
    assert service.waiting() == []


@pytest.mark.parametrize(
    ("over", "error"),
    [
        ({"movement": m.Movement.RECEIVE}, "must deliver"),
        ({"wallet": "ACC-NOT-A-WALLET"}, "not a wallet"),
        ({"quantity": Decimal(0)}, "no shares"),
    ],
)
def test_a_malformed_on_ramp_instruction_is_refused_and_nothing_is_sent(
    on_register, certificate, buyer, tmp_path, over, error
):
    service, bridge = on_register
    instruction = codec.parse(
        _deliver(service, certificate, buyer.address).read_bytes(), m.SettlementInstruction
    )
    balance = certificate.balanceOf(buyer)

    with pytest.raises(MessageRefused, match=error):
        bridge.apply(Mailbox(tmp_path / "bad").write(replace(instruction, **over)))
    assert certificate.balanceOf(buyer) == balance
    assert service.waiting() == []


@pytest.mark.parametrize(
    ("over", "reason"),
    [
        ({"isin": "US5949181045"}, "DSEC UNKNOWN SECURITY"),
        ({"dti": "4H95J0R2Z"}, "DSEC DTI MISMATCH"),
        ({"epoch": 7}, "EPOCH MISMATCH"),
    ],
)
def test_an_on_ramp_the_chain_cannot_match_is_rejected(
    on_register, certificate, buyer, tmp_path, over, reason
):
    service, bridge = on_register
    instruction = codec.parse(
        _deliver(service, certificate, buyer.address).read_bytes(), m.SettlementInstruction
    )
    balance = certificate.balanceOf(buyer)

    outcome = bridge.apply(Mailbox(tmp_path / "odd").write(replace(instruction, **over)))

    assert outcome.startswith(f"rejected on-ramp BACK-0001: {reason}")
    assert certificate.balanceOf(buyer) == balance
    (told,) = service.waiting()
    assert codec.parse(told.read_bytes(), m.SettlementStatus).reason == reason


def test_a_crash_between_the_on_ramp_and_its_answer_resends_the_answer_and_issues_once(
    on_register, adapter, certificate, buyer, transfer_agent, tmp_path, monkeypatch
):
    service, bridge = on_register
    sent = _deliver(service, certificate, buyer.address)
    before = certificate.balanceOf(buyer)
    with monkeypatch.context() as patch:
        patch.setattr(bridge.register_inbox, "write", lambda _message: (_ for _ in ()).throw(SystemExit))
        with pytest.raises(SystemExit):
            bridge.apply(sent)  # killed after onRamp, before the sese.025
    assert certificate.balanceOf(buyer) == before + QUANTITY // 2
    restarted = LedgerBridge(
        adapter, transfer_agent, Mailbox(service.inbox), tmp_path / "bridge.sqlite", [certificate]
    )

    outcome = restarted.apply(sent)

    assert "already issued on chain: answer sent again" in outcome
    assert certificate.balanceOf(buyer) == before + QUANTITY // 2
    (answer,) = service.waiting()
    confirmation = codec.parse(answer.read_bytes(), m.SettlementConfirmation)
    issued = list(adapter.OnRampSettled.range(0, chain.blocks.head.number + 1))[-1]
    assert confirmation.register_reference == bytes(issued.instructionId)[:16].hex().upper()
    service.run_once()
    assert service.register.store.instruction("BACK-0001").status == "settled"


def test_a_delivery_confirmation_from_the_register_is_not_an_on_ramp(world, certificate, buyer, tmp_path):
    _service, bridge = world
    stray = Mailbox(tmp_path / "stray").write(
        m.SettlementConfirmation(
            "B" * 32,
            "REG-X",
            certificate.isin(),
            bytes(certificate.dti()).decode(),
            Decimal(1),
            ACCOUNT,
            str(buyer.address),
            m.Movement.DELIVER,
            date.today(),
        )
    )
    with pytest.raises(MessageRefused, match="sese.023 DELIVER"):
        bridge.apply(stray)


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

    (pending,) = compare(ledgers, settled.register.statement())
    assert (pending.check, pending.severity) == ("register off-ramp", IN_TRANSIT)
    assert "locked on chain, not yet credited on the register" in pending.detail
    assert in_flight(ledgers) == {certificate.isin(): QUANTITY // 4}


def _reconcile(service, project, adapter, certificate, issuer) -> list:
    """The chain-against-register findings with the register's instruction log."""
    ledgers = register_ledgers(project, _manifest(adapter, certificate, issuer))
    moves = [
        RegisterMove(r.reference, r.isin, r.account, r.movement, r.status, r.units, r.booked_at, r.deadline)
        for r in service.register.store.instructions()
    ]
    return compare(ledgers, service.register.statement(), moves, int(time.time()))


def test_an_on_ramp_the_register_sent_is_in_transit_until_issued_then_reconciles(
    on_register, project, adapter, certificate, issuer, buyer
):
    service, bridge = on_register
    sent = _deliver(service, certificate, buyer.address)

    (waiting,) = _reconcile(service, project, adapter, certificate, issuer)
    bridge.apply(sent)
    (issued,) = _reconcile(service, project, adapter, certificate, issuer)
    service.run_once()
    done = _reconcile(service, project, adapter, certificate, issuer)

    assert (waiting.check, waiting.severity) == ("register on-ramp", IN_TRANSIT)
    assert "BACK-0001" in waiting.detail and "not yet issued on chain for " in waiting.detail
    assert issued.severity == IN_TRANSIT and "confirmation not yet booked" in issued.detail
    assert done == []


def test_an_on_ramp_the_chain_never_issued_is_a_break_past_its_deadline(
    on_register, project, adapter, certificate, issuer, buyer
):
    service, _bridge = on_register
    service.register.clock = lambda: datetime.now(UTC) - timedelta(days=2)
    _deliver(service, certificate, buyer.address)

    (late,) = _reconcile(service, project, adapter, certificate, issuer)

    assert (late.check, late.severity) == ("register on-ramp", "break")
    assert "BACK-0001" in late.detail and "for 2d 0h" in late.detail and "past its deadline" in late.detail


def test_an_on_ramp_issued_on_chain_without_a_register_debit_is_a_break(
    on_register, project, adapter, certificate, issuer, buyer, transfer_agent
):
    """The transfer agent calls `onRamp` by hand: the chain debits ACC-SELLER, the register never did."""
    service, _bridge = on_register
    adapter.onRamp(
        certificate,
        buyer,
        QUANTITY // 2,
        account_bytes(ACCOUNT),
        account_bytes("BY-HAND-1"),
        sender=transfer_agent,
    )

    findings = _reconcile(service, project, adapter, certificate, issuer)

    assert [(f.check, f.severity) for f in findings][0] == ("register on-ramp", "break")
    assert "register reference BY-HAND-1, which the register never debited" in findings[0].detail
    assert any(f.check == "register position" and ACCOUNT in f.detail for f in findings)


def test_an_off_ramp_credited_on_the_register_is_in_transit_until_confirmed(
    world, project, adapter, certificate, seller, issuer
):
    service, bridge = world
    _off_ramp(adapter, certificate, seller)
    bridge.forward_off_ramps()
    service.run_once()

    (credited,) = _reconcile(service, project, adapter, certificate, issuer)
    bridge.apply(service.register.outbox.files()[0])

    assert (credited.check, credited.severity) == ("register off-ramp", IN_TRANSIT)
    assert "credited on the register, awaiting its confirmation on chain" in credited.detail
    assert _reconcile(service, project, adapter, certificate, issuer) == []


def test_an_off_ramp_past_its_deadline_is_a_break_until_the_bridge_expires_it(
    world, project, adapter, certificate, seller, issuer
):
    service, bridge = world
    instruction_id = _off_ramp(adapter, certificate, seller)
    bridge.forward_off_ramps()
    service.run_once()
    chain.mine(timestamp=adapter.instruction(instruction_id)[3] + 1)

    (late,) = _reconcile(service, project, adapter, certificate, issuer)
    bridge.expire_overdue()
    service.run_once()

    assert (late.check, late.severity) == ("register off-ramp", "break")
    assert "past its deadline" in late.detail
    assert _reconcile(service, project, adapter, certificate, issuer) == []


def test_a_deliberately_wrong_statement_is_a_break_naming_the_account(
    settled, project, adapter, certificate, issuer
):
    statement = settled.register.statement()
    (holding,) = statement.holdings
    wrong = replace(statement, holdings=(replace(holding, quantity=holding.quantity + 1),))

    findings = compare(register_ledgers(project, _manifest(adapter, certificate, issuer)), wrong)

    assert [f.check for f in findings] == ["register off-ramp", "register position", "register supply"]
    assert [f.severity for f in findings] == [IN_TRANSIT, "break", "break"]
    assert f"account {ACCOUNT}: register {holding.quantity + 1}" in findings[1].detail


def test_an_on_ramp_whose_reference_another_booking_used_is_rejected_and_released(
    on_register, adapter, certificate, buyer
):
    service, bridge = on_register
    assert adapter.isRegisterReferenceUsed(account_bytes("REG-00000001"))  # the off-ramp's booking
    before = certificate.balanceOf(buyer)
    sent = _deliver(service, certificate, buyer.address, ref="REG-00000001")

    outcome = bridge.apply(sent)

    assert outcome.startswith("rejected on-ramp REG-00000001: DUPLICATE REFERENCE")
    assert certificate.balanceOf(buyer) == before
    service.run_once()
    assert service.register.balance(certificate.isin(), ACCOUNT) == QUANTITY


def test_a_second_bridge_with_its_own_state_confirms_an_on_ramp_the_first_issued(
    on_register, adapter, certificate, buyer, transfer_agent, tmp_path
):
    service, bridge = on_register
    sent = _deliver(service, certificate, buyer.address)
    bridge.apply(sent)
    issued = list(adapter.OnRampSettled.range(0, chain.blocks.head.number + 1))[-1]
    (first_answer,) = service.waiting()
    first_answer.unlink()  # lost in transit: the register sends the instruction again
    chain.mine(3)
    before = certificate.balanceOf(buyer)
    other = LedgerBridge(
        adapter, transfer_agent, Mailbox(service.inbox), tmp_path / "other-bridge.sqlite", [certificate]
    )

    outcome = other.apply(sent)

    assert "already issued on chain: answer sent again" in outcome
    assert certificate.balanceOf(buyer) == before
    (answer,) = service.waiting()
    confirmation = codec.parse(answer.read_bytes(), m.SettlementConfirmation)
    assert confirmation.register_reference == bytes(issued.instructionId)[:16].hex().upper()
    service.run_once()
    assert service.register.store.instruction("BACK-0001").status == "settled"
    assert service.register.balance(certificate.isin(), ACCOUNT) == QUANTITY - QUANTITY // 2


def test_a_second_bridge_rejects_a_reference_used_for_other_terms(
    on_register, adapter, certificate, buyer, transfer_agent, tmp_path
):
    service, bridge = on_register
    sent = _deliver(service, certificate, buyer.address)
    bridge.apply(sent)
    instruction = codec.parse(sent.read_bytes(), m.SettlementInstruction)
    other = LedgerBridge(
        adapter, transfer_agent, Mailbox(service.inbox), tmp_path / "other-bridge.sqlite", [certificate]
    )
    before = certificate.balanceOf(buyer)
    forged = Mailbox(tmp_path / "forged").write(replace(instruction, quantity=instruction.quantity * 2))

    outcome = other.apply(forged)

    assert outcome.startswith(f"rejected on-ramp {instruction.reference}: DUPLICATE REFERENCE")
    assert certificate.balanceOf(buyer) == before
