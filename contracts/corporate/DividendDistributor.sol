// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IRegistryShare} from "../interfaces/IRegistryShare.sol";
import {IInvestorRegistry} from "../interfaces/IInvestorRegistry.sol";

/// @title DividendDistributor
/// @notice Cash dividends of one registry share, paid pull-style from a record-date snapshot.
/// Declaring takes a snapshot of the share and escrows the cash; each wallet then claims its
/// pro-rata part (units at the snapshot / total units at the snapshot), once, until the deadline;
/// afterwards the transfer agent reclaims what is left. Claiming costs the same for 10 or 10
/// million holders: one snapshot lookup in the claimant's own (short) history.
/// @dev Note: for every dividend, `claimed + withheld <= amount` NEVER fails, and the cash held
/// for it is `amount - claimed` until it is reclaimed, `withheld` afterwards. `amount` is the cash
/// that actually arrived (a fee-on-transfer token delivers less than asked).
/// Eligibility: a claim is refused while the payee's wallet is frozen by the transfer agent, its
/// investor is frozen by the registrar, or its investor's KYC has expired. Such an entitlement
/// can be *withheld* ({withhold}, anyone, before the deadline): it then stays in escrow past the
/// deadline, is never reclaimed, and is paid by {claim} once the condition is lifted.
/// A lost wallet's entitlement is paid to the wallet it was recovered to (followed through every
/// recovery of that investor), whoever triggers the claim; the share never credits a recovered
/// wallet again, so its record-date units are always its old investor's.
contract DividendDistributor is AccessControl {
    using SafeERC20 for IERC20;

    /// @notice Declares dividends and reclaims unclaimed cash.
    bytes32 public constant TRANSFER_AGENT_ROLE = keccak256("TRANSFER_AGENT_ROLE");

    struct Dividend {
        IERC20 cash;
        uint32 snapshotId;
        uint64 deadline;
        uint128 amount;
        uint128 totalUnits;
        uint128 claimed;
        bool reclaimed;
        uint128 withheld; // withheld entitlements not paid yet (kept in escrow past the deadline)
    }

    /// @dev Per dividend and wallet: nothing yet, paid, or withheld (payable past the deadline).
    enum ClaimStatus {
        Open,
        Claimed,
        Withheld
    }

    /// @notice The dividend does not exist.
    error DividendUnknown(uint256 dividendId);
    /// @notice Zero amount, zero cash token or an empty register.
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

    /// @notice A dividend was declared with its record-date snapshot.
    event DividendDeclared(
        uint256 indexed dividendId,
        IERC20 indexed cash,
        uint256 amount,
        uint32 snapshotId,
        uint256 totalUnits,
        uint64 deadline,
        string reason
    );
    /// @notice `wallet`'s part was paid to `payee` (itself, or the wallet it was recovered to).
    event DividendClaimed(uint256 indexed dividendId, address indexed wallet, address indexed payee, uint256 amount);
    /// @notice `wallet`'s part, payable to `payee` once it is eligible again, is kept in escrow
    /// past the deadline.
    event DividendWithheld(uint256 indexed dividendId, address indexed wallet, address indexed payee, uint256 amount);
    /// @notice The unclaimed rest was returned after the deadline.
    event DividendReclaimed(uint256 indexed dividendId, address indexed to, uint256 amount);

    IRegistryShare public immutable share;
    IInvestorRegistry private immutable _registry;

    mapping(uint256 dividendId => Dividend) private _dividends;
    mapping(uint256 dividendId => mapping(address wallet => ClaimStatus)) private _status;
    uint256 private _count;

    /// @param admin Receives `DEFAULT_ADMIN_ROLE`.
    /// @param share_ The registry share (must grant this contract its `SNAPSHOT_ROLE`).
    constructor(address admin, IRegistryShare share_) {
        if (admin == address(0) || address(share_) == address(0)) revert DividendZeroAddress();
        share = share_;
        _registry = share_.identityRegistry();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Declares a cash dividend on the register as of now (the record date) and escrows
    /// `amount` of `cash` from the caller. The dividend is what actually arrived (a fee-on-transfer
    /// token delivers less than `amount`).
    /// @param cash The cash token (e.g. a stablecoin).
    /// @param amount Total cash to transfer in.
    /// @param claimPeriod Seconds during which holders can claim.
    /// @param reason Legal reference (board resolution, payment notice).
    /// @return dividendId The new dividend's id (1-based).
    /// @dev Emits {DividendDeclared} with the amount received. Requirements: caller has
    /// `TRANSFER_AGENT_ROLE` and approved `amount`; the register is not empty; the cash received
    /// is in (0, 2**128).
    function declareDividend(IERC20 cash, uint256 amount, uint64 claimPeriod, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (uint256 dividendId)
    {
        uint256 totalUnits = share.totalUnits();
        if (address(cash) == address(0) || amount == 0 || totalUnits == 0) revert DividendInvalid(amount, totalUnits);
        // The escrow is the balance delta: one dividend never pays out of another's cash.
        uint256 before = cash.balanceOf(address(this));
        cash.safeTransferFrom(_msgSender(), address(this), amount);
        uint256 received = cash.balanceOf(address(this)) - before;
        if (received == 0 || received > type(uint128).max) revert DividendInvalid(received, totalUnits);
        uint32 snapshotId = share.snapshot();
        dividendId = ++_count;
        uint64 deadline = uint64(block.timestamp) + claimPeriod;
        _dividends[dividendId] = Dividend({
            cash: cash,
            snapshotId: snapshotId,
            deadline: deadline,
            amount: uint128(received),
            totalUnits: uint128(totalUnits),
            claimed: 0,
            reclaimed: false,
            withheld: 0
        });
        emit DividendDeclared(dividendId, cash, received, snapshotId, totalUnits, deadline, reason);
    }

    /// @notice Pays `wallet`'s part of a dividend to `wallet`, or to the wallet it was recovered to.
    /// Anyone may trigger it: the cash only ever goes to the holder.
    /// @param dividendId The dividend.
    /// @param wallet The wallet that held shares at the record date.
    /// @return paid Cash paid.
    /// @dev Emits {DividendClaimed}. Requirements: before the deadline, or any time for a withheld
    /// entitlement; not claimed yet; the wallet held shares at the record date; neither it nor its
    /// payee is frozen ({DividendWalletFrozen}); the payee's investor is not frozen
    /// ({DividendInvestorFrozen}) and its KYC has not expired ({DividendKycExpired}).
    function claim(uint256 dividendId, address wallet) external returns (uint256 paid) {
        Dividend storage d = _dividend(dividendId);
        ClaimStatus status = _status[dividendId][wallet];
        if (status == ClaimStatus.Claimed) revert DividendAlreadyClaimed(dividendId, wallet);
        if (status == ClaimStatus.Open && block.timestamp > d.deadline) {
            revert DividendClaimPeriodOver(dividendId, d.deadline);
        }
        address payee = _payee(wallet);
        _requireEligible(wallet, payee);
        paid = _entitlement(d, wallet);
        if (paid == 0) revert DividendNothingToClaim(dividendId, wallet);
        _status[dividendId][wallet] = ClaimStatus.Claimed;
        // Cannot overflow: the parts sum to at most `amount` (each rounds down), a uint128.
        // Cannot underflow: a withheld entitlement was added to `withheld` with this same value.
        unchecked {
            d.claimed += uint128(paid);
            if (status == ClaimStatus.Withheld) d.withheld -= uint128(paid);
        }
        d.cash.safeTransfer(payee, paid);
        emit DividendClaimed(dividendId, wallet, payee, paid);
    }

    /// @notice Withholds `wallet`'s part while its payee cannot be paid (frozen wallet, frozen
    /// investor, expired KYC): the cash stays in escrow past the deadline, is never reclaimed and
    /// is paid by {claim} once the condition is lifted. Anyone may trigger it (the holder, the
    /// transfer agent before reclaiming, a keeper): it only ever protects the holder.
    /// @param dividendId The dividend.
    /// @param wallet The wallet that held shares at the record date.
    /// @return amount The entitlement withheld.
    /// @dev Emits {DividendWithheld}. Requirements: before the deadline; the entitlement is open
    /// and non-zero; the payee is not eligible now, else {DividendNotWithholdable}.
    function withhold(uint256 dividendId, address wallet) external returns (uint256 amount) {
        Dividend storage d = _dividend(dividendId);
        if (block.timestamp > d.deadline) revert DividendClaimPeriodOver(dividendId, d.deadline);
        address payee = _payee(wallet);
        amount = _entitlement(d, wallet);
        if (_status[dividendId][wallet] != ClaimStatus.Open || amount == 0 || _isEligible(wallet, payee)) {
            revert DividendNotWithholdable(dividendId, wallet);
        }
        _status[dividendId][wallet] = ClaimStatus.Withheld;
        // Cannot overflow: claimed + withheld parts sum to at most `amount`, a uint128.
        unchecked {
            d.withheld += uint128(amount);
        }
        emit DividendWithheld(dividendId, wallet, payee, amount);
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

    /// @notice A dividend's record.
    /// @param dividendId The dividend.
    function dividend(uint256 dividendId) external view returns (Dividend memory) {
        return _dividend(dividendId);
    }

    /// @notice Number of dividends declared.
    function dividendCount() external view returns (uint256) {
        return _count;
    }

    /// @notice What `wallet` can still claim (0 once claimed).
    /// @param dividendId The dividend.
    /// @param wallet The wallet.
    function claimable(uint256 dividendId, address wallet) external view returns (uint256) {
        if (_status[dividendId][wallet] == ClaimStatus.Claimed) return 0;
        return _entitlement(_dividend(dividendId), wallet);
    }

    /// @notice Whether `wallet` claimed the dividend.
    /// @param dividendId The dividend.
    /// @param wallet The wallet.
    function hasClaimed(uint256 dividendId, address wallet) external view returns (bool) {
        return _status[dividendId][wallet] == ClaimStatus.Claimed;
    }

    /// @notice Whether `wallet`'s part is withheld (kept in escrow past the deadline, not paid yet).
    /// @param dividendId The dividend.
    /// @param wallet The wallet.
    function isWithheld(uint256 dividendId, address wallet) external view returns (bool) {
        return _status[dividendId][wallet] == ClaimStatus.Withheld;
    }

    function _dividend(uint256 dividendId) private view returns (Dividend storage d) {
        d = _dividends[dividendId];
        if (d.snapshotId == 0) revert DividendUnknown(dividendId);
    }

    function _entitlement(Dividend storage d, address wallet) private view returns (uint256) {
        return share.unitsAt(wallet, d.snapshotId) * d.amount / d.totalUnits;
    }

    /// @dev Reverts with the rule that stops paying `wallet`'s part to `payee` now, if any.
    function _requireEligible(address wallet, address payee) private view {
        if (share.isFrozen(wallet)) revert DividendWalletFrozen(wallet);
        if (payee != wallet && share.isFrozen(payee)) revert DividendWalletFrozen(payee);
        IInvestorRegistry.Party memory p = _registry.party(payee);
        // An unbound payee (an investor that left the register) is paid what it held.
        if (p.index == 0) return;
        if (p.frozen) revert DividendInvestorFrozen(payee, _registry.investorIdAt(p.index));
        if (p.kycExpiry < block.timestamp) revert DividendKycExpired(payee, p.kycExpiry);
    }

    /// @dev Whether {_requireEligible} passes.
    function _isEligible(address wallet, address payee) private view returns (bool) {
        if (share.isFrozen(wallet) || (payee != wallet && share.isFrozen(payee))) return false;
        IInvestorRegistry.Party memory p = _registry.party(payee);
        return p.index == 0 || (!p.frozen && p.kycExpiry >= block.timestamp);
    }

    /// @dev The wallet that now owns `wallet`'s rights: follows the investor's wallet recoveries
    /// (one hop per lost wallet of that investor, never a loop over holders).
    function _payee(address wallet) private view returns (address payee) {
        payee = wallet;
        address next = share.recoveredTo(payee);
        while (next != address(0)) {
            payee = next;
            next = share.recoveredTo(payee);
        }
    }
}
