// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAssetIdentity} from "../interfaces/IAssetIdentity.sol";
import {ISettlementLedgerAdapter} from "../interfaces/ISettlementLedgerAdapter.sol";
import {SettlementQuantity} from "./SettlementQuantity.sol";

/// @title TraditionalLedgerAdapter
/// @notice Moves a listed asset between the chain and its traditional register: off-ramp (lock the
/// tokens, emit a settlement instruction, the transfer agent confirms or fails it) and on-ramp (the
/// transfer agent attests a register debit, tokens are issued from the adapter's inventory).
/// @dev Note: for every listed asset, the adapter's balance in units NEVER falls below `inventory +
/// pending` (it equals it unless someone sends tokens directly or a conversion rounds), and tokens
/// only leave it to the holder of a failed off-ramp or the recipient of an attested on-ramp.
/// Rounding is always against the caller: tokens coming in are booked at their units rounded down
/// ({fundInventory}, {requestOffRamp}); tokens going out debit the book by the units the transfer
/// costs, rounded up ({onRamp}), and a refund pays the locked units' token amount rounded down
/// ({failOffRamp}, {expireOffRamp}), which never costs more units than were locked.
/// The adapter locks instead of burning and issues from inventory instead of minting: it needs no
/// minting right on any asset, the on-chain supply is unchanged, and `inventory` is the on-chain image
/// of the shares on the traditional register (an auditor reconciles it against the register).
/// For a registry share the adapter must itself be a verified holder, registered by the registrar.
/// Identity fields of an instruction (assetId, ISIN) are read from the asset, which the admin lists.
/// A pending off-ramp NEVER outlives its deadline for the holder: after it, the transfer agent can no
/// longer confirm it and anyone can expire it ({expireOffRamp}), which refunds exactly as
/// {failOffRamp}. The deadline is fixed at request time; a later timeout change does not move it.
/// Upgradeable (UUPS, ERC-1967): clients use the proxy's address (instruction ids commit to it, so
/// they stay unique across an upgrade); all of the adapter's own state lives in one ERC-7201
/// namespace (`LedgerAdapterStorage`, no sequential slot), so an upgrade keeps every listing, the
/// inventory, every pending off-ramp with its deadline and every used register reference. Only
/// DEFAULT_ADMIN_ROLE may upgrade ({_authorizeUpgrade}): the timelock once the deployment hands
/// admin over. The implementation can never be initialised.
contract TraditionalLedgerAdapter is
    Initializable,
    UUPSUpgradeable,
    AccessControlUpgradeable,
    ISettlementLedgerAdapter
{
    using SafeERC20 for IERC20;

    /// @notice Confirms and fails off-ramps, attests register debits, funds the inventory.
    bytes32 public constant TRANSFER_AGENT_ROLE = keccak256("TRANSFER_AGENT_ROLE");
    /// @notice The off-ramp timeout of a new adapter.
    uint64 public constant DEFAULT_OFF_RAMP_TIMEOUT = 7 days;
    /// @notice The shortest off-ramp timeout: a register needs business hours to answer.
    uint64 public constant MIN_OFF_RAMP_TIMEOUT = 1 hours;
    /// @notice The longest off-ramp timeout: a holder's tokens are not locked longer than this.
    uint64 public constant MAX_OFF_RAMP_TIMEOUT = 90 days;

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.TraditionalLedgerAdapter")) - 1)) & ~bytes32(uint256(0xff))
    /// = 0xfb167a8c35be1cd6f2abe4357767cc52f28a69d88ab5c506072820bd250c6100 (ERC-7201; asserted in
    /// test/forge/TraditionalLedgerAdapterUpgrade.t.sol).
    bytes32 private constant LEDGER_ADAPTER_STORAGE =
        0xfb167a8c35be1cd6f2abe4357767cc52f28a69d88ab5c506072820bd250c6100;

    /// @custom:storage-location erc7201:tokenized-stocks.storage.TraditionalLedgerAdapter
    struct LedgerAdapterStorage {
        mapping(address asset => bool) listed;
        mapping(address asset => uint256) inventory;
        mapping(address asset => uint256) pending;
        mapping(bytes32 instructionId => Instruction) instructions;
        mapping(bytes32 registerReference => bool) usedRegisterReferences;
        /// @dev One slot, read together by every off-ramp request (the next id and the deadline):
        /// the proxy's extra cold reads are partly paid back here.
        uint192 instructionCount;
        uint64 offRampTimeout;
    }

    /// @notice The implementation: never initialised itself (a proxy delegates to it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up an adapter behind its proxy (called once, in the proxy's deployment).
    /// @param admin Receives `DEFAULT_ADMIN_ROLE` (lists assets, grants the transfer agent, sets
    /// the off-ramp timeout, initially {DEFAULT_OFF_RAMP_TIMEOUT}, upgrades).
    /// @dev Emits {RoleGranted}, {OffRampTimeoutSet} and {Initialized}. Requirements: not yet
    /// initialised (the implementation never is); `admin` is not zero.
    function initialize(address admin) external initializer {
        __UUPSUpgradeable_init();
        __AccessControl_init();
        if (admin == address(0)) revert AdapterInvalidArgument("admin");
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _ls().offRampTimeout = DEFAULT_OFF_RAMP_TIMEOUT;
        emit OffRampTimeoutSet(0, DEFAULT_OFF_RAMP_TIMEOUT);
    }

    /// @notice Sets the time the register has to answer an off-ramp requested from now on
    /// (pending off-ramps keep their deadline).
    /// @dev Emits an {OffRampTimeoutSet} event.
    /// Requirements: the caller has `DEFAULT_ADMIN_ROLE`; `timeout` is within
    /// [{MIN_OFF_RAMP_TIMEOUT}, {MAX_OFF_RAMP_TIMEOUT}].
    /// @param timeout Seconds.
    function setOffRampTimeout(uint64 timeout) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (timeout < MIN_OFF_RAMP_TIMEOUT || timeout > MAX_OFF_RAMP_TIMEOUT) {
            revert AdapterTimeoutOutOfBounds(timeout, MIN_OFF_RAMP_TIMEOUT, MAX_OFF_RAMP_TIMEOUT);
        }
        LedgerAdapterStorage storage $ = _ls();
        uint64 previous = $.offRampTimeout;
        $.offRampTimeout = timeout;
        emit OffRampTimeoutSet(previous, timeout);
    }

    /// @notice Lists (`listed = true`) or delists `asset`. Delisting stops new instructions only:
    /// pending ones can still be confirmed or failed.
    /// @dev Emits an {AssetListingSet} event.
    /// Requirements: the caller has `DEFAULT_ADMIN_ROLE`; `asset` is not zero and not already in the
    /// requested state; it implements {IAssetIdentity}.
    /// @param asset The token.
    /// @param listed The new listing state.
    function setAssetListed(address asset, bool listed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (asset == address(0)) revert AdapterInvalidArgument("asset");
        LedgerAdapterStorage storage $ = _ls();
        if ($.listed[asset] == listed) revert AdapterListingUnchanged(asset, listed);
        $.listed[asset] = listed;
        emit AssetListingSet(asset, IAssetIdentity(asset).assetId(), listed);
    }

    /// @notice Adds `shares` of the caller's tokens to the inventory of `asset`, standing for shares
    /// already on the traditional register.
    /// @dev Emits an {InventoryFunded} event.
    /// Requirements: the caller has `TRANSFER_AGENT_ROLE`; the asset is listed; `shares` is not zero;
    /// the caller approved them to this contract.
    /// @param asset The token.
    /// @param shares Token amount.
    function fundInventory(address asset, uint256 shares) external onlyRole(TRANSFER_AGENT_ROLE) {
        _requireListed(asset);
        uint256 units = _unitsOf(asset, shares, false);
        _ls().inventory[asset] += units;
        IERC20(asset).safeTransferFrom(msg.sender, address(this), shares);
        emit InventoryFunded(asset, msg.sender, shares, units);
    }

    /// @notice Locks `shares` of the caller's tokens and emits an off-ramp instruction for the
    /// transfer agent to credit `accountReference` on the traditional register. The register must
    /// answer within {offRampTimeout} seconds, or anyone may expire the instruction.
    /// @dev Emits an {OffRampRequested} event.
    /// Requirements: the asset is listed; `shares` and `accountReference` are not zero; the caller
    /// approved `shares` to this contract; the asset lets the caller transfer them.
    /// @param asset The token.
    /// @param shares Token amount.
    /// @param accountReference The holder's account on the traditional register.
    /// @return instructionId The instruction's id, unique across chains and adapters.
    function requestOffRamp(address asset, uint256 shares, bytes32 accountReference)
        external
        returns (bytes32 instructionId)
    {
        _requireListed(asset);
        if (accountReference == bytes32(0)) revert AdapterInvalidArgument("accountReference");
        uint256 units = _unitsOf(asset, shares, false);
        LedgerAdapterStorage storage $ = _ls();
        instructionId = _nextInstructionId();
        $.instructions[instructionId] = Instruction({
            asset: asset,
            direction: Direction.OffRamp,
            state: InstructionState.Pending,
            deadline: uint64(block.timestamp) + $.offRampTimeout,
            account: msg.sender,
            units: SafeCast.toUint96(units)
        });
        $.pending[asset] += units;
        IERC20(asset).safeTransferFrom(msg.sender, address(this), shares);
        emit OffRampRequested(
            instructionId,
            IAssetIdentity(asset).assetId(),
            msg.sender,
            asset,
            IAssetIdentity(asset).isin(),
            shares,
            units,
            accountReference
        );
    }

    /// @notice The transfer agent confirms the register credited the account of a pending off-ramp;
    /// the locked tokens join the inventory.
    /// @dev Emits an {OffRampSettled} event.
    /// Requirements: the caller has `TRANSFER_AGENT_ROLE`; the instruction is a pending off-ramp
    /// whose deadline has not passed; `registerReference` is not zero and unused.
    /// @param instructionId The instruction.
    /// @param registerReference The register's booking reference.
    function confirmOffRamp(bytes32 instructionId, bytes32 registerReference) external onlyRole(TRANSFER_AGENT_ROLE) {
        Instruction storage pending = _pendingOffRamp(instructionId);
        if (block.timestamp > pending.deadline) revert AdapterOffRampExpired(instructionId, pending.deadline);
        _useRegisterReference(registerReference);
        pending.state = InstructionState.Settled;
        address asset = pending.asset;
        uint256 units = pending.units;
        LedgerAdapterStorage storage $ = _ls();
        $.pending[asset] -= units;
        $.inventory[asset] += units;
        emit OffRampSettled(instructionId, IAssetIdentity(asset).assetId(), registerReference);
    }

    /// @notice The transfer agent reports the register refused a pending off-ramp; the locked tokens
    /// go back to the holder.
    /// @dev Emits an {OffRampFailed} event.
    /// Requirements: the caller has `TRANSFER_AGENT_ROLE`; the instruction is a pending off-ramp;
    /// the asset accepts the transfer back to the holder.
    /// @param instructionId The instruction.
    /// @param reason The register's reason code.
    function failOffRamp(bytes32 instructionId, bytes32 reason) external onlyRole(TRANSFER_AGENT_ROLE) {
        Instruction storage pending = _pendingOffRamp(instructionId);
        uint256 shares = _refund(pending, InstructionState.Failed);
        emit OffRampFailed(instructionId, pending.account, shares, reason);
    }

    /// @notice Returns the locked tokens of a pending off-ramp the register did not answer before
    /// its deadline, exactly as {failOffRamp} does. Anyone may call it (the holder, a keeper, the
    /// transfer agent's bridge); afterwards the instruction can be neither confirmed nor failed.
    /// @dev Emits an {OffRampExpired} event.
    /// Requirements: the instruction is a pending off-ramp; its deadline has passed; the asset
    /// accepts the transfer back to the holder.
    /// @param instructionId The instruction.
    function expireOffRamp(bytes32 instructionId) external {
        Instruction storage pending = _pendingOffRamp(instructionId);
        uint64 deadline = pending.deadline;
        if (block.timestamp <= deadline) revert AdapterOffRampNotExpired(instructionId, deadline);
        uint256 shares = _refund(pending, InstructionState.Expired);
        emit OffRampExpired(instructionId, pending.account, shares, deadline);
    }

    /// @notice The transfer agent attests that `accountReference` was debited on the traditional
    /// register (booking `registerReference`); `shares` are issued from the inventory to `recipient`.
    /// @dev Emits an {OnRampSettled} event.
    /// Requirements: the caller has `TRANSFER_AGENT_ROLE`; the asset is listed; `recipient`, `shares`,
    /// `accountReference` are not zero; `registerReference` is not zero and unused; the inventory
    /// covers the units; the asset accepts the transfer to `recipient`.
    /// @param asset The token.
    /// @param recipient The wallet receiving the tokens.
    /// @param shares Token amount.
    /// @param accountReference The debited account on the traditional register.
    /// @param registerReference The register's booking reference of the debit (used once).
    /// @return instructionId The instruction's id.
    function onRamp(
        address asset,
        address recipient,
        uint256 shares,
        bytes32 accountReference,
        bytes32 registerReference
    ) external onlyRole(TRANSFER_AGENT_ROLE) returns (bytes32 instructionId) {
        _requireListed(asset);
        if (recipient == address(0)) revert AdapterInvalidArgument("recipient");
        if (accountReference == bytes32(0)) revert AdapterInvalidArgument("accountReference");
        // Rounded up: the transfer of `shares` below costs the adapter that many units.
        uint256 units = _unitsOf(asset, shares, true);
        LedgerAdapterStorage storage $ = _ls();
        uint256 available = $.inventory[asset];
        if (units > available) revert AdapterInsufficientInventory(asset, units, available);
        _useRegisterReference(registerReference);
        // Cannot underflow: checked against `available` just above.
        unchecked {
            $.inventory[asset] = available - units;
        }
        instructionId = _nextInstructionId();
        $.instructions[instructionId] = Instruction({
            asset: asset,
            direction: Direction.OnRamp,
            state: InstructionState.Settled,
            deadline: 0,
            account: recipient,
            units: SafeCast.toUint96(units)
        });
        IERC20(asset).safeTransfer(recipient, shares);
        emit OnRampSettled(
            instructionId,
            IAssetIdentity(asset).assetId(),
            recipient,
            asset,
            IAssetIdentity(asset).isin(),
            shares,
            units,
            accountReference,
            registerReference
        );
    }

    /// @inheritdoc ISettlementLedgerAdapter
    function offRampTimeout() external view returns (uint64) {
        return _ls().offRampTimeout;
    }

    /// @inheritdoc ISettlementLedgerAdapter
    function isListed(address asset) external view returns (bool) {
        return _ls().listed[asset];
    }

    /// @inheritdoc ISettlementLedgerAdapter
    function inventoryOf(address asset) external view returns (uint256) {
        return _ls().inventory[asset];
    }

    /// @inheritdoc ISettlementLedgerAdapter
    function pendingOf(address asset) external view returns (uint256) {
        return _ls().pending[asset];
    }

    /// @inheritdoc ISettlementLedgerAdapter
    function instruction(bytes32 instructionId) external view returns (Instruction memory) {
        return _ls().instructions[instructionId];
    }

    /// @inheritdoc ISettlementLedgerAdapter
    function isRegisterReferenceUsed(bytes32 registerReference) external view returns (bool) {
        return _ls().usedRegisterReferences[registerReference];
    }

    function _requireListed(address asset) private view {
        if (!_ls().listed[asset]) revert AdapterAssetNotListed(asset);
    }

    /// @dev Units of a non-zero token amount; a quantity too small to be one unit is refused. An
    /// instruction stores units as uint96 (7.9e28, i.e. 79 billion 18-decimal shares): larger
    /// quantities revert with {SafeCast-SafeCastOverflowedUintDowncast}.
    /// `roundUp` for tokens leaving the adapter (what the transfer costs it), down for tokens coming in.
    function _unitsOf(address asset, uint256 shares, bool roundUp) private view returns (uint256 units) {
        if (shares == 0) revert AdapterInvalidArgument("shares");
        units = roundUp ? SettlementQuantity.toUnitsCeil(asset, shares) : SettlementQuantity.toUnits(asset, shares);
        if (units == 0) revert AdapterInvalidArgument("shares");
    }

    function _pendingOffRamp(bytes32 instructionId) private view returns (Instruction storage pending) {
        pending = _ls().instructions[instructionId];
        if (pending.state != InstructionState.Pending) revert AdapterNotPending(instructionId, pending.state);
    }

    /// @dev Closes a pending off-ramp as `final_` and pays the holder the locked units' token
    /// amount, rounded down (never more units than were locked). Returns that amount.
    function _refund(Instruction storage pending, InstructionState final_) private returns (uint256 shares) {
        pending.state = final_;
        address asset = pending.asset;
        _ls().pending[asset] -= pending.units;
        shares = SettlementQuantity.toAmount(asset, pending.units);
        IERC20(asset).safeTransfer(pending.account, shares);
    }

    function _useRegisterReference(bytes32 registerReference) private {
        if (registerReference == bytes32(0)) revert AdapterInvalidArgument("registerReference");
        LedgerAdapterStorage storage $ = _ls();
        if ($.usedRegisterReferences[registerReference]) revert AdapterRegisterReferenceUsed(registerReference);
        $.usedRegisterReferences[registerReference] = true;
    }

    /// @dev Unique across chains and adapter deployments (the proxy's address; the counter never
    /// wraps: 2**192 instructions are out of reach, and `++` would revert before).
    function _nextInstructionId() private returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), ++_ls().instructionCount));
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every listing, the inventory, every instruction (pending off-ramps with
    /// their deadlines) and every used register reference stay, they live in the adapter's ERC-7201
    /// namespace.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /// @dev The adapter's state: one ERC-7201 namespace ({LEDGER_ADAPTER_STORAGE}).
    function _ls() private pure returns (LedgerAdapterStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := LEDGER_ADAPTER_STORAGE
        }
    }
}
