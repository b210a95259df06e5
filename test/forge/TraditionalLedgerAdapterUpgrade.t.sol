// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {Proxies} from "./utils/Proxies.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {ISettlementLedgerAdapter} from "../../contracts/interfaces/ISettlementLedgerAdapter.sol";
import {SuiteProxy} from "../../contracts/proxy/SuiteProxy.sol";
import {TraditionalLedgerAdapter} from "../../contracts/settlement/TraditionalLedgerAdapter.sol";
import {SettleMultiplierMock} from "../../contracts/test/SettleMultiplierMock.sol";
import {TraditionalLedgerAdapterV2Mock} from "../../contracts/test/upgrades/TraditionalLedgerAdapterV2Mock.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @notice The TraditionalLedgerAdapter behind its UUPS proxy: its namespace sits at the ERC-7201
/// slot (the instruction counter packed with the timeout); an upgrade by the admin keeps the listing,
/// the inventory, a pending off-ramp with its deadline, the used register references, the timeout
/// and the transfer agent, so the pending off-ramp is confirmed or expired after it and instruction
/// ids go on from the same counter; an outsider's or the transfer agent's upgrade, a second
/// initialisation, an initialisation of the implementation and an upgrade called on the
/// implementation are all refused.
contract TraditionalLedgerAdapterUpgradeTest is ForgeTest {
    event Upgraded(address indexed implementation);
    event OffRampExpired(bytes32 indexed instructionId, address indexed holder, uint256 shares, uint64 deadline);

    bytes32 internal constant LEDGER_ADAPTER_STORAGE =
        0xfb167a8c35be1cd6f2abe4357767cc52f28a69d88ab5c506072820bd250c6100;
    bytes32 internal constant USED_REFERENCE = "BOOK-1";
    uint64 internal constant TIMEOUT = 2 days;

    TraditionalLedgerAdapter internal adapter;
    SettleMultiplierMock internal asset;
    address internal agent = address(0x7A);
    address internal holder = address(0xA11CE);
    address internal outsider = address(0x0BAD);

    bytes32 internal pendingId;
    uint64 internal pendingDeadline;

    function setUp() public {
        adapter = Proxies.deployTraditionalLedgerAdapter(address(this));
        adapter.grantRole(adapter.TRANSFER_AGENT_ROLE(), agent);
        asset = new SettleMultiplierMock();
        adapter.setAssetListed(address(asset), true);
        adapter.setOffRampTimeout(TIMEOUT);
        asset.mint(holder, 100e18);
        vm.prank(holder);
        asset.approve(address(adapter), type(uint256).max);

        // One off-ramp confirmed (30 units into the inventory, a register reference used), one pending.
        vm.prank(holder);
        bytes32 confirmed = adapter.requestOffRamp(address(asset), 30e18, "ACC-1");
        vm.prank(agent);
        adapter.confirmOffRamp(confirmed, USED_REFERENCE);
        vm.prank(holder);
        pendingId = adapter.requestOffRamp(address(asset), 20e18, "ACC-1");
        pendingDeadline = uint64(block.timestamp) + TIMEOUT;
    }

    function test_namespace_slot_is_the_erc7201_formula_and_holds_the_state() public view {
        bytes32 formula = keccak256(
            abi.encode(uint256(keccak256("tokenized-stocks.storage.TraditionalLedgerAdapter")) - 1)
        ) & ~bytes32(uint256(0xff));
        assertEq(uint256(formula), uint256(LEDGER_ADAPTER_STORAGE), "erc7201 slot");
        uint256 base = uint256(LEDGER_ADAPTER_STORAGE);
        VmStorage vms = VmStorage(address(vm));
        bytes32 key = bytes32(uint256(uint160(address(asset))));
        assertEq(uint256(vms.load(address(adapter), keccak256(abi.encode(key, base)))), 1, "listed at field 0");
        assertEq(uint256(vms.load(address(adapter), keccak256(abi.encode(key, base + 1)))), 30e18, "inventory, 1");
        assertEq(uint256(vms.load(address(adapter), keccak256(abi.encode(key, base + 2)))), 20e18, "pending, 2");
        bytes32 referenceSlot = keccak256(abi.encode(USED_REFERENCE, base + 4));
        assertEq(uint256(vms.load(address(adapter), referenceSlot)), 1, "used reference at field 4");
        // Field 5: the instruction counter (low 192 bits) packed with the timeout (high 64 bits).
        uint256 packed = uint256(vms.load(address(adapter), bytes32(base + 5)));
        assertEq(packed & type(uint192).max, 2, "two instructions so far");
        assertEq(packed >> 192, TIMEOUT, "timeout in the same slot");
    }

    function test_upgrade_keeps_the_pending_off_ramp_the_inventory_and_the_roles() public {
        TraditionalLedgerAdapterV2Mock v2 = new TraditionalLedgerAdapterV2Mock();
        vm.expectEmit();
        emit Upgraded(address(v2));
        adapter.upgradeToAndCall(address(v2), abi.encodeCall(TraditionalLedgerAdapterV2Mock.initializeV2, ()));
        ISettlementLedgerAdapter.Instruction memory pending = adapter.instruction(pendingId);
        assertTrue(pending.state == ISettlementLedgerAdapter.InstructionState.Pending, "still pending");
        assertEq(pending.deadline, pendingDeadline, "same deadline");
        assertTrue(pending.account == holder, "same holder");
        assertEq(pending.units, 20e18, "same units");
        assertTrue(adapter.isListed(address(asset)), "still listed");
        assertEq(adapter.inventoryOf(address(asset)), 30e18, "inventory kept");
        assertEq(adapter.pendingOf(address(asset)), 20e18, "pending kept");
        assertTrue(adapter.isRegisterReferenceUsed(USED_REFERENCE), "reference still used");
        assertEq(adapter.offRampTimeout(), TIMEOUT, "timeout kept");
        assertTrue(adapter.hasRole(adapter.DEFAULT_ADMIN_ROLE(), address(this)), "admin kept");
        assertTrue(adapter.hasRole(adapter.TRANSFER_AGENT_ROLE(), agent), "transfer agent kept");
        TraditionalLedgerAdapterV2Mock upgraded = TraditionalLedgerAdapterV2Mock(address(adapter));
        assertTrue(keccak256(bytes(upgraded.version())) == keccak256("2"), "v2 live");
        assertTrue(upgraded.isPending(pendingId), "v2 view reads v1's instruction");
    }

    function test_after_an_upgrade_the_pending_off_ramp_is_confirmed() public {
        adapter.upgradeToAndCall(address(new TraditionalLedgerAdapterV2Mock()), "");
        vm.prank(agent);
        adapter.confirmOffRamp(pendingId, "BOOK-2");
        assertEq(adapter.inventoryOf(address(asset)), 50e18, "both off-ramps in the inventory");
        assertEq(adapter.pendingOf(address(asset)), 0, "nothing pending");
    }

    function test_after_an_upgrade_a_used_register_reference_is_refused() public {
        adapter.upgradeToAndCall(address(new TraditionalLedgerAdapterV2Mock()), "");
        vm.prank(agent);
        vm.expectRevert(
            abi.encodeWithSelector(ISettlementLedgerAdapter.AdapterRegisterReferenceUsed.selector, USED_REFERENCE)
        );
        adapter.confirmOffRamp(pendingId, USED_REFERENCE);
    }

    function test_after_an_upgrade_the_pending_off_ramp_expires_at_its_old_deadline() public {
        adapter.upgradeToAndCall(address(new TraditionalLedgerAdapterV2Mock()), "");
        vm.warp(pendingDeadline);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISettlementLedgerAdapter.AdapterOffRampNotExpired.selector, pendingId, pendingDeadline
            )
        );
        adapter.expireOffRamp(pendingId);
        vm.warp(uint256(pendingDeadline) + 1);
        vm.expectEmit();
        emit OffRampExpired(pendingId, holder, 20e18, pendingDeadline);
        adapter.expireOffRamp(pendingId);
        assertEq(asset.balanceOf(holder), 70e18, "the pending 20 back to the holder");
    }

    function test_after_an_upgrade_instruction_ids_go_on_from_the_same_counter() public {
        adapter.upgradeToAndCall(address(new TraditionalLedgerAdapterV2Mock()), "");
        vm.prank(holder);
        bytes32 next = adapter.requestOffRamp(address(asset), 1e18, "ACC-1");
        assertTrue(next == keccak256(abi.encode(block.chainid, address(adapter), uint256(3))), "third id");
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new TraditionalLedgerAdapterV2Mock());
        vm.prank(outsider);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, bytes32(0))
        );
        adapter.upgradeToAndCall(v2, "");
    }

    function test_transfer_agent_cannot_upgrade() public {
        address v2 = address(new TraditionalLedgerAdapterV2Mock());
        vm.prank(agent);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, agent, bytes32(0))
        );
        adapter.upgradeToAndCall(v2, "");
    }

    function test_upgrade_to_a_non_uups_contract_is_refused() public {
        vm.expectRevert(abi.encodeWithSelector(ERC1967Utils.ERC1967InvalidImplementation.selector, address(asset)));
        adapter.upgradeToAndCall(address(asset), "");
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        TraditionalLedgerAdapter implementation = TraditionalLedgerAdapter(
            address(uint160(uint256(VmStorage(address(vm)).load(address(adapter), ERC1967Utils.IMPLEMENTATION_SLOT))))
        );
        address v2 = address(new TraditionalLedgerAdapterV2Mock());
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    function test_initialize_twice_is_refused() public {
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        adapter.initialize(outsider);
    }

    function test_implementation_cannot_be_initialised() public {
        TraditionalLedgerAdapter implementation = new TraditionalLedgerAdapter();
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(outsider);
    }

    function test_initialize_refuses_a_zero_admin() public {
        address implementation = address(new TraditionalLedgerAdapter());
        vm.expectRevert(abi.encodeWithSelector(ISettlementLedgerAdapter.AdapterInvalidArgument.selector, "admin"));
        new SuiteProxy(implementation, abi.encodeCall(TraditionalLedgerAdapter.initialize, (address(0))));
    }

    function test_initialize_sets_the_default_timeout() public {
        TraditionalLedgerAdapter fresh = Proxies.deployTraditionalLedgerAdapter(address(this));
        assertEq(fresh.offRampTimeout(), fresh.DEFAULT_OFF_RAMP_TIMEOUT(), "default timeout");
    }
}
