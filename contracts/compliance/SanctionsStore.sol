// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISanctionsList} from "../interfaces/ISanctionsList.sol";

/// @title SanctionsStore
/// @notice A copy of a {SanctionsList}'s listings in a plain (not proxied) contract, written only by
/// the list that created it. Tokens on a hot path (the order token's mint, burn and transfer) ask
/// it `isSanctioned` without the list proxy's hop (an implementation-slot read and a delegatecall
/// to a cold account: ~4,700 gas per call), as the registry's PartyWordStore does for the wallets'
/// words.
/// @dev Invariants (NEVER violate): only `list` writes; every answer equals the list's own answer
/// for the same address (the list writes both in {SanctionsList-setSanctioned}, in one call); the
/// code never changes (no proxy): an upgrade of the list keeps this store, whose writer is the
/// list's proxy address. A list that is replaced (a new list, by governance) brings its own store:
/// readers find it through the list (`sanctionsStore()`), never through a setting of their own.
contract SanctionsStore is ISanctionsList {
    /// @notice The sanctions list (its proxy) that created this store: the only writer.
    address public immutable list;

    mapping(address account => bool) private _sanctioned;

    /// @notice The caller is not the list.
    error SanctionsStoreUnauthorized(address caller);

    /// @notice Created by the list (its proxy) in its initializer.
    constructor() {
        list = msg.sender;
    }

    /// @notice Writes `account`'s status.
    /// @param account The account.
    /// @param sanctioned Whether it is listed.
    /// @dev Emits nothing of its own: every write mirrors a change of the list in the same call, and
    /// the list emits that change's event ({SanctionsList-AddressSanctioned} or
    /// {SanctionsList-AddressUnsanctioned}), so an indexer reads one event per change.
    /// Requirements: the caller is `list`.
    function write(address account, bool sanctioned) external {
        if (msg.sender != list) revert SanctionsStoreUnauthorized(msg.sender);
        _sanctioned[account] = sanctioned;
    }

    /// @inheritdoc ISanctionsList
    function isSanctioned(address addr) external view returns (bool) {
        return _sanctioned[addr];
    }
}
