// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {ERC165Checker} from "@openzeppelin/contracts/utils/introspection/ERC165Checker.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {ISanctionsList, ISanctionsStoreSource} from "../interfaces/ISanctionsList.sol";
import {SanctionsStore} from "./SanctionsStore.sol";
import {ISanctionsSubscriber} from "../interfaces/ISanctionsSubscriber.sol";

/// @title SanctionsList
/// @notice A sanctions list the compliance officer keeps, with the Chainalysis oracle's
/// `isSanctioned(address)` interface, so assets can point at a real oracle instead without changes.
///
/// SUBSCRIBERS. Assets that cache sanctions flags (the tracker certificate) subscribe here; every
/// {setSanctioned} calls each subscriber's {ISanctionsSubscriber-onSanctionsChanged} hook in the same
/// transaction, so a listing takes effect in their caches at once. At most `MAX_SUBSCRIBERS`, so
/// the push is bounded. A subscriber whose hook reverts makes the whole {setSanctioned} revert
/// with {SanctionsSubscriberFailed}: a compliance action must not half-apply (listed here but not
/// in an asset's cache). The admin then removes the faulty subscriber ({removeSubscriber} never
/// calls it) and the list works again; the removed asset can be re-synced permissionlessly.
/// @dev Every function is O(1) or bounded by `MAX_SUBSCRIBERS`.
/// Invariants (NEVER violate): an address is listed iff the last {setSanctioned} for it said so;
/// every subscriber declares {ISanctionsSubscriber} and there are at most `MAX_SUBSCRIBERS`;
/// {sanctionsStore}, when set, answers `isSanctioned` exactly as the list does (both written by
/// {setSanctioned} only; the store is created empty with the list, before any listing).
/// Upgradeable (UUPS, ERC-1967): clients use the proxy's address; all of the list's own state lives
/// in one ERC-7201 namespace (`SanctionsListStorage`, no sequential slot), so an upgrade keeps every
/// listing and subscriber. Only DEFAULT_ADMIN_ROLE may upgrade ({_authorizeUpgrade}): the timelock
/// once the deployment hands admin over. The implementation itself can never be initialised.
contract SanctionsList is
    Initializable,
    UUPSUpgradeable,
    AccessControlUpgradeable,
    ISanctionsList,
    ISanctionsStoreSource
{
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @notice Adds and removes sanctioned addresses.
    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    /// @notice Most subscribers the list pushes to (bounds the gas of {setSanctioned}).
    uint256 public constant MAX_SUBSCRIBERS = 16;

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.SanctionsList")) - 1)) & ~bytes32(uint256(0xff))
    /// = 0x5f0d7d98ec622decc30e9fc6de91ba44fe2ae49f0947b69e78f77a94e9ab5700 (ERC-7201; asserted in
    /// test/forge/SanctionsListUpgrade.t.sol).
    bytes32 private constant SANCTIONS_LIST_STORAGE =
        0x5f0d7d98ec622decc30e9fc6de91ba44fe2ae49f0947b69e78f77a94e9ab5700;

    /// @custom:storage-location erc7201:tokenized-stocks.storage.SanctionsList
    struct SanctionsListStorage {
        mapping(address account => bool) sanctioned;
        EnumerableSet.AddressSet subscribers;
        /// @dev The plain copy readers ask without this proxy's hop (created by {initialize}; zero
        /// in a list upgraded from a version without it, whose readers keep asking the list).
        SanctionsStore store;
    }

    /// @notice An address was put on the list.
    event AddressSanctioned(address indexed account);
    /// @notice An address was taken off the list.
    event AddressUnsanctioned(address indexed account);
    /// @notice A subscriber was added: it is told of every change from now on.
    event SubscriberAdded(address indexed subscriber);
    /// @notice A subscriber was removed: it is no longer told of changes.
    event SubscriberRemoved(address indexed subscriber);

    /// @notice The address is already in the requested state.
    error SanctionsUnchanged(address account, bool sanctioned);
    /// @notice The zero address was given where an account is required.
    error SanctionsZeroAddress();
    /// @notice The subscriber is not a contract declaring {ISanctionsSubscriber} through ERC-165.
    error SanctionsInvalidSubscriber(address subscriber);
    /// @notice The subscriber is already subscribed.
    error SanctionsSubscriberExists(address subscriber);
    /// @notice The address is not a subscriber.
    error SanctionsUnknownSubscriber(address subscriber);
    /// @notice Adding one more subscriber would exceed `max`.
    error SanctionsTooManySubscribers(uint256 max);
    /// @notice A subscriber's hook reverted (with `reason`); the whole change was reverted.
    error SanctionsSubscriberFailed(address subscriber, bytes reason);

    /// @notice The implementation: never initialised itself (a proxy delegates to it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a list behind its proxy (called once, in the proxy's deployment).
    /// @param admin Receives `DEFAULT_ADMIN_ROLE`.
    /// @dev Emits {RoleGranted} and {Initialized}. Requirements: not yet initialised (the
    /// implementation never is); `admin` is not zero.
    function initialize(address admin) external initializer {
        __UUPSUpgradeable_init();
        __AccessControl_init();
        if (admin == address(0)) revert SanctionsZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _ss().store = new SanctionsStore();
    }

    /// @notice Puts `account` on (`sanctioned = true`) or takes it off the list, then tells every
    /// subscriber in the same transaction.
    /// @param account The account.
    /// @param sanctioned The new status.
    /// @dev Emits an {AddressSanctioned} or {AddressUnsanctioned} event (and whatever the
    /// subscribers emit, e.g. the certificate's `SanctionsSynced`).
    /// Requirements: caller has `COMPLIANCE_ROLE`; `account` is not zero and not already in the
    /// requested state; every subscriber's hook succeeds (else {SanctionsSubscriberFailed} and
    /// nothing changes).
    function setSanctioned(address account, bool sanctioned) external onlyRole(COMPLIANCE_ROLE) {
        SanctionsListStorage storage $ = _ss();
        if (account == address(0)) revert SanctionsZeroAddress();
        if ($.sanctioned[account] == sanctioned) revert SanctionsUnchanged(account, sanctioned);
        $.sanctioned[account] = sanctioned;
        SanctionsStore store = $.store;
        if (address(store) != address(0)) store.write(account, sanctioned);
        if (sanctioned) emit AddressSanctioned(account);
        else emit AddressUnsanctioned(account);
        uint256 count = $.subscribers.length();
        // Bounded: at most MAX_SUBSCRIBERS iterations. The subscribers are contracts the admin
        // chose; the state change is done before the calls (a hook re-reads {isSanctioned}).
        for (uint256 i = 0; i < count; ++i) {
            address subscriber = $.subscribers.at(i);
            try ISanctionsSubscriber(subscriber).onSanctionsChanged(account) {}
            catch (bytes memory reason) {
                revert SanctionsSubscriberFailed(subscriber, reason);
            }
        }
    }

    /// @inheritdoc ISanctionsList
    function isSanctioned(address addr) external view returns (bool) {
        return _ss().sanctioned[addr];
    }

    /// @inheritdoc ISanctionsStoreSource
    function sanctionsStore() external view returns (ISanctionsList) {
        return _ss().store;
    }

    /// @notice Subscribes `subscriber` to every future change. It is not told of past changes:
    /// sync the accounts already listed through the subscriber's own sync function.
    /// @param subscriber A contract that declares {ISanctionsSubscriber} through ERC-165.
    /// @dev Emits {SubscriberAdded}. Requirements: caller has `DEFAULT_ADMIN_ROLE`; `subscriber`
    /// declares the interface, is not yet subscribed, and fewer than `MAX_SUBSCRIBERS` are.
    function addSubscriber(address subscriber) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!ERC165Checker.supportsInterface(subscriber, type(ISanctionsSubscriber).interfaceId)) {
            revert SanctionsInvalidSubscriber(subscriber);
        }
        SanctionsListStorage storage $ = _ss();
        if ($.subscribers.contains(subscriber)) revert SanctionsSubscriberExists(subscriber);
        if ($.subscribers.length() >= MAX_SUBSCRIBERS) revert SanctionsTooManySubscribers(MAX_SUBSCRIBERS);
        // Returns true: `subscriber` is not in the set (checked above).
        // slither-disable-next-line unused-return
        $.subscribers.add(subscriber);
        emit SubscriberAdded(subscriber);
    }

    /// @notice Stops telling `subscriber` of changes (without calling it, so a faulty subscriber
    /// can always be removed).
    /// @param subscriber A current subscriber.
    /// @dev Emits {SubscriberRemoved}. Requirements: caller has `DEFAULT_ADMIN_ROLE`;
    /// `subscriber` is subscribed.
    function removeSubscriber(address subscriber) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!_ss().subscribers.remove(subscriber)) revert SanctionsUnknownSubscriber(subscriber);
        emit SubscriberRemoved(subscriber);
    }

    /// @notice The current subscribers (at most `MAX_SUBSCRIBERS`), in no particular order.
    function subscribers() external view returns (address[] memory) {
        return _ss().subscribers.values();
    }

    /// @notice Whether `account` is subscribed.
    /// @param account The address asked about.
    function isSubscriber(address account) external view returns (bool) {
        return _ss().subscribers.contains(account);
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every listing and subscriber stays, they live in the list's ERC-7201
    /// namespace.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /// @dev The list's state: one ERC-7201 namespace ({SANCTIONS_LIST_STORAGE}).
    function _ss() private pure returns (SanctionsListStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := SANCTIONS_LIST_STORAGE
        }
    }
}
