// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGateway} from "../../contracts/interfaces/IGateway.sol";
import {MessageCodec} from "../../contracts/gateway/MessageCodec.sol";

/// @notice Symbolic proof (halmos) of the gateway's inbound state machine, on the very library the
/// gateway stores it with (`MessageCodec.InboundStates`, 2 bits per nonce, 128 nonces a word):
/// for ANY (source chain, source gateway, nonce), at most one final state is ever set, it reads
/// back as set, and distinct triples never share state, whatever else was set before.
/// Run: `make verify`.
contract GatewayInboundTest {
    using MessageCodec for MessageCodec.InboundStates;

    MessageCodec.InboundStates internal map;

    /// @dev External so that a revert can be observed with a low-level call.
    function set(uint64 chainId, address gateway, uint64 nonce, uint8 s) external {
        map.setFinal(chainId, gateway, nonce, IGateway.MessageState(s));
    }

    function _final(uint8 s) internal pure returns (bool) {
        return s >= 1 && s <= 3;
    }

    /// @notice A final state set on a fresh triple reads back exactly.
    function check_set_reads_back(uint64 chainId, address gateway, uint64 nonce, uint8 s) public {
        require(_final(s));
        assert(map.state(chainId, gateway, nonce) == IGateway.MessageState.None);
        map.setFinal(chainId, gateway, nonce, IGateway.MessageState(s));
        assert(uint8(map.state(chainId, gateway, nonce)) == s);
    }

    /// @notice Once final, a triple can never be set again (to any state, the same included).
    function check_at_most_one_final_state(uint64 chainId, address gateway, uint64 nonce, uint8 s1, uint8 s2) public {
        require(_final(s1) && s2 <= 3);
        map.setFinal(chainId, gateway, nonce, IGateway.MessageState(s1));
        (bool ok,) = address(this).call(abi.encodeCall(this.set, (chainId, gateway, nonce, s2)));
        assert(!ok);
        assert(uint8(map.state(chainId, gateway, nonce)) == s1);
    }

    /// @notice State None is never "set": it would let a message be processed again.
    function check_none_is_never_set(uint64 chainId, address gateway, uint64 nonce) public {
        (bool ok,) = address(this).call(abi.encodeCall(this.set, (chainId, gateway, nonce, 0)));
        assert(!ok);
    }

    /// @notice Setting one triple never changes another's state: neither a fresh one (still None)
    /// nor one already final (keeps its state), whether they differ by chain, gateway or nonce
    /// (including two nonces in one storage word).
    function check_distinct_triples_never_share_state(
        uint64 c1,
        address g1,
        uint64 n1,
        uint64 c2,
        address g2,
        uint64 n2,
        uint8 s1,
        uint8 s2,
        bool secondIsFinal
    ) public {
        require(c1 != c2 || g1 != g2 || n1 != n2);
        require(_final(s1) && _final(s2));
        if (secondIsFinal) map.setFinal(c2, g2, n2, IGateway.MessageState(s2));
        map.setFinal(c1, g1, n1, IGateway.MessageState(s1));
        assert(uint8(map.state(c1, g1, n1)) == s1);
        assert(uint8(map.state(c2, g2, n2)) == (secondIsFinal ? s2 : 0));
    }

    /// @notice The packing itself: distinct nonces map to distinct (word, shift) positions, and a
    /// position holds 2 bits inside the word.
    function check_state_position_is_injective(uint64 n1, uint64 n2) public pure {
        (uint256 w1, uint256 s1) = MessageCodec.statePosition(n1);
        (uint256 w2, uint256 s2) = MessageCodec.statePosition(n2);
        assert(s1 <= 254 && s1 % 2 == 0);
        if (n1 != n2) assert(w1 != w2 || s1 != s2);
    }
}
