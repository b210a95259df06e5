// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IInvestorRegistry} from "../../contracts/interfaces/IInvestorRegistry.sol";
import {PartyWord} from "../../contracts/libraries/PartyWord.sol";
import {Proxies} from "./utils/Proxies.sol";
import {PartyWordStore} from "../../contracts/identity/PartyWordStore.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";

/// @notice Drives the registry with random registrar actions for the invariant runner.
contract RegistryHandler {
    InvestorRegistry public immutable registry;
    uint256 public boundWallets;
    bytes32[] public ids;

    constructor(InvestorRegistry registry_) {
        registry = registry_;
    }

    function register(uint8 seed) external {
        bytes32 id = keccak256(abi.encode("investor", seed));
        if (registry.isRegistered(id)) return;
        registry.registerInvestor(id, 840, 1, uint64(block.timestamp + 365 days));
        ids.push(id);
    }

    function addWallet(uint8 investorSeed, uint8 walletSeed) external {
        if (ids.length == 0) return;
        bytes32 id = ids[investorSeed % ids.length];
        address wallet = walletAt(walletSeed);
        if (registry.investorOf(wallet) != bytes32(0)) return;
        if (registry.investor(id).walletCount >= registry.MAX_WALLETS_PER_INVESTOR()) return;
        registry.addWallet(id, wallet);
        boundWallets++;
    }

    function update(uint8 investorSeed, uint16 country, uint16 classFlags, uint32 validFor) external {
        if (ids.length == 0) return;
        country = uint16(bound(country, 1, 999));
        registry.updateInvestor(
            ids[investorSeed % ids.length], country, classFlags, uint64(block.timestamp) + 1 + validFor
        );
    }

    function toggleFrozen(uint8 investorSeed) external {
        if (ids.length == 0) return;
        bytes32 id = ids[investorSeed % ids.length];
        registry.setInvestorFrozen(id, !registry.investor(id).frozen);
    }

    function walletAt(uint8 seed) public pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("wallet", seed)))));
    }

    function bound(uint16 x, uint16 lo, uint16 hi) private pure returns (uint16) {
        return lo + x % (hi - lo + 1);
    }

    function removeWallet(uint8 walletSeed) external {
        address wallet = walletAt(walletSeed);
        if (registry.investorOf(wallet) == bytes32(0)) return;
        registry.removeWallet(wallet);
        boundWallets--;
    }

    function investorCount() external view returns (uint256) {
        return ids.length;
    }
}

contract InvestorRegistryTest is ForgeTest {
    /// @dev ERC-1967's implementation slot.
    bytes32 internal constant _IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;

    InvestorRegistry internal registry;
    RegistryHandler internal handler;

    function setUp() public {
        registry = Proxies.deployInvestorRegistry(address(this));
        handler = new RegistryHandler(registry);
        registry.grantRole(registry.REGISTRAR_ROLE(), address(handler));
        targetContract(address(handler));
    }

    function test_outsider_cannot_register() public {
        bytes32 registrarRole = registry.REGISTRAR_ROLE();
        vm.expectRevert(
            abi.encodeWithSignature("AccessControlUnauthorizedAccount(address,bytes32)", address(0xBEEF), registrarRole)
        );
        vm.prank(address(0xBEEF));
        registry.registerInvestor(bytes32("x"), 840, 0, uint64(block.timestamp + 1));
    }

    function test_kyc_expiry_is_inclusive() public {
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.registerInvestor(bytes32("alice"), 840, 0, uint64(block.timestamp + 100));
        registry.addWallet(bytes32("alice"), address(0xA11CE));
        vm.warp(block.timestamp + 100);
        assertTrue(registry.isVerified(address(0xA11CE)), "verified at expiry");
        vm.warp(block.timestamp + 1);
        assertTrue(!registry.isVerified(address(0xA11CE)), "not verified after expiry");
    }

    /// @dev The sum of wallet counts over investors equals the number of bound wallets.
    function invariant_wallet_counts_match_bindings() public view {
        uint256 total;
        uint256 n = handler.investorCount();
        for (uint256 i; i < n; i++) {
            IInvestorRegistry.Investor memory record = registry.investor(handler.ids(i));
            total += record.walletCount;
        }
        assertEq(total, handler.boundWallets(), "wallet count");
        assertEq(registry.investorCount(), n, "investor count");
    }

    /// @dev Every bound wallet's packed slot carries its investor's current record (what a
    /// transfer check reads in one SLOAD is never stale).
    function invariant_wallet_copies_match_records() public view {
        for (uint256 seed = 0; seed < 256; seed++) {
            address wallet = handler.walletAt(uint8(seed));
            bytes32 id = registry.investorOf(wallet);
            if (id == bytes32(0)) continue;
            IInvestorRegistry.Party memory party = registry.party(wallet);
            IInvestorRegistry.Investor memory record = registry.investor(id);
            assertEq(party.country, record.country, "country copy");
            assertEq(party.classFlags, record.classFlags, "class copy");
            assertEq(party.kycExpiry, record.kycExpiry, "expiry copy");
            assertTrue(party.frozen == record.frozen, "frozen copy");
            assertEq(party.index, registry.indexOf(id), "index copy");
        }
    }

    /// @dev The word store the share reads without the proxy holds exactly the registry's words.
    function invariant_word_store_mirrors_the_registry() public view {
        PartyWordStore store = PartyWordStore(registry.partyWordStore());
        for (uint256 seed = 0; seed < 256; seed++) {
            address wallet = handler.walletAt(uint8(seed));
            assertEq(store.partyWord(wallet), registry.partyWord(wallet), "store word");
            assertTrue(store.investorIdOf(wallet) == registry.investorOf(wallet), "store investor id");
            (uint256 word, bytes32 id) = store.investorWord(wallet);
            (uint256 registryWord, bytes32 registryId) = registry.investorWord(wallet);
            assertEq(word, registryWord, "desk's word");
            assertTrue(id == registryId, "desk's investor id");
        }
    }

    function test_the_store_keeps_ids_and_the_registry_points_readers_of_ids_at_it() public view {
        assertTrue(address(registry.investorWords()) == registry.partyWordStore(), "ids read from the store");
    }

    function test_an_outsider_cannot_write_a_binding_into_the_word_store() public {
        PartyWordStore store = PartyWordStore(registry.partyWordStore());
        vm.expectRevert(abi.encodeWithSelector(PartyWordStore.PartyWordStoreUnauthorized.selector, address(0xBEEF)));
        vm.prank(address(0xBEEF));
        store.writeBinding(address(0xA11CE), 1, bytes32("alice"));
        // not even the registry's implementation (only its proxy created the store)
        address implementation =
            address(uint160(uint256(VmStorage(address(vm)).load(address(registry), _IMPLEMENTATION_SLOT))));
        vm.expectRevert(abi.encodeWithSelector(PartyWordStore.PartyWordStoreUnauthorized.selector, implementation));
        vm.prank(implementation);
        store.writeBinding(address(0xA11CE), 1, bytes32("alice"));
    }

    function test_word_store_is_written_by_the_registry_proxy_only() public {
        PartyWordStore store = PartyWordStore(registry.partyWordStore());
        assertTrue(store.registry() == address(registry), "writer is the proxy");
        vm.expectRevert(abi.encodeWithSelector(PartyWordStore.PartyWordStoreUnauthorized.selector, address(0xBEEF)));
        vm.prank(address(0xBEEF));
        store.write(address(0xA11CE), 1);
    }

    function test_word_store_follows_every_registrar_path() public {
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        PartyWordStore store = PartyWordStore(registry.partyWordStore());
        address a = address(0xA11CE);
        address b = address(0xB0B);
        registry.registerInvestor(bytes32("alice"), 840, 1, uint64(block.timestamp + 100));
        registry.addWallet(bytes32("alice"), a);
        assertEq(store.partyWord(a), PartyWord.encode(1, 840, 1, uint64(block.timestamp + 100), false, 0, true), "word");
        _assertMirrored(store, a, b);
        registry.addWallet(bytes32("alice"), b); // a stops being sole
        _assertMirrored(store, a, b);
        registry.updateInvestor(bytes32("alice"), 276, 2, uint64(block.timestamp + 200));
        _assertMirrored(store, a, b);
        registry.setInvestorFrozen(bytes32("alice"), true);
        _assertMirrored(store, a, b);
        registry.updateCountry(b, 250);
        _assertMirrored(store, a, b);
        registry.updateIdentity(b, address(0x1D));
        _assertMirrored(store, a, b);
        registry.removeWallet(a);
        _assertMirrored(store, a, b);
        assertEq(store.partyWord(a), 0, "unbound wallet cleared");
        assertTrue(store.investorIdOf(a) == bytes32(0), "unbound wallet's id cleared");
        assertTrue(store.investorIdOf(b) == bytes32(uint256(uint160(address(0x1D)))), "moved wallet's new id");
        registry.registerIdentity(address(0xC0C0), address(0x2D), 36);
        _assertMirrored(store, address(0xC0C0), b);
    }

    function _assertMirrored(PartyWordStore store, address a, address b) internal view {
        (uint256 wa, uint256 wb) = store.partyWords(a, b);
        assertEq(wa, registry.partyWord(a), "first word");
        assertEq(wb, registry.partyWord(b), "second word");
        assertTrue(store.investorIdOf(a) == registry.investorOf(a), "first investor id");
        assertTrue(store.investorIdOf(b) == registry.investorOf(b), "second investor id");
    }

    /// @dev The raw word decodes to the struct view, and a wallet is sole exactly when it is its
    /// investor's first wallet, the only one bound, and the registry says the investor is sole.
    function invariant_party_words_and_sole_wallets() public view {
        for (uint256 seed = 0; seed < 256; seed++) {
            address wallet = handler.walletAt(uint8(seed));
            uint256 word = registry.partyWord(wallet);
            bytes32 id = registry.investorOf(wallet);
            if (id == bytes32(0)) {
                assertEq(word, 0, "unbound word");
                continue;
            }
            IInvestorRegistry.Party memory party = registry.party(wallet);
            assertEq(PartyWord.index(word), party.index, "word index");
            assertEq(PartyWord.country(word), party.country, "word country");
            assertEq(PartyWord.classFlags(word), party.classFlags, "word class");
            assertEq(PartyWord.kycExpiry(word), party.kycExpiry, "word expiry");
            assertTrue(PartyWord.frozen(word) == party.frozen, "word frozen");
            (address first, bool sole) = registry.walletModeOf(party.index);
            if (PartyWord.sole(word)) {
                assertTrue(sole && first == wallet, "sole wallet is the first");
                assertEq(registry.investor(id).walletCount, 1, "sole wallet is alone");
            } else {
                assertTrue(!sole || first != wallet, "non-sole wallet");
            }
        }
    }
}
