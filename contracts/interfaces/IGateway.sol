// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGatewaySupply} from "./IGatewaySupply.sol";

/// @title IGateway
/// @notice The cross-chain gateway of the tokenized-stock suite: burns on send, mints on receive,
/// checks the recipient's compliance on the destination and returns refused or expired transfers.
/// @dev A message is ABI-encoded (`abi.encode(Message)`, every field static) and identified by the
/// keccak256 of that encoding. Operators attest `Attestation(sourceGateway, messageId)` with an
/// EIP-712 signature under the DESTINATION gateway's domain, so an attestation is valid on exactly
/// one chain, for exactly one gateway, for a message from exactly one registered source gateway.
interface IGateway is IGatewaySupply {
    // ------------------------------------------------------------------------------------------
    // Types
    // ------------------------------------------------------------------------------------------

    /// @notice What a message does on its destination. A message can do nothing else: there is no
    /// generic call, so a message can never reach an admin function.
    enum MessageKind {
        Transfer, // burn on the source, compliance check then mint on the destination
        Return, // refund of a refused or expired Transfer to its original sender
        CorporateAction // home chain -> other chain: apply (epoch, multiplier = units)
    }

    /// @notice Fate of an inbound message on its destination. Anything but `None` is final.
    enum MessageState {
        None,
        Delivered, // minted to the recipient (Transfer, Return) or applied (CorporateAction)
        Rejected, // Transfer refused by the asset's compliance check; a Return was emitted
        Expired // Transfer not delivered before its expiry; a Return was emitted
    }

    /// @notice The cross-chain message. For a CorporateAction, `units` is the new multiplier and
    /// `corporateActionEpoch` its epoch; for a Return, `ref` is the id of the refunded message.
    struct Message {
        uint8 version;
        uint8 kind; // a MessageKind; kept a plain uint8 so an unknown kind reverts with a custom error
        uint64 srcChainId;
        uint64 dstChainId;
        uint64 nonce;
        bytes32 assetId;
        address sender;
        address recipient;
        uint256 units;
        uint64 corporateActionEpoch;
        uint64 expiry;
        bytes32 ref;
    }

    /// @notice Token bucket: `capacity` units at most, refilled at `ratePerSecond`.
    /// `capacity == 0` disables the limit.
    struct RateLimit {
        uint128 capacity;
        uint128 ratePerSecond;
        uint128 available;
        uint64 updatedAt;
    }

    // ------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------

    error GatewayUnknownAsset(bytes32 assetId);
    error GatewayAssetAlreadyRegistered(bytes32 assetId, address token);
    error GatewayAssetIdentityMismatch(bytes32 assetId, address token, string field);
    error GatewayUnknownChain(uint256 chainId);
    error GatewayInvalidChain(uint256 chainId);
    error GatewayInvalidRecipient(address recipient);
    error GatewayZeroUnits();
    error GatewayInvalidExpiry(uint64 expiry, uint256 timestamp);
    error GatewayUnsupportedMessage(uint8 version, uint8 kind);
    error GatewayWrongDestination(uint64 dstChainId, uint256 chainId);
    error GatewayMessageExpired(bytes32 messageId, uint64 expiry);
    error GatewayMessageNotExpired(bytes32 messageId, uint64 expiry);
    error GatewayMessageAlreadyProcessed(bytes32 messageId, MessageState state);
    error GatewayNotExpirable(bytes32 messageId, uint8 kind);
    error GatewayBelowThreshold(uint256 signatures, uint256 threshold);
    error GatewayNotOperator(address signer);
    error GatewaySignersNotAscending(address signer, address previous);
    error GatewayInvalidSignature(uint256 index);
    error GatewayInvalidThreshold(uint256 threshold, uint256 operatorCount);
    error GatewayOperatorAlreadySet(address operator, bool isOperator);
    error GatewayRateLimited(bytes32 assetId, bool inbound, uint256 units, uint256 available);
    error GatewayNotHomeChain(bytes32 assetId, uint256 homeChainId);
    error GatewayCorporateActionNotFromHome(bytes32 assetId, uint64 srcChainId, uint256 homeChainId);
    error GatewayCorporateActionAlreadyBroadcast(bytes32 assetId, uint64 dstChainId, uint64 epoch);
    error GatewayRefundRestricted(bytes32 messageId, address recipient, uint8 code);
    error GatewayLengthMismatch(uint256 messages, uint256 signatureSets);

    // ------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------

    /// @notice A message left this chain; the relayer delivers `message` to `dstChainId`.
    event MessageSent(bytes32 indexed messageId, uint64 indexed dstChainId, Message message);
    /// @notice An inbound message was delivered (minted or applied).
    event MessageDelivered(bytes32 indexed messageId, uint64 indexed srcChainId, uint64 nonce);
    /// @notice An inbound Transfer was refused by the asset; `returnId` refunds the sender.
    event MessageRejected(bytes32 indexed messageId, uint8 code, bytes32 indexed returnId);
    /// @notice An inbound Transfer was not delivered before its expiry; `returnId` refunds it.
    event MessageExpired(bytes32 indexed messageId, bytes32 indexed returnId);
    event AssetRegistered(bytes32 indexed assetId, address indexed token, uint256 homeChainId);
    event RemoteGatewaySet(uint64 indexed chainId, address gateway);
    event OperatorAdded(address indexed operator, uint256 operatorCount);
    event OperatorRemoved(address indexed operator, uint256 operatorCount);
    event ThresholdChanged(uint256 threshold);
    event RateLimitSet(bytes32 indexed assetId, bool indexed inbound, uint128 capacity, uint128 ratePerSecond);

    // ------------------------------------------------------------------------------------------
    // Functions
    // ------------------------------------------------------------------------------------------

    function send(bytes32 assetId, uint64 dstChainId, address recipient, uint256 units, uint64 expiry)
        external
        returns (bytes32 messageId);

    function receiveMessage(Message calldata message, bytes[] calldata signatures) external;

    function receiveBatch(Message[] calldata messages, bytes[][] calldata signatures) external;

    function expire(Message calldata message, bytes[] calldata signatures) external;

    function broadcastCorporateAction(bytes32 assetId, uint64 dstChainId) external returns (bytes32 messageId);

    function messageId(Message calldata message) external pure returns (bytes32);

    function attestationDigest(Message calldata message) external view returns (bytes32);

    function inboundState(uint64 srcChainId, uint64 nonce) external view returns (MessageState);
}
