// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IPartyWords
/// @notice The registry's per-wallet packed words (decoded by `PartyWord`), readable without going
/// through the registry's proxy: {PartyWordStore} holds a copy the registry writes with every change.
interface IPartyWords {
    /// @notice One wallet's packed word (zero when unbound); see `IInvestorRegistry.partyWord`.
    /// @param wallet The wallet.
    function partyWord(address wallet) external view returns (uint256);

    /// @notice Both parties' packed words in one call.
    /// @param from The sender.
    /// @param to The recipient.
    function partyWords(address from, address to) external view returns (uint256, uint256);
}
