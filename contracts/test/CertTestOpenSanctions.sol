// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISanctionsList} from "../interfaces/ISanctionsList.sol";

/// @notice Test-only: a sanctions oracle that sanctions no one and reads no storage, so the gas
/// benchmark can separate the certificate's own cost from the oracle's two cold storage reads.
contract CertTestOpenSanctions is ISanctionsList {
    /// @inheritdoc ISanctionsList
    function isSanctioned(address) external pure returns (bool) {
        return false;
    }
}
