// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest, Vm, Bound} from "./Vm.sol";
import {IAssetIdentity} from "../../../contracts/interfaces/IAssetIdentity.sol";
import {ICrosschainAsset} from "../../../contracts/interfaces/ICrosschainAsset.sol";
import {IGateway} from "../../../contracts/interfaces/IGateway.sol";
import {Gateway} from "../../../contracts/gateway/Gateway.sol";
import {Proxies} from "./Proxies.sol";

/// @notice The storage cheatcodes the same-address harness needs (same address and signatures as
/// forge-std's `Vm`; kept here so `Vm.sol`, shared by every campaign, stays as it is).
interface VmStorage {
    function record() external;
    function accesses(address target) external returns (bytes32[] memory reads, bytes32[] memory writes);
    function load(address target, bytes32 slot) external view returns (bytes32 data);
    function store(address target, bytes32 slot, bytes32 value) external;
}

/// @notice Two simulated chains whose gateway sits at the SAME address (the deploy flow does that:
/// same deployer, same step order). One EVM has one storage per address, so the harness swaps it:
/// every storage slot the gateway ever wrote (found with `vm.record` / `vm.accesses`) is saved for
/// the chain that leaves and restored for the chain that enters (`vm.load` / `vm.store`). The code
/// (and so the EIP-712 immutables, rebuilt for the current `block.chainid`) is the same on both.
contract SameAddressChains {
    VmStorage internal constant vms = VmStorage(address(uint160(uint256(keccak256("hevm cheat code")))));

    address public immutable target;
    uint64 public occupant;
    bytes32[] private _slots;
    mapping(bytes32 slot => bool) private _known;
    mapping(uint64 chainId => mapping(bytes32 slot => bytes32 value)) private _saved;

    /// @param target_ The shared address; `occupant_` is the chain whose state it holds now.
    constructor(address target_, uint64 occupant_) {
        target = target_;
        occupant = occupant_;
    }

    /// @notice Adds every slot written at `target` since the last call to the known set.
    function harvest() public {
        (, bytes32[] memory writes) = vms.accesses(target);
        for (uint256 i; i < writes.length; ++i) {
            if (!_known[writes[i]]) {
                _known[writes[i]] = true;
                _slots.push(writes[i]);
            }
        }
        vms.record();
    }

    /// @notice Gives `chainId` the current state of the occupant (used once, for the constructor's
    /// state: both gateways were built with the same arguments).
    function cloneTo(uint64 chainId) external {
        harvest();
        for (uint256 i; i < _slots.length; ++i) {
            _saved[chainId][_slots[i]] = vms.load(target, _slots[i]);
        }
    }

    /// @notice Makes `target` hold the state of `chainId`.
    function switchTo(uint64 chainId) external {
        harvest();
        if (chainId == occupant) return;
        for (uint256 i; i < _slots.length; ++i) {
            bytes32 slot = _slots[i];
            _saved[occupant][slot] = vms.load(target, slot);
            vms.store(target, slot, _saved[chainId][slot]);
        }
        occupant = chainId;
    }

    function slotCount() external view returns (uint256) {
        return _slots.length;
    }
}

/// @notice The asset-independent half of the three-chain gateway campaigns: chain A (31337, the
/// asset's home), chain B (31338) and chain C (31339) in one EVM, each with its own gateway;
/// B's and C's gateways sit at the SAME address (`SameAddressChains` swaps its storage), and
/// `vm.chainId` switches the chain before every call to one side. Drives sends between every
/// pair of chains, deliveries of attested messages (EIP-712 attestations by 2 of 3 operator keys
/// via `vm.sign`), singly and in batches with duplicates, expiries of late transfers,
/// re-submissions of finished messages, deliveries to a gateway the message was not sent to (a
/// redeployed gateway on chain A), releases and redirections of held refunds, corporate-action
/// broadcasts and time warps.
/// @dev Messages are taken from the gateways' own `MessageSent` logs (`vm.recordLogs`), never
/// rebuilt, so what is attested is exactly what the source emitted. Ghost state: the open
/// (in-flight) and closed messages, the held refunds, the units in flight and held, the units
/// issued on the home chain and the flags the invariants read. A derived handler supplies the
/// asset: its units per chain and wallet (`_totalUnits`, `_unitsOf`), the longest warp
/// (`_maxWarp`), and its own home-chain and compliance actions.
abstract contract GatewayHandlerBase {
    using Bound for uint256;

    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint64 public constant CHAIN_A = 31337;
    uint64 public constant CHAIN_B = 31338;
    uint64 public constant CHAIN_C = 31339;
    uint256 public constant WALLETS = 6;
    uint256 public constant OPERATOR_KEY_BASE = 0x0E00;

    bytes32 public constant MESSAGE_SENT = keccak256(
        "MessageSent(bytes32,uint64,(uint8,uint8,uint64,uint64,address,address,uint64,bytes32,address,address,uint256,uint64,uint64,bytes32))"
    );

    struct Held {
        uint64 chainId;
        bytes32 returnId;
        uint256 units;
    }

    bytes32 public immutable assetId;
    Gateway public immutable gwA;
    /// @notice The gateway of chains B and C (one address, two states).
    Gateway public immutable gwBC;
    /// @notice A second gateway on chain A (a redeployment): nothing sent to gwA may pass it.
    Gateway public immutable gwA2;
    SameAddressChains public immutable twin;

    IGateway.Message[] internal _open;
    IGateway.Message[] internal _closed;
    Held[] internal _held;
    uint256 public inflightUnits;
    uint256 public heldUnits;
    uint256 public issued;
    bool public processedTwice;
    bool public unexpectedSentEvent;
    bool public stateShared;
    bool public deliveredByAnotherGateway;

    mapping(bytes32 action => uint256 count) public successes;

    constructor(bytes32 assetId_, Gateway gwA_, Gateway gwBC_, Gateway gwA2_, SameAddressChains twin_) {
        assetId = assetId_;
        gwA = gwA_;
        gwBC = gwBC_;
        gwA2 = gwA2_;
        twin = twin_;
    }

    /// @notice The handler's wallets (the same addresses on every chain).
    function wallet(uint256 i) public pure returns (address) {
        return address(uint160(0xE000 + i));
    }

    function openCount() external view returns (uint256) {
        return _open.length;
    }

    function heldCount() external view returns (uint256) {
        return _held.length;
    }

    /// @notice Total units of the asset on chains B and C (the home gateway counts them, with the
    /// units in flight and held, in `supplyElsewhere`).
    function remoteUnits() external view returns (uint256) {
        return _totalUnits(CHAIN_B) + _totalUnits(CHAIN_C);
    }

    // ------------------------------------------------------------------------------------------
    // Asset hooks
    // ------------------------------------------------------------------------------------------

    /// @dev Total units of the asset on `chainId`.
    function _totalUnits(uint64 chainId) internal view virtual returns (uint256);

    /// @dev Units held by `holder` on `chainId`.
    function _unitsOf(uint64 chainId, address holder) internal view virtual returns (uint256);

    /// @dev The longest single `warp` step, in seconds.
    function _maxWarp() internal pure virtual returns (uint256);

    // ------------------------------------------------------------------------------------------
    // Plumbing
    // ------------------------------------------------------------------------------------------

    function _chain(uint256 seed) internal pure returns (uint64) {
        return [CHAIN_A, CHAIN_B, CHAIN_C][seed % 3];
    }

    /// @dev Switches to `chainId` (and, for B and C, gives the shared gateway address its state).
    function _on(uint64 chainId) internal {
        vm.chainId(chainId);
        if (chainId != CHAIN_A) twin.switchTo(chainId);
    }

    function _gateway(uint64 chainId) internal view returns (Gateway) {
        return chainId == CHAIN_A ? gwA : gwBC;
    }

    function _counts(IGateway.Message memory m) internal pure returns (bool) {
        return m.kind != uint8(IGateway.MessageKind.CorporateAction);
    }

    function _id(IGateway.Message memory m) internal pure returns (bytes32) {
        return keccak256(abi.encode(m));
    }

    /// @dev Moves every `MessageSent` recorded since `vm.recordLogs()` into the open set.
    function _harvest() internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics.length == 0 || logs[i].topics[0] != MESSAGE_SENT) continue;
            if (logs[i].emitter != address(gwA) && logs[i].emitter != address(gwBC)) {
                unexpectedSentEvent = true;
                continue;
            }
            IGateway.Message memory m = abi.decode(logs[i].data, (IGateway.Message));
            if (logs[i].topics[1] != _id(m) || m.srcGateway != logs[i].emitter) unexpectedSentEvent = true;
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
        bytes32 id = _id(m);
        for (uint256 i; i < _open.length; ++i) {
            if (_id(_open[i]) == id) return (true, i);
        }
    }

    function _stateOf(IGateway.Message memory m) internal view returns (IGateway.MessageState) {
        return _gateway(m.dstChainId).inboundStateFrom(m.srcChainId, m.srcGateway, m.nonce);
    }

    /// @dev After `done` reached its final state on its destination: a Return held for its holder
    /// is recorded, and no other open message to that chain may have a state (distinct
    /// (source chain, source gateway, nonce) triples never share one). Call on the destination.
    function _afterFinal(IGateway.Message memory done) internal {
        IGateway.MessageState state = _stateOf(done);
        if (done.kind == uint8(IGateway.MessageKind.Return) && state == IGateway.MessageState.Rejected) {
            _held.push(Held({chainId: done.dstChainId, returnId: _id(done), units: done.units}));
            heldUnits += done.units;
            successes["held"]++;
        }
        for (uint256 i; i < _open.length; ++i) {
            if (_open[i].dstChainId == done.dstChainId && _stateOf(_open[i]) != IGateway.MessageState.None) {
                stateShared = true;
            }
        }
    }

    /// @dev Two of the three operators' attestations for `dst`, ordered by ascending signer.
    function _attestFor(Gateway dst, IGateway.Message memory m, uint256 pairSeed)
        internal
        view
        returns (bytes[] memory sigs)
    {
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

    function _attest(IGateway.Message memory m, uint256 pairSeed) internal view returns (bytes[] memory) {
        return _attestFor(_gateway(m.dstChainId), m, pairSeed);
    }

    /// @dev Broadcasts the home chain's corporate-action state to chains B and C.
    function _broadcastCorporateAction() internal {
        _on(CHAIN_A);
        vm.recordLogs();
        try gwA.broadcastCorporateAction(assetId, CHAIN_B) {
            successes["broadcast"]++;
            _harvest();
        } catch {
            _discard();
        }
        vm.recordLogs();
        try gwA.broadcastCorporateAction(assetId, CHAIN_C) {
            _harvest();
        } catch {
            _discard();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Sends, deliveries, expiries
    // ------------------------------------------------------------------------------------------

    /// @notice Sends from chain `srcSeed % 3` to one of the two others (`dstSeed`).
    function send(uint256 srcSeed, uint256 dstSeed, uint256 fromSeed, uint256 toSeed, uint256 units, uint256 ttl)
        external
    {
        uint64 src = _chain(srcSeed);
        // A side with no units at all cannot send: use the next one.
        for (uint256 i; i < 3 && _totalUnits(src) == 0; ++i) {
            src = _chain(srcSeed + i + 1);
        }
        uint64 dst = _chain(srcSeed + 1 + dstSeed % 2);
        if (dst == src) dst = _chain(srcSeed + 2);
        _on(src);
        // The first wallet holding units from the seed on (a send from an empty wallet is wasted).
        address from = wallet(fromSeed % WALLETS);
        for (uint256 i; i < WALLETS && _unitsOf(src, from) == 0; ++i) {
            from = wallet((fromSeed % WALLETS + i) % WALLETS);
        }
        units = units.bound(1, _unitsOf(src, from) + 1);
        address to = wallet(toSeed % WALLETS);
        uint64 expiry = uint64(block.timestamp + ttl.bound(1, 2 days));
        vm.recordLogs();
        vm.prank(from);
        try _gateway(src).send(assetId, dst, to, units, expiry) {
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
        bool wasFinal = _stateOf(m) != IGateway.MessageState.None;
        vm.recordLogs();
        try _gateway(m.dstChainId).receiveMessage(m, sigs) {
            if (wasFinal) processedTwice = true;
            _close(index);
            IGateway.MessageState state = _stateOf(m);
            if (state == IGateway.MessageState.Rejected && m.kind == uint8(IGateway.MessageKind.Transfer)) {
                successes["rejected"]++;
            } else if (m.kind == uint8(IGateway.MessageKind.Return)) {
                successes["refunded"]++;
            } else {
                successes["delivered"]++;
            }
            _harvest();
            _afterFinal(m);
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
            if (_open[j].dstChainId == dst && _id(_open[j]) != _id(first)) {
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
            successes["batch"]++;
            _harvest();
            bool[] memory closed = new bool[](n);
            for (uint256 i = 1; i < n; ++i) {
                (bool found, uint256 index) = _findOpen(batch[i]);
                if (found) {
                    _close(index);
                    closed[i] = true;
                }
            }
            for (uint256 i = 1; i < n; ++i) {
                if (closed[i]) _afterFinal(batch[i]);
            }
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
            _afterFinal(m);
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

    /// @notice A relayer with a fresh database hands a message sent to chain A's gateway to a
    /// redeployed gateway on chain A, and the operators attest it for that gateway's domain: it
    /// must be refused (deliver, batch and expire).
    function deliverToAnotherGateway(uint256 pick, uint256 pairSeed, bool fromClosed) external {
        IGateway.Message[] storage pool = fromClosed ? _closed : _open;
        uint256 n = pool.length;
        uint256 i;
        while (i < n && pool[(pick + i) % n].dstChainId != CHAIN_A) ++i;
        if (i == n) return;
        IGateway.Message memory m = pool[(pick + i) % n];
        _on(CHAIN_A);
        if (m.kind == uint8(IGateway.MessageKind.Transfer) && pairSeed % 2 == 0 && block.timestamp <= m.expiry) {
            vm.warp(uint256(m.expiry) + 1);
        }
        bytes[] memory sigs = _attestFor(gwA2, m, pairSeed);
        vm.recordLogs();
        try gwA2.receiveMessage(m, sigs) {
            deliveredByAnotherGateway = true;
        } catch {}
        try gwA2.expire(m, sigs) {
            deliveredByAnotherGateway = true;
        } catch {}
        _discard();
        successes["misdelivery refused"]++;
    }

    // ------------------------------------------------------------------------------------------
    // Held refunds
    // ------------------------------------------------------------------------------------------

    /// @notice Anyone releases a held refund to its holder (refused while the holder still is).
    function releaseHeld(uint256 pick) external {
        if (_held.length == 0) return;
        uint256 index = pick % _held.length;
        Held memory h = _held[index];
        _on(h.chainId);
        try _gateway(h.chainId).releaseHeldRefund(h.returnId) {
            _dropHeld(index);
            successes["released"]++;
        } catch {}
    }

    /// @notice The refund agent redirects a held refund to another wallet of the handler.
    function redirectHeld(uint256 pick, uint256 toSeed) external {
        if (_held.length == 0) return;
        uint256 index = pick % _held.length;
        Held memory h = _held[index];
        _on(h.chainId);
        try _gateway(h.chainId).redirectHeldRefund(h.returnId, wallet(toSeed % WALLETS)) {
            _dropHeld(index);
            successes["redirected"]++;
        } catch {}
    }

    function _dropHeld(uint256 index) private {
        heldUnits -= _held[index].units;
        _held[index] = _held[_held.length - 1];
        _held.pop();
    }

    // ------------------------------------------------------------------------------------------
    // Time
    // ------------------------------------------------------------------------------------------

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + seconds_.bound(1, _maxWarp()));
    }
}

/// @notice The asset-independent half of the three-chain gateway invariant tests: the shared
/// identity, the gateway deployment on each chain (B's and C's at one address), their links, the
/// smoke test's success counts and the invariants that hold for every asset behind the gateway.
abstract contract GatewayInvariantBase is ForgeTest {
    uint64 internal constant CHAIN_A = 31337;
    uint64 internal constant CHAIN_B = 31338;
    uint64 internal constant CHAIN_C = 31339;
    bytes32 internal constant ASSET_ID = keccak256("US0378331005");

    Gateway internal gwA;
    Gateway internal gwA2;
    Gateway internal gwBC;
    SameAddressChains internal twin;

    /// @dev The campaign's handler (the derived test deploys it in `setUp`).
    function _handler() internal view virtual returns (GatewayHandlerBase);

    function _identity(IAssetIdentity.Architecture architecture)
        internal
        pure
        returns (IAssetIdentity.IdentityParams memory)
    {
        return IAssetIdentity.IdentityParams({
            assetId: ASSET_ID,
            isin: "US0378331005",
            ticker: "AAPL",
            architecture: architecture,
            homeChainId: CHAIN_A,
            termsURI: "ipfs://terms",
            termsHash: keccak256("terms"),
            dti: bytes9("4H95J0R2X")
        });
    }

    /// @dev A gateway on the current chain with the three operator keys (2 of 3).
    function _newGateway() internal returns (Gateway gw) {
        address[] memory operators = new address[](3);
        for (uint256 i; i < 3; ++i) {
            operators[i] = vm.addr(0x0E00 + i);
        }
        gw = Proxies.deployGateway(address(this), operators, 2);
    }

    /// @dev Chain B's and C's gateway at one address: deployed on B, its constructor state cloned
    /// for C. Leaves the EVM on chain B with B's state in place.
    function _deploySharedGateway() internal {
        vm.chainId(CHAIN_B);
        VmStorage(address(vm)).record();
        gwBC = _newGateway();
        twin = new SameAddressChains(address(gwBC), CHAIN_B);
        twin.cloneTo(CHAIN_C);
    }

    /// @dev Switches to `chainId`; for B and C, swaps the shared gateway's state.
    function _enter(uint64 chainId) internal {
        vm.chainId(chainId);
        if (chainId != CHAIN_A) twin.switchTo(chainId);
    }

    /// @dev Registers `asset` on the gateway of the current chain and points the asset at it.
    function _register(Gateway gw, ICrosschainAsset asset) internal {
        gw.registerAsset(ASSET_ID, "US0378331005", asset);
    }

    /// @dev Links every pair of chains (B and C name each other's gateway: the same address),
    /// grants the handler the refund role on every gateway, and links the redeployed gateway A2
    /// like A. Leaves the EVM on chain A.
    function _connectGateways(address refundAgent) internal {
        _enter(CHAIN_B);
        gwBC.setRemoteGateway(CHAIN_A, address(gwA));
        gwBC.setRemoteGateway(CHAIN_C, address(gwBC));
        gwBC.grantRole(gwBC.REFUND_ROLE(), refundAgent);
        _enter(CHAIN_C);
        gwBC.setRemoteGateway(CHAIN_A, address(gwA));
        gwBC.setRemoteGateway(CHAIN_B, address(gwBC));
        gwBC.grantRole(gwBC.REFUND_ROLE(), refundAgent);
        _enter(CHAIN_A);
        gwA.setRemoteGateway(CHAIN_B, address(gwBC));
        gwA.setRemoteGateway(CHAIN_C, address(gwBC));
        gwA.grantRole(gwA.REFUND_ROLE(), refundAgent);
        gwA2.setRemoteGateway(CHAIN_B, address(gwBC));
        gwA2.setRemoteGateway(CHAIN_C, address(gwBC));
    }

    /// @dev The success counts every smoke test expects after its scripted sequence (six sends;
    /// five deliveries: A->B, B->C, B->A and the corporate action on B and C; one rejection whose
    /// refund is held then released; one batch; one expiry refunded; one broadcast; one
    /// misdelivery refused) and nothing left in flight or held.
    function _assertSmokeCounts() internal view {
        GatewayHandlerBase handler = _handler();
        assertEq(handler.successes("send"), 6, "sends");
        assertEq(handler.successes("delivered"), 5, "delivered");
        assertEq(handler.successes("rejected"), 1, "rejected");
        assertEq(handler.successes("refunded"), 2, "refunds");
        assertEq(handler.successes("held"), 1, "held");
        assertEq(handler.successes("released"), 1, "released");
        assertEq(handler.successes("batch"), 1, "batches");
        assertEq(handler.successes("expired"), 1, "expired");
        assertEq(handler.successes("broadcast"), 1, "broadcasts");
        assertEq(handler.successes("misdelivery refused"), 1, "misdelivery tried");
        assertEq(handler.openCount(), 0, "nothing left in flight");
        assertEq(handler.heldCount(), 0, "nothing held");
    }

    /// @notice Home counter: `supplyElsewhere` on the home gateway == units on chains B and C +
    /// units of every Transfer and Return still in flight (any direction) + units of refunds held
    /// on any chain, after every step; the shared B/C gateway counts nothing.
    function _checkHomeCounter() internal view {
        GatewayHandlerBase handler = _handler();
        assertEq(
            gwA.supplyElsewhere(ASSET_ID),
            handler.remoteUnits() + handler.inflightUnits() + handler.heldUnits(),
            "home supplyElsewhere == remote supply + in flight + held"
        );
        assertEq(gwBC.supplyElsewhere(ASSET_ID), 0, "non-home gateway counts nothing");
    }

    /// @notice A finished message (delivered, rejected, expired, refunded, held) is never
    /// processed again; one final state per (source chain, source gateway, nonce), never shared
    /// with another triple (B's and C's gateways have one address); no message is delivered or
    /// expired by a gateway it was not sent to; every `MessageSent` comes from a gateway, names
    /// it as the source and carries the id of its own content.
    function _checkNoDoubleProcessing() internal view {
        GatewayHandlerBase handler = _handler();
        assertTrue(!handler.processedTwice(), "message processed twice");
        assertTrue(!handler.stateShared(), "two messages share an inbound state");
        assertTrue(!handler.deliveredByAnotherGateway(), "delivered by a gateway it was not sent to");
        assertTrue(!handler.unexpectedSentEvent(), "unexpected MessageSent");
    }
}
