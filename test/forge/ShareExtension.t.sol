// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ForgeTest} from "./utils/Vm.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {RegistryShare} from "../../contracts/assets/RegistryShare.sol";
import {ShareExtension} from "../../contracts/assets/share/ShareExtension.sol";
import {Proxies} from "./utils/Proxies.sol";

/// @notice The registry share's delegatecall extension used on its own: created by the share's
/// constructor at the share's first CREATE address, it holds no role for anyone, so every action
/// called on it directly is refused (even for the share's admin and transfer agent), and nothing it
/// is made to do touches the share. Through the share the same actions keep their role checks
/// (msg.sender is the share's caller).
contract ShareExtensionTest is ForgeTest {
    InvestorRegistry internal registry;
    RegistryShare internal share;
    ShareExtension internal extension;

    address internal constant AGENT = address(0xA6E7);
    address internal constant HOLDER = address(0x401D);
    address internal constant OUTSIDER = address(0x0B5);

    function setUp() public {
        registry = Proxies.deployInvestorRegistry(address(this));
        share = new RegistryShare(
            address(this),
            registry,
            "Share",
            "SHR",
            IAssetIdentity.IdentityParams({
                assetId: keccak256("US0378331005"),
                isin: "US0378331005",
                ticker: "AAPL",
                architecture: IAssetIdentity.Architecture.RegistryShare,
                homeChainId: block.chainid,
                termsURI: "ipfs://terms",
                termsHash: keccak256("terms"),
                dti: bytes9("4H95J0R2X")
            })
        );
        // The share's first (and only) CREATE, nonce 1: RLP [share, 1].
        extension = ShareExtension(
            address(uint160(uint256(keccak256(abi.encodePacked(bytes2(0xd694), address(share), bytes1(0x01))))))
        );
        share.grantRole(share.TRANSFER_AGENT_ROLE(), AGENT);
    }

    function _expectUnauthorized(address account, bytes32 role) internal {
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, role));
    }

    function test_the_extension_is_the_shares_code_and_holds_no_role() public view {
        assertTrue(address(extension).code.length > 0, "extension deployed by the share");
        assertEq(bytes(extension.version()).length, bytes(ShareExtension(address(share)).version()).length, "same");
        assertTrue(!extension.hasRole(extension.DEFAULT_ADMIN_ROLE(), address(this)), "share admin not its admin");
        assertTrue(!extension.hasRole(extension.DEFAULT_ADMIN_ROLE(), address(share)), "share not its admin");
        assertTrue(!extension.hasRole(extension.TRANSFER_AGENT_ROLE(), AGENT), "share agent not its agent");
    }

    function test_the_shares_admin_cannot_take_roles_on_the_extension() public {
        bytes32 admin = extension.DEFAULT_ADMIN_ROLE();
        bytes32 agentRole = extension.TRANSFER_AGENT_ROLE();
        _expectUnauthorized(address(this), admin);
        extension.grantRole(agentRole, address(this));
        _expectUnauthorized(address(this), admin);
        extension.addAgent(OUTSIDER);
        _expectUnauthorized(address(this), admin);
        extension.setName("Hijacked");
    }

    function test_the_shares_transfer_agent_cannot_act_on_the_extension_directly() public {
        bytes32 agentRole = extension.TRANSFER_AGENT_ROLE();
        vm.startPrank(AGENT);
        _expectUnauthorized(AGENT, agentRole);
        extension.mint(HOLDER, 1e18);
        _expectUnauthorized(AGENT, agentRole);
        extension.issue(HOLDER, 1e18, "direct");
        _expectUnauthorized(AGENT, agentRole);
        extension.setAddressFrozen(HOLDER, true);
        _expectUnauthorized(AGENT, agentRole);
        extension.forcedTransfer(HOLDER, AGENT, 1, "direct");
        vm.stopPrank();
        bytes32 pauser = extension.PAUSER_ROLE();
        vm.prank(OUTSIDER);
        _expectUnauthorized(OUTSIDER, pauser);
        extension.pause();
    }

    function test_direct_calls_leave_the_share_untouched() public {
        vm.prank(AGENT);
        try extension.mint(HOLDER, 1e18) {} catch {}
        assertEq(share.totalSupply(), 0, "share supply");
        assertEq(extension.totalSupply(), 0, "extension's own empty storage");
        assertTrue(!share.paused(), "share not paused");
    }

    function test_through_the_share_the_role_check_sees_the_shares_caller() public {
        bytes32 agentRole = share.TRANSFER_AGENT_ROLE();
        vm.prank(OUTSIDER);
        _expectUnauthorized(OUTSIDER, agentRole);
        ShareExtension(address(share)).setAddressFrozen(HOLDER, true);
        // the share itself holds no role: a call cannot borrow the share's identity
        assertTrue(!share.hasRole(agentRole, address(share)), "share is not its own agent");
        vm.prank(AGENT);
        ShareExtension(address(share)).setAddressFrozen(HOLDER, true);
        assertTrue(share.isFrozen(HOLDER), "the agent's freeze applied to the share");
    }

    function test_an_unknown_selector_reverts_without_data_through_the_share() public {
        (bool ok, bytes memory ret) = address(share).call(abi.encodeWithSignature("notAFunction()"));
        assertTrue(!ok, "unknown selector refused");
        assertEq(ret.length, 0, "no data");
        (ok,) = address(share).call{value: 1}("");
        assertTrue(!ok, "ether refused");
    }
}
