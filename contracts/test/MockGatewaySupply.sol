// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICrosschainAsset} from "../interfaces/ICrosschainAsset.sol";
import {IGatewaySupply} from "../interfaces/IGatewaySupply.sol";

/// @notice Test-only: a gateway whose `supplyElsewhere` is set by hand and that forwards the
/// gateway-only calls of an asset, so the asset sees the mock as `msg.sender`.
contract MockGatewaySupply is IGatewaySupply {
    mapping(bytes32 assetId => uint256) private _elsewhere;

    /// @notice Sets the units counted as living on other chains.
    function setSupplyElsewhere(bytes32 assetId, uint256 units) external {
        _elsewhere[assetId] = units;
    }

    /// @inheritdoc IGatewaySupply
    function supplyElsewhere(bytes32 assetId) external view returns (uint256) {
        return _elsewhere[assetId];
    }

    /// @notice Calls `asset.crosschainMintUnits(to, units)` as the gateway.
    function mintOn(ICrosschainAsset asset, address to, uint256 units) external {
        asset.crosschainMintUnits(to, units);
    }

    /// @notice Calls `asset.crosschainBurnUnits(from, units)` as the gateway.
    function burnOn(ICrosschainAsset asset, address from, uint256 units) external {
        asset.crosschainBurnUnits(from, units);
    }

    /// @notice Calls `asset.syncCorporateAction(epoch, multiplier)` as the gateway.
    function syncOn(ICrosschainAsset asset, uint64 epoch, uint256 newMultiplier) external {
        asset.syncCorporateAction(epoch, newMultiplier);
    }
}
