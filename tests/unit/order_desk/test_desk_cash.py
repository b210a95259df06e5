"""The desk's cash is its one-time initialisation, not a constructor argument: the desk's init code
(hence its CREATE2 address) is the same on every chain whatever that chain's stablecoin is. Its
vaults of the desk's cash take it from the desk (cash argument zero)."""

import pytest
from order_desk_helpers import ALICE, ASSET_ID, REFERENCE_PRICE, SHARE, USD
from revert_data import reverts

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.message import ZERO_ADDRESS
from tokenized_stocks.protocol.quote import QuoteService, Side
from tokenized_stocks.protocol.roles import DEFAULT_ADMIN_ROLE, TREASURY_ROLE

pytestmark = pytest.mark.usefixtures("funded")

MAX_CASH = 1_000_000 * USD


@pytest.fixture
def bare_desk(project, issuer, desk_registry):
    """A desk as deployed, before its cash is set."""
    return deploy_behind_proxy(project, issuer, project.OrderDesk, issuer, desk_registry)


def test_a_desk_is_deployed_without_cash(bare_desk):
    assert bare_desk.cash() == ZERO_ADDRESS


def test_the_admin_sets_the_cash_once_with_its_decimals_in_the_event(bare_desk, cash, issuer):
    receipt = bare_desk.initializeCash(cash, sender=issuer)

    assert receipt.events == [bare_desk.CashInitialized(cash.address, 6)]
    assert bare_desk.cash() == cash.address


def test_a_second_initialisation_is_refused_naming_the_cash_set(bare_desk, cash, project, issuer):
    bare_desk.initializeCash(cash, sender=issuer)
    other = issuer.deploy(project.MockStablecoin)

    with reverts(bare_desk.DeskCashAlreadySet, cash=cash.address):
        bare_desk.initializeCash(other, sender=issuer)
    assert bare_desk.cash() == cash.address


def test_an_outsider_cannot_set_the_cash(bare_desk, cash, outsider):
    with reverts(
        bare_desk.AccessControlUnauthorizedAccount, account=outsider.address, neededRole=DEFAULT_ADMIN_ROLE
    ):
        bare_desk.initializeCash(cash, sender=outsider)


def test_the_zero_address_is_not_a_cash(bare_desk, issuer):
    with reverts(bare_desk.DeskZeroAddress):
        bare_desk.initializeCash(ZERO_ADDRESS, sender=issuer)


def test_a_buy_before_the_cash_is_set_is_refused(bare_desk, quote_signer, chain, investor_alice, issuer):
    bare_desk.addSigner(quote_signer, sender=issuer)
    quotes = QuoteService(
        private_key=quote_signer.private_key, desk=bare_desk.address, chain_id=chain.chain_id
    )
    signed = quotes.quote(ASSET_ID, Side.BUY, SHARE, REFERENCE_PRICE, ALICE, now=chain.pending_timestamp)

    with reverts(bare_desk.DeskCashNotSet):
        bare_desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)


def test_a_sell_before_the_cash_is_set_is_refused(bare_desk, quote_signer, chain, investor_alice, issuer):
    quotes = QuoteService(
        private_key=quote_signer.private_key, desk=bare_desk.address, chain_id=chain.chain_id
    )
    signed = quotes.quote(ASSET_ID, Side.SELL, SHARE, REFERENCE_PRICE, ALICE, now=chain.pending_timestamp)

    with reverts(bare_desk.DeskCashNotSet):
        bare_desk.sell(*signed.args(), 0, sender=investor_alice)


def test_buffer_moves_before_the_cash_is_set_are_refused(bare_desk, issuer, treasury):
    bare_desk.grantRole(TREASURY_ROLE, treasury, sender=issuer)

    with reverts(bare_desk.DeskCashNotSet):
        bare_desk.topUpBuffer(USD, sender=treasury)
    with reverts(bare_desk.DeskCashNotSet):
        bare_desk.withdrawBuffer(treasury, USD, sender=treasury)


def test_a_vault_with_cash_zero_takes_the_desks_cash(project, issuer, desk, token, cash):
    vault = deploy_behind_proxy(project, issuer, project.OrderVault, issuer, ZERO_ADDRESS, token)

    assert vault.asset() == cash.address == desk.cash()


def test_a_vault_of_a_desk_without_cash_and_with_cash_zero_is_refused(
    project, issuer, bare_desk, deploy_token
):
    token = deploy_token(bare_desk)

    with reverts(project.OrderVault.VaultZeroAddress):
        deploy_behind_proxy(project, issuer, project.OrderVault, issuer, ZERO_ADDRESS, token)
