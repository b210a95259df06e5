// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICrosschainAsset} from "./ICrosschainAsset.sol";
import {IERC1404} from "./IERC1404.sol";
import {ISanctionsSubscriber} from "./ISanctionsSubscriber.sol";

/// @title ITrackerCertificateTypes
/// @notice The tracker certificate's types, errors and events, apart from its functions: the base of
/// {ITrackerCertificate} and of the certificate's state ({CertificateStorage}), which {CertificateExtension}
/// shares without implementing the whole interface.
interface ITrackerCertificateTypes {
    // -----------------------------------------------------------------------------------------
    // Types
    // -----------------------------------------------------------------------------------------

    /// @notice Initializer arguments besides the identity.
    /// @param name ERC-20 name (also the EIP-712 domain name of permits).
    /// @param symbol ERC-20 symbol.
    /// @param admin Receives `DEFAULT_ADMIN_ROLE`.
    /// @param sanctionsList Chainalysis-style sanctions oracle; never zero.
    /// @param reserveFeed Proof-of-reserve feed (may be zero off the home chain).
    /// @param reserveHeartbeat Maximum age in seconds of a reserve report accepted for a mint.
    struct CertificateConfig {
        string name;
        string symbol;
        address admin;
        address sanctionsList;
        address reserveFeed;
        uint32 reserveHeartbeat;
    }

    /// @notice One scheduled corporate action, kept on chain forever (cancelled ones are removed).
    /// Two storage slots; multipliers never exceed 2^80, so 128 bits hold them.
    /// @param nonce Strictly increasing id chosen by the transfer agent.
    /// @param epoch The corporate-action epoch this action opens once active.
    /// @param scheduledAt Block time of scheduling.
    /// @param activationTime From this time on `multiplier()` returns `newMultiplier` (fee aside).
    /// @param previousMultiplier The multiplier the scheduler quoted (compare-and-swap).
    /// @param newMultiplier The multiplier at `activationTime`.
    struct MultiplierUpdate {
        uint64 nonce;
        uint64 epoch;
        uint40 scheduledAt;
        uint40 activationTime;
        uint128 previousMultiplier;
        uint128 newMultiplier;
    }

    /// @notice Life cycle of a redemption request.
    enum RedemptionStatus {
        None,
        Requested,
        Settled
    }

    /// @notice A redemption request: the tokens are already burned when it exists. Recorded in
    /// split-invariant form: `shares` at `multiplier`; what is due later is `shares * multiplier()
    /// / multiplier` (see `redemptionSharesDue`).
    /// @param holder Who asked.
    /// @param status Life cycle.
    /// @param shares Tokens burned (= shares at the request's multiplier).
    /// @param units Units the burn removed from the total, `floor(shares * 1e18 / multiplier)`.
    /// @param multiplier The multiplier at the request.
    /// @param sharesSettled The shares due at settlement (0 until settled).
    struct Redemption {
        address holder;
        RedemptionStatus status;
        uint256 shares;
        uint256 units;
        uint256 multiplier;
        uint256 sharesSettled;
    }

    // -----------------------------------------------------------------------------------------
    // Errors
    // -----------------------------------------------------------------------------------------

    /// @notice `account` (sender, recipient or spender) is on the sanctions list.
    error CertificateSanctioned(address account);
    /// @notice The reserve feed has not been updated within the heartbeat.
    error CertificateStaleReserves(uint256 updatedAt, uint256 heartbeat, uint256 nowTime);
    /// @notice Supply on all chains after the mint would exceed attested reserves (both in shares).
    error CertificateReservesExceeded(uint256 requiredShares, uint256 reserveShares);
    /// @notice The quoted current multiplier is not the current multiplier (compare-and-swap).
    error CertificateMultiplierMismatch(uint256 quoted, uint256 current);
    /// @notice The nonce is not above the last one used.
    error CertificateStaleNonce(uint64 nonce, uint64 lastNonce);
    /// @notice A multiplier outside `[MIN_MULTIPLIER, MAX_MULTIPLIER]`.
    error CertificateInvalidMultiplier(uint256 multiplier);
    /// @notice The activation time is in the past.
    error CertificateInvalidActivation(uint256 activationTime, uint256 nowTime);
    /// @notice Another update is scheduled and not yet active; cancel it first.
    error CertificateUpdatePending(uint64 nonce, uint256 activationTime);
    /// @notice No update is pending (or it is already active), nothing to cancel.
    error CertificateNoPendingUpdate(uint64 nonce);
    /// @notice The function only runs on the home chain.
    error CertificateNotHomeChain(uint256 chainId, uint256 homeChainId);
    /// @notice The function only runs on a chain other than the home chain.
    error CertificateOnHomeChain(uint256 chainId);
    /// @notice A management fee above `MAX_FEE_PER_PERIOD` or a zero period.
    error CertificateInvalidFee(uint256 feePerPeriod, uint256 periodLength);
    /// @notice The feed is zero or reports with more than 18 decimals.
    error CertificateInvalidFeed(address feed);
    /// @notice The zero address was given where a contract or account is required.
    error CertificateZeroAddress();
    /// @notice A zero amount, or one worth zero units at the current multiplier.
    error CertificateZeroAmount();
    /// @notice `account` holds fewer units than `needed`.
    error CertificateInsufficientUnits(address account, uint256 units, uint256 needed);
    /// @notice No redemption request has this id.
    error CertificateUnknownRedemption(uint256 requestId);
    /// @notice The redemption request was already settled.
    error CertificateRedemptionAlreadySettled(uint256 requestId);
    /// @notice An index past the end of the multiplier history.
    error CertificateUnknownUpdate(uint256 index);
    /// @notice The units in existence would exceed `maxUnits` (the top bit of a holder's slot is
    /// its cached sanctions flag).
    error CertificateUnitsOverflow(uint256 totalUnits, uint256 maxUnits);
    /// @notice `setFrozenTokens` was asked to freeze more than `MAX_FROZEN_TOKENS`.
    error CertificateFrozenAmountTooLarge(uint256 amount, uint256 maxAmount);

    // -----------------------------------------------------------------------------------------
    // Events
    // -----------------------------------------------------------------------------------------

    /// @notice The sanctions oracle was replaced.
    event SanctionsListSet(address indexed sanctionsList);
    /// @notice The cached sanctions flag of `account` changed to `sanctioned` (synced from the oracle).
    event SanctionsSynced(address indexed account, bool sanctioned);
    /// @notice Live screening (an oracle call per party on every balance change) was turned on or off.
    event LiveScreeningSet(bool enabled);
    /// @notice The proof-of-reserve feed or its heartbeat was replaced.
    event ReserveFeedSet(address indexed feed, uint32 heartbeat, uint8 feedDecimals);
    /// @notice A multiplier update was scheduled (it opens `epoch` at `activationTime`).
    event MultiplierUpdateScheduled(
        uint64 indexed nonce,
        uint64 indexed epoch,
        uint256 previousMultiplier,
        uint256 newMultiplier,
        uint256 activationTime
    );
    /// @notice A pending multiplier update was cancelled before its activation.
    event MultiplierUpdateCancelled(uint64 indexed nonce);
    /// @notice The management fee changed (`feePerPeriod` in 1e18 = 100% per period).
    event ManagementFeeSet(uint256 feePerPeriod, uint256 periodLength);
    /// @notice Fee periods were folded into the stored multiplier (anyone may trigger it).
    event ManagementFeeAccrued(uint256 periods, uint256 multiplier);
    /// @notice Units asked of a units function (beside the ERC-20 {Transfer} of the tokens moved).
    event UnitsTransferred(address indexed from, address indexed to, uint256 units);
    /// @notice A holder asked for redemption; the tokens are burned. `shares` is the quantity of
    /// the underlying the custodian delivers or sells, 18 decimals.
    event RedemptionRequested(
        uint256 indexed requestId, address indexed holder, bytes32 indexed assetId, uint256 shares, uint256 units
    );
    /// @notice The custodian delivered (or sold) `shares` for a redemption: the requested shares
    /// rescaled by the corporate actions since the request.
    event RedemptionSettled(uint256 indexed requestId, bytes32 settlementRef, uint256 shares);
    /// @notice A scheduled multiplier update took effect (emitted by the first balance change or
    /// administrative call after its activation time; balances changed at the activation time).
    event CorporateActionActivated(uint64 indexed nonce, uint64 indexed epoch, uint256 multiplier);
    /// @notice The stored balance of `account` was materialised at `multiplier` (its first balance
    /// change after a multiplier change): `previousBalance` at the old multiplier is now
    /// `newBalance`. Transfers plus these deltas reproduce every balance exactly.
    event BalanceRescaled(address indexed account, uint256 previousBalance, uint256 newBalance, uint256 multiplier);
}

/// @title ITrackerCertificate
/// @notice The inventory tracker certificate (Backed / xStocks model): freely transferable tokens
/// minted against shares a custodian holds, with a share multiplier for corporate actions, a
/// management fee, redemption and proof-of-reserve-gated minting.
/// @dev UNITS and TOKENS. Units are the split-invariant quantity (tokens = units * multiplier /
/// 1e18); cross-chain messages carry them. Balances are stored in tokens, with the multiplier they
/// were last written at, and rescaled lazily, so ERC-20 transfers are exact at every multiplier. One token (18 decimals) stands for
/// one underlying share held in custody, so after a 2:1 split both the token balances and the
/// custodian's share count double.
interface ITrackerCertificate is ITrackerCertificateTypes, ICrosschainAsset, IERC1404, ISanctionsSubscriber {
    // -----------------------------------------------------------------------------------------
    // Functions
    // -----------------------------------------------------------------------------------------

    /// @notice Mints `amount` tokens to `to` against attested reserves (home chain only).
    function mint(address to, uint256 amount) external;

    /// @notice Units held by `account` (the quantity a corporate action does not change).
    function unitsOf(address account) external view returns (uint256);

    /// @notice Units in existence on this chain.
    function totalUnits() external view returns (uint256);

    /// @notice Moves `ceil(units * multiplier / 1e18)` tokens from the caller to `to`.
    function transferUnits(address to, uint256 units) external returns (bool);

    /// @notice Moves `ceil(units * multiplier / 1e18)` tokens from `from` to `to` using the
    /// caller's allowance (spent by the same amount).
    function transferUnitsFrom(address from, address to, uint256 units) external returns (bool);

    /// @notice Schedules a multiplier update (compare-and-swap on the current multiplier).
    function scheduleMultiplierUpdate(
        uint256 currentMultiplier,
        uint256 newMultiplier,
        uint64 activationTime,
        uint64 nonce
    ) external;

    /// @notice Cancels the pending update `nonce` before its activation.
    function cancelMultiplierUpdate(uint64 nonce) external;

    /// @notice The multiplier `multiplier()` will return at `timestamp` (now or later).
    function multiplierAt(uint256 timestamp) external view returns (uint256);

    /// @notice Number of entries in the multiplier history.
    function multiplierUpdateCount() external view returns (uint256);

    /// @notice Entry `index` of the multiplier history.
    function multiplierUpdate(uint256 index) external view returns (MultiplierUpdate memory);

    /// @notice Sets the management fee charged by decaying the multiplier once per period.
    function setManagementFee(uint64 feePerPeriod, uint32 periodLength) external;

    /// @notice Folds elapsed fee periods into the stored multiplier; O(log periods), bounded.
    function accrueFee() external;

    /// @notice Burns `shares` tokens of the caller and opens a redemption request.
    function requestRedemption(uint256 shares) external returns (uint256 requestId);

    /// @notice Marks a redemption request settled.
    function settleRedemption(uint256 requestId, bytes32 settlementRef) external;

    /// @notice A redemption request.
    function redemption(uint256 requestId) external view returns (Redemption memory);

    /// @notice Shares the custodian owes for a request: while pending, the requested shares
    /// rescaled to the current multiplier (rounded down); once settled, what was recorded.
    function redemptionSharesDue(uint256 requestId) external view returns (uint256);

    /// @notice The sanctions rule of every balance change for `account` (the cached flag, and the
    /// oracle too in live mode).
    function isSanctioned(address account) external view returns (bool);

    /// @notice Attested reserves in shares (18 decimals), their report time and freshness.
    function reserves() external view returns (uint256 shares, uint256 updatedAt, bool fresh);

    /// @notice Tokens the minter could still mint now without exceeding reserves (0 when stale).
    function mintableShares() external view returns (uint256);

    /// @notice Replaces the sanctions oracle (the cached flags are kept; re-sync them).
    function setSanctionsList(address newList) external;

    /// @notice Copies the oracle's current answer for each of `accounts` into the cached flags.
    function syncSanctions(address[] calldata accounts) external;

    /// @notice The cached sanctions flag of `account` (what a balance change checks).
    function isSanctionedCached(address account) external view returns (bool);

    /// @notice Turns live screening on or off (an oracle call per party on every balance change).
    function setLiveScreening(bool enabled) external;

    /// @notice Replaces the reserve feed and its heartbeat.
    function setReserveFeed(address feed, uint32 heartbeat) external;

    /// @notice Replaces the gateway.
    function setGateway(address newGateway) external;

    /// @notice Pauses every balance change.
    function pause() external;

    /// @notice Ends a pause.
    function unpause() external;
}
