// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IRegistryShare} from "../interfaces/IRegistryShare.sol";

/// @title DividendDistributor
/// @notice Cash dividends of one registry share, paid pull-style from a record-date snapshot.
/// Declaring takes a snapshot of the share and escrows the cash; each wallet then claims its
/// pro-rata part (units at the snapshot / total units at the snapshot), once, until the deadline;
/// afterwards the transfer agent reclaims what is left. Claiming costs the same for 10 or 10
/// million holders: one snapshot lookup in the claimant's own (short) history.
/// @dev Note: for every dividend, `claimed <= amount` NEVER fails, and the cash held for it is
/// `amount - claimed` until it is reclaimed.
/// Frozen wallets cannot claim while frozen (their entitlement waits until the deadline); a
/// lost wallet's entitlement is paid to the wallet it was recovered to (followed through every
/// recovery of that investor), whoever triggers the claim.
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
    /// @notice The unclaimed rest was returned after the deadline.
    event DividendReclaimed(uint256 indexed dividendId, address indexed to, uint256 amount);

    IRegistryShare public immutable share;

    mapping(uint256 dividendId => Dividend) private _dividends;
    mapping(uint256 dividendId => mapping(address wallet => bool)) private _claimed;
    uint256 private _count;

    /// @param admin Receives `DEFAULT_ADMIN_ROLE`.
    /// @param share_ The registry share (must grant this contract its `SNAPSHOT_ROLE`).
    constructor(address admin, IRegistryShare share_) {
        if (admin == address(0) || address(share_) == address(0)) revert DividendZeroAddress();
        share = share_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Declares a cash dividend on the register as of now (the record date) and escrows
    /// `amount` of `cash` from the caller.
    /// @param cash The cash token (e.g. a stablecoin).
    /// @param amount Total cash to distribute.
    /// @param claimPeriod Seconds during which holders can claim.
    /// @param reason Legal reference (board resolution, payment notice).
    /// @return dividendId The new dividend's id (1-based).
    /// @dev Emits {DividendDeclared}. Requirements: caller has `TRANSFER_AGENT_ROLE` and approved
    /// `amount`; the register is not empty; `amount` > 0.
    function declareDividend(IERC20 cash, uint256 amount, uint64 claimPeriod, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (uint256 dividendId)
    {
        uint256 totalUnits = share.totalUnits();
        if (address(cash) == address(0) || amount == 0 || amount > type(uint128).max || totalUnits == 0) {
            revert DividendInvalid(amount, totalUnits);
        }
        uint32 snapshotId = share.snapshot();
        dividendId = ++_count;
        uint64 deadline = uint64(block.timestamp) + claimPeriod;
        _dividends[dividendId] = Dividend({
            cash: cash,
            snapshotId: snapshotId,
            deadline: deadline,
            amount: uint128(amount),
            totalUnits: uint128(totalUnits),
            claimed: 0,
            reclaimed: false
        });
        cash.safeTransferFrom(_msgSender(), address(this), amount);
        emit DividendDeclared(dividendId, cash, amount, snapshotId, totalUnits, deadline, reason);
    }

    /// @notice Pays `wallet`'s part of a dividend to `wallet`, or to the wallet it was recovered to.
    /// Anyone may trigger it: the cash only ever goes to the holder.
    /// @param dividendId The dividend.
    /// @param wallet The wallet that held shares at the record date.
    /// @return paid Cash paid.
    /// @dev Emits {DividendClaimed}. Requirements: before the deadline; not claimed yet; the
    /// wallet held shares at the record date; neither it nor its payee is frozen.
    function claim(uint256 dividendId, address wallet) external returns (uint256 paid) {
        Dividend storage d = _dividend(dividendId);
        if (block.timestamp > d.deadline) revert DividendClaimPeriodOver(dividendId, d.deadline);
        if (_claimed[dividendId][wallet]) revert DividendAlreadyClaimed(dividendId, wallet);
        address payee = _payee(wallet);
        if (share.isFrozen(wallet)) revert DividendWalletFrozen(wallet);
        if (payee != wallet && share.isFrozen(payee)) revert DividendWalletFrozen(payee);
        paid = _entitlement(d, wallet);
        if (paid == 0) revert DividendNothingToClaim(dividendId, wallet);
        _claimed[dividendId][wallet] = true;
        // Cannot overflow: the parts sum to at most `amount` (each rounds down), a uint128.
        unchecked {
            d.claimed += uint128(paid);
        }
        d.cash.safeTransfer(payee, paid);
        emit DividendClaimed(dividendId, wallet, payee, paid);
    }

    /// @notice Returns the unclaimed cash of a dividend after its deadline.
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
        amount = d.amount - d.claimed;
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
        if (_claimed[dividendId][wallet]) return 0;
        return _entitlement(_dividend(dividendId), wallet);
    }

    /// @notice Whether `wallet` claimed the dividend.
    /// @param dividendId The dividend.
    /// @param wallet The wallet.
    function hasClaimed(uint256 dividendId, address wallet) external view returns (bool) {
        return _claimed[dividendId][wallet];
    }

    function _dividend(uint256 dividendId) private view returns (Dividend storage d) {
        d = _dividends[dividendId];
        if (d.snapshotId == 0) revert DividendUnknown(dividendId);
    }

    function _entitlement(Dividend storage d, address wallet) private view returns (uint256) {
        return share.unitsAt(wallet, d.snapshotId) * d.amount / d.totalUnits;
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
