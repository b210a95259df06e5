// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Proxies} from "./utils/Proxies.sol";
import {OrderDeskSetup} from "./utils/OrderDeskSetup.sol";
import {ForgeTest, Bound} from "./utils/Vm.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {OrderDesk} from "../../contracts/assets/OrderDesk.sol";
import {OrderToken} from "../../contracts/assets/OrderToken.sol";
import {OrderVault} from "../../contracts/assets/OrderVault.sol";
import {IOrderToken} from "../../contracts/interfaces/IOrderToken.sol";
import {IOrderVault} from "../../contracts/interfaces/IOrderVault.sol";
import {AggregatorV3Interface} from "../../contracts/interfaces/AggregatorV3Interface.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {AttestedFeed} from "../../contracts/feeds/AttestedFeed.sol";
import {MockStablecoin} from "../../contracts/test/MockStablecoin.sol";

/// @notice A cash token that calls its recipient back on every transfer (ERC-777-like hook).
contract HookCash is ERC20 {
    constructor() ERC20("Hook USD", "hUSD") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 amount) internal override {
        super._update(from, to, amount);
        // Any contract recipient is called back; one without the hook ignores it.
        if (to.code.length != 0) {
            (bool ok,) = to.call(abi.encodeCall(HookReceiver.onCash, (from, amount)));
            ok; // a recipient without the hook reverts: ignored
        }
    }
}

/// @notice A verified investor's contract wallet that re-enters the vault when it receives cash.
contract HookReceiver {
    OrderVault public vault;
    bytes public reentryError;
    uint256 public reentries;

    function setVault(OrderVault vault_) external {
        vault = vault_;
    }

    function call(address target, bytes calldata data) external {
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }

    function onCash(address from, uint256) external {
        if (from != address(vault) || address(vault) == address(0)) return;
        reentries++;
        try vault.claimCancelDepositRequest(0, address(this), address(this)) {
            reentryError = "succeeded";
        } catch (bytes memory reason) {
            reentryError = reason;
        }
    }
}

/// @notice Unit tests of the order vault's liveness (cancel timeout) and adversarial cases: claims
/// never pay more than was fulfilled, operators, paused paths, hook cash re-entrancy, donations.
contract OrderVaultTest is OrderDeskSetup {
    using Bound for uint256;

    OrderVault internal vault;

    address internal constant ALICE = address(0xA11CE);
    address internal constant ALICE_2 = address(0xA11C2);
    address internal constant BOB = address(0xB0B);
    address internal constant CAROL = address(0xCA401); // not an investor
    address internal constant EXECUTOR = address(0xE7EC);
    address internal constant TREASURY = address(0x7EA5);
    address internal constant PAUSER = address(0x9A05E);
    uint256 internal constant PRICE = 200e6; // cash per 1e18 units (multiplier 1e18: per token)
    uint256 internal constant USD = 1e6;
    bytes32 internal constant ALICE_ID = keccak256("alice");

    function setUp() public {
        vm.warp(1_700_000_000);
        _deployDeskAndToken();
        sanctions.grantRole(sanctions.COMPLIANCE_ROLE(), address(this));
        vault = _deployVault(cash);
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.registerInvestor(ALICE_ID, 840, 1, uint64(block.timestamp + 3650 days));
        registry.addWallet(ALICE_ID, ALICE);
        registry.addWallet(ALICE_ID, ALICE_2);
        registry.registerInvestor(keccak256("bob"), 840, 1, uint64(block.timestamp + 3650 days));
        registry.addWallet(keccak256("bob"), BOB);
        address[3] memory wallets = [ALICE, ALICE_2, BOB];
        for (uint256 i; i < wallets.length; ++i) {
            cash.mint(wallets[i], 1_000_000 * USD);
            vm.startPrank(wallets[i]);
            cash.approve(address(vault), type(uint256).max);
            token.approve(address(vault), type(uint256).max);
            vm.stopPrank();
        }
        cash.mint(TREASURY, 1_000_000 * USD);
        vm.startPrank(TREASURY);
        cash.approve(address(vault), type(uint256).max);
        vault.topUpReserve(500_000 * USD);
        vm.stopPrank();
    }

    function _deployVault(ERC20 cashToken) internal returns (OrderVault v) {
        v = Proxies.deployOrderVault(address(this), cashToken, IOrderToken(address(token)));
        desk.setVault(token.assetId(), address(cashToken), address(v));
        v.setRateLimit(type(uint128).max / 2, 1e12);
        v.grantRole(v.EXECUTOR_ROLE(), EXECUTOR);
        v.grantRole(v.TREASURY_ROLE(), TREASURY);
        v.grantRole(v.PAUSER_ROLE(), PAUSER);
    }

    uint256 internal _fillId;

    function _fillDeposit(address controller, uint256 assets) internal returns (uint256 shares) {
        vm.prank(EXECUTOR);
        shares = vault.fulfilDeposit(controller, assets, PRICE, ++_fillId);
    }

    function _fillRedeem(address controller, uint256 shares) internal returns (uint256 assets) {
        vm.prank(EXECUTOR);
        assets = vault.fulfilRedeem(controller, shares, PRICE, ++_fillId);
    }

    function _requestDeposit(address controller, uint256 assets) internal {
        vm.prank(controller);
        vault.requestDeposit(assets, controller, controller);
    }

    /// @dev `controller` ends up holding `shares` order tokens (bought through the vault).
    function _holdShares(address controller, uint256 assets) internal returns (uint256 shares) {
        _requestDeposit(controller, assets);
        shares = _fillDeposit(controller, assets);
        vm.prank(controller);
        vault.mint(shares, controller, controller);
    }

    function _cancelDeposit(address controller) internal {
        vm.prank(controller);
        vault.cancelDepositRequest(0, controller);
    }

    function _cancelRedeem(address controller) internal {
        vm.prank(controller);
        vault.cancelRedeemRequest(0, controller);
    }

    function _checkAccounts() internal view {
        (uint256 pending, uint256 claimable, uint256 cancelled, uint256 reserve) = vault.cashAccounts();
        assertEq(cash.balanceOf(address(vault)), pending + claimable + cancelled + reserve, "cash accounted");
        (uint256 pendingShares, uint256 claimableShares, uint256 cancelledShares) = vault.shareAccounts();
        assertEq(token.balanceOf(address(vault)), pendingShares + claimableShares + cancelledShares, "shares held");
    }

    // ------------------------------------------------------------------------------------------
    // Liveness: the cancel timeout
    // ------------------------------------------------------------------------------------------

    function test_cancel_timeout_defaults_to_seven_days_and_fixes_the_deadline() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        (uint64 deposit, uint64 redeem) = vault.cancelDeadlines(ALICE);
        assertEq(vault.cancelTimeout(), 7 days, "default timeout");
        assertEq(deposit, block.timestamp + 7 days, "deposit deadline");
        assertEq(redeem, 0, "no redeem cancelation");
    }

    function test_an_unaccepted_deposit_cancelation_is_not_claimable_before_its_deadline() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        vm.warp(block.timestamp + 7 days - 1);
        assertTrue(vault.pendingCancelDepositRequest(0, ALICE), "still pending");
        assertEq(vault.claimableCancelDepositRequest(0, ALICE), 0, "nothing claimable yet");
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultNothingPending.selector, ALICE));
        vault.claimCancelDepositRequest(0, ALICE, ALICE);
    }

    function test_an_expired_deposit_cancelation_pays_the_controller_without_the_executor() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        vm.warp(block.timestamp + 7 days);
        assertTrue(!vault.pendingCancelDepositRequest(0, ALICE), "no longer pending");
        assertEq(vault.claimableCancelDepositRequest(0, ALICE), 1_000 * USD, "claimable view");
        assertEq(vault.pendingDepositRequest(0, ALICE), 0, "pending view");
        uint256 before = cash.balanceOf(ALICE_2);

        vm.expectEmit();
        emit IOrderVault.CancelDepositExpired(ALICE, 1_000 * USD);
        vm.prank(ALICE);
        vault.claimCancelDepositRequest(0, ALICE_2, ALICE);

        assertEq(cash.balanceOf(ALICE_2), before + 1_000 * USD, "cash back exactly");
        (uint64 deadline,) = vault.cancelDeadlines(ALICE);
        assertEq(deadline, 0, "cancelation settled");
        _checkAccounts();
    }

    function test_an_expired_deposit_cancelation_is_claimed_once() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        vm.warp(block.timestamp + 7 days);
        vm.startPrank(ALICE);
        vault.claimCancelDepositRequest(0, ALICE, ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultNothingPending.selector, ALICE));
        vault.claimCancelDepositRequest(0, ALICE, ALICE);
        vm.stopPrank();
    }

    function test_an_expired_cancelation_returns_only_what_the_broker_had_not_filled() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        uint256 shares = _fillDeposit(ALICE, 380 * USD); // filled before the deadline: stays filled
        vm.warp(block.timestamp + 7 days);
        uint256 before = cash.balanceOf(ALICE);

        vm.startPrank(ALICE);
        vault.claimCancelDepositRequest(0, ALICE, ALICE);
        vault.mint(shares, ALICE, ALICE);
        vm.stopPrank();

        assertEq(cash.balanceOf(ALICE), before + 620 * USD, "the unfilled rest");
        assertEq(token.balanceOf(ALICE), shares, "the filled shares");
        _checkAccounts();
    }

    function test_the_executor_cannot_fill_after_the_deadline() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        uint256 deadline = block.timestamp + 7 days;
        vm.warp(deadline);
        vm.prank(EXECUTOR);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultCancelExpired.selector, ALICE, deadline));
        vault.fulfilDeposit(ALICE, 1_000 * USD, PRICE, 1);
    }

    function test_an_accepted_cancelation_does_not_expire_again() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        vm.prank(EXECUTOR);
        vault.fulfilCancelDeposit(ALICE);
        vm.warp(block.timestamp + 30 days);
        uint256 before = cash.balanceOf(ALICE);

        vm.recordLogs();
        vm.startPrank(ALICE);
        vault.claimCancelDepositRequest(0, ALICE, ALICE);
        assertEq(vm.getRecordedLogs().length, 2, "a transfer and the claim, no expiry");
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultNothingPending.selector, ALICE));
        vault.claimCancelDepositRequest(0, ALICE, ALICE);
        vm.stopPrank();
        assertEq(cash.balanceOf(ALICE), before + 1_000 * USD, "paid once");
    }

    function test_the_executor_may_still_accept_an_expired_cancelation() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        vm.warp(block.timestamp + 8 days);
        vm.prank(EXECUTOR);
        assertEq(vault.fulfilCancelDeposit(ALICE), 1_000 * USD, "accepted");
        vm.prank(ALICE);
        vault.claimCancelDepositRequest(0, ALICE, ALICE);
        assertEq(vault.claimableCancelDepositRequest(0, ALICE), 0, "claimed once");
        _checkAccounts();
    }

    function test_a_new_request_after_the_deadline_settles_the_expired_cancelation_first() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        vm.warp(block.timestamp + 7 days);
        priceFeed.report(200e8); // the reference price is fresh again

        vm.expectEmit();
        emit IOrderVault.CancelDepositExpired(ALICE, 1_000 * USD);
        _requestDeposit(ALICE, 50 * USD);

        assertEq(vault.pendingDepositRequest(0, ALICE), 50 * USD, "only the new request pending");
        assertEq(vault.claimableCancelDepositRequest(0, ALICE), 1_000 * USD, "old one claimable");
        _fillDeposit(ALICE, 50 * USD); // the new request fills normally
        _checkAccounts();
    }

    function test_a_fully_filled_request_with_an_ignored_cancelation_does_not_block_the_controller() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        _fillDeposit(ALICE, 1_000 * USD); // all filled, the cancelation never accepted
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultCancelPending.selector, ALICE));
        vault.requestDeposit(USD, ALICE, ALICE);
        vm.warp(block.timestamp + 7 days);
        _requestDeposit(ALICE, USD); // the empty cancelation expired and was settled
        assertEq(vault.pendingDepositRequest(0, ALICE), USD, "new request pending");
    }

    function test_an_expired_redeem_cancelation_returns_the_shares_without_the_executor() public {
        uint256 shares = _holdShares(ALICE, 2_000 * USD);
        vm.prank(ALICE);
        vault.requestRedeem(shares, ALICE, ALICE);
        uint256 filled = shares / 4;
        _fillRedeem(ALICE, filled);
        _cancelRedeem(ALICE);
        uint256 deadline = block.timestamp + 7 days;
        vm.warp(deadline);

        vm.prank(EXECUTOR);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultCancelExpired.selector, ALICE, deadline));
        vault.fulfilRedeem(ALICE, 1e15, PRICE, 99);
        assertEq(vault.claimableCancelRedeemRequest(0, ALICE), shares - filled, "claimable view");

        vm.expectEmit();
        emit IOrderVault.CancelRedeemExpired(ALICE, shares - filled);
        vm.prank(ALICE);
        vault.claimCancelRedeemRequest(0, ALICE, ALICE);
        assertEq(token.balanceOf(ALICE), shares - filled, "shares back exactly");
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultNothingPending.selector, ALICE));
        vault.claimCancelRedeemRequest(0, ALICE, ALICE);
        _checkAccounts();
    }

    function test_the_expired_claim_waits_for_the_pause_to_lift() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        vm.warp(block.timestamp + 7 days);
        vm.prank(PAUSER);
        vault.pause();
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSignature("EnforcedPause()"));
        vault.claimCancelDepositRequest(0, ALICE, ALICE);
        vault.unpause(); // the admin's (this test): the guardian only pauses
        vm.prank(ALICE);
        vault.claimCancelDepositRequest(0, ALICE, ALICE);
        assertEq(cash.balanceOf(address(vault)), 500_000 * USD, "only the reserve left");
    }

    /// @dev The token skips asking the desk for its pause when the desk mints or burns: the desk
    /// itself must refuse its vaults' mints and burns while paused (even a vault that is not).
    function test_the_desk_refuses_a_vault_mint_or_burn_while_paused() public {
        desk.grantRole(desk.PAUSER_ROLE(), address(this));
        desk.pause();
        vm.prank(address(vault));
        vm.expectRevert(abi.encodeWithSignature("EnforcedPause()"));
        desk.vaultMint(address(vault), 1e18);
        vm.prank(address(vault));
        vm.expectRevert(abi.encodeWithSignature("EnforcedPause()"));
        desk.vaultBurn(address(vault), 0);
        desk.unpause();
        vm.prank(address(vault));
        desk.vaultMint(address(vault), 1e18);
        assertEq(token.balanceOf(address(vault)), 1e18, "minted once the desk is live");
    }

    function test_a_paused_token_refuses_the_desks_own_mint() public {
        token.grantRole(token.PAUSER_ROLE(), address(this));
        token.pause();
        bytes32 assetId = token.assetId();
        vm.prank(address(vault));
        vm.expectRevert(abi.encodeWithSelector(IOrderToken.OrderTokenPaused.selector, assetId));
        desk.vaultMint(address(vault), 1e18);
    }

    function test_the_expired_claim_refuses_an_unverified_receiver_and_a_stranger() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        vm.warp(block.timestamp + 7 days);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultInvestorNotVerified.selector, CAROL));
        vault.claimCancelDepositRequest(0, CAROL, ALICE);
        vm.prank(BOB);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultUnauthorizedOperator.selector, ALICE, BOB));
        vault.claimCancelDepositRequest(0, BOB, ALICE);
    }

    function test_set_cancel_timeout_emits_and_applies_to_later_cancelations_only() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        (uint64 before,) = vault.cancelDeadlines(ALICE);

        vm.expectEmit();
        emit IOrderVault.CancelTimeoutSet(1 hours);
        vault.setCancelTimeout(1 hours);

        (uint64 after_,) = vault.cancelDeadlines(ALICE);
        assertEq(after_, before, "a pending cancelation keeps its deadline");
        _requestDeposit(BOB, 1_000 * USD);
        _cancelDeposit(BOB);
        (uint64 bobs,) = vault.cancelDeadlines(BOB);
        assertEq(bobs, block.timestamp + 1 hours, "new timeout for new cancelations");
    }

    function test_set_cancel_timeout_is_bounded() public {
        vm.expectRevert(
            abi.encodeWithSelector(IOrderVault.VaultCancelTimeoutOutOfBounds.selector, 1 hours - 1, 1 hours, 30 days)
        );
        vault.setCancelTimeout(1 hours - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IOrderVault.VaultCancelTimeoutOutOfBounds.selector, 30 days + 1, 1 hours, 30 days)
        );
        vault.setCancelTimeout(30 days + 1);
        vault.setCancelTimeout(30 days);
        assertEq(vault.cancelTimeout(), 30 days, "upper bound allowed");
    }

    function test_set_cancel_timeout_refuses_an_outsider_and_the_executor() public {
        bytes32 admin = vault.DEFAULT_ADMIN_ROLE();
        vm.prank(EXECUTOR);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, EXECUTOR, admin)
        );
        vault.setCancelTimeout(1 days);
        vm.prank(CAROL);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, CAROL, admin));
        vault.setCancelTimeout(1 days);
    }

    // ------------------------------------------------------------------------------------------
    // Adversarial: rounding of partial claims
    // ------------------------------------------------------------------------------------------

    /// @notice Partial deposit claims, by cash or by shares in any order, never hand out more
    /// shares than were filled, and a claim by cash never rounds up in the caller's favour.
    function testFuzz_partial_deposit_claims_never_pay_more_than_filled(uint256 assets, uint256[6] memory parts)
        public
    {
        assets = assets.bound(1 * USD, 100_000 * USD);
        _requestDeposit(ALICE, assets);
        uint256 filled = _fillDeposit(ALICE, assets);
        uint256 paid;
        vm.startPrank(ALICE);
        for (uint256 i; i < parts.length; ++i) {
            uint256 maxShares = vault.maxMint(ALICE);
            uint256 maxAssets = vault.maxDeposit(ALICE);
            if (i % 2 == 0 && maxShares > 0) {
                uint256 s = parts[i].bound(1, maxShares);
                uint256 used = vault.mint(s, ALICE, ALICE);
                // the cash used up rounds up: at least the pro-rata share of the claimable cash
                assertGe(used * maxShares, s * maxAssets, "mint uses up at least its pro-rata cash");
                paid += s;
            } else if (maxAssets > 0) {
                uint256 a = parts[i].bound(1, maxAssets);
                uint256 s = vault.deposit(a, ALICE, ALICE);
                assertLe(s * maxAssets, a * maxShares, "deposit pays at most its pro-rata shares");
                paid += s;
            }
        }
        vm.stopPrank();
        assertLe(paid, filled, "never more than filled");
        assertEq(paid + vault.maxMint(ALICE), filled, "what is left is still claimable");
        _checkAccounts();
    }

    /// @notice Partial redemption claims never pay more cash than the fill made Claimable.
    function testFuzz_partial_redeem_claims_never_pay_more_than_filled(uint256 assets, uint256[6] memory parts) public {
        assets = assets.bound(10 * USD, 100_000 * USD);
        uint256 shares = _holdShares(ALICE, assets);
        vm.prank(ALICE);
        vault.requestRedeem(shares, ALICE, ALICE);
        uint256 owed = _fillRedeem(ALICE, shares);
        uint256 before = cash.balanceOf(ALICE);
        vm.startPrank(ALICE);
        for (uint256 i; i < parts.length; ++i) {
            uint256 maxShares = vault.maxRedeem(ALICE);
            uint256 maxAssets = vault.maxWithdraw(ALICE);
            if (i % 2 == 0 && maxShares > 0) {
                uint256 s = parts[i].bound(1, maxShares);
                uint256 a = vault.redeem(s, ALICE, ALICE);
                assertLe(a * maxShares, s * maxAssets, "redeem pays at most its pro-rata cash");
            } else if (maxAssets > 0) {
                uint256 a = parts[i].bound(1, maxAssets);
                uint256 s = vault.withdraw(a, ALICE, ALICE);
                assertGe(s * maxAssets, a * maxShares, "withdraw uses up at least its pro-rata shares");
            }
        }
        vm.stopPrank();
        uint256 paid = cash.balanceOf(ALICE) - before;
        assertLe(paid, owed, "never more than filled");
        assertEq(paid + vault.maxWithdraw(ALICE), owed, "what is left is still claimable");
        _checkAccounts();
    }

    /// @notice Dust claims by cash that round to no shares cannot be repeated to drain shares.
    function test_dust_deposit_claims_give_no_shares() public {
        _requestDeposit(ALICE, 3 * USD);
        uint256 filled = _fillDeposit(ALICE, 3 * USD);
        vm.startPrank(ALICE);
        for (uint256 i; i < 5; ++i) {
            vault.deposit(1, ALICE, ALICE); // 1 base unit of a 3 USD claim
        }
        vm.stopPrank();
        assertEq(token.balanceOf(ALICE) + vault.maxMint(ALICE), filled, "nothing created");
        assertLe(token.balanceOf(ALICE) * 3 * USD, 5 * filled, "at most the pro-rata dust");
    }

    // ------------------------------------------------------------------------------------------
    // Adversarial: operators, replays, prices, receivers
    // ------------------------------------------------------------------------------------------

    function test_an_operator_of_another_controller_cannot_claim_for_this_one() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _fillDeposit(ALICE, 1_000 * USD);
        vm.prank(ALICE_2);
        vault.setOperator(BOB, true); // BOB operates ALICE_2, not ALICE
        vm.prank(BOB);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultUnauthorizedOperator.selector, ALICE, BOB));
        vault.mint(1, BOB, ALICE);
    }

    function test_an_operator_cannot_spend_the_controllers_cash_as_owner_after_revocation() public {
        vm.prank(ALICE);
        vault.setOperator(BOB, true);
        vm.prank(BOB);
        vault.requestDeposit(USD, BOB, ALICE); // allowed: BOB is ALICE's operator
        vm.prank(ALICE);
        vault.setOperator(BOB, false);
        vm.prank(BOB);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultUnauthorizedOperator.selector, ALICE, BOB));
        vault.requestDeposit(USD, BOB, ALICE);
    }

    function test_a_fill_id_is_refused_on_the_other_side_and_for_another_controller() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _requestDeposit(BOB, 1_000 * USD);
        _fillDeposit(ALICE, 100 * USD); // fill id 1
        vm.startPrank(EXECUTOR);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultFillUsed.selector, 1));
        vault.fulfilDeposit(BOB, 100 * USD, PRICE, 1);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultFillUsed.selector, 1));
        vault.fulfilRedeem(ALICE, 1, PRICE, 1);
        vm.stopPrank();
    }

    function test_a_fill_price_outside_the_band_is_refused_both_ways() public {
        _requestDeposit(ALICE, 1_000 * USD);
        vm.startPrank(EXECUTOR);
        uint256 low = PRICE * 9_499 / 10_000;
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultPriceOutOfBand.selector, low, PRICE, 500));
        vault.fulfilDeposit(ALICE, 1_000 * USD, low, 1);
        uint256 high = PRICE * 10_501 / 10_000;
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultPriceOutOfBand.selector, high, PRICE, 500));
        vault.fulfilDeposit(ALICE, 1_000 * USD, high, 1);
        vm.stopPrank();
    }

    function test_a_stale_reference_price_stops_fills() public {
        _requestDeposit(ALICE, 1_000 * USD);
        (,,, uint256 updatedAt,) = priceFeed.latestRoundData();
        vm.warp(updatedAt + 1 days + 1);
        vm.prank(EXECUTOR);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultStaleFeed.selector, updatedAt, 1 days));
        vault.fulfilDeposit(ALICE, 1_000 * USD, PRICE, 1);
    }

    function test_a_frozen_investors_claim_to_its_own_other_wallet_is_refused() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _fillDeposit(ALICE, 1_000 * USD);
        registry.setInvestorFrozen(ALICE_ID, true);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultInvestorNotVerified.selector, ALICE_2));
        vault.mint(1, ALICE_2, ALICE);
    }

    // ------------------------------------------------------------------------------------------
    // Adversarial: sanctions on every benefiting party
    // ------------------------------------------------------------------------------------------

    /// @dev ALICE has a Claimable redemption of `owed` cash.
    function _aliceOwedCash() internal returns (uint256 owed) {
        uint256 shares = _holdShares(ALICE, 2_000 * USD);
        vm.prank(ALICE);
        vault.requestRedeem(shares, ALICE, ALICE);
        owed = _fillRedeem(ALICE, shares);
    }

    function test_a_sanctioned_receiver_of_redemption_cash_is_refused() public {
        uint256 owed = _aliceOwedCash();
        uint256 claimable = vault.maxRedeem(ALICE);
        sanctions.setSanctioned(ALICE_2, true);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultSanctioned.selector, ALICE_2));
        vault.redeem(claimable, ALICE_2, ALICE);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultSanctioned.selector, ALICE_2));
        vault.withdraw(owed, ALICE_2, ALICE);
    }

    function test_a_sanctioned_controller_cannot_claim_cash_to_a_clean_wallet() public {
        uint256 owed = _aliceOwedCash();
        sanctions.setSanctioned(ALICE, true);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultSanctioned.selector, ALICE));
        vault.withdraw(owed, ALICE_2, ALICE);
    }

    function test_a_sanctioned_controller_cannot_claim_shares_to_a_clean_wallet() public {
        _requestDeposit(ALICE, 1_000 * USD);
        uint256 shares = _fillDeposit(ALICE, 1_000 * USD);
        sanctions.setSanctioned(ALICE, true);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultSanctioned.selector, ALICE));
        vault.mint(shares, ALICE_2, ALICE);
    }

    function test_a_sanctioned_party_cannot_take_back_a_cancelled_deposit() public {
        _requestDeposit(ALICE, 1_000 * USD);
        _cancelDeposit(ALICE);
        vm.warp(block.timestamp + 7 days);
        sanctions.setSanctioned(ALICE_2, true);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultSanctioned.selector, ALICE_2));
        vault.claimCancelDepositRequest(0, ALICE_2, ALICE);
        sanctions.setSanctioned(ALICE_2, false);
        sanctions.setSanctioned(ALICE, true);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultSanctioned.selector, ALICE));
        vault.claimCancelDepositRequest(0, ALICE_2, ALICE);
    }

    function test_a_request_for_a_sanctioned_controller_is_refused() public {
        sanctions.setSanctioned(BOB, true);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultSanctioned.selector, BOB));
        vault.requestDeposit(USD, BOB, ALICE);
    }

    // ------------------------------------------------------------------------------------------
    // Adversarial: donations and re-entrancy
    // ------------------------------------------------------------------------------------------

    function test_donated_shares_and_cash_neither_change_total_assets_nor_become_claimable() public {
        uint256 shares = _holdShares(ALICE, 1_000 * USD);
        uint256 totalAssets = vault.totalAssets();
        uint256 reserve = vault.reserve();
        vm.startPrank(ALICE);
        token.transfer(address(vault), shares / 2);
        cash.transfer(address(vault), 10 * USD);
        vm.stopPrank();
        assertEq(vault.totalAssets(), totalAssets, "totalAssets unchanged");
        assertEq(vault.reserve(), reserve + 10 * USD, "donated cash joins the reserve");
        assertEq(vault.maxMint(ALICE) + vault.maxRedeem(ALICE), 0, "nothing claimable for the donor");
        vm.prank(BOB);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultExceedsClaimable.selector, BOB, 1, 0));
        vault.redeem(1, BOB, BOB);
    }

    function test_a_hook_cash_token_cannot_reenter_a_claim() public {
        HookCash hookCash = new HookCash();
        // retire the USD vault's registration: one vault per (token, cash) pair, this one for hUSD
        vault = _deployVault(hookCash);
        HookReceiver wallet = new HookReceiver();
        wallet.setVault(vault);
        registry.addWallet(ALICE_ID, address(wallet));
        hookCash.mint(address(wallet), 1_000 * USD);
        wallet.call(address(hookCash), abi.encodeCall(hookCash.approve, (address(vault), type(uint256).max)));
        wallet.call(
            address(vault), abi.encodeCall(vault.requestDeposit, (1_000 * USD, address(wallet), address(wallet)))
        );
        wallet.call(address(vault), abi.encodeCall(vault.cancelDepositRequest, (0, address(wallet))));
        vm.warp(block.timestamp + 7 days);

        wallet.call(
            address(vault), abi.encodeCall(vault.claimCancelDepositRequest, (0, address(wallet), address(wallet)))
        );

        assertEq(wallet.reentries(), 1, "the hook ran");
        assertEq(
            uint256(keccak256(wallet.reentryError())),
            uint256(keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector))),
            "re-entry refused"
        );
        assertEq(hookCash.balanceOf(address(wallet)), 1_000 * USD, "paid exactly once");
        assertEq(hookCash.balanceOf(address(vault)), 0, "nothing left");
    }
}
