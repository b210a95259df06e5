// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AggregatorV3Interface} from "./AggregatorV3Interface.sol";
import {IOrderToken} from "./IOrderToken.sol";

/// @title IOrderDesk
/// @notice One order desk for every mint-on-order asset on a chain: executes EIP-712 quotes signed by
/// the issuer's quote signers, taking cash and minting on a buy, burning and paying cash from its
/// buffer on a sell.
/// @dev UNITS. `quantity` has 18 decimals (1e18 = one share). `price` is in cash-token base units per
/// whole share (6 decimals for a USD stablecoin: 190.25 USD = 190_250_000). The cash of an order is
/// `quantity * price / 1e18`, rounded up on a buy and down on a sell, so rounding never costs the desk.
interface IOrderDesk {
    /// @notice Direction of an order, seen from the investor.
    enum Side {
        Buy,
        Sell
    }

    /// @notice A quote as signed by a quote signer (EIP-712, domain "OrderDesk" / "1" / chain id /
    /// this desk). `quoteId` is unique per desk and doubles as the order id.
    struct Quote {
        bytes32 assetId;
        Side side;
        uint256 quantity;
        uint256 price;
        bytes32 investorId;
        uint256 chainId;
        uint256 quoteId;
        uint256 expiry;
    }

    /// @notice Lifecycle of a quote id (two bits each in the desk's bitmap).
    enum QuoteStatus {
        Open,
        Executed,
        Revoked,
        Filled
    }

    /// @notice Per-asset settings, two storage slots. `homeChain`: this chain is the token's home
    /// chain (read at listing; orders execute only there).
    struct AssetConfig {
        IOrderToken token;
        uint16 maxDeviationBps;
        uint32 maxStaleness;
        uint8 feedDecimals;
        uint8 tradingDays;
        bool homeChain;
        AggregatorV3Interface feed;
        uint24 openSecond;
        uint24 closeSecond;
    }

    // ------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------

    /// @notice The recovered signer is not a current quote signer (bad key, removed signer, or a
    /// signature made for another domain: another desk, chain or version).
    error DeskUnauthorizedSigner(address recovered);
    /// @notice The quote was made for another chain.
    error DeskWrongChain(uint256 quoted, uint256 actual);
    /// @notice The quote expired.
    error DeskQuoteExpired(uint256 quoteId, uint256 expiry, uint256 now_);
    /// @notice The quote id was already executed.
    error DeskQuoteUsed(uint256 quoteId);
    /// @notice The quote id was revoked before use.
    error DeskQuoteRevoked(uint256 quoteId);
    /// @notice The quote is for the other side (a sell quote given to `buy` or the reverse).
    error DeskWrongSide(uint256 quoteId, Side side);
    /// @notice This chain is not the asset's home chain: orders mint and burn it only there.
    error DeskNotHomeChain(bytes32 assetId, uint256 homeChainId, uint256 chainId);
    /// @notice The asset is not listed on this desk.
    error DeskUnknownAsset(bytes32 assetId);
    /// @notice The asset is already listed.
    error DeskAssetListed(bytes32 assetId);
    /// @notice The caller's investor is not verified (unbound wallet, frozen investor or KYC expired).
    error DeskInvestorNotVerified(address wallet);
    /// @notice The caller is a wallet of another investor than the one quoted.
    error DeskWrongInvestor(address wallet, bytes32 quoted, bytes32 actual);
    /// @notice The quoted price is outside the allowed band around the reference price.
    error DeskPriceOutOfBand(uint256 price, uint256 referencePrice, uint256 maxDeviationBps);
    /// @notice The reference feed is stale or has no positive answer.
    error DeskStaleFeed(bytes32 assetId, uint256 updatedAt, uint256 maxStaleness);
    /// @notice The market is closed under the asset's market-hours rule.
    error DeskMarketClosed(bytes32 assetId, uint256 timestamp);
    /// @notice The order's cash exceeds what the investor allowed (buy) or is below it (sell).
    error DeskSlippage(uint256 cashAmount, uint256 limit);
    /// @notice The order has no quantity or its cash rounds to zero.
    error DeskZeroAmount(uint256 quoteId);
    /// @notice The desk-wide rate limit (cash value over time) holds less than the order needs.
    error DeskGlobalRateLimited(uint256 requested, uint256 available);
    /// @notice The investor's rate limit (cash value over time) holds less than the order needs.
    error DeskInvestorRateLimited(bytes32 investorId, uint256 requested, uint256 available);
    /// @notice The buffer withdrawal rate limit holds less than the withdrawal needs.
    error DeskWithdrawalRateLimited(uint256 requested, uint256 available);
    /// @notice The desk received another cash amount than the order's (e.g. a fee-on-transfer token).
    error DeskCashMismatch(uint256 expected, uint256 received);
    /// @notice The buffer cannot pay a sell, or a withdrawal would leave it below its floor.
    error DeskInsufficientBuffer(uint256 available, uint256 needed);
    /// @notice `recordFill` on an order that was not executed.
    error DeskOrderNotExecuted(uint256 quoteId);
    /// @notice `recordFill` on an order whose fill is already recorded.
    error DeskFillAlreadyRecorded(uint256 quoteId);
    /// @notice Only a quote signer or the admin may revoke a quote.
    error DeskUnauthorizedRevoker(address caller);
    /// @notice The signer is already in the requested state.
    error DeskSignerUnchanged(address signer, bool active);
    /// @notice A configuration value is out of range.
    error DeskInvalidConfig(string field);
    /// @notice The token's desk is not this desk.
    error DeskForeignToken(address token, address tokenDesk);
    /// @notice The zero address was given where an account is required.
    error DeskZeroAddress();
    /// @notice {initializeCash} on a desk whose cash is already set (to `cash`).
    error DeskCashAlreadySet(address cash);
    /// @notice An order or a buffer move before {initializeCash} set the desk's cash.
    error DeskCashNotSet();

    // ------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------

    /// @notice An order was executed: the executor buys (or sells) the underlying.
    event OrderExecuted(
        uint256 indexed quoteId,
        bytes32 indexed assetId,
        bytes32 indexed investorId,
        Side side,
        address wallet,
        uint256 quantity,
        uint256 price,
        uint256 cashAmount
    );
    /// @notice The executor recorded the fill of an order with the broker.
    event FillRecorded(uint256 indexed quoteId, bytes32 brokerReference, address indexed executor);
    /// @notice A quote id was revoked before use.
    event QuoteRevoked(uint256 indexed quoteId, address indexed by);
    /// @notice A quote signer was added.
    event SignerAdded(address indexed signer);
    /// @notice A quote signer was removed.
    event SignerRemoved(address indexed signer);
    /// @notice An asset was listed.
    event AssetListed(bytes32 indexed assetId, address indexed token, address indexed feed);
    /// @notice An asset's price band, staleness limit or market hours changed.
    event AssetConfigured(
        bytes32 indexed assetId,
        uint16 maxDeviationBps,
        uint32 maxStaleness,
        uint8 tradingDays,
        uint24 openSecond,
        uint24 closeSecond
    );
    /// @notice The desk-wide (global) order rate limit changed.
    event GlobalRateLimitSet(uint128 capacity, uint128 refillPerSecond);
    /// @notice The per-investor order rate limit changed.
    event InvestorRateLimitSet(uint128 capacity, uint128 refillPerSecond);
    /// @notice The buffer floor or the withdrawal rate limit changed.
    event BufferLimitsSet(uint256 floor, uint128 withdrawCapacity, uint128 withdrawRefillPerSecond);
    /// @notice Orders now read the caller's word and investor id at `words` (the registry's
    /// PartyWordStore, or the registry itself).
    event InvestorWordsSet(address indexed words);
    /// @notice The desk's cash token was set (once, after deployment).
    event CashInitialized(address indexed cash, uint8 decimals);
    /// @notice The treasury added cash to the buffer.
    event BufferToppedUp(address indexed from, uint256 amount);
    /// @notice The treasury took cash out of the buffer.
    event BufferWithdrawn(address indexed to, uint256 amount);

    // ------------------------------------------------------------------------------------------
    // Orders
    // ------------------------------------------------------------------------------------------

    /// @notice Executes a buy quote: pulls `quantity * price / 1e18` cash (rounded up) from the
    /// caller and mints `quantity` to the caller.
    function buy(Quote calldata quote, bytes calldata signature, uint256 maxCash) external returns (uint256);

    /// @notice Executes a sell quote: burns `quantity` of the caller and pays `quantity * price / 1e18`
    /// cash (rounded down) from the buffer.
    function sell(Quote calldata quote, bytes calldata signature, uint256 minCash) external returns (uint256);

    /// @notice Records the broker fill of an executed order, once.
    function recordFill(uint256 quoteId, bytes32 brokerReference) external;

    /// @notice Revokes an unused quote id.
    function revokeQuote(uint256 quoteId) external;

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @notice The cash token (a USD stablecoin); zero until the admin's one-time `initializeCash`.
    function cash() external view returns (address);

    /// @notice Whether `signer` may sign quotes.
    function isSigner(address signer) external view returns (bool);

    /// @notice Status of a quote id.
    function quoteStatus(uint256 quoteId) external view returns (QuoteStatus);

    /// @notice Settings of a listed asset.
    function assetConfig(bytes32 assetId) external view returns (AssetConfig memory);

    /// @notice EIP-712 digest of a quote for this desk's domain.
    function quoteDigest(Quote calldata quote) external view returns (bytes32);

    /// @notice Whether all orders and all transfers of every asset of this desk are paused.
    function paused() external view returns (bool);
}
