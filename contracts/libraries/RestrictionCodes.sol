// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title RestrictionCodes
/// @notice The one ERC-1404 code table of every asset of this project ({OrderToken},
/// {TrackerCertificate}, {RegistryShare}): a code means the same thing whichever asset returns it,
/// and `messageForTransferRestriction` of every asset reads its text from {message}.
/// @dev Note: invariants of this table:
/// - codes are never renumbered or reused: a new restriction takes the next free number;
/// - 0 is the only "allowed" code; every other code is a refusal;
/// - codes 0..15 are, in order, `IRegistryShareTypes.Restriction` (the registry share's enum is this
///   table's prefix; test/forge/RestrictionCodes.t.sol checks it);
/// - {message} returns the text of `code` for every code up to {MAX_CODE}, and
///   "Unknown restriction code" above it.
/// An asset returns only the codes its rules can produce (the tracker certificate has no investor
/// registry, so of 2..15 it returns only 8, its ERC-7943 frozen tokens).
library RestrictionCodes {
    /// @notice Allowed.
    uint8 internal constant NONE = 0;
    /// @notice The asset (or, for an order token, the whole desk) is paused.
    uint8 internal constant PAUSED = 1;
    /// @notice The sender wallet is unbound in the investor registry, or its KYC expired.
    uint8 internal constant SENDER_NOT_VERIFIED = 2;
    /// @notice The recipient wallet is unbound in the investor registry, or its KYC expired.
    uint8 internal constant RECIPIENT_NOT_VERIFIED = 3;
    /// @notice The registrar froze the sender's investor.
    uint8 internal constant SENDER_INVESTOR_FROZEN = 4;
    /// @notice The registrar froze the recipient's investor.
    uint8 internal constant RECIPIENT_INVESTOR_FROZEN = 5;
    /// @notice The asset's compliance officer or transfer agent froze the sender wallet.
    uint8 internal constant SENDER_WALLET_FROZEN = 6;
    /// @notice The asset's compliance officer or transfer agent froze the recipient wallet.
    uint8 internal constant RECIPIENT_WALLET_FROZEN = 7;
    /// @notice The amount exceeds the sender's balance minus its frozen tokens.
    uint8 internal constant INSUFFICIENT_UNFROZEN_BALANCE = 8;
    /// @notice The sender's investor is in a lock-up period.
    uint8 internal constant LOCKED_UP = 9;
    /// @notice The recipient's country is not allowed.
    uint8 internal constant COUNTRY_NOT_ALLOWED = 10;
    /// @notice A new holder would exceed the maximum number of holders.
    uint8 internal constant MAX_HOLDERS = 11;
    /// @notice A new holder would exceed its country's holder cap.
    uint8 internal constant MAX_COUNTRY_HOLDERS = 12;
    /// @notice An investor would keep (or receive) less than the minimum holding.
    uint8 internal constant BELOW_MIN_HOLDING = 13;
    /// @notice The recipient investor would hold more than the maximum holding.
    uint8 internal constant ABOVE_MAX_HOLDING = 14;
    /// @notice The wallet's tokens belong to another investor than the registry now binds it to.
    uint8 internal constant WALLET_INVESTOR_MISMATCH = 15;
    /// @notice The sender is sanctioned.
    uint8 internal constant SENDER_SANCTIONED = 16;
    /// @notice The recipient is sanctioned.
    uint8 internal constant RECIPIENT_SANCTIONED = 17;
    /// @notice The amount exceeds the sender's balance.
    uint8 internal constant INSUFFICIENT_BALANCE = 18;
    /// @notice The sender or the recipient is the zero address.
    uint8 internal constant ZERO_ADDRESS = 19;
    /// @notice The highest code in the table.
    uint8 internal constant MAX_CODE = 19;

    /// @notice The text of `code` ("Unknown restriction code" above {MAX_CODE}).
    /// @dev One "|"-separated literal in code order: one literal per code would cost the registry
    /// share ~0.4 KB of code it does not have under the EIP-170 limit.
    function message(uint8 code) internal pure returns (string memory) {
        bytes memory table = bytes(
            "No restriction|The asset is paused|Sender is not a verified investor|"
            "Recipient is not a verified investor|Sender's investor is frozen|Recipient's investor is frozen|"
            "Sender wallet is frozen|Recipient wallet is frozen|Amount exceeds the unfrozen balance|"
            "Sender's investor is in a lock-up period|Recipient's country is not allowed|"
            "Maximum number of holders reached|Maximum number of holders for the country reached|"
            "Holding would fall below the minimum|Holding would exceed the maximum|"
            "Wallet is bound to another investor|Sender is sanctioned|Recipient is sanctioned|"
            "Insufficient balance|Zero address|Unknown restriction code"
        );
        uint256 wanted = code > MAX_CODE ? uint256(MAX_CODE) + 1 : code;
        uint256 start = 0;
        uint256 index = 0;
        uint256 i = 0;
        for (; i < table.length; ++i) {
            if (table[i] != "|") continue;
            if (index == wanted) break;
            ++index;
            start = i + 1;
        }
        bytes memory text = new bytes(i - start);
        for (uint256 j; j < text.length; ++j) {
            text[j] = table[start + j];
        }
        return string(text);
    }
}
