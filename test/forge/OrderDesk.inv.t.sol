// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OrderDeskSetup} from "./utils/OrderDeskSetup.sol";
import {ForgeTest, Vm, Bound} from "./utils/Vm.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {OrderDesk} from "../../contracts/assets/OrderDesk.sol";
import {OrderToken} from "../../contracts/assets/OrderToken.sol";
import {IOrderDesk} from "../../contracts/interfaces/IOrderDesk.sol";
import {IOrderToken} from "../../contracts/interfaces/IOrderToken.sol";
import {AggregatorV3Interface} from "../../contracts/interfaces/AggregatorV3Interface.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {AttestedFeed} from "../../contracts/feeds/AttestedFeed.sol";
import {MockStablecoin} from "../../contracts/test/MockStablecoin.sol";

/// @notice Random investor, quote-signer, treasury and market actions on an order desk: buys and
/// sells on quotes signed with `vm.sign` (mostly by the desk's signer, sometimes by a rogue key,
/// sometimes priced out of band), replays of executed quotes, buffer top-ups and withdrawals,
/// reference price moves, pauses and time warps.
/// @dev Ghost totals: quantities bought and sold, cash paid in and out through orders, cash the
/// treasury added and withdrew. A replay that succeeds raises a flag.
contract OrderDeskHandler {
    using Bound for uint256;

    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 public constant SIGNER_KEY = 0x5160;
    uint256 public constant ROGUE_KEY = 0xBAD;
    uint256 public constant WALLETS = 4;
    address public constant TREASURY = address(0x7EA5);

    OrderDesk public immutable desk;
    OrderToken public immutable token;
    MockStablecoin public immutable cash;
    AttestedFeed public immutable priceFeed;
    InvestorRegistry public immutable registry;
    bytes32 public immutable assetId;

    uint256 public nextQuoteId = 1;
    uint256 public bought;
    uint256 public sold;
    uint256 public cashIn;
    uint256 public cashOut;
    uint256 public toppedUp;
    uint256 public withdrawn;
    bool public replaySucceeded;

    IOrderDesk.Quote internal _lastQuote;
    bytes internal _lastSignature;
    bool internal _hasLast;

    mapping(bytes32 action => uint256 count) public successes;

    constructor(
        OrderDesk desk_,
        OrderToken token_,
        MockStablecoin cash_,
        AttestedFeed feed_,
        InvestorRegistry registry_
    ) {
        desk = desk_;
        token = token_;
        cash = cash_;
        priceFeed = feed_;
        registry = registry_;
        assetId = token_.assetId();
    }

    /// @notice Investor k (k = 0, 1) owns wallets 2k and 2k+1.
    function wallet(uint256 i) public pure returns (address) {
        return address(uint160(0xD000 + i));
    }

    function _refPrice() private view returns (uint256) {
        (, int256 answer,,,) = priceFeed.latestRoundData();
        return uint256(answer) / 100; // 8 feed decimals -> 6 cash decimals
    }

    function _quote(IOrderDesk.Side side, address w, uint256 quantity, uint256 bps, bool up)
        private
        returns (IOrderDesk.Quote memory q)
    {
        uint256 ref = _refPrice();
        uint256 delta = ref * bps / 10_000;
        q = IOrderDesk.Quote({
            assetId: assetId,
            side: side,
            quantity: quantity,
            price: up ? ref + delta : ref - delta,
            investorId: registry.investorOf(w),
            chainId: block.chainid,
            quoteId: nextQuoteId++,
            expiry: block.timestamp + 1 hours
        });
    }

    function _sign(IOrderDesk.Quote memory q, uint256 keySeed) private view returns (bytes memory) {
        uint256 key = keySeed % 10 == 0 ? ROGUE_KEY : SIGNER_KEY;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, desk.quoteDigest(q));
        return abi.encodePacked(r, s, v);
    }

    // ------------------------------------------------------------------------------------------
    // Investors
    // ------------------------------------------------------------------------------------------

    /// @param bps Price distance from the reference, up to 6% (the band is 5%).
    function buy(uint256 walletSeed, uint256 quantity, uint256 bps, bool up, uint256 keySeed) external {
        address w = wallet(walletSeed % WALLETS);
        quantity = quantity.bound(1e15, 50e18);
        IOrderDesk.Quote memory q = _quote(IOrderDesk.Side.Buy, w, quantity, bps.bound(0, 600), up);
        bytes memory sig = _sign(q, keySeed);
        uint256 before = cash.balanceOf(w);
        vm.prank(w);
        try desk.buy(q, sig, type(uint256).max) returns (uint256 paid) {
            bought += quantity;
            cashIn += paid;
            if (before - cash.balanceOf(w) != paid) cashIn = type(uint256).max; // breaks the invariant loudly
            _lastQuote = q;
            _lastSignature = sig;
            _hasLast = true;
            successes["buy"]++;
        } catch {}
    }

    function sell(uint256 walletSeed, uint256 quantity, uint256 bps, bool up, uint256 keySeed) external {
        address w = wallet(walletSeed % WALLETS);
        quantity = quantity.bound(1, token.balanceOf(w) + 1);
        IOrderDesk.Quote memory q = _quote(IOrderDesk.Side.Sell, w, quantity, bps.bound(0, 600), up);
        bytes memory sig = _sign(q, keySeed);
        vm.prank(w);
        try desk.sell(q, sig, 0) returns (uint256 received) {
            sold += quantity;
            cashOut += received;
            _lastQuote = q;
            _lastSignature = sig;
            _hasLast = true;
            successes["sell"]++;
        } catch {}
    }

    /// @notice Resubmits the last executed quote with its valid signature, from its own wallet.
    function replay(uint256 walletSeed) external {
        if (!_hasLast) return;
        IOrderDesk.Quote memory q = _lastQuote;
        address w = wallet(walletSeed % WALLETS);
        vm.prank(w);
        if (q.side == IOrderDesk.Side.Buy) {
            try desk.buy(q, _lastSignature, type(uint256).max) {
                replaySucceeded = true;
            } catch {}
        } else {
            try desk.sell(q, _lastSignature, 0) {
                replaySucceeded = true;
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
        cash.approve(address(desk), amount);
        try desk.topUpBuffer(amount) {
            toppedUp += amount;
            successes["topUp"]++;
        } catch {}
        vm.stopPrank();
    }

    function withdraw(uint256 amount) external {
        amount = amount.bound(1, cash.balanceOf(address(desk)) + 1);
        vm.prank(TREASURY);
        try desk.withdrawBuffer(TREASURY, amount) {
            withdrawn += amount;
            successes["withdraw"]++;
        } catch {}
    }

    /// @notice The reference price moves by up to +-10% (never below $1).
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
        if (desk.paused()) desk.unpause();
        else desk.pause();
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + seconds_.bound(1, 12 hours));
    }
}

contract OrderDeskInvariantTest is OrderDeskSetup {
    OrderDeskHandler internal handler;

    uint256 internal constant WALLETS = 4;
    uint256 internal constant INITIAL_CASH = 1_000_000e6;
    uint256 internal constant INITIAL_BUFFER = 50_000e6;

    function setUp() public {
        vm.warp(1_700_000_000);
        _deployDeskAndToken();
        handler = new OrderDeskHandler(desk, token, cash, priceFeed, registry);
        desk.addSigner(vm.addr(handler.SIGNER_KEY()));
        desk.setGlobalRateLimit(type(uint128).max / 2, 1e12);
        desk.setInvestorRateLimit(200_000e6, 1e6);
        desk.setBufferLimits(10_000e6, 100_000e6, 10e6);
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        for (uint256 k; k < 2; ++k) {
            bytes32 id = keccak256(abi.encode("investor", k));
            registry.registerInvestor(id, 840, 1, uint64(block.timestamp + 3650 days));
            registry.addWallet(id, handler.wallet(2 * k));
            registry.addWallet(id, handler.wallet(2 * k + 1));
        }
        for (uint256 i; i < WALLETS; ++i) {
            cash.mint(handler.wallet(i), INITIAL_CASH);
            vm.prank(handler.wallet(i));
            cash.approve(address(desk), type(uint256).max);
        }
        desk.grantRole(desk.TREASURY_ROLE(), handler.TREASURY());
        cash.mint(address(this), INITIAL_BUFFER);
        desk.grantRole(desk.TREASURY_ROLE(), address(this));
        cash.approve(address(desk), INITIAL_BUFFER);
        desk.topUpBuffer(INITIAL_BUFFER);
        priceFeed.grantRole(priceFeed.REPORTER_ROLE(), address(handler));
        // the handler toggles the pause: the guardian pauses, only the admin unpauses
        desk.grantRole(desk.PAUSER_ROLE(), address(handler));
        desk.grantRole(desk.DEFAULT_ADMIN_ROLE(), address(handler));
        targetContract(address(handler));
    }

    /// @notice Smoke test of the handler: buys, sells, treasury moves succeed; a replay fails.
    function test_handler_actions_succeed() public {
        handler.buy(0, 10e18, 0, true, 1);
        handler.buy(3, 5e18, 100, false, 1);
        handler.sell(0, 4e18, 50, true, 1);
        handler.replay(0);
        handler.topUp(1_000e6);
        handler.withdraw(500e6);
        assertEq(handler.successes("buy"), 2, "buys");
        assertEq(handler.successes("sell"), 1, "sells");
        assertEq(handler.successes("topUp"), 1, "top-ups");
        assertEq(handler.successes("withdraw"), 1, "withdrawals");
        invariant_order_desk();
    }

    /// @notice The order-desk invariants, checked after every handler call.
    function invariant_order_desk() public view {
        _checkCashConservation();
        _checkDeskCash();
        _checkTokenSupply();
        _checkNoReplay();
    }

    /// @notice Cash conservation: desk cash + investors' cash is constant apart from treasury
    /// moves (top-ups add, withdrawals remove); no order creates, strands or loses cash.
    function _checkCashConservation() internal view {
        uint256 total = cash.balanceOf(address(desk));
        for (uint256 i; i < WALLETS; ++i) {
            total += cash.balanceOf(handler.wallet(i));
        }
        assertEq(
            total + handler.withdrawn(),
            WALLETS * INITIAL_CASH + INITIAL_BUFFER + handler.toppedUp(),
            "desk + investors cash == initial + top-ups - withdrawals"
        );
    }

    /// @notice The desk holds exactly what orders and the treasury put in and took out.
    function _checkDeskCash() internal view {
        assertEq(
            cash.balanceOf(address(desk)) + handler.cashOut() + handler.withdrawn(),
            INITIAL_BUFFER + handler.cashIn() + handler.toppedUp(),
            "desk cash == buffer + buys - sells + top-ups - withdrawals"
        );
    }

    /// @notice Token supply == quantities of executed buys - executed sells, all held by investors
    /// (never by the desk).
    function _checkTokenSupply() internal view {
        assertEq(token.totalSupply() + handler.sold(), handler.bought(), "supply == bought - sold");
        uint256 sum;
        for (uint256 i; i < WALLETS; ++i) {
            sum += token.balanceOf(handler.wallet(i));
        }
        assertEq(sum, token.totalSupply(), "investors hold the whole supply");
    }

    /// @notice An executed quote can never execute again (signature replay).
    function _checkNoReplay() internal view {
        assertTrue(!handler.replaySucceeded(), "replayed quote executed");
    }
}
