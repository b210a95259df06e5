// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title CertificateAccount
/// @notice The tracker certificate's holder slot `_accounts[account]`, encoded and decoded here
/// only. Layout: bit 255 = cached sanctions flag | bits 175..254 = the multiplier the balance was
/// last written at (its reference, 80 bits) | bits 0..174 = the token balance at that multiplier.
/// @dev Note: invariants: `balance(encode(b, m)) == b` and `ref(encode(b, m)) == m` for
/// `b < 2**175` and `m < 2**80` (the certificate's `MAX_UNITS` and `MAX_MULTIPLIER` keep every
/// balance and multiplier in range); `encode` leaves the sanctions flag clear, which is right
/// because a balance change never touches a flagged account; `withSanctioned` changes only the flag.
library CertificateAccount {
    uint256 private constant _SANCTIONED = 1 << 255;
    uint256 private constant _REF_SHIFT = 175;
    uint256 private constant _REF_MAX = type(uint80).max;
    uint256 private constant _BALANCE_MASK = (1 << _REF_SHIFT) - 1;

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

    /// @notice The slot of an unflagged account holding `amount` tokens at multiplier `m`.
    function encode(uint256 amount, uint256 m) internal pure returns (uint256) {
        return amount | (m << _REF_SHIFT);
    }

    /// @notice `slot` with its cached sanctions flag set to `flag`.
    function withSanctioned(uint256 slot, bool flag) internal pure returns (uint256) {
        return flag ? slot | _SANCTIONED : slot & ~_SANCTIONED;
    }
}
