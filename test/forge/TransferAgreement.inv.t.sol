// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest, Vm, Bound} from "./utils/Vm.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {TrackerCertificate} from "../../contracts/assets/TrackerCertificate.sol";
import {ITrackerCertificateTypes} from "../../contracts/interfaces/ITrackerCertificate.sol";
import {OrderToken} from "../../contracts/assets/OrderToken.sol";
import {InvestorRegistry} from "../../contracts/identity/InvestorRegistry.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {AttestedFeed} from "../../contracts/feeds/AttestedFeed.sol";
import {MockOrderDesk, IDeskMintable} from "../../contracts/test/MockOrderDesk.sol";
import {ITransferDiagnostic} from "../../contracts/interfaces/ITransferDiagnostic.sol";
import {Proxies} from "./utils/Proxies.sol";
import {Identities} from "./utils/Identities.sol";

/// @notice What the agreement handlers need of an asset: the ERC-20 transfer and the three views.
interface IAgreeingAsset {
    function transfer(address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
    function getFrozenTokens(address account) external view returns (uint256);
    function canTransfer(address from, address to, uint256 amount) external view returns (bool);
    function detectTransferRestriction(address from, address to, uint256 amount) external view returns (uint8);
    function diagnoseTransfer(address from, address to, uint256 amount)
        external
        view
        returns (ITransferDiagnostic.RuleCheck[] memory);
    function setFrozenTokens(address account, uint256 amount) external returns (bool);
    function forcedTransfer(address from, address to, uint256 amount) external returns (bool);
    function pause() external;
    function unpause() external;
}

/// @notice The shared part of both handlers: random holders, and the check that canTransfer,
/// detectTransferRestriction, diagnoseTransfer and the transfer itself never disagree.
abstract contract AgreementHandler {
    using Bound for uint256;

    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint256 public constant HOLDERS = 4;

    IAgreeingAsset public immutable asset;
    SanctionsList public immutable sanctions;

    /// @notice Raised when the views and the transfer disagree; the last case is kept.
    bool public disagreed;
    address public lastFrom;
    address public lastTo;
    uint256 public lastAmount;
    uint8 public lastCode;
    mapping(bool succeeded => uint256 count) public outcomes;

    constructor(IAgreeingAsset asset_, SanctionsList sanctions_) {
        asset = asset_;
        sanctions = sanctions_;
    }

    function holder(uint256 seed) public pure returns (address) {
        uint256 i = seed % (HOLDERS + 1);
        return i == HOLDERS ? address(0) : address(uint160(0xA000 + i));
    }

    /// @notice A transfer of an edge amount (0, all, all + 1, the unfrozen balance +- 1, random).
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 pick, uint256 amount) external {
        address from = holder(fromSeed % HOLDERS);
        address to = holder(toSeed);
        uint256 balance = asset.balanceOf(from);
        uint256 frozen = asset.getFrozenTokens(from);
        uint256 unfrozen = balance > frozen ? balance - frozen : 0;
        uint256[6] memory amounts = [0, balance, balance + 1, unfrozen, unfrozen + 1, amount.bound(0, 300e18)];
        _check(from, to, amounts[pick % 6]);
    }

    function freeze(uint256 seed, uint256 amount) external {
        address account = holder(seed % HOLDERS);
        uint256 balance = asset.balanceOf(account);
        uint256[4] memory amounts = [0, balance / 2, balance + 1e18, amount.bound(0, 300e18)];
        asset.setFrozenTokens(account, amounts[amount % 4]);
    }

    function sanction(uint256 seed, bool listed) external {
        sanctions.setSanctioned(holder(seed % HOLDERS), listed);
    }

    function togglePause(bool on) external {
        if (on) try asset.pause() {} catch {} else try asset.unpause() {} catch {}
    }

    function force(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = holder(fromSeed % HOLDERS);
        try asset.forcedTransfer(from, holder(toSeed % HOLDERS), amount.bound(0, asset.balanceOf(from) + 1)) {} catch {}
    }

    function _check(address from, address to, uint256 amount) internal {
        bool allowed = asset.canTransfer(from, to, amount);
        uint8 code = asset.detectTransferRestriction(from, to, amount);
        ITransferDiagnostic.RuleCheck[] memory rules = asset.diagnoseTransfer(from, to, amount);
        uint8 firstFailing = 0;
        for (uint256 i = 0; i < rules.length; ++i) {
            if (!rules[i].passed) {
                firstFailing = rules[i].code;
                break;
            }
        }
        bool succeeded;
        vm.prank(from);
        try asset.transfer(to, amount) returns (bool ok) {
            succeeded = ok;
        } catch {
            succeeded = false;
        }
        outcomes[succeeded]++;
        if (allowed != succeeded || (code == 0) != succeeded || firstFailing != code) {
            disagreed = true;
            (lastFrom, lastTo, lastAmount, lastCode) = (from, to, amount, code);
        }
    }
}

/// @notice Random freezes, sanctions, pauses, forced transfers, splits and transfers on a certificate.
contract CertificateAgreementHandler is AgreementHandler {
    using Bound for uint256;

    TrackerCertificate public immutable cert;
    uint64 public nonce;

    constructor(TrackerCertificate cert_, SanctionsList sanctions_)
        AgreementHandler(IAgreeingAsset(address(cert_)), sanctions_)
    {
        cert = cert_;
    }

    /// @notice A split or reverse split activating now (frozen amounts round up, balances down).
    function split(uint256 ratio) external {
        uint256[3] memory multipliers = [uint256(2e18), 15e17, uint256(1e18) / 3];
        uint256 m = cert.multiplier() * multipliers[ratio % 3] / 1e18;
        try cert.scheduleMultiplierUpdate(cert.multiplier(), m, uint64(block.timestamp), ++nonce) {} catch {}
    }
}

/// @notice Random token freezes, wallet and investor freezes, sanctions, pauses, forced transfers
/// and transfers on an order token.
contract OrderTokenAgreementHandler is AgreementHandler {
    OrderToken public immutable token;
    InvestorRegistry public immutable registry;

    constructor(OrderToken token_, SanctionsList sanctions_, InvestorRegistry registry_)
        AgreementHandler(IAgreeingAsset(address(token_)), sanctions_)
    {
        token = token_;
        registry = registry_;
    }

    function freezeWallet(uint256 seed, bool frozen) external {
        try token.setFrozen(holder(seed % HOLDERS), frozen) {} catch {}
    }

    function freezeInvestor(uint256 seed, bool frozen) external {
        registry.setInvestorFrozen(bytes32(seed % 2 + 1), frozen);
    }
}

contract CertificateTransferAgreementTest is ForgeTest {
    CertificateAgreementHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        SanctionsList sanctions = Proxies.deploySanctionsList(address(this));
        AttestedFeed feed = new AttestedFeed(address(this), 18, "AAPL reserves");
        TrackerCertificate cert = Proxies.deployTrackerCertificate(
            Identities.aapl(IAssetIdentity.Architecture.TrackerCertificate),
            ITrackerCertificateTypes.CertificateConfig({
                name: "Tracker AAPL",
                symbol: "trAAPL",
                admin: address(this),
                sanctionsList: address(sanctions),
                reserveFeed: address(feed),
                reserveHeartbeat: 1 days
            })
        );
        sanctions.addSubscriber(address(cert));
        handler = new CertificateAgreementHandler(cert, sanctions);
        cert.grantRole(cert.MINTER_ROLE(), address(this));
        cert.grantRole(cert.TRANSFER_AGENT_ROLE(), address(handler));
        // the handler toggles the pause: the guardian pauses, only the admin unpauses
        cert.grantRole(cert.PAUSER_ROLE(), address(handler));
        cert.grantRole(cert.DEFAULT_ADMIN_ROLE(), address(handler));
        sanctions.grantRole(sanctions.COMPLIANCE_ROLE(), address(handler));
        feed.grantRole(feed.REPORTER_ROLE(), address(this));
        feed.report(1_000e18);
        for (uint256 i = 0; i < 4; ++i) {
            cert.mint(handler.holder(i), (i + 1) * 50e18);
        }
        targetContract(address(handler));
    }

    /// @notice canTransfer == (detectTransferRestriction == 0) == all rules pass == the transfer
    /// succeeds, after any sequence of the handler's actions.
    function invariant_views_agree_with_the_transfer() public view {
        assertTrue(!handler.disagreed(), "canTransfer, ERC-1404, the diagnostic and the transfer disagree");
    }

    /// @notice Smoke test: the handler's actions run, and both outcomes occur.
    function test_handler_reaches_both_outcomes() public {
        handler.transfer(0, 1, 1, 0); // the whole balance: allowed
        handler.freeze(0, 1); // half of it frozen
        handler.transfer(0, 1, 2, 0); // above the balance: refused
        handler.split(0);
        handler.force(1, 0, 10e18);
        handler.transfer(1, 0, 4, 0); // unfrozen + 1: refused
        assertTrue(handler.outcomes(true) > 0 && handler.outcomes(false) > 0, "both outcomes");
        assertTrue(!handler.disagreed(), "agreement");
    }
}

contract OrderTokenTransferAgreementTest is ForgeTest {
    OrderTokenAgreementHandler internal handler;

    function setUp() public {
        SanctionsList sanctions = Proxies.deploySanctionsList(address(this));
        InvestorRegistry registry = Proxies.deployInvestorRegistry(address(this));
        MockOrderDesk desk = new MockOrderDesk();
        OrderToken token = Proxies.deployOrderToken(
            address(this),
            "Order",
            "ORD",
            IAssetIdentity.IdentityParams({
                assetId: keccak256("US88160R1014"),
                isin: "US88160R1014",
                ticker: "NVDA",
                architecture: IAssetIdentity.Architecture.MintOnOrder,
                homeChainId: block.chainid,
                termsURI: "ipfs://terms",
                termsHash: keccak256("terms"),
                dti: bytes9("4H95J0R2X")
            }),
            address(desk),
            registry,
            sanctions
        );
        handler = new OrderTokenAgreementHandler(token, sanctions, registry);
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        for (uint256 i = 0; i < 4; ++i) {
            address wallet = handler.holder(i);
            if (i < 2) {
                registry.registerInvestor(bytes32(i + 1), 840, 1, uint64(block.timestamp + 365 days));
                registry.addWallet(bytes32(i + 1), wallet);
            }
            desk.mint(IDeskMintable(address(token)), wallet, (i + 1) * 50e18);
        }
        registry.grantRole(registry.REGISTRAR_ROLE(), address(handler));
        token.grantRole(token.COMPLIANCE_ROLE(), address(handler));
        // the handler toggles the pause: the guardian pauses, only the admin unpauses
        token.grantRole(token.PAUSER_ROLE(), address(handler));
        token.grantRole(token.DEFAULT_ADMIN_ROLE(), address(handler));
        sanctions.grantRole(sanctions.COMPLIANCE_ROLE(), address(handler));
        targetContract(address(handler));
    }

    /// @notice canTransfer == (detectTransferRestriction == 0) == all rules pass == the transfer
    /// succeeds, after any sequence of the handler's actions.
    function invariant_views_agree_with_the_transfer() public view {
        assertTrue(!handler.disagreed(), "canTransfer, ERC-1404, the diagnostic and the transfer disagree");
    }

    /// @notice Smoke test: the handler's actions run, and both outcomes occur.
    function test_handler_reaches_both_outcomes() public {
        handler.transfer(0, 1, 1, 0);
        handler.freezeInvestor(1, true); // holder 1's investor
        handler.transfer(2, 1, 1, 0); // to a frozen investor: refused
        handler.freeze(2, 2);
        handler.force(2, 3, 10e18);
        handler.freezeWallet(3, true);
        handler.transfer(3, 0, 0, 0);
        assertTrue(handler.outcomes(true) > 0 && handler.outcomes(false) > 0, "both outcomes");
        assertTrue(!handler.disagreed(), "agreement");
    }
}
