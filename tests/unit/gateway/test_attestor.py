"""The attestor on a real chain (in-process objects, each with its own key and store): it signs
only what the watched gateway emitted, at its depth, never two messages for one nonce, keeps what
it signed across a restart, stops signing on a reorg deeper than its depth, and its HTTP API
serves what it signed and takes nothing to sign."""

from __future__ import annotations

from dataclasses import replace

import pytest
import requests

from tokenized_stocks.attestor.server import MAX_BATCH, ThreadedServer
from tokenized_stocks.attestor.service import Attestor, WatchedChain
from tokenized_stocks.attestor.store import Attestation, AttestorStore
from tokenized_stocks.devtools.bridge import local_signer
from tokenized_stocks.protocol.message import Message, recover_attester

CHAIN_B = 31338
HOUR = 3600


@pytest.fixture
def make_attestor(chain, gateway, operators, tmp_path):
    """Factory: an attestor of operator `index` watching this gateway from the current block."""
    start = chain.blocks.head.number
    made: list[Attestor] = []

    def make(index: int = 0, confirmations: int = 0, name: str = "a") -> Attestor:
        attestor = Attestor(
            local_signer(operators[index]),
            [WatchedChain(chain.provider.http_uri, str(gateway.address), start)],
            AttestorStore(str(tmp_path / f"{name}.sqlite")),
            confirmations=confirmations,
        )
        made.append(attestor)
        return attestor

    yield make
    for attestor in made:
        attestor.store.db.close()


@pytest.fixture
def send(chain, gateway, funded, asset_id, investor_alice, investor_bob):
    def send(units: int = 10) -> Message:
        receipt = gateway.send(
            asset_id, CHAIN_B, investor_bob, units, chain.pending_timestamp + HOUR, sender=investor_alice
        )
        return Message.from_values(receipt.events.filter(gateway.MessageSent)[0].message)

    return send


def test_a_message_is_signed_only_once_it_has_the_confirmations(chain, make_attestor, send):
    attestor = make_attestor(confirmations=2)
    message = send()
    assert attestor.poll() == 0 and attestor.attestations([message.id]) == {}
    chain.mine(1)
    assert attestor.poll() == 0
    chain.mine(1)
    assert attestor.poll() == 1
    assert list(attestor.attestations([message.id])) == [message.id]


def test_the_signature_is_the_operators_for_the_destination_gateway(make_attestor, send, operators):
    attestor = make_attestor(index=1)
    message = send()
    attestor.poll()
    signature = attestor.attestations([message.id])[message.id].signature
    assert recover_attester(message, message.dst_gateway, signature) == operators[1].address


def test_a_second_message_for_a_signed_nonce_is_refused_and_recorded(make_attestor, send):
    attestor = make_attestor()
    message = send()
    attestor.poll()
    forged = message.with_(units=message.units * 100)
    signed = Attestation(forged, b"\x01" * 65, 1, b"\x02" * 32)

    added, conflicts = attestor.store.record(
        message.src_chain_id, message.src_gateway, 0, b"\x00" * 32, [signed]
    )

    assert added == 0 and [c.message_id for c in conflicts] == [forged.id]
    assert attestor.store.get([forged.id]) == {}
    assert [c.signed_id for c in attestor.store.conflicts()] == [message.id]


def test_the_same_message_again_is_no_second_attestation(make_attestor, send):
    attestor = make_attestor()
    message = send()
    attestor.poll()
    again = attestor.attestations([message.id])[message.id]
    added, conflicts = attestor.store.record(
        message.src_chain_id, message.src_gateway, 0, b"\x00" * 32, [again]
    )
    assert (added, conflicts, attestor.store.count()) == (0, [], 1)


def test_what_was_signed_survives_a_restart_on_the_same_store(make_attestor, send):
    first = make_attestor(name="same")
    message = send()
    first.poll()
    signature = first.attestations([message.id])[message.id].signature
    first.store.db.close()

    restarted = make_attestor(name="same")

    assert restarted.attestations([message.id])[message.id].signature == signature
    assert restarted.poll() == 0  # its cursor is where it stopped: nothing is signed twice


def test_a_reorg_deeper_than_the_confirmations_halts_signing_on_that_chain(chain, make_attestor, send):
    attestor = make_attestor(confirmations=0)
    send()
    attestor.poll()
    chain.provider.make_request("anvil_reorg", [1, []])  # the signed block is gone
    later = send(units=11)  # the same nonce again, other terms

    assert attestor.poll() == 0
    assert not attestor.healthy() and "reorged out" in str(attestor.health[0].halted)
    assert attestor.attestations([later.id]) == {}


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda log, m: replace(log, address="0x" + "11" * 20), id="another contract"),
        pytest.param(
            lambda log, m: replace(log, message=m.with_(src_gateway="0x" + "11" * 20)),
            id="names another source gateway",
        ),
        pytest.param(lambda log, m: replace(log, message=m.with_(src_chain_id=1)), id="names another chain"),
        pytest.param(lambda log, m: replace(log, logged_id=b"\x00" * 32), id="id not its hash"),
        pytest.param(lambda log, m: replace(log, message=m.with_(version=1)), id="other version"),
    ],
)
def test_a_log_that_is_not_the_watched_gateways_own_message_is_not_signed(make_attestor, send, forge):
    attestor = make_attestor()
    message = send()
    source = attestor.sources[0]
    (genuine,) = source.sent_logs(0, source.block_number())[-1:]
    assert attestor._genuine(source, genuine)

    assert not attestor._genuine(source, forge(genuine, message))
    assert attestor.counters.refused_malformed == 1


@pytest.fixture
def served(make_attestor):
    server = ThreadedServer(make_attestor(name="served"), poll_interval=3600)
    yield server
    server.stop()


def test_the_api_serves_an_attestation_by_id_and_in_a_batch(served, send):
    message = send()
    served.attestor.poll()
    one = requests.get(f"{served.url}/v1/attestations/0x{message.id.hex()}", timeout=5).json()
    unknown = "0x" + "ab" * 32
    batch = requests.post(
        f"{served.url}/v1/attestations", json={"ids": ["0x" + message.id.hex(), unknown]}, timeout=5
    ).json()

    assert one["signer"] == served.attestor.address
    assert Message.decode(bytes.fromhex(one["message"][2:])) == message
    assert [a["signature"] for a in batch["attestations"]] == [one["signature"]]
    assert batch["missing"] == [unknown]


def test_the_api_answers_404_for_a_message_it_did_not_sign(served):
    response = requests.get(f"{served.url}/v1/attestations/0x{'cd' * 32}", timeout=5)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"ids": ["0x12"]}, 400),
        ({"message": "0x00"}, 400),
        ({"ids": ["0x" + "00" * 32] * (MAX_BATCH + 1)}, 413),
    ],
)
def test_the_api_refuses_a_bad_batch_request(served, body, status):
    assert requests.post(f"{served.url}/v1/attestations", json=body, timeout=5).status_code == status


def test_health_and_metrics_report_the_signed_count_and_each_chain(served, send, chain):
    send()
    served.attestor.poll()
    health = requests.get(f"{served.url}/health", timeout=5)
    metrics = requests.get(f"{served.url}/metrics", timeout=5).text

    assert health.status_code == 200 and health.json()["signed"] == 1
    assert "attestor_signed_messages 1\n" in metrics
    assert f'attestor_chain_up{{chain_id="{chain.chain_id}"}} 1\n' in metrics
