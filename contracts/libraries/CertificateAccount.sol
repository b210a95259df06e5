// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title CertificateAccount
/// @notice The tracker certificate's holder slot `_accounts[account]`, encoded and decoded here
/// only. Layout: bit 255 = cached sanctions flag | bits 175..254 = the multiplier the balance was
/// last written at (its reference, 80 bits) | bit 174 = the account has frozen tokens (ERC-7943)
/// | bits 0..173 = the token balance at that multiplier.
/// @dev Note: invariants: `balance(withBalance(s, b, m)) == b` and `ref(withBalance(s, b, m)) == m`
/// for `b < 2**174` and `m < 2**80` (the certificate's `MAX_UNITS` and `MAX_MULTIPLIER` keep every
/// balance below 2**171 and every multiplier in range); `withBalance` keeps both flags of `s`;
/// `withSanctioned` and `withFrozen` change only their own flag.
library CertificateAccount {
    uint256 private constant _SANCTIONED = 1 << 255;
    uint256 private constant _FROZEN = 1 << 174;
    uint256 private constant _FLAGS = _SANCTIONED | _FROZEN;
    uint256 private constant _REF_SHIFT = 175;
    uint256 private constant _REF_MAX = type(uint80).max;
    uint256 private constant _BALANCE_MASK = (1 << 174) - 1;

    /// @notice The token balance stored in `slot`, at its reference multiplier.
    function balance(uint256 slot) internal pure returns (uint256) {
        return slot & _BALANCE_MASK;
    }

    /// @notice The multiplier the balance of `slot` was last written at.
    function ref(uint256 slot) internal pure returns (uint256) {
        return (slot >> _REF_SHIFT) & _REF_MAX;
    }

    /// @notice Whether the cached sanctions flag of `slot` is set.
    function sanctioned(uint256 slot) internal pure returns (bool) {
        return slot & _SANCTIONED != 0;
    }

    /// @notice Whether the account of `slot` has frozen tokens (its frozen amount is not zero).
    function hasFrozen(uint256 slot) internal pure returns (bool) {
        return slot & _FROZEN != 0;
    }

    /// @notice `slot` holding `amount` tokens at multiplier `m`, its flags kept.
    function withBalance(uint256 slot, uint256 amount, uint256 m) internal pure returns (uint256) {
        return (slot & _FLAGS) | amount | (m << _REF_SHIFT);
    }

    /// @notice `slot` with its cached sanctions flag set to `flag`.
    function withSanctioned(uint256 slot, bool flag) internal pure returns (uint256) {
        return flag ? slot | _SANCTIONED : slot & ~_SANCTIONED;
    }

    /// @notice `slot` with its frozen-tokens flag set to `flag`.
    function withFrozen(uint256 slot, bool flag) internal pure returns (uint256) {
        return flag ? slot | _FROZEN : slot & ~_FROZEN;
    }
}
