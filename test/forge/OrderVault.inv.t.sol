// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Proxies} from "./utils/Proxies.sol";
import {OrderDeskSetup} from "./utils/OrderDeskSetup.sol";
import {ForgeTest, Vm, Bound} from "./utils/Vm.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {OrderDesk} from "../../contracts/assets/OrderDesk.sol";
import {OrderToken} from "../../contracts/assets/OrderToken.sol";
import {OrderVault} from "../../contracts/assets/OrderVault.sol";
import {IOrderToken} from "../../contracts/interfaces/IOrderToken.sol";
import {AggregatorV3Interface} from "../../contracts/interfaces/AggregatorV3Interface.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {AttestedFeed} from "../../contracts/feeds/AttestedFeed.sol";
import {MockStablecoin} from "../../contracts/test/MockStablecoin.sol";

/// @notice Random investor, operator, executor and treasury actions on an ERC-7540 order vault:
/// deposit and redeem requests, partial fills at prices in and out of the band, replays of used
/// fill ids, cancelations accepted after partial fills, claims by cash or by shares (partial or
/// whole), reserve top-ups and withdrawals, price moves, pauses and time warps.
/// @dev Ghost totals: cash paid in by requests and top-ups, paid out by claims and withdrawals;
/// shares minted and burnt by fills. A replayed fill id that succeeds raises a flag.
contract OrderVaultHandler {
    using Bound for uint256;

    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 public constant WALLETS = 4;
    address public constant TREASURY = address(0x7EA5);
    address public constant EXECUTOR = address(0xE7EC);

    OrderVault public immutable vault;
    OrderToken public immutable token;
    MockStablecoin public immutable cash;
    AttestedFeed public immutable priceFeed;

    uint256 public nextFillId = 1;
    uint256 public lastFillId;
    uint256 public cashRequested;
    uint256 public cashClaimed;
    uint256 public toppedUp;
    uint256 public withdrawn;
    uint256 public minted;
    uint256 public burnt;
    uint256 public depositsFilled;
    uint256 public redemptionsFilled;
    uint256 public donated;
    bool public replaySucceeded;
    bool public filledAfterExpiry;
    bool public claimMismatch;

    mapping(bytes32 action => uint256 count) public successes;

    constructor(OrderVault vault_, OrderToken token_, MockStablecoin cash_, AttestedFeed feed_) {
        vault = vault_;
        token = token_;
        cash = cash_;
        priceFeed = feed_;
    }

    /// @notice Investor k (k = 0, 1) owns wallets 2k and 2k+1.
    function wallet(uint256 i) public pure returns (address) {
        return address(uint160(0xD000 + i));
    }

    function _price(uint256 bps, bool up) private view returns (uint256) {
        (, int256 answer,,,) = priceFeed.latestRoundData();
        uint256 ref = uint256(answer) / 100; // 8 feed decimals -> 6 cash decimals
        uint256 delta = ref * bps.bound(0, 600) / 10_000; // the band is 5%
        return up ? ref + delta : ref - delta;
    }

    // ------------------------------------------------------------------------------------------
    // Investors and operators
    // ------------------------------------------------------------------------------------------

    /// @notice A wallet (or its sibling as an operator) asks for a deposit; sometimes for the other
    /// wallet as controller.
    function requestDeposit(uint256 walletSeed, uint256 assets, bool otherController) external {
        address w = wallet(walletSeed % WALLETS);
        address controller = otherController ? wallet((walletSeed % WALLETS + 1) % WALLETS) : w;
        assets = assets.bound(1, 50_000e6);
        vm.prank(w);
        try vault.requestDeposit(assets, controller, w) {
            cashRequested += assets;
            successes["requestDeposit"]++;
        } catch {}
    }

    function requestRedeem(uint256 walletSeed, uint256 shares) external {
        address w = wallet(walletSeed % WALLETS);
        shares = shares.bound(1, token.balanceOf(w) + 1);
        vm.prank(w);
        try vault.requestRedeem(shares, w, w) {
            successes["requestRedeem"]++;
        } catch {}
    }

    function claimDeposit(uint256 walletSeed, uint256 amount, bool byShares) external {
        address w = wallet(walletSeed % WALLETS);
        vm.startPrank(w);
        if (byShares) {
            try vault.mint(amount.bound(1, vault.maxMint(w) + 1), w, w) {
                successes["claimDeposit"]++;
            } catch {}
        } else {
            try vault.deposit(amount.bound(1, vault.maxDeposit(w) + 1), w, w) {
                successes["claimDeposit"]++;
            } catch {}
        }
        vm.stopPrank();
    }

    function claimRedeem(uint256 walletSeed, uint256 amount, bool byShares) external {
        address w = wallet(walletSeed % WALLETS);
        uint256 before = cash.balanceOf(w);
        vm.startPrank(w);
        if (byShares) {
            try vault.redeem(amount.bound(1, vault.maxRedeem(w) + 1), w, w) {
                successes["claimRedeem"]++;
            } catch {}
        } else {
            try vault.withdraw(amount.bound(1, vault.maxWithdraw(w) + 1), w, w) {
                successes["claimRedeem"]++;
            } catch {}
        }
        vm.stopPrank();
        cashClaimed += cash.balanceOf(w) - before;
    }

    function cancel(uint256 walletSeed, bool redeemSide) external {
        address w = wallet(walletSeed % WALLETS);
        vm.prank(w);
        if (redeemSide) {
            try vault.cancelRedeemRequest(0, w) {
                successes["cancel"]++;
            } catch {}
        } else {
            try vault.cancelDepositRequest(0, w) {
                successes["cancel"]++;
            } catch {}
        }
    }

    /// @notice Claims what a cancelation returns: accepted by the executor, or expired (the
    /// controller alone, after the deadline); exactly what the views said was claimable.
    function claimCancel(uint256 walletSeed, bool redeemSide) external {
        address w = wallet(walletSeed % WALLETS);
        uint256 cashBefore = cash.balanceOf(w);
        uint256 sharesBefore = token.balanceOf(w);
        (uint64 depositDeadline, uint64 redeemDeadline) = vault.cancelDeadlines(w);
        uint64 deadline = redeemSide ? redeemDeadline : depositDeadline;
        bool expired = deadline != 0 && block.timestamp >= deadline;
        if (redeemSide) {
            uint256 claimable = vault.claimableCancelRedeemRequest(0, w);
            vm.prank(w);
            try vault.claimCancelRedeemRequest(0, w, w) {
                successes["claimCancel"]++;
                if (expired) successes["claimExpiredCancel"]++;
                if (token.balanceOf(w) - sharesBefore != claimable) claimMismatch = true;
            } catch {}
        } else {
            uint256 claimable = vault.claimableCancelDepositRequest(0, w);
            vm.prank(w);
            try vault.claimCancelDepositRequest(0, w, w) {
                successes["claimCancel"]++;
                if (expired) successes["claimExpiredCancel"]++;
                if (cash.balanceOf(w) - cashBefore != claimable) claimMismatch = true;
            } catch {}
        }
        cashClaimed += cash.balanceOf(w) - cashBefore;
    }

    // ------------------------------------------------------------------------------------------
    // Executor
    // ------------------------------------------------------------------------------------------

    function fulfilDeposit(uint256 walletSeed, uint256 assets, uint256 bps, bool up) external {
        address w = wallet(walletSeed % WALLETS);
        assets = assets.bound(1, vault.pendingDepositRequest(0, w) + 1);
        uint256 fillId = nextFillId++;
        uint256 price = _price(bps, up);
        (uint64 deadline,) = vault.cancelDeadlines(w);
        vm.prank(EXECUTOR);
        try vault.fulfilDeposit(w, assets, price, fillId) returns (uint256 shares) {
            if (deadline != 0 && block.timestamp >= deadline) filledAfterExpiry = true;
            minted += shares;
            depositsFilled += assets;
            lastFillId = fillId;
            successes["fulfilDeposit"]++;
        } catch {}
    }

    function fulfilRedeem(uint256 walletSeed, uint256 shares, uint256 bps, bool up) external {
        address w = wallet(walletSeed % WALLETS);
        shares = shares.bound(1, vault.pendingRedeemRequest(0, w) + 1);
        uint256 fillId = nextFillId++;
        uint256 price = _price(bps, up);
        (, uint64 deadline) = vault.cancelDeadlines(w);
        vm.prank(EXECUTOR);
        try vault.fulfilRedeem(w, shares, price, fillId) returns (uint256 assets) {
            if (deadline != 0 && block.timestamp >= deadline) filledAfterExpiry = true;
            burnt += shares;
            redemptionsFilled += assets;
            lastFillId = fillId;
            successes["fulfilRedeem"]++;
        } catch {}
    }

    /// @notice The executor resends its last successful fill (same fill id) for any controller.
    function replayFill(uint256 walletSeed, bool redeemSide) external {
        if (lastFillId == 0) return;
        address w = wallet(walletSeed % WALLETS);
        uint256 price = _price(0, true);
        vm.startPrank(EXECUTOR);
        if (redeemSide) {
            try vault.fulfilRedeem(w, 1e15, price, lastFillId) {
                replaySucceeded = true;
            } catch {}
        } else {
            try vault.fulfilDeposit(w, 1, price, lastFillId) {
                replaySucceeded = true;
            } catch {}
        }
        vm.stopPrank();
    }

    function acceptCancel(uint256 walletSeed, bool redeemSide) external {
        address w = wallet(walletSeed % WALLETS);
        vm.prank(EXECUTOR);
        if (redeemSide) {
            try vault.fulfilCancelRedeem(w) {
                successes["acceptCancel"]++;
            } catch {}
        } else {
            try vault.fulfilCancelDeposit(w) {
                successes["acceptCancel"]++;
            } catch {}
        }
    }

    // ------------------------------------------------------------------------------------------
    // Treasury, market and operations
    // ------------------------------------------------------------------------------------------

    function topUp(uint256 amount) external {
        amount = amount.bound(1, 100_000e6);
        cash.mint(TREASURY, amount);
        vm.startPrank(TREASURY);
        cash.approve(address(vault), amount);
        try vault.topUpReserve(amount) {
            toppedUp += amount;
            successes["topUp"]++;
        } catch {}
        vm.stopPrank();
    }

    /// @notice Someone sends cash to the vault directly (not a request nor a top-up).
    function donate(uint256 amount) external {
        amount = amount.bound(1, 10_000e6);
        cash.mint(address(this), amount);
        cash.transfer(address(vault), amount);
        donated += amount;
    }

    function withdraw(uint256 amount) external {
        amount = amount.bound(1, vault.reserve() + 1);
        vm.prank(TREASURY);
        try vault.withdrawReserve(TREASURY, amount) {
            withdrawn += amount;
            successes["withdraw"]++;
        } catch {}
    }

    /// @notice The reference price moves by up to +-10% (never below $1) and is refreshed.
    function movePrice(uint256 bps, bool up) external {
        (, int256 answer,,,) = priceFeed.latestRoundData();
        uint256 p = uint256(answer);
        uint256 delta = p * bps.bound(0, 1_000) / 10_000;
        p = up ? p + delta : p - delta;
        if (p < 1e8) p = 1e8;
        priceFeed.report(int256(p));
    }

    function togglePause(uint256 seed) external {
        if (seed % 4 != 0) return; // mostly open
        if (vault.paused()) vault.unpause();
        else vault.pause();
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + seconds_.bound(1, 12 hours));
    }
}

contract OrderVaultInvariantTest is OrderDeskSetup {
    OrderVault internal vault;
    OrderVaultHandler internal handler;

    uint256 internal constant WALLETS = 4;
    uint256 internal constant INITIAL_CASH = 1_000_000e6;
    uint256 internal constant INITIAL_RESERVE = 50_000e6;

    function setUp() public {
        vm.warp(1_700_000_000);
        _deployDeskAndToken();
        vault = Proxies.deployOrderVault(address(this), cash, IOrderToken(address(token)));
        desk.setVault(token.assetId(), address(cash), address(vault));
        handler = new OrderVaultHandler(vault, token, cash, priceFeed);
        vault.setRateLimit(type(uint128).max / 2, 1e12);
        vault.setCancelTimeout(1 hours); // the shortest: cancelations expire within a campaign
        vault.grantRole(vault.EXECUTOR_ROLE(), handler.EXECUTOR());
        vault.grantRole(vault.TREASURY_ROLE(), handler.TREASURY());
        // the handler toggles the pause: the guardian pauses, only the admin unpauses
        vault.grantRole(vault.PAUSER_ROLE(), address(handler));
        vault.grantRole(vault.DEFAULT_ADMIN_ROLE(), address(handler));
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        for (uint256 k; k < 2; ++k) {
            bytes32 id = keccak256(abi.encode("investor", k));
            registry.registerInvestor(id, 840, 1, uint64(block.timestamp + 3650 days));
            registry.addWallet(id, handler.wallet(2 * k));
            registry.addWallet(id, handler.wallet(2 * k + 1));
        }
        for (uint256 i; i < WALLETS; ++i) {
            address w = handler.wallet(i);
            cash.mint(w, INITIAL_CASH);
            vm.startPrank(w);
            cash.approve(address(vault), type(uint256).max);
            token.approve(address(vault), type(uint256).max);
            // each wallet lets its sibling act as its operator
            vault.setOperator(handler.wallet(i ^ 1), true);
            vm.stopPrank();
        }
        cash.mint(address(this), INITIAL_RESERVE);
        vault.grantRole(vault.TREASURY_ROLE(), address(this));
        cash.approve(address(vault), INITIAL_RESERVE);
        vault.topUpReserve(INITIAL_RESERVE);
        priceFeed.grantRole(priceFeed.REPORTER_ROLE(), address(handler));
        targetContract(address(handler));
    }

    /// @notice Smoke test of the handler: every action can succeed; a replayed fill id fails.
    function test_handler_actions_succeed() public {
        handler.requestDeposit(0, 10_000e6, false);
        handler.requestDeposit(1, 2_000e6, true);
        handler.fulfilDeposit(0, 4_000e6, 0, true);
        handler.replayFill(0, false);
        handler.claimDeposit(0, 1e18, true);
        handler.claimDeposit(0, 1_000e6, false);
        handler.requestRedeem(0, 5e17);
        handler.fulfilRedeem(0, 2e17, 100, false);
        handler.claimRedeem(0, 1e17, true);
        handler.cancel(0, false);
        handler.acceptCancel(0, false);
        handler.claimCancel(0, false);
        handler.cancel(0, true);
        handler.acceptCancel(0, true);
        handler.claimCancel(0, true);
        handler.requestDeposit(2, 1_000e6, false);
        handler.cancel(2, false);
        handler.warp(1 hours);
        handler.fulfilDeposit(2, 500e6, 0, true); // refused: the cancelation expired
        handler.claimCancel(2, false); // the controller alone
        handler.topUp(1_000e6);
        handler.donate(100e6);
        handler.withdraw(500e6);
        assertEq(handler.successes("requestDeposit"), 3, "deposit requests");
        assertEq(handler.successes("fulfilDeposit"), 1, "deposit fills");
        assertEq(handler.successes("claimDeposit"), 2, "deposit claims");
        assertEq(handler.successes("requestRedeem"), 1, "redeem requests");
        assertEq(handler.successes("fulfilRedeem"), 1, "redeem fills");
        assertEq(handler.successes("claimRedeem"), 1, "redeem claims");
        assertEq(handler.successes("cancel"), 3, "cancelations");
        assertEq(handler.successes("acceptCancel"), 2, "accepted cancelations");
        assertEq(handler.successes("claimCancel"), 3, "cancelation claims");
        assertEq(handler.successes("claimExpiredCancel"), 1, "expired cancelation claims");
        assertEq(handler.successes("topUp"), 1, "top-ups");
        assertEq(handler.successes("withdraw"), 1, "withdrawals");
        invariant_order_vault();
    }

    /// forge-config: default.invariant.fail-on-revert = true
    /// @notice The order-vault invariants, checked after every handler call.
    function invariant_order_vault() public view {
        _checkNoCashStranded();
        _checkSharesHeld();
        _checkCashConservation();
        _checkControllersAddUp();
        _checkSupply();
        _checkNoReplay();
        _checkCancelLiveness();
    }

    /// @notice NO CASH STRANDED: every unit of cash in the vault is a Pending deposit, a Claimable
    /// redemption, a cancelled deposit to claim, or the reserve, and the reserve is exactly what
    /// top-ups, filled deposits and direct transfers put in less what filled redemptions and
    /// withdrawals took (so the vault always holds what it owes, and nothing belongs to no one).
    function _checkNoCashStranded() internal view {
        (uint256 pending, uint256 claimable, uint256 cancelled, uint256 reserve) = vault.cashAccounts();
        assertEq(cash.balanceOf(address(vault)), pending + claimable + cancelled + reserve, "vault cash accounted");
        assertEq(
            reserve + handler.redemptionsFilled() + handler.withdrawn(),
            INITIAL_RESERVE + handler.toppedUp() + handler.depositsFilled() + handler.donated(),
            "reserve == top-ups + filled deposits + donations - filled redemptions - withdrawals"
        );
    }

    /// @notice Every share the vault holds is a Pending redemption, a Claimable deposit or a
    /// cancelled redemption to claim.
    function _checkSharesHeld() internal view {
        (uint256 pending, uint256 claimable, uint256 cancelled) = vault.shareAccounts();
        assertEq(token.balanceOf(address(vault)), pending + claimable + cancelled, "vault shares accounted");
    }

    /// @notice Cash is conserved: vault + investors + withdrawn == initial + top-ups, and the vault
    /// holds what requests and top-ups paid in less what claims and withdrawals paid out.
    function _checkCashConservation() internal view {
        uint256 total = cash.balanceOf(address(vault));
        for (uint256 i; i < WALLETS; ++i) {
            total += cash.balanceOf(handler.wallet(i));
        }
        assertEq(
            total + handler.withdrawn(),
            WALLETS * INITIAL_CASH + INITIAL_RESERVE + handler.toppedUp() + handler.donated(),
            "vault + investors cash == initial + top-ups - withdrawals"
        );
        assertEq(
            cash.balanceOf(address(vault)) + handler.cashClaimed() + handler.withdrawn(),
            INITIAL_RESERVE + handler.cashRequested() + handler.toppedUp() + handler.donated(),
            "vault cash == reserve + requests + top-ups + donations - claims - withdrawals"
        );
    }

    /// @notice The per-controller views add up to the vault's totals (Pending and cancelled cash,
    /// Pending and cancelled shares).
    function _checkControllersAddUp() internal view {
        (uint256 pendingCash,, uint256 cancelledCash,) = vault.cashAccounts();
        (uint256 pendingShares,, uint256 cancelledShares) = vault.shareAccounts();
        uint256[4] memory sums;
        for (uint256 i; i < WALLETS; ++i) {
            address w = handler.wallet(i);
            sums[0] += vault.pendingDepositRequest(0, w);
            sums[1] += vault.claimableCancelDepositRequest(0, w);
            sums[2] += vault.pendingRedeemRequest(0, w);
            sums[3] += vault.claimableCancelRedeemRequest(0, w);
        }
        // An expired cancelation shows its Pending amount as cancelled before it is settled.
        assertEq(sums[0] + sums[1], pendingCash + cancelledCash, "pending and cancelled deposits add up");
        assertEq(sums[2] + sums[3], pendingShares + cancelledShares, "pending and cancelled redemptions add up");
    }

    /// @notice LIVENESS: no fill after a cancelation's deadline, and a cancelation claim pays exactly
    /// what the view said was claimable (accepted or expired).
    function _checkCancelLiveness() internal view {
        assertTrue(!handler.filledAfterExpiry(), "filled after a cancelation expired");
        assertTrue(!handler.claimMismatch(), "a cancelation claim paid other than claimable");
    }

    /// @notice The token supply is exactly what fills minted less what fills burnt.
    function _checkSupply() internal view {
        assertEq(token.totalSupply() + handler.burnt(), handler.minted(), "supply == minted - burnt");
    }

    /// @notice A fill id never fills twice.
    function _checkNoReplay() internal view {
        assertTrue(!handler.replaySucceeded(), "replayed fill id succeeded");
    }
}
