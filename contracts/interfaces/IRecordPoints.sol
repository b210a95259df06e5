// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IRecordPoints
/// @notice What the gateway needs from an asset whose record dates (dividends, ballots) belong to
/// the security rather than to a chain: a record date is a corporate-action epoch opened on the
/// home chain, and units in flight across it are credited where they are delivered.
/// @dev The gateway detects it through ERC-165 once, when the asset is registered. For such an
/// asset it delivers a Transfer only once this chain has reached the message's epoch (the units
/// were counted at the source for every record point up to it), and after minting a Transfer or a
/// Return it calls {creditInFlight} when the message's epoch is older than this chain's.
interface IRecordPoints {
    /// @notice A message sent at `sentEpoch` was delivered before this chain reached that epoch.
    error ShareRecordPointNotReached(uint64 sentEpoch, uint64 currentEpoch);

    /// @notice `units` delivered to `to` by the gateway were in flight (sent at `sentEpoch`) across
    /// the record points of epochs `sentEpoch + 1` to `epoch`: they are credited at those points.
    event InFlightCredited(address indexed to, uint256 units, uint64 sentEpoch, uint64 epoch);

    /// @notice Gateway only: `units` just delivered to `to` were sent at `sentEpoch`; credits them
    /// at the record points they were in flight across (none when `sentEpoch` is current).
    function creditInFlight(address to, uint256 units, uint64 sentEpoch) external;
}
