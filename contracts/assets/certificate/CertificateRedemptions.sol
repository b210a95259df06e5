// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CertificateMultiplier} from "./CertificateMultiplier.sol";
import {ShareMultiplierMath} from "../../corporate/ShareMultiplierMath.sol";
import {ITrackerCertificate} from "../../interfaces/ITrackerCertificate.sol";

/// @title CertificateRedemptions
/// @notice The tracker certificate's redemptions, on the home chain: a holder burns tokens and
/// records a request in split-invariant form (tokens and the multiplier of the moment); the
/// custodian settles it for the shares due, rescaled by every multiplier change since.
/// @dev Note: invariants:
/// - a request goes None -> Requested -> Settled, never back; request ids are 1, 2, 3, ...;
/// - settlement works while paused (a pending request always has a way out) and records the
///   shares due at that moment, which never change afterwards.
abstract contract CertificateRedemptions is CertificateMultiplier {
    using ShareMultiplierMath for uint256;

    /// @inheritdoc ITrackerCertificate
    /// @param shares Tokens to redeem (= underlying shares, 18 decimals), burned exactly; the
    /// request records them with the multiplier of the moment (split-invariant form), so a
    /// corporate action before settlement scales what is due like a balance (see
    /// {redemptionSharesDue}).
    /// @dev Emits {Transfer} to the zero address, then {RedemptionRequested} (`units`: the units
    /// the burn removed from {totalUnits}, `floor(shares * 1e18 / multiplier)`). Requirements: home
    /// chain; not paused; caller not sanctioned; `shares` not zero and within the balance.
    function requestRedemption(uint256 shares) external onlyHomeChain returns (uint256 requestId) {
        if (shares == 0) revert CertificateZeroAmount();
        address holder = _msgSender();
        _burn(holder, shares);
        uint256 m = _currentMultiplier();
        uint256 units = shares.toUnitsDown(m);
        TrackerCertificateStorage storage $ = _cs();
        requestId = ++$.redemptionCount;
        $.redemptions[requestId] = Redemption({
            holder: holder,
            status: RedemptionStatus.Requested,
            shares: shares,
            units: units,
            multiplier: m,
            sharesSettled: 0
        });
        emit RedemptionRequested(requestId, holder, assetId(), shares, units);
    }

    /// @inheritdoc ITrackerCertificate
    /// @param requestId The request.
    /// @param settlementRef Custodian's reference of the delivery or sale.
    /// @dev Records and emits the shares due now ({redemptionSharesDue}): the requested shares
    /// rescaled by every multiplier change since the request, rounded down. Works while paused
    /// (a pending request always has a way out). Emits {RedemptionSettled}. Requirements: caller
    /// has `CUSTODIAN_ROLE`; the request exists and is not settled yet.
    function settleRedemption(uint256 requestId, bytes32 settlementRef) external onlyRole(CUSTODIAN_ROLE) {
        Redemption storage request = _cs().redemptions[requestId];
        if (request.status == RedemptionStatus.None) revert CertificateUnknownRedemption(requestId);
        if (request.status == RedemptionStatus.Settled) revert CertificateRedemptionAlreadySettled(requestId);
        uint256 due = request.shares.rescaleDown(_currentMultiplier(), request.multiplier);
        request.status = RedemptionStatus.Settled;
        request.sharesSettled = due;
        emit RedemptionSettled(requestId, settlementRef, due);
    }

    /// @inheritdoc ITrackerCertificate
    /// @param requestId The request.
    /// @dev Requested: `shares * multiplier() / multiplier at request`, rounded down (exact when
    /// the multiplier did not change; doubled by a 2:1 split activated since the request).
    /// Settled: the shares recorded at settlement. Unknown: 0.
    function redemptionSharesDue(uint256 requestId) external view returns (uint256) {
        Redemption storage request = _cs().redemptions[requestId];
        if (request.status == RedemptionStatus.Settled) return request.sharesSettled;
        if (request.status == RedemptionStatus.None) return 0;
        return request.shares.rescaleDown(_currentMultiplier(), request.multiplier);
    }

    /// @inheritdoc ITrackerCertificate
    function redemption(uint256 requestId) external view returns (Redemption memory) {
        return _cs().redemptions[requestId];
    }

    /// @notice Number of redemption requests so far (the last request id).
    function redemptionCount() external view returns (uint256) {
        return _cs().redemptionCount;
    }
}
