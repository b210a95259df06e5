// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {RegistryShare} from "../../contracts/assets/RegistryShare.sol";
import {Proxies} from "../forge/utils/Proxies.sol";

interface IHevm {
    function prank(address sender) external;
}

/// @notice Symbolic check of finding 13.7: after a 3:2 split (and after a 1:10 reverse split), a
/// transfer of ANY amount up to the balance changes the sender's and the recipient's balances by
/// exactly that amount, and the balances never exceed the total supply. The pre-fix share fails
/// both (counterexamples in about two minutes); this one proves them in about a second
/// (`make verify`).
contract RegistryShareExact {
    IHevm internal constant hevm = IHevm(address(uint160(uint256(keccak256("hevm cheat code")))));
    address internal constant A = address(0xA1);
    address internal constant B = address(0xB1);

    RegistryShare internal share;

    function setUp() public {
        InvestorRegistry registry = Proxies.deployInvestorRegistry(address(this));
        share = Proxies.deployRegistryShare(
            address(this),
            registry,
            "S",
            "S",
            IAssetIdentity.IdentityParams({
                assetId: keccak256("x"),
                isin: "US0378331005",
                ticker: "AAPL",
                architecture: IAssetIdentity.Architecture.RegistryShare,
                homeChainId: block.chainid,
                termsURI: "t",
                termsHash: keccak256("t"),
                dti: bytes9("4H95J0R2X")
            })
        );
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        share.grantRole(share.TRANSFER_AGENT_ROLE(), address(this));
        registry.registerInvestor(keccak256("a"), 840, 1, type(uint64).max);
        registry.addWallet(keccak256("a"), A);
        registry.registerInvestor(keccak256("b"), 840, 1, type(uint64).max);
        registry.addWallet(keccak256("b"), B);
        share.issue(A, 1000e18 + 7, "i");
        share.issue(B, 3, "i");
    }

    function _checkExact(uint256 value) internal {
        uint256 a = share.balanceOf(A);
        uint256 b = share.balanceOf(B);
        if (value > a) value = a;
        hevm.prank(A);
        share.transfer(B, value);
        assert(share.balanceOf(A) == a - value);
        assert(share.balanceOf(B) == b + value);
        assert(share.balanceOf(A) + share.balanceOf(B) <= share.totalSupply());
    }

    function check_transfer_exact_after_3_2(uint256 value) public {
        share.split(3, 2, "s");
        _checkExact(value);
    }

    function check_transfer_exact_after_1_10(uint256 value) public {
        share.split(1, 10, "s");
        _checkExact(value);
    }
}
