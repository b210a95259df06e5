// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {IInvestorRegistry} from "../interfaces/IInvestorRegistry.sol";
import {PartyWord} from "../libraries/PartyWord.sol";
import {IIdentityRegistryCompat} from "../interfaces/IIdentityRegistryCompat.sol";
import {IInvestorWords, IInvestorWordsSource} from "../interfaces/IPartyWords.sol";
import {PartyWordStore} from "./PartyWordStore.sol";

/// @title InvestorRegistry
/// @notice One registry per chain, shared by every asset on it: investors (country, class, KYC
/// expiry, frozen flag) and the wallets bound to them. The registrar (a KYC provider) keeps it.
/// @dev Note: storage is laid out for the token's hot path. A wallet's slot packs everything a
/// transfer check needs (investor number, country, class flags, KYC expiry, frozen flag), so
/// checking a party is ONE storage read and checking both parties of a transfer is one call.
/// The investor's canonical record is kept beside it; an update to an investor rewrites the copy
/// in each of its wallets' slots, a loop bounded by `MAX_WALLETS_PER_INVESTOR` (never by the number
/// of investors). Every other function is O(1).
/// Sole wallets: a wallet is its investor's *sole wallet* while it is the only wallet ever bound to
/// that investor and was never bound to anyone before. Tokens may then keep the investor's
/// per-asset totals inside that wallet's own token slot (one storage slot fewer per party, see
/// `RegistryShare`). The status only ever ends: binding a second wallet or unbinding the sole one
/// ends it for good, so a token that saw it end can rely on it never coming back.
/// Invariants: a wallet is bound to at most one investor; `walletCount` of an investor equals the
/// number of wallets bound to it; every bound wallet's packed copy equals its investor's record;
/// a bound wallet is sole iff `walletsEverBound` of its investor is 1 and it was never bound before;
/// every wallet's word in {partyWordStore} equals its word here (both written by `_setWord` or `_bindWord` only), and
/// its investor id there equals {investorOf} here (written with the word on a bind or an unbind,
/// `_bindWord`; an id never changes while the wallet stays bound).
/// ERC-3643: the T-REX `IIdentityRegistry` functions ({IIdentityRegistryCompat}) are the same
/// actions under T-REX's names; an identity is the investor whose id is the identity's address.
/// Upgradeable (UUPS, ERC-1967): clients (the assets) use the proxy's address; all of the registry's
/// own state lives in one ERC-7201 namespace (`InvestorRegistryStorage`, no sequential slot), so an
/// upgrade keeps every investor, wallet and packed word. Only DEFAULT_ADMIN_ROLE may upgrade
/// ({_authorizeUpgrade}): the timelock once the deployment hands admin over. The implementation
/// itself can never be initialised.
contract InvestorRegistry is
    Initializable,
    UUPSUpgradeable,
    AccessControlUpgradeable,
    IInvestorRegistry,
    IIdentityRegistryCompat,
    IInvestorWords,
    IInvestorWordsSource
{
    /// @notice Registers and updates investors and their wallets.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    /// @notice Most wallets one investor can bind (bounds the copy loop of investor updates).
    uint256 public constant MAX_WALLETS_PER_INVESTOR = 16;

    struct Record {
        uint16 country;
        uint16 classFlags;
        uint64 kycExpiry;
        bool frozen;
        uint32 walletCount;
        uint32 walletsEverBound;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.InvestorRegistry")) - 1)) & ~bytes32(uint256(0xff))
    /// = 0x84e6882081c92b7e9420ead2f481f94acd641c1fa1ae629eb21781cb87794100 (ERC-7201; asserted in
    /// test/forge/InvestorRegistryUpgrade.t.sol).
    bytes32 private constant INVESTOR_REGISTRY_STORAGE =
        0x84e6882081c92b7e9420ead2f481f94acd641c1fa1ae629eb21781cb87794100;

    /// @custom:storage-location erc7201:tokenized-stocks.storage.InvestorRegistry
    struct InvestorRegistryStorage {
        /// @dev One slot per wallet, encoded and decoded by {PartyWord} only: the investor number plus
        /// a copy of the investor's record, the wallet's position in its investor's wallet list (for
        /// O(1) removal) and the sole-wallet flag. Tokens read the raw word through {partyWords}.
        mapping(address wallet => uint256 word) walletWords;
        mapping(uint32 index => Record) records;
        mapping(uint32 index => address[]) walletsOf;
        mapping(bytes32 investorId => uint32 index) indexOf;
        mapping(uint32 index => bytes32 investorId) idOf;
        mapping(uint32 index => address wallet) firstWallet;
        mapping(address wallet => bool) everBound;
        uint32 investorCount;
        /// @dev The copy of `walletWords` tokens read without this proxy's hop (created by {initialize}).
        PartyWordStore wordStore;
        /// @dev Whether `wordStore` keeps the wallets' investor ids ({PartyWordStore-writeBinding}):
        /// true for a store created by this version's {initialize}; false in a registry upgraded
        /// from a version whose store has no ids (its desks then ask the registry, `investorWord`).
        bool storeKeepsIds;
    }

    /// @notice The implementation: never initialised itself (a proxy delegates to it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a registry behind its proxy (called once, in the proxy's deployment).
    /// @param admin Receives `DEFAULT_ADMIN_ROLE` (grants and revokes the registrar).
    /// @dev Emits {RoleGranted} and {Initialized}. Requirements: not yet initialised (the
    /// implementation never is); `admin` is not zero.
    function initialize(address admin) external initializer {
        __UUPSUpgradeable_init();
        __AccessControl_init();
        if (admin == address(0)) revert RegistryZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        InvestorRegistryStorage storage $ = _rs();
        $.wordStore = new PartyWordStore();
        $.storeKeepsIds = true;
    }

    /// @inheritdoc IInvestorRegistry
    function partyWordStore() external view returns (address) {
        return address(_rs().wordStore);
    }

    // ------------------------------------------------------------------------------------------
    // Registrar actions
    // ------------------------------------------------------------------------------------------

    /// @notice Registers a new investor with no wallets.
    /// @param investorId Opaque id chosen by the registrar (e.g. a hash of the KYC file number).
    /// @param country ISO 3166-1 numeric code, 1..999.
    /// @param classFlags Investor class bit flags.
    /// @param kycExpiry Unix time until which the KYC check is valid; must lie in the future.
    /// @dev Emits an {InvestorRegistered} event.
    /// Requirements: caller has `REGISTRAR_ROLE`; `investorId` is non-zero and not registered.
    function registerInvestor(bytes32 investorId, uint16 country, uint16 classFlags, uint64 kycExpiry)
        external
        onlyRole(REGISTRAR_ROLE)
    {
        _registerInvestor(investorId, country, classFlags, kycExpiry);
    }

    function _registerInvestor(bytes32 investorId, uint16 country, uint16 classFlags, uint64 kycExpiry) private {
        InvestorRegistryStorage storage $ = _rs();
        if (investorId == bytes32(0)) revert RegistryZeroInvestorId();
        if ($.indexOf[investorId] != 0) revert RegistryInvestorExists(investorId);
        _checkRecord(country, kycExpiry);
        uint32 index = ++$.investorCount;
        $.indexOf[investorId] = index;
        $.idOf[index] = investorId;
        $.records[index] = Record({
            country: country,
            classFlags: classFlags,
            kycExpiry: kycExpiry,
            frozen: false,
            walletCount: 0,
            walletsEverBound: 0
        });
        emit InvestorRegistered(investorId, country, classFlags, kycExpiry);
    }

    /// @notice Replaces an investor's country, class flags and KYC expiry (frozen flag and wallets stay).
    /// @dev Emits an {InvestorUpdated} event.
    /// Requirements: caller has `REGISTRAR_ROLE`; the investor is registered; the country is valid;
    /// the new expiry lies in the future.
    function updateInvestor(bytes32 investorId, uint16 country, uint16 classFlags, uint64 kycExpiry)
        external
        onlyRole(REGISTRAR_ROLE)
    {
        InvestorRegistryStorage storage $ = _rs();
        uint32 index = _requireIndex(investorId);
        _checkRecord(country, kycExpiry);
        Record storage record = $.records[index];
        record.country = country;
        record.classFlags = classFlags;
        record.kycExpiry = kycExpiry;
        _copyToWallets(index, record);
        emit InvestorUpdated(investorId, country, classFlags, kycExpiry);
    }

    /// @notice Freezes (`frozen = true`) or unfreezes an investor. A frozen investor's wallets are
    /// not verified, so assets refuse transfers to and from them.
    /// @dev Emits an {InvestorFrozen} or {InvestorUnfrozen} event.
    /// Requirements: caller has `REGISTRAR_ROLE`; the investor is registered and not already in
    /// the requested state.
    function setInvestorFrozen(bytes32 investorId, bool frozen) external onlyRole(REGISTRAR_ROLE) {
        InvestorRegistryStorage storage $ = _rs();
        uint32 index = _requireIndex(investorId);
        Record storage record = $.records[index];
        if (frozen) {
            if (record.frozen) revert RegistryInvestorAlreadyFrozen(investorId);
            record.frozen = true;
            _copyToWallets(index, record);
            emit InvestorFrozen(investorId);
        } else {
            if (!record.frozen) revert RegistryInvestorNotFrozen(investorId);
            record.frozen = false;
            _copyToWallets(index, record);
            emit InvestorUnfrozen(investorId);
        }
    }

    /// @notice Binds `wallet` to a registered investor. The first wallet ever bound to an investor,
    /// if never bound before, becomes its sole wallet; binding any further wallet ends that status.
    /// @dev Emits a {WalletAdded} event.
    /// Requirements: caller has `REGISTRAR_ROLE`; the investor is registered and has fewer than
    /// `MAX_WALLETS_PER_INVESTOR` wallets; `wallet` is not zero and not bound to any investor
    /// (remove it first to move it).
    function addWallet(bytes32 investorId, address wallet) external onlyRole(REGISTRAR_ROLE) {
        _addWallet(investorId, wallet);
    }

    // The only external call is {_setWord}'s or {_bindWord}'s write to the registry's own PartyWordStore (created by
    // this registry, no callback, written only by it): nothing can reenter through it.
    // slither-disable-next-line reentrancy-no-eth
    function _addWallet(bytes32 investorId, address wallet) private {
        InvestorRegistryStorage storage $ = _rs();
        if (wallet == address(0)) revert RegistryZeroAddress();
        uint32 index = _requireIndex(investorId);
        uint32 current = PartyWord.index($.walletWords[wallet]);
        if (current != 0) revert RegistryWalletAlreadyBound(wallet, $.idOf[current]);
        address[] storage wallets = $.walletsOf[index];
        uint256 count = wallets.length;
        if (count >= MAX_WALLETS_PER_INVESTOR) revert RegistryTooManyWallets(investorId, MAX_WALLETS_PER_INVESTOR);
        Record storage record = $.records[index];
        uint32 everBound = record.walletsEverBound;
        bool sole = everBound == 0 && !$.everBound[wallet];
        // A second wallet ever: the first one (still bound or not) is no longer the sole wallet.
        if (everBound == 1 && count == 1) {
            address first = wallets[0];
            _setWord(first, PartyWord.withSole($.walletWords[first], false));
        }
        if (everBound == 0) $.firstWallet[index] = wallet;
        $.everBound[wallet] = true;
        wallets.push(wallet);
        _bindWord(
            wallet,
            investorId,
            PartyWord.encode(
                index,
                record.country,
                record.classFlags,
                record.kycExpiry,
                record.frozen,
                uint8(count), // < MAX_WALLETS_PER_INVESTOR, fits
                sole
            )
        );
        record.walletCount = uint32(count + 1);
        // Cannot overflow in practice: one per addWallet call, bounded by the registrar's gas.
        record.walletsEverBound = everBound + 1;
        emit WalletAdded(investorId, wallet);
    }

    /// @notice Unbinds `wallet` from its investor. Its token balances stay where they are; only the
    /// transfer agent can move them afterwards (wallet recovery). Unbinding a sole wallet ends the
    /// sole-wallet status of its investor for good.
    /// @dev Emits a {WalletRemoved} event.
    /// Requirements: caller has `REGISTRAR_ROLE`; `wallet` is bound.
    function removeWallet(address wallet) external onlyRole(REGISTRAR_ROLE) {
        _removeWallet(wallet);
    }

    // The only external call is {_setWord}'s or {_bindWord}'s write to the registry's own PartyWordStore (created by
    // this registry, no callback, written only by it): nothing can reenter through it.
    // slither-disable-next-line reentrancy-no-eth
    function _removeWallet(address wallet) private returns (bytes32 investorId) {
        InvestorRegistryStorage storage $ = _rs();
        uint256 word = $.walletWords[wallet];
        uint32 index = PartyWord.index(word);
        if (index == 0) revert RegistryWalletNotBound(wallet);
        uint8 position = PartyWord.position(word);
        address[] storage wallets = $.walletsOf[index];
        // Swap and pop: the last wallet takes the removed one's position.
        uint256 last = wallets.length - 1; // cannot underflow: the wallet is in the list
        if (position != last) {
            address moved = wallets[last];
            wallets[position] = moved;
            _setWord(moved, PartyWord.withPosition($.walletWords[moved], position));
        }
        wallets.pop();
        $.records[index].walletCount = uint32(last);
        investorId = $.idOf[index];
        _bindWord(wallet, bytes32(0), 0);
        emit WalletRemoved(investorId, wallet);
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IInvestorRegistry
    function isVerified(address wallet) external view returns (bool) {
        InvestorRegistryStorage storage $ = _rs();
        uint256 word = $.walletWords[wallet];
        return PartyWord.index(word) != 0 && !PartyWord.frozen(word) && PartyWord.kycExpiry(word) >= block.timestamp;
    }

    /// @inheritdoc IInvestorRegistry
    function investorOf(address wallet) external view returns (bytes32) {
        InvestorRegistryStorage storage $ = _rs();
        return $.idOf[PartyWord.index($.walletWords[wallet])];
    }

    /// @notice The wallets bound to an investor (at most `MAX_WALLETS_PER_INVESTOR`).
    function walletsOf(bytes32 investorId) external view returns (address[] memory) {
        InvestorRegistryStorage storage $ = _rs();
        return $.walletsOf[$.indexOf[investorId]];
    }

    /// @inheritdoc IInvestorRegistry
    function investor(bytes32 investorId) external view returns (Investor memory) {
        InvestorRegistryStorage storage $ = _rs();
        Record memory record = $.records[_requireIndex(investorId)];
        return Investor({
            investorId: investorId,
            country: record.country,
            classFlags: record.classFlags,
            kycExpiry: record.kycExpiry,
            frozen: record.frozen,
            walletCount: record.walletCount
        });
    }

    /// @inheritdoc IInvestorRegistry
    function isRegistered(bytes32 investorId) external view returns (bool) {
        InvestorRegistryStorage storage $ = _rs();
        return $.indexOf[investorId] != 0;
    }

    /// @inheritdoc IInvestorRegistry
    function indexOf(bytes32 investorId) external view returns (uint32) {
        InvestorRegistryStorage storage $ = _rs();
        return $.indexOf[investorId];
    }

    /// @inheritdoc IInvestorRegistry
    function investorIdAt(uint32 index) external view returns (bytes32) {
        InvestorRegistryStorage storage $ = _rs();
        return $.idOf[index];
    }

    /// @inheritdoc IInvestorWordsSource
    function investorWords() external view returns (IInvestorWords) {
        InvestorRegistryStorage storage $ = _rs();
        return $.storeKeepsIds ? IInvestorWords(address($.wordStore)) : IInvestorWords(address(this));
    }

    /// @inheritdoc IInvestorWords
    /// @dev The same values as the {partyWordStore}'s (which readers on a hot path ask instead).
    function investorWord(address wallet) external view returns (uint256 word, bytes32 investorId) {
        InvestorRegistryStorage storage $ = _rs();
        word = $.walletWords[wallet];
        investorId = $.idOf[PartyWord.index(word)];
    }

    /// @inheritdoc IInvestorRegistry
    function party(address wallet) external view returns (Party memory) {
        return _party(wallet);
    }

    /// @inheritdoc IInvestorRegistry
    function parties(address from, address to) external view returns (Party memory, Party memory) {
        return (_party(from), _party(to));
    }

    /// @inheritdoc IInvestorRegistry
    function partyWord(address wallet) external view returns (uint256) {
        return _word(wallet);
    }

    /// @inheritdoc IInvestorRegistry
    function partyWords(address from, address to) external view returns (uint256, uint256) {
        return (_word(from), _word(to));
    }

    /// @inheritdoc IInvestorRegistry
    function walletModeOf(uint32 index) external view returns (address firstWallet, bool sole) {
        InvestorRegistryStorage storage $ = _rs();
        firstWallet = $.firstWallet[index];
        uint256 word = $.walletWords[firstWallet];
        sole = firstWallet != address(0) && PartyWord.index(word) == index && PartyWord.sole(word);
    }

    /// @inheritdoc IInvestorRegistry
    function investorCount() external view returns (uint256) {
        InvestorRegistryStorage storage $ = _rs();
        return $.investorCount;
    }

    // ------------------------------------------------------------------------------------------
    // ERC-3643 (T-REX IIdentityRegistry)
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IIdentityRegistryCompat
    function registerIdentity(address userAddress, address identity_, uint16 country)
        external
        onlyRole(REGISTRAR_ROLE)
    {
        _registerIdentity(userAddress, identity_, country);
    }

    /// @inheritdoc IIdentityRegistryCompat
    function batchRegisterIdentity(
        address[] calldata userAddresses,
        address[] calldata identities,
        uint16[] calldata countries
    ) external onlyRole(REGISTRAR_ROLE) {
        uint256 count = userAddresses.length;
        if (identities.length != count) revert RegistryBatchLengthMismatch(count, identities.length);
        if (countries.length != count) revert RegistryBatchLengthMismatch(count, countries.length);
        for (uint256 i; i < count; ++i) {
            _registerIdentity(userAddresses[i], identities[i], countries[i]);
        }
    }

    /// @inheritdoc IIdentityRegistryCompat
    function deleteIdentity(address userAddress) external onlyRole(REGISTRAR_ROLE) {
        bytes32 investorId = _removeWallet(userAddress);
        emit IdentityRemoved(userAddress, _identityOf(investorId));
    }

    /// @inheritdoc IIdentityRegistryCompat
    function updateCountry(address userAddress, uint16 country) external onlyRole(REGISTRAR_ROLE) {
        InvestorRegistryStorage storage $ = _rs();
        uint32 index = _boundIndex(userAddress);
        Record storage record = $.records[index];
        if (country == 0 || country > 999) revert RegistryInvalidCountry(country);
        record.country = country;
        _copyToWallets(index, record);
        emit InvestorUpdated($.idOf[index], country, record.classFlags, record.kycExpiry);
        emit CountryUpdated(userAddress, country);
    }

    /// @inheritdoc IIdentityRegistryCompat
    // The only external call is {_setWord}'s or {_bindWord}'s write to the registry's own PartyWordStore (created by
    // this registry, no callback, written only by it): nothing can reenter through it.
    // slither-disable-next-line reentrancy-no-eth
    function updateIdentity(address userAddress, address identity_) external onlyRole(REGISTRAR_ROLE) {
        InvestorRegistryStorage storage $ = _rs();
        Record memory old = $.records[_boundIndex(userAddress)];
        bytes32 oldId = _removeWallet(userAddress);
        bytes32 newId = _idFor(identity_);
        if ($.indexOf[newId] == 0) _registerInvestor(newId, old.country, old.classFlags, old.kycExpiry);
        _addWallet(newId, userAddress);
        emit IdentityUpdated(_identityOf(oldId), identity_);
    }

    /// @inheritdoc IIdentityRegistryCompat
    function contains(address userAddress) external view returns (bool) {
        InvestorRegistryStorage storage $ = _rs();
        return PartyWord.index($.walletWords[userAddress]) != 0;
    }

    /// @inheritdoc IIdentityRegistryCompat
    function identity(address userAddress) external view returns (address) {
        InvestorRegistryStorage storage $ = _rs();
        return _identityOf($.idOf[PartyWord.index($.walletWords[userAddress])]);
    }

    /// @inheritdoc IIdentityRegistryCompat
    function investorCountry(address userAddress) external view returns (uint16) {
        InvestorRegistryStorage storage $ = _rs();
        uint256 word = $.walletWords[userAddress];
        return PartyWord.index(word) == 0 ? 0 : PartyWord.country(word);
    }

    /// @inheritdoc IIdentityRegistryCompat
    function identityStorage() external view returns (address) {
        return address(this);
    }

    /// @inheritdoc IIdentityRegistryCompat
    function issuersRegistry() external pure returns (address) {
        return address(0);
    }

    /// @inheritdoc IIdentityRegistryCompat
    function topicsRegistry() external pure returns (address) {
        return address(0);
    }

    function _registerIdentity(address userAddress, address identity_, uint16 country) private {
        InvestorRegistryStorage storage $ = _rs();
        bytes32 investorId = _idFor(identity_);
        uint32 index = $.indexOf[investorId];
        if (index == 0) {
            // No KYC expiry: T-REX verifies by claims; the registrar's act stands in for them.
            _registerInvestor(investorId, country, 0, type(uint64).max);
        } else if ($.records[index].country != country) {
            revert RegistryCountryMismatch(identity_, country, $.records[index].country);
        }
        _addWallet(investorId, userAddress);
        emit IdentityRegistered(userAddress, identity_);
    }

    function _idFor(address identity_) private pure returns (bytes32) {
        if (identity_ == address(0)) revert RegistryZeroInvestorId();
        return bytes32(uint256(uint160(identity_)));
    }

    /// @dev An id of the form `bytes32(uint256(uint160(identity)))` (registered through
    /// {registerIdentity}) gives back that identity; any other non-zero id (registered by
    /// {registerInvestor}) a stable identity derived from it, never zero.
    function _identityOf(bytes32 investorId) private pure returns (address) {
        if (investorId == bytes32(0)) return address(0);
        if (uint256(investorId) >> 160 == 0) return address(uint160(uint256(investorId)));
        return address(uint160(uint256(keccak256(abi.encode(investorId)))));
    }

    function _boundIndex(address wallet) private view returns (uint32 index) {
        InvestorRegistryStorage storage $ = _rs();
        index = PartyWord.index($.walletWords[wallet]);
        if (index == 0) revert RegistryWalletNotBound(wallet);
    }

    // ------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------

    /// @dev One storage read: the wallet's packed slot.
    function _party(address wallet) private view returns (Party memory result) {
        InvestorRegistryStorage storage $ = _rs();
        uint256 word = $.walletWords[wallet];
        if (PartyWord.index(word) == 0) return result;
        result = Party({
            index: PartyWord.index(word),
            country: PartyWord.country(word),
            classFlags: PartyWord.classFlags(word),
            kycExpiry: PartyWord.kycExpiry(word),
            frozen: PartyWord.frozen(word)
        });
    }

    /// @dev The raw word of a wallet's slot (zero when unbound), laid out by {PartyWord}.
    function _word(address wallet) private view returns (uint256) {
        InvestorRegistryStorage storage $ = _rs();
        return $.walletWords[wallet];
    }

    /// @dev Rewrites the investor's record into each of its wallets' slots (at most
    /// `MAX_WALLETS_PER_INVESTOR` iterations).
    function _copyToWallets(uint32 index, Record storage record) private {
        InvestorRegistryStorage storage $ = _rs();
        address[] storage wallets = $.walletsOf[index];
        uint256 count = wallets.length;
        for (uint256 i = 0; i < count; ++i) {
            address wallet = wallets[i];
            _setWord(
                wallet,
                PartyWord.withRecord(
                    $.walletWords[wallet], record.country, record.classFlags, record.kycExpiry, record.frozen
                )
            );
        }
    }

    /// @dev The writer of a bound wallet's word whose investor stays the same: the registry's own slot
    /// and its {PartyWordStore} copy (a bind or an unbind goes through {_bindWord}).
    function _setWord(address wallet, uint256 word) private {
        InvestorRegistryStorage storage $ = _rs();
        $.walletWords[wallet] = word;
        $.wordStore.write(wallet, word);
    }

    /// @dev A wallet bound to `investorId` (or unbound, zeros): its word and its investor id, here and
    /// in the {PartyWordStore}.
    function _bindWord(address wallet, bytes32 investorId, uint256 word) private {
        InvestorRegistryStorage storage $ = _rs();
        $.walletWords[wallet] = word;
        if ($.storeKeepsIds) $.wordStore.writeBinding(wallet, word, investorId);
        else $.wordStore.write(wallet, word);
    }

    function _requireIndex(bytes32 investorId) private view returns (uint32 index) {
        InvestorRegistryStorage storage $ = _rs();
        index = $.indexOf[investorId];
        if (index == 0) revert RegistryUnknownInvestor(investorId);
    }

    function _checkRecord(uint16 country, uint64 kycExpiry) private view {
        if (country == 0 || country > 999) revert RegistryInvalidCountry(country);
        if (kycExpiry <= block.timestamp) revert RegistryKycAlreadyExpired(kycExpiry);
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every investor and wallet stays, they live in the registry's ERC-7201
    /// namespace.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /// @dev The registry's state: one ERC-7201 namespace ({INVESTOR_REGISTRY_STORAGE}).
    function _rs() private pure returns (InvestorRegistryStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := INVESTOR_REGISTRY_STORAGE
        }
    }
}
