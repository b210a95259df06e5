"""The relayer's collection of attestations: it holds no key, so it checks every signature it is
given (recovers to a current operator for this message and destination, each operator once, the
gateway's own malleability rules), orders them as the gateway requires, tolerates attestors that
are down, slow or answer garbage, and reports what stays below the threshold."""

from __future__ import annotations

import threading

import pytest
from eth_account import Account

from tokenized_stocks.protocol.message import attest_message, recover_attester, transfer_message
from tokenized_stocks.relayer.attestors import AttestorUnavailable, Collector, HttpAttestor, _parse

N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
KEYS = [Account.from_key(bytes([i]) * 32) for i in range(1, 5)]  # operators 0-2, 3 is not one
OPERATORS = {k.address for k in KEYS[:3]}


def message(nonce: int = 1, units: int = 10):
    return transfer_message(
        src_chain_id=31337,
        dst_chain_id=31338,
        src_gateway="0x" + "11" * 20,
        dst_gateway="0x" + "22" * 20,
        nonce=nonce,
        asset_id=b"\x01" * 32,
        sender="0x" + "33" * 20,
        recipient="0x" + "44" * 20,
        units=units,
        expiry=2**40,
    )


def sign(m, key) -> bytes:
    return attest_message(m, [key])[0]


class Fake:
    """An attestor endpoint answering `answer` (or raising it), after `gate` opens if given."""

    def __init__(self, name: str, answer, gate: threading.Event | None = None) -> None:
        self.name = name
        self.answer = answer
        self.gate = gate

    def signatures(self, message_ids):
        if self.gate is not None:
            self.gate.wait(30)
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


def collect(endpoints, messages, threshold: int = 2):
    collector = Collector(endpoints)
    try:
        return collector.collect(messages, messages[0].dst_gateway, threshold, OPERATORS.__contains__)
    finally:
        collector.close()


def test_signatures_are_ordered_by_ascending_signer_and_cut_at_the_threshold():
    m = message()
    fakes = [Fake(f"op{i}", {m.id: sign(m, k)}) for i, k in enumerate(KEYS[:3])]
    got = collect(fakes, [m]).ready[m.id]
    signers = [recover_attester(m, m.dst_gateway, s) for s in got]
    assert len(got) == 2 and set(signers) <= OPERATORS
    assert signers == sorted(signers, key=lambda a: int(a, 16))


def test_a_signature_by_someone_not_an_operator_does_not_count():
    m = message()
    result = collect([Fake("op0", {m.id: sign(m, KEYS[0])}), Fake("outsider", {m.id: sign(m, KEYS[3])})], [m])
    assert m.id not in result.ready
    assert result.short[m.id].startswith("below threshold: 1 of 2")
    assert [(name, why.split(",")[1].strip()) for name, _, why in result.dropped] == [
        ("outsider", "not a current operator")
    ]


def test_one_operator_counts_once_however_many_attestors_return_its_signature():
    m = message()
    same = sign(m, KEYS[0])
    result = collect([Fake("a", {m.id: same}), Fake("b", {m.id: same}), Fake("c", {})], [m])
    assert m.id in result.short and "1 of 2" in result.short[m.id]


def test_a_signature_over_another_message_served_under_this_id_does_not_count():
    m = message()
    forged = message(units=10**6)
    result = collect(
        [Fake("op0", {m.id: sign(m, KEYS[0])}), Fake("evil", {m.id: sign(forged, KEYS[2])}), Fake("op1", {})],
        [m],
    )
    assert m.id in result.short


def test_an_attestor_signing_with_many_keys_costs_one_operator_lookup_per_round():
    """A lying attestor answering every message with a signature of a fresh key would otherwise
    make the relayer ask the chain `isOperator` once per signature."""
    messages = [message(nonce=i) for i in range(5)]
    liar = Fake("liar", {m.id: sign(m, Account.create()) for m in messages})
    looked_up: list[str] = []

    def is_operator(address: str) -> bool:
        looked_up.append(address)
        return address in OPERATORS

    collector = Collector([liar])
    try:
        result = collector.collect(messages, messages[0].dst_gateway, 2, is_operator)
    finally:
        collector.close()
    assert len(looked_up) == 1 and len(result.short) == 5
    assert sum("not its key" in why for _, _, why in result.dropped) == 4


def test_a_malleated_high_s_signature_is_dropped_as_the_gateway_would_refuse_it():
    m = message()
    good = sign(m, KEYS[1])
    s = int.from_bytes(good[32:64], "big")
    malleated = good[:32] + (N - s).to_bytes(32, "big") + bytes([55 - good[64]])
    result = collect([Fake("op0", {m.id: sign(m, KEYS[0])}), Fake("op1", {m.id: malleated})], [m])
    assert m.id in result.short
    assert [why for _, _, why in result.dropped] == ["not a signature the gateway accepts"]


@pytest.mark.parametrize(
    "bad",
    [AttestorUnavailable("unreachable"), RuntimeError("boom"), {b"\x00" * 32: b"\x01" * 65}],
    ids=["unavailable", "crashed", "signs other ids"],
)
def test_an_attestor_down_or_answering_garbage_is_tolerated_when_the_rest_reach_the_threshold(bad):
    m = message()
    result = collect(
        [Fake("bad", bad), Fake("op0", {m.id: sign(m, KEYS[0])}), Fake("op1", {m.id: sign(m, KEYS[1])})], [m]
    )
    assert len(result.ready[m.id]) == 2


def test_a_slow_attestor_is_not_waited_for_once_every_message_has_its_threshold():
    m = message()
    gate = threading.Event()
    slow = Fake("slow", {m.id: sign(m, KEYS[2])}, gate)
    result = collect(
        [slow, Fake("op0", {m.id: sign(m, KEYS[0])}), Fake("op1", {m.id: sign(m, KEYS[1])})], [m]
    )
    released_after = not gate.is_set()
    gate.set()
    assert released_after and len(result.ready[m.id]) == 2


def test_each_message_is_judged_on_its_own():
    full, short = message(nonce=1), message(nonce=2)
    answers = [
        Fake("op0", {full.id: sign(full, KEYS[0]), short.id: sign(short, KEYS[0])}),
        Fake("op1", {full.id: sign(full, KEYS[1])}),
    ]
    result = collect(answers, [full, short])
    assert list(result.ready) == [full.id] and list(result.short) == [short.id]


@pytest.mark.parametrize(
    "document",
    [[], {"attestations": "x"}, {"nothing": []}, "garbage"],
)
def test_a_document_that_is_not_an_attestation_list_is_garbage(document):
    with pytest.raises(ValueError):
        _parse(document)


def test_malformed_entries_of_a_document_are_skipped():
    good = {"message_id": "0x" + "aa" * 32, "signature": "0x" + "bb" * 65}
    parsed = _parse(
        {
            "attestations": [
                good,
                {"message_id": "zz", "signature": "0x00"},
                {"message_id": "0x" + "aa" * 31, "signature": "0x" + "bb" * 65},
                {"signature": "0x" + "bb" * 65},
            ]
        }
    )
    assert parsed == {b"\xaa" * 32: b"\xbb" * 65}


def test_an_unreachable_attestor_is_reported_after_its_bounded_attempts():
    with pytest.raises(AttestorUnavailable, match="unreachable after 2 attempt"):
        HttpAttestor("http://127.0.0.1:9", timeout=0.5, attempts=2, backoff=0.01).signatures([b"\x00" * 32])
