// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ITransferDiagnostic — why would this transfer fail?
/// @notice In the spirit of T-REX's UtilityChecker: for (from, to, amount), every rule the asset
/// applies to a transfer, each with pass or fail and its ERC-1404 code ({RestrictionCodes}); the
/// text of a code is `messageForTransferRestriction(code)` and is repeated in each result.
/// @dev Note: invariants every implementation keeps (each is a test):
/// - the first failing rule, in the order returned, is the code `detectTransferRestriction` returns;
/// - every rule passes exactly when `canTransfer(from, to, amount)` is true and a transfer succeeds.
interface ITransferDiagnostic {
    /// @notice One rule's verdict.
    /// @param code The ERC-1404 code this rule returns when it refuses.
    /// @param passed Whether the transfer satisfies the rule.
    /// @param message `messageForTransferRestriction(code)`.
    struct RuleCheck {
        uint8 code;
        bool passed;
        string message;
    }

    /// @notice Every rule applied to a transfer of `amount` from `from` to `to`, in evaluation order.
    function diagnoseTransfer(address from, address to, uint256 amount) external view returns (RuleCheck[] memory rules);
}
