// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {IAssetIdentity} from "../interfaces/IAssetIdentity.sol";

/// @title AssetIdentityCore
/// @notice The identity's state and its internal accessors, without the public surface: the base
/// of {AssetIdentityUpgradeable}, and of a delegatecall extension that writes or reads the
/// identity of the asset it runs for but must not carry the asset's public views (the registry
/// share's {ShareExtension}, for EIP-170).
/// @dev Invariants: as {AssetIdentityUpgradeable}'s (the identity is written once, by
/// {__AssetIdentityCore_init}, from an initializer).
abstract contract AssetIdentityCore is Initializable {
    /// @custom:storage-location erc7201:tokenized-stocks.storage.AssetIdentity
    struct AssetIdentityStorage {
        bytes32 assetId;
        uint64 homeChainId;
        IAssetIdentity.Architecture architecture;
        bytes9 dti;
        bytes32 termsHash;
        string isin;
        string ticker;
        string termsURI;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.AssetIdentity")) - 1)) & ~bytes32(uint256(0xff))
    /// (ERC-7201; asserted in test/forge/AssetIdentityUpgradeable.t.sol).
    bytes32 private constant ASSET_IDENTITY_STORAGE =
        0x7fccdb459b38ded9296e3a5a773e2da373fc44b9e7a26fce8758a0eab26a0700;

    /// @dev Sets the identity once (the access-control-free part of `__AssetIdentity_init`). Requirements: called from an initializer; every field is
    /// present (`assetId`, `termsHash`, `dti` not zero; a 12-character ISIN; a ticker); the home
    /// chain id is not zero and fits 64 bits (EIP-2294's bound). Else {IdentityInvalid}(field).
    // solhint-disable-next-line func-name-mixedcase
    function __AssetIdentityCore_init(IAssetIdentity.IdentityParams memory params) internal onlyInitializing {
        if (params.assetId == bytes32(0)) revert IAssetIdentity.IdentityInvalid("assetId");
        if (bytes(params.isin).length != 12) revert IAssetIdentity.IdentityInvalid("isin");
        if (bytes(params.ticker).length == 0) revert IAssetIdentity.IdentityInvalid("ticker");
        if (params.homeChainId == 0 || params.homeChainId > type(uint64).max) {
            revert IAssetIdentity.IdentityInvalid("homeChainId");
        }
        if (params.termsHash == bytes32(0)) revert IAssetIdentity.IdentityInvalid("termsHash");
        if (params.dti == bytes9(0)) revert IAssetIdentity.IdentityInvalid("dti");
        AssetIdentityStorage storage $ = _identity();
        $.assetId = params.assetId;
        $.homeChainId = uint64(params.homeChainId);
        $.architecture = params.architecture;
        $.dti = params.dti;
        $.termsHash = params.termsHash;
        $.isin = params.isin;
        $.ticker = params.ticker;
        $.termsURI = params.termsURI;
    }

    /// @dev True on the asset's home chain, where the master record lives.
    function _isHomeChain() internal view returns (bool) {
        return block.chainid == _identity().homeChainId;
    }

    /// @dev The identity: one ERC-7201 namespace ({ASSET_IDENTITY_STORAGE}).
    function _identity() internal pure returns (AssetIdentityStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := ASSET_IDENTITY_STORAGE
        }
    }
}

/// @title AssetIdentityUpgradeable
/// @notice The identity base every upgradeable asset of the suite inherits: asset id, ISIN, ISO 24165
/// DTI, ticker, architecture and home chain, set once by the asset's initializer; legal terms the
/// admin can replace with an event.
/// @dev Invariants (NEVER violate): `assetId`, `isin`, `dti`, `ticker`, `architecture` and
/// `homeChainId` never change after initialisation (no function writes them again; the gateway
/// and the reconciler rely on them to match tokens across chains); `termsHash` is never zero.
/// All of the identity lives in one ERC-7201 namespace (`AssetIdentityStorage`, no sequential
/// slot), so an upgrade of the asset keeps it. `homeChainId`, `architecture` and `dti` share one
/// slot (read together on the hot paths that ask whether this is the home chain).
abstract contract AssetIdentityUpgradeable is AccessControlUpgradeable, AssetIdentityCore, IAssetIdentity {
    /// @dev Sets the identity once ({AssetIdentityCore-__AssetIdentityCore_init}) and the access
    /// control. Requirements: as {AssetIdentityCore-__AssetIdentityCore_init}'s.
    // solhint-disable-next-line func-name-mixedcase
    function __AssetIdentity_init(IdentityParams memory params) internal onlyInitializing {
        __AccessControl_init();
        __AssetIdentityCore_init(params);
    }

    /// @inheritdoc IAssetIdentity
    function assetId() public view returns (bytes32) {
        return _identity().assetId;
    }

    /// @inheritdoc IAssetIdentity
    function isin() external view returns (string memory) {
        return _identity().isin;
    }

    /// @inheritdoc IAssetIdentity
    function dti() external view returns (bytes9) {
        return _identity().dti;
    }

    /// @inheritdoc IAssetIdentity
    function ticker() external view returns (string memory) {
        return _identity().ticker;
    }

    /// @inheritdoc IAssetIdentity
    function architecture() external view returns (Architecture) {
        return _identity().architecture;
    }

    /// @inheritdoc IAssetIdentity
    function homeChainId() public view returns (uint256) {
        return _identity().homeChainId;
    }

    /// @inheritdoc IAssetIdentity
    function termsURI() external view returns (string memory) {
        return _identity().termsURI;
    }

    /// @inheritdoc IAssetIdentity
    function termsHash() external view returns (bytes32) {
        return _identity().termsHash;
    }

    /// @inheritdoc IAssetIdentity
    function setTerms(string calldata newTermsURI, bytes32 newTermsHash) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newTermsHash == bytes32(0)) revert IdentityInvalid("termsHash");
        AssetIdentityStorage storage $ = _identity();
        $.termsURI = newTermsURI;
        $.termsHash = newTermsHash;
        emit TermsUpdated(newTermsURI, newTermsHash);
    }
}
