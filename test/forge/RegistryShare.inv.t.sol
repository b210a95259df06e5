// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest, Vm, Bound} from "./utils/Vm.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IInvestorRegistry} from "../../contracts/interfaces/IInvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {RegistryShare} from "../../contracts/assets/RegistryShare.sol";
import {Proxies} from "./utils/Proxies.sol";
import {Identities} from "./utils/Identities.sol";

/// @notice Random transfer-agent, registrar and holder actions on one registry share: issue,
/// transfer, forced transfer, wallet recovery, redeem, freezes, splits, holder caps, KYC changes,
/// wallet re-binding and time warps, among 4 investors with 3 wallets each and 2 outsiders.
/// @dev Keeps a model of the register: the investor each wallet's units are counted under (set
/// from the registry at every receipt), the country each holding investor joined under, and a
/// flag raised if a wallet that the registry did not verify ever received shares.
contract RegistryShareHandler {
    using Bound for uint256;

    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 public constant INVESTORS = 4;
    uint256 public constant WALLETS_PER_INVESTOR = 3;
    uint256 public constant OUTSIDERS = 2;
    uint256 public constant WALLETS = INVESTORS * WALLETS_PER_INVESTOR + OUTSIDERS;

    InvestorRegistry public immutable registry;
    RegistryShare public immutable share;

    bytes32[INVESTORS] public ids;
    uint16[3] public countries = [uint16(840), 276, 250];

    /// @notice Model: registry investor index the wallet's units are counted under.
    mapping(address wallet => uint32 index) public countedUnder;
    /// @notice Model: the country an investor was counted under when its balance left zero.
    mapping(uint32 index => uint16 country) public countedCountry;
    /// @notice Raised when an issue or holder transfer took a holder count above its cap.
    bool public capExceeded;
    /// @notice Raised when a wallet the registry did not verify received shares.
    bool public receivedWhileUnverified;
    address public offendingWallet;

    mapping(bytes32 action => uint256 count) public successes;
    /// @notice Model: total units when snapshot `id` was taken.
    mapping(uint32 id => uint256 units) public unitsAtSnapshot;
    /// @notice Model: each wallet's balance when snapshot `id` was taken.
    mapping(uint32 id => mapping(address wallet => uint256 amount)) public balanceAtSnapshot;
    /// @notice Raised when a transfer, forced transfer, issue or redeem changed a balance by
    /// anything else than the amount asked (finding 13.7).
    bool public inexact;
    string public inexactAction;
    /// @notice Worst-case dust, in token-wei, between an investor's recorded total and the sum of
    /// its wallets' balances: each split scales the previous gap and adds < 1 wei per wallet.
    uint256 public investorDust;
    /// @notice Worst-case dust, in units (1e18 = one unit), between total units and the sum of
    /// the balances in units: < 1 unit per issue or redeem, < 1 wei per wallet per split.
    uint256 public supplyDustUnits;

    /// @dev setUp registered the investors `investorId(k)` and bound their first two wallets.
    constructor(InvestorRegistry registry_, RegistryShare share_) {
        registry = registry_;
        share = share_;
        for (uint256 i; i < INVESTORS; ++i) {
            ids[i] = investorId(i);
        }
    }

    function investorId(uint256 k) public pure returns (bytes32) {
        return keccak256(abi.encode("investor", k));
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    /// @notice Wallet number `i`: investor k owns wallets 3k..3k+2 (by default), the last two are outsiders.
    function wallet(uint256 i) public pure returns (address) {
        return address(uint160(0xA000 + i));
    }

    function isOutsider(address w) public pure returns (bool) {
        return uint160(w) >= 0xA000 + INVESTORS * WALLETS_PER_INVESTOR;
    }

    function _pick(uint256 seed) private pure returns (address) {
        return wallet(seed % WALLETS);
    }

    function _noteReceipt(address to, bool verifiedBefore) private {
        if (!verifiedBefore) {
            receivedWhileUnverified = true;
            offendingWallet = to;
        }
        if (share.balanceOf(to) != 0) countedUnder[to] = registry.party(to).index;
    }

    /// @dev After every action: record the country of investors whose balance just left zero.
    function _syncCountries(uint256[INVESTORS] memory before) private {
        for (uint256 i; i < INVESTORS; ++i) {
            uint256 nowUnits = share.holdingWallets(ids[i]);
            if (before[i] == 0 && nowUnits != 0) {
                uint32 index = registry.indexOf(ids[i]);
                countedCountry[index] = registry.investor(ids[i]).country;
            }
        }
    }

    /// @dev Holder count, then the three countries' counts.
    function _counts() private view returns (uint256[4] memory c) {
        c[0] = share.holderCount();
        for (uint256 i; i < 3; ++i) {
            c[i + 1] = share.countryHolderCount(countries[i]);
        }
    }

    /// @dev Issues and holder transfers (not forced transfers or recoveries, which caps do not
    /// bind) never raise a count above its cap.
    function _checkCaps(uint256[4] memory before) private {
        uint256[4] memory afterCounts = _counts();
        uint256 cap = share.maxHolders();
        if (cap != 0 && afterCounts[0] > before[0] && afterCounts[0] > cap) capExceeded = true;
        for (uint256 i; i < 3; ++i) {
            (, uint32 countryCap) = share.countryRule(countries[i]);
            if (countryCap != 0 && afterCounts[i + 1] > before[i + 1] && afterCounts[i + 1] > countryCap) {
                capExceeded = true;
            }
        }
    }

    function _snapshotUnits() private view returns (uint256[INVESTORS] memory units) {
        for (uint256 i; i < INVESTORS; ++i) {
            units[i] = share.holdingWallets(ids[i]);
        }
    }

    function _expectDelta(address w, uint256 before, int256 delta, string memory action) private {
        if (int256(share.balanceOf(w)) - int256(before) != delta) {
            inexact = true;
            inexactAction = action;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Transfer agent
    // ------------------------------------------------------------------------------------------

    function issue(uint256 toSeed, uint256 amount) external {
        address to = _pick(toSeed);
        amount = amount.bound(1, 1_000e18);
        uint256[INVESTORS] memory before = _snapshotUnits();
        uint256[4] memory capsBefore = _counts();
        bool verified = registry.isVerified(to);
        uint256 toBefore = share.balanceOf(to);
        try share.issue(to, amount, "issue") {
            _expectDelta(to, toBefore, int256(amount), "issue");
            supplyDustUnits += 1e18;
            _noteReceipt(to, verified);
            successes["issue"]++;
        } catch {}
        _syncCountries(before);
        _checkCaps(capsBefore);
    }

    function redeem(uint256 fromSeed, uint256 amount) external {
        address from = _pick(fromSeed);
        amount = amount.bound(0, share.balanceOf(from));
        uint256[INVESTORS] memory before = _snapshotUnits();
        uint256 fromBefore = share.balanceOf(from);
        try share.redeem(from, amount, "redeem") {
            _expectDelta(from, fromBefore, -int256(amount), "redeem");
            supplyDustUnits += 1e18;
            successes["redeem"]++;
        } catch {}
        _syncCountries(before);
    }

    function forcedTransfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _pick(fromSeed);
        address to = _pick(toSeed);
        amount = amount.bound(0, share.balanceOf(from));
        uint256[INVESTORS] memory before = _snapshotUnits();
        bool verified = registry.isVerified(to);
        uint256 fromBefore = share.balanceOf(from);
        uint256 toBefore = share.balanceOf(to);
        try share.forcedTransfer(from, to, amount, "court order") {
            if (from != to) {
                _expectDelta(from, fromBefore, -int256(amount), "forcedTransfer from");
                _expectDelta(to, toBefore, int256(amount), "forcedTransfer to");
            }
            _noteReceipt(to, verified);
            successes["forcedTransfer"]++;
        } catch {}
        _syncCountries(before);
    }

    /// @dev The new wallet is taken among the default wallets of the investor the lost wallet's
    /// units are counted under, so a good share of the attempts is valid.
    function recover(uint256 lostSeed, uint256 newSeed) external {
        address lost = _pick(lostSeed);
        uint32 index = countedUnder[lost];
        if (index == 0) return;
        bytes32 investorId = registry.investorIdAt(index);
        uint256 k;
        for (; k < INVESTORS; ++k) {
            if (ids[k] == investorId) break;
        }
        address fresh = wallet(k * WALLETS_PER_INVESTOR + newSeed % WALLETS_PER_INVESTOR);
        uint256[INVESTORS] memory before = _snapshotUnits();
        bool verified = registry.isVerified(fresh);
        try share.recoveryAddress(lost, fresh, investorId, "lost keys") {
            _noteReceipt(fresh, verified);
            successes["recover"]++;
        } catch {}
        _syncCountries(before);
    }

    function setAddressFrozen(uint256 seed, bool freeze) external {
        try share.setAddressFrozen(_pick(seed), freeze, "freeze") {} catch {}
    }

    function freezePartial(uint256 seed, uint256 amount) external {
        address w = _pick(seed);
        amount = amount.bound(0, share.balanceOf(w));
        try share.freezePartialTokens(w, amount, "partial freeze") {} catch {}
    }

    function unfreezePartial(uint256 seed, uint256 amount) external {
        address w = _pick(seed);
        amount = amount.bound(0, share.getFrozenTokens(w));
        try share.unfreezePartialTokens(w, amount, "partial unfreeze") {} catch {}
    }

    /// @dev Splits and reverse splits, 3:2 and 1:10 among them (finding 13.7).
    function split(uint256 seed) external {
        uint256 kind = seed % 6;
        (uint256 num, uint256 den) = kind == 0
            ? (2, 1)
            : kind == 1 ? (1, 2) : kind == 2 ? (3, 2) : kind == 3 ? (2, 3) : kind == 4 ? (1, 10) : (7, 3);
        uint256 previous = share.multiplier();
        try share.split(num, den, "split") {
            uint256 next = share.multiplier();
            investorDust = investorDust * next / previous + 1 + WALLETS;
            supplyDustUnits += WALLETS * 1e36 / next + 1;
            successes["split"]++;
        } catch {}
    }

    function setLockup(uint256 investorSeed, uint256 duration) external {
        duration = duration.bound(0, 10 days);
        uint40 until = duration == 0 ? 0 : uint40(block.timestamp + duration);
        try share.setLockup(ids[investorSeed % INVESTORS], until, "lock-up") {} catch {}
    }

    /// @notice A record date (dividend or vote): the ghost keeps the total units at that moment.
    function snapshot() external {
        uint32 id = share.snapshot();
        unitsAtSnapshot[id] = share.totalUnits();
        for (uint256 i; i < WALLETS; ++i) {
            balanceAtSnapshot[id][wallet(i)] = share.balanceOf(wallet(i));
        }
        successes["snapshot"]++;
    }

    function setCountryMaxHolders(uint256 countrySeed, uint256 cap) external {
        try share.setCountryMaxHolders(countries[countrySeed % 3], uint32(cap % 3)) {} catch {}
    }

    function setMaxHolders(uint256 cap) external {
        try share.setMaxHolders(uint32(cap % (INVESTORS + 1))) {} catch {}
    }

    // ------------------------------------------------------------------------------------------
    // Holders
    // ------------------------------------------------------------------------------------------

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _pick(fromSeed);
        address to = _pick(toSeed);
        amount = amount.bound(0, share.balanceOf(from));
        uint256[INVESTORS] memory before = _snapshotUnits();
        uint256[4] memory capsBefore = _counts();
        bool verified = registry.isVerified(to);
        uint256 fromBefore = share.balanceOf(from);
        uint256 toBefore = share.balanceOf(to);
        vm.prank(from);
        try share.transfer(to, amount) {
            if (from != to) {
                _expectDelta(from, fromBefore, -int256(amount), "transfer from");
                _expectDelta(to, toBefore, int256(amount), "transfer to");
            } else {
                _expectDelta(from, fromBefore, 0, "transfer to self");
            }
            if (amount != 0) _noteReceipt(to, verified);
            successes["transfer"]++;
        } catch {}
        _syncCountries(before);
        _checkCaps(capsBefore);
    }

    // ------------------------------------------------------------------------------------------
    // Registrar and time
    // ------------------------------------------------------------------------------------------

    function removeWallet(uint256 seed) external {
        try registry.removeWallet(_pick(seed)) {} catch {}
    }

    /// @dev Binds a wallet to any investor, possibly another than the one its tokens belong to.
    function addWallet(uint256 seed, uint256 investorSeed) external {
        address w = _pick(seed);
        if (isOutsider(w)) return; // outsiders are never verified
        try registry.addWallet(ids[investorSeed % INVESTORS], w) {} catch {}
    }

    function setInvestorFrozen(uint256 investorSeed, bool frozen) external {
        try registry.setInvestorFrozen(ids[investorSeed % INVESTORS], frozen) {} catch {}
    }

    /// @dev New KYC expiry and possibly a new country while the investor holds.
    function updateInvestor(uint256 investorSeed, uint256 countrySeed, uint256 expiry) external {
        expiry = expiry.bound(1, 60 days);
        try registry.updateInvestor(
            ids[investorSeed % INVESTORS], countries[countrySeed % 3], 1, uint64(block.timestamp + expiry)
        ) {}
            catch {}
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + seconds_.bound(1, 20 days));
    }
}

contract RegistryShareInvariantTest is ForgeTest {
    uint256 internal constant INVESTORS = 4;
    uint256 internal constant WALLETS = 14;

    InvestorRegistry internal registry;
    RegistryShare internal share;
    RegistryShareHandler internal handler;

    function setUp() public {
        registry = Proxies.deployInvestorRegistry(address(this));
        share = Proxies.deployRegistryShare(
            address(this), registry, "Registry Share", "RSH", Identities.aapl(IAssetIdentity.Architecture.RegistryShare)
        );
        handler = new RegistryShareHandler(registry, share);
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        for (uint256 k; k < INVESTORS; ++k) {
            bytes32 id = handler.investorId(k);
            registry.registerInvestor(id, handler.countries(k % 3), 1, uint64(block.timestamp + 365 days));
            registry.addWallet(id, handler.wallet(k * handler.WALLETS_PER_INVESTOR()));
            // Investors 2 and 3 start as sole-wallet investors (their record in their wallet's
            // slot); the handler's addWallet/removeWallet end that status at random points.
            if (k < 2) registry.addWallet(id, handler.wallet(k * handler.WALLETS_PER_INVESTOR() + 1));
        }
        registry.grantRole(registry.REGISTRAR_ROLE(), address(handler));
        share.grantRole(share.TRANSFER_AGENT_ROLE(), address(handler));
        share.grantRole(share.DEFAULT_ADMIN_ROLE(), address(handler));
        share.grantRole(share.SNAPSHOT_ROLE(), address(handler));
        targetContract(address(handler));
    }

    /// @notice Smoke test of the handler: each kind of action can succeed, so the campaign
    /// explores real state changes and not only refusals.
    function test_handler_actions_succeed() public {
        handler.issue(0, 100e18); // wallet 0 (investor 0)
        handler.issue(3, 50e18); // wallet 3 (investor 1)
        handler.transfer(0, 1, 10e18); // same investor
        handler.transfer(0, 4, 10e18); // investor 0 -> investor 1
        handler.forcedTransfer(3, 6, 5e18); // investor 1 -> investor 2
        handler.redeem(6, 1e18);
        handler.removeWallet(0);
        handler.recover(0, 1); // wallet 0 -> wallet 1 of investor 0
        handler.snapshot();
        handler.transfer(1, 4, 1e18);
        handler.snapshot();
        handler.split(0);
        assertEq(handler.successes("issue"), 2, "issues");
        assertEq(handler.successes("transfer"), 3, "transfers");
        assertEq(handler.successes("snapshot"), 2, "snapshots");
        assertEq(handler.successes("forcedTransfer"), 1, "forced transfers");
        assertEq(handler.successes("redeem"), 1, "redeems");
        assertEq(handler.successes("recover"), 1, "recoveries");
        assertEq(handler.successes("split"), 1, "splits");
        invariant_register();
    }

    /// @notice The register invariants, checked after every handler call (one campaign runs
    /// them all; see each check's NatSpec).
    function invariant_register() public view {
        _checkExact();
        _checkRegisterSum();
        _checkInvestorTotals();
        _checkHolderCounts();
        _checkNoUnverifiedHolder();
        _checkFrozenWithinBalance();
        _checkSnapshots();
        _checkCapsHeld();
    }

    /// @dev Same numbering as {RegistryShareHandler-wallet} (kept local: the checks run after every call).
    function _wallet(uint256 i) internal pure returns (address) {
        return address(uint160(0xA000 + i));
    }

    /// @notice Exactness (13.7): every transfer, forced transfer, issue and redeem changed the
    /// balances by exactly the amount asked, at every multiplier the splits produced.
    function _checkExact() internal view {
        assertTrue(!handler.inexact(), handler.inexactAction());
    }

    /// @notice Register sum: the balances add up to at most `totalSupply` (= total units times
    /// the multiplier, rounded down); the gap is dust, within the bound the handler accumulates
    /// (< 1 unit per issue or redeem, < 1 wei per wallet per split).
    function _checkRegisterSum() internal view {
        uint256 sum;
        for (uint256 i; i < WALLETS; ++i) {
            sum += share.balanceOf(_wallet(i));
        }
        uint256 supply = share.totalSupply();
        assertLe(sum, supply, "sum of balances <= totalSupply");
        uint256 bound = handler.supplyDustUnits() * share.multiplier() / 1e36 + 1;
        assertLe(supply - sum, bound, "supply dust within its bound");
    }

    /// @notice Per-investor register: each investor's recorded total is at least the balances of
    /// the wallets the model says are counted under it (units follow the investor a wallet
    /// belonged to when it received them), and exceeds them by split dust only.
    function _checkInvestorTotals() internal view {
        uint256[INVESTORS + 1] memory sums; // by registry index (investor k has index k + 1)
        for (uint256 i; i < WALLETS; ++i) {
            address w = _wallet(i);
            uint256 amount = share.balanceOf(w);
            if (amount != 0) sums[handler.countedUnder(w)] += amount;
        }
        for (uint256 k; k < INVESTORS; ++k) {
            bytes32 id = handler.ids(k);
            uint256 total = share.investorBalance(id);
            uint256 walletSum = sums[registry.indexOf(id)];
            assertGe(total, walletSum, "investor total >= its wallets' balances");
            assertLe(total - walletSum, handler.investorDust(), "investor dust within its bound");
            if (share.holdingWallets(id) == 0) assertEq(total, 0, "a non-holder has no total");
        }
    }

    /// @notice Exact holder counts: `holderCount` is the number of investors (not wallets) with a
    /// holding wallet, and each country's count is the number of such investors counted under it;
    /// an investor with a non-zero balance is a holder.
    function _checkHolderCounts() internal view {
        uint256 holders;
        uint256[3] memory perCountry;
        for (uint256 k; k < INVESTORS; ++k) {
            bytes32 id = handler.ids(k);
            if (share.holdingWallets(id) == 0) continue;
            holders++;
            uint16 country = handler.countedCountry(registry.indexOf(id));
            for (uint256 c; c < 3; ++c) {
                if (handler.countries(c) == country) perCountry[c]++;
            }
        }
        assertEq(share.holderCount(), holders, "holderCount");
        for (uint256 c; c < 3; ++c) {
            assertEq(share.countryHolderCount(handler.countries(c)), perCountry[c], "countryHolderCount");
        }
    }

    /// @notice No unverified wallet holds: a wallet the registry never bound holds nothing, and no
    /// issue, transfer, forced transfer or recovery ever credited a wallet the registry did not
    /// verify at that moment (wallets only keep shares they received while verified; a later
    /// unbinding or KYC expiry freezes them in place until the transfer agent recovers them).
    function _checkNoUnverifiedHolder() internal view {
        for (uint256 i = INVESTORS * handler.WALLETS_PER_INVESTOR(); i < WALLETS; ++i) {
            assertEq(share.balanceOf(_wallet(i)), 0, "outsider holds nothing");
        }
        assertTrue(!handler.receivedWhileUnverified(), "received while unverified");
    }

    /// @notice Frozen tokens never exceed the balance of their wallet.
    function _checkFrozenWithinBalance() internal view {
        for (uint256 i; i < WALLETS; ++i) {
            address w = _wallet(i);
            assertLe(share.getFrozenTokens(w), share.balanceOf(w), "frozen <= balance");
        }
    }

    /// @notice Record dates: for each of the last three snapshots, each wallet's `balanceAt` is
    /// exactly its balance when the snapshot was taken, whatever moved or split since; the units at
    /// the snapshot add up to at most the total units then (a dividend never pays out more).
    function _checkSnapshots() internal view {
        uint32 current = share.currentSnapshotId();
        for (uint32 id = current > 3 ? current - 2 : 1; id <= current; ++id) {
            uint256 sum;
            for (uint256 i; i < WALLETS; ++i) {
                address w = _wallet(i);
                assertEq(share.balanceAt(w, id), handler.balanceAtSnapshot(id, w), "balanceAt == balance then");
                sum += share.unitsAt(w, id);
            }
            assertLe(sum, handler.unitsAtSnapshot(id), "sum of unitsAt <= total units at the snapshot");
        }
    }

    /// @notice Holder caps: no issue or holder transfer ever took the holder count, or a country's
    /// count, above its cap (forced transfers and recoveries are exempt by design; a cap lowered
    /// below the current count only blocks new holders).
    function _checkCapsHeld() internal view {
        assertTrue(!handler.capExceeded(), "holder cap exceeded");
    }
}
