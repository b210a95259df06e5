"""The Python side of settlement: references, currencies, signatures."""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_keys import keys
from eth_utils import keccak

from tokenized_stocks.protocol.trade import (
    PaymentConfirmation,
    Trade,
    confirmation_digest,
    currency,
    reference,
    sign_payment_confirmation,
    sign_trade,
    trade_digest,
)

KEY = "0x" + "11" * 32
CONTRACT = "0x" + "22" * 20
TOKEN = "0x" + "33" * 20


def recover(digest: bytes, signature: bytes) -> str:
    """ecrecover of a 65-byte r || s || v signature (v = 27 or 28)."""
    vrs = keys.Signature(signature_bytes=signature[:64] + bytes([signature[64] - 27]))
    return vrs.recover_public_key_from_msg_hash(digest).to_checksum_address()


def test_short_reference_is_the_text_zero_padded():
    assert reference("SWIFT-1") == b"SWIFT-1".ljust(32, b"\x00")


def test_long_reference_is_the_keccak_of_the_text():
    text = "a payment reference longer than thirty-two bytes"
    assert reference(text) == keccak(text=text)


def test_currency_is_the_upper_case_iso_code():
    assert currency("usd") == b"USD"


@pytest.mark.parametrize("code", ["US", "USDT", "U5D"])
def test_currency_refuses_a_non_iso_code(code):
    with pytest.raises(ValueError):
        currency(code)


def test_trade_signature_recovers_to_the_signer():
    trade = Trade(reference("t"), TOKEN, TOKEN, TOKEN, 1, CONTRACT, 2, 3)
    signature = sign_trade(KEY, trade, 31337, CONTRACT)

    digest = trade_digest(trade, 31337, CONTRACT)
    assert recover(digest, signature) == Account.from_key(KEY).address


def test_payment_confirmation_signature_recovers_to_the_cash_agent():
    confirmation = PaymentConfirmation(reference("t"), 1, currency("EUR"), reference("p"), 9)
    signature = sign_payment_confirmation(KEY, confirmation, 31337, CONTRACT)

    digest = confirmation_digest(confirmation, 31337, CONTRACT)
    assert recover(digest, signature) == Account.from_key(KEY).address


def test_a_signature_is_bound_to_its_chain():
    trade = Trade(reference("t"), TOKEN, TOKEN, TOKEN, 1, CONTRACT, 2, 3)
    assert trade_digest(trade, 31337, CONTRACT) != trade_digest(trade, 31338, CONTRACT)


def test_a_trade_signature_is_bound_to_the_corporate_action_epoch():
    trade = Trade(reference("t"), TOKEN, TOKEN, TOKEN, 1, CONTRACT, 2, 3)
    later = Trade(reference("t"), TOKEN, TOKEN, TOKEN, 1, CONTRACT, 2, 3, corporateActionEpoch=1)
    assert trade_digest(trade, 31337, CONTRACT) != trade_digest(later, 31337, CONTRACT)
