// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IInvestorRegistry} from "../interfaces/IInvestorRegistry.sol";
import {IOrderDesk} from "../interfaces/IOrderDesk.sol";
import {IOrderToken} from "../interfaces/IOrderToken.sol";
import {IOrderDeskVaults} from "../interfaces/IOrderVault.sol";
import {IERC7575} from "../interfaces/IERC7540.sol";
import {TokenBucket} from "../libraries/TokenBucket.sol";
import {PartyWord} from "../libraries/PartyWord.sol";
import {IInvestorWords, IInvestorWordsSource} from "../interfaces/IPartyWords.sol";

/// @title OrderDesk
/// @notice The order desk of the mint-on-order architecture: one desk for every listed stock on a
/// chain. An investor submits a quote signed by one of the issuer's quote signers; the desk checks
/// it and, in the same transaction, takes the cash and mints (buy) or burns and pays the cash from
/// its buffer (sell), then emits {OrderExecuted} for the executor (broker) to trade the underlying.
/// @dev Note: NEVER strands cash. Every order either completes entirely (cash moved AND tokens
/// minted or burned) or reverts entirely; there is no pending state holding an investor's cash.
/// The desk's cash balance is the redemption buffer: buy proceeds land in it, sells are paid from
/// it, and only the treasury moves cash in or out otherwise ({topUpBuffer}, {withdrawBuffer}).
///
/// Quote ids: one namespace per desk shared by all signers (a quote service running several
/// signers gives each a range). Each id has two status bits in a bitmap (open, executed, revoked,
/// filled), so sequential ids share storage words and a buy usually updates a non-zero word.
///
/// Order of checks: side, chain id, expiry, quote id, asset listed, home chain, signer, investor,
/// reference price (staleness, band), market hours, rate limits (desk-wide then investor), then cash
/// and token.
///
/// Home chain only: orders mint and burn an asset only on its home chain. On any other chain the
/// token moves in and out only through the gateway, which counts the units that left home
/// (`supplyElsewhere`); a desk minting or burning there would make that count wrong (a buy on B
/// then a bridge home uses up units that really left home and locks genuine holders on B out; a
/// sell on B leaves the count overstated). The desk may list a token elsewhere (the deployment
/// lists every chain alike) but refuses its orders with {DeskNotHomeChain}, and the token itself
/// refuses `mint`/`burn` off its home chain.
///
/// Cash: set once after deployment ({initializeCash}), not in {initialize}, so the desk's proxy init
/// code (hence its CREATE2 address) is the same on every chain whatever that chain's stablecoin is.
/// Until it is set, orders and buffer moves are refused ({DeskCashNotSet}).
///
/// Asynchronous vaults (ERC-7540, {OrderVault}): the admin registers one vault per (listed token,
/// cash token); a registered vault may ask the desk to mint and burn its own token only, which
/// keeps the desk the only minter and burner. The vault applies the desk's rules itself. The desk
/// mints and burns only while it is not paused (the tokens rely on it and skip asking the desk).
///
/// Upgradeable (UUPS, ERC-1967): clients, tokens and vaults use the proxy's address (also the
/// EIP-712 domain's `verifyingContract`, so quotes stay valid across an upgrade); all of the desk's
/// own state lives in one ERC-7201 namespace (`OrderDeskStorage`, no sequential slot), so an upgrade
/// keeps every listing, signer, quote status, rate limit and vault. Only DEFAULT_ADMIN_ROLE may
/// upgrade ({_authorizeUpgrade}): the timelock once the deployment hands admin over. The
/// implementation itself can never be initialised.
contract OrderDesk is
    Initializable,
    UUPSUpgradeable,
    AccessControlUpgradeable,
    PausableUpgradeable,
    ReentrancyGuardTransient,
    EIP712Upgradeable,
    IOrderDesk,
    IOrderDeskVaults
{
    using SafeERC20 for IERC20;
    using TokenBucket for TokenBucket.Bucket;

    /// @notice Pauses the desk at once: every order and every transfer of every asset (unpausing is
    /// `DEFAULT_ADMIN_ROLE`'s).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice The broker: records fills of executed orders.
    bytes32 public constant EXECUTOR_ROLE = keccak256("EXECUTOR_ROLE");
    /// @notice Tops up and withdraws the cash buffer.
    bytes32 public constant TREASURY_ROLE = keccak256("TREASURY_ROLE");

    /// @notice EIP-712 type of a quote.
    bytes32 public constant QUOTE_TYPEHASH = keccak256(
        "Quote(bytes32 assetId,uint8 side,uint256 quantity,uint256 price,bytes32 investorId,uint256 chainId,uint256 quoteId,uint256 expiry)"
    );

    uint256 private constant _ONE_SHARE = 1e18;
    uint256 private constant _BPS = 10_000;
    uint256 private constant _STATUS_MASK = 3;

    string private constant _DOMAIN_NAME = "OrderDesk";
    string private constant _DOMAIN_VERSION = "1";

    /// @custom:storage-location erc7201:tokenized-stocks.storage.OrderDesk
    struct OrderDeskStorage {
        // One slot, read first by every order: the pause, then the cash and its decimals (the
        // cash written once by {initializeCash}).
        IERC20 cash;
        uint8 cashDecimals;
        bool paused;
        IInvestorRegistry registry;
        mapping(address signer => bool) signers;
        mapping(bytes32 assetId => AssetConfig) assets;
        mapping(uint256 word => uint256 bits) quoteBits;
        TokenBucket.Bucket globalLimit;
        // One slot: the per-investor limit every investor's bucket is measured against.
        uint128 investorCapacity;
        uint128 investorRefillPerSecond;
        mapping(uint32 investorIndex => TokenBucket.Bucket) investorLimits;
        TokenBucket.Bucket withdrawalLimit;
        uint256 bufferFloor;
        mapping(address token => mapping(address asset => address vault)) vaults;
        mapping(address vault => IOrderToken token) vaultTokens;
        // Where an order reads the caller's word and investor id: the registry's PartyWordStore (no
        // registry proxy hop), found once through the registry ({initialize}, {syncInvestorWords});
        // zero in a desk upgraded from a version without it, which asks the registry.
        IInvestorWords words;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.OrderDesk")) - 1)) & ~bytes32(uint256(0xff))
    /// = 0x61167661bff565785c1824f6e5453388b198be34dbb1ee5e11a8d1494ad7aa00 (ERC-7201; asserted in
    /// test/forge/OrderDeskUpgrade.t.sol).
    bytes32 private constant ORDER_DESK_STORAGE = 0x61167661bff565785c1824f6e5453388b198be34dbb1ee5e11a8d1494ad7aa00;

    /// @notice The implementation: never initialised itself (a proxy delegates to it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a desk behind its proxy (called once, in the proxy's deployment).
    /// @param admin Receives `DEFAULT_ADMIN_ROLE`.
    /// @param registry_ This chain's investor registry (the cash is set by {initializeCash}).
    /// @dev Emits {RoleGranted} and {Initialized}. Requirements: not yet initialised (the
    /// implementation never is); neither address is zero.
    function initialize(address admin, IInvestorRegistry registry_) external initializer {
        __UUPSUpgradeable_init();
        __AccessControl_init();
        __Pausable_init();
        // stored once for EIP-5267 readers of the namespace; signing reads the constants
        // ({_EIP712Name}, {_EIP712Version}), never storage
        __EIP712_init(_DOMAIN_NAME, _DOMAIN_VERSION);
        if (admin == address(0) || address(registry_) == address(0)) revert DeskZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _ds().registry = registry_;
        _syncInvestorWords(registry_);
    }

    /// @notice Points the desk again at the registry's current source of investor words
    /// ({IInvestorWordsSource-investorWords}): its PartyWordStore, or the registry itself. Anyone
    /// may call it: the desk only ever takes what its own registry answers.
    /// @dev Emits an {InvestorWordsSet} event. For a desk upgraded from a version without the field
    /// (which asks the registry until then) or a registry upgraded to keep ids in its store.
    function syncInvestorWords() external {
        _syncInvestorWords(_ds().registry);
    }

    /// @notice Where orders read the caller's word and investor id (the registry's PartyWordStore, or
    /// the registry itself; zero: the registry).
    function investorWords() external view returns (IInvestorWords) {
        return _ds().words;
    }

    /// @notice Sets the desk's cash token, once: the deployment's one-time initialisation (a chain's
    /// stablecoin differs from another's, so it is not a constructor argument).
    /// @param cash_ The cash token (a USD stablecoin); prices are in its base units.
    /// @dev Emits a {CashInitialized} event. Requirements: caller has `DEFAULT_ADMIN_ROLE`; `cash_` is
    /// not zero; no cash is set yet ({DeskCashAlreadySet}).
    function initializeCash(IERC20Metadata cash_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(cash_) == address(0)) revert DeskZeroAddress();
        OrderDeskStorage storage $ = _ds();
        if (address($.cash) != address(0)) revert DeskCashAlreadySet(address($.cash));
        uint8 decimals_ = cash_.decimals();
        $.cash = IERC20(address(cash_));
        $.cashDecimals = decimals_;
        emit CashInitialized(address(cash_), decimals_);
    }

    // ------------------------------------------------------------------------------------------
    // Orders
    // ------------------------------------------------------------------------------------------

    /// @notice Executes a buy quote: pulls exactly `ceil(quantity * price / 1e18)` cash from the
    /// caller (who must have approved the desk) and mints exactly `quantity` to the caller.
    /// @param quote The signed quote (side Buy).
    /// @param signature The quote signer's EIP-712 signature of `quote`.
    /// @param maxCash The most cash the caller accepts to pay.
    /// @return cashAmount The cash paid.
    /// @dev Emits {OrderExecuted}, and {Transfer} events on the cash token and the asset.
    /// Requirements: the desk is not paused; the quote is a buy for this chain, not expired, its id
    /// unused and not revoked, its asset listed, signed by a current signer; the caller is a wallet
    /// of the quoted investor, who is verified; the price is within the band of a fresh reference
    /// price; the market is open (if a rule is set); the desk-wide and investor rate limits allow
    /// the cash amount; the cash amount is at most `maxCash`; the desk receives exactly that cash
    /// amount; the asset accepts the mint.
    function buy(Quote calldata quote, bytes calldata signature, uint256 maxCash)
        external
        nonReentrant
        whenNotPaused
        returns (uint256 cashAmount)
    {
        _requireCash(); // first: the reference price is in the cash's units
        (IOrderToken token, uint32 investorIndex) = _checkQuote(quote, signature, Side.Buy);
        cashAmount = Math.mulDiv(quote.quantity, quote.price, _ONE_SHARE, Math.Rounding.Ceil);
        if (cashAmount > maxCash) revert DeskSlippage(cashAmount, maxCash);
        _consumeLimits(quote, investorIndex, cashAmount);
        _pullExactCash(cashAmount);
        token.mint(msg.sender, quote.quantity);
        emit OrderExecuted(
            quote.quoteId,
            quote.assetId,
            quote.investorId,
            Side.Buy,
            msg.sender,
            quote.quantity,
            quote.price,
            cashAmount
        );
    }

    /// @notice Executes a sell quote: burns exactly `quantity` of the caller and pays exactly
    /// `floor(quantity * price / 1e18)` cash from the buffer. Refused whole when the buffer cannot pay.
    /// @param quote The signed quote (side Sell).
    /// @param signature The quote signer's EIP-712 signature of `quote`.
    /// @param minCash The least cash the caller accepts to receive.
    /// @return cashAmount The cash paid out.
    /// @dev Emits {OrderExecuted}, and {Transfer} events on the asset and the cash token.
    /// Requirements: as {buy} for a sell quote; the cash amount is non-zero and at least `minCash`;
    /// the buffer holds it; the caller holds `quantity` and the asset accepts the burn.
    function sell(Quote calldata quote, bytes calldata signature, uint256 minCash)
        external
        nonReentrant
        whenNotPaused
        returns (uint256 cashAmount)
    {
        _requireCash(); // first: the reference price is in the cash's units
        (IOrderToken token, uint32 investorIndex) = _checkQuote(quote, signature, Side.Sell);
        cashAmount = Math.mulDiv(quote.quantity, quote.price, _ONE_SHARE);
        if (cashAmount < minCash) revert DeskSlippage(cashAmount, minCash);
        _consumeLimits(quote, investorIndex, cashAmount);
        IERC20 cash_ = _ds().cash;
        uint256 buffer = cash_.balanceOf(address(this));
        if (buffer < cashAmount) revert DeskInsufficientBuffer(buffer, cashAmount);
        token.burn(msg.sender, quote.quantity);
        cash_.safeTransfer(msg.sender, cashAmount);
        emit OrderExecuted(
            quote.quoteId,
            quote.assetId,
            quote.investorId,
            Side.Sell,
            msg.sender,
            quote.quantity,
            quote.price,
            cashAmount
        );
    }

    /// @notice Records that the broker filled an executed order (once per order).
    /// @param quoteId The order (quote id).
    /// @param brokerReference The broker's reference of the fill of the underlying.
    /// @dev Emits a {FillRecorded} event.
    /// Requirements: caller has `EXECUTOR_ROLE`; the order was executed and its fill not recorded.
    function recordFill(uint256 quoteId, bytes32 brokerReference) external onlyRole(EXECUTOR_ROLE) {
        (uint256 word, uint256 shift, uint256 bits, QuoteStatus status) = _readStatus(quoteId);
        if (status == QuoteStatus.Filled) revert DeskFillAlreadyRecorded(quoteId);
        if (status != QuoteStatus.Executed) revert DeskOrderNotExecuted(quoteId);
        _ds().quoteBits[word] = bits | (uint256(QuoteStatus.Filled) << shift);
        emit FillRecorded(quoteId, brokerReference, msg.sender);
    }

    /// @notice Revokes a quote id before it is used: a quote with this id can never execute.
    /// @param quoteId The quote id.
    /// @dev Emits a {QuoteRevoked} event.
    /// Requirements: caller is a current quote signer or has `DEFAULT_ADMIN_ROLE`; the id is open.
    function revokeQuote(uint256 quoteId) external {
        if (!_ds().signers[msg.sender] && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert DeskUnauthorizedRevoker(msg.sender);
        }
        (uint256 word, uint256 shift, uint256 bits, QuoteStatus status) = _readStatus(quoteId);
        _requireOpen(quoteId, status);
        _ds().quoteBits[word] = bits | (uint256(QuoteStatus.Revoked) << shift);
        emit QuoteRevoked(quoteId, msg.sender);
    }

    // ------------------------------------------------------------------------------------------
    // Treasury: the cash buffer
    // ------------------------------------------------------------------------------------------

    /// @notice Adds `amount` cash from the caller to the buffer (the caller approves the desk).
    /// @param amount Cash base units.
    /// @dev Emits a {BufferToppedUp} event. Requirements: caller has `TREASURY_ROLE`; `amount > 0`.
    function topUpBuffer(uint256 amount) external onlyRole(TREASURY_ROLE) nonReentrant {
        if (amount == 0) revert DeskInvalidConfig("amount");
        _requireCash().safeTransferFrom(msg.sender, address(this), amount);
        emit BufferToppedUp(msg.sender, amount);
    }

    /// @notice Takes `amount` cash out of the buffer to `to` (e.g. to pay the broker for buys).
    /// @param to Recipient of the cash.
    /// @param amount Cash base units.
    /// @dev Emits a {BufferWithdrawn} event.
    /// Requirements: caller has `TREASURY_ROLE`; `to` is not zero; the buffer keeps at least its
    /// floor; the withdrawal rate limit allows `amount`.
    function withdrawBuffer(address to, uint256 amount) external onlyRole(TREASURY_ROLE) nonReentrant {
        if (to == address(0)) revert DeskZeroAddress();
        IERC20 cash_ = _requireCash();
        OrderDeskStorage storage $ = _ds();
        uint256 balance = cash_.balanceOf(address(this));
        uint256 floor = $.bufferFloor;
        uint256 free = balance > floor ? balance - floor : 0;
        if (amount > free) revert DeskInsufficientBuffer(free, amount);
        (bool ok, uint256 available) = $.withdrawalLimit.tryConsume(amount);
        if (!ok) revert DeskWithdrawalRateLimited(amount, available);
        cash_.safeTransfer(to, amount);
        emit BufferWithdrawn(to, amount);
    }

    /// @notice Sets the buffer floor (withdrawals cannot go below it) and the withdrawal rate limit.
    /// @param floor Cash the treasury cannot withdraw (sells may still use it).
    /// @param withdrawCapacity Most cash withdrawable at once.
    /// @param withdrawRefillPerSecond Cash the withdrawal limit regains per second.
    /// @dev Emits a {BufferLimitsSet} event. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setBufferLimits(uint256 floor, uint128 withdrawCapacity, uint128 withdrawRefillPerSecond)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        OrderDeskStorage storage $ = _ds();
        $.bufferFloor = floor;
        $.withdrawalLimit.configure(withdrawCapacity, withdrawRefillPerSecond);
        emit BufferLimitsSet(floor, withdrawCapacity, withdrawRefillPerSecond);
    }

    // ------------------------------------------------------------------------------------------
    // Admin: assets, signers, limits, pause
    // ------------------------------------------------------------------------------------------

    /// @notice Lists an asset: its token (whose desk must be this desk) and its reference price feed.
    /// @param token The asset's token.
    /// @param feed Reference price feed in USD per share (any decimals).
    /// @param maxDeviationBps Largest allowed distance of a quoted price from the reference (bps).
    /// @param maxStaleness Oldest reference price accepted, in seconds.
    /// @param tradingDays Market-hours rule: bit d set = open on weekday d (0 = Sunday); 0 = 24/7.
    /// @param openSecond Opening time, seconds after 00:00 UTC.
    /// @param closeSecond Closing time, seconds after 00:00 UTC (before `openSecond`: overnight).
    /// @dev Emits {AssetListed} and {AssetConfigured} events.
    /// Requirements: caller has `DEFAULT_ADMIN_ROLE`; the token's desk is this desk; the asset is not
    /// listed; the feed is not zero; the settings are valid (see {configureAsset}).
    function listAsset(
        IOrderToken token,
        AggregatorV3Interface feed,
        uint16 maxDeviationBps,
        uint32 maxStaleness,
        uint8 tradingDays,
        uint24 openSecond,
        uint24 closeSecond
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(feed) == address(0)) revert DeskZeroAddress();
        address tokenDesk = token.desk();
        if (tokenDesk != address(this)) revert DeskForeignToken(address(token), tokenDesk);
        bytes32 id = token.assetId();
        AssetConfig storage asset = _ds().assets[id];
        if (address(asset.token) != address(0)) revert DeskAssetListed(id);
        asset.token = token;
        asset.feed = feed;
        asset.feedDecimals = feed.decimals();
        asset.homeChain = token.homeChainId() == block.chainid;
        emit AssetListed(id, address(token), address(feed));
        _configure(id, asset, maxDeviationBps, maxStaleness, tradingDays, openSecond, closeSecond);
    }

    /// @notice Replaces a listed asset's price band, staleness limit and market hours.
    /// @param assetId The asset.
    /// @param maxDeviationBps At most 10,000.
    /// @param maxStaleness Seconds, not zero.
    /// @param tradingDays Bit mask of weekdays below 128; 0 disables the market-hours rule.
    /// @param openSecond Below 86,400.
    /// @param closeSecond Below 86,400 and different from `openSecond` when a rule is set.
    /// @dev Emits an {AssetConfigured} event.
    /// Requirements: caller has `DEFAULT_ADMIN_ROLE`; the asset is listed; the settings are valid.
    function configureAsset(
        bytes32 assetId,
        uint16 maxDeviationBps,
        uint32 maxStaleness,
        uint8 tradingDays,
        uint24 openSecond,
        uint24 closeSecond
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        AssetConfig storage asset = _ds().assets[assetId];
        if (address(asset.token) == address(0)) revert DeskUnknownAsset(assetId);
        _configure(assetId, asset, maxDeviationBps, maxStaleness, tradingDays, openSecond, closeSecond);
    }

    /// @notice Adds a quote signer (several can be current at once: rotation without downtime).
    /// @param signer The signer address.
    /// @dev Emits a {SignerAdded} event.
    /// Requirements: caller has `DEFAULT_ADMIN_ROLE`; `signer` is not zero and not a signer.
    function addSigner(address signer) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (signer == address(0)) revert DeskZeroAddress();
        OrderDeskStorage storage $ = _ds();
        if ($.signers[signer]) revert DeskSignerUnchanged(signer, true);
        $.signers[signer] = true;
        emit SignerAdded(signer);
    }

    /// @notice Removes a quote signer: its unexecuted quotes stop working at once.
    /// @param signer The signer address.
    /// @dev Emits a {SignerRemoved} event.
    /// Requirements: caller has `DEFAULT_ADMIN_ROLE`; `signer` is a signer.
    function removeSigner(address signer) external onlyRole(DEFAULT_ADMIN_ROLE) {
        OrderDeskStorage storage $ = _ds();
        if (!$.signers[signer]) revert DeskSignerUnchanged(signer, false);
        $.signers[signer] = false;
        emit SignerRemoved(signer);
    }

    /// @notice Sets the desk-wide rate limit on order cash value (buys and sells together).
    /// @param capacity Most cash value executable at once (0 closes the desk to orders).
    /// @param refillPerSecond Cash value regained per second.
    /// @dev Emits a {GlobalRateLimitSet} event. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setGlobalRateLimit(uint128 capacity, uint128 refillPerSecond) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _ds().globalLimit.configure(capacity, refillPerSecond);
        emit GlobalRateLimitSet(capacity, refillPerSecond);
    }

    /// @notice Sets the per-investor rate limit on order cash value (all of an investor's wallets
    /// and assets together). Applies at once to every investor's bucket.
    /// @param capacity Most cash value one investor can execute at once (0 closes orders).
    /// @param refillPerSecond Cash value an investor regains per second.
    /// @dev Emits an {InvestorRateLimitSet} event. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setInvestorRateLimit(uint128 capacity, uint128 refillPerSecond) external onlyRole(DEFAULT_ADMIN_ROLE) {
        OrderDeskStorage storage $ = _ds();
        $.investorCapacity = capacity;
        $.investorRefillPerSecond = refillPerSecond;
        emit InvestorRateLimitSet(capacity, refillPerSecond);
    }

    /// @notice Pauses every order and every transfer of every asset of this desk.
    /// @dev Emits a {Paused} event. Requirements: caller has `PAUSER_ROLE`; not paused.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Lifts the desk-wide pause.
    /// @dev Emits an {Unpaused} event. Requirements: caller has `DEFAULT_ADMIN_ROLE` (the timelock in a
    /// governed deployment: the guardian pauses at once, resuming waits for the governance delay); paused.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ------------------------------------------------------------------------------------------
    // Asynchronous vaults (ERC-7540 / ERC-7575)
    // ------------------------------------------------------------------------------------------

    /// @notice Registers `vault` as the vault of the listed asset `assetId` for cash token `asset`,
    /// replacing (and revoking) any previous one; `vault` zero removes it.
    /// @param assetId A listed asset of this desk.
    /// @param asset The cash token the vault takes.
    /// @param vault The vault (its `share()` is the asset's token and its `asset()` is `asset`), or zero.
    /// @dev Emits a {VaultSet} event.
    /// Requirements: caller has `DEFAULT_ADMIN_ROLE`; the asset is listed; `asset` is not zero; the
    /// vault (if not zero) matches the token and the cash token and is not registered elsewhere.
    function setVault(bytes32 assetId, address asset, address vault) external onlyRole(DEFAULT_ADMIN_ROLE) {
        OrderDeskStorage storage $ = _ds();
        IOrderToken token = $.assets[assetId].token;
        if (address(token) == address(0)) revert DeskUnknownAsset(assetId);
        if (asset == address(0)) revert DeskZeroAddress();
        if (vault != address(0)) {
            address vaultShare = IERC7575(vault).share();
            address vaultAsset = IERC7575(vault).asset();
            if (vaultShare != address(token) || vaultAsset != asset || address($.vaultTokens[vault]) != address(0)) {
                revert DeskVaultMismatch(vault, vaultShare, vaultAsset);
            }
            $.vaultTokens[vault] = token;
        }
        address previous = $.vaults[address(token)][asset];
        if (previous != address(0)) delete $.vaultTokens[previous];
        $.vaults[address(token)][asset] = vault;
        emit VaultSet(address(token), asset, vault);
    }

    /// @notice Mints `amount` of the calling vault's token to `to` (a filled deposit Request).
    /// @param to The recipient (the vault, which holds the shares until they are claimed).
    /// @param amount Token amount.
    /// @dev Emits the token's {Transfer} event.
    /// Requirements: the desk is not paused; the caller is a registered vault; the token accepts the
    /// mint (home chain, not paused, `to` neither sanctioned nor frozen).
    function vaultMint(address to, uint256 amount) external whenNotPaused {
        _vaultToken().mint(to, amount);
    }

    /// @notice Burns `amount` of the calling vault's token from `from` (a filled redeem Request).
    /// @param from The holder (the vault, which holds the shares of Pending redemptions).
    /// @param amount Token amount.
    /// @dev Emits the token's {Transfer} event.
    /// Requirements: the desk is not paused; the caller is a registered vault; the token accepts the
    /// burn.
    function vaultBurn(address from, uint256 amount) external whenNotPaused {
        _vaultToken().burn(from, amount);
    }

    /// @inheritdoc IOrderDeskVaults
    function vaultOf(address token, address asset) external view returns (address) {
        return _ds().vaults[token][asset];
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IOrderDesk
    function cash() external view returns (address) {
        return address(_ds().cash);
    }

    /// @notice The investor registry.
    function registry() external view returns (IInvestorRegistry) {
        return _ds().registry;
    }

    /// @inheritdoc IOrderDesk
    function isSigner(address signer) external view returns (bool) {
        return _ds().signers[signer];
    }

    /// @inheritdoc IOrderDesk
    function quoteStatus(uint256 quoteId) external view returns (QuoteStatus status) {
        (,,, status) = _readStatus(quoteId);
    }

    /// @inheritdoc IOrderDesk
    function assetConfig(bytes32 assetId) external view returns (AssetConfig memory) {
        return _ds().assets[assetId];
    }

    /// @inheritdoc IOrderDesk
    function quoteDigest(Quote calldata quote) external view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(QUOTE_TYPEHASH, quote)));
    }

    /// @inheritdoc IOrderDesk
    /// @dev OZ's Pausable, with its flag kept in the desk's first slot (read with the cash by every
    /// order); OZ's own Pausable namespace stays unused.
    function paused() public view override(PausableUpgradeable, IOrderDesk) returns (bool) {
        return _ds().paused;
    }

    /// @notice The desk-wide limit: capacity, refill per second and what is available now.
    function globalRateLimit() external view returns (uint128, uint128, uint256) {
        TokenBucket.Bucket storage limit = _ds().globalLimit;
        return (limit.capacity, limit.refillPerSecond, limit.available());
    }

    /// @notice The per-investor limit and what `investorId` can execute now.
    function investorRateLimit(bytes32 investorId) external view returns (uint128, uint128, uint256) {
        OrderDeskStorage storage $ = _ds();
        uint32 index = $.registry.indexOf(investorId);
        return (
            $.investorCapacity,
            $.investorRefillPerSecond,
            $.investorLimits[index].availableWith($.investorCapacity, $.investorRefillPerSecond)
        );
    }

    /// @notice The buffer floor, the withdrawal limit and what can be withdrawn now under the limit.
    function bufferLimits() external view returns (uint256, uint128, uint128, uint256) {
        OrderDeskStorage storage $ = _ds();
        TokenBucket.Bucket storage limit = $.withdrawalLimit;
        return ($.bufferFloor, limit.capacity, limit.refillPerSecond, limit.available());
    }

    // ------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------

    /// @dev Every check of a quote except the rate limits; marks the quote id executed.
    function _checkQuote(Quote calldata quote, bytes calldata signature, Side side)
        private
        returns (IOrderToken, uint32 investorIndex)
    {
        if (quote.side != side) revert DeskWrongSide(quote.quoteId, quote.side);
        if (quote.chainId != block.chainid) revert DeskWrongChain(quote.chainId, block.chainid);
        if (block.timestamp > quote.expiry) revert DeskQuoteExpired(quote.quoteId, quote.expiry, block.timestamp);
        if (quote.quantity == 0) revert DeskZeroAmount(quote.quoteId);
        _useQuote(quote.quoteId);
        OrderDeskStorage storage $ = _ds();
        AssetConfig memory asset = $.assets[quote.assetId];
        if (address(asset.token) == address(0)) revert DeskUnknownAsset(quote.assetId);
        if (!asset.homeChain) revert DeskNotHomeChain(quote.assetId, asset.token.homeChainId(), block.chainid);
        address signer = ECDSA.recover(_hashTypedDataV4(keccak256(abi.encode(QUOTE_TYPEHASH, quote))), signature);
        if (!$.signers[signer]) revert DeskUnauthorizedSigner(signer);
        IInvestorWords words_ = $.words;
        investorIndex = _checkInvestor(
            address(words_) == address(0) ? IInvestorWords(address($.registry)) : words_, quote.investorId
        );
        _checkPrice(quote.assetId, asset, quote.price);
        _checkMarketHours(quote.assetId, asset);
        return (asset.token, investorIndex);
    }

    /// @dev The caller is a wallet of the quoted investor, who is verified (the registry's rule:
    /// bound, not frozen, KYC not expired), read from the wallet's raw word ({PartyWord}).
    /// One call to the registry's PartyWordStore, the same values as the registry's
    /// ({IInvestorWords}).
    function _checkInvestor(IInvestorWords words_, bytes32 investorId) private view returns (uint32 index) {
        (uint256 word, bytes32 actual) = words_.investorWord(msg.sender);
        index = PartyWord.index(word);
        if (index == 0 || PartyWord.frozen(word) || PartyWord.kycExpiry(word) < block.timestamp) {
            revert DeskInvestorNotVerified(msg.sender);
        }
        if (actual != investorId) revert DeskWrongInvestor(msg.sender, investorId, actual);
    }

    /// @dev The reference price, scaled to cash base units per share, is fresh and positive, and the
    /// quoted price is within `maxDeviationBps` of it.
    function _checkPrice(bytes32 assetId, AssetConfig memory asset, uint256 price) private view {
        // Only the price and its time matter; round ids are not used.
        // slither-disable-next-line unused-return
        (, int256 answer,, uint256 updatedAt,) = asset.feed.latestRoundData();
        if (answer <= 0 || updatedAt == 0 || updatedAt + asset.maxStaleness < block.timestamp) {
            revert DeskStaleFeed(assetId, updatedAt, asset.maxStaleness);
        }
        uint256 refPrice = _toCashUnits(uint256(answer), asset.feedDecimals);
        uint256 distance = price > refPrice ? price - refPrice : refPrice - price;
        if (distance * _BPS > refPrice * asset.maxDeviationBps) {
            revert DeskPriceOutOfBand(price, refPrice, asset.maxDeviationBps);
        }
    }

    /// @dev Market-hours rule in UTC: the weekday bit must be set and the time of day inside the
    /// session (a session with `closeSecond < openSecond` runs overnight). Holidays are not modelled:
    /// the quote service refuses to quote then, and the guardian can pause.
    function _checkMarketHours(bytes32 assetId, AssetConfig memory asset) private view {
        if (asset.tradingDays == 0) return;
        // 1970-01-01 was a Thursday (weekday 4 with 0 = Sunday). Calendar arithmetic on the block
        // time, not randomness.
        // slither-disable-next-line weak-prng
        uint256 weekday = (block.timestamp / 1 days + 4) % 7;
        // slither-disable-next-line weak-prng
        uint256 second = block.timestamp % 1 days;
        bool inSession = asset.openSecond <= asset.closeSecond
            ? (second >= asset.openSecond && second < asset.closeSecond)
            : (second >= asset.openSecond || second < asset.closeSecond);
        // A bit test of the weekday mask, not a balance.
        // slither-disable-next-line incorrect-equality
        if ((asset.tradingDays >> weekday) & 1 == 0 || !inSession) {
            revert DeskMarketClosed(assetId, block.timestamp);
        }
    }

    /// @dev Desk-wide limit first, then the investor's (keyed by the registry's investor index, so
    /// every wallet of the investor shares it).
    function _consumeLimits(Quote calldata quote, uint32 investorIndex, uint256 cashAmount) private {
        if (cashAmount == 0) revert DeskZeroAmount(quote.quoteId);
        OrderDeskStorage storage $ = _ds();
        (bool ok, uint256 available) = $.globalLimit.tryConsume(cashAmount);
        if (!ok) revert DeskGlobalRateLimited(cashAmount, available);
        (ok, available) =
            $.investorLimits[investorIndex].tryConsumeWith($.investorCapacity, $.investorRefillPerSecond, cashAmount);
        if (!ok) revert DeskInvestorRateLimited(quote.investorId, cashAmount, available);
    }

    /// @dev Takes `amount` cash from the caller: the desk must receive exactly that (a fee-on-transfer
    /// cash token is refused).
    function _pullExactCash(uint256 amount) private {
        IERC20 cash_ = _ds().cash;
        uint256 bufferBefore = cash_.balanceOf(address(this));
        cash_.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = cash_.balanceOf(address(this)) - bufferBefore;
        if (received != amount) revert DeskCashMismatch(amount, received);
    }

    function _syncInvestorWords(IInvestorRegistry registry_) private {
        IInvestorWords words_ = IInvestorWordsSource(address(registry_)).investorWords();
        _ds().words = words_;
        emit InvestorWordsSet(address(words_));
    }

    function _requireCash() private view returns (IERC20 cash_) {
        cash_ = _ds().cash;
        if (address(cash_) == address(0)) revert DeskCashNotSet();
    }

    function _vaultToken() private view returns (IOrderToken token) {
        token = _ds().vaultTokens[msg.sender];
        if (address(token) == address(0)) revert DeskUnauthorizedVault(msg.sender);
    }

    function _toCashUnits(uint256 feedAnswer, uint8 feedDecimals) private view returns (uint256) {
        uint8 cashDecimals = _ds().cashDecimals;
        if (feedDecimals >= cashDecimals) return feedAnswer / 10 ** (feedDecimals - cashDecimals);
        return feedAnswer * 10 ** (cashDecimals - feedDecimals);
    }

    function _useQuote(uint256 quoteId) private {
        (uint256 word, uint256 shift, uint256 bits, QuoteStatus status) = _readStatus(quoteId);
        _requireOpen(quoteId, status);
        _ds().quoteBits[word] = bits | (uint256(QuoteStatus.Executed) << shift);
    }

    function _requireOpen(uint256 quoteId, QuoteStatus status) private pure {
        if (status == QuoteStatus.Revoked) revert DeskQuoteRevoked(quoteId);
        if (status != QuoteStatus.Open) revert DeskQuoteUsed(quoteId);
    }

    /// @dev Two bits per quote id, 128 ids per storage word. Executed (01) -> Filled (11) only sets a
    /// bit; Revoked is 10.
    function _readStatus(uint256 quoteId)
        private
        view
        returns (uint256 word, uint256 shift, uint256 bits, QuoteStatus status)
    {
        word = quoteId >> 7;
        shift = (quoteId & 127) << 1;
        bits = _ds().quoteBits[word];
        status = QuoteStatus((bits >> shift) & _STATUS_MASK);
    }

    function _configure(
        bytes32 assetId,
        AssetConfig storage asset,
        uint16 maxDeviationBps,
        uint32 maxStaleness,
        uint8 tradingDays,
        uint24 openSecond,
        uint24 closeSecond
    ) private {
        if (maxDeviationBps > _BPS) revert DeskInvalidConfig("maxDeviationBps");
        if (maxStaleness == 0) revert DeskInvalidConfig("maxStaleness");
        if (tradingDays >= 128) revert DeskInvalidConfig("tradingDays");
        if (openSecond >= 1 days || closeSecond >= 1 days || (tradingDays != 0 && openSecond == closeSecond)) {
            revert DeskInvalidConfig("session");
        }
        asset.maxDeviationBps = maxDeviationBps;
        asset.maxStaleness = maxStaleness;
        asset.tradingDays = tradingDays;
        asset.openSecond = openSecond;
        asset.closeSecond = closeSecond;
        emit AssetConfigured(assetId, maxDeviationBps, maxStaleness, tradingDays, openSecond, closeSecond);
    }

    /// @dev As OZ's: requires not paused, emits {Paused}.
    function _pause() internal override whenNotPaused {
        _ds().paused = true;
        emit Paused(_msgSender());
    }

    /// @dev As OZ's: requires paused, emits {Unpaused}.
    function _unpause() internal override whenPaused {
        _ds().paused = false;
        emit Unpaused(_msgSender());
    }

    /// @dev The EIP-712 domain name, a constant (signing never reads storage for it).
    function _EIP712Name() internal pure override returns (string memory) {
        return _DOMAIN_NAME;
    }

    /// @dev The EIP-712 domain version, a constant.
    function _EIP712Version() internal pure override returns (string memory) {
        return _DOMAIN_VERSION;
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every listing, signer, quote status, limit, vault and the cash stay, they
    /// live in the desk's ERC-7201 namespace.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /// @dev The desk's state: one ERC-7201 namespace ({ORDER_DESK_STORAGE}).
    function _ds() private pure returns (OrderDeskStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := ORDER_DESK_STORAGE
        }
    }
}
