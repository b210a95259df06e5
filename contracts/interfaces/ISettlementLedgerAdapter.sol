// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ISettlementLedgerAdapter
/// @notice Off-ramp and on-ramp between a token and the asset's traditional register, kept by the
/// transfer agent.
/// @dev MODEL. Off-ramp: the holder's tokens are locked in the adapter and an instruction carrying
/// the asset's identity (assetId, ISIN, quantity in shares and units, account reference,
/// instruction id) is emitted; the transfer agent credits the account on the register and confirms
/// (the tokens join the adapter's inventory), or reports a failure (the tokens are returned). An
/// off-ramp carries a deadline (request time + the admin's off-ramp timeout): once it has passed,
/// anyone may expire the instruction, which returns the tokens as a failure does, so a holder is
/// never stuck behind a register that does not answer.
/// On-ramp: the transfer agent attests a debit on the register and the adapter issues tokens from
/// its inventory (tokens locked by settled off-ramps plus tokens the transfer agent pre-funded for
/// shares that start on the register). So the adapter never mints: the token supply is unchanged and
/// `inventory` is exactly the part of the supply that stands for shares on the traditional register.
/// Amounts are kept in *units* (balance = units * multiplier / 1e18) so a corporate action while an
/// instruction is pending neither strands nor over-releases tokens.
interface ISettlementLedgerAdapter {
    /// @notice Direction of an instruction.
    enum Direction {
        OffRamp,
        OnRamp
    }

    /// @notice Life of an instruction: Pending is open; Settled, Failed and Expired are final.
    enum InstructionState {
        None,
        Pending,
        Settled,
        Failed,
        Expired
    }

    /// @notice What the adapter keeps per instruction, in two slots (the account reference and the
    /// register reference are in the events an auditor follows).
    /// @param account The holder of an off-ramp, the recipient of an on-ramp.
    /// @param deadline An off-ramp's last second for the register's answer (0 for an on-ramp).
    struct Instruction {
        address asset;
        Direction direction;
        InstructionState state;
        uint64 deadline;
        address account;
        uint96 units;
    }

    /// @notice The admin listed or delisted an asset.
    event AssetListingSet(address indexed asset, bytes32 indexed assetId, bool listed);
    /// @notice The transfer agent pre-funded the inventory of an asset.
    event InventoryFunded(address indexed asset, address indexed from, uint256 shares, uint256 units);
    /// @notice A holder locked tokens for delivery to the traditional register.
    event OffRampRequested(
        bytes32 indexed instructionId,
        bytes32 indexed assetId,
        address indexed holder,
        address asset,
        string isin,
        uint256 shares,
        uint256 units,
        bytes32 accountReference
    );
    /// @notice The register credited the account; the tokens joined the inventory; final.
    event OffRampSettled(bytes32 indexed instructionId, bytes32 indexed assetId, bytes32 registerReference);
    /// @notice The register refused the instruction; the tokens went back to the holder; final.
    event OffRampFailed(bytes32 indexed instructionId, address indexed holder, uint256 shares, bytes32 reason);
    /// @notice Nobody answered before the deadline; the tokens went back to the holder; final.
    event OffRampExpired(bytes32 indexed instructionId, address indexed holder, uint256 shares, uint64 deadline);
    /// @notice The admin changed the time the register has to answer a new off-ramp.
    event OffRampTimeoutSet(uint64 previousTimeout, uint64 newTimeout);
    /// @notice The register was debited; tokens were issued from the inventory; final.
    event OnRampSettled(
        bytes32 indexed instructionId,
        bytes32 indexed assetId,
        address indexed recipient,
        address asset,
        string isin,
        uint256 shares,
        uint256 units,
        bytes32 accountReference,
        bytes32 registerReference
    );

    /// @notice The asset is not listed on this adapter.
    error AdapterAssetNotListed(address asset);
    /// @notice The asset's listing is already in the requested state.
    error AdapterListingUnchanged(address asset, bool listed);
    /// @notice A zero amount, address or reference was given (`field` names it).
    error AdapterInvalidArgument(string field);
    /// @notice The instruction is not pending (unknown or already final).
    error AdapterNotPending(bytes32 instructionId, InstructionState state);
    /// @notice The register reference was already used for another instruction.
    error AdapterRegisterReferenceUsed(bytes32 registerReference);
    /// @notice The off-ramp's deadline has not passed yet: it cannot be expired.
    error AdapterOffRampNotExpired(bytes32 instructionId, uint64 deadline);
    /// @notice The off-ramp's deadline has passed: it can no longer be confirmed.
    error AdapterOffRampExpired(bytes32 instructionId, uint64 deadline);
    /// @notice An off-ramp timeout outside `[min, max]` seconds.
    error AdapterTimeoutOutOfBounds(uint64 timeout, uint64 min, uint64 max);
    /// @notice The inventory cannot cover an on-ramp.
    error AdapterInsufficientInventory(address asset, uint256 units, uint256 available);

    /// @notice Lists (`listed = true`) or delists an asset.
    function setAssetListed(address asset, bool listed) external;

    /// @notice Adds tokens of the caller to the inventory of `asset`.
    function fundInventory(address asset, uint256 shares) external;

    /// @notice Locks `shares` of the caller and emits an off-ramp instruction.
    function requestOffRamp(address asset, uint256 shares, bytes32 accountReference)
        external
        returns (bytes32 instructionId);

    /// @notice The transfer agent confirms an off-ramp instruction was booked on the register.
    function confirmOffRamp(bytes32 instructionId, bytes32 registerReference) external;

    /// @notice The transfer agent reports an off-ramp instruction failed; the tokens are returned.
    function failOffRamp(bytes32 instructionId, bytes32 reason) external;

    /// @notice Anyone returns the tokens of an off-ramp the register did not answer in time.
    function expireOffRamp(bytes32 instructionId) external;

    /// @notice The admin sets the time the register has to answer a new off-ramp.
    function setOffRampTimeout(uint64 timeout) external;

    /// @notice Seconds the register has to answer an off-ramp requested now.
    function offRampTimeout() external view returns (uint64);

    /// @notice The transfer agent attests a register debit; tokens are issued to `recipient`.
    function onRamp(
        address asset,
        address recipient,
        uint256 shares,
        bytes32 accountReference,
        bytes32 registerReference
    ) external returns (bytes32 instructionId);

    /// @notice Whether `asset` is listed.
    function isListed(address asset) external view returns (bool);

    /// @notice Units of `asset` available for on-ramps.
    function inventoryOf(address asset) external view returns (uint256);

    /// @notice Units of `asset` locked by pending off-ramps.
    function pendingOf(address asset) external view returns (uint256);

    /// @notice An instruction's record.
    function instruction(bytes32 instructionId) external view returns (Instruction memory);

    /// @notice Whether a register reference has been used.
    function isRegisterReferenceUsed(bytes32 registerReference) external view returns (bool);
}
