// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IInvestorRegistry
/// @notice One registry per chain: which wallets belong to which verified investor.
/// @dev Every lookup is O(1). A party check reads one slot: the wallet's, which carries a copy of
/// its investor's record.
interface IInvestorRegistry {
    /// @notice What a token needs to know about one party of a transfer, read in one call.
    /// @param index Registry-internal investor number, 0 when the wallet is not bound.
    /// @param country ISO 3166-1 numeric country code.
    /// @param classFlags Investor class bit flags (see `InvestorClass` in the Python package).
    /// @param kycExpiry Unix time after which the KYC check is no longer valid.
    /// @param frozen Whether the investor is frozen by the registrar.
    struct Party {
        uint32 index;
        uint16 country;
        uint16 classFlags;
        uint64 kycExpiry;
        bool frozen;
    }

    /// @notice A full investor record, for reading.
    struct Investor {
        bytes32 investorId;
        uint16 country;
        uint16 classFlags;
        uint64 kycExpiry;
        bool frozen;
        uint32 walletCount;
    }

    event InvestorRegistered(bytes32 indexed investorId, uint16 country, uint16 classFlags, uint64 kycExpiry);
    event InvestorUpdated(bytes32 indexed investorId, uint16 country, uint16 classFlags, uint64 kycExpiry);
    event InvestorFrozen(bytes32 indexed investorId);
    event InvestorUnfrozen(bytes32 indexed investorId);
    event WalletAdded(bytes32 indexed investorId, address indexed wallet);
    event WalletRemoved(bytes32 indexed investorId, address indexed wallet);

    error RegistryZeroInvestorId();
    error RegistryZeroAddress();
    error RegistryInvestorExists(bytes32 investorId);
    error RegistryUnknownInvestor(bytes32 investorId);
    error RegistryInvalidCountry(uint16 country);
    error RegistryKycAlreadyExpired(uint64 kycExpiry);
    error RegistryWalletAlreadyBound(address wallet, bytes32 investorId);
    error RegistryWalletNotBound(address wallet);
    error RegistryInvestorAlreadyFrozen(bytes32 investorId);
    error RegistryInvestorNotFrozen(bytes32 investorId);
    error RegistryTooManyWallets(bytes32 investorId, uint256 maxWallets);

    /// @notice Registers a new investor with no wallets.
    function registerInvestor(bytes32 investorId, uint16 country, uint16 classFlags, uint64 kycExpiry) external;

    /// @notice Replaces an investor's country, class flags and KYC expiry.
    function updateInvestor(bytes32 investorId, uint16 country, uint16 classFlags, uint64 kycExpiry) external;

    /// @notice Freezes or unfreezes an investor: a frozen investor is not verified.
    function setInvestorFrozen(bytes32 investorId, bool frozen) external;

    /// @notice Binds a wallet to an investor.
    function addWallet(bytes32 investorId, address wallet) external;

    /// @notice Unbinds a wallet from its investor.
    function removeWallet(address wallet) external;

    /// @notice True only for a wallet of a registered, unfrozen investor whose KYC has not expired.
    function isVerified(address wallet) external view returns (bool);

    /// @notice The investor a wallet belongs to, zero when unbound.
    function investorOf(address wallet) external view returns (bytes32);

    /// @notice The full record of an investor.
    function investor(bytes32 investorId) external view returns (Investor memory);

    /// @notice Whether `investorId` is registered.
    function isRegistered(bytes32 investorId) external view returns (bool);

    /// @notice The registry-internal number of an investor (0 when unknown), stable for its life.
    function indexOf(bytes32 investorId) external view returns (uint32);

    /// @notice The investor id behind a registry-internal number.
    function investorIdAt(uint32 index) external view returns (bytes32);

    /// @notice One party's record in one call (index 0 when the wallet is unbound).
    function party(address wallet) external view returns (Party memory);

    /// @notice Both parties of a transfer in one call.
    function parties(address from, address to) external view returns (Party memory, Party memory);

    /// @notice One wallet's packed slot as a raw word (zero when unbound), decoded by `PartyWord`:
    /// index, country, class flags, KYC expiry, frozen flag and the sole-wallet flag. The cheapest
    /// party check there is: one cold read and no ABI struct copies.
    function partyWord(address wallet) external view returns (uint256);

    /// @notice Both parties' raw words in one call (see {partyWord}).
    function partyWords(address from, address to) external view returns (uint256, uint256);

    /// @notice The registry's {IPartyWords} copy of every wallet's word: a plain contract the
    /// registry writes with every change, read by hot paths without the registry's proxy.
    function partyWordStore() external view returns (address);

    /// @notice The first wallet ever bound to investor number `index` (zero when none) and whether
    /// it is still the investor's sole wallet (the only wallet it ever had, never bound before).
    /// Once false, it never becomes true again.
    function walletModeOf(uint32 index) external view returns (address firstWallet, bool sole);

    /// @notice Number of registered investors.
    function investorCount() external view returns (uint256);
}
