// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title PartyWord
/// @notice Decodes the raw wallet word returned by `IInvestorRegistry.partyWord(s)`: the registry's
/// `WalletSlot` as Solidity packs it, lowest bits first in declaration order.
/// Layout: index 0..31 | country 32..47 | classFlags 48..63 | kycExpiry 64..127 | frozen 128..135
/// | position 136..143 (registry-internal) | sole 144..151. A zero word is an unbound wallet.
/// @dev The registry's tests compare every field decoded here with its struct view `party`.
library PartyWord {
    /// @notice Registry investor number (0 = unbound wallet).
    function index(uint256 word) internal pure returns (uint32) {
        return uint32(word);
    }

    /// @notice ISO 3166-1 numeric country of the investor.
    function country(uint256 word) internal pure returns (uint16) {
        return uint16(word >> 32);
    }

    /// @notice Investor class bit flags.
    function classFlags(uint256 word) internal pure returns (uint16) {
        return uint16(word >> 48);
    }

    /// @notice KYC expiry (Unix time).
    function kycExpiry(uint256 word) internal pure returns (uint64) {
        return uint64(word >> 64);
    }

    /// @notice Whether the investor is frozen by the registrar.
    function frozen(uint256 word) internal pure returns (bool) {
        return uint8(word >> 128) != 0;
    }

    /// @notice Whether the wallet is its investor's sole wallet.
    function sole(uint256 word) internal pure returns (bool) {
        return uint8(word >> 144) != 0;
    }
}
