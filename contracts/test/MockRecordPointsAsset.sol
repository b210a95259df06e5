// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MockCrosschainAsset} from "./MockCrosschainAsset.sol";
import {IRecordPoints} from "../interfaces/IRecordPoints.sol";

/// @notice Test-only asset with record points: MockCrosschainAsset plus {IRecordPoints}, which
/// records the units the gateway credits as in flight (the registry share's real bookkeeping is
/// tested with the share itself).
contract MockRecordPointsAsset is MockCrosschainAsset, IRecordPoints {
    mapping(address account => uint256 units) private _credited;

    constructor(address admin, IdentityParams memory params) MockCrosschainAsset(admin, params) {}

    /// @inheritdoc IRecordPoints
    function creditInFlight(address to, uint256 units, uint64 sentEpoch) external {
        if (msg.sender != this.gateway()) revert AssetUnauthorizedGateway(msg.sender);
        uint64 current = this.corporateActionEpoch();
        if (sentEpoch > current) revert ShareRecordPointNotReached(sentEpoch, current);
        _credited[to] += units;
        emit InFlightCredited(to, units, sentEpoch, current);
    }

    /// @notice Units credited to `account` as in flight across a record point.
    function creditedInFlight(address account) external view returns (uint256) {
        return _credited[account];
    }

    /// @notice ERC-165: IRecordPoints besides what the mock supports.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IRecordPoints).interfaceId || super.supportsInterface(interfaceId);
    }
}
