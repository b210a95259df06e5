// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @title AttestedFeed
/// @notice A feed a reporter updates by hand (the custodian's proof of reserve, or a reference
/// price), exposed through Chainlink's `AggregatorV3Interface` so a real Chainlink feed can take
/// its place without code changes in the contracts that read it.
/// @dev Note: round ids start at 1 and strictly increase; `updatedAt` is the block time of the
/// report. Every round is kept, so `getRoundData` answers for any past round in O(1).
contract AttestedFeed is AccessControl, AggregatorV3Interface {
    /// @notice Publishes new answers (`RESERVE_REPORTER` for a custodian, a price oracle for prices).
    bytes32 public constant REPORTER_ROLE = keccak256("REPORTER_ROLE");

    struct Round {
        int192 answer;
        uint64 updatedAt;
    }

    /// @dev The latest round in one slot, so {latestRoundData} (read by the order desk on every
    /// order) is one storage read: its id, its time and its answer when that fits 111 bits (every
    /// price and reserve in practice), else `answer == -1` (never a real answer: answers are not
    /// negative) and the answer is read from the round.
    struct Latest {
        uint80 roundId;
        uint64 updatedAt;
        int112 answer;
    }

    uint8 private immutable _decimals;
    string private _description;
    Latest private _latest;
    mapping(uint80 roundId => Round) private _rounds;

    /// @notice A new answer was published (Chainlink's event name and arguments).
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    /// @notice A negative answer was reported.
    error FeedNegativeAnswer(int256 answer);
    /// @notice A round that was never reported was asked for.
    error FeedUnknownRound(uint80 roundId);
    /// @notice The zero address was given where an account is required.
    error FeedZeroAddress();

    /// @param admin Receives `DEFAULT_ADMIN_ROLE`.
    /// @param decimals_ Decimals of the answer (0 for a share count, 8 for a USD price).
    /// @param description_ What the feed reports, e.g. "AAPL reserves" or "AAPL / USD".
    constructor(address admin, uint8 decimals_, string memory description_) {
        if (admin == address(0)) revert FeedZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _decimals = decimals_;
        _description = description_;
    }

    /// @notice Publishes a new answer as a new round.
    /// @param answer The attested figure (shares held in custody, or a price); not negative.
    /// @dev Emits an {AnswerUpdated} event. Requirements: caller has `REPORTER_ROLE`; `answer >= 0`.
    function report(int256 answer) external onlyRole(REPORTER_ROLE) {
        if (answer < 0) revert FeedNegativeAnswer(answer);
        uint80 roundId = _latest.roundId + 1;
        _rounds[roundId] = Round({answer: SafeCast.toInt192(answer), updatedAt: uint64(block.timestamp)});
        // Cast: `answer` is checked to fit int112 (else the -1 marker).
        int112 packed = answer <= type(int112).max ? int112(answer) : int112(-1);
        _latest = Latest({roundId: roundId, updatedAt: uint64(block.timestamp), answer: packed});
        emit AnswerUpdated(answer, roundId, block.timestamp);
    }

    /// @inheritdoc AggregatorV3Interface
    function decimals() external view returns (uint8) {
        return _decimals;
    }

    /// @inheritdoc AggregatorV3Interface
    function description() external view returns (string memory) {
        return _description;
    }

    /// @inheritdoc AggregatorV3Interface
    function version() external pure returns (uint256) {
        return 1;
    }

    /// @inheritdoc AggregatorV3Interface
    function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80) {
        Round memory round = _rounds[roundId];
        // 0 marks a round never reported
        // slither-disable-next-line incorrect-equality
        if (round.updatedAt == 0) revert FeedUnknownRound(roundId);
        return (roundId, round.answer, round.updatedAt, round.updatedAt, roundId);
    }

    /// @inheritdoc AggregatorV3Interface
    /// @dev Before the first report every field is zero (`updatedAt == 0` reads as stale).
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        Latest memory latest = _latest;
        int256 answer = latest.answer < 0 ? int256(_rounds[latest.roundId].answer) : int256(latest.answer);
        return (latest.roundId, answer, latest.updatedAt, latest.updatedAt, latest.roundId);
    }
}
