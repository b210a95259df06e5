// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ISanctionsList} from "../interfaces/ISanctionsList.sol";

/// @title SanctionsList
/// @notice A sanctions list the compliance officer keeps, with the Chainalysis oracle's
/// `isSanctioned(address)` interface, so assets can point at a real oracle instead without changes.
/// @dev Every function is O(1).
contract SanctionsList is AccessControl, ISanctionsList {
    /// @notice Adds and removes sanctioned addresses.
    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");

    mapping(address account => bool) private _sanctioned;

    /// @notice An address was put on the list.
    event AddressSanctioned(address indexed account);
    /// @notice An address was taken off the list.
    event AddressUnsanctioned(address indexed account);

    /// @notice The address is already in the requested state.
    error SanctionsUnchanged(address account, bool sanctioned);
    /// @notice The zero address was given where an account is required.
    error SanctionsZeroAddress();

    /// @param admin Receives `DEFAULT_ADMIN_ROLE`.
    constructor(address admin) {
        if (admin == address(0)) revert SanctionsZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Puts `account` on (`sanctioned = true`) or takes it off the list.
    /// @dev Emits an {AddressSanctioned} or {AddressUnsanctioned} event.
    /// Requirements: caller has `COMPLIANCE_ROLE`; `account` is not zero and not already in the
    /// requested state.
    function setSanctioned(address account, bool sanctioned) external onlyRole(COMPLIANCE_ROLE) {
        if (account == address(0)) revert SanctionsZeroAddress();
        if (_sanctioned[account] == sanctioned) revert SanctionsUnchanged(account, sanctioned);
        _sanctioned[account] = sanctioned;
        if (sanctioned) emit AddressSanctioned(account);
        else emit AddressUnsanctioned(account);
    }

    /// @inheritdoc ISanctionsList
    function isSanctioned(address addr) external view returns (bool) {
        return _sanctioned[addr];
    }
}
