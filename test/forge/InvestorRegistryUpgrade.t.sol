// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {Proxies} from "./utils/Proxies.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IInvestorRegistry} from "../../contracts/interfaces/IInvestorRegistry.sol";
import {SuiteProxy} from "../../contracts/proxy/SuiteProxy.sol";
import {InvestorRegistryV2Mock} from "../../contracts/test/upgrades/InvestorRegistryV2Mock.sol";
import {PartyWordStore} from "../../contracts/identity/PartyWordStore.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @notice The InvestorRegistry behind its UUPS proxy: its namespace sits at the ERC-7201 slot, an
/// upgrade by the admin keeps every investor, wallet, packed word, sole-wallet status and role and
/// makes the new code live; an outsider's or the registrar's upgrade, a second initialisation, an
/// initialisation of the implementation and an upgrade called on the implementation are refused.
contract InvestorRegistryUpgradeTest is ForgeTest {
    event Upgraded(address indexed implementation);

    bytes32 internal constant INVESTOR_REGISTRY_STORAGE =
        0x84e6882081c92b7e9420ead2f481f94acd641c1fa1ae629eb21781cb87794100;
    bytes32 internal constant ALICE = keccak256("alice");
    bytes32 internal constant BOB = keccak256("bob");

    InvestorRegistry internal registry;
    address internal registrar = address(0x4E6);
    address internal outsider = address(0x0BAD);
    address internal aliceWallet = address(0xA11CE);
    address internal bobWallet1 = address(0xB0B1);
    address internal bobWallet2 = address(0xB0B2);
    address internal identityWallet = address(0x1D);
    address internal identity = address(0x1D1D);
    uint64 internal expiry;

    function setUp() public {
        expiry = uint64(block.timestamp + 365 days);
        registry = Proxies.deployInvestorRegistry(address(this));
        registry.grantRole(registry.REGISTRAR_ROLE(), registrar);
        vm.startPrank(registrar);
        registry.registerInvestor(ALICE, 840, 1, expiry);
        registry.addWallet(ALICE, aliceWallet);
        registry.registerInvestor(BOB, 276, 2, expiry);
        registry.addWallet(BOB, bobWallet1);
        registry.addWallet(BOB, bobWallet2);
        registry.setInvestorFrozen(BOB, true);
        registry.registerIdentity(identityWallet, identity, 250);
        vm.stopPrank();
    }

    function test_namespace_slot_is_the_erc7201_formula_and_holds_the_state() public view {
        bytes32 formula = keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.InvestorRegistry")) - 1))
            & ~bytes32(uint256(0xff));
        assertEq(uint256(formula), uint256(INVESTOR_REGISTRY_STORAGE), "erc7201 slot");
        // Field 0: the wallets' packed words; field 7: the investor count; field 8: the word store.
        bytes32 wordSlot = keccak256(abi.encode(aliceWallet, INVESTOR_REGISTRY_STORAGE));
        assertEq(
            uint256(VmStorage(address(vm)).load(address(registry), wordSlot)),
            registry.partyWord(aliceWallet),
            "alice's word at field 0"
        );
        bytes32 countSlot = bytes32(uint256(INVESTOR_REGISTRY_STORAGE) + 7);
        uint256 countWord = uint256(VmStorage(address(vm)).load(address(registry), countSlot));
        assertEq(uint32(countWord), 3, "investor count at field 7");
        // Field 8, the word store, shares field 7's slot (after the count's four bytes).
        assertTrue(address(uint160(countWord >> 32)) == registry.partyWordStore(), "word store beside the count");
    }

    function test_upgrade_keeps_every_figure() public {
        bytes memory before = _figures();
        InvestorRegistryV2Mock v2 = new InvestorRegistryV2Mock();
        vm.expectEmit();
        emit Upgraded(address(v2));
        registry.upgradeToAndCall(address(v2), abi.encodeCall(InvestorRegistryV2Mock.initializeV2, ()));
        assertTrue(keccak256(_figures()) == keccak256(before), "every figure unchanged");
        assertTrue(keccak256(bytes(InvestorRegistryV2Mock(address(registry)).version())) == keccak256("2"), "v2");
        assertTrue(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), address(this)), "admin kept");
        assertTrue(registry.hasRole(registry.REGISTRAR_ROLE(), registrar), "registrar kept");
    }

    function test_after_an_upgrade_the_registrar_goes_on_with_the_same_investors() public {
        registry.upgradeToAndCall(address(new InvestorRegistryV2Mock()), "");
        vm.startPrank(registrar);
        registry.setInvestorFrozen(BOB, false);
        registry.removeWallet(bobWallet1);
        registry.registerInvestor(keccak256("carol"), 36, 0, expiry);
        vm.stopPrank();
        assertTrue(registry.isVerified(bobWallet2), "bob unfrozen");
        address[] memory wallets = registry.walletsOf(BOB);
        assertTrue(wallets.length == 1 && wallets[0] == bobWallet2, "bob's remaining wallet moved to position 0");
        assertEq(registry.indexOf(keccak256("carol")), 4, "the next index follows the old count");
        (address first, bool sole) = registry.walletModeOf(1);
        assertTrue(first == aliceWallet && sole, "alice's sole wallet kept");
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new InvestorRegistryV2Mock());
        vm.prank(outsider);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, bytes32(0))
        );
        registry.upgradeToAndCall(v2, "");
    }

    function test_registrar_cannot_upgrade() public {
        address v2 = address(new InvestorRegistryV2Mock());
        vm.prank(registrar);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, registrar, bytes32(0))
        );
        registry.upgradeToAndCall(v2, "");
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        InvestorRegistry implementation = InvestorRegistry(
            address(uint160(uint256(VmStorage(address(vm)).load(address(registry), ERC1967Utils.IMPLEMENTATION_SLOT))))
        );
        address v2 = address(new InvestorRegistryV2Mock());
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    function test_initialize_twice_is_refused() public {
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        registry.initialize(outsider);
    }

    function test_implementation_cannot_be_initialised() public {
        InvestorRegistry implementation = new InvestorRegistry();
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(outsider);
    }

    function test_initialize_keeps_the_constructor_check() public {
        address implementation = address(new InvestorRegistry());
        vm.expectRevert(IInvestorRegistry.RegistryZeroAddress.selector);
        new SuiteProxy(implementation, abi.encodeCall(InvestorRegistry.initialize, (address(0))));
    }

    /// @dev Every view of the set-up's state, encoded (compared before and after an upgrade).
    function _figures() internal view returns (bytes memory) {
        (address firstAlice, bool soleAlice) = registry.walletModeOf(1);
        (address firstBob, bool soleBob) = registry.walletModeOf(2);
        return bytes.concat(
            abi.encode(registry.investor(ALICE), registry.investor(BOB), registry.investorCount()),
            abi.encode(
                registry.walletsOf(ALICE),
                registry.walletsOf(BOB),
                registry.partyWord(aliceWallet),
                registry.partyWord(bobWallet2)
            ),
            abi.encode(
                registry.partyWord(bobWallet1), registry.partyWord(identityWallet), registry.identity(identityWallet)
            ),
            abi.encode(registry.isVerified(aliceWallet), registry.isVerified(bobWallet1), registry.investorIdAt(3)),
            abi.encode(firstAlice, soleAlice, firstBob, soleBob, registry.investorCountry(identityWallet)),
            abi.encode(registry.partyWordStore(), PartyWordStore(registry.partyWordStore()).partyWord(bobWallet2))
        );
    }
}
