// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {
    ERC20PermitUpgradeable
} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PermitUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {AssetIdentityUpgradeable} from "../AssetIdentityUpgradeable.sol";
import {AggregatorV3Interface} from "../../interfaces/AggregatorV3Interface.sol";
import {ISanctionsList} from "../../interfaces/ISanctionsList.sol";
import {ITrackerCertificateTypes} from "../../interfaces/ITrackerCertificate.sol";
import {ICrosschainAsset} from "../../interfaces/ICrosschainAsset.sol";
import {CertificateAccount} from "../../libraries/CertificateAccount.sol";
import {ShareMultiplierMath} from "../../corporate/ShareMultiplierMath.sol";
import {RestrictionCodes} from "../../libraries/RestrictionCodes.sol";

/// @title CertificateStorage
/// @notice The tracker certificate's state, constants, access modifiers and the internal rules
/// both halves of its code share (the multiplier computation and checkpoint, the sanctions rule,
/// the frozen amount, the transfer rules, the reserve feed setter): the base of
/// {CertificateSanctions}, {CertificateMultiplier}, {CertificateRedemptions}, {TrackerCertificate}
/// and {CertificateExtension}. It implements the types of {ITrackerCertificate}
/// ({ITrackerCertificateTypes}), not its functions, so the extension compiles without them.
/// @dev Note: invariants (see {TrackerCertificate} for the certificate's own):
/// - this is the ONLY contract of the certificate that declares state, all of it in ONE ERC-7201
///   namespace (`TrackerCertificateStorage`, `tokenized-stocks.storage.TrackerCertificate`; no
///   sequential slot), so an upgrade keeps every balance, multiplier, freeze and redemption;
/// - the namespace's first slot packs the pause flag, the sanctions oracle, the multiplier and
///   the flags: the only slot of this contract a transfer reads on the fast path (OZ's Pausable
///   namespace stays unused: {paused}, {_pause} and {_unpause} keep the flag here);
/// - a holder's slot `accounts[a]` is encoded and decoded by {CertificateAccount} only.
abstract contract CertificateStorage is
    ITrackerCertificateTypes,
    AssetIdentityUpgradeable,
    ERC20PermitUpgradeable,
    PausableUpgradeable
{
    using CertificateAccount for uint256;
    using ShareMultiplierMath for uint256;

    /// @dev Number of rules of a transfer and their ERC-1404 codes, in evaluation order: paused,
    /// zero address, sender sanctioned, recipient sanctioned, insufficient balance, insufficient
    /// unfrozen balance.
    uint256 internal constant _RULE_COUNT = 6;
    bytes6 internal constant _RULE_CODES = 0x011310111208;
    /// @notice Mints against reserves.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Pauses every balance change at once (unpausing is `DEFAULT_ADMIN_ROLE`'s).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Schedules and cancels corporate actions (multiplier updates); freezes tokens and
    /// forces transfers (ERC-7943 `setFrozenTokens`, `forcedTransfer`).
    bytes32 public constant TRANSFER_AGENT_ROLE = keccak256("TRANSFER_AGENT_ROLE");
    /// @notice Marks redemption requests settled.
    bytes32 public constant CUSTODIAN_ROLE = keccak256("CUSTODIAN_ROLE");

    /// @notice Multiplier at deployment: one token per unit.
    uint256 public constant INITIAL_MULTIPLIER = 1e18;
    /// @notice Lowest multiplier a corporate action may set (a 1:1,000,000 reverse split of 1e18).
    uint256 public constant MIN_MULTIPLIER = 1e12;
    /// @notice Highest multiplier: what fits the 80-bit storage field.
    uint256 public constant MAX_MULTIPLIER = type(uint80).max;
    /// @notice Highest management fee per period: 1% (1e18 = 100%).
    uint256 public constant MAX_FEE_PER_PERIOD = 1e16;
    /// @notice Most units in existence: 2^150 (~1.4e45, far above any real supply), so that every
    /// balance, at most `MAX_UNITS * MAX_MULTIPLIER / 1e18 < 2^171` tokens, fits its 174-bit field.
    uint256 public constant MAX_UNITS = 1 << 150;

    /// @notice Largest frozen amount {setFrozenTokens} accepts: 2^176 - 1, far above any balance
    /// (every balance is below 2^171).
    uint256 public constant MAX_FROZEN_TOKENS = type(uint176).max;

    /// @dev Bits of `flags`.
    uint8 internal constant _SLOW_PATH = 1;
    uint8 internal constant _LIVE_SCREENING = 2;

    /// @notice ERC-1404 code (shared table {RestrictionCodes}): every balance change is paused.
    uint8 public constant RESTRICTION_PAUSED = RestrictionCodes.PAUSED;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the sender is sanctioned.
    uint8 public constant RESTRICTION_SENDER_SANCTIONED = RestrictionCodes.SENDER_SANCTIONED;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the recipient is sanctioned.
    uint8 public constant RESTRICTION_RECIPIENT_SANCTIONED = RestrictionCodes.RECIPIENT_SANCTIONED;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the sender's balance is too low.
    uint8 public constant RESTRICTION_INSUFFICIENT_BALANCE = RestrictionCodes.INSUFFICIENT_BALANCE;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the sender or the recipient is the
    /// zero address.
    uint8 public constant RESTRICTION_INVALID_RECIPIENT = RestrictionCodes.ZERO_ADDRESS;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the amount exceeds the sender's
    /// balance minus its frozen tokens (ERC-7943).
    uint8 public constant RESTRICTION_INSUFFICIENT_UNFROZEN_BALANCE = RestrictionCodes.INSUFFICIENT_UNFROZEN_BALANCE;

    // ---------------------------------------------------------------------------------------------
    // Storage: one ERC-7201 namespace. Its first slot is the only slot of this contract a transfer
    // reads when no update is pending and no fee runs (`_SLOW_PATH` clear). Layout: `paused` (8
    // bits), `sanctionsList` (160), `multiplier` (80), `flags` (8) = 256 bits.
    // ---------------------------------------------------------------------------------------------

    /// @dev A frozen amount and the multiplier it was written at (one slot).
    struct FrozenTokens {
        uint176 amount;
        uint80 ref;
    }

    /// @custom:storage-location erc7201:tokenized-stocks.storage.TrackerCertificate
    struct TrackerCertificateStorage {
        // Slot 0, read by every balance change: the pause flag (OZ's Pausable's, kept here).
        bool paused;
        ISanctionsList sanctionsList;
        uint80 multiplier;
        /// @dev `_SLOW_PATH`: an update is pending or a fee runs, `multiplier()` must then be
        /// computed. `_LIVE_SCREENING`: every balance change also asks the oracle (issuer's
        /// choice, default off).
        uint8 flags;
        // Slot 1, read by a balance change only on the slow path: the pending update and the fee.
        uint80 pendingMultiplier;
        /// @dev Zero when no update is pending. The pending update's nonce is always `lastNonce`.
        uint40 pendingActivation;
        uint56 feePerPeriod;
        uint32 feePeriodLength;
        /// @dev Origin of the fee periods not yet folded into `multiplier`; a checkpoint moves it
        /// forward by the whole periods it folds, so the period grid never shifts.
        uint40 feeStart;
        uint64 epoch;
        uint64 lastNonce;
        AggregatorV3Interface reserveFeed;
        uint32 reserveHeartbeat;
        uint8 reserveFeedDecimals;
        address gateway;
        uint64 redemptionCount;
        /// @dev Units outstanding on this chain, an upper bound of the exact units of all balances
        /// (sum of `balance * 1e18 / reference multiplier`): mints add rounded up, burns remove
        /// rounded down, the gateway's unit paths add and remove exactly what its messages carry.
        uint256 totalUnits;
        /// @dev Bit 255: cached sanctions flag; bits 175-254: reference multiplier; bit 174: the
        /// account has frozen tokens; bits 0-173: token balance at the reference multiplier;
        /// encoded and decoded by {CertificateAccount} only.
        mapping(address account => uint256) accounts;
        mapping(uint256 requestId => Redemption) redemptions;
        MultiplierUpdate[] history;
        /// @dev ERC-7943 frozen tokens, in the split-invariant form of a balance: the amount at
        /// the multiplier it was written at. Read by a balance change only when the account's
        /// frozen-tokens flag is set (that flag is set exactly when the amount is not zero).
        mapping(address account => FrozenTokens) frozenTokens;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.TrackerCertificate")) - 1)) & ~bytes32(uint256(0xff))
    /// = 0xc0c85b5e100d464b51de1b768a0d5bfbb482d90b6f489dd367bf1078cac1d500 (ERC-7201; asserted in
    /// test/forge/TrackerCertificateUpgrade.t.sol).
    bytes32 private constant TRACKER_CERTIFICATE_STORAGE =
        0xc0c85b5e100d464b51de1b768a0d5bfbb482d90b6f489dd367bf1078cac1d500;

    /// @dev Only the registered gateway, never a forwarder (ERC-7802).
    modifier onlyGateway() {
        _requireGateway();
        _;
    }

    /// @dev Functions that only make sense where the master record lives.
    modifier onlyHomeChain() {
        _requireHomeChain();
        _;
    }

    /// @notice Whether every balance change is paused.
    /// @dev OZ's Pausable, with its flag kept in the certificate's first slot next to the
    /// multiplier (see `TrackerCertificateStorage`); OZ's own Pausable namespace stays unused.
    function paused() public view override returns (bool) {
        return _cs().paused;
    }

    /// @dev As OZ's: requires not paused, emits {Paused}.
    function _pause() internal override whenNotPaused {
        _cs().paused = true;
        emit Paused(_msgSender());
    }

    /// @dev As OZ's: requires paused, emits {Unpaused}.
    function _unpause() internal override whenPaused {
        _cs().paused = false;
        emit Unpaused(_msgSender());
    }

    function _requireGateway() private view {
        if (msg.sender != _cs().gateway) revert ICrosschainAsset.AssetUnauthorizedGateway(msg.sender);
    }

    function _requireHomeChain() private view {
        if (!_isHomeChain()) revert CertificateNotHomeChain(block.chainid, homeChainId());
    }

    function _setSlowPath(bool on) internal {
        TrackerCertificateStorage storage $ = _cs();
        if (on) $.flags |= _SLOW_PATH;
        else $.flags &= ~_SLOW_PATH;
    }

    // ---------------------------------------------------------------------------------------------
    // Internal rules shared by the certificate and {CertificateExtension}
    // ---------------------------------------------------------------------------------------------

    function _currentMultiplier() internal view returns (uint256 m) {
        TrackerCertificateStorage storage $ = _cs();
        // Both fields of slot 0 taken together: one SLOAD on the fast path.
        (uint256 flags, uint256 stored) = ($.flags, $.multiplier);
        if (flags & _SLOW_PATH == 0) return stored;
        (m,,,) = _multiplierState(block.timestamp);
    }

    /// @dev The multiplier at `time` from storage: the pending update if active by then, decayed
    /// by the fee periods not yet folded. Also returns whether the pending update is active, the
    /// fee period index at `time` and the number of periods decayed.
    function _multiplierState(uint256 time)
        internal
        view
        returns (uint256 m, bool activated, uint64 periodIndex, uint64 periods)
    {
        TrackerCertificateStorage storage $ = _cs();
        m = $.multiplier;
        uint256 fee = $.feePerPeriod;
        // zero: fees counted from the first period
        // slither-disable-next-line uninitialized-local
        uint64 from;
        uint256 activation = $.pendingActivation;
        if (activation != 0 && time >= activation) {
            m = $.pendingMultiplier;
            activated = true;
            if (fee != 0) from = _periodIndex(activation);
        }
        if (fee != 0) {
            periodIndex = _periodIndex(time);
            if (periodIndex > from) {
                periods = periodIndex - from;
                m = ShareMultiplierMath.decay(m, fee, periods);
                // The fee stops at the floor: the multiplier never reaches zero (a zero multiplier
                // would make every allowance in tokens round to zero).
                if (m < MIN_MULTIPLIER) m = MIN_MULTIPLIER;
            }
        }
    }

    /// @dev Whole fee periods between the grid start and `time`.
    function _periodIndex(uint256 time) internal view returns (uint64) {
        TrackerCertificateStorage storage $ = _cs();
        uint256 start = $.feeStart;
        if (time <= start) return 0;
        return uint64((time - start) / $.feePeriodLength);
    }

    /// @dev Folds an active pending update and elapsed fee periods into storage; returns the
    /// current multiplier and the fee periods folded. The decayed value never exceeds the value it decays, so it fits 80 bits.
    function _checkpoint() internal returns (uint256 m, uint64 periods) {
        TrackerCertificateStorage storage $ = _cs();
        if ($.flags & _SLOW_PATH == 0) return ($.multiplier, 0);
        bool activated;
        uint64 periodIndex;
        (m, activated, periodIndex, periods) = _multiplierState(block.timestamp);
        $.multiplier = uint80(m);
        if (activated) {
            $.pendingActivation = 0;
            $.pendingMultiplier = 0;
            uint64 epoch = $.epoch + 1;
            $.epoch = epoch;
            emit CorporateActionActivated($.lastNonce, epoch, m);
        }
        if ($.feePerPeriod != 0) {
            // The folded periods end on the grid: `feeStart + periodIndex * length <= now`, which
            // fits 40 bits like `block.timestamp`.
            $.feeStart = uint40($.feeStart + uint256(periodIndex) * $.feePeriodLength);
        } else {
            _setSlowPath($.pendingActivation != 0);
        }
    }

    /// @dev The cached flag, or in live mode the cached flag or the oracle's answer.
    function _isSanctioned(address account, ISanctionsList list) internal view returns (bool) {
        TrackerCertificateStorage storage $ = _cs();
        if ($.accounts[account].sanctioned()) return true;
        return $.flags & _LIVE_SCREENING != 0 && list.isSanctioned(account);
    }

    function _setSanctionsList(address list) internal {
        if (list == address(0)) revert CertificateZeroAddress();
        _cs().sanctionsList = ISanctionsList(list);
        emit SanctionsListSet(list);
    }

    /// @dev The frozen amount of `account` at multiplier `m`, rounded up (0 without the flag).
    function _frozenAt(address account, uint256 m) internal view returns (uint256) {
        TrackerCertificateStorage storage $ = _cs();
        if (!$.accounts[account].hasFrozen()) return 0;
        FrozenTokens memory frozen = $.frozenTokens[account];
        return uint256(frozen.amount).rescaleUp(m, frozen.ref);
    }

    /// @dev Each rule's verdict on `transfer(to, amount)` by `from` (true = refuses), in the order
    /// of {_RULE_CODES}; the same checks, in the same order, as {_move} for a transfer.
    function _failedRules(address from, address to, uint256 amount)
        internal
        view
        returns (bool[_RULE_COUNT] memory failed)
    {
        ISanctionsList list = _cs().sanctionsList;
        uint256 m = _currentMultiplier();
        uint256 balance = _balanceAt(_cs().accounts[from], m);
        uint256 frozen = _frozenAt(from, m);
        failed[0] = paused();
        failed[1] = from == address(0) || to == address(0);
        failed[2] = _isSanctioned(from, list);
        failed[3] = _isSanctioned(to, list);
        failed[4] = balance < amount;
        failed[5] = amount > (balance > frozen ? balance - frozen : 0);
    }

    /// @dev The balance of a slot at multiplier `m` (view of {_materialise}).
    function _balanceAt(uint256 slot, uint256 m) internal pure returns (uint256) {
        uint256 balance = slot.balance();
        // slither-disable-next-line incorrect-equality
        if (balance == 0) return 0;
        return balance.rescaleDown(m, slot.ref());
    }

    function _setReserveFeed(address feed, uint32 heartbeat) internal {
        if (feed == address(0) || heartbeat == 0) revert CertificateInvalidFeed(feed);
        uint8 feedDecimals = AggregatorV3Interface(feed).decimals();
        if (feedDecimals > 18) revert CertificateInvalidFeed(feed);
        TrackerCertificateStorage storage $ = _cs();
        $.reserveFeed = AggregatorV3Interface(feed);
        $.reserveHeartbeat = heartbeat;
        $.reserveFeedDecimals = feedDecimals;
        emit ReserveFeedSet(feed, heartbeat, feedDecimals);
    }

    /// @dev The certificate's state: one ERC-7201 namespace ({TRACKER_CERTIFICATE_STORAGE}).
    /// Internal, not private: the certificate's parts (contracts/assets/certificate/) share it.
    function _cs() internal pure returns (TrackerCertificateStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := TRACKER_CERTIFICATE_STORAGE
        }
    }
}
