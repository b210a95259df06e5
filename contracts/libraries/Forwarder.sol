// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Forwarder
/// @notice The suite's one delegatecall forwarder: an asset too big for EIP-170 keeps its hot path
/// and forwards its other selectors to an extension (logic only, no state of its own) that runs on
/// the asset's storage, with its roles, address and events. Used by {TrackerCertificate}
/// (-> {CertificateExtension}) and {RegistryShare} (-> {ShareExtension}).
/// @dev Note: invariants:
/// - {forward} and {forwardView} never return to the caller's Solidity code: they end the call with
///   the extension's returndata (RETURN) or its revert data (REVERT), unchanged;
/// - the calldata is passed whole (selector included), so the extension's function of the same
///   selector decodes (checks) the arguments itself;
/// - {forwardView} is {forward} seen as a view: the extension's function for a view selector is a
///   view, so the delegatecall writes nothing (and reverts if reached through STATICCALL and it tried).
/// The only assembly of the two assets' forwarding (scratch memory from 0: the call never returns
/// to Solidity code, so the free memory pointer is not needed afterwards).
library Forwarder {
    // slither-disable-start assembly

    /// @notice Runs `extension`'s code for this call's selector on the caller's storage and ends
    /// the call with its returndata (or reverts with it).
    /// @param extension The extension (the caller's immutable: never a user-supplied address).
    /// @custom:oz-upgrades-unsafe-allow delegatecall
    function forward(address extension) internal {
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), extension, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }

    /// @notice {forward} from a view function (see the invariants above).
    /// @param extension The extension (the caller's immutable).
    function forwardView(address extension) internal view {
        function(address) internal run = forward;
        function(address) internal view asView;
        assembly {
            asView := run
        }
        asView(extension);
    }

    // slither-disable-end assembly
}
