// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CertificateVault} from "../../assets/CertificateVault.sol";

/// @title CertificateVaultV2Mock
/// @notice Test-only second version of the CertificateVault: everything of v1, a {version} that says 2
/// and {certificate}, a new name for the wrapped asset. It adds no state (a new version that needs some
/// puts it in the vault's ERC-7201 namespace, `tokenized-stocks.storage.CertificateVault`).
/// @dev Used by the upgrade tests to show that an upgrade keeps every share and allowance of v1 and
/// that the new code is live. A proxy upgraded to it runs {initializeV2} (a reinitializer, which
/// upgrades-core does not count as an initializer): hence the one allowance below.
/// @custom:oz-upgrades-from CertificateVault
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract CertificateVaultV2Mock is CertificateVault {
    /// @notice Sets up version 2 on its upgrade (`upgradeToAndCall(v2, initializeV2())`); v2 has no
    /// state to seed, so it only moves the initialised version to 2.
    /// @dev Emits {Initialized}(2). Requirements: run once, through the proxy.
    function initializeV2() external reinitializer(2) {}

    /// @notice The implementation's version.
    function version() external pure returns (string memory) {
        return "2";
    }

    /// @notice The wrapped certificate (ERC-4626 `asset()` under the name v2 adds).
    function certificate() external view returns (address) {
        return asset();
    }
}
