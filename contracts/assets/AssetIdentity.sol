// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAssetIdentity} from "../interfaces/IAssetIdentity.sol";

/// @title AssetIdentity
/// @notice The identity base every asset of the suite inherits: immutable asset id, ISIN, ISO 24165
/// DTI, ticker, architecture and home chain; legal terms the admin can replace with an event.
/// @dev Note: `assetId`, `isin`, `dti`, `ticker`, `architecture` and `homeChainId` NEVER change after
/// construction; the gateway and the reconciler rely on them to match tokens across chains.
abstract contract AssetIdentity is AccessControl, IAssetIdentity {
    bytes32 private immutable _assetId;
    bytes9 private immutable _dti;
    Architecture private immutable _architecture;
    uint256 private immutable _homeChainId;
    string private _isin;
    string private _ticker;
    string private _termsURI;
    bytes32 private _termsHash;

    constructor(IdentityParams memory params) {
        if (params.assetId == bytes32(0)) revert IdentityInvalid("assetId");
        if (bytes(params.isin).length != 12) revert IdentityInvalid("isin");
        if (bytes(params.ticker).length == 0) revert IdentityInvalid("ticker");
        if (params.homeChainId == 0) revert IdentityInvalid("homeChainId");
        if (params.termsHash == bytes32(0)) revert IdentityInvalid("termsHash");
        if (params.dti == bytes9(0)) revert IdentityInvalid("dti");
        _assetId = params.assetId;
        _dti = params.dti;
        _architecture = params.architecture;
        _homeChainId = params.homeChainId;
        _isin = params.isin;
        _ticker = params.ticker;
        _termsURI = params.termsURI;
        _termsHash = params.termsHash;
    }

    /// @inheritdoc IAssetIdentity
    function assetId() public view returns (bytes32) {
        return _assetId;
    }

    /// @inheritdoc IAssetIdentity
    function isin() external view returns (string memory) {
        return _isin;
    }

    /// @inheritdoc IAssetIdentity
    function dti() external view returns (bytes9) {
        return _dti;
    }

    /// @inheritdoc IAssetIdentity
    function ticker() external view returns (string memory) {
        return _ticker;
    }

    /// @inheritdoc IAssetIdentity
    function architecture() external view returns (Architecture) {
        return _architecture;
    }

    /// @inheritdoc IAssetIdentity
    function homeChainId() public view returns (uint256) {
        return _homeChainId;
    }

    /// @inheritdoc IAssetIdentity
    function termsURI() external view returns (string memory) {
        return _termsURI;
    }

    /// @inheritdoc IAssetIdentity
    function termsHash() external view returns (bytes32) {
        return _termsHash;
    }

    /// @inheritdoc IAssetIdentity
    function setTerms(string calldata newTermsURI, bytes32 newTermsHash) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newTermsHash == bytes32(0)) revert IdentityInvalid("termsHash");
        _termsURI = newTermsURI;
        _termsHash = newTermsHash;
        emit TermsUpdated(newTermsURI, newTermsHash);
    }

    /// @dev True on the asset's home chain, where the master record lives.
    function _isHomeChain() internal view returns (bool) {
        return block.chainid == _homeChainId;
    }
}
