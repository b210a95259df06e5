// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest, Bound} from "./utils/Vm.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {RegistryShare} from "../../contracts/assets/RegistryShare.sol";
import {DividendDistributor} from "../../contracts/corporate/DividendDistributor.sol";
import {MockCash} from "../../contracts/test/MockCash.sol";
import {Proxies} from "./utils/Proxies.sol";
import {Identities} from "./utils/Identities.sol";

/// @notice Rounding of dividend parts: whatever the holdings and the cash, every holder's part
/// rounds down and all parts together never exceed the escrow (so no dividend pays out of
/// another's cash), and the cash left is exactly the escrow not paid.
contract DividendDistributorTest is ForgeTest {
    InvestorRegistry internal registry;
    RegistryShare internal share;
    DividendDistributor internal distributor;
    MockCash internal cash;

    address[3] internal holders = [address(0xA11CE), address(0xB0B), address(0xCA201)];

    function setUp() public {
        registry = Proxies.deployInvestorRegistry(address(this));
        share = Proxies.deployRegistryShare(
            address(this), registry, "Registry Share", "RSH", Identities.aapl(IAssetIdentity.Architecture.RegistryShare)
        );
        distributor = Proxies.deployDividendDistributor(address(this), share);
        cash = new MockCash();
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        share.grantRole(share.TRANSFER_AGENT_ROLE(), address(this));
        share.grantRole(share.SNAPSHOT_ROLE(), address(distributor));
        distributor.grantRole(distributor.TRANSFER_AGENT_ROLE(), address(this));
        for (uint256 k; k < 3; ++k) {
            bytes32 id = keccak256(abi.encode("investor", k));
            registry.registerInvestor(id, 840, 1, uint64(block.timestamp + 365 days));
            registry.addWallet(id, holders[k]);
        }
    }

    function testFuzz_parts_round_down_and_never_exceed_the_escrow(
        uint256 a,
        uint256 b,
        uint256 c,
        uint256 amount,
        uint256 dividends
    ) public {
        uint256[3] memory units = [Bound.bound(a, 1, 1e30), Bound.bound(b, 0, 1e30), Bound.bound(c, 0, 1e30)];
        uint256 total;
        for (uint256 k; k < 3; ++k) {
            if (units[k] != 0) share.issue(holders[k], units[k], "issue");
            total += units[k];
        }
        // Several dividends escrowed side by side: claims of one never touch another's cash.
        uint256 count = Bound.bound(dividends, 1, 3);
        uint256 escrowed;
        for (uint256 i; i < count; ++i) {
            uint256 cashAmount = Bound.bound(amount >> (i * 8), 1, 1e33);
            cash.mint(address(this), cashAmount);
            cash.approve(address(distributor), cashAmount);
            distributor.declareDividend(cash, cashAmount, 1 days, "dividend");
            escrowed += cashAmount;
        }
        uint256 paidAll;
        for (uint256 id = 1; id <= count; ++id) {
            DividendDistributor.Dividend memory d = distributor.dividend(id);
            uint256 paid;
            for (uint256 k; k < 3; ++k) {
                uint256 part = distributor.claimable(id, holders[k]);
                assertLe(part, units[k] * d.amount / total, "a part rounds down");
                if (part != 0) paid += distributor.claim(id, holders[k]);
            }
            assertLe(paid, d.amount, "parts within the escrow");
            assertEq(distributor.dividend(id).claimed, paid, "claimed is what was paid");
            paidAll += paid;
        }
        assertEq(cash.balanceOf(address(distributor)), escrowed - paidAll, "cash left is the escrow not paid");
    }
}
