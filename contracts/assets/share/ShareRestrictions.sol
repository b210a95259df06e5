// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Investor, Rules, ShareSlots, Wallet} from "../../libraries/ShareSlots.sol";
import {ShareStorage} from "./ShareStorage.sol";
import {RestrictionCodes} from "../../libraries/RestrictionCodes.sol";

/// @title ShareRestrictions
/// @notice The registry share's ERC-1404 rules: functions of records already loaded (rules word,
/// parties, wallets, investors) that return a code of the shared table {RestrictionCodes}, 0 when
/// allowed. The hot path ({RegistryShare-_update}) and the views ({detectTransferRestriction},
/// {crosschainRestriction}) call the same functions, so a view's answer is what a transfer does.
/// @dev Note: invariants:
/// - no function here writes storage; the only reads are lazy ones a rule needs (holder counters
///   only for a new holder, the country slot only while the country rule is on, frozen amounts
///   only for a wallet flagged as having some, the recovery link only for an empty wallet);
/// - the checks run in the table's order of precedence: party (verification, investor freeze,
///   wallet freeze, binding), balance, lock-up, holding limits, country, holder caps.
abstract contract ShareRestrictions is ShareStorage {
    using ShareSlots for uint256;

    function _transferRestriction(
        Rules memory r,
        Party memory fromParty,
        Party memory toParty,
        Wallet memory fromWallet,
        Wallet memory toWallet,
        Investor memory fromInvestor,
        Investor memory toInvestor,
        uint256 value
    ) internal view returns (uint8 code) {
        // The sender's investor leaves the register when its last holding wallet empties.
        bool leaves = fromWallet.amount == value && fromWallet.stored != 0 && fromInvestor.holding == 1;
        code = _senderRestriction(r, fromParty, fromWallet, fromInvestor, value, leaves);
        if (code != 0) return code;
        return _recipientRestriction(r, toParty, toWallet, toInvestor, value, leaves, leaves ? fromInvestor.country : 0);
    }

    /// @dev Whether debiting `value` from `w` ends its investor `inv`'s holding.
    function _leaves(Investor memory inv, Wallet memory w, uint256 value) internal pure returns (bool) {
        return w.stored != 0 && w.amount == value && inv.holding == 1;
    }

    function _sameInvestorRestriction(
        Party memory fromParty,
        Party memory toParty,
        Wallet memory fromWallet,
        Wallet memory toWallet,
        uint256 value
    ) internal view returns (uint8 code) {
        code = _partyRestriction(fromParty, fromWallet, true);
        if (code != 0) return code;
        code = _balanceRestriction(fromWallet, value);
        if (code != 0) return code;
        return _partyRestriction(toParty, toWallet, false);
    }

    /// @dev Verification, investor freeze, wallet freeze and wallet binding of one party.
    function _partyRestriction(Party memory party, Wallet memory wallet, bool sender) internal view returns (uint8) {
        if (party.index == 0 || party.kycExpiry < block.timestamp) {
            return sender ? RestrictionCodes.SENDER_NOT_VERIFIED : RestrictionCodes.RECIPIENT_NOT_VERIFIED;
        }
        if (party.frozen) {
            return sender ? RestrictionCodes.SENDER_INVESTOR_FROZEN : RestrictionCodes.RECIPIENT_INVESTOR_FROZEN;
        }
        if (wallet.frozen) {
            return sender ? RestrictionCodes.SENDER_WALLET_FROZEN : RestrictionCodes.RECIPIENT_WALLET_FROZEN;
        }
        if (wallet.stored != 0) {
            if (wallet.investor != party.index) return RestrictionCodes.WALLET_INVESTOR_MISMATCH;
        } else if (!sender && _recoveredAway(wallet)) {
            return RestrictionCodes.RECIPIENT_WALLET_FROZEN;
        }
        return 0;
    }

    function _balanceRestriction(Wallet memory wallet, uint256 value) internal view returns (uint8) {
        uint256 available = wallet.amount;
        if (wallet.hasFrozen) {
            uint256 frozen = _frozenOf(wallet, _currentScale());
            available = available > frozen ? available - frozen : 0;
        }
        return value > available ? RestrictionCodes.INSUFFICIENT_UNFROZEN_BALANCE : 0;
    }

    function _senderRestriction(
        Rules memory r,
        Party memory party,
        Wallet memory wallet,
        Investor memory inv,
        uint256 value,
        bool leaves
    ) internal view returns (uint8 code) {
        code = _partyRestriction(party, wallet, true);
        if (code != 0) return code;
        code = _balanceRestriction(wallet, value);
        if (code != 0) return code;
        if (inv.lockupUntil > block.timestamp) return RestrictionCodes.LOCKED_UP;
        if (r.minHolding != 0 && !leaves) {
            // Cannot underflow: the wallet's balance (>= `value`) is counted in this investor's total.
            uint256 remaining = inv.amount - value;
            if (remaining != 0 && remaining < uint256(r.minHolding) * SHARE) {
                return RestrictionCodes.BELOW_MIN_HOLDING;
            }
        }
        return 0;
    }

    /// @param senderLeaves The sending investor stops holding (a holder slot frees up).
    /// @param leavingCountry The country the leaving sender is counted under (0 when none leaves).
    function _recipientRestriction(
        Rules memory r,
        Party memory party,
        Wallet memory wallet,
        Investor memory inv,
        uint256 value,
        bool senderLeaves,
        uint16 leavingCountry
    ) internal view returns (uint8 code) {
        RegistryShareStorage storage $ = _s();
        code = _partyRestriction(party, wallet, false);
        if (code != 0) return code;
        if (r.countryRestricted && $.countries[party.country] & ShareSlots.COUNTRY_ALLOWED == 0) {
            return RestrictionCodes.COUNTRY_NOT_ALLOWED;
        }
        if (r.minHolding != 0 || r.maxHolding != 0) {
            uint256 newAmount;
            // Cannot overflow: both are bounded by the supply (< 2**128 units times a 96-bit multiplier).
            unchecked {
                newAmount = inv.amount + value;
            }
            if (r.minHolding != 0 && newAmount < uint256(r.minHolding) * SHARE) {
                return RestrictionCodes.BELOW_MIN_HOLDING;
            }
            if (r.maxHolding != 0 && newAmount > uint256(r.maxHolding) * SHARE) {
                return RestrictionCodes.ABOVE_MAX_HOLDING;
            }
        }
        if (inv.holding == 0 && value != 0) {
            // A new holder: only now are the holder counters read.
            uint256 supplyPacked = $.supply;
            uint256 cap = supplyPacked.supplyMaxHolders();
            if (cap != 0 && !senderLeaves && supplyPacked.supplyHolders() >= cap) return RestrictionCodes.MAX_HOLDERS;
            uint256 countryPacked = $.countries[party.country];
            cap = countryPacked.countryMaxHolders();
            if (cap != 0 && leavingCountry != party.country && countryPacked.countryHolders() >= cap) {
                return RestrictionCodes.MAX_COUNTRY_HOLDERS;
            }
        }
        return 0;
    }

    /// @dev A forced transfer's or recovery's recipient: verified, investor not frozen, its
    /// record (if any) counted under the same investor. Wallet freezes do not apply.
    function _verifiedRecipient(Party memory party, Wallet memory wallet) internal view returns (uint8) {
        if (party.index == 0 || party.kycExpiry < block.timestamp) {
            return RestrictionCodes.RECIPIENT_NOT_VERIFIED;
        }
        if (party.frozen) return RestrictionCodes.RECIPIENT_INVESTOR_FROZEN;
        if (wallet.stored != 0) {
            if (wallet.investor != party.index) return RestrictionCodes.WALLET_INVESTOR_MISMATCH;
        } else if (_recoveredAway(wallet)) {
            return RestrictionCodes.RECIPIENT_WALLET_FROZEN;
        }
        return 0;
    }

    /// @dev Whether `wallet` was recovered away from (its key is lost): it never holds this asset
    /// again, whoever the registry binds it to later, so its record-date rights (routed to its
    /// successor by the dividend distributor and the ballot box) are only ever its old
    /// investor's. Off the hot path: only a wallet that held before and holds nothing now (every
    /// recovered wallet) pays the extra read.
    function _recoveredAway(Wallet memory wallet) internal view returns (bool) {
        // Called only for an empty wallet: one that held before (born) may have been recovered away.
        return wallet.born != 0 && _s().recoveredTo[wallet.account] != address(0);
    }
}
