// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Test-only: reverts in every way a contract can, so the suite's revert assertion helper
/// (`tests/revert_data.py`) can be shown to tell them apart.
contract RevertProbe {
    error ProbeError(uint256 amount, address account);
    error ProbeOther();

    /// @notice Calls that got as far as a state write (never kept: each reverts).
    uint256 public calls;

    /// @notice Reverts with `ProbeError(amount, account)`.
    function customError(uint256 amount, address account) external pure {
        revert ProbeError(amount, account);
    }

    /// @notice Reverts with `ProbeOther()`.
    function otherError() external pure {
        revert ProbeOther();
    }

    /// @notice Reverts with no data at all.
    function empty() external pure {
        revert();
    }

    /// @notice Reverts with `Error(string)`.
    function message() external pure {
        revert("probe message");
    }

    /// @notice A transaction that writes state, then reverts with `ProbeError(amount, msg.sender)`.
    function customErrorTx(uint256 amount) external {
        calls += 1;
        revert ProbeError(amount, msg.sender);
    }

    /// @notice A transaction that writes state, then reverts with no data.
    function emptyTx() external {
        calls += 1;
        revert();
    }

    /// @notice Does not revert.
    function fine() external pure returns (bool) {
        return true;
    }
}
