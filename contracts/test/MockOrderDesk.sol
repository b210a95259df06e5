// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice The desk side of a mint-on-order token, as the token sees it.
interface IDeskMintable {
    function mint(address to, uint256 amount) external;
    function burn(address from, uint256 amount) external;
}

/// @notice Test-only stand-in for the order desk of a mint-on-order token: never paused, and mints
/// on request so bridge tests can fund a holder without running the order flow.
contract MockOrderDesk {
    /// @notice The desk's pause flag, read by the token on every balance change.
    function paused() external pure returns (bool) {
        return false;
    }

    /// @notice Mints `amount` of `token` to `to` (anyone; test only).
    function mint(IDeskMintable token, address to, uint256 amount) external {
        token.mint(to, amount);
    }

    /// @notice Burns `amount` of `token` from `from` (anyone; test only).
    function burn(IDeskMintable token, address from, uint256 amount) external {
        token.burn(from, amount);
    }
}
