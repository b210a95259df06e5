// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {OrderUpgradeSetup} from "./utils/OrderUpgradeSetup.sol";
import {Proxies} from "./utils/Proxies.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {SanctionsStore} from "../../contracts/compliance/SanctionsStore.sol";
import {OrderToken} from "../../contracts/assets/OrderToken.sol";
import {ChainalysisOracleMock} from "../../contracts/test/ChainalysisOracleMock.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {IOrderToken} from "../../contracts/interfaces/IOrderToken.sol";
import {IOrderDesk} from "../../contracts/interfaces/IOrderDesk.sol";
import {ISanctionsList} from "../../contracts/interfaces/ISanctionsList.sol";

/// @notice The sanctions list's plain copy ({SanctionsStore}): created by the list, written by the
/// list only, always answering as the list; the order token asks it (no list proxy hop), or the
/// oracle itself when its list has no store, or the list when the token has no reader yet.
contract SanctionsStoreTest is OrderUpgradeSetup {
    address internal constant CAROL = address(0xCA401);
    /// @dev ERC-1967's implementation slot.
    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;

    SanctionsStore internal store;

    function setUp() public {
        _deployAndTrade();
        sanctions.grantRole(sanctions.COMPLIANCE_ROLE(), address(this));
        store = SanctionsStore(address(sanctions.sanctionsStore()));
    }

    function test_the_list_creates_its_store_and_is_its_only_writer() public view {
        assertTrue(address(store) != address(0), "store created by initialize");
        assertTrue(store.list() == address(sanctions), "writer is the list's proxy");
    }

    function test_an_outsider_cannot_write_the_store() public {
        vm.prank(OUTSIDER);
        vm.expectRevert(abi.encodeWithSelector(SanctionsStore.SanctionsStoreUnauthorized.selector, OUTSIDER));
        store.write(ALICE, true);
        address implementation =
            address(uint160(uint256(VmStorage(address(vm)).load(address(sanctions), IMPLEMENTATION_SLOT))));
        vm.prank(implementation);
        vm.expectRevert(abi.encodeWithSelector(SanctionsStore.SanctionsStoreUnauthorized.selector, implementation));
        store.write(ALICE, true);
    }

    /// @dev Any sequence of listings and delistings leaves the store answering as the list, for the
    /// accounts changed and for one never touched.
    function testFuzz_the_store_always_answers_as_the_list(uint8[8] calldata picks, uint8 probe) public {
        for (uint256 i; i < picks.length; i++) {
            address account = address(uint160(0x5000 + (picks[i] % 4)));
            sanctions.setSanctioned(account, !sanctions.isSanctioned(account));
            for (uint160 j; j < 4; j++) {
                address a = address(0x5000 + j);
                assertTrue(store.isSanctioned(a) == sanctions.isSanctioned(a), "copy equals the list");
            }
        }
        address untouched = address(uint160(0x6000 + probe));
        assertTrue(store.isSanctioned(untouched) == sanctions.isSanctioned(untouched), "untouched account");
    }

    function test_the_token_asks_the_lists_store() public view {
        assertTrue(address(token.sanctionsReader()) == address(store), "the list's store");
        assertTrue(address(token.sanctions()) == address(sanctions), "the list itself kept");
    }

    function test_a_listing_refuses_the_tokens_transfer_and_the_desks_buy() public {
        sanctions.setSanctioned(ALICE, true);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderToken.OrderTokenSanctioned.selector, ALICE));
        token.transfer(CAROL, 1);
        assertEq(token.detectTransferRestriction(ALICE, CAROL, 1), token.CODE_SENDER_SANCTIONED(), "code");
        assertTrue(!token.canSend(ALICE), "canSend");
        IOrderDesk.Quote memory quote = _quote(1);
        bytes memory signature = _sign(quote);
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderToken.OrderTokenSanctioned.selector, ALICE));
        desk.buy(quote, signature, type(uint256).max);
        sanctions.setSanctioned(ALICE, false);
        vm.prank(ALICE);
        desk.buy(quote, signature, type(uint256).max);
    }

    /// @dev Written into the store only (by the list's address): the token refuses, the list does
    /// not know; which copy the token reads.
    function test_the_token_reads_the_store_not_the_lists_proxy() public {
        vm.prank(address(sanctions));
        store.write(CAROL, true);
        assertTrue(!sanctions.isSanctioned(CAROL), "list unchanged");
        vm.prank(ALICE);
        vm.expectRevert(abi.encodeWithSelector(IOrderToken.OrderTokenSanctioned.selector, CAROL));
        token.transfer(CAROL, 1);
    }

    function test_a_token_without_a_reader_asks_the_list_until_anyone_syncs_it() public {
        // a token upgraded from a version without the field: slot 6 of its namespace is zero
        bytes32 slot = bytes32(uint256(0x39d70a4079395aa948240487d8d2fcb01b5190c490b7c33b1a930295dac8dd00) + 6);
        VmStorage(address(vm)).store(address(token), slot, bytes32(0));
        assertTrue(address(token.sanctionsReader()) == address(sanctions), "falls back to the list");
        vm.prank(address(sanctions));
        store.write(CAROL, true); // the store only: the list says no
        vm.prank(ALICE);
        assertTrue(token.transfer(CAROL, 1), "the list was asked");

        vm.expectEmit();
        emit IOrderToken.SanctionsReaderSet(address(store));
        vm.prank(OUTSIDER); // takes only what the token's own list answers
        token.syncSanctionsReader();
        assertTrue(address(token.sanctionsReader()) == address(store), "synced to the store");
    }

    function test_a_token_on_an_oracle_without_a_store_asks_the_oracle() public {
        ChainalysisOracleMock oracle = new ChainalysisOracleMock();
        OrderToken other = _tokenOn(ISanctionsList(address(oracle)));
        assertTrue(address(other.sanctionsReader()) == address(oracle), "the oracle itself");
    }

    function test_a_list_without_a_store_is_asked_itself() public {
        // a list upgraded from a version without a store: its field (slot 3 of the namespace) is zero
        SanctionsList list = Proxies.deploySanctionsList(address(this));
        bytes32 slot = bytes32(uint256(0x5f0d7d98ec622decc30e9fc6de91ba44fe2ae49f0947b69e78f77a94e9ab5700) + 3);
        VmStorage(address(vm)).store(address(list), slot, bytes32(0));
        list.grantRole(list.COMPLIANCE_ROLE(), address(this));
        list.setSanctioned(CAROL, true); // no store to write: the list alone
        assertTrue(list.isSanctioned(CAROL), "listed");
        OrderToken other = _tokenOn(list);
        assertTrue(address(other.sanctionsReader()) == address(list), "the list itself");
    }

    function _quote(uint256 n) internal view returns (IOrderDesk.Quote memory quote) {
        quote = _buyQuote();
        quote.quoteId = QUOTE_ID + n;
        quote.quantity = 1e18;
    }

    function _tokenOn(ISanctionsList list) internal returns (OrderToken) {
        return Proxies.deployOrderToken(
            address(this),
            "Order MSFT",
            "oMSFT",
            IAssetIdentity.IdentityParams({
                assetId: keccak256("US5949181045"),
                isin: "US5949181045",
                ticker: "MSFT",
                architecture: IAssetIdentity.Architecture.MintOnOrder,
                homeChainId: block.chainid,
                termsURI: "ipfs://terms",
                termsHash: keccak256("terms"),
                dti: bytes9("4H95J0R2X")
            }),
            address(desk),
            registry,
            list
        );
    }
}
