// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title RateLimiter
/// @notice Token-bucket rate limits: a bucket holds at most `capacity`, refills continuously at
/// `refillPerSecond`, and every consumption takes from it. Used by the order desk (cash value per
/// investor and in total, buffer withdrawals) and reusable by the gateway (units per asset/direction).
/// @dev Note: a bucket is two storage slots. Slot 0 is the configuration (`capacity`,
/// `refillPerSecond`), only read on the hot path; slot 1 the state (`tokens`, `updatedAt`), read and
/// written once per consumption. A bucket that was never touched (`updatedAt == 0`) counts as full.
/// `capacity == 0` is a closed bucket: nothing passes (a limit must be configured to allow flow).
/// Invariant: `available(bucket) <= capacity` at all times.
///
/// {consumeWith} lets many buckets share one configuration (e.g. one per-investor limit for every
/// investor): each bucket then only stores its state slot and reads the shared configuration.
library RateLimiter {
    struct Bucket {
        uint128 capacity;
        uint128 refillPerSecond;
        uint128 tokens;
        uint64 updatedAt;
    }

    /// @notice A consumption asked for more than the bucket holds right now.
    error RateLimitExceeded(uint256 requested, uint256 available);

    /// @notice Replaces the configuration of `bucket`. What it holds is brought up to date first and
    /// clamped to the new capacity; an untouched bucket starts full.
    function configure(Bucket storage bucket, uint128 capacity, uint128 refillPerSecond) internal {
        uint256 current = bucket.updatedAt == 0 ? capacity : _available(bucket, bucket.capacity, bucket.refillPerSecond);
        bucket.capacity = capacity;
        bucket.refillPerSecond = refillPerSecond;
        // Cannot truncate: min(current, capacity) <= capacity < 2**128.
        bucket.tokens = uint128(current < capacity ? current : capacity);
        bucket.updatedAt = uint64(block.timestamp);
    }

    /// @notice What `bucket` can pass right now under its own configuration.
    function available(Bucket storage bucket) internal view returns (uint256) {
        return _available(bucket, bucket.capacity, bucket.refillPerSecond);
    }

    /// @notice What `bucket` can pass right now under a shared configuration.
    function availableWith(Bucket storage bucket, uint128 capacity, uint128 refillPerSecond)
        internal
        view
        returns (uint256)
    {
        return _available(bucket, capacity, refillPerSecond);
    }

    /// @notice Takes `amount` from `bucket` under its own configuration.
    /// @dev Reverts with {RateLimitExceeded} when the bucket holds less than `amount`.
    function consume(Bucket storage bucket, uint256 amount) internal {
        consumeWith(bucket, bucket.capacity, bucket.refillPerSecond, amount);
    }

    /// @notice Takes `amount` from `bucket` under a shared configuration (the bucket's own
    /// configuration fields are ignored and never written).
    /// @dev Reverts with {RateLimitExceeded} when the bucket holds less than `amount`.
    function consumeWith(Bucket storage bucket, uint128 capacity, uint128 refillPerSecond, uint256 amount) internal {
        (bool ok, uint256 current) = tryConsumeWith(bucket, capacity, refillPerSecond, amount);
        if (!ok) revert RateLimitExceeded(amount, current);
    }

    /// @notice Like {consumeWith}, but returns `(false, available)` instead of reverting, so the
    /// caller can revert with an error that names the limit.
    function tryConsumeWith(Bucket storage bucket, uint128 capacity, uint128 refillPerSecond, uint256 amount)
        internal
        returns (bool ok, uint256 current)
    {
        current = _available(bucket, capacity, refillPerSecond);
        if (amount > current) return (false, current);
        // Cannot underflow (amount <= current) nor truncate (current <= capacity < 2**128).
        unchecked {
            bucket.tokens = uint128(current - amount);
        }
        bucket.updatedAt = uint64(block.timestamp);
        return (true, current);
    }

    function _available(Bucket storage bucket, uint256 capacity, uint256 refillPerSecond)
        private
        view
        returns (uint256)
    {
        uint256 updatedAt = bucket.updatedAt;
        if (updatedAt == 0) return capacity;
        uint256 tokens = bucket.tokens;
        if (tokens >= capacity) return capacity;
        // Cannot overflow: elapsed < 2**64 and refillPerSecond < 2**128; block time never goes back.
        uint256 refilled;
        unchecked {
            refilled = tokens + (block.timestamp - updatedAt) * refillPerSecond;
        }
        return refilled < capacity ? refilled : capacity;
    }
}
