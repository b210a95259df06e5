// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest, Vm, Bound} from "./Vm.sol";
import {IAssetIdentity} from "../../../contracts/interfaces/IAssetIdentity.sol";
import {AssetIdentity} from "../../../contracts/assets/AssetIdentity.sol";
import {ICrosschainAsset} from "../../../contracts/interfaces/ICrosschainAsset.sol";
import {IGateway} from "../../../contracts/interfaces/IGateway.sol";
import {Gateway} from "../../../contracts/gateway/Gateway.sol";

/// @notice The asset-independent half of the two-chain gateway campaigns: chain A (31337, the
/// asset's home) and chain B (31338) in one EVM, each with its own gateway; `vm.chainId` switches
/// the chain before every call to one side. Drives sends in both directions, deliveries of
/// attested messages (EIP-712 attestations by 2 of 3 operator keys via `vm.sign`), singly and in
/// batches with duplicates, expiries of late transfers, re-submissions of finished messages,
/// corporate-action broadcasts and time warps.
/// @dev Messages are taken from the gateways' own `MessageSent` logs (`vm.recordLogs`), never
/// rebuilt, so what is attested is exactly what the source emitted. Ghost state: the open
/// (in-flight) and closed messages, the units in flight, the units issued on the home chain and
/// the flags the invariants read. A derived handler supplies the asset: its units per chain and
/// wallet (`_totalUnits`, `_unitsOf`), the longest warp (`_maxWarp`), and its own home-chain and
/// compliance actions.
abstract contract GatewayHandlerBase {
    using Bound for uint256;

    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint64 public constant CHAIN_A = 31337;
    uint64 public constant CHAIN_B = 31338;
    uint256 public constant WALLETS = 6;
    uint256 public constant OPERATOR_KEY_BASE = 0x0E00;

    bytes32 public constant MESSAGE_SENT = keccak256(
        "MessageSent(bytes32,uint64,(uint8,uint8,uint64,uint64,uint64,bytes32,address,address,uint256,uint64,uint64,bytes32))"
    );

    bytes32 public immutable assetId;
    Gateway public immutable gwA;
    Gateway public immutable gwB;

    IGateway.Message[] internal _open;
    IGateway.Message[] internal _closed;
    uint256 public inflightUnits;
    uint256 public issued;
    bool public processedTwice;
    bool public unexpectedSentEvent;

    mapping(bytes32 action => uint256 count) public successes;

    constructor(bytes32 assetId_, Gateway gwA_, Gateway gwB_) {
        assetId = assetId_;
        gwA = gwA_;
        gwB = gwB_;
    }

    /// @notice The handler's wallets (the same addresses on both chains).
    function wallet(uint256 i) public pure returns (address) {
        return address(uint160(0xE000 + i));
    }

    function openCount() external view returns (uint256) {
        return _open.length;
    }

    /// @notice Total units of the asset on chain B (the home gateway counts them, with the units
    /// in flight, in `supplyElsewhere`).
    function remoteUnits() external view returns (uint256) {
        return _totalUnits(false);
    }

    // ------------------------------------------------------------------------------------------
    // Asset hooks
    // ------------------------------------------------------------------------------------------

    /// @dev Total units of the asset on chain A (`onA`) or chain B.
    function _totalUnits(bool onA) internal view virtual returns (uint256);

    /// @dev Units held by `holder` on chain A (`onA`) or chain B.
    function _unitsOf(bool onA, address holder) internal view virtual returns (uint256);

    /// @dev The longest single `warp` step, in seconds.
    function _maxWarp() internal pure virtual returns (uint256);

    // ------------------------------------------------------------------------------------------
    // Plumbing
    // ------------------------------------------------------------------------------------------

    function _on(uint64 chainId) internal {
        vm.chainId(chainId);
    }

    function _gateway(uint64 chainId) internal view returns (Gateway) {
        return chainId == CHAIN_A ? gwA : gwB;
    }

    function _counts(IGateway.Message memory m) internal pure returns (bool) {
        return m.kind != uint8(IGateway.MessageKind.CorporateAction);
    }

    /// @dev Moves every `MessageSent` recorded since `vm.recordLogs()` into the open set.
    function _harvest() internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics.length == 0 || logs[i].topics[0] != MESSAGE_SENT) continue;
            if (logs[i].emitter != address(gwA) && logs[i].emitter != address(gwB)) {
                unexpectedSentEvent = true;
                continue;
            }
            IGateway.Message memory m = abi.decode(logs[i].data, (IGateway.Message));
            if (logs[i].topics[1] != keccak256(abi.encode(m))) unexpectedSentEvent = true;
            _open.push(m);
            if (_counts(m)) inflightUnits += m.units;
        }
    }

    /// @dev Drops the logs of a reverted call: forge records logs even of frames that reverted.
    function _discard() internal {
        vm.getRecordedLogs();
    }

    function _close(uint256 index) internal {
        IGateway.Message memory m = _open[index];
        if (_counts(m)) inflightUnits -= m.units;
        _closed.push(m);
        _open[index] = _open[_open.length - 1];
        _open.pop();
    }

    function _findOpen(IGateway.Message memory m) internal view returns (bool found, uint256 index) {
        bytes32 id = keccak256(abi.encode(m));
        for (uint256 i; i < _open.length; ++i) {
            if (keccak256(abi.encode(_open[i])) == id) return (true, i);
        }
    }

    /// @dev Two of the three operators' attestations, ordered by ascending signer address.
    function _attest(IGateway.Message memory m, uint256 pairSeed) internal view returns (bytes[] memory sigs) {
        Gateway dst = _gateway(m.dstChainId);
        bytes32 digest = dst.attestationDigest(m);
        uint256 skip = pairSeed % 3;
        uint256[2] memory keys;
        uint256 n;
        for (uint256 i; i < 3; ++i) {
            if (i != skip) keys[n++] = OPERATOR_KEY_BASE + i;
        }
        if (vm.addr(keys[0]) > vm.addr(keys[1])) (keys[0], keys[1]) = (keys[1], keys[0]);
        sigs = new bytes[](2);
        for (uint256 i; i < 2; ++i) {
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[i], digest);
            sigs[i] = abi.encodePacked(r, s, v);
        }
    }

    /// @dev Broadcasts the home chain's corporate-action state to chain B (call on chain A).
    function _broadcastCorporateAction() internal {
        vm.recordLogs();
        try gwA.broadcastCorporateAction(assetId, CHAIN_B) {
            successes["broadcast"]++;
            _harvest();
        } catch {
            _discard();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Sends, deliveries, expiries
    // ------------------------------------------------------------------------------------------

    function send(bool fromA, uint256 fromSeed, uint256 toSeed, uint256 units, uint256 ttl) external {
        // A side with no units at all cannot send: use the other side.
        if (_totalUnits(fromA) == 0) fromA = !fromA;
        uint64 src = fromA ? CHAIN_A : CHAIN_B;
        _on(src);
        // The first wallet holding units from the seed on (a send from an empty wallet is wasted).
        address from = wallet(fromSeed % WALLETS);
        for (uint256 i; i < WALLETS && _unitsOf(fromA, from) == 0; ++i) {
            from = wallet((fromSeed % WALLETS + i) % WALLETS);
        }
        units = units.bound(1, _unitsOf(fromA, from) + 1);
        address to = wallet(toSeed % WALLETS);
        uint64 expiry = uint64(block.timestamp + ttl.bound(1, 2 days));
        vm.recordLogs();
        vm.prank(from);
        try _gateway(src).send(assetId, fromA ? CHAIN_B : CHAIN_A, to, units, expiry) {
            successes["send"]++;
            _harvest();
        } catch {
            _discard();
        }
    }

    function deliver(uint256 pick, uint256 pairSeed) external {
        if (_open.length == 0) return;
        uint256 index = pick % _open.length;
        IGateway.Message memory m = _open[index];
        _on(m.dstChainId);
        bytes[] memory sigs = _attest(m, pairSeed);
        vm.recordLogs();
        try _gateway(m.dstChainId).receiveMessage(m, sigs) {
            _close(index);
            IGateway.MessageState state = _gateway(m.dstChainId).inboundState(m.srcChainId, m.nonce);
            if (state == IGateway.MessageState.Rejected) successes["rejected"]++;
            else if (m.kind == uint8(IGateway.MessageKind.Return)) successes["refunded"]++;
            else successes["delivered"]++;
            _harvest();
        } catch {
            _discard();
        }
    }

    /// @notice Delivers up to three open messages to one chain in a batch, the first one twice
    /// (the duplicate must be skipped, not minted again).
    function deliverBatch(uint256 pick, uint256 pairSeed) external {
        if (_open.length == 0) return;
        IGateway.Message memory first = _open[pick % _open.length];
        uint64 dst = first.dstChainId;
        IGateway.Message[] memory batch = new IGateway.Message[](4);
        uint256 n;
        batch[n++] = first;
        batch[n++] = first;
        for (uint256 i; i < _open.length && n < 4; ++i) {
            uint256 j = (pick % _open.length + 1 + i) % _open.length;
            if (_open[j].dstChainId == dst && keccak256(abi.encode(_open[j])) != keccak256(abi.encode(first))) {
                batch[n++] = _open[j];
            }
        }
        assembly ("memory-safe") {
            mstore(batch, n)
        }
        bytes[][] memory sigs = new bytes[][](n);
        _on(dst);
        for (uint256 i; i < n; ++i) {
            sigs[i] = _attest(batch[i], pairSeed % 3 + i);
        }
        vm.recordLogs();
        try _gateway(dst).receiveBatch(batch, sigs) {
            for (uint256 i = 1; i < n; ++i) {
                (bool found, uint256 index) = _findOpen(batch[i]);
                if (found) _close(index);
            }
            successes["batch"]++;
            _harvest();
        } catch {
            _discard();
        }
    }

    function expire(uint256 pick, uint256 pairSeed) external {
        if (_open.length == 0) return;
        uint256 index = pick % _open.length;
        IGateway.Message memory m = _open[index];
        // Returns and corporate actions never expire (expiry = 2**64 - 1): no warp to the end of time.
        if (m.kind == uint8(IGateway.MessageKind.Transfer) && block.timestamp <= m.expiry) {
            vm.warp(uint256(m.expiry) + 1);
        }
        _on(m.dstChainId);
        bytes[] memory sigs = _attest(m, pairSeed);
        vm.recordLogs();
        try _gateway(m.dstChainId).expire(m, sigs) {
            _close(index);
            successes["expired"]++;
            _harvest();
        } catch {
            _discard();
        }
    }

    /// @notice Re-submits a finished message: it must neither mint nor refund again.
    function resubmit(uint256 pick, uint256 pairSeed) external {
        if (_closed.length == 0) return;
        IGateway.Message memory m = _closed[pick % _closed.length];
        _on(m.dstChainId);
        bytes[] memory sigs = _attest(m, pairSeed);
        vm.recordLogs();
        try _gateway(m.dstChainId).receiveMessage(m, sigs) {
            processedTwice = true;
        } catch {}
        try _gateway(m.dstChainId).expire(m, sigs) {
            processedTwice = true;
            _harvest();
        } catch {
            _discard();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Time
    // ------------------------------------------------------------------------------------------

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + seconds_.bound(1, _maxWarp()));
    }
}

/// @notice The asset-independent half of the two-chain gateway invariant tests: the shared
/// identity, the gateway deployment on each side, the pairing of the two gateways, the smoke
/// test's success counts and the invariants that hold for every asset behind the gateway.
abstract contract GatewayInvariantBase is ForgeTest {
    uint64 internal constant CHAIN_A = 31337;
    uint64 internal constant CHAIN_B = 31338;
    bytes32 internal constant ASSET_ID = keccak256("US0378331005");

    Gateway internal gwA;
    Gateway internal gwB;

    /// @dev The campaign's handler (the derived test deploys it in `setUp`).
    function _handler() internal view virtual returns (GatewayHandlerBase);

    function _identity(IAssetIdentity.Architecture architecture)
        internal
        pure
        returns (AssetIdentity.IdentityParams memory)
    {
        return AssetIdentity.IdentityParams({
            assetId: ASSET_ID,
            isin: "US0378331005",
            ticker: "AAPL",
            architecture: architecture,
            homeChainId: CHAIN_A,
            termsURI: "ipfs://terms",
            termsHash: keccak256("terms")
        });
    }

    /// @dev A gateway on the current chain with the three operator keys (2 of 3) and `asset`
    /// registered; the caller still has to point the asset at it (`setGateway`).
    function _deployGateway(ICrosschainAsset asset) internal returns (Gateway gw) {
        address[] memory operators = new address[](3);
        for (uint256 i; i < 3; ++i) {
            operators[i] = vm.addr(0x0E00 + i);
        }
        gw = new Gateway(address(this), operators, 2);
        gw.registerAsset(ASSET_ID, "US0378331005", asset);
    }

    /// @dev Makes each gateway the other's remote; leaves the EVM on chain A.
    function _connectGateways() internal {
        vm.chainId(CHAIN_B);
        gwB.setRemoteGateway(CHAIN_A, address(gwA));
        vm.chainId(CHAIN_A);
        gwA.setRemoteGateway(CHAIN_B, address(gwB));
    }

    /// @dev The success counts every smoke test expects after its scripted sequence (four sends,
    /// two deliveries, one rejection, two refunds, one batch, one expiry, one broadcast) and
    /// nothing left in flight.
    function _assertSmokeCounts() internal view {
        GatewayHandlerBase handler = _handler();
        assertEq(handler.successes("send"), 4, "sends");
        assertEq(handler.successes("delivered"), 2, "delivered");
        assertEq(handler.successes("rejected"), 1, "rejected");
        assertEq(handler.successes("refunded"), 2, "refunds");
        assertEq(handler.successes("batch"), 1, "batches");
        assertEq(handler.successes("expired"), 1, "expired");
        assertEq(handler.successes("broadcast"), 1, "broadcasts");
        assertEq(handler.openCount(), 0, "nothing left in flight");
    }

    /// @notice Home counter: `supplyElsewhere` on the home gateway == units on chain B + units
    /// of every Transfer and Return still in flight (either direction), after every step,
    /// including refused deliveries, expiries and refunds; chain B's gateway counts nothing.
    function _checkHomeCounter() internal view {
        assertEq(
            gwA.supplyElsewhere(ASSET_ID),
            _handler().remoteUnits() + _handler().inflightUnits(),
            "home supplyElsewhere == remote supply + in flight"
        );
        assertEq(gwB.supplyElsewhere(ASSET_ID), 0, "non-home gateway counts nothing");
    }

    /// @notice A finished message (delivered, rejected, expired, refunded) is never processed
    /// again, and every `MessageSent` comes from a gateway with the id of its own content.
    function _checkNoDoubleProcessing() internal view {
        assertTrue(!_handler().processedTwice(), "message processed twice");
        assertTrue(!_handler().unexpectedSentEvent(), "unexpected MessageSent");
    }
}
