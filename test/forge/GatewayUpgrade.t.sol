// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {Proxies} from "./utils/Proxies.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {Gateway} from "../../contracts/gateway/Gateway.sol";
import {IGateway} from "../../contracts/interfaces/IGateway.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {MockCrosschainAsset} from "../../contracts/test/MockCrosschainAsset.sol";
import {SuiteProxy} from "../../contracts/proxy/SuiteProxy.sol";
import {GatewayV2Mock} from "../../contracts/test/upgrades/GatewayV2Mock.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @notice The Gateway behind its UUPS proxy: its namespace sits at the ERC-7201 slot, an upgrade
/// by the admin keeps every figure (operators, threshold, remote gateways, processed and rejected
/// messages, nonces, rate-limit buckets, returnable and held units) and makes the new code live;
/// an outsider's upgrade, a second initialisation, an initialisation of the implementation, an
/// upgrade to a non-UUPS address and an upgrade called on the implementation are all refused.
contract GatewayUpgradeTest is ForgeTest {
    event Upgraded(address indexed implementation);
    event GatewayV2Pinged(address indexed caller, uint256 pings);

    bytes32 internal constant ASSET_ID = keccak256("AAPL");
    uint64 internal constant HERE = 31337;
    uint64 internal constant REMOTE = 31338;
    address internal constant REMOTE_GATEWAY = address(0xBEEF);
    bytes32 internal constant GATEWAY_STORAGE = 0x8e1ec84a422489524c10b2f59abc3d0010c7939dc3f6ab47577c0b63d410f300;
    uint8 internal constant REFUSED = 7;

    Gateway internal gw;
    MockCrosschainAsset internal token;
    uint256[3] internal keys = [uint256(0xA11), 0xA12, 0xA13];
    address internal holder = address(0x1001);
    address internal alice = address(0x1002);
    address internal bob = address(0x1003);
    address internal carol = address(0x1004);
    address internal outsider = address(0x0BAD);
    address internal guardian = address(0x6A4D);
    bytes32 internal rejectedId;
    bytes32 internal heldId;

    function setUp() public {
        vm.chainId(HERE);
        address[] memory operators = new address[](3);
        for (uint256 i; i < 3; ++i) {
            operators[i] = vm.addr(keys[i]);
        }
        gw = Proxies.deployGateway(address(this), operators, 2);
        gw.grantRole(gw.PAUSER_ROLE(), guardian);
        token = new MockCrosschainAsset(address(this), _identity());
        token.setGateway(address(gw));
        gw.registerAsset(ASSET_ID, "US0378331005", token);
        gw.setRemoteGateway(REMOTE, REMOTE_GATEWAY);
        gw.setRateLimit(ASSET_ID, false, 1000, 1);
        gw.setMinimumSend(ASSET_ID, 2);

        // Outbound: 300 units sent to REMOTE (nonce 0), returnable from there; the bucket is at 700.
        token.mint(holder, 500);
        vm.prank(holder);
        gw.send(ASSET_ID, REMOTE, alice, 300, uint64(block.timestamp + 1 days));
        // Inbound nonce 0: delivered to alice.
        gw.receiveMessage(_transfer(0, alice, 50), _attest(_transfer(0, alice, 50)));
        // Inbound nonce 1: bob is refused, so it is rejected and a Return goes out (nonce 1).
        token.setRestriction(bob, REFUSED);
        IGateway.Message memory refused = _transfer(1, bob, 20);
        rejectedId = gw.messageId(refused);
        gw.receiveMessage(refused, _attest(refused));
        // Inbound nonce 2: a Return of 40 to carol, who is refused: held for her.
        token.setRestriction(carol, REFUSED);
        IGateway.Message memory back = _message(2, uint8(IGateway.MessageKind.Return), carol, 40);
        heldId = gw.messageId(back);
        gw.receiveMessage(back, _attest(back));
    }

    // ------------------------------------------------------------------------------------------
    // Layout
    // ------------------------------------------------------------------------------------------

    function test_namespace_slot_is_the_erc7201_formula_and_holds_the_state() public {
        bytes32 formula =
            keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.Gateway")) - 1)) & ~bytes32(uint256(0xff));
        assertEq(uint256(formula), uint256(GATEWAY_STORAGE), "erc7201 slot");
        // Field 4 packs the nonce (64 bits: two messages sent, the Transfer and the Return), the
        // operator count (32), the threshold (32) and the pause flag.
        bytes32 word = VmStorage(address(vm)).load(address(gw), bytes32(uint256(GATEWAY_STORAGE) + 4));
        assertEq(uint256(word), 2 | (uint256(3) << 64) | (uint256(2) << 96), "nonce, count, threshold at slot + 4");
        vm.prank(guardian);
        gw.pause();
        word = VmStorage(address(vm)).load(address(gw), bytes32(uint256(GATEWAY_STORAGE) + 4));
        assertEq(uint256(word) >> 128, 1, "pause flag at slot + 4");
    }

    function test_proxy_points_at_the_implementation() public view {
        address implementation =
            address(uint160(uint256(VmStorage(address(vm)).load(address(gw), ERC1967Utils.IMPLEMENTATION_SLOT))));
        assertTrue(implementation != address(0) && implementation != address(gw), "implementation slot set");
        assertEq(uint256(Gateway(implementation).proxiableUUID()), uint256(ERC1967Utils.IMPLEMENTATION_SLOT), "uups");
    }

    // ------------------------------------------------------------------------------------------
    // Upgrade
    // ------------------------------------------------------------------------------------------

    function test_upgrade_keeps_every_figure() public {
        bytes memory before = _figures();
        _checkFigures();
        GatewayV2Mock v2 = new GatewayV2Mock();
        vm.expectEmit();
        emit Upgraded(address(v2));
        gw.upgradeToAndCall(address(v2), "");
        assertTrue(keccak256(_figures()) == keccak256(before), "every figure unchanged");
        _checkFigures();
    }

    function test_upgrade_makes_v2_live_and_v1_behaviour_goes_on() public {
        gw.upgradeToAndCall(address(new GatewayV2Mock()), "");
        GatewayV2Mock upgraded = GatewayV2Mock(address(gw));
        assertTrue(keccak256(bytes(upgraded.version())) == keccak256("2"), "version 2");
        vm.expectEmit();
        emit GatewayV2Pinged(outsider, 1);
        vm.prank(outsider);
        assertEq(upgraded.ping(), 1, "first ping");
        assertEq(upgraded.pings(), 1, "v2 state");
        // v1 behaviour with v1 state: a delivery with the same attestation domain, the held refund
        // paid once carol is accepted, a send with the next nonce from the same bucket.
        gw.receiveMessage(_transfer(3, alice, 5), _attest(_transfer(3, alice, 5)));
        assertEq(token.unitsOf(alice), 55, "alice received twice");
        token.setRestriction(carol, 0);
        gw.releaseHeldRefund(heldId);
        assertEq(token.unitsOf(carol), 40, "held refund paid");
        assertEq(gw.heldRefundUnits(ASSET_ID), 0, "nothing held");
        vm.prank(holder);
        gw.send(ASSET_ID, REMOTE, alice, 100, uint64(block.timestamp + 1 days));
        assertEq(gw.nextNonce(), 3, "nonce continues");
        assertEq(gw.rateLimitAvailable(ASSET_ID, false), 600, "bucket continues");
        assertEq(gw.returnableUnits(ASSET_ID, REMOTE), 360, "returnable continues");
        assertEq(upgraded.pings(), 1, "v2 state untouched by v1 calls");
    }

    function test_upgrade_with_a_call_runs_it_on_the_new_code() public {
        gw.upgradeToAndCall(address(new GatewayV2Mock()), abi.encodeCall(GatewayV2Mock.ping, ()));
        assertEq(GatewayV2Mock(address(gw)).pings(), 1, "ping ran in the upgrade");
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new GatewayV2Mock());
        vm.prank(outsider);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, bytes32(0))
        );
        gw.upgradeToAndCall(v2, "");
    }

    function test_pauser_cannot_upgrade() public {
        address v2 = address(new GatewayV2Mock());
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, bytes32(0))
        );
        gw.upgradeToAndCall(v2, "");
    }

    function test_upgrade_to_a_non_uups_contract_is_refused() public {
        vm.expectRevert(abi.encodeWithSelector(ERC1967Utils.ERC1967InvalidImplementation.selector, address(token)));
        gw.upgradeToAndCall(address(token), "");
    }

    /// @dev The `proxiableUUID` probe of an address without code reverts before OZ's check can
    /// name it (Solidity checks the code size of a call's target first): refused without data.
    function test_upgrade_to_an_account_without_code_is_refused() public {
        vm.expectRevert(bytes(""));
        gw.upgradeToAndCall(outsider, "");
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        Gateway implementation = Gateway(
            address(uint160(uint256(VmStorage(address(vm)).load(address(gw), ERC1967Utils.IMPLEMENTATION_SLOT))))
        );
        address v2 = address(new GatewayV2Mock());
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    // ------------------------------------------------------------------------------------------
    // Initialisation
    // ------------------------------------------------------------------------------------------

    function test_initialize_twice_is_refused() public {
        address[] memory operators = new address[](1);
        operators[0] = outsider;
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        gw.initialize(outsider, operators, 1);
    }

    function test_implementation_cannot_be_initialised() public {
        Gateway implementation = new Gateway();
        address[] memory operators = new address[](1);
        operators[0] = outsider;
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(outsider, operators, 1);
    }

    function test_initialize_keeps_the_constructor_checks() public {
        address implementation = address(new Gateway());
        address[] memory operators = new address[](2);
        operators[0] = outsider;
        operators[1] = outsider;
        vm.expectRevert(abi.encodeWithSelector(IGateway.GatewayOperatorAlreadySet.selector, outsider, true));
        new SuiteProxy(implementation, abi.encodeCall(Gateway.initialize, (address(this), operators, 1)));
        operators[1] = guardian;
        vm.expectRevert(abi.encodeWithSelector(IGateway.GatewayInvalidThreshold.selector, 3, 2));
        new SuiteProxy(implementation, abi.encodeCall(Gateway.initialize, (address(this), operators, 3)));
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    /// @dev The figures the set-up left, checked one by one.
    function _checkFigures() internal view {
        (uint256 count, uint256 threshold) = gw.operatorSet();
        assertEq(count, 3, "operators");
        assertEq(threshold, 2, "threshold");
        for (uint256 i; i < 3; ++i) {
            assertTrue(gw.isOperator(vm.addr(keys[i])), "operator kept");
        }
        assertTrue(gw.remoteGateway(REMOTE) == REMOTE_GATEWAY, "remote gateway");
        assertEq(uint8(gw.inboundState(REMOTE, 0)), uint8(IGateway.MessageState.Delivered), "nonce 0 delivered");
        assertEq(uint8(gw.inboundState(REMOTE, 1)), uint8(IGateway.MessageState.Rejected), "nonce 1 rejected");
        assertEq(uint8(gw.inboundState(REMOTE, 2)), uint8(IGateway.MessageState.Rejected), "nonce 2 held");
        assertEq(uint8(gw.inboundState(REMOTE, 3)), uint8(IGateway.MessageState.None), "nonce 3 unseen");
        assertEq(gw.rejectionCode(rejectedId), REFUSED, "rejection code");
        assertEq(gw.nextNonce(), 2, "outbound nonce");
        assertEq(gw.rateLimitAvailable(ASSET_ID, false), 700, "outbound bucket");
        assertEq(gw.minimumSend(ASSET_ID), 2, "minimum send");
        assertEq(gw.returnableUnits(ASSET_ID, REMOTE), 260, "returnable: 300 sent, 40 returned");
        assertEq(gw.heldRefundUnits(ASSET_ID), 40, "held units");
        (bytes32 assetId, address heldFor, uint256 units) = gw.heldRefund(heldId);
        assertTrue(assetId == ASSET_ID && heldFor == carol && units == 40, "held refund");
        assertTrue(gw.hasRole(gw.DEFAULT_ADMIN_ROLE(), address(this)), "admin");
        assertTrue(gw.hasRole(gw.PAUSER_ROLE(), guardian), "pauser");
    }

    /// @dev Every view of the set-up's state, encoded (compared before and after an upgrade).
    function _figures() internal view returns (bytes memory) {
        (uint256 count, uint256 threshold) = gw.operatorSet();
        (bytes32 assetId, address heldFor, uint256 units) = gw.heldRefund(heldId);
        (address registered, uint256 home) = gw.asset(ASSET_ID);
        return bytes.concat(
            abi.encode(count, threshold, gw.remoteGateway(REMOTE), gw.nextNonce(), gw.rejectionCode(rejectedId)),
            abi.encode(gw.inboundState(REMOTE, 0), gw.inboundState(REMOTE, 1), gw.inboundState(REMOTE, 2)),
            abi.encode(gw.rateLimit(ASSET_ID, false), gw.rateLimit(ASSET_ID, true), gw.minimumSend(ASSET_ID)),
            abi.encode(gw.returnableUnits(ASSET_ID, REMOTE), gw.heldRefundUnits(ASSET_ID), assetId, heldFor, units),
            abi.encode(registered, home, gw.supplyElsewhere(ASSET_ID), gw.attestationDigest(_transfer(9, alice, 1)))
        );
    }

    function _transfer(uint64 nonce, address to, uint256 units) internal view returns (IGateway.Message memory) {
        return _message(nonce, uint8(IGateway.MessageKind.Transfer), to, units);
    }

    function _message(uint64 nonce, uint8 kind, address to, uint256 units)
        internal
        view
        returns (IGateway.Message memory)
    {
        return IGateway.Message({
            version: 2,
            kind: kind,
            srcChainId: REMOTE,
            dstChainId: HERE,
            srcGateway: REMOTE_GATEWAY,
            dstGateway: address(gw),
            nonce: nonce,
            assetId: ASSET_ID,
            sender: holder,
            recipient: to,
            units: units,
            corporateActionEpoch: 0,
            expiry: kind == uint8(IGateway.MessageKind.Transfer) ? uint64(block.timestamp + 1 hours) : type(uint64).max,
            ref: bytes32(0)
        });
    }

    /// @dev Two operator signatures, ordered by ascending signer address.
    function _attest(IGateway.Message memory m) internal view returns (bytes[] memory sigs) {
        bytes32 digest = gw.attestationDigest(m);
        (uint256 first, uint256 second) = vm.addr(keys[0]) < vm.addr(keys[1]) ? (keys[0], keys[1]) : (keys[1], keys[0]);
        sigs = new bytes[](2);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(first, digest);
        sigs[0] = abi.encodePacked(r, s, v);
        (v, r, s) = vm.sign(second, digest);
        sigs[1] = abi.encodePacked(r, s, v);
    }

    function _identity() internal pure returns (IAssetIdentity.IdentityParams memory) {
        return IAssetIdentity.IdentityParams({
            assetId: ASSET_ID,
            isin: "US0378331005",
            ticker: "AAPL",
            architecture: IAssetIdentity.Architecture.RegistryShare,
            homeChainId: REMOTE,
            termsURI: "ipfs://terms",
            termsHash: keccak256("terms"),
            dti: bytes9("4H95J0R2X")
        });
    }
}
