// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CertificateStorage} from "./CertificateStorage.sol";
import {ShareMultiplierMath} from "../../corporate/ShareMultiplierMath.sol";
import {ITrackerCertificate} from "../../interfaces/ITrackerCertificate.sol";

/// @title CertificateMultiplier
/// @notice The tracker certificate's multiplier schedule (see "MULTIPLIER" in
/// {TrackerCertificate}): its views (the multiplier, its schedule, history and fee). The state
/// and the checkpoint are {CertificateStorage}'s; scheduling, cancelling, syncing and the fee's
/// setters run in {CertificateExtension}.
/// @dev Note: invariants:
/// - the multiplier never leaves `[MIN_MULTIPLIER, MAX_MULTIPLIER]` (the fee decay is floored);
/// - `_SLOW_PATH` is set exactly while an update is pending or a fee runs, so the fast path reads
///   the stored multiplier only when nothing else can change it;
/// - at most one update is pending; its nonce is `lastNonce`; nonces only grow;
/// - a checkpoint moves the fee grid's origin by whole periods only (the grid never shifts).
abstract contract CertificateMultiplier is CertificateStorage, ITrackerCertificate {
    /// @inheritdoc ITrackerCertificate
    function multiplierUpdateCount() external view returns (uint256) {
        return _cs().history.length;
    }

    /// @inheritdoc ITrackerCertificate
    function multiplierUpdate(uint256 index) external view returns (MultiplierUpdate memory) {
        MultiplierUpdate[] storage history = _cs().history;
        if (index >= history.length) revert CertificateUnknownUpdate(index);
        return history[index];
    }

    /// @notice Current share multiplier, 1e18 = one token per unit.
    function multiplier() external view returns (uint256) {
        return _currentMultiplier();
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev Projects the current state (pending update, fee) to `timestamp`; for a time before
    /// now it is not a historical value (read the history for that).
    function multiplierAt(uint256 timestamp) external view returns (uint256 m) {
        (m,,,) = _multiplierState(timestamp);
    }

    /// @notice Corporate actions applied so far (a pending update counts from its activation).
    /// @dev With `_SLOW_PATH` clear no update is pending (see the invariants above): the stored
    /// epoch is the answer, and the pending update's slot is not read. The flag's slot is the one
    /// every balance change reads, so the gateway's send (a burn, then this) finds it warm.
    function corporateActionEpoch() external view returns (uint64) {
        TrackerCertificateStorage storage $ = _cs();
        if ($.flags & _SLOW_PATH == 0) return $.epoch;
        uint256 activation = $.pendingActivation;
        return activation != 0 && block.timestamp >= activation ? $.epoch + 1 : $.epoch;
    }

    /// @notice The pending update, if any: its nonce, multiplier and activation time (0 = none).
    function pendingMultiplierUpdate()
        external
        view
        returns (uint64 nonce, uint256 newMultiplier, uint256 activationTime)
    {
        TrackerCertificateStorage storage $ = _cs();
        if ($.pendingActivation == 0) return (0, 0, 0);
        return ($.lastNonce, $.pendingMultiplier, $.pendingActivation);
    }

    /// @notice The last nonce a corporate action used.
    function lastNonce() external view returns (uint64) {
        return _cs().lastNonce;
    }

    /// @notice The management fee: fraction per period (1e18 = 100%), period length, and the start
    /// of the first period not yet folded into the stored multiplier.
    function managementFee() external view returns (uint256 feePerPeriod, uint256 periodLength, uint256 start) {
        TrackerCertificateStorage storage $ = _cs();
        return ($.feePerPeriod, $.feePeriodLength, $.feeStart);
    }
}
