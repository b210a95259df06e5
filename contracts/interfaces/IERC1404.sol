// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IERC1404 — Simple Restricted Token Standard
/// @notice Lets a wallet pre-check a transfer: code 0 means allowed.
interface IERC1404 {
    /// @notice The restriction that would refuse this transfer, 0 when it would succeed.
    function detectTransferRestriction(address from, address to, uint256 value) external view returns (uint8);

    /// @notice A human-readable explanation of a restriction code.
    function messageForTransferRestriction(uint8 restrictionCode) external view returns (string memory);
}
