"""The Python codec (tokenized_stocks.protocol.message) agrees byte for byte with the contract."""

from tokenized_stocks.protocol.message import Message, MessageKind, attestation_digest

from .conftest import REMOTE_GATEWAY


def test_message_id_matches_the_contract(gateway, inbound):
    message = inbound(nonce=7, units=123)
    assert bytes(gateway.messageId(message.as_tuple())) == message.id


def test_attestation_digest_matches_the_contract(gateway, inbound):
    message = inbound(nonce=3)
    expected = attestation_digest(message, REMOTE_GATEWAY, gateway.address)
    assert bytes(gateway.attestationDigest(message.as_tuple())) == expected


def test_encoding_round_trips(inbound):
    message = inbound(nonce=9).with_(kind=MessageKind.RETURN, ref=b"\x22" * 32)
    assert Message.decode(message.encode()) == message
    assert len(message.encode()) == 14 * 32
