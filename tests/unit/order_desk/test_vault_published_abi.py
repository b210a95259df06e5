"""An integrator's view of the order vault: plain web3.py against the anvil node, through the ABIs of
the published ERC-7540, ERC-7575 and ERC-7887 interfaces (compiled from contracts/interfaces/
IERC7540.sol and IERC7887.sol, written from the ERC texts, not from the implementation) and the
standard ERC-20 and ERC-165 ABIs. Only the fills and the acceptance of a cancelation, which the ERCs
leave to the implementation, go through the suite's own API (the executor's side)."""

from typing import Any

import pytest
from eth_utils import keccak
from order_desk_helpers import REFERENCE_PRICE, SHARE, USD
from web3 import HTTPProvider, Web3
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD

from tokenized_stocks.abi import load_abi

pytestmark = pytest.mark.usefixtures("funded")

VAULT_INTERFACES = (
    "IERC7575",
    "IERC7540Operator",
    "IERC7540Deposit",
    "IERC7540Redeem",
    "IERC7887Deposit",
    "IERC7887Redeem",
)
ERC20_ABI: list[dict[str, Any]] = [
    {
        "type": "function",
        "name": "approve",
        "stateMutability": "nonpayable",
        "inputs": [{"name": "spender", "type": "address"}, {"name": "value", "type": "uint256"}],
        "outputs": [{"name": "", "type": "bool"}],
    },
    {
        "type": "function",
        "name": "balanceOf",
        "stateMutability": "view",
        "inputs": [{"name": "account", "type": "address"}],
        "outputs": [{"name": "", "type": "uint256"}],
    },
]
ERC165_ABI: list[dict[str, Any]] = [
    {
        "type": "function",
        "name": "supportsInterface",
        "stateMutability": "view",
        "inputs": [{"name": "interfaceId", "type": "bytes4"}],
        "outputs": [{"name": "", "type": "bool"}],
    }
]


def _abi(project, name: str) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json", by_alias=True) for item in getattr(project, name).contract_type.abi]


def _selectors(abi: list[dict[str, Any]]) -> set[str]:
    return {
        f"{item['name']}({','.join(arg['type'] for arg in item['inputs'])})"
        for item in abi
        if item["type"] == "function"
    }


@pytest.fixture
def w3(chain) -> Web3:
    return Web3(HTTPProvider(chain.provider.uri))


@pytest.fixture
def published(project) -> list[dict[str, Any]]:
    """The vault ABI an integrator assembles from the ERCs' interfaces (and ERC-165)."""
    abi: list[dict[str, Any]] = list(ERC165_ABI)
    for name in VAULT_INTERFACES:
        abi += _abi(project, name)
    return abi


@pytest.fixture
def client(w3, vault, published):
    return w3.eth.contract(address=vault.address, abi=published)


def _send(w3: Web3, call, sender) -> Any:
    receipt = w3.eth.wait_for_transaction_receipt(call.transact({"from": sender.address}), poll_latency=0.01)
    assert receipt["status"] == 1
    return receipt


def test_every_published_function_exists_on_the_vault(project, published):
    implemented = _selectors(load_abi("OrderVault"))

    assert _selectors(published) - implemented == set()


def test_the_published_interface_ids_are_advertised(project, client):
    for name in VAULT_INTERFACES:
        selectors = _selectors(_abi(project, name))
        value = 0
        for signature in selectors:
            value ^= int.from_bytes(keccak(text=signature)[:4], "big")
        assert client.functions.supportsInterface(value.to_bytes(4, "big")).call(), name


def test_a_subscription_through_the_published_abi(w3, client, vault, cash, token, investor_alice, executor):
    erc20_cash = w3.eth.contract(address=cash.address, abi=ERC20_ABI)
    erc20_share = w3.eth.contract(address=token.address, abi=ERC20_ABI)
    _send(w3, erc20_cash.functions.approve(vault.address, 1_900 * USD), investor_alice)

    receipt = _send(
        w3,
        client.functions.requestDeposit(1_900 * USD, investor_alice.address, investor_alice.address),
        investor_alice,
    )
    (request,) = client.events.DepositRequest().process_receipt(receipt, errors=DISCARD)
    assert dict(request["args"]) == {
        "controller": investor_alice.address,
        "owner": investor_alice.address,
        "requestId": 0,
        "sender": investor_alice.address,
        "assets": 1_900 * USD,
    }
    assert client.functions.pendingDepositRequest(0, investor_alice.address).call() == 1_900 * USD

    vault.fulfilDeposit(
        investor_alice, 1_900 * USD, REFERENCE_PRICE, 1, sender=executor
    )  # the executor's side

    assert client.functions.claimableDepositRequest(0, investor_alice.address).call() == 1_900 * USD
    assert client.functions.maxMint(investor_alice.address).call() == 10 * SHARE
    claim = client.get_function_by_signature("deposit(uint256,address,address)")
    receipt = _send(w3, claim(1_900 * USD, investor_alice.address, investor_alice.address), investor_alice)
    (deposit,) = client.events.Deposit().process_receipt(receipt, errors=DISCARD)
    assert dict(deposit["args"]) == {
        "sender": investor_alice.address,
        "owner": investor_alice.address,
        "assets": 1_900 * USD,
        "shares": 10 * SHARE,
    }
    assert erc20_share.functions.balanceOf(investor_alice.address).call() == 10 * SHARE


def test_a_redemption_through_the_published_abi(w3, client, vault, cash, token, investor_alice, executor):
    vault.requestDeposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    vault.fulfilDeposit(investor_alice, 1_900 * USD, REFERENCE_PRICE, 1, sender=executor)
    vault.deposit(1_900 * USD, investor_alice, investor_alice, sender=investor_alice)
    erc20_share = w3.eth.contract(address=token.address, abi=ERC20_ABI)
    _send(w3, erc20_share.functions.approve(vault.address, 10 * SHARE), investor_alice)

    receipt = _send(
        w3,
        client.functions.requestRedeem(4 * SHARE, investor_alice.address, investor_alice.address),
        investor_alice,
    )
    (request,) = client.events.RedeemRequest().process_receipt(receipt, errors=DISCARD)
    assert request["args"]["shares"] == 4 * SHARE
    assert client.functions.pendingRedeemRequest(0, investor_alice.address).call() == 4 * SHARE

    vault.fulfilRedeem(investor_alice, 4 * SHARE, REFERENCE_PRICE, 2, sender=executor)

    assert client.functions.claimableRedeemRequest(0, investor_alice.address).call() == 4 * SHARE
    assert client.functions.maxWithdraw(investor_alice.address).call() == 760 * USD
    before = cash.balanceOf(investor_alice)
    receipt = _send(
        w3, client.functions.redeem(4 * SHARE, investor_alice.address, investor_alice.address), investor_alice
    )
    (withdraw,) = client.events.Withdraw().process_receipt(receipt, errors=DISCARD)
    assert withdraw["args"]["assets"] == 760 * USD
    assert cash.balanceOf(investor_alice) == before + 760 * USD


def test_operators_and_cancelation_through_the_published_abi(
    w3, client, vault, cash, investor_alice, investor_bob, executor
):
    receipt = _send(w3, client.functions.setOperator(investor_bob.address, True), investor_alice)
    (operator_set,) = client.events.OperatorSet().process_receipt(receipt, errors=DISCARD)
    assert dict(operator_set["args"]) == {
        "controller": investor_alice.address,
        "operator": investor_bob.address,
        "approved": True,
    }
    assert client.functions.isOperator(investor_alice.address, investor_bob.address).call()
    vault.requestDeposit(500 * USD, investor_alice, investor_alice, sender=investor_alice)

    receipt = _send(w3, client.functions.cancelDepositRequest(0, investor_alice.address), investor_bob)
    (cancel,) = client.events.CancelDepositRequest().process_receipt(receipt, errors=DISCARD)
    assert dict(cancel["args"]) == {
        "controller": investor_alice.address,
        "requestId": 0,
        "sender": investor_bob.address,
    }
    assert client.functions.pendingCancelDepositRequest(0, investor_alice.address).call()

    vault.fulfilCancelDeposit(investor_alice, sender=executor)  # the executor's side

    assert client.functions.claimableCancelDepositRequest(0, investor_alice.address).call() == 500 * USD
    before = cash.balanceOf(investor_alice)
    receipt = _send(
        w3,
        client.functions.claimCancelDepositRequest(0, investor_alice.address, investor_alice.address),
        investor_bob,
    )
    (claim,) = client.events.CancelDepositClaim().process_receipt(receipt, errors=DISCARD)
    assert claim["args"]["assets"] == 500 * USD
    assert cash.balanceOf(investor_alice) == before + 500 * USD


def test_erc7575_share_and_asset_and_the_previews(w3, client, project, vault, cash, dai, dai_vault, token):
    share = w3.eth.contract(address=token.address, abi=_abi(project, "IERC7575Share") + ERC165_ABI)

    assert client.functions.share().call() == token.address
    assert client.functions.asset().call() == cash.address
    assert share.functions.vault(cash.address).call() == vault.address
    assert share.functions.vault(dai.address).call() == dai_vault.address
    assert share.functions.supportsInterface(bytes.fromhex("f815c03d")).call()
    with pytest.raises(ContractLogicError):
        client.functions.previewDeposit(1).call()
