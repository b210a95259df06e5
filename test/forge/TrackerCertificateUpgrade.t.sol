// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {Proxies} from "./utils/Proxies.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {TrackerCertificate} from "../../contracts/assets/TrackerCertificate.sol";
import {CertificateExtension} from "../../contracts/assets/certificate/CertificateExtension.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {AttestedFeed} from "../../contracts/feeds/AttestedFeed.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {ITrackerCertificateTypes} from "../../contracts/interfaces/ITrackerCertificate.sol";
import {TrackerCertificateV2Mock} from "../../contracts/test/upgrades/TrackerCertificateV2Mock.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Identities} from "./utils/Identities.sol";

/// @notice The TrackerCertificate behind its UUPS proxy: all of its state sits in one ERC-7201
/// namespace; an upgrade by the admin keeps every balance, the multiplier after a split, the frozen
/// tokens and a pending redemption, and the new code (and its own extension) is live; an
/// outsider's or a non-admin role holder's upgrade, a second initialisation, an initialisation of
/// the implementation, an upgrade called on the implementation and any direct call to the
/// implementation's {CertificateExtension} are all refused.
contract TrackerCertificateUpgradeTest is ForgeTest {
    event Upgraded(address indexed implementation);

    bytes32 internal constant TRACKER_CERTIFICATE_STORAGE =
        0xc0c85b5e100d464b51de1b768a0d5bfbb482d90b6f489dd367bf1078cac1d500;

    TrackerCertificate internal cert;
    SanctionsList internal sanctions;
    address internal outsider = address(0x0BAD);
    address internal minter = address(0x3117);
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);

    function setUp() public {
        vm.warp(1_700_000_000);
        sanctions = Proxies.deploySanctionsList(address(this));
        AttestedFeed feed = new AttestedFeed(address(this), 0, "AAPL reserves");
        feed.grantRole(feed.REPORTER_ROLE(), address(this));
        feed.report(1_000_000);
        cert = Proxies.deployTrackerCertificate(_identity(), _config(address(feed)));
        cert.grantRole(cert.MINTER_ROLE(), address(this));
        cert.grantRole(cert.MINTER_ROLE(), minter);
        cert.grantRole(cert.TRANSFER_AGENT_ROLE(), address(this));
        cert.grantRole(cert.CUSTODIAN_ROLE(), address(this));
        cert.mint(alice, 100e18);
        cert.mint(bob, 20e18);
        // A 2:1 split, active now and materialised for alice by her next transfer.
        cert.scheduleMultiplierUpdate(1e18, 2e18, uint64(block.timestamp + 1), 1);
        vm.warp(block.timestamp + 1);
        vm.prank(alice);
        cert.transfer(bob, 10e18);
        cert.setFrozenTokens(bob, 15e18);
        vm.prank(alice);
        cert.requestRedemption(30e18);
    }

    function test_namespace_slot_is_the_erc7201_formula_and_holds_the_state() public view {
        bytes32 formula = keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.TrackerCertificate")) - 1))
            & ~bytes32(uint256(0xff));
        assertEq(uint256(formula), uint256(TRACKER_CERTIFICATE_STORAGE), "erc7201 slot");
        // The first slot packs the pause flag, the sanctions oracle, the multiplier and the flags.
        bytes32 first = VmStorage(address(vm)).load(address(cert), TRACKER_CERTIFICATE_STORAGE);
        assertEq(uint256(first >> 8) & type(uint160).max, uint256(uint160(address(sanctions))), "oracle in slot 0");
        assertEq(uint256(first >> 168) & type(uint80).max, 2e18, "multiplier in slot 0");
        assertEq(uint256(VmStorage(address(vm)).load(address(cert), bytes32(0))), 0, "no sequential slot");
    }

    function test_upgrade_keeps_balances_the_split_frozen_tokens_and_a_pending_redemption() public {
        uint256 aliceBefore = cert.balanceOf(alice);
        uint256 bobBefore = cert.balanceOf(bob);
        uint256 supplyBefore = cert.totalSupply();
        uint256 unitsBefore = cert.totalUnits();
        assertEq(aliceBefore, 200e18 - 10e18 - 30e18, "alice after the split");
        TrackerCertificateV2Mock v2 = new TrackerCertificateV2Mock();
        vm.expectEmit();
        emit Upgraded(address(v2));
        cert.upgradeToAndCall(address(v2), "");
        assertEq(cert.balanceOf(alice), aliceBefore, "alice's balance");
        assertEq(cert.balanceOf(bob), bobBefore, "bob's balance");
        assertEq(cert.totalSupply(), supplyBefore, "supply");
        assertEq(cert.totalUnits(), unitsBefore, "units");
        assertEq(cert.multiplier(), 2e18, "multiplier after the split");
        assertEq(cert.corporateActionEpoch(), 1, "epoch");
        assertEq(cert.multiplierUpdateCount(), 1, "history");
        assertEq(cert.getFrozenTokens(bob), 15e18, "frozen tokens");
        ITrackerCertificateTypes.Redemption memory request = cert.redemption(1);
        assertTrue(request.status == ITrackerCertificateTypes.RedemptionStatus.Requested, "redemption pending");
        assertTrue(request.holder == alice, "redemption holder");
        assertEq(cert.redemptionSharesDue(1), 30e18, "shares due");
        assertTrue(cert.hasRole(cert.DEFAULT_ADMIN_ROLE(), address(this)), "admin kept");
        assertTrue(keccak256(bytes(TrackerCertificateV2Mock(address(cert)).version())) == keccak256("2"), "v2 live");
        assertEq(TrackerCertificateV2Mock(address(cert)).storedMultiplier(), 2e18, "v2's new view");
    }

    function test_after_an_upgrade_the_forwarded_functions_and_the_frozen_rule_still_work() public {
        cert.upgradeToAndCall(address(new TrackerCertificateV2Mock()), "");
        // The new implementation's extension runs on the proxy's storage: the split history goes on.
        cert.scheduleMultiplierUpdate(2e18, 4e18, uint64(block.timestamp), 2);
        assertEq(cert.multiplier(), 4e18, "second split");
        assertEq(cert.getFrozenTokens(bob), 30e18, "frozen tokens follow the split");
        cert.settleRedemption(1, bytes32("ref"));
        assertEq(cert.redemption(1).sharesSettled, 60e18, "redemption settled at the new multiplier");
        uint256 unfrozen = cert.balanceOf(bob) - 30e18;
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSignature(
                "ERC7943InsufficientUnfrozenBalance(address,uint256,uint256)", bob, unfrozen + 1, unfrozen
            )
        );
        cert.transfer(alice, unfrozen + 1);
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new TrackerCertificateV2Mock());
        vm.prank(outsider);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, bytes32(0))
        );
        cert.upgradeToAndCall(v2, "");
    }

    function test_a_minter_cannot_upgrade() public {
        address v2 = address(new TrackerCertificateV2Mock());
        vm.prank(minter);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, minter, bytes32(0))
        );
        cert.upgradeToAndCall(v2, "");
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        TrackerCertificate implementation = TrackerCertificate(_implementation());
        address v2 = address(new TrackerCertificateV2Mock());
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    function test_initialize_twice_is_refused() public {
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        cert.initialize(_identity(), _config(address(0)));
    }

    function test_implementation_cannot_be_initialised() public {
        TrackerCertificate implementation = new TrackerCertificate();
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(_identity(), _config(address(0)));
    }

    function test_a_direct_call_to_the_extension_is_refused() public {
        CertificateExtension extension = CertificateExtension(_extensionOf(_implementation()));
        assertTrue(address(extension).code.length != 0, "extension deployed");
        vm.expectRevert(CertificateExtension.CertificateExtensionDirectCall.selector);
        extension.initialize(_identity(), _config(address(0)));
        vm.expectRevert(CertificateExtension.CertificateExtensionDirectCall.selector);
        extension.accrueFee();
        vm.expectRevert(CertificateExtension.CertificateExtensionDirectCall.selector);
        extension.scheduleMultiplierUpdate(1e18, 2e18, uint64(block.timestamp), 9);
        vm.expectRevert(CertificateExtension.CertificateExtensionDirectCall.selector);
        extension.diagnoseTransfer(alice, bob, 1);
        vm.expectRevert(CertificateExtension.CertificateExtensionDirectCall.selector);
        extension.messageForTransferRestriction(1);
        vm.expectRevert(CertificateExtension.CertificateExtensionDirectCall.selector);
        extension.transfer(alice, 0);
    }

    function test_an_outsider_is_refused_by_a_forwarded_function() public {
        vm.prank(outsider);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, bytes32(0))
        );
        cert.setManagementFee(1e15, 1 days);
    }

    function _implementation() internal view returns (address) {
        return address(uint160(uint256(VmStorage(address(vm)).load(address(cert), ERC1967Utils.IMPLEMENTATION_SLOT))));
    }

    /// @dev The extension is the implementation's first CREATE (nonce 1): RLP([implementation, 1]).
    function _extensionOf(address implementation) internal pure returns (address) {
        return address(
            uint160(uint256(keccak256(abi.encodePacked(bytes1(0xd6), bytes1(0x94), implementation, bytes1(0x01)))))
        );
    }

    function _identity() internal view returns (IAssetIdentity.IdentityParams memory) {
        return Identities.aapl(IAssetIdentity.Architecture.TrackerCertificate);
    }

    function _config(address feed) internal view returns (ITrackerCertificateTypes.CertificateConfig memory) {
        return ITrackerCertificateTypes.CertificateConfig({
            name: "Tracker AAPL",
            symbol: "AAPLx",
            admin: address(this),
            sanctionsList: address(sanctions),
            reserveFeed: feed,
            reserveHeartbeat: 1 days
        });
    }
}
