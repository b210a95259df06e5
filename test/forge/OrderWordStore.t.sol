// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OrderUpgradeSetup} from "./utils/OrderUpgradeSetup.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {IOrderDesk} from "../../contracts/interfaces/IOrderDesk.sol";
import {IOrderToken} from "../../contracts/interfaces/IOrderToken.sol";
import {IOrderVault} from "../../contracts/interfaces/IOrderVault.sol";

/// @notice Where the mint-on-order contracts read an investor's word. The registry writes every word
/// to itself and to its PartyWordStore in one function (`invariant_word_store_mirrors_the_registry`),
/// so the two never differ; these tests make them differ on purpose (a frozen bit written into the
/// store only) to show which copy each path reads: a token transfer and the vault's checks read the
/// store (no registry proxy hop), the desk and the token's mint or burn on an order read the registry
/// (the desk needs it for the investor id anyway). With the registrar's real freeze, every path
/// refuses the investor, as before.
contract OrderWordStoreTest is OrderUpgradeSetup {
    address internal constant CAROL = address(0xCA401);

    function setUp() public {
        _deployAndTrade();
    }

    function test_a_token_transfer_reads_the_investor_freeze_from_the_word_store() public {
        _freezeInStoreOnly(ALICE);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderToken.OrderTokenFrozen.selector, ALICE));
        token.transfer(CAROL, 1);
        assertEq(token.detectTransferRestriction(ALICE, CAROL, 1), token.CODE_SENDER_INVESTOR_FROZEN(), "code");
        assertTrue(!token.canSend(ALICE), "canSend reads the store");
    }

    function test_a_vault_request_reads_the_investor_from_the_word_store() public {
        _freezeInStoreOnly(ALICE);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultInvestorNotVerified.selector, ALICE));
        vault.requestDeposit(1e6, ALICE, ALICE);
    }

    function test_an_order_reads_the_registry_the_desk_needs_for_the_investor_id() public {
        _freezeInStoreOnly(ALICE);
        IOrderDesk.Quote memory quote = _buyQuote();
        quote.quoteId = QUOTE_ID + 1;
        quote.quantity = 1e18;
        bytes memory signature = _sign(quote);
        uint256 before = token.balanceOf(ALICE);
        vm.prank(ALICE);
        desk.buy(quote, signature, type(uint256).max);
        assertEq(token.balanceOf(ALICE), before + 1e18, "minted: desk and token read the registry's word");
    }

    function test_an_investor_frozen_by_the_registrar_is_refused_by_the_token_the_vault_and_the_desk() public {
        registry.setInvestorFrozen(ALICE_ID, true);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderToken.OrderTokenFrozen.selector, ALICE));
        token.transfer(CAROL, 1);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderVault.VaultInvestorNotVerified.selector, ALICE));
        vault.requestDeposit(1e6, ALICE, ALICE);
        IOrderDesk.Quote memory quote = _buyQuote();
        quote.quoteId = QUOTE_ID + 1;
        bytes memory signature = _sign(quote);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderDesk.DeskInvestorNotVerified.selector, ALICE));
        desk.buy(quote, signature, type(uint256).max);
    }

    /// @dev Sets the frozen bit (bit 128, `PartyWord.frozen`) of `wallet`'s word in the store only
    /// (its mapping is slot 0: the registry's address is immutable).
    function _freezeInStoreOnly(address wallet) internal {
        address store = registry.partyWordStore();
        bytes32 slot = keccak256(abi.encode(wallet, uint256(0)));
        uint256 word = uint256(VmStorage(address(vm)).load(store, slot));
        assertTrue(word != 0, "bound wallet");
        assertEq(word, registry.partyWord(wallet), "the store mirrors the registry");
        VmStorage(address(vm)).store(store, slot, bytes32(word | (uint256(1) << 128)));
        assertTrue(registry.partyWord(wallet) != word | (uint256(1) << 128), "registry unchanged");
    }
}
