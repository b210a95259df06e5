// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CertificateSanctions} from "./CertificateSanctions.sol";
import {CertificateMultiplier} from "./CertificateMultiplier.sol";
import {CertificateAccount} from "../../libraries/CertificateAccount.sol";
import {ShareMultiplierMath} from "../../corporate/ShareMultiplierMath.sol";
import {IERC7943Fungible} from "../../interfaces/IERC7943.sol";

/// @title CertificateFreezes
/// @notice The tracker certificate's ERC-7943 frozen tokens and account eligibility (see "FROZEN
/// TOKENS" in {TrackerCertificate}): the transfer agent freezes an amount of an account's tokens
/// (`setFrozenTokens`, overwriting, possibly above the balance); the account may then move only
/// its balance minus that amount.
/// @dev Note: invariants:
/// - a frozen amount is stored like a balance, in tokens at the multiplier it was written at, and
///   read at the current multiplier rounded UP ({ShareMultiplierMath.rescaleUp}): exact while the
///   multiplier does not change; a split scales it like the balance it freezes (a 2:1 split
///   doubles both), never unfreezing a fraction of a token;
/// - the frozen-tokens flag of an account's balance slot is set exactly when its frozen amount is
///   not zero, so a balance change reads the frozen amount only for such accounts;
/// - only {setFrozenTokens} and a forced transfer taking frozen tokens change a frozen amount, and
///   both emit {Frozen} with the amount after the change.
abstract contract CertificateFreezes is CertificateSanctions, CertificateMultiplier, IERC7943Fungible {
    using CertificateAccount for uint256;
    using ShareMultiplierMath for uint256;

    /// @notice Sets the frozen amount of `account` to `amount` tokens (overwrites, like `approve`).
    /// @param account The holder; not zero.
    /// @param amount Tokens frozen from now on; may exceed the balance (it withholds future
    /// receipts); at most {MAX_FROZEN_TOKENS}. 0 unfreezes.
    /// @return result True.
    /// @dev Emits {Frozen} with `amount`. Works while paused. Requirements: caller has
    /// `TRANSFER_AGENT_ROLE`; `account` not zero; `amount` at most {MAX_FROZEN_TOKENS}.
    function setFrozenTokens(address account, uint256 amount)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (bool result)
    {
        if (account == address(0)) revert CertificateZeroAddress();
        if (amount > MAX_FROZEN_TOKENS) revert CertificateFrozenAmountTooLarge(amount, MAX_FROZEN_TOKENS);
        _storeFrozen(account, amount, _currentMultiplier());
        emit Frozen(account, amount);
        return true;
    }

    /// @notice Tokens frozen for `account` at the current multiplier (may exceed its balance).
    /// @param account The holder.
    function getFrozenTokens(address account) external view returns (uint256 amount) {
        return _frozenAt(account, _currentMultiplier());
    }

    /// @notice Whether `account` may send tokens: not the zero address and not sanctioned (the
    /// cached flag, and the oracle too in live mode). Account-level only, as ERC-7943 asks: the
    /// pause and the frozen tokens are rules of {canTransfer}.
    /// @param account The account asked about.
    function canSend(address account) external view returns (bool allowed) {
        return account != address(0) && !_isSanctioned(account, _cs().sanctionsList);
    }

    /// @notice Whether `account` may receive tokens: not the zero address and not sanctioned.
    /// Account-level only (see {canSend}).
    /// @param account The account asked about.
    function canReceive(address account) external view returns (bool allowed) {
        return account != address(0) && !_isSanctioned(account, _cs().sanctionsList);
    }

    /// @dev Writes the frozen amount of `account` at multiplier `m` (capped at
    /// {MAX_FROZEN_TOKENS}: a rescaled amount above it freezes every possible balance anyway) and
    /// sets the account's flag to match.
    function _storeFrozen(address account, uint256 amount, uint256 m) internal {
        if (amount > MAX_FROZEN_TOKENS) amount = MAX_FROZEN_TOKENS;
        // Casts: `amount` <= 2^176 - 1 (just capped), `m` <= MAX_MULTIPLIER = 2^80 - 1.
        // `== 0` tells an unfreeze (the slot is cleared for the refund) from a freeze, not a balance.
        TrackerCertificateStorage storage $ = _cs();
        // slither-disable-next-line incorrect-equality
        if (amount == 0) delete $.frozenTokens[account];
        else $.frozenTokens[account] = FrozenTokens({amount: uint176(amount), ref: uint80(m)});
        $.accounts[account] = $.accounts[account].withFrozen(amount != 0);
    }
}
