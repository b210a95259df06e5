// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Investor, Rules, ShareSlots, Wallet} from "../libraries/ShareSlots.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {IInvestorRegistry} from "../interfaces/IInvestorRegistry.sol";
import {IPartyWords} from "../interfaces/IPartyWords.sol";
import {ICrosschainAsset, IERC7802} from "../interfaces/ICrosschainAsset.sol";
import {IRecordPoints} from "../interfaces/IRecordPoints.sol";
import {IERC1404} from "../interfaces/IERC1404.sol";
import {RestrictionCodes} from "../libraries/RestrictionCodes.sol";
import {IRegistryShare} from "../interfaces/IRegistryShare.sol";

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AssetIdentityUpgradeable} from "./AssetIdentityUpgradeable.sol";
import {ShareActions} from "./share/ShareActions.sol";
import {ScaleSteps} from "../libraries/ScaleSteps.sol";
import {IAssetIdentity} from "../interfaces/IAssetIdentity.sol";
import {IERC7943Fungible} from "../interfaces/IERC7943.sol";
import {ITransferDiagnostic} from "../interfaces/ITransferDiagnostic.sol";
import {IShareTokenInformation} from "../interfaces/IShareExtension.sol";
import {ShareExtension} from "./share/ShareExtension.sol";
import {Forwarder} from "../libraries/Forwarder.sol";

/// @title RegistryShare
/// @notice The transfer-restricted registry share: the token *is* the share on the register.
/// Only verified investors of the chain's {InvestorRegistry} hold it; every transfer passes the
/// per-asset rules (ERC-1404 codes); the transfer agent issues, redeems, forces transfers,
/// recovers lost wallets and freezes wallets or part of a balance, each with a legal reason.
/// Splits are discrete "scale steps"; record-date snapshots feed the dividend distributor and the
/// ballot box (separate contracts holding `SNAPSHOT_ROLE`).
/// @dev Note: these invariants must NEVER be violated:
/// - ERC-20 exact at every multiplier: a transfer of `v` changes the sender's and the recipient's
///   balances by exactly `v`; every Transfer / CrosschainMint / CrosschainBurn event carries the
///   token amount that really moved;
/// - sum of balances <= totalSupply = floor(totalUnits * multiplier / 1e18) (no sequence creates
///   tokens); the difference is dust, bounded in docs/security/share.md;
/// - a multi-wallet investor's recorded total >= the sum of its wallets' balances (equal except
///   for split dust), and it holds (is counted) exactly while one of its wallets holds a record;
/// - `holderCount` == number of investors counted as holding, each under one country;
/// - a wallet with a record is bound (when it received it) to the investor it is counted under.
/// - only `DEFAULT_ADMIN_ROLE` upgrades the implementation, and an upgrade moves no balance, record,
///   snapshot or rule (all of them live in ERC-7201 namespaces); the implementation is never initialised.
///
/// Amounts and scale steps (finding 13.7). Every wallet and investor record stores TOKENS, exactly,
/// at the scale step it was last written at. A split adds a scale step (its multiplier is kept per
/// step) and costs O(1): nothing else is written. A record written at an older step is rescaled
/// when read, one step at a time, `amount = amount * m[s + 1] / m[s]` rounded down, so its balance
/// is a function of the history only (not of when it is touched); a stale record pays one extra
/// read per missed split on its first touch. Stored units (the split-invariant quantity the gateway
/// moves across chains) are counted only in total: `totalUnits` grows by `ceil(tokens / m)` on an
/// issue and by `units` on a cross-chain delivery, and shrinks by `floor(tokens / m)` on a
/// redemption and by `units` on a cross-chain departure (which debits `ceil(units * m)` tokens).
///
/// Gas design (ARCHITECTURE.md section 9). A transfer between two investors reads: one packed
/// rules slot, one registry call `partyWords(from, to)` (the two raw wallet words), one packed
/// slot per wallet (amount, investor number, scale step, snapshot marks, frozen flags, and for a
/// sole-wallet investor its lock-up and counted country) and, only for an investor with several
/// wallets, one packed slot per investor (amount, lock-up, counted country, holding wallets).
///
/// Sole-wallet investors. While a wallet is its investor's sole wallet (the registry's flag: the
/// only wallet the investor ever had, never bound to anyone before), the investor's amount IS the
/// wallet's amount, and its lock-up and counted country live in the wallet's slot: no investor slot
/// is read or written. The registry ends the status for good when a second wallet is bound or the
/// sole wallet is unbound. The first time this contract then touches the investor it
/// *materialises* the investor slot from the first wallet's slot (amount, lock-up, country) and
/// uses the investor slot from then on. Views compute the same record without writing it.
/// A wallet slot still carrying an investor's sole-wallet lock-up when the wallet starts holding for
/// another investor (rebound by the registrar) hands that lock-up to its investor's slot first.
/// Holder counters are read and written only when an investor starts or stops holding, the
/// allowed-country slot only when the country rule is on, partially frozen amounts only for wallets
/// flagged as having some. Snapshots are lazy (ERC20Snapshot style): the first balance change of a
/// wallet after a snapshot pushes its pre-change record (amount and scale step).
/// Every storage slot of the hot path is one packed `uint256` (one SLOAD, one SSTORE), encoded and
/// decoded by {ShareSlots} (contracts/libraries/ShareSlots.sol, where the layouts are listed).
/// Code layout: state and record loading in {ShareStorage}, the ERC-1404 rules in
/// {ShareRestrictions}, wallet and investor bookkeeping in {ShareLedger}, the state changes in
/// {ShareActions} (contracts/assets/share/), the multiplier schedule in {ScaleSteps}, the code
/// table in {RestrictionCodes}.
///
/// Code size (EIP-170; the choice is weighed in docs/architecture.md, "Registry share code size").
/// This contract keeps the transfer hot path (`transfer`, `transferFrom`, `batchTransfer`),
/// `detectTransferRestriction`, ERC-7943 `canTransfer`, every view, the snapshots and the
/// cross-chain hooks. {ShareExtension}, created by the implementation's constructor (immutable
/// address; it shares {ShareStorage}, so the share's namespaces, but not the share's ERC-20 and
/// access-control surfaces), runs `initialize`, every transfer-agent and admin action, the rest of
/// ERC-7943, the ERC-3643 (T-REX) names and `diagnoseTransfer` by `delegatecall` on this
/// contract's storage: the suite's agent functions and `initialize` through one-line stubs
/// ({Forwarder}), every other selector through {fallback}. A transfer pays no extra call.
///
/// Upgrades (UUPS behind `SuiteProxy`): all of the share's own state lives in the ERC-7201
/// namespace `tokenized-stocks.storage.RegistryShare` ({ShareStorage}), the OZ bases' and the
/// identity's in theirs; only `DEFAULT_ADMIN_ROLE` upgrades ({_authorizeUpgrade}): the timelock
/// once the deployment hands admin over. The implementation is never initialised.
/// ERC-3643: `compliance()` is this contract, whose `canTransfer(from, to, amount)` (the selector
/// of T-REX's compliance check) is exactly what a transfer does, sender-side rules included.
contract RegistryShare is
    UUPSUpgradeable,
    ERC20Upgradeable,
    AssetIdentityUpgradeable,
    ShareActions,
    IRegistryShare,
    IERC1404,
    ICrosschainAsset,
    IShareTokenInformation
{
    using ShareSlots for uint256;
    using Checkpoints for Checkpoints.Trace208;

    /// @dev The {ShareExtension} this implementation created: it runs the forwarded selectors on
    /// this share's storage (see "Code size" above). Safe for upgrades although an immutable: the
    /// extension is code, not state. Each implementation creates and carries its own (an upgrade
    /// brings the new implementation's extension with it); the extension has no storage the share
    /// reads, cannot be destroyed, was never initialised and holds no role, so a direct call
    /// changes nothing: it only ever acts by `delegatecall` on the proxy's storage.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable _EXTENSION;

    /// @notice The implementation: creates its {ShareExtension} and is never initialised itself
    /// (a proxy delegates to it). Takes no argument (`ape run admin upgrade` requires it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _EXTENSION = address(new ShareExtension());
        _disableInitializers();
    }

    /// @notice Sets up a share behind its proxy (called once, in the proxy's deployment).
    /// Forwarded to {ShareExtension-initialize}: `initializer` (once; never on the
    /// implementation), `admin` and `registry` not zero, a valid identity of the `RegistryShare`
    /// architecture. Arguments: admin (receives `DEFAULT_ADMIN_ROLE`: rules, gateway, role grants,
    /// upgrades), the investor registry of this chain (its proxy; the parties' words are read from
    /// its {IInvestorRegistry-partyWordStore}), the ERC-20 name and symbol, the asset identity.
    /// @dev Emits {RoleGranted}, {IdentityRegistryAdded}, {ComplianceAdded},
    /// {UpdatedTokenInformation} and {Initialized}. The parents' initializers
    /// (`__AssetIdentity_init`, the ERC-20 name and symbol) are run by the extension on this storage.
    /// @custom:oz-upgrades-unsafe-allow missing-initializer-call
    function initialize(address, IInvestorRegistry, string calldata, string calldata, IdentityParams calldata)
        external
    {
        _forward();
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every balance, record, snapshot, split and rule stays, they live in the
    /// share's ERC-7201 namespace.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    // ==========================================================================================
    // ERC-20 views
    // ==========================================================================================

    /// @notice Balance in shares (exact: the stored amount, rescaled if a split happened since).
    function balanceOf(address account) public view override returns (uint256) {
        RegistryShareStorage storage $ = _s();
        uint256 p = $.wallets[account];
        return ScaleSteps.rescale($.scaleMultiplier, p.walletStored(), p.walletScale(), $.rules.rulesScale());
    }

    /// @notice Total supply on this chain in shares: total units times the multiplier, rounded
    /// down; it is at least the sum of the balances (their difference is split and rounding dust).
    function totalSupply() public view override returns (uint256) {
        RegistryShareStorage storage $ = _s();
        return ($.supply.supplyUnits()) * _multiplier() / ONE;
    }

    // ==========================================================================================
    // ERC-1404
    // ==========================================================================================

    /// @inheritdoc IERC1404
    /// @dev Returns 0 exactly when `transfer`/`transferFrom` of `value` from `from` to `to` would
    /// pass the share's rules (allowance aside); the zero address is never verified.
    function detectTransferRestriction(address from, address to, uint256 value) external view returns (uint8) {
        return _detect(from, to, value);
    }

    // ==========================================================================================
    // IRegistryShare views
    // ==========================================================================================

    /// @inheritdoc IRegistryShare
    function identityRegistry() external view returns (IInvestorRegistry) {
        return _s().registry;
    }

    /// @inheritdoc IRegistryShare
    function isVerified(address wallet) external view returns (bool) {
        return _s().registry.isVerified(wallet);
    }

    /// @inheritdoc IRegistryShare
    function isFrozen(address wallet) external view returns (bool) {
        return _s().wallets[wallet].walletFrozen();
    }

    /// @inheritdoc IRegistryShare
    function getFrozenTokens(address wallet) external view returns (uint256) {
        uint32 scale = _currentScale();
        return _frozenOf(_loadWallet(wallet, scale), scale);
    }

    /// @inheritdoc IRegistryShare
    /// @dev The balance in units, rounded down (units are only counted in total; see the contract notes).
    function unitsOf(address wallet) external view returns (uint256) {
        return balanceOf(wallet) * ONE / _multiplier();
    }

    /// @inheritdoc IRegistryShare
    function totalUnits() external view returns (uint256) {
        return _s().supply.supplyUnits();
    }

    /// @inheritdoc IRegistryShare
    /// @dev For an investor with several wallets, its recorded total: the sum of its wallets'
    /// balances plus at most the split dust of its wallets (see docs/security/share.md).
    function investorBalance(bytes32 investorId) external view returns (uint256) {
        return _investorOf(investorId).amount;
    }

    /// @notice How many wallets hold a record counted under an investor (0 = not a holder). A
    /// wallet keeps its record until written, even if a reverse split rounded its balance to 0.
    /// @param investorId Registry investor id.
    function holdingWallets(bytes32 investorId) external view returns (uint32) {
        return _investorOf(investorId).holding;
    }

    /// @notice The lock-up end of an investor (0 = none).
    /// @param investorId Registry investor id.
    function lockupOf(bytes32 investorId) external view returns (uint40) {
        return _investorOf(investorId).lockupUntil;
    }

    /// @inheritdoc IRegistryShare
    function holderCount() external view returns (uint256) {
        return _s().supply.supplyHolders();
    }

    /// @notice The maximum number of holders (0 = unlimited).
    function maxHolders() external view returns (uint32) {
        return _s().supply.supplyMaxHolders();
    }

    /// @inheritdoc IRegistryShare
    function countryHolderCount(uint16 country) external view returns (uint256) {
        return _s().countries[country].countryHolders();
    }

    /// @notice The country rule: allowed flag (only used while the rule is on) and holder cap.
    /// @param country ISO 3166-1 numeric code.
    function countryRule(uint16 country) external view returns (bool allowed, uint32 maxHolders_) {
        uint256 packed = _s().countries[country];
        return (packed.countryAllowed(), packed.countryMaxHolders());
    }

    /// @notice Per-asset rules: paused, country rule on, holding limits (whole shares).
    function rules()
        external
        view
        returns (bool isPaused, bool countryRestricted, uint48 minHolding, uint48 maxHolding)
    {
        Rules memory r = _loadRules();
        return (r.paused, r.countryRestricted, r.minHolding, r.maxHolding);
    }

    /// @notice Whether transfers are paused.
    function paused() external view returns (bool) {
        return _loadRules().paused;
    }

    /// @inheritdoc IRegistryShare
    function currentSnapshotId() public view returns (uint32) {
        return _s().rules.rulesSnapshotId();
    }

    /// @inheritdoc IRegistryShare
    /// @dev `balanceAt` in units of the snapshot's multiplier, rounded down: the sum over all
    /// wallets never exceeds `totalUnits` at the snapshot (a dividend never pays out more).
    function unitsAt(address wallet, uint32 snapshotId) external view returns (uint256) {
        RegistryShareStorage storage $ = _s();
        return balanceAt(wallet, snapshotId) * ONE / $.scaleMultiplier[$.snapshots[snapshotId].snapshotScale()];
    }

    /// @inheritdoc IRegistryShare
    function balanceAt(address wallet, uint32 snapshotId) public view returns (uint256) {
        RegistryShareStorage storage $ = _s();
        _requireSnapshot(snapshotId);
        uint256 p = $.wallets[wallet];
        uint256 born = p.walletBorn();
        // The wallet first received after the snapshot (or never): it held nothing then.
        if (born == 0 || born > snapshotId) return 0;
        Checkpoints.Trace208 storage history = $.history[wallet];
        // The value is read separately below; only the key and existence are needed here.
        // slither-disable-next-line unused-return
        (bool exists, uint48 key,) = history.latestCheckpoint();
        // No balance change since the snapshot: the stored record is the record at the snapshot.
        uint256 recorded = !exists || key < snapshotId ? p.walletHistory() : history.lowerLookup(snapshotId);
        return ScaleSteps.rescale(
            $.scaleMultiplier,
            recorded.historyAmount(),
            recorded.historyScale(),
            $.snapshots[snapshotId].snapshotScale()
        );
    }

    /// @inheritdoc IRegistryShare
    function totalSupplyAt(uint32 snapshotId) external view returns (uint256) {
        RegistryShareStorage storage $ = _s();
        _requireSnapshot(snapshotId);
        return
            $.snapshots[snapshotId].snapshotUnits() * $.scaleMultiplier[$.snapshots[snapshotId].snapshotScale()] / ONE;
    }

    /// @inheritdoc IRegistryShare
    function recoveredTo(address lostWallet) external view returns (address) {
        return _s().recoveredTo[lostWallet];
    }

    // ==========================================================================================
    // ICrosschainAsset views
    // ==========================================================================================

    /// @inheritdoc ICrosschainAsset
    function gateway() external view returns (address) {
        return _s().gateway;
    }

    /// @inheritdoc ICrosschainAsset
    function multiplier() external view returns (uint256) {
        return _multiplier();
    }

    /// @inheritdoc ICrosschainAsset
    function corporateActionEpoch() external view returns (uint64) {
        return _s().epoch;
    }

    /// @inheritdoc ICrosschainAsset
    /// @dev Full recipient compliance, as if `to` received `floor(units * multiplier)` tokens by a
    /// transfer from outside. The gateway must check it before delivering a Transfer message.
    function crosschainRestriction(address to, uint256 units) public view returns (uint8) {
        Rules memory r = _loadRules();
        if (r.paused) return RestrictionCodes.PAUSED;
        Party memory toParty = _party(to);
        Wallet memory toWallet = _loadWallet(to, r.scale);
        return _recipientRestriction(
            r, toParty, toWallet, _investorFor(toParty, toWallet, r.scale), units * _multiplier() / ONE, false, 0
        );
    }

    /// @inheritdoc ICrosschainAsset
    /// @dev Only the rules about `to` itself: pause (a temporary, retryable stop of every movement),
    /// verification and KYC expiry, investor freeze, wallet freeze, wallet bound to another
    /// investor's record. Never the holder caps, the holding limits or the allowed-country list,
    /// which another party can change while the Return is in flight. The gateway must check it
    /// before crediting a Return; {crosschainMintUnits} enforces exactly these rules.
    function crosschainRefundRestriction(address to, uint256) public view returns (uint8) {
        if (_loadRules().paused) return RestrictionCodes.PAUSED;
        return _partyRestriction(_party(to), _loadWallet(to, _currentScale()), false);
    }

    // ==========================================================================================
    // ERC-20 transfers: the hot path
    // ==========================================================================================

    // ==========================================================================================
    // ERC-20 transfers: the hot path
    // ==========================================================================================

    /// @dev Reached by `transfer`, `transferFrom` and `batchTransfer` only (this contract never
    /// calls OZ's `_mint`/`_burn`): a holder's transfer under every rule. Moves exactly `value`
    /// tokens. Issue, redeem, forced transfer, recovery and the cross-chain hooks have their own checks.
    function _update(address from, address to, uint256 value) internal override {
        Rules memory r = _loadRules();
        if (r.paused) revert ShareTransferRestricted(RestrictionCodes.PAUSED);
        (Party memory fromParty, Party memory toParty) = _parties(from, to);
        Wallet memory fromWallet = _loadWallet(from, r.scale);
        Wallet memory toWallet = _loadWallet(to, r.scale);
        uint8 code;
        if (fromParty.index == toParty.index && fromParty.index != 0) {
            // Between two wallets of one investor: the investor total and the counts do not move.
            code = _sameInvestorRestriction(fromParty, toParty, fromWallet, toWallet, value);
            if (code != 0) revert ShareTransferRestricted(code);
            _moveWithinInvestor(toParty.index, fromWallet, toWallet, value, r);
        } else {
            _transferBetweenInvestors(r, fromParty, toParty, fromWallet, toWallet, value);
        }
        emit Transfer(from, to, value);
    }

    function _transferBetweenInvestors(
        Rules memory r,
        Party memory fromParty,
        Party memory toParty,
        Wallet memory fromWallet,
        Wallet memory toWallet,
        uint256 value
    ) private {
        Investor memory fromInvestor = _investorFor(fromParty, fromWallet, r.scale);
        Investor memory toInvestor = _investorFor(toParty, toWallet, r.scale);
        uint8 code = _transferRestriction(r, fromParty, toParty, fromWallet, toWallet, fromInvestor, toInvestor, value);
        if (code != 0) revert ShareTransferRestricted(code);
        // Investors first: a sole-wallet investor's record is written with its wallet's slot.
        _moveInvestorAmount(fromInvestor, fromWallet, toInvestor, toWallet, toParty.country, value);
        _writeWallets(fromWallet, toWallet, toParty.index, value, r);
    }

    /// @notice ERC-3643 `batchTransfer`: `transfer(to[i], amounts[i])` from the caller, in order;
    /// one refusal reverts the batch. Loops over the caller's arrays (bounded by the calldata the
    /// caller pays for, never by the number of holders).
    /// @param to Recipients.
    /// @param amounts Amounts, one per recipient.
    /// @dev Here, not in {ShareExtension}: it is a holder's transfer (the hot path's `_update`).
    function batchTransfer(address[] calldata to, uint256[] calldata amounts) external {
        if (to.length != amounts.length) revert ShareBatchLengthMismatch(to.length, amounts.length);
        address from = _msgSender();
        for (uint256 i; i < to.length; ++i) {
            _transfer(from, to[i], amounts[i]);
        }
    }

    /// @notice Sets the lock-up end of an investor: until then it cannot transfer to another investor.
    /// @param investorId Registry investor id.
    /// @param until Unix time (0 = no lock-up).
    /// @param reason Legal reference (e.g. Rule 144 holding period).
    /// @dev Emits {LockupSet}. Requirements: caller has `TRANSFER_AGENT_ROLE`; investor registered
    /// and bound to at least one wallet at some point (the lock-up is kept beside its record: in its
    /// sole wallet's slot or in its investor slot), else {ShareInvestorWithoutWallet}.
    function setLockup(bytes32 investorId, uint40 until, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        RegistryShareStorage storage $ = _s();
        uint32 index = $.registry.indexOf(investorId);
        if (index == 0) revert ShareUnknownInvestor(investorId);
        (address first, bool sole) = $.registry.walletModeOf(index);
        // Lock-ups are kept beside the investor's record: an investor without a wallet has neither.
        if (first == address(0)) revert ShareInvestorWithoutWallet(investorId);
        uint32 scale = _currentScale();
        Wallet memory w = _loadWallet(first, scale);
        Investor memory inv = sole ? _soleInvestor(index, w) : _investorSlot(index, first, scale);
        inv.lockupUntil = until;
        _commitInvestor(inv, w);
        if (sole) {
            if (w.investor == 0) w.investor = index; // tags the slot as this investor's (no record yet)
            _storeWallet(w);
        }
        emit LockupSet(investorId, until, reason);
    }

    /// @notice Applies a split (`numerator` > `denominator`) or a reverse split on the home chain:
    /// every balance becomes `balance * newMultiplier / previousMultiplier`, rounded down, at once
    /// (O(1): each record is rescaled when next read; an indexer applies the same formula).
    /// @param numerator New shares per `denominator` old shares.
    /// @param denominator Old shares.
    /// @param reason Legal reference (board resolution).
    /// @dev Emits {CorporateActionApplied} with the new epoch. Requirements: caller has
    /// `TRANSFER_AGENT_ROLE`; on the home chain; the new multiplier is in (0, 2**96); fewer than
    /// 2**20 - 1 corporate actions so far.
    function split(uint256 numerator, uint256 denominator, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        RegistryShareStorage storage $ = _s();
        if (!_isHomeChain()) revert ShareWrongChain(block.chainid, homeChainId());
        if (numerator == 0 || denominator == 0) revert ShareInvalidSplit(numerator, denominator);
        uint256 newMultiplier = _multiplier() * numerator / denominator;
        if (newMultiplier == 0 || newMultiplier > ShareSlots.MAX_MULTIPLIER) {
            revert ShareInvalidSplit(numerator, denominator);
        }
        _setMultiplier(newMultiplier);
        uint64 epoch = ++$.epoch;
        emit CorporateActionApplied(epoch, numerator, denominator, newMultiplier, reason);
    }

    /// @notice Switches the allowed-country rule on or off (off: every country is allowed).
    /// @param enabled New state.
    /// @dev Emits {CountryRestrictionSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setCountryRestriction(bool enabled) external onlyRole(DEFAULT_ADMIN_ROLE) {
        RegistryShareStorage storage $ = _s();
        $.rules = $.rules.rulesWithCountryRestricted(enabled);
        emit CountryRestrictionSet(enabled);
    }

    /// @notice Allows or disallows recipients of `country` (used while the country rule is on).
    /// @param country ISO 3166-1 numeric code.
    /// @param allowed New state.
    /// @dev Emits {CountryAllowedSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setCountryAllowed(uint16 country, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        RegistryShareStorage storage $ = _s();
        $.countries[country] = $.countries[country].countryWithAllowed(allowed);
        emit CountryAllowedSet(country, allowed);
    }

    /// @notice Caps the number of holders (investors with a non-zero balance); 0 = unlimited.
    /// A lower cap than the current count only blocks new holders.
    /// @param cap New cap.
    /// @dev Emits {MaxHoldersSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setMaxHolders(uint32 cap) external onlyRole(DEFAULT_ADMIN_ROLE) {
        RegistryShareStorage storage $ = _s();
        $.supply = $.supply.supplyWithMaxHolders(cap);
        emit MaxHoldersSet(cap);
    }

    /// @notice Caps the number of holders of one country (e.g. US holders); 0 = unlimited.
    /// @param country ISO 3166-1 numeric code.
    /// @param cap New cap.
    /// @dev Emits {CountryMaxHoldersSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setCountryMaxHolders(uint16 country, uint32 cap) external onlyRole(DEFAULT_ADMIN_ROLE) {
        RegistryShareStorage storage $ = _s();
        $.countries[country] = $.countries[country].countryWithMaxHolders(cap);
        emit CountryMaxHoldersSet(country, cap);
    }

    /// @notice Sets the minimum and maximum holding per investor, in whole shares (0 = none).
    /// @param minHolding An investor holds either nothing or at least this.
    /// @param maxHolding An investor never receives beyond this.
    /// @dev Emits {HoldingLimitsSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`; min <= max
    /// when max is set.
    function setHoldingLimits(uint48 minHolding, uint48 maxHolding) external onlyRole(DEFAULT_ADMIN_ROLE) {
        RegistryShareStorage storage $ = _s();
        if (maxHolding != 0 && minHolding > maxHolding) revert ShareInvalidHoldingLimits(minHolding, maxHolding);
        $.limits = ShareSlots.encodeLimits(minHolding, maxHolding);
        $.rules = $.rules.rulesWithLimited(minHolding != 0 || maxHolding != 0);
        emit HoldingLimitsSet(minHolding, maxHolding);
    }

    // ==========================================================================================
    // Snapshots
    // ==========================================================================================

    /// @inheritdoc IRegistryShare
    /// @dev Emits {SnapshotTaken}. Requirements: caller has `SNAPSHOT_ROLE`; fewer than 2**24 - 1
    /// snapshots so far (the wallet slot keeps snapshot ids in 24 bits).
    function snapshot() external onlyRole(SNAPSHOT_ROLE) returns (uint32 snapshotId) {
        snapshotId = _snapshot();
    }

    function _snapshot() private returns (uint32 snapshotId) {
        RegistryShareStorage storage $ = _s();
        snapshotId = currentSnapshotId() + 1;
        if (snapshotId >= ShareSlots.MAX_SNAPSHOT_ID) revert ShareSnapshotLimit(snapshotId);
        uint256 units = $.supply.supplyUnits();
        $.rules = $.rules.rulesWithSnapshotId(snapshotId);
        $.snapshots[snapshotId] = ShareSlots.encodeSnapshot(_currentScale(), units);
        emit SnapshotTaken(snapshotId, units, _multiplier());
    }

    // ==========================================================================================
    // Record points across chains (dividends and ballots belong to the security, not a chain)
    // ==========================================================================================
    // A record date is a corporate-action epoch opened on the home chain ({recordDate}) and
    // broadcast by the gateway like a split. Each chain's record point for epoch E is its state
    // when it reached E: the home chain's snapshot taken with E, elsewhere the snapshot taken when
    // the gateway synced the first epoch >= E. A transfer message carries its source's epoch at
    // sending; the destination's gateway delivers it only once it has reached that epoch (the
    // units were counted at the source for every record point up to it) and then credits the
    // units at the record points they were in flight across ({creditInFlight}): counted exactly
    // once, wherever they are.

    /// @inheritdoc IRegistryShare
    /// @dev Emits {SnapshotTaken} and {CorporateActionApplied} (1:1, multiplier unchanged).
    /// Requirements: caller has `SNAPSHOT_ROLE`; on the home chain.
    function recordDate(string calldata reason)
        external
        onlyRole(SNAPSHOT_ROLE)
        returns (uint64 epoch, uint32 snapshotId)
    {
        RegistryShareStorage storage $ = _s();
        if (!_isHomeChain()) revert ShareWrongChain(block.chainid, homeChainId());
        snapshotId = _snapshot();
        epoch = ++$.epoch;
        _pushRecordPoint(epoch, snapshotId);
        emit CorporateActionApplied(epoch, 1, 1, _multiplier(), reason);
    }

    /// @inheritdoc IRecordPoints
    /// @dev Emits {InFlightCredited} when `sentEpoch` is older than this chain's epoch.
    /// Requirements: the caller is the gateway; `sentEpoch` is not newer than this chain's epoch
    /// (the gateway delivers a message only once its destination reached the message's epoch).
    function creditInFlight(address to, uint256 units, uint64 sentEpoch) external {
        RegistryShareStorage storage $ = _s();
        _onlyGateway();
        uint64 current = $.epoch;
        if (sentEpoch > current) revert ShareRecordPointNotReached(sentEpoch, current);
        if (sentEpoch == current || units == 0) return;
        // Bounded by the corporate actions that happened while the message was in flight.
        for (uint64 e = sentEpoch + 1; e <= current; ++e) {
            $.inFlightUnits[e][to] += units;
        }
        emit InFlightCredited(to, units, sentEpoch, current);
    }

    /// @inheritdoc IRegistryShare
    function recordSnapshotOf(uint64 epoch) external view returns (uint32) {
        return uint32(_s().recordPoints.lowerLookup(uint48(epoch)));
    }

    /// @inheritdoc IRegistryShare
    function inFlightUnitsAt(uint64 epoch, address wallet) external view returns (uint256) {
        return _s().inFlightUnits[epoch][wallet];
    }

    /// @dev Epoch `epoch` is reached on this chain with snapshot `snapshotId`.
    function _pushRecordPoint(uint64 epoch, uint32 snapshotId) private {
        // The previous and new values are not needed: epochs only grow, so this appends.
        // slither-disable-next-line unused-return
        _s().recordPoints.push(uint48(epoch), snapshotId);
    }

    // ==========================================================================================
    // Cross-chain (ERC-7802 + gateway hooks)
    // ==========================================================================================

    /// @notice Registers the gateway of this chain.
    /// @param newGateway The gateway (zero disables the cross-chain functions).
    /// @dev Emits {GatewaySet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setGateway(address newGateway) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _s().gateway = newGateway;
        emit GatewaySet(newGateway);
    }

    /// @inheritdoc ICrosschainAsset
    /// @dev Credits `floor(units * multiplier)` tokens; total units grow by exactly `units`.
    /// Emits {Transfer} and {CrosschainMint} with the amount credited. Requirements: the caller is
    /// the gateway; the asset is not paused; `to` passes the refund-level rules
    /// ({crosschainRefundRestriction}). The global rules (holder caps, holding limits, allowed
    /// countries) are the gateway's to check first with {crosschainRestriction} for a Transfer
    /// message; a Return is checked with {crosschainRefundRestriction} only.
    function crosschainMintUnits(address to, uint256 units) external returns (uint256 amount) {
        _onlyGateway();
        amount = units * _multiplier() / ONE;
        _mint(to, amount, units, Mode.GatewayMint);
        emit Transfer(address(0), to, amount);
        emit CrosschainMint(to, amount, _msgSender());
    }

    /// @inheritdoc IERC7802
    /// @dev `amount` is tokens, credited exactly; total units grow by `ceil(amount / multiplier)`.
    /// Emits {Transfer} and {CrosschainMint} with `amount`. Requirements: the caller is the
    /// gateway; the asset is not paused; `to` passes every recipient rule.
    function crosschainMint(address to, uint256 amount) external {
        _onlyGateway();
        _mint(to, amount, ScaleSteps.unitsUp(amount, _multiplier()), Mode.CrosschainMint);
        emit Transfer(address(0), to, amount);
        emit CrosschainMint(to, amount, _msgSender());
    }

    /// @inheritdoc ICrosschainAsset
    /// @dev Debits `ceil(units * multiplier)` tokens; total units shrink by exactly `units`.
    /// Emits {Transfer} and {CrosschainBurn} with the amount debited. Requirements: the caller is
    /// the gateway; `from` passes every sender rule (pause, verification, freezes, unfrozen
    /// balance, lock-up, minimum holding).
    function crosschainBurnUnits(address from, uint256 units) external returns (uint256 amount) {
        _onlyGateway();
        uint256 m = _multiplier();
        amount = (units * m + ONE - 1) / ONE;
        _burnChecked(from, amount, units);
    }

    /// @inheritdoc IERC7802
    /// @dev `amount` is tokens, debited exactly; total units shrink by `floor(amount / multiplier)`.
    /// Emits {Transfer} and {CrosschainBurn} with `amount`. Requirements: as {crosschainBurnUnits}.
    function crosschainBurn(address from, uint256 amount) external {
        _onlyGateway();
        _burnChecked(from, amount, amount * ONE / _multiplier());
    }

    function _burnChecked(address from, uint256 amount, uint256 units) private {
        Rules memory r = _loadRules();
        Party memory fromParty = _party(from);
        Wallet memory w = _loadWallet(from, r.scale);
        Investor memory inv = _investorFor(fromParty, w, r.scale);
        uint8 code = r.paused
            ? RestrictionCodes.PAUSED
            : _senderRestriction(r, fromParty, w, inv, amount, _leaves(inv, w, amount));
        if (code != 0) revert ShareTransferRestricted(code);
        _burn(w, inv, amount, units, r);
        emit Transfer(from, address(0), amount);
        emit CrosschainBurn(from, amount, _msgSender());
    }

    /// @inheritdoc ICrosschainAsset
    function syncCorporateAction(uint64 epoch, uint256 newMultiplier) external {
        RegistryShareStorage storage $ = _s();
        _onlyGateway();
        if (_isHomeChain()) revert ShareWrongChain(block.chainid, homeChainId());
        if (epoch <= $.epoch) revert AssetStaleCorporateAction(epoch, $.epoch);
        if (newMultiplier == 0 || newMultiplier > ShareSlots.MAX_MULTIPLIER) {
            revert ShareInvalidMultiplier(newMultiplier);
        }
        _setMultiplier(newMultiplier);
        $.epoch = epoch;
        _pushRecordPoint(epoch, _snapshot()); // the record point of every epoch up to `epoch`
        emit CorporateActionSynced(epoch, newMultiplier);
    }

    /// @inheritdoc AccessControlUpgradeable
    /// @dev ERC-165, IAccessControl, ERC-20, ERC-1404, ERC-7802 (0x33331994), ICrosschainAsset,
    /// IAssetIdentity, IRegistryShare, IRecordPoints, ERC-7943 fungible (`IERC7943Fungible`) and
    /// ITransferDiagnostic (the last two partly answered by {ShareExtension}, at this address).
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IERC1404).interfaceId || interfaceId == type(IRegistryShare).interfaceId
            || interfaceId == type(ICrosschainAsset).interfaceId || interfaceId == type(IERC7802).interfaceId
            || interfaceId == type(IERC20).interfaceId || interfaceId == type(IAssetIdentity).interfaceId
            || interfaceId == type(IRecordPoints).interfaceId || interfaceId == type(IERC7943Fungible).interfaceId
            || interfaceId == type(ITransferDiagnostic).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @notice Shares have 18 decimals; holding limits are in whole shares.
    function decimals() public pure override returns (uint8) {
        return 18;
    }

    // ==========================================================================================
    // ERC-7943 `canTransfer` (here: the hot path's own rules, no extra call)
    // ==========================================================================================

    /// @notice ERC-7943 `canTransfer`, and ERC-3643 `compliance().canTransfer` (the share is its own
    /// compliance contract): exactly whether `transfer(to, amount)` from `from` would pass.
    /// @param from Sender.
    /// @param to Recipient.
    /// @param amount Tokens.
    /// @return allowed `detectTransferRestriction(from, to, amount) == 0`.
    function canTransfer(address from, address to, uint256 amount) external view returns (bool allowed) {
        return _detect(from, to, amount) == 0;
    }

    // ==========================================================================================
    // Forwarded to {ShareExtension} (delegatecall: same storage, roles, address and events)
    // ==========================================================================================
    // Each function below only forwards its calldata and returns (or reverts with) the
    // extension's answer unchanged; the parameters are decoded (checked) here and there.

    /// @notice Forwarded to {ShareExtension}: see {IShareExtension-issue}.
    function issue(address, uint256, string calldata) external {
        _forward();
    }

    /// @notice Forwarded to {ShareExtension}: see {IShareExtension-redeem}.
    function redeem(address, uint256, string calldata) external {
        _forward();
    }

    /// @notice Forwarded to {ShareExtension}: see {IShareExtension-forcedTransfer}.
    function forcedTransfer(address, address, uint256, string calldata) external returns (bool) {
        _forward();
    }

    /// @notice Forwarded to {ShareExtension}: see {IShareExtension-recoveryAddress}.
    function recoveryAddress(address, address, bytes32, string calldata) external returns (bool) {
        _forward();
    }

    /// @notice Forwarded to {ShareExtension}: see {IShareExtension-setAddressFrozen}.
    function setAddressFrozen(address, bool, string calldata) external {
        _forward();
    }

    /// @notice Forwarded to {ShareExtension}: see {IShareExtension-freezePartialTokens}.
    function freezePartialTokens(address, uint256, string calldata) external {
        _forward();
    }

    /// @notice Forwarded to {ShareExtension}: see {IShareExtension-unfreezePartialTokens}.
    function unfreezePartialTokens(address, uint256, string calldata) external {
        _forward();
    }

    /// @notice Forwarded to {ShareExtension}: see {IShareExtension-pause}.
    function pause(string calldata) external {
        _forward();
    }

    /// @notice Forwarded to {ShareExtension}: see {IShareExtension-unpause}.
    function unpause(string calldata) external {
        _forward();
    }

    /// @inheritdoc IERC1404
    /// @dev Forwarded to {ShareExtension} (the code table lives there).
    function messageForTransferRestriction(uint8) external view returns (string memory) {
        _forwardView();
    }

    /// @notice Every selector this contract does not define runs in {ShareExtension} on this
    /// share's storage: ERC-7943 (`canSend`, `canReceive`, `setFrozenTokens`, `forcedTransfer`),
    /// the ERC-3643 names (`mint`, `burn`, batch operations, `compliance`, `version`, `onchainID`,
    /// agents...) and `diagnoseTransfer`. Their ABI is {ShareExtension}'s; one the extension does
    /// not define either reverts without data. Not payable: ether is refused.
    fallback() external {
        _forward();
    }

    /// @dev Runs the extension's code for this call's selector on this share's storage and
    /// returns its returndata (or reverts with it) ({Forwarder-forward}, the suite's one forwarder).
    /// @custom:oz-upgrades-unsafe-allow delegatecall
    function _forward() private {
        Forwarder.forward(_EXTENSION);
    }

    /// @dev {_forward} from a view ({Forwarder-forwardView}).
    function _forwardView() private view {
        Forwarder.forwardView(_EXTENSION);
    }

    // ==========================================================================================
    // Rules (pure functions of loaded state; the hot path and the views share them)
    // ==========================================================================================

    // ==========================================================================================
    // State changes
    // ==========================================================================================

    function _requireSnapshot(uint32 snapshotId) private view {
        uint32 current = currentSnapshotId();
        if (snapshotId == 0 || snapshotId > current) revert ShareUnknownSnapshot(snapshotId, current);
    }

    function _onlyGateway() private view {
        RegistryShareStorage storage $ = _s();
        if (_msgSender() != $.gateway || $.gateway == address(0)) revert AssetUnauthorizedGateway(_msgSender());
    }

    // ==========================================================================================
    // Amounts, steps and packing
    // ==========================================================================================

    // ------------------------------------------------------------------------------------------
    // Parties and investor records
    // ------------------------------------------------------------------------------------------
}
