// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ISanctionsList} from "../interfaces/ISanctionsList.sol";

/// @title ChainalysisOracleMock
/// @notice Test-only: the interface and events of the Chainalysis sanctions oracle
/// (`0x40C57923924B5c5c5455c48D93317139ADDaC8fb` on mainnet). Unlike our {SanctionsList} it never
/// pushes to subscribers, so a certificate screening against it lags until someone calls
/// `syncSanctions` (what the `ape run sanctions` keeper does from these events).
contract ChainalysisOracleMock is ISanctionsList, Ownable {
    mapping(address account => bool) private _sanctioned;

    /// @notice Emitted by {isSanctionedVerbose} for a sanctioned address.
    event SanctionedAddress(address indexed addr);
    /// @notice Emitted by {isSanctionedVerbose} for an address that is not sanctioned.
    event NonSanctionedAddress(address indexed addr);
    /// @notice Emitted when addresses are added to the list.
    event SanctionedAddressesAdded(address[] addrs);
    /// @notice Emitted when addresses are removed from the list.
    event SanctionedAddressesRemoved(address[] addrs);

    /// @notice The deployer owns the list.
    constructor() Ownable(msg.sender) {}

    /// @notice Lists `newSanctions` (bounded by the caller's calldata).
    /// @param newSanctions Addresses to list.
    /// @dev Emits {SanctionedAddressesAdded}. Requirements: caller is the owner.
    function addToSanctionsList(address[] calldata newSanctions) external onlyOwner {
        for (uint256 i = 0; i < newSanctions.length; ++i) {
            _sanctioned[newSanctions[i]] = true;
        }
        emit SanctionedAddressesAdded(newSanctions);
    }

    /// @notice Delists `removeSanctions` (bounded by the caller's calldata).
    /// @param removeSanctions Addresses to delist.
    /// @dev Emits {SanctionedAddressesRemoved}. Requirements: caller is the owner.
    function removeFromSanctionsList(address[] calldata removeSanctions) external onlyOwner {
        for (uint256 i = 0; i < removeSanctions.length; ++i) {
            _sanctioned[removeSanctions[i]] = false;
        }
        emit SanctionedAddressesRemoved(removeSanctions);
    }

    /// @inheritdoc ISanctionsList
    function isSanctioned(address addr) external view returns (bool) {
        return _sanctioned[addr];
    }

    /// @notice Like {isSanctioned}, and logs the answer.
    /// @param addr The address asked about.
    /// @dev Emits {SanctionedAddress} or {NonSanctionedAddress}.
    function isSanctionedVerbose(address addr) external returns (bool) {
        bool sanctioned = _sanctioned[addr];
        if (sanctioned) emit SanctionedAddress(addr);
        else emit NonSanctionedAddress(addr);
        return sanctioned;
    }
}
