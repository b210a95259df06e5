// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {Proxies} from "./utils/Proxies.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {ISanctionsSubscriber} from "../../contracts/interfaces/ISanctionsSubscriber.sol";
import {SuiteProxy} from "../../contracts/proxy/SuiteProxy.sol";
import {SanctionsListV2Mock} from "../../contracts/test/upgrades/SanctionsListV2Mock.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @notice A subscriber that counts the changes it is told of.
contract CountingSubscriber is ISanctionsSubscriber, IERC165 {
    uint256 public calls;

    function onSanctionsChanged(address) external {
        ++calls;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(ISanctionsSubscriber).interfaceId || interfaceId == type(IERC165).interfaceId;
    }
}

/// @notice The SanctionsList behind its UUPS proxy: its namespace sits at the ERC-7201 slot, an
/// upgrade by the admin keeps every listing, subscriber and role and makes the new code live; an
/// outsider's or the compliance officer's upgrade, a second initialisation, an initialisation of the
/// implementation and an upgrade called on the implementation are all refused.
contract SanctionsListUpgradeTest is ForgeTest {
    event Upgraded(address indexed implementation);
    event AddressSanctioned(address indexed account);

    bytes32 internal constant SANCTIONS_LIST_STORAGE =
        0x5f0d7d98ec622decc30e9fc6de91ba44fe2ae49f0947b69e78f77a94e9ab5700;

    SanctionsList internal list;
    CountingSubscriber internal subscriber;
    address internal officer = address(0x0FF1CE);
    address internal outsider = address(0x0BAD);
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);
    address internal carol = address(0xCA401);

    function setUp() public {
        list = Proxies.deploySanctionsList(address(this));
        list.grantRole(list.COMPLIANCE_ROLE(), officer);
        subscriber = new CountingSubscriber();
        list.addSubscriber(address(subscriber));
        vm.startPrank(officer);
        list.setSanctioned(alice, true);
        list.setSanctioned(bob, true);
        list.setSanctioned(bob, false);
        vm.stopPrank();
    }

    function test_namespace_slot_is_the_erc7201_formula_and_holds_the_state() public view {
        bytes32 formula = keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.SanctionsList")) - 1))
            & ~bytes32(uint256(0xff));
        assertEq(uint256(formula), uint256(SANCTIONS_LIST_STORAGE), "erc7201 slot");
        // Field 0: the sanctioned flags; field 1: the subscriber set (its values array's length first).
        bytes32 aliceSlot = keccak256(abi.encode(alice, SANCTIONS_LIST_STORAGE));
        assertEq(uint256(VmStorage(address(vm)).load(address(list), aliceSlot)), 1, "alice's flag at field 0");
        bytes32 lengthSlot = bytes32(uint256(SANCTIONS_LIST_STORAGE) + 1);
        assertEq(uint256(VmStorage(address(vm)).load(address(list), lengthSlot)), 1, "one subscriber at field 1");
    }

    function test_upgrade_keeps_every_listing_subscriber_and_role() public {
        SanctionsListV2Mock v2 = new SanctionsListV2Mock();
        vm.expectEmit();
        emit Upgraded(address(v2));
        list.upgradeToAndCall(address(v2), abi.encodeCall(SanctionsListV2Mock.initializeV2, ()));
        assertTrue(list.isSanctioned(alice), "alice still listed");
        assertTrue(!list.isSanctioned(bob), "bob still delisted");
        address[] memory subscribers = list.subscribers();
        assertTrue(subscribers.length == 1 && subscribers[0] == address(subscriber), "subscriber kept");
        assertTrue(list.hasRole(list.DEFAULT_ADMIN_ROLE(), address(this)), "admin kept");
        assertTrue(list.hasRole(list.COMPLIANCE_ROLE(), officer), "officer kept");
        assertTrue(keccak256(bytes(SanctionsListV2Mock(address(list)).version())) == keccak256("2"), "v2 live");
    }

    function test_after_an_upgrade_a_listing_still_reaches_the_subscribers() public {
        list.upgradeToAndCall(address(new SanctionsListV2Mock()), "");
        vm.expectEmit();
        emit AddressSanctioned(carol);
        vm.prank(officer);
        list.setSanctioned(carol, true);
        assertTrue(list.isSanctioned(carol), "carol listed");
        assertEq(subscriber.calls(), 4, "three changes before the upgrade, one after");
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new SanctionsListV2Mock());
        vm.prank(outsider);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, bytes32(0))
        );
        list.upgradeToAndCall(v2, "");
    }

    function test_compliance_officer_cannot_upgrade() public {
        address v2 = address(new SanctionsListV2Mock());
        vm.prank(officer);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, officer, bytes32(0))
        );
        list.upgradeToAndCall(v2, "");
    }

    function test_upgrade_to_a_non_uups_contract_is_refused() public {
        vm.expectRevert(abi.encodeWithSelector(ERC1967Utils.ERC1967InvalidImplementation.selector, address(subscriber)));
        list.upgradeToAndCall(address(subscriber), "");
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        SanctionsList implementation = SanctionsList(
            address(uint160(uint256(VmStorage(address(vm)).load(address(list), ERC1967Utils.IMPLEMENTATION_SLOT))))
        );
        address v2 = address(new SanctionsListV2Mock());
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    function test_initialize_twice_is_refused() public {
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        list.initialize(outsider);
    }

    function test_implementation_cannot_be_initialised() public {
        SanctionsList implementation = new SanctionsList();
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(outsider);
    }

    function test_initialize_keeps_the_constructor_check() public {
        address implementation = address(new SanctionsList());
        vm.expectRevert(SanctionsList.SanctionsZeroAddress.selector);
        new SuiteProxy(implementation, abi.encodeCall(SanctionsList.initialize, (address(0))));
    }
}
