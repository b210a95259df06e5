"""The certificate through the PUBLISHED ERC-7943 and ITransferDiagnostic ABIs, from plain web3.py:
what an exchange or a wallet that knows only the standard sees."""

import pytest
from published_abi import ERC7943_FUNGIBLE_ID, decoded, diagnostic, erc165_id, erc7943, plain_web3, send

from tokenized_stocks.abi import load_abi
from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.multiplier import ONE

pytestmark = pytest.mark.usefixtures("funded")


@pytest.fixture(scope="module")
def funded(funded_once):
    return funded_once


@pytest.fixture
def w3():
    return plain_web3()


def test_the_shipped_interface_is_the_erc_text():
    assert erc165_id(load_abi("IERC7943Fungible")) == ERC7943_FUNGIBLE_ID


def test_erc165_advertises_erc7943_and_the_diagnostic(w3, cert):
    token = erc7943(w3, cert)
    diagnostic_id = erc165_id(load_abi("ITransferDiagnostic"))

    assert token.functions.supportsInterface(ERC7943_FUNGIBLE_ID).call()
    assert token.functions.supportsInterface(diagnostic_id).call()
    assert token.functions.supportsInterface(bytes.fromhex("01ffc9a7")).call()  # ERC-165 itself
    assert not token.functions.supportsInterface(bytes.fromhex("ffffffff")).call()


def test_a_freeze_sent_through_the_standard_abi_is_read_back_by_it(
    w3, cert, transfer_agent, investor_alice, investor_bob
):
    token = erc7943(w3, cert)

    receipt = send(w3, token.functions.setFrozenTokens(investor_alice.address, 60 * ONE), transfer_agent)

    (event,) = decoded(token, "Frozen", receipt)
    assert dict(event["args"]) == {"account": investor_alice.address, "amount": 60 * ONE}
    assert token.functions.getFrozenTokens(investor_alice.address).call() == 60 * ONE
    assert token.functions.canTransfer(investor_alice.address, investor_bob.address, 40 * ONE).call()
    assert not token.functions.canTransfer(investor_alice.address, investor_bob.address, 40 * ONE + 1).call()
    assert token.functions.canSend(investor_alice.address).call()
    assert token.functions.canReceive(investor_bob.address).call()


def test_a_forced_transfer_is_decoded_with_the_standard_event_abi(
    w3, cert, transfer_agent, investor_alice, investor_carol
):
    token = erc7943(w3, cert)
    send(w3, token.functions.setFrozenTokens(investor_alice.address, 100 * ONE), transfer_agent)

    receipt = send(
        w3,
        token.functions.forcedTransfer(investor_alice.address, investor_carol.address, 30 * ONE),
        transfer_agent,
    )

    (forced,) = decoded(token, "ForcedTransfer", receipt)
    (frozen,) = decoded(token, "Frozen", receipt)
    assert dict(forced["args"]) == {
        "from": investor_alice.address,
        "to": investor_carol.address,
        "amount": 30 * ONE,
    }
    assert dict(frozen["args"]) == {"account": investor_alice.address, "amount": 70 * ONE}
    assert frozen["logIndex"] < forced["logIndex"]


def test_the_diagnostic_answers_through_its_published_abi(
    w3, cert, transfer_agent, investor_alice, investor_bob
):
    send(w3, erc7943(w3, cert).functions.setFrozenTokens(investor_alice.address, 100 * ONE), transfer_agent)

    rules = (
        diagnostic(w3, cert)
        .functions.diagnoseTransfer(investor_alice.address, investor_bob.address, ONE)
        .call()
    )

    failed = [(code, message) for code, passed, message in rules if not passed]
    assert failed == [(Restriction.INSUFFICIENT_UNFROZEN_BALANCE, "Amount exceeds the unfrozen balance")]
