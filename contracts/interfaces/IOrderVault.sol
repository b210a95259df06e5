// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IOrderDeskVaults
/// @notice The order desk's side of the asynchronous vaults: the registry of one vault per (order
/// token, cash token) pair, and the mint and burn a registered vault asks of the desk (the desk
/// stays the only minter and burner of its tokens).
interface IOrderDeskVaults {
    /// @notice The caller is not the registered vault of any listed token.
    error DeskUnauthorizedVault(address caller);
    /// @notice The vault's `share()` or `asset()` is not the token or cash token it is registered for.
    error DeskVaultMismatch(address vault, address share, address asset);

    /// @notice The vault of (`token`, `asset`) changed (`vault` zero: removed). The desk emits it for
    /// its tokens: ERC-7575's `VaultUpdate` with the share token named.
    event VaultSet(address indexed token, address indexed asset, address vault);

    /// @notice Registers `vault` as the vault of the listed asset `assetId` for cash token `asset`
    /// (replacing any previous one, which loses its mint and burn rights); `vault` zero removes it.
    function setVault(bytes32 assetId, address asset, address vault) external;

    /// @notice The vault of (`token`, `asset`), zero when none (ERC-7575 `vault(asset)` of `token`).
    function vaultOf(address token, address asset) external view returns (address);

    /// @notice Mints `amount` of the calling vault's token to `to` (a fulfilled deposit Request).
    function vaultMint(address to, uint256 amount) external;

    /// @notice Burns `amount` of the calling vault's token from `from` (a fulfilled redeem Request).
    function vaultBurn(address from, uint256 amount) external;
}

/// @title IOrderVault
/// @notice The suite's own API of an asynchronous order vault (ERC-7540 + ERC-7575 + ERC-7887):
/// its errors and events, the executor's fulfilments and the treasury's reserve.
interface IOrderVault {
    /// @notice Only `requestId` 0 exists (Requests are aggregated per controller, ERC-7540).
    error VaultUnknownRequest(uint256 requestId);
    /// @notice The caller is neither `account` nor an operator it approved.
    error VaultUnauthorizedOperator(address account, address caller);
    /// @notice `account` is not a verified investor (bound wallet, not frozen, KYC current).
    error VaultInvestorNotVerified(address account);
    /// @notice `account` is on the share token's sanctions list.
    error VaultSanctioned(address account);
    /// @notice A zero amount where a positive one is needed.
    error VaultZeroAmount();
    /// @notice The zero address where an account or contract is needed.
    error VaultZeroAddress();
    /// @notice The vault received a different amount of cash than was sent (fee-on-transfer cash).
    error VaultCashMismatch(uint256 expected, uint256 received);
    /// @notice More than the Pending amount of `controller` was asked for.
    error VaultExceedsPending(address controller, uint256 requested, uint256 pending);
    /// @notice More than the Claimable amount of `controller` was asked for.
    error VaultExceedsClaimable(address controller, uint256 requested, uint256 claimable);
    /// @notice A cancelation of `controller`'s Request on that side is already pending.
    error VaultCancelPending(address controller);
    /// @notice No cancelation of `controller`'s Request on that side is pending.
    error VaultNoCancelPending(address controller);
    /// @notice `controller` has nothing Pending (or nothing cancelled to claim) on that side.
    error VaultNothingPending(address controller);
    /// @notice The fill id was already used: a fill is recorded once.
    error VaultFillUsed(uint256 fillId);
    /// @notice A fill gives no shares (deposit) or no cash (redemption) at this price.
    error VaultZeroFill(uint256 amount, uint256 price);
    /// @notice The reserve cannot pay a redemption (or a withdrawal).
    error VaultInsufficientReserve(uint256 reserve, uint256 needed);
    /// @notice The fill-value rate limit does not allow `requested` now.
    error VaultRateLimited(uint256 requested, uint256 available);
    /// @notice The fill price is outside the band around the desk's reference price.
    error VaultPriceOutOfBand(uint256 price, uint256 referencePrice, uint256 maxDeviationBps);
    /// @notice The desk's reference price of the share is stale or not positive.
    error VaultStaleFeed(uint256 updatedAt, uint256 maxStaleness);
    /// @notice The cancel timeout is outside [`min`, `max`] seconds.
    error VaultCancelTimeoutOutOfBounds(uint256 timeout, uint256 min, uint256 max);
    /// @notice `controller`'s cancelation on that side expired at `deadline`: no more fills there.
    error VaultCancelExpired(address controller, uint256 deadline);
    /// @notice ERC-7540: previews revert for asynchronous flows.
    error VaultAsyncPreview();

    /// @notice The executor filled `assets` of `controller`'s pending deposit at `price` (cash base
    /// units per 1e18 units of the share) for `shares`, now Claimable.
    event DepositFulfilled(
        address indexed controller, uint256 indexed fillId, uint256 assets, uint256 shares, uint256 price
    );
    /// @notice The executor filled `shares` of `controller`'s pending redemption at `price` for
    /// `assets` taken from the reserve, now Claimable.
    event RedeemFulfilled(
        address indexed controller, uint256 indexed fillId, uint256 shares, uint256 assets, uint256 price
    );
    /// @notice The executor accepted `controller`'s deposit cancelation: `assets` became claimable.
    event CancelDepositFulfilled(address indexed controller, uint256 assets);
    /// @notice The executor accepted `controller`'s redeem cancelation: `shares` became claimable.
    event CancelRedeemFulfilled(address indexed controller, uint256 shares);
    /// @notice `controller`'s deposit cancelation expired unsettled: `assets` became claimable
    /// without the executor.
    event CancelDepositExpired(address indexed controller, uint256 assets);
    /// @notice `controller`'s redeem cancelation expired unsettled: `shares` became claimable.
    event CancelRedeemExpired(address indexed controller, uint256 shares);
    /// @notice The admin set the cancel timeout (seconds the executor has to settle a cancelation).
    event CancelTimeoutSet(uint256 timeout);
    /// @notice The treasury added `amount` cash to the reserve.
    event ReserveToppedUp(address indexed from, uint256 amount);
    /// @notice The treasury took `amount` cash from the reserve to `to`.
    event ReserveWithdrawn(address indexed to, uint256 amount);
    /// @notice The fill-value rate limit changed.
    event RateLimitSet(uint128 capacity, uint128 refillPerSecond);

    /// @notice Fills `assets` of `controller`'s pending deposit at `price`, once per `fillId`.
    function fulfilDeposit(address controller, uint256 assets, uint256 price, uint256 fillId)
        external
        returns (uint256 shares);

    /// @notice Fills `shares` of `controller`'s pending redemption at `price`, once per `fillId`.
    function fulfilRedeem(address controller, uint256 shares, uint256 price, uint256 fillId)
        external
        returns (uint256 assets);

    /// @notice Accepts `controller`'s pending deposit cancelation.
    function fulfilCancelDeposit(address controller) external returns (uint256 assets);

    /// @notice Accepts `controller`'s pending redeem cancelation.
    function fulfilCancelRedeem(address controller) external returns (uint256 shares);

    /// @notice Adds cash to the reserve that pays redemptions.
    function topUpReserve(uint256 amount) external;

    /// @notice Takes free cash out of the reserve.
    function withdrawReserve(address to, uint256 amount) external;

    /// @notice Sets the fill-value rate limit.
    function setRateLimit(uint128 capacity, uint128 refillPerSecond) external;

    /// @notice Sets how long the executor has to settle a cancelation before it expires.
    function setCancelTimeout(uint256 timeout) external;

    /// @notice Free cash: the balance less what is owed to investors (Pending deposits, Claimable
    /// redemptions, cancelled deposits): top-ups, filled deposits, anything sent directly.
    function reserve() external view returns (uint256);

    /// @notice Whether `fillId` was used.
    function fillUsed(uint256 fillId) external view returns (bool);
}
