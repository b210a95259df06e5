// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Gateway} from "../gateway/Gateway.sol";

/// @title GatewayDirect
/// @notice Bench-only: the Gateway's code used directly, without a proxy in front (set up in its
/// constructor, as the Gateway was before it became upgradeable), so the bench can show what the
/// proxy costs. Never deployed by the suite.
contract GatewayDirect is Gateway {
    /// @param admin Receives DEFAULT_ADMIN_ROLE and PAUSER_ROLE.
    /// @param initialOperators The operator set (distinct, non-zero).
    /// @param threshold Signatures needed to attest a message (1..operators).
    constructor(address admin, address[] memory initialOperators, uint256 threshold) {
        _setUp(admin, initialOperators, threshold);
    }
}
