// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {AssetIdentity} from "../AssetIdentity.sol";
import {AggregatorV3Interface} from "../../interfaces/AggregatorV3Interface.sol";
import {ISanctionsList} from "../../interfaces/ISanctionsList.sol";
import {ITrackerCertificate} from "../../interfaces/ITrackerCertificate.sol";
import {RestrictionCodes} from "../../libraries/RestrictionCodes.sol";

/// @title CertificateStorage
/// @notice The tracker certificate's state, constants and access modifiers: the base of
/// {CertificateSanctions}, {CertificateMultiplier}, {CertificateRedemptions} and
/// {TrackerCertificate}.
/// @dev Note: invariants (see {TrackerCertificate} for the certificate's own):
/// - this is the ONLY contract of the certificate that declares storage; it comes right after
///   Pausable in the linearization, so `_paused`, `_sanctionsList`, `_multiplier` and `_flags`
///   share one slot, the only slot of this contract a transfer reads on the fast path;
/// - a holder's slot `_accounts[a]` is encoded and decoded by {CertificateAccount} only.
abstract contract CertificateStorage is AssetIdentity, ERC20Permit, Pausable, ITrackerCertificate {
    /// @notice Mints against reserves.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Pauses every balance change at once (unpausing is `DEFAULT_ADMIN_ROLE`'s).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Schedules and cancels corporate actions (multiplier updates); freezes tokens and
    /// forces transfers (ERC-7943 `setFrozenTokens`, `forcedTransfer`).
    bytes32 public constant TRANSFER_AGENT_ROLE = keccak256("TRANSFER_AGENT_ROLE");
    /// @notice Marks redemption requests settled.
    bytes32 public constant CUSTODIAN_ROLE = keccak256("CUSTODIAN_ROLE");

    /// @notice Multiplier at deployment: one token per unit.
    uint256 public constant INITIAL_MULTIPLIER = 1e18;
    /// @notice Lowest multiplier a corporate action may set (a 1:1,000,000 reverse split of 1e18).
    uint256 public constant MIN_MULTIPLIER = 1e12;
    /// @notice Highest multiplier: what fits the 80-bit storage field.
    uint256 public constant MAX_MULTIPLIER = type(uint80).max;
    /// @notice Highest management fee per period: 1% (1e18 = 100%).
    uint256 public constant MAX_FEE_PER_PERIOD = 1e16;
    /// @notice Most units in existence: 2^150 (~1.4e45, far above any real supply), so that every
    /// balance, at most `MAX_UNITS * MAX_MULTIPLIER / 1e18 < 2^171` tokens, fits its 174-bit field.
    uint256 public constant MAX_UNITS = 1 << 150;

    /// @notice Largest frozen amount {setFrozenTokens} accepts: 2^176 - 1, far above any balance
    /// (every balance is below 2^171).
    uint256 public constant MAX_FROZEN_TOKENS = type(uint176).max;

    /// @dev Bits of `_flags`.
    uint8 internal constant _SLOW_PATH = 1;
    uint8 internal constant _LIVE_SCREENING = 2;

    /// @notice ERC-1404 code (shared table {RestrictionCodes}): every balance change is paused.
    uint8 public constant RESTRICTION_PAUSED = RestrictionCodes.PAUSED;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the sender is sanctioned.
    uint8 public constant RESTRICTION_SENDER_SANCTIONED = RestrictionCodes.SENDER_SANCTIONED;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the recipient is sanctioned.
    uint8 public constant RESTRICTION_RECIPIENT_SANCTIONED = RestrictionCodes.RECIPIENT_SANCTIONED;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the sender's balance is too low.
    uint8 public constant RESTRICTION_INSUFFICIENT_BALANCE = RestrictionCodes.INSUFFICIENT_BALANCE;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the sender or the recipient is the
    /// zero address.
    uint8 public constant RESTRICTION_INVALID_RECIPIENT = RestrictionCodes.ZERO_ADDRESS;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the amount exceeds the sender's
    /// balance minus its frozen tokens (ERC-7943).
    uint8 public constant RESTRICTION_INSUFFICIENT_UNFROZEN_BALANCE = RestrictionCodes.INSUFFICIENT_UNFROZEN_BALANCE;

    // ---------------------------------------------------------------------------------------------
    // Storage. The first three variables share one slot with Pausable's `_paused` (declared just
    // before them in the linearization): that is the only slot of this contract a transfer reads
    // when no update is pending and no fee runs (`_SLOW_PATH` clear). Layout: `_paused` (8 bits),
    // `_sanctionsList` (160), `_multiplier` (80), `_flags` (8) = 256 bits.
    // ---------------------------------------------------------------------------------------------

    /// @dev A frozen amount and the multiplier it was written at (one slot).
    struct FrozenTokens {
        uint176 amount;
        uint80 ref;
    }

    ISanctionsList internal _sanctionsList;
    uint80 internal _multiplier;
    /// @dev `_SLOW_PATH`: an update is pending or a fee runs, `multiplier()` must then be computed.
    /// `_LIVE_SCREENING`: every balance change also asks the oracle (issuer's choice, default off).
    uint8 internal _flags;

    // Slot read by a balance change only on the slow path: the pending update and the fee.
    uint80 internal _pendingMultiplier;
    /// @dev Zero when no update is pending. The pending update's nonce is always `_lastNonce`.
    uint40 internal _pendingActivation;
    uint56 internal _feePerPeriod;
    uint32 internal _feePeriodLength;
    /// @dev Origin of the fee periods not yet folded into `_multiplier`; a checkpoint moves it
    /// forward by the whole periods it folds, so the period grid never shifts.
    uint40 internal _feeStart;

    uint64 internal _epoch;
    uint64 internal _lastNonce;

    AggregatorV3Interface internal _reserveFeed;
    uint32 internal _reserveHeartbeat;
    uint8 internal _reserveFeedDecimals;

    address internal _gateway;
    uint64 internal _redemptionCount;

    /// @dev Units outstanding on this chain, an upper bound of the exact units of all balances
    /// (sum of `balance * 1e18 / reference multiplier`): mints add rounded up, burns remove rounded
    /// down, the gateway's unit paths add and remove exactly what its messages carry.
    uint256 internal _totalUnits;
    /// @dev Bit 255: cached sanctions flag; bits 175-254: reference multiplier; bit 174: the
    /// account has frozen tokens; bits 0-173: token balance at the reference multiplier; encoded
    /// and decoded by {CertificateAccount} only.
    mapping(address account => uint256) internal _accounts;
    mapping(uint256 requestId => Redemption) internal _redemptions;
    MultiplierUpdate[] internal _history;
    /// @dev ERC-7943 frozen tokens, in the split-invariant form of a balance: the amount at the
    /// multiplier it was written at. Read by a balance change only when the account's
    /// frozen-tokens flag is set (that flag is set exactly when the amount is not zero).
    mapping(address account => FrozenTokens) internal _frozenTokens;

    /// @dev Only the registered gateway, never a forwarder (ERC-7802).
    modifier onlyGateway() {
        if (msg.sender != _gateway) revert AssetUnauthorizedGateway(msg.sender);
        _;
    }

    /// @dev Functions that only make sense where the master record lives.
    modifier onlyHomeChain() {
        if (!_isHomeChain()) revert CertificateNotHomeChain(block.chainid, homeChainId());
        _;
    }

    function _setSlowPath(bool on) internal {
        if (on) _flags |= _SLOW_PATH;
        else _flags &= ~_SLOW_PATH;
    }
}
