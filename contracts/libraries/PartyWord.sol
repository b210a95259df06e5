// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title PartyWord
/// @notice The one codec of the investor registry's packed wallet word: the registry writes every
/// wallet slot with it and the assets decode the raw word of `IInvestorRegistry.partyWord(s)` with
/// it, so nothing outside this file knows the layout.
/// Layout: index 0..31 | country 32..47 | classFlags 48..63 | kycExpiry 64..127 | frozen 128..135
/// | position 136..143 (registry-internal) | sole 144..151. A zero word is an unbound wallet.
/// @dev Note: invariants: `encode` then each getter returns the encoded field; the `with...`
/// setters change only their own fields; the layout is the one the registry's former `WalletSlot`
/// struct had (Solidity packing, lowest bits first), so deployed words decode unchanged. The
/// registry's tests compare every field decoded here with its struct view `party`.
library PartyWord {
    uint256 private constant _POSITION_SHIFT = 136;
    uint256 private constant _SOLE_SHIFT = 144;
    /// @dev country, classFlags, kycExpiry and frozen: bits 32..135.
    uint256 private constant _RECORD_MASK = ((uint256(1) << 136) - 1) & ~uint256(type(uint32).max);

    /// @notice A wallet's word.
    function encode(
        uint32 index_,
        uint16 country_,
        uint16 classFlags_,
        uint64 kycExpiry_,
        bool frozen_,
        uint8 position_,
        bool sole_
    ) internal pure returns (uint256) {
        return uint256(index_) | _record(country_, classFlags_, kycExpiry_, frozen_)
            | (uint256(position_) << _POSITION_SHIFT) | (sole_ ? uint256(1) << _SOLE_SHIFT : 0);
    }

    /// @notice `word` with the investor's record fields replaced (index, position and sole kept).
    function withRecord(uint256 word, uint16 country_, uint16 classFlags_, uint64 kycExpiry_, bool frozen_)
        internal
        pure
        returns (uint256)
    {
        return (word & ~_RECORD_MASK) | _record(country_, classFlags_, kycExpiry_, frozen_);
    }

    /// @notice `word` with its position in the investor's wallet list replaced.
    function withPosition(uint256 word, uint8 position_) internal pure returns (uint256) {
        return (word & ~(uint256(0xff) << _POSITION_SHIFT)) | (uint256(position_) << _POSITION_SHIFT);
    }

    /// @notice `word` with its sole-wallet flag replaced.
    function withSole(uint256 word, bool sole_) internal pure returns (uint256) {
        return (word & ~(uint256(0xff) << _SOLE_SHIFT)) | (sole_ ? uint256(1) << _SOLE_SHIFT : 0);
    }

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

    /// @notice The wallet's position in its investor's wallet list (registry-internal).
    function position(uint256 word) internal pure returns (uint8) {
        return uint8(word >> _POSITION_SHIFT);
    }

    /// @notice Whether the wallet is its investor's sole wallet.
    function sole(uint256 word) internal pure returns (bool) {
        return uint8(word >> _SOLE_SHIFT) != 0;
    }

    function _record(uint16 country_, uint16 classFlags_, uint64 kycExpiry_, bool frozen_)
        private
        pure
        returns (uint256)
    {
        return (uint256(country_) << 32) | (uint256(classFlags_) << 48) | (uint256(kycExpiry_) << 64)
            | (frozen_ ? uint256(1) << 128 : 0);
    }
}
