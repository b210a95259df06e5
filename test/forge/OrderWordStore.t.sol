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
/// store only) to show which copy each path reads: every path reads the store (no registry proxy
/// hop): a token transfer, the vault's checks, and the desk (the word and the investor id, which the
/// store keeps too) and the token's mint or burn on an order. With the registrar's real freeze, every path
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

    function test_an_order_reads_the_investor_from_the_word_store() public {
        _freezeInStoreOnly(ALICE);
        IOrderDesk.Quote memory quote = _buyQuote();
        quote.quoteId = QUOTE_ID + 1;
        quote.quantity = 1e18;
        bytes memory signature = _sign(quote);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderDesk.DeskInvestorNotVerified.selector, ALICE));
        desk.buy(quote, signature, type(uint256).max);
    }

    function test_an_order_reads_the_investor_id_from_the_word_store() public {
        bytes32 other = keccak256("someone else");
        _setIdInStoreOnly(ALICE, other);
        IOrderDesk.Quote memory quote = _buyQuote();
        quote.quoteId = QUOTE_ID + 1;
        quote.quantity = 1e18;
        bytes memory signature = _sign(quote);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderDesk.DeskWrongInvestor.selector, ALICE, ALICE_ID, other));
        desk.buy(quote, signature, type(uint256).max);
    }

    function test_the_desk_reads_investors_where_its_registry_says() public view {
        assertTrue(address(desk.investorWords()) == registry.partyWordStore(), "the registry's store");
    }

    function test_a_desk_without_the_setting_asks_the_registry_until_anyone_syncs_it() public {
        // a desk upgraded from a version without the field: its slot is zero
        VmStorage(address(vm)).store(address(desk), _deskWordsSlot(), bytes32(0));
        bytes32 other = keccak256("someone else");
        _setIdInStoreOnly(ALICE, other);
        IOrderDesk.Quote memory quote = _buyQuote();
        quote.quoteId = QUOTE_ID + 1;
        quote.quantity = 1e18;
        bytes memory signature = _sign(quote);
        uint256 before = token.balanceOf(ALICE);
        vm.prank(ALICE);
        desk.buy(quote, signature, type(uint256).max);
        assertEq(token.balanceOf(ALICE), before + 1e18, "the desk asked the registry (alice's id there)");

        vm.expectEmit();
        emit IOrderDesk.InvestorWordsSet(registry.partyWordStore());
        vm.prank(OUTSIDER); // takes only what the desk's own registry answers
        desk.syncInvestorWords();
        assertTrue(address(desk.investorWords()) == registry.partyWordStore(), "synced to the store");
        quote.quoteId = QUOTE_ID + 2;
        signature = _sign(quote);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderDesk.DeskWrongInvestor.selector, ALICE, ALICE_ID, other));
        desk.buy(quote, signature, type(uint256).max);
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

    /// @dev Writes `investorId` as `wallet`'s investor id in the store only (its mapping is slot 1).
    function _setIdInStoreOnly(address wallet, bytes32 investorId) internal {
        address store = registry.partyWordStore();
        bytes32 slot = keccak256(abi.encode(wallet, uint256(1)));
        assertTrue(VmStorage(address(vm)).load(store, slot) == registry.investorOf(wallet), "the store mirrors");
        VmStorage(address(vm)).store(store, slot, investorId);
    }

    /// @dev The desk's `words` field: slot 14 of its ERC-7201 namespace (test/storage-layout/OrderDesk.json).
    function _deskWordsSlot() internal pure returns (bytes32) {
        return bytes32(uint256(0x61167661bff565785c1824f6e5453388b198be34dbb1ee5e11a8d1494ad7aa00) + 14);
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
