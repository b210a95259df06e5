// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ISanctionsSubscriber} from "../interfaces/ISanctionsSubscriber.sol";

/// @notice Test-only: a sanctions subscriber whose hook always reverts, to show that a faulty
/// subscriber makes `SanctionsList.setSanctioned` revert as a whole and can be removed.
contract CertTestRevertingSubscriber is ISanctionsSubscriber, IERC165 {
    /// @notice The hook refused `account`.
    error SubscriberBroken(address account);

    /// @inheritdoc ISanctionsSubscriber
    function onSanctionsChanged(address account) external pure {
        revert SubscriberBroken(account);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(ISanctionsSubscriber).interfaceId || interfaceId == type(IERC165).interfaceId;
    }
}
