// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RegistryShare} from "../../assets/RegistryShare.sol";

/// @title RegistryShareV2Mock
/// @notice Test-only second version of the RegistryShare: everything of v1 (its constructor creates
/// its own {ShareExtension}), a {version} that says 2 and {partyWordStore}, a new view of the
/// word store the share reads the parties from. It adds no state (a new version that needs some
/// puts it in the share's ERC-7201 namespace, `tokenized-stocks.storage.RegistryShare`). Kept tiny:
/// the share's initcode carries its extension's, within a few hundred bytes of EIP-3860's limit.
/// @dev Used by the upgrade tests to show that an upgrade keeps the register (balances, investors'
/// holdings, frozen amounts, the split, snapshots, record points, lock-ups) and that the new code
/// is live. No state to seed, hence no initializer of its own (v1's `initialize` is inherited, and
/// refused on a live proxy).
/// @custom:oz-upgrades-from RegistryShare
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract RegistryShareV2Mock is RegistryShare {
    /// @notice The implementation's version: answered here now, before the fallback that carries
    /// v1's ERC-3643 `version()` to the extension.
    function version() external pure returns (string memory) {
        return "2";
    }

    /// @notice The registry's word store the transfers read the parties from.
    function partyWordStore() external view returns (address) {
        return address(_wordStore());
    }
}
