// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {AssetIdentity} from "../assets/AssetIdentity.sol";

/// @notice Test-only: a freely transferable security with the suite's identity and a public mint
/// (stands in for the tracker certificate and the mint-on-order token in settlement tests).
contract SettleSecurityMock is ERC20, AssetIdentity {
    constructor(string memory name_, string memory symbol_, IdentityParams memory params)
        ERC20(name_, symbol_)
        AssetIdentity(params)
    {}

    /// @notice Mints `amount` to `to`; anyone may call it (test only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
