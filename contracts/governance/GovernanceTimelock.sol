// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title GovernanceTimelock
/// @notice The suite's timelock: OpenZeppelin's TimelockController, unchanged. It holds
/// DEFAULT_ADMIN_ROLE of every contract of the suite; its proposer and executor is the issuer's
/// Safe, so every dangerous power (granting roles, the gateway's operators and threshold, the
/// sanctions list, feeds, rate limits) waits `getMinDelay()` seconds in public before it runs.
/// @dev Invariants (OZ's): an operation runs only after it was scheduled by a PROPOSER_ROLE holder
/// and its delay has passed; the delay itself changes only through the timelock. The contract
/// exists so that the suite's compilers emit the timelock's artifact; it adds nothing.
contract GovernanceTimelock is TimelockController {
    /// @notice Deploys the timelock.
    /// @param minDelay Seconds between scheduling and execution (changeable only through the timelock).
    /// @param proposers Accounts given PROPOSER_ROLE and CANCELLER_ROLE (the Safe).
    /// @param executors Accounts given EXECUTOR_ROLE (the Safe; address(0) opens execution to anyone).
    /// @param admin Optional extra DEFAULT_ADMIN_ROLE holder (address(0): the timelock administers itself).
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
