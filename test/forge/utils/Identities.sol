// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAssetIdentity} from "../../../contracts/interfaces/IAssetIdentity.sol";

/// @notice The asset identity the forge tests list (Apple's ISIN, ticker, terms and DTI), in one
/// place: the tests differ only in the architecture and, for the gateway's, the home chain.
library Identities {
    /// @notice AAPL as an asset of `architecture` whose home is this chain.
    function aapl(IAssetIdentity.Architecture architecture)
        internal
        view
        returns (IAssetIdentity.IdentityParams memory)
    {
        return aaplHomedOn(architecture, block.chainid);
    }

    /// @notice AAPL as an asset of `architecture` whose home is `homeChainId`.
    function aaplHomedOn(IAssetIdentity.Architecture architecture, uint256 homeChainId)
        internal
        pure
        returns (IAssetIdentity.IdentityParams memory)
    {
        return IAssetIdentity.IdentityParams({
            assetId: keccak256("US0378331005"),
            isin: "US0378331005",
            ticker: "AAPL",
            architecture: architecture,
            homeChainId: homeChainId,
            termsURI: "ipfs://terms",
            termsHash: keccak256("terms"),
            dti: bytes9("4H95J0R2X")
        });
    }
}
