// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ScaleSteps
/// @notice The registry share's multiplier schedule: every split adds a scale step whose
/// multiplier (1e18 = one token per unit) is kept per step, and a record written at an older step
/// is rescaled when read, one step at a time.
/// @dev Note: invariants:
/// - `rescale(a, s, t)` is `a` carried from step `s` to step `t >= s` one step at a time,
///   `a = a * m[k + 1] / m[k]` rounded down at each step: the result depends on the history only,
///   never on when the record is read (finding 13.7); `rescale(a, s, s) == a`;
/// - `unitsUp(a, m)` is `ceil(a * 1e18 / m)` (exact at `m == 1e18`): what an issue or a token
///   mint adds to the total units, rounded against the minter.
library ScaleSteps {
    uint256 private constant ONE = 1e18;

    /// @notice `amount` written at step `from`, at step `to`: one read per missed step.
    /// @param multipliers The schedule: step => multiplier.
    function rescale(
        mapping(uint256 step => uint256 multiplier) storage multipliers,
        uint256 amount,
        uint256 from,
        uint256 to
    ) internal view returns (uint256) {
        if (from == to || amount == 0) return amount;
        uint256 m = multipliers[from];
        for (uint256 s = from + 1; s <= to; ++s) {
            uint256 next = multipliers[s];
            amount = amount * next / m;
            m = next;
        }
        return amount;
    }

    /// @notice Units worth `amount` tokens at multiplier `m`, rounded up.
    function unitsUp(uint256 amount, uint256 m) internal pure returns (uint256) {
        return m == ONE ? amount : (amount * ONE + m - 1) / m;
    }
}
