// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IAssetIdentity
/// @notice The legal identity every tokenized stock carries, identical on every chain it lives on.
/// @dev The same `assetId` on two chains is how the gateway, the reconciler and an auditor know
/// that two token contracts represent the same security.
interface IAssetIdentity {
    /// @notice The three market architectures of the suite.
    enum Architecture {
        TrackerCertificate,
        MintOnOrder,
        RegistryShare
    }

    /// @notice An asset's identity as it is given once, at deployment (grouped to keep the asset
    /// initializers readable).
    struct IdentityParams {
        bytes32 assetId;
        string isin;
        string ticker;
        Architecture architecture;
        uint256 homeChainId;
        string termsURI;
        bytes32 termsHash;
        bytes9 dti;
    }

    /// @notice The legal terms were replaced.
    event TermsUpdated(string termsURI, bytes32 termsHash);

    /// @notice The identity given at deployment is unusable.
    error IdentityInvalid(string field);

    /// @notice Stable identifier of the security, the same on every chain.
    function assetId() external view returns (bytes32);

    /// @notice ISIN of the underlying share (ISO 6166, 12 characters).
    function isin() external view returns (string memory);

    /// @notice ISO 24165 Digital Token Identifier of this token (9 ASCII characters), the code ISO
    /// 20022 messages name it by next to the ISIN.
    function dti() external view returns (bytes9);

    /// @notice Ticker of the underlying share on its primary exchange.
    function ticker() external view returns (string memory);

    /// @notice Which of the three architectures this token implements.
    function architecture() external view returns (Architecture);

    /// @notice Chain id of the chain whose issuer holds the master record for this asset.
    function homeChainId() external view returns (uint256);

    /// @notice URI of the legal terms (prospectus, base terms).
    function termsURI() external view returns (string memory);

    /// @notice keccak256 of the document at `termsURI`.
    function termsHash() external view returns (bytes32);

    /// @notice Replaces the legal terms.
    /// @dev Emits a {TermsUpdated} event. Requirements: the caller has `DEFAULT_ADMIN_ROLE`;
    /// `newTermsHash` is not zero.
    function setTerms(string calldata newTermsURI, bytes32 newTermsHash) external;
}
