// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {Proxies} from "./utils/Proxies.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {IRegistryShare} from "../../contracts/interfaces/IRegistryShare.sol";
import {RegistryShare} from "../../contracts/assets/RegistryShare.sol";
import {BallotBox} from "../../contracts/corporate/BallotBox.sol";
import {SuiteProxy} from "../../contracts/proxy/SuiteProxy.sol";
import {BallotBoxV2Mock} from "../../contracts/test/upgrades/BallotBoxV2Mock.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Identities} from "./utils/Identities.sol";

/// @notice The BallotBox behind its UUPS proxy: its namespace sits at the ERC-7201 slot; an upgrade
/// by the admin keeps an open ballot with its votes and tally (a second vote still refused, the
/// others still counted) and makes the new code live; an outsider's or the transfer agent's
/// upgrade, a second initialisation, an initialisation of the implementation and an upgrade called
/// on the implementation are all refused.
contract BallotBoxUpgradeTest is ForgeTest {
    event Upgraded(address indexed implementation);

    bytes32 internal constant BALLOT_BOX_STORAGE = 0x5e0946137d64307e2e972efec52cf8d368baec00b44b1dca3d49442ab36f5400;

    InvestorRegistry internal registry;
    RegistryShare internal share;
    BallotBox internal box;
    address internal agent = address(0xA6E47);
    address internal outsider = address(0x0BAD);
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);

    function setUp() public {
        registry = Proxies.deployInvestorRegistry(address(this));
        share = Proxies.deployRegistryShare(
            address(this), registry, "Registry Share", "RSH", Identities.aapl(IAssetIdentity.Architecture.RegistryShare)
        );
        box = Proxies.deployBallotBox(address(this), share);
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        share.grantRole(share.TRANSFER_AGENT_ROLE(), address(this));
        share.grantRole(share.SNAPSHOT_ROLE(), address(box));
        box.grantRole(box.TRANSFER_AGENT_ROLE(), agent);
        address[2] memory wallets = [alice, bob];
        for (uint256 k; k < 2; ++k) {
            bytes32 id = keccak256(abi.encode("investor", k));
            registry.registerInvestor(id, 840, 1, uint64(block.timestamp + 365 days));
            registry.addWallet(id, wallets[k]);
        }
        share.issue(alice, 600e18, "issue");
        share.issue(bob, 400e18, "issue");
        // An open ballot in which alice voted yes with her 600 shares; bob has not voted.
        vm.prank(agent);
        box.propose("Elect the board", 7 days);
        vm.prank(alice);
        box.castVote(1, BallotBox.Choice.Yes);
    }

    function test_namespace_slot_is_the_erc7201_formula_and_holds_the_state() public view {
        bytes32 formula = keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.BallotBox")) - 1))
            & ~bytes32(uint256(0xff));
        assertEq(uint256(formula), uint256(BALLOT_BOX_STORAGE), "erc7201 slot");
        VmStorage vms = VmStorage(address(vm));
        // Field 0: the share (once an immutable); field 2: the votes; field 3: the ballot count.
        assertEq(uint256(vms.load(address(box), BALLOT_BOX_STORAGE)), uint256(uint160(address(share))), "share at 0");
        assertEq(uint256(vms.load(address(box), bytes32(uint256(BALLOT_BOX_STORAGE) + 3))), 1, "one ballot at 3");
        bytes32 voteSlot =
            keccak256(abi.encode(alice, keccak256(abi.encode(uint256(1), uint256(BALLOT_BOX_STORAGE) + 2))));
        assertEq(uint256(vms.load(address(box), voteSlot)), uint8(BallotBox.Choice.Yes) + 1, "alice's vote at 2");
    }

    function test_share_getter_reads_the_namespace() public view {
        assertTrue(address(box.share()) == address(share), "share");
    }

    function test_upgrade_keeps_the_open_ballot_its_votes_and_tally() public {
        BallotBox.Ballot memory before = box.ballot(1);
        BallotBoxV2Mock v2 = new BallotBoxV2Mock();
        vm.expectEmit();
        emit Upgraded(address(v2));
        box.upgradeToAndCall(address(v2), "");
        BallotBox.Ballot memory kept = box.ballot(1);
        assertEq(kept.snapshotId, before.snapshotId, "snapshot kept");
        assertEq(kept.end, before.end, "end kept");
        assertEq(kept.multiplier, before.multiplier, "multiplier kept");
        assertTrue(kept.descriptionHash == keccak256("Elect the board"), "description kept");
        (uint256 yes, uint256 no, uint256 abstain, bool ended) = box.tally(1);
        assertEq(yes, 600e18, "yes kept");
        assertEq(no + abstain, 0, "nothing else");
        assertTrue(!ended, "still open");
        assertTrue(box.hasVoted(1, alice) && !box.hasVoted(1, bob), "votes kept");
        assertEq(box.ballotCount(), 1, "count kept");
        assertTrue(address(box.share()) == address(share), "share kept");
        assertTrue(box.hasRole(box.DEFAULT_ADMIN_ROLE(), address(this)), "admin kept");
        assertTrue(box.hasRole(box.TRANSFER_AGENT_ROLE(), agent), "agent kept");
        assertTrue(keccak256(bytes(BallotBoxV2Mock(address(box)).version())) == keccak256("2"), "v2 live");
        assertEq(BallotBoxV2Mock(address(box)).turnout(1), 600e18, "v2 turnout");
    }

    function test_after_an_upgrade_a_second_vote_is_still_refused() public {
        box.upgradeToAndCall(address(new BallotBoxV2Mock()), "");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(BallotBox.BallotAlreadyVoted.selector, 1, alice));
        box.castVote(1, BallotBox.Choice.No);
    }

    function test_after_an_upgrade_the_ballot_goes_on_counting() public {
        box.upgradeToAndCall(address(new BallotBoxV2Mock()), "");
        vm.prank(bob);
        assertEq(box.castVote(1, BallotBox.Choice.No), 400e18, "bob's weight");
        (uint256 yes, uint256 no,,) = box.tally(1);
        assertEq(yes, 600e18, "yes");
        assertEq(no, 400e18, "no");
        assertEq(BallotBoxV2Mock(address(box)).turnout(1), 1_000e18, "v2 turnout");
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new BallotBoxV2Mock());
        vm.prank(outsider);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, bytes32(0))
        );
        box.upgradeToAndCall(v2, "");
    }

    function test_transfer_agent_cannot_upgrade() public {
        address v2 = address(new BallotBoxV2Mock());
        vm.prank(agent);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, agent, bytes32(0))
        );
        box.upgradeToAndCall(v2, "");
    }

    function test_upgrade_to_a_non_uups_contract_is_refused() public {
        vm.expectRevert(abi.encodeWithSelector(ERC1967Utils.ERC1967InvalidImplementation.selector, address(registry)));
        box.upgradeToAndCall(address(registry), "");
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        BallotBox implementation = BallotBox(
            address(uint160(uint256(VmStorage(address(vm)).load(address(box), ERC1967Utils.IMPLEMENTATION_SLOT))))
        );
        address v2 = address(new BallotBoxV2Mock());
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    function test_initialize_twice_is_refused() public {
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        box.initialize(outsider, IRegistryShare(address(share)));
    }

    function test_implementation_cannot_be_initialised() public {
        BallotBox implementation = new BallotBox();
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(outsider, IRegistryShare(address(share)));
    }

    function test_initialize_keeps_the_constructor_checks() public {
        address implementation = address(new BallotBox());
        vm.expectRevert(BallotBox.BallotInvalid.selector);
        new SuiteProxy(
            implementation, abi.encodeCall(BallotBox.initialize, (address(0), IRegistryShare(address(share))))
        );
        vm.expectRevert(BallotBox.BallotInvalid.selector);
        new SuiteProxy(
            implementation, abi.encodeCall(BallotBox.initialize, (address(this), IRegistryShare(address(0))))
        );
    }
}
