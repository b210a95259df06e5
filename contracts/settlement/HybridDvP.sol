// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ISettlementHybridDvP} from "../interfaces/ISettlementHybridDvP.sol";
import {SettlementQuantity} from "./SettlementQuantity.sol";

/// @title HybridDvP
/// @notice Delivery on chain against payment on a traditional network: the seller escrows the
/// securities, a cash agent (a bank holding `CASH_AGENT_ROLE`) signs an EIP-712 payment confirmation
/// once the cash has arrived, and presenting it releases the securities to the buyer.
/// @dev Note: the escrowed tokens of a trade NEVER go anywhere but to its buyer (release) or its
/// seller (refund, cancel), exactly once. An escrow is keyed by its trade key, the EIP-712 digest of
/// all its terms, so a trade id cannot be squatted (another seller's escrow under the same id is
/// another key) and nobody can block an honest escrow. A confirmation names the trade key, the
/// amount, currency, payment reference and its own deadline: it releases exactly the terms the
/// cash agent checked, and a payment reference can release one trade only, so neither can be
/// replayed. The quantity is agreed at a corporate-action epoch of the asset, which the escrow
/// checks; a corporate action while the tokens are in escrow is rescaled on the way out. The trade
/// deadline bounds the release: past it, the securities can only go back to the seller (a late
/// payment is returned by the bank off chain). For a registry share this contract must itself be a
/// verified holder (the registrar registers it as the settlement escrow), since it holds the shares
/// in between.
contract HybridDvP is AccessControl, EIP712, ISettlementHybridDvP {
    using SafeERC20 for IERC20;

    /// @notice Signers whose payment confirmations release securities (the banks).
    bytes32 public constant CASH_AGENT_ROLE = keccak256("CASH_AGENT_ROLE");

    /// @notice EIP-712 type of the terms of a trade; the digest is the trade key.
    bytes32 public constant HYBRID_TRADE_TYPEHASH = keccak256(
        "HybridTrade(bytes32 tradeId,address seller,address buyer,address asset,uint256 quantity,bytes3 currency,uint256 cashAmount,uint64 deadline,uint64 corporateActionEpoch)"
    );

    /// @notice EIP-712 type of a payment confirmation.
    bytes32 public constant PAYMENT_CONFIRMATION_TYPEHASH = keccak256(
        "PaymentConfirmation(bytes32 tradeKey,uint256 amount,bytes3 currency,bytes32 paymentReference,uint64 deadline)"
    );

    /// @dev One slot per trade key: its state and the asset's multiplier when the securities came in
    /// (to rescale across a corporate action in escrow).
    struct EscrowRecord {
        EscrowState state;
        uint248 multiplierAtEscrow;
    }

    mapping(bytes32 tradeKey => EscrowRecord) private _escrows;
    mapping(bytes32 paymentReference => bool) private _usedReferences;

    /// @param admin Receives `DEFAULT_ADMIN_ROLE` (grants and revokes cash agents).
    constructor(address admin) EIP712("HybridDvP", "1") {
        if (admin == address(0)) revert HybridZeroAdmin();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Escrows `quantity` of the seller's securities for `trade`.
    /// @dev Emits a {TradeEscrowed} event.
    /// Requirements: the caller is the seller; the terms are valid (non-zero id, buyer other than the
    /// seller, asset, quantity, currency, cash amount, deadline in the future); the asset is at the
    /// trade's corporate-action epoch; these exact terms were never escrowed; the seller approved
    /// `quantity` of the asset to this contract.
    /// @param trade The agreed terms.
    function escrow(HybridTrade calldata trade) external {
        if (msg.sender != trade.seller) revert HybridUnauthorized(trade.tradeId, msg.sender);
        _checkTerms(trade);
        uint64 epochNow = SettlementQuantity.epochOf(trade.asset);
        if (epochNow != trade.corporateActionEpoch) {
            revert HybridCorporateActionChanged(trade.tradeId, trade.corporateActionEpoch, epochNow);
        }
        bytes32 key = _tradeKey(trade);
        EscrowRecord storage record = _escrows[key];
        if (record.state != EscrowState.None) revert HybridTradeExists(trade.tradeId, key);
        record.state = EscrowState.Escrowed;
        // A multiplier is a 1e18-scaled ratio; a value above 2**248 would be a broken asset.
        record.multiplierAtEscrow = uint248(SettlementQuantity.multiplierOf(trade.asset));
        // `from` is the seller, checked to be the caller above.
        // slither-disable-next-line arbitrary-send-erc20
        IERC20(trade.asset).safeTransferFrom(trade.seller, address(this), trade.quantity);
        emit TradeEscrowed(
            trade.tradeId,
            key,
            trade.seller,
            trade.buyer,
            trade.asset,
            trade.quantity,
            trade.currency,
            trade.cashAmount,
            trade.deadline
        );
    }

    /// @notice Releases the escrowed securities of `trade` to its buyer against a payment
    /// confirmation signed by a cash agent. Anyone may present it.
    /// @dev Emits a {TradeReleased} event.
    /// Requirements: the trade is escrowed with these terms and its deadline has not passed; the
    /// confirmation has not expired and names this trade's key, its cash amount and its currency;
    /// its payment reference is not zero and unused; it is signed by a holder of `CASH_AGENT_ROLE`;
    /// the asset accepts the transfer to the buyer (else the token's own error bubbles up and the
    /// trade stays escrowed).
    /// @param trade The escrowed terms.
    /// @param confirmation The cash agent's confirmation.
    /// @param signature The cash agent's EIP-712 signature of `confirmation`.
    function release(HybridTrade calldata trade, PaymentConfirmation calldata confirmation, bytes calldata signature)
        external
    {
        (bytes32 key, EscrowRecord storage record) = _escrowed(trade);
        if (block.timestamp > trade.deadline) revert HybridTradeExpired(trade.tradeId, trade.deadline);
        if (block.timestamp > confirmation.deadline) {
            revert HybridConfirmationExpired(trade.tradeId, confirmation.deadline);
        }
        if (confirmation.tradeKey != key) revert HybridWrongTrade(trade.tradeId, key, confirmation.tradeKey);
        if (confirmation.amount != trade.cashAmount) {
            revert HybridWrongAmount(trade.tradeId, trade.cashAmount, confirmation.amount);
        }
        if (confirmation.currency != trade.currency) {
            revert HybridWrongCurrency(trade.tradeId, trade.currency, confirmation.currency);
        }
        if (confirmation.paymentReference == bytes32(0)) {
            revert HybridInvalidTerms(trade.tradeId, "paymentReference");
        }
        if (_usedReferences[confirmation.paymentReference]) {
            revert HybridPaymentReferenceUsed(confirmation.paymentReference);
        }
        address agent = ECDSA.recover(_confirmationDigest(confirmation), signature);
        if (!hasRole(CASH_AGENT_ROLE, agent)) revert HybridUnauthorizedCashAgent(agent);

        record.state = EscrowState.Released;
        _usedReferences[confirmation.paymentReference] = true;
        uint256 quantity = SettlementQuantity.rescale(trade.asset, trade.quantity, record.multiplierAtEscrow);
        IERC20(trade.asset).safeTransfer(trade.buyer, quantity);
        emit TradeReleased(trade.tradeId, key, trade.buyer, quantity, agent, confirmation.paymentReference);
    }

    /// @notice Returns the securities of an unconfirmed `trade` to its seller once its deadline has
    /// passed. Anyone may call it.
    /// @dev Emits a {TradeRefunded} event.
    /// Requirements: the trade is escrowed with these terms; its deadline has passed.
    /// @param trade The escrowed terms.
    function refund(HybridTrade calldata trade) external {
        (bytes32 key, EscrowRecord storage record) = _escrowed(trade);
        if (block.timestamp <= trade.deadline) revert HybridTradeNotExpired(trade.tradeId, trade.deadline);
        record.state = EscrowState.Refunded;
        uint256 quantity = SettlementQuantity.rescale(trade.asset, trade.quantity, record.multiplierAtEscrow);
        IERC20(trade.asset).safeTransfer(trade.seller, quantity);
        emit TradeRefunded(trade.tradeId, key, trade.seller, quantity);
    }

    /// @notice The buyer gives up `trade` before release; the securities go back to the seller.
    /// @dev Emits a {TradeCancelled} event. The seller cannot cancel: once the buyer has paid off
    /// chain, only a confirmation or the deadline may decide.
    /// Requirements: the caller is the buyer; the trade is escrowed with these terms.
    /// @param trade The escrowed terms.
    function cancel(HybridTrade calldata trade) external {
        (bytes32 key, EscrowRecord storage record) = _escrowed(trade);
        if (msg.sender != trade.buyer) revert HybridUnauthorized(trade.tradeId, msg.sender);
        record.state = EscrowState.Cancelled;
        uint256 quantity = SettlementQuantity.rescale(trade.asset, trade.quantity, record.multiplierAtEscrow);
        IERC20(trade.asset).safeTransfer(trade.seller, quantity);
        emit TradeCancelled(trade.tradeId, key, trade.seller, quantity);
    }

    /// @inheritdoc ISettlementHybridDvP
    function tradeKey(HybridTrade calldata trade) external view returns (bytes32) {
        return _tradeKey(trade);
    }

    /// @inheritdoc ISettlementHybridDvP
    function stateOf(bytes32 key) external view returns (EscrowState) {
        return _escrows[key].state;
    }

    /// @inheritdoc ISettlementHybridDvP
    function isPaymentReferenceUsed(bytes32 paymentReference) external view returns (bool) {
        return _usedReferences[paymentReference];
    }

    /// @inheritdoc ISettlementHybridDvP
    function confirmationDigest(PaymentConfirmation calldata confirmation) external view returns (bytes32) {
        return _confirmationDigest(confirmation);
    }

    /// @notice The EIP-712 domain separator of this contract.
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @dev The key and record of an escrowed trade with exactly these terms; reverts otherwise.
    function _escrowed(HybridTrade calldata trade) private view returns (bytes32 key, EscrowRecord storage record) {
        key = _tradeKey(trade);
        record = _escrows[key];
        if (record.state != EscrowState.Escrowed) revert HybridNotEscrowed(trade.tradeId, record.state);
    }

    function _tradeKey(HybridTrade calldata trade) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(HYBRID_TRADE_TYPEHASH, trade)));
    }

    function _confirmationDigest(PaymentConfirmation calldata confirmation) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    PAYMENT_CONFIRMATION_TYPEHASH,
                    confirmation.tradeKey,
                    confirmation.amount,
                    confirmation.currency,
                    confirmation.paymentReference,
                    confirmation.deadline
                )
            )
        );
    }

    function _checkTerms(HybridTrade calldata trade) private view {
        if (trade.tradeId == bytes32(0)) revert HybridInvalidTerms(trade.tradeId, "tradeId");
        if (trade.buyer == address(0) || trade.buyer == trade.seller) {
            revert HybridInvalidTerms(trade.tradeId, "buyer");
        }
        if (trade.asset == address(0)) revert HybridInvalidTerms(trade.tradeId, "asset");
        if (trade.quantity == 0) revert HybridInvalidTerms(trade.tradeId, "quantity");
        if (trade.currency == bytes3(0)) revert HybridInvalidTerms(trade.tradeId, "currency");
        if (trade.cashAmount == 0) revert HybridInvalidTerms(trade.tradeId, "cashAmount");
        if (trade.deadline <= block.timestamp) revert HybridInvalidTerms(trade.tradeId, "deadline");
    }
}
