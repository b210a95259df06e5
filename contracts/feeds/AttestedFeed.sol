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

    uint8 private immutable _decimals;
    string private _description;
    uint80 private _latestRound;
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
        uint80 roundId = ++_latestRound;
        _rounds[roundId] = Round({answer: SafeCast.toInt192(answer), updatedAt: uint64(block.timestamp)});
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
        uint80 roundId = _latestRound;
        Round memory round = _rounds[roundId];
        return (roundId, round.answer, round.updatedAt, round.updatedAt, roundId);
    }
}
