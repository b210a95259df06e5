// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title IERC7943Fungible — uRWA, the universal real-world-asset interface (ERC-20 form)
/// @notice The final ERC-7943 fungible interface, with its events and errors as the ERC states them.
/// Every asset of this suite implements it and advertises it through ERC-165
/// (`type(IERC7943Fungible).interfaceId`).
interface IERC7943Fungible is IERC165 {
    /// @notice Emitted when tokens are taken from one address and transferred to another.
    event ForcedTransfer(address indexed from, address indexed to, uint256 amount);

    /// @notice Emitted when `setFrozenTokens` changes the frozen amount of `account` (the amount after it).
    event Frozen(address indexed account, uint256 amount);

    /// @notice `account` may not send tokens.
    error ERC7943CannotSend(address account);

    /// @notice `account` may not receive tokens.
    error ERC7943CannotReceive(address account);

    /// @notice The token's rules refuse this transfer.
    error ERC7943CannotTransfer(address from, address to, uint256 amount);

    /// @notice `amount` is at most the balance of `account` but more than its unfrozen balance.
    error ERC7943InsufficientUnfrozenBalance(address account, uint256 amount, uint256 unfrozen);

    /// @notice Takes `amount` from `from` and gives it to `to` (regulatory or recovery action).
    /// @return result True; reverts on failure.
    function forcedTransfer(address from, address to, uint256 amount) external returns (bool result);

    /// @notice Sets the frozen amount of `account` (overwrites, like `approve`); may exceed the balance.
    /// @return result True; reverts on failure.
    function setFrozenTokens(address account, uint256 amount) external returns (bool result);

    /// @notice Whether `account` may send tokens under the token's rules (allowlist, KYC, sanctions...).
    function canSend(address account) external view returns (bool allowed);

    /// @notice Whether `account` may receive tokens under the token's rules.
    function canReceive(address account) external view returns (bool allowed);

    /// @notice The amount of tokens frozen for `account` (may exceed its balance).
    function getFrozenTokens(address account) external view returns (uint256 amount);

    /// @notice Whether a transfer of `amount` from `from` to `to` is possible now, frozen tokens included.
    function canTransfer(address from, address to, uint256 amount) external view returns (bool allowed);
}
