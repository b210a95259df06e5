// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {DvP} from "../../settlement/DvP.sol";

/// @title DvPV2Mock
/// @notice Test-only second version of the DvP: everything of v1, a {version} that says 2 and a
/// {isSettled} view. It adds no state (a new version that needs some adds its own ERC-7201
/// namespace, never a member of v1's struct).
/// @dev Used by the upgrade tests to show that an upgrade keeps every trade's final state (a settled
/// trade stays unreplayable) and that the new code is live. A proxy upgraded to it runs
/// {initializeV2} (a reinitializer, which upgrades-core does not count as an initializer): hence
/// the one allowance below.
/// @custom:oz-upgrades-from DvP
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract DvPV2Mock is DvP {
    /// @notice Sets up version 2 on its upgrade (`upgradeToAndCall(v2, initializeV2())`); v2 has no
    /// state to seed, so it only moves the initialised version to 2.
    /// @dev Emits {Initialized}(2). Requirements: run once, through the proxy.
    function initializeV2() external reinitializer(2) {}

    /// @notice The implementation's version.
    function version() external pure returns (string memory) {
        return "2";
    }

    /// @notice Whether `trade` was settled (the v2-only view, read through v1's {stateOf}).
    /// @param trade The agreed terms.
    function isSettled(Trade calldata trade) external view returns (bool) {
        return this.stateOf(trade) == TradeState.Settled;
    }
}
