// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAssetIdentity} from "./IAssetIdentity.sol";

/// @title IERC7802 — crosschain mint and burn, callable only by the token's bridge.
interface IERC7802 {
    /// @notice Emitted when the bridge mints tokens.
    event CrosschainMint(address indexed to, uint256 amount, address indexed sender);
    /// @notice Emitted when the bridge burns tokens.
    event CrosschainBurn(address indexed from, uint256 amount, address indexed sender);

    /// @notice Mints `amount` to `to`. Only the token's gateway may call it.
    function crosschainMint(address to, uint256 amount) external;

    /// @notice Burns `amount` from `from`. Only the token's gateway may call it.
    function crosschainBurn(address from, uint256 amount) external;
}

/// @title ICrosschainAsset
/// @notice What the gateway needs from every asset of the suite, whatever its architecture.
/// @dev UNITS. `crosschainMint` / `crosschainBurn` amounts are *stored units*: the quantity that a
/// corporate action does not change (balance = units * multiplier / 1e18). A cross-chain message
/// carries units, so a split on the home chain while a message is in flight cannot mint the wrong
/// amount and no fraction is rounded away. For an asset without a multiplier, units == amount.
interface ICrosschainAsset is IAssetIdentity, IERC7802 {
    /// @notice The gateway is not the caller of a gateway-only function.
    error AssetUnauthorizedGateway(address caller);
    /// @notice A synced corporate action is older than the one already applied.
    error AssetStaleCorporateAction(uint64 epoch, uint64 currentEpoch);

    /// @notice The gateway of this chain changed.
    event GatewaySet(address indexed gateway);
    /// @notice A corporate action broadcast from the home chain was applied here.
    event CorporateActionSynced(uint64 indexed epoch, uint256 multiplier);

    /// @notice The gateway allowed to call the ERC-7802 functions and the sync.
    function gateway() external view returns (address);

    /// @notice Current share multiplier, 1e18 = 1 token per unit.
    function multiplier() external view returns (uint256);

    /// @notice Number of corporate actions applied so far; travels with every message.
    function corporateActionEpoch() external view returns (uint64);

    /// @notice Restriction code (0 = allowed) for delivering `units` to `to` from another chain.
    /// @dev Codes are the asset's ERC-1404 codes where it has them; the gateway records the code
    /// of a refused delivery and returns the tokens to the sender.
    function crosschainRestriction(address to, uint256 units) external view returns (uint8);

    /// @notice Applies a corporate action decided on the home chain. Only the gateway, and only
    /// on a chain other than the home chain.
    /// @dev Emits {CorporateActionSynced}. Requirements: `epoch` is newer than the current one.
    function syncCorporateAction(uint64 epoch, uint256 newMultiplier) external;
}
