// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./Vm.sol";
import {InvestorRegistry} from "../../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../../contracts/interfaces/IAssetIdentity.sol";
import {OrderDesk} from "../../../contracts/assets/OrderDesk.sol";
import {OrderToken} from "../../../contracts/assets/OrderToken.sol";
import {IOrderToken} from "../../../contracts/interfaces/IOrderToken.sol";
import {AggregatorV3Interface} from "../../../contracts/interfaces/AggregatorV3Interface.sol";
import {SanctionsList} from "../../../contracts/compliance/SanctionsList.sol";
import {AttestedFeed} from "../../../contracts/feeds/AttestedFeed.sol";
import {MockStablecoin} from "../../../contracts/test/MockStablecoin.sol";
import {Proxies} from "./Proxies.sol";
import {Identities} from "./Identities.sol";

/// @notice The mint-on-order set-up the desk and vault suites share: an order desk on a mock
/// stablecoin listing one order token (AAPL, price $200 from an attested feed, 5% band, one-day
/// heartbeat). This test contract holds every admin role.
abstract contract OrderDeskSetup is ForgeTest {
    InvestorRegistry internal registry;
    MockStablecoin internal cash;
    OrderDesk internal desk;
    OrderToken internal token;
    AttestedFeed internal priceFeed;
    SanctionsList internal sanctions;

    function _deployDeskAndToken() internal {
        registry = Proxies.deployInvestorRegistry(address(this));
        cash = new MockStablecoin();
        sanctions = Proxies.deploySanctionsList(address(this));
        priceFeed = new AttestedFeed(address(this), 8, "AAPL / USD");
        desk = Proxies.deployOrderDesk(address(this), registry);
        desk.initializeCash(cash);
        token = Proxies.deployOrderToken(
            address(this),
            "Order AAPL",
            "oAAPL",
            Identities.aapl(IAssetIdentity.Architecture.MintOnOrder),
            address(desk),
            registry,
            sanctions
        );
        priceFeed.grantRole(priceFeed.REPORTER_ROLE(), address(this));
        priceFeed.report(200e8);
        desk.listAsset(IOrderToken(address(token)), AggregatorV3Interface(address(priceFeed)), 500, 1 days, 0, 0, 0);
    }
}
