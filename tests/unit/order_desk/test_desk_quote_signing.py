"""The Python quote helper builds exactly the digest the desk verifies."""

import pytest
from order_desk_helpers import ALICE, ASSET_ID, REFERENCE_PRICE, SHARE

from tokenized_stocks.protocol import typed_data as eip712
from tokenized_stocks.protocol.quote import (
    QUOTE_TYPES,
    Quote,
    QuoteService,
    Side,
    cash_for,
    quote_digest,
    sign_quote,
    typed_data,
)


@pytest.fixture
def quote(chain) -> Quote:
    return Quote(ASSET_ID, Side.SELL, 3 * SHARE, REFERENCE_PRICE, ALICE, chain.chain_id, 42, 2**40)


def test_python_digest_equals_the_desks_digest(desk, chain, quote):
    assert quote_digest(quote, desk.address, chain.chain_id) == desk.quoteDigest(quote.as_tuple())


def test_typehash_matches_the_contract(desk):
    from eth_utils import keccak

    fields = ",".join(f"{f['type']} {f['name']}" for f in QUOTE_TYPES["Quote"])
    assert keccak(text=f"Quote({fields})") == desk.QUOTE_TYPEHASH()


def test_signature_recovers_the_signer(desk, chain, quote, quote_signer):
    signed = sign_quote(quote, quote_signer.private_key, desk.address, chain.chain_id)

    typed = typed_data(quote, desk.address, chain.chain_id)
    recovered = eip712.recover(typed["domain"], QUOTE_TYPES, typed["message"], signed.signature)
    assert recovered == quote_signer.address


def test_quote_service_hands_out_sequential_ids_and_expiry(quote_signer, desk, chain):
    service = QuoteService(
        quote_signer.private_key, desk.address, chain.chain_id, first_quote_id=1000, ttl=60
    )

    first = service.quote(ASSET_ID, Side.BUY, SHARE, 1, ALICE, now=500)
    second = service.quote(ASSET_ID, Side.BUY, SHARE, 1, ALICE, now=500)

    assert (first.quote.quote_id, second.quote.quote_id) == (1000, 1001)
    assert first.quote.expiry == 560
    assert service.address == quote_signer.address


@pytest.mark.parametrize(
    ("quantity", "price", "side", "expected"),
    [
        (SHARE, 190_000_000, Side.BUY, 190_000_000),
        (SHARE // 3, 190_000_000, Side.BUY, 63_333_334),
        (SHARE // 3, 190_000_000, Side.SELL, 63_333_333),
        (1, 1, Side.BUY, 1),
        (1, 1, Side.SELL, 0),
    ],
)
def test_cash_rounds_in_the_desks_favour(quantity, price, side, expected):
    assert cash_for(quantity, price, side) == expected
