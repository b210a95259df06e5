"""Hybrid DvP trade keys (finding 13.6): an escrow is identified by all of its terms, so nobody can
squat a trade id, and a cash agent's confirmation releases exactly the trade whose terms it names."""

from __future__ import annotations

from dataclasses import replace

import pytest
from revert_data import reverts
from settlement_terms import QUANTITY

from tokenized_stocks.protocol.identity import asset_id
from tokenized_stocks.protocol.roles import Architecture
from tokenized_stocks.protocol.trade import EscrowState, hybrid_trade_key

JUNK_ISIN = "US0231351067"  # any valid ISIN: the junk token only needs an identity


@pytest.fixture
def junk(project, chain, outsider):
    """A worthless token the front-runner controls."""
    identity = (
        asset_id(JUNK_ISIN),
        JUNK_ISIN,
        "JNK",
        int(Architecture.TRACKER_CERTIFICATE),
        chain.chain_id,
        "ipfs://junk",
        b"\x01" * 32,
        b"4H95J0R2X",
    )
    token = outsider.deploy(project.SettleSecurityMock, "Junk", "JNK", identity)
    token.mint(outsider, QUANTITY, sender=outsider)
    return token


@pytest.fixture
def squatted(hybrid, make_hybrid_trade, certificate, junk, outsider):
    """The real trade's terms, and the front-runner's escrow of the same trade id with junk."""
    real = make_hybrid_trade(certificate)
    fake = replace(real, seller=str(outsider.address), asset=str(junk.address))
    junk.approve(hybrid, QUANTITY, sender=outsider)
    hybrid.escrow(fake.as_tuple(), sender=outsider)
    return real, fake


def test_a_front_runner_escrowing_the_same_trade_id_does_not_block_the_real_escrow(
    hybrid, squatted, certificate, seller
):
    real, _ = squatted
    certificate.approve(hybrid, QUANTITY, sender=seller)

    hybrid.escrow(real.as_tuple(), sender=seller)

    assert certificate.balanceOf(hybrid) == QUANTITY
    assert hybrid.stateOf(hybrid.tradeKey(real.as_tuple())) == EscrowState.ESCROWED


def test_the_confirmation_of_the_real_trade_does_not_release_the_squatters_junk(
    hybrid, squatted, certificate, confirm, seller, buyer, junk
):
    real, fake = squatted
    certificate.approve(hybrid, QUANTITY, sender=seller)
    hybrid.escrow(real.as_tuple(), sender=seller)
    confirmation, signature = confirm(real)

    with reverts(
        hybrid.HybridWrongTrade,
        tradeId=real.tradeId,
        tradeKey=hybrid.tradeKey(fake.as_tuple()),
        confirmedTradeKey=hybrid.tradeKey(real.as_tuple()),
    ):
        hybrid.release(fake.as_tuple(), confirmation, signature, sender=buyer)

    hybrid.release(real.as_tuple(), confirmation, signature, sender=buyer)
    assert junk.balanceOf(buyer) == 0
    assert certificate.balanceOf(buyer) == QUANTITY


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tradeId", b"other".ljust(32, b"\x00")),
        ("buyer", "0x000000000000000000000000000000000000dEaD"),
        ("quantity", QUANTITY + 1),
        ("currency", b"EUR"),
        ("cashAmount", 1),
        ("deadline", 1),
        ("corporateActionEpoch", 7),
    ],
)
def test_the_trade_key_binds_every_term(hybrid, make_hybrid_trade, certificate, field, value):
    trade = make_hybrid_trade(certificate)

    assert hybrid.tradeKey(replace(trade, **{field: value}).as_tuple()) != hybrid.tradeKey(trade.as_tuple())


def test_the_python_trade_key_is_the_contracts(hybrid, make_hybrid_trade, certificate, chain):
    trade = make_hybrid_trade(certificate)

    assert hybrid_trade_key(trade, chain.chain_id, str(hybrid.address)) == hybrid.tradeKey(trade.as_tuple())


def test_escrow_refuses_a_quantity_agreed_at_another_corporate_action_epoch(
    hybrid, make_hybrid_trade, certificate, seller
):
    trade = make_hybrid_trade(certificate, corporateActionEpoch=1)
    certificate.approve(hybrid, QUANTITY, sender=seller)

    with reverts(hybrid.HybridCorporateActionChanged, tradeId=trade.tradeId, agreedEpoch=1, currentEpoch=0):
        hybrid.escrow(trade.as_tuple(), sender=seller)
