// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {Proxies} from "./utils/Proxies.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {RegistryShare} from "../../contracts/assets/RegistryShare.sol";
import {ShareExtension} from "../../contracts/assets/share/ShareExtension.sol";
import {RegistryShareV2Mock} from "../../contracts/test/upgrades/RegistryShareV2Mock.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Identities} from "./utils/Identities.sol";

/// @notice The RegistryShare behind its UUPS proxy: its state sits in one ERC-7201 namespace; an
/// upgrade by the admin keeps the register (balances, a multi-wallet investor's total and holding
/// wallets, the holder count, partly frozen tokens, a lock-up, the split multiplier, the snapshots
/// and record points) and the new code (and its own extension) is live; an outsider's or the
/// transfer agent's upgrade, a second initialisation, an initialisation of the implementation, an
/// upgrade called on the implementation and any direct call to the implementation's
/// {ShareExtension} are all refused. (A split is immediate on the share: no split is ever pending.)
contract RegistryShareUpgradeTest is ForgeTest {
    event Upgraded(address indexed implementation);

    bytes32 internal constant REGISTRY_SHARE_STORAGE =
        0x066d31e77f77ba510a646c3d8cfe64f86df9214b030d5a113146f22789c26000;

    InvestorRegistry internal registry;
    RegistryShare internal share;
    address internal agent = address(0xA6E47);
    address internal outsider = address(0x0BAD);
    address internal alice = address(0xA11CE);
    address internal alice2 = address(0xA11CE2);
    address internal bob = address(0xB0B);
    bytes32 internal aliceId = keccak256("alice");
    bytes32 internal bobId = keccak256("bob");
    uint40 internal lockup;

    function setUp() public {
        vm.warp(1_700_000_000);
        registry = Proxies.deployInvestorRegistry(address(this));
        share = Proxies.deployRegistryShare(address(this), registry, "Registry Share", "RSH", _identity());
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        share.grantRole(share.TRANSFER_AGENT_ROLE(), agent);
        share.grantRole(share.SNAPSHOT_ROLE(), address(this));
        registry.registerInvestor(aliceId, 840, 1, uint64(block.timestamp + 365 days));
        registry.addWallet(aliceId, alice);
        registry.addWallet(aliceId, alice2);
        registry.registerInvestor(bobId, 840, 1, uint64(block.timestamp + 365 days));
        registry.addWallet(bobId, bob);
        lockup = uint40(block.timestamp + 30 days);
        vm.startPrank(agent);
        share.issue(alice, 600e18, "issue");
        share.issue(alice2, 100e18, "issue");
        share.issue(bob, 400e18, "issue");
        share.freezePartialTokens(bob, 100e18, "court order");
        share.setLockup(bobId, lockup, "lock-up");
        vm.stopPrank();
        share.recordDate("AGM 2026"); // epoch 1, snapshot 1
        vm.prank(alice);
        share.transfer(bob, 50e18); // after the snapshot: alice's history records 600
        vm.prank(agent);
        share.split(2, 1, "2:1 split"); // epoch 2, multiplier 2e18
    }

    function test_namespace_slot_is_the_erc7201_formula_and_holds_the_state() public view {
        bytes32 formula = keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.RegistryShare")) - 1))
            & ~bytes32(uint256(0xff));
        assertEq(uint256(formula), uint256(REGISTRY_SHARE_STORAGE), "erc7201 slot");
        VmStorage vms = VmStorage(address(vm));
        uint256 base = uint256(REGISTRY_SHARE_STORAGE);
        // Field 6: the multiplier per scale step (step 1 after the split).
        bytes32 stepOne = keccak256(abi.encode(uint256(1), base + 6));
        assertEq(uint256(vms.load(address(share), stepOne)), 2e18, "multiplier of step 1 at field 6");
        // Field 8: the rules word, the registry's word store in its low 160 bits (one read a transfer).
        assertEq(
            uint256(vms.load(address(share), bytes32(base + 8))) & type(uint160).max,
            uint256(uint160(registry.partyWordStore())),
            "word store in the rules word"
        );
        assertEq(uint256(vms.load(address(share), bytes32(base + 15))), uint256(uint160(address(registry))), "registry");
        assertEq(uint256(vms.load(address(share), bytes32(0))), 0, "no sequential slot");
    }

    function test_upgrade_keeps_the_register() public {
        Figures memory before = _figures();
        assertEq(before.alice, 1_100e18, "alice after the split");
        assertEq(before.bob, 900e18, "bob after the split");
        RegistryShareV2Mock v2 = new RegistryShareV2Mock();
        vm.expectEmit();
        emit Upgraded(address(v2));
        share.upgradeToAndCall(address(v2), "");
        Figures memory kept = _figures();
        assertEq(kept.alice, before.alice, "alice's balance");
        assertEq(kept.alice2, before.alice2, "alice's second wallet");
        assertEq(kept.bob, before.bob, "bob's balance");
        assertEq(kept.supply, before.supply, "supply");
        assertEq(kept.units, before.units, "units");
        assertEq(kept.aliceTotal, before.aliceTotal, "alice's investor total");
        assertEq(kept.aliceTotal, 1_300e18, "alice's total: both wallets");
        assertEq(share.holdingWallets(aliceId), 2, "alice's holding wallets");
        assertEq(share.holderCount(), 2, "holders");
        assertEq(share.countryHolderCount(840), 2, "holders in the US");
        assertEq(share.getFrozenTokens(bob), 200e18, "bob's frozen tokens, split");
        assertEq(share.lockupOf(bobId), lockup, "bob's lock-up");
        assertEq(share.multiplier(), 2e18, "split multiplier");
        assertEq(share.corporateActionEpoch(), 2, "epoch");
        assertEq(share.currentSnapshotId(), 1, "snapshot id");
        assertEq(share.balanceAt(alice, 1), 600e18, "alice's balance at the record date");
        assertEq(share.balanceAt(bob, 1), 400e18, "bob's balance at the record date");
        assertEq(share.recordSnapshotOf(1), 1, "record point of epoch 1");
        assertTrue(share.hasRole(share.DEFAULT_ADMIN_ROLE(), address(this)), "admin kept");
        assertTrue(share.hasRole(share.TRANSFER_AGENT_ROLE(), agent), "agent kept");
        assertTrue(keccak256(bytes(RegistryShareV2Mock(address(share)).version())) == keccak256("2"), "v2 live");
        assertEq(
            uint256(uint160(RegistryShareV2Mock(address(share)).partyWordStore())),
            uint256(uint160(registry.partyWordStore())),
            "v2's new view"
        );
    }

    function test_after_an_upgrade_the_rules_and_the_forwarded_functions_still_work() public {
        share.upgradeToAndCall(address(new RegistryShareV2Mock()), "");
        // Forwarded to the new implementation's extension, on the proxy's storage.
        vm.prank(agent);
        share.issue(alice2, 10e18, "issue after the upgrade");
        assertEq(share.investorBalance(aliceId), 1_310e18, "alice's total grows");
        // The lock-up still holds bob's tokens.
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSignature("ShareTransferRestricted(uint8)", uint8(9)));
        share.transfer(alice, 1e18);
        vm.warp(lockup + 1);
        // The frozen part still holds: 900 held, 200 frozen.
        assertEq(share.detectTransferRestriction(bob, alice, 701e18), 8, "unfrozen balance rule");
        vm.prank(bob);
        share.transfer(alice, 700e18);
        assertEq(share.balanceOf(bob), 200e18, "bob keeps his frozen tokens");
        vm.prank(agent);
        share.split(1, 2, "1:2 reverse split");
        assertEq(share.balanceOf(bob), 100e18, "a split after the upgrade");
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new RegistryShareV2Mock());
        vm.prank(outsider);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, bytes32(0))
        );
        share.upgradeToAndCall(v2, "");
    }

    function test_the_transfer_agent_cannot_upgrade() public {
        address v2 = address(new RegistryShareV2Mock());
        vm.prank(agent);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, agent, bytes32(0))
        );
        share.upgradeToAndCall(v2, "");
    }

    function test_second_initialize_is_refused() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        share.initialize(outsider, registry, "Hijack", "HJK", _identity());
    }

    function test_implementation_cannot_be_initialised() public {
        RegistryShare implementation = new RegistryShare();
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(address(this), registry, "S", "S", _identity());
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        RegistryShare implementation = RegistryShare(_implementation());
        address v2 = address(new RegistryShareV2Mock());
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    function test_the_extension_refuses_a_direct_call() public {
        ShareExtension extension = ShareExtension(_extensionOf(_implementation()));
        assertTrue(address(extension).code.length > 0, "the implementation's extension");
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        extension.initialize(address(this), registry, "S", "S", _identity());
        bytes32 agentRole = share.TRANSFER_AGENT_ROLE();
        vm.prank(agent);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, agent, agentRole)
        );
        extension.issue(alice, 1e18, "direct");
    }

    struct Figures {
        uint256 alice;
        uint256 alice2;
        uint256 bob;
        uint256 supply;
        uint256 units;
        uint256 aliceTotal;
    }

    function _figures() internal view returns (Figures memory f) {
        f.alice = share.balanceOf(alice);
        f.alice2 = share.balanceOf(alice2);
        f.bob = share.balanceOf(bob);
        f.supply = share.totalSupply();
        f.units = share.totalUnits();
        f.aliceTotal = share.investorBalance(aliceId);
    }

    function _implementation() internal view returns (address) {
        return address(uint160(uint256(VmStorage(address(vm)).load(address(share), ERC1967Utils.IMPLEMENTATION_SLOT))));
    }

    /// @dev The extension is the implementation's first CREATE (nonce 1): RLP([implementation, 1]).
    function _extensionOf(address implementation) internal pure returns (address) {
        return address(
            uint160(uint256(keccak256(abi.encodePacked(bytes1(0xd6), bytes1(0x94), implementation, bytes1(0x01)))))
        );
    }

    function _identity() internal view returns (IAssetIdentity.IdentityParams memory) {
        return Identities.aapl(IAssetIdentity.Architecture.RegistryShare);
    }
}
