// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OrderUpgradeSetup} from "./utils/OrderUpgradeSetup.sol";
import {OrderToken} from "../../contracts/assets/OrderToken.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {IOrderToken} from "../../contracts/interfaces/IOrderToken.sol";
import {IInvestorRegistry} from "../../contracts/interfaces/IInvestorRegistry.sol";
import {ISanctionsList} from "../../contracts/interfaces/ISanctionsList.sol";
import {SuiteProxy} from "../../contracts/proxy/SuiteProxy.sol";
import {OrderTokenV2Mock} from "../../contracts/test/upgrades/OrderTokenV2Mock.sol";
import {IERC7943Fungible} from "../../contracts/interfaces/IERC7943.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/// @notice The OrderToken behind its UUPS proxy: its namespace sits at the ERC-7201 slot with the
/// desk, the pause and the home chain in one slot; an upgrade by the admin keeps every balance,
/// freeze, allowance and setting and the token's rules go on; an outsider's or the compliance
/// officer's upgrade, a second initialisation, an initialisation of the implementation and an
/// upgrade called on the implementation are all refused.
contract OrderTokenUpgradeTest is OrderUpgradeSetup {
    event Upgraded(address indexed implementation);

    bytes32 internal constant ORDER_TOKEN_STORAGE = 0x39d70a4079395aa948240487d8d2fcb01b5190c490b7c33b1a930295dac8dd00;

    function setUp() public {
        _deployAndTrade();
    }

    function test_namespace_slot_is_the_erc7201_formula_and_holds_the_state() public view {
        assertEq(uint256(_erc7201("tokenized-stocks.storage.OrderToken")), uint256(ORDER_TOKEN_STORAGE), "slot");
        uint256 config = _load(address(token), ORDER_TOKEN_STORAGE);
        assertEq(uint160(config), uint160(address(desk)), "desk at field 0");
        assertEq(uint8(config >> 160), 0, "not paused (the flag packed with the desk)");
        assertEq(uint64(config >> 168), block.chainid, "home chain packed with the desk");
        bytes32 base = ORDER_TOKEN_STORAGE;
        assertEq(_load(address(token), bytes32(uint256(base) + 1)), uint160(address(sanctions)), "sanctions");
        assertEq(
            _load(address(token), bytes32(uint256(base) + 2)), uint160(registry.partyWordStore()), "registry's words"
        );
        assertEq(_load(address(token), bytes32(uint256(base) + 5)), uint160(address(registry)), "registry");
        assertEq(_load(address(token), bytes32(0)), 0, "no sequential state");
    }

    function test_the_pause_is_the_flag_in_the_config_slot() public {
        token.grantRole(token.PAUSER_ROLE(), address(this));
        token.pause();
        assertEq(uint8(_load(address(token), ORDER_TOKEN_STORAGE) >> 160), 1, "paused flag set");
        assertTrue(token.paused(), "paused");
    }

    function test_upgrade_keeps_balances_freezes_and_settings() public {
        token.setGateway(address(0x6A7E));
        uint256 supply = token.totalSupply();
        OrderTokenV2Mock v2 = new OrderTokenV2Mock();

        vm.expectEmit();
        emit Upgraded(address(v2));
        token.upgradeToAndCall(address(v2), abi.encodeCall(OrderTokenV2Mock.initializeV2, ()));

        assertEq(token.balanceOf(ALICE), BOUGHT - PENDING_REDEEM, "alice's balance");
        assertEq(token.balanceOf(address(vault)), PENDING_REDEEM, "the vault holds the pending redemption");
        assertEq(token.totalSupply(), supply, "supply");
        assertEq(supply, BOUGHT, "supply is what was bought");
        assertEq(token.getFrozenTokens(ALICE), FROZEN, "frozen tokens kept");
        assertTrue(token.isFrozen(BOB), "bob's wallet freeze kept");
        assertEq(token.allowance(ALICE, address(vault)), type(uint256).max, "allowance kept");
        assertEq(uint160(token.desk()), uint160(address(desk)), "desk");
        assertEq(uint160(address(token.registry())), uint160(address(registry)), "registry");
        assertEq(uint160(address(token.sanctions())), uint160(address(sanctions)), "sanctions");
        assertEq(uint160(token.gateway()), 0x6A7E, "gateway");
        assertEq(token.homeChainId(), block.chainid, "identity");
        assertTrue(token.assetId() == keccak256("US0378331005"), "asset id");
        assertTrue(token.hasRole(token.COMPLIANCE_ROLE(), OFFICER), "officer kept");
        (bool wallet, uint256 tokens) = OrderTokenV2Mock(address(token)).freezeOf(ALICE);
        assertTrue(!wallet && tokens == FROZEN, "v2 behaviour live");
        assertTrue(keccak256(bytes(OrderTokenV2Mock(address(token)).version())) == keccak256("2"), "v2 live");
    }

    function test_after_an_upgrade_the_rules_still_apply() public {
        token.upgradeToAndCall(address(new OrderTokenV2Mock()), "");
        uint256 unfrozen = BOUGHT - PENDING_REDEEM - FROZEN;
        vm.prank(ALICE);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC7943Fungible.ERC7943InsufficientUnfrozenBalance.selector, ALICE, unfrozen + 1, unfrozen
            )
        );
        token.transfer(address(0xCA401), unfrozen + 1);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderToken.OrderTokenFrozen.selector, BOB));
        token.transfer(BOB, 1);
        vm.prank(ALICE);
        token.transfer(address(0xCA401), unfrozen);
        assertEq(token.balanceOf(address(0xCA401)), unfrozen, "an allowed transfer goes through");
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new OrderTokenV2Mock());
        vm.prank(OUTSIDER);
        vm.expectRevert(_unauthorized(OUTSIDER));
        token.upgradeToAndCall(v2, "");
    }

    function test_compliance_officer_cannot_upgrade() public {
        address v2 = address(new OrderTokenV2Mock());
        vm.prank(OFFICER);
        vm.expectRevert(_unauthorized(OFFICER));
        token.upgradeToAndCall(v2, "");
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        OrderToken implementation = OrderToken(_implementation(address(token)));
        address v2 = address(new OrderTokenV2Mock());
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    function test_initialize_twice_is_refused() public {
        vm.prank(OUTSIDER);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        token.initialize(OUTSIDER, "X", "X", _identity(), OUTSIDER, registry, sanctions);
    }

    function test_implementation_cannot_be_initialised() public {
        OrderToken implementation = new OrderToken();
        vm.prank(OUTSIDER);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(OUTSIDER, "X", "X", _identity(), OUTSIDER, registry, sanctions);
    }

    function test_initialize_keeps_the_constructor_checks() public {
        address implementation = address(new OrderToken());
        vm.expectRevert(IOrderToken.OrderTokenZeroAddress.selector);
        new SuiteProxy(
            implementation,
            abi.encodeCall(
                OrderToken.initialize,
                (address(this), "X", "X", _identity(), address(desk), IInvestorRegistry(address(0)), sanctions)
            )
        );
        IAssetIdentity.IdentityParams memory share = _identity();
        share.architecture = IAssetIdentity.Architecture.RegistryShare;
        vm.expectRevert(abi.encodeWithSelector(IAssetIdentity.IdentityInvalid.selector, "architecture"));
        new SuiteProxy(
            implementation,
            abi.encodeCall(
                OrderToken.initialize,
                (address(this), "X", "X", share, address(desk), registry, ISanctionsList(address(sanctions)))
            )
        );
    }

    function _identity() internal view returns (IAssetIdentity.IdentityParams memory) {
        return IAssetIdentity.IdentityParams({
            assetId: keccak256("US88160R1014"),
            isin: "US88160R1014",
            ticker: "NVDA",
            architecture: IAssetIdentity.Architecture.MintOnOrder,
            homeChainId: block.chainid,
            termsURI: "ipfs://terms",
            termsHash: keccak256("terms"),
            dti: bytes9("4H95J0R2X")
        });
    }
}
