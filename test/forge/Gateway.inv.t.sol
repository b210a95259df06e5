// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest, Vm, Bound} from "./utils/Vm.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {AssetIdentity} from "../../contracts/assets/AssetIdentity.sol";
import {RegistryShare} from "../../contracts/assets/RegistryShare.sol";
import {ICrosschainAsset} from "../../contracts/interfaces/ICrosschainAsset.sol";
import {IGateway} from "../../contracts/interfaces/IGateway.sol";
import {Gateway} from "../../contracts/gateway/Gateway.sol";

/// @notice Both chains in one EVM: chain A (31337, the asset's home) and chain B (31338), each
/// with its own investor registry, registry share and gateway; `vm.chainId` switches the chain
/// before every call to one side. The handler sends in both directions, delivers attested
/// messages (EIP-712 attestations by 2 of 3 operator keys via `vm.sign`), singly and in batches
/// with duplicates, expires late transfers, re-submits finished messages, issues on the home
/// chain, splits there and broadcasts the corporate action, changes the registries (so deliveries
/// are refused and refunds blocked until fixed) and warps time.
/// @dev Messages are taken from the gateways' own `MessageSent` logs (`vm.recordLogs`), never
/// rebuilt, so what is attested is exactly what the source emitted. Ghost state: the open
/// (in-flight) messages and the units they carry.
contract GatewayHandler {
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
    RegistryShare public immutable shareA;
    RegistryShare public immutable shareB;
    InvestorRegistry public immutable registryA;
    InvestorRegistry public immutable registryB;

    IGateway.Message[] internal _open;
    IGateway.Message[] internal _closed;
    uint256 public inflightUnits;
    uint256 public issued;
    bool public processedTwice;
    bool public unexpectedSentEvent;

    mapping(bytes32 action => uint256 count) public successes;

    constructor(
        bytes32 assetId_,
        Gateway gwA_,
        Gateway gwB_,
        RegistryShare shareA_,
        RegistryShare shareB_,
        InvestorRegistry registryA_,
        InvestorRegistry registryB_
    ) {
        assetId = assetId_;
        gwA = gwA_;
        gwB = gwB_;
        shareA = shareA_;
        shareB = shareB_;
        registryA = registryA_;
        registryB = registryB_;
    }

    /// @notice Investor k (0..2) owns wallets 2k and 2k+1 on both chains.
    function wallet(uint256 i) public pure returns (address) {
        return address(uint160(0xE000 + i));
    }

    function investorId(uint256 k) public pure returns (bytes32) {
        return keccak256(abi.encode("investor", k));
    }

    function openCount() external view returns (uint256) {
        return _open.length;
    }

    // ------------------------------------------------------------------------------------------
    // Plumbing
    // ------------------------------------------------------------------------------------------

    function _on(uint64 chainId) private {
        vm.chainId(chainId);
    }

    function _gateway(uint64 chainId) private view returns (Gateway) {
        return chainId == CHAIN_A ? gwA : gwB;
    }

    function _counts(IGateway.Message memory m) private pure returns (bool) {
        return m.kind != uint8(IGateway.MessageKind.CorporateAction);
    }

    /// @dev Moves every `MessageSent` recorded since `vm.recordLogs()` into the open set.
    function _harvest() private {
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
    function _discard() private {
        vm.getRecordedLogs();
    }

    function _close(uint256 index) private {
        IGateway.Message memory m = _open[index];
        if (_counts(m)) inflightUnits -= m.units;
        _closed.push(m);
        _open[index] = _open[_open.length - 1];
        _open.pop();
    }

    function _findOpen(IGateway.Message memory m) private view returns (bool found, uint256 index) {
        bytes32 id = keccak256(abi.encode(m));
        for (uint256 i; i < _open.length; ++i) {
            if (keccak256(abi.encode(_open[i])) == id) return (true, i);
        }
    }

    /// @dev Two of the three operators' attestations, ordered by ascending signer address.
    function _attest(IGateway.Message memory m, uint256 pairSeed) private view returns (bytes[] memory sigs) {
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

    // ------------------------------------------------------------------------------------------
    // Sends, deliveries, expiries
    // ------------------------------------------------------------------------------------------

    function send(bool fromA, uint256 fromSeed, uint256 toSeed, uint256 units, uint256 ttl) external {
        // A side with no units at all cannot send: use the other side.
        if ((fromA ? shareA : shareB).totalUnits() == 0) fromA = !fromA;
        uint64 src = fromA ? CHAIN_A : CHAIN_B;
        _on(src);
        RegistryShare share = fromA ? shareA : shareB;
        // The first wallet holding units from the seed on (a send from an empty wallet is wasted).
        address from = wallet(fromSeed % WALLETS);
        for (uint256 i; i < WALLETS && share.unitsOf(from) == 0; ++i) {
            from = wallet((fromSeed % WALLETS + i) % WALLETS);
        }
        units = units.bound(1, share.unitsOf(from) + 1);
        vm.recordLogs();
        vm.prank(from);
        try _gateway(src).send(assetId, fromA ? CHAIN_B : CHAIN_A, wallet(toSeed % WALLETS), units, uint64(block.timestamp + ttl.bound(1, 2 days))) {
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
    // Home chain: issuance and corporate actions
    // ------------------------------------------------------------------------------------------

    function issue(uint256 toSeed, uint256 amount) external {
        _on(CHAIN_A);
        uint256 before = shareA.totalUnits();
        try shareA.issue(wallet(toSeed % WALLETS), amount.bound(1, 1_000e18), "issue") {
            issued += shareA.totalUnits() - before;
        } catch {}
    }

    function splitAndBroadcast(uint256 seed) external {
        _on(CHAIN_A);
        (uint256 num, uint256 den) = seed % 2 == 0 ? (2, 1) : (1, 2);
        try shareA.split(num, den, "split") {} catch {}
        vm.recordLogs();
        try gwA.broadcastCorporateAction(assetId, CHAIN_B) {
            successes["broadcast"]++;
            _harvest();
        } catch {
            _discard();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Registrars (refused deliveries, blocked refunds) and time
    // ------------------------------------------------------------------------------------------

    function removeWallet(bool onA, uint256 seed) external {
        _on(onA ? CHAIN_A : CHAIN_B);
        try (onA ? registryA : registryB).removeWallet(wallet(seed % WALLETS)) {} catch {}
    }

    function addWallet(bool onA, uint256 seed) external {
        _on(onA ? CHAIN_A : CHAIN_B);
        uint256 i = seed % WALLETS;
        try (onA ? registryA : registryB).addWallet(investorId(i / 2), wallet(i)) {} catch {}
    }

    function setInvestorFrozen(bool onA, uint256 seed, bool frozen) external {
        _on(onA ? CHAIN_A : CHAIN_B);
        try (onA ? registryA : registryB).setInvestorFrozen(investorId(seed % 3), frozen) {} catch {}
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + seconds_.bound(1, 1 days));
    }
}

contract GatewayInvariantTest is ForgeTest {
    uint64 internal constant CHAIN_A = 31337;
    uint64 internal constant CHAIN_B = 31338;
    bytes32 internal constant ASSET_ID = keccak256("US0378331005");

    GatewayHandler internal handler;
    Gateway internal gwA;
    Gateway internal gwB;
    RegistryShare internal shareA;
    RegistryShare internal shareB;
    InvestorRegistry internal registryA;
    InvestorRegistry internal registryB;

    function _identity() internal pure returns (AssetIdentity.IdentityParams memory) {
        return AssetIdentity.IdentityParams({
            assetId: ASSET_ID,
            isin: "US0378331005",
            ticker: "AAPL",
            architecture: IAssetIdentity.Architecture.RegistryShare,
            homeChainId: CHAIN_A,
            termsURI: "ipfs://terms",
            termsHash: keccak256("terms")
        });
    }

    function _deploySide() internal returns (InvestorRegistry registry, RegistryShare share, Gateway gw) {
        registry = new InvestorRegistry(address(this));
        share = new RegistryShare(address(this), registry, "Registry Share", "RSH", _identity());
        address[] memory operators = new address[](3);
        for (uint256 i; i < 3; ++i) {
            operators[i] = vm.addr(0x0E00 + i);
        }
        gw = new Gateway(address(this), operators, 2);
        gw.registerAsset(ASSET_ID, "US0378331005", ICrosschainAsset(address(share)));
        share.setGateway(address(gw));
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
    }

    function setUp() public {
        vm.warp(1_700_000_000);
        vm.chainId(CHAIN_A);
        (registryA, shareA, gwA) = _deploySide();
        vm.chainId(CHAIN_B);
        (registryB, shareB, gwB) = _deploySide();
        gwB.setRemoteGateway(CHAIN_A, address(gwA));
        vm.chainId(CHAIN_A);
        gwA.setRemoteGateway(CHAIN_B, address(gwB));

        handler = new GatewayHandler(ASSET_ID, gwA, gwB, shareA, shareB, registryA, registryB);
        // Chain A: all three investors; chain B: investors 0 and 1 only (transfers to investor 2's
        // wallets on B are refused and refunded).
        for (uint256 k; k < 3; ++k) {
            bytes32 id = handler.investorId(k);
            registryA.registerInvestor(id, 840, 1, uint64(block.timestamp + 3650 days));
            registryA.addWallet(id, handler.wallet(2 * k));
            registryA.addWallet(id, handler.wallet(2 * k + 1));
            if (k < 2) {
                registryB.registerInvestor(id, 840, 1, uint64(block.timestamp + 3650 days));
                registryB.addWallet(id, handler.wallet(2 * k));
                registryB.addWallet(id, handler.wallet(2 * k + 1));
            }
        }
        registryA.grantRole(registryA.REGISTRAR_ROLE(), address(handler));
        registryB.grantRole(registryB.REGISTRAR_ROLE(), address(handler));
        shareA.grantRole(shareA.TRANSFER_AGENT_ROLE(), address(handler));
        targetContract(address(handler));
    }

    /// @notice Smoke test of the handler: a round trip, a refused delivery refunded, an expiry
    /// refunded, a batch with a duplicate and a corporate action all go through.
    function test_handler_actions_succeed() public {
        handler.issue(0, 100e18);
        handler.send(true, 0, 2, 10e18, 1 days); // A -> B, investor 1: delivered
        handler.deliver(0, 0);
        handler.send(true, 0, 4, 5e18, 1 days); // A -> B, investor 2 unknown on B: rejected
        handler.deliver(0, 1);
        handler.deliver(0, 2); // the Return, back on A
        handler.send(false, 2, 1, 3e18, 1 days); // B -> A
        handler.deliverBatch(0, 0);
        handler.send(true, 0, 3, 1e18, 1 hours); // A -> B, left to expire
        handler.expire(0, 0);
        handler.deliver(0, 0); // the Return of the expired transfer
        handler.splitAndBroadcast(0);
        handler.deliver(0, 0);
        handler.resubmit(0, 0);
        assertEq(handler.successes("send"), 4, "sends");
        assertEq(handler.successes("delivered"), 2, "delivered");
        assertEq(handler.successes("rejected"), 1, "rejected");
        assertEq(handler.successes("refunded"), 2, "refunds");
        assertEq(handler.successes("batch"), 1, "batches");
        assertEq(handler.successes("expired"), 1, "expired");
        assertEq(handler.successes("broadcast"), 1, "broadcasts");
        assertEq(handler.openCount(), 0, "nothing left in flight");
        invariant_crosschain_conservation();
    }

    /// @notice The cross-chain invariants, checked after every handler call.
    function invariant_crosschain_conservation() public view {
        _checkHomeCounter();
        _checkGlobalSupply();
        _checkNoDoubleProcessing();
        _checkGatewaysHoldNothing();
    }

    /// @notice Home counter: `supplyElsewhere` on the home gateway == units on chain B + units
    /// of every Transfer and Return still in flight (either direction), after every step,
    /// including refused deliveries, expiries and refunds; chain B's gateway counts nothing.
    function _checkHomeCounter() internal view {
        assertEq(
            gwA.supplyElsewhere(ASSET_ID),
            shareB.totalUnits() + handler.inflightUnits(),
            "home supplyElsewhere == remote supply + in flight"
        );
        assertEq(gwB.supplyElsewhere(ASSET_ID), 0, "non-home gateway counts nothing");
    }

    /// @notice Global conservation: units on A + units on B + in flight == units issued on the
    /// home chain (nothing is lost or minted twice by the bridge).
    function _checkGlobalSupply() internal view {
        assertEq(
            shareA.totalUnits() + shareB.totalUnits() + handler.inflightUnits(),
            handler.issued(),
            "A + B + in flight == issued"
        );
    }

    /// @notice A finished message (delivered, rejected, expired, refunded) is never processed
    /// again, and every `MessageSent` comes from a gateway with the id of its own content.
    function _checkNoDoubleProcessing() internal view {
        assertTrue(!handler.processedTwice(), "message processed twice");
        assertTrue(!handler.unexpectedSentEvent(), "unexpected MessageSent");
    }

    /// @notice Burn-and-mint on every chain: the gateways never hold tokens.
    function _checkGatewaysHoldNothing() internal view {
        assertEq(shareA.unitsOf(address(gwA)), 0, "gateway A holds nothing");
        assertEq(shareB.unitsOf(address(gwB)), 0, "gateway B holds nothing");
    }
}
