// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {DividendDistributor} from "../../corporate/DividendDistributor.sol";

/// @title DividendDistributorV2Mock
/// @notice Test-only second version of the DividendDistributor: everything of v1, a {version} that
/// says 2 and an {unpaid} view. It adds no state (a new version that needs some adds its own ERC-7201
/// namespace, never a member of v1's struct).
/// @dev Used by the upgrade tests to show that an upgrade keeps every dividend, escrow and claim of
/// v1 and that the new code is live.
/// @custom:oz-upgrades-from DividendDistributor
contract DividendDistributorV2Mock is DividendDistributor {
    /// @notice Cash of a dividend neither claimed, withheld nor reclaimed (the v2-only behaviour).
    /// @param dividendId The dividend.
    function unpaid(uint256 dividendId) external view returns (uint256) {
        Dividend memory d = this.dividend(dividendId);
        return d.reclaimed ? 0 : d.amount - d.claimed - d.withheld;
    }

    /// @notice The implementation's version.
    function version() external pure returns (string memory) {
        return "2";
    }
}
