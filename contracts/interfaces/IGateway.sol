// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGatewaySupply} from "./IGatewaySupply.sol";

/// @title IGateway
/// @notice The cross-chain gateway of the tokenized-stock suite: burns on send, mints on receive,
/// checks the recipient's compliance on the destination and returns refused or expired transfers.
/// @dev A message is ABI-encoded (`abi.encode(Message)`, every field static) and identified by the
/// keccak256 of that encoding. It names both ends: (srcChainId, srcGateway) and (dstChainId,
/// dstGateway), so only the gateway it was sent to can deliver or expire it, and its inbound state
/// is keyed by (srcChainId, srcGateway, nonce), which no other message of another chain or gateway
/// shares. Operators attest `Attestation(sourceGateway, messageId)` with an EIP-712 signature under
/// the DESTINATION gateway's domain, so an attestation is valid on exactly one chain, for exactly
/// one gateway, for a message from exactly one registered source gateway.
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
        Rejected, // Transfer refused by the asset's compliance check (a Return was emitted), or Return
        // whose holder is refused: the refund is held (see {heldRefund}) until released or redirected
        Expired // Transfer not delivered before its expiry; a Return was emitted
    }

    /// @notice The cross-chain message. For a CorporateAction, `units` is the new multiplier and
    /// `corporateActionEpoch` its epoch; for a Return, `ref` is the id of the refunded message and
    /// `dstGateway` the gateway that sent it. Version 2 added `srcGateway` and `dstGateway`.
    struct Message {
        uint8 version;
        uint8 kind; // a MessageKind; kept a plain uint8 so an unknown kind reverts with a custom error
        uint64 srcChainId;
        uint64 dstChainId;
        address srcGateway; // the gateway that emitted it
        address dstGateway; // the only gateway that may deliver or expire it
        uint64 nonce;
        bytes32 assetId;
        address sender;
        address recipient;
        uint256 units;
        uint64 corporateActionEpoch;
        uint64 expiry;
        bytes32 ref;
    }

    /// @notice Token bucket: `capacity` units at most, refilled at `ratePerSecond`, as the gateway's
    /// views show it: `capacity == 0` means no limit (stored as the open bucket of
    /// contracts/libraries/TokenBucket.sol, `capacity == type(uint128).max`).
    struct RateLimit {
        uint128 capacity;
        uint128 ratePerSecond;
        uint128 available;
        uint64 updatedAt;
    }

    // ------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------

    /// @notice No token is registered for `assetId` on this chain.
    error GatewayUnknownAsset(bytes32 assetId);
    /// @notice `assetId` already has a token here.
    error GatewayAssetAlreadyRegistered(bytes32 assetId, address token);
    /// @notice The token's `field` (assetId or isin) differs from the registration.
    error GatewayAssetIdentityMismatch(bytes32 assetId, address token, string field);
    /// @notice No gateway is registered for `chainId`.
    error GatewayUnknownChain(uint256 chainId);
    /// @notice `chainId` is zero or this chain.
    error GatewayInvalidChain(uint256 chainId);
    /// @notice The recipient is the zero address.
    error GatewayInvalidRecipient(address recipient);
    /// @notice Nothing to send.
    error GatewayZeroUnits();
    /// @notice The expiry is not in the future.
    error GatewayInvalidExpiry(uint64 expiry, uint256 timestamp);
    /// @notice Unknown message version or kind (a message can only transfer, refund or sync).
    error GatewayUnsupportedMessage(uint8 version, uint8 kind);
    /// @notice The message is for another chain.
    error GatewayWrongDestination(uint64 dstChainId, uint256 chainId);
    /// @notice The message's expiry has passed: it can only be expired now.
    error GatewayMessageExpired(bytes32 messageId, uint64 expiry);
    /// @notice The message may still be delivered: it cannot be expired yet.
    error GatewayMessageNotExpired(bytes32 messageId, uint64 expiry);
    /// @notice The message already reached a final `state`.
    error GatewayMessageAlreadyProcessed(bytes32 messageId, MessageState state);
    /// @notice Only a Transfer can expire (Returns and corporate actions never do).
    error GatewayNotExpirable(bytes32 messageId, uint8 kind);
    /// @notice Fewer signatures than the threshold.
    error GatewayBelowThreshold(uint256 signatures, uint256 threshold);
    /// @notice A signature recovers to an address that is not a current operator.
    error GatewayNotOperator(address signer);
    /// @notice Signers are not in strictly ascending order (e.g. a duplicate signer).
    error GatewaySignersNotAscending(address signer, address previous);
    /// @notice Signature `index` is malformed (length, s in the upper half, bad v).
    error GatewayInvalidSignature(uint256 index);
    /// @notice The threshold would be 0 or above the operator count.
    error GatewayInvalidThreshold(uint256 threshold, uint256 operatorCount);
    /// @notice `operator` is already (`isOperator` true) or is not (false) an operator, or is zero.
    error GatewayOperatorAlreadySet(address operator, bool isOperator);
    /// @notice The token bucket of `assetId` in this direction holds only `available` units.
    error GatewayRateLimited(bytes32 assetId, bool inbound, uint256 units, uint256 available);
    /// @notice Only the asset's home chain broadcasts its corporate actions.
    error GatewayNotHomeChain(bytes32 assetId, uint256 homeChainId);
    /// @notice A corporate action must come from the asset's home chain.
    error GatewayCorporateActionNotFromHome(bytes32 assetId, uint64 srcChainId, uint256 homeChainId);
    /// @notice This epoch was already broadcast to `dstChainId`.
    error GatewayCorporateActionAlreadyBroadcast(bytes32 assetId, uint64 dstChainId, uint64 epoch);
    /// @notice The refund's recipient may not receive now (`code`); the Return stays deliverable.
    error GatewayRefundRestricted(bytes32 messageId, address recipient, uint8 code);
    /// @notice More units arrive on the home chain than left it: an invariant is broken elsewhere
    /// (e.g. a remote token minted outside the gateway); nothing is minted.
    error GatewaySupplyUnderflow(bytes32 assetId, uint256 units, uint256 supplyElsewhere);
    /// @notice One signature set per message is required.
    error GatewayLengthMismatch(uint256 messages, uint256 signatureSets);
    /// @notice The message was sent to the gateway `dstGateway`, not to this one (`gateway`).
    error GatewayWrongDestinationGateway(address dstGateway, address gateway);
    /// @notice The message claims `srcGateway` as its source, but `registered` is the gateway of
    /// `srcChainId` here.
    error GatewayUnknownSourceGateway(uint64 srcChainId, address srcGateway, address registered);
    /// @notice `units` is below the minimum send amount of `assetId`.
    error GatewayBelowMinimumSend(bytes32 assetId, uint256 units, uint256 minimum);
    /// @notice A Return of `units` from `srcChainId` exceeds the `outstanding` units this (non-home)
    /// gateway sent there and did not get back: nothing is minted.
    error GatewayReturnExceedsSent(bytes32 assetId, uint64 srcChainId, uint256 units, uint256 outstanding);
    /// @notice The inbound triple is already in a final `state` (or the new state is None).
    error GatewayStateAlreadyFinal(uint64 srcChainId, address srcGateway, uint64 nonce, MessageState state);
    /// @notice No refund is held under `returnId`.
    error GatewayNoHeldRefund(bytes32 returnId);
    /// @notice `gateway` is not a retired (replaced, still accepted) gateway of `chainId`.
    error GatewayNotRetired(uint64 chainId, address gateway);
    /// @notice A Transfer of an asset with record points was sent at `messageEpoch`, which this
    /// chain has not reached yet (`localEpoch`): it is delivered once the home chain's corporate
    /// action is synced here (transient: the relayer retries it until its expiry).
    error GatewayCorporateActionPending(bytes32 assetId, uint64 messageEpoch, uint64 localEpoch);

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
    /// @notice An asset's token was registered on this chain.
    event AssetRegistered(bytes32 indexed assetId, address indexed token, uint256 homeChainId);
    /// @notice The trusted gateway of another chain changed.
    event RemoteGatewaySet(uint64 indexed chainId, address gateway);
    /// @notice A gateway of `chainId` was replaced (`accepted`: its messages are still delivered or
    /// expired here) or registered again or revoked (`accepted` false).
    event RemoteGatewayRetired(uint64 indexed chainId, address indexed gateway, bool accepted);
    /// @notice An operator joined the attestation set.
    event OperatorAdded(address indexed operator, uint256 operatorCount);
    /// @notice An operator left the attestation set; its signatures no longer count.
    event OperatorRemoved(address indexed operator, uint256 operatorCount);
    /// @notice The number of operator signatures a message needs changed.
    event ThresholdChanged(uint256 threshold);
    /// @notice A Return arrived for a `holder` the asset refuses (`code`): `units` are held under
    /// `returnId` until {releaseHeldRefund} or {redirectHeldRefund}.
    event RefundHeld(
        bytes32 indexed returnId, bytes32 indexed assetId, address indexed holder, uint256 units, uint8 code
    );
    /// @notice A held refund of `units` was minted to `to` (the holder, or the address it was
    /// redirected to by `caller`, a refund agent).
    event HeldRefundReleased(bytes32 indexed returnId, address indexed to, uint256 units, address caller);
    /// @notice The minimum units of one send of `assetId` changed.
    event MinimumSendSet(bytes32 indexed assetId, uint256 units);
    /// @notice A token bucket was (re)configured and filled.
    event RateLimitSet(bytes32 indexed assetId, bool indexed inbound, uint128 capacity, uint128 ratePerSecond);

    // ------------------------------------------------------------------------------------------
    // Functions
    // ------------------------------------------------------------------------------------------

    /// @notice Burns `units` of `assetId` from the caller and emits a Transfer to `recipient` on
    /// `dstChainId`, deliverable until `expiry`. Emits {MessageSent}.
    function send(bytes32 assetId, uint64 dstChainId, address recipient, uint256 units, uint64 expiry)
        external
        returns (bytes32 sentId);

    /// @notice Delivers one attested message (anyone may submit). Emits {MessageDelivered} or
    /// {MessageRejected} and the Return's {MessageSent}.
    function receiveMessage(Message calldata message, bytes[] calldata signatures) external;

    /// @notice Delivers many attested messages; skips those already in a final state.
    function receiveBatch(Message[] calldata messages, bytes[][] calldata signatures) external;

    /// @notice After its expiry, marks an undelivered Transfer Expired (never deliverable again) and
    /// emits the Return that refunds its sender. Emits {MessageExpired} and {MessageSent}.
    function expire(Message calldata message, bytes[] calldata signatures) external;

    /// @notice Home chain: emits the asset's current (epoch, multiplier) to `dstChainId`, once per
    /// epoch and destination. Emits {MessageSent}.
    function broadcastCorporateAction(bytes32 assetId, uint64 dstChainId) external returns (bytes32 sentId);

    /// @notice keccak256(abi.encode(message)).
    function messageId(Message calldata message) external pure returns (bytes32);

    /// @notice The EIP-712 digest operators sign for `message` arriving at this gateway.
    function attestationDigest(Message calldata message) external view returns (bytes32);

    /// @notice Final state (or None) of the inbound message `nonce` from the gateway currently
    /// registered for `srcChainId`.
    function inboundState(uint64 srcChainId, uint64 nonce) external view returns (MessageState);

    /// @notice Final state (or None) of the inbound message `nonce` from `srcGateway` on `srcChainId`.
    function inboundStateFrom(uint64 srcChainId, address srcGateway, uint64 nonce) external view returns (MessageState);

    /// @notice Mints a held refund to its holder once the asset accepts them. Anyone may call it.
    function releaseHeldRefund(bytes32 returnId) external;

    /// @notice Refund agent: mints a held refund to `to` (e.g. the holder's recovered wallet).
    function redirectHeldRefund(bytes32 returnId, address to) external;

    /// @notice Asset, holder and units of a held refund (zero holder if none is held).
    function heldRefund(bytes32 returnId) external view returns (bytes32 assetId, address holder, uint256 units);
}
