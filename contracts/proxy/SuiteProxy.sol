// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

/// @title SuiteProxy
/// @notice The proxy in front of every upgradeable contract of the suite: OpenZeppelin's
/// ERC1967Proxy, unchanged. The implementation is UUPS: the upgrade function and who may call it
/// live in the implementation (`_authorizeUpgrade`), not here.
/// @dev Invariants (OZ's): the implementation address sits in the ERC-1967 slot and changes only
/// through the implementation's `upgradeToAndCall`; the initialiser runs in the proxy's own
/// deployment transaction, so no one can initialise it first. The contract exists so that the
/// suite's compilers emit the proxy's artifact; it adds nothing.
contract SuiteProxy is ERC1967Proxy {
    /// @notice Deploys the proxy and initialises it in the same transaction.
    /// @param implementation The UUPS implementation (must hold code).
    /// @param data The initialiser call (`abi.encodeCall(Impl.initialize, (...))`).
    constructor(address implementation, bytes memory data) payable ERC1967Proxy(implementation, data) {}
}
