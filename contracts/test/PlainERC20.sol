// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test-only: a plain OpenZeppelin ERC20, the gas baseline of the benchmarks.
contract PlainERC20 is ERC20 {
    constructor() ERC20("Plain", "PLN") {}

    /// @notice Mints `amount` to `to` (anyone may call it: test-only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
