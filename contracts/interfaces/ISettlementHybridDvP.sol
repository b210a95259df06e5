// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ISettlementHybridDvP
/// @notice Securities leg escrowed on chain, cash leg paid on a traditional network and confirmed
/// by a cash agent (a bank) with an EIP-712 payment confirmation.
/// @dev An escrow is identified by its trade key: the EIP-712 digest of ALL its terms (trade id,
/// parties, asset, quantity and the corporate-action epoch it is measured at, currency, cash
/// amount, deadline) under this contract's domain (chain and contract). `tradeId` is the parties'
/// reference carried in every event; it is not unique on its own, so nobody can squat it. A payment
/// confirmation names the trade key, so it releases exactly the terms the cash agent checked.
/// Only the seller opens an escrow; anyone may present a confirmation; past the deadline anyone may
/// return the securities to the seller; only the buyer may cancel earlier (the seller could
/// otherwise take the securities back after the buyer paid). Each trade key reaches exactly one
/// final state: Released, Refunded or Cancelled.
interface ISettlementHybridDvP {
    /// @notice Terms of a hybrid trade. `currency` is an ISO 4217 code, `cashAmount` in its minor unit.
    /// @dev `quantity` is a token amount at the asset's corporate-action epoch
    /// `corporateActionEpoch` (0 for an asset without one); the escrow is refused at any other
    /// epoch, and a corporate action while the tokens sit in escrow is rescaled on the way out.
    struct HybridTrade {
        bytes32 tradeId;
        address seller;
        address buyer;
        address asset;
        uint256 quantity;
        bytes3 currency;
        uint256 cashAmount;
        uint64 deadline;
        uint64 corporateActionEpoch;
    }

    /// @notice What the cash agent signs once the payment has reached the seller's bank account.
    /// @param tradeKey The key of the escrowed trade ({tradeKey}): binds every term of it.
    /// @param deadline Expiry of this confirmation (not of the trade).
    struct PaymentConfirmation {
        bytes32 tradeKey;
        uint256 amount;
        bytes3 currency;
        bytes32 paymentReference;
        uint64 deadline;
    }

    /// @notice Life of a trade key. `None` and `Escrowed` are open; the others are final.
    enum EscrowState {
        None,
        Escrowed,
        Released,
        Refunded,
        Cancelled
    }

    /// @notice The seller escrowed the securities of a trade.
    event TradeEscrowed(
        bytes32 indexed tradeId,
        bytes32 indexed tradeKey,
        address indexed seller,
        address buyer,
        address asset,
        uint256 quantity,
        bytes3 currency,
        uint256 cashAmount,
        uint64 deadline
    );
    /// @notice A payment confirmation released the securities to the buyer; final.
    event TradeReleased(
        bytes32 indexed tradeId,
        bytes32 indexed tradeKey,
        address indexed buyer,
        uint256 quantity,
        address cashAgent,
        bytes32 paymentReference
    );
    /// @notice The deadline passed without confirmation; the securities went back to the seller; final.
    event TradeRefunded(bytes32 indexed tradeId, bytes32 indexed tradeKey, address indexed seller, uint256 quantity);
    /// @notice The buyer cancelled; the securities went back to the seller; final.
    event TradeCancelled(bytes32 indexed tradeId, bytes32 indexed tradeKey, address indexed seller, uint256 quantity);

    /// @notice The admin given at deployment is the zero address.
    error HybridZeroAdmin();
    /// @notice The terms are unusable (`field` names the faulty one).
    error HybridInvalidTerms(bytes32 tradeId, string field);
    /// @notice These exact terms were already escrowed.
    error HybridTradeExists(bytes32 tradeId, bytes32 tradeKey);
    /// @notice The trade is not in escrow (never opened with these terms, or already final).
    error HybridNotEscrowed(bytes32 tradeId, EscrowState state);
    /// @notice The caller may not do this.
    error HybridUnauthorized(bytes32 tradeId, address caller);
    /// @notice The trade deadline has passed.
    error HybridTradeExpired(bytes32 tradeId, uint64 deadline);
    /// @notice The trade deadline has not passed yet.
    error HybridTradeNotExpired(bytes32 tradeId, uint64 deadline);
    /// @notice The payment confirmation has expired.
    error HybridConfirmationExpired(bytes32 tradeId, uint64 deadline);
    /// @notice The confirmation names another trade key (other terms).
    error HybridWrongTrade(bytes32 tradeId, bytes32 tradeKey, bytes32 confirmedTradeKey);
    /// @notice The confirmed amount is not the trade's cash amount.
    error HybridWrongAmount(bytes32 tradeId, uint256 expected, uint256 confirmed);
    /// @notice The confirmed currency is not the trade's currency.
    error HybridWrongCurrency(bytes32 tradeId, bytes3 expected, bytes3 confirmed);
    /// @notice The signer of the confirmation is not a cash agent.
    error HybridUnauthorizedCashAgent(address signer);
    /// @notice The payment reference already released another trade.
    error HybridPaymentReferenceUsed(bytes32 paymentReference);
    /// @notice The asset is not at the corporate-action epoch the quantity was agreed at.
    error HybridCorporateActionChanged(bytes32 tradeId, uint64 agreedEpoch, uint64 currentEpoch);

    /// @notice Escrows the seller's securities for `trade`.
    function escrow(HybridTrade calldata trade) external;

    /// @notice Releases the securities of `trade` to the buyer against a cash agent's confirmation.
    function release(HybridTrade calldata trade, PaymentConfirmation calldata confirmation, bytes calldata signature)
        external;

    /// @notice Returns the securities of an unconfirmed `trade` to the seller after its deadline.
    function refund(HybridTrade calldata trade) external;

    /// @notice The buyer gives up `trade`; the securities go back to the seller.
    function cancel(HybridTrade calldata trade) external;

    /// @notice The key of `trade`: the EIP-712 digest of all its terms under this contract's domain.
    function tradeKey(HybridTrade calldata trade) external view returns (bytes32);

    /// @notice State of a trade key.
    function stateOf(bytes32 key) external view returns (EscrowState);

    /// @notice Whether a payment reference already released a trade.
    function isPaymentReferenceUsed(bytes32 paymentReference) external view returns (bool);

    /// @notice The EIP-712 digest of a payment confirmation (what the cash agent signs).
    function confirmationDigest(PaymentConfirmation calldata confirmation) external view returns (bytes32);
}
