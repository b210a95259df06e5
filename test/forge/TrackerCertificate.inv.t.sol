// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest, Vm, Bound} from "./utils/Vm.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {TrackerCertificate} from "../../contracts/assets/TrackerCertificate.sol";
import {ITrackerCertificateTypes} from "../../contracts/interfaces/ITrackerCertificate.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {AttestedFeed} from "../../contracts/feeds/AttestedFeed.sol";
import {MockGatewaySupply} from "../../contracts/test/MockGatewaySupply.sol";
import {Proxies} from "./utils/Proxies.sol";
import {Identities} from "./utils/Identities.sol";

/// @notice Random minter, holder, custodian, transfer-agent and gateway actions on a tracker
/// certificate: mint against the reserve feed, transfers, transferFrom and units transfers (each
/// checked for exact balance deltas), scheduled splits
/// and reverse splits (possibly activating later), management fee accrual, redemptions,
/// reserve reports, supply leaving and coming back through the gateway, and time warps.
/// @dev After every successful mint it checks the reserve rule at that instant and raises a flag
/// if it did not hold; the invariant is that the flag stays down.
contract CertificateHandler {
    using Bound for uint256;

    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 public constant HOLDERS = 5;

    TrackerCertificate public immutable cert;
    AttestedFeed public immutable feed;
    MockGatewaySupply public immutable gateway;
    SanctionsList public immutable sanctions;
    bytes32 public immutable assetId;

    /// @notice Raised when a mint succeeded although supply (+ elsewhere) exceeded the reserves
    /// or the reserve report was stale.
    bool public mintBrokeReserves;
    uint256 public lastRequired;
    uint256 public lastReserves;

    uint256 public redeemedUnits;

    /// @notice Raised when a successful transfer, transferFrom or units transfer changed the
    /// sender's or the recipient's balance by anything other than the amount moved.
    bool public transferNotExact;
    uint256 public lastExpectedDelta;
    uint256 public lastSenderDelta;
    uint256 public lastRecipientDelta;
    uint64 public nonce;
    mapping(bytes32 action => uint256 count) public successes;

    constructor(TrackerCertificate cert_, AttestedFeed feed_, MockGatewaySupply gateway_, SanctionsList sanctions_) {
        cert = cert_;
        feed = feed_;
        gateway = gateway_;
        sanctions = sanctions_;
        assetId = cert_.assetId();
    }

    function holder(uint256 i) public pure returns (address) {
        return address(uint160(0xC000 + i));
    }

    function _pick(uint256 seed) private pure returns (address) {
        return holder(seed % HOLDERS);
    }

    function _ceilTokens(uint256 units, uint256 m) private pure returns (uint256) {
        return (units * m + 1e18 - 1) / 1e18;
    }

    // ------------------------------------------------------------------------------------------
    // Minting and reserves
    // ------------------------------------------------------------------------------------------

    function mint(uint256 toSeed, uint256 amount) external {
        (uint256 reserves,,) = cert.reserves();
        // Mostly amounts near what the reserves still allow, some beyond.
        uint256 room = cert.mintableShares();
        amount = amount.bound(1, room + room / 4 + 10e18);
        try cert.mint(_pick(toSeed), amount) {
            successes["mint"]++;
            (, uint256 updatedAt, bool fresh) = cert.reserves();
            updatedAt;
            uint256 required = _ceilTokens(cert.totalUnits() + gateway.supplyElsewhere(assetId), cert.multiplier());
            if (required > reserves || !fresh) {
                mintBrokeReserves = true;
                lastRequired = required;
                lastReserves = reserves;
            }
        } catch {}
    }

    /// @notice The custodian reports a reserve figure around what is outstanding (50%..200%).
    function reportReserves(uint256 factorBps) external {
        uint256 outstanding = _ceilTokens(cert.totalUnits() + gateway.supplyElsewhere(assetId), cert.multiplier());
        uint256 answer = (outstanding + 100e18) * factorBps.bound(5_000, 20_000) / 10_000;
        feed.report(int256(answer));
        successes["report"]++;
    }

    // ------------------------------------------------------------------------------------------
    // Holders
    // ------------------------------------------------------------------------------------------

    /// @dev Checks that a successful move of `value` changed both balances by exactly `value`.
    function _checkDeltas(address from, address to, uint256 fromBefore, uint256 toBefore, uint256 value) private {
        if (from == to) return;
        uint256 fromAfter = cert.balanceOf(from);
        uint256 toAfter = cert.balanceOf(to);
        if (
            fromBefore < fromAfter || fromBefore - fromAfter != value || toAfter < toBefore
                || toAfter - toBefore != value
        ) {
            transferNotExact = true;
            lastExpectedDelta = value;
            lastSenderDelta = fromBefore > fromAfter ? fromBefore - fromAfter : fromAfter - fromBefore;
            lastRecipientDelta = toAfter > toBefore ? toAfter - toBefore : toBefore - toAfter;
        }
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _pick(fromSeed);
        address to = _pick(toSeed);
        amount = amount.bound(0, cert.balanceOf(from));
        (uint256 fromBefore, uint256 toBefore) = (cert.balanceOf(from), cert.balanceOf(to));
        vm.prank(from);
        try cert.transfer(to, amount) {
            successes["transfer"]++;
            _checkDeltas(from, to, fromBefore, toBefore, amount);
        } catch {}
    }

    function transferFrom(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _pick(fromSeed);
        address to = _pick(toSeed);
        amount = amount.bound(0, cert.balanceOf(from));
        vm.prank(from);
        cert.approve(address(this), amount);
        (uint256 fromBefore, uint256 toBefore) = (cert.balanceOf(from), cert.balanceOf(to));
        try cert.transferFrom(from, to, amount) {
            successes["transferFrom"]++;
            _checkDeltas(from, to, fromBefore, toBefore, amount);
        } catch {}
    }

    function transferUnits(uint256 fromSeed, uint256 toSeed, uint256 units) external {
        address from = _pick(fromSeed);
        address to = _pick(toSeed);
        units = units.bound(0, cert.unitsOf(from));
        uint256 value = _ceilTokens(units, cert.multiplier());
        (uint256 fromBefore, uint256 toBefore) = (cert.balanceOf(from), cert.balanceOf(to));
        vm.prank(from);
        try cert.transferUnits(to, units) {
            successes["transferUnits"]++;
            _checkDeltas(from, to, fromBefore, toBefore, value);
        } catch {}
    }

    function requestRedemption(uint256 fromSeed, uint256 shares) external {
        address from = _pick(fromSeed);
        shares = shares.bound(1, cert.balanceOf(from) + 1);
        uint256 before = cert.totalUnits();
        vm.prank(from);
        try cert.requestRedemption(shares) {
            redeemedUnits += before - cert.totalUnits();
            successes["redeem"]++;
        } catch {}
    }

    // ------------------------------------------------------------------------------------------
    // Corporate actions and fee
    // ------------------------------------------------------------------------------------------

    /// @notice Schedules a split or reverse split, active now or up to 3 days later.
    function scheduleSplit(uint256 kind, uint256 delay) external {
        uint256 m = cert.multiplier();
        // 2:1, 1:2, 3:2, 2:3, 7:3: integer and non-integer ratios (the fee makes m non-round too).
        uint256 k = kind % 5;
        uint256 next = k == 0 ? m * 2 : k == 1 ? m / 2 : k == 2 ? m * 3 / 2 : k == 3 ? m * 2 / 3 : m * 7 / 3;
        uint64 activation = uint64(block.timestamp + delay.bound(0, 3 days));
        try cert.scheduleMultiplierUpdate(m, next, activation, nonce + 1) {
            nonce++;
            successes["split"]++;
        } catch {}
    }

    function cancelSplit() external {
        (uint64 pending,,) = cert.pendingMultiplierUpdate();
        if (pending == 0) return;
        try cert.cancelMultiplierUpdate(pending) {} catch {}
    }

    function setFee(uint256 fee, uint256 period) external {
        try cert.setManagementFee(uint64(fee.bound(0, 1e15)), uint32(period.bound(1 hours, 30 days))) {
            successes["fee"]++;
        } catch {}
    }

    function accrueFee() external {
        cert.accrueFee();
    }

    // ------------------------------------------------------------------------------------------
    // Supply leaving and coming back through the (mock) home gateway
    // ------------------------------------------------------------------------------------------

    function sendElsewhere(uint256 fromSeed, uint256 units) external {
        address from = _pick(fromSeed);
        units = units.bound(1, cert.unitsOf(from) + 1);
        uint256 elsewhere = gateway.supplyElsewhere(assetId);
        try gateway.burnOn(cert, from, units) {
            gateway.setSupplyElsewhere(assetId, elsewhere + units);
            successes["send"]++;
        } catch {}
    }

    function comeBack(uint256 toSeed, uint256 units) external {
        uint256 elsewhere = gateway.supplyElsewhere(assetId);
        if (elsewhere == 0) return;
        units = units.bound(1, elsewhere);
        try gateway.mintOn(cert, _pick(toSeed), units) {
            gateway.setSupplyElsewhere(assetId, elsewhere - units);
            successes["return"]++;
        } catch {}
    }

    // ------------------------------------------------------------------------------------------
    // Compliance and time
    // ------------------------------------------------------------------------------------------

    function setSanctioned(uint256 seed, bool sanctioned) external {
        try sanctions.setSanctioned(_pick(seed), sanctioned) {} catch {}
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + seconds_.bound(1, 2 days));
    }
}

contract TrackerCertificateInvariantTest is ForgeTest {
    TrackerCertificate internal cert;
    AttestedFeed internal feed;
    MockGatewaySupply internal gateway;
    SanctionsList internal sanctions;
    CertificateHandler internal handler;

    uint256 internal constant HOLDERS = 5;

    function setUp() public {
        vm.warp(1_700_000_000);
        sanctions = Proxies.deploySanctionsList(address(this));
        feed = new AttestedFeed(address(this), 18, "AAPL reserves");
        gateway = new MockGatewaySupply();
        cert = Proxies.deployTrackerCertificate(
            Identities.aapl(IAssetIdentity.Architecture.TrackerCertificate),
            ITrackerCertificateTypes.CertificateConfig({
                name: "Tracker AAPL",
                symbol: "trAAPL",
                admin: address(this),
                sanctionsList: address(sanctions),
                reserveFeed: address(feed),
                reserveHeartbeat: 1 days
            })
        );
        cert.setGateway(address(gateway));
        sanctions.addSubscriber(address(cert)); // listings are pushed to the cached flags
        handler = new CertificateHandler(cert, feed, gateway, sanctions);
        cert.grantRole(cert.MINTER_ROLE(), address(handler));
        cert.grantRole(cert.TRANSFER_AGENT_ROLE(), address(handler));
        cert.grantRole(cert.DEFAULT_ADMIN_ROLE(), address(handler));
        feed.grantRole(feed.REPORTER_ROLE(), address(handler));
        sanctions.grantRole(sanctions.COMPLIANCE_ROLE(), address(handler));
        feed.grantRole(feed.REPORTER_ROLE(), address(this));
        feed.report(1_000e18);
        targetContract(address(handler));
    }

    /// @notice Smoke test of the handler: mint, transfers, redemption, split, fee and both gateway
    /// directions succeed, so the campaign explores real state changes.
    function test_handler_actions_succeed() public {
        handler.mint(0, 100e18);
        handler.transfer(0, 1, 10e18);
        handler.transferUnits(1, 2, 1e18);
        handler.requestRedemption(0, 5e18);
        handler.sendElsewhere(0, 20e18);
        handler.comeBack(3, 5e18);
        handler.scheduleSplit(0, 0);
        handler.setFee(1e15, 1 days);
        handler.warp(2 days);
        handler.reportReserves(10_000);
        handler.mint(4, 1e18);
        assertEq(handler.successes("mint"), 2, "mints");
        assertEq(handler.successes("transfer"), 1, "transfers");
        assertEq(handler.successes("transferUnits"), 1, "unit transfers");
        assertEq(handler.successes("redeem"), 1, "redemptions");
        assertEq(handler.successes("send"), 1, "sends");
        assertEq(handler.successes("return"), 1, "returns");
        assertEq(handler.successes("split"), 1, "splits");
        assertEq(handler.successes("fee"), 1, "fees");
        invariant_certificate();
    }

    /// @notice The certificate invariants, checked after every handler call.
    function invariant_certificate() public view {
        _checkReservesAtMint();
        _checkTransfersExact();
        _checkUnitSum();
        _checkSupplyRounding();
        _checkSanctionsCache();
    }

    /// @notice The cached sanctions flags equal the (pushing) list for every holder: no lag, and
    /// no balance change ever cleared or set a flag (they share the units slot).
    function _checkSanctionsCache() internal view {
        for (uint256 i; i < HOLDERS; ++i) {
            address h = handler.holder(i);
            assertTrue(cert.isSanctionedCached(h) == sanctions.isSanctioned(h), "cached flag == list");
        }
    }

    /// @notice Supply <= reserves whenever minting succeeded: right after every successful mint,
    /// `ceil((totalUnits + supplyElsewhere) * multiplier)` was at most the attested reserves and the
    /// report was fresh. (Between mints, fee accrual only lowers the supply; splits and reserve
    /// reports move the two sides independently, which is the custodian's duty to reconcile.)
    function _checkReservesAtMint() internal view {
        if (handler.mintBrokeReserves()) {
            revert AssertionFailed("mint exceeded reserves", handler.lastRequired(), handler.lastReserves());
        }
    }

    /// @notice ERC-20 exactness (finding 13.7): every successful transfer, transferFrom and units
    /// transfer changed the sender's and the recipient's balances by exactly the amount moved, at
    /// whatever multiplier the campaign reached (splits, reverse splits, non-integer ratios, fee).
    function _checkTransfersExact() internal view {
        if (handler.transferNotExact()) {
            revert AssertionFailed("transfer delta != amount", handler.lastExpectedDelta(), handler.lastSenderDelta());
        }
    }

    /// @notice Sum of unit balances (each rounded down) <= total units, which is an upper bound of
    /// the exact units held (the gateway never holds, redemptions burn).
    function _checkUnitSum() internal view {
        uint256 sum;
        for (uint256 i; i < HOLDERS; ++i) {
            sum += cert.unitsOf(handler.holder(i));
        }
        assertLe(sum, cert.totalUnits(), "sum of units <= totalUnits");
        assertEq(cert.balanceOf(address(gateway)), 0, "gateway holds nothing");
    }

    /// @notice Token view: the sum of balances never exceeds `totalSupply` (the dust above it is
    /// bounded in docs/security/certificate.md and checked exactly by the Python property test).
    function _checkSupplyRounding() internal view {
        uint256 sum;
        for (uint256 i; i < HOLDERS; ++i) {
            sum += cert.balanceOf(handler.holder(i));
        }
        assertLe(sum, cert.totalSupply(), "sum of balances <= totalSupply");
    }
}
