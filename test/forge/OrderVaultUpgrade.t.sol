// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OrderUpgradeSetup} from "./utils/OrderUpgradeSetup.sol";
import {OrderVault} from "../../contracts/assets/OrderVault.sol";
import {IOrderVault} from "../../contracts/interfaces/IOrderVault.sol";
import {IOrderToken} from "../../contracts/interfaces/IOrderToken.sol";
import {SuiteProxy} from "../../contracts/proxy/SuiteProxy.sol";
import {OrderVaultV2Mock} from "../../contracts/test/upgrades/OrderVaultV2Mock.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/// @notice The OrderVault behind its UUPS proxy: its namespace (the former immutables included) sits
/// at the ERC-7201 slot; an upgrade by the admin keeps the Pending ERC-7540 Requests, the totals and
/// the settings, and the executor fills them afterwards; an outsider's or the executor's upgrade, a
/// second initialisation, an initialisation of the implementation and an upgrade called on the
/// implementation are all refused.
contract OrderVaultUpgradeTest is OrderUpgradeSetup {
    event Upgraded(address indexed implementation);

    bytes32 internal constant ORDER_VAULT_STORAGE = 0xff43c98064b2848efd66bd74e90d3190f521da5f0860da18fb36ed2f6ccd3b00;

    function setUp() public {
        _deployAndTrade();
    }

    function test_namespace_slot_is_the_erc7201_formula_and_holds_the_state() public view {
        assertEq(uint256(_erc7201("tokenized-stocks.storage.OrderVault")), uint256(ORDER_VAULT_STORAGE), "slot");
        uint256 config = _load(address(vault), ORDER_VAULT_STORAGE);
        assertEq(uint160(config), uint160(address(desk)), "desk at field 0");
        assertEq(uint8(config >> 160), 0, "not paused (the flag packed with the desk)");
        assertEq(uint8(config >> 168), 6, "cash decimals packed with it");
        assertEq(uint64(config >> 176), 7 days, "cancel timeout packed with it");
        uint256 base = uint256(ORDER_VAULT_STORAGE);
        assertEq(_load(address(vault), bytes32(base + 1)), uint160(address(cash)), "asset");
        assertEq(_load(address(vault), bytes32(base + 2)), uint160(address(token)), "share");
        assertEq(_load(address(vault), bytes32(base + 3)), uint256(token.assetId()), "asset id");
        assertEq(_load(address(vault), bytes32(base + 4)), uint160(registry.partyWordStore()), "registry's words");
        assertEq(
            _load(address(vault), bytes32(base + 5)), uint160(address(sanctions.sanctionsStore())), "sanctions store"
        );
        assertEq(_load(address(vault), bytes32(0)), 0, "no sequential state");
    }

    function test_upgrade_keeps_the_pending_requests_totals_and_settings() public {
        (uint256 pendingCash, uint256 claimableCash, uint256 cancelledCash, uint256 reserve) = vault.cashAccounts();
        OrderVaultV2Mock v2 = new OrderVaultV2Mock();

        vm.expectEmit();
        emit Upgraded(address(v2));
        vault.upgradeToAndCall(address(v2), abi.encodeCall(OrderVaultV2Mock.initializeV2, ()));

        assertEq(vault.pendingDepositRequest(0, ALICE), PENDING_DEPOSIT, "pending deposit kept");
        assertEq(vault.pendingRedeemRequest(0, ALICE), PENDING_REDEEM, "pending redemption kept");
        (uint256 pendingCash2, uint256 claimableCash2, uint256 cancelledCash2, uint256 reserve2) = vault.cashAccounts();
        assertEq(pendingCash, PENDING_DEPOSIT, "pending cash total");
        assertTrue(
            pendingCash2 == pendingCash && claimableCash2 == claimableCash && cancelledCash2 == cancelledCash
                && reserve2 == reserve,
            "cash accounts kept"
        );
        (uint256 pendingShares,,) = vault.shareAccounts();
        assertEq(pendingShares, PENDING_REDEEM, "share accounts kept");
        assertEq(uint160(vault.asset()), uint160(address(cash)), "asset");
        assertEq(uint160(vault.share()), uint160(address(token)), "share");
        assertEq(uint160(vault.desk()), uint160(address(desk)), "desk");
        assertEq(vault.cancelTimeout(), 7 days, "cancel timeout");
        (uint128 capacity,,) = vault.rateLimit();
        assertEq(capacity, 1_000_000e6, "rate limit");
        assertTrue(vault.hasRole(vault.EXECUTOR_ROLE(), EXECUTOR), "executor kept");
        assertEq(OrderVaultV2Mock(address(vault)).owedCash(), PENDING_DEPOSIT, "v2 behaviour live");
        assertTrue(keccak256(bytes(OrderVaultV2Mock(address(vault)).version())) == keccak256("2"), "v2 live");
    }

    function test_after_an_upgrade_the_executor_fills_the_pending_deposit_and_alice_claims() public {
        vault.upgradeToAndCall(address(new OrderVaultV2Mock()), "");
        vm.prank(EXECUTOR);
        uint256 shares = vault.fulfilDeposit(ALICE, PENDING_DEPOSIT, PRICE, 1);
        assertEq(shares, PENDING_DEPOSIT * 1e18 / PRICE, "shares at the fill price");
        assertEq(vault.claimableDepositRequest(0, ALICE), PENDING_DEPOSIT, "claimable");
        vm.prank(ALICE);
        vault.deposit(PENDING_DEPOSIT, ALICE, ALICE);
        assertEq(token.balanceOf(ALICE), BOUGHT - PENDING_REDEEM + shares, "claimed after the upgrade");
        assertTrue(vault.fillUsed(1), "fill id used");
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new OrderVaultV2Mock());
        vm.prank(OUTSIDER);
        vm.expectRevert(_unauthorized(OUTSIDER));
        vault.upgradeToAndCall(v2, "");
    }

    function test_executor_cannot_upgrade() public {
        address v2 = address(new OrderVaultV2Mock());
        vm.prank(EXECUTOR);
        vm.expectRevert(_unauthorized(EXECUTOR));
        vault.upgradeToAndCall(v2, "");
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        OrderVault implementation = OrderVault(_implementation(address(vault)));
        address v2 = address(new OrderVaultV2Mock());
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    function test_initialize_twice_is_refused() public {
        vm.prank(OUTSIDER);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        vault.initialize(OUTSIDER, cash, IOrderToken(address(token)));
    }

    function test_implementation_cannot_be_initialised() public {
        OrderVault implementation = new OrderVault();
        vm.prank(OUTSIDER);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(OUTSIDER, cash, IOrderToken(address(token)));
    }

    function test_initialize_keeps_the_constructor_checks() public {
        address implementation = address(new OrderVault());
        vm.expectRevert(IOrderVault.VaultZeroAddress.selector);
        new SuiteProxy(
            implementation, abi.encodeCall(OrderVault.initialize, (address(0), cash, IOrderToken(address(token))))
        );
        vm.expectRevert(IOrderVault.VaultZeroAddress.selector);
        new SuiteProxy(
            implementation, abi.encodeCall(OrderVault.initialize, (address(this), cash, IOrderToken(address(0))))
        );
    }

    function test_a_vault_of_the_desks_cash_reads_it_in_initialize() public {
        OrderVault other = OrderVault(
            address(
                new SuiteProxy(
                    address(new OrderVault()),
                    abi.encodeCall(
                        OrderVault.initialize, (address(this), IERC20Metadata(address(0)), IOrderToken(address(token)))
                    )
                )
            )
        );
        assertEq(uint160(other.asset()), uint160(address(cash)), "the desk's cash");
    }
}
