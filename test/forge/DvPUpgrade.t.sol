// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {Proxies} from "./utils/Proxies.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {ISettlementDvP} from "../../contracts/interfaces/ISettlementDvP.sol";
import {SuiteProxy} from "../../contracts/proxy/SuiteProxy.sol";
import {DvP} from "../../contracts/settlement/DvP.sol";
import {SettleCashMock} from "../../contracts/test/SettleCashMock.sol";
import {SettleMultiplierMock} from "../../contracts/test/SettleMultiplierMock.sol";
import {DvPV2Mock} from "../../contracts/test/upgrades/DvPV2Mock.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @notice The DvP behind its UUPS proxy: its namespace sits at the ERC-7201 slot and the EIP-712
/// domain names the proxy; an upgrade by the admin keeps every trade's final state (a settled trade's
/// signatures stay unreplayable: same trade key, still final), every on-chain instruction and the
/// admin, and makes the new code live; an outsider's or a trading party's upgrade, a second
/// initialisation, an initialisation of the implementation and an upgrade called on the
/// implementation are all refused.
contract DvPUpgradeTest is ForgeTest {
    event Upgraded(address indexed implementation);

    bytes32 internal constant DVP_STORAGE = 0x8aefdbd9da6d3c304bdaeddbbe25b1d2335a4c3496a694bec28bb2046f25d800;
    uint256 internal constant ALICE_KEY = 0xA11CE;
    uint256 internal constant BOB_KEY = 0xB0B;

    DvP internal dvp;
    SettleMultiplierMock internal asset;
    SettleCashMock internal cash;
    address internal alice;
    address internal bob;
    address internal outsider = address(0x0BAD);

    ISettlementDvP.Trade internal settled;
    bytes internal settledSellerSignature;
    bytes internal settledBuyerSignature;
    ISettlementDvP.Trade internal instructed;
    bytes32 internal settledKey;

    function setUp() public {
        dvp = Proxies.deployDvP(address(this));
        asset = new SettleMultiplierMock();
        cash = new SettleCashMock();
        alice = vm.addr(ALICE_KEY);
        bob = vm.addr(BOB_KEY);
        asset.mint(alice, 100e18);
        cash.mint(bob, 1_000_000e6);
        vm.prank(alice);
        asset.approve(address(dvp), type(uint256).max);
        vm.prank(bob);
        cash.approve(address(dvp), type(uint256).max);

        settled = _trade("settled");
        settledKey = dvp.tradeKey(settled);
        settledSellerSignature = _sign(ALICE_KEY, settledKey);
        settledBuyerSignature = _sign(BOB_KEY, settledKey);
        dvp.settle(settled, settledSellerSignature, settledBuyerSignature);

        instructed = _trade("instructed");
        vm.prank(alice);
        dvp.instruct(instructed);
    }

    function test_namespace_slot_is_the_erc7201_formula_and_holds_the_state() public view {
        bytes32 formula =
            keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.DvP")) - 1)) & ~bytes32(uint256(0xff));
        assertEq(uint256(formula), uint256(DVP_STORAGE), "erc7201 slot");
        // Field 0: the records by trade key; a record's first byte is its state (Settled = 1).
        bytes32 recordSlot = keccak256(abi.encode(settledKey, DVP_STORAGE));
        assertEq(uint256(VmStorage(address(vm)).load(address(dvp), recordSlot)), 1, "settled record at field 0");
    }

    function test_the_eip712_domain_is_the_proxy_with_the_old_name_and_version() public view {
        (, string memory name, string memory version, uint256 chainId, address verifying,,) = dvp.eip712Domain();
        assertTrue(keccak256(bytes(name)) == keccak256("DvP"), "name");
        assertTrue(keccak256(bytes(version)) == keccak256("1"), "version");
        assertEq(chainId, block.chainid, "chain");
        assertTrue(verifying == address(dvp), "verifying contract is the proxy");
        bytes32 expected = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("DvP"),
                keccak256("1"),
                block.chainid,
                address(dvp)
            )
        );
        assertTrue(dvp.DOMAIN_SEPARATOR() == expected, "domain separator");
    }

    function test_upgrade_keeps_every_final_state_instruction_and_the_admin() public {
        DvPV2Mock v2 = new DvPV2Mock();
        vm.expectEmit();
        emit Upgraded(address(v2));
        dvp.upgradeToAndCall(address(v2), abi.encodeCall(DvPV2Mock.initializeV2, ()));
        assertTrue(dvp.tradeKey(settled) == settledKey, "same trade key: same domain");
        assertTrue(dvp.stateOf(settled) == ISettlementDvP.TradeState.Settled, "settled stays settled");
        (bool seller, bool buyer) = dvp.instructionsOf(instructed);
        assertTrue(seller && !buyer, "the seller's instruction kept");
        assertTrue(dvp.hasRole(dvp.DEFAULT_ADMIN_ROLE(), address(this)), "admin kept");
        assertTrue(keccak256(bytes(DvPV2Mock(address(dvp)).version())) == keccak256("2"), "v2 live");
        assertTrue(DvPV2Mock(address(dvp)).isSettled(settled), "v2 view reads v1's record");
    }

    function test_after_an_upgrade_a_settled_trade_cannot_be_replayed() public {
        dvp.upgradeToAndCall(address(new DvPV2Mock()), "");
        vm.expectRevert(
            abi.encodeWithSelector(
                ISettlementDvP.DvPTradeFinal.selector, settled.tradeId, ISettlementDvP.TradeState.Settled
            )
        );
        dvp.settle(settled, settledSellerSignature, settledBuyerSignature);
        assertEq(asset.balanceOf(bob), 10e18, "delivered once");
    }

    function test_after_an_upgrade_an_instructed_trade_settles_with_the_other_signature() public {
        dvp.upgradeToAndCall(address(new DvPV2Mock()), "");
        dvp.settle(instructed, "", _sign(BOB_KEY, dvp.tradeKey(instructed)));
        assertTrue(dvp.stateOf(instructed) == ISettlementDvP.TradeState.Settled, "settled after the upgrade");
        assertEq(asset.balanceOf(bob), 20e18, "both trades delivered");
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new DvPV2Mock());
        vm.prank(outsider);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, bytes32(0))
        );
        dvp.upgradeToAndCall(v2, "");
    }

    function test_a_trading_party_cannot_upgrade() public {
        address v2 = address(new DvPV2Mock());
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, bytes32(0))
        );
        dvp.upgradeToAndCall(v2, "");
    }

    function test_upgrade_to_a_non_uups_contract_is_refused() public {
        vm.expectRevert(abi.encodeWithSelector(ERC1967Utils.ERC1967InvalidImplementation.selector, address(cash)));
        dvp.upgradeToAndCall(address(cash), "");
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        DvP implementation =
            DvP(address(uint160(uint256(VmStorage(address(vm)).load(address(dvp), ERC1967Utils.IMPLEMENTATION_SLOT)))));
        address v2 = address(new DvPV2Mock());
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    function test_initialize_twice_is_refused() public {
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        dvp.initialize(outsider);
    }

    function test_implementation_cannot_be_initialised() public {
        DvP implementation = new DvP();
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(outsider);
    }

    function test_initialize_refuses_a_zero_admin() public {
        address implementation = address(new DvP());
        vm.expectRevert(ISettlementDvP.DvPZeroAdmin.selector);
        new SuiteProxy(implementation, abi.encodeCall(DvP.initialize, (address(0))));
    }

    function _trade(string memory id) internal view returns (ISettlementDvP.Trade memory) {
        return ISettlementDvP.Trade({
            tradeId: keccak256(bytes(id)),
            seller: alice,
            buyer: bob,
            asset: address(asset),
            quantity: 10e18,
            cashToken: address(cash),
            cashAmount: 1_500e6,
            deadline: uint64(block.timestamp + 1 days),
            corporateActionEpoch: 0
        });
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }
}
