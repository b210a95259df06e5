// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Bound} from "./utils/Vm.sol";
import {GatewayHandlerBase, GatewayInvariantBase, SameAddressChains} from "./utils/GatewayHandlerBase.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {RegistryShare} from "../../contracts/assets/RegistryShare.sol";
import {ICrosschainAsset} from "../../contracts/interfaces/ICrosschainAsset.sol";
import {Gateway} from "../../contracts/gateway/Gateway.sol";
import {Proxies} from "./utils/Proxies.sol";

/// @notice The three-chain gateway campaign (`GatewayHandlerBase`) with the registry share: each
/// chain has its own investor registry and registry share; chains B and C share one gateway
/// address (as the deploy flow makes it). On top of the shared sends,
/// deliveries, batches, expiries and re-submissions, the handler issues on the home chain, splits
/// there and broadcasts the corporate action, and changes the registries (so deliveries are
/// refused and refunds held until released or redirected).
contract GatewayHandler is GatewayHandlerBase {
    using Bound for uint256;

    RegistryShare[3] internal _shares;
    InvestorRegistry[3] internal _registries;

    constructor(
        bytes32 assetId_,
        Gateway gwA_,
        Gateway gwBC_,
        Gateway gwA2_,
        SameAddressChains twin_,
        RegistryShare[3] memory shares_,
        InvestorRegistry[3] memory registries_
    ) GatewayHandlerBase(assetId_, gwA_, gwBC_, gwA2_, twin_) {
        _shares = shares_;
        _registries = registries_;
    }

    function _index(uint64 chainId) private pure returns (uint256) {
        return chainId - CHAIN_A;
    }

    /// @notice Investor k (0..2) owns wallets 2k and 2k+1 on both chains.
    function investorId(uint256 k) public pure returns (bytes32) {
        return keccak256(abi.encode("investor", k));
    }

    function _totalUnits(uint64 chainId) internal view override returns (uint256) {
        return _shares[_index(chainId)].totalUnits();
    }

    function _unitsOf(uint64 chainId, address holder) internal view override returns (uint256) {
        return _shares[_index(chainId)].unitsOf(holder);
    }

    function _maxWarp() internal pure override returns (uint256) {
        return 1 days;
    }

    // ------------------------------------------------------------------------------------------
    // Home chain: issuance and corporate actions
    // ------------------------------------------------------------------------------------------

    function issue(uint256 toSeed, uint256 amount) external {
        _on(CHAIN_A);
        RegistryShare shareA = _shares[0];
        uint256 before = shareA.totalUnits();
        try shareA.issue(wallet(toSeed % WALLETS), amount.bound(1, 1_000e18), "issue") {
            issued += shareA.totalUnits() - before;
        } catch {}
    }

    function splitAndBroadcast(uint256 seed) external {
        _on(CHAIN_A);
        (uint256 num, uint256 den) = seed % 2 == 0 ? (2, 1) : (1, 2);
        try _shares[0].split(num, den, "split") {} catch {}
        _broadcastCorporateAction();
    }

    // ------------------------------------------------------------------------------------------
    // Registrars (refused deliveries, blocked refunds)
    // ------------------------------------------------------------------------------------------

    function removeWallet(uint256 chainSeed, uint256 seed) external {
        uint64 chainId = _chain(chainSeed);
        _on(chainId);
        try _registries[_index(chainId)].removeWallet(wallet(seed % WALLETS)) {} catch {}
    }

    function addWallet(uint256 chainSeed, uint256 seed) external {
        uint64 chainId = _chain(chainSeed);
        _on(chainId);
        uint256 i = seed % WALLETS;
        try _registries[_index(chainId)].addWallet(investorId(i / 2), wallet(i)) {} catch {}
    }

    function setInvestorFrozen(uint256 chainSeed, uint256 seed, bool frozen) external {
        uint64 chainId = _chain(chainSeed);
        _on(chainId);
        try _registries[_index(chainId)].setInvestorFrozen(investorId(seed % 3), frozen) {} catch {}
    }
}

contract GatewayInvariantTest is GatewayInvariantBase {
    GatewayHandler internal handler;
    RegistryShare[3] internal shares;
    InvestorRegistry[3] internal registries;

    function _handler() internal view override returns (GatewayHandlerBase) {
        return handler;
    }

    function _deployAsset() internal returns (InvestorRegistry registry, RegistryShare share) {
        registry = Proxies.deployInvestorRegistry(address(this));
        share = Proxies.deployRegistryShare(
            address(this), registry, "Registry Share", "RSH", _identity(IAssetIdentity.Architecture.RegistryShare)
        );
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
    }

    function setUp() public {
        vm.warp(1_700_000_000);
        vm.chainId(CHAIN_A);
        (registries[0], shares[0]) = _deployAsset();
        gwA = _newGateway();
        _register(gwA, ICrosschainAsset(address(shares[0])));
        shares[0].setGateway(address(gwA));
        gwA2 = _newGateway(); // a redeployment of A's gateway, linked like A but not the asset's
        _register(gwA2, ICrosschainAsset(address(shares[0])));
        _deploySharedGateway();
        (registries[1], shares[1]) = _deployAsset();
        _register(gwBC, ICrosschainAsset(address(shares[1])));
        shares[1].setGateway(address(gwBC));
        _enter(CHAIN_C);
        (registries[2], shares[2]) = _deployAsset();
        _register(gwBC, ICrosschainAsset(address(shares[2])));
        shares[2].setGateway(address(gwBC));

        handler = new GatewayHandler(ASSET_ID, gwA, gwBC, gwA2, twin, shares, registries);
        _connectGateways(address(handler));
        // Chain A: all three investors; chain B: investors 0 and 1; chain C: investors 1 and 2
        // (transfers to the others' wallets there are refused and refunded).
        for (uint256 c; c < 3; ++c) {
            _enter(CHAIN_A + uint64(c));
            for (uint256 k; k < 3; ++k) {
                if ((c == 1 && k == 2) || (c == 2 && k == 0)) continue;
                bytes32 id = handler.investorId(k);
                registries[c].registerInvestor(id, 840, 1, uint64(block.timestamp + 3650 days));
                registries[c].addWallet(id, handler.wallet(2 * k));
                registries[c].addWallet(id, handler.wallet(2 * k + 1));
            }
            registries[c].grantRole(registries[c].REGISTRAR_ROLE(), address(handler));
        }
        _enter(CHAIN_A);
        shares[0].grantRole(shares[0].TRANSFER_AGENT_ROLE(), address(handler));
        targetContract(address(handler));
    }

    /// @notice Smoke test of the handler: round trips between every pair of chains (B and C at
    /// one gateway address), a refused delivery whose refund is held then released, an expiry
    /// refunded, a batch with a duplicate, a corporate action and a misdelivery all go through.
    function test_handler_actions_succeed() public {
        handler.issue(0, 100e18);
        handler.send(0, 0, 0, 2, 10e18, 1 days); // A -> B, investor 1: delivered
        handler.deliver(0, 0);
        handler.send(0, 1, 0, 0, 5e18, 1 days); // A -> C, investor 0 unknown on C: rejected
        handler.deliver(0, 1);
        handler.setInvestorFrozen(0, 0, true); // the sender is frozen on A: the refund is held
        handler.deliver(0, 2);
        handler.setInvestorFrozen(0, 0, false);
        handler.releaseHeld(0);
        handler.send(1, 0, 2, 3, 4e18, 1 days); // B -> C (one gateway address), investor 1
        handler.deliver(0, 0);
        handler.send(2, 0, 3, 1, 1e18, 1 days); // C -> A
        handler.deliverBatch(0, 0);
        handler.send(0, 0, 0, 3, 1e18, 1 hours); // A -> B, left to expire
        handler.expire(0, 0);
        handler.deliver(0, 0); // the Return of the expired transfer
        handler.send(1, 1, 2, 0, 1e18, 1 days); // B -> A: delivered
        handler.deliver(0, 0);
        handler.splitAndBroadcast(0);
        handler.deliver(0, 0);
        handler.deliver(0, 0);
        handler.resubmit(0, 0);
        handler.deliverToAnotherGateway(0, 0, true);
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

    /// @notice Global conservation across the three chains: units on A + B + C + in flight +
    /// held refunds == units issued on the home chain (nothing is lost or minted twice).
    function _checkGlobalSupply() internal view {
        assertEq(
            shares[0].totalUnits() + shares[1].totalUnits() + shares[2].totalUnits() + handler.inflightUnits()
                + handler.heldUnits(),
            handler.issued(),
            "A + B + C + in flight + held == issued"
        );
    }

    /// @notice Burn-and-mint on every chain: the gateways never hold tokens.
    function _checkGatewaysHoldNothing() internal view {
        assertEq(shares[0].unitsOf(address(gwA)), 0, "gateway A holds nothing");
        assertEq(shares[1].unitsOf(address(gwBC)), 0, "gateway B holds nothing");
        assertEq(shares[2].unitsOf(address(gwBC)), 0, "gateway C holds nothing");
    }
}
