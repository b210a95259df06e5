// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ISettlementDvP
/// @notice Atomic delivery-versus-payment of a security token against a cash token on one chain.
/// @dev COMMITMENT. Each side commits to the same `Trade` terms either by an EIP-712 signature over
/// the `Trade` struct or by calling {instruct} on chain (for contract wallets or an on-chain audit
/// trail). Nothing is escrowed: {settle} pulls the securities from the seller to the buyer and the
/// cash from the buyer to the seller with `transferFrom`, in one transaction or not at all. The
/// asset therefore sees the true parties of the trade (seller -> buyer), so its compliance rules
/// (registry share: verified buyer, lock-up of the seller, holder counts) apply exactly as for a
/// direct transfer.
/// A trade is identified by its key, the EIP-712 digest of its terms; `tradeId` is the parties'
/// reference carried in every event. Each key reaches exactly one final state.
interface ISettlementDvP {
    /// @notice Terms both sides agree. `cashAmount` is the whole consideration (price x quantity).
    /// @dev `quantity` is a token amount at the asset's corporate-action epoch
    /// `corporateActionEpoch` (its `corporateActionEpoch()` when the parties signed; 0 for an asset
    /// without one). A split or reverse split changes what a token amount is worth, so a trade can
    /// settle only while the asset is still at that epoch: the signed terms are split-invariant.
    struct Trade {
        bytes32 tradeId;
        address seller;
        address buyer;
        address asset;
        uint256 quantity;
        address cashToken;
        uint256 cashAmount;
        uint64 deadline;
        uint64 corporateActionEpoch;
    }

    /// @notice Life of a trade key. `Open` is implicit (no record yet); the others are final.
    /// @dev `Expired` is the refund of this design: nothing was ever taken from either side.
    enum TradeState {
        Open,
        Settled,
        Cancelled,
        Expired
    }

    /// @notice A side committed to the trade on chain instead of signing.
    event TradeInstructed(bytes32 indexed tradeId, bytes32 indexed tradeKey, address indexed party);
    /// @notice Securities and cash were exchanged; final.
    event TradeSettled(
        bytes32 indexed tradeId,
        bytes32 indexed tradeKey,
        address indexed seller,
        address buyer,
        address asset,
        uint256 quantity,
        address cashToken,
        uint256 cashAmount
    );
    /// @notice A side cancelled the trade before its deadline; final.
    event TradeCancelled(bytes32 indexed tradeId, bytes32 indexed tradeKey, address indexed by);
    /// @notice The deadline passed without settlement; final. Nothing was taken from either side.
    event TradeExpired(bytes32 indexed tradeId, bytes32 indexed tradeKey);

    /// @notice `initialize` was given the zero address as admin.
    error DvPZeroAdmin();
    /// @notice The terms are unusable (`field` names the faulty one).
    error DvPInvalidTerms(bytes32 tradeId, string field);
    /// @notice The caller is neither the seller nor the buyer of the trade.
    error DvPNotParty(bytes32 tradeId, address caller);
    /// @notice The trade already reached a final state.
    error DvPTradeFinal(bytes32 tradeId, TradeState state);
    /// @notice The trade deadline has passed.
    error DvPTradeExpired(bytes32 tradeId, uint64 deadline);
    /// @notice The trade deadline has not passed yet.
    error DvPTradeNotExpired(bytes32 tradeId, uint64 deadline);
    /// @notice `party` neither signed these terms nor instructed them on chain.
    error DvPMissingCommitment(bytes32 tradeId, address party);
    /// @notice A corporate action changed the asset since the trade was agreed: its quantity no
    /// longer means what the parties signed (they agree new terms at the current epoch).
    error DvPCorporateActionChanged(bytes32 tradeId, uint64 agreedEpoch, uint64 currentEpoch);
    /// @notice `party` already instructed these terms on chain.
    error DvPAlreadyInstructed(bytes32 tradeId, address party);

    /// @notice Commits the caller (seller or buyer) to `trade` on chain, in place of a signature.
    function instruct(Trade calldata trade) external;

    /// @notice Settles `trade`: securities seller -> buyer and cash buyer -> seller, atomically.
    function settle(Trade calldata trade, bytes calldata sellerSignature, bytes calldata buyerSignature) external;

    /// @notice Cancels `trade` before its deadline; the caller must be a side of it.
    function cancel(Trade calldata trade) external;

    /// @notice Records that `trade` expired unsettled.
    function expire(Trade calldata trade) external;

    /// @notice The EIP-712 digest of `trade`, which is the key of its record and what each side signs.
    function tradeKey(Trade calldata trade) external view returns (bytes32);

    /// @notice The observable state of `trade` (Expired once its deadline has passed unsettled).
    function stateOf(Trade calldata trade) external view returns (TradeState);
}
