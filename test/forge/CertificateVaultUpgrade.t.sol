// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {Proxies} from "./utils/Proxies.sol";
import {VmStorage} from "./utils/GatewayHandlerBase.sol";
import {CertificateVault} from "../../contracts/assets/CertificateVault.sol";
import {TrackerCertificate} from "../../contracts/assets/TrackerCertificate.sol";
import {ITrackerCertificateTypes} from "../../contracts/interfaces/ITrackerCertificate.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {AttestedFeed} from "../../contracts/feeds/AttestedFeed.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {SuiteProxy} from "../../contracts/proxy/SuiteProxy.sol";
import {CertificateVaultV2Mock} from "../../contracts/test/upgrades/CertificateVaultV2Mock.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Identities} from "./utils/Identities.sol";

/// @notice The CertificateVault behind its UUPS proxy: its own ERC-7201 namespace is empty (the vault's
/// state is OZ's), an upgrade by the vault's admin keeps every share, allowance and wrapped
/// certificate and makes the new code live; an outsider's, a share holder's or the certificate
/// admin's upgrade, a second initialisation, an initialisation of the implementation and an upgrade
/// called on the implementation are all refused.
contract CertificateVaultUpgradeTest is ForgeTest {
    event Upgraded(address indexed implementation);

    bytes32 internal constant CERTIFICATE_VAULT_STORAGE =
        0x42310e02bb5e39768c8a3f88869ed030cfe16c1dae8cdc2c28ed0d4d69f96a00;

    TrackerCertificate internal cert;
    SanctionsList internal sanctions;
    CertificateVault internal vault;
    address internal vaultAdmin = address(0xAD);
    address internal outsider = address(0x0BAD);
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);

    function setUp() public {
        sanctions = Proxies.deploySanctionsList(address(this));
        AttestedFeed feed = new AttestedFeed(address(this), 0, "AAPL reserves");
        feed.grantRole(feed.REPORTER_ROLE(), address(this));
        feed.report(1_000_000);
        cert = _certificate(address(feed));
        cert.grantRole(cert.MINTER_ROLE(), address(this));
        cert.mint(alice, 100e18);
        vault = Proxies.deployCertificateVault(IERC20(address(cert)), "Wrapped AAPLx", "wAAPLx", vaultAdmin);
        vm.startPrank(alice);
        cert.approve(address(vault), 40e18);
        vault.deposit(40e18, alice);
        vault.approve(bob, 7e18);
        vm.stopPrank();
    }

    function test_namespace_slot_is_the_erc7201_formula_and_stays_empty() public view {
        bytes32 formula = keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.CertificateVault")) - 1))
            & ~bytes32(uint256(0xff));
        assertEq(uint256(formula), uint256(CERTIFICATE_VAULT_STORAGE), "erc7201 slot");
        // No own state: the namespace is reserved for a later version, and nothing sits at slot 0.
        assertEq(uint256(VmStorage(address(vm)).load(address(vault), CERTIFICATE_VAULT_STORAGE)), 0, "namespace");
        assertEq(uint256(VmStorage(address(vm)).load(address(vault), bytes32(0))), 0, "no sequential slot");
    }

    function test_upgrade_keeps_every_share_allowance_and_the_wrapped_certificate() public {
        CertificateVaultV2Mock v2 = new CertificateVaultV2Mock();
        vm.expectEmit();
        emit Upgraded(address(v2));
        vm.prank(vaultAdmin);
        vault.upgradeToAndCall(address(v2), abi.encodeCall(CertificateVaultV2Mock.initializeV2, ()));
        assertEq(vault.balanceOf(alice), 40e18, "alice's shares");
        assertEq(vault.totalSupply(), 40e18, "share supply");
        assertEq(vault.totalAssets(), 40e18, "assets");
        assertEq(vault.allowance(alice, bob), 7e18, "allowance");
        assertTrue(vault.asset() == address(cert), "wrapped certificate");
        assertTrue(keccak256(bytes(vault.symbol())) == keccak256("wAAPLx"), "symbol");
        assertTrue(vault.hasRole(vault.DEFAULT_ADMIN_ROLE(), vaultAdmin), "admin kept");
        assertTrue(keccak256(bytes(CertificateVaultV2Mock(address(vault)).version())) == keccak256("2"), "v2 live");
        assertTrue(CertificateVaultV2Mock(address(vault)).certificate() == address(cert), "v2's new view");
    }

    function test_after_an_upgrade_a_holder_still_unwraps() public {
        address v2 = address(new CertificateVaultV2Mock());
        vm.prank(vaultAdmin);
        vault.upgradeToAndCall(v2, "");
        vm.prank(alice);
        vault.redeem(10e18, alice, alice);
        assertEq(cert.balanceOf(alice), 70e18, "certificates back");
        assertEq(vault.balanceOf(alice), 30e18, "shares left");
    }

    function test_outsider_cannot_upgrade() public {
        address v2 = address(new CertificateVaultV2Mock());
        vm.prank(outsider);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, outsider, bytes32(0))
        );
        vault.upgradeToAndCall(v2, "");
    }

    function test_share_holder_cannot_upgrade() public {
        address v2 = address(new CertificateVaultV2Mock());
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, bytes32(0))
        );
        vault.upgradeToAndCall(v2, "");
    }

    function test_certificate_admin_cannot_upgrade_the_vault() public {
        address v2 = address(new CertificateVaultV2Mock());
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, address(this), bytes32(0))
        );
        vault.upgradeToAndCall(v2, "");
    }

    function test_upgrade_called_on_the_implementation_is_refused() public {
        CertificateVault implementation = CertificateVault(
            address(uint160(uint256(VmStorage(address(vm)).load(address(vault), ERC1967Utils.IMPLEMENTATION_SLOT))))
        );
        address v2 = address(new CertificateVaultV2Mock());
        vm.prank(vaultAdmin);
        vm.expectRevert(UUPSUpgradeable.UUPSUnauthorizedCallContext.selector);
        implementation.upgradeToAndCall(v2, "");
    }

    function test_initialize_twice_is_refused() public {
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        vault.initialize(IERC20(address(cert)), "x", "x", outsider);
    }

    function test_implementation_cannot_be_initialised() public {
        CertificateVault implementation = new CertificateVault();
        vm.prank(outsider);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(IERC20(address(cert)), "x", "x", outsider);
    }

    function test_initialize_refuses_a_zero_admin() public {
        address implementation = address(new CertificateVault());
        vm.expectRevert(CertificateVault.CertificateVaultZeroAddress.selector);
        new SuiteProxy(
            implementation, abi.encodeCall(CertificateVault.initialize, (IERC20(address(cert)), "x", "x", address(0)))
        );
    }

    function _certificate(address feed) internal returns (TrackerCertificate) {
        return Proxies.deployTrackerCertificate(
            Identities.aapl(IAssetIdentity.Architecture.TrackerCertificate),
            ITrackerCertificateTypes.CertificateConfig({
                name: "Tracker AAPL",
                symbol: "AAPLx",
                admin: address(this),
                sanctionsList: address(sanctions),
                reserveFeed: feed,
                reserveHeartbeat: 1 days
            })
        );
    }
}
