// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OrderVault} from "../../assets/OrderVault.sol";

/// @title OrderVaultV2Mock
/// @notice Test-only second version of the OrderVault: everything of v1, a {version} that says 2 and
/// one new view ({owedCash}). It adds no state (a new version that needs some adds its own ERC-7201
/// namespace, never a member of v1's struct).
/// @dev Used by the upgrade tests to show that an upgrade keeps every Request, total and fill id of
/// v1 and that the new code is live. A proxy upgraded to it runs {initializeV2} (a reinitializer,
/// which upgrades-core does not count as an initializer): hence the one allowance below.
/// @custom:oz-upgrades-from OrderVault
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract OrderVaultV2Mock is OrderVault {
    /// @notice Sets up version 2 on its upgrade (`upgradeToAndCall(v2, initializeV2())`); v2 has no
    /// state to seed, so it only moves the initialised version to 2.
    /// @dev Emits {Initialized}(2). Requirements: run once, through the proxy.
    function initializeV2() external reinitializer(2) {}

    /// @notice All the cash the vault owes investors (the v2-only behaviour): Pending deposits,
    /// Claimable redemptions and cancelled deposits.
    function owedCash() external view returns (uint256) {
        (uint256 pending, uint256 claimable, uint256 cancelled,) = this.cashAccounts();
        return pending + claimable + cancelled;
    }

    /// @notice The implementation's version.
    function version() external pure returns (string memory) {
        return "2";
    }
}
