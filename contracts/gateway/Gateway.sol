// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {ERC165Checker} from "@openzeppelin/contracts/utils/introspection/ERC165Checker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICrosschainAsset} from "../interfaces/ICrosschainAsset.sol";
import {IGateway} from "../interfaces/IGateway.sol";
import {IGatewaySupply} from "../interfaces/IGatewaySupply.sol";
import {IRecordPoints} from "../interfaces/IRecordPoints.sol";
import {MessageCodec} from "./MessageCodec.sol";
import {TokenBucket} from "../libraries/TokenBucket.sol";

/// @title Gateway
/// @notice One per chain. Moves units of the suite's assets between chains: burns on send, mints on
/// receive (home chain included), checks the recipient's compliance on the destination, and sends a
/// Return message that refunds the sender when the recipient is refused or the message expired.
/// @dev Invariants (NEVER violate):
/// - Every inbound (srcChainId, srcGateway, nonce) reaches at most one final state (Delivered,
///   Rejected, Expired); a Transfer is minted at most once and, if not minted, returned exactly
///   once, to the gateway that sent it. Distinct triples never share state (several chains may
///   run their gateways at the same address).
/// - A message is delivered or expired only by the gateway it names as `dstGateway`, and only if
///   its `srcGateway` is the gateway registered for its `srcChainId`, or one registered before it
///   and replaced (retired), unless the admin revoked it: a redeployed peer never strands what its
///   old gateway burned. Messages are only ever sent to the registered gateway.
/// - A Return is never refused for good: it mints, or it is held for its holder (a final state)
///   and anyone may release it once the asset accepts the holder; a refund agent may redirect it.
///   The inbound rate limit never blocks a Return; a Return never mints more than this gateway
///   sent to its source chain (home chain: `supplyElsewhere`; elsewhere: `returnableUnits`).
/// - A Transfer can be delivered only while `block.timestamp <= expiry`, and expired only after.
/// - On the home chain of an asset, `supplyElsewhere(assetId)` == units burned here by `send` minus
///   units minted here by inbound Transfers and Returns == supply on other chains + in flight.
/// - A rate limit is open exactly when its lane's update time is 0 (see {LANE_MAX}); a limited
///   bucket never holds more than its capacity, and a Return only takes what it holds.
/// - The gateway never holds tokens, and a message can only mint, refund or sync a corporate
///   action: there is no generic call, so no message can reach an admin function.
/// - Upgradeable (UUPS, ERC-1967): clients use the proxy's address; all of the gateway's own state
///   lives in one ERC-7201 namespace (`GatewayStorage`, no sequential slot), so an upgrade keeps
///   every figure. Only DEFAULT_ADMIN_ROLE may upgrade ({_authorizeUpgrade}); once the deployment
///   hands admin over, that is the timelock: an upgrade waits its delay in public. The
///   implementation itself can never be initialised (its constructor disables initialisers).
contract Gateway is
    Initializable,
    UUPSUpgradeable,
    AccessControlUpgradeable,
    PausableUpgradeable,
    EIP712Upgradeable,
    IGateway
{
    /// @notice Role allowed to pause the gateway (the guardian).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Role allowed to redirect a held refund (the issuer's transfer agent).
    bytes32 public constant REFUND_ROLE = keccak256("REFUND_ROLE");

    uint8 private constant KIND_TRANSFER = uint8(MessageKind.Transfer);
    uint8 private constant KIND_RETURN = uint8(MessageKind.Return);
    uint8 private constant KIND_CORPORATE_ACTION = uint8(MessageKind.CorporateAction);
    uint64 private constant NEVER = type(uint64).max;

    /// @dev The EIP-712 domain's name and version (constants: no storage, no initialiser needed).
    string private constant DOMAIN_NAME = "TokenizedStockGateway";
    string private constant DOMAIN_VERSION = "1";
    /// @dev The EIP-712 domain's fixed hashes, so an attestation check hashes only what varies.
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant DOMAIN_NAME_HASH = keccak256(bytes(DOMAIN_NAME));
    bytes32 private constant DOMAIN_VERSION_HASH = keccak256(bytes(DOMAIN_VERSION));

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.Gateway")) - 1)) & ~bytes32(uint256(0xff))
    /// = 0x8e1ec84a422489524c10b2f59abc3d0010c7939dc3f6ab47577c0b63d410f300 (ERC-7201; asserted in
    /// test/forge/GatewayUpgrade.t.sol).
    bytes32 private constant GATEWAY_STORAGE = 0x8e1ec84a422489524c10b2f59abc3d0010c7939dc3f6ab47577c0b63d410f300;

    /// @notice Rejection code of a Transfer addressed to the gateway itself (the gateway never
    /// holds tokens); outside the assets' ERC-1404 code range.
    uint8 public constant REJECTED_GATEWAY_RECIPIENT = 255;

    /// @dev A lane is the one word per asset and direction that a send (outbound) or a receive
    /// (inbound) reads and writes: bits 0-103 the bucket's units, 104-151 its update time, 152-255
    /// the minimum send (outbound) or `supplyElsewhere` (inbound; its home chain's sends add to it).
    /// Update time 0 means the bucket is open (never limited, or opened again): it is then neither
    /// read nor written, and its {Limit} is not read either. A limited bucket always has a non-zero
    /// time (block timestamps fit 48 bits until the year 8,900,000). Units there, a limited
    /// capacity and the minimum are at most {LANE_MAX} = 2**104 - 1 (2 * 10**13 tokens of 18
    /// decimals).
    uint256 private constant LANE_MAX = (1 << 104) - 1;
    uint256 private constant LANE_TIME_SHIFT = 104;
    uint256 private constant LANE_TIME_MASK = (1 << 48) - 1;
    uint256 private constant LANE_HIGH_SHIFT = 152;
    /// @dev The bucket part of a lane (units and time), below the high field.
    uint256 private constant LANE_BUCKET_MASK = (1 << 152) - 1;

    struct Asset {
        ICrosschainAsset token;
        uint64 homeChainId;
        /// @dev The token implements {IRecordPoints} (ERC-165, checked at registration): its record
        /// dates are epochs, so deliveries wait for the message's epoch and credit units in flight.
        bool recordPoints;
    }

    /// @dev The configuration of one rate limit (a {TokenBucket}): `capacity` {TokenBucket.UNLIMITED}
    /// is an open bucket (the interface's "capacity 0 = no limit"); otherwise at most {LANE_MAX}.
    /// Its state (what it holds, when) is packed in the direction's lane word.
    struct Limit {
        uint128 capacity;
        uint128 refillPerSecond;
    }

    struct HeldRefund {
        bytes32 assetId;
        address holder;
        uint64 sentEpoch; // the refunded Transfer's epoch: the units are in flight until paid
        uint256 units;
    }

    /// @custom:storage-location erc7201:tokenized-stocks.storage.Gateway
    struct GatewayStorage {
        mapping(bytes32 assetId => Asset) assets;
        /// @dev The outbound lane of each asset: its send bucket's state and the minimum send.
        mapping(bytes32 assetId => uint256 lane) outboundLanes;
        mapping(uint64 chainId => address gateway) remoteGateways;
        mapping(address account => bool) operators;
        /// @dev One slot read by every send (the nonce) and every receive (the threshold), each
        /// after the pause check that reads it too: the proxy's cold reads are paid back here.
        uint64 nonce;
        uint32 operatorCount;
        uint32 threshold;
        bool paused;
        /// @dev Keyed by the source chain AND its gateway: gateways of several chains may share an
        /// address (same deployer and step order, or CREATE2), and a redeployed remote gateway restarts
        /// its nonces at 0 without colliding with the old one's processed messages.
        MessageCodec.InboundStates inbound;
        mapping(bytes32 messageId => uint8 code) rejectionCodes;
        /// @dev Read only while the direction's lane time is not 0: a registered asset's lanes start
        /// open (time 0, nothing written); `setRateLimit(..., 0, ...)` opens one again. The views show
        /// an open bucket as the interface's "capacity 0 = no limit".
        mapping(bytes32 assetId => mapping(bool inbound => Limit)) limits;
        mapping(bytes32 assetId => mapping(uint64 dstChainId => uint64 epoch)) broadcastEpochs;
        /// @dev Away from the asset's home chain: units sent to a chain and not yet refunded from it,
        /// the bound of the Returns that chain can make this gateway mint.
        mapping(bytes32 assetId => mapping(uint64 chainId => uint256 units)) returnable;
        mapping(bytes32 returnId => HeldRefund) heldRefunds;
        mapping(bytes32 assetId => uint256 units) heldUnits;
        /// @dev The inbound lane of each asset: its receive bucket's state and `supplyElsewhere`, so
        /// a delivery on the home chain reads and writes one word for both.
        mapping(bytes32 assetId => uint256 lane) inboundLanes;
        /// @dev Gateways once registered for a chain and replaced by {setRemoteGateway}: what they
        /// sent (before the replacement, or from holders left on the superseded deployment) is still
        /// delivered or expired, so nothing they burned is stranded. Read only when a message's
        /// source is not the registered gateway.
        mapping(uint64 chainId => mapping(address gateway => bool)) retiredGateways;
    }

    /// @notice The implementation: never initialised itself (a proxy delegates to it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a gateway behind its proxy (called once, in the proxy's deployment).
    /// @param admin Receives DEFAULT_ADMIN_ROLE and PAUSER_ROLE.
    /// @param initialOperators The operator set (distinct, non-zero).
    /// @param threshold Signatures needed to attest a message (1..operators).
    /// @dev Emits {RoleGranted} twice, {OperatorAdded} per operator, {ThresholdChanged} and
    /// {Initialized}. Requirements: not yet initialised (the implementation never is); operators
    /// distinct and non-zero; 1 <= threshold <= operators.
    function initialize(address admin, address[] calldata initialOperators, uint256 threshold) external initializer {
        __UUPSUpgradeable_init();
        __AccessControl_init();
        __Pausable_init();
        // stored once for EIP-5267 readers of the namespace; signing reads the constants
        // ({_EIP712Name}, {_EIP712Version}), never storage
        __EIP712_init(DOMAIN_NAME, DOMAIN_VERSION);
        _setUp(admin, initialOperators, threshold);
    }

    /// @dev What {initialize} sets up (OZ's `__*_init` of the bases it calls first are empty).
    function _setUp(address admin, address[] memory initialOperators, uint256 threshold) internal {
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
    /// and destination known; `recipient` non-zero; `units` > 0 and at least the asset's minimum
    /// send; `expiry` in the future; outbound rate limit; the asset's sender-side checks pass (it
    /// reverts with its own error otherwise).
    // The nonce is taken after the burn (the message carries the epoch the burn left): a reentrant
    // send would only take the next one. Slither reads the ERC-7201 accessor's slot constant as
    // the state written, so it reports this as cross-function (it was reentrancy-benign before).
    // slither-disable-next-line reentrancy-no-eth
    function send(bytes32 assetId, uint64 dstChainId, address recipient, uint256 units, uint64 expiry)
        external
        whenNotPaused
        returns (bytes32 sentId)
    {
        GatewayStorage storage $ = _gs();
        Asset memory entry = _requireAsset(assetId);
        address dstGateway = $.remoteGateways[dstChainId];
        if (dstGateway == address(0)) revert GatewayUnknownChain(dstChainId);
        if (recipient == address(0)) revert GatewayInvalidRecipient(recipient);
        if (units == 0) revert GatewayZeroUnits();
        _takeOutbound(assetId, units, expiry);
        if (entry.homeChainId == block.chainid) {
            _sentFromHome(assetId, units);
        } else {
            $.returnable[assetId][dstChainId] += units;
        }
        // The gateway accounts in units; the token amount it returns is for other callers.
        // slither-disable-next-line unused-return
        entry.token.crosschainBurnUnits(msg.sender, units);
        sentId = _emitMessage(
            Message({
                version: MessageCodec.VERSION,
                kind: KIND_TRANSFER,
                srcChainId: uint64(block.chainid),
                dstChainId: dstChainId,
                srcGateway: address(this),
                dstGateway: dstGateway,
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
        GatewayStorage storage $ = _gs();
        Asset memory entry = _requireAsset(assetId);
        if (entry.homeChainId != block.chainid) revert GatewayNotHomeChain(assetId, entry.homeChainId);
        address dstGateway = $.remoteGateways[dstChainId];
        if (dstGateway == address(0)) revert GatewayUnknownChain(dstChainId);
        uint64 epoch = entry.token.corporateActionEpoch();
        if (epoch <= $.broadcastEpochs[assetId][dstChainId]) {
            revert GatewayCorporateActionAlreadyBroadcast(assetId, dstChainId, epoch);
        }
        $.broadcastEpochs[assetId][dstChainId] = epoch;
        sentId = _emitMessage(
            Message({
                version: MessageCodec.VERSION,
                kind: KIND_CORPORATE_ACTION,
                srcChainId: uint64(block.chainid),
                dstChainId: dstChainId,
                srcGateway: address(this),
                dstGateway: dstGateway,
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
    /// message as Rejected with the code and emits a Return to the gateway that sent it (also for a
    /// Transfer addressed to this gateway, code {REJECTED_GATEWAY_RECIPIENT}). Return: mints the
    /// refund if `crosschainRefundRestriction` is 0, otherwise holds it (state Rejected, {RefundHeld})
    /// for {releaseHeldRefund} / {redirectHeldRefund}; it takes what the inbound bucket has left and
    /// is never refused by it. Corporate action: applies it if newer. Emits {MessageDelivered}, or
    /// {MessageRejected} + {MessageSent}, or {RefundHeld}.
    /// Requirements: not paused; supported version and kind; this chain and this gateway are the
    /// destination; the source gateway is the one registered for the source chain; not processed;
    /// not expired; valid attestation; asset registered; inbound rate limit (Transfer); a Return
    /// stays within what this gateway sent to its source chain.
    function receiveMessage(Message calldata message, bytes[] calldata signatures) external whenNotPaused {
        _receive(message, signatures, false);
    }

    /// @notice Delivers many attested messages in one transaction.
    /// @param messages The messages.
    /// @param signatures One signature set per message, as for {receiveMessage}.
    /// @dev A message already in a final state is skipped (another relayer may have delivered it):
    /// the state is keyed by (srcChainId, srcGateway, nonce), all three bound in the message and its
    /// id, so the state found is this message's own, never another chain's or gateway's. Any other
    /// failure reverts the whole batch. Requirements: as {receiveMessage}; equal lengths.
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
    /// Transfer to this chain and this gateway from the gateway registered for its source chain;
    /// `block.timestamp > expiry`; state None; valid attestation.
    function expire(Message calldata message, bytes[] calldata signatures) external whenNotPaused {
        _checkEnvelope(message);
        bytes32 id = MessageCodec.idCalldata(message);
        if (message.kind != KIND_TRANSFER) revert GatewayNotExpirable(id, message.kind);
        if (block.timestamp <= message.expiry) revert GatewayMessageNotExpired(id, message.expiry);
        _requireSource(message);
        MessageState state = _state(message.srcChainId, message.srcGateway, message.nonce);
        if (state != MessageState.None) revert GatewayMessageAlreadyProcessed(id, state);
        _verifyAttestation(message.srcGateway, id, signatures);
        _setState(message.srcChainId, message.srcGateway, message.nonce, MessageState.Expired);
        bytes32 returnId = _emitReturn(message, id);
        emit MessageExpired(id, returnId);
    }

    /// @notice Mints a held refund to its holder, once the asset accepts them again (e.g. after a
    /// freeze was lifted). Anyone may call it: it can only pay the holder.
    /// @param returnId The id of the held Return (see {RefundHeld}).
    /// @dev Emits {HeldRefundReleased} (and the token's CrosschainMint). Requirements: not paused;
    /// a refund is held under `returnId`; the holder is not this gateway (such a refund can only
    /// be redirected); `crosschainRefundRestriction(holder, units)` is 0.
    function releaseHeldRefund(bytes32 returnId) external whenNotPaused {
        HeldRefund memory held = _gs().heldRefunds[returnId];
        _payHeldRefund(returnId, held, held.holder);
    }

    /// @notice Mints a held refund to `to` instead of the holder, e.g. the holder's new wallet
    /// after a recovery by the transfer agent.
    /// @param returnId The id of the held Return (see {RefundHeld}).
    /// @param to The address credited; it must pass the asset's refund checks.
    /// @dev Emits {HeldRefundReleased} (and the token's CrosschainMint). Requirements: not paused;
    /// REFUND_ROLE; a refund is held under `returnId`; `to` is neither zero nor this gateway;
    /// `crosschainRefundRestriction(to, units)` is 0.
    function redirectHeldRefund(bytes32 returnId, address to) external whenNotPaused onlyRole(REFUND_ROLE) {
        if (to == address(0)) revert GatewayInvalidRecipient(to);
        _payHeldRefund(returnId, _gs().heldRefunds[returnId], to);
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
        GatewayStorage storage $ = _gs();
        Asset memory existing = $.assets[assetId];
        if (address(existing.token) != address(0)) {
            revert GatewayAssetAlreadyRegistered(assetId, address(existing.token));
        }
        if (token.assetId() != assetId) revert GatewayAssetIdentityMismatch(assetId, address(token), "assetId");
        if (keccak256(bytes(token.isin())) != keccak256(bytes(isin))) {
            revert GatewayAssetIdentityMismatch(assetId, address(token), "isin");
        }
        uint256 home = token.homeChainId();
        bool recordPoints = ERC165Checker.supportsInterface(address(token), type(IRecordPoints).interfaceId);
        $.assets[assetId] = Asset({token: token, homeChainId: uint64(home), recordPoints: recordPoints});
        // No limit until {setRateLimit}: both lanes start with time 0, an open bucket whose limit is
        // never read, so nothing is written for them here.
        emit AssetRegistered(assetId, address(token), home);
    }

    /// @notice Sets the gateway trusted as the source of messages from `chainId` (and destination).
    /// @param chainId Another chain's id.
    /// @param gateway Its gateway (zero removes it).
    /// @dev Emits {RemoteGatewaySet}, and {RemoteGatewayRetired} when it replaces another gateway:
    /// the replaced one's messages are still delivered or expired here (the peer was redeployed; what
    /// its old gateway burned must arrive or be refunded), never sent to. Registering a retired
    /// gateway again un-retires it. Requirements: DEFAULT_ADMIN_ROLE; `chainId` is neither 0 nor
    /// this chain.
    function setRemoteGateway(uint64 chainId, address gateway) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (chainId == 0 || chainId == block.chainid) revert GatewayInvalidChain(chainId);
        GatewayStorage storage $ = _gs();
        address replaced = $.remoteGateways[chainId];
        $.remoteGateways[chainId] = gateway;
        if (replaced != address(0) && replaced != gateway) {
            $.retiredGateways[chainId][replaced] = true;
            emit RemoteGatewayRetired(chainId, replaced, true);
        }
        if ($.retiredGateways[chainId][gateway]) {
            $.retiredGateways[chainId][gateway] = false;
            emit RemoteGatewayRetired(chainId, gateway, false);
        }
        emit RemoteGatewaySet(chainId, gateway);
    }

    /// @notice Stops accepting messages from a retired gateway of `chainId` (e.g. its keys or code
    /// were compromised): what it sent and was not yet delivered or expired is then refused here.
    /// @param chainId The chain whose gateway was replaced.
    /// @param gateway The retired gateway.
    /// @dev Emits {RemoteGatewayRetired} with `accepted` false. Requirements: DEFAULT_ADMIN_ROLE;
    /// `gateway` is retired for `chainId`.
    function revokeRetiredGateway(uint64 chainId, address gateway) external onlyRole(DEFAULT_ADMIN_ROLE) {
        GatewayStorage storage $ = _gs();
        if (!$.retiredGateways[chainId][gateway]) revert GatewayNotRetired(chainId, gateway);
        $.retiredGateways[chainId][gateway] = false;
        emit RemoteGatewayRetired(chainId, gateway, false);
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
        GatewayStorage storage $ = _gs();
        if (!$.operators[operator]) revert GatewayOperatorAlreadySet(operator, false);
        uint256 count = $.operatorCount - 1;
        if (count < $.threshold) revert GatewayInvalidThreshold($.threshold, count);
        $.operators[operator] = false;
        $.operatorCount = uint32(count);
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
    /// @param capacity Bucket size in units, at most 2**104 - 1; 0 (or 2**128 - 1) disables the limit.
    /// @param ratePerSecond Refill in units per second.
    /// @dev Emits {RateLimitSet}. Requirements: DEFAULT_ADMIN_ROLE; asset registered; a limited
    /// capacity fits its lane (`SafeCastOverflowedUintDowncast(104, capacity)` otherwise).
    function setRateLimit(bytes32 assetId, bool inbound, uint128 capacity, uint128 ratePerSecond)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _requireAsset(assetId);
        GatewayStorage storage $ = _gs();
        // The interface's "0 disables the limit" is the library's explicit open bucket.
        bool open = capacity == 0 || capacity == TokenBucket.UNLIMITED;
        // A limited bucket starts full: it holds its capacity as of now; an open one has time 0.
        uint256 bucket =
            open ? 0 : SafeCast.toUint104(capacity) | ((block.timestamp & LANE_TIME_MASK) << LANE_TIME_SHIFT);
        $.limits[assetId][inbound] =
            Limit({capacity: open ? TokenBucket.UNLIMITED : capacity, refillPerSecond: ratePerSecond});
        if (inbound) {
            $.inboundLanes[assetId] = ($.inboundLanes[assetId] & ~LANE_BUCKET_MASK) | bucket;
        } else {
            $.outboundLanes[assetId] = ($.outboundLanes[assetId] & ~LANE_BUCKET_MASK) | bucket;
        }
        emit RateLimitSet(assetId, inbound, capacity, ratePerSecond);
    }

    /// @notice Sets the minimum units of one send of `assetId` (0: any positive amount), so that
    /// dust sends cannot make the relayer pay for their delivery, refusal and refund.
    /// @param assetId The asset.
    /// @param units The minimum, at most 2**104 - 1.
    /// @dev Emits {MinimumSendSet}. Requirements: DEFAULT_ADMIN_ROLE; asset registered; `units`
    /// fits the outbound lane (`SafeCastOverflowedUintDowncast(104, units)` otherwise).
    function setMinimumSend(bytes32 assetId, uint128 units) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _requireAsset(assetId);
        GatewayStorage storage $ = _gs();
        $.outboundLanes[assetId] =
            ($.outboundLanes[assetId] & LANE_BUCKET_MASK) | (uint256(SafeCast.toUint104(units)) << LANE_HIGH_SHIFT);
        emit MinimumSendSet(assetId, units);
    }

    /// @notice Stops send, receive, expire, broadcast and the payment of held refunds.
    /// @dev Emits {Paused}. Requirements: PAUSER_ROLE; not paused.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes the gateway.
    /// @dev Emits {Unpaused}. Requirements: DEFAULT_ADMIN_ROLE; paused.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /// @notice Whether the gateway is paused.
    /// @dev OZ's Pausable, with its flag kept in `GatewayStorage` next to the nonce and the
    /// threshold (see there); OZ's own Pausable namespace stays unused.
    function paused() public view override returns (bool) {
        return _gs().paused;
    }

    /// @dev As OZ's: requires not paused, emits {Paused}.
    function _pause() internal override whenNotPaused {
        _gs().paused = true;
        emit Paused(_msgSender());
    }

    /// @dev As OZ's: requires paused, emits {Unpaused}.
    function _unpause() internal override whenPaused {
        _gs().paused = false;
        emit Unpaused(_msgSender());
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every figure stays, it lives in the gateway's ERC-7201 namespace.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    // =============================================================================================
    // Views
    // =============================================================================================

    /// @inheritdoc IGatewaySupply
    function supplyElsewhere(bytes32 assetId) external view returns (uint256 units) {
        return _gs().inboundLanes[assetId] >> LANE_HIGH_SHIFT;
    }

    /// @notice Token and home chain registered for `assetId` (zero token if none).
    function asset(bytes32 assetId) external view returns (address token, uint256 homeChainId) {
        Asset memory a = _gs().assets[assetId];
        return (address(a.token), a.homeChainId);
    }

    /// @notice The gateway registered for `chainId`.
    function remoteGateway(uint64 chainId) external view returns (address) {
        return _gs().remoteGateways[chainId];
    }

    /// @notice Whether `gateway`, once registered for `chainId` and replaced, is still accepted as
    /// the source of messages (see {setRemoteGateway}, {revokeRetiredGateway}).
    function isRetiredGateway(uint64 chainId, address gateway) external view returns (bool) {
        return _gs().retiredGateways[chainId][gateway];
    }

    /// @notice Whether `account` is a current operator.
    function isOperator(address account) external view returns (bool) {
        return _gs().operators[account];
    }

    /// @notice Number of operators and signatures needed.
    function operatorSet() external view returns (uint256 count, uint256 threshold) {
        GatewayStorage storage $ = _gs();
        return ($.operatorCount, $.threshold);
    }

    /// @notice Nonce the next outbound message will carry.
    function nextNonce() external view returns (uint64) {
        return _gs().nonce;
    }

    /// @notice Restriction code recorded for a rejected inbound message (0 if none).
    function rejectionCode(bytes32 messageId_) external view returns (uint8) {
        return _gs().rejectionCodes[messageId_];
    }

    /// @notice Units that may pass now through the bucket of `assetId` in one direction.
    function rateLimitAvailable(bytes32 assetId, bool inbound) external view returns (uint256) {
        GatewayStorage storage $ = _gs();
        uint256 lane = inbound ? $.inboundLanes[assetId] : $.outboundLanes[assetId];
        uint256 updatedAt = (lane >> LANE_TIME_SHIFT) & LANE_TIME_MASK;
        if (updatedAt == 0) return type(uint256).max; // open (TokenBucket's convention)
        Limit memory limit = $.limits[assetId][inbound];
        return TokenBucket.availableOf(limit.capacity, limit.refillPerSecond, lane & LANE_MAX, updatedAt);
    }

    /// @notice Configuration and state of a bucket.
    function rateLimit(bytes32 assetId, bool inbound) external view returns (RateLimit memory limit) {
        GatewayStorage storage $ = _gs();
        Limit memory config = $.limits[assetId][inbound];
        uint256 lane = inbound ? $.inboundLanes[assetId] : $.outboundLanes[assetId];
        limit.ratePerSecond = config.refillPerSecond;
        // Cannot truncate: 48 bits.
        limit.updatedAt = uint64((lane >> LANE_TIME_SHIFT) & LANE_TIME_MASK);
        // An open bucket (lane time 0) reads as the interface's "capacity 0 = no limit".
        if (limit.updatedAt != 0) {
            limit.capacity = config.capacity;
            // Cannot truncate: 104 bits.
            limit.available = uint128(lane & LANE_MAX);
        }
    }

    /// @notice Minimum units of one send of `assetId`.
    function minimumSend(bytes32 assetId) external view returns (uint256) {
        return _gs().outboundLanes[assetId] >> LANE_HIGH_SHIFT;
    }

    /// @notice Away from the home chain: units of `assetId` sent to `chainId` and not refunded
    /// from it, the most a Return from `chainId` may mint here.
    function returnableUnits(bytes32 assetId, uint64 chainId) external view returns (uint256) {
        return _gs().returnable[assetId][chainId];
    }

    /// @notice Units of `assetId` held in refunds not yet paid.
    function heldRefundUnits(bytes32 assetId) external view returns (uint256) {
        return _gs().heldUnits[assetId];
    }

    /// @inheritdoc IGateway
    function heldRefund(bytes32 returnId) external view returns (bytes32 assetId, address holder, uint256 units) {
        HeldRefund memory held = _gs().heldRefunds[returnId];
        return (held.assetId, held.holder, held.units);
    }

    /// @inheritdoc IGateway
    function inboundState(uint64 srcChainId, uint64 nonce) external view returns (MessageState) {
        return _state(srcChainId, _gs().remoteGateways[srcChainId], nonce);
    }

    /// @inheritdoc IGateway
    function inboundStateFrom(uint64 srcChainId, address srcGateway, uint64 nonce)
        external
        view
        returns (MessageState)
    {
        return _state(srcChainId, srcGateway, nonce);
    }

    /// @inheritdoc IGateway
    function messageId(Message calldata message) external pure returns (bytes32) {
        return MessageCodec.idCalldata(message);
    }

    /// @inheritdoc IGateway
    function attestationDigest(Message calldata message) external view returns (bytes32) {
        return _attestationDigest(message.srcGateway, MessageCodec.idCalldata(message));
    }

    // =============================================================================================
    // Internals
    // =============================================================================================

    /// @dev The gateway's state: one ERC-7201 namespace ({GATEWAY_STORAGE}).
    function _gs() private pure returns (GatewayStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := GATEWAY_STORAGE
        }
    }

    /// @dev The EIP-712 domain name, a constant (so no initialiser has to store it).
    function _EIP712Name() internal pure override returns (string memory) {
        return DOMAIN_NAME;
    }

    /// @dev The EIP-712 domain version, a constant.
    function _EIP712Version() internal pure override returns (string memory) {
        return DOMAIN_VERSION;
    }

    function _receive(Message calldata message, bytes[] calldata signatures, bool skipProcessed) private {
        _checkEnvelope(message);
        bytes32 id = MessageCodec.idCalldata(message);
        _requireSource(message);
        // The triple's word is read once here and written once below, before any external call.
        MessageCodec.StateRef memory ref =
            MessageCodec.locate(_gs().inbound, message.srcChainId, message.srcGateway, message.nonce);
        {
            MessageState state = MessageCodec.stateAt(ref);
            if (state != MessageState.None) {
                if (skipProcessed) return;
                revert GatewayMessageAlreadyProcessed(id, state);
            }
        }
        if (block.timestamp > message.expiry) revert GatewayMessageExpired(id, message.expiry);
        _verifyAttestation(message.srcGateway, id, signatures);
        Asset memory entry = _requireAsset(message.assetId);

        if (message.kind == KIND_CORPORATE_ACTION) {
            if (message.srcChainId != entry.homeChainId) {
                revert GatewayCorporateActionNotFromHome(message.assetId, message.srcChainId, entry.homeChainId);
            }
            MessageCodec.setFinalAt(ref, MessageState.Delivered);
            // An older or equal epoch (overtaken by a newer broadcast) is delivered as a no-op.
            if (message.corporateActionEpoch > entry.token.corporateActionEpoch()) {
                entry.token.syncCorporateAction(message.corporateActionEpoch, message.units);
            }
            emit MessageDelivered(id, message.srcChainId, message.nonce);
            return;
        }

        if (message.kind == KIND_RETURN) {
            _receiveReturn(message, id, entry, ref);
            return;
        }

        // Transfer (the kind was checked by _checkEnvelope).
        uint64 localEpoch = _localEpoch(entry);
        if (entry.recordPoints && message.corporateActionEpoch > localEpoch) {
            revert GatewayCorporateActionPending(message.assetId, message.corporateActionEpoch, localEpoch);
        }
        // One read and at most one write of the inbound lane for the bucket and, on the home chain,
        // the supply elsewhere; written before any call that could write (the restriction check
        // is a view).
        uint256 lane = _gs().inboundLanes[message.assetId];
        uint256 updated = _take(message.assetId, true, lane, message.units, false);
        uint8 code = message.recipient == address(this)
            ? REJECTED_GATEWAY_RECIPIENT
            : entry.token.crosschainRestriction(message.recipient, message.units);
        if (code == 0 && entry.homeChainId == block.chainid) {
            updated = _lessElsewhere(message.assetId, updated, message.units);
        }
        if (updated != lane) _gs().inboundLanes[message.assetId] = updated;
        if (code != 0) {
            MessageCodec.setFinalAt(ref, MessageState.Rejected);
            _gs().rejectionCodes[id] = code;
            bytes32 returnId = _emitReturn(message, id);
            emit MessageRejected(id, code, returnId);
            return;
        }
        MessageCodec.setFinalAt(ref, MessageState.Delivered);
        // slither-disable-next-line unused-return
        entry.token.crosschainMintUnits(message.recipient, message.units);
        _creditInFlight(entry, localEpoch, message.recipient, message.units, message.corporateActionEpoch);
        emit MessageDelivered(id, message.srcChainId, message.nonce);
    }

    /// @dev A Return: never refused by the rate limit (it takes what is left), bounded by what this
    /// gateway sent to the source chain, minted to the holder or held for them.
    function _receiveReturn(Message calldata message, bytes32 id, Asset memory entry, MessageCodec.StateRef memory ref)
        private
    {
        GatewayStorage storage $ = _gs();
        bytes32 assetId = message.assetId;
        uint256 units = message.units;
        // `true` selects the inbound bucket (the map is keyed by direction).
        // slither-disable-next-line boolean-cst
        $.inboundLanes[assetId] = _take(assetId, true, $.inboundLanes[assetId], units, true);
        bool home = entry.homeChainId == block.chainid;
        if (!home) {
            uint256 outstanding = $.returnable[assetId][message.srcChainId];
            if (units > outstanding) revert GatewayReturnExceedsSent(assetId, message.srcChainId, units, outstanding);
            // Cannot underflow: checked just above.
            unchecked {
                $.returnable[assetId][message.srcChainId] = outstanding - units;
            }
        }
        address holder = message.recipient;
        uint8 code = holder == address(this)
            ? REJECTED_GATEWAY_RECIPIENT
            : entry.token.crosschainRefundRestriction(holder, units);
        if (code != 0) {
            if (home) {
                // Held units stay in supplyElsewhere until paid; they may not exceed it.
                uint256 held = $.heldUnits[assetId] + units;
                uint256 elsewhere = $.inboundLanes[assetId] >> LANE_HIGH_SHIFT;
                if (held > elsewhere) revert GatewaySupplyUnderflow(assetId, held, elsewhere);
                $.heldUnits[assetId] = held;
            } else {
                $.heldUnits[assetId] += units;
            }
            MessageCodec.setFinalAt(ref, MessageState.Rejected);
            $.rejectionCodes[id] = code;
            $.heldRefunds[id] =
                HeldRefund({assetId: assetId, holder: holder, sentEpoch: message.corporateActionEpoch, units: units});
            emit RefundHeld(id, assetId, holder, units, code);
            return;
        }
        MessageCodec.setFinalAt(ref, MessageState.Delivered);
        if (home) _returnedHome(assetId, units);
        // slither-disable-next-line unused-return
        entry.token.crosschainMintUnits(holder, units);
        _creditInFlight(entry, _localEpoch(entry), holder, units, message.corporateActionEpoch);
        emit MessageDelivered(id, message.srcChainId, message.nonce);
    }

    /// @dev Pays the held refund `returnId` to `to` if the asset accepts `to`.
    function _payHeldRefund(bytes32 returnId, HeldRefund memory held, address to) private {
        GatewayStorage storage $ = _gs();
        if (held.holder == address(0)) revert GatewayNoHeldRefund(returnId);
        if (to == address(this)) revert GatewayInvalidRecipient(to); // the gateway never holds tokens
        Asset memory entry = _requireAsset(held.assetId);
        uint8 code = entry.token.crosschainRefundRestriction(to, held.units);
        if (code != 0) revert GatewayRefundRestricted(returnId, to, code);
        delete $.heldRefunds[returnId];
        $.heldUnits[held.assetId] -= held.units;
        if (entry.homeChainId == block.chainid) _returnedHome(held.assetId, held.units);
        // slither-disable-next-line unused-return
        entry.token.crosschainMintUnits(to, held.units);
        _creditInFlight(entry, _localEpoch(entry), to, held.units, held.sentEpoch);
        emit HeldRefundReleased(returnId, to, held.units, msg.sender);
    }

    /// @dev This chain's corporate-action epoch of an asset with record points (0 otherwise: only
    /// such assets pay for the read).
    function _localEpoch(Asset memory entry) private view returns (uint64) {
        return entry.recordPoints ? entry.token.corporateActionEpoch() : 0;
    }

    /// @dev Units sent at `sentEpoch` and minted now to `to` were in flight across the record
    /// points after `sentEpoch`: the asset credits them there (exactly once: a message is minted
    /// at most once).
    function _creditInFlight(Asset memory entry, uint64 localEpoch, address to, uint256 units, uint64 sentEpoch)
        private
    {
        if (entry.recordPoints && sentEpoch < localEpoch) {
            IRecordPoints(address(entry.token)).creditInFlight(to, units, sentEpoch);
        }
    }

    /// @dev Version, kind and destination: what must hold before anything else is looked at.
    function _checkEnvelope(Message calldata message) private view {
        if (message.version != MessageCodec.VERSION || message.kind > KIND_CORPORATE_ACTION) {
            revert GatewayUnsupportedMessage(message.version, message.kind);
        }
        if (message.dstChainId != block.chainid) revert GatewayWrongDestination(message.dstChainId, block.chainid);
        if (message.dstGateway != address(this)) {
            revert GatewayWrongDestinationGateway(message.dstGateway, address(this));
        }
    }

    /// @dev Threshold of distinct current operators, signatures ordered by ascending signer.
    function _verifyAttestation(address source, bytes32 id, bytes[] calldata signatures) private view {
        GatewayStorage storage $ = _gs();
        uint256 threshold = $.threshold;
        if (signatures.length < threshold) revert GatewayBelowThreshold(signatures.length, threshold);
        bytes32 digest = _attestationDigest(source, id);
        address previous = address(0);
        for (uint256 i = 0; i < signatures.length; ++i) {
            bytes calldata signature = signatures[i];
            if (signature.length != 65) revert GatewayInvalidSignature(i);
            address signer = MessageCodec.recover(digest, signature);
            if (signer == address(0)) revert GatewayInvalidSignature(i);
            if (signer <= previous) revert GatewaySignersNotAscending(signer, previous);
            if (!$.operators[signer]) revert GatewayNotOperator(signer);
            previous = signer;
        }
    }

    /// @dev The EIP-712 digest an operator signs for `id` sent by `source` (what OZ's
    /// `_hashTypedDataV4` gives, with the domain's name and version hashed at compile time).
    function _attestationDigest(address source, bytes32 id) private view returns (bytes32) {
        bytes32 domain =
            keccak256(abi.encode(DOMAIN_TYPEHASH, DOMAIN_NAME_HASH, DOMAIN_VERSION_HASH, block.chainid, address(this)));
        return MessageHashUtils.toTypedDataHash(domain, MessageCodec.attestationHash(source, id));
    }

    /// @dev Emits a Return of the refused/expired Transfer `original` back to its source.
    function _emitReturn(Message calldata original, bytes32 originalId) private returns (bytes32) {
        return _emitMessage(
            Message({
                version: MessageCodec.VERSION,
                kind: KIND_RETURN,
                srcChainId: uint64(block.chainid),
                dstChainId: original.srcChainId,
                srcGateway: address(this),
                dstGateway: original.srcGateway, // back to the exact gateway that sent it
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
        message.nonce = _gs().nonce++;
        id = MessageCodec.id(message);
        MessageCodec.logSent(message, id);
    }

    /// @dev Send side of one asset, one word: `units` at least the minimum send, `expiry` in the
    /// future, then `units` taken from the outbound bucket.
    function _takeOutbound(bytes32 assetId, uint256 units, uint64 expiry) private {
        GatewayStorage storage $ = _gs();
        uint256 lane = $.outboundLanes[assetId];
        uint256 minimum = lane >> LANE_HIGH_SHIFT;
        if (units < minimum) revert GatewayBelowMinimumSend(assetId, units, minimum);
        if (expiry <= block.timestamp) revert GatewayInvalidExpiry(expiry, block.timestamp);
        uint256 taken = _take(assetId, false, lane, units, false);
        if (taken != lane) $.outboundLanes[assetId] = taken; // an open bucket writes nothing
    }

    /// @dev Home chain: `units` left for another chain (`supplyElsewhere`, in the inbound lane).
    function _sentFromHome(bytes32 assetId, uint256 units) private {
        GatewayStorage storage $ = _gs();
        uint256 lane = $.inboundLanes[assetId];
        uint256 elsewhere = (lane >> LANE_HIGH_SHIFT) + units;
        if (elsewhere > LANE_MAX) revert SafeCast.SafeCastOverflowedUintDowncast(104, elsewhere);
        $.inboundLanes[assetId] = (lane & LANE_BUCKET_MASK) | (elsewhere << LANE_HIGH_SHIFT);
    }

    /// @dev `lane` with `units` taken from the bucket of `assetId` in one direction: all of them,
    /// or reverts {GatewayRateLimited}; with `upTo` (Returns), what it holds of them, never failing.
    /// An open bucket passes everything and its lane is returned unchanged (TokenBucket's rules).
    function _take(bytes32 assetId, bool inbound, uint256 lane, uint256 units, bool upTo)
        private
        view
        returns (uint256)
    {
        uint256 updatedAt = (lane >> LANE_TIME_SHIFT) & LANE_TIME_MASK;
        if (updatedAt == 0) return lane; // open: nothing to take, nothing to write
        Limit storage limit = _gs().limits[assetId][inbound];
        uint256 available = TokenBucket.availableOf(limit.capacity, limit.refillPerSecond, lane & LANE_MAX, updatedAt);
        if (units > available) {
            if (!upTo) revert GatewayRateLimited(assetId, inbound, units, available);
            units = available;
        }
        // Cannot underflow (units <= available) nor spill (available <= capacity <= LANE_MAX).
        unchecked {
            return
                (lane & ~LANE_BUCKET_MASK) | (available - units)
                    | ((block.timestamp & LANE_TIME_MASK) << LANE_TIME_SHIFT);
        }
    }

    /// @dev The message's source gateway is the one registered for its source chain, or one it
    /// replaced and the admin did not revoke (read only then).
    function _requireSource(Message calldata message) private view {
        GatewayStorage storage $ = _gs();
        address registered = $.remoteGateways[message.srcChainId];
        if (message.srcGateway == registered && registered != address(0)) return;
        if ($.retiredGateways[message.srcChainId][message.srcGateway]) return;
        if (registered == address(0)) revert GatewayUnknownChain(message.srcChainId);
        revert GatewayUnknownSourceGateway(message.srcChainId, message.srcGateway, registered);
    }

    /// @dev State of inbound `nonce` from `srcGateway` on `srcChainId` (2 bits in a word of 128).
    function _state(uint64 srcChainId, address srcGateway, uint64 nonce) private view returns (MessageState) {
        return MessageCodec.state(_gs().inbound, srcChainId, srcGateway, nonce);
    }

    /// @dev Sets a final state; only ever called on a triple whose state is None (the map reverts
    /// otherwise).
    function _setState(uint64 srcChainId, address srcGateway, uint64 nonce, MessageState state) private {
        MessageCodec.setFinal(_gs().inbound, srcChainId, srcGateway, nonce, state);
    }

    /// @dev Home chain: `units` came back from elsewhere.
    function _returnedHome(bytes32 assetId, uint256 units) private {
        GatewayStorage storage $ = _gs();
        $.inboundLanes[assetId] = _lessElsewhere(assetId, $.inboundLanes[assetId], units);
    }

    /// @dev The inbound `lane` of `assetId` with `units` fewer in `supplyElsewhere` (reverts
    /// {GatewaySupplyUnderflow} rather than go below zero).
    function _lessElsewhere(bytes32 assetId, uint256 lane, uint256 units) private pure returns (uint256) {
        uint256 elsewhere = lane >> LANE_HIGH_SHIFT;
        if (units > elsewhere) revert GatewaySupplyUnderflow(assetId, units, elsewhere);
        // Cannot underflow (checked just above), and the result fits: it is below `elsewhere`.
        unchecked {
            return (lane & LANE_BUCKET_MASK) | ((elsewhere - units) << LANE_HIGH_SHIFT);
        }
    }

    function _requireAsset(bytes32 assetId) private view returns (Asset memory entry) {
        entry = _gs().assets[assetId];
        if (address(entry.token) == address(0)) revert GatewayUnknownAsset(assetId);
    }

    function _addOperator(address operator) private {
        GatewayStorage storage $ = _gs();
        if (operator == address(0) || $.operators[operator]) revert GatewayOperatorAlreadySet(operator, true);
        $.operators[operator] = true;
        uint256 count = $.operatorCount + 1;
        $.operatorCount = SafeCast.toUint32(count);
        emit OperatorAdded(operator, count);
    }

    function _setThreshold(uint256 threshold) private {
        GatewayStorage storage $ = _gs();
        if (threshold == 0 || threshold > $.operatorCount) {
            revert GatewayInvalidThreshold(threshold, $.operatorCount);
        }
        // Cannot truncate: threshold <= operatorCount < 2**32 (checked just above).
        $.threshold = uint32(threshold);
        emit ThresholdChanged(threshold);
    }
}
