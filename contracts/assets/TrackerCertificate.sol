// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {AssetIdentity} from "./AssetIdentity.sol";
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
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";

/// @title TrackerCertificate
/// @notice The inventory tracker certificate (Backed / xStocks model). The issuer buys the shares
/// first, a custodian holds them and attests the count through a proof-of-reserve feed, and the
/// `MINTER_ROLE` mints freely transferable tokens against that inventory. Corporate actions
/// (splits, reverse splits, reinvested dividends) change one share multiplier, O(1) whatever the
/// number of holders; a management fee decays the same multiplier once per period.
///
/// @dev Note: invariants this contract NEVER violates:
/// - ERC-20 exactness at every multiplier: a transfer (transferFrom, mint, burn, ERC-7802
///   crosschainMint/Burn) of `v` changes the sender's and the recipient's `balanceOf` by exactly
///   `v`, and emits {Transfer} with `v`. Balances are stored in TOKENS with the multiplier they
///   were written at (one slot per holder, with the sanctions flag): `balanceOf = stored * m_now
///   / m_ref` rounded down, materialised at the holder's first balance change after a corporate
///   action or a fee period ({BalanceRescaled}), so a split stays O(1) and transfers stay exact.
/// - `_totalUnits <= MAX_UNITS`, and `_totalUnits >= sum(stored(a) * 1e18 / m_ref(a))` (the exact
///   units of all balances): mints add units rounded up, burns remove them rounded down, a
///   rescale only rounds a balance down, the gateway's unit paths add and remove exactly the
///   message's units. Hence `sum(balanceOf(a)) <= totalSupply()`. The excess (dust, documented in
///   docs/security/certificate.md) is below one wei per holder rescale plus one unit's worth
///   (`m / 1e18 + 1` wei) per mint or burn made at a multiplier other than 1e18; it only ever
///   counts against minting (reserves are checked on `_totalUnits`).
/// - On the home chain a mint never makes `ceil((totalUnits + supplyElsewhere) * multiplier / 1e18)`
///   exceed the attested reserves, with a fresh feed.
/// - Every balance change (mint, burn, transfer, units transfer, crosschain mint/burn, redemption)
///   goes through {_move}: one check ({_preflight}: pause, sanctions of both parties) and one
///   bookkeeping routine.
/// - A balance change never touches an account whose cached sanctions flag is set, so the slots
///   it writes have the flag bit clear.
/// - The multiplier never leaves `[MIN_MULTIPLIER, MAX_MULTIPLIER]` (the fee decay is floored).
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
/// mint/burn); settling redemptions, corporate actions and configuration still work.
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
/// transfer of 34,513, with the real subscribed {SanctionsList}): a transfer costs 38,771 (1.12x;
/// the issue's 1.25x allows 43,141; 38,150 before the lazy rescale of finding 13.7). The sanctions
/// check costs no cold access of its own: the flags sit in the two balance slots a transfer reads
/// anyway, so the extra 4.3k are this contract's packed slot (2,100) and its logic (including the
/// reference-multiplier comparison of each balance). The former live screening (two `isSanctioned` look-ups:
/// EIP-2929 cold accesses of the oracle account 2,600 + two slots 2 x 2,100) made it 1.34x; as
/// the opt-in live mode it costs 47,485 (1.38x). With an update pending or a fee running, one
/// more slot (41,587); the first balance change of a holder after a multiplier change also emits
/// {BalanceRescaled} (~2k). Keeping the cache in sync is paid by the compliance side, not by
/// transfers: a listing pushed to one subscriber adds ~15.7k to `setSanctioned` for a holder
/// (~32.8k for an address with no slot yet); a one-account {syncSanctions} is a ~32-54k transaction.
contract TrackerCertificate is AssetIdentity, ERC20Permit, Pausable, ITrackerCertificate {
    using ShareMultiplierMath for uint256;

    /// @notice Constructor arguments besides the identity.
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

    /// @notice Mints against reserves.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Pauses and unpauses every balance change.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Schedules and cancels corporate actions (multiplier updates).
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
    /// balance, at most `MAX_UNITS * MAX_MULTIPLIER / 1e18 < 2^171` tokens, fits its 175-bit field.
    uint256 public constant MAX_UNITS = 1 << 150;

    /// @dev Bit layout of a holder's slot `_accounts[account]`: bit 255 = cached sanctions flag,
    /// bits 175-254 = the multiplier the balance was last written at (its reference, 80 bits),
    /// bits 0-174 = the token balance at that multiplier.
    uint256 private constant _SANCTIONED = 1 << 255;
    uint256 private constant _REF_SHIFT = 175;
    uint256 private constant _REF_MAX = type(uint80).max;
    uint256 private constant _BALANCE_MASK = (1 << _REF_SHIFT) - 1;
    /// @dev Bits of `_flags`.
    uint8 private constant _SLOW_PATH = 1;
    uint8 private constant _LIVE_SCREENING = 2;

    /// @notice ERC-1404 code (shared table {RestrictionCodes}): every balance change is paused.
    uint8 public constant RESTRICTION_PAUSED = RestrictionCodes.PAUSED;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the sender is sanctioned.
    uint8 public constant RESTRICTION_SENDER_SANCTIONED = RestrictionCodes.SENDER_SANCTIONED;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the recipient is sanctioned.
    uint8 public constant RESTRICTION_RECIPIENT_SANCTIONED = RestrictionCodes.RECIPIENT_SANCTIONED;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the sender's balance is too low.
    uint8 public constant RESTRICTION_INSUFFICIENT_BALANCE = RestrictionCodes.INSUFFICIENT_BALANCE;
    /// @notice ERC-1404 code (shared table {RestrictionCodes}): the recipient is the zero address.
    uint8 public constant RESTRICTION_INVALID_RECIPIENT = RestrictionCodes.ZERO_ADDRESS;

    // ---------------------------------------------------------------------------------------------
    // Storage. The first three variables share one slot with Pausable's `_paused` (declared just
    // before them in the linearization): that is the only slot of this contract a transfer reads
    // when no update is pending and no fee runs (`_SLOW_PATH` clear). Layout: `_paused` (8 bits),
    // `_sanctionsList` (160), `_multiplier` (80), `_flags` (8) = 256 bits.
    // ---------------------------------------------------------------------------------------------

    ISanctionsList private _sanctionsList;
    uint80 private _multiplier;
    /// @dev `_SLOW_PATH`: an update is pending or a fee runs, `multiplier()` must then be computed.
    /// `_LIVE_SCREENING`: every balance change also asks the oracle (issuer's choice, default off).
    uint8 private _flags;

    // Slot read by a balance change only on the slow path: the pending update and the fee.
    uint80 private _pendingMultiplier;
    /// @dev Zero when no update is pending. The pending update's nonce is always `_lastNonce`.
    uint40 private _pendingActivation;
    uint56 private _feePerPeriod;
    uint32 private _feePeriodLength;
    /// @dev Origin of the fee periods not yet folded into `_multiplier`; a checkpoint moves it
    /// forward by the whole periods it folds, so the period grid never shifts.
    uint40 private _feeStart;

    uint64 private _epoch;
    uint64 private _lastNonce;

    AggregatorV3Interface private _reserveFeed;
    uint32 private _reserveHeartbeat;
    uint8 private _reserveFeedDecimals;

    address private _gateway;
    uint64 private _redemptionCount;

    /// @dev Units outstanding on this chain, an upper bound of the exact units of all balances
    /// (sum of `balance * 1e18 / reference multiplier`): mints add rounded up, burns remove rounded
    /// down, the gateway's unit paths add and remove exactly what its messages carry.
    uint256 private _totalUnits;
    /// @dev Bit 255: cached sanctions flag; bits 175-254: reference multiplier; bits 0-174: token
    /// balance at the reference multiplier (`_SANCTIONED`, `_REF_SHIFT`, `_BALANCE_MASK`).
    mapping(address account => uint256) private _accounts;
    mapping(uint256 requestId => Redemption) private _redemptions;
    MultiplierUpdate[] private _history;

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

    /// @param identity Asset identity; `architecture` must be `TrackerCertificate`.
    /// @param config Token, admin, sanctions and reserve settings.
    constructor(IdentityParams memory identity, CertificateConfig memory config)
        AssetIdentity(identity)
        ERC20(config.name, config.symbol)
        ERC20Permit(config.name)
    {
        if (identity.architecture != Architecture.TrackerCertificate) {
            revert IdentityInvalid("architecture");
        }
        if (config.admin == address(0)) revert CertificateZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, config.admin);
        _setSanctionsList(config.sanctionsList);
        if (config.reserveFeed != address(0)) _setReserveFeed(config.reserveFeed, config.reserveHeartbeat);
        _multiplier = uint80(INITIAL_MULTIPLIER);
    }

    // =============================================================================================
    // ERC-20 views in tokens
    // =============================================================================================

    /// @notice Tokens held by `account`: the stored balance rescaled from the multiplier it was
    /// last written at to the current one, rounded down (exact when no multiplier change since).
    /// @param account The holder.
    function balanceOf(address account) public view override returns (uint256) {
        return _balanceAt(_accounts[account], _currentMultiplier());
    }

    /// @notice Tokens in existence on this chain: total units times the multiplier, rounded down.
    /// @dev Never below the sum of balances; above it by dust bounded in the contract's NatSpec.
    function totalSupply() public view override returns (uint256) {
        return _totalUnits.toTokensDown(_currentMultiplier());
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev The balance in units at the current multiplier, rounded down: whatever it reports,
    /// {transferUnits} and the gateway's {crosschainBurnUnits} can move.
    function unitsOf(address account) external view returns (uint256) {
        uint256 m = _currentMultiplier();
        return _balanceAt(_accounts[account], m).toUnitsDown(m);
    }

    /// @inheritdoc ITrackerCertificate
    function totalUnits() external view returns (uint256) {
        return _totalUnits;
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
        uint256 required = (_totalUnits + units + _supplyElsewhere()).toTokensUp(m);
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
        uint256 required = (_totalUnits + _supplyElsewhere()).toTokensUp(_currentMultiplier());
        return reserveShares > required ? reserveShares - required : 0;
    }

    // =============================================================================================
    // Corporate actions
    // =============================================================================================

    /// @inheritdoc ITrackerCertificate
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
    ) external onlyRole(TRANSFER_AGENT_ROLE) onlyHomeChain {
        (uint256 current,) = _checkpoint();
        if (_pendingActivation != 0) revert CertificateUpdatePending(_lastNonce, _pendingActivation);
        if (nonce <= _lastNonce) revert CertificateStaleNonce(nonce, _lastNonce);
        if (currentMultiplier != current) revert CertificateMultiplierMismatch(currentMultiplier, current);
        if (newMultiplier < MIN_MULTIPLIER || newMultiplier > MAX_MULTIPLIER) {
            revert CertificateInvalidMultiplier(newMultiplier);
        }
        if (activationTime < block.timestamp || activationTime > type(uint40).max) {
            revert CertificateInvalidActivation(activationTime, block.timestamp);
        }
        uint64 epoch = _epoch + 1;
        // Casts: both multipliers are <= MAX_MULTIPLIER = 2^80 - 1, the activation < 2^40.
        _pendingMultiplier = uint80(newMultiplier);
        _pendingActivation = uint40(activationTime);
        _lastNonce = nonce;
        _flags |= _SLOW_PATH;
        _history.push(
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

    /// @inheritdoc ITrackerCertificate
    /// @param nonce Nonce of the pending update (it stays used).
    /// @dev Emits {MultiplierUpdateCancelled}; removes the update from the history. Requirements:
    /// caller has `TRANSFER_AGENT_ROLE`; the update `nonce` is pending and not yet active.
    function cancelMultiplierUpdate(uint64 nonce) external onlyRole(TRANSFER_AGENT_ROLE) {
        _checkpoint();
        if (_pendingActivation == 0 || nonce != _lastNonce) revert CertificateNoPendingUpdate(nonce);
        _pendingActivation = 0;
        _pendingMultiplier = 0;
        _setSlowPath(_feePerPeriod != 0);
        _history.pop();
        emit MultiplierUpdateCancelled(nonce);
    }

    /// @notice Applies a corporate action decided on the home chain (gateway only, other chains).
    /// @param epoch The home chain's epoch after the action; above the current one.
    /// @param newMultiplier The home chain's multiplier, in `[MIN_MULTIPLIER, MAX_MULTIPLIER]`.
    /// @dev Emits {CorporateActionSynced}; appends the action (nonce 0) to the history.
    /// Requirements: caller is the gateway; not the home chain; `epoch` newer than the current.
    function syncCorporateAction(uint64 epoch, uint256 newMultiplier) external onlyGateway {
        if (_isHomeChain()) revert CertificateOnHomeChain(block.chainid);
        if (epoch <= _epoch) revert AssetStaleCorporateAction(epoch, _epoch);
        if (newMultiplier < MIN_MULTIPLIER || newMultiplier > MAX_MULTIPLIER) {
            revert CertificateInvalidMultiplier(newMultiplier);
        }
        uint256 previous = _multiplier;
        // Casts: newMultiplier <= MAX_MULTIPLIER = 2^80 - 1.
        _multiplier = uint80(newMultiplier);
        _epoch = epoch;
        _history.push(
            MultiplierUpdate({
                nonce: 0,
                epoch: epoch,
                scheduledAt: uint40(block.timestamp),
                activationTime: uint40(block.timestamp),
                previousMultiplier: uint128(previous),
                newMultiplier: uint128(newMultiplier)
            })
        );
        emit CorporateActionSynced(epoch, newMultiplier);
    }

    /// @inheritdoc ITrackerCertificate
    function multiplierUpdateCount() external view returns (uint256) {
        return _history.length;
    }

    /// @inheritdoc ITrackerCertificate
    function multiplierUpdate(uint256 index) external view returns (MultiplierUpdate memory) {
        if (index >= _history.length) revert CertificateUnknownUpdate(index);
        return _history[index];
    }

    /// @notice Current share multiplier, 1e18 = one token per unit.
    function multiplier() external view returns (uint256) {
        return _currentMultiplier();
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev Projects the current state (pending update, fee) to `timestamp`; for a time before
    /// now it is not a historical value (read the history for that).
    function multiplierAt(uint256 timestamp) external view returns (uint256 m) {
        (m,,,) = _multiplierState(timestamp);
    }

    /// @notice Corporate actions applied so far (a pending update counts from its activation).
    function corporateActionEpoch() external view returns (uint64) {
        uint256 activation = _pendingActivation;
        return activation != 0 && block.timestamp >= activation ? _epoch + 1 : _epoch;
    }

    /// @notice The pending update, if any: its nonce, multiplier and activation time (0 = none).
    function pendingMultiplierUpdate()
        external
        view
        returns (uint64 nonce, uint256 newMultiplier, uint256 activationTime)
    {
        if (_pendingActivation == 0) return (0, 0, 0);
        return (_lastNonce, _pendingMultiplier, _pendingActivation);
    }

    /// @notice The last nonce a corporate action used.
    function lastNonce() external view returns (uint64) {
        return _lastNonce;
    }

    // =============================================================================================
    // Management fee
    // =============================================================================================

    /// @inheritdoc ITrackerCertificate
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
        onlyRole(DEFAULT_ADMIN_ROLE)
        onlyHomeChain
    {
        if (feePerPeriod > MAX_FEE_PER_PERIOD || (feePerPeriod != 0 && periodLength == 0)) {
            revert CertificateInvalidFee(feePerPeriod, periodLength);
        }
        _checkpoint();
        // feePerPeriod <= MAX_FEE_PER_PERIOD = 1e16 < 2^56.
        _feePerPeriod = uint56(feePerPeriod);
        _feePeriodLength = periodLength;
        _feeStart = uint40(block.timestamp);
        _setSlowPath(feePerPeriod != 0 || _pendingActivation != 0);
        emit ManagementFeeSet(feePerPeriod, periodLength);
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev Anyone may call it; it changes no balance, only where the multiplier is stored. Cost:
    /// one exponentiation by squaring, O(log2 periods) and at most 64 iterations. Emits
    /// {ManagementFeeAccrued} with the periods folded (0 when there was nothing to fold).
    function accrueFee() external {
        (uint256 m, uint64 periods) = _checkpoint();
        emit ManagementFeeAccrued(periods, m);
    }

    /// @notice The management fee: fraction per period (1e18 = 100%), period length, and the start
    /// of the first period not yet folded into the stored multiplier.
    function managementFee() external view returns (uint256 feePerPeriod, uint256 periodLength, uint256 start) {
        return (_feePerPeriod, _feePeriodLength, _feeStart);
    }

    // =============================================================================================
    // Redemption
    // =============================================================================================

    /// @inheritdoc ITrackerCertificate
    /// @param shares Tokens to redeem (= underlying shares, 18 decimals), burned exactly; the
    /// request records them with the multiplier of the moment (split-invariant form), so a
    /// corporate action before settlement scales what is due like a balance (see
    /// {redemptionSharesDue}).
    /// @dev Emits {Transfer} to the zero address, then {RedemptionRequested} (`units`: the units
    /// the burn removed from {totalUnits}, `floor(shares * 1e18 / multiplier)`). Requirements: home
    /// chain; not paused; caller not sanctioned; `shares` not zero and within the balance.
    function requestRedemption(uint256 shares) external onlyHomeChain returns (uint256 requestId) {
        if (shares == 0) revert CertificateZeroAmount();
        address holder = _msgSender();
        _burn(holder, shares);
        uint256 m = _currentMultiplier();
        uint256 units = shares.toUnitsDown(m);
        requestId = ++_redemptionCount;
        _redemptions[requestId] = Redemption({
            holder: holder,
            status: RedemptionStatus.Requested,
            shares: shares,
            units: units,
            multiplier: m,
            sharesSettled: 0
        });
        emit RedemptionRequested(requestId, holder, assetId(), shares, units);
    }

    /// @inheritdoc ITrackerCertificate
    /// @param requestId The request.
    /// @param settlementRef Custodian's reference of the delivery or sale.
    /// @dev Records and emits the shares due now ({redemptionSharesDue}): the requested shares
    /// rescaled by every multiplier change since the request, rounded down. Works while paused
    /// (a pending request always has a way out). Emits {RedemptionSettled}. Requirements: caller
    /// has `CUSTODIAN_ROLE`; the request exists and is not settled yet.
    function settleRedemption(uint256 requestId, bytes32 settlementRef) external onlyRole(CUSTODIAN_ROLE) {
        Redemption storage request = _redemptions[requestId];
        if (request.status == RedemptionStatus.None) revert CertificateUnknownRedemption(requestId);
        if (request.status == RedemptionStatus.Settled) revert CertificateRedemptionAlreadySettled(requestId);
        uint256 due = request.shares.rescaleDown(_currentMultiplier(), request.multiplier);
        request.status = RedemptionStatus.Settled;
        request.sharesSettled = due;
        emit RedemptionSettled(requestId, settlementRef, due);
    }

    /// @inheritdoc ITrackerCertificate
    /// @param requestId The request.
    /// @dev Requested: `shares * multiplier() / multiplier at request`, rounded down (exact when
    /// the multiplier did not change; doubled by a 2:1 split activated since the request).
    /// Settled: the shares recorded at settlement. Unknown: 0.
    function redemptionSharesDue(uint256 requestId) external view returns (uint256) {
        Redemption storage request = _redemptions[requestId];
        if (request.status == RedemptionStatus.Settled) return request.sharesSettled;
        if (request.status == RedemptionStatus.None) return 0;
        return request.shares.rescaleDown(_currentMultiplier(), request.multiplier);
    }

    /// @inheritdoc ITrackerCertificate
    function redemption(uint256 requestId) external view returns (Redemption memory) {
        return _redemptions[requestId];
    }

    /// @notice Number of redemption requests so far (the last request id).
    function redemptionCount() external view returns (uint256) {
        return _redemptionCount;
    }

    // =============================================================================================
    // Cross-chain (ERC-7802)
    // =============================================================================================

    /// @notice The gateway allowed to call the ERC-7802 functions and the sync.
    function gateway() external view returns (address) {
        return _gateway;
    }

    /// @inheritdoc ITrackerCertificate
    /// @param newGateway The gateway (zero disables cross-chain and counts no supply elsewhere).
    /// @dev Emits {GatewaySet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setGateway(address newGateway) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _gateway = newGateway;
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
        _move(address(0), to, amount, units);
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
        _move(from, address(0), amount, units);
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
        if (_isSanctioned(to, _sanctionsList)) return RESTRICTION_RECIPIENT_SANCTIONED;
        return 0;
    }

    /// @notice Restriction code (0 = allowed) for delivering units to `to` from another chain:
    /// the checks {crosschainMint} enforces (paused 1, zero recipient 5, sanctioned recipient 3:
    /// the cached flag, and the oracle too in live mode).
    /// @param to Recipient on this chain.
    function crosschainRestriction(address to, uint256) public view returns (uint8) {
        if (paused()) return RESTRICTION_PAUSED;
        if (to == address(0)) return RESTRICTION_INVALID_RECIPIENT;
        if (_isSanctioned(to, _sanctionsList)) return RESTRICTION_RECIPIENT_SANCTIONED;
        return 0;
    }

    // =============================================================================================
    // ERC-1404
    // =============================================================================================

    /// @notice The restriction that would refuse `transfer(to, value)` from `from`, 0 if none
    /// (sanctions: the cached flags, and the oracle too in live mode).
    /// @param from Sender.
    /// @param to Recipient.
    /// @param value Tokens.
    function detectTransferRestriction(address from, address to, uint256 value) external view returns (uint8) {
        if (paused()) return RESTRICTION_PAUSED;
        if (to == address(0)) return RESTRICTION_INVALID_RECIPIENT;
        ISanctionsList list = _sanctionsList;
        if (_isSanctioned(from, list)) return RESTRICTION_SENDER_SANCTIONED;
        if (_isSanctioned(to, list)) return RESTRICTION_RECIPIENT_SANCTIONED;
        if (balanceOf(from) < value) return RESTRICTION_INSUFFICIENT_BALANCE;
        return 0;
    }

    /// @notice Human-readable text of a restriction code.
    /// @param restrictionCode A code of {detectTransferRestriction}.
    function messageForTransferRestriction(uint8 restrictionCode) external pure returns (string memory) {
        return RestrictionCodes.message(restrictionCode);
    }

    // =============================================================================================
    // Administration
    // =============================================================================================

    /// @inheritdoc ITrackerCertificate
    /// @param newList The new oracle (Chainalysis `isSanctioned` interface); not zero.
    /// @dev Changing the oracle does NOT clear or re-read the cached flags (that would be a loop
    /// over holders): the admin or a keeper calls {syncSanctions} for the accounts the old and new
    /// oracles disagree on, and subscribes the certificate to the new list if it pushes (and
    /// unsubscribes it from the old one). Emits {SanctionsListSet}. Requirements: caller has
    /// `DEFAULT_ADMIN_ROLE`.
    function setSanctionsList(address newList) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSanctionsList(newList);
    }

    /// @notice The sanctions oracle the cached flags are synced from (and asked live in live mode).
    function sanctionsList() external view returns (address) {
        return address(_sanctionsList);
    }

    /// @inheritdoc ITrackerCertificate
    /// @param accounts Accounts to sync; the zero address is skipped. The cost is linear in the
    /// caller's own list (one oracle call and one slot per account), never in the holders.
    /// @dev Anyone may call it: it only copies the oracle's answer. Emits {SanctionsSynced} for
    /// each account whose cached flag changes (nothing for the others).
    function syncSanctions(address[] calldata accounts) external {
        ISanctionsList list = _sanctionsList;
        // Bounded by the caller's calldata.
        for (uint256 i = 0; i < accounts.length; ++i) {
            _syncSanctions(list, accounts[i]);
        }
    }

    /// @inheritdoc ISanctionsSubscriber
    /// @param account The account whose status changed on a list this certificate subscribes to.
    /// @dev Called by our {SanctionsList} in the same transaction as `setSanctioned`; anyone else
    /// may call it too (it re-reads {sanctionsList}, like {syncSanctions} for one account). Works
    /// while paused. Emits {SanctionsSynced} when the cached flag changes.
    function onSanctionsChanged(address account) external {
        _syncSanctions(_sanctionsList, account);
    }

    /// @inheritdoc ITrackerCertificate
    /// @param account The account asked about.
    function isSanctionedCached(address account) external view returns (bool) {
        return _accounts[account] & _SANCTIONED != 0;
    }

    /// @inheritdoc ITrackerCertificate
    /// @param enabled True: every balance change also calls the oracle for each screened party
    /// (no sync lag with a non-pushing oracle, ~8.7k gas more per transfer); false: cached flags only.
    /// @dev Emits {LiveScreeningSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setLiveScreening(bool enabled) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (enabled) _flags |= _LIVE_SCREENING;
        else _flags &= ~_LIVE_SCREENING;
        emit LiveScreeningSet(enabled);
    }

    /// @notice Whether live screening is on (see {setLiveScreening}).
    function liveScreening() external view returns (bool) {
        return _flags & _LIVE_SCREENING != 0;
    }

    /// @inheritdoc ITrackerCertificate
    /// @param feed An `AggregatorV3Interface` answering shares in custody, at most 18 decimals.
    /// @param heartbeat Maximum report age in seconds accepted by {mint}; not zero.
    /// @dev Emits {ReserveFeedSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setReserveFeed(address feed, uint32 heartbeat) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setReserveFeed(feed, heartbeat);
    }

    /// @notice The reserve feed and the heartbeat mints require.
    function reserveFeed() external view returns (address feed, uint256 heartbeat) {
        return (address(_reserveFeed), _reserveHeartbeat);
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev Emits {Paused}. Requirements: caller has `PAUSER_ROLE`; not paused.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc ITrackerCertificate
    /// @dev Emits {Unpaused}. Requirements: caller has `PAUSER_ROLE`; paused.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @notice ERC-165: every interface this contract implements: ERC-165 itself, {IAccessControl}
    /// (AccessControl's), ERC-20, ERC-20 metadata, ERC-2612 permit, ERC-5267 (EIP-712 domain),
    /// ERC-7802 (0x33331994), ERC-1404, {IAssetIdentity}, {ICrosschainAsset},
    /// {ISanctionsSubscriber} and {ITrackerCertificate}.
    /// @param interfaceId The interface asked about.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IERC20).interfaceId || interfaceId == type(IERC20Metadata).interfaceId
            || interfaceId == type(IERC20Permit).interfaceId || interfaceId == type(IERC5267).interfaceId
            || interfaceId == type(IERC7802).interfaceId || interfaceId == type(IERC1404).interfaceId
            || interfaceId == type(IAssetIdentity).interfaceId || interfaceId == type(ICrosschainAsset).interfaceId
            || interfaceId == type(ISanctionsSubscriber).interfaceId
            || interfaceId == type(ITrackerCertificate).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @inheritdoc ITrackerCertificate
    /// @param account The account asked about.
    /// @dev The rule every balance change applies: the cached flag, or in live mode the cached
    /// flag or the oracle's answer. {CertificateVault} screens its parties with it.
    function isSanctioned(address account) external view returns (bool) {
        return _isSanctioned(account, _sanctionsList);
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
        _move(from, to, value, units);
    }

    /// @dev A units transfer: exactly `value` tokens (the caller rounded `units` up), logged with
    /// the units asked for.
    function _transferUnits(address from, address to, uint256 units, uint256 value) private {
        _move(from, to, value, 0);
        emit UnitsTransferred(from, to, units);
    }

    /// @dev The one balance change: checks ({_preflight}), rescales each party's stored balance to
    /// the current multiplier (materialising it, {BalanceRescaled}), moves exactly `value` tokens,
    /// and for a mint (burn) adds (removes) `units` to (from) {totalUnits}. Emits {Transfer}.
    function _move(address from, address to, uint256 value, uint256 units) private {
        uint256 m = _preflight(from, to);
        if (from == address(0)) {
            uint256 total = _totalUnits + units;
            if (total > MAX_UNITS) revert CertificateUnitsOverflow(total, MAX_UNITS);
            _totalUnits = total;
        } else {
            uint256 held = _materialise(from, _accounts[from], m);
            if (held < value) revert ERC20InsufficientBalance(from, held, value);
            // unchecked: `held >= value`; the flag bit is clear ({_preflight} refused a flagged
            // sender), so the slot is the balance and its reference multiplier `m`.
            unchecked {
                _accounts[from] = (held - value) | (m << _REF_SHIFT);
            }
        }
        if (to == address(0)) {
            // Cannot underflow: `_totalUnits` is at least the exact units of all balances (see the
            // contract's invariants), and the burned tokens were part of a balance.
            _totalUnits -= units;
        } else {
            // Read after the debit: a self-transfer sees its own debited balance.
            uint256 balance = _materialise(to, _accounts[to], m);
            // unchecked: every balance is at most totalSupply <= MAX_UNITS * MAX_MULTIPLIER / 1e18
            // < 2^171, so `balance + value` fits the 175-bit field; `to` is not flagged.
            unchecked {
                _accounts[to] = (balance + value) | (m << _REF_SHIFT);
            }
        }
        emit Transfer(from, to, value);
    }

    /// @dev The balance of a slot at multiplier `m`, emitting {BalanceRescaled} when a corporate
    /// action or the fee changed it since the slot was written (the caller writes it back).
    function _materialise(address account, uint256 slot, uint256 m) private returns (uint256 balance) {
        balance = slot & _BALANCE_MASK;
        uint256 ref = (slot >> _REF_SHIFT) & _REF_MAX;
        if (ref != m && balance != 0) {
            uint256 rescaled = balance.rescaleDown(m, ref);
            emit BalanceRescaled(account, balance, rescaled, m);
            balance = rescaled;
        }
    }

    /// @dev The balance of a slot at multiplier `m` (view of {_materialise}).
    function _balanceAt(uint256 slot, uint256 m) private pure returns (uint256) {
        uint256 balance = slot & _BALANCE_MASK;
        // slither-disable-next-line incorrect-equality
        if (balance == 0) return 0;
        return balance.rescaleDown(m, (slot >> _REF_SHIFT) & _REF_MAX);
    }

    /// @dev The checks every balance change passes; returns the current multiplier, and folds a
    /// pending update into storage at the first balance change after its activation (emitting
    /// {CorporateActionActivated}). The pause flag, the live-screening flag and the multiplier
    /// share one slot; the sanctions flags share the parties' slots, which the balance change
    /// reads again (warm) right after.
    function _preflight(address from, address to) private returns (uint256 m) {
        _requireNotPaused();
        if (_flags & _LIVE_SCREENING == 0) {
            if (from != address(0) && _accounts[from] & _SANCTIONED != 0) revert CertificateSanctioned(from);
            if (to != address(0) && _accounts[to] & _SANCTIONED != 0) revert CertificateSanctioned(to);
        } else {
            ISanctionsList list = _sanctionsList;
            if (from != address(0) && (_accounts[from] & _SANCTIONED != 0 || list.isSanctioned(from))) {
                revert CertificateSanctioned(from);
            }
            if (to != address(0) && (_accounts[to] & _SANCTIONED != 0 || list.isSanctioned(to))) {
                revert CertificateSanctioned(to);
            }
        }
        if (_flags & _SLOW_PATH == 0) return _multiplier;
        uint256 activation = _pendingActivation;
        if (activation != 0 && block.timestamp >= activation) (m,) = _checkpoint();
        else (m,,,) = _multiplierState(block.timestamp);
    }

    function _screenSpender(address spender) private view {
        if (_isSanctioned(spender, _sanctionsList)) revert CertificateSanctioned(spender);
    }

    /// @dev The cached flag, or in live mode the cached flag or the oracle's answer.
    function _isSanctioned(address account, ISanctionsList list) private view returns (bool) {
        if (_accounts[account] & _SANCTIONED != 0) return true;
        return _flags & _LIVE_SCREENING != 0 && list.isSanctioned(account);
    }

    /// @dev Copies the oracle's answer for `account` into its cached flag; emits only on change.
    function _syncSanctions(ISanctionsList list, address account) private {
        if (account == address(0)) return;
        bool sanctioned = list.isSanctioned(account);
        uint256 slot = _accounts[account];
        if (sanctioned != (slot & _SANCTIONED != 0)) {
            _accounts[account] = sanctioned ? slot | _SANCTIONED : slot & ~_SANCTIONED;
            emit SanctionsSynced(account, sanctioned);
        }
    }

    function _setSlowPath(bool on) private {
        if (on) _flags |= _SLOW_PATH;
        else _flags &= ~_SLOW_PATH;
    }

    // =============================================================================================
    // Internal: multiplier
    // =============================================================================================

    function _currentMultiplier() private view returns (uint256 m) {
        if (_flags & _SLOW_PATH == 0) return _multiplier;
        (m,,,) = _multiplierState(block.timestamp);
    }

    /// @dev The multiplier at `time` from storage: the pending update if active by then, decayed
    /// by the fee periods not yet folded. Also returns whether the pending update is active, the
    /// fee period index at `time` and the number of periods decayed.
    function _multiplierState(uint256 time)
        private
        view
        returns (uint256 m, bool activated, uint64 periodIndex, uint64 periods)
    {
        m = _multiplier;
        uint256 fee = _feePerPeriod;
        // zero: fees counted from the first period
        // slither-disable-next-line uninitialized-local
        uint64 from;
        uint256 activation = _pendingActivation;
        if (activation != 0 && time >= activation) {
            m = _pendingMultiplier;
            activated = true;
            if (fee != 0) from = _periodIndex(activation);
        }
        if (fee != 0) {
            periodIndex = _periodIndex(time);
            if (periodIndex > from) {
                periods = periodIndex - from;
                m = ShareMultiplierMath.decay(m, fee, periods);
                // The fee stops at the floor: the multiplier never reaches zero (a zero multiplier
                // would make every allowance in tokens round to zero).
                if (m < MIN_MULTIPLIER) m = MIN_MULTIPLIER;
            }
        }
    }

    /// @dev Whole fee periods between the grid start and `time`.
    function _periodIndex(uint256 time) private view returns (uint64) {
        uint256 start = _feeStart;
        if (time <= start) return 0;
        return uint64((time - start) / _feePeriodLength);
    }

    /// @dev Folds an active pending update and elapsed fee periods into storage; returns the
    /// current multiplier and the fee periods folded. The decayed value never exceeds the value it decays, so it fits 80 bits.
    function _checkpoint() private returns (uint256 m, uint64 periods) {
        if (_flags & _SLOW_PATH == 0) return (_multiplier, 0);
        bool activated;
        uint64 periodIndex;
        (m, activated, periodIndex, periods) = _multiplierState(block.timestamp);
        _multiplier = uint80(m);
        if (activated) {
            _pendingActivation = 0;
            _pendingMultiplier = 0;
            uint64 epoch = _epoch + 1;
            _epoch = epoch;
            emit CorporateActionActivated(_lastNonce, epoch, m);
        }
        if (_feePerPeriod != 0) {
            // The folded periods end on the grid: `_feeStart + periodIndex * length <= now`, which
            // fits 40 bits like `block.timestamp`.
            _feeStart = uint40(_feeStart + uint256(periodIndex) * _feePeriodLength);
        } else {
            _setSlowPath(_pendingActivation != 0);
        }
    }

    // =============================================================================================
    // Internal: reserves and configuration
    // =============================================================================================

    /// @dev Reserves in shares scaled to 18 decimals (a negative answer reads as 0) and the report
    /// time (0 without a feed, which reads as stale).
    function _readReserves() private view returns (uint256 shares, uint256 updatedAt) {
        AggregatorV3Interface feed = _reserveFeed;
        if (address(feed) == address(0)) return (0, 0);
        int256 answer;
        // Only the answer and its time matter; round ids are not used (a custodian feed).
        // slither-disable-next-line unused-return
        (, answer,, updatedAt,) = feed.latestRoundData();
        if (answer > 0) shares = uint256(answer) * 10 ** (18 - _reserveFeedDecimals);
    }

    function _isFresh(uint256 updatedAt) private view returns (bool) {
        if (updatedAt == 0) return false;
        return updatedAt >= block.timestamp || block.timestamp - updatedAt <= _reserveHeartbeat;
    }

    function _requireFresh(uint256 updatedAt) private view {
        if (!_isFresh(updatedAt)) revert CertificateStaleReserves(updatedAt, _reserveHeartbeat, block.timestamp);
    }

    /// @dev Units on other chains or in flight, as the home gateway counts them (0 without one).
    function _supplyElsewhere() private view returns (uint256) {
        address gw = _gateway;
        return gw == address(0) ? 0 : IGatewaySupply(gw).supplyElsewhere(assetId());
    }

    function _setSanctionsList(address list) private {
        if (list == address(0)) revert CertificateZeroAddress();
        _sanctionsList = ISanctionsList(list);
        emit SanctionsListSet(list);
    }

    function _setReserveFeed(address feed, uint32 heartbeat) private {
        if (feed == address(0) || heartbeat == 0) revert CertificateInvalidFeed(feed);
        uint8 feedDecimals = AggregatorV3Interface(feed).decimals();
        if (feedDecimals > 18) revert CertificateInvalidFeed(feed);
        _reserveFeed = AggregatorV3Interface(feed);
        _reserveHeartbeat = heartbeat;
        _reserveFeedDecimals = feedDecimals;
        emit ReserveFeedSet(feed, heartbeat, feedDecimals);
    }
}
