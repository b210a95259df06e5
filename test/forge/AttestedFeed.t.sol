// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {AttestedFeed} from "../../contracts/feeds/AttestedFeed.sol";

/// @notice The feed's latest round is one packed slot (read by the desk on every order): it answers
/// exactly as the round history does, for an answer of any size.
contract AttestedFeedTest is ForgeTest {
    AttestedFeed internal feed;

    function setUp() public {
        feed = new AttestedFeed(address(this), 8, "AAPL / USD");
        feed.grantRole(feed.REPORTER_ROLE(), address(this));
    }

    function test_before_the_first_report_every_field_is_zero() public view {
        (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredIn) =
            feed.latestRoundData();
        assertEq(roundId, 0, "round");
        assertTrue(answer == 0, "answer");
        assertEq(startedAt + updatedAt + answeredIn, 0, "times");
    }

    /// @dev Any answer, the largest int192 included (above the packed 111 bits: read from the
    /// round), is the latest round's, and the history keeps every round.
    function testFuzz_the_latest_round_answers_as_its_round(int192 first, int192 second, uint32 gap) public {
        int256 a = first < 0 ? -int256(first) - 1 : int256(first);
        int256 b = second < 0 ? -int256(second) - 1 : int256(second);
        feed.report(a);
        vm.warp(block.timestamp + gap);
        feed.report(b);
        (uint80 roundId, int256 answer,, uint256 updatedAt, uint80 answeredIn) = feed.latestRoundData();
        assertEq(roundId, 2, "second round");
        assertEq(answeredIn, 2, "answered in round");
        assertTrue(answer == b, "latest answer");
        assertEq(updatedAt, block.timestamp, "latest time");
        (, int256 past,,,) = feed.getRoundData(1);
        assertTrue(past == a, "history kept");
        (, int256 last,, uint256 lastAt,) = feed.getRoundData(2);
        assertTrue(last == answer && lastAt == updatedAt, "the same as the round");
    }

    function test_an_answer_above_the_packed_width_is_read_from_its_round() public {
        int256 large = int256(type(int192).max);
        feed.report(large);
        (, int256 answer,,,) = feed.latestRoundData();
        assertTrue(answer == large, "full answer");
        feed.report(int256(type(int112).max));
        (, answer,,,) = feed.latestRoundData();
        assertTrue(answer == int256(type(int112).max), "largest packed answer");
    }
}
