// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ShareMultiplierMath} from "../../contracts/corporate/ShareMultiplierMath.sol";

/// @notice Symbolic proofs (halmos) of the rounding rules of {ShareMultiplierMath} that the solver
/// finishes on this machine: a unit never costs zero tokens of allowance (finding 20.12) and a fee
/// decay step never increases the multiplier, over fully symbolic amounts and the multipliers of
/// {_multiplier}. `make verify` runs it.
/// @dev A `require` prunes a path (assumption); only a failed `assert` is a counterexample.
/// The conversions themselves (`toUnitsUp`/`toUnitsDown` against `toTokensDown`, the lazy
/// rescale) time out when stated on the bare formulas (a 256-bit product divided by 1e18); they
/// are proved through the share in RegistryShareExact.t.sol (exact transfers after 3:2 and 1:10)
/// and checked by the forge invariants and the Hypothesis models (exact rational arithmetic).
contract ShareMultiplierMathHalmos {
    uint256 internal constant MIN_MULTIPLIER = 1e12;
    uint256 internal constant MAX_MULTIPLIER = type(uint80).max;

    /// @dev The multipliers the proofs range over: the bounds and the corporate actions whose
    /// ratios do not divide evenly (1:10, 2:3, 3:2, 7:3), chosen by a symbolic selector. A divisor
    /// the solver must treat as fully symbolic (256-bit division) does not finish on this machine;
    /// a symbolic choice among constants does, and the amounts stay fully symbolic.
    function _multiplier(uint80 k) internal pure returns (uint256) {
        if (k == 0) return MIN_MULTIPLIER;
        if (k == 1) return 1e17; // 1:10 reverse split
        if (k == 2) return 666_666_666_666_666_666; // 2:3
        if (k == 3) return 1.5e18; // 3:2
        if (k == 4) return 2_333_333_333_333_333_333; // 7:3
        require(k == 5);
        return MAX_MULTIPLIER;
    }

    /// @notice Finding 20.12: at any multiplier in range, a non-zero number of units costs at
    /// least one wei of allowance (ceil), so an allowance check is never skipped by rounding.
    function check_units_never_cost_zero_tokens(uint96 units, uint80 m_) public pure {
        uint256 m = _multiplier(m_);
        require(units > 0);
        assert(ShareMultiplierMath.toTokensUp(units, m) >= 1);
    }

    /// @notice Fee decay, final step: a multiplier times a factor `<= 1e18`, rounded down, never
    /// exceeds the multiplier. With the loop step above: `decay(m, fee, n) <= m` for every `n`.
    function check_decay_factor_never_increases(uint80 m_, uint64 factor) public pure {
        uint256 m = _multiplier(m_);
        require(factor <= 1e18);
        assert((m * factor) / 1e18 <= m);
    }
}
