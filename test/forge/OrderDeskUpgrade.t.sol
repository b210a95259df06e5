// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OrderUpgradeSetup} from "./utils/OrderUpgradeSetup.sol";
import {OrderDesk} from "../../contracts/assets/OrderDesk.sol";
import {IOrderDesk} from "../../contracts/interfaces/IOrderDesk.sol";
import {IInvestorRegistry} from "../../contracts/interfaces/IInvestorRegistry.sol";
import {SuiteProxy} from "../../contracts/proxy/SuiteProxy.sol";
import {OrderDeskV2Mock} from "../../contracts/test/upgrades/OrderDeskV2Mock.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/// @notice The OrderDesk behind its UUPS proxy: its namespace sits at the ERC-7201 slot; an upgrade
/// by the admin keeps every listing, signer, quote status, rate-limit level, vault and the cash, and
/// orders go on with the quotes signed before it (the domain is the proxy's); an outsider's or a
/// role holder's upgrade, a second initialisation, an initialisation of the implementation and an
/// upgrade called on the implementation are all refused.
contract OrderDeskUpgradeTest is OrderUpgradeSetup {
    event Upgraded(address indexed implementation);

    bytes32 internal constant ORDER_DESK_STORAGE = 0x61167661bff565785c1824f6e5453388b198be34dbb1ee5e11a8d1494ad7aa00;

    function setUp() public {
        _deployAndTrade();
    }

    function test_namespace_slot_is_the_erc7201_formula_and_holds_the_state() public view {
        assertEq(uint256(_erc7201("tokenized-stocks.storage.OrderDesk")), uint256(ORDER_DESK_STORAGE), "slot");
        uint256 head = _load(address(desk), ORDER_DESK_STORAGE);
        assertEq(uint160(head), uint160(address(cash)), "cash at field 0");
        assertEq(uint8(head >> 160), 6, "cash decimals packed with it");
        assertEq(uint8(head >> 168), 0, "not paused (the flag packed with it)");
        bytes32 registrySlot = bytes32(uint256(ORDER_DESK_STORAGE) + 1);
        assertEq(_load(address(desk), registrySlot), uint160(address(registry)), "registry at field 1");
        assertEq(_load(address(desk), bytes32(0)), 0, "no sequential state");
    }

    function test_upgrade_keeps_listings_signers_quotes_limits_and_vaults() public {
        IOrderDesk.AssetConfig memory listed = desk.assetConfig(token.assetId());
        (uint128 capacity, uint128 refill, uint256 available) = desk.globalRateLimit();
        (,, uint256 aliceAvailable) = desk.investorRateLimit(ALICE_ID);
        (uint256 floor,,, uint256 withdrawable) = desk.bufferLimits();
        OrderDeskV2Mock v2 = new OrderDeskV2Mock();

        vm.expectEmit();
        emit Upgraded(address(v2));
        desk.upgradeToAndCall(address(v2), abi.encodeCall(OrderDeskV2Mock.initializeV2, ()));

        assertTrue(keccak256(abi.encode(desk.assetConfig(token.assetId()))) == keccak256(abi.encode(listed)), "listing");
        assertEq(uint160(address(listed.token)), uint160(address(token)), "listed token");
        assertEq(listed.maxDeviationBps, 500, "listed band");
        assertEq(capacity, 1_000_000e6, "global capacity");
        assertEq(available, 1_000_000e6 - BOUGHT * PRICE / 1e18, "the buy drew the global limit down");
        (uint128 capacity2, uint128 refill2, uint256 available2) = desk.globalRateLimit();
        assertTrue(capacity2 == capacity && refill2 == refill && available2 == available, "global limit kept");
        (,, uint256 aliceAvailable2) = desk.investorRateLimit(ALICE_ID);
        assertEq(aliceAvailable2, aliceAvailable, "alice's limit kept");
        (uint256 floor2,,, uint256 withdrawable2) = desk.bufferLimits();
        assertTrue(floor2 == floor && withdrawable2 == withdrawable, "buffer limits kept");
        assertTrue(desk.quoteStatus(QUOTE_ID) == IOrderDesk.QuoteStatus.Executed, "quote executed");
        assertTrue(desk.isSigner(vm.addr(SIGNER_KEY)), "signer kept");
        assertEq(uint160(desk.cash()), uint160(address(cash)), "cash kept");
        assertEq(uint160(address(desk.registry())), uint160(address(registry)), "registry kept");
        assertEq(uint160(desk.vaultOf(address(token), address(cash))), uint160(address(vault)), "vault kept");
        assertTrue(desk.hasRole(desk.EXECUTOR_ROLE(), EXECUTOR), "executor kept");
        assertTrue(OrderDeskV2Mock(address(desk)).isListed(token.assetId()), "v2 behaviour live");
        assertTrue(keccak256(bytes(OrderDeskV2Mock(address(desk)).version())) == keccak256("2"), "v2 live");
    }

    function test_after_an_upgrade_a_used_quote_stays_used_and_a_new_one_executes() public {
        desk.upgradeToAndCall(address(new OrderDeskV2Mock()), "");
        IOrderDesk.Quote memory used = _buyQuote();
        bytes memory signature = _sign(used);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderDesk.DeskQuoteUsed.selector, QUOTE_ID));
        desk.buy(used, signature, type(uint256).max);

        IOrderDesk.Quote memory fresh = _buyQuote();
        fresh.quoteId = QUOTE_ID + 1;
        signature = _sign(fresh);
        vm.prank(ALICE);
        desk.buy(fresh, signature, type(uint256).max);
        assertEq(token.balanceOf(ALICE), 2 * BOUGHT - PENDING_REDEEM, "minted after the upgrade");
        (,, uint256 available) = desk.globalRateLimit();
        assertEq(available, 1_000_000e6 - 2 * BOUGHT * PRICE / 1e18, "the limit goes on from its level");
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new OrderDeskV2Mock());
        vm.prank(OUTSIDER);
        vm.expectRevert(_unauthorized(OUTSIDER));
        desk.upgradeToAndCall(v2, "");
    }

    function test_executor_and_treasury_cannot_upgrade() public {
        address v2 = address(new OrderDeskV2Mock());
        vm.prank(EXECUTOR);
        vm.expectRevert(_unauthorized(EXECUTOR));
        desk.upgradeToAndCall(v2, "");
        vm.prank(TREASURY);
        vm.expectRevert(_unauthorized(TREASURY));
        desk.upgradeToAndCall(v2, "");
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        OrderDesk implementation = OrderDesk(_implementation(address(desk)));
        address v2 = address(new OrderDeskV2Mock());
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    function test_initialize_twice_is_refused() public {
        vm.prank(OUTSIDER);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        desk.initialize(OUTSIDER, registry);
    }

    function test_implementation_cannot_be_initialised() public {
        OrderDesk implementation = new OrderDesk();
        vm.prank(OUTSIDER);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(OUTSIDER, registry);
    }

    function test_initialize_keeps_the_constructor_checks() public {
        address implementation = address(new OrderDesk());
        vm.expectRevert(IOrderDesk.DeskZeroAddress.selector);
        new SuiteProxy(implementation, abi.encodeCall(OrderDesk.initialize, (address(0), registry)));
        vm.expectRevert(IOrderDesk.DeskZeroAddress.selector);
        new SuiteProxy(
            implementation, abi.encodeCall(OrderDesk.initialize, (address(this), IInvestorRegistry(address(0))))
        );
    }
}
