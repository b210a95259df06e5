// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OrderDesk} from "../../assets/OrderDesk.sol";

/// @title OrderDeskV2Mock
/// @notice Test-only second version of the OrderDesk: everything of v1, a {version} that says 2 and
/// one new view ({isListed}). It adds no state (a new version that needs some adds its own ERC-7201
/// namespace, never a member of v1's struct).
/// @dev Used by the upgrade tests to show that an upgrade keeps every listing, signer, quote status,
/// rate limit and vault of v1 and that the new code is live. A proxy upgraded to it runs
/// {initializeV2} (a reinitializer, which upgrades-core does not count as an initializer): hence
/// the one allowance below.
/// @custom:oz-upgrades-from OrderDesk
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract OrderDeskV2Mock is OrderDesk {
    /// @notice Sets up version 2 on its upgrade (`upgradeToAndCall(v2, initializeV2())`); v2 has no
    /// state to seed, so it only moves the initialised version to 2.
    /// @dev Emits {Initialized}(2). Requirements: run once, through the proxy.
    function initializeV2() external reinitializer(2) {}

    /// @notice Whether `assetId` is listed on this desk (the v2-only behaviour).
    /// @param assetId The asset.
    function isListed(bytes32 assetId) external view returns (bool) {
        return address(this.assetConfig(assetId).token) != address(0);
    }

    /// @notice The implementation's version.
    function version() external pure returns (string memory) {
        return "2";
    }
}
