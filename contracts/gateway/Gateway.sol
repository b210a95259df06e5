// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ICrosschainAsset} from "../interfaces/ICrosschainAsset.sol";
import {IGateway} from "../interfaces/IGateway.sol";
import {IGatewaySupply} from "../interfaces/IGatewaySupply.sol";
import {MessageCodec} from "./MessageCodec.sol";
import {RateLimits} from "./RateLimits.sol";

/// @title Gateway
/// @notice One per chain. Moves units of the suite's assets between chains: burns on send, mints on
/// receive (home chain included), checks the recipient's compliance on the destination, and sends a
/// Return message that refunds the sender when the recipient is refused or the message expired.
/// @dev Invariants (NEVER violate):
/// - Every inbound (srcChainId, nonce) reaches at most one final state (Delivered, Rejected,
///   Expired); a Transfer is minted at most once and, if not minted, returned exactly once.
/// - A Transfer can be delivered only while `block.timestamp <= expiry`, and expired only after.
/// - On the home chain of an asset, `supplyElsewhere(assetId)` == units burned here by `send` minus
///   units minted here by inbound Transfers and Returns == supply on other chains + in flight.
/// - The gateway never holds tokens, and a message can only mint, refund or sync a corporate
///   action: there is no generic call, so no message can reach an admin function.
contract Gateway is IGateway, AccessControl, Pausable, EIP712 {
    using RateLimits for RateLimit;

    /// @notice Role allowed to pause the gateway (the guardian).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint8 private constant KIND_TRANSFER = uint8(MessageKind.Transfer);
    uint8 private constant KIND_RETURN = uint8(MessageKind.Return);
    uint8 private constant KIND_CORPORATE_ACTION = uint8(MessageKind.CorporateAction);
    uint64 private constant NEVER = type(uint64).max;

    /// @notice Rejection code of a Transfer addressed to the gateway itself (the gateway never
    /// holds tokens); outside the assets' ERC-1404 code range.
    uint8 public constant REJECTED_GATEWAY_RECIPIENT = 255;

    struct Asset {
        ICrosschainAsset token;
        uint64 homeChainId;
    }

    mapping(bytes32 assetId => Asset) private _assets;
    mapping(bytes32 assetId => uint256 units) private _supplyElsewhere;
    mapping(uint64 chainId => address gateway) private _remoteGateways;
    mapping(address account => bool) private _operators;
    uint128 private _operatorCount;
    uint128 private _threshold;
    uint64 private _nonce;
    /// @dev Keyed by the source GATEWAY (not its chain id): a redeployed remote gateway restarts its
    /// nonces at 0 without colliding with the old one's processed messages.
    mapping(address sourceGateway => mapping(uint256 word => uint256 states)) private _inbound;
    mapping(bytes32 messageId => uint8 code) private _rejectionCodes;
    mapping(bytes32 assetId => mapping(bool inbound => RateLimit)) private _rateLimits;
    mapping(bytes32 assetId => mapping(uint64 dstChainId => uint64 epoch)) private _broadcastEpochs;

    /// @param admin Receives DEFAULT_ADMIN_ROLE and PAUSER_ROLE.
    /// @param initialOperators The operator set (distinct, non-zero).
    /// @param threshold Signatures needed to attest a message (1..operators).
    constructor(address admin, address[] memory initialOperators, uint256 threshold)
        EIP712("TokenizedStockGateway", "1")
    {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        for (uint256 i = 0; i < initialOperators.length; ++i) {
            _addOperator(initialOperators[i]);
        }
        _setThreshold(threshold);
    }

    // =============================================================================================
    // Send
    // =============================================================================================

    /// @notice Burns `units` of `assetId` from the caller and emits a Transfer message to
    /// `recipient` on `dstChainId`.
    /// @param assetId The registered asset.
    /// @param dstChainId A chain with a registered remote gateway.
    /// @param recipient Receiver on the destination (its compliance is checked there).
    /// @param units Stored units (see ICrosschainAsset); a split in flight does not change them.
    /// @param expiry Last timestamp at which the destination may deliver; after it, the message can
    /// only be expired there, which refunds the caller.
    /// @return sentId The id of the emitted message.
    /// @dev Emits {MessageSent} (and the token's CrosschainBurn). Requirements: not paused; asset
    /// and destination known; `recipient` non-zero; `units` > 0; `expiry` in the future; outbound
    /// rate limit; the asset's sender-side checks pass (it reverts with its own error otherwise).
    function send(bytes32 assetId, uint64 dstChainId, address recipient, uint256 units, uint64 expiry)
        external
        whenNotPaused
        returns (bytes32 sentId)
    {
        Asset memory entry = _requireAsset(assetId);
        if (_remoteGateways[dstChainId] == address(0)) revert GatewayUnknownChain(dstChainId);
        if (recipient == address(0)) revert GatewayInvalidRecipient(recipient);
        if (units == 0) revert GatewayZeroUnits();
        if (expiry <= block.timestamp) revert GatewayInvalidExpiry(expiry, block.timestamp);
        _consume(assetId, false, units);
        if (entry.homeChainId == block.chainid) _supplyElsewhere[assetId] += units;
        entry.token.crosschainBurnUnits(msg.sender, units);
        sentId = _emitMessage(
            Message({
                version: MessageCodec.VERSION,
                kind: KIND_TRANSFER,
                srcChainId: uint64(block.chainid),
                dstChainId: dstChainId,
                nonce: 0, // assigned by _emitMessage
                assetId: assetId,
                sender: msg.sender,
                recipient: recipient,
                units: units,
                corporateActionEpoch: entry.token.corporateActionEpoch(),
                expiry: expiry,
                ref: bytes32(0)
            })
        );
    }

    /// @notice Broadcasts the home chain's current corporate action (epoch, multiplier) of
    /// `assetId` to `dstChainId`, where the gateway applies it with `syncCorporateAction`.
    /// @param assetId An asset whose home is this chain.
    /// @param dstChainId A chain with a registered remote gateway.
    /// @return sentId The id of the emitted CorporateAction message (it never expires).
    /// @dev Anyone may call it: it only mirrors on-chain state, and each epoch is broadcast once per
    /// destination. Emits {MessageSent}. Requirements: not paused; this is the asset's home chain;
    /// the epoch is newer than the last one broadcast to `dstChainId`.
    function broadcastCorporateAction(bytes32 assetId, uint64 dstChainId)
        external
        whenNotPaused
        returns (bytes32 sentId)
    {
        Asset memory entry = _requireAsset(assetId);
        if (entry.homeChainId != block.chainid) revert GatewayNotHomeChain(assetId, entry.homeChainId);
        if (_remoteGateways[dstChainId] == address(0)) revert GatewayUnknownChain(dstChainId);
        uint64 epoch = entry.token.corporateActionEpoch();
        if (epoch <= _broadcastEpochs[assetId][dstChainId]) {
            revert GatewayCorporateActionAlreadyBroadcast(assetId, dstChainId, epoch);
        }
        _broadcastEpochs[assetId][dstChainId] = epoch;
        sentId = _emitMessage(
            Message({
                version: MessageCodec.VERSION,
                kind: KIND_CORPORATE_ACTION,
                srcChainId: uint64(block.chainid),
                dstChainId: dstChainId,
                nonce: 0,
                assetId: assetId,
                sender: address(0),
                recipient: address(0),
                units: entry.token.multiplier(),
                corporateActionEpoch: epoch,
                expiry: NEVER,
                ref: bytes32(0)
            })
        );
    }

    // =============================================================================================
    // Receive
    // =============================================================================================

    /// @notice Delivers one attested message. Anyone may submit it.
    /// @param message The message emitted by the source gateway.
    /// @param signatures EIP-712 attestations by distinct current operators, ordered by ascending
    /// signer address, at least `threshold` of them.
    /// @dev Transfer: mints to the recipient if `crosschainRestriction` is 0, otherwise records the
    /// message as Rejected with the code and emits a Return (also for a Transfer addressed to this
    /// gateway, code {REJECTED_GATEWAY_RECIPIENT}). Return: mints the refund. Corporate
    /// action: applies it if newer. Emits {MessageDelivered} or {MessageRejected} + {MessageSent}.
    /// Requirements: not paused; supported version and kind; this is the destination; the source
    /// gateway is registered; not processed; not expired; valid attestation; asset registered;
    /// inbound rate limit (Transfer, Return); a Return's recipient is not restricted.
    function receiveMessage(Message calldata message, bytes[] calldata signatures) external whenNotPaused {
        _receive(message, signatures, false);
    }

    /// @notice Delivers many attested messages in one transaction.
    /// @param messages The messages.
    /// @param signatures One signature set per message, as for {receiveMessage}.
    /// @dev A message already in a final state is skipped (another relayer may have delivered it),
    /// any other failure reverts the whole batch. Requirements: as {receiveMessage}; equal lengths.
    function receiveBatch(Message[] calldata messages, bytes[][] calldata signatures) external whenNotPaused {
        if (messages.length != signatures.length) revert GatewayLengthMismatch(messages.length, signatures.length);
        for (uint256 i = 0; i < messages.length; ++i) {
            _receive(messages[i], signatures[i], true);
        }
    }

    /// @notice Marks a Transfer that was not delivered before its expiry as Expired, so it can never
    /// be delivered, and emits a Return that refunds the sender on the source chain.
    /// @param message The expired Transfer.
    /// @param signatures Its attestation (proves the source gateway really sent it).
    /// @dev The Return is the source chain's proof that the message was not, and can no longer be,
    /// processed here. Emits {MessageExpired} and {MessageSent}. Requirements: not paused; a
    /// Transfer to this chain from a registered gateway; `block.timestamp > expiry`; state None;
    /// valid attestation.
    function expire(Message calldata message, bytes[] calldata signatures) external whenNotPaused {
        _checkEnvelope(message);
        bytes32 id = MessageCodec.idCalldata(message);
        if (message.kind != KIND_TRANSFER) revert GatewayNotExpirable(id, message.kind);
        if (block.timestamp <= message.expiry) revert GatewayMessageNotExpired(id, message.expiry);
        address source = _requireSource(message.srcChainId);
        MessageState state = _state(source, message.nonce);
        if (state != MessageState.None) revert GatewayMessageAlreadyProcessed(id, state);
        _verifyAttestation(source, id, signatures);
        _setState(source, message.nonce, MessageState.Expired);
        bytes32 returnId = _emitReturn(message, id);
        emit MessageExpired(id, returnId);
    }

    // =============================================================================================
    // Admin
    // =============================================================================================

    /// @notice Registers the token of `assetId` on this chain.
    /// @param assetId The asset id (the same on every chain).
    /// @param isin The ISIN the token must report.
    /// @param token The asset contract (implements ICrosschainAsset).
    /// @dev Emits {AssetRegistered}. Requirements: DEFAULT_ADMIN_ROLE; not yet registered; the
    /// token's `assetId()` and `isin()` match.
    function registerAsset(bytes32 assetId, string calldata isin, ICrosschainAsset token)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        Asset memory existing = _assets[assetId];
        if (address(existing.token) != address(0)) revert GatewayAssetAlreadyRegistered(assetId, address(existing.token));
        if (token.assetId() != assetId) revert GatewayAssetIdentityMismatch(assetId, address(token), "assetId");
        if (keccak256(bytes(token.isin())) != keccak256(bytes(isin))) {
            revert GatewayAssetIdentityMismatch(assetId, address(token), "isin");
        }
        uint256 home = token.homeChainId();
        _assets[assetId] = Asset({token: token, homeChainId: uint64(home)});
        emit AssetRegistered(assetId, address(token), home);
    }

    /// @notice Sets the gateway trusted as the source of messages from `chainId` (and destination).
    /// @param chainId Another chain's id.
    /// @param gateway Its gateway (zero removes it).
    /// @dev Emits {RemoteGatewaySet}. Requirements: DEFAULT_ADMIN_ROLE; `chainId` is neither 0 nor
    /// this chain.
    function setRemoteGateway(uint64 chainId, address gateway) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (chainId == 0 || chainId == block.chainid) revert GatewayInvalidChain(chainId);
        _remoteGateways[chainId] = gateway;
        emit RemoteGatewaySet(chainId, gateway);
    }

    /// @notice Adds an operator.
    /// @param operator The new operator.
    /// @dev Emits {OperatorAdded}. Requirements: DEFAULT_ADMIN_ROLE; not already an operator.
    function addOperator(address operator) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _addOperator(operator);
    }

    /// @notice Removes an operator; its signatures stop counting at once.
    /// @param operator The operator.
    /// @dev Emits {OperatorRemoved}. Requirements: DEFAULT_ADMIN_ROLE; an operator; the remaining
    /// set still reaches the threshold.
    function removeOperator(address operator) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!_operators[operator]) revert GatewayOperatorAlreadySet(operator, false);
        uint256 count = _operatorCount - 1;
        if (count < _threshold) revert GatewayInvalidThreshold(_threshold, count);
        _operators[operator] = false;
        _operatorCount = uint128(count);
        emit OperatorRemoved(operator, count);
    }

    /// @notice Sets the number of operator signatures a message needs.
    /// @param threshold 1..operatorCount.
    /// @dev Emits {ThresholdChanged}. Requirements: DEFAULT_ADMIN_ROLE; valid threshold.
    function setThreshold(uint256 threshold) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setThreshold(threshold);
    }

    /// @notice Configures the token bucket of `assetId` in one direction (and fills it).
    /// @param assetId The asset.
    /// @param inbound True for received units, false for sent units.
    /// @param capacity Bucket size in units; 0 disables the limit.
    /// @param ratePerSecond Refill in units per second.
    /// @dev Emits {RateLimitSet}. Requirements: DEFAULT_ADMIN_ROLE; asset registered.
    function setRateLimit(bytes32 assetId, bool inbound, uint128 capacity, uint128 ratePerSecond)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _requireAsset(assetId);
        _rateLimits[assetId][inbound].configure(capacity, ratePerSecond);
        emit RateLimitSet(assetId, inbound, capacity, ratePerSecond);
    }

    /// @notice Stops send, receive, expire and broadcast.
    /// @dev Emits {Paused}. Requirements: PAUSER_ROLE; not paused.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes the gateway.
    /// @dev Emits {Unpaused}. Requirements: DEFAULT_ADMIN_ROLE; paused.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // =============================================================================================
    // Views
    // =============================================================================================

    /// @inheritdoc IGatewaySupply
    function supplyElsewhere(bytes32 assetId) external view returns (uint256 units) {
        return _supplyElsewhere[assetId];
    }

    /// @notice Token and home chain registered for `assetId` (zero token if none).
    function asset(bytes32 assetId) external view returns (address token, uint256 homeChainId) {
        Asset memory a = _assets[assetId];
        return (address(a.token), a.homeChainId);
    }

    /// @notice The gateway registered for `chainId`.
    function remoteGateway(uint64 chainId) external view returns (address) {
        return _remoteGateways[chainId];
    }

    /// @notice Whether `account` is a current operator.
    function isOperator(address account) external view returns (bool) {
        return _operators[account];
    }

    /// @notice Number of operators and signatures needed.
    function operatorSet() external view returns (uint256 count, uint256 threshold) {
        return (_operatorCount, _threshold);
    }

    /// @notice Nonce the next outbound message will carry.
    function nextNonce() external view returns (uint64) {
        return _nonce;
    }

    /// @notice Restriction code recorded for a rejected inbound message (0 if none).
    function rejectionCode(bytes32 messageId_) external view returns (uint8) {
        return _rejectionCodes[messageId_];
    }

    /// @notice Units that may pass now through the bucket of `assetId` in one direction.
    function rateLimitAvailable(bytes32 assetId, bool inbound) external view returns (uint256) {
        return _rateLimits[assetId][inbound].unitsAvailable();
    }

    /// @notice Configuration and state of a bucket.
    function rateLimit(bytes32 assetId, bool inbound) external view returns (RateLimit memory) {
        return _rateLimits[assetId][inbound];
    }

    /// @inheritdoc IGateway
    function inboundState(uint64 srcChainId, uint64 nonce) external view returns (MessageState) {
        return _state(_remoteGateways[srcChainId], nonce);
    }

    /// @inheritdoc IGateway
    function messageId(Message calldata message) external pure returns (bytes32) {
        return MessageCodec.idCalldata(message);
    }

    /// @inheritdoc IGateway
    function attestationDigest(Message calldata message) external view returns (bytes32) {
        return _hashTypedDataV4(
            MessageCodec.attestationHash(_remoteGateways[message.srcChainId], MessageCodec.idCalldata(message))
        );
    }

    // =============================================================================================
    // Internals
    // =============================================================================================

    function _receive(Message calldata message, bytes[] calldata signatures, bool skipProcessed) private {
        _checkEnvelope(message);
        bytes32 id = MessageCodec.idCalldata(message);
        address source = _requireSource(message.srcChainId);
        {
            MessageState state = _state(source, message.nonce);
            if (state != MessageState.None) {
                if (skipProcessed) return;
                revert GatewayMessageAlreadyProcessed(id, state);
            }
        }
        if (block.timestamp > message.expiry) revert GatewayMessageExpired(id, message.expiry);
        _verifyAttestation(source, id, signatures);
        Asset memory entry = _requireAsset(message.assetId);

        if (message.kind == KIND_CORPORATE_ACTION) {
            if (message.srcChainId != entry.homeChainId) {
                revert GatewayCorporateActionNotFromHome(message.assetId, message.srcChainId, entry.homeChainId);
            }
            _setState(source, message.nonce, MessageState.Delivered);
            // An older or equal epoch (overtaken by a newer broadcast) is delivered as a no-op.
            if (message.corporateActionEpoch > entry.token.corporateActionEpoch()) {
                entry.token.syncCorporateAction(message.corporateActionEpoch, message.units);
            }
            emit MessageDelivered(id, message.srcChainId, message.nonce);
            return;
        }

        // Transfer or Return (the kind was checked by _checkEnvelope): both mint units.
        _consume(message.assetId, true, message.units);
        uint8 code = message.recipient == address(this)
            ? REJECTED_GATEWAY_RECIPIENT
            : entry.token.crosschainRestriction(message.recipient, message.units);
        if (code != 0) {
            if (message.kind == KIND_RETURN) revert GatewayRefundRestricted(id, message.recipient, code);
            _setState(source, message.nonce, MessageState.Rejected);
            _rejectionCodes[id] = code;
            bytes32 returnId = _emitReturn(message, id);
            emit MessageRejected(id, code, returnId);
            return;
        }
        _setState(source, message.nonce, MessageState.Delivered);
        if (entry.homeChainId == block.chainid) _returnedHome(message.assetId, message.units);
        entry.token.crosschainMintUnits(message.recipient, message.units);
        emit MessageDelivered(id, message.srcChainId, message.nonce);
    }

    /// @dev Version, kind and destination: what must hold before anything else is looked at.
    function _checkEnvelope(Message calldata message) private view {
        if (message.version != MessageCodec.VERSION || message.kind > KIND_CORPORATE_ACTION) {
            revert GatewayUnsupportedMessage(message.version, message.kind);
        }
        if (message.dstChainId != block.chainid) revert GatewayWrongDestination(message.dstChainId, block.chainid);
    }

    /// @dev Threshold of distinct current operators, signatures ordered by ascending signer.
    function _verifyAttestation(address source, bytes32 id, bytes[] calldata signatures) private view {
        uint256 threshold = _threshold;
        if (signatures.length < threshold) revert GatewayBelowThreshold(signatures.length, threshold);
        bytes32 digest = _hashTypedDataV4(MessageCodec.attestationHash(source, id));
        address previous = address(0);
        for (uint256 i = 0; i < signatures.length; ++i) {
            bytes calldata signature = signatures[i];
            if (signature.length != 65) revert GatewayInvalidSignature(i);
            // The error argument is only meaningful together with `err`, which is checked below.
            // slither-disable-next-line unused-return
            (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(
                digest, uint8(signature[64]), bytes32(signature[0:32]), bytes32(signature[32:64])
            );
            if (err != ECDSA.RecoverError.NoError) revert GatewayInvalidSignature(i);
            if (signer <= previous) revert GatewaySignersNotAscending(signer, previous);
            if (!_operators[signer]) revert GatewayNotOperator(signer);
            previous = signer;
        }
    }

    /// @dev Emits a Return of the refused/expired Transfer `original` back to its source.
    function _emitReturn(Message calldata original, bytes32 originalId) private returns (bytes32) {
        return _emitMessage(
            Message({
                version: MessageCodec.VERSION,
                kind: KIND_RETURN,
                srcChainId: uint64(block.chainid),
                dstChainId: original.srcChainId,
                nonce: 0,
                assetId: original.assetId,
                sender: original.recipient,
                recipient: original.sender,
                units: original.units,
                corporateActionEpoch: original.corporateActionEpoch,
                expiry: NEVER, // a refund must always remain deliverable
                ref: originalId
            })
        );
    }

    /// @dev Assigns the next nonce, emits the message and returns its id.
    function _emitMessage(Message memory message) private returns (bytes32 id) {
        message.nonce = _nonce++;
        id = MessageCodec.id(message);
        emit MessageSent(id, message.dstChainId, message);
    }

    function _consume(bytes32 assetId, bool inbound, uint256 units) private {
        (bool ok, uint256 available) = _rateLimits[assetId][inbound].tryConsume(units);
        if (!ok) revert GatewayRateLimited(assetId, inbound, units, available);
    }

    function _requireSource(uint64 srcChainId) private view returns (address source) {
        source = _remoteGateways[srcChainId];
        if (source == address(0)) revert GatewayUnknownChain(srcChainId);
    }

    /// @dev State of inbound `nonce` from `source` (2 bits in a word of 128 nonces).
    function _state(address source, uint64 nonce) private view returns (MessageState) {
        (uint256 word, uint256 shift) = MessageCodec.statePosition(nonce);
        return MessageState((_inbound[source][word] >> shift) & 3);
    }

    /// @dev Sets a final state; only ever called on a nonce whose state is None.
    function _setState(address source, uint64 nonce, MessageState state) private {
        (uint256 word, uint256 shift) = MessageCodec.statePosition(nonce);
        _inbound[source][word] |= uint256(state) << shift;
    }

    /// @dev Home chain: `units` came back from elsewhere.
    function _returnedHome(bytes32 assetId, uint256 units) private {
        uint256 elsewhere = _supplyElsewhere[assetId];
        if (units > elsewhere) revert GatewaySupplyUnderflow(assetId, units, elsewhere);
        // Cannot underflow: checked just above.
        unchecked {
            _supplyElsewhere[assetId] = elsewhere - units;
        }
    }

    function _requireAsset(bytes32 assetId) private view returns (Asset memory entry) {
        entry = _assets[assetId];
        if (address(entry.token) == address(0)) revert GatewayUnknownAsset(assetId);
    }

    function _addOperator(address operator) private {
        if (operator == address(0) || _operators[operator]) revert GatewayOperatorAlreadySet(operator, true);
        _operators[operator] = true;
        uint256 count = _operatorCount + 1;
        _operatorCount = uint128(count);
        emit OperatorAdded(operator, count);
    }

    function _setThreshold(uint256 threshold) private {
        if (threshold == 0 || threshold > _operatorCount) revert GatewayInvalidThreshold(threshold, _operatorCount);
        _threshold = uint128(threshold);
        emit ThresholdChanged(threshold);
    }
}
