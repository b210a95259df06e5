// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ISanctionsList
/// @notice The Chainalysis sanctions-oracle interface, so a real oracle can be plugged in.
interface ISanctionsList {
    /// @notice Whether `addr` is on the sanctions list.
    function isSanctioned(address addr) external view returns (bool);
}
