// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CertificateStorage} from "./CertificateStorage.sol";
import {ShareMultiplierMath} from "../../corporate/ShareMultiplierMath.sol";
import {ITrackerCertificate} from "../../interfaces/ITrackerCertificate.sol";

/// @title CertificateMultiplier
/// @notice The tracker certificate's multiplier schedule (see "MULTIPLIER" in
/// {TrackerCertificate}): the stored multiplier, one pending update activated lazily at its time,
/// the management fee decaying the multiplier once per whole period, the history of updates, and
/// the checkpoint folding all of it into storage.
/// @dev Note: invariants:
/// - the multiplier never leaves `[MIN_MULTIPLIER, MAX_MULTIPLIER]` (the fee decay is floored);
/// - `_SLOW_PATH` is set exactly while an update is pending or a fee runs, so the fast path reads
///   the stored multiplier only when nothing else can change it;
/// - at most one update is pending; its nonce is `_lastNonce`; nonces only grow;
/// - a checkpoint moves the fee grid's origin by whole periods only (the grid never shifts).
abstract contract CertificateMultiplier is CertificateStorage {
    /// @inheritdoc ITrackerCertificate
    /// @param currentMultiplier The multiplier the caller believes is current (compare-and-swap).
    /// @param newMultiplier The multiplier from `activationTime` on, in `[MIN_MULTIPLIER,
    /// MAX_MULTIPLIER]`. It is absolute: with a fee running, use {multiplierAt}(activationTime)
    /// times the split ratio.
    /// @param activationTime Block time from which it applies; now or later.
    /// @param nonce Above every nonce used before.
    /// @dev Emits {MultiplierUpdateScheduled}; the update is appended to the history and opens the
    /// next corporate-action epoch when it activates. Requirements: caller has
    /// `TRANSFER_AGENT_ROLE`; home chain; no other update pending; the conditions above.
    function scheduleMultiplierUpdate(
        uint256 currentMultiplier,
        uint256 newMultiplier,
        uint64 activationTime,
        uint64 nonce
    ) external onlyRole(TRANSFER_AGENT_ROLE) onlyHomeChain {
        (uint256 current,) = _checkpoint();
        if (_pendingActivation != 0) revert CertificateUpdatePending(_lastNonce, _pendingActivation);
        if (nonce <= _lastNonce) revert CertificateStaleNonce(nonce, _lastNonce);
        if (currentMultiplier != current) revert CertificateMultiplierMismatch(currentMultiplier, current);
        if (newMultiplier < MIN_MULTIPLIER || newMultiplier > MAX_MULTIPLIER) {
            revert CertificateInvalidMultiplier(newMultiplier);
        }
        if (activationTime < block.timestamp || activationTime > type(uint40).max) {
            revert CertificateInvalidActivation(activationTime, block.timestamp);
        }
        uint64 epoch = _epoch + 1;
        // Casts: both multipliers are <= MAX_MULTIPLIER = 2^80 - 1, the activation < 2^40.
        _pendingMultiplier = uint80(newMultiplier);
        _pendingActivation = uint40(activationTime);
        _lastNonce = nonce;
        _flags |= _SLOW_PATH;
        _history.push(
            MultiplierUpdate({
                nonce: nonce,
                epoch: epoch,
                scheduledAt: uint40(block.timestamp),
                activationTime: uint40(activationTime),
                previousMultiplier: uint128(current),
                newMultiplier: uint128(newMultiplier)
            })
        );
        emit MultiplierUpdateScheduled(nonce, epoch, current, newMultiplier, activationTime);
    }

    /// @inheritdoc ITrackerCertificate
    /// @param nonce Nonce of the pending update (it stays used).
    /// @dev Emits {MultiplierUpdateCancelled}; removes the update from the history. Requirements:
    /// caller has `TRANSFER_AGENT_ROLE`; the update `nonce` is pending and not yet active.
    function cancelMultiplierUpdate(uint64 nonce) external onlyRole(TRANSFER_AGENT_ROLE) {
        _checkpoint();
        if (_pendingActivation == 0 || nonce != _lastNonce) revert CertificateNoPendingUpdate(nonce);
        _pendingActivation = 0;
        _pendingMultiplier = 0;
        _setSlowPath(_feePerPeriod != 0);
        _history.pop();
        emit MultiplierUpdateCancelled(nonce);
    }

    /// @notice Applies a corporate action decided on the home chain (gateway only, other chains).
    /// @param epoch The home chain's epoch after the action; above the current one.
    /// @param newMultiplier The home chain's multiplier, in `[MIN_MULTIPLIER, MAX_MULTIPLIER]`.
    /// @dev Emits {CorporateActionSynced}; appends the action (nonce 0) to the history.
    /// Requirements: caller is the gateway; not the home chain; `epoch` newer than the current.
    function syncCorporateAction(uint64 epoch, uint256 newMultiplier) external onlyGateway {
        if (_isHomeChain()) revert CertificateOnHomeChain(block.chainid);
        if (epoch <= _epoch) revert AssetStaleCorporateAction(epoch, _epoch);
        if (newMultiplier < MIN_MULTIPLIER || newMultiplier > MAX_MULTIPLIER) {
            revert CertificateInvalidMultiplier(newMultiplier);
        }
        uint256 previous = _multiplier;
        // Casts: newMultiplier <= MAX_MULTIPLIER = 2^80 - 1.
        _multiplier = uint80(newMultiplier);
        _epoch = epoch;
        _history.push(
            MultiplierUpdate({
                nonce: 0,
                epoch: epoch,
                scheduledAt: uint40(block.timestamp),
                activationTime: uint40(block.timestamp),
                previousMultiplier: uint128(previous),
                newMultiplier: uint128(newMultiplier)
            })
        );
        emit CorporateActionSynced(epoch, newMultiplier);
    }

    /// @inheritdoc ITrackerCertificate
    function multiplierUpdateCount() external view returns (uint256) {
        return _history.length;
    }

    /// @inheritdoc ITrackerCertificate
    function multiplierUpdate(uint256 index) external view returns (MultiplierUpdate memory) {
        if (index >= _history.length) revert CertificateUnknownUpdate(index);
        return _history[index];
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
    function corporateActionEpoch() external view returns (uint64) {
        uint256 activation = _pendingActivation;
        return activation != 0 && block.timestamp >= activation ? _epoch + 1 : _epoch;
    }

    /// @notice The pending update, if any: its nonce, multiplier and activation time (0 = none).
    function pendingMultiplierUpdate()
        external
        view
        returns (uint64 nonce, uint256 newMultiplier, uint256 activationTime)
    {
        if (_pendingActivation == 0) return (0, 0, 0);
        return (_lastNonce, _pendingMultiplier, _pendingActivation);
    }

    /// @notice The last nonce a corporate action used.
    function lastNonce() external view returns (uint64) {
        return _lastNonce;
    }

    /// @inheritdoc ITrackerCertificate
    /// @param feePerPeriod Fraction of every balance charged per whole period, 1e18 = 100%; 0 stops
    /// the fee. At most `MAX_FEE_PER_PERIOD`.
    /// @param periodLength Period in seconds; not zero when a fee is set.
    /// @dev Folds the fee due at the old rate first (the partial period running at the change is
    /// not charged), then starts a new period grid now. The fee compounds, but the decayed
    /// multiplier is floored at `MIN_MULTIPLIER` (the fee stops charging there): it never reaches
    /// zero, so no conversion divides by zero and no allowance rounds to zero. Emits
    /// {ManagementFeeSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`; home chain.
    function setManagementFee(uint64 feePerPeriod, uint32 periodLength)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
        onlyHomeChain
    {
        if (feePerPeriod > MAX_FEE_PER_PERIOD || (feePerPeriod != 0 && periodLength == 0)) {
            revert CertificateInvalidFee(feePerPeriod, periodLength);
        }
        _checkpoint();
        // feePerPeriod <= MAX_FEE_PER_PERIOD = 1e16 < 2^56.
        _feePerPeriod = uint56(feePerPeriod);
        _feePeriodLength = periodLength;
        _feeStart = uint40(block.timestamp);
        _setSlowPath(feePerPeriod != 0 || _pendingActivation != 0);
        emit ManagementFeeSet(feePerPeriod, periodLength);
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev Anyone may call it; it changes no balance, only where the multiplier is stored. Cost:
    /// one exponentiation by squaring, O(log2 periods) and at most 64 iterations. Emits
    /// {ManagementFeeAccrued} with the periods folded (0 when there was nothing to fold).
    function accrueFee() external {
        (uint256 m, uint64 periods) = _checkpoint();
        emit ManagementFeeAccrued(periods, m);
    }

    /// @notice The management fee: fraction per period (1e18 = 100%), period length, and the start
    /// of the first period not yet folded into the stored multiplier.
    function managementFee() external view returns (uint256 feePerPeriod, uint256 periodLength, uint256 start) {
        return (_feePerPeriod, _feePeriodLength, _feeStart);
    }

    function _currentMultiplier() internal view returns (uint256 m) {
        if (_flags & _SLOW_PATH == 0) return _multiplier;
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
        m = _multiplier;
        uint256 fee = _feePerPeriod;
        // zero: fees counted from the first period
        // slither-disable-next-line uninitialized-local
        uint64 from;
        uint256 activation = _pendingActivation;
        if (activation != 0 && time >= activation) {
            m = _pendingMultiplier;
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
        uint256 start = _feeStart;
        if (time <= start) return 0;
        return uint64((time - start) / _feePeriodLength);
    }

    /// @dev Folds an active pending update and elapsed fee periods into storage; returns the
    /// current multiplier and the fee periods folded. The decayed value never exceeds the value it decays, so it fits 80 bits.
    function _checkpoint() internal returns (uint256 m, uint64 periods) {
        if (_flags & _SLOW_PATH == 0) return (_multiplier, 0);
        bool activated;
        uint64 periodIndex;
        (m, activated, periodIndex, periods) = _multiplierState(block.timestamp);
        _multiplier = uint80(m);
        if (activated) {
            _pendingActivation = 0;
            _pendingMultiplier = 0;
            uint64 epoch = _epoch + 1;
            _epoch = epoch;
            emit CorporateActionActivated(_lastNonce, epoch, m);
        }
        if (_feePerPeriod != 0) {
            // The folded periods end on the grid: `_feeStart + periodIndex * length <= now`, which
            // fits 40 bits like `block.timestamp`.
            _feeStart = uint40(_feeStart + uint256(periodIndex) * _feePeriodLength);
        } else {
            _setSlowPath(_pendingActivation != 0);
        }
    }
}
