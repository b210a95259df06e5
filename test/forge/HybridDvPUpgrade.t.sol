// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {Proxies} from "./utils/Proxies.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {ISettlementHybridDvP} from "../../contracts/interfaces/ISettlementHybridDvP.sol";
import {SuiteProxy} from "../../contracts/proxy/SuiteProxy.sol";
import {HybridDvP} from "../../contracts/settlement/HybridDvP.sol";
import {SettleMultiplierMock} from "../../contracts/test/SettleMultiplierMock.sol";
import {HybridDvPV2Mock} from "../../contracts/test/upgrades/HybridDvPV2Mock.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @notice The HybridDvP behind its UUPS proxy: its namespace sits at the ERC-7201 slot; an upgrade
/// by the admin keeps an open escrow (with the multiplier it came in at) and every used payment
/// reference, the cash agent and the EIP-712 domain, so a confirmation signed before the upgrade
/// releases the escrow after it, and a used reference is still refused; an outsider's or the cash
/// agent's upgrade, a second initialisation, an initialisation of the implementation and an upgrade
/// called on the implementation are all refused.
contract HybridDvPUpgradeTest is ForgeTest {
    event Upgraded(address indexed implementation);
    event TradeReleased(
        bytes32 indexed tradeId,
        bytes32 indexed tradeKey,
        address indexed buyer,
        uint256 quantity,
        address cashAgent,
        bytes32 paymentReference
    );

    bytes32 internal constant HYBRID_DVP_STORAGE = 0x3b7e7eb5390f908f8bac33a5c695d48647af2145b39565e219fe2289293c5600;
    uint256 internal constant AGENT_KEY = 0xCA5A;
    bytes32 internal constant USED_REFERENCE = "SWIFT-1";

    HybridDvP internal hybrid;
    SettleMultiplierMock internal asset;
    address internal agent;
    address internal seller = address(0xA11CE);
    address internal buyer = address(0xB0B);
    address internal outsider = address(0x0BAD);

    ISettlementHybridDvP.HybridTrade internal open;
    bytes32 internal openKey;
    bytes32 internal releasedKey;

    function setUp() public {
        hybrid = Proxies.deployHybridDvP(address(this));
        agent = vm.addr(AGENT_KEY);
        hybrid.grantRole(hybrid.CASH_AGENT_ROLE(), agent);
        asset = new SettleMultiplierMock();
        asset.mint(seller, 100e18);
        vm.prank(seller);
        asset.approve(address(hybrid), type(uint256).max);

        // One trade escrowed and released (its payment reference is used), one left open.
        ISettlementHybridDvP.HybridTrade memory released = _trade("released");
        vm.prank(seller);
        hybrid.escrow(released);
        releasedKey = hybrid.tradeKey(released);
        (ISettlementHybridDvP.PaymentConfirmation memory confirmation, bytes memory signature) =
            _confirm(releasedKey, USED_REFERENCE);
        hybrid.release(released, confirmation, signature);

        open = _trade("open");
        vm.prank(seller);
        hybrid.escrow(open);
        openKey = hybrid.tradeKey(open);
    }

    function test_namespace_slot_is_the_erc7201_formula_and_holds_the_state() public view {
        bytes32 formula = keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.HybridDvP")) - 1))
            & ~bytes32(uint256(0xff));
        assertEq(uint256(formula), uint256(HYBRID_DVP_STORAGE), "erc7201 slot");
        // Field 0: the escrows by trade key (state in the first byte, Escrowed = 1, then the
        // multiplier); field 1: the used payment references.
        bytes32 word = VmStorage(address(vm)).load(address(hybrid), keccak256(abi.encode(openKey, HYBRID_DVP_STORAGE)));
        assertEq(uint256(word) & 0xff, 1, "open escrow at field 0");
        assertEq(uint256(word) >> 8, 1e18, "its multiplier at escrow");
        bytes32 referenceSlot = keccak256(abi.encode(USED_REFERENCE, uint256(HYBRID_DVP_STORAGE) + 1));
        assertEq(uint256(VmStorage(address(vm)).load(address(hybrid), referenceSlot)), 1, "used reference at field 1");
    }

    function test_upgrade_keeps_the_open_escrow_the_used_reference_and_the_roles() public {
        HybridDvPV2Mock v2 = new HybridDvPV2Mock();
        vm.expectEmit();
        emit Upgraded(address(v2));
        hybrid.upgradeToAndCall(address(v2), abi.encodeCall(HybridDvPV2Mock.initializeV2, ()));
        assertTrue(hybrid.tradeKey(open) == openKey, "same trade key: same domain");
        assertTrue(hybrid.stateOf(openKey) == ISettlementHybridDvP.EscrowState.Escrowed, "still escrowed");
        assertTrue(hybrid.stateOf(releasedKey) == ISettlementHybridDvP.EscrowState.Released, "still released");
        assertTrue(hybrid.isPaymentReferenceUsed(USED_REFERENCE), "reference still used");
        assertEq(asset.balanceOf(address(hybrid)), 10e18, "the open escrow's securities");
        assertTrue(hybrid.hasRole(hybrid.DEFAULT_ADMIN_ROLE(), address(this)), "admin kept");
        assertTrue(hybrid.hasRole(hybrid.CASH_AGENT_ROLE(), agent), "cash agent kept");
        assertTrue(keccak256(bytes(HybridDvPV2Mock(address(hybrid)).version())) == keccak256("2"), "v2 live");
        assertTrue(HybridDvPV2Mock(address(hybrid)).isOpen(openKey), "v2 view reads v1's escrow");
    }

    function test_after_an_upgrade_the_open_escrow_is_released_by_a_confirmation_signed_before() public {
        (ISettlementHybridDvP.PaymentConfirmation memory confirmation, bytes memory signature) =
            _confirm(openKey, "SWIFT-2");
        hybrid.upgradeToAndCall(address(new HybridDvPV2Mock()), "");
        vm.expectEmit();
        emit TradeReleased(open.tradeId, openKey, buyer, 10e18, agent, "SWIFT-2");
        hybrid.release(open, confirmation, signature);
        assertEq(asset.balanceOf(buyer), 20e18, "both trades delivered");
        assertEq(asset.balanceOf(address(hybrid)), 0, "escrow empty");
    }

    function test_after_an_upgrade_a_split_in_escrow_is_still_rescaled() public {
        hybrid.upgradeToAndCall(address(new HybridDvPV2Mock()), "");
        asset.setMultiplier(2e18);
        (ISettlementHybridDvP.PaymentConfirmation memory confirmation, bytes memory signature) =
            _confirm(openKey, "SWIFT-2");
        hybrid.release(open, confirmation, signature);
        assertEq(asset.balanceOf(buyer), 40e18, "10 pre-split tokens of the open trade are 20, plus the first 20");
    }

    function test_after_an_upgrade_a_used_payment_reference_is_refused() public {
        hybrid.upgradeToAndCall(address(new HybridDvPV2Mock()), "");
        (ISettlementHybridDvP.PaymentConfirmation memory confirmation, bytes memory signature) =
            _confirm(openKey, USED_REFERENCE);
        vm.expectRevert(
            abi.encodeWithSelector(ISettlementHybridDvP.HybridPaymentReferenceUsed.selector, USED_REFERENCE)
        );
        hybrid.release(open, confirmation, signature);
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new HybridDvPV2Mock());
        vm.prank(outsider);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, bytes32(0))
        );
        hybrid.upgradeToAndCall(v2, "");
    }

    function test_cash_agent_cannot_upgrade() public {
        address v2 = address(new HybridDvPV2Mock());
        vm.prank(agent);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, agent, bytes32(0))
        );
        hybrid.upgradeToAndCall(v2, "");
    }

    function test_upgrade_to_a_non_uups_contract_is_refused() public {
        vm.expectRevert(abi.encodeWithSelector(ERC1967Utils.ERC1967InvalidImplementation.selector, address(asset)));
        hybrid.upgradeToAndCall(address(asset), "");
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        HybridDvP implementation = HybridDvP(
            address(uint160(uint256(VmStorage(address(vm)).load(address(hybrid), ERC1967Utils.IMPLEMENTATION_SLOT))))
        );
        address v2 = address(new HybridDvPV2Mock());
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    function test_initialize_twice_is_refused() public {
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        hybrid.initialize(outsider);
    }

    function test_implementation_cannot_be_initialised() public {
        HybridDvP implementation = new HybridDvP();
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(outsider);
    }

    function test_initialize_refuses_a_zero_admin() public {
        address implementation = address(new HybridDvP());
        vm.expectRevert(ISettlementHybridDvP.HybridZeroAdmin.selector);
        new SuiteProxy(implementation, abi.encodeCall(HybridDvP.initialize, (address(0))));
    }

    function _trade(string memory id) internal view returns (ISettlementHybridDvP.HybridTrade memory) {
        return ISettlementHybridDvP.HybridTrade({
            tradeId: keccak256(bytes(id)),
            seller: seller,
            buyer: buyer,
            asset: address(asset),
            quantity: 10e18,
            currency: "USD",
            cashAmount: 150_000,
            deadline: uint64(block.timestamp + 1 days),
            corporateActionEpoch: asset.corporateActionEpoch()
        });
    }

    function _confirm(bytes32 key, bytes32 paymentReference)
        internal
        view
        returns (ISettlementHybridDvP.PaymentConfirmation memory confirmation, bytes memory signature)
    {
        confirmation = ISettlementHybridDvP.PaymentConfirmation({
            tradeKey: key,
            amount: 150_000,
            currency: "USD",
            paymentReference: paymentReference,
            deadline: uint64(block.timestamp + 1 days)
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(AGENT_KEY, hybrid.confirmationDigest(confirmation));
        signature = abi.encodePacked(r, s, v);
    }
}
