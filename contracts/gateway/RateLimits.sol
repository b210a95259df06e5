// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGateway} from "../interfaces/IGateway.sol";

/// @title RateLimits
/// @notice Token bucket over units: holds at most `capacity`, refills `ratePerSecond`.
/// @dev A bucket with `capacity == 0` is disabled (unlimited). Kept inside the gateway's folder so
/// the gateway does not depend on another part's library.
library RateLimits {
    /// @notice Units that may pass now.
    function unitsAvailable(IGateway.RateLimit storage bucket) internal view returns (uint256) {
        uint256 capacity = bucket.capacity;
        if (capacity == 0) return type(uint256).max;
        // Cannot overflow: rate < 2^128 and elapsed < 2^64.
        uint256 refilled = bucket.available + (block.timestamp - bucket.updatedAt) * bucket.ratePerSecond;
        return refilled > capacity ? capacity : refilled;
    }

    /// @notice Takes `units` from the bucket; returns false (and changes nothing) if too few are left.
    function tryConsume(IGateway.RateLimit storage bucket, uint256 units)
        internal
        returns (bool ok, uint256 availableUnits)
    {
        availableUnits = unitsAvailable(bucket);
        if (bucket.capacity == 0) return (true, availableUnits);
        if (units > availableUnits) return (false, availableUnits);
        // Cannot underflow: units <= availableUnits <= capacity < 2^128.
        unchecked {
            bucket.available = uint128(availableUnits - units);
        }
        bucket.updatedAt = uint64(block.timestamp);
        return (true, availableUnits);
    }

    /// @notice Takes up to `units` from the bucket and never fails: what a Return uses, so that the
    /// limit can slow Transfers but never block a refund.
    function consumeUpTo(IGateway.RateLimit storage bucket, uint256 units) internal {
        if (bucket.capacity == 0) return;
        uint256 availableUnits = unitsAvailable(bucket);
        // Cannot underflow: the subtrahend is at most availableUnits <= capacity < 2^128.
        unchecked {
            bucket.available = uint128(availableUnits - (units < availableUnits ? units : availableUnits));
        }
        bucket.updatedAt = uint64(block.timestamp);
    }

    /// @notice Reconfigures the bucket and fills it.
    function configure(IGateway.RateLimit storage bucket, uint128 capacity, uint128 ratePerSecond) internal {
        bucket.capacity = capacity;
        bucket.ratePerSecond = ratePerSecond;
        bucket.available = capacity;
        bucket.updatedAt = uint64(block.timestamp);
    }
}
