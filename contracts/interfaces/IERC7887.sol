// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev Written from the text of ERC-7887 ("Cancelation for ERC-7540 Tokenized Vaults", draft):
/// names, parameter names, events and ERC-165 ids as the ERC publishes them (the claims return nothing there). The ERC's method
/// section names the claim events `ClaimCancelDepositRequest`/`ClaimCancelRedeemRequest`; its
/// event section (followed here) defines them as `CancelDepositClaim`/`CancelRedeemClaim`.

/// @title IERC7887Deposit
/// @notice Cancelation of asynchronous deposit Requests. ERC-165 id `0x8bf840e3`.
interface IERC7887Deposit {
    event CancelDepositRequest(address indexed controller, uint256 indexed requestId, address sender);
    event CancelDepositClaim(
        address indexed controller, address indexed receiver, uint256 indexed requestId, address sender, uint256 assets
    );

    /// @notice Requests cancelation of the full pending deposit Request.
    function cancelDepositRequest(uint256 requestId, address controller) external;

    /// @notice Whether a deposit cancelation is pending.
    function pendingCancelDepositRequest(uint256 requestId, address controller) external view returns (bool isPending);

    /// @notice Assets of cancelled deposit Requests to claim.
    function claimableCancelDepositRequest(uint256 requestId, address controller) external view returns (uint256 assets);

    /// @notice Claims the assets of cancelled deposit Requests to `receiver`.
    function claimCancelDepositRequest(uint256 requestId, address receiver, address controller) external;
}

/// @title IERC7887Redeem
/// @notice Cancelation of asynchronous redeem Requests. ERC-165 id `0xe76cffc7`.
interface IERC7887Redeem {
    event CancelRedeemRequest(address indexed controller, uint256 indexed requestId, address sender);
    event CancelRedeemClaim(
        address indexed controller, address indexed receiver, uint256 indexed requestId, address sender, uint256 shares
    );

    /// @notice Requests cancelation of the full pending redeem Request.
    function cancelRedeemRequest(uint256 requestId, address controller) external;

    /// @notice Whether a redeem cancelation is pending.
    function pendingCancelRedeemRequest(uint256 requestId, address controller) external view returns (bool isPending);

    /// @notice Shares of cancelled redeem Requests to claim.
    function claimableCancelRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);

    /// @notice Claims the shares of cancelled redeem Requests to `receiver`.
    function claimCancelRedeemRequest(uint256 requestId, address receiver, address owner) external;
}
