// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ISanctionsSubscriber
/// @notice A contract that caches sanctions flags and wants a {SanctionsList} it subscribes to to
/// push every change in the same transaction, so the cache never lags behind that list.
/// @dev The hook carries no flag on purpose: the subscriber re-reads its own oracle of record, so a
/// call from anyone (or from a list that is no longer its oracle) can only bring the cache closer
/// to the truth, never away from it. It may therefore be permissionless.
interface ISanctionsSubscriber {
    /// @notice `account` was put on or taken off a sanctions list; re-read the oracle for it.
    /// @param account The account whose sanctions status changed.
    function onSanctionsChanged(address account) external;
}
