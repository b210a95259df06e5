// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IRegistryShare} from "../interfaces/IRegistryShare.sol";
import {IInvestorRegistry} from "../interfaces/IInvestorRegistry.sol";
import {IAssetIdentity} from "../interfaces/IAssetIdentity.sol";
import {ICrosschainAsset} from "../interfaces/ICrosschainAsset.sol";
import {IGatewaySupply} from "../interfaces/IGatewaySupply.sol";

/// @title DividendDistributor
/// @notice Cash dividends of one registry share, paid pull-style at a record point.
/// A dividend belongs to the security, not to a chain. It is declared on the home chain
/// ({declareDividend}): that opens a record date on the share (a corporate-action epoch the
/// gateway broadcasts to every chain) and fixes a rate per unit: the cash divided by every unit
/// of the security at the record date, on this chain or elsewhere (the gateway's supply
/// elsewhere, messages in flight included). The distributor of each other chain pays the same
/// rate at the same record point ({declareRemoteDividend}), funded on that chain. A unit counts
/// where it is at its chain's record point, or, if it was in flight, where it is delivered
/// (`IRegistryShare.inFlightUnitsAt`): once, wherever the share is.
/// Each wallet claims `units x rate` (rounded down); claiming costs the same for 10 or 10 million
/// holders: one snapshot lookup in the claimant's own (short) history. After the deadline the
/// transfer agent reclaims what is left.
/// @dev Note: for every dividend, `claimed + withheld <= amount` NEVER fails, and the cash held
/// for it is `amount - claimed` until it is reclaimed, `withheld` afterwards. `amount` is the cash
/// that actually arrived (a fee-on-transfer token delivers less than asked). On the home chain
/// the rate rounds down over at least every unit that can be paid, so the parts never exceed
/// `amount`; elsewhere a claim beyond the escrow is refused ({DividendEscrowShort}) until {fund}.
/// Eligibility: a claim is refused while the payee's wallet is frozen by the transfer agent, its
/// investor is frozen by the registrar, or its investor's KYC has expired. Such an entitlement
/// can be *withheld* ({withhold}, anyone, before the deadline): it then stays in escrow past the
/// deadline, is never reclaimed, and is paid by {claim} once the condition is lifted.
/// A lost wallet's entitlement is paid to the wallet it was recovered to (followed through every
/// recovery of that investor), whoever triggers the claim; the share never credits a recovered
/// wallet again, so its record-date units are always its old investor's.
/// Upgradeable (UUPS, ERC-1967): clients use the proxy's address; all of the distributor's own
/// state (its share and registry included) lives in one ERC-7201 namespace
/// (`DividendDistributorStorage`, no sequential slot), so an upgrade keeps every dividend, escrow,
/// claim and withheld part. Only DEFAULT_ADMIN_ROLE may upgrade ({_authorizeUpgrade}): the timelock
/// once the deployment hands admin over. The implementation itself can never be initialised.
contract DividendDistributor is Initializable, UUPSUpgradeable, AccessControlUpgradeable {
    using SafeERC20 for IERC20;

    /// @notice Declares dividends, funds them and reclaims unclaimed cash.
    bytes32 public constant TRANSFER_AGENT_ROLE = keccak256("TRANSFER_AGENT_ROLE");

    /// @notice Scale of a rate: cash per `RATE_SCALE` units.
    uint256 public constant RATE_SCALE = 1e36;

    struct Dividend {
        IERC20 cash;
        uint32 snapshotId;
        uint64 deadline;
        uint64 recordEpoch; // the share's corporate-action epoch of the record date
        uint128 amount; // cash escrowed
        uint128 totalUnits; // home chain: every unit of the security at the record date; else 0
        uint128 claimed;
        uint128 withheld; // withheld entitlements not paid yet (kept in escrow past the deadline)
        bool reclaimed;
        uint256 rate; // cash per RATE_SCALE units
    }

    /// @notice The dividend does not exist.
    error DividendUnknown(uint256 dividendId);
    /// @notice Zero amount, zero cash token, zero rate or an empty register.
    error DividendInvalid(uint256 amount, uint256 totalUnits);
    /// @notice The wallet already claimed this dividend.
    error DividendAlreadyClaimed(uint256 dividendId, address wallet);
    /// @notice The wallet held nothing at the record date.
    error DividendNothingToClaim(uint256 dividendId, address wallet);
    /// @notice The claim period is over.
    error DividendClaimPeriodOver(uint256 dividendId, uint64 deadline);
    /// @notice The claim period is not over yet (reclaim) or was already reclaimed.
    error DividendNotReclaimable(uint256 dividendId, uint64 deadline);
    /// @notice The wallet (or the wallet it was recovered to) is frozen by the transfer agent.
    error DividendWalletFrozen(address wallet);
    /// @notice A zero address was given.
    error DividendZeroAddress();
    /// @notice The payee's investor is frozen by the registrar (the claim waits until unfrozen).
    error DividendInvestorFrozen(address payee, bytes32 investorId);
    /// @notice The payee's investor's KYC expired (the claim waits until it is renewed).
    error DividendKycExpired(address payee, uint64 kycExpiry);
    /// @notice Only an open, non-zero entitlement of a payee that cannot be paid now (frozen wallet
    /// or investor, expired KYC) can be withheld, before the deadline.
    error DividendNotWithholdable(uint256 dividendId, address wallet);
    /// @notice Dividends are declared on the home chain ({declareDividend}) and mirrored elsewhere
    /// ({declareRemoteDividend}).
    error DividendWrongChain(uint256 chainId, uint256 homeChainId);
    /// @notice This chain has not reached the record point of `epoch` yet (the gateway's broadcast
    /// of the record date has not been delivered).
    error DividendRecordPointNotReached(uint64 epoch);
    /// @notice The escrow of the dividend does not cover this payment (fund it first).
    error DividendEscrowShort(uint256 dividendId, uint256 needed, uint256 available);

    /// @notice A dividend was declared at the record point of `recordEpoch` (this chain's
    /// snapshot `snapshotId`), paying `rate` cash per `RATE_SCALE` units.
    event DividendDeclared(
        uint256 indexed dividendId,
        IERC20 indexed cash,
        uint256 amount,
        uint32 snapshotId,
        uint256 totalUnits,
        uint64 deadline,
        string reason,
        uint64 recordEpoch,
        uint256 rate
    );
    /// @notice `amount` more cash was escrowed for a dividend.
    event DividendFunded(uint256 indexed dividendId, uint256 amount);
    /// @notice `wallet`'s part was paid to `payee` (itself, or the wallet it was recovered to).
    event DividendClaimed(uint256 indexed dividendId, address indexed wallet, address indexed payee, uint256 amount);
    /// @notice `wallet`'s part, payable to `payee` once it is eligible again, is kept in escrow
    /// past the deadline.
    event DividendWithheld(uint256 indexed dividendId, address indexed wallet, address indexed payee, uint256 amount);
    /// @notice The unclaimed rest was returned after the deadline.
    event DividendReclaimed(uint256 indexed dividendId, address indexed to, uint256 amount);

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.DividendDistributor")) - 1)) & ~bytes32(uint256(0xff))
    /// = 0xd1fd0177350336f7f7c2527a1fe38c74458b050d60944a0766d602a1f2f78000 (ERC-7201; asserted in
    /// test/forge/DividendDistributorUpgrade.t.sol).
    bytes32 private constant DIVIDEND_DISTRIBUTOR_STORAGE =
        0xd1fd0177350336f7f7c2527a1fe38c74458b050d60944a0766d602a1f2f78000;

    /// @custom:storage-location erc7201:tokenized-stocks.storage.DividendDistributor
    struct DividendDistributorStorage {
        IRegistryShare share; // set once by {initialize}
        IInvestorRegistry registry; // the share's investor registry, set once by {initialize}
        mapping(uint256 dividendId => Dividend) dividends;
        mapping(uint256 dividendId => mapping(address wallet => WalletPart)) parts;
        uint256 count;
    }

    /// @dev A wallet's part of one dividend, in one slot (a claim reads and writes it once). Both
    /// fit: what a wallet was paid is part of the dividend's `claimed`, what it has withheld part
    /// of its `withheld`, and `claimed + withheld <= amount < 2**128`.
    struct WalletPart {
        uint128 paid; // cash paid on this wallet's part
        uint128 withheld; // cash withheld for it and not paid yet
    }

    /// @notice The implementation: never initialised itself (a proxy delegates to it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a distributor behind its proxy (called once, in the proxy's deployment).
    /// @param admin Receives `DEFAULT_ADMIN_ROLE`.
    /// @param share_ The registry share (must grant this contract its `SNAPSHOT_ROLE`).
    /// @dev Emits {RoleGranted} and {Initialized}. Requirements: not yet initialised (the
    /// implementation never is); neither address is zero.
    function initialize(address admin, IRegistryShare share_) external initializer {
        __UUPSUpgradeable_init();
        __AccessControl_init();
        if (admin == address(0) || address(share_) == address(0)) revert DividendZeroAddress();
        DividendDistributorStorage storage $ = _ds();
        $.share = share_;
        $.registry = share_.identityRegistry();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice The registry share whose holders this distributor pays.
    function share() external view returns (IRegistryShare) {
        return _ds().share;
    }

    // ------------------------------------------------------------------------------------------
    // Transfer agent
    // ------------------------------------------------------------------------------------------

    /// @notice Home chain: declares a cash dividend of the whole security with a record date of
    /// now, and escrows `amount` of `cash` from the caller. The rate is the cash received over
    /// every unit of the security (here, elsewhere and in flight), rounded down; holders on other
    /// chains are paid the same rate there ({declareRemoteDividend}), so this escrow only ever
    /// pays this chain's part and the rest is reclaimed after the deadline.
    /// @param cash The cash token (e.g. a stablecoin).
    /// @param amount Total cash to transfer in (the dividend of the whole security).
    /// @param claimPeriod Seconds during which holders can claim.
    /// @param reason Legal reference (board resolution, payment notice).
    /// @return dividendId The new dividend's id (1-based).
    /// @dev Emits {DividendDeclared} with the amount received, and the share's record-date events.
    /// Requirements: caller has `TRANSFER_AGENT_ROLE` and approved `amount`; on the share's home
    /// chain; the security has units; the cash received is in (0, 2**128).
    // The share called is this contract's own registry share, set once by `initialize` (it was an
    // immutable before the contract became upgradeable); its record date calls nothing back.
    // slither-disable-next-line reentrancy-no-eth
    function declareDividend(IERC20 cash, uint256 amount, uint64 claimPeriod, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (uint256 dividendId)
    {
        IRegistryShare share_ = _ds().share;
        uint256 home = IAssetIdentity(address(share_)).homeChainId();
        if (home != block.chainid) revert DividendWrongChain(block.chainid, home);
        // Filled field by field below.
        // slither-disable-next-line uninitialized-local
        Dividend memory d;
        d.cash = cash;
        d.deadline = uint64(block.timestamp) + claimPeriod;
        uint256 totalUnits = share_.totalUnits() + _unitsElsewhere(share_);
        if (address(cash) == address(0) || amount == 0 || totalUnits == 0 || totalUnits > type(uint128).max) {
            revert DividendInvalid(amount, totalUnits);
        }
        uint256 received = _pull(cash, amount);
        // slither-disable-next-line incorrect-equality
        if (received == 0 || received > type(uint128).max) revert DividendInvalid(received, totalUnits);
        (d.recordEpoch, d.snapshotId) = share_.recordDate(reason);
        d.amount = uint128(received);
        d.totalUnits = uint128(totalUnits); // checked above
        d.rate = Math.mulDiv(received, RATE_SCALE, totalUnits);
        dividendId = _store(d, reason);
    }

    /// @notice Another chain than the home chain: pays the home chain's dividend of record date
    /// `recordEpoch` at the same `rate` to this chain's holders at this chain's record point, and
    /// escrows `amount` of `cash` for them (top it up with {fund}; reclaim the rest).
    /// @param cash The cash token of this chain.
    /// @param recordEpoch The record date's corporate-action epoch (home `DividendDeclared`).
    /// @param rate The home dividend's rate (cash per `RATE_SCALE` units, home `DividendDeclared`).
    /// @param amount Cash to transfer in.
    /// @param claimPeriod Seconds during which holders can claim.
    /// @param reason Legal reference (the home declaration).
    /// @return dividendId The new dividend's id on this chain.
    /// @dev Emits {DividendDeclared} (totalUnits 0). Requirements: caller has
    /// `TRANSFER_AGENT_ROLE` and approved `amount`; not the home chain; this chain reached the
    /// record point ({DividendRecordPointNotReached}); `rate` > 0; cash received in (0, 2**128).
    function declareRemoteDividend(
        IERC20 cash,
        uint64 recordEpoch,
        uint256 rate,
        uint256 amount,
        uint64 claimPeriod,
        string calldata reason
    ) external onlyRole(TRANSFER_AGENT_ROLE) returns (uint256 dividendId) {
        IRegistryShare share_ = _ds().share;
        uint256 home = IAssetIdentity(address(share_)).homeChainId();
        if (home == block.chainid) revert DividendWrongChain(block.chainid, home);
        // Filled field by field below.
        // slither-disable-next-line uninitialized-local
        Dividend memory d;
        d.cash = cash;
        d.deadline = uint64(block.timestamp) + claimPeriod;
        d.recordEpoch = recordEpoch;
        d.snapshotId = share_.recordSnapshotOf(recordEpoch);
        // slither-disable-next-line incorrect-equality
        if (recordEpoch == 0 || d.snapshotId == 0) revert DividendRecordPointNotReached(recordEpoch);
        if (address(cash) == address(0) || amount == 0) revert DividendInvalid(amount, 0);
        uint256 received = _pull(cash, amount);
        // slither-disable-next-line incorrect-equality
        if (received == 0 || received > type(uint128).max) revert DividendInvalid(received, 0);
        d.amount = uint128(received);
        d.rate = rate;
        dividendId = _store(d, reason);
    }

    /// @notice Escrows `amount` more cash for a dividend (a chain's holders turned out to hold more
    /// at the record point, e.g. units delivered after it).
    /// @param dividendId The dividend.
    /// @param amount Cash to transfer in.
    /// @return received The cash that arrived.
    /// @dev Emits {DividendFunded}. Requirements: caller has `TRANSFER_AGENT_ROLE` and approved
    /// `amount`; the dividend exists and was not reclaimed.
    function fund(uint256 dividendId, uint256 amount)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (uint256 received)
    {
        Dividend storage d = _dividend(dividendId);
        if (d.reclaimed) revert DividendNotReclaimable(dividendId, d.deadline);
        received = _pull(d.cash, amount);
        uint256 total = d.amount + received;
        if (total > type(uint128).max) revert DividendInvalid(total, d.totalUnits);
        d.amount = uint128(total);
        emit DividendFunded(dividendId, received);
    }

    /// @notice Returns the unclaimed cash of a dividend after its deadline, except the withheld
    /// entitlements, which stay in escrow for their holders.
    /// @param dividendId The dividend.
    /// @param to Where the cash goes (the issuer's treasury).
    /// @return amount Cash returned.
    /// @dev Emits {DividendReclaimed}. Requirements: caller has `TRANSFER_AGENT_ROLE`; the deadline
    /// passed; not reclaimed yet.
    function reclaim(uint256 dividendId, address to) external onlyRole(TRANSFER_AGENT_ROLE) returns (uint256 amount) {
        if (to == address(0)) revert DividendZeroAddress();
        Dividend storage d = _dividend(dividendId);
        if (block.timestamp <= d.deadline || d.reclaimed) revert DividendNotReclaimable(dividendId, d.deadline);
        d.reclaimed = true;
        amount = d.amount - d.claimed - d.withheld;
        d.cash.safeTransfer(to, amount);
        emit DividendReclaimed(dividendId, to, amount);
    }

    // ------------------------------------------------------------------------------------------
    // Holders
    // ------------------------------------------------------------------------------------------

    /// @notice Pays what is owed on `wallet`'s part of a dividend to `wallet`, or to the wallet it
    /// was recovered to. Anyone may trigger it: the cash only ever goes to the holder. Units
    /// delivered later that were in flight at the record point are owed on top, and paid by a
    /// later claim.
    /// @param dividendId The dividend.
    /// @param wallet The wallet that held shares at the record point.
    /// @return paid Cash paid.
    /// @dev Emits {DividendClaimed}. Requirements: before the deadline, or any time for a withheld
    /// entitlement (at most what was withheld); something is owed ({DividendAlreadyClaimed} when
    /// all was paid, {DividendNothingToClaim} when nothing was ever owed); neither the wallet nor
    /// its payee is frozen ({DividendWalletFrozen}); the payee's investor is not frozen
    /// ({DividendInvestorFrozen}) and its KYC has not expired ({DividendKycExpired}); the escrow
    /// covers it ({DividendEscrowShort}).
    function claim(uint256 dividendId, address wallet) external returns (uint256 paid) {
        DividendDistributorStorage storage $ = _ds();
        IRegistryShare share_ = $.share;
        Dividend storage d = _dividend(dividendId);
        WalletPart memory part = $.parts[dividendId][wallet];
        uint256 alreadyPaid = part.paid;
        uint256 withheld = part.withheld;
        paid = _entitlement(share_, d, wallet) - alreadyPaid; // cannot underflow: entitlements only grow
        if (paid == 0) {
            if (alreadyPaid != 0) revert DividendAlreadyClaimed(dividendId, wallet);
            revert DividendNothingToClaim(dividendId, wallet);
        }
        if (block.timestamp > d.deadline) {
            // After the deadline only withheld cash is left for this wallet.
            if (withheld == 0) revert DividendClaimPeriodOver(dividendId, d.deadline);
            paid = withheld;
        }
        address payee = _payee(share_, wallet);
        _requireEligible(share_, wallet, payee);
        uint256 fromWithheld = Math.min(paid, withheld);
        _requireEscrow(d, dividendId, paid - fromWithheld);
        // Cannot overflow: claimed + withheld <= amount, a uint128 (checked by _requireEscrow), and
        // this wallet's paid and withheld parts are parts of them.
        // Cannot underflow: `fromWithheld` <= this wallet's withheld part <= the dividend's.
        unchecked {
            $.parts[dividendId][wallet] =
                WalletPart({paid: uint128(alreadyPaid + paid), withheld: uint128(withheld - fromWithheld)});
            d.claimed += uint128(paid);
            if (fromWithheld != 0) d.withheld -= uint128(fromWithheld);
        }
        d.cash.safeTransfer(payee, paid);
        emit DividendClaimed(dividendId, wallet, payee, paid);
    }

    /// @notice Withholds what is owed on `wallet`'s part while its payee cannot be paid (frozen
    /// wallet, frozen investor, expired KYC): the cash stays in escrow past the deadline, is never
    /// reclaimed and is paid by {claim} once the condition is lifted. Anyone may trigger it (the
    /// holder, the transfer agent before reclaiming, a keeper): it only ever protects the holder.
    /// @param dividendId The dividend.
    /// @param wallet The wallet that held shares at the record point.
    /// @return amount The cash withheld.
    /// @dev Emits {DividendWithheld}. Requirements: before the deadline; something is owed and
    /// not withheld yet; the payee is not eligible now ({DividendNotWithholdable}); the escrow
    /// covers it ({DividendEscrowShort}).
    function withhold(uint256 dividendId, address wallet) external returns (uint256 amount) {
        DividendDistributorStorage storage $ = _ds();
        IRegistryShare share_ = $.share;
        Dividend storage d = _dividend(dividendId);
        if (block.timestamp > d.deadline) revert DividendClaimPeriodOver(dividendId, d.deadline);
        address payee = _payee(share_, wallet);
        WalletPart memory part = $.parts[dividendId][wallet];
        uint256 withheld = part.withheld;
        amount = _entitlement(share_, d, wallet) - part.paid - withheld;
        if (amount == 0 || _isEligible(share_, wallet, payee)) revert DividendNotWithholdable(dividendId, wallet);
        _requireEscrow(d, dividendId, amount);
        // Cannot overflow: claimed + withheld <= amount, a uint128 (checked by _requireEscrow), and
        // this wallet's withheld part is part of the dividend's.
        unchecked {
            $.parts[dividendId][wallet].withheld = uint128(withheld + amount);
            d.withheld += uint128(amount);
        }
        emit DividendWithheld(dividendId, wallet, payee, amount);
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @notice A dividend's record.
    /// @param dividendId The dividend.
    function dividend(uint256 dividendId) external view returns (Dividend memory) {
        return _dividend(dividendId);
    }

    /// @notice Number of dividends declared.
    function dividendCount() external view returns (uint256) {
        return _ds().count;
    }

    /// @notice What `wallet` can still claim (0 once all is paid).
    /// @param dividendId The dividend.
    /// @param wallet The wallet.
    function claimable(uint256 dividendId, address wallet) external view returns (uint256) {
        DividendDistributorStorage storage $ = _ds();
        return _entitlement($.share, _dividend(dividendId), wallet) - $.parts[dividendId][wallet].paid;
    }

    /// @notice Whether `wallet` was paid (part of) the dividend.
    /// @param dividendId The dividend.
    /// @param wallet The wallet.
    function hasClaimed(uint256 dividendId, address wallet) external view returns (bool) {
        return _ds().parts[dividendId][wallet].paid != 0;
    }

    /// @notice Cash of `wallet`'s part withheld and not paid yet (payable past the deadline).
    /// @param dividendId The dividend.
    /// @param wallet The wallet.
    function withheldOf(uint256 dividendId, address wallet) external view returns (uint256) {
        return _ds().parts[dividendId][wallet].withheld;
    }

    // ------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------

    function _dividend(uint256 dividendId) private view returns (Dividend storage d) {
        d = _ds().dividends[dividendId];
        if (d.snapshotId == 0) revert DividendUnknown(dividendId);
    }

    /// @dev `wallet`'s units at the record point times the rate, rounded down: its units in this
    /// chain's snapshot plus the units delivered to it that were in flight at the record point.
    function _entitlement(IRegistryShare share_, Dividend storage d, address wallet) private view returns (uint256) {
        uint256 units = share_.unitsAt(wallet, d.snapshotId) + share_.inFlightUnitsAt(d.recordEpoch, wallet);
        return Math.mulDiv(units, d.rate, RATE_SCALE);
    }

    /// @dev Units of the security on other chains and in flight, as the home gateway counts them.
    function _unitsElsewhere(IRegistryShare share_) private view returns (uint256) {
        address gateway = ICrosschainAsset(address(share_)).gateway();
        if (gateway == address(0)) return 0;
        return IGatewaySupply(gateway).supplyElsewhere(IAssetIdentity(address(share_)).assetId());
    }

    /// @dev Pulls `amount` of `cash` from the caller; returns what actually arrived.
    function _pull(IERC20 cash, uint256 amount) private returns (uint256 received) {
        uint256 before = cash.balanceOf(address(this));
        cash.safeTransferFrom(_msgSender(), address(this), amount);
        received = cash.balanceOf(address(this)) - before;
    }

    /// @dev Stores a new dividend and emits {DividendDeclared}.
    function _store(Dividend memory d, string calldata reason) private returns (uint256 dividendId) {
        // slither-disable-next-line incorrect-equality
        if (d.rate == 0) revert DividendInvalid(d.amount, d.totalUnits);
        DividendDistributorStorage storage $ = _ds();
        dividendId = ++$.count;
        $.dividends[dividendId] = d;
        emit DividendDeclared(
            dividendId, d.cash, d.amount, d.snapshotId, d.totalUnits, d.deadline, reason, d.recordEpoch, d.rate
        );
    }

    /// @dev Reverts unless the escrow not yet paid or withheld covers `extra` more.
    function _requireEscrow(Dividend storage d, uint256 dividendId, uint256 extra) private view {
        uint256 available = d.amount - d.claimed - d.withheld;
        if (extra > available) revert DividendEscrowShort(dividendId, extra, available);
    }

    /// @dev Reverts with the rule that stops paying `wallet`'s part to `payee` now, if any.
    function _requireEligible(IRegistryShare share_, address wallet, address payee) private view {
        if (share_.isFrozen(wallet)) revert DividendWalletFrozen(wallet);
        if (payee != wallet && share_.isFrozen(payee)) revert DividendWalletFrozen(payee);
        IInvestorRegistry registry = _ds().registry;
        IInvestorRegistry.Party memory p = registry.party(payee);
        // An unbound payee (an investor that left the register) is paid what it held.
        if (p.index == 0) return;
        if (p.frozen) revert DividendInvestorFrozen(payee, registry.investorIdAt(p.index));
        if (p.kycExpiry < block.timestamp) revert DividendKycExpired(payee, p.kycExpiry);
    }

    /// @dev Whether {_requireEligible} passes.
    function _isEligible(IRegistryShare share_, address wallet, address payee) private view returns (bool) {
        if (share_.isFrozen(wallet) || (payee != wallet && share_.isFrozen(payee))) return false;
        IInvestorRegistry.Party memory p = _ds().registry.party(payee);
        return p.index == 0 || (!p.frozen && p.kycExpiry >= block.timestamp);
    }

    /// @dev The wallet that now owns `wallet`'s rights: follows the investor's wallet recoveries
    /// (one hop per lost wallet of that investor, never a loop over holders).
    function _payee(IRegistryShare share_, address wallet) private view returns (address payee) {
        payee = wallet;
        address next = share_.recoveredTo(payee);
        while (next != address(0)) {
            payee = next;
            next = share_.recoveredTo(payee);
        }
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every dividend, escrow, claim and withheld part stays, they live in the
    /// distributor's ERC-7201 namespace.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /// @dev The distributor's state: one ERC-7201 namespace ({DIVIDEND_DISTRIBUTOR_STORAGE}).
    function _ds() private pure returns (DividendDistributorStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := DIVIDEND_DISTRIBUTOR_STORAGE
        }
    }
}
