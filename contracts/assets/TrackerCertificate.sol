// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {ShareMultiplierMath} from "../corporate/ShareMultiplierMath.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {ICrosschainAsset, IERC7802} from "../interfaces/ICrosschainAsset.sol";
import {IGatewaySupply} from "../interfaces/IGatewaySupply.sol";
import {ISanctionsList} from "../interfaces/ISanctionsList.sol";
import {ISanctionsSubscriber} from "../interfaces/ISanctionsSubscriber.sol";
import {ITrackerCertificate} from "../interfaces/ITrackerCertificate.sol";
import {IAssetIdentity} from "../interfaces/IAssetIdentity.sol";
import {IERC1404} from "../interfaces/IERC1404.sol";
import {RestrictionCodes} from "../libraries/RestrictionCodes.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {CertificateAccount} from "../libraries/CertificateAccount.sol";
import {CertificateStorage} from "./certificate/CertificateStorage.sol";
import {CertificateFreezes} from "./certificate/CertificateFreezes.sol";
import {IERC7943Fungible} from "../interfaces/IERC7943.sol";
import {ITransferDiagnostic} from "../interfaces/ITransferDiagnostic.sol";
import {CertificateRedemptions} from "./certificate/CertificateRedemptions.sol";
import {CertificateExtension} from "./certificate/CertificateExtension.sol";
import {Forwarder} from "../libraries/Forwarder.sol";

/// @title TrackerCertificate
/// @notice The inventory tracker certificate (Backed / xStocks model). The issuer buys the shares
/// first, a custodian holds them and attests the count through a proof-of-reserve feed, and the
/// `MINTER_ROLE` mints freely transferable tokens against that inventory. Corporate actions
/// (splits, reverse splits, reinvested dividends) change one share multiplier, O(1) whatever the
/// number of holders; a management fee decays the same multiplier once per period.
///
/// @dev Code layout: state, constants and modifiers in {CertificateStorage}, the sanctions cache in
/// {CertificateSanctions}, the ERC-7943 frozen tokens and account eligibility in
/// {CertificateFreezes}, the multiplier schedule and the fee in {CertificateMultiplier}, the
/// redemptions in {CertificateRedemptions} (contracts/assets/certificate/), the holder slot codec in
/// {CertificateAccount} and the ERC-1404 table in {RestrictionCodes} (contracts/libraries/); the
/// balance changes, minting, units and cross-chain paths stay here. The cold code (the
/// initializer, scheduling, cancelling and syncing multiplier updates, the fee's setter and
/// accrual, the transfer diagnostic) runs in {CertificateExtension}, which this implementation
/// creates and reaches by `delegatecall` (see "Forwarded to" below): the same storage, roles,
/// address and events, and the implementation stays under EIP-170.
///
/// Note: invariants this contract NEVER violates:
/// - ERC-20 exactness at every multiplier: a transfer (transferFrom, mint, burn, ERC-7802
///   crosschainMint/Burn) of `v` changes the sender's and the recipient's `balanceOf` by exactly
///   `v`, and emits {Transfer} with `v`. Balances are stored in TOKENS with the multiplier they
///   were written at (one slot per holder, with the sanctions flag): `balanceOf = stored * m_now
///   / m_ref` rounded down, materialised at the holder's first balance change after a corporate
///   action or a fee period ({BalanceRescaled}), so a split stays O(1) and transfers stay exact.
/// - `totalUnits <= MAX_UNITS`, and `totalUnits >= sum(stored(a) * 1e18 / m_ref(a))` (the exact
///   units of all balances): mints add units rounded up, burns remove them rounded down, a
///   rescale only rounds a balance down, the gateway's unit paths add and remove exactly the
///   message's units. Hence `sum(balanceOf(a)) <= totalSupply()`. The excess (dust, documented in
///   docs/security/certificate.md) is below one wei per holder rescale plus one unit's worth
///   (`m / 1e18 + 1` wei) per mint or burn made at a multiplier other than 1e18; it only ever
///   counts against minting (reserves are checked on `totalUnits`).
/// - On the home chain a mint never makes `ceil((totalUnits + supplyElsewhere) * multiplier / 1e18)`
///   exceed the attested reserves, with a fresh feed.
/// - Every balance change (mint, burn, transfer, units transfer, crosschain mint/burn, redemption,
///   forced transfer) goes through {_move}: one check ({_preflight}: pause, sanctions of both
///   parties, the sender's skipped for a forced transfer), the sender's frozen tokens, and one
///   bookkeeping routine.
/// - A balance change other than {forcedTransfer} never touches an account whose cached sanctions
///   flag is set; a forced transfer may debit one and keeps its flag (a balance write keeps both
///   flags of the slot).
/// - Only a forced transfer moves frozen tokens: every other debit leaves at least the frozen
///   amount ({getFrozenTokens}) in the balance or reverts with {ERC7943InsufficientUnfrozenBalance}.
/// - {canTransfer}, {detectTransferRestriction} and {diagnoseTransfer} read one rule table
///   ({_failedRules}): `canTransfer` is true exactly when `detectTransferRestriction` is 0, exactly
///   when every rule of `diagnoseTransfer` passes, exactly when `transfer` succeeds (checked by
///   tests/unit/certificate/test_certificate_transfer_agreement.py and
///   test/forge/TransferAgreement.inv.t.sol).
/// - The multiplier never leaves `[MIN_MULTIPLIER, MAX_MULTIPLIER]` (the fee decay is floored).
/// - Upgradeable (UUPS, ERC-1967): clients use the proxy's address; all of the certificate's own
///   state lives in one ERC-7201 namespace ({CertificateStorage}: `TrackerCertificateStorage`, no
///   sequential slot), so an upgrade keeps every balance, the multiplier and its pending update,
///   the frozen tokens and the redemptions. Only DEFAULT_ADMIN_ROLE may upgrade
///   ({_authorizeUpgrade}): the timelock once the deployment hands admin over. The implementation
///   itself can never be initialised.
///
/// RESERVE FEED. The answer is the number of underlying shares in custody in the feed's own
/// decimals (an {AttestedFeed} with 0 decimals reports whole shares; up to 18 are accepted). It is
/// scaled to 18 decimals, where one token stands for one share. After a 2:1 split the custodian
/// holds twice as many shares and reports them; the multiplier doubles every balance, so supply
/// and reserves keep comparing like for like.
///
/// MULTIPLIER. `multiplier()` is computed lazily, without a transaction at activation time: the
/// stored value, replaced by a scheduled update once its activation time has passed, decayed by
/// the management fee for every whole fee period elapsed (floored at `MIN_MULTIPLIER`). Holders
/// who never transact see their balance change exactly at the activation time. Storage is folded
/// ("checkpointed") by the first balance change after the activation, which emits
/// {CorporateActionActivated} for indexers, or by the next administrative call; fee periods alone
/// are folded by administrative calls and {accrueFee}. The multiplier is stored in 80 bits (`MAX_MULTIPLIER` ~ 1.2e24, i.e.
/// 1.2 million tokens per unit) so it shares one slot with the pause flag, the sanctions oracle and
/// the flags (slow path, live screening): a transfer reads one slot of this contract besides the
/// two balances.
///
/// SANCTIONS (USDC-blacklist style cache). Every balance change refuses a sanctioned sender or
/// recipient (the zero address of a mint or burn is not screened); `transferFrom` and
/// `transferUnitsFrom` also refuse a sanctioned spender. So a mint to, a redemption by, a bridge
/// burn from and a bridge mint to a sanctioned address are refused, and a sanctioned holder's
/// tokens stay where they are until delisted. `approve` and `permit` are not screened: an
/// allowance is useless to a sanctioned spender. The check reads a flag cached in the top bit of
/// the account's balance slot, which the transfer reads anyway: no external call on the hot path.
/// The cache follows the oracle ({sanctionsList}, Chainalysis `isSanctioned` interface) two ways:
/// - push: our own {SanctionsList}, with this certificate subscribed, calls {onSanctionsChanged}
///   in the same transaction as `setSanctioned`, so its changes apply with no lag at all;
/// - pull: {syncSanctions} is permissionless and copies the oracle's answer for the accounts the
///   caller lists (cost bounded by the caller's own calldata). An external oracle that does not
///   push (Chainalysis) is followed by a keeper watching its events and calling it; until then
///   the cache lags the oracle (a newly listed address can still transfer, a delisted one cannot).
/// - optional live mode ({setLiveScreening}, off by default): every balance change also asks the
///   oracle for each party (on top of the cached flag), closing the lag for ~8.7k gas a transfer.
/// Replacing the oracle ({setSanctionsList}) keeps the cached flags: re-sync the accounts.
///
/// PAUSE. The `PAUSER_ROLE` stops every balance change (transfers, mint, redemption, bridge
/// mint/burn, forced transfers); settling redemptions, corporate actions, freezing tokens and
/// configuration still work. Only `DEFAULT_ADMIN_ROLE` lifts a pause (the timelock in a governed
/// deployment): a compromised guardian can stop the asset, never resume it.
///
/// FROZEN TOKENS AND FORCED TRANSFERS (ERC-7943, {CertificateFreezes}). The `TRANSFER_AGENT_ROLE`
/// sets an account's frozen amount (overwriting; it may exceed the balance and then withholds
/// future receipts). Every debit but a forced transfer (transfer, units transfer, redemption,
/// bridge burn) leaves the frozen amount in the balance. {forcedTransfer} (same role) moves
/// tokens from any holder, sanctioned or not, to a recipient that passes {canReceive}, with the
/// pause still in force. It may take frozen tokens: it takes the unfrozen tokens first, and when
/// `amount` exceeds them it lowers the frozen amount by the frozen tokens taken (so the frozen
/// amount becomes `min(frozen, balance after)` when the freeze was within the balance), emitting
/// {Frozen} before {Transfer}, then {ForcedTransfer}. Refusals keep this asset's own errors
/// (ERC-7943 allows more specific errors): `EnforcedPause`, {CertificateSanctioned} (where
/// {canSend} or {canReceive} is false), `ERC20InvalidSender`/`ERC20InvalidReceiver`,
/// `ERC20InsufficientBalance`; a debit beyond the unfrozen balance reverts with the ERC's
/// {ERC7943InsufficientUnfrozenBalance}.
///
/// STANDARDS. ERC-20, ERC-2612, ERC-7802, ERC-1404, ERC-7943 (fungible) and {ITransferDiagnostic},
/// all advertised through ERC-165. Deviation: {canTransfer} has no spender, and `transferFrom`
/// also refuses a sanctioned spender.
///
/// CROSS-CHAIN. Amounts of {crosschainMint}/{crosschainBurn} are tokens (ERC-7802, exact); the
/// gateway's split-safe {crosschainMintUnits}/{crosschainBurnUnits} take units. On a chain other than the
/// home chain the multiplier and epoch only change through {syncCorporateAction}; no management
/// fee is accrued there (the fee, mint and scheduling functions refuse to run off the home chain):
/// the home chain's decayed multiplier reaches the other chains with the next synced corporate
/// action. Units are what crosses chains, so the lag changes no one's claim on the custody pool,
/// only the token figure shown between syncs; to push the fee out, the transfer agent schedules an
/// update whose new multiplier is the current one (it opens an epoch the gateway broadcasts).
/// Redemption also runs on the home chain only, where the custodian and the gateway's
/// `supplyElsewhere` counter are.
///
/// GAS (measured by tests/unit/certificate/test_gas_certificate.py, same run as a plain OZ ERC20
/// transfer of 34,513, with the real subscribed {SanctionsList}): a transfer through the proxy costs
/// 43,361 (1.26x; the issue's 1.3x allows 44,866; 43,811 before {_preflight} read its slot 0 once,
/// and then 38,911 without the proxy, whose implementation slot read and delegatecall add ~4.9k;
/// 38,150 before the lazy rescale of finding 13.7). The sanctions
/// check costs no cold access of its own: the flags sit in the two balance slots a transfer reads
/// anyway, so the extra ~3.9k are this contract's packed slot (2,100) and its logic (including the
/// reference-multiplier comparison of each balance). The former live screening (two `isSanctioned` look-ups:
/// EIP-2929 cold accesses of the oracle account 2,600 + two slots 2 x 2,100) made it 1.34x; as
/// the opt-in live mode it costs 57,393 through the proxies (1.66x). With an update pending or a
/// fee running, one more slot (41,587 before the proxy); the first balance change of a holder after a multiplier change also emits
/// {BalanceRescaled} (~2k). Keeping the cache in sync is paid by the compliance side, not by
/// transfers: a listing pushed to one subscriber adds ~15.7k to `setSanctioned` for a holder
/// (~32.8k for an address with no slot yet); a one-account {syncSanctions} is a ~32-54k transaction.
contract TrackerCertificate is
    Initializable,
    UUPSUpgradeable,
    CertificateFreezes,
    CertificateRedemptions,
    ITransferDiagnostic
{
    using CertificateAccount for uint256;
    using ShareMultiplierMath for uint256;

    /// @notice The {CertificateExtension} this implementation forwards its cold functions to.
    /// @dev Safe for upgrades although an immutable: the extension is code, not state. Each
    /// implementation creates and carries its own (an upgrade brings the new implementation's
    /// extension with it); the extension has no storage of its own, cannot be destroyed, and
    /// refuses every direct call ({CertificateExtension-CertificateExtensionDirectCall}): it only
    /// ever runs by `delegatecall` on the proxy's storage.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable _EXTENSION;

    /// @notice The implementation: creates its {CertificateExtension} and is never initialised
    /// itself (a proxy delegates to it). Takes no argument (`ape run admin upgrade` requires it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _EXTENSION = address(new CertificateExtension());
        _disableInitializers();
    }

    // =============================================================================================
    // ERC-20 views in tokens
    // =============================================================================================

    /// @notice Tokens held by `account`: the stored balance rescaled from the multiplier it was
    /// last written at to the current one, rounded down (exact when no multiplier change since).
    /// @param account The holder.
    function balanceOf(address account) public view override returns (uint256) {
        return _balanceAt(_cs().accounts[account], _currentMultiplier());
    }

    /// @notice Tokens in existence on this chain: total units times the multiplier, rounded down.
    /// @dev Never below the sum of balances; above it by dust bounded in the contract's NatSpec.
    function totalSupply() public view override returns (uint256) {
        return _cs().totalUnits.toTokensDown(_currentMultiplier());
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev The balance in units at the current multiplier, rounded down: whatever it reports,
    /// {transferUnits} and the gateway's {crosschainBurnUnits} can move.
    function unitsOf(address account) external view returns (uint256) {
        uint256 m = _currentMultiplier();
        return _balanceAt(_cs().accounts[account], m).toUnitsDown(m);
    }

    /// @inheritdoc ITrackerCertificate
    function totalUnits() external view returns (uint256) {
        return _cs().totalUnits;
    }

    /// @notice Moves `value` tokens from `from` to `to` with the caller's allowance.
    /// @param from Holder.
    /// @param to Recipient.
    /// @param value Tokens; the balances of `from` and `to` change by exactly `value`.
    /// @dev Emits {Transfer} (no {Approval}, as in OZ). Requirements: as
    /// {transfer}; the caller (spender) is not sanctioned and has the allowance.
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        _screenSpender(_msgSender());
        return super.transferFrom(from, to, value);
    }

    // =============================================================================================
    // Units
    // =============================================================================================

    /// @inheritdoc ITrackerCertificate
    /// @param to Recipient.
    /// @param units Units to move; the tokens moved are `ceil(units * multiplier / 1e18)` (rounded
    /// against the caller), and both balances change by exactly that token amount.
    /// @dev Emits {Transfer} (the tokens moved) and {UnitsTransferred}. Requirements: not paused;
    /// neither party sanctioned; `to` not zero; a balance of at least the tokens moved.
    function transferUnits(address to, uint256 units) external returns (bool) {
        address owner = _msgSender();
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        _transferUnits(owner, to, units, units.toTokensUp(_currentMultiplier()));
        return true;
    }

    /// @inheritdoc ITrackerCertificate
    /// @param from Holder.
    /// @param to Recipient.
    /// @param units Units to move; the tokens moved and the allowance spent are both
    /// `ceil(units * multiplier / 1e18)`: never zero for a non-zero `units`, since the multiplier
    /// never falls below `MIN_MULTIPLIER`.
    /// @dev Emits {Transfer} and {UnitsTransferred}. Requirements: as {transferUnits}; the
    /// caller is not sanctioned and has an allowance of at least the tokens moved.
    function transferUnitsFrom(address from, address to, uint256 units) external returns (bool) {
        address spender = _msgSender();
        _screenSpender(spender);
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        uint256 value = units.toTokensUp(_currentMultiplier());
        _spendAllowance(from, spender, value);
        _transferUnits(from, to, units, value);
        return true;
    }

    // =============================================================================================
    // Minting against reserves
    // =============================================================================================

    /// @inheritdoc ITrackerCertificate
    /// @param to Recipient.
    /// @param amount Tokens (= shares) credited exactly; `ceil(amount * 1e18 / multiplier)` units
    /// are added to {totalUnits} (rounded against minting).
    /// @dev Emits {Transfer} from the zero address. Requirements: caller has `MINTER_ROLE`; home
    /// chain; not paused; `to` not sanctioned; `amount` not zero; the reserve feed is fresh
    /// (reported within the heartbeat) and `ceil((totalUnits + new units + supplyElsewhere) *
    /// multiplier / 1e18)` does not exceed the attested reserves.
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) onlyHomeChain {
        if (amount == 0) revert CertificateZeroAmount();
        uint256 m = _currentMultiplier();
        uint256 units = amount.toUnitsUp(m);
        (uint256 reserveShares, uint256 updatedAt) = _readReserves();
        _requireFresh(updatedAt);
        uint256 required = (_cs().totalUnits + units + _supplyElsewhere()).toTokensUp(m);
        if (required > reserveShares) revert CertificateReservesExceeded(required, reserveShares);
        _mint(to, amount);
    }

    /// @inheritdoc ITrackerCertificate
    function reserves() external view returns (uint256 shares, uint256 updatedAt, bool fresh) {
        (shares, updatedAt) = _readReserves();
        fresh = _isFresh(updatedAt);
    }

    /// @inheritdoc ITrackerCertificate
    function mintableShares() external view returns (uint256) {
        if (!_isHomeChain()) return 0;
        (uint256 reserveShares, uint256 updatedAt) = _readReserves();
        if (!_isFresh(updatedAt)) return 0;
        uint256 required = (_cs().totalUnits + _supplyElsewhere()).toTokensUp(_currentMultiplier());
        return reserveShares > required ? reserveShares - required : 0;
    }

    // =============================================================================================
    // Cross-chain (ERC-7802)
    // =============================================================================================

    /// @notice The gateway allowed to call the ERC-7802 functions and the sync.
    function gateway() external view returns (address) {
        return _cs().gateway;
    }

    /// @inheritdoc ITrackerCertificate
    /// @param newGateway The gateway (zero disables cross-chain and counts no supply elsewhere).
    /// @dev Emits {GatewaySet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setGateway(address newGateway) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _cs().gateway = newGateway;
        emit GatewaySet(newGateway);
    }

    /// @inheritdoc ICrosschainAsset
    /// @param to Recipient.
    /// @param units Units the message carries; {totalUnits} grows by exactly `units`.
    /// @dev Credits `floor(units * multiplier / 1e18)` tokens (against the recipient), returned
    /// and emitted. Not checked against reserves: it returns supply that left earlier and is
    /// still counted in the home gateway's `supplyElsewhere`. Emits {Transfer}, {UnitsTransferred}
    /// and {CrosschainMint}, both with the tokens credited. Requirements: caller is the gateway;
    /// not paused; `to` neither zero nor sanctioned (the conditions of {crosschainRestriction}).
    function crosschainMintUnits(address to, uint256 units) external onlyGateway returns (uint256 amount) {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        amount = units.toTokensDown(_currentMultiplier());
        _move(address(0), to, amount, units, false);
        emit UnitsTransferred(address(0), to, units);
        emit CrosschainMint(to, amount, msg.sender);
    }

    /// @inheritdoc ICrosschainAsset
    /// @param from Holder.
    /// @param units Units the message carries; {totalUnits} shrinks by exactly `units`.
    /// @dev Debits `ceil(units * multiplier / 1e18)` tokens (against the sender), returned and
    /// emitted. Emits {Transfer}, {UnitsTransferred}, {CrosschainBurn}. Requirements: caller is
    /// the gateway; the sender-side checks of a transfer (not paused, `from` not sanctioned) and
    /// a balance of at least the tokens debited.
    function crosschainBurnUnits(address from, uint256 units) external onlyGateway returns (uint256 amount) {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        amount = units.toTokensUp(_currentMultiplier());
        _move(from, address(0), amount, units, false);
        emit UnitsTransferred(from, address(0), units);
        emit CrosschainBurn(from, amount, msg.sender);
    }

    /// @inheritdoc IERC7802
    /// @param to Recipient.
    /// @param amount Tokens credited exactly, at any multiplier.
    /// @dev Emits {Transfer} and {CrosschainMint}, both with `amount`. Requirements: caller is
    /// the gateway; as {crosschainMintUnits}.
    function crosschainMint(address to, uint256 amount) external onlyGateway {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        _update(address(0), to, amount);
        emit CrosschainMint(to, amount, msg.sender);
    }

    /// @inheritdoc IERC7802
    /// @param from Holder.
    /// @param amount Tokens debited exactly, at any multiplier.
    /// @dev Emits {Transfer} and {CrosschainBurn}, both with `amount`. Requirements: caller is
    /// the gateway; as {crosschainBurnUnits}.
    function crosschainBurn(address from, uint256 amount) external onlyGateway {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        _update(from, address(0), amount);
        emit CrosschainBurn(from, amount, msg.sender);
    }

    /// @inheritdoc ICrosschainAsset
    /// @param to The holder the refund returns to.
    /// @dev Only rules about the holder: zero recipient (5) and sanctions (3, the cached flag, and
    /// the oracle too in live mode). A pause is a global rule: it is not a refusal here; the
    /// refund's mint reverts while paused and the message stays deliverable after the pause.
    function crosschainRefundRestriction(address to, uint256) external view returns (uint8) {
        if (to == address(0)) return RESTRICTION_INVALID_RECIPIENT;
        if (_isSanctioned(to, _cs().sanctionsList)) return RESTRICTION_RECIPIENT_SANCTIONED;
        return 0;
    }

    /// @notice Restriction code (0 = allowed) for delivering units to `to` from another chain:
    /// the checks {crosschainMint} enforces (paused 1, zero recipient 5, sanctioned recipient 3:
    /// the cached flag, and the oracle too in live mode).
    /// @param to Recipient on this chain.
    function crosschainRestriction(address to, uint256) public view returns (uint8) {
        if (paused()) return RESTRICTION_PAUSED;
        if (to == address(0)) return RESTRICTION_INVALID_RECIPIENT;
        if (_isSanctioned(to, _cs().sanctionsList)) return RESTRICTION_RECIPIENT_SANCTIONED;
        return 0;
    }

    // =============================================================================================
    // ERC-1404
    // =============================================================================================

    /// @notice The restriction that would refuse `transfer(to, value)` from `from`, 0 if none:
    /// the first failing rule of {diagnoseTransfer} (sanctions: the cached flags, and the oracle
    /// too in live mode).
    /// @param from Sender.
    /// @param to Recipient.
    /// @param value Tokens.
    function detectTransferRestriction(address from, address to, uint256 value) public view returns (uint8) {
        bool[_RULE_COUNT] memory failed = _failedRules(from, to, value);
        for (uint256 i = 0; i < _RULE_COUNT; ++i) {
            if (failed[i]) return uint8(_RULE_CODES[i]);
        }
        return RestrictionCodes.NONE;
    }

    /// @notice Whether `transfer(to, amount)` by `from` would succeed now: the pause, both parties'
    /// sanctions, the zero address, the balance and the frozen tokens (ERC-7943). True exactly
    /// when {detectTransferRestriction} is 0. Never reverts (unless a live-screening oracle does).
    /// @param from Sender.
    /// @param to Recipient.
    /// @param amount Tokens.
    function canTransfer(address from, address to, uint256 amount) external view returns (bool allowed) {
        return detectTransferRestriction(from, to, amount) == RestrictionCodes.NONE;
    }

    /// @notice Moves `amount` tokens from `from` to `to` without `from`'s consent (ERC-7943: a
    /// regulatory or recovery action). Takes frozen tokens when the unfrozen ones do not suffice,
    /// lowering the frozen amount by the frozen tokens taken (see "FROZEN TOKENS AND FORCED
    /// TRANSFERS" above).
    /// @param from The holder; may be sanctioned, and its tokens frozen.
    /// @param to The recipient; must pass {canReceive}.
    /// @param amount Tokens; both balances change by exactly `amount`.
    /// @return result True.
    /// @dev Emits {Frozen} (only when frozen tokens are taken), {Transfer}, then {ForcedTransfer}.
    /// Requirements: caller has `TRANSFER_AGENT_ROLE`; not paused; `from` and `to` not zero; `to`
    /// not sanctioned; `amount` at most the balance of `from`.
    function forcedTransfer(address from, address to, uint256 amount)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (bool result)
    {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        _move(from, to, amount, 0, true);
        emit ForcedTransfer(from, to, amount);
        return true;
    }

    // =============================================================================================
    // Administration
    // =============================================================================================

    /// @inheritdoc ITrackerCertificate
    /// @param feed An `AggregatorV3Interface` answering shares in custody, at most 18 decimals.
    /// @param heartbeat Maximum report age in seconds accepted by {mint}; not zero.
    /// @dev Emits {ReserveFeedSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setReserveFeed(address feed, uint32 heartbeat) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setReserveFeed(feed, heartbeat);
    }

    /// @notice The reserve feed and the heartbeat mints require.
    function reserveFeed() external view returns (address feed, uint256 heartbeat) {
        TrackerCertificateStorage storage $ = _cs();
        return (address($.reserveFeed), $.reserveHeartbeat);
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev Emits {Paused}. Requirements: caller has `PAUSER_ROLE`; not paused.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev Emits {Unpaused}. Requirements: caller has `DEFAULT_ADMIN_ROLE` (the timelock in a governed
    /// deployment: the guardian pauses at once, resuming waits for the governance delay); paused.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every balance, the multiplier and its schedule, the frozen tokens and the
    /// redemptions stay, they live in the certificate's ERC-7201 namespace.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /// @notice ERC-165: every interface this contract implements: ERC-165 itself, {IAccessControl}
    /// (AccessControl's), ERC-20, ERC-20 metadata, ERC-2612 permit, ERC-5267 (EIP-712 domain),
    /// ERC-7802 (0x33331994), ERC-1404, ERC-7943 fungible (0x3edbb4c4), {ITransferDiagnostic},
    /// {IAssetIdentity}, {ICrosschainAsset}, {ISanctionsSubscriber} and {ITrackerCertificate}.
    /// @param interfaceId The interface asked about.
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(AccessControlUpgradeable, IERC165)
        returns (bool)
    {
        return interfaceId == type(IERC20).interfaceId || interfaceId == type(IERC20Metadata).interfaceId
            || interfaceId == type(IERC20Permit).interfaceId || interfaceId == type(IERC5267).interfaceId
            || interfaceId == type(IERC7802).interfaceId || interfaceId == type(IERC1404).interfaceId
            || interfaceId == type(IAssetIdentity).interfaceId || interfaceId == type(ICrosschainAsset).interfaceId
            || interfaceId == type(ISanctionsSubscriber).interfaceId
            || interfaceId == type(ITrackerCertificate).interfaceId || interfaceId == type(IERC7943Fungible).interfaceId
            || interfaceId == type(ITransferDiagnostic).interfaceId || super.supportsInterface(interfaceId);
    }

    // =============================================================================================
    // Forwarded to {CertificateExtension} (delegatecall: same storage, roles, address and events)
    // =============================================================================================
    // Each function below only forwards its calldata and returns (or reverts with) the
    // extension's answer unchanged; the parameters are decoded (checked) there.

    /// @notice Sets up a certificate behind its proxy (called once, in the proxy's deployment).
    /// Forwarded to {CertificateExtension-initialize}: `initializer` (once; never on the
    /// implementation), a valid identity of the `TrackerCertificate` architecture, `admin` and
    /// `sanctionsList` not zero, a feed (if any) with a heartbeat and at most 18 decimals.
    /// @dev Emits {RoleGranted}, {SanctionsListSet}, {ReserveFeedSet} (with a feed), {Initialized}.
    /// The parents' initializers (`__AssetIdentity_init`, `__ERC20_init`, `__ERC20Permit_init`,
    /// `__Pausable_init`) are all called, by the extension's `initialize` on this storage.
    /// @custom:oz-upgrades-unsafe-allow missing-initializer-call
    function initialize(IdentityParams calldata, CertificateConfig calldata) external {
        _forward();
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev Forwarded to {CertificateExtension-scheduleMultiplierUpdate} (`TRANSFER_AGENT_ROLE`,
    /// home chain; emits {MultiplierUpdateScheduled}).
    function scheduleMultiplierUpdate(uint256, uint256, uint64, uint64) external {
        _forward();
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev Forwarded to {CertificateExtension-cancelMultiplierUpdate} (`TRANSFER_AGENT_ROLE`;
    /// emits {MultiplierUpdateCancelled}).
    function cancelMultiplierUpdate(uint64) external {
        _forward();
    }

    /// @inheritdoc ICrosschainAsset
    /// @dev Forwarded to {CertificateExtension-syncCorporateAction} (gateway only, not the home
    /// chain; emits {CorporateActionSynced}).
    function syncCorporateAction(uint64, uint256) external {
        _forward();
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev Forwarded to {CertificateExtension-setManagementFee} (`DEFAULT_ADMIN_ROLE`, home
    /// chain; emits {ManagementFeeSet}).
    function setManagementFee(uint64, uint32) external {
        _forward();
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev Forwarded to {CertificateExtension-accrueFee} (anyone; emits {ManagementFeeAccrued}).
    function accrueFee() external {
        _forward();
    }

    /// @inheritdoc ITransferDiagnostic
    /// @dev Forwarded to {CertificateExtension-diagnoseTransfer}: the rules, in order: paused (1),
    /// zero address (19), sender sanctioned (16), recipient sanctioned (17), insufficient balance
    /// (18), insufficient unfrozen balance (8).
    function diagnoseTransfer(address, address, uint256) external view returns (RuleCheck[] memory rules) {
        _forwardView();
    }

    /// @inheritdoc IERC1404
    /// @dev Forwarded to {CertificateExtension-messageForTransferRestriction} (the code table lives there).
    function messageForTransferRestriction(uint8) external view returns (string memory) {
        _forwardView();
    }

    /// @dev Runs the extension's code for this call's selector on this certificate's storage and
    /// returns its returndata (or reverts with it) ({Forwarder-forward}, the suite's one forwarder).
    /// @custom:oz-upgrades-unsafe-allow delegatecall
    function _forward() private {
        Forwarder.forward(_EXTENSION);
    }

    /// @dev {_forward} from a view ({Forwarder-forwardView}).
    function _forwardView() private view {
        Forwarder.forwardView(_EXTENSION);
    }

    // =============================================================================================
    // Internal: balance changes
    // =============================================================================================

    /// @dev The ERC-20 hook, for mint, burn, transfer and transferFrom; `value` is in tokens and
    /// both balances change by exactly `value`. {totalUnits} follows against the holders: a mint
    /// adds `ceil(value * 1e18 / m)` units, a burn removes `floor(value * 1e18 / m)`.
    function _update(address from, address to, uint256 value) internal override {
        uint256 m = _currentMultiplier();
        uint256 units = 0;
        if (from == address(0)) units = value.toUnitsUp(m);
        else if (to == address(0)) units = value.toUnitsDown(m);
        _move(from, to, value, units, false);
    }

    /// @dev A units transfer: exactly `value` tokens (the caller rounded `units` up), logged with
    /// the units asked for.
    function _transferUnits(address from, address to, uint256 units, uint256 value) private {
        _move(from, to, value, 0, false);
        emit UnitsTransferred(from, to, units);
    }

    /// @dev The one balance change: checks ({_preflight}), rescales each party's stored balance to
    /// the current multiplier (materialising it, {BalanceRescaled}), keeps the sender's frozen
    /// tokens ({_spendFrozen}), moves exactly `value` tokens, and for a mint (burn) adds (removes)
    /// `units` to (from) {totalUnits}. `forced`: a forced transfer (the sender is not screened and
    /// frozen tokens may go). Emits {Transfer} (after {Frozen} when frozen tokens go).
    function _move(address from, address to, uint256 value, uint256 units, bool forced) private {
        uint256 m = _preflight(from, to, forced);
        TrackerCertificateStorage storage $ = _cs();
        if (from == address(0)) {
            uint256 total = $.totalUnits + units;
            if (total > MAX_UNITS) revert CertificateUnitsOverflow(total, MAX_UNITS);
            $.totalUnits = total;
        } else {
            uint256 slot = $.accounts[from];
            uint256 held = _materialise(from, slot, m);
            if (held < value) revert ERC20InsufficientBalance(from, held, value);
            if (slot.hasFrozen()) slot = _spendFrozen(from, slot, held, value, m, forced);
            // unchecked: `held >= value`. The slot keeps its flags (a forced transfer may debit a
            // sanctioned account; its flag stays set).
            unchecked {
                $.accounts[from] = slot.withBalance(held - value, m);
            }
        }
        if (to == address(0)) {
            // Cannot underflow: `totalUnits` is at least the exact units of all balances (see the
            // contract's invariants), and the burned tokens were part of a balance.
            $.totalUnits -= units;
        } else {
            // Read after the debit: a self-transfer sees its own debited balance.
            uint256 slot = $.accounts[to];
            uint256 balance = _materialise(to, slot, m);
            // unchecked: every balance is at most totalSupply <= MAX_UNITS * MAX_MULTIPLIER / 1e18
            // < 2^171, so `balance + value` fits the 174-bit field; `to` is not flagged sanctioned.
            unchecked {
                $.accounts[to] = slot.withBalance(balance + value, m);
            }
        }
        emit Transfer(from, to, value);
    }

    /// @dev The frozen-tokens rule of a debit of `value` from `held` tokens: an ordinary debit must
    /// leave the frozen amount (else {ERC7943InsufficientUnfrozenBalance}); a forced one takes
    /// the unfrozen tokens first, then lowers the frozen amount by the frozen tokens it takes
    /// (emitting {Frozen}). Returns `slot` with its frozen-tokens flag up to date.
    function _spendFrozen(address from, uint256 slot, uint256 held, uint256 value, uint256 m, bool forced)
        private
        returns (uint256)
    {
        uint256 frozen = _frozenAt(from, m);
        uint256 unfrozen = held > frozen ? held - frozen : 0;
        if (value <= unfrozen) return slot;
        if (!forced) revert ERC7943InsufficientUnfrozenBalance(from, value, unfrozen);
        // `value - unfrozen <= frozen`: with `frozen <= held` it is `value - held + frozen`, and
        // otherwise `value <= held < frozen`.
        uint256 left = frozen - (value - unfrozen);
        _storeFrozen(from, left, m);
        emit Frozen(from, left);
        return slot.withFrozen(left != 0);
    }

    /// @dev The balance of a slot at multiplier `m`, emitting {BalanceRescaled} when a corporate
    /// action or the fee changed it since the slot was written (the caller writes it back).
    function _materialise(address account, uint256 slot, uint256 m) private returns (uint256 balance) {
        balance = slot.balance();
        uint256 ref = slot.ref();
        if (ref != m && balance != 0) {
            uint256 rescaled = balance.rescaleDown(m, ref);
            emit BalanceRescaled(account, balance, rescaled, m);
            balance = rescaled;
        }
    }

    /// @dev The checks every balance change passes (a forced transfer skips the sender's); returns the current multiplier, and folds a
    /// pending update into storage at the first balance change after its activation (emitting
    /// {CorporateActionActivated}). The pause flag, the live-screening flag and the multiplier
    /// share one slot; the sanctions flags share the parties' slots, which the balance change
    /// reads again (warm) right after.
    function _preflight(address from, address to, bool forced) private returns (uint256 m) {
        TrackerCertificateStorage storage $ = _cs();
        // The three fields of slot 0 taken together: one SLOAD (the optimiser merges the reads of
        // one slot with no write between) instead of one per use below.
        (bool isPaused, uint256 flags, uint256 stored) = ($.paused, $.flags, $.multiplier);
        if (isPaused) revert EnforcedPause();
        bool screenFrom = from != address(0) && !forced;
        if (flags & _LIVE_SCREENING == 0) {
            if (screenFrom && $.accounts[from].sanctioned()) revert CertificateSanctioned(from);
            if (to != address(0) && $.accounts[to].sanctioned()) revert CertificateSanctioned(to);
        } else {
            ISanctionsList list = $.sanctionsList;
            if (screenFrom && ($.accounts[from].sanctioned() || list.isSanctioned(from))) {
                revert CertificateSanctioned(from);
            }
            if (to != address(0) && ($.accounts[to].sanctioned() || list.isSanctioned(to))) {
                revert CertificateSanctioned(to);
            }
        }
        if (flags & _SLOW_PATH == 0) return stored;
        uint256 activation = $.pendingActivation;
        if (activation != 0 && block.timestamp >= activation) (m,) = _checkpoint();
        else (m,,,) = _multiplierState(block.timestamp);
    }

    // =============================================================================================
    // Internal: reserves and configuration
    // =============================================================================================

    /// @dev Reserves in shares scaled to 18 decimals (a negative answer reads as 0) and the report
    /// time (0 without a feed, which reads as stale).
    function _readReserves() private view returns (uint256 shares, uint256 updatedAt) {
        TrackerCertificateStorage storage $ = _cs();
        AggregatorV3Interface feed = $.reserveFeed;
        if (address(feed) == address(0)) return (0, 0);
        int256 answer;
        // Only the answer and its time matter; round ids are not used (a custodian feed).
        // slither-disable-next-line unused-return
        (, answer,, updatedAt,) = feed.latestRoundData();
        if (answer > 0) shares = uint256(answer) * 10 ** (18 - $.reserveFeedDecimals);
    }

    function _isFresh(uint256 updatedAt) private view returns (bool) {
        if (updatedAt == 0) return false;
        return updatedAt >= block.timestamp || block.timestamp - updatedAt <= _cs().reserveHeartbeat;
    }

    function _requireFresh(uint256 updatedAt) private view {
        if (!_isFresh(updatedAt)) revert CertificateStaleReserves(updatedAt, _cs().reserveHeartbeat, block.timestamp);
    }

    /// @dev Units on other chains or in flight, as the home gateway counts them (0 without one).
    function _supplyElsewhere() private view returns (uint256) {
        address gw = _cs().gateway;
        return gw == address(0) ? 0 : IGatewaySupply(gw).supplyElsewhere(assetId());
    }
}
