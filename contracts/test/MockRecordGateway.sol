// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGatewaySupply} from "../interfaces/IGatewaySupply.sol";

/// @notice Test-only: a home-chain gateway for the dividend tests, whose `supplyElsewhere` is set
/// by hand and that forwards any call (mint, burn, in-flight credit) so the asset sees it as the
/// gateway.
contract MockRecordGateway is IGatewaySupply {
    mapping(bytes32 assetId => uint256) private _elsewhere;

    /// @notice Sets the units counted as living on other chains or in flight.
    function setSupplyElsewhere(bytes32 assetId, uint256 units) external {
        _elsewhere[assetId] = units;
    }

    /// @inheritdoc IGatewaySupply
    function supplyElsewhere(bytes32 assetId) external view returns (uint256) {
        return _elsewhere[assetId];
    }

    /// @notice Calls `target` with `data` as the gateway, bubbling up a revert.
    function forward(address target, bytes calldata data) external returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call(data);
        if (!ok) {
            // slither-disable-next-line assembly
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
    }
}
