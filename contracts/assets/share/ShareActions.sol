// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Investor, Rules, ShareSlots, Wallet} from "../../libraries/ShareSlots.sol";
import {ShareRestrictions} from "./ShareRestrictions.sol";
import {ShareLedger} from "./ShareLedger.sol";
import {RestrictionCodes} from "../../libraries/RestrictionCodes.sol";
import {ScaleSteps} from "../../libraries/ScaleSteps.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title ShareActions
/// @notice The registry share's state changes, shared by the two contracts that run on the share's
/// storage: {RegistryShare} (the deployed token: ERC-20 hot path, views, cross-chain hooks and the
/// suite's `reason`-carrying transfer-agent functions) and {ShareExtension} (ERC-7943, the ERC-3643
/// names, batch operations and the transfer diagnostic, reached through the share's `fallback`).
/// One implementation of each action, so the two entry points of an action cannot drift.
/// @dev Note: invariants (with {RegistryShare}'s):
/// - {RegistryShare-_update} is the only path of a holder's transfer (the extension never moves
///   tokens through ERC-20); every other movement (issue, redeem, forced transfer, recovery,
///   cross-chain) has its own checks, stated on its function;
/// - frozen tokens never exceed the wallet's balance: they are released first, as far as needed,
///   by every movement that bypasses them (redeem, forced transfer), and moved whole by a recovery;
/// - each action emits the suite's event (with its `reason`); the ERC-7943 / ERC-3643 events are
///   added by {ShareExtension}'s entry points.
abstract contract ShareActions is ShareRestrictions, ShareLedger {
    using ShareSlots for uint256;

    // ==========================================================================================
    // ERC-1404 detection (the rules of {RegistryShare-_update})
    // ==========================================================================================

    /// @dev The ERC-1404 code of a holder's transfer: 0 exactly when `_update` would pass.
    function _detect(address from, address to, uint256 value) internal view returns (uint8) {
        Rules memory r = _loadRules();
        if (r.paused) return RestrictionCodes.PAUSED;
        (Party memory fromParty, Party memory toParty) = _parties(from, to);
        Wallet memory fromWallet = _loadWallet(from, r.scale);
        Wallet memory toWallet = _loadWallet(to, r.scale);
        if (fromParty.index == toParty.index && fromParty.index != 0) {
            return _sameInvestorRestriction(fromParty, toParty, fromWallet, toWallet, value);
        }
        return _transferRestriction(
            r,
            fromParty,
            toParty,
            fromWallet,
            toWallet,
            _investorFor(fromParty, fromWallet, r.scale),
            _investorFor(toParty, toWallet, r.scale),
            value
        );
    }

    // ==========================================================================================
    // Transfer-agent actions (role checks are the entry points')
    // ==========================================================================================

    /// @dev Issues `amount` to `to` under every recipient rule (pause ignored).
    function _issue(address to, uint256 amount, string memory reason) internal {
        _mint(to, amount, ScaleSteps.unitsUp(amount, _multiplier()), Mode.Issue);
        emit IERC20.Transfer(address(0), to, amount);
        emit Issued(to, amount, reason);
    }

    /// @dev Redeems `amount` of `from`, frozen tokens released first as far as needed.
    /// @return frozen The frozen tokens of `from` after the redemption.
    function _redeem(address from, uint256 amount, string memory reason) internal returns (uint256 frozen) {
        Rules memory r = _loadRules();
        Wallet memory w = _loadWallet(from, r.scale);
        if (amount > w.amount) revert ShareInsufficientBalance(from, w.amount, amount);
        frozen = _releaseFrozenFor(w, amount, r.scale);
        _burn(w, _investorOfWallet(_party(from), w, r.scale), amount, amount * ONE / _multiplier(), r);
        emit IERC20.Transfer(from, address(0), amount);
        emit Redeemed(from, amount, reason);
    }

    /// @dev A forced transfer: only the recipient's verification applies; frozen tokens are
    /// released as far as needed. Returns the frozen tokens of `from` after it.
    function _forcedTransfer(address from, address to, uint256 amount, string memory reason)
        internal
        returns (uint256 frozen)
    {
        if (from == address(0) || to == address(0)) revert ShareZeroAddress();
        Rules memory r = _loadRules();
        (Party memory fromParty, Party memory toParty) = _parties(from, to);
        Wallet memory fromWallet = _loadWallet(from, r.scale);
        Wallet memory toWallet = _loadWallet(to, r.scale);
        if (amount > fromWallet.amount) revert ShareInsufficientBalance(from, fromWallet.amount, amount);
        uint8 code = _verifiedRecipient(toParty, toWallet);
        if (code != 0) revert ShareTransferRestricted(code);
        frozen = _releaseFrozenFor(fromWallet, amount, r.scale);
        _forcedMove(fromParty, toParty, fromWallet, toWallet, amount, r);
        emit IERC20.Transfer(from, to, amount);
        emit ForcedTransfer(from, to, amount, reason);
    }

    /// @dev The tokens stay counted under the investor they were counted under, whatever the
    /// registry says now.
    function _forcedMove(
        Party memory fromParty,
        Party memory toParty,
        Wallet memory fromWallet,
        Wallet memory toWallet,
        uint256 amount,
        Rules memory r
    ) private {
        if (fromWallet.investor != toParty.index || fromWallet.stored == 0) {
            _moveInvestorAmount(
                _investorOfWallet(fromParty, fromWallet, r.scale),
                fromWallet,
                _investorFor(toParty, toWallet, r.scale),
                toWallet,
                toParty.country,
                amount
            );
            _writeWallets(fromWallet, toWallet, toParty.index, amount, r);
        } else {
            _moveWithinInvestor(toParty.index, fromWallet, toWallet, amount, r);
        }
    }

    /// @dev Wallet recovery (see {RegistryShare-recoveryAddress}).
    function _recovery(address lostWallet, address newWallet, bytes32 investorId, string memory reason) internal {
        RegistryShareStorage storage $ = _s();
        if (lostWallet == address(0) || newWallet == address(0)) revert ShareZeroAddress();
        Rules memory r = _loadRules();
        uint32 index = $.registry.indexOf(investorId);
        Party memory newParty = _party(newWallet);
        Wallet memory lost = _loadWallet(lostWallet, r.scale);
        Wallet memory fresh = _loadWallet(newWallet, r.scale);
        if (
            index == 0 || lostWallet == newWallet || lost.investor != index || newParty.index != index
                || _verifiedRecipient(newParty, fresh) != 0 || $.recoveredTo[newWallet] != address(0)
        ) revert ShareInvalidRecovery(lostWallet, newWallet, investorId);
        uint256 amount = _recover(lost, fresh, index, r);
        $.recoveredTo[lostWallet] = newWallet;
        emit IERC20.Transfer(lostWallet, newWallet, amount);
        emit RecoverySuccess(lostWallet, newWallet, investorId, reason);
    }

    /// @dev Moves everything of wallet `lost` to wallet `fresh` of the same investor `index`:
    /// balance, frozen tokens, wallet freeze. Returns the amount moved.
    function _recover(Wallet memory lost, Wallet memory fresh, uint32 index, Rules memory r)
        private
        returns (uint256 amount)
    {
        amount = lost.amount;
        uint256 frozen = _frozenOf(lost, r.scale);
        if (frozen != 0) {
            _setFrozen(fresh.account, _frozenOf(fresh, r.scale) + frozen, r.scale);
            delete _s().frozenAmounts[lost.account];
            lost.hasFrozen = false;
            fresh.hasFrozen = true;
        }
        if (lost.frozen) {
            lost.frozen = false;
            fresh.frozen = true;
        }
        // Two wallets of one investor: never a sole-wallet investor, so its slot holds the total.
        _moveWithinInvestor(index, lost, fresh, amount, r);
    }

    /// @dev Sets the wallet freeze; `strict` refuses a call that changes nothing (the suite's
    /// variant), the ERC-3643 variant re-emits instead.
    function _setWalletFrozen(address wallet, bool freeze, string memory reason, bool strict) internal {
        Wallet memory w = _loadWallet(wallet, _currentScale());
        if (w.frozen == freeze) {
            if (strict) revert ShareWalletFrozenStateUnchanged(wallet, freeze);
        } else {
            w.frozen = freeze;
            _storeWallet(w);
        }
        emit AddressFrozen(wallet, freeze, _msgSender(), reason);
    }

    /// @dev Freezes `amount` more of `wallet`'s tokens (within its balance); returns the frozen total.
    function _freezeTokens(address wallet, uint256 amount, string memory reason) internal returns (uint256 frozen) {
        uint32 scale = _currentScale();
        Wallet memory w = _loadWallet(wallet, scale);
        frozen = _frozenOf(w, scale) + amount;
        if (frozen > w.amount) revert ShareInsufficientBalance(wallet, w.amount, amount);
        _setFrozen(wallet, frozen, scale);
        if (!w.hasFrozen) {
            w.hasFrozen = true;
            _storeWallet(w);
        }
        emit TokensFrozen(wallet, amount, reason);
    }

    /// @dev Releases `amount` of `wallet`'s frozen tokens; returns the frozen total left.
    function _unfreezeTokens(address wallet, uint256 amount, string memory reason) internal returns (uint256 left) {
        uint32 scale = _currentScale();
        Wallet memory w = _loadWallet(wallet, scale);
        uint256 frozen = _frozenOf(w, scale);
        if (amount > frozen) revert ShareInsufficientFrozenTokens(wallet, frozen, amount);
        left = frozen - amount;
        _setFrozen(wallet, left, scale);
        if (left == 0 && w.hasFrozen) {
            w.hasFrozen = false;
            _storeWallet(w);
        }
        emit TokensUnfrozen(wallet, amount, reason);
    }

    /// @dev Pauses (`paused_`) or unpauses every holder transfer and cross-chain movement.
    function _setPaused(bool paused_, string memory reason) internal {
        RegistryShareStorage storage $ = _s();
        $.rules = $.rules.rulesWithPaused(paused_);
        if (paused_) emit Paused(_msgSender(), reason);
        else emit Unpaused(_msgSender(), reason);
    }

    // ==========================================================================================
    // Supply
    // ==========================================================================================

    /// @param units Total units added (see the contract notes).
    function _mint(address to, uint256 amount, uint256 units, Mode mode) internal {
        RegistryShareStorage storage $ = _s();
        Rules memory r = _loadRules();
        Party memory toParty = _party(to);
        Wallet memory w = _loadWallet(to, r.scale);
        Investor memory inv = _investorFor(toParty, w, r.scale);
        uint8 code;
        if (mode != Mode.Issue && r.paused) code = RestrictionCodes.PAUSED;
        else if (mode == Mode.GatewayMint) code = _partyRestriction(toParty, w, false);
        else code = _recipientRestriction(r, toParty, w, inv, amount, false, 0);
        if (code != 0) revert ShareTransferRestricted(code);
        // Cannot overflow: the investor total is bounded by the supply (< 2**128 units).
        inv.amount += amount;
        _holdingChanged(inv, w.stored != 0, w.amount + amount != 0, toParty.country);
        _commitInvestor(inv, w);
        _writeWallet(w, w.amount + amount, toParty.index, r);
        uint256 supplyPacked = $.supply;
        uint256 newTotal = supplyPacked.supplyUnits() + units;
        if (newTotal > ShareSlots.MAX_UNITS) revert ShareUnitsOverflow(newTotal);
        $.supply = supplyPacked.supplyWithUnits(newTotal);
    }

    /// @param inv The record of the investor `w`'s record is counted under.
    /// @param units Total units removed (see the contract notes).
    function _burn(Wallet memory w, Investor memory inv, uint256 amount, uint256 units, Rules memory r) internal {
        RegistryShareStorage storage $ = _s();
        inv.amount -= amount;
        _holdingChanged(inv, w.stored != 0, w.amount != amount, inv.country);
        _commitInvestor(inv, w);
        _writeWallet(w, w.amount - amount, w.investor, r);
        // Cannot underflow in value: totalUnits * m >= sum of balances >= amount >= units * m, but
        // kept checked: a broken invariant must revert, not wrap.
        uint256 supplyPacked = $.supply;
        $.supply = supplyPacked.supplyWithUnits(supplyPacked.supplyUnits() - units);
    }

    /// @dev Releases the frozen tokens of `w` that a movement of `amount` needs beyond its
    /// unfrozen balance; returns the frozen tokens left.
    function _releaseFrozenFor(Wallet memory w, uint256 amount, uint32 scale) private returns (uint256 frozen) {
        if (!w.hasFrozen) return 0;
        frozen = _frozenOf(w, scale);
        uint256 free = w.amount - frozen;
        if (amount <= free) return frozen;
        uint256 released = amount - free;
        frozen -= released;
        _setFrozen(w.account, frozen, scale);
        if (frozen == 0) w.hasFrozen = false;
        emit TokensUnfrozen(w.account, released, "released by the transfer agent's action");
    }

    /// @dev The record of the investor registered as `investorId`, at the current step.
    function _investorOf(bytes32 investorId) internal view returns (Investor memory) {
        return _investorByIndex(_s().registry.indexOf(investorId), _currentScale());
    }
}
