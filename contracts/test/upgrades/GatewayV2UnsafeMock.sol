// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {Gateway} from "../../gateway/Gateway.sol";
import {MessageCodec} from "../../gateway/MessageCodec.sol";

/// @title GatewayV2UnsafeMock
/// @notice Test-only UNSAFE "second version" of the Gateway: it declares the gateway's namespace
/// `tokenized-stocks.storage.Gateway` with a field (`insertedField`) inserted in the middle of
/// `GatewayStorage`, so every field after it moves one slot (the nonce would read the inbound
/// states' slot, and so on). An upgrade check MUST refuse it; nothing may ever upgrade to it.
/// @dev Same bases as the Gateway and a UUPS upgrade path, so the only defect a check can find is the
/// layout clash.
/// @custom:oz-upgrades-from Gateway
contract GatewayV2UnsafeMock is UUPSUpgradeable, AccessControlUpgradeable, PausableUpgradeable, EIP712Upgradeable {
    /// @custom:storage-location erc7201:tokenized-stocks.storage.Gateway
    struct GatewayStorage {
        mapping(bytes32 assetId => Gateway.Asset) assets;
        mapping(bytes32 assetId => uint256 lane) outboundLanes;
        mapping(uint64 chainId => address gateway) remoteGateways;
        mapping(address account => bool) operators;
        uint256 insertedField; // the clash: v1 has `operatorCount`/`threshold` here
        uint128 operatorCount;
        uint128 threshold;
        uint64 nonce;
        MessageCodec.InboundStates inbound;
        mapping(bytes32 messageId => uint8 code) rejectionCodes;
        mapping(bytes32 assetId => mapping(bool inbound => Gateway.Limit)) limits;
        mapping(bytes32 assetId => mapping(uint64 dstChainId => uint64 epoch)) broadcastEpochs;
        mapping(bytes32 assetId => mapping(uint64 chainId => uint256 units)) returnable;
        mapping(bytes32 returnId => Gateway.HeldRefund) heldRefunds;
        mapping(bytes32 assetId => uint256 units) heldUnits;
        mapping(bytes32 assetId => uint256 lane) inboundLanes;
    }

    /// @dev The Gateway's own namespace slot (see Gateway.sol).
    bytes32 private constant GATEWAY_STORAGE = 0x8e1ec84a422489524c10b2f59abc3d0010c7939dc3f6ab47577c0b63d410f300;

    /// @notice The inserted field was set.
    event InsertedFieldSet(uint256 value);

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Writes the inserted field (where v1 keeps its operator count and threshold).
    /// @param value The value.
    /// @dev Emits {InsertedFieldSet}. Requirements: DEFAULT_ADMIN_ROLE.
    function setInsertedField(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _gs().insertedField = value;
        emit InsertedFieldSet(value);
    }

    /// @notice The nonce as this layout reads it (from the slot v1 uses for the threshold and count).
    function nextNonce() external view returns (uint64) {
        return _gs().nonce;
    }

    /// @dev Requirements: DEFAULT_ADMIN_ROLE.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    function _gs() private pure returns (GatewayStorage storage $) {
        // slither-disable-next-line assembly
        assembly {
            $.slot := GATEWAY_STORAGE
        }
    }
}
