// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest, Vm, Bound} from "./utils/Vm.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {AssetIdentity} from "../../contracts/assets/AssetIdentity.sol";
import {TrackerCertificate} from "../../contracts/assets/TrackerCertificate.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {AttestedFeed} from "../../contracts/feeds/AttestedFeed.sol";
import {ICrosschainAsset} from "../../contracts/interfaces/ICrosschainAsset.sol";
import {IGateway} from "../../contracts/interfaces/IGateway.sol";
import {Gateway} from "../../contracts/gateway/Gateway.sol";

/// @notice Both chains in one EVM with the tracker certificate: chain A (31337, home) and chain B
/// (31338), each with its own sanctions list, certificate and gateway; `vm.chainId` switches the
/// chain before every call to one side. The handler mints on the home chain against a reserve
/// feed that counts the home gateway's real `supplyElsewhere`, runs a management fee and
/// scheduled splits there (broadcast to B), sends in both directions, delivers attested messages
/// singly and in batches with duplicates, expires late transfers, re-submits finished messages,
/// sanctions and delists recipients on either chain (refused deliveries, blocked refunds),
/// reports reserves and warps time.
/// @dev Messages are taken from the gateways' own `MessageSent` logs (`vm.recordLogs`).
contract CertificateGatewayHandler {
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
    TrackerCertificate public immutable certA;
    TrackerCertificate public immutable certB;
    SanctionsList public immutable sanctionsA;
    SanctionsList public immutable sanctionsB;
    AttestedFeed public immutable reserveFeed;

    IGateway.Message[] internal _open;
    IGateway.Message[] internal _closed;
    uint256 public inflightUnits;
    uint256 public issued;
    uint256 public redeemed;
    uint64 public nonce;
    /// @notice Raised when a mint succeeded while supply + supplyElsewhere exceeded the reserves.
    bool public mintBrokeReserves;
    bool public processedTwice;
    bool public unexpectedSentEvent;

    mapping(bytes32 action => uint256 count) public successes;

    constructor(
        Gateway gwA_,
        Gateway gwB_,
        TrackerCertificate certA_,
        TrackerCertificate certB_,
        SanctionsList sanctionsA_,
        SanctionsList sanctionsB_,
        AttestedFeed reserveFeed_
    ) {
        assetId = certA_.assetId();
        gwA = gwA_;
        gwB = gwB_;
        certA = certA_;
        certB = certB_;
        sanctionsA = sanctionsA_;
        sanctionsB = sanctionsB_;
        reserveFeed = reserveFeed_;
    }

    function wallet(uint256 i) public pure returns (address) {
        return address(uint160(0xE000 + i));
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
        if ((fromA ? certA : certB).totalUnits() == 0) fromA = !fromA;
        uint64 src = fromA ? CHAIN_A : CHAIN_B;
        _on(src);
        TrackerCertificate share = fromA ? certA : certB;
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
    // Home chain: minting against reserves, redemption, fee, corporate actions
    // ------------------------------------------------------------------------------------------

    function _ceilTokens(uint256 units, uint256 m) private pure returns (uint256) {
        return (units * m + 1e18 - 1) / 1e18;
    }

    function mint(uint256 toSeed, uint256 amount) external {
        _on(CHAIN_A);
        uint256 room = certA.mintableShares();
        amount = amount.bound(1, room + room / 4 + 10e18);
        uint256 before = certA.totalUnits();
        try certA.mint(wallet(toSeed % WALLETS), amount) {
            issued += certA.totalUnits() - before;
            (uint256 reserves,,) = certA.reserves();
            uint256 outstanding = certA.totalUnits() + gwA.supplyElsewhere(assetId);
            if (_ceilTokens(outstanding, certA.multiplier()) > reserves) mintBrokeReserves = true;
        } catch {}
    }

    function reportReserves(uint256 factorBps) external {
        _on(CHAIN_A);
        uint256 outstanding = _ceilTokens(certA.totalUnits() + gwA.supplyElsewhere(assetId), certA.multiplier());
        reserveFeed.report(int256((outstanding + 100e18) * factorBps.bound(5_000, 20_000) / 10_000));
    }

    function redeem(uint256 fromSeed, uint256 shares) external {
        _on(CHAIN_A);
        address from = wallet(fromSeed % WALLETS);
        shares = shares.bound(1, certA.balanceOf(from) + 1);
        uint256 before = certA.totalUnits();
        vm.prank(from);
        try certA.requestRedemption(shares) {
            redeemed += before - certA.totalUnits();
        } catch {}
    }

    function setFee(uint256 fee) external {
        _on(CHAIN_A);
        try certA.setManagementFee(uint64(fee.bound(0, 1e15)), 1 days) {} catch {}
    }

    function splitAndBroadcast(uint256 seed, uint256 delay) external {
        _on(CHAIN_A);
        uint256 m = certA.multiplier();
        uint256 next = seed % 2 == 0 ? m * 2 : m / 2;
        try certA.scheduleMultiplierUpdate(m, next, uint64(block.timestamp + delay.bound(0, 1 days)), nonce + 1) {
            nonce++;
        } catch {}
        vm.recordLogs();
        try gwA.broadcastCorporateAction(assetId, CHAIN_B) {
            successes["broadcast"]++;
            _harvest();
        } catch {
            _discard();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Compliance (refused deliveries, blocked refunds) and time
    // ------------------------------------------------------------------------------------------

    function setSanctioned(bool onA, uint256 seed, bool sanctioned) external {
        _on(onA ? CHAIN_A : CHAIN_B);
        try (onA ? sanctionsA : sanctionsB).setSanctioned(wallet(seed % WALLETS), sanctioned) {} catch {}
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + seconds_.bound(1, 12 hours));
    }
}

contract CertificateGatewayInvariantTest is ForgeTest {
    uint64 internal constant CHAIN_A = 31337;
    uint64 internal constant CHAIN_B = 31338;
    bytes32 internal constant ASSET_ID = keccak256("US0378331005");

    CertificateGatewayHandler internal handler;
    Gateway internal gwA;
    Gateway internal gwB;
    TrackerCertificate internal certA;
    TrackerCertificate internal certB;
    SanctionsList internal sanctionsA;
    SanctionsList internal sanctionsB;
    AttestedFeed internal reserveFeed;

    function _deploySide(address feed) internal returns (SanctionsList sanctions, TrackerCertificate cert, Gateway gw) {
        sanctions = new SanctionsList(address(this));
        cert = new TrackerCertificate(
            AssetIdentity.IdentityParams({
                assetId: ASSET_ID,
                isin: "US0378331005",
                ticker: "AAPL",
                architecture: IAssetIdentity.Architecture.TrackerCertificate,
                homeChainId: CHAIN_A,
                termsURI: "ipfs://terms",
                termsHash: keccak256("terms")
            }),
            TrackerCertificate.CertificateConfig({
                name: "Tracker AAPL",
                symbol: "trAAPL",
                admin: address(this),
                sanctionsList: address(sanctions),
                reserveFeed: feed,
                reserveHeartbeat: 1 days
            })
        );
        sanctions.addSubscriber(address(cert)); // listings reach the cached flags at once
        address[] memory operators = new address[](3);
        for (uint256 i; i < 3; ++i) {
            operators[i] = vm.addr(0x0E00 + i);
        }
        gw = new Gateway(address(this), operators, 2);
        gw.registerAsset(ASSET_ID, "US0378331005", ICrosschainAsset(address(cert)));
        cert.setGateway(address(gw));
    }

    function setUp() public {
        vm.warp(1_700_000_000);
        vm.chainId(CHAIN_A);
        reserveFeed = new AttestedFeed(address(this), 18, "AAPL reserves");
        reserveFeed.grantRole(reserveFeed.REPORTER_ROLE(), address(this));
        reserveFeed.report(1_000e18);
        (sanctionsA, certA, gwA) = _deploySide(address(reserveFeed));
        vm.chainId(CHAIN_B);
        (sanctionsB, certB, gwB) = _deploySide(address(0));
        gwB.setRemoteGateway(CHAIN_A, address(gwA));
        vm.chainId(CHAIN_A);
        gwA.setRemoteGateway(CHAIN_B, address(gwB));

        handler = new CertificateGatewayHandler(gwA, gwB, certA, certB, sanctionsA, sanctionsB, reserveFeed);
        certA.grantRole(certA.MINTER_ROLE(), address(handler));
        certA.grantRole(certA.TRANSFER_AGENT_ROLE(), address(handler));
        certA.grantRole(certA.DEFAULT_ADMIN_ROLE(), address(handler));
        reserveFeed.grantRole(reserveFeed.REPORTER_ROLE(), address(handler));
        sanctionsA.grantRole(sanctionsA.COMPLIANCE_ROLE(), address(handler));
        sanctionsB.grantRole(sanctionsB.COMPLIANCE_ROLE(), address(handler));
        targetContract(address(handler));
    }

    /// @notice Smoke test of the handler: mint, a round trip, a refused delivery refunded, an
    /// expiry refunded, a batch, a fee and a split broadcast all go through.
    function test_handler_actions_succeed() public {
        handler.mint(0, 100e18);
        handler.send(true, 0, 2, 10e18, 1 days); // A -> B: delivered
        handler.deliver(0, 0);
        handler.setSanctioned(false, 4, true);
        handler.send(true, 0, 4, 5e18, 1 days); // A -> B to a wallet sanctioned on B: rejected
        handler.deliver(0, 1);
        handler.deliver(0, 2); // the Return, back on A
        handler.send(false, 2, 1, 3e18, 1 days); // B -> A
        handler.deliverBatch(0, 0);
        handler.send(true, 0, 3, 1e18, 1 hours); // A -> B, left to expire
        handler.expire(0, 0);
        handler.deliver(0, 0);
        handler.setFee(1e15);
        handler.splitAndBroadcast(0, 0);
        handler.deliver(0, 0);
        handler.resubmit(0, 0);
        handler.redeem(0, 1e18);
        assertEq(handler.successes("send"), 4, "sends");
        assertEq(handler.successes("delivered"), 2, "delivered");
        assertEq(handler.successes("rejected"), 1, "rejected");
        assertEq(handler.successes("refunded"), 2, "refunds");
        assertEq(handler.successes("batch"), 1, "batches");
        assertEq(handler.successes("expired"), 1, "expired");
        assertEq(handler.successes("broadcast"), 1, "broadcasts");
        assertEq(handler.openCount(), 0, "nothing left in flight");
        assertEq(certB.multiplier(), certA.multiplier(), "split synced");
        invariant_certificate_crosschain();
    }

    /// @notice The cross-chain certificate invariants, checked after every handler call.
    function invariant_certificate_crosschain() public view {
        _checkHomeCounter();
        _checkGlobalSupply();
        _checkReservesAtMint();
        _checkNoDoubleProcessing();
    }

    /// @notice Home counter: `supplyElsewhere` on the home gateway == units on chain B + units of
    /// every Transfer and Return in flight, including refused deliveries, expiries and refunds.
    function _checkHomeCounter() internal view {
        assertEq(
            gwA.supplyElsewhere(ASSET_ID),
            certB.totalUnits() + handler.inflightUnits(),
            "home supplyElsewhere == remote supply + in flight"
        );
        assertEq(gwB.supplyElsewhere(ASSET_ID), 0, "non-home gateway counts nothing");
    }

    /// @notice Units on A + on B + in flight == units minted on the home chain - units redeemed.
    function _checkGlobalSupply() internal view {
        assertEq(
            certA.totalUnits() + certB.totalUnits() + handler.inflightUnits() + handler.redeemed(),
            handler.issued(),
            "A + B + in flight == minted - redeemed"
        );
    }

    /// @notice Supply <= reserves whenever minting succeeded, with the real home gateway's
    /// `supplyElsewhere` (units on B and in flight) counted.
    function _checkReservesAtMint() internal view {
        assertTrue(!handler.mintBrokeReserves(), "mint exceeded reserves");
    }

    /// @notice No finished message is processed twice; every `MessageSent` is genuine.
    function _checkNoDoubleProcessing() internal view {
        assertTrue(!handler.processedTwice(), "message processed twice");
        assertTrue(!handler.unexpectedSentEvent(), "unexpected MessageSent");
    }
}
