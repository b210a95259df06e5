// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CertificateStorage} from "./CertificateStorage.sol";
import {CertificateAccount} from "../../libraries/CertificateAccount.sol";
import {ISanctionsList} from "../../interfaces/ISanctionsList.sol";
import {ISanctionsSubscriber} from "../../interfaces/ISanctionsSubscriber.sol";
import {ITrackerCertificate} from "../../interfaces/ITrackerCertificate.sol";

/// @title CertificateSanctions
/// @notice The tracker certificate's sanctions cache (USDC-blacklist style; see "SANCTIONS" in
/// {TrackerCertificate}): one flag per account in its balance slot, kept in step with the oracle
/// by push ({onSanctionsChanged}) and pull ({syncSanctions}), plus the optional live screening.
/// @dev Note: invariants:
/// - the cached flag changes only to the oracle's current answer ({_syncSanctions}), and emits
///   {SanctionsSynced} exactly when it changes;
/// - {_isSanctioned} is the one rule every balance change, spender check and view applies: the
///   cached flag, or in live mode the cached flag or the oracle's answer;
/// - replacing the oracle keeps every cached flag.
abstract contract CertificateSanctions is CertificateStorage, ITrackerCertificate {
    using CertificateAccount for uint256;

    /// @inheritdoc ITrackerCertificate
    /// @param newList The new oracle (Chainalysis `isSanctioned` interface); not zero.
    /// @dev Changing the oracle does NOT clear or re-read the cached flags (that would be a loop
    /// over holders): the admin or a keeper calls {syncSanctions} for the accounts the old and new
    /// oracles disagree on, and subscribes the certificate to the new list if it pushes (and
    /// unsubscribes it from the old one). Emits {SanctionsListSet}. Requirements: caller has
    /// `DEFAULT_ADMIN_ROLE`.
    function setSanctionsList(address newList) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSanctionsList(newList);
    }

    /// @notice The sanctions oracle the cached flags are synced from (and asked live in live mode).
    function sanctionsList() external view returns (address) {
        return address(_cs().sanctionsList);
    }

    /// @inheritdoc ITrackerCertificate
    /// @param accounts Accounts to sync; the zero address is skipped. The cost is linear in the
    /// caller's own list (one oracle call and one slot per account), never in the holders.
    /// @dev Anyone may call it: it only copies the oracle's answer. Emits {SanctionsSynced} for
    /// each account whose cached flag changes (nothing for the others).
    function syncSanctions(address[] calldata accounts) external {
        ISanctionsList list = _cs().sanctionsList;
        // Bounded by the caller's calldata.
        for (uint256 i = 0; i < accounts.length; ++i) {
            _syncSanctions(list, accounts[i]);
        }
    }

    /// @inheritdoc ISanctionsSubscriber
    /// @param account The account whose status changed on a list this certificate subscribes to.
    /// @dev Called by our {SanctionsList} in the same transaction as `setSanctioned`; anyone else
    /// may call it too (it re-reads {sanctionsList}, like {syncSanctions} for one account). Works
    /// while paused. Emits {SanctionsSynced} when the cached flag changes.
    function onSanctionsChanged(address account) external {
        _syncSanctions(_cs().sanctionsList, account);
    }

    /// @inheritdoc ITrackerCertificate
    /// @param account The account asked about.
    function isSanctionedCached(address account) external view returns (bool) {
        return _cs().accounts[account].sanctioned();
    }

    /// @inheritdoc ITrackerCertificate
    /// @param enabled True: every balance change also calls the oracle for each screened party
    /// (no sync lag with a non-pushing oracle, ~8.7k gas more per transfer); false: cached flags only.
    /// @dev Emits {LiveScreeningSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setLiveScreening(bool enabled) external onlyRole(DEFAULT_ADMIN_ROLE) {
        TrackerCertificateStorage storage $ = _cs();
        if (enabled) $.flags |= _LIVE_SCREENING;
        else $.flags &= ~_LIVE_SCREENING;
        emit LiveScreeningSet(enabled);
    }

    /// @notice Whether live screening is on (see {setLiveScreening}).
    function liveScreening() external view returns (bool) {
        return _cs().flags & _LIVE_SCREENING != 0;
    }

    /// @inheritdoc ITrackerCertificate
    /// @param account The account asked about.
    /// @dev The rule every balance change applies: the cached flag, or in live mode the cached
    /// flag or the oracle's answer. {CertificateVault} screens its parties with it.
    function isSanctioned(address account) external view returns (bool) {
        return _isSanctioned(account, _cs().sanctionsList);
    }

    function _screenSpender(address spender) internal view {
        if (_isSanctioned(spender, _cs().sanctionsList)) revert CertificateSanctioned(spender);
    }

    /// @dev Copies the oracle's answer for `account` into its cached flag; emits only on change.
    function _syncSanctions(ISanctionsList list, address account) internal {
        if (account == address(0)) return;
        bool sanctioned = list.isSanctioned(account);
        mapping(address => uint256) storage accounts = _cs().accounts;
        uint256 slot = accounts[account];
        if (sanctioned != slot.sanctioned()) {
            accounts[account] = slot.withSanctioned(sanctioned);
            emit SanctionsSynced(account, sanctioned);
        }
    }
}
