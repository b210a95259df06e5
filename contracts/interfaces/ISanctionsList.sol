// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ISanctionsList
/// @notice The Chainalysis sanctions-oracle interface, so a real oracle can be plugged in.
interface ISanctionsList {
    /// @notice Whether `addr` is on the sanctions list.
    function isSanctioned(address addr) external view returns (bool);
}

/// @title ISanctionsStoreSource
/// @notice A sanctions list that keeps a plain (not proxied) copy of its listings, answering
/// {ISanctionsList-isSanctioned} with the same answers: readers on a hot path ask the copy and skip
/// the list's proxy hop. A Chainalysis oracle has none (readers ask the oracle itself).
interface ISanctionsStoreSource {
    /// @notice The list's copy (zero when it has none: a list upgraded from a version without one).
    function sanctionsStore() external view returns (ISanctionsList);
}
