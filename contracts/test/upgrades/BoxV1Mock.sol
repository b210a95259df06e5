// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BoxMockBase} from "./BoxMockBase.sol";

/// @notice Test-only: the first version of the upgradeable box, the reference the upgrade-safety check
/// compares each Box V2 mock with.
/// @dev Invariant: the box's state is the `BoxStorage` namespace and nothing else.
contract BoxV1Mock is BoxMockBase {
    /// @custom:storage-location erc7201:tokenized-stocks.storage.BoxMock
    struct BoxStorage {
        uint256 value;
        address setter;
    }

    // keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.BoxMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant BOX_STORAGE_LOCATION = 0x347b946de08a0a2c8fabc697dbbd3fbd975707b048bde4e1b347c8041591b600;

    /// @notice Sets the value.
    /// @param newValue The value to keep.
    /// Emits a {BoxValueSet} event.
    /// Requirements: the caller holds DEFAULT_ADMIN_ROLE.
    function setValue(uint256 newValue) external onlyRole(DEFAULT_ADMIN_ROLE) {
        BoxStorage storage $ = _box();
        $.value = newValue;
        $.setter = msg.sender;
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
}
