// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGateway} from "../interfaces/IGateway.sol";

/// @title MessageCodec
/// @notice Identity and attestation hashing of a gateway message, and the 2-bit inbound state map.
/// @dev The Python twin is `tokenized_stocks/messages.py`; both MUST produce identical bytes.
/// The inbound map NEVER lets a triple (srcChainId, srcGateway, nonce) leave a final state, and
/// distinct triples never share bits (proved symbolically in test/halmos/GatewayInbound.t.sol).
library MessageCodec {
    /// @notice Inbound states: 2 bits per (source chain, source gateway, nonce), 128 nonces a word.
    struct InboundStates {
        mapping(uint64 srcChainId => mapping(address srcGateway => mapping(uint256 word => uint256 states))) words;
    }

    /// @notice Version of the message layout this code understands (2: both gateways named).
    uint8 internal constant VERSION = 2;

    /// @notice EIP-712 type of what an operator signs.
    bytes32 internal constant ATTESTATION_TYPEHASH = keccak256("Attestation(address sourceGateway,bytes32 messageId)");

    /// @notice The message id: keccak256 of the ABI encoding (all fields static, 14 words).
    function id(IGateway.Message memory message) internal pure returns (bytes32) {
        return keccak256(abi.encode(message));
    }

    /// @notice Same as {id} for a message in calldata.
    function idCalldata(IGateway.Message calldata message) internal pure returns (bytes32) {
        return keccak256(abi.encode(message));
    }

    /// @notice EIP-712 struct hash of the attestation of `messageId` sent by `sourceGateway`.
    function attestationHash(address sourceGateway, bytes32 messageId) internal pure returns (bytes32) {
        return keccak256(abi.encode(ATTESTATION_TYPEHASH, sourceGateway, messageId));
    }

    /// @notice State of the inbound message `nonce` from `srcGateway` on `srcChainId`.
    function state(InboundStates storage map, uint64 srcChainId, address srcGateway, uint64 nonce)
        internal
        view
        returns (IGateway.MessageState)
    {
        (uint256 word, uint256 shift) = statePosition(nonce);
        return IGateway.MessageState((map.words[srcChainId][srcGateway][word] >> shift) & 3);
    }

    /// @notice Sets the final state `final_` of a triple still in state None.
    /// @dev Reverts {IGateway.GatewayStateAlreadyFinal} otherwise: a final state is never changed
    /// (the gateway checks before, with the message id; this is the map's own guarantee).
    function setFinal(
        InboundStates storage map,
        uint64 srcChainId,
        address srcGateway,
        uint64 nonce,
        IGateway.MessageState final_
    ) internal {
        (uint256 word, uint256 shift) = statePosition(nonce);
        uint256 states = map.words[srcChainId][srcGateway][word];
        uint256 current = (states >> shift) & 3;
        if (current != 0 || final_ == IGateway.MessageState.None) {
            revert IGateway.GatewayStateAlreadyFinal(srcChainId, srcGateway, nonce, IGateway.MessageState(current));
        }
        map.words[srcChainId][srcGateway][word] = states | (uint256(final_) << shift);
    }

    /// @notice Word index and bit offset of `nonce` in a map of 2-bit states (128 nonces a word).
    /// @dev Consecutive nonces share a storage word, so a batch writes one slot per 128 messages.
    function statePosition(uint64 nonce) internal pure returns (uint256 word, uint256 shift) {
        word = nonce >> 7;
        shift = (uint256(nonce) & 127) << 1;
    }
}
