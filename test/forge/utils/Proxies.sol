// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Gateway} from "../../../contracts/gateway/Gateway.sol";
import {SuiteProxy} from "../../../contracts/proxy/SuiteProxy.sol";

/// @notice The one way forge tests deploy an upgradeable contract: a fresh implementation behind a
/// SuiteProxy (ERC-1967) initialised in the proxy's deployment, as `tokenized_stocks/deploy/proxy.py`
/// does on a chain.
library Proxies {
    /// @notice A Gateway behind its proxy (the returned address is the proxy's).
    function deployGateway(address admin, address[] memory operators, uint256 threshold) internal returns (Gateway) {
        Gateway implementation = new Gateway();
        return Gateway(
            address(
                new SuiteProxy(
                    address(implementation), abi.encodeCall(Gateway.initialize, (admin, operators, threshold))
                )
            )
        );
    }
}
