// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test-only: a plain cash token (a stablecoin stand-in) for dividend payments.
contract MockCash is ERC20 {
    constructor() ERC20("Mock Cash", "MCASH") {}

    /// @notice Mints `amount` to `to` (anyone may call it: test-only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Six decimals, like the usual dollar stablecoins.
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
