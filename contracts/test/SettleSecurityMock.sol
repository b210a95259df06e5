// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {AssetIdentityUpgradeable} from "../assets/AssetIdentityUpgradeable.sol";

/// @notice Test-only: a freely transferable security with the suite's identity and a public mint
/// (stands in for the tracker certificate and the mint-on-order token in settlement tests).
contract SettleSecurityMock is ERC20Upgradeable, AssetIdentityUpgradeable {
    constructor(string memory name_, string memory symbol_, IdentityParams memory params) initializer {
        __ERC20_init(name_, symbol_);
        __AssetIdentity_init(params);
    }

    /// @notice Mints `amount` to `to`; anyone may call it (test only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
