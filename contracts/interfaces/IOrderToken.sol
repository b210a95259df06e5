// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICrosschainAsset} from "./ICrosschainAsset.sol";
import {IERC1404} from "./IERC1404.sol";

/// @title IOrderToken
/// @notice The per-stock token of the mint-on-order architecture: it exists only because an order
/// was executed. Minted and burned by the order desk (and by the gateway across chains); transfers
/// are free except to or from sanctioned or frozen wallets, and stop while the asset or the whole
/// desk is paused.
interface IOrderToken is ICrosschainAsset, IERC1404 {
    /// @notice The asset (or every asset, through the desk) is paused.
    error OrderTokenPaused(bytes32 assetId);
    /// @notice `account` is on the sanctions list.
    error OrderTokenSanctioned(address account);
    /// @notice `account` is frozen on this token or its investor is frozen in the registry.
    error OrderTokenFrozen(address account);
    /// @notice Only the order desk may call this function.
    error OrderTokenUnauthorizedDesk(address caller);
    /// @notice The requested freeze state is already in place.
    error OrderTokenFreezeUnchanged(address account, bool frozen);
    /// @notice A corporate action changed the multiplier, which this architecture keeps at 1e18.
    error OrderTokenUnsupportedMultiplier(uint256 multiplier);
    /// @notice A corporate action was synced on the home chain, where only the issuer decides them.
    error OrderTokenSyncOnHomeChain();
    /// @notice Orders mint and burn this token only on its home chain (elsewhere only the gateway).
    error OrderTokenNotHomeChain(uint256 homeChainId, uint256 chainId);
    /// @notice The zero address was given where a contract is required.
    error OrderTokenZeroAddress();
    /// @notice `setFrozenTokens` was asked to freeze more than `MAX_FROZEN_TOKENS`.
    error OrderTokenFrozenAmountTooLarge(uint256 amount, uint256 maxAmount);

    /// @notice The compliance officer froze or unfroze a wallet on this token.
    event WalletFrozen(address indexed account, bool frozen, address indexed by);
    /// @notice Balance changes now ask `isSanctioned` of `reader` (the sanctions list's plain
    /// SanctionsStore, or the list itself).
    event SanctionsReaderSet(address indexed reader);

    /// @notice Mints `amount` to `to` for an executed buy order.
    /// @dev Requirements: the caller is the order desk; this is the token's home chain; the
    /// transfer checks pass for `to`.
    function mint(address to, uint256 amount) external;

    /// @notice Burns `amount` of `from` for an executed sell order.
    /// @dev Requirements: the caller is the order desk; this is the token's home chain; the
    /// transfer checks pass for `from`.
    function burn(address from, uint256 amount) external;

    /// @notice The order desk that mints and burns this token (immutable).
    function desk() external view returns (address);

    /// @notice Whether transfers of this asset are paused (per asset; the desk pauses all assets).
    function paused() external view returns (bool);

    /// @notice Whether `account` is frozen on this token (the registry freeze is checked separately).
    function isFrozen(address account) external view returns (bool);
}
