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
/// @dev AMOUNTS AND UNITS. The ERC-7802 functions `crosschainMint` / `crosschainBurn` take TOKEN
/// amounts, as the standard is written: the balance changes by exactly `amount` and the
/// `CrosschainMint` / `CrosschainBurn` events carry it (a third-party bridge can use them as is).
/// The suite's gateway uses its own split-safe path, `crosschainMintUnits` / `crosschainBurnUnits`:
/// a cross-chain message carries *stored units*, the quantity a corporate action does not change
/// (tokens = units * multiplier / 1e18), so a split on the home chain while a message is in flight
/// cannot mint the wrong amount. Those emit the ERC-7802 events with the token amount that really
/// moved. For an asset without a multiplier, units == tokens.
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

    /// @notice Restriction code (0 = allowed) for refunding `units` to `to` (a Return of a refused
    /// or expired transfer that `to` sent). A refund restores a position the holder had: only rules
    /// about the holder itself (sanctions, freeze, eligibility) may refuse it, never a global rule
    /// another party can change (holder count, minimum holding, rate limits).
    function crosschainRefundRestriction(address to, uint256 units) external view returns (uint8);

    /// @notice Mints `units` stored units to `to` for the gateway (split-safe path).
    /// @return amount The tokens credited (rounded down, against the recipient).
    /// @dev Emits {CrosschainMint} with `amount`. Only the gateway.
    function crosschainMintUnits(address to, uint256 units) external returns (uint256 amount);

    /// @notice Burns `units` stored units from `from` for the gateway (split-safe path).
    /// @return amount The tokens debited (rounded up, against the sender).
    /// @dev Emits {CrosschainBurn} with `amount`. Only the gateway.
    function crosschainBurnUnits(address from, uint256 units) external returns (uint256 amount);

    /// @notice Applies a corporate action decided on the home chain. Only the gateway, and only
    /// on a chain other than the home chain.
    /// @dev Emits {CorporateActionSynced}. Requirements: `epoch` is newer than the current one.
    function syncCorporateAction(uint64 epoch, uint256 newMultiplier) external;
}
