// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TraditionalLedgerAdapter} from "../../settlement/TraditionalLedgerAdapter.sol";

/// @title TraditionalLedgerAdapterV2Mock
/// @notice Test-only second version of the TraditionalLedgerAdapter: everything of v1, a {version}
/// that says 2 and an {isPending} view. It adds no state (a new version that needs some adds its own
/// ERC-7201 namespace, never a member of v1's struct).
/// @dev Used by the upgrade tests to show that an upgrade keeps the inventory, every listing and
/// every pending off-ramp with its deadline (it is confirmed or expired after the upgrade), and
/// that the new code is live. A proxy upgraded to it runs {initializeV2} (a reinitializer, which
/// upgrades-core does not count as an initializer): hence the one allowance below.
/// @custom:oz-upgrades-from TraditionalLedgerAdapter
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract TraditionalLedgerAdapterV2Mock is TraditionalLedgerAdapter {
    /// @notice Sets up version 2 on its upgrade (`upgradeToAndCall(v2, initializeV2())`); v2 has no
    /// state to seed, so it only moves the initialised version to 2.
    /// @dev Emits {Initialized}(2). Requirements: run once, through the proxy.
    function initializeV2() external reinitializer(2) {}

    /// @notice The implementation's version.
    function version() external pure returns (string memory) {
        return "2";
    }

    /// @notice Whether `instructionId` is a pending off-ramp (the v2-only view).
    /// @param instructionId The instruction.
    function isPending(bytes32 instructionId) external view returns (bool) {
        return this.instruction(instructionId).state == InstructionState.Pending;
    }
}
