// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OrderToken} from "../../assets/OrderToken.sol";

/// @title OrderTokenV2Mock
/// @notice Test-only second version of the OrderToken: everything of v1, a {version} that says 2 and
/// one new view ({freezeOf}). It adds no state (a new version that needs some adds its own ERC-7201
/// namespace, never a member of v1's struct).
/// @dev Used by the upgrade tests to show that an upgrade keeps every balance, freeze and setting of
/// v1 and that the new code is live. A proxy upgraded to it runs {initializeV2} (a reinitializer,
/// which upgrades-core does not count as an initializer): hence the one allowance below.
/// @custom:oz-upgrades-from OrderToken
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract OrderTokenV2Mock is OrderToken {
    /// @notice Sets up version 2 on its upgrade (`upgradeToAndCall(v2, initializeV2())`); v2 has no
    /// state to seed, so it only moves the initialised version to 2.
    /// @dev Emits {Initialized}(2). Requirements: run once, through the proxy.
    function initializeV2() external reinitializer(2) {}

    /// @notice Both parts of `account`'s freeze in one call (the v2-only behaviour).
    /// @param account The holder.
    /// @return wallet Whether the whole wallet is frozen.
    /// @return tokens The frozen tokens.
    function freezeOf(address account) external view returns (bool wallet, uint256 tokens) {
        return (this.isFrozen(account), this.getFrozenTokens(account));
    }

    /// @notice The implementation's version.
    function version() external pure returns (string memory) {
        return "2";
    }
}
