// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {HybridDvP} from "../../settlement/HybridDvP.sol";

/// @title HybridDvPV2Mock
/// @notice Test-only second version of the HybridDvP: everything of v1, a {version} that says 2 and
/// an {isOpen} view. It adds no state (a new version that needs some adds its own ERC-7201
/// namespace, never a member of v1's struct).
/// @dev Used by the upgrade tests to show that an upgrade keeps every open escrow (it is released
/// after the upgrade) and every used payment reference, and that the new code is live. A proxy
/// upgraded to it runs {initializeV2} (a reinitializer, which upgrades-core does not count as an
/// initializer): hence the one allowance below.
/// @custom:oz-upgrades-from HybridDvP
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract HybridDvPV2Mock is HybridDvP {
    /// @notice Sets up version 2 on its upgrade (`upgradeToAndCall(v2, initializeV2())`); v2 has no
    /// state to seed, so it only moves the initialised version to 2.
    /// @dev Emits {Initialized}(2). Requirements: run once, through the proxy.
    function initializeV2() external reinitializer(2) {}

    /// @notice The implementation's version.
    function version() external pure returns (string memory) {
        return "2";
    }

    /// @notice Whether the trade keyed `key` is escrowed and not yet closed (the v2-only view).
    /// @param key The trade key.
    function isOpen(bytes32 key) external view returns (bool) {
        return this.stateOf(key) == EscrowState.Escrowed;
    }
}
