"""Units across two chains: a split decided at home while units are in flight mints the right amount."""

from certificate_constants import ASSET_ID, ISIN, TERMS_HASH, pinned_now

from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.protocol.roles import Architecture


def test_units_in_flight_across_a_split_arrive_at_the_split_amount(
    chains, project, funded, gateway, issuer, transfer_agent, investor_alice
):
    # Home chain A: 40 of Alice's tokens leave (units burned, the gateway counts them elsewhere).
    gateway.setSupplyElsewhere(ASSET_ID, 40 * ONE, sender=issuer)
    gateway.burnOn(funded, investor_alice, 40 * ONE, sender=issuer)
    # While the message is in flight, a 2:1 split activates at home.
    funded.scheduleMultiplierUpdate(ONE, 2 * ONE, pinned_now(), 1, sender=transfer_agent)
    epoch, multiplier = funded.corporateActionEpoch(), funded.multiplier()

    with chains.on_b():
        sanctions_b = deploy_behind_proxy(project, issuer, project.SanctionsList, issuer)
        gateway_b = issuer.deploy(project.MockGatewaySupply)
        identity = (
            ASSET_ID,
            ISIN,
            "AAPL",
            Architecture.TRACKER_CERTIFICATE,
            31337,
            "ipfs://terms",
            TERMS_HASH,
            b"4H95J0R2X",
        )
        zero = "0x0000000000000000000000000000000000000000"
        cert_b = deploy_behind_proxy(
            project,
            issuer,
            project.TrackerCertificate,
            identity,
            ("Tracker AAPL", "AAPLx", issuer, sanctions_b, zero, 0),
        )
        cert_b.setGateway(gateway_b, sender=issuer)
        gateway_b.syncOn(cert_b, epoch, multiplier, sender=issuer)
        gateway_b.mintOn(cert_b, investor_alice, 40 * ONE, sender=issuer)

        assert cert_b.balanceOf(investor_alice) == 80 * ONE
        assert cert_b.corporateActionEpoch() == 1

    # At home: Alice's remaining 60 units are worth 120 tokens; reserves count the 40 elsewhere.
    assert funded.balanceOf(investor_alice) == 120 * ONE
    assert funded.totalUnits() + gateway.supplyElsewhere(ASSET_ID) == 150 * ONE
