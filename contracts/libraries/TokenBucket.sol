// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title TokenBucket
/// @notice The one token-bucket rate limit of the project: a bucket holds at most `capacity`,
/// refills continuously at `refillPerSecond`, and every consumption takes from it. Used by the
/// order desk (cash value per investor and in total, buffer withdrawals) and by the gateway (units
/// per asset and direction; the gateway packs each bucket's state into a word of its own and
/// computes with {availableOf}).
/// @dev Note: invariants and conventions (the same for every user):
/// - `capacity == 0` is a CLOSED bucket: nothing passes (a limit must be configured to allow flow);
/// - `capacity == UNLIMITED` (`type(uint128).max`) is an OPEN bucket: everything passes, nothing is
///   written, {available} is `type(uint256).max`. A contract whose "no limit" is the default (the
///   gateway) writes `UNLIMITED` when it creates the bucket;
/// - otherwise `available(bucket) <= capacity` at all times, and a bucket whose state was never
///   written (`updatedAt == 0`) counts as full.
/// A bucket is two storage slots: slot 0 is the configuration (`capacity`, `refillPerSecond`), only
/// read on the hot path; slot 1 the state (`tokens`, `updatedAt`), read and written once per
/// consumption. The `...With` variants let many buckets share one configuration (e.g. one
/// per-investor limit for every investor): such a bucket only stores its state slot.
library TokenBucket {
    /// @notice The capacity of a bucket that never limits.
    uint128 internal constant UNLIMITED = type(uint128).max;

    struct Bucket {
        uint128 capacity;
        uint128 refillPerSecond;
        uint128 tokens;
        uint64 updatedAt;
    }

    /// @notice Replaces the configuration of `bucket`, keeping what it holds: brought up to date
    /// first and clamped to the new capacity (an untouched bucket starts full).
    function configure(Bucket storage bucket, uint128 capacity, uint128 refillPerSecond) internal {
        uint256 current = bucket.updatedAt == 0 ? capacity : _available(bucket, bucket.capacity, bucket.refillPerSecond);
        bucket.capacity = capacity;
        bucket.refillPerSecond = refillPerSecond;
        // Cannot truncate: min(current, capacity) <= capacity < 2**128.
        bucket.tokens = uint128(current < capacity ? current : capacity);
        bucket.updatedAt = uint64(block.timestamp);
    }

    /// @notice Replaces the configuration of `bucket` and fills it.
    function reset(Bucket storage bucket, uint128 capacity, uint128 refillPerSecond) internal {
        bucket.capacity = capacity;
        bucket.refillPerSecond = refillPerSecond;
        bucket.tokens = capacity;
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

    /// @notice Takes `amount` from `bucket` under its own configuration; returns `(false, available)`
    /// and changes nothing when it holds less, so the caller reverts with an error naming the limit.
    function tryConsume(Bucket storage bucket, uint256 amount) internal returns (bool ok, uint256 current) {
        return tryConsumeWith(bucket, bucket.capacity, bucket.refillPerSecond, amount);
    }

    /// @notice Like {tryConsume}, under a shared configuration (the bucket's own configuration
    /// fields are ignored and never written).
    function tryConsumeWith(Bucket storage bucket, uint128 capacity, uint128 refillPerSecond, uint256 amount)
        internal
        returns (bool ok, uint256 current)
    {
        current = _available(bucket, capacity, refillPerSecond);
        if (capacity == UNLIMITED) return (true, current);
        if (amount > current) return (false, current);
        // Cannot underflow (amount <= current) nor truncate (current <= capacity < 2**128).
        unchecked {
            bucket.tokens = uint128(current - amount);
        }
        bucket.updatedAt = uint64(block.timestamp);
        return (true, current);
    }

    /// @notice Takes up to `amount` from `bucket` and never fails (the gateway's Returns: a limit
    /// may slow transfers but never block a refund).
    function consumeUpTo(Bucket storage bucket, uint256 amount) internal {
        uint128 capacity = bucket.capacity;
        if (capacity == UNLIMITED) return;
        uint256 current = _available(bucket, capacity, bucket.refillPerSecond);
        // Cannot underflow: the subtrahend is at most current <= capacity < 2**128.
        unchecked {
            bucket.tokens = uint128(current - (amount < current ? amount : current));
        }
        bucket.updatedAt = uint64(block.timestamp);
    }

    /// @notice What a bucket holds now, from its state as values: `tokens` as of `updatedAt` (0:
    /// never written, so full), under (`capacity`, `refillPerSecond`). For an owner that packs the
    /// state into a slot of its own (the gateway); the library's buckets use it too.
    function availableOf(uint256 capacity, uint256 refillPerSecond, uint256 tokens, uint256 updatedAt)
        internal
        view
        returns (uint256)
    {
        if (capacity == UNLIMITED) return type(uint256).max;
        if (updatedAt == 0) return capacity;
        if (tokens >= capacity) return capacity;
        // Cannot overflow: elapsed < 2**64 and refillPerSecond < 2**128; block time never goes back.
        uint256 refilled;
        unchecked {
            refilled = tokens + (block.timestamp - updatedAt) * refillPerSecond;
        }
        return refilled < capacity ? refilled : capacity;
    }

    function _available(Bucket storage bucket, uint256 capacity, uint256 refillPerSecond)
        private
        view
        returns (uint256)
    {
        if (capacity == UNLIMITED) return type(uint256).max;
        uint256 updatedAt = bucket.updatedAt;
        if (updatedAt == 0) return capacity;
        return availableOf(capacity, refillPerSecond, bucket.tokens, updatedAt);
    }
}
