// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

/// @notice Test-only: what every version of the upgradeable box shares (UUPS, roles, an initializer),
/// so that each Box mock differs from {BoxV1Mock} only in what the upgrade-safety check is about
/// (tests/unit/governance/test_upgrade_safety.py).
/// @dev Invariant: this base holds no state of its own; OpenZeppelin's parents keep theirs in their
/// ERC-7201 namespaces and each version keeps its own in `tokenized-stocks.storage.BoxMock`.
abstract contract BoxMockBase is Initializable, AccessControlUpgradeable, UUPSUpgradeable {
    /// @notice Emitted when the admin sets the box's value.
    event BoxValueSet(uint256 value, address indexed setter);

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializes the proxy: `admin` gets DEFAULT_ADMIN_ROLE (which also authorizes upgrades).
    /// @param admin The account that may set the value and upgrade.
    /// Emits a {RoleGranted} event.
    /// Requirements: the proxy is not initialized yet.
    function initialize(address admin) external initializer {
        __AccessControl_init();
        __UUPSUpgradeable_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @dev Only the admin upgrades.
    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}
}
