"""The registry share and the investor registry through the standards' own ABIs, from plain web3.py.

A T-REX-aware client knows only the published `IToken` / `IIdentityRegistry` ABIs (read from the
npm package `@tokenysolutions/t-rex`, as test_erc3643_coverage does) and an ERC-7943 client only
the ERC's interface (`IERC7943Fungible`, compiled from contracts/interfaces/IERC7943.sol, the ERC's
text). Nothing here goes through ape's contract types: web3.py talks to the test chain's anvil.
"""

from __future__ import annotations

import json

import pytest
from trex_abi import trex_abi
from web3 import Web3
from web3.exceptions import ContractLogicError

from tokenized_stocks.protocol.multiplier import ONE


@pytest.fixture(scope="module")
def w3(chain):
    return Web3(Web3.HTTPProvider(chain.provider.uri))


@pytest.fixture(scope="module")
def token(w3, share):
    return w3.eth.contract(address=share.address, abi=trex_abi("IToken"))


@pytest.fixture(scope="module")
def identity_registry(w3, registry):
    return w3.eth.contract(address=registry.address, abi=trex_abi("IIdentityRegistry"))


@pytest.fixture(scope="module")
def uRWA(w3, project, share):
    abi = json.loads(
        json.dumps(
            [
                entry.model_dump(mode="json", by_alias=True)
                for entry in project.IERC7943Fungible.contract_type.abi
            ]
        )
    )
    return w3.eth.contract(address=share.address, abi=abi)


def send(function, sender) -> dict:
    """Sends from an anvil-unlocked account and waits; returns the receipt."""
    tx = function.transact({"from": sender.address})
    return function.w3.eth.wait_for_transaction_receipt(tx)


def test_a_t_rex_client_reads_the_token(token, identity_registry, share, registry):
    assert token.functions.identityRegistry().call() == registry.address
    assert token.functions.compliance().call() == share.address
    assert token.functions.decimals().call() == 18
    assert token.functions.onchainID().call() == "0x" + "00" * 20
    assert "ERC-3643" in token.functions.version().call()
    assert token.functions.paused().call() is False
    assert identity_registry.functions.identityStorage().call() == registry.address


def test_a_t_rex_client_onboards_mints_freezes_and_transfers(
    w3, token, identity_registry, registrar, transfer_agent, investor_alice, investor_bob
):
    alice_id, bob_id = "0x" + "a1" * 20, "0x" + "b0" * 20
    send(
        identity_registry.functions.batchRegisterIdentity(
            [investor_alice.address, investor_bob.address],
            [Web3.to_checksum_address(alice_id), Web3.to_checksum_address(bob_id)],
            [840, 840],
        ),
        registrar,
    )
    assert identity_registry.functions.isVerified(investor_alice.address).call()
    assert identity_registry.functions.identity(investor_bob.address).call() == Web3.to_checksum_address(
        bob_id
    )
    assert identity_registry.functions.investorCountry(investor_bob.address).call() == 840
    receipt = send(token.functions.batchMint([investor_alice.address], [10 * ONE]), transfer_agent)
    [transfer] = token.events.Transfer().process_receipt(receipt)
    assert (transfer.args["to"], transfer.args["value"]) == (investor_alice.address, 10 * ONE)
    receipt = send(token.functions.freezePartialTokens(investor_alice.address, 4 * ONE), transfer_agent)
    [frozen] = token.events.TokensFrozen().process_receipt(receipt)
    assert frozen.args == {"_userAddress": investor_alice.address, "_amount": 4 * ONE}
    assert token.functions.getFrozenTokens(investor_alice.address).call() == 4 * ONE
    send(token.functions.transfer(investor_bob.address, 6 * ONE), investor_alice)
    with pytest.raises(ContractLogicError):
        token.functions.transfer(investor_bob.address, 1).call({"from": investor_alice.address})
    assert token.functions.balanceOf(investor_bob.address).call() == 6 * ONE


def test_an_erc7943_client_sees_the_rules_a_transfer_applies(
    uRWA, token, identity_registry, registrar, transfer_agent, investor_alice, investor_bob, outsider
):
    send(
        identity_registry.functions.registerIdentity(
            investor_alice.address, Web3.to_checksum_address("0x" + "a2" * 20), 840
        ),
        registrar,
    )
    send(
        identity_registry.functions.registerIdentity(
            investor_bob.address, Web3.to_checksum_address("0x" + "b2" * 20), 840
        ),
        registrar,
    )
    send(token.functions.mint(investor_alice.address, 10 * ONE), transfer_agent)
    assert uRWA.functions.supportsInterface(bytes.fromhex("01ffc9a7")).call()
    assert uRWA.functions.canSend(investor_alice.address).call()
    assert not uRWA.functions.canReceive(outsider.address).call()
    assert uRWA.functions.canTransfer(investor_alice.address, investor_bob.address, 10 * ONE).call()
    receipt = send(uRWA.functions.setFrozenTokens(investor_alice.address, 3 * ONE), transfer_agent)
    [frozen] = uRWA.events.Frozen().process_receipt(receipt)
    assert frozen.args == {"account": investor_alice.address, "amount": 3 * ONE}
    assert not uRWA.functions.canTransfer(investor_alice.address, investor_bob.address, 8 * ONE).call()
    receipt = send(
        uRWA.functions.forcedTransfer(investor_alice.address, investor_bob.address, 8 * ONE), transfer_agent
    )
    assert [e.args["amount"] for e in uRWA.events.Frozen().process_receipt(receipt)] == [2 * ONE]
    [forced] = uRWA.events.ForcedTransfer().process_receipt(receipt)
    assert forced.args == {"from": investor_alice.address, "to": investor_bob.address, "amount": 8 * ONE}
    assert uRWA.functions.getFrozenTokens(investor_alice.address).call() == 2 * ONE
