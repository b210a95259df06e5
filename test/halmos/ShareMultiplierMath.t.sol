// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ShareMultiplierMath} from "../../contracts/corporate/ShareMultiplierMath.sol";

/// @notice Symbolic proofs (halmos) of the rounding rules of {ShareMultiplierMath}: no conversion,
/// rescale or decay creates value, over bounded symbolic inputs (amounts below 2^96 wei ~ 7.9e10
/// tokens, multipliers in the certificate's `[MIN_MULTIPLIER, MAX_MULTIPLIER]`).
/// @dev A `require` prunes a path (assumption); only a failed `assert` is a counterexample.
/// `make verify` runs it. The lazy rescale of a stored balance (`balance * mNow / mRef`, rounded
/// down, one or several steps) is proved through the share itself in RegistryShareExact.t.sol
/// (exact transfers after 3:2 and 1:10) and checked by the forge invariants and the Hypothesis
/// models: stated on the bare formula, the solver does not finish here. The multipliers range over the bounds and the uneven split ratios
/// (see {_multiplier}); the amounts are fully symbolic. The fully symbolic multiplier is exercised
/// by tests/properties/test_certificate_properties.py (exact model) and the forge campaign.
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

    /// @notice A payer giving up `toUnitsUp(v)` units gives up at least `v` tokens' worth.
    function check_unitsUp_cover_the_tokens(uint96 v, uint80 m_) public pure {
        uint256 m = _multiplier(m_);
        assert(ShareMultiplierMath.toTokensDown(ShareMultiplierMath.toUnitsUp(v, m), m) >= v);
    }

    /// @notice Units credited for `v` tokens are never worth more than `v`.
    function check_unitsDown_never_exceed_the_tokens(uint96 v, uint80 m_) public pure {
        uint256 m = _multiplier(m_);
        assert(ShareMultiplierMath.toTokensDown(ShareMultiplierMath.toUnitsDown(v, m), m) <= v);
    }

    /// @notice Tokens of units rounded down never exceed tokens rounded up, which exceed them by
    /// at most one wei.
    function check_tokens_down_and_up_bracket_the_exact_value(uint96 units, uint80 m_) public pure {
        uint256 m = _multiplier(m_);
        uint256 down = ShareMultiplierMath.toTokensDown(units, m);
        uint256 up = ShareMultiplierMath.toTokensUp(units, m);
        assert(down * 1e18 <= uint256(units) * m);
        assert(up * 1e18 >= uint256(units) * m);
        assert(up - down <= 1);
    }

    /// @notice Finding 20.12: at any multiplier in range, a non-zero number of units costs at
    /// least one wei of allowance (ceil), so an allowance check is never skipped by rounding.
    function check_units_never_cost_zero_tokens(uint96 units, uint80 m_) public pure {
        uint256 m = _multiplier(m_);
        require(units > 0);
        assert(ShareMultiplierMath.toTokensUp(units, m) >= 1);
    }

    /// @notice Fee decay, loop step: each squaring / multiplication of {ShareMultiplierMath-rpow}
    /// keeps `result <= 1e18` and `base <= 1e18` (so, by induction over the loop, `rpow <= 1e18`
    /// for any exponent; a symbolic 64-round loop is beyond the solver, the step is not).
    function check_rpow_step_never_exceeds_one(uint64 result_, uint64 base_) public pure {
        uint256 result = result_;
        uint256 base = base_;
        require(result <= 1e18 && base <= 1e18);
        assert((result * base) / 1e18 <= result);
        assert((base * base) / 1e18 <= base);
    }

    /// @notice Fee decay, final step: a multiplier times a factor `<= 1e18`, rounded down, never
    /// exceeds the multiplier. With the loop step above: `decay(m, fee, n) <= m` for every `n`.
    function check_decay_factor_never_increases(uint80 m_, uint64 factor) public pure {
        uint256 m = _multiplier(m_);
        require(factor <= 1e18);
        assert((m * factor) / 1e18 <= m);
    }
}
