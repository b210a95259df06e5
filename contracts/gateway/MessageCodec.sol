// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGateway} from "../interfaces/IGateway.sol";

/// @title MessageCodec
/// @notice Identity and attestation hashing of a gateway message, the recovery of an attestation's
/// signer, the `MessageSent` log, and the 2-bit inbound state map: the gateway's low-level pieces
/// (the only assembly of the gateway, each block commented), so the contract itself has none but
/// its ERC-7201 accessor.
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

    /// @notice secp256k1n / 2: the largest `s` of an attestation signature (EIP-2).
    uint256 internal constant MAX_S = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @notice Size of a message's ABI encoding: 14 static words.
    uint256 internal constant ENCODED_SIZE = 14 * 32;

    /// @notice Where the inbound state of one triple lives, and its word as read: the gateway reads
    /// the word once, checks the triple is still None, and writes it once ({setFinalAt}).
    struct StateRef {
        uint64 srcChainId;
        address srcGateway;
        uint64 nonce;
        uint256 slot;
        uint256 shift;
        uint256 states;
    }

    /// @notice The message id: keccak256 of the ABI encoding (all fields static, 14 words).
    /// @dev A memory struct of value types is its own ABI encoding (one clean word a field), so the
    /// id hashes it in place (equal to `keccak256(abi.encode(message))`, asserted by the tests).
    function id(IGateway.Message memory message) internal pure returns (bytes32 messageId) {
        // Assembly: hashes the struct's 14 words where they are instead of copying them.
        // slither-disable-next-line assembly
        assembly ("memory-safe") {
            messageId := keccak256(message, ENCODED_SIZE)
        }
    }

    /// @notice Emits {IGateway.MessageSent}(`messageId`, its destination, `message`) from the
    /// calling contract.
    /// @dev The event's data is the message's ABI encoding, which the memory struct already is
    /// (see {id}): it is logged in place rather than encoded a second time (same log as `emit`).
    function logSent(IGateway.Message memory message, bytes32 messageId) internal {
        bytes32 topic = IGateway.MessageSent.selector;
        uint256 dstChainId = message.dstChainId;
        // Assembly: a log of the struct's 14 words where they are.
        // slither-disable-next-line assembly
        assembly ("memory-safe") {
            log3(message, ENCODED_SIZE, topic, messageId, dstChainId)
        }
    }

    /// @notice Same as {id} for a message in calldata.
    /// @dev The message's calldata is its ABI encoding: it is copied once and hashed. As
    /// `abi.encode` would, it reverts (empty data) when a narrow field carries dirty high bits, so
    /// one message has exactly one id.
    function idCalldata(IGateway.Message calldata message) internal pure returns (bytes32 messageId) {
        // Assembly: one calldatacopy of the 14 words and one check of the narrow fields, instead of
        // a field-by-field re-encoding.
        // slither-disable-next-line assembly
        assembly ("memory-safe") {
            let dirty := or(shr(8, calldataload(message)), shr(8, calldataload(add(message, 0x20))))
            let narrow64 := or(calldataload(add(message, 0x40)), calldataload(add(message, 0x60)))
            narrow64 := or(narrow64, calldataload(add(message, 0xc0)))
            narrow64 := or(narrow64, or(calldataload(add(message, 0x160)), calldataload(add(message, 0x180))))
            let narrow160 := or(calldataload(add(message, 0x80)), calldataload(add(message, 0xa0)))
            narrow160 := or(narrow160, or(calldataload(add(message, 0x100)), calldataload(add(message, 0x120))))
            if or(dirty, or(shr(64, narrow64), shr(160, narrow160))) { revert(0, 0) }
            let ptr := mload(0x40)
            calldatacopy(ptr, message, ENCODED_SIZE)
            messageId := keccak256(ptr, ENCODED_SIZE)
        }
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

    /// @notice The signer of a 65-byte `r || s || v` attestation signature of `digest`, or zero
    /// when it is not a valid one: `s` in the upper half (EIP-2, the malleable twin of a valid
    /// signature), a `v` other than 27 or 28, or no recoverable key (the checks of OZ's
    /// `ECDSA.tryRecover`, made once). The caller checks the length is 65.
    function recover(bytes32 digest, bytes calldata signature) internal view returns (address signer) {
        // Assembly: the ecrecover precompile fed straight from calldata, its answer read from the
        // scratch space (the free memory is used, not claimed).
        // slither-disable-next-line assembly
        assembly ("memory-safe") {
            let s := calldataload(add(signature.offset, 0x20))
            if iszero(gt(s, MAX_S)) {
                let ptr := mload(0x40)
                mstore(ptr, digest)
                mstore(add(ptr, 0x20), byte(0, calldataload(add(signature.offset, 0x40))))
                mstore(add(ptr, 0x40), calldataload(signature.offset))
                mstore(add(ptr, 0x60), s)
                if staticcall(gas(), 1, ptr, 0x80, 0, 0x20) {
                    signer := mul(mload(0), eq(returndatasize(), 0x20))
                }
            }
        }
    }

    /// @notice Reads the word holding the state of (`srcChainId`, `srcGateway`, `nonce`) once.
    function locate(InboundStates storage map, uint64 srcChainId, address srcGateway, uint64 nonce)
        internal
        view
        returns (StateRef memory ref)
    {
        (uint256 word, uint256 shift) = statePosition(nonce);
        mapping(uint256 => uint256) storage words = map.words[srcChainId][srcGateway];
        uint256 slot;
        uint256 states;
        // Assembly: the slot of `words[word]`, kept so the write does not hash the keys again.
        // slither-disable-next-line assembly
        assembly ("memory-safe") {
            mstore(0, word)
            mstore(0x20, words.slot)
            slot := keccak256(0, 0x40)
            states := sload(slot)
        }
        ref = StateRef({
            srcChainId: srcChainId, srcGateway: srcGateway, nonce: nonce, slot: slot, shift: shift, states: states
        });
    }

    /// @notice State of the triple `ref` points at, as read by {locate}.
    function stateAt(StateRef memory ref) internal pure returns (IGateway.MessageState) {
        return IGateway.MessageState((ref.states >> ref.shift) & 3);
    }

    /// @notice {setFinal} on the word {locate} read, with nothing written to the map in between
    /// (the gateway calls it before any external call that could write).
    /// @dev Reverts {IGateway.GatewayStateAlreadyFinal} like {setFinal}.
    function setFinalAt(StateRef memory ref, IGateway.MessageState final_) internal {
        uint256 current = (ref.states >> ref.shift) & 3;
        if (current != 0 || final_ == IGateway.MessageState.None) {
            revert IGateway.GatewayStateAlreadyFinal(
                ref.srcChainId, ref.srcGateway, ref.nonce, IGateway.MessageState(current)
            );
        }
        uint256 slot = ref.slot;
        uint256 states = ref.states | (uint256(final_) << ref.shift);
        ref.states = states;
        // Assembly: the slot {locate} computed (the word `map.words[srcChainId][srcGateway][word]`).
        // slither-disable-next-line assembly
        assembly ("memory-safe") {
            sstore(slot, states)
        }
    }

    /// @notice Word index and bit offset of `nonce` in a map of 2-bit states (128 nonces a word).
    /// @dev Consecutive nonces share a storage word, so a batch writes one slot per 128 messages.
    function statePosition(uint64 nonce) internal pure returns (uint256 word, uint256 shift) {
        word = nonce >> 7;
        shift = (uint256(nonce) & 127) << 1;
    }
}
