// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPartyWords} from "../interfaces/IPartyWords.sol";

/// @title PartyWordStore
/// @notice A copy of the investor registry's packed wallet words in a plain (not proxied) contract,
/// written only by the registry that created it. Tokens on a hot path (the registry share's
/// transfer) read a party's word here in one call, without the registry proxy's hop (an
/// implementation-slot read and a delegatecall to a cold account: ~4,700 gas per transfer), in the
/// manner of T-REX's IdentityRegistryStorage beside its IdentityRegistry.
/// @dev Invariants (NEVER violate): only `registry` writes; every word equals the registry's own
/// word for the same wallet (the registry writes both in one internal function, `_setWord`); the
/// code never changes (no proxy): an upgrade of the registry keeps this store, whose writer is the
/// registry's proxy address.
contract PartyWordStore is IPartyWords {
    /// @notice The registry (its proxy) that created this store: the only writer.
    address public immutable registry;

    mapping(address wallet => uint256 word) private _words;

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

    /// @inheritdoc IPartyWords
    function partyWord(address wallet) external view returns (uint256) {
        return _words[wallet];
    }

    /// @inheritdoc IPartyWords
    function partyWords(address from, address to) external view returns (uint256, uint256) {
        return (_words[from], _words[to]);
    }
}
