// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CertificateStorage} from "./CertificateStorage.sol";
import {ICrosschainAsset} from "../../interfaces/ICrosschainAsset.sol";
import {ITransferDiagnostic} from "../../interfaces/ITransferDiagnostic.sol";
import {RestrictionCodes} from "../../libraries/RestrictionCodes.sol";

/// @title CertificateExtension
/// @notice The cold half of the tracker certificate's code: its initializer, the corporate-action
/// and management-fee functions and the transfer diagnostic. It runs ONLY by `delegatecall` from
/// a {TrackerCertificate} implementation (which creates it in its constructor and forwards these
/// selectors to it), on the certificate proxy's storage, with the certificate's roles, address
/// and events.
/// @dev Note: invariants:
/// - no storage of its own: its only state is the certificate's ({CertificateStorage}, one
///   ERC-7201 namespace, plus OZ's namespaces), read and written through the same accessor, so
///   the two layouts cannot differ;
/// - called directly (not through a certificate), every entry point reverts with
///   {CertificateExtensionDirectCall} (`address(this)` is then the extension itself), and so does
///   any balance change; it has no `selfdestruct` and no `delegatecall`;
/// - it holds no immutable a certificate would need: `_SELF` only tells a direct call apart.
/// Why an extension: the upgradeable certificate's runtime was 29.7 kB, over EIP-170's 24,576
/// bytes; these functions are off the transfer path, so one `delegatecall` (~2.6k gas) on them
/// costs the hot path nothing (the same design as the registry share's {ShareExtension}).
contract CertificateExtension is CertificateStorage, ITransferDiagnostic {
    /// @notice This extension was called directly instead of by `delegatecall` from a certificate.
    error CertificateExtensionDirectCall();

    /// @dev The extension's own address: a call where `address(this)` is this is a direct call.
    /// Immutable on purpose: delegated calls read the extension's value (code, not the proxy's
    /// storage), which is exactly what tells them apart from a direct call.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable _SELF = address(this);

    /// @dev Only by `delegatecall` from a certificate (on the certificate's storage).
    modifier onlyDelegated() {
        _requireDelegated();
        _;
    }

    /// @notice Created by a {TrackerCertificate} implementation's constructor; never initialised.
    /// @dev Never behind a proxy: it runs only by `delegatecall` from a certificate, whose proxy's
    /// initialisation runs this contract's {initialize}; the constructor only locks its own storage.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Schedules a multiplier update (compare-and-swap on the current multiplier).
    /// @param currentMultiplier The multiplier the caller believes is current (compare-and-swap).
    /// @param newMultiplier The multiplier from `activationTime` on, in `[MIN_MULTIPLIER,
    /// MAX_MULTIPLIER]`. It is absolute: with a fee running, use {multiplierAt}(activationTime)
    /// times the split ratio.
    /// @param activationTime Block time from which it applies; now or later.
    /// @param nonce Above every nonce used before.
    /// @dev Emits {MultiplierUpdateScheduled}; the update is appended to the history and opens the
    /// next corporate-action epoch when it activates. Requirements: caller has
    /// `TRANSFER_AGENT_ROLE`; home chain; no other update pending; the conditions above.
    function scheduleMultiplierUpdate(
        uint256 currentMultiplier,
        uint256 newMultiplier,
        uint64 activationTime,
        uint64 nonce
    ) external onlyDelegated onlyRole(TRANSFER_AGENT_ROLE) onlyHomeChain {
        (uint256 current,) = _checkpoint();
        TrackerCertificateStorage storage $ = _cs();
        if ($.pendingActivation != 0) revert CertificateUpdatePending($.lastNonce, $.pendingActivation);
        if (nonce <= $.lastNonce) revert CertificateStaleNonce(nonce, $.lastNonce);
        if (currentMultiplier != current) revert CertificateMultiplierMismatch(currentMultiplier, current);
        if (newMultiplier < MIN_MULTIPLIER || newMultiplier > MAX_MULTIPLIER) {
            revert CertificateInvalidMultiplier(newMultiplier);
        }
        if (activationTime < block.timestamp || activationTime > type(uint40).max) {
            revert CertificateInvalidActivation(activationTime, block.timestamp);
        }
        uint64 epoch = $.epoch + 1;
        // Casts: both multipliers are <= MAX_MULTIPLIER = 2^80 - 1, the activation < 2^40.
        $.pendingMultiplier = uint80(newMultiplier);
        $.pendingActivation = uint40(activationTime);
        $.lastNonce = nonce;
        $.flags |= _SLOW_PATH;
        $.history
            .push(
                MultiplierUpdate({
                    nonce: nonce,
                    epoch: epoch,
                    scheduledAt: uint40(block.timestamp),
                    activationTime: uint40(activationTime),
                    previousMultiplier: uint128(current),
                    newMultiplier: uint128(newMultiplier)
                })
            );
        emit MultiplierUpdateScheduled(nonce, epoch, current, newMultiplier, activationTime);
    }

    /// @notice Cancels the pending update `nonce` before its activation.
    /// @param nonce Nonce of the pending update (it stays used).
    /// @dev Emits {MultiplierUpdateCancelled}; removes the update from the history. Requirements:
    /// caller has `TRANSFER_AGENT_ROLE`; the update `nonce` is pending and not yet active.
    function cancelMultiplierUpdate(uint64 nonce) external onlyDelegated onlyRole(TRANSFER_AGENT_ROLE) {
        _checkpoint();
        TrackerCertificateStorage storage $ = _cs();
        if ($.pendingActivation == 0 || nonce != $.lastNonce) revert CertificateNoPendingUpdate(nonce);
        $.pendingActivation = 0;
        $.pendingMultiplier = 0;
        _setSlowPath($.feePerPeriod != 0);
        $.history.pop();
        emit MultiplierUpdateCancelled(nonce);
    }

    /// @notice Applies a corporate action decided on the home chain (gateway only, other chains).
    /// @param epoch The home chain's epoch after the action; above the current one.
    /// @param newMultiplier The home chain's multiplier, in `[MIN_MULTIPLIER, MAX_MULTIPLIER]`.
    /// @dev Emits {CorporateActionSynced}; appends the action (nonce 0) to the history.
    /// Requirements: caller is the gateway; not the home chain; `epoch` newer than the current.
    function syncCorporateAction(uint64 epoch, uint256 newMultiplier) external onlyDelegated onlyGateway {
        if (_isHomeChain()) revert CertificateOnHomeChain(block.chainid);
        TrackerCertificateStorage storage $ = _cs();
        if (epoch <= $.epoch) revert ICrosschainAsset.AssetStaleCorporateAction(epoch, $.epoch);
        if (newMultiplier < MIN_MULTIPLIER || newMultiplier > MAX_MULTIPLIER) {
            revert CertificateInvalidMultiplier(newMultiplier);
        }
        uint256 previous = $.multiplier;
        // Casts: newMultiplier <= MAX_MULTIPLIER = 2^80 - 1.
        $.multiplier = uint80(newMultiplier);
        $.epoch = epoch;
        $.history
            .push(
                MultiplierUpdate({
                    nonce: 0,
                    epoch: epoch,
                    scheduledAt: uint40(block.timestamp),
                    activationTime: uint40(block.timestamp),
                    previousMultiplier: uint128(previous),
                    newMultiplier: uint128(newMultiplier)
                })
            );
        emit ICrosschainAsset.CorporateActionSynced(epoch, newMultiplier);
    }

    /// @notice Sets the management fee charged by decaying the multiplier once per period.
    /// @param feePerPeriod Fraction of every balance charged per whole period, 1e18 = 100%; 0 stops
    /// the fee. At most `MAX_FEE_PER_PERIOD`.
    /// @param periodLength Period in seconds; not zero when a fee is set.
    /// @dev Folds the fee due at the old rate first (the partial period running at the change is
    /// not charged), then starts a new period grid now. The fee compounds, but the decayed
    /// multiplier is floored at `MIN_MULTIPLIER` (the fee stops charging there): it never reaches
    /// zero, so no conversion divides by zero and no allowance rounds to zero. Emits
    /// {ManagementFeeSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`; home chain.
    function setManagementFee(uint64 feePerPeriod, uint32 periodLength)
        external
        onlyDelegated
        onlyRole(DEFAULT_ADMIN_ROLE)
        onlyHomeChain
    {
        if (feePerPeriod > MAX_FEE_PER_PERIOD || (feePerPeriod != 0 && periodLength == 0)) {
            revert CertificateInvalidFee(feePerPeriod, periodLength);
        }
        _checkpoint();
        TrackerCertificateStorage storage $ = _cs();
        // feePerPeriod <= MAX_FEE_PER_PERIOD = 1e16 < 2^56.
        $.feePerPeriod = uint56(feePerPeriod);
        $.feePeriodLength = periodLength;
        $.feeStart = uint40(block.timestamp);
        _setSlowPath(feePerPeriod != 0 || $.pendingActivation != 0);
        emit ManagementFeeSet(feePerPeriod, periodLength);
    }

    /// @notice Folds elapsed fee periods into the stored multiplier; O(log periods), bounded.
    /// @dev Anyone may call it; it changes no balance, only where the multiplier is stored. Cost:
    /// one exponentiation by squaring, O(log2 periods) and at most 64 iterations. Emits
    /// {ManagementFeeAccrued} with the periods folded (0 when there was nothing to fold).
    function accrueFee() external onlyDelegated {
        (uint256 m, uint64 periods) = _checkpoint();
        emit ManagementFeeAccrued(periods, m);
    }

    /// @notice Sets up a certificate behind its proxy (called once, in the proxy's deployment).
    /// @param identity Asset identity; `architecture` must be `TrackerCertificate`.
    /// @param config Token, admin, sanctions and reserve settings.
    /// @dev Emits {RoleGranted}, {SanctionsListSet}, {ReserveFeedSet} (with a feed) and
    /// {Initialized}. Requirements: not yet initialised (the implementation never is); a valid
    /// identity ({IdentityInvalid}(field)) of the `TrackerCertificate` architecture; `admin` and
    /// `sanctionsList` not zero; a feed, if given, with a non-zero heartbeat and at most 18 decimals.
    function initialize(IdentityParams calldata identity, CertificateConfig calldata config)
        external
        onlyDelegated
        initializer
    {
        __AssetIdentity_init(identity);
        __ERC20_init(config.name, config.symbol);
        __ERC20Permit_init(config.name);
        __Pausable_init();
        if (identity.architecture != Architecture.TrackerCertificate) {
            revert IdentityInvalid("architecture");
        }
        if (config.admin == address(0)) revert CertificateZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, config.admin);
        _setSanctionsList(config.sanctionsList);
        if (config.reserveFeed != address(0)) _setReserveFeed(config.reserveFeed, config.reserveHeartbeat);
        _cs().multiplier = uint80(INITIAL_MULTIPLIER);
    }

    /// @inheritdoc ITransferDiagnostic
    /// @dev The rules, in order: paused (1), zero address (19), sender sanctioned (16), recipient
    /// sanctioned (17), insufficient balance (18), insufficient unfrozen balance (8).
    function diagnoseTransfer(address from, address to, uint256 amount)
        external
        view
        onlyDelegated
        returns (RuleCheck[] memory rules)
    {
        bool[_RULE_COUNT] memory failed = _failedRules(from, to, amount);
        rules = new RuleCheck[](_RULE_COUNT);
        for (uint256 i = 0; i < _RULE_COUNT; ++i) {
            uint8 code = uint8(_RULE_CODES[i]);
            rules[i] = RuleCheck({code: code, passed: !failed[i], message: RestrictionCodes.message(code)});
        }
    }

    /// @notice Human-readable text of a restriction code.
    /// @param restrictionCode A code of {detectTransferRestriction}.
    function messageForTransferRestriction(uint8 restrictionCode) external view onlyDelegated returns (string memory) {
        return RestrictionCodes.message(restrictionCode);
    }

    /// @dev No forwarded function moves a balance; an ERC-20 entry point called on the extension
    /// directly reverts here.
    function _update(address from, address to, uint256 value) internal override {
        _requireDelegated();
        super._update(from, to, value);
    }

    function _requireDelegated() private view {
        if (address(this) == _SELF) revert CertificateExtensionDirectCall();
    }
}
