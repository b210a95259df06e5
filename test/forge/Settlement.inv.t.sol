// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest, Vm, Bound} from "./utils/Vm.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {ISettlementDvP} from "../../contracts/interfaces/ISettlementDvP.sol";
import {ISettlementHybridDvP} from "../../contracts/interfaces/ISettlementHybridDvP.sol";
import {ISettlementLedgerAdapter} from "../../contracts/interfaces/ISettlementLedgerAdapter.sol";
import {DvP} from "../../contracts/settlement/DvP.sol";
import {HybridDvP} from "../../contracts/settlement/HybridDvP.sol";
import {TraditionalLedgerAdapter} from "../../contracts/settlement/TraditionalLedgerAdapter.sol";
import {SettlementQuantity} from "../../contracts/settlement/SettlementQuantity.sol";
import {SettleCashMock} from "../../contracts/test/SettleCashMock.sol";
import {SettleRestrictedMock} from "../../contracts/test/SettleRestrictedMock.sol";
import {Proxies} from "./utils/Proxies.sol";

/// @notice Random settlement traffic on one registry share (verified holders only) and one cash
/// token: atomic DvP trades (signed or instructed, some under-approved, some to an unverified
/// buyer), their cancellation, expiry and replay; hybrid escrows released against a cash agent's
/// confirmation, refunded or cancelled, and replays of closed ones; off- and on-ramps through the
/// traditional ledger adapter, expiry of the ones nobody answered in time; time passing.
/// @dev Replaces the Hypothesis state machine of tests/properties/test_settlement_properties.py.
/// Ghost state: every trade key and the final state the handler saw it reach, the securities the
/// open escrows hold, the pending off-ramps. A flag is raised when an operation moved other than
/// exactly its amounts, when a closed trade reached a second final state, or when a trade to the
/// unverified buyer went through.
contract SettlementHandler {
    using Bound for uint256;

    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 public constant ALICE_KEY = 0xA11CE;
    uint256 public constant BOB_KEY = 0xB0B;
    uint256 public constant CAROL_KEY = 0xCA201; // never onboarded: the share refuses her
    uint256 public constant CASH_AGENT_KEY = 0xCA5A;
    address public constant RELAYER = address(0x5E11);

    DvP public immutable dvp;
    HybridDvP public immutable hybrid;
    TraditionalLedgerAdapter public immutable adapter;
    SettleRestrictedMock public immutable share;
    SettleCashMock public immutable cash;

    ISettlementDvP.Trade[] internal _trades;
    bytes[2][] internal _tradeSignatures;
    mapping(bytes32 key => ISettlementDvP.TradeState) public dvpFinal;

    ISettlementHybridDvP.HybridTrade[] internal _escrows;
    mapping(bytes32 key => ISettlementHybridDvP.EscrowState) public hybridState;
    uint256 public escrowed;

    bytes32[] internal _pendingOffRamps;
    mapping(bytes32 id => uint256 shares) internal _offRampShares;
    uint256 public pending;

    uint256 internal _counter;

    bool public wrongAmounts;
    bool public secondFinalState;
    bool public unverifiedBuyerServed;

    constructor(
        DvP dvp_,
        HybridDvP hybrid_,
        TraditionalLedgerAdapter adapter_,
        SettleRestrictedMock share_,
        SettleCashMock cash_
    ) {
        dvp = dvp_;
        hybrid = hybrid_;
        adapter = adapter_;
        share = share_;
        cash = cash_;
    }

    function party(uint256 k) public pure returns (address) {
        return vm.addr([ALICE_KEY, BOB_KEY, CAROL_KEY][k % 3]);
    }

    function tradeCount() external view returns (uint256) {
        return _trades.length;
    }

    function tradeAt(uint256 i) external view returns (ISettlementDvP.Trade memory) {
        return _trades[i];
    }

    function escrowCount() external view returns (uint256) {
        return _escrows.length;
    }

    function escrowKeyAt(uint256 i) external view returns (bytes32) {
        return hybrid.tradeKey(_escrows[i]);
    }

    // --- atomic DvP --------------------------------------------------------------------------

    /// @notice A verified seller and any buyer sign (or instruct) a trade; the buyer approves the
    /// cash (or one unit less); anyone submits it.
    function atomicDvp(uint256 sellerSeed, uint256 buyerSeed, uint256 quantity, uint256 amount, uint256 flags)
        external
    {
        uint256 s = sellerSeed % 2;
        uint256 b = buyerSeed % 3;
        if (s == b) return;
        (address seller, address buyer) = (party(s), party(b));
        ISettlementDvP.Trade memory trade = ISettlementDvP.Trade({
            tradeId: bytes32(++_counter),
            seller: seller,
            buyer: buyer,
            asset: address(share),
            quantity: quantity.bound(1, 300e18),
            cashToken: address(cash),
            cashAmount: amount.bound(1, 600_000e6),
            deadline: uint64(block.timestamp + 1 hours),
            corporateActionEpoch: SettlementQuantity.epochOf(address(share))
        });
        bool cashApproved = flags & 1 == 0;
        bool sellerInstructs = flags & 2 != 0;
        vm.prank(buyer);
        cash.approve(address(dvp), cashApproved ? trade.cashAmount : trade.cashAmount - 1);

        bytes32 key = dvp.tradeKey(trade);
        bytes[2] memory signatures;
        if (sellerInstructs) {
            vm.prank(seller);
            dvp.instruct(trade);
        } else {
            signatures[0] = _sign([ALICE_KEY, BOB_KEY][s], key);
        }
        signatures[1] = _sign([ALICE_KEY, BOB_KEY, CAROL_KEY][b], key);
        _trades.push(trade);
        _tradeSignatures.push(signatures);

        (uint256[2] memory sellerBefore, uint256[2] memory buyerBefore) = (_holding(seller), _holding(buyer));
        vm.prank(RELAYER);
        try dvp.settle(trade, signatures[0], signatures[1]) {
            _final(key, ISettlementDvP.TradeState.Settled);
            if (b == 2) unverifiedBuyerServed = true;
            if (!cashApproved) wrongAmounts = true;
            _expect(seller, sellerBefore[0] - trade.quantity, sellerBefore[1] + trade.cashAmount);
            _expect(buyer, buyerBefore[0] + trade.quantity, buyerBefore[1] - trade.cashAmount);
        } catch {
            _expect(seller, sellerBefore[0], sellerBefore[1]);
            _expect(buyer, buyerBefore[0], buyerBefore[1]);
        }
    }

    /// @notice A recorded trade is submitted again (a replay once it is final) after the buyer
    /// approves its cash.
    function resubmitDvp(uint256 pick) external {
        if (_trades.length == 0) return;
        uint256 i = pick % _trades.length;
        ISettlementDvP.Trade memory trade = _trades[i];
        vm.prank(trade.buyer);
        cash.approve(address(dvp), trade.cashAmount);
        (uint256[2] memory sellerBefore, uint256[2] memory buyerBefore) =
            (_holding(trade.seller), _holding(trade.buyer));
        vm.prank(RELAYER);
        try dvp.settle(trade, _tradeSignatures[i][0], _tradeSignatures[i][1]) {
            _final(dvp.tradeKey(trade), ISettlementDvP.TradeState.Settled);
            if (trade.buyer == party(2)) unverifiedBuyerServed = true;
            _expect(trade.seller, sellerBefore[0] - trade.quantity, sellerBefore[1] + trade.cashAmount);
            _expect(trade.buyer, buyerBefore[0] + trade.quantity, buyerBefore[1] - trade.cashAmount);
        } catch {
            _expect(trade.seller, sellerBefore[0], sellerBefore[1]);
            _expect(trade.buyer, buyerBefore[0], buyerBefore[1]);
        }
    }

    /// @notice The seller or the buyer cancels a recorded trade.
    function cancelDvp(uint256 pick, bool bySeller) external {
        if (_trades.length == 0) return;
        ISettlementDvP.Trade memory trade = _trades[pick % _trades.length];
        vm.prank(bySeller ? trade.seller : trade.buyer);
        try dvp.cancel(trade) {
            _final(dvp.tradeKey(trade), ISettlementDvP.TradeState.Cancelled);
        } catch {}
    }

    /// @notice Anyone records the expiry of a recorded trade.
    function expireDvp(uint256 pick) external {
        if (_trades.length == 0) return;
        ISettlementDvP.Trade memory trade = _trades[pick % _trades.length];
        try dvp.expire(trade) {
            _final(dvp.tradeKey(trade), ISettlementDvP.TradeState.Expired);
        } catch {}
    }

    // --- hybrid DvP --------------------------------------------------------------------------

    /// @notice A verified seller escrows the securities of a trade with any buyer.
    function hybridEscrow(uint256 sellerSeed, uint256 buyerSeed, uint256 quantity) external {
        uint256 s = sellerSeed % 2;
        uint256 b = buyerSeed % 3;
        if (s == b) return;
        quantity = quantity.bound(1, 300e18);
        ISettlementHybridDvP.HybridTrade memory trade = ISettlementHybridDvP.HybridTrade({
            tradeId: bytes32(++_counter),
            seller: party(s),
            buyer: party(b),
            asset: address(share),
            quantity: quantity,
            currency: bytes3("USD"),
            cashAmount: quantity / 1e16 + 1,
            deadline: uint64(block.timestamp + 1 hours),
            corporateActionEpoch: SettlementQuantity.epochOf(address(share))
        });
        uint256[2] memory before = _holding(trade.seller);
        vm.prank(trade.seller);
        try hybrid.escrow(trade) {
            bytes32 key = hybrid.tradeKey(trade);
            if (hybridState[key] != ISettlementHybridDvP.EscrowState.None) secondFinalState = true;
            hybridState[key] = ISettlementHybridDvP.EscrowState.Escrowed;
            _escrows.push(trade);
            escrowed += quantity;
            _expect(trade.seller, before[0] - quantity, before[1]);
        } catch {
            _expect(trade.seller, before[0], before[1]);
        }
    }

    /// @notice A recorded escrow (open or closed) is released against a fresh confirmation,
    /// refunded or cancelled by its buyer.
    function hybridClose(uint256 pick, uint256 outcome) external {
        if (_escrows.length == 0) return;
        ISettlementHybridDvP.HybridTrade memory trade = _escrows[pick % _escrows.length];
        bytes32 key = hybrid.tradeKey(trade);
        ISettlementHybridDvP.EscrowState target;
        address receiver;
        bool done;
        (uint256[2] memory sellerBefore, uint256[2] memory buyerBefore) =
            (_holding(trade.seller), _holding(trade.buyer));
        outcome %= 3;
        if (outcome == 0) {
            (target, receiver) = (ISettlementHybridDvP.EscrowState.Released, trade.buyer);
            ISettlementHybridDvP.PaymentConfirmation memory confirmation = ISettlementHybridDvP.PaymentConfirmation({
                tradeKey: key,
                amount: trade.cashAmount,
                currency: trade.currency,
                paymentReference: keccak256(abi.encode("pay", ++_counter)),
                deadline: uint64(block.timestamp + 1 hours)
            });
            bytes memory signature = _sign(CASH_AGENT_KEY, hybrid.confirmationDigest(confirmation));
            vm.prank(RELAYER);
            try hybrid.release(trade, confirmation, signature) {
                done = true;
                if (trade.buyer == party(2)) unverifiedBuyerServed = true;
            } catch {}
        } else if (outcome == 1) {
            (target, receiver) = (ISettlementHybridDvP.EscrowState.Refunded, trade.seller);
            vm.prank(RELAYER);
            try hybrid.refund(trade) {
                done = true;
            } catch {}
        } else {
            (target, receiver) = (ISettlementHybridDvP.EscrowState.Cancelled, trade.seller);
            vm.prank(trade.buyer);
            try hybrid.cancel(trade) {
                done = true;
            } catch {}
        }
        if (!done) {
            _expect(trade.seller, sellerBefore[0], sellerBefore[1]);
            _expect(trade.buyer, buyerBefore[0], buyerBefore[1]);
            return;
        }
        if (hybridState[key] != ISettlementHybridDvP.EscrowState.Escrowed) secondFinalState = true;
        hybridState[key] = target;
        escrowed -= trade.quantity;
        // The multiplier never changes here, so the rescaled quantity is the escrowed quantity.
        if (receiver == trade.buyer) {
            _expect(trade.buyer, buyerBefore[0] + trade.quantity, buyerBefore[1]);
            _expect(trade.seller, sellerBefore[0], sellerBefore[1]);
        } else {
            _expect(trade.seller, sellerBefore[0] + trade.quantity, sellerBefore[1]);
            _expect(trade.buyer, buyerBefore[0], buyerBefore[1]);
        }
    }

    // --- traditional ledger adapter ----------------------------------------------------------

    /// @notice A verified holder locks tokens for the register.
    function offRamp(uint256 holderSeed, uint256 shares) external {
        address holder = party(holderSeed % 2);
        shares = shares.bound(1, 300e18);
        vm.prank(holder);
        try adapter.requestOffRamp(address(share), shares, bytes32("ACC")) returns (bytes32 id) {
            _pendingOffRamps.push(id);
            _offRampShares[id] = shares;
            pending += shares;
        } catch {}
    }

    /// @notice The transfer agent (this handler) confirms or fails a pending off-ramp.
    function settleOffRamp(uint256 pick, bool confirmed) external {
        if (_pendingOffRamps.length == 0) return;
        uint256 index = pick % _pendingOffRamps.length;
        bytes32 id = _pendingOffRamps[index];
        _pendingOffRamps[index] = _pendingOffRamps[_pendingOffRamps.length - 1];
        _pendingOffRamps.pop();
        pending -= _offRampShares[id];
        if (confirmed) adapter.confirmOffRamp(id, keccak256(abi.encode("book", ++_counter)));
        else adapter.failOffRamp(id, bytes32("REFUSED"));
    }

    /// @notice The transfer agent issues tokens from the inventory to anyone.
    function onRamp(uint256 recipientSeed, uint256 shares) external {
        address to = party(recipientSeed % 3);
        shares = shares.bound(1, 300e18);
        try adapter.onRamp(address(share), to, shares, bytes32("ACC"), keccak256(abi.encode("debit", ++_counter))) {
            if (to == party(2)) unverifiedBuyerServed = true;
        } catch {}
    }

    /// @notice Anyone expires a pending off-ramp: refused before its deadline; after it, the holder
    /// gets exactly the locked shares back and the instruction can no longer be confirmed or failed.
    function expireOffRamp(uint256 pick) external {
        if (_pendingOffRamps.length == 0) return;
        uint256 index = pick % _pendingOffRamps.length;
        bytes32 id = _pendingOffRamps[index];
        ISettlementLedgerAdapter.Instruction memory locked = adapter.instruction(id);
        if (block.timestamp <= locked.deadline) {
            try adapter.expireOffRamp(id) {
                secondFinalState = true; // expired before its deadline
            } catch {}
            return;
        }
        _pendingOffRamps[index] = _pendingOffRamps[_pendingOffRamps.length - 1];
        _pendingOffRamps.pop();
        pending -= _offRampShares[id];
        uint256 before = share.balanceOf(locked.account);
        adapter.expireOffRamp(id);
        if (share.balanceOf(locked.account) != before + _offRampShares[id]) wrongAmounts = true;
        try adapter.confirmOffRamp(id, keccak256(abi.encode("late", ++_counter))) {
            secondFinalState = true;
        } catch {}
        try adapter.failOffRamp(id, bytes32("LATE")) {
            secondFinalState = true;
        } catch {}
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + seconds_.bound(0, 2 hours));
    }

    // --- helpers -----------------------------------------------------------------------------

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _holding(address who) internal view returns (uint256[2] memory) {
        return [share.balanceOf(who), cash.balanceOf(who)];
    }

    function _expect(address who, uint256 shares, uint256 cashAmount) internal {
        if (share.balanceOf(who) != shares || cash.balanceOf(who) != cashAmount) wrongAmounts = true;
    }

    function _final(bytes32 key, ISettlementDvP.TradeState state) internal {
        if (dvpFinal[key] != ISettlementDvP.TradeState.Open) secondFinalState = true;
        dvpFinal[key] = state;
    }
}

/// @notice Invariants of DvP, HybridDvP and the ledger adapter together: supplies unchanged and
/// fully held by the parties and contracts; the DvP holds nothing; the hybrid DvP holds exactly its
/// open escrows and no cash; the adapter holds exactly its inventory plus its pending off-ramps;
/// the unverified wallet never holds the share; every operation moved exactly its amounts or
/// nothing; every trade key reaches at most one final state and keeps it.
contract SettlementInvariantTest is ForgeTest {
    uint256 internal constant SHARES = 1_000e18;
    uint256 internal constant CASH = 1_000_000e6;

    InvestorRegistry internal registry;
    SettleRestrictedMock internal share;
    SettleCashMock internal cash;
    DvP internal dvp;
    HybridDvP internal hybrid;
    TraditionalLedgerAdapter internal adapter;
    SettlementHandler internal handler;
    uint256 internal shareSupply;
    uint256 internal cashSupply;

    function setUp() public {
        registry = Proxies.deployInvestorRegistry(address(this));
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        share = new SettleRestrictedMock(
            registry,
            IAssetIdentity.IdentityParams({
                assetId: keccak256("US88160R1014"),
                isin: "US88160R1014",
                ticker: "TSLA",
                architecture: IAssetIdentity.Architecture.RegistryShare,
                homeChainId: block.chainid,
                termsURI: "ipfs://t",
                termsHash: keccak256("terms"),
                dti: bytes9("4H95J0R2X")
            })
        );
        cash = new SettleCashMock();
        dvp = Proxies.deployDvP(address(this));
        hybrid = Proxies.deployHybridDvP(address(this));
        adapter = Proxies.deployTraditionalLedgerAdapter(address(this));
        handler = new SettlementHandler(dvp, hybrid, adapter, share, cash);
        hybrid.grantRole(hybrid.CASH_AGENT_ROLE(), vm.addr(handler.CASH_AGENT_KEY()));
        adapter.grantRole(adapter.TRANSFER_AGENT_ROLE(), address(handler));
        adapter.setAssetListed(address(share), true);
        adapter.setOffRampTimeout(adapter.MIN_OFF_RAMP_TIMEOUT()); // reachable by the handler's warps

        uint64 expiry = uint64(block.timestamp + 3650 days);
        _onboard("alice", handler.party(0), expiry);
        _onboard("bob", handler.party(1), expiry);
        _onboard("escrows", address(hybrid), expiry);
        registry.addWallet(bytes32("escrows"), address(adapter));
        for (uint256 k; k < 2; ++k) {
            address holder = handler.party(k);
            share.mint(holder, SHARES);
            vm.startPrank(holder);
            share.approve(address(dvp), type(uint256).max);
            share.approve(address(hybrid), type(uint256).max);
            share.approve(address(adapter), type(uint256).max);
            vm.stopPrank();
        }
        for (uint256 k; k < 3; ++k) {
            cash.mint(handler.party(k), CASH);
        }
        shareSupply = share.totalSupply();
        cashSupply = cash.totalSupply();
        targetContract(address(handler));
    }

    function _onboard(bytes32 id, address wallet, uint64 expiry) internal {
        registry.registerInvestor(id, 840, 1, expiry);
        registry.addWallet(id, wallet);
    }

    /// @notice A settled trade cannot be replayed, cancelled or expired; a released escrow cannot
    /// be refunded or cancelled; a trade to the unverified buyer fails and moves nothing.
    function test_each_trade_reaches_one_final_state() public {
        handler.atomicDvp(0, 1, 10e18, 1_000e6, 0); // alice -> bob, settled
        handler.resubmitDvp(0);
        handler.cancelDvp(0, true);
        vm.warp(block.timestamp + 2 hours);
        handler.expireDvp(0);
        handler.atomicDvp(1, 2, 10e18, 1_000e6, 0); // bob -> carol: refused by the share
        handler.hybridEscrow(0, 1, 5e18);
        handler.hybridClose(0, 0); // released
        handler.hybridClose(0, 1);
        handler.hybridClose(0, 2);
        assertTrue(dvp.stateOf(handler.tradeAt(0)) == ISettlementDvP.TradeState.Settled, "first trade settled");
        assertTrue(
            hybrid.stateOf(handler.escrowKeyAt(0)) == ISettlementHybridDvP.EscrowState.Released, "escrow released"
        );
        invariant_settlement();
    }

    /// @notice Every handler action can succeed, so the campaign explores real state changes.
    function test_handler_actions_succeed() public {
        handler.atomicDvp(0, 1, 1e18, 100e6, 2); // seller instructs, buyer signs: settled
        handler.atomicDvp(1, 0, 1e18, 100e6, 1); // under-approved: stays open
        handler.cancelDvp(1, false);
        handler.atomicDvp(1, 0, 1e18, 100e6, 1);
        handler.warp(2 hours);
        handler.expireDvp(2);
        assertTrue(dvp.stateOf(handler.tradeAt(0)) == ISettlementDvP.TradeState.Settled, "settled");
        assertTrue(
            handler.dvpFinal(dvp.tradeKey(handler.tradeAt(1))) == ISettlementDvP.TradeState.Cancelled, "cancelled"
        );
        assertTrue(handler.dvpFinal(dvp.tradeKey(handler.tradeAt(2))) == ISettlementDvP.TradeState.Expired, "expired");

        handler.hybridEscrow(0, 1, 3e18);
        handler.hybridEscrow(1, 0, 3e18);
        handler.hybridClose(1, 2); // the buyer cancels
        handler.warp(2 hours);
        handler.hybridClose(0, 1); // refunded after the deadline
        assertTrue(handler.hybridState(handler.escrowKeyAt(0)) == ISettlementHybridDvP.EscrowState.Refunded, "refunded");
        assertTrue(
            handler.hybridState(handler.escrowKeyAt(1)) == ISettlementHybridDvP.EscrowState.Cancelled, "cancelled"
        );
        assertEq(handler.escrowed(), 0, "no open escrow");

        handler.offRamp(0, 10e18 - 1); // `Bound.bound` maps x to 1 + x
        handler.offRamp(1, 4e18 - 1);
        assertEq(handler.pending(), 14e18, "two pending off-ramps");
        handler.settleOffRamp(0, true);
        handler.settleOffRamp(0, false);
        assertEq(handler.pending(), 0, "off-ramps settled");
        assertEq(adapter.inventoryOf(address(share)), 10e18, "confirmed off-ramp joined the inventory");
        handler.offRamp(0, 3e18 - 1);
        handler.expireOffRamp(0); // before the deadline: refused
        assertEq(handler.pending(), 3e18, "not expired before its deadline");
        handler.warp(2 hours);
        handler.expireOffRamp(0);
        assertEq(handler.pending(), 0, "expired after its deadline");
        handler.onRamp(1, 2e18 - 1);
        assertEq(adapter.inventoryOf(address(share)), 8e18, "on-ramp issued from the inventory");
        invariant_settlement();
    }

    /// @notice Checked after every handler call.
    function invariant_settlement() public view {
        address[6] memory holders =
            [handler.party(0), handler.party(1), handler.party(2), address(dvp), address(hybrid), address(adapter)];
        uint256 shares;
        uint256 money;
        for (uint256 i; i < holders.length; ++i) {
            shares += share.balanceOf(holders[i]);
            money += cash.balanceOf(holders[i]);
        }
        assertEq(share.totalSupply(), shareSupply, "share supply unchanged");
        assertEq(shares, shareSupply, "every share held by a party or a settlement contract");
        assertEq(cash.totalSupply(), cashSupply, "cash supply unchanged");
        assertEq(money, cashSupply, "all cash held by the parties");
        assertEq(share.balanceOf(address(dvp)) + cash.balanceOf(address(dvp)), 0, "the DvP holds nothing");
        assertEq(share.balanceOf(address(hybrid)), handler.escrowed(), "hybrid holds exactly the open escrows");
        assertEq(cash.balanceOf(address(hybrid)), 0, "hybrid holds no cash");
        assertEq(adapter.pendingOf(address(share)), handler.pending(), "adapter pending == open off-ramps");
        assertEq(
            share.balanceOf(address(adapter)),
            adapter.inventoryOf(address(share)) + handler.pending(),
            "adapter holds inventory + pending"
        );
        assertEq(share.balanceOf(handler.party(2)), 0, "the unverified wallet never holds the share");
        assertTrue(!handler.unverifiedBuyerServed(), "a trade to the unverified wallet went through");
        assertTrue(!handler.wrongAmounts(), "an operation moved other than exactly its amounts");
        assertTrue(!handler.secondFinalState(), "a trade reached a second final state");
        for (uint256 i; i < handler.tradeCount(); ++i) {
            ISettlementDvP.Trade memory trade = handler.tradeAt(i);
            ISettlementDvP.TradeState seen = handler.dvpFinal(dvp.tradeKey(trade));
            ISettlementDvP.TradeState now_ = dvp.stateOf(trade);
            if (seen != ISettlementDvP.TradeState.Open) assertTrue(now_ == seen, "a final DvP state changed");
        }
        for (uint256 i; i < handler.escrowCount(); ++i) {
            bytes32 key = handler.escrowKeyAt(i);
            assertTrue(hybrid.stateOf(key) == handler.hybridState(key), "hybrid state differs from the ghost");
        }
    }
}
