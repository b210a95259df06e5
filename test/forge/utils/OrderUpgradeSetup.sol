// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OrderDeskSetup} from "./OrderDeskSetup.sol";
import {Proxies} from "./Proxies.sol";
import {VmStorage} from "./GatewayHandlerBase.sol";
import {OrderVault} from "../../../contracts/assets/OrderVault.sol";
import {IOrderDesk} from "../../../contracts/interfaces/IOrderDesk.sol";
import {IOrderToken} from "../../../contracts/interfaces/IOrderToken.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @notice The state the mint-on-order upgrade tests carry across an upgrade: alice bought on the
/// desk (a quote id executed, the desk-wide and her investor rate limits drawn down, her tokens
/// minted), then asked the ERC-7540 vault for a deposit and a redemption, both still Pending; the
/// compliance officer froze some of her tokens and bob's wallet. This test contract is the admin.
abstract contract OrderUpgradeSetup is OrderDeskSetup {
    uint256 internal constant SIGNER_KEY = 0x5160;
    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);
    address internal constant OUTSIDER = address(0x0BAD);
    address internal constant OFFICER = address(0x0FF1CE);
    address internal constant EXECUTOR = address(0xE7EC);
    address internal constant TREASURY = address(0x7EA5);
    bytes32 internal constant ALICE_ID = keccak256("alice");
    uint256 internal constant PRICE = 200e6;
    uint256 internal constant BOUGHT = 10e18;
    uint256 internal constant PENDING_DEPOSIT = 1_000e6;
    uint256 internal constant PENDING_REDEEM = 2e18;
    uint256 internal constant FROZEN = 1e18;
    uint256 internal constant QUOTE_ID = 7;

    OrderVault internal vault;

    function _deployAndTrade() internal {
        vm.warp(1_700_000_000);
        _deployDeskAndToken();
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.registerInvestor(ALICE_ID, 840, 1, uint64(block.timestamp + 3650 days));
        registry.addWallet(ALICE_ID, ALICE);
        desk.addSigner(vm.addr(SIGNER_KEY));
        desk.setGlobalRateLimit(1_000_000e6, 1e6);
        desk.setInvestorRateLimit(500_000e6, 1e6);
        desk.setBufferLimits(1_000e6, 100_000e6, 10e6);
        desk.grantRole(desk.EXECUTOR_ROLE(), EXECUTOR);
        desk.grantRole(desk.TREASURY_ROLE(), TREASURY);
        token.grantRole(token.COMPLIANCE_ROLE(), OFFICER);

        vault = Proxies.deployOrderVault(address(this), cash, IOrderToken(address(token)));
        desk.setVault(token.assetId(), address(cash), address(vault));
        vault.setRateLimit(1_000_000e6, 1e6);
        vault.grantRole(vault.EXECUTOR_ROLE(), EXECUTOR);

        cash.mint(ALICE, 100_000e6);
        vm.startPrank(ALICE);
        cash.approve(address(desk), type(uint256).max);
        cash.approve(address(vault), type(uint256).max);
        token.approve(address(vault), type(uint256).max);
        desk.buy(_buyQuote(), _sign(_buyQuote()), type(uint256).max);
        vault.requestDeposit(PENDING_DEPOSIT, ALICE, ALICE);
        vault.requestRedeem(PENDING_REDEEM, ALICE, ALICE);
        vm.stopPrank();

        vm.startPrank(OFFICER);
        token.setFrozenTokens(ALICE, FROZEN);
        token.setFrozen(BOB, true);
        vm.stopPrank();
    }

    function _buyQuote() internal view returns (IOrderDesk.Quote memory) {
        return IOrderDesk.Quote({
            assetId: token.assetId(),
            side: IOrderDesk.Side.Buy,
            quantity: BOUGHT,
            price: PRICE,
            investorId: ALICE_ID,
            chainId: block.chainid,
            quoteId: QUOTE_ID,
            expiry: block.timestamp + 60
        });
    }

    function _sign(IOrderDesk.Quote memory quote) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(SIGNER_KEY, desk.quoteDigest(quote));
        return abi.encodePacked(r, s, v);
    }

    function _load(address target, bytes32 slot) internal view returns (uint256) {
        return uint256(VmStorage(address(vm)).load(target, slot));
    }

    function _implementation(address proxy) internal view returns (address) {
        return address(uint160(_load(proxy, ERC1967Utils.IMPLEMENTATION_SLOT)));
    }

    function _erc7201(string memory namespace) internal pure returns (bytes32) {
        return keccak256(abi.encode(uint256(keccak256(bytes(namespace))) - 1)) & ~bytes32(uint256(0xff));
    }

    function _unauthorized(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, bytes32(0));
    }
}
