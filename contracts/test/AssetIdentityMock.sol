// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AssetIdentityUpgradeable} from "../assets/AssetIdentityUpgradeable.sol";

/// @notice Test-only: the identity base with nothing else, so its behaviour can be tested alone.
contract AssetIdentityMock is AssetIdentityUpgradeable {
    constructor(address admin, IdentityParams memory params) initializer {
        __AssetIdentity_init(params);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }
}
