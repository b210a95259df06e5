// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {Proxies} from "./utils/Proxies.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {IRegistryShare} from "../../contracts/interfaces/IRegistryShare.sol";
import {RegistryShare} from "../../contracts/assets/RegistryShare.sol";
import {DividendDistributor} from "../../contracts/corporate/DividendDistributor.sol";
import {SuiteProxy} from "../../contracts/proxy/SuiteProxy.sol";
import {MockCash} from "../../contracts/test/MockCash.sol";
import {DividendDistributorV2Mock} from "../../contracts/test/upgrades/DividendDistributorV2Mock.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Identities} from "./utils/Identities.sol";

/// @notice The DividendDistributor behind its UUPS proxy: its namespace sits at the ERC-7201 slot;
/// an upgrade by the admin keeps a declared, partly claimed dividend (its escrow, its claims, the
/// refusal of a second claim) and makes the new code live; an outsider's or the transfer agent's
/// upgrade, a second initialisation, an initialisation of the implementation and an upgrade called
/// on the implementation are all refused.
contract DividendDistributorUpgradeTest is ForgeTest {
    event Upgraded(address indexed implementation);

    bytes32 internal constant DIVIDEND_DISTRIBUTOR_STORAGE =
        0xd1fd0177350336f7f7c2527a1fe38c74458b050d60944a0766d602a1f2f78000;

    InvestorRegistry internal registry;
    RegistryShare internal share;
    DividendDistributor internal distributor;
    MockCash internal cash;
    address internal agent = address(0xA6E47);
    address internal outsider = address(0x0BAD);
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);

    function setUp() public {
        registry = Proxies.deployInvestorRegistry(address(this));
        share = Proxies.deployRegistryShare(
            address(this), registry, "Registry Share", "RSH", Identities.aapl(IAssetIdentity.Architecture.RegistryShare)
        );
        distributor = Proxies.deployDividendDistributor(address(this), share);
        cash = new MockCash();
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        share.grantRole(share.TRANSFER_AGENT_ROLE(), address(this));
        share.grantRole(share.SNAPSHOT_ROLE(), address(distributor));
        distributor.grantRole(distributor.TRANSFER_AGENT_ROLE(), agent);
        address[2] memory wallets = [alice, bob];
        for (uint256 k; k < 2; ++k) {
            bytes32 id = keccak256(abi.encode("investor", k));
            registry.registerInvestor(id, 840, 1, uint64(block.timestamp + 365 days));
            registry.addWallet(id, wallets[k]);
        }
        share.issue(alice, 600, "issue");
        share.issue(bob, 400, "issue");
        // A declared dividend of 1,000 cash over 1,000 units, alice's 600 already claimed.
        cash.mint(agent, 1_000);
        vm.startPrank(agent);
        cash.approve(address(distributor), 1_000);
        distributor.declareDividend(cash, 1_000, 7 days, "FY dividend");
        vm.stopPrank();
        distributor.claim(1, alice);
    }

    function test_namespace_slot_is_the_erc7201_formula_and_holds_the_state() public view {
        bytes32 formula = keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.DividendDistributor")) - 1))
            & ~bytes32(uint256(0xff));
        assertEq(uint256(formula), uint256(DIVIDEND_DISTRIBUTOR_STORAGE), "erc7201 slot");
        VmStorage vms = VmStorage(address(vm));
        // Field 0: the share; field 1: its registry (once immutables); field 4: the dividend count.
        bytes32 base = DIVIDEND_DISTRIBUTOR_STORAGE;
        assertEq(uint256(vms.load(address(distributor), base)), uint256(uint160(address(share))), "share at 0");
        assertEq(
            uint256(vms.load(address(distributor), bytes32(uint256(base) + 1))),
            uint256(uint160(address(registry))),
            "registry at 1"
        );
        assertEq(uint256(vms.load(address(distributor), bytes32(uint256(base) + 4))), 1, "one dividend at 4");
        // Field 3: each wallet's part per dividend, paid in the low 128 bits, withheld in the high.
        bytes32 paidSlot = keccak256(abi.encode(alice, keccak256(abi.encode(uint256(1), uint256(base) + 3))));
        assertEq(uint256(vms.load(address(distributor), paidSlot)), 600, "alice's paid part at field 3, none withheld");
    }

    function test_share_getter_reads_the_namespace() public view {
        assertTrue(address(distributor.share()) == address(share), "share");
    }

    function test_upgrade_keeps_the_partly_claimed_dividend_and_its_escrow() public {
        DividendDistributor.Dividend memory before = distributor.dividend(1);
        DividendDistributorV2Mock v2 = new DividendDistributorV2Mock();
        vm.expectEmit();
        emit Upgraded(address(v2));
        distributor.upgradeToAndCall(address(v2), "");
        DividendDistributor.Dividend memory kept = distributor.dividend(1);
        assertEq(kept.amount, before.amount, "amount kept");
        assertEq(kept.amount, 1_000, "amount");
        assertEq(kept.claimed, 600, "claimed kept");
        assertEq(kept.rate, before.rate, "rate kept");
        assertEq(kept.snapshotId, before.snapshotId, "snapshot kept");
        assertEq(kept.deadline, before.deadline, "deadline kept");
        assertEq(distributor.dividendCount(), 1, "count kept");
        assertEq(cash.balanceOf(address(distributor)), 400, "escrow intact");
        assertTrue(distributor.hasClaimed(1, alice), "alice's claim kept");
        assertEq(distributor.claimable(1, bob), 400, "bob's part kept");
        assertTrue(address(distributor.share()) == address(share), "share kept");
        assertTrue(distributor.hasRole(distributor.DEFAULT_ADMIN_ROLE(), address(this)), "admin kept");
        assertTrue(distributor.hasRole(distributor.TRANSFER_AGENT_ROLE(), agent), "agent kept");
        assertTrue(keccak256(bytes(DividendDistributorV2Mock(address(distributor)).version())) == keccak256("2"), "v2");
        assertEq(DividendDistributorV2Mock(address(distributor)).unpaid(1), 400, "v2 unpaid");
    }

    function test_after_an_upgrade_a_second_claim_is_still_refused() public {
        distributor.upgradeToAndCall(address(new DividendDistributorV2Mock()), "");
        vm.expectRevert(abi.encodeWithSelector(DividendDistributor.DividendAlreadyClaimed.selector, 1, alice));
        distributor.claim(1, alice);
        assertEq(cash.balanceOf(alice), 600, "alice paid once");
    }

    function test_after_an_upgrade_the_rest_is_claimed_from_the_same_escrow() public {
        distributor.upgradeToAndCall(address(new DividendDistributorV2Mock()), "");
        assertEq(distributor.claim(1, bob), 400, "bob paid");
        assertEq(cash.balanceOf(bob), 400, "bob's cash");
        assertEq(cash.balanceOf(address(distributor)), 0, "escrow spent");
        assertEq(distributor.dividend(1).claimed, 1_000, "all claimed");
        assertEq(DividendDistributorV2Mock(address(distributor)).unpaid(1), 0, "v2 sees nothing unpaid");
    }

    function test_upgrade_keeps_a_withheld_part_payable_past_the_deadline() public {
        // bob's investor frozen: his 400 are withheld, then the proxy is upgraded.
        bytes32 bobId = keccak256(abi.encode("investor", uint256(1)));
        registry.setInvestorFrozen(bobId, true);
        distributor.withhold(1, bob);
        distributor.upgradeToAndCall(address(new DividendDistributorV2Mock()), "");
        assertEq(distributor.withheldOf(1, bob), 400, "bob's withheld part kept");
        assertEq(distributor.dividend(1).withheld, 400, "the dividend's withheld total kept");
        assertEq(DividendDistributorV2Mock(address(distributor)).unpaid(1), 0, "nothing left to reclaim");
        // past the deadline, unfrozen: the withheld part is paid, once.
        vm.warp(block.timestamp + 8 days);
        registry.setInvestorFrozen(bobId, false);
        assertEq(distributor.claim(1, bob), 400, "bob paid his withheld part");
        assertEq(distributor.withheldOf(1, bob), 0, "withheld part spent");
        assertTrue(distributor.hasClaimed(1, bob), "bob's paid part recorded");
        vm.expectRevert(abi.encodeWithSelector(DividendDistributor.DividendAlreadyClaimed.selector, 1, bob));
        distributor.claim(1, bob);
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new DividendDistributorV2Mock());
        vm.prank(outsider);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, bytes32(0))
        );
        distributor.upgradeToAndCall(v2, "");
    }

    function test_transfer_agent_cannot_upgrade() public {
        address v2 = address(new DividendDistributorV2Mock());
        vm.prank(agent);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, agent, bytes32(0))
        );
        distributor.upgradeToAndCall(v2, "");
    }

    function test_upgrade_to_a_non_uups_contract_is_refused() public {
        vm.expectRevert(abi.encodeWithSelector(ERC1967Utils.ERC1967InvalidImplementation.selector, address(cash)));
        distributor.upgradeToAndCall(address(cash), "");
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        DividendDistributor implementation = DividendDistributor(
            address(
                uint160(uint256(VmStorage(address(vm)).load(address(distributor), ERC1967Utils.IMPLEMENTATION_SLOT)))
            )
        );
        address v2 = address(new DividendDistributorV2Mock());
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    function test_initialize_twice_is_refused() public {
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        distributor.initialize(outsider, IRegistryShare(address(share)));
    }

    function test_implementation_cannot_be_initialised() public {
        DividendDistributor implementation = new DividendDistributor();
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(outsider, IRegistryShare(address(share)));
    }

    function test_initialize_keeps_the_constructor_checks() public {
        address implementation = address(new DividendDistributor());
        vm.expectRevert(DividendDistributor.DividendZeroAddress.selector);
        new SuiteProxy(
            implementation, abi.encodeCall(DividendDistributor.initialize, (address(0), IRegistryShare(address(share))))
        );
        vm.expectRevert(DividendDistributor.DividendZeroAddress.selector);
        new SuiteProxy(
            implementation, abi.encodeCall(DividendDistributor.initialize, (address(this), IRegistryShare(address(0))))
        );
    }
}
