// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest, Vm, Bound} from "./utils/Vm.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {RegistryShare} from "../../contracts/assets/RegistryShare.sol";
import {TrackerCertificate} from "../../contracts/assets/TrackerCertificate.sol";
import {ITrackerCertificateTypes} from "../../contracts/interfaces/ITrackerCertificate.sol";
import {OrderDesk} from "../../contracts/assets/OrderDesk.sol";
import {OrderToken} from "../../contracts/assets/OrderToken.sol";
import {IOrderDesk} from "../../contracts/interfaces/IOrderDesk.sol";
import {IOrderToken} from "../../contracts/interfaces/IOrderToken.sol";
import {ICrosschainAsset} from "../../contracts/interfaces/ICrosschainAsset.sol";
import {IGateway} from "../../contracts/interfaces/IGateway.sol";
import {AggregatorV3Interface} from "../../contracts/interfaces/AggregatorV3Interface.sol";
import {Gateway} from "../../contracts/gateway/Gateway.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {AttestedFeed} from "../../contracts/feeds/AttestedFeed.sol";
import {MockStablecoin} from "../../contracts/test/MockStablecoin.sol";
import {Proxies} from "./utils/Proxies.sol";

/// @notice The three assets of one chain behind one gateway, and an attacker who is a verified
/// investor with cash, holds one compromised operator key (threshold is 2 of 3) and can obtain
/// honest operator attestations made for *another* gateway. It calls every mint-like path.
struct Suite {
    RegistryShare share;
    TrackerCertificate cert;
    OrderToken orderToken;
    OrderDesk desk;
    Gateway gateway;
    Gateway otherGateway;
}

/// @notice Attacker actions: direct mints without a role (`issue`, `mint`, `crosschainMint` of
/// each asset), gateway deliveries of forged Transfer and Return messages (non-operator keys,
/// one operator only, a duplicated operator signature, operator + outsider, honest operator
/// attestations for another gateway's domain, a wrong source gateway), forged batches, and desk
/// buys on quotes signed by the attacker's own key. Any call that does not revert is recorded.
contract AttackerHandler {
    using Bound for uint256;

    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    address public constant ATTACKER = address(0xA77AC);
    uint256 public constant ATTACKER_KEY_1 = 0xA1;
    uint256 public constant ATTACKER_KEY_2 = 0xA2;
    uint256 public constant OPERATOR_KEY_BASE = 0x0E00; // operators 0x0E00..0x0E02; 0x0E00 is compromised
    uint64 public constant CHAIN_B = 31338;

    RegistryShare public immutable share;
    TrackerCertificate public immutable cert;
    OrderToken public immutable orderToken;
    OrderDesk public immutable desk;
    Gateway public immutable gateway;
    Gateway public immutable otherGateway;

    bool public breached;
    string public breachedBy;
    uint256 public attempts;

    constructor(Suite memory suite) {
        share = suite.share;
        cert = suite.cert;
        orderToken = suite.orderToken;
        desk = suite.desk;
        gateway = suite.gateway;
        otherGateway = suite.otherGateway;
    }

    function _breach(string memory what) private {
        breached = true;
        breachedBy = what;
    }

    function _asset(uint256 which) private view returns (ICrosschainAsset) {
        uint256 k = which % 3;
        return k == 0
            ? ICrosschainAsset(address(share))
            : k == 1 ? ICrosschainAsset(address(cert)) : ICrosschainAsset(address(orderToken));
    }

    // ------------------------------------------------------------------------------------------
    // Direct mints without a role
    // ------------------------------------------------------------------------------------------

    function issue(uint256 amount) external {
        attempts++;
        vm.prank(ATTACKER);
        try share.issue(ATTACKER, amount.bound(1, 1e24), "self-issue") {
            _breach("issue");
        } catch {}
    }

    function mintCertificate(uint256 amount) external {
        attempts++;
        vm.prank(ATTACKER);
        try cert.mint(ATTACKER, amount.bound(1, 1e24)) {
            _breach("cert.mint");
        } catch {}
    }

    function mintOrderToken(uint256 amount) external {
        attempts++;
        vm.prank(ATTACKER);
        try orderToken.mint(ATTACKER, amount.bound(1, 1e24)) {
            _breach("orderToken.mint");
        } catch {}
    }

    function crosschainMint(uint256 which, uint256 units) external {
        attempts++;
        vm.prank(ATTACKER);
        try _asset(which).crosschainMint(ATTACKER, units.bound(1, 1e24)) {
            _breach("crosschainMint");
        } catch {}
    }

    // ------------------------------------------------------------------------------------------
    // Forged gateway deliveries
    // ------------------------------------------------------------------------------------------

    function _forged(uint256 which, bool isReturn, uint256 units, uint64 nonce, bool fromUnknownChain)
        private
        view
        returns (IGateway.Message memory)
    {
        return IGateway.Message({
            version: 2,
            kind: isReturn ? uint8(IGateway.MessageKind.Return) : uint8(IGateway.MessageKind.Transfer),
            srcChainId: fromUnknownChain ? 31339 : CHAIN_B,
            dstChainId: uint64(block.chainid),
            srcGateway: address(0xB0B),
            dstGateway: address(gateway),
            nonce: nonce,
            assetId: _asset(which).assetId(),
            sender: ATTACKER,
            recipient: ATTACKER,
            units: units.bound(1, 500e18), // within what legitimately left: only the attestation refuses it
            corporateActionEpoch: 0,
            expiry: uint64(block.timestamp + 1 days),
            ref: bytes32(0)
        });
    }

    function _sig(uint256 key, bytes32 digest) private pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev Two signatures ordered by signer address (so ordering is never why they fail).
    function _pair(uint256 keyA, uint256 keyB, bytes32 digest) private pure returns (bytes[] memory sigs) {
        if (vm.addr(keyA) > vm.addr(keyB)) (keyA, keyB) = (keyB, keyA);
        sigs = new bytes[](2);
        sigs[0] = _sig(keyA, digest);
        sigs[1] = _sig(keyB, digest);
    }

    /// @param variant 0: two attacker keys; 1: the compromised operator alone; 2: its signature
    /// twice; 3: compromised operator + attacker key; 4: the two honest operators' attestations
    /// made for another gateway; 5: all three operators but for a chain with no remote gateway.
    function forgeReceive(uint256 which, bool isReturn, uint256 units, uint64 nonce, uint256 variant) external {
        attempts++;
        uint256 v = variant % 6;
        IGateway.Message memory m = _forged(which, isReturn, units, nonce, v == 5);
        bytes[] memory sigs = _signatures(m, v);
        vm.prank(ATTACKER);
        try gateway.receiveMessage(m, sigs) {
            _breach("receiveMessage");
        } catch {}
    }

    function forgeBatch(uint256 which, uint256 units, uint64 nonce, uint256 variant) external {
        attempts++;
        uint256 v = variant % 6;
        IGateway.Message[] memory batch = new IGateway.Message[](2);
        bytes[][] memory sigs = new bytes[][](2);
        batch[0] = _forged(which, false, units, nonce, v == 5);
        batch[1] = _forged(which % 3 + 1, true, units, nonce == type(uint64).max ? 0 : nonce + 1, v == 5);
        sigs[0] = _signatures(batch[0], v);
        sigs[1] = _signatures(batch[1], v);
        vm.prank(ATTACKER);
        try gateway.receiveBatch(batch, sigs) {
            _breach("receiveBatch");
        } catch {}
    }

    function _signatures(IGateway.Message memory m, uint256 v) private view returns (bytes[] memory sigs) {
        bytes32 digest = gateway.attestationDigest(m);
        if (v == 0) return _pair(ATTACKER_KEY_1, ATTACKER_KEY_2, digest);
        if (v == 1) {
            sigs = new bytes[](1);
            sigs[0] = _sig(OPERATOR_KEY_BASE, digest);
            return sigs;
        }
        if (v == 2) {
            sigs = new bytes[](2);
            sigs[0] = _sig(OPERATOR_KEY_BASE, digest);
            sigs[1] = sigs[0];
            return sigs;
        }
        if (v == 3) return _pair(OPERATOR_KEY_BASE, ATTACKER_KEY_1, digest);
        if (v == 4) return _pair(OPERATOR_KEY_BASE + 1, OPERATOR_KEY_BASE + 2, otherGateway.attestationDigest(m));
        // v == 5: a chain the gateway does not know: every operator signs, still refused.
        sigs = new bytes[](3);
        uint256[3] memory keys = [OPERATOR_KEY_BASE, OPERATOR_KEY_BASE + 1, OPERATOR_KEY_BASE + 2];
        for (uint256 i; i < 3; ++i) {
            for (uint256 j = i + 1; j < 3; ++j) {
                if (vm.addr(keys[j]) < vm.addr(keys[i])) (keys[i], keys[j]) = (keys[j], keys[i]);
            }
        }
        for (uint256 i; i < 3; ++i) {
            sigs[i] = _sig(keys[i], digest);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Forged desk quotes
    // ------------------------------------------------------------------------------------------

    function forgeBuy(uint256 quantity, uint256 quoteId) external {
        attempts++;
        IOrderDesk.Quote memory q = IOrderDesk.Quote({
            assetId: orderToken.assetId(),
            side: IOrderDesk.Side.Buy,
            quantity: quantity.bound(1e15, 1e21),
            price: 200e6,
            investorId: keccak256("attacker"),
            chainId: block.chainid,
            quoteId: quoteId,
            expiry: block.timestamp + 1 hours
        });
        bytes memory sig = _sig(ATTACKER_KEY_1, desk.quoteDigest(q));
        vm.prank(ATTACKER);
        try desk.buy(q, sig, type(uint256).max) {
            _breach("desk.buy");
        } catch {}
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + seconds_.bound(1, 1 days));
    }
}

contract NoUnauthorisedMintInvariantTest is ForgeTest {
    uint64 internal constant CHAIN_B = 31338;
    address internal constant HOLDER = address(0x401D);

    InvestorRegistry internal registry;
    SanctionsList internal sanctions;
    AttestedFeed internal reserveFeed;
    AttestedFeed internal priceFeed;
    MockStablecoin internal cash;
    Suite internal suite;
    AttackerHandler internal handler;

    uint256 internal shareUnits;
    uint256 internal certUnits;
    uint256 internal orderSupply;
    uint256[3] internal elsewhere;

    function _legitimateBuy(uint256 quantity) internal {
        IOrderDesk.Quote memory q = IOrderDesk.Quote({
            assetId: suite.orderToken.assetId(),
            side: IOrderDesk.Side.Buy,
            quantity: quantity,
            price: 200e6,
            investorId: keccak256("holder"),
            chainId: block.chainid,
            quoteId: 1_000_000,
            expiry: block.timestamp + 1 hours
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(0x5160, suite.desk.quoteDigest(q));
        cash.mint(HOLDER, 1e12);
        vm.startPrank(HOLDER);
        cash.approve(address(suite.desk), type(uint256).max);
        suite.desk.buy(q, abi.encodePacked(r, s, v), type(uint256).max);
        vm.stopPrank();
    }

    function _identity(string memory isin, IAssetIdentity.Architecture architecture)
        internal
        view
        returns (IAssetIdentity.IdentityParams memory)
    {
        return IAssetIdentity.IdentityParams({
            assetId: keccak256(bytes(isin)),
            isin: isin,
            ticker: "TICK",
            architecture: architecture,
            homeChainId: block.chainid,
            termsURI: "ipfs://terms",
            termsHash: keccak256("terms"),
            dti: bytes9("4H95J0R2X")
        });
    }

    function _gateway() internal returns (Gateway gw) {
        address[] memory operators = new address[](3);
        for (uint256 i; i < 3; ++i) {
            operators[i] = vm.addr(0x0E00 + i);
        }
        gw = Proxies.deployGateway(address(this), operators, 2);
        gw.setRemoteGateway(CHAIN_B, address(0xB0B));
    }

    function setUp() public {
        vm.warp(1_700_000_000);
        registry = Proxies.deployInvestorRegistry(address(this));
        sanctions = Proxies.deploySanctionsList(address(this));
        reserveFeed = new AttestedFeed(address(this), 18, "reserves");
        priceFeed = new AttestedFeed(address(this), 8, "price");
        reserveFeed.grantRole(reserveFeed.REPORTER_ROLE(), address(this));
        priceFeed.grantRole(priceFeed.REPORTER_ROLE(), address(this));
        reserveFeed.report(1e30); // plenty of reserves: only the role stands in the way
        priceFeed.report(200e8);
        cash = new MockStablecoin();

        suite.gateway = _gateway();
        suite.otherGateway = _gateway();
        suite.share = Proxies.deployRegistryShare(
            address(this),
            registry,
            "Share",
            "SHR",
            _identity("US0378331005", IAssetIdentity.Architecture.RegistryShare)
        );
        suite.cert = Proxies.deployTrackerCertificate(
            _identity("US5949181045", IAssetIdentity.Architecture.TrackerCertificate),
            ITrackerCertificateTypes.CertificateConfig({
                name: "Cert",
                symbol: "CRT",
                admin: address(this),
                sanctionsList: address(sanctions),
                reserveFeed: address(reserveFeed),
                reserveHeartbeat: 365 days
            })
        );
        sanctions.addSubscriber(address(suite.cert));
        suite.desk = Proxies.deployOrderDesk(address(this), registry);
        suite.desk.initializeCash(cash);
        suite.orderToken = Proxies.deployOrderToken(
            address(this),
            "Order",
            "ORD",
            _identity("US88160R1014", IAssetIdentity.Architecture.MintOnOrder),
            address(suite.desk),
            registry,
            sanctions
        );
        suite.desk
            .listAsset(
                IOrderToken(address(suite.orderToken)),
                AggregatorV3Interface(address(priceFeed)),
                500,
                365 days,
                0,
                0,
                0
            );
        suite.desk.addSigner(vm.addr(0x5160));
        suite.desk.setGlobalRateLimit(type(uint128).max / 2, 1e12);
        suite.desk.setInvestorRateLimit(type(uint128).max / 2, 1e12);

        ICrosschainAsset[3] memory assets = [
            ICrosschainAsset(address(suite.share)),
            ICrosschainAsset(address(suite.cert)),
            ICrosschainAsset(address(suite.orderToken))
        ];
        string[3] memory isins = ["US0378331005", "US5949181045", "US88160R1014"];
        for (uint256 i; i < 3; ++i) {
            suite.gateway.registerAsset(assets[i].assetId(), isins[i], assets[i]);
            suite.otherGateway.registerAsset(assets[i].assetId(), isins[i], assets[i]);
        }
        suite.share.setGateway(address(suite.gateway));
        suite.cert.setGateway(address(suite.gateway));
        suite.orderToken.setGateway(address(suite.gateway));

        // The attacker is a verified investor with cash; a legitimate holder owns some supply.
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.registerInvestor(keccak256("attacker"), 840, 1, uint64(block.timestamp + 3650 days));
        registry.registerInvestor(keccak256("holder"), 840, 1, uint64(block.timestamp + 3650 days));
        handler = new AttackerHandler(suite);
        registry.addWallet(keccak256("attacker"), handler.ATTACKER());
        registry.addWallet(keccak256("holder"), HOLDER);
        cash.mint(handler.ATTACKER(), 1e18);
        vm.prank(handler.ATTACKER());
        cash.approve(address(suite.desk), type(uint256).max);
        suite.share.grantRole(suite.share.TRANSFER_AGENT_ROLE(), address(this));
        suite.share.issue(HOLDER, 2_000e18, "initial");
        suite.cert.grantRole(suite.cert.MINTER_ROLE(), address(this));
        suite.cert.mint(HOLDER, 2_000e18);
        _legitimateBuy(2_000e18);
        // 1,000 units of each asset legitimately left for chain B: the home gateway could mint
        // them back, so a forged delivery is refused by its attestation alone.
        for (uint256 i; i < 3; ++i) {
            bytes32 id = assets[i].assetId();
            vm.prank(HOLDER);
            suite.gateway.send(id, CHAIN_B, HOLDER, 1_000e18, uint64(block.timestamp + 1 days));
            elsewhere[i] = suite.gateway.supplyElsewhere(id);
        }

        shareUnits = suite.share.totalUnits();
        certUnits = suite.cert.totalUnits();
        orderSupply = suite.orderToken.totalSupply();
        targetContract(address(handler));
    }

    /// @notice Smoke test: each attack is attempted and refused (none breaches).
    function test_every_attack_is_refused() public {
        handler.issue(1e18);
        handler.mintCertificate(1e18);
        handler.mintOrderToken(1e18);
        for (uint256 which; which < 3; ++which) {
            handler.crosschainMint(which, 1e18);
            for (uint256 variant; variant < 6; ++variant) {
                handler.forgeReceive(which, false, 1e18, uint64(variant), variant);
                handler.forgeReceive(which, true, 1e18, uint64(variant), variant);
                handler.forgeBatch(which, 1e18, uint64(variant), variant);
            }
        }
        handler.forgeBuy(1e18, 1);
        assertEq(handler.attempts(), 61, "attempts");
        invariant_no_unauthorised_mint();
    }

    /// @notice Positive control: the same forged message, attested by two honest operators for
    /// this gateway, does mint. So the refusals above come from the attestation, not the harness.
    function test_control_honest_attestation_mints() public {
        IGateway.Message memory m = IGateway.Message({
            version: 2,
            kind: uint8(IGateway.MessageKind.Transfer),
            srcChainId: CHAIN_B,
            dstChainId: uint64(block.chainid),
            srcGateway: address(0xB0B),
            dstGateway: address(suite.gateway),
            nonce: 7,
            assetId: suite.share.assetId(),
            sender: handler.ATTACKER(),
            recipient: handler.ATTACKER(),
            units: 1e18,
            corporateActionEpoch: 0,
            expiry: uint64(block.timestamp + 1 days),
            ref: bytes32(0)
        });
        bytes32 digest = suite.gateway.attestationDigest(m);
        uint256 keyA = 0x0E01;
        uint256 keyB = 0x0E02;
        if (vm.addr(keyA) > vm.addr(keyB)) (keyA, keyB) = (keyB, keyA);
        bytes[] memory sigs = new bytes[](2);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(keyA, digest);
        sigs[0] = abi.encodePacked(r, s, v);
        (v, r, s) = vm.sign(keyB, digest);
        sigs[1] = abi.encodePacked(r, s, v);
        suite.gateway.receiveMessage(m, sigs);
        assertEq(suite.share.balanceOf(handler.ATTACKER()), 1e18, "honestly attested delivery mints");
    }

    /// @notice No unauthorised mint anywhere: whatever the attacker calls, the supply of every
    /// asset stays what the legitimate setup minted, the attacker holds nothing, the home
    /// gateway's `supplyElsewhere` stays what legitimately left, and no attacker call succeeded.
    function invariant_no_unauthorised_mint() public view {
        assertEq(suite.share.totalUnits(), shareUnits, "registry share supply unchanged");
        assertEq(suite.cert.totalUnits(), certUnits, "certificate supply unchanged");
        assertEq(suite.orderToken.totalSupply(), orderSupply, "order token supply unchanged");
        address attacker = handler.ATTACKER();
        assertEq(suite.share.balanceOf(attacker), 0, "attacker holds no share");
        assertEq(suite.cert.balanceOf(attacker), 0, "attacker holds no certificate");
        assertEq(suite.orderToken.balanceOf(attacker), 0, "attacker holds no order token");
        for (uint256 i; i < 3; ++i) {
            bytes32 id = [suite.share.assetId(), suite.cert.assetId(), suite.orderToken.assetId()][i];
            assertEq(suite.gateway.supplyElsewhere(id), elsewhere[i], "supplyElsewhere unchanged");
        }
        if (handler.breached()) revert AssertionFalse(handler.breachedBy());
    }
}
