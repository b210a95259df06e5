// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TrackerCertificate} from "../../assets/TrackerCertificate.sol";

/// @title TrackerCertificateV2Mock
/// @notice Test-only second version of the TrackerCertificate: everything of v1 (its constructor
/// creates its own {CertificateExtension}), a {version} that says 2 and {storedMultiplier}, a new
/// view of the stored multiplier. It adds no state (a new version that needs some puts it in the
/// certificate's ERC-7201 namespace, `tokenized-stocks.storage.TrackerCertificate`).
/// @dev Used by the upgrade tests to show that an upgrade keeps every balance, the multiplier, the
/// frozen tokens and the redemptions of v1, and that the new code is live. It has no state to seed,
/// hence no initializer of its own (v1's `initialize` is inherited, and refused on a live proxy).
/// @custom:oz-upgrades-from TrackerCertificate
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract TrackerCertificateV2Mock is TrackerCertificate {
    /// @notice The implementation's version.
    function version() external pure returns (string memory) {
        return "2";
    }

    /// @notice The multiplier as stored (before a pending update or the fee is applied).
    function storedMultiplier() external view returns (uint256) {
        return _cs().multiplier;
    }
}
