// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ISettlementDvP} from "../interfaces/ISettlementDvP.sol";
import {SettlementQuantity} from "./SettlementQuantity.sol";

/// @title DvP
/// @notice Atomic delivery-versus-payment on one chain: the seller's securities and the buyer's cash
/// change hands in one transaction or not at all.
/// @dev Note: this contract NEVER holds tokens. Both legs move directly between the parties with
/// `transferFrom` inside {settle}, so settlement cannot create, destroy or strand either asset, and
/// the security token checks its own rules on the real transfer seller -> buyer (a non-compliant
/// buyer makes the whole settlement revert with the token's error; both sides keep what they had).
/// Each side commits by an EIP-712 signature over the `Trade` (ERC-1271 wallets included) or by
/// {instruct}; the `deadline` is the expiry of both commitments; the trade key (the digest) can reach
/// one final state only, which is the replay protection. The quantity is a token amount at the
/// asset's corporate-action epoch named in the terms; {settle} refuses once the asset has moved to
/// another epoch (a split or reverse split in between would hand one side double or half).
/// The contract is non-custodial: its one privileged power is its own upgrade.
/// Upgradeable (UUPS, ERC-1967): clients use the proxy's address, which is also the EIP-712
/// `verifyingContract` (name "DvP", version "1", unchanged), so a trade key stays the same across an
/// upgrade; all of the contract's own state lives in one ERC-7201 namespace (`DvPStorage`, no
/// sequential slot), so an upgrade keeps every final state (a settled trade stays unreplayable) and
/// every instruction. Only DEFAULT_ADMIN_ROLE may upgrade ({_authorizeUpgrade}): the timelock once the
/// deployment hands admin over; DvP has no other role. The implementation can never be initialised.
/// An upgrade could spend the allowances parties gave the proxy: that is why it waits the timelock's
/// delay in public.
contract DvP is Initializable, UUPSUpgradeable, AccessControlUpgradeable, EIP712Upgradeable, ISettlementDvP {
    using SafeERC20 for IERC20;

    /// @notice EIP-712 type of the terms both sides sign.
    bytes32 public constant TRADE_TYPEHASH = keccak256(
        "Trade(bytes32 tradeId,address seller,address buyer,address asset,uint256 quantity,address cashToken,uint256 cashAmount,uint64 deadline,uint64 corporateActionEpoch)"
    );

    /// @dev One slot per trade key: the final state and the on-chain commitments.
    struct Record {
        TradeState state;
        bool sellerInstructed;
        bool buyerInstructed;
    }

    /// @dev The EIP-712 domain's name and version (constants: signing reads no storage).
    string private constant DOMAIN_NAME = "DvP";
    string private constant DOMAIN_VERSION = "1";

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.DvP")) - 1)) & ~bytes32(uint256(0xff))
    /// = 0x8aefdbd9da6d3c304bdaeddbbe25b1d2335a4c3496a694bec28bb2046f25d800 (ERC-7201; asserted in
    /// test/forge/DvPUpgrade.t.sol).
    bytes32 private constant DVP_STORAGE = 0x8aefdbd9da6d3c304bdaeddbbe25b1d2335a4c3496a694bec28bb2046f25d800;

    /// @custom:storage-location erc7201:tokenized-stocks.storage.DvP
    struct DvPStorage {
        mapping(bytes32 tradeKey => Record) records;
    }

    /// @notice The implementation: never initialised itself (a proxy delegates to it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a DvP behind its proxy (called once, in the proxy's deployment).
    /// @param admin Receives `DEFAULT_ADMIN_ROLE`: the power to upgrade (the timelock after the
    /// deployment's hand-over).
    /// @dev Emits {RoleGranted} and {Initialized}. Requirements: not yet initialised (the
    /// implementation never is); `admin` is not zero.
    function initialize(address admin) external initializer {
        __UUPSUpgradeable_init();
        __AccessControl_init();
        // stored once for EIP-5267 readers of the namespace; signing reads the constants
        // ({_EIP712Name}, {_EIP712Version}), never storage
        __EIP712_init(DOMAIN_NAME, DOMAIN_VERSION);
        if (admin == address(0)) revert DvPZeroAdmin();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Commits the caller (the seller or the buyer) to `trade` without a signature.
    /// @dev Emits a {TradeInstructed} event.
    /// Requirements: the terms are valid; the trade is open and not expired; the caller is the seller
    /// or the buyer and has not instructed it yet.
    /// @param trade The agreed terms.
    function instruct(Trade calldata trade) external {
        bytes32 key = _openKey(trade);
        Record storage record = _ds().records[key];
        if (msg.sender == trade.seller) {
            if (record.sellerInstructed) revert DvPAlreadyInstructed(trade.tradeId, msg.sender);
            record.sellerInstructed = true;
        } else if (msg.sender == trade.buyer) {
            if (record.buyerInstructed) revert DvPAlreadyInstructed(trade.tradeId, msg.sender);
            record.buyerInstructed = true;
        } else {
            revert DvPNotParty(trade.tradeId, msg.sender);
        }
        emit TradeInstructed(trade.tradeId, key, msg.sender);
    }

    /// @notice Settles `trade`: `quantity` of `asset` from the seller to the buyer and `cashAmount`
    /// of `cashToken` from the buyer to the seller, atomically. Anyone may submit it.
    /// @dev Emits a {TradeSettled} event (and the tokens' {Transfer} events).
    /// Requirements: the terms are valid; the trade is open and its deadline has not passed; each
    /// side either signed the trade's digest or instructed it; the seller approved `quantity` of the
    /// asset and the buyer `cashAmount` of the cash token to this contract; the asset accepts the
    /// transfer seller -> buyer (else the token's own error bubbles up); the asset is still at the
    /// corporate-action epoch of the terms.
    /// @param trade The agreed terms.
    /// @param sellerSignature The seller's signature of {tradeKey}, empty if the seller instructed.
    /// @param buyerSignature The buyer's signature of {tradeKey}, empty if the buyer instructed.
    function settle(Trade calldata trade, bytes calldata sellerSignature, bytes calldata buyerSignature) external {
        bytes32 key = _openKey(trade);
        uint64 epochNow = SettlementQuantity.epochOf(trade.asset);
        if (epochNow != trade.corporateActionEpoch) {
            revert DvPCorporateActionChanged(trade.tradeId, trade.corporateActionEpoch, epochNow);
        }
        Record storage record = _ds().records[key];
        if (!record.sellerInstructed && !SignatureChecker.isValidSignatureNow(trade.seller, key, sellerSignature)) {
            revert DvPMissingCommitment(trade.tradeId, trade.seller);
        }
        if (!record.buyerInstructed && !SignatureChecker.isValidSignatureNow(trade.buyer, key, buyerSignature)) {
            revert DvPMissingCommitment(trade.tradeId, trade.buyer);
        }
        record.state = TradeState.Settled;
        // `from` is a party whose instruction or signature was verified above for these exact terms.
        // slither-disable-next-line arbitrary-send-erc20
        IERC20(trade.asset).safeTransferFrom(trade.seller, trade.buyer, trade.quantity);
        // slither-disable-next-line arbitrary-send-erc20
        IERC20(trade.cashToken).safeTransferFrom(trade.buyer, trade.seller, trade.cashAmount);
        emit TradeSettled(
            trade.tradeId,
            key,
            trade.seller,
            trade.buyer,
            trade.asset,
            trade.quantity,
            trade.cashToken,
            trade.cashAmount
        );
    }

    /// @notice Cancels `trade` before its deadline; its signatures and instructions become void.
    /// @dev Emits a {TradeCancelled} event.
    /// Requirements: the trade is open and not expired; the caller is the seller or the buyer.
    /// @param trade The agreed terms.
    function cancel(Trade calldata trade) external {
        if (msg.sender != trade.seller && msg.sender != trade.buyer) revert DvPNotParty(trade.tradeId, msg.sender);
        bytes32 key = _openKey(trade);
        _ds().records[key].state = TradeState.Cancelled;
        emit TradeCancelled(trade.tradeId, key, msg.sender);
    }

    /// @notice Records that `trade` expired unsettled. Anyone may call it; nothing is moved because
    /// nothing was ever taken from either side.
    /// @dev Emits a {TradeExpired} event.
    /// Requirements: the trade is open and its deadline has passed.
    /// @param trade The agreed terms.
    function expire(Trade calldata trade) external {
        bytes32 key = _tradeKey(trade);
        Record storage record = _ds().records[key];
        if (record.state != TradeState.Open) revert DvPTradeFinal(trade.tradeId, record.state);
        if (block.timestamp <= trade.deadline) revert DvPTradeNotExpired(trade.tradeId, trade.deadline);
        record.state = TradeState.Expired;
        emit TradeExpired(trade.tradeId, key);
    }

    /// @inheritdoc ISettlementDvP
    function tradeKey(Trade calldata trade) external view returns (bytes32) {
        return _tradeKey(trade);
    }

    /// @inheritdoc ISettlementDvP
    function stateOf(Trade calldata trade) external view returns (TradeState) {
        TradeState state = _ds().records[_tradeKey(trade)].state;
        if (state == TradeState.Open && block.timestamp > trade.deadline) return TradeState.Expired;
        return state;
    }

    /// @notice Whether a side instructed `trade` on chain: (seller, buyer).
    /// @param trade The agreed terms.
    function instructionsOf(Trade calldata trade) external view returns (bool seller, bool buyer) {
        Record storage record = _ds().records[_tradeKey(trade)];
        return (record.sellerInstructed, record.buyerInstructed);
    }

    /// @notice The EIP-712 domain separator of this contract.
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every trade's state and instructions stay, they live in the DvP's ERC-7201
    /// namespace, and the EIP-712 domain (the proxy's address) does not change.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /// @dev The DvP's state: one ERC-7201 namespace ({DVP_STORAGE}).
    function _ds() private pure returns (DvPStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := DVP_STORAGE
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

    /// @dev The key of a valid, open, unexpired trade; reverts otherwise.
    function _openKey(Trade calldata trade) private view returns (bytes32 key) {
        _checkTerms(trade);
        key = _tradeKey(trade);
        TradeState state = _ds().records[key].state;
        if (state != TradeState.Open) revert DvPTradeFinal(trade.tradeId, state);
        if (block.timestamp > trade.deadline) revert DvPTradeExpired(trade.tradeId, trade.deadline);
    }

    function _tradeKey(Trade calldata trade) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    TRADE_TYPEHASH,
                    trade.tradeId,
                    trade.seller,
                    trade.buyer,
                    trade.asset,
                    trade.quantity,
                    trade.cashToken,
                    trade.cashAmount,
                    trade.deadline,
                    trade.corporateActionEpoch
                )
            )
        );
    }

    function _checkTerms(Trade calldata trade) private pure {
        if (trade.tradeId == bytes32(0)) revert DvPInvalidTerms(trade.tradeId, "tradeId");
        if (trade.seller == address(0)) revert DvPInvalidTerms(trade.tradeId, "seller");
        if (trade.buyer == address(0) || trade.buyer == trade.seller) revert DvPInvalidTerms(trade.tradeId, "buyer");
        if (trade.asset == address(0)) revert DvPInvalidTerms(trade.tradeId, "asset");
        if (trade.cashToken == address(0) || trade.cashToken == trade.asset) {
            revert DvPInvalidTerms(trade.tradeId, "cashToken");
        }
        if (trade.quantity == 0) revert DvPInvalidTerms(trade.tradeId, "quantity");
        if (trade.cashAmount == 0) revert DvPInvalidTerms(trade.tradeId, "cashAmount");
    }
}
