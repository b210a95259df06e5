// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Gateway} from "../../gateway/Gateway.sol";

/// @title GatewayV2Mock
/// @notice Test-only second version of the Gateway: everything of v1, plus a counter kept in its
/// OWN ERC-7201 namespace (a new version adds state only there, never inside `GatewayStorage`).
/// @dev Used by the upgrade tests (forge and the governed e2e upgrade) to show that an upgrade keeps
/// every figure of v1 and that the new code is live.
/// A fresh proxy of v2 is set up by the `initialize` it inherits from Gateway; a proxy upgraded to it
/// runs {initializeV2} (a reinitializer, which upgrades-core does not count as an initializer):
/// hence the one allowance below.
/// @custom:oz-upgrades-from Gateway
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract GatewayV2Mock is Gateway {
    /// @custom:storage-location erc7201:tokenized-stocks.storage.GatewayV2Mock
    struct GatewayV2MockStorage {
        uint256 pings;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.GatewayV2Mock")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant V2_STORAGE = 0xede0c88fb2a95fc492c7fe51ff8f0e80ddaa31d8d4bf44e7a21176bf39581100;

    /// @notice `caller` pinged; `pings` is the new count.
    event GatewayV2Pinged(address indexed caller, uint256 pings);

    /// @notice Sets up version 2 on its upgrade (`upgradeToAndCall(v2, initializeV2())`); v2 has no
    /// state to seed, so it only moves the initialised version to 2.
    /// @dev Emits {Initialized}(2). Requirements: run once, through the proxy.
    function initializeV2() external reinitializer(2) {}

    /// @notice Counts a ping (the v2-only behaviour).
    /// @return count The number of pings so far, this one included.
    /// @dev Emits {GatewayV2Pinged}. Anyone may call it (test-only).
    function ping() external returns (uint256 count) {
        GatewayV2MockStorage storage $ = _v2();
        count = ++$.pings;
        emit GatewayV2Pinged(msg.sender, count);
    }

    /// @notice The number of pings so far.
    function pings() external view returns (uint256) {
        return _v2().pings;
    }

    /// @notice The implementation's version.
    function version() external pure returns (string memory) {
        return "2";
    }

    function _v2() private pure returns (GatewayV2MockStorage storage $) {
        // slither-disable-next-line assembly
        assembly {
            $.slot := V2_STORAGE
        }
    }
}
