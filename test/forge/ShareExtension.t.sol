// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ForgeTest} from "./utils/Vm.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {RegistryShare} from "../../contracts/assets/RegistryShare.sol";
import {ShareExtension} from "../../contracts/assets/share/ShareExtension.sol";
import {Proxies} from "./utils/Proxies.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {Identities} from "./utils/Identities.sol";

/// @notice The registry share's delegatecall extension used on its own: created by the share's
/// implementation's constructor at the implementation's first CREATE address, never initialised,
/// without the share's access-control surface, it holds no role for anyone, so every action called
/// on it directly is refused (even for the share's admin and transfer agent), and nothing it is
/// made to do touches the share. Through the share the same actions keep their role checks
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
        share = Proxies.deployRegistryShare(address(this), registry, "Share", "SHR", _identity());
        // The implementation's first (and only) CREATE, nonce 1: RLP [implementation, 1].
        address implementation =
            address(uint160(uint256(VmStorage(address(vm)).load(address(share), ERC1967Utils.IMPLEMENTATION_SLOT))));
        extension = ShareExtension(
            address(uint160(uint256(keccak256(abi.encodePacked(bytes2(0xd694), implementation, bytes1(0x01))))))
        );
        share.grantRole(share.TRANSFER_AGENT_ROLE(), AGENT);
    }

    function _expectUnauthorized(address account, bytes32 role) internal {
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, role));
    }

    function test_the_extension_is_the_shares_code_and_holds_no_role() public {
        assertTrue(address(extension).code.length > 0, "extension deployed by the implementation");
        assertEq(bytes(extension.version()).length, bytes(ShareExtension(address(share)).version()).length, "same");
        // No access-control surface of its own: the share answers it.
        (bool ok,) =
            address(extension).call(abi.encodeCall(IAccessControl.hasRole, (share.DEFAULT_ADMIN_ROLE(), address(this))));
        assertTrue(!ok, "no hasRole on the extension");
        assertTrue(!extension.isAgent(AGENT), "share agent not its agent");
        assertTrue(ShareExtension(address(share)).isAgent(AGENT), "the share's agent");
    }

    function test_the_extension_cannot_be_initialised_directly() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        extension.initialize(address(this), registry, "Hijacked", "HJK", _identity());
    }

    function test_the_shares_admin_cannot_take_roles_on_the_extension() public {
        bytes32 admin = share.DEFAULT_ADMIN_ROLE();
        (bool ok,) = address(extension)
            .call(abi.encodeCall(IAccessControl.grantRole, (share.TRANSFER_AGENT_ROLE(), address(this))));
        assertTrue(!ok, "no grantRole on the extension");
        _expectUnauthorized(address(this), admin);
        extension.addAgent(OUTSIDER);
        _expectUnauthorized(address(this), admin);
        extension.setName("Hijacked");
    }

    function test_the_shares_transfer_agent_cannot_act_on_the_extension_directly() public {
        bytes32 agentRole = share.TRANSFER_AGENT_ROLE();
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
        bytes32 pauser = share.PAUSER_ROLE();
        vm.prank(OUTSIDER);
        _expectUnauthorized(OUTSIDER, pauser);
        extension.pause();
    }

    function test_direct_calls_leave_the_share_untouched() public {
        vm.prank(AGENT);
        try extension.mint(HOLDER, 1e18) {} catch {}
        assertEq(share.totalSupply(), 0, "share supply");
        assertEq(extension.getFrozenTokens(HOLDER), 0, "extension's own empty storage");
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

    function _identity() internal view returns (IAssetIdentity.IdentityParams memory) {
        return Identities.aapl(IAssetIdentity.Architecture.RegistryShare);
    }
}
