// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Bound} from "./utils/Vm.sol";
import {GatewayHandlerBase, GatewayInvariantBase} from "./utils/GatewayHandlerBase.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {TrackerCertificate} from "../../contracts/assets/TrackerCertificate.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {AttestedFeed} from "../../contracts/feeds/AttestedFeed.sol";
import {ICrosschainAsset} from "../../contracts/interfaces/ICrosschainAsset.sol";
import {Gateway} from "../../contracts/gateway/Gateway.sol";

/// @notice The two-chain gateway campaign (`GatewayHandlerBase`) with the tracker certificate:
/// each chain has its own sanctions list, certificate and gateway. On top of the shared sends,
/// deliveries, batches, expiries and re-submissions, the handler mints on the home chain against
/// a reserve feed that counts the home gateway's real `supplyElsewhere`, redeems, runs a
/// management fee and scheduled splits there (broadcast to B), sanctions and delists recipients
/// on either chain (refused deliveries, blocked refunds) and reports reserves.
contract CertificateGatewayHandler is GatewayHandlerBase {
    using Bound for uint256;

    TrackerCertificate public immutable certA;
    TrackerCertificate public immutable certB;
    SanctionsList public immutable sanctionsA;
    SanctionsList public immutable sanctionsB;
    AttestedFeed public immutable reserveFeed;

    uint256 public redeemed;
    uint64 public nonce;
    /// @notice Raised when a mint succeeded while supply + supplyElsewhere exceeded the reserves.
    bool public mintBrokeReserves;

    constructor(
        Gateway gwA_,
        Gateway gwB_,
        TrackerCertificate certA_,
        TrackerCertificate certB_,
        SanctionsList sanctionsA_,
        SanctionsList sanctionsB_,
        AttestedFeed reserveFeed_
    ) GatewayHandlerBase(certA_.assetId(), gwA_, gwB_) {
        certA = certA_;
        certB = certB_;
        sanctionsA = sanctionsA_;
        sanctionsB = sanctionsB_;
        reserveFeed = reserveFeed_;
    }

    function _totalUnits(bool onA) internal view override returns (uint256) {
        return (onA ? certA : certB).totalUnits();
    }

    function _unitsOf(bool onA, address holder) internal view override returns (uint256) {
        return (onA ? certA : certB).unitsOf(holder);
    }

    function _maxWarp() internal pure override returns (uint256) {
        return 12 hours;
    }

    // ------------------------------------------------------------------------------------------
    // Home chain: minting against reserves, redemption, fee, corporate actions
    // ------------------------------------------------------------------------------------------

    function _ceilTokens(uint256 units, uint256 m) private pure returns (uint256) {
        return (units * m + 1e18 - 1) / 1e18;
    }

    function mint(uint256 toSeed, uint256 amount) external {
        _on(CHAIN_A);
        uint256 room = certA.mintableShares();
        amount = amount.bound(1, room + room / 4 + 10e18);
        uint256 before = certA.totalUnits();
        try certA.mint(wallet(toSeed % WALLETS), amount) {
            issued += certA.totalUnits() - before;
            (uint256 reserves,,) = certA.reserves();
            uint256 outstanding = certA.totalUnits() + gwA.supplyElsewhere(assetId);
            if (_ceilTokens(outstanding, certA.multiplier()) > reserves) mintBrokeReserves = true;
        } catch {}
    }

    function reportReserves(uint256 factorBps) external {
        _on(CHAIN_A);
        uint256 outstanding = _ceilTokens(certA.totalUnits() + gwA.supplyElsewhere(assetId), certA.multiplier());
        reserveFeed.report(int256((outstanding + 100e18) * factorBps.bound(5_000, 20_000) / 10_000));
    }

    function redeem(uint256 fromSeed, uint256 shares) external {
        _on(CHAIN_A);
        address from = wallet(fromSeed % WALLETS);
        shares = shares.bound(1, certA.balanceOf(from) + 1);
        uint256 before = certA.totalUnits();
        vm.prank(from);
        try certA.requestRedemption(shares) {
            redeemed += before - certA.totalUnits();
        } catch {}
    }

    function setFee(uint256 fee) external {
        _on(CHAIN_A);
        try certA.setManagementFee(uint64(fee.bound(0, 1e15)), 1 days) {} catch {}
    }

    function splitAndBroadcast(uint256 seed, uint256 delay) external {
        _on(CHAIN_A);
        uint256 m = certA.multiplier();
        uint256 next = seed % 2 == 0 ? m * 2 : m / 2;
        try certA.scheduleMultiplierUpdate(m, next, uint64(block.timestamp + delay.bound(0, 1 days)), nonce + 1) {
            nonce++;
        } catch {}
        _broadcastCorporateAction();
    }

    // ------------------------------------------------------------------------------------------
    // Compliance (refused deliveries, blocked refunds)
    // ------------------------------------------------------------------------------------------

    function setSanctioned(bool onA, uint256 seed, bool sanctioned) external {
        _on(onA ? CHAIN_A : CHAIN_B);
        try (onA ? sanctionsA : sanctionsB).setSanctioned(wallet(seed % WALLETS), sanctioned) {} catch {}
    }
}

contract CertificateGatewayInvariantTest is GatewayInvariantBase {
    CertificateGatewayHandler internal handler;
    TrackerCertificate internal certA;
    TrackerCertificate internal certB;
    SanctionsList internal sanctionsA;
    SanctionsList internal sanctionsB;
    AttestedFeed internal reserveFeed;

    function _handler() internal view override returns (GatewayHandlerBase) {
        return handler;
    }

    function _deploySide(address feed) internal returns (SanctionsList sanctions, TrackerCertificate cert, Gateway gw) {
        sanctions = new SanctionsList(address(this));
        cert = new TrackerCertificate(
            _identity(IAssetIdentity.Architecture.TrackerCertificate),
            TrackerCertificate.CertificateConfig({
                name: "Tracker AAPL",
                symbol: "trAAPL",
                admin: address(this),
                sanctionsList: address(sanctions),
                reserveFeed: feed,
                reserveHeartbeat: 1 days
            })
        );
        sanctions.addSubscriber(address(cert)); // listings reach the cached flags at once
        gw = _deployGateway(ICrosschainAsset(address(cert)));
        cert.setGateway(address(gw));
    }

    function setUp() public {
        vm.warp(1_700_000_000);
        vm.chainId(CHAIN_A);
        reserveFeed = new AttestedFeed(address(this), 18, "AAPL reserves");
        reserveFeed.grantRole(reserveFeed.REPORTER_ROLE(), address(this));
        reserveFeed.report(1_000e18);
        (sanctionsA, certA, gwA) = _deploySide(address(reserveFeed));
        vm.chainId(CHAIN_B);
        (sanctionsB, certB, gwB) = _deploySide(address(0));
        _connectGateways();

        handler = new CertificateGatewayHandler(gwA, gwB, certA, certB, sanctionsA, sanctionsB, reserveFeed);
        certA.grantRole(certA.MINTER_ROLE(), address(handler));
        certA.grantRole(certA.TRANSFER_AGENT_ROLE(), address(handler));
        certA.grantRole(certA.DEFAULT_ADMIN_ROLE(), address(handler));
        reserveFeed.grantRole(reserveFeed.REPORTER_ROLE(), address(handler));
        sanctionsA.grantRole(sanctionsA.COMPLIANCE_ROLE(), address(handler));
        sanctionsB.grantRole(sanctionsB.COMPLIANCE_ROLE(), address(handler));
        targetContract(address(handler));
    }

    /// @notice Smoke test of the handler: mint, a round trip, a refused delivery refunded, an
    /// expiry refunded, a batch, a fee and a split broadcast all go through.
    function test_handler_actions_succeed() public {
        handler.mint(0, 100e18);
        handler.send(true, 0, 2, 10e18, 1 days); // A -> B: delivered
        handler.deliver(0, 0);
        handler.setSanctioned(false, 4, true);
        handler.send(true, 0, 4, 5e18, 1 days); // A -> B to a wallet sanctioned on B: rejected
        handler.deliver(0, 1);
        handler.deliver(0, 2); // the Return, back on A
        handler.send(false, 2, 1, 3e18, 1 days); // B -> A
        handler.deliverBatch(0, 0);
        handler.send(true, 0, 3, 1e18, 1 hours); // A -> B, left to expire
        handler.expire(0, 0);
        handler.deliver(0, 0);
        handler.setFee(1e15);
        handler.splitAndBroadcast(0, 0);
        handler.deliver(0, 0);
        handler.resubmit(0, 0);
        handler.redeem(0, 1e18);
        _assertSmokeCounts();
        assertEq(certB.multiplier(), certA.multiplier(), "split synced");
        invariant_certificate_crosschain();
    }

    /// @notice The cross-chain certificate invariants, checked after every handler call.
    function invariant_certificate_crosschain() public view {
        _checkHomeCounter();
        _checkGlobalSupply();
        _checkReservesAtMint();
        _checkNoDoubleProcessing();
        _checkGatewaysHoldNothing();
    }

    /// @notice Burn-and-mint on every chain: the gateways never hold certificates.
    function _checkGatewaysHoldNothing() internal view {
        assertEq(certA.unitsOf(address(gwA)), 0, "gateway A holds nothing");
        assertEq(certB.unitsOf(address(gwB)), 0, "gateway B holds nothing");
    }

    /// @notice Units on A + on B + in flight == units minted on the home chain - units redeemed.
    function _checkGlobalSupply() internal view {
        assertEq(
            certA.totalUnits() + certB.totalUnits() + handler.inflightUnits() + handler.redeemed(),
            handler.issued(),
            "A + B + in flight == minted - redeemed"
        );
    }

    /// @notice Supply <= reserves whenever minting succeeded, with the real home gateway's
    /// `supplyElsewhere` (units on B and in flight) counted.
    function _checkReservesAtMint() internal view {
        assertTrue(!handler.mintBrokeReserves(), "mint exceeded reserves");
    }
}
