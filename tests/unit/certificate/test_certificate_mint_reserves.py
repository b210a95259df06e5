"""Minting is gated by the custodian's proof of reserve: fresh feed, supply on all chains <= reserves."""

from ape import chain
from certificate_constants import ASSET_ID, HEARTBEAT, INITIAL_RESERVES, ZERO
from revert_data import reverts

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.multiplier import ONE


def test_mint_credits_the_recipient_and_emits_transfer(cert, issuer, investor_alice):
    receipt = cert.mint(investor_alice, 10 * ONE, sender=issuer)

    assert receipt.events == [cert.Transfer(ZERO, investor_alice, 10 * ONE)]
    assert cert.balanceOf(investor_alice) == 10 * ONE
    assert cert.unitsOf(investor_alice) == 10 * ONE
    assert cert.totalSupply() == 10 * ONE


def test_mint_is_allowed_at_exactly_the_attested_reserves(cert, issuer, investor_alice):
    cert.mint(investor_alice, INITIAL_RESERVES * ONE, sender=issuer)

    assert cert.totalSupply() == INITIAL_RESERVES * ONE
    assert cert.mintableShares() == 0


def test_mint_above_the_attested_reserves_is_refused(cert, issuer, investor_alice):
    with reverts(
        cert.CertificateReservesExceeded,
        requiredShares=INITIAL_RESERVES * ONE + 1,
        reserveShares=INITIAL_RESERVES * ONE,
    ):
        cert.mint(investor_alice, INITIAL_RESERVES * ONE + 1, sender=issuer)


def test_mint_is_refused_once_the_feed_is_older_than_the_heartbeat(cert, issuer, investor_alice):
    chain.mine(deltatime=HEARTBEAT + 1)

    with reverts(cert.CertificateStaleReserves):
        cert.mint(investor_alice, ONE, sender=issuer)


def test_mint_is_allowed_at_exactly_the_heartbeat(cert, issuer, investor_alice, reserve_feed):
    _, _, _, updated_at, _ = reserve_feed.latestRoundData()
    chain.pending_timestamp = updated_at + HEARTBEAT

    cert.mint(investor_alice, ONE, sender=issuer)

    assert cert.balanceOf(investor_alice) == ONE


def test_mint_is_refused_before_any_reserve_report(deploy_certificate, deploy_feed, issuer, investor_alice):
    cert = deploy_certificate(feed=deploy_feed(0))  # a feed of its own: `cert` reports on the shared one

    with reverts(cert.CertificateStaleReserves, updatedAt=0):
        cert.mint(investor_alice, ONE, sender=issuer)


def test_supply_elsewhere_counts_against_the_same_reserves(cert, gateway, issuer, investor_alice):
    gateway.setSupplyElsewhere(ASSET_ID, 400_000 * ONE, sender=issuer)

    cert.mint(investor_alice, 600_000 * ONE, sender=issuer)
    with reverts(
        cert.CertificateReservesExceeded,
        requiredShares=INITIAL_RESERVES * ONE + 1,
        reserveShares=INITIAL_RESERVES * ONE,
    ):
        cert.mint(investor_alice, 1, sender=issuer)


def test_a_new_report_raises_the_mintable_quantity(cert, reserve_feed, custodian, issuer, investor_alice):
    cert.mint(investor_alice, INITIAL_RESERVES * ONE, sender=issuer)

    reserve_feed.report(INITIAL_RESERVES + 5, sender=custodian)

    assert cert.mintableShares() == 5 * ONE
    cert.mint(investor_alice, 5 * ONE, sender=issuer)


def test_reserves_reads_the_feed_scaled_to_18_decimals(deploy_feed, deploy_certificate, custodian):
    feed = deploy_feed(6)
    cert = deploy_certificate(feed=feed.address)
    feed.report(2_500_000, sender=custodian)  # 2.5 shares with 6 decimals

    shares, updated_at, fresh = cert.reserves()

    assert shares == 25 * ONE // 10
    assert fresh


def test_a_feed_with_more_than_18_decimals_is_refused(deploy_feed, cert, issuer):
    feed = deploy_feed(19)

    with reverts(cert.CertificateInvalidFeed, feed=feed.address):
        cert.setReserveFeed(feed, HEARTBEAT, sender=issuer)


def test_set_reserve_feed_emits_the_feed_heartbeat_and_decimals(deploy_feed, cert, issuer):
    feed = deploy_feed(8)

    receipt = cert.setReserveFeed(feed, 3_600, sender=issuer)

    assert receipt.events == [cert.ReserveFeedSet(feed=feed.address, heartbeat=3_600, feedDecimals=8)]
    assert cert.reserveFeed() == (feed.address, 3_600)


def test_mint_is_refused_off_the_home_chain(remote_cert, issuer, investor_alice):
    with reverts(remote_cert.CertificateNotHomeChain, chainId=chain.chain_id, homeChainId=1):
        remote_cert.mint(investor_alice, ONE, sender=issuer)


def test_mint_worth_zero_units_is_refused(cert, issuer, investor_alice):
    with reverts(cert.CertificateZeroAmount):
        cert.mint(investor_alice, 0, sender=issuer)


def test_mint_after_a_split_counts_the_doubled_supply_against_doubled_reserves(
    funded, schedule, reserve_feed, custodian, issuer, investor_carol
):
    _, activation = schedule(2 * ONE, delay=10)
    chain.pending_timestamp = activation
    reserve_feed.report(2 * INITIAL_RESERVES, sender=custodian)

    assert funded.mintableShares() == 2 * INITIAL_RESERVES * ONE - 300 * ONE
    funded.mint(investor_carol, funded.mintableShares(), sender=issuer)
    assert funded.totalSupply() == 2 * INITIAL_RESERVES * ONE


def test_the_certificate_refuses_another_architecture_at_deployment(
    project, issuer, sanctions, reserve_feed, deploy_certificate
):
    from certificate_constants import ISIN, TERMS_HASH

    from tokenized_stocks.protocol.roles import Architecture

    cert = deploy_certificate()
    identity = (
        ASSET_ID,
        ISIN,
        "AAPL",
        Architecture.REGISTRY_SHARE,
        chain.chain_id,
        "ipfs://t",
        TERMS_HASH,
        b"4H95J0R2X",
    )
    config = ("Tracker AAPL", "AAPLx", issuer, sanctions, reserve_feed, HEARTBEAT)

    with reverts(cert.IdentityInvalid, field="architecture"):
        deploy_behind_proxy(project, issuer, project.TrackerCertificate, identity, config)


def test_the_certificate_refuses_a_zero_sanctions_oracle_at_deployment(
    project, issuer, reserve_feed, deploy_certificate
):
    from certificate_constants import ISIN, TERMS_HASH

    from tokenized_stocks.protocol.roles import Architecture

    cert = deploy_certificate()
    identity = (
        ASSET_ID,
        ISIN,
        "AAPL",
        Architecture.TRACKER_CERTIFICATE,
        chain.chain_id,
        "ipfs://t",
        TERMS_HASH,
        b"4H95J0R2X",
    )
    config = ("Tracker AAPL", "AAPLx", issuer, ZERO, reserve_feed, HEARTBEAT)

    with reverts(cert.CertificateZeroAddress):
        deploy_behind_proxy(project, issuer, project.TrackerCertificate, identity, config)
