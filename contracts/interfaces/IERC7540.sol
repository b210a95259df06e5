// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev The interfaces below are written from the texts of ERC-7575 ("Multi-Asset ERC-4626
/// Vaults") and ERC-7540 ("Asynchronous ERC-4626 Tokenized Vaults"): names, parameter names,
/// events and ERC-165 ids as the ERCs publish them. Nothing of this suite is added here; the
/// suite's own API of its vault is {IOrderVault}.

/// @title IERC7575
/// @notice ERC-7575: an ERC-4626 vault whose share token is a separate contract (`share()`), so
/// several vaults (one per asset) can share one share token. ERC-165 id `0x2f0a18c5`.
interface IERC7575 {
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    event Withdraw(
        address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares
    );

    /// @notice The token deposited into the vault.
    function asset() external view returns (address assetTokenAddress);

    /// @notice The share token (a separate ERC-20 contract).
    function share() external view returns (address shareTokenAddress);

    /// @notice Shares the vault would exchange for `assets` in an ideal scenario.
    function convertToShares(uint256 assets) external view returns (uint256 shares);

    /// @notice Assets the vault would exchange for `shares` in an ideal scenario.
    function convertToAssets(uint256 shares) external view returns (uint256 assets);

    /// @notice Total assets managed by the vault.
    function totalAssets() external view returns (uint256 totalManagedAssets);

    /// @notice Most assets `receiver` can deposit now.
    function maxDeposit(address receiver) external view returns (uint256 maxAssets);

    /// @notice Shares a deposit of `assets` would give now.
    function previewDeposit(uint256 assets) external view returns (uint256 shares);

    /// @notice Deposits `assets` and gives shares to `receiver`.
    function deposit(uint256 assets, address receiver) external returns (uint256 shares);

    /// @notice Most shares `receiver` can mint now.
    function maxMint(address receiver) external view returns (uint256 maxShares);

    /// @notice Assets a mint of `shares` would take now.
    function previewMint(uint256 shares) external view returns (uint256 assets);

    /// @notice Mints exactly `shares` to `receiver`.
    function mint(uint256 shares, address receiver) external returns (uint256 assets);

    /// @notice Most assets `owner` can withdraw now.
    function maxWithdraw(address owner) external view returns (uint256 maxAssets);

    /// @notice Shares a withdrawal of `assets` would take now.
    function previewWithdraw(uint256 assets) external view returns (uint256 shares);

    /// @notice Withdraws exactly `assets` to `receiver` for `owner`.
    function withdraw(uint256 assets, address receiver, address owner) external returns (uint256 shares);

    /// @notice Most shares `owner` can redeem now.
    function maxRedeem(address owner) external view returns (uint256 maxShares);

    /// @notice Assets a redemption of `shares` would give now.
    function previewRedeem(uint256 shares) external view returns (uint256 assets);

    /// @notice Redeems exactly `shares` of `owner`, giving assets to `receiver`.
    function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets);
}

/// @title IERC7575Share
/// @notice ERC-7575, share side: the vault of each asset. ERC-165 id `0xf815c03d`.
interface IERC7575Share {
    event VaultUpdate(address indexed asset, address vault);

    /// @notice The vault of `asset` for this share token (zero when none).
    function vault(address asset) external view returns (address);
}

/// @title IERC7540Operator
/// @notice ERC-7540 operators: an operator manages a controller's Requests. ERC-165 id `0xe3bc4e65`.
interface IERC7540Operator {
    event OperatorSet(address indexed controller, address indexed operator, bool approved);

    /// @notice Grants or revokes `operator` for the caller's Requests; returns true.
    function setOperator(address operator, bool approved) external returns (bool);

    /// @notice Whether `operator` is approved by `controller`.
    function isOperator(address controller, address operator) external view returns (bool status);
}

/// @title IERC7540Deposit
/// @notice ERC-7540 asynchronous deposits. ERC-165 id `0xce3bbe50`.
interface IERC7540Deposit {
    event DepositRequest(
        address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 assets
    );

    /// @notice Transfers `assets` from `owner` into the vault and submits a deposit Request.
    function requestDeposit(uint256 assets, address controller, address owner) external returns (uint256 requestId);

    /// @notice Assets of the Request in Pending state.
    function pendingDepositRequest(uint256 requestId, address controller) external view returns (uint256 pendingAssets);

    /// @notice Assets of the Request in Claimable state.
    function claimableDepositRequest(uint256 requestId, address controller)
        external
        view
        returns (uint256 claimableAssets);

    /// @notice Claims shares for `assets` of `controller`'s claimable deposit, to `receiver`.
    function deposit(uint256 assets, address receiver, address controller) external returns (uint256 shares);

    /// @notice Claims exactly `shares` of `controller`'s claimable deposit, to `receiver`.
    function mint(uint256 shares, address receiver, address controller) external returns (uint256 assets);
}

/// @title IERC7540Redeem
/// @notice ERC-7540 asynchronous redemptions. ERC-165 id `0x620ee8e4`.
interface IERC7540Redeem {
    event RedeemRequest(
        address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares
    );

    /// @notice Assumes control of `shares` from `owner` and submits a redeem Request.
    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);

    /// @notice Shares of the Request in Pending state.
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256 pendingShares);

    /// @notice Shares of the Request in Claimable state.
    function claimableRedeemRequest(uint256 requestId, address controller)
        external
        view
        returns (uint256 claimableShares);
}
