// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Investor, Rules, ShareSlots, Wallet} from "../../libraries/ShareSlots.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {ShareStorage} from "./ShareStorage.sol";
import {ScaleSteps} from "../../libraries/ScaleSteps.sol";

/// @title ShareLedger
/// @notice The registry share's bookkeeping of wallets and investors: where an investor's record
/// lives (its sole wallet's slot or its own investor slot), moving amounts between records,
/// holder counting, and the one place a wallet's record is written ({_writeWallet}).
/// @dev Note: invariants (with {RegistryShare}'s):
/// - a sole-wallet investor's amount IS its wallet's amount, and its lock-up and counted country
///   live in the wallet's slot; its investor slot is never read or written;
/// - once the registry ends the sole-wallet status, the first touch *materialises* the investor
///   slot from the first wallet's slot, and the investor slot is used from then on;
/// - an investor is counted as a holder (in total and under one country) exactly while one of its
///   wallets holds a record counted under it (`holding > 0`);
/// - the checks are the caller's: nothing here refuses a movement.
abstract contract ShareLedger is ShareStorage {
    using ShareSlots for uint256;
    using Checkpoints for Checkpoints.Trace208;

    /// @dev The record of the investor `p` is bound to, `w` being `p`'s wallet.
    function _investorFor(Party memory p, Wallet memory w, uint32 scale) internal view returns (Investor memory) {
        if (p.sole) return _soleInvestor(p.index, w);
        return _investorSlot(p.index, address(0), scale);
    }

    /// @dev The record of the investor `w`'s record is counted under (which may no longer be the
    /// investor the registry binds `w` to, `p`).
    function _investorOfWallet(Party memory p, Wallet memory w, uint32 scale) internal view returns (Investor memory) {
        uint32 index = w.investor;
        // A sole wallet was never bound to anyone else, so the investor it holds for is `p`'s.
        if (p.sole && p.index == index) return _soleInvestor(index, w);
        return _investorSlot(index, address(0), scale);
    }

    /// @dev The record of investor number `index`, asking the registry where it lives.
    function _investorByIndex(uint32 index, uint32 scale) internal view returns (Investor memory) {
        if (index == 0) return _investorSlot(0, address(0), scale);
        (address first, bool sole) = _s().registry.walletModeOf(index);
        if (sole) return _soleInvestor(index, _loadWallet(first, scale));
        return _investorSlot(index, first, scale);
    }

    /// @dev A sole-wallet investor's record: its wallet's amount, lock-up and counted country.
    function _soleInvestor(uint32 index, Wallet memory w) internal pure returns (Investor memory) {
        return Investor({
            index: index,
            amount: w.amount,
            holding: w.stored != 0 ? 1 : 0,
            lockupUntil: w.lockupUntil,
            country: w.country,
            sole: true,
            materialised: false
        });
    }

    /// @dev The investor slot; while it is not materialised, the record the investor had as a
    /// sole-wallet investor, read from its first wallet's slot (`first`, looked up when zero).
    /// Investor number 0 (an unbound wallet) has an empty record.
    function _investorSlot(uint32 index, address first, uint32 scale) internal view returns (Investor memory inv) {
        RegistryShareStorage storage $ = _s();
        inv.index = index;
        if (index == 0) return inv;
        uint256 p = $.investors[index];
        if (p.investorMaterialised()) {
            ShareSlots.decodeInvestor(p, inv);
            inv.amount = ScaleSteps.rescale($.scaleMultiplier, inv.amount, p.investorScale(), scale);
            return inv;
        }
        // Only the first wallet is needed here, not whether it is still the sole one.
        // slither-disable-next-line unused-return
        if (first == address(0)) (first,) = $.registry.walletModeOf(index);
        if (first == address(0)) return inv;
        uint256 w = $.wallets[first];
        // The first wallet's slot carries the investor's record only if it holds for this investor.
        if (w.walletInvestor() != index) return inv;
        uint256 stored = w.walletStored();
        inv.amount = ScaleSteps.rescale($.scaleMultiplier, stored, w.walletScale(), scale);
        inv.holding = stored != 0 ? 1 : 0;
        inv.lockupUntil = w.walletLockup();
        inv.country = w.walletCountry();
    }

    function _storedInvestorScale(uint32 index) internal view returns (uint32) {
        return _s().investors[index].investorScale();
    }

    /// @dev Writes an investor record where it lives: into its sole wallet's memory record `w`
    /// (stored with the wallet by the caller) or into the investor slot, which this materialises.
    function _commitInvestor(Investor memory inv, Wallet memory w) internal {
        if (inv.sole) {
            w.lockupUntil = inv.lockupUntil;
            w.country = inv.country;
            return;
        }
        _storeInvestorSlot(inv);
    }

    function _storeInvestorSlot(Investor memory inv) internal {
        if (inv.index == 0) return;
        _s().investors[inv.index] = ShareSlots.encodeInvestor(inv, _currentScale());
    }

    /// @dev `w` starts holding for another investor than the one its slot was tagged with (the
    /// registrar rebound it; it holds nothing). A lock-up or country kept there for the previous
    /// investor while it was a sole-wallet investor moves to that investor's slot first.
    function _handOver(Wallet memory w) internal {
        RegistryShareStorage storage $ = _s();
        if (w.lockupUntil == 0 && w.country == 0) return;
        uint32 previous = w.investor;
        if (!$.investors[previous].investorMaterialised()) {
            $.investors[previous] = ShareSlots.encodeInvestorTerms(w.lockupUntil, w.country);
        }
        w.lockupUntil = 0;
        w.country = 0;
    }

    /// @dev Writes both wallets of a transfer between investors (checks done by the caller).
    function _writeWallets(
        Wallet memory fromWallet,
        Wallet memory toWallet,
        uint32 toIndex,
        uint256 value,
        Rules memory r
    ) internal {
        _writeWallet(fromWallet, fromWallet.amount - value, fromWallet.investor, r);
        _writeWallet(toWallet, toWallet.amount + value, toIndex, r);
    }

    /// @dev Moves `value` between two wallets whose records are (or become) counted under the same
    /// investor `index` (never a sole-wallet investor: it has two wallets). The investor total does
    /// not change; its holding-wallet count does when a wallet empties or starts holding.
    function _moveWithinInvestor(
        uint32 index,
        Wallet memory fromWallet,
        Wallet memory toWallet,
        uint256 value,
        Rules memory r
    ) internal {
        // A wallet sending to itself: nothing changes.
        if (fromWallet.account == toWallet.account) return;
        Investor memory inv = _investorSlot(index, address(0), r.scale);
        bool toWas = toWallet.stored != 0;
        uint32 before = inv.holding;
        // Credit first, so the count never crosses zero in between.
        _holdingChanged(inv, toWas, toWallet.amount + value != 0, inv.country);
        _holdingChanged(inv, fromWallet.stored != 0, fromWallet.amount != value, inv.country);
        if (!inv.materialised || inv.holding != before || r.scale != _storedInvestorScale(index)) {
            _storeInvestorSlot(inv);
        }
        _writeWallets(fromWallet, toWallet, index, value, r);
    }

    /// @dev The one place a wallet's record changes: lazy snapshot, binding, rescale, one SSTORE.
    function _writeWallet(Wallet memory w, uint256 newAmount, uint32 index, Rules memory r) internal {
        uint32 snapshotId = r.snapshotId;
        if (newAmount != 0 && w.investor != index && w.investor != 0) _handOver(w);
        if (w.born == 0) {
            // First receipt: it held nothing at every earlier snapshot, no history needed.
            w.born = snapshotId + 1;
        } else if (w.seen < snapshotId) {
            // First change since snapshot `snapshotId`: record what it had then (amount and step).
            // push returns the previous and new values, which the lazy snapshot does not need.
            // slither-disable-next-line unused-return
            _s().history[w.account].push(snapshotId, ShareSlots.encodeHistory(w.stored, w.scale));
        }
        w.seen = snapshotId;
        w.stored = newAmount;
        w.scale = r.scale;
        if (newAmount != 0) w.investor = index;
        _storeWallet(w);
    }

    /// @dev Moves `value` between two investors' totals; counts holders when one starts or stops
    /// holding. Call before writing the wallets: a sole-wallet investor's record goes into its
    /// wallet's slot.
    function _moveInvestorAmount(
        Investor memory fromInvestor,
        Wallet memory fromWallet,
        Investor memory toInvestor,
        Wallet memory toWallet,
        uint16 toCountry,
        uint256 value
    ) internal {
        // Checked: the sender's total covers its wallet's balance (>= `value`).
        fromInvestor.amount -= value;
        // Cannot overflow: the recipient total is bounded by the supply (< 2**128 units).
        unchecked {
            toInvestor.amount += value;
        }
        // Only a wallet that empties or starts holding changes a holding count (and, for a
        // sole-wallet investor, the counted country kept in its wallet's slot).
        if (fromWallet.amount == value) {
            _holdingChanged(fromInvestor, fromWallet.stored != 0, false, fromInvestor.country);
            if (fromInvestor.sole) fromWallet.country = fromInvestor.country;
        }
        if (toWallet.stored == 0) {
            _holdingChanged(toInvestor, false, value != 0, toCountry);
            if (toInvestor.sole) toWallet.country = toInvestor.country;
        } else if (toWallet.amount == 0 && value == 0) {
            _holdingChanged(toInvestor, true, false, toInvestor.country);
            if (toInvestor.sole) toWallet.country = toInvestor.country;
        }
        // A sole-wallet investor's record is its wallet's (lock-up unchanged, country set above).
        if (!fromInvestor.sole) _storeInvestorSlot(fromInvestor);
        if (!toInvestor.sole) _storeInvestorSlot(toInvestor);
    }

    /// @dev One of `inv`'s wallets starts (`now`) or stops holding a record; the investor joins
    /// the holders (under `country`) with its first holding wallet and leaves with its last (its
    /// total, then at most split dust, is cleared).
    function _holdingChanged(Investor memory inv, bool was, bool isNow, uint16 country) internal {
        if (was == isNow || inv.index == 0) return;
        if (isNow) {
            if (inv.holding == 0) _countHolder(inv, country, true);
            ++inv.holding;
        } else {
            --inv.holding;
            if (inv.holding == 0) {
                _countHolder(inv, inv.country, false);
                inv.amount = 0;
            }
        }
    }

    /// @dev Adds (`joins`) or removes a holder from the total and its country's count.
    function _countHolder(Investor memory inv, uint16 country, bool joins) internal {
        RegistryShareStorage storage $ = _s();
        // Cannot overflow or underflow: a count moves by one only when an investor starts or
        // stops holding, so it stays between 0 and the number of investors (< 2**32).
        unchecked {
            if (joins) {
                inv.country = country;
                $.supply += ShareSlots.ONE_HOLDER;
                $.countries[country] += ShareSlots.ONE_COUNTRY_HOLDER;
            } else {
                $.supply -= ShareSlots.ONE_HOLDER;
                $.countries[country] -= ShareSlots.ONE_COUNTRY_HOLDER;
                inv.country = 0;
            }
        }
    }
}
