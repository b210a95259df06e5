// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IAssetIdentity} from "../interfaces/IAssetIdentity.sol";
import {IERC7540Deposit, IERC7540Operator, IERC7540Redeem, IERC7575} from "../interfaces/IERC7540.sol";
import {IERC7887Deposit, IERC7887Redeem} from "../interfaces/IERC7887.sol";
import {IInvestorRegistry} from "../interfaces/IInvestorRegistry.sol";
import {IPartyWords} from "../interfaces/IPartyWords.sol";
import {IOrderDesk} from "../interfaces/IOrderDesk.sol";
import {IOrderDeskVaults, IOrderVault} from "../interfaces/IOrderVault.sol";
import {IOrderToken} from "../interfaces/IOrderToken.sol";
import {ISanctionsList} from "../interfaces/ISanctionsList.sol";
import {TokenBucket} from "../libraries/TokenBucket.sol";
import {PartyWord} from "../libraries/PartyWord.sol";

/// @notice The part of the order desk the vault reads besides {IOrderDesk}: its investor registry.
interface IDeskRegistry {
    function registry() external view returns (IInvestorRegistry);
}

/// @notice The part of the order token the vault reads besides {IOrderToken}: where it asks
/// `isSanctioned` (its sanctions list's plain store, or the list itself).
interface IShareSanctions {
    function sanctionsReader() external view returns (ISanctionsList);
}

/// @title OrderVault
/// @notice Asynchronous subscriptions and redemptions of one mint-on-order stock in one cash token,
/// beside the order desk's atomic signed quotes: for orders that cannot fill at once (outside market
/// hours, T+1). ERC-7540 (asynchronous deposit and redeem, operators), ERC-7575 (the share is the
/// order token, a separate contract: one vault per cash token, all sharing one share token, looked
/// up through the desk's `vaultOf(token, asset)` and the token's `vault(asset)`), and ERC-7887
/// (asynchronous cancelation).
///
/// Flow. An investor requests a deposit (cash moves into the vault, Pending) or a redemption (order
/// tokens move into the vault, Pending). The executor (broker) fills it at the fill price, once per
/// fill id: a deposit fill asks the desk to mint the shares to the vault (Claimable) and the cash
/// joins the reserve; a redemption fill takes its cash from the reserve (Claimable) and asks the desk
/// to burn the shares. The controller (or its operator) claims through `deposit`/`mint` or
/// `redeem`/`withdraw`. A cancelation is pending until the executor accepts it (the broker may be
/// filling the order at that moment: what it filled first stays filled), then claimable. LIVENESS: a
/// cancelation the executor neither accepts nor fills by its deadline (the request time plus the
/// admin's cancel timeout then in force, bounded to [1 hour, 30 days]) expires: from then on the
/// executor can no longer fill that side of the Request, and what is still Pending is claimable by
/// the controller alone through `claimCancel*Request` (a new Request on that side first settles it).
///
/// @dev Note: invariants, NEVER violated:
/// - NO CASH STRANDED: `asset.balanceOf(vault) >= totalPendingDeposits + totalClaimableRedeemAssets
///   + totalClaimableCancelDeposits` (what the vault owes investors), and the difference is the
///   reserve, which only the treasury withdraws and redemptions draw on. Every unit of cash in the
///   vault is therefore Pending (a deposit), Claimable (a redemption), Claimable after a
///   cancelation (a deposit), or reserve (filled deposits, top-ups, and anything sent directly):
///   none belongs to no one. Requests and top-ups refuse a cash token that delivers less than sent.
/// - SHARES HELD: `share.balanceOf(vault) >= totalPendingRedeemShares + totalClaimableDepositShares +
///   totalClaimableCancelRedeemShares`.
/// - NOTHING FULFILLED TWICE: a fill moves at most the Pending amount of its controller to Claimable
///   and each fill id is used once; a claim moves at most the Claimable amount.
/// - RESERVE FIRST: a redemption is filled only when the reserve already holds its cash, which then
///   leaves the reserve for the controller's Claimable balance; the treasury can never withdraw
///   what is owed.
/// - NO CANCEL STUCK: a pending cancelation is settled by the executor before its deadline, or by
///   the controller after it; a fill after the deadline is refused, so an expired cancelation
///   returns exactly what was still Pending, once.
///
/// Request ids: every Request has id 0 (ERC-7540: Requests aggregated per controller); the views
/// return 0 for any other id. Prices: cash base units per 1e18 units of the share (the
/// split-invariant quantity); order-token amounts are converted with the token's multiplier.
/// Rounding is always against the investor (shares and cash out down, what is taken up).
/// Compliance: the owner and controller of a Request and the receiver of a claim must be verified
/// investors in the desk's registry (the desk's rule); none of them, nor the controller of a claim,
/// may be on the token's sanctions list (every party that benefits is screened, cash paths
/// included); share transfers also pass the token's checks.
/// Pause: the vault's own pause or the desk's pause stops Requests, fills, cancelations and claims.
/// Retirement: once the desk replaces or removes this vault it refuses the vault's mints and burns,
/// so fills stop, while cancelations (accepted by the executor) and claims still work.
/// Upgradeable (UUPS, ERC-1967): the desk registers, and clients use, the proxy's address; all of
/// the vault's own state (the former immutables included) lives in one ERC-7201 namespace
/// (`OrderVaultStorage`, no sequential slot), so an upgrade keeps every Request, total and fill id.
/// Only DEFAULT_ADMIN_ROLE may upgrade ({_authorizeUpgrade}): the timelock once the deployment hands
/// admin over. The implementation itself can never be initialised.
contract OrderVault is
    Initializable,
    UUPSUpgradeable,
    AccessControlUpgradeable,
    PausableUpgradeable,
    ReentrancyGuardTransient,
    IERC7575,
    IERC7540Operator,
    IERC7540Deposit,
    IERC7540Redeem,
    IERC7887Deposit,
    IERC7887Redeem,
    IOrderVault
{
    using SafeERC20 for IERC20;
    using SafeCast for uint256;
    using TokenBucket for TokenBucket.Bucket;

    /// @notice Pauses this vault at once (unpausing is `DEFAULT_ADMIN_ROLE`'s).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice The broker: fills Requests and accepts cancelations.
    bytes32 public constant EXECUTOR_ROLE = keccak256("EXECUTOR_ROLE");
    /// @notice Tops up and withdraws the free reserve.
    bytes32 public constant TREASURY_ROLE = keccak256("TREASURY_ROLE");

    uint256 private constant _ONE = 1e18;
    uint256 private constant _BPS = 10_000;

    /// @notice The shortest and longest cancel timeout the admin can set.
    uint256 public constant MIN_CANCEL_TIMEOUT = 1 hours;
    uint256 public constant MAX_CANCEL_TIMEOUT = 30 days;

    /// @dev One controller's Requests, five slots. A cancelation is pending while its deadline is
    /// not zero (the executor settles it before the deadline, the controller after it).
    struct Account {
        uint128 pendingDepositAssets;
        uint128 claimableDepositAssets;
        uint128 claimableDepositShares;
        uint128 claimableCancelDepositAssets;
        uint128 pendingRedeemShares;
        uint128 claimableRedeemShares;
        uint128 claimableRedeemAssets;
        uint128 claimableCancelRedeemShares;
        uint64 cancelDepositDeadline;
        uint64 cancelRedeemDeadline;
    }

    /// @dev The slot every function reads first (its pause, then the desk's): the desk, this
    /// vault's pause, the cash's decimals and the cancel timeout.
    struct Config {
        address desk;
        bool paused;
        uint8 assetDecimals;
        uint64 cancelTimeout;
    }

    /// @custom:storage-location erc7201:tokenized-stocks.storage.OrderVault
    struct OrderVaultStorage {
        Config config;
        IERC20 asset;
        IOrderToken share;
        bytes32 assetId;
        // The desk's registry's plain copy of the wallets' words ({IInvestorRegistry-partyWordStore}),
        // read without the registry's proxy; the vault reads nothing else of the registry.
        IPartyWords words;
        // Where the token asks `isSanctioned` ({OrderToken-sanctionsReader}: the list's plain store,
        // so a request or a claim and the share transfer it makes read one account; a vault set up
        // before the store holds the list itself, which answers the same).
        ISanctionsList sanctions;
        mapping(address controller => Account) accounts;
        mapping(address controller => mapping(address operator => bool)) operators;
        mapping(uint256 word => uint256 bits) fills;
        // Cash owed to investors (the rest of the balance is the reserve).
        uint128 totalPendingDeposits;
        uint128 totalClaimableRedeemAssets;
        uint128 totalClaimableCancelDeposits;
        uint128 lastPrice;
        // Shares owed to investors.
        uint128 totalPendingRedeemShares;
        uint128 totalClaimableDepositShares;
        uint128 totalClaimableCancelRedeemShares;
        TokenBucket.Bucket limit;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.OrderVault")) - 1)) & ~bytes32(uint256(0xff))
    /// = 0xff43c98064b2848efd66bd74e90d3190f521da5f0860da18fb36ed2f6ccd3b00 (ERC-7201; asserted in
    /// test/forge/OrderVaultUpgrade.t.sol).
    bytes32 private constant ORDER_VAULT_STORAGE = 0xff43c98064b2848efd66bd74e90d3190f521da5f0860da18fb36ed2f6ccd3b00;

    /// @notice The implementation: never initialised itself (a proxy delegates to it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a vault behind its proxy (called once, in the proxy's deployment).
    /// @param admin Receives `DEFAULT_ADMIN_ROLE`.
    /// @param asset_ The cash token (its decimals define the price unit); zero: the desk's cash, read
    /// here, so a deployment's vault of the desk's cash has the same proxy init code (and CREATE2
    /// address) on every chain whatever that chain's stablecoin is.
    /// @param share_ The order token; its desk registers this vault ({IOrderDeskVaults-setVault}).
    /// @dev Emits {RoleGranted} and {Initialized}. Requirements: not yet initialised (the
    /// implementation never is); `admin` and `share_` are not zero; the cash (given, or the desk's)
    /// is set. The cancel timeout starts at 7 days.
    function initialize(address admin, IERC20Metadata asset_, IOrderToken share_) external initializer {
        __UUPSUpgradeable_init();
        __AccessControl_init();
        __Pausable_init();
        if (admin == address(0) || address(share_) == address(0)) revert VaultZeroAddress();
        address desk_ = share_.desk();
        if (address(asset_) == address(0)) asset_ = IERC20Metadata(IOrderDesk(desk_).cash());
        if (address(asset_) == address(0)) revert VaultZeroAddress(); // the desk's cash is not set yet
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        OrderVaultStorage storage $ = _vs();
        $.config = Config({desk: desk_, paused: false, assetDecimals: asset_.decimals(), cancelTimeout: 7 days});
        $.asset = IERC20(address(asset_));
        $.share = share_;
        $.assetId = IAssetIdentity(address(share_)).assetId();
        $.words = IPartyWords(IDeskRegistry(desk_).registry().partyWordStore());
        $.sanctions = IShareSanctions(address(share_)).sanctionsReader();
    }

    modifier whenLive() {
        _requireLive();
        _;
    }

    // ------------------------------------------------------------------------------------------
    // ERC-7540 Requests
    // ------------------------------------------------------------------------------------------

    /// @notice Takes `assets` cash from `owner` (who approved the vault) into a deposit Request
    /// controlled by `controller`.
    /// @param assets Cash base units.
    /// @param controller Controls the Request (claims it, cancels it).
    /// @param owner Pays the cash: the caller or an account that made the caller its operator.
    /// @return requestId Always 0.
    /// @dev Emits a {DepositRequest} event.
    /// Requirements: not paused; `assets > 0`; the caller is `owner` or its operator; `owner` and
    /// `controller` are verified investors and not sanctioned; no deposit cancelation of `controller` is pending (an
    /// expired one is settled first: its cash becomes claimable); the vault receives exactly `assets`.
    function requestDeposit(uint256 assets, address controller, address owner)
        external
        nonReentrant
        whenLive
        returns (uint256 requestId)
    {
        if (assets == 0) revert VaultZeroAmount();
        _requireSelfOrOperator(owner);
        _requireVerified(owner);
        if (controller != owner) _requireVerified(controller);
        Account storage account = _vs().accounts[controller];
        _expireCancelDeposit(account, controller);
        if (account.cancelDepositDeadline != 0) revert VaultCancelPending(controller);
        _pullCash(owner, assets);
        uint128 amount = assets.toUint128();
        account.pendingDepositAssets += amount;
        _vs().totalPendingDeposits += amount;
        emit DepositRequest(controller, owner, 0, msg.sender, assets);
        return 0;
    }

    /// @notice Moves `shares` order tokens from `owner` (who approved the vault) into a redeem
    /// Request controlled by `controller`.
    /// @param shares Order-token amount.
    /// @param controller Controls the Request.
    /// @param owner Holds the shares: the caller or an account that made the caller its operator.
    /// @return requestId Always 0.
    /// @dev Emits a {RedeemRequest} event (and the token's {Transfer}).
    /// Requirements: not paused; `shares > 0`; the caller is `owner` or its operator; `owner` and
    /// `controller` are verified investors and not sanctioned; no redeem cancelation of `controller` is pending (an
    /// expired one is settled first); the token allows the transfer to the vault. An ERC-20 allowance of `owner` to the caller is not a
    /// redeem approval here (the share is a separate contract): the caller must be an operator.
    function requestRedeem(uint256 shares, address controller, address owner)
        external
        nonReentrant
        whenLive
        returns (uint256 requestId)
    {
        if (shares == 0) revert VaultZeroAmount();
        _requireSelfOrOperator(owner);
        _requireVerified(owner);
        if (controller != owner) _requireVerified(controller);
        Account storage account = _vs().accounts[controller];
        _expireCancelRedeem(account, controller);
        if (account.cancelRedeemDeadline != 0) revert VaultCancelPending(controller);
        uint128 amount = shares.toUint128();
        account.pendingRedeemShares += amount;
        _vs().totalPendingRedeemShares += amount;
        // `owner` is the caller or approved the caller as its operator (checked above).
        // slither-disable-next-line arbitrary-send-erc20
        IERC20(address(_vs().share)).safeTransferFrom(owner, address(this), shares);
        emit RedeemRequest(controller, owner, 0, msg.sender, shares);
        return 0;
    }

    /// @inheritdoc IERC7540Operator
    /// @dev Emits an {OperatorSet} event. Requirements: `operator` is not the caller.
    function setOperator(address operator, bool approved) external returns (bool) {
        if (operator == msg.sender) revert VaultUnauthorizedOperator(msg.sender, operator);
        _vs().operators[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Executor: fills and cancelations
    // ------------------------------------------------------------------------------------------

    /// @notice Fills `assets` of `controller`'s Pending deposit at `price`: the desk mints
    /// `floor(floor(assets * 1e18 / price) * multiplier / 1e18)` shares to the vault, Claimable by
    /// `controller`, and the cash joins the reserve.
    /// @param controller The Request's controller.
    /// @param assets Cash of the Pending deposit filled.
    /// @param price Fill price, cash base units per 1e18 units of the share.
    /// @param fillId The broker's fill id, used once per vault.
    /// @return shares The shares minted.
    /// @dev Emits a {DepositFulfilled} event (and the token's {Transfer}).
    /// Requirements: caller has `EXECUTOR_ROLE`; not paused; `fillId` unused; no expired deposit
    /// cancelation of `controller`; `0 < assets <=` the Pending deposit; the price is within the desk's band around a fresh reference price; the fill
    /// gives at least one share; the rate limit allows `assets`.
    function fulfilDeposit(address controller, uint256 assets, uint256 price, uint256 fillId)
        external
        onlyRole(EXECUTOR_ROLE)
        nonReentrant
        whenLive
        returns (uint256 shares)
    {
        _useFill(fillId);
        Account storage account = _vs().accounts[controller];
        _requireCancelNotExpired(controller, account.cancelDepositDeadline);
        if (assets == 0) revert VaultZeroAmount();
        if (assets > account.pendingDepositAssets) {
            revert VaultExceedsPending(controller, assets, account.pendingDepositAssets);
        }
        uint256 multiplier = _checkPrice(price);
        shares = _sharesFor(assets, price, multiplier);
        if (shares == 0) revert VaultZeroFill(assets, price);
        _consumeLimit(assets);
        // Cannot underflow: assets <= pending (checked above), and totals >= any one account.
        uint128 amount = uint128(assets);
        uint128 minted = shares.toUint128();
        account.pendingDepositAssets -= amount;
        account.claimableDepositAssets += amount;
        account.claimableDepositShares += minted;
        _vs().totalPendingDeposits -= amount;
        _vs().totalClaimableDepositShares += minted;
        _vs().lastPrice = price.toUint128();
        IOrderDeskVaults(_vs().config.desk).vaultMint(address(this), shares);
        emit DepositFulfilled(controller, fillId, assets, shares, price);
    }

    /// @notice Fills `shares` of `controller`'s Pending redemption at `price`: takes
    /// `floor(floor(shares * 1e18 / multiplier) * price / 1e18)` cash from the reserve, Claimable by
    /// `controller`, and the desk burns the shares.
    /// @param controller The Request's controller.
    /// @param shares Order tokens of the Pending redemption filled.
    /// @param price Fill price, cash base units per 1e18 units of the share.
    /// @param fillId The broker's fill id, used once per vault.
    /// @return assets The cash now Claimable.
    /// @dev Emits a {RedeemFulfilled} event (and the token's {Transfer}).
    /// Requirements: caller has `EXECUTOR_ROLE`; not paused; `fillId` unused; no expired redeem
    /// cancelation of `controller`; `0 < shares <=` the Pending redemption; the price is within the band; the fill gives some cash; the reserve holds
    /// it; the rate limit allows it.
    function fulfilRedeem(address controller, uint256 shares, uint256 price, uint256 fillId)
        external
        onlyRole(EXECUTOR_ROLE)
        nonReentrant
        whenLive
        returns (uint256 assets)
    {
        _useFill(fillId);
        Account storage account = _vs().accounts[controller];
        _requireCancelNotExpired(controller, account.cancelRedeemDeadline);
        if (shares == 0) revert VaultZeroAmount();
        if (shares > account.pendingRedeemShares) {
            revert VaultExceedsPending(controller, shares, account.pendingRedeemShares);
        }
        uint256 multiplier = _checkPrice(price);
        assets = _assetsFor(shares, price, multiplier);
        if (assets == 0) revert VaultZeroFill(shares, price);
        uint256 free = _freeCash();
        if (assets > free) revert VaultInsufficientReserve(free, assets);
        _consumeLimit(assets);
        // Cannot truncate: shares <= pending < 2**128; assets is checked.
        uint128 burnt = uint128(shares);
        uint128 amount = assets.toUint128();
        account.pendingRedeemShares -= burnt;
        account.claimableRedeemShares += burnt;
        account.claimableRedeemAssets += amount;
        _vs().totalPendingRedeemShares -= burnt;
        _vs().totalClaimableRedeemAssets += amount;
        _vs().lastPrice = price.toUint128();
        IOrderDeskVaults(_vs().config.desk).vaultBurn(address(this), shares);
        emit RedeemFulfilled(controller, fillId, shares, assets, price);
    }

    /// @notice Accepts `controller`'s pending deposit cancelation: what is still Pending becomes
    /// claimable through {claimCancelDepositRequest} (what was filled before stays filled).
    /// @param controller The Request's controller.
    /// @return assets The cash made claimable (0 when the broker filled it all first).
    /// @dev Emits a {CancelDepositFulfilled} event.
    /// Requirements: caller has `EXECUTOR_ROLE`; not paused; a deposit cancelation is pending (also
    /// after its deadline: the outcome is the same as the controller's settlement).
    function fulfilCancelDeposit(address controller)
        external
        onlyRole(EXECUTOR_ROLE)
        whenLive
        returns (uint256 assets)
    {
        Account storage account = _vs().accounts[controller];
        if (account.cancelDepositDeadline == 0) revert VaultNoCancelPending(controller);
        uint128 amount = _settleCancelDeposit(account);
        emit CancelDepositFulfilled(controller, amount);
        return amount;
    }

    /// @notice Accepts `controller`'s pending redeem cancelation: what is still Pending becomes
    /// claimable through {claimCancelRedeemRequest}.
    /// @param controller The Request's controller.
    /// @return shares The shares made claimable (0 when the broker filled it all first).
    /// @dev Emits a {CancelRedeemFulfilled} event.
    /// Requirements: caller has `EXECUTOR_ROLE`; not paused; a redeem cancelation is pending.
    function fulfilCancelRedeem(address controller) external onlyRole(EXECUTOR_ROLE) whenLive returns (uint256 shares) {
        Account storage account = _vs().accounts[controller];
        if (account.cancelRedeemDeadline == 0) revert VaultNoCancelPending(controller);
        uint128 amount = _settleCancelRedeem(account);
        emit CancelRedeemFulfilled(controller, amount);
        return amount;
    }

    // ------------------------------------------------------------------------------------------
    // ERC-7540 claims (ERC-4626 deposit/mint/redeem/withdraw)
    // ------------------------------------------------------------------------------------------

    /// @notice Claims the shares of `assets` of the caller's Claimable deposit, to `receiver`.
    /// @dev As {deposit} with `controller` the caller.
    function deposit(uint256 assets, address receiver) external returns (uint256 shares) {
        return _claimDeposit(assets, 0, receiver, msg.sender);
    }

    /// @notice Claims the shares of `assets` of `controller`'s Claimable deposit, to `receiver`:
    /// `assets * claimableShares / claimableAssets` rounded down (all of them for all the assets).
    /// @param assets Claimable cash to convert.
    /// @param receiver Receives the shares.
    /// @param controller The Request's controller.
    /// @return shares The shares transferred.
    /// @dev Emits a {Deposit} event (controller, receiver) and the token's {Transfer}.
    /// Requirements: not paused; the caller is `controller` or its operator; neither `controller`
    /// nor `receiver` is sanctioned; `receiver` is a verified investor the token accepts;
    /// `0 < assets <=` the Claimable deposit.
    function deposit(uint256 assets, address receiver, address controller) external returns (uint256 shares) {
        return _claimDeposit(assets, 0, receiver, controller);
    }

    /// @notice Claims exactly `shares` of the caller's Claimable deposit, to `receiver`.
    /// @dev As {mint} with `controller` the caller.
    function mint(uint256 shares, address receiver) external returns (uint256 assets) {
        return _claimDeposit(0, shares, receiver, msg.sender);
    }

    /// @notice Claims exactly `shares` of `controller`'s Claimable deposit, to `receiver`, using up
    /// `shares * claimableAssets / claimableShares` of it rounded up (all of it for all the shares).
    /// @param shares Claimable shares to take.
    /// @param receiver Receives the shares.
    /// @param controller The Request's controller.
    /// @return assets The Claimable cash used up.
    /// @dev Emits a {Deposit} event (controller, receiver) and the token's {Transfer}.
    /// Requirements: as {deposit}, with `0 < shares <=` the Claimable shares.
    function mint(uint256 shares, address receiver, address controller) external returns (uint256 assets) {
        return _claimDeposit(0, shares, receiver, controller);
    }

    /// @notice Claims the cash of `shares` of `controller`'s Claimable redemption, to `receiver`:
    /// `shares * claimableAssets / claimableShares` rounded down (all of it for all the shares).
    /// @param shares Claimable (already burnt) shares to convert.
    /// @param receiver Receives the cash.
    /// @param controller The Request's controller.
    /// @return assets The cash paid.
    /// @dev Emits a {Withdraw} event (caller, receiver, controller).
    /// Requirements: not paused; the caller is `controller` or its operator; neither `controller`
    /// nor `receiver` is sanctioned; `receiver` is a verified investor; `0 < shares <=` the
    /// Claimable redemption.
    function redeem(uint256 shares, address receiver, address controller) external returns (uint256 assets) {
        return _claimRedeem(0, shares, receiver, controller);
    }

    /// @notice Claims exactly `assets` of `controller`'s Claimable redemption, to `receiver`, using up
    /// `assets * claimableShares / claimableAssets` of its shares rounded up.
    /// @param assets Claimable cash to take.
    /// @param receiver Receives the cash.
    /// @param controller The Request's controller.
    /// @return shares The Claimable shares used up.
    /// @dev Emits a {Withdraw} event (caller, receiver, controller).
    /// Requirements: as {redeem}, with `0 < assets <=` the Claimable cash.
    function withdraw(uint256 assets, address receiver, address controller) external returns (uint256 shares) {
        return _claimRedeem(assets, 0, receiver, controller);
    }

    // ------------------------------------------------------------------------------------------
    // ERC-7887 cancelation
    // ------------------------------------------------------------------------------------------

    /// @notice Asks to cancel all of `controller`'s Pending deposit; the executor accepts it
    /// ({fulfilCancelDeposit}), after which the cash is claimable; if it has not by the deadline
    /// (now plus {cancelTimeout}), the cancelation expires and the controller claims alone.
    /// @param requestId 0.
    /// @param controller The Request's controller.
    /// @dev Emits a {CancelDepositRequest} event.
    /// Requirements: not paused; `requestId == 0`; the caller is `controller` or its operator; no
    /// deposit cancelation pending; something Pending.
    function cancelDepositRequest(uint256 requestId, address controller) external whenLive {
        _requireRequestId(requestId);
        _requireSelfOrOperator(controller);
        Account storage account = _vs().accounts[controller];
        _expireCancelDeposit(account, controller);
        if (account.cancelDepositDeadline != 0) revert VaultCancelPending(controller);
        if (account.pendingDepositAssets == 0) revert VaultNothingPending(controller);
        account.cancelDepositDeadline = _newCancelDeadline();
        emit CancelDepositRequest(controller, 0, msg.sender);
    }

    /// @notice Asks to cancel all of `controller`'s Pending redemption; the executor accepts it
    /// ({fulfilCancelRedeem}), after which the shares are claimable.
    /// @param requestId 0.
    /// @param controller The Request's controller.
    /// @dev Emits a {CancelRedeemRequest} event.
    /// Requirements: as {cancelDepositRequest}, for the redemption.
    function cancelRedeemRequest(uint256 requestId, address controller) external whenLive {
        _requireRequestId(requestId);
        _requireSelfOrOperator(controller);
        Account storage account = _vs().accounts[controller];
        _expireCancelRedeem(account, controller);
        if (account.cancelRedeemDeadline != 0) revert VaultCancelPending(controller);
        if (account.pendingRedeemShares == 0) revert VaultNothingPending(controller);
        account.cancelRedeemDeadline = _newCancelDeadline();
        emit CancelRedeemRequest(controller, 0, msg.sender);
    }

    /// @notice Pays all of `controller`'s cancelled deposit cash to `receiver`, first settling an
    /// expired deposit cancelation (its Pending cash becomes claimable, with a {CancelDepositExpired}).
    /// @param requestId 0.
    /// @param receiver Receives the cash.
    /// @param controller The Request's controller.
    /// @dev Emits a {CancelDepositClaim} event.
    /// Requirements: not paused; `requestId == 0`; the caller is `controller` or its operator;
    /// neither `controller` nor `receiver` is sanctioned; `receiver` is a verified investor;
    /// something to claim.
    function claimCancelDepositRequest(uint256 requestId, address receiver, address controller)
        external
        nonReentrant
        whenLive
    {
        _requireRequestId(requestId);
        _requireSelfOrOperator(controller);
        _requireNotSanctioned(controller);
        _requireVerified(receiver);
        Account storage account = _vs().accounts[controller];
        _expireCancelDeposit(account, controller);
        uint128 amount = account.claimableCancelDepositAssets;
        if (amount == 0) revert VaultNothingPending(controller);
        account.claimableCancelDepositAssets = 0;
        _vs().totalClaimableCancelDeposits -= amount;
        _vs().asset.safeTransfer(receiver, amount);
        emit CancelDepositClaim(controller, receiver, 0, msg.sender, amount);
    }

    /// @notice Returns all of `controller`'s cancelled redemption shares to `receiver`, first settling
    /// an expired redeem cancelation (with a {CancelRedeemExpired}).
    /// @param requestId 0.
    /// @param receiver Receives the shares.
    /// @param controller The Request's controller (named `owner` in ERC-7887).
    /// @dev Emits a {CancelRedeemClaim} event and the token's {Transfer}.
    /// Requirements: as {claimCancelDepositRequest}; the token accepts the transfer to `receiver`.
    function claimCancelRedeemRequest(uint256 requestId, address receiver, address controller)
        external
        nonReentrant
        whenLive
    {
        _requireRequestId(requestId);
        _requireSelfOrOperator(controller);
        _requireNotSanctioned(controller);
        _requireVerified(receiver);
        Account storage account = _vs().accounts[controller];
        _expireCancelRedeem(account, controller);
        uint128 amount = account.claimableCancelRedeemShares;
        if (amount == 0) revert VaultNothingPending(controller);
        account.claimableCancelRedeemShares = 0;
        _vs().totalClaimableCancelRedeemShares -= amount;
        IERC20(address(_vs().share)).safeTransfer(receiver, amount);
        emit CancelRedeemClaim(controller, receiver, 0, msg.sender, amount);
    }

    // ------------------------------------------------------------------------------------------
    // Treasury and admin
    // ------------------------------------------------------------------------------------------

    /// @notice Adds `amount` cash from the caller (who approved the vault) to the reserve.
    /// @param amount Cash base units.
    /// @dev Emits a {ReserveToppedUp} event.
    /// Requirements: caller has `TREASURY_ROLE`; `amount > 0`; the vault receives exactly `amount`.
    function topUpReserve(uint256 amount) external onlyRole(TREASURY_ROLE) nonReentrant {
        if (amount == 0) revert VaultZeroAmount();
        _pullCash(msg.sender, amount);
        emit ReserveToppedUp(msg.sender, amount);
    }

    /// @notice Takes `amount` of free reserve to `to` (e.g. filled deposits' cash, to pay the broker).
    /// @param to Recipient.
    /// @param amount Cash base units.
    /// @dev Emits a {ReserveWithdrawn} event.
    /// Requirements: caller has `TREASURY_ROLE`; `to` is not zero; `0 < amount <=` the reserve.
    function withdrawReserve(address to, uint256 amount) external onlyRole(TREASURY_ROLE) nonReentrant {
        if (to == address(0)) revert VaultZeroAddress();
        if (amount == 0) revert VaultZeroAmount();
        uint256 free = _freeCash();
        if (amount > free) revert VaultInsufficientReserve(free, amount);
        _vs().asset.safeTransfer(to, amount);
        emit ReserveWithdrawn(to, amount);
    }

    /// @notice Sets the rate limit on the cash value of fills (deposits and redemptions together).
    /// @param capacity Most cash value fillable at once (0 stops fills; `type(uint128).max`: no limit).
    /// @param refillPerSecond Cash value regained per second.
    /// @dev Emits a {RateLimitSet} event. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setRateLimit(uint128 capacity, uint128 refillPerSecond) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _vs().limit.configure(capacity, refillPerSecond);
        emit RateLimitSet(capacity, refillPerSecond);
    }

    /// @notice Sets how long the executor has to accept (or fill) a cancelation before it expires;
    /// applies to cancelations requested from now on (a pending one keeps its deadline).
    /// @param timeout Seconds, within [{MIN_CANCEL_TIMEOUT}, {MAX_CANCEL_TIMEOUT}].
    /// @dev Emits a {CancelTimeoutSet} event. Requirements: caller has `DEFAULT_ADMIN_ROLE`; in bounds.
    function setCancelTimeout(uint256 timeout) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (timeout < MIN_CANCEL_TIMEOUT || timeout > MAX_CANCEL_TIMEOUT) {
            revert VaultCancelTimeoutOutOfBounds(timeout, MIN_CANCEL_TIMEOUT, MAX_CANCEL_TIMEOUT);
        }
        _vs().config.cancelTimeout = uint64(timeout);
        emit CancelTimeoutSet(timeout);
    }

    /// @notice Pauses this vault (the desk's pause also stops it).
    /// @dev Emits a {Paused} event. Requirements: caller has `PAUSER_ROLE`; not paused.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Lifts this vault's pause.
    /// @dev Emits an {Unpaused} event. Requirements: caller has `DEFAULT_ADMIN_ROLE` (the timelock in a
    /// governed deployment: the guardian pauses at once, resuming waits for the governance delay); paused.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IERC7575
    function asset() external view returns (address) {
        return address(_vs().asset);
    }

    /// @inheritdoc IERC7575
    function share() external view returns (address) {
        return address(_vs().share);
    }

    /// @inheritdoc IERC7540Operator
    function isOperator(address controller, address operator) external view returns (bool) {
        return _vs().operators[controller][operator];
    }

    /// @inheritdoc IERC7540Deposit
    /// @dev 0 once a deposit cancelation expired (its cash is then claimable as cancelled).
    function pendingDepositRequest(uint256 requestId, address controller) external view returns (uint256) {
        Account storage account = _vs().accounts[controller];
        return requestId != 0 || _expired(account.cancelDepositDeadline) ? 0 : account.pendingDepositAssets;
    }

    /// @inheritdoc IERC7540Deposit
    function claimableDepositRequest(uint256 requestId, address controller) external view returns (uint256) {
        return requestId == 0 ? _vs().accounts[controller].claimableDepositAssets : 0;
    }

    /// @inheritdoc IERC7540Redeem
    /// @dev 0 once a redeem cancelation expired (its shares are then claimable as cancelled).
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        Account storage account = _vs().accounts[controller];
        return requestId != 0 || _expired(account.cancelRedeemDeadline) ? 0 : account.pendingRedeemShares;
    }

    /// @inheritdoc IERC7540Redeem
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        return requestId == 0 ? _vs().accounts[controller].claimableRedeemShares : 0;
    }

    /// @inheritdoc IERC7887Deposit
    /// @dev False once the cancelation expired (it is then claimable).
    function pendingCancelDepositRequest(uint256 requestId, address controller) external view returns (bool) {
        uint64 deadline = _vs().accounts[controller].cancelDepositDeadline;
        return requestId == 0 && deadline != 0 && !_expired(deadline);
    }

    /// @inheritdoc IERC7887Deposit
    /// @dev Includes the Pending cash of an expired cancelation (settled by the claim).
    function claimableCancelDepositRequest(uint256 requestId, address controller) external view returns (uint256) {
        Account storage account = _vs().accounts[controller];
        if (requestId != 0) return 0;
        return account.claimableCancelDepositAssets
            + (_expired(account.cancelDepositDeadline) ? account.pendingDepositAssets : 0);
    }

    /// @inheritdoc IERC7887Redeem
    /// @dev False once the cancelation expired (it is then claimable).
    function pendingCancelRedeemRequest(uint256 requestId, address controller) external view returns (bool) {
        uint64 deadline = _vs().accounts[controller].cancelRedeemDeadline;
        return requestId == 0 && deadline != 0 && !_expired(deadline);
    }

    /// @inheritdoc IERC7887Redeem
    /// @dev Includes the Pending shares of an expired cancelation (settled by the claim).
    function claimableCancelRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        Account storage account = _vs().accounts[controller];
        if (requestId != 0) return 0;
        return account.claimableCancelRedeemShares
            + (_expired(account.cancelRedeemDeadline) ? account.pendingRedeemShares : 0);
    }

    /// @notice The deadlines of `controller`'s pending cancelations (0: none pending), after which
    /// the controller claims without the executor.
    function cancelDeadlines(address controller) external view returns (uint64 deposit_, uint64 redeem_) {
        Account storage account = _vs().accounts[controller];
        return (account.cancelDepositDeadline, account.cancelRedeemDeadline);
    }

    /// @notice How long the executor has to settle a cancelation requested now.
    function cancelTimeout() external view returns (uint256) {
        return _vs().config.cancelTimeout;
    }

    /// @notice The Claimable deposit cash of `controller` (0 while paused).
    function maxDeposit(address controller) external view returns (uint256) {
        return _live() ? _vs().accounts[controller].claimableDepositAssets : 0;
    }

    /// @notice The Claimable deposit shares of `controller` (0 while paused).
    function maxMint(address controller) external view returns (uint256) {
        return _live() ? _vs().accounts[controller].claimableDepositShares : 0;
    }

    /// @notice The Claimable redemption cash of `controller` (0 while paused).
    function maxWithdraw(address controller) external view returns (uint256) {
        return _live() ? _vs().accounts[controller].claimableRedeemAssets : 0;
    }

    /// @notice The Claimable redemption shares of `controller` (0 while paused).
    function maxRedeem(address controller) external view returns (uint256) {
        return _live() ? _vs().accounts[controller].claimableRedeemShares : 0;
    }

    /// @notice Always reverts: the deposit flow is asynchronous (ERC-7540).
    function previewDeposit(uint256) external pure returns (uint256) {
        revert VaultAsyncPreview();
    }

    /// @notice Always reverts: the deposit flow is asynchronous (ERC-7540).
    function previewMint(uint256) external pure returns (uint256) {
        revert VaultAsyncPreview();
    }

    /// @notice Always reverts: the redeem flow is asynchronous (ERC-7540).
    function previewWithdraw(uint256) external pure returns (uint256) {
        revert VaultAsyncPreview();
    }

    /// @notice Always reverts: the redeem flow is asynchronous (ERC-7540).
    function previewRedeem(uint256) external pure returns (uint256) {
        revert VaultAsyncPreview();
    }

    /// @notice Shares `assets` buy at the last fill price (0 before the first fill), rounded down.
    function convertToShares(uint256 assets) external view returns (uint256) {
        uint256 price = _vs().lastPrice;
        return price == 0 ? 0 : _sharesFor(assets, price, _vs().share.multiplier());
    }

    /// @notice Cash `shares` fetch at the last fill price (0 before the first fill), rounded down.
    function convertToAssets(uint256 shares) public view returns (uint256) {
        return _assetsFor(shares, _vs().lastPrice, _vs().share.multiplier());
    }

    /// @notice The whole supply of the share token valued at this vault's last fill price (the
    /// vault holds no stock: the issuer does, for every holder of the token).
    function totalAssets() external view returns (uint256) {
        return convertToAssets(IERC20(address(_vs().share)).totalSupply());
    }

    /// @inheritdoc IOrderVault
    function reserve() external view returns (uint256) {
        return _freeCash();
    }

    /// @inheritdoc IOrderVault
    function fillUsed(uint256 fillId) external view returns (bool) {
        return (_vs().fills[fillId >> 8] >> (fillId & 255)) & 1 == 1;
    }

    /// @notice The vault's cash, all of it: Pending deposits, Claimable redemptions and cancelled
    /// deposits (owed to investors), and the reserve (the rest of the balance).
    function cashAccounts()
        external
        view
        returns (uint256 pendingDeposits, uint256 claimableRedemptions, uint256 cancelledDeposits, uint256 reserve_)
    {
        return (
            _vs().totalPendingDeposits,
            _vs().totalClaimableRedeemAssets,
            _vs().totalClaimableCancelDeposits,
            _freeCash()
        );
    }

    /// @notice Shares the vault accounts for: Pending redemptions, Claimable deposits, cancelled
    /// redemptions (the vault's share balance is at least their sum).
    function shareAccounts()
        external
        view
        returns (uint256 pendingRedemptions, uint256 claimableDeposits, uint256 cancelledRedemptions)
    {
        return
            (_vs().totalPendingRedeemShares, _vs().totalClaimableDepositShares, _vs().totalClaimableCancelRedeemShares);
    }

    /// @notice The fill-value rate limit: capacity, refill per second and what is available now.
    function rateLimit() external view returns (uint128, uint128, uint256) {
        return (_vs().limit.capacity, _vs().limit.refillPerSecond, _vs().limit.available());
    }

    /// @notice Whether this vault is paused (the desk's pause stops it too: see {maxDeposit}).
    /// @dev OZ's Pausable, with its flag kept in the vault's config slot (read with the desk by every
    /// function); OZ's own Pausable namespace stays unused.
    function paused() public view override returns (bool) {
        return _vs().config.paused;
    }

    /// @notice The order desk that mints and burns the share.
    function desk() external view returns (address) {
        return _vs().config.desk;
    }

    /// @notice ERC-165: ERC-7575, ERC-7540 operator, deposit and redeem, ERC-7887 deposit and redeem.
    /// @param interfaceId The interface asked about.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IERC7575).interfaceId || interfaceId == type(IERC7540Operator).interfaceId
            || interfaceId == type(IERC7540Deposit).interfaceId || interfaceId == type(IERC7540Redeem).interfaceId
            || interfaceId == type(IERC7887Deposit).interfaceId || interfaceId == type(IERC7887Redeem).interfaceId
            || super.supportsInterface(interfaceId);
    }

    // ------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------

    /// @dev Claims a deposit by cash (`assets > 0`) or by shares (`shares > 0`).
    function _claimDeposit(uint256 assets, uint256 shares, address receiver, address controller)
        private
        nonReentrant
        whenLive
        returns (uint256)
    {
        _requireSelfOrOperator(controller);
        _requireNotSanctioned(controller);
        _requireVerified(receiver);
        Account storage account = _vs().accounts[controller];
        uint256 claimableAssets = account.claimableDepositAssets;
        uint256 claimableShares = account.claimableDepositShares;
        bool byShares = shares != 0;
        if (assets == 0 && !byShares) revert VaultZeroAmount();
        if (!byShares) {
            if (assets > claimableAssets) revert VaultExceedsClaimable(controller, assets, claimableAssets);
            shares = assets == claimableAssets
                ? claimableShares
                : Math.mulDiv(assets, claimableShares, claimableAssets, Math.Rounding.Floor);
        } else {
            if (shares > claimableShares) revert VaultExceedsClaimable(controller, shares, claimableShares);
            assets = shares == claimableShares
                ? claimableAssets
                : Math.mulDiv(shares, claimableAssets, claimableShares, Math.Rounding.Ceil);
        }
        // Cannot truncate: both are at most the claimable amounts, stored in 128 bits.
        account.claimableDepositAssets = uint128(claimableAssets - assets);
        account.claimableDepositShares = uint128(claimableShares - shares);
        _vs().totalClaimableDepositShares -= uint128(shares);
        IERC20(address(_vs().share)).safeTransfer(receiver, shares);
        emit Deposit(controller, receiver, assets, shares);
        return byShares ? assets : shares;
    }

    /// @dev Claims a redemption by cash (`assets > 0`) or by shares (`shares > 0`).
    function _claimRedeem(uint256 assets, uint256 shares, address receiver, address controller)
        private
        nonReentrant
        whenLive
        returns (uint256)
    {
        _requireSelfOrOperator(controller);
        _requireNotSanctioned(controller);
        _requireVerified(receiver);
        Account storage account = _vs().accounts[controller];
        uint256 claimableAssets = account.claimableRedeemAssets;
        uint256 claimableShares = account.claimableRedeemShares;
        bool byShares = shares != 0;
        if (assets == 0 && !byShares) revert VaultZeroAmount();
        if (byShares) {
            if (shares > claimableShares) revert VaultExceedsClaimable(controller, shares, claimableShares);
            assets = shares == claimableShares
                ? claimableAssets
                : Math.mulDiv(shares, claimableAssets, claimableShares, Math.Rounding.Floor);
        } else {
            if (assets > claimableAssets) revert VaultExceedsClaimable(controller, assets, claimableAssets);
            shares = assets == claimableAssets
                ? claimableShares
                : Math.mulDiv(assets, claimableShares, claimableAssets, Math.Rounding.Ceil);
        }
        // Cannot truncate: both are at most the claimable amounts, stored in 128 bits.
        account.claimableRedeemAssets = uint128(claimableAssets - assets);
        account.claimableRedeemShares = uint128(claimableShares - shares);
        _vs().totalClaimableRedeemAssets -= uint128(assets);
        _vs().asset.safeTransfer(receiver, assets);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
        return byShares ? assets : shares;
    }

    /// @dev Moves what is still Pending of a deposit to cancelled (claimable) and clears the pending
    /// cancelation. Cannot underflow: the account's Pending amount is part of the total.
    function _settleCancelDeposit(Account storage account) private returns (uint128 amount) {
        amount = account.pendingDepositAssets;
        account.cancelDepositDeadline = 0;
        account.pendingDepositAssets = 0;
        account.claimableCancelDepositAssets += amount;
        _vs().totalPendingDeposits -= amount;
        _vs().totalClaimableCancelDeposits += amount;
    }

    /// @dev As {_settleCancelDeposit}, for the redemption.
    function _settleCancelRedeem(Account storage account) private returns (uint128 amount) {
        amount = account.pendingRedeemShares;
        account.cancelRedeemDeadline = 0;
        account.pendingRedeemShares = 0;
        account.claimableCancelRedeemShares += amount;
        _vs().totalPendingRedeemShares -= amount;
        _vs().totalClaimableCancelRedeemShares += amount;
    }

    /// @dev Settles `controller`'s deposit cancelation if its deadline passed.
    function _expireCancelDeposit(Account storage account, address controller) private {
        if (_expired(account.cancelDepositDeadline)) {
            emit CancelDepositExpired(controller, _settleCancelDeposit(account));
        }
    }

    /// @dev Settles `controller`'s redeem cancelation if its deadline passed.
    function _expireCancelRedeem(Account storage account, address controller) private {
        if (_expired(account.cancelRedeemDeadline)) {
            emit CancelRedeemExpired(controller, _settleCancelRedeem(account));
        }
    }

    /// @dev A pending cancelation (`deadline` not zero) whose deadline has come.
    function _expired(uint64 deadline) private view returns (bool) {
        return deadline != 0 && block.timestamp >= deadline;
    }

    function _requireCancelNotExpired(address controller, uint64 deadline) private view {
        if (_expired(deadline)) revert VaultCancelExpired(controller, deadline);
    }

    function _newCancelDeadline() private view returns (uint64) {
        return uint64(block.timestamp + _vs().config.cancelTimeout);
    }

    /// @dev The reserve: the cash balance less what the vault owes (Pending deposits, Claimable
    /// redemptions, cancelled deposits). Cannot underflow: the NO CASH STRANDED invariant.
    function _freeCash() private view returns (uint256) {
        return _vs().asset.balanceOf(address(this)) - _vs().totalPendingDeposits - _vs().totalClaimableRedeemAssets
            - _vs().totalClaimableCancelDeposits;
    }

    /// @dev Pulls exactly `amount` cash from `from`: a cash token that delivers less is refused.
    function _pullCash(address from, uint256 amount) private {
        uint256 before = _vs().asset.balanceOf(address(this));
        _vs().asset.safeTransferFrom(from, address(this), amount);
        uint256 received = _vs().asset.balanceOf(address(this)) - before;
        if (received != amount) revert VaultCashMismatch(amount, received);
    }

    /// @dev The caller is `account` or an operator `account` approved (ERC-7540).
    function _requireSelfOrOperator(address account) private view {
        if (msg.sender != account && !_vs().operators[account][msg.sender]) {
            revert VaultUnauthorizedOperator(account, msg.sender);
        }
    }

    function _requireNotSanctioned(address account) private view {
        if (_vs().sanctions.isSanctioned(account)) revert VaultSanctioned(account);
    }

    /// @dev The desk's rule: a wallet bound to an investor who is not frozen and whose KYC is current;
    /// and not on the token's sanctions list.
    function _requireVerified(address account) private view {
        _requireNotSanctioned(account);
        uint256 word = _vs().words.partyWord(account); // decoded by {PartyWord}; the registry's word
        if (PartyWord.index(word) == 0 || PartyWord.frozen(word) || PartyWord.kycExpiry(word) < block.timestamp) {
            revert VaultInvestorNotVerified(account);
        }
    }

    function _requireRequestId(uint256 requestId) private pure {
        if (requestId != 0) revert VaultUnknownRequest(requestId);
    }

    /// @dev One bit per fill id, 256 ids per word: sequential ids share a word.
    function _useFill(uint256 fillId) private {
        uint256 word = fillId >> 8;
        uint256 bit = 1 << (fillId & 255);
        uint256 bits = _vs().fills[word];
        if (bits & bit != 0) revert VaultFillUsed(fillId);
        _vs().fills[word] = bits | bit;
    }

    function _consumeLimit(uint256 amount) private {
        (bool ok, uint256 available) = _vs().limit.tryConsume(amount);
        if (!ok) revert VaultRateLimited(amount, available);
    }

    /// @dev The fill price is within the desk's band around its fresh reference price of this share
    /// (converted to this vault's cash decimals and to units). Returns the share's multiplier.
    function _checkPrice(uint256 price) private view returns (uint256 multiplier) {
        OrderVaultStorage storage $ = _vs();
        multiplier = $.share.multiplier();
        Config memory own = $.config;
        IOrderDesk.AssetConfig memory config = IOrderDesk(own.desk).assetConfig($.assetId);
        // Only the price and its time matter; round ids are not used.
        // slither-disable-next-line unused-return
        (, int256 answer,, uint256 updatedAt,) = config.feed.latestRoundData();
        if (answer <= 0 || updatedAt == 0 || updatedAt + config.maxStaleness < block.timestamp) {
            revert VaultStaleFeed(updatedAt, config.maxStaleness);
        }
        uint256 perShare = config.feedDecimals >= own.assetDecimals
            ? uint256(answer) / 10 ** (config.feedDecimals - own.assetDecimals)
            : uint256(answer) * 10 ** (own.assetDecimals - config.feedDecimals);
        // Price of 1e18 units = price of `multiplier` tokens.
        uint256 reference_ = Math.mulDiv(perShare, multiplier, _ONE);
        uint256 distance = price > reference_ ? price - reference_ : reference_ - price;
        if (price == 0 || distance * _BPS > reference_ * config.maxDeviationBps) {
            revert VaultPriceOutOfBand(price, reference_, config.maxDeviationBps);
        }
    }

    /// @dev Shares for `assets` at `price`: units rounded down, then tokens rounded down.
    function _sharesFor(uint256 assets, uint256 price, uint256 multiplier) private pure returns (uint256) {
        uint256 units = Math.mulDiv(assets, _ONE, price, Math.Rounding.Floor);
        return Math.mulDiv(units, multiplier, _ONE, Math.Rounding.Floor);
    }

    /// @dev Cash for `shares` at `price`: units rounded down, then cash rounded down.
    function _assetsFor(uint256 shares, uint256 price, uint256 multiplier) private pure returns (uint256) {
        uint256 units = Math.mulDiv(shares, _ONE, multiplier, Math.Rounding.Floor);
        return Math.mulDiv(units, price, _ONE, Math.Rounding.Floor);
    }

    function _live() private view returns (bool) {
        Config memory config = _vs().config;
        return !config.paused && !IOrderDesk(config.desk).paused();
    }

    function _requireLive() private view {
        if (!_live()) revert EnforcedPause();
    }

    /// @dev As OZ's: requires not paused, emits {Paused}.
    function _pause() internal override whenNotPaused {
        _vs().config.paused = true;
        emit Paused(_msgSender());
    }

    /// @dev As OZ's: requires paused, emits {Unpaused}.
    function _unpause() internal override whenPaused {
        _vs().config.paused = false;
        emit Unpaused(_msgSender());
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every Request, fill id, total and setting stays, they live in the vault's
    /// ERC-7201 namespace.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /// @dev The vault's state: one ERC-7201 namespace ({ORDER_VAULT_STORAGE}).
    function _vs() private pure returns (OrderVaultStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := ORDER_VAULT_STORAGE
        }
    }
}
