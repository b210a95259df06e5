// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title ShareMultiplierMath
/// @notice Conversions between stored units and tokens, and the closed-form fee decay, with every
/// rounding direction chosen so that rounding can never create tokens.
/// @dev Fixed point: a multiplier of 1e18 means one token per unit. Products use checked
/// arithmetic rather than 512-bit `mulDiv` (a transfer pays for two conversions): with multipliers
/// below 2^80 they overflow only for amounts above ~1e52 units or ~1e59 tokens, where the call
/// reverts instead of rounding; supply is bounded by attested reserves far below that.
///
/// Rounding rules (the invariant: the sum of balances NEVER exceeds `totalSupply`, and no sequence
/// of operations produces more tokens than units x multiplier):
/// - units -> tokens for a balance or the total supply: rounded DOWN. Each balance loses less than
///   one wei, so `totalSupply - sum(balances) < number of holders` (wei).
/// - tokens -> units a payer gives up (transfer, burn, redemption): rounded UP, against the payer.
///   Whoever holds `balanceOf >= value` holds enough units, and the recipient always gains at
///   least `value` tokens.
/// - tokens -> units credited by a mint: rounded DOWN, against the recipient.
/// - units -> tokens for a reserve check: rounded UP, against minting.
/// - the fee decay factor `(1 - fee)^n` and the decayed multiplier: rounded DOWN (the fee is never
///   undercharged by rounding; holders lose at most ~n_bits wei of multiplier precision).
/// - a stored token balance rescaled from the multiplier it was last written at to the current
///   one ({rescaleDown}): rounded DOWN, never above the exact value `balance * mNow / mRef`.
/// These properties are proven over bounded symbolic inputs by test/halmos/ShareMultiplierMath.t.sol.
library ShareMultiplierMath {
    /// @notice 1e18: multiplier and fee fixed-point scale.
    uint256 internal constant ONE = 1e18;

    /// @notice Tokens worth `units`, rounded down (balances, total supply).
    function toTokensDown(uint256 units, uint256 multiplier) internal pure returns (uint256) {
        return (units * multiplier) / ONE;
    }

    /// @notice Tokens worth `units`, rounded up (reserve checks, allowance spent by unit moves).
    function toTokensUp(uint256 units, uint256 multiplier) internal pure returns (uint256) {
        return Math.ceilDiv(units * multiplier, ONE);
    }

    /// @notice Units a payer gives up for `tokens`, rounded up. Reverts (division by zero) when
    /// the multiplier is zero.
    function toUnitsUp(uint256 tokens, uint256 multiplier) internal pure returns (uint256) {
        return Math.ceilDiv(tokens * ONE, multiplier);
    }

    /// @notice Units credited for `tokens`, rounded down.
    function toUnitsDown(uint256 tokens, uint256 multiplier) internal pure returns (uint256) {
        return (tokens * ONE) / multiplier;
    }

    /// @notice A token balance written at multiplier `mRef`, expressed at `mNow`, rounded down.
    /// @dev Exact (no arithmetic) when the multiplier did not change. Requirements: `mRef` not
    /// zero; `balance * mNow` fits 256 bits (balances are below 2^174 and multipliers below 2^80).
    function rescaleDown(uint256 balance, uint256 mNow, uint256 mRef) internal pure returns (uint256) {
        if (mNow == mRef) return balance;
        return (balance * mNow) / mRef;
    }

    /// @notice A frozen token amount set at multiplier `mRef`, expressed at `mNow`, rounded UP
    /// (against the holder: a corporate action never unfreezes a fraction of a frozen token).
    /// @dev Exact (no arithmetic) when the multiplier did not change. Requirements: `mRef` not
    /// zero; `amount * mNow` fits 256 bits (frozen amounts are below 2^176, multipliers below 2^80).
    function rescaleUp(uint256 amount, uint256 mNow, uint256 mRef) internal pure returns (uint256) {
        if (mNow == mRef) return amount;
        return Math.ceilDiv(amount * mNow, mRef);
    }

    /// @notice `multiplier * (1 - feePerPeriod)^periods`, rounded down, by exponentiation by
    /// squaring: O(log2 periods) iterations, at most 64 for any `periods` that fits in 64 bits.
    /// @param multiplier Multiplier to decay (1e18 scale).
    /// @param feePerPeriod Fee per period, 1e18 = 100%; must be below 1e18.
    /// @param periods Number of whole periods; gas grows with its bit length, not its value.
    function decay(uint256 multiplier, uint256 feePerPeriod, uint64 periods) internal pure returns (uint256) {
        if (periods == 0 || feePerPeriod == 0) return multiplier;
        return (multiplier * rpow(ONE - feePerPeriod, periods)) / ONE;
    }

    /// @notice `base^exponent` in 1e18 fixed point, rounded down at every step.
    /// @dev Requirements: `base <= 1e18` (so every product stays below 1e36).
    function rpow(uint256 base, uint64 exponent) internal pure returns (uint256 result) {
        result = ONE;
        // unchecked: base <= 1e18 and result <= 1e18, so every product is <= 1e36 < 2^256; the loop
        // runs once per bit of a 64-bit exponent, 64 times at most.
        unchecked {
            while (exponent != 0) {
                // Fixed-point exponentiation by squaring: each product is rescaled on purpose (rounding
                // down, documented above), so the division before the next multiplication is intended.
                // slither-disable-next-line divide-before-multiply
                if (exponent & 1 == 1) result = (result * base) / ONE;
                exponent >>= 1;
                if (exponent != 0) base = (base * base) / ONE;
            }
        }
    }
}
