// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Bound} from "./utils/Vm.sol";
import {GatewayHandlerBase, GatewayInvariantBase} from "./utils/GatewayHandlerBase.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {RegistryShare} from "../../contracts/assets/RegistryShare.sol";
import {ICrosschainAsset} from "../../contracts/interfaces/ICrosschainAsset.sol";
import {Gateway} from "../../contracts/gateway/Gateway.sol";

/// @notice The two-chain gateway campaign (`GatewayHandlerBase`) with the registry share: each
/// chain has its own investor registry, registry share and gateway. On top of the shared sends,
/// deliveries, batches, expiries and re-submissions, the handler issues on the home chain, splits
/// there and broadcasts the corporate action, and changes the registries (so deliveries are
/// refused and refunds blocked until fixed).
contract GatewayHandler is GatewayHandlerBase {
    using Bound for uint256;

    RegistryShare public immutable shareA;
    RegistryShare public immutable shareB;
    InvestorRegistry public immutable registryA;
    InvestorRegistry public immutable registryB;

    constructor(
        bytes32 assetId_,
        Gateway gwA_,
        Gateway gwB_,
        RegistryShare shareA_,
        RegistryShare shareB_,
        InvestorRegistry registryA_,
        InvestorRegistry registryB_
    ) GatewayHandlerBase(assetId_, gwA_, gwB_) {
        shareA = shareA_;
        shareB = shareB_;
        registryA = registryA_;
        registryB = registryB_;
    }

    /// @notice Investor k (0..2) owns wallets 2k and 2k+1 on both chains.
    function investorId(uint256 k) public pure returns (bytes32) {
        return keccak256(abi.encode("investor", k));
    }

    function _totalUnits(bool onA) internal view override returns (uint256) {
        return (onA ? shareA : shareB).totalUnits();
    }

    function _unitsOf(bool onA, address holder) internal view override returns (uint256) {
        return (onA ? shareA : shareB).unitsOf(holder);
    }

    function _maxWarp() internal pure override returns (uint256) {
        return 1 days;
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
        _broadcastCorporateAction();
    }

    // ------------------------------------------------------------------------------------------
    // Registrars (refused deliveries, blocked refunds)
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
}

contract GatewayInvariantTest is GatewayInvariantBase {
    GatewayHandler internal handler;
    RegistryShare internal shareA;
    RegistryShare internal shareB;
    InvestorRegistry internal registryA;
    InvestorRegistry internal registryB;

    function _handler() internal view override returns (GatewayHandlerBase) {
        return handler;
    }

    function _deploySide() internal returns (InvestorRegistry registry, RegistryShare share, Gateway gw) {
        registry = new InvestorRegistry(address(this));
        share = new RegistryShare(
            address(this), registry, "Registry Share", "RSH", _identity(IAssetIdentity.Architecture.RegistryShare)
        );
        gw = _deployGateway(ICrosschainAsset(address(share)));
        share.setGateway(address(gw));
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
    }

    function setUp() public {
        vm.warp(1_700_000_000);
        vm.chainId(CHAIN_A);
        (registryA, shareA, gwA) = _deploySide();
        vm.chainId(CHAIN_B);
        (registryB, shareB, gwB) = _deploySide();
        _connectGateways();

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
        _assertSmokeCounts();
        invariant_crosschain_conservation();
    }

    /// @notice The cross-chain invariants, checked after every handler call.
    function invariant_crosschain_conservation() public view {
        _checkHomeCounter();
        _checkGlobalSupply();
        _checkNoDoubleProcessing();
        _checkGatewaysHoldNothing();
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

    /// @notice Burn-and-mint on every chain: the gateways never hold tokens.
    function _checkGatewaysHoldNothing() internal view {
        assertEq(shareA.unitsOf(address(gwA)), 0, "gateway A holds nothing");
        assertEq(shareB.unitsOf(address(gwB)), 0, "gateway B holds nothing");
    }
}
