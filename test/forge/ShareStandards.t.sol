// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest, Bound} from "./utils/Vm.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {RegistryShare} from "../../contracts/assets/RegistryShare.sol";
import {IRegistryShareTypes} from "../../contracts/interfaces/IRegistryShare.sol";
import {IERC7943Fungible} from "../../contracts/interfaces/IERC7943.sol";
import {ITransferDiagnostic} from "../../contracts/interfaces/ITransferDiagnostic.sol";
import {IShareExtension} from "../../contracts/interfaces/IShareExtension.sol";
import {Proxies} from "./utils/Proxies.sol";
import {Identities} from "./utils/Identities.sol";

/// @notice The registry share's pre-trade answers agree with its transfer, whatever the state:
/// `canTransfer` == ERC-3643 `compliance().canTransfer` == (`detectTransferRestriction` == 0) ==
/// every `diagnoseTransfer` rule passed; the first failing rule is the detected code; and a
/// transfer succeeds exactly then (or reverts with that code).
contract ShareStandardsTest is ForgeTest {
    InvestorRegistry internal registry;
    RegistryShare internal share;
    IERC7943Fungible internal uRWA;
    ITransferDiagnostic internal diagnostic;

    // Investor 0 has two wallets (0 and 1); investors 1 and 2 one each; wallet 4 is unverified.
    address[5] internal wallets =
        [address(0xA11CE), address(0xA11CE2), address(0xB0B), address(0xCA201), address(0xBAD)];
    bytes32[3] internal ids;

    function setUp() public {
        registry = Proxies.deployInvestorRegistry(address(this));
        share = Proxies.deployRegistryShare(
            address(this), registry, "Registry Share", "RSH", Identities.aapl(IAssetIdentity.Architecture.RegistryShare)
        );
        uRWA = IERC7943Fungible(address(share));
        diagnostic = ITransferDiagnostic(address(share));
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        share.grantRole(share.TRANSFER_AGENT_ROLE(), address(this));
        share.grantRole(share.PAUSER_ROLE(), address(this));
        for (uint256 k; k < 3; ++k) {
            ids[k] = keccak256(abi.encode("investor", k));
            registry.registerInvestor(ids[k], k == 2 ? 826 : 840, 1, uint64(block.timestamp + 365 days));
        }
        registry.addWallet(ids[0], wallets[0]);
        registry.addWallet(ids[0], wallets[1]);
        registry.addWallet(ids[1], wallets[2]);
        registry.addWallet(ids[2], wallets[3]);
        for (uint256 k; k < 4; ++k) {
            share.issue(wallets[k], 100e18, "issue");
        }
    }

    /// @dev `state` switches the rules on and off bit by bit; `pick` chooses sender, recipient
    /// and amount.
    function testFuzz_pre_trade_answers_agree_with_the_transfer(uint256 state, uint256 pick) public {
        _arrange(state);
        address from = wallets[pick % 5];
        address to = wallets[(pick >> 8) % 5];
        uint256 balance = share.balanceOf(from);
        uint256[6] memory amounts = [uint256(0), 1, balance, balance + 1, balance - uRWA.getFrozenTokens(from), 95e18];
        uint256 amount = amounts[(pick >> 16) % 6];
        _check(from, to, amount);
    }

    function _arrange(uint256 state) internal {
        if (state & 1 != 0) share.setAddressFrozen(wallets[state >> 8 & 3], true, "freeze");
        if (state & 2 != 0) uRWA.setFrozenTokens(wallets[state >> 10 & 3], Bound.bound(state >> 32, 0, 100e18));
        if (state & 4 != 0) share.setLockup(ids[state >> 12 & 1], uint40(block.timestamp + 1 days), "lock");
        if (state & 8 != 0) share.setHoldingLimits(uint48(state >> 14 & 7) * 10, (state & 16 != 0) ? 150 : 0);
        if (state & 32 != 0) share.setMaxHolders(uint32(state >> 17 & 3));
        if (state & 64 != 0) share.setCountryMaxHolders(840, 1);
        if (state & 128 != 0) share.setCountryRestriction(true);
        if (state & (1 << 20) != 0) share.setCountryAllowed(840, true);
        if (state & (1 << 21) != 0) registry.setInvestorFrozen(ids[state >> 22 & 1], true);
        if (state & (1 << 23) != 0) IShareExtension(address(share)).pause();
        if (state & (1 << 24) != 0) share.forcedTransfer(wallets[2], wallets[3], 100e18, "empty bob");
    }

    function _check(address from, address to, uint256 amount) internal {
        uint8 detected = share.detectTransferRestriction(from, to, amount);
        bool allowed = share.canTransfer(from, to, amount);
        address compliance = IShareExtension(address(share)).compliance();
        assertTrue(allowed == RegistryShare(compliance).canTransfer(from, to, amount), "compliance");
        assertTrue(allowed == (detected == 0), "canTransfer == detect");
        ITransferDiagnostic.RuleCheck[] memory rules = diagnostic.diagnoseTransfer(from, to, amount);
        uint8 firstFailing;
        for (uint256 i; i < rules.length; ++i) {
            if (!rules[i].passed) {
                firstFailing = rules[i].code;
                break;
            }
        }
        assertEq(firstFailing, detected, "first failing rule == detect");
        if (allowed) {
            assertTrue(uRWA.canSend(from) && uRWA.canReceive(to), "canSend and canReceive");
        }
        vm.prank(from);
        try share.transfer(to, amount) {
            assertTrue(allowed, "a transfer passed that canTransfer refused");
        } catch (bytes memory data) {
            assertTrue(!allowed, "a transfer failed that canTransfer allowed");
            assertTrue(
                keccak256(data)
                    == keccak256(
                        abi.encodeWithSelector(IRegistryShareTypes.ShareTransferRestricted.selector, detected)
                    ),
                "refused with the detected code"
            );
        }
    }
}
