// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Bound} from "./utils/Vm.sol";
import {GatewayHandlerBase, GatewayInvariantBase, SameAddressChains} from "./utils/GatewayHandlerBase.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {TrackerCertificate} from "../../contracts/assets/TrackerCertificate.sol";
import {ITrackerCertificateTypes} from "../../contracts/interfaces/ITrackerCertificate.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {AttestedFeed} from "../../contracts/feeds/AttestedFeed.sol";
import {ICrosschainAsset} from "../../contracts/interfaces/ICrosschainAsset.sol";
import {Gateway} from "../../contracts/gateway/Gateway.sol";
import {Proxies} from "./utils/Proxies.sol";

/// @notice The three-chain gateway campaign (`GatewayHandlerBase`) with the tracker certificate:
/// each chain has its own sanctions list and certificate; chains B and C share one gateway
/// address (as the deploy flow makes it). On top of the shared sends,
/// deliveries, batches, expiries and re-submissions, the handler mints on the home chain against
/// a reserve feed that counts the home gateway's real `supplyElsewhere`, redeems, runs a
/// management fee and scheduled splits there (broadcast to B and C), sanctions and delists
/// recipients on any chain (refused deliveries, held refunds) and reports reserves.
contract CertificateGatewayHandler is GatewayHandlerBase {
    using Bound for uint256;

    TrackerCertificate[3] internal _certs;
    SanctionsList[3] internal _sanctions;
    TrackerCertificate public immutable certA;
    AttestedFeed public immutable reserveFeed;

    uint256 public redeemed;
    uint64 public nonce;
    /// @notice Raised when a mint succeeded while supply + supplyElsewhere exceeded the reserves.
    bool public mintBrokeReserves;

    constructor(
        Gateway gwA_,
        Gateway gwBC_,
        Gateway gwA2_,
        SameAddressChains twin_,
        TrackerCertificate[3] memory certs_,
        SanctionsList[3] memory sanctions_,
        AttestedFeed reserveFeed_
    ) GatewayHandlerBase(certs_[0].assetId(), gwA_, gwBC_, gwA2_, twin_) {
        _certs = certs_;
        _sanctions = sanctions_;
        certA = certs_[0];
        reserveFeed = reserveFeed_;
    }

    function _totalUnits(uint64 chainId) internal view override returns (uint256) {
        return _certs[chainId - CHAIN_A].totalUnits();
    }

    function _unitsOf(uint64 chainId, address holder) internal view override returns (uint256) {
        return _certs[chainId - CHAIN_A].unitsOf(holder);
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

    function setSanctioned(uint256 chainSeed, uint256 seed, bool sanctioned) external {
        uint64 chainId = _chain(chainSeed);
        _on(chainId);
        try _sanctions[chainId - CHAIN_A].setSanctioned(wallet(seed % WALLETS), sanctioned) {} catch {}
    }
}

contract CertificateGatewayInvariantTest is GatewayInvariantBase {
    CertificateGatewayHandler internal handler;
    TrackerCertificate[3] internal certs;
    SanctionsList[3] internal sanctions;
    AttestedFeed internal reserveFeed;

    function _handler() internal view override returns (GatewayHandlerBase) {
        return handler;
    }

    function _deployAsset(address feed) internal returns (SanctionsList list, TrackerCertificate cert) {
        list = Proxies.deploySanctionsList(address(this));
        cert = Proxies.deployTrackerCertificate(
            _identity(IAssetIdentity.Architecture.TrackerCertificate),
            ITrackerCertificateTypes.CertificateConfig({
                name: "Tracker AAPL",
                symbol: "trAAPL",
                admin: address(this),
                sanctionsList: address(list),
                reserveFeed: feed,
                reserveHeartbeat: 1 days
            })
        );
        list.addSubscriber(address(cert)); // listings reach the cached flags at once
    }

    function setUp() public {
        vm.warp(1_700_000_000);
        vm.chainId(CHAIN_A);
        reserveFeed = new AttestedFeed(address(this), 18, "AAPL reserves");
        reserveFeed.grantRole(reserveFeed.REPORTER_ROLE(), address(this));
        reserveFeed.report(1_000e18);
        (sanctions[0], certs[0]) = _deployAsset(address(reserveFeed));
        gwA = _newGateway();
        _register(gwA, ICrosschainAsset(address(certs[0])));
        certs[0].setGateway(address(gwA));
        gwA2 = _newGateway(); // a redeployment of A's gateway, linked like A but not the asset's
        _register(gwA2, ICrosschainAsset(address(certs[0])));
        _deploySharedGateway();
        (sanctions[1], certs[1]) = _deployAsset(address(0));
        _register(gwBC, ICrosschainAsset(address(certs[1])));
        certs[1].setGateway(address(gwBC));
        _enter(CHAIN_C);
        (sanctions[2], certs[2]) = _deployAsset(address(0));
        _register(gwBC, ICrosschainAsset(address(certs[2])));
        certs[2].setGateway(address(gwBC));

        handler = new CertificateGatewayHandler(gwA, gwBC, gwA2, twin, certs, sanctions, reserveFeed);
        _connectGateways(address(handler));
        certs[0].grantRole(certs[0].MINTER_ROLE(), address(handler));
        certs[0].grantRole(certs[0].TRANSFER_AGENT_ROLE(), address(handler));
        certs[0].grantRole(certs[0].DEFAULT_ADMIN_ROLE(), address(handler));
        reserveFeed.grantRole(reserveFeed.REPORTER_ROLE(), address(handler));
        for (uint256 c; c < 3; ++c) {
            sanctions[c].grantRole(sanctions[c].COMPLIANCE_ROLE(), address(handler));
        }
        targetContract(address(handler));
    }

    /// @notice Smoke test of the handler: mint, round trips between every pair of chains (B and
    /// C at one gateway address), a refused delivery whose refund is held then released, an
    /// expiry refunded, a batch, a fee, a split broadcast and a misdelivery all go through.
    function test_handler_actions_succeed() public {
        handler.mint(0, 100e18);
        handler.send(0, 0, 0, 2, 10e18, 1 days); // A -> B: delivered
        handler.deliver(0, 0);
        handler.setSanctioned(2, 4, true);
        handler.send(0, 1, 0, 4, 5e18, 1 days); // A -> C to a wallet sanctioned on C: rejected
        handler.deliver(0, 1);
        handler.setSanctioned(0, 0, true); // the sender is sanctioned on A: the refund is held
        handler.deliver(0, 2);
        handler.setSanctioned(0, 0, false);
        handler.releaseHeld(0);
        handler.send(1, 0, 2, 3, 4e18, 1 days); // B -> C (one gateway address)
        handler.deliver(0, 0);
        handler.send(2, 0, 3, 1, 1e18, 1 days); // C -> A
        handler.deliverBatch(0, 0);
        handler.send(0, 0, 0, 3, 1e18, 1 hours); // A -> B, left to expire
        handler.expire(0, 0);
        handler.deliver(0, 0);
        handler.send(1, 1, 2, 0, 1e18, 1 days); // B -> A: delivered
        handler.deliver(0, 0);
        handler.setFee(1e15);
        handler.splitAndBroadcast(0, 0);
        handler.deliver(0, 0);
        handler.deliver(0, 0);
        handler.resubmit(0, 0);
        handler.deliverToAnotherGateway(0, 0, true);
        handler.redeem(0, 1e18);
        _assertSmokeCounts();
        assertEq(certs[1].multiplier(), certs[0].multiplier(), "split synced to B");
        assertEq(certs[2].multiplier(), certs[0].multiplier(), "split synced to C");
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
        assertEq(certs[0].unitsOf(address(gwA)), 0, "gateway A holds nothing");
        assertEq(certs[1].unitsOf(address(gwBC)), 0, "gateway B holds nothing");
        assertEq(certs[2].unitsOf(address(gwBC)), 0, "gateway C holds nothing");
    }

    /// @notice Units on A + B + C + in flight + held == units minted on the home chain - redeemed.
    function _checkGlobalSupply() internal view {
        assertEq(
            certs[0].totalUnits() + certs[1].totalUnits() + certs[2].totalUnits() + handler.inflightUnits()
                + handler.heldUnits() + handler.redeemed(),
            handler.issued(),
            "A + B + C + in flight + held == minted - redeemed"
        );
    }

    /// @notice Supply <= reserves whenever minting succeeded, with the real home gateway's
    /// `supplyElsewhere` (units on B and C, in flight and held) counted.
    function _checkReservesAtMint() internal view {
        assertTrue(!handler.mintBrokeReserves(), "mint exceeded reserves");
    }
}
