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

/// @title IInvestorWords
/// @notice What the order desk reads of a wallet on an order, in one call: its packed word and the id
/// of the investor it is bound to. Answered by the registry's PartyWordStore (no proxy hop) and, with
/// the same values, by the registry itself.
interface IInvestorWords {
    /// @notice `wallet`'s packed word (zero when unbound) and its investor's id (zero when unbound).
    /// @param wallet The wallet.
    function investorWord(address wallet) external view returns (uint256 word, bytes32 investorId);
}

/// @title IInvestorWordsSource
/// @notice The registry's answer to "where do I read {IInvestorWords} without your proxy?".
interface IInvestorWordsSource {
    /// @notice The registry's PartyWordStore when it keeps the wallets' investor ids, else the
    /// registry itself (a registry upgraded from a version whose store has none).
    function investorWords() external view returns (IInvestorWords);
}
