// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";

/// @notice Test-only: an UNSAFE upgrade of {BoxV1Mock}: same storage, but no UUPS `upgradeToAndCall`,
/// so a proxy upgraded to it could never be upgraded again. Refused.
/// @custom:oz-upgrades-from BoxV1Mock
contract BoxV2UnsafeNoUpgradeMock is Initializable, AccessControlUpgradeable {
    /// @custom:storage-location erc7201:tokenized-stocks.storage.BoxMock
    struct BoxStorage {
        uint256 value;
        address setter;
    }

    // keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.BoxMock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant BOX_STORAGE_LOCATION = 0x347b946de08a0a2c8fabc697dbbd3fbd975707b048bde4e1b347c8041591b600;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Initializes the proxy: `admin` gets DEFAULT_ADMIN_ROLE.
    /// @param admin The account that may set the value.
    /// Emits a {RoleGranted} event.
    /// Requirements: the proxy is not initialized yet.
    function initialize(address admin) external initializer {
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
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
