// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AssetIdentity} from "../assets/AssetIdentity.sol";

/// @notice Test-only: the identity base with nothing else, so its behaviour can be tested alone.
contract AssetIdentityMock is AssetIdentity {
    constructor(address admin, IdentityParams memory params) AssetIdentity(params) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }
}
