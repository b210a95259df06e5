// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {BoxV1Mock} from "../../contracts/test/upgrades/BoxV1Mock.sol";
import {BoxV2Mock} from "../../contracts/test/upgrades/BoxV2Mock.sol";
import {BoxV2UnsafeMock} from "../../contracts/test/upgrades/BoxV2UnsafeMock.sol";

/// @notice The upgrade-safety fixtures behave as their verdicts say: the upgrade the check accepts
/// (BoxV1Mock -> BoxV2Mock) keeps the proxy's state; the one it refuses for an inserted namespace
/// member (BoxV2UnsafeMock) misreads it. Only the admin upgrades (tests/unit/governance/
/// test_upgrade_safety.py checks the verdicts themselves).
contract BoxUpgradeTest is ForgeTest {
    address internal constant ADMIN = address(0xAD);
    address internal constant OUTSIDER = address(0x0B5);

    BoxV1Mock internal box;

    function setUp() public {
        BoxV1Mock implementation = new BoxV1Mock();
        box = BoxV1Mock(
            address(new ERC1967Proxy(address(implementation), abi.encodeCall(implementation.initialize, (ADMIN))))
        );
        vm.prank(ADMIN);
        box.setValue(42);
    }

    function test_the_safe_upgrade_keeps_the_value_and_extends_the_namespace() public {
        BoxV2Mock next = new BoxV2Mock();
        vm.prank(ADMIN);
        box.upgradeToAndCall(address(next), "");
        BoxV2Mock upgraded = BoxV2Mock(address(box));
        assertEq(upgraded.value(), 42, "value after the upgrade");
        assertEq(upgraded.revision(), 0, "appended member starts empty");
        vm.prank(ADMIN);
        upgraded.setValue(43);
        assertEq(upgraded.revision(), 1, "appended member counts");
        assertEq(upgraded.value(), 43, "value set after the upgrade");
    }

    function test_the_refused_upgrade_with_an_inserted_member_misreads_the_value() public {
        BoxV2UnsafeMock next = new BoxV2UnsafeMock();
        vm.prank(ADMIN);
        box.upgradeToAndCall(address(next), "");
        // `value` now reads the slot where V1 kept `setter` (the admin's address).
        assertEq(BoxV2UnsafeMock(address(box)).value(), uint256(uint160(ADMIN)), "value misread");
    }

    function test_an_outsider_cannot_upgrade() public {
        BoxV2Mock next = new BoxV2Mock();
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, OUTSIDER, box.DEFAULT_ADMIN_ROLE()
            )
        );
        vm.prank(OUTSIDER);
        box.upgradeToAndCall(address(next), "");
    }

    function test_an_outsider_cannot_set_the_value() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, OUTSIDER, box.DEFAULT_ADMIN_ROLE()
            )
        );
        vm.prank(OUTSIDER);
        box.setValue(1);
    }

    function test_the_proxy_cannot_be_initialized_twice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        box.initialize(OUTSIDER);
    }

    function test_the_implementation_cannot_be_initialized() public {
        BoxV1Mock implementation = new BoxV1Mock();
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(OUTSIDER);
    }
}
