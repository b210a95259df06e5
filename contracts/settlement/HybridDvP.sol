// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
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
/// Upgradeable (UUPS, ERC-1967): clients use the proxy's address, which is also the EIP-712
/// `verifyingContract` (name "HybridDvP", version "1", unchanged), so trade keys and signed
/// confirmations stay valid across an upgrade; all of the contract's own state lives in one ERC-7201
/// namespace (`HybridDvPStorage`, no sequential slot), so an upgrade keeps every open escrow (and its
/// multiplier) and every used payment reference. Only DEFAULT_ADMIN_ROLE may upgrade
/// ({_authorizeUpgrade}): the timelock once the deployment hands admin over. The implementation can
/// never be initialised.
contract HybridDvP is
    Initializable,
    UUPSUpgradeable,
    AccessControlUpgradeable,
    EIP712Upgradeable,
    ISettlementHybridDvP
{
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

    /// @dev The EIP-712 domain's name and version (constants: signing reads no storage).
    string private constant DOMAIN_NAME = "HybridDvP";
    string private constant DOMAIN_VERSION = "1";

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.HybridDvP")) - 1)) & ~bytes32(uint256(0xff))
    /// = 0x3b7e7eb5390f908f8bac33a5c695d48647af2145b39565e219fe2289293c5600 (ERC-7201; asserted in
    /// test/forge/HybridDvPUpgrade.t.sol).
    bytes32 private constant HYBRID_DVP_STORAGE = 0x3b7e7eb5390f908f8bac33a5c695d48647af2145b39565e219fe2289293c5600;

    /// @custom:storage-location erc7201:tokenized-stocks.storage.HybridDvP
    struct HybridDvPStorage {
        mapping(bytes32 tradeKey => EscrowRecord) escrows;
        mapping(bytes32 paymentReference => bool) usedReferences;
    }

    /// @notice The implementation: never initialised itself (a proxy delegates to it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a hybrid DvP behind its proxy (called once, in the proxy's deployment).
    /// @param admin Receives `DEFAULT_ADMIN_ROLE` (grants and revokes cash agents, upgrades).
    /// @dev Emits {RoleGranted} and {Initialized}. Requirements: not yet initialised (the
    /// implementation never is); `admin` is not zero.
    function initialize(address admin) external initializer {
        __UUPSUpgradeable_init();
        __AccessControl_init();
        // stored once for EIP-5267 readers of the namespace; signing reads the constants
        // ({_EIP712Name}, {_EIP712Version}), never storage
        __EIP712_init(DOMAIN_NAME, DOMAIN_VERSION);
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
        EscrowRecord storage record = _hs().escrows[key];
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
        HybridDvPStorage storage $ = _hs();
        if ($.usedReferences[confirmation.paymentReference]) {
            revert HybridPaymentReferenceUsed(confirmation.paymentReference);
        }
        address agent = ECDSA.recover(_confirmationDigest(confirmation), signature);
        if (!hasRole(CASH_AGENT_ROLE, agent)) revert HybridUnauthorizedCashAgent(agent);

        record.state = EscrowState.Released;
        $.usedReferences[confirmation.paymentReference] = true;
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
        return _hs().escrows[key].state;
    }

    /// @inheritdoc ISettlementHybridDvP
    function isPaymentReferenceUsed(bytes32 paymentReference) external view returns (bool) {
        return _hs().usedReferences[paymentReference];
    }

    /// @inheritdoc ISettlementHybridDvP
    function confirmationDigest(PaymentConfirmation calldata confirmation) external view returns (bytes32) {
        return _confirmationDigest(confirmation);
    }

    /// @notice The EIP-712 domain separator of this contract.
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every escrow and used payment reference stays, they live in the hybrid
    /// DvP's ERC-7201 namespace, and the EIP-712 domain (the proxy's address) does not change.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /// @dev The hybrid DvP's state: one ERC-7201 namespace ({HYBRID_DVP_STORAGE}).
    function _hs() private pure returns (HybridDvPStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := HYBRID_DVP_STORAGE
        }
    }

    /// @dev The EIP-712 domain name, a constant (so signing reads no storage).
    function _EIP712Name() internal pure override returns (string memory) {
        return DOMAIN_NAME;
    }

    /// @dev The EIP-712 domain version, a constant.
    function _EIP712Version() internal pure override returns (string memory) {
        return DOMAIN_VERSION;
    }

    /// @dev The key and record of an escrowed trade with exactly these terms; reverts otherwise.
    function _escrowed(HybridTrade calldata trade) private view returns (bytes32 key, EscrowRecord storage record) {
        key = _tradeKey(trade);
        record = _hs().escrows[key];
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
