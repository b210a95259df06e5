// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IInvestorRegistry} from "./IInvestorRegistry.sol";
import {IRecordPoints} from "./IRecordPoints.sol";

/// @title IRegistryShareTypes
/// @notice The registry share's restriction codes, errors and events, declared apart from
/// {IRegistryShare}'s functions so that {ShareExtension}, which runs on the share's storage,
/// shares them without implementing the share's views.
interface IRegistryShareTypes {
    /// @notice ERC-1404 restriction codes, one per rule (0 = transfer allowed).
    /// Mirrored in Python by `tokenized_stocks.registry_share.Restriction`.
    enum Restriction {
        None, //                       0 allowed
        Paused, //                     1 the asset is paused
        SenderNotVerified, //          2 sender wallet unbound in the registry or KYC expired
        RecipientNotVerified, //       3 recipient wallet unbound in the registry or KYC expired
        SenderInvestorFrozen, //       4 the registrar froze the sender's investor
        RecipientInvestorFrozen, //    5 the registrar froze the recipient's investor
        SenderWalletFrozen, //         6 the transfer agent froze the sender wallet
        RecipientWalletFrozen, //      7 the transfer agent froze the recipient wallet
        InsufficientUnfrozenBalance, // 8 amount exceeds balance minus frozen tokens
        LockedUp, //                   9 the sender's investor is in a lock-up period
        CountryNotAllowed, //         10 the recipient's country is not allowed
        MaxHolders, //                11 a new holder would exceed the maximum number of holders
        MaxCountryHolders, //         12 a new holder would exceed its country's holder cap
        BelowMinHolding, //           13 an investor would keep (or receive) less than the minimum
        AboveMaxHolding, //           14 the recipient investor would hold more than the maximum
        WalletInvestorMismatch //     15 the wallet's tokens belong to another investor than the
        //                               registry now binds it to (needs a wallet recovery)
    }

    // ------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------

    /// @notice A transfer, mint or burn was refused; `code` is the ERC-1404 restriction code.
    error ShareTransferRestricted(uint8 code);
    /// @notice A zero address was given where a wallet or contract is required.
    error ShareZeroAddress();
    /// @notice A transfer-agent action needs more tokens than the wallet holds.
    error ShareInsufficientBalance(address wallet, uint256 balance, uint256 needed);
    /// @notice Unfreezing more tokens than are frozen.
    error ShareInsufficientFrozenTokens(address wallet, uint256 frozen, uint256 needed);
    /// @notice The wallet is already in the requested frozen state.
    error ShareWalletFrozenStateUnchanged(address wallet, bool frozen);
    /// @notice The investor is not registered in the identity registry.
    error ShareUnknownInvestor(bytes32 investorId);
    /// @notice The investor has no wallet yet: per-asset records (lock-up) need one.
    error ShareInvestorWithoutWallet(bytes32 investorId);
    /// @notice A wallet recovery whose new wallet is not a verified wallet of the lost wallet's investor.
    error ShareInvalidRecovery(address lostWallet, address newWallet, bytes32 investorId);
    /// @notice A split ratio of zero, or one that makes the multiplier zero or too large.
    error ShareInvalidSplit(uint256 numerator, uint256 denominator);
    /// @notice The action is only possible on the asset's home chain (or only elsewhere).
    error ShareWrongChain(uint256 chainId, uint256 homeChainId);
    /// @notice `minHolding` is above a non-zero `maxHolding`.
    error ShareInvalidHoldingLimits(uint48 minHolding, uint48 maxHolding);
    /// @notice The snapshot does not exist yet.
    error ShareUnknownSnapshot(uint32 snapshotId, uint32 currentSnapshotId);
    /// @notice Units above the packed limit (2**128 - 1).
    error ShareUnitsOverflow(uint256 units);
    /// @notice A multiplier of zero or above the packed limit.
    error ShareInvalidMultiplier(uint256 multiplier);
    /// @notice Two arrays of one batch have different lengths.
    error ShareBatchLengthMismatch(uint256 length, uint256 otherLength);
    /// @notice `addAgent` of an agent, or `removeAgent` of a non-agent.
    error ShareAgentUnchanged(address agent, bool isAgent);

    // ------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------

    /// @notice The transfer agent issued new shares.
    event Issued(address indexed to, uint256 amount, string reason);
    /// @notice The transfer agent redeemed (burned) shares.
    event Redeemed(address indexed from, uint256 amount, string reason);
    /// @notice The transfer agent moved shares without the holder's consent (court order...).
    event ForcedTransfer(address indexed from, address indexed to, uint256 amount, string reason);
    /// @notice A lost wallet's shares, frozen tokens and freeze status moved to a new wallet.
    event RecoverySuccess(
        address indexed lostWallet, address indexed newWallet, bytes32 indexed investorId, string reason
    );
    /// @notice A wallet was frozen or unfrozen as a whole.
    event AddressFrozen(address indexed wallet, bool indexed isFrozen, address indexed agent, string reason);
    /// @notice Part of a wallet's balance was frozen.
    event TokensFrozen(address indexed wallet, uint256 amount, string reason);
    /// @notice Part of a wallet's frozen balance was released.
    event TokensUnfrozen(address indexed wallet, uint256 amount, string reason);
    /// @notice The asset was paused.
    event Paused(address indexed agent, string reason);
    /// @notice The asset was unpaused.
    event Unpaused(address indexed agent, string reason);
    /// @notice An investor's lock-up end was set (0 = no lock-up).
    event LockupSet(bytes32 indexed investorId, uint40 until, string reason);
    /// @notice A country was allowed or disallowed as a recipient country.
    event CountryAllowedSet(uint16 indexed country, bool allowed);
    /// @notice The allowed-country rule was switched on or off.
    event CountryRestrictionSet(bool enabled);
    /// @notice The maximum number of holders (investors) changed; 0 = unlimited.
    event MaxHoldersSet(uint32 maxHolders);
    /// @notice The holder cap of a country changed; 0 = unlimited.
    event CountryMaxHoldersSet(uint16 indexed country, uint32 maxHolders);
    /// @notice The per-investor holding limits changed, in whole shares (0 = no limit).
    event HoldingLimitsSet(uint48 minHolding, uint48 maxHolding);
    /// @notice A split or reverse split was applied on the home chain.
    event CorporateActionApplied(
        uint64 indexed epoch, uint256 numerator, uint256 denominator, uint256 newMultiplier, string reason
    );
    /// @notice A record-date snapshot was taken.
    event SnapshotTaken(uint32 indexed snapshotId, uint256 totalUnits, uint256 multiplier);
}

/// @title IRegistryShare
/// @notice The transfer-restricted registry share (ERC-3643 model): errors, events, restriction
/// codes and the transfer-agent API. Function names follow ERC-3643 where they fit
/// (`identityRegistry`, `isVerified`, `forcedTransfer`, `recoveryAddress`, `setAddressFrozen`,
/// `freezePartialTokens`, `unfreezePartialTokens`, `isFrozen`, `getFrozenTokens`); every
/// transfer-agent action additionally takes a `reason` (legal reference) carried by its event.
/// @dev The suite's variants differ from ERC-3643 (T-REX) by design:
/// - the extra `reason` argument changes the selectors of `setAddressFrozen`, `freezePartialTokens`,
///   `unfreezePartialTokens`, `forcedTransfer`, `pause` and `unpause`; `issue`/`redeem` are the
///   reason-carrying `mint`/`burn`; `recoveryAddress` takes the registry `investorId`;
/// - `identityRegistry()` is the suite's {IInvestorRegistry}, and the compliance rules live in the
///   token (ERC-1404 codes): `compliance()` is the share itself;
/// - the sender must be verified too (T-REX only verifies the recipient), and a frozen investor in
///   the registry blocks both sides;
/// - dividends and ballots are separate contracts reading record-date snapshots.
/// T-REX's own signatures (batch operations, `mint`/`burn`, `compliance()`, the no-reason freezes,
/// `recoveryAddress(lost, new, onchainID)`...) are {IShareExtension}'s, answered at the share's
/// address; ERC-7943 likewise (see {RegistryShare}); the README lists what is missing and why.
interface IRegistryShare is IRegistryShareTypes, IRecordPoints {
    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @notice The investor registry of this chain (ERC-3643 name).
    function identityRegistry() external view returns (IInvestorRegistry);

    /// @notice Whether the registry verifies `wallet` (ERC-3643 name).
    function isVerified(address wallet) external view returns (bool);

    /// @notice Whether the wallet is frozen as a whole by the transfer agent.
    function isFrozen(address wallet) external view returns (bool);

    /// @notice Tokens of `wallet` frozen by `freezePartialTokens` (in current tokens).
    function getFrozenTokens(address wallet) external view returns (uint256);

    /// @notice `wallet`'s balance in units, rounded down (balances are stored in tokens, exactly).
    function unitsOf(address wallet) external view returns (uint256);

    /// @notice Total units on this chain (split-invariant; totalSupply = totalUnits * multiplier / 1e18).
    function totalUnits() external view returns (uint256);

    /// @notice Shares held by all wallets of a registry investor.
    function investorBalance(bytes32 investorId) external view returns (uint256);

    /// @notice Number of investors (not wallets) with a non-zero balance.
    function holderCount() external view returns (uint256);

    /// @notice Number of holders counted for `country`.
    function countryHolderCount(uint16 country) external view returns (uint256);

    /// @notice The id of the latest snapshot (0 = none yet).
    function currentSnapshotId() external view returns (uint32);

    /// @notice `balanceAt(wallet, snapshotId)` in units of that snapshot's multiplier, rounded down.
    function unitsAt(address wallet, uint32 snapshotId) external view returns (uint256);

    /// @notice The wallet a lost wallet was recovered to (zero when never recovered).
    function recoveredTo(address lostWallet) external view returns (address);

    /// @notice The snapshot of this chain that stands for the record point of corporate-action
    /// `epoch` (a record date declared on the home chain): on the home chain the one taken with
    /// it, elsewhere the one taken when the first epoch >= `epoch` was synced; 0 when this chain
    /// has not reached it yet.
    function recordSnapshotOf(uint64 epoch) external view returns (uint32);

    /// @notice Units delivered to `wallet` on this chain that were in flight at the record point of
    /// `epoch` (sent before it anywhere, delivered here after it): they count at that point here.
    function inFlightUnitsAt(uint64 epoch, address wallet) external view returns (uint256);

    // ------------------------------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------------------------------

    /// @notice Takes a record-date snapshot now and returns its id.
    function snapshot() external returns (uint32);

    /// @notice Home chain: a record date for the whole security, on every chain. Takes a snapshot
    /// and opens a new corporate-action epoch (multiplier unchanged) that the gateway broadcasts;
    /// each other chain takes its snapshot for it when it syncs that epoch.
    function recordDate(string calldata reason) external returns (uint64 epoch, uint32 snapshotId);

    // ------------------------------------------------------------------------------------------
    // Exact amounts and record dates (share engineer, findings 13.7 / 13.8)
    // ------------------------------------------------------------------------------------------

    /// @notice More snapshots than the wallet slot can mark (2**24 - 2).
    error ShareSnapshotLimit(uint32 snapshotId);

    /// @notice Tokens `wallet` held at snapshot `snapshotId` (exactly its balance then).
    /// @dev Use this, not `unitsAt * multiplier`, for anything paid or weighted per share.
    function balanceAt(address wallet, uint32 snapshotId) external view returns (uint256);

    /// @notice Total supply at snapshot `snapshotId` (>= the sum of `balanceAt` over all wallets).
    function totalSupplyAt(uint32 snapshotId) external view returns (uint256);
}
