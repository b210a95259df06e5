// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IIdentityRegistryCompat — ERC-3643 (T-REX 4.1.6) `IIdentityRegistry` on the investor registry
/// @notice T-REX's identity-registry functions and events, mapped onto the suite's investor/wallet
/// model: an ERC-3643 identity (ONCHAINID address) IS an investor whose registry id is
/// `bytes32(uint256(uint160(identity)))`; `identity(wallet)` gives that identity back, and for an
/// investor registered by the suite's `registerInvestor` under another id, an identity derived
/// from the id (`address(uint160(uint256(keccak256(abi.encode(investorId)))))`: stable, never
/// zero, but not accepted by `registerIdentity`, which would register a new investor under it).
/// A T-REX "registered identity" is a wallet bound to an investor.
/// @dev Deviations (listed in the README): the country is the investor's, not the wallet's, so
/// `updateCountry` changes every wallet of the investor; an investor registered through
/// `registerIdentity` has no KYC expiry (T-REX verifies by claims; the registrar's act stands in
/// for them) and `isVerified` also requires the investor not frozen; there are no claim-topic or
/// trusted-issuer registries (`topicsRegistry`/`issuersRegistry` return zero, their setters and
/// `setIdentityRegistryStorage` are absent); the registry is its own storage (`identityStorage`).
interface IIdentityRegistryCompat {
    /// @notice T-REX: `investorAddress` was bound to `identity`.
    event IdentityRegistered(address indexed investorAddress, address indexed identity);
    /// @notice T-REX: `investorAddress` was unbound from `identity`.
    event IdentityRemoved(address indexed investorAddress, address indexed identity);
    /// @notice T-REX: a wallet moved from `oldIdentity` to `newIdentity`.
    event IdentityUpdated(address indexed oldIdentity, address indexed newIdentity);
    /// @notice T-REX: the country of `investorAddress` (here: of its investor) changed.
    event CountryUpdated(address indexed investorAddress, uint16 indexed country);

    /// @notice `identity` is an investor with another country than the one given.
    error RegistryCountryMismatch(address identity, uint16 country, uint16 registeredCountry);
    /// @notice Arrays of one batch have different lengths.
    error RegistryBatchLengthMismatch(uint256 length, uint256 otherLength);

    /// @notice Binds `userAddress` to the investor `identity_` (registered first, with `country`
    /// and no KYC expiry, when new).
    /// @param userAddress The wallet.
    /// @param identity_ The investor's ONCHAINID (non-zero).
    /// @param country ISO 3166-1 numeric code; must equal the investor's when it exists.
    /// @dev Emits {InvestorRegistered} (when new), {WalletAdded}, {IdentityRegistered}.
    /// Requirements: caller has `REGISTRAR_ROLE`; `userAddress` unbound; the investor has fewer
    /// than `MAX_WALLETS_PER_INVESTOR` wallets.
    function registerIdentity(address userAddress, address identity_, uint16 country) external;

    /// @notice Unbinds `userAddress` (its tokens stay; see {IInvestorRegistry-removeWallet}).
    /// @param userAddress The wallet.
    /// @dev Emits {WalletRemoved}, {IdentityRemoved}. Requirements: `REGISTRAR_ROLE`; bound.
    function deleteIdentity(address userAddress) external;

    /// @notice Sets the country of `userAddress`'s investor (every wallet of it).
    /// @param userAddress A bound wallet.
    /// @param country ISO 3166-1 numeric code, 1..999.
    /// @dev Emits {InvestorUpdated}, {CountryUpdated}. Requirements: `REGISTRAR_ROLE`; bound.
    function updateCountry(address userAddress, uint16 country) external;

    /// @notice Moves `userAddress` to the investor `identity_` (registered first, with the old
    /// investor's country, class and KYC expiry, when new).
    /// @param userAddress A bound wallet.
    /// @param identity_ The new investor's ONCHAINID (non-zero).
    /// @dev Emits {WalletRemoved}, {InvestorRegistered} (when new), {WalletAdded}, {IdentityUpdated}.
    /// Requirements: `REGISTRAR_ROLE`; bound.
    function updateIdentity(address userAddress, address identity_) external;

    /// @notice {registerIdentity} for each item (a loop over the caller's arrays, bounded by the
    /// calldata it pays for; one failure reverts the batch).
    /// @param userAddresses Wallets.
    /// @param identities Identities.
    /// @param countries Countries.
    function batchRegisterIdentity(
        address[] calldata userAddresses,
        address[] calldata identities,
        uint16[] calldata countries
    ) external;

    /// @notice Whether `userAddress` is bound to an investor.
    /// @param userAddress The wallet.
    /// @return Bound.
    function contains(address userAddress) external view returns (bool);

    /// @notice The ERC-3643 identity of `userAddress`'s investor (zero when unbound).
    /// @param userAddress The wallet.
    /// @return The investor's identity (see the contract notes).
    function identity(address userAddress) external view returns (address);

    /// @notice The country of `userAddress`'s investor (0 when unbound).
    /// @param userAddress The wallet.
    /// @return ISO 3166-1 numeric code.
    function investorCountry(address userAddress) external view returns (uint16);

    /// @notice T-REX's identity storage: the registry is its own.
    /// @return This registry.
    function identityStorage() external view returns (address);

    /// @notice T-REX's trusted-issuers registry: none (KYC is the registrar's act).
    /// @return Zero.
    function issuersRegistry() external view returns (address);

    /// @notice T-REX's claim-topics registry: none (KYC is the registrar's act).
    /// @return Zero.
    function topicsRegistry() external view returns (address);
}
