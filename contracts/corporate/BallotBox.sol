// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {IRegistryShare} from "../interfaces/IRegistryShare.sol";
import {ICrosschainAsset} from "../interfaces/ICrosschainAsset.sol";
import {IAssetIdentity} from "../interfaces/IAssetIdentity.sol";

/// @title BallotBox
/// @notice Simple shareholder ballots of one registry share: the transfer agent proposes, which
/// takes a record-date snapshot; each wallet votes yes, no or abstain once, weighted by its shares
/// at the record date; anyone reads the tally. Later transfers change no weight.
/// @dev Note: for every ballot `yes + no + abstain` == the sum of the weights of the wallets that
/// voted, and a wallet's weight is counted at most once per ballot.
/// Recovered wallets: a wallet the transfer agent recovered away from (its key lost or stolen)
/// NEVER votes again; its record-date weight belongs to the investor's current wallet, the end
/// of its recovery chain, which votes it with {castVoteFor}. If the lost key voted before the
/// recovery, that current wallet may replace the vote once while the ballot is open. The share
/// never credits a recovered wallet again, so its record-date weight is its old investor's.
/// Upgradeable (UUPS, ERC-1967): clients use the proxy's address; all of the box's own state (its
/// share included) lives in one ERC-7201 namespace (`BallotBoxStorage`, no sequential slot), so an
/// upgrade keeps every ballot, vote and tally. Only DEFAULT_ADMIN_ROLE may upgrade
/// ({_authorizeUpgrade}): the timelock once the deployment hands admin over. The implementation
/// itself can never be initialised.
contract BallotBox is Initializable, UUPSUpgradeable, AccessControlUpgradeable {
    /// @notice Proposes ballots.
    bytes32 public constant TRANSFER_AGENT_ROLE = keccak256("TRANSFER_AGENT_ROLE");

    /// @notice A shareholder's answer.
    enum Choice {
        No,
        Yes,
        Abstain
    }

    struct Ballot {
        uint32 snapshotId;
        uint64 end;
        uint96 multiplier; // shares per unit at the record date (1e18 = 1)
        uint64 recordEpoch; // the share's corporate-action epoch of the record date
        uint128 yes;
        uint128 no;
        uint128 abstain;
        bytes32 descriptionHash;
    }

    /// @notice The ballot does not exist.
    error BallotUnknown(uint256 ballotId);
    /// @notice Voting closed at `end`.
    error BallotClosed(uint256 ballotId, uint64 end);
    /// @notice The wallet already voted.
    error BallotAlreadyVoted(uint256 ballotId, address wallet);
    /// @notice The wallet held no shares at the record date.
    error BallotNoVotingPower(uint256 ballotId, address wallet);
    /// @notice The caller is not the wallet `wallet` was recovered to.
    error BallotNotSuccessor(address wallet, address caller);
    /// @notice A zero address or a zero voting period.
    error BallotInvalid();
    /// @notice Ballots are proposed on the home chain ({propose}) and mirrored elsewhere
    /// ({openRemote}).
    error BallotWrongChain(uint256 chainId, uint256 homeChainId);
    /// @notice This chain has not reached the record point of `epoch` yet.
    error BallotRecordPointNotReached(uint64 epoch);
    /// @notice `wallet` was recovered away from (lost key): its weight is voted by `successor`.
    error BallotWalletRecovered(uint256 ballotId, address wallet, address successor);

    /// @notice A ballot was opened with its record-date snapshot (record point of `recordEpoch`).
    event BallotProposed(
        uint256 indexed ballotId, uint32 snapshotId, uint64 end, string description, uint64 recordEpoch
    );
    /// @notice `wallet` voted with `weight` shares (cast by `voter`, itself or its successor).
    event VoteCast(
        uint256 indexed ballotId, address indexed wallet, address indexed voter, Choice choice, uint256 weight
    );

    /// @notice The successor `voter` of a recovered `wallet` replaced the vote its lost key cast
    /// before the recovery (`previous`) with `choice`, moving `weight` shares.
    event VoteReplaced(
        uint256 indexed ballotId,
        address indexed wallet,
        address indexed voter,
        Choice previous,
        Choice choice,
        uint256 weight
    );

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.BallotBox")) - 1)) & ~bytes32(uint256(0xff))
    /// = 0x5e0946137d64307e2e972efec52cf8d368baec00b44b1dca3d49442ab36f5400 (ERC-7201; asserted in
    /// test/forge/BallotBoxUpgrade.t.sol).
    bytes32 private constant BALLOT_BOX_STORAGE = 0x5e0946137d64307e2e972efec52cf8d368baec00b44b1dca3d49442ab36f5400;

    /// @custom:storage-location erc7201:tokenized-stocks.storage.BallotBox
    struct BallotBoxStorage {
        IRegistryShare share; // set once by {initialize}
        mapping(uint256 ballotId => Ballot) ballots;
        /// @dev 0: not voted; else bits 0..1 = choice + 1, bit 2 = cast by the wallet's successor.
        mapping(uint256 ballotId => mapping(address wallet => uint8 vote)) votes;
        uint256 count;
    }

    /// @notice The implementation: never initialised itself (a proxy delegates to it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a ballot box behind its proxy (called once, in the proxy's deployment).
    /// @param admin Receives `DEFAULT_ADMIN_ROLE`.
    /// @param share_ The registry share (must grant this contract its `SNAPSHOT_ROLE`).
    /// @dev Emits {RoleGranted} and {Initialized}. Requirements: not yet initialised (the
    /// implementation never is); neither address is zero ({BallotInvalid}).
    function initialize(address admin, IRegistryShare share_) external initializer {
        __UUPSUpgradeable_init();
        __AccessControl_init();
        if (admin == address(0) || address(share_) == address(0)) revert BallotInvalid();
        _bs().share = share_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice The registry share whose holders vote here.
    function share() external view returns (IRegistryShare) {
        return _bs().share;
    }

    /// @notice Home chain: opens a ballot of the whole security with a record date of now (a
    /// corporate-action epoch the gateway broadcasts); other chains mirror it ({openRemote}) and
    /// the security's result is the sum of every chain's tally for that record date.
    /// @param description The resolution put to the vote.
    /// @param votingPeriod Seconds the ballot stays open.
    /// @return ballotId The new ballot's id (1-based).
    /// @dev Emits {BallotProposed}. Requirements: caller has `TRANSFER_AGENT_ROLE`; period > 0; on
    /// the share's home chain.
    // The share called is this contract's own registry share, set once by `initialize` (it was an
    // immutable before the contract became upgradeable); its record date calls nothing back.
    // slither-disable-next-line reentrancy-no-eth
    function propose(string calldata description, uint64 votingPeriod)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (uint256 ballotId)
    {
        if (votingPeriod == 0) revert BallotInvalid();
        IRegistryShare share_ = _bs().share;
        uint256 home = IAssetIdentity(address(share_)).homeChainId();
        if (home != block.chainid) revert BallotWrongChain(block.chainid, home);
        (uint64 epoch, uint32 snapshotId) = share_.recordDate(description);
        ballotId =
            _open(snapshotId, epoch, uint96(ICrosschainAsset(address(share_)).multiplier()), votingPeriod, description);
    }

    /// @notice Another chain than the home chain: opens this chain's part of the home ballot of
    /// record date `recordEpoch`, weighted at this chain's record point.
    /// @param description The resolution (as proposed on the home chain).
    /// @param recordEpoch The record date's corporate-action epoch (home {BallotProposed}).
    /// @param multiplier Shares per unit at the record date (the home share's, 1e18 = 1).
    /// @param votingPeriod Seconds the ballot stays open here.
    /// @return ballotId The new ballot's id on this chain.
    /// @dev Emits {BallotProposed}. Requirements: caller has `TRANSFER_AGENT_ROLE`; period and
    /// multiplier > 0; not the home chain; this chain reached the record point.
    function openRemote(string calldata description, uint64 recordEpoch, uint96 multiplier, uint64 votingPeriod)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (uint256 ballotId)
    {
        if (votingPeriod == 0 || multiplier == 0) revert BallotInvalid();
        IRegistryShare share_ = _bs().share;
        uint256 home = IAssetIdentity(address(share_)).homeChainId();
        if (home == block.chainid) revert BallotWrongChain(block.chainid, home);
        uint32 snapshotId = share_.recordSnapshotOf(recordEpoch);
        if (recordEpoch == 0 || snapshotId == 0) revert BallotRecordPointNotReached(recordEpoch);
        ballotId = _open(snapshotId, recordEpoch, multiplier, votingPeriod, description);
    }

    /// @notice Votes with the caller's shares at the record date.
    /// @param ballotId The ballot.
    /// @param choice Yes, no or abstain.
    /// @return weight The shares voted.
    /// @dev Emits {VoteCast}. Requirements: the ballot is open; the caller held shares at the
    /// record date, has not voted and was never recovered away from ({BallotWalletRecovered}).
    function castVote(uint256 ballotId, Choice choice) external returns (uint256 weight) {
        address voter = _msgSender();
        address successor = _bs().share.recoveredTo(voter);
        if (successor != address(0)) revert BallotWalletRecovered(ballotId, voter, _successor(successor));
        return _vote(ballotId, voter, choice, false);
    }

    /// @notice Votes with the record-date shares of a lost wallet recovered (directly or through
    /// later recoveries) to the caller. If the lost key voted before the recovery, this replaces
    /// that vote (once).
    /// @param ballotId The ballot.
    /// @param lostWallet The recovered wallet.
    /// @param choice Yes, no or abstain.
    /// @return weight The shares voted.
    /// @dev Emits {VoteCast}, or {VoteReplaced} when it replaces the lost key's vote.
    /// Requirements: the ballot is open; the caller is `lostWallet`'s current successor (the end
    /// of its recovery chain); `lostWallet` held shares at the record date; no successor voted
    /// them yet.
    function castVoteFor(uint256 ballotId, address lostWallet, Choice choice) external returns (uint256 weight) {
        address next = _bs().share.recoveredTo(lostWallet);
        address successor = next == address(0) ? address(0) : _successor(next);
        if (successor == address(0) || successor != _msgSender()) revert BallotNotSuccessor(lostWallet, _msgSender());
        return _vote(ballotId, lostWallet, choice, true);
    }

    /// @notice The tally: yes, no and abstain shares, and whether voting has ended.
    /// @param ballotId The ballot.
    function tally(uint256 ballotId) external view returns (uint256 yes, uint256 no, uint256 abstain, bool ended) {
        Ballot storage b = _ballot(ballotId);
        return (b.yes, b.no, b.abstain, block.timestamp > b.end);
    }

    /// @notice A ballot's record.
    /// @param ballotId The ballot.
    function ballot(uint256 ballotId) external view returns (Ballot memory) {
        return _ballot(ballotId);
    }

    /// @notice Voting power of `wallet` in a ballot: its shares at the record date.
    /// @param ballotId The ballot.
    /// @param wallet The wallet.
    function votingPower(uint256 ballotId, address wallet) public view returns (uint256) {
        Ballot storage b = _ballot(ballotId);
        // Units at this chain's record point, plus units in flight then and delivered here since.
        IRegistryShare share_ = _bs().share;
        uint256 units = share_.unitsAt(wallet, b.snapshotId) + share_.inFlightUnitsAt(b.recordEpoch, wallet);
        return units * b.multiplier / 1e18;
    }

    /// @notice Whether `wallet` voted.
    /// @param ballotId The ballot.
    /// @param wallet The wallet.
    function hasVoted(uint256 ballotId, address wallet) external view returns (bool) {
        return _bs().votes[ballotId][wallet] != 0;
    }

    /// @notice Number of ballots proposed.
    function ballotCount() external view returns (uint256) {
        return _bs().count;
    }

    /// @dev Counts `wallet`'s weight for `choice`. A successor's vote (`bySuccessor`) replaces a
    /// vote the lost key cast itself before the recovery; nothing replaces a successor's vote.
    function _vote(uint256 ballotId, address wallet, Choice choice, bool bySuccessor) private returns (uint256 weight) {
        Ballot storage b = _ballot(ballotId);
        if (block.timestamp > b.end) revert BallotClosed(ballotId, b.end);
        BallotBoxStorage storage $ = _bs();
        uint8 previous = $.votes[ballotId][wallet];
        if (previous != 0 && (!bySuccessor || previous & 4 != 0)) revert BallotAlreadyVoted(ballotId, wallet);
        weight = votingPower(ballotId, wallet);
        if (weight == 0) revert BallotNoVotingPower(ballotId, wallet);
        $.votes[ballotId][wallet] = (uint8(choice) + 1) | (bySuccessor ? 4 : 0);
        if (previous != 0) _tally(b, Choice((previous & 3) - 1), weight, false);
        _tally(b, choice, weight, true);
        if (previous != 0) {
            emit VoteReplaced(ballotId, wallet, _msgSender(), Choice((previous & 3) - 1), choice, weight);
        } else {
            emit VoteCast(ballotId, wallet, _msgSender(), choice, weight);
        }
    }

    /// @dev Adds `weight` to (or removes it from) the count of `choice`.
    function _tally(Ballot storage b, Choice choice, uint256 weight, bool add) private {
        // Cannot overflow: the weights sum to at most the total shares at the record date (< 2**128);
        // cannot underflow: only a weight added before for this wallet and choice is removed.
        unchecked {
            if (choice == Choice.Yes) b.yes = add ? b.yes + uint128(weight) : b.yes - uint128(weight);
            else if (choice == Choice.No) b.no = add ? b.no + uint128(weight) : b.no - uint128(weight);
            else b.abstain = add ? b.abstain + uint128(weight) : b.abstain - uint128(weight);
        }
    }

    /// @dev The end of the recovery chain starting at `wallet` (one hop per recovery of that
    /// investor; the share refuses recovery loops).
    function _successor(address wallet) private view returns (address current) {
        IRegistryShare share_ = _bs().share;
        current = wallet;
        address next = share_.recoveredTo(current);
        while (next != address(0)) {
            current = next;
            next = share_.recoveredTo(current);
        }
    }

    function _open(uint32 snapshotId, uint64 epoch, uint96 multiplier, uint64 votingPeriod, string calldata description)
        private
        returns (uint256 ballotId)
    {
        BallotBoxStorage storage $ = _bs();
        ballotId = ++$.count;
        uint64 end = uint64(block.timestamp) + votingPeriod;
        Ballot storage b = $.ballots[ballotId];
        b.snapshotId = snapshotId;
        b.end = end;
        b.multiplier = multiplier;
        b.recordEpoch = epoch;
        b.descriptionHash = keccak256(bytes(description));
        emit BallotProposed(ballotId, snapshotId, end, description, epoch);
    }

    function _ballot(uint256 ballotId) private view returns (Ballot storage b) {
        b = _bs().ballots[ballotId];
        if (b.snapshotId == 0) revert BallotUnknown(ballotId);
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every ballot, vote and tally stays, they live in the box's ERC-7201
    /// namespace.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /// @dev The box's state: one ERC-7201 namespace ({BALLOT_BOX_STORAGE}).
    function _bs() private pure returns (BallotBoxStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := BALLOT_BOX_STORAGE
        }
    }
}
