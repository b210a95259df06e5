// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {AssetIdentityUpgradeable} from "../assets/AssetIdentityUpgradeable.sol";
import {IInvestorRegistry} from "../interfaces/IInvestorRegistry.sol";

/// @notice Test-only: a registry share stand-in that refuses any transfer or mint to a wallet the
/// investor registry does not verify.
contract SettleRestrictedMock is ERC20Upgradeable, AssetIdentityUpgradeable {
    /// @notice The recipient is not a verified investor wallet.
    error RestrictedRecipientNotVerified(address to);

    IInvestorRegistry public immutable registry;

    constructor(IInvestorRegistry registry_, IdentityParams memory params) initializer {
        __ERC20_init("Restricted Share", "rSHR");
        __AssetIdentity_init(params);
        registry = registry_;
    }

    /// @notice Mints `amount` to `to`; anyone may call it (test only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (to != address(0) && !registry.isVerified(to)) revert RestrictedRecipientNotVerified(to);
        super._update(from, to, value);
    }
}
