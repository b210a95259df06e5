"""Every rule of the desk refuses an order with its own error, and nothing moves when it does."""

import pytest
from order_desk_helpers import (
    ALICE,
    ASSET_ID,
    BOB,
    INVESTOR_CAPACITY,
    INVESTOR_REFILL,
    MAX_DEVIATION_BPS,
    MAX_STALENESS,
    REFERENCE_PRICE,
    SHARE,
    USD,
    investor_id,
)
from revert_data import reverts

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.quote import QuoteService, QuoteStatus, Side, sign_quote

pytestmark = pytest.mark.usefixtures("funded")

MAX_CASH = 1_000_000 * USD
DAY = 86_400


def next_weekday_at(now: int, weekday: int, second: int) -> int:
    """The first time after `now` on `weekday` (0 = Sunday) at `second` past midnight UTC."""
    day = now // DAY + 1
    while (day + 4) % 7 != weekday:
        day += 1
    return day * DAY + second


# ---------------------------------------------------------------------------------------------
# Signature, domain, chain, expiry, replay
# ---------------------------------------------------------------------------------------------


def test_quote_signed_by_a_non_signer_is_refused(desk, chain, outsider, investor_alice, balances):
    forger = QuoteService(private_key=outsider.private_key, desk=desk.address, chain_id=chain.chain_id)
    signed = forger.quote(ASSET_ID, Side.BUY, SHARE, REFERENCE_PRICE, ALICE, now=chain.pending_timestamp)
    before = balances()

    with reverts(desk.DeskUnauthorizedSigner, recovered=outsider.address):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_quote_of_a_removed_signer_is_refused(
    desk, make_quote, issuer, quote_signer, investor_alice, balances
):
    signed = make_quote()
    desk.removeSigner(quote_signer, sender=issuer)
    before = balances()

    with reverts(desk.DeskUnauthorizedSigner, recovered=quote_signer.address):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_quote_of_a_rotated_in_signer_is_accepted(
    desk, token, chain, issuer, quote_signer, accounts, investor_alice
):
    new_signer = accounts[17]
    desk.addSigner(new_signer, sender=issuer)
    desk.removeSigner(quote_signer, sender=issuer)
    service = QuoteService(private_key=new_signer.private_key, desk=desk.address, chain_id=chain.chain_id)
    signed = service.quote(ASSET_ID, Side.BUY, SHARE, REFERENCE_PRICE, ALICE, now=chain.pending_timestamp)

    desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert token.balanceOf(investor_alice) == SHARE


def test_quote_for_another_chain_id_is_refused(desk, chain, make_quote, investor_alice, balances):
    signed = make_quote(chain_id=31338)
    before = balances()

    with reverts(desk.DeskWrongChain, quoted=31338, actual=chain.chain_id):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_quote_signed_for_another_desk_is_refused(
    desk, chain, quote_signer, make_quote, investor_alice, balances
):
    other_desk = "0x" + "ab" * 20
    signed = sign_quote(make_quote().quote, quote_signer.private_key, other_desk, chain.chain_id)
    before = balances()

    # A signature over another domain recovers an unrelated address, which is not a signer.
    with reverts(desk.DeskUnauthorizedSigner):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_quote_signed_with_another_chain_in_the_domain_is_refused(
    desk, quote_signer, make_quote, investor_alice, balances
):
    signed = sign_quote(make_quote().quote, quote_signer.private_key, desk.address, 1)
    before = balances()

    with reverts(desk.DeskUnauthorizedSigner):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_tampered_quote_is_refused(desk, quotes, make_quote, investor_alice, balances):
    signed = make_quote(quantity=SHARE)
    tampered = (signed.quote.as_tuple()[:2] + (100 * SHARE,) + signed.quote.as_tuple()[3:], signed.signature)
    before = balances()

    with reverts(desk.DeskUnauthorizedSigner):
        desk.buy(*tampered, MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_expired_quote_is_refused(desk, chain, make_quote, investor_alice, balances):
    signed = make_quote()
    chain.pending_timestamp = signed.quote.expiry + 1
    before = balances()

    with reverts(desk.DeskQuoteExpired, quoteId=signed.quote.quote_id, expiry=signed.quote.expiry):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_quote_is_accepted_at_its_expiry_second(desk, token, chain, make_quote, investor_alice):
    signed = make_quote()
    chain.pending_timestamp = signed.quote.expiry

    desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert token.balanceOf(investor_alice) == 10 * SHARE


def test_replayed_quote_id_is_refused(desk, make_quote, investor_alice, balances):
    signed = make_quote()
    desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)
    before = balances()

    with reverts(desk.DeskQuoteUsed, quoteId=signed.quote.quote_id):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_new_quote_reusing_an_executed_quote_id_is_refused(desk, make_quote, investor_alice, balances):
    first = make_quote()
    desk.buy(*first.args(), MAX_CASH, sender=investor_alice)
    second = make_quote(quantity=SHARE, quote_id=first.quote.quote_id)
    before = balances()

    with reverts(desk.DeskQuoteUsed, quoteId=first.quote.quote_id):
        desk.buy(*second.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_revoked_quote_is_refused(desk, make_quote, quote_signer, investor_alice, balances):
    signed = make_quote()
    desk.revokeQuote(signed.quote.quote_id, sender=quote_signer)
    before = balances()

    with reverts(desk.DeskQuoteRevoked, quoteId=signed.quote.quote_id):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_quote_for_an_unlisted_asset_is_refused(desk, make_quote, quotes, chain, investor_alice, balances):
    unlisted = b"\x42" * 32
    signed = quotes.quote(unlisted, Side.BUY, SHARE, REFERENCE_PRICE, ALICE, now=chain.pending_timestamp)
    before = balances()

    with reverts(desk.DeskUnknownAsset, assetId=unlisted):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_quote_with_zero_quantity_is_refused(desk, make_quote, investor_alice, balances):
    signed = make_quote(quantity=0)
    before = balances()

    with reverts(desk.DeskZeroAmount, quoteId=signed.quote.quote_id):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


# ---------------------------------------------------------------------------------------------
# Investor
# ---------------------------------------------------------------------------------------------


def test_unregistered_wallet_is_refused(desk, make_quote, investor_carol, balances):
    signed = make_quote(investor=investor_id("carol"))
    before = balances()

    with reverts(desk.DeskInvestorNotVerified, wallet=investor_carol.address):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_carol)

    assert balances() == before


def test_frozen_investor_is_refused(desk, desk_registry, registrar, make_quote, investor_alice, balances):
    desk_registry.setInvestorFrozen(ALICE, True, sender=registrar)
    signed = make_quote()
    before = balances()

    with reverts(desk.DeskInvestorNotVerified, wallet=investor_alice.address):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_investor_with_expired_kyc_is_refused(
    desk, desk_registry, chain, price_feed, custodian, make_quote, investor_bob
):
    expiry = desk_registry.investor(BOB).kycExpiry
    chain.pending_timestamp = expiry + 1
    price_feed.report(REFERENCE_PRICE * 100, sender=custodian)
    signed = make_quote(investor=BOB)

    with reverts(desk.DeskInvestorNotVerified, wallet=investor_bob.address):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_bob)


def test_wallet_of_another_investor_is_refused(desk, make_quote, investor_bob, balances):
    signed = make_quote(investor=ALICE)
    before = balances()

    with reverts(desk.DeskWrongInvestor, wallet=investor_bob.address, quoted=ALICE, actual=BOB):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_bob)

    assert balances() == before


def test_wallet_frozen_on_the_token_is_refused(
    desk, token, compliance_officer, make_quote, investor_alice, balances
):
    token.setFrozen(investor_alice, True, sender=compliance_officer)
    signed = make_quote()
    before = balances()

    with reverts(token.OrderTokenFrozen, account=investor_alice.address):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_sanctioned_wallet_is_refused(
    desk, token, sanctions, compliance_officer, make_quote, investor_alice, balances
):
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)
    signed = make_quote()
    before = balances()

    with reverts(token.OrderTokenSanctioned, account=investor_alice.address):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


# ---------------------------------------------------------------------------------------------
# Price, feed, market hours
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("price", [REFERENCE_PRICE * 101 // 100 + 1, REFERENCE_PRICE * 99 // 100 - 1])
def test_price_outside_the_band_is_refused(desk, make_quote, investor_alice, balances, price):
    signed = make_quote(price=price)
    before = balances()

    with reverts(
        desk.DeskPriceOutOfBand,
        price=price,
        referencePrice=REFERENCE_PRICE,
        maxDeviationBps=MAX_DEVIATION_BPS,
    ):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_stale_reference_price_is_refused(desk, chain, price_feed, make_quote, investor_alice, balances):
    updated_at = price_feed.latestRoundData()[3]
    chain.pending_timestamp = updated_at + MAX_STALENESS + 1
    signed = make_quote()
    before = balances()

    with reverts(desk.DeskStaleFeed, assetId=ASSET_ID, updatedAt=updated_at, maxStaleness=MAX_STALENESS):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_refreshed_reference_price_is_accepted_again(
    desk, token, chain, price_feed, custodian, make_quote, investor_alice
):
    chain.pending_timestamp += MAX_STALENESS + 1
    price_feed.report(REFERENCE_PRICE * 100, sender=custodian)
    signed = make_quote()

    desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert token.balanceOf(investor_alice) == 10 * SHARE


def test_order_outside_market_hours_is_refused(
    desk, chain, issuer, price_feed, custodian, make_quote, investor_alice, balances
):
    # Monday to Friday, 14:30 to 21:00 UTC.
    desk.configureAsset(ASSET_ID, MAX_DEVIATION_BPS, MAX_STALENESS, 0b0111110, 52_200, 75_600, sender=issuer)
    saturday_noon = next_weekday_at(chain.pending_timestamp, 6, 43_200)
    chain.pending_timestamp = saturday_noon
    price_feed.report(REFERENCE_PRICE * 100, sender=custodian)
    signed = make_quote()
    before = balances()

    with reverts(desk.DeskMarketClosed, assetId=ASSET_ID):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_order_inside_market_hours_is_accepted(
    desk, token, chain, issuer, price_feed, custodian, make_quote, investor_alice
):
    desk.configureAsset(ASSET_ID, MAX_DEVIATION_BPS, MAX_STALENESS, 0b0111110, 52_200, 75_600, sender=issuer)
    chain.pending_timestamp = next_weekday_at(chain.pending_timestamp, 3, 60_000)  # Wednesday 16:40
    price_feed.report(REFERENCE_PRICE * 100, sender=custodian)
    signed = make_quote()

    desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert token.balanceOf(investor_alice) == 10 * SHARE


# ---------------------------------------------------------------------------------------------
# Rate limits
# ---------------------------------------------------------------------------------------------


def test_investor_rate_limit_refuses_then_refills_over_time(
    desk, token, chain, make_quote, investor_alice, balances
):
    desk.buy(*make_quote(quantity=500 * SHARE).args(), MAX_CASH, sender=investor_alice)  # 95,000 USD
    signed = make_quote(quantity=30 * SHARE)  # 5,700 USD, more than the ~5,000 left
    before = balances()

    with reverts(desk.DeskInvestorRateLimited, investorId=ALICE, requested=5_700 * USD):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before
    chain.pending_timestamp += 700 * USD // INVESTOR_REFILL + 1
    desk.buy(*make_quote(quantity=30 * SHARE).args(), MAX_CASH, sender=investor_alice)
    assert token.balanceOf(investor_alice) == 530 * SHARE


def test_investor_rate_limit_is_shared_by_the_investors_wallets(
    desk, make_quote, investor_alice, investor_alice_2
):
    desk.buy(*make_quote(quantity=500 * SHARE).args(), MAX_CASH, sender=investor_alice)
    signed = make_quote(quantity=30 * SHARE)

    with reverts(desk.DeskInvestorRateLimited, investorId=ALICE, requested=5_700 * USD):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice_2)


def test_investor_rate_limit_does_not_touch_other_investors(
    desk, token, make_quote, investor_alice, investor_bob
):
    desk.buy(*make_quote(quantity=500 * SHARE).args(), MAX_CASH, sender=investor_alice)

    desk.buy(*make_quote(quantity=500 * SHARE, investor=BOB).args(), MAX_CASH, sender=investor_bob)

    assert token.balanceOf(investor_bob) == 500 * SHARE


def test_global_rate_limit_refuses_then_refills_over_time(
    desk, token, chain, issuer, make_quote, investor_alice, investor_bob, balances
):
    desk.setGlobalRateLimit(3_000 * USD, 1 * USD, sender=issuer)
    desk.buy(*make_quote(quantity=10 * SHARE).args(), MAX_CASH, sender=investor_alice)  # 1,900 USD
    signed = make_quote(quantity=10 * SHARE, investor=BOB)
    before = balances()

    with reverts(desk.DeskGlobalRateLimited, requested=1_900 * USD):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_bob)

    assert balances() == before
    chain.pending_timestamp += 900
    desk.buy(*make_quote(quantity=10 * SHARE, investor=BOB).args(), MAX_CASH, sender=investor_bob)
    assert token.balanceOf(investor_bob) == 10 * SHARE


def test_rate_limit_capacity_bounds_a_single_order(desk, make_quote, investor_alice):
    signed = make_quote(quantity=600 * SHARE)  # 114,000 USD > 100,000 USD capacity

    with reverts(desk.DeskInvestorRateLimited, available=INVESTOR_CAPACITY):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)


# ---------------------------------------------------------------------------------------------
# Pause
# ---------------------------------------------------------------------------------------------


def test_desk_pause_refuses_buys(desk, guardian, make_quote, investor_alice, balances):
    desk.pause(sender=guardian)
    signed = make_quote()
    before = balances()

    with reverts(desk.EnforcedPause):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_asset_pause_refuses_buys(desk, token, guardian, make_quote, investor_alice, balances):
    token.pause(sender=guardian)
    signed = make_quote()
    before = balances()

    with reverts(token.OrderTokenPaused, assetId=ASSET_ID):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert balances() == before


def test_unpaused_desk_accepts_buys_again(desk, token, guardian, issuer, make_quote, investor_alice):
    desk.pause(sender=guardian)
    desk.unpause(sender=issuer)

    desk.buy(*make_quote().args(), MAX_CASH, sender=investor_alice)

    assert token.balanceOf(investor_alice) == 10 * SHARE


def test_refused_order_leaves_the_quote_open(desk, guardian, make_quote, investor_alice):
    signed = make_quote()
    desk.pause(sender=guardian)

    with reverts(desk.EnforcedPause):
        desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert desk.quoteStatus(signed.quote.quote_id) == QuoteStatus.OPEN


# ---------------------------------------------------------------------------------------------
# Exact cash
# ---------------------------------------------------------------------------------------------


def test_buy_that_delivers_less_than_the_exact_cash_is_refused(
    project, issuer, desk_registry, deploy_token, price_feed, quote_signer, chain, investor_alice
):
    fee_cash = issuer.deploy(project.FeeOnTransferStablecoin)
    fee_desk = deploy_behind_proxy(project, issuer, project.OrderDesk, issuer, desk_registry)
    fee_desk.initializeCash(fee_cash, sender=issuer)
    fee_desk.addSigner(quote_signer, sender=issuer)
    fee_desk.setGlobalRateLimit(10**15, 0, sender=issuer)
    fee_desk.setInvestorRateLimit(10**15, 0, sender=issuer)
    fee_token = deploy_token(fee_desk)
    fee_desk.listAsset(fee_token, price_feed, MAX_DEVIATION_BPS, MAX_STALENESS, 0, 0, 0, sender=issuer)
    fee_cash.mint(investor_alice, 10_000 * USD, sender=investor_alice)
    fee_cash.approve(fee_desk, 2**256 - 1, sender=investor_alice)
    service = QuoteService(
        private_key=quote_signer.private_key, desk=fee_desk.address, chain_id=chain.chain_id
    )
    signed = service.quote(
        ASSET_ID, Side.BUY, 10 * SHARE, REFERENCE_PRICE, ALICE, now=chain.pending_timestamp
    )

    with reverts(fee_desk.DeskCashMismatch, expected=1_900 * USD, received=1_881 * USD):
        fee_desk.buy(*signed.args(), MAX_CASH, sender=investor_alice)

    assert fee_cash.balanceOf(investor_alice) == 10_000 * USD
    assert fee_token.totalSupply() == 0
