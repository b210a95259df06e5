// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BoxMockBase} from "./BoxMockBase.sol";

/// @notice Test-only: a safe upgrade of {BoxV1Mock}: a member appended to its namespace and a new
/// namespace of its own. The upgrade-safety check accepts it.
/// @dev Invariant: the box's state is the `BoxStorage` and `BoxExtrasStorage` namespaces.
/// @custom:oz-upgrades-from BoxV1Mock
contract BoxV2Mock is BoxMockBase {
    /// @custom:storage-location erc7201:tokenized-stocks.storage.BoxMock
    struct BoxStorage {
        uint256 value;
        address setter;
        uint64 revision;
    }

    /// @custom:storage-location erc7201:tokenized-stocks.storage.BoxMockExtras
    struct BoxExtrasStorage {
        string label;
    }

    // keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.BoxMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant BOX_STORAGE_LOCATION = 0x347b946de08a0a2c8fabc697dbbd3fbd975707b048bde4e1b347c8041591b600;

    // keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.BoxMockExtras")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant BOX_EXTRAS_STORAGE_LOCATION =
        0x6855a2dc795a932ba218a7ec8ea23a594cf36c58e75f047b28c6f96b28289900;

    /// @notice Emitted when the admin sets the box's label.
    event BoxLabelSet(string label);

    /// @notice Sets the value.
    /// @param newValue The value to keep.
    /// Emits a {BoxValueSet} event.
    /// Requirements: the caller holds DEFAULT_ADMIN_ROLE.
    function setValue(uint256 newValue) external onlyRole(DEFAULT_ADMIN_ROLE) {
        BoxStorage storage $ = _box();
        $.value = newValue;
        $.setter = msg.sender;
        $.revision += 1;
        emit BoxValueSet(newValue, msg.sender);
    }

    /// @notice The value last set.
    function value() external view returns (uint256) {
        return _box().value;
    }

    function _box() private pure returns (BoxStorage storage $) {
        assembly {
            $.slot := BOX_STORAGE_LOCATION
        }
    }

    /// @notice Counts the values set since this version.
    function revision() external view returns (uint64) {
        return _box().revision;
    }

    /// @notice Sets the box's label (kept in a namespace of this version's own).
    /// @param newLabel The label.
    /// Emits a {BoxLabelSet} event.
    /// Requirements: the caller holds DEFAULT_ADMIN_ROLE.
    function setLabel(string calldata newLabel) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _extras().label = newLabel;
        emit BoxLabelSet(newLabel);
    }

    /// @notice The box's label.
    function label() external view returns (string memory) {
        return _extras().label;
    }

    function _extras() private pure returns (BoxExtrasStorage storage $) {
        assembly {
            $.slot := BOX_EXTRAS_STORAGE_LOCATION
        }
    }
}
