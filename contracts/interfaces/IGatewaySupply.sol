// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IGatewaySupply
/// @notice What the home chain's gateway reports about an asset's supply on the other chains.
interface IGatewaySupply {
    /// @notice Units of `assetId` that left this (home) chain and have not come back: supply on the
    /// other chains plus messages in flight. Reserve checks count it against attested reserves.
    function supplyElsewhere(bytes32 assetId) external view returns (uint256 units);
}
