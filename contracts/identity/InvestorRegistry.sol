// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IInvestorRegistry} from "../interfaces/IInvestorRegistry.sol";
import {PartyWord} from "../libraries/PartyWord.sol";
import {IIdentityRegistryCompat} from "../interfaces/IIdentityRegistryCompat.sol";

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
/// a bound wallet is sole iff `walletsEverBound` of its investor is 1 and it was never bound before.
/// ERC-3643: the T-REX `IIdentityRegistry` functions ({IIdentityRegistryCompat}) are the same
/// actions under T-REX's names; an identity is the investor whose id is the identity's address.
contract InvestorRegistry is AccessControl, IInvestorRegistry, IIdentityRegistryCompat {
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

    /// @dev One slot per wallet, encoded and decoded by {PartyWord} only: the investor number plus
    /// a copy of the investor's record, the wallet's position in its investor's wallet list (for
    /// O(1) removal) and the sole-wallet flag. Tokens read the raw word through {partyWords}.
    mapping(address wallet => uint256 word) private _walletWords;
    mapping(uint32 index => Record) private _records;
    // Pushed to and popped from in addWallet/removeWallet (slither does not follow storage pointers).
    // slither-disable-next-line uninitialized-state
    mapping(uint32 index => address[]) private _walletsOf;
    mapping(bytes32 investorId => uint32 index) private _indexOf;
    mapping(uint32 index => bytes32 investorId) private _idOf;
    mapping(uint32 index => address wallet) private _firstWallet;
    mapping(address wallet => bool) private _everBound;
    uint32 private _investorCount;

    /// @param admin Receives `DEFAULT_ADMIN_ROLE` (grants and revokes the registrar).
    constructor(address admin) {
        if (admin == address(0)) revert RegistryZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
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
        if (investorId == bytes32(0)) revert RegistryZeroInvestorId();
        if (_indexOf[investorId] != 0) revert RegistryInvestorExists(investorId);
        _checkRecord(country, kycExpiry);
        uint32 index = ++_investorCount;
        _indexOf[investorId] = index;
        _idOf[index] = investorId;
        _records[index] = Record({
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
        uint32 index = _requireIndex(investorId);
        _checkRecord(country, kycExpiry);
        Record storage record = _records[index];
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
        uint32 index = _requireIndex(investorId);
        Record storage record = _records[index];
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

    function _addWallet(bytes32 investorId, address wallet) private {
        if (wallet == address(0)) revert RegistryZeroAddress();
        uint32 index = _requireIndex(investorId);
        uint32 current = PartyWord.index(_walletWords[wallet]);
        if (current != 0) revert RegistryWalletAlreadyBound(wallet, _idOf[current]);
        address[] storage wallets = _walletsOf[index];
        uint256 count = wallets.length;
        if (count >= MAX_WALLETS_PER_INVESTOR) revert RegistryTooManyWallets(investorId, MAX_WALLETS_PER_INVESTOR);
        Record storage record = _records[index];
        uint32 everBound = record.walletsEverBound;
        bool sole = everBound == 0 && !_everBound[wallet];
        // A second wallet ever: the first one (still bound or not) is no longer the sole wallet.
        if (everBound == 1 && count == 1) {
            address first = wallets[0];
            _walletWords[first] = PartyWord.withSole(_walletWords[first], false);
        }
        if (everBound == 0) _firstWallet[index] = wallet;
        _everBound[wallet] = true;
        wallets.push(wallet);
        _walletWords[wallet] = PartyWord.encode(
            index,
            record.country,
            record.classFlags,
            record.kycExpiry,
            record.frozen,
            uint8(count), // < MAX_WALLETS_PER_INVESTOR, fits
            sole
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

    function _removeWallet(address wallet) private returns (bytes32 investorId) {
        uint256 word = _walletWords[wallet];
        uint32 index = PartyWord.index(word);
        if (index == 0) revert RegistryWalletNotBound(wallet);
        uint8 position = PartyWord.position(word);
        address[] storage wallets = _walletsOf[index];
        // Swap and pop: the last wallet takes the removed one's position.
        uint256 last = wallets.length - 1; // cannot underflow: the wallet is in the list
        if (position != last) {
            address moved = wallets[last];
            wallets[position] = moved;
            _walletWords[moved] = PartyWord.withPosition(_walletWords[moved], position);
        }
        wallets.pop();
        delete _walletWords[wallet];
        _records[index].walletCount = uint32(last);
        investorId = _idOf[index];
        emit WalletRemoved(investorId, wallet);
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IInvestorRegistry
    function isVerified(address wallet) external view returns (bool) {
        uint256 word = _walletWords[wallet];
        return PartyWord.index(word) != 0 && !PartyWord.frozen(word) && PartyWord.kycExpiry(word) >= block.timestamp;
    }

    /// @inheritdoc IInvestorRegistry
    function investorOf(address wallet) external view returns (bytes32) {
        return _idOf[PartyWord.index(_walletWords[wallet])];
    }

    /// @notice The wallets bound to an investor (at most `MAX_WALLETS_PER_INVESTOR`).
    function walletsOf(bytes32 investorId) external view returns (address[] memory) {
        return _walletsOf[_indexOf[investorId]];
    }

    /// @inheritdoc IInvestorRegistry
    function investor(bytes32 investorId) external view returns (Investor memory) {
        Record memory record = _records[_requireIndex(investorId)];
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
        return _indexOf[investorId] != 0;
    }

    /// @inheritdoc IInvestorRegistry
    function indexOf(bytes32 investorId) external view returns (uint32) {
        return _indexOf[investorId];
    }

    /// @inheritdoc IInvestorRegistry
    function investorIdAt(uint32 index) external view returns (bytes32) {
        return _idOf[index];
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
        firstWallet = _firstWallet[index];
        uint256 word = _walletWords[firstWallet];
        sole = firstWallet != address(0) && PartyWord.index(word) == index && PartyWord.sole(word);
    }

    /// @inheritdoc IInvestorRegistry
    function investorCount() external view returns (uint256) {
        return _investorCount;
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
        uint32 index = _boundIndex(userAddress);
        Record storage record = _records[index];
        if (country == 0 || country > 999) revert RegistryInvalidCountry(country);
        record.country = country;
        _copyToWallets(index, record);
        emit InvestorUpdated(_idOf[index], country, record.classFlags, record.kycExpiry);
        emit CountryUpdated(userAddress, country);
    }

    /// @inheritdoc IIdentityRegistryCompat
    function updateIdentity(address userAddress, address identity_) external onlyRole(REGISTRAR_ROLE) {
        Record memory old = _records[_boundIndex(userAddress)];
        bytes32 oldId = _removeWallet(userAddress);
        bytes32 newId = _idFor(identity_);
        if (_indexOf[newId] == 0) _registerInvestor(newId, old.country, old.classFlags, old.kycExpiry);
        _addWallet(newId, userAddress);
        emit IdentityUpdated(_identityOf(oldId), identity_);
    }

    /// @inheritdoc IIdentityRegistryCompat
    function contains(address userAddress) external view returns (bool) {
        return PartyWord.index(_walletWords[userAddress]) != 0;
    }

    /// @inheritdoc IIdentityRegistryCompat
    function identity(address userAddress) external view returns (address) {
        return _identityOf(_idOf[PartyWord.index(_walletWords[userAddress])]);
    }

    /// @inheritdoc IIdentityRegistryCompat
    function investorCountry(address userAddress) external view returns (uint16) {
        uint256 word = _walletWords[userAddress];
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
        bytes32 investorId = _idFor(identity_);
        uint32 index = _indexOf[investorId];
        if (index == 0) {
            // No KYC expiry: T-REX verifies by claims; the registrar's act stands in for them.
            _registerInvestor(investorId, country, 0, type(uint64).max);
        } else if (_records[index].country != country) {
            revert RegistryCountryMismatch(identity_, country, _records[index].country);
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
        index = PartyWord.index(_walletWords[wallet]);
        if (index == 0) revert RegistryWalletNotBound(wallet);
    }

    // ------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------

    /// @dev One storage read: the wallet's packed slot.
    function _party(address wallet) private view returns (Party memory result) {
        uint256 word = _walletWords[wallet];
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
        return _walletWords[wallet];
    }

    /// @dev Rewrites the investor's record into each of its wallets' slots (at most
    /// `MAX_WALLETS_PER_INVESTOR` iterations).
    function _copyToWallets(uint32 index, Record storage record) private {
        address[] storage wallets = _walletsOf[index];
        uint256 count = wallets.length;
        for (uint256 i = 0; i < count; ++i) {
            address wallet = wallets[i];
            _walletWords[wallet] = PartyWord.withRecord(
                _walletWords[wallet], record.country, record.classFlags, record.kycExpiry, record.frozen
            );
        }
    }

    function _requireIndex(bytes32 investorId) private view returns (uint32 index) {
        index = _indexOf[investorId];
        if (index == 0) revert RegistryUnknownInvestor(investorId);
    }

    function _checkRecord(uint16 country, uint64 kycExpiry) private view {
        if (country == 0 || country > 999) revert RegistryInvalidCountry(country);
        if (kycExpiry <= block.timestamp) revert RegistryKycAlreadyExpired(kycExpiry);
    }
}
