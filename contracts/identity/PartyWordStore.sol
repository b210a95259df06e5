// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPartyWords, IInvestorWords} from "../interfaces/IPartyWords.sol";

/// @title PartyWordStore
/// @notice A copy of the investor registry's packed wallet words in a plain (not proxied) contract,
/// written only by the registry that created it. Tokens on a hot path (the registry share's
/// transfer) read a party's word here in one call, without the registry proxy's hop (an
/// implementation-slot read and a delegatecall to a cold account: ~4,700 gas per transfer), in the
/// manner of T-REX's IdentityRegistryStorage beside its IdentityRegistry.
/// @dev Invariants (NEVER violate): only `registry` writes; every word equals the registry's own
/// word for the same wallet (the registry writes both in one internal function, `_setWord`); the
/// code never changes (no proxy): an upgrade of the registry keeps this store, whose writer is the
/// registry's proxy address. Every wallet's investor id equals the registry's `investorOf` for it
/// (written with the word when a wallet is bound or unbound, `_bindWord`): the order desk reads
/// both in one call ({investorWord}), without the registry's proxy.
contract PartyWordStore is IPartyWords, IInvestorWords {
    /// @notice The registry (its proxy) that created this store: the only writer.
    address public immutable registry;

    mapping(address wallet => uint256 word) private _words;
    mapping(address wallet => bytes32 investorId) private _investorIds;

    /// @notice The caller is not the registry.
    error PartyWordStoreUnauthorized(address caller);

    /// @notice Created by the registry (its proxy) in its initializer.
    constructor() {
        registry = msg.sender;
    }

    /// @notice Writes `wallet`'s word (zero unbinds it).
    /// @param wallet The wallet.
    /// @param word Its packed word, laid out by `PartyWord`.
    /// @dev Emits nothing of its own: every write mirrors a registry change in the same call, and the
    /// registry emits that change's event (WalletAdded, WalletRemoved, InvestorUpdated...), so an
    /// indexer reads one event per change. Requirements: the caller is `registry`.
    function write(address wallet, uint256 word) external {
        if (msg.sender != registry) revert PartyWordStoreUnauthorized(msg.sender);
        _words[wallet] = word;
    }

    /// @notice Writes `wallet`'s word and the id of the investor it is bound to (zeros unbind it).
    /// @param wallet The wallet.
    /// @param word Its packed word, laid out by `PartyWord`.
    /// @param investorId Its investor's id (zero when unbound).
    /// @dev Emits nothing of its own, as {write}: the registry emits the change ({WalletAdded},
    /// {WalletRemoved}). Requirements: the caller is `registry`.
    function writeBinding(address wallet, uint256 word, bytes32 investorId) external {
        if (msg.sender != registry) revert PartyWordStoreUnauthorized(msg.sender);
        _words[wallet] = word;
        _investorIds[wallet] = investorId;
    }

    /// @inheritdoc IInvestorWords
    function investorWord(address wallet) external view returns (uint256 word, bytes32 investorId) {
        return (_words[wallet], _investorIds[wallet]);
    }

    /// @notice The id of the investor `wallet` is bound to (zero when unbound), as the registry's
    /// `investorOf`.
    /// @param wallet The wallet.
    function investorIdOf(address wallet) external view returns (bytes32) {
        return _investorIds[wallet];
    }

    /// @inheritdoc IPartyWords
    function partyWord(address wallet) external view returns (uint256) {
        return _words[wallet];
    }

    /// @inheritdoc IPartyWords
    function partyWords(address from, address to) external view returns (uint256, uint256) {
        return (_words[from], _words[to]);
    }
}
