"""The relayer's SQLite store: cursor and messages commit together; failures are parked."""

from __future__ import annotations

from tokenized_stocks.protocol.message import transfer_message
from tokenized_stocks.relayer.store import RelayerStore


def _message(nonce: int):
    return transfer_message(
        src_chain_id=1,
        dst_chain_id=2,
        src_gateway="0x" + "aa" * 20,
        dst_gateway="0x" + "bb" * 20,
        nonce=nonce,
        asset_id=b"\x01" * 32,
        sender="0x" + "11" * 20,
        recipient="0x" + "22" * 20,
        units=5,
        expiry=10**10,
    )


def test_a_scan_stores_messages_and_advances_the_cursor(tmp_path):
    store = RelayerStore(str(tmp_path / "r.sqlite"))
    assert store.record_scan(1, 10, [_message(0), _message(1)]) == 2
    assert store.cursor(1) == 10
    assert [m.nonce for m, _ in store.open_messages(2)] == [0, 1]


def test_reading_a_message_twice_stores_it_once(tmp_path):
    store = RelayerStore(str(tmp_path / "r.sqlite"))
    store.record_scan(1, 10, [_message(0)])
    assert store.record_scan(1, 11, [_message(0)]) == 0
    assert store.counts() == {"pending": 1}


def test_state_survives_reopening_the_database(tmp_path):
    path = str(tmp_path / "r.sqlite")
    store = RelayerStore(path)
    store.record_scan(1, 10, [_message(0)])
    store.mark([_message(0).id], "submitting", b"\xaa" * 32)
    store.close()
    reopened = RelayerStore(path)
    assert reopened.cursor(1) == 10
    assert reopened.state(_message(0).id) == "submitting"


def test_a_message_is_parked_after_max_attempts(tmp_path):
    store = RelayerStore(str(tmp_path / "r.sqlite"))
    store.record_scan(1, 10, [_message(0)])
    assert not store.record_failure(_message(0).id, "boom", 2)
    assert store.record_failure(_message(0).id, "boom", 2)
    assert store.failed() == [(_message(0).id, 2, "boom")]
    assert store.open_messages(2) == []


def test_parked_messages_can_be_requeued(tmp_path):
    store = RelayerStore(str(tmp_path / "r.sqlite"))
    store.record_scan(1, 10, [_message(0)])
    store.record_failure(_message(0).id, "boom", 1)
    assert store.retry_failed() == 1
    assert store.counts() == {"pending": 1}
