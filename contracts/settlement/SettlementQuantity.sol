// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ICrosschainAsset} from "../interfaces/ICrosschainAsset.sol";

/// @title SettlementQuantity
/// @notice Converts escrowed token amounts across corporate actions for the settlement contracts.
/// @dev An asset of the suite exposes `multiplier()` (1e18 = one token per stored unit); a split
/// while tokens sit in escrow changes the escrow's balance. Escrow contracts record the multiplier
/// (or the units) when they take tokens in and scale the quantity they give out, so a 2:1 split in
/// escrow delivers twice the tokens instead of stranding half of them. A token without
/// `multiplier()` (a plain ERC20) counts as a constant 1e18.
library SettlementQuantity {
    /// @dev The multiplier scale: 1e18 = one token per unit.
    uint256 internal constant ONE = 1e18;

    /// @notice The asset's current multiplier, 1e18 when it has none.
    function multiplierOf(address asset) internal view returns (uint256) {
        try ICrosschainAsset(asset).multiplier() returns (uint256 m) {
            return m == 0 ? ONE : m;
        } catch {
            return ONE;
        }
    }

    /// @notice The asset's corporate-action epoch, 0 when it has none (a plain ERC20 never has a
    /// corporate action).
    function epochOf(address asset) internal view returns (uint64) {
        try ICrosschainAsset(asset).corporateActionEpoch() returns (uint64 epoch) {
            return epoch;
        } catch {
            return 0;
        }
    }

    /// @notice Stored units of a token amount, rounded down.
    function toUnits(address asset, uint256 amount) internal view returns (uint256) {
        return Math.mulDiv(amount, ONE, multiplierOf(asset));
    }

    /// @notice Stored units of a token amount, rounded up (what a transfer of `amount` costs the
    /// sender).
    function toUnitsCeil(address asset, uint256 amount) internal view returns (uint256) {
        return Math.mulDiv(amount, ONE, multiplierOf(asset), Math.Rounding.Ceil);
    }

    /// @notice Token amount of stored units at the current multiplier, rounded down.
    function toAmount(address asset, uint256 units) internal view returns (uint256) {
        return Math.mulDiv(units, multiplierOf(asset), ONE);
    }

    /// @notice `amount` taken in at `multiplierThen`, expressed at the current multiplier (exact
    /// when no corporate action happened, rounded down otherwise).
    function rescale(address asset, uint256 amount, uint256 multiplierThen) internal view returns (uint256) {
        uint256 multiplierNow = multiplierOf(asset);
        return multiplierNow == multiplierThen ? amount : Math.mulDiv(amount, multiplierNow, multiplierThen);
    }
}
