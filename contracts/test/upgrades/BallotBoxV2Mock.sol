// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BallotBox} from "../../corporate/BallotBox.sol";

/// @title BallotBoxV2Mock
/// @notice Test-only second version of the BallotBox: everything of v1, a {version} that says 2 and
/// a {turnout} view. It adds no state (a new version that needs some adds its own ERC-7201
/// namespace, never a member of v1's struct).
/// @dev Used by the upgrade tests to show that an upgrade keeps every ballot, vote and tally of v1
/// and that the new code is live.
/// @custom:oz-upgrades-from BallotBox
contract BallotBoxV2Mock is BallotBox {
    /// @notice Shares voted so far, whatever the choice (the v2-only behaviour).
    /// @param ballotId The ballot.
    function turnout(uint256 ballotId) external view returns (uint256) {
        (uint256 yes, uint256 no, uint256 abstain,) = this.tally(ballotId);
        return yes + no + abstain;
    }

    /// @notice The implementation's version.
    function version() external pure returns (string memory) {
        return "2";
    }
}
