"""The order token through the PUBLISHED ERC-7943 and ITransferDiagnostic ABIs, from plain web3.py:
what an exchange or a wallet that knows only the standard sees."""

import pytest
from order_desk_helpers import SHARE
from published_abi import ERC7943_FUNGIBLE_ID, decoded, diagnostic, erc165_id, erc7943, plain_web3, send

from tokenized_stocks.abi import load_abi
from tokenized_stocks.protocol.enums import Restriction

pytestmark = pytest.mark.usefixtures("funded")


@pytest.fixture
def w3():
    return plain_web3()


@pytest.fixture
def holdings(token, relayer, issuer, investor_alice) -> None:
    token.setGateway(relayer, sender=issuer)
    token.crosschainMint(investor_alice, 100 * SHARE, sender=relayer)


def test_erc165_advertises_erc7943_and_the_diagnostic(w3, token):
    contract = erc7943(w3, token)

    assert contract.functions.supportsInterface(ERC7943_FUNGIBLE_ID).call()
    assert contract.functions.supportsInterface(erc165_id(load_abi("ITransferDiagnostic"))).call()


@pytest.mark.usefixtures("holdings")
def test_a_freeze_and_a_forced_transfer_through_the_standard_abi(
    w3, token, compliance_officer, investor_alice, investor_bob
):
    contract = erc7943(w3, token)
    send(w3, contract.functions.setFrozenTokens(investor_alice.address, 80 * SHARE), compliance_officer)
    assert contract.functions.getFrozenTokens(investor_alice.address).call() == 80 * SHARE
    assert not contract.functions.canTransfer(investor_alice.address, investor_bob.address, 21 * SHARE).call()

    receipt = send(
        w3,
        contract.functions.forcedTransfer(investor_alice.address, investor_bob.address, 50 * SHARE),
        compliance_officer,
    )

    (forced,) = decoded(contract, "ForcedTransfer", receipt)
    assert dict(forced["args"]) == {
        "from": investor_alice.address,
        "to": investor_bob.address,
        "amount": 50 * SHARE,
    }
    assert contract.functions.getFrozenTokens(investor_alice.address).call() == 50 * SHARE


@pytest.mark.usefixtures("holdings")
def test_the_diagnostic_names_the_frozen_wallet(w3, token, compliance_officer, investor_alice, investor_bob):
    token.setFrozen(investor_bob, True, sender=compliance_officer)

    rules = (
        diagnostic(w3, token)
        .functions.diagnoseTransfer(investor_alice.address, investor_bob.address, 1)
        .call()
    )

    assert [code for code, passed, _ in rules if not passed] == [Restriction.RECIPIENT_WALLET_FROZEN]
    assert not erc7943(w3, token).functions.canReceive(investor_bob.address).call()
