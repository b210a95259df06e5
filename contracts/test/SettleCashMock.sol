// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test-only: a 6-decimal stablecoin with a public mint.
contract SettleCashMock is ERC20 {
    constructor() ERC20("Settlement USD", "sUSD") {}

    /// @notice Mints `amount` to `to`; anyone may call it (test only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
