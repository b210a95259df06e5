// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {Proxies} from "./utils/Proxies.sol";
import {TrackerCertificate} from "../../contracts/assets/TrackerCertificate.sol";
import {SanctionsList} from "../../contracts/compliance/SanctionsList.sol";
import {AttestedFeed} from "../../contracts/feeds/AttestedFeed.sol";
import {IAssetIdentity} from "../../contracts/interfaces/IAssetIdentity.sol";
import {ISettlementDvP} from "../../contracts/interfaces/ISettlementDvP.sol";
import {ITrackerCertificateTypes} from "../../contracts/interfaces/ITrackerCertificate.sol";
import {DvP} from "../../contracts/settlement/DvP.sol";
import {SettleCashMock} from "../../contracts/test/SettleCashMock.sol";
import {DvPV2Mock} from "../../contracts/test/upgrades/DvPV2Mock.sol";
import {TrackerCertificateV2Mock} from "../../contracts/test/upgrades/TrackerCertificateV2Mock.sol";
import {Identities} from "./utils/Identities.sol";

/// @notice An upgrade that lands between the signing and the settlement of a trade while a split is
/// pending on the traded asset. The parties sign a DvP trade for 10 certificates at the asset's
/// corporate-action epoch 0; a 2:1 split is scheduled to activate a day later; then both the
/// certificate and the DvP are upgraded to new code. The upgrade must neither lose the pending split
/// (its activation time, ratio and nonce) nor reset the epoch the signatures bind: before the split
/// activates the trade settles as signed; once it has activated the trade is refused (10 tokens
/// would be half the agreed economic quantity) and no edit of the signed terms gets it through.
contract UpgradeDuringSplitTest is ForgeTest {
    uint256 internal constant ALICE_KEY = 0xA11CE;
    uint256 internal constant BOB_KEY = 0xB0B;
    uint64 internal constant SPLIT_NONCE = 1;

    TrackerCertificate internal cert;
    DvP internal dvp;
    SettleCashMock internal cash;
    SanctionsList internal sanctions;
    address internal alice;
    address internal bob;
    uint64 internal activation;

    ISettlementDvP.Trade internal trade;
    bytes internal sellerSignature;
    bytes internal buyerSignature;

    function setUp() public {
        vm.warp(1_700_000_000);
        alice = vm.addr(ALICE_KEY);
        bob = vm.addr(BOB_KEY);
        sanctions = Proxies.deploySanctionsList(address(this));
        AttestedFeed feed = new AttestedFeed(address(this), 0, "AAPL reserves");
        feed.grantRole(feed.REPORTER_ROLE(), address(this));
        feed.report(1_000_000);
        cert = Proxies.deployTrackerCertificate(_identity(), _config(address(feed)));
        cert.grantRole(cert.MINTER_ROLE(), address(this));
        cert.grantRole(cert.TRANSFER_AGENT_ROLE(), address(this));
        dvp = Proxies.deployDvP(address(this));
        cash = new SettleCashMock();
        cert.mint(alice, 100e18);
        cash.mint(bob, 1_000_000e6);
        vm.prank(alice);
        cert.approve(address(dvp), type(uint256).max);
        vm.prank(bob);
        cash.approve(address(dvp), type(uint256).max);

        // Signed at epoch 0, the split still ahead.
        trade = ISettlementDvP.Trade({
            tradeId: keccak256("signed before the upgrade"),
            seller: alice,
            buyer: bob,
            asset: address(cert),
            quantity: 10e18,
            cashToken: address(cash),
            cashAmount: 1_500e6,
            deadline: uint64(block.timestamp + 7 days),
            corporateActionEpoch: cert.corporateActionEpoch()
        });
        bytes32 key = dvp.tradeKey(trade);
        sellerSignature = _sign(ALICE_KEY, key);
        buyerSignature = _sign(BOB_KEY, key);
        activation = uint64(block.timestamp + 1 days);
        cert.scheduleMultiplierUpdate(1e18, 2e18, activation, SPLIT_NONCE);

        // Both upgraded while the split is pending and the trade unsettled.
        cert.upgradeToAndCall(address(new TrackerCertificateV2Mock()), "");
        dvp.upgradeToAndCall(address(new DvPV2Mock()), abi.encodeCall(DvPV2Mock.initializeV2, ()));
    }

    function test_the_pending_split_survives_the_upgrade_unactivated() public view {
        assertEq(trade.corporateActionEpoch, 0, "signed at epoch 0");
        assertEq(cert.corporateActionEpoch(), 0, "still epoch 0");
        assertEq(cert.multiplier(), 1e18, "not yet split");
        assertEq(cert.multiplierAt(activation - 1), 1e18, "before the activation");
        assertEq(cert.multiplierAt(activation), 2e18, "the split at its activation time");
        assertEq(cert.balanceOf(alice), 100e18, "alice unchanged");
        assertTrue(keccak256(bytes(TrackerCertificateV2Mock(address(cert)).version())) == keccak256("2"), "v2");
    }

    function test_the_pending_split_activates_on_time_after_the_upgrade() public {
        vm.warp(activation);
        assertEq(cert.multiplier(), 2e18, "split");
        assertEq(cert.corporateActionEpoch(), 1, "epoch 1");
        assertEq(cert.balanceOf(alice), 200e18, "alice's holding doubled");
        assertEq(cert.totalSupply(), 200e18, "supply doubled");
    }

    function test_the_pending_split_can_still_be_cancelled_by_its_nonce_after_the_upgrade() public {
        cert.cancelMultiplierUpdate(SPLIT_NONCE);
        vm.warp(activation);
        assertEq(cert.multiplier(), 1e18, "cancelled");
        assertEq(cert.corporateActionEpoch(), 0, "epoch unchanged");
        dvp.settle(trade, sellerSignature, buyerSignature);
        assertEq(cert.balanceOf(bob), 10e18, "settled as signed");
    }

    function test_a_trade_signed_before_the_upgrade_settles_as_signed_while_the_split_is_pending() public {
        bytes32 key = dvp.tradeKey(trade);
        vm.expectEmit();
        emit ISettlementDvP.TradeSettled(trade.tradeId, key, alice, bob, address(cert), 10e18, address(cash), 1_500e6);
        dvp.settle(trade, sellerSignature, buyerSignature);
        assertEq(cert.balanceOf(bob), 10e18, "bob received the agreed quantity");
        assertEq(cash.balanceOf(alice), 1_500e6, "alice was paid");
        vm.warp(activation);
        assertEq(cert.balanceOf(bob), 20e18, "then the split doubles bob's holding like everyone's");
        assertEq(cert.balanceOf(alice), 180e18, "and alice's");
    }

    function test_a_trade_signed_before_the_upgrade_is_refused_once_the_pending_split_activated() public {
        vm.warp(activation);
        vm.expectRevert(abi.encodeWithSelector(ISettlementDvP.DvPCorporateActionChanged.selector, trade.tradeId, 0, 1));
        dvp.settle(trade, sellerSignature, buyerSignature);
        assertEq(cert.balanceOf(bob), 0, "nothing delivered");
        assertEq(cash.balanceOf(alice), 0, "nothing paid");
    }

    function test_the_refused_trade_cannot_pass_by_moving_its_terms_to_the_new_epoch() public {
        vm.warp(activation);
        ISettlementDvP.Trade memory moved = trade;
        moved.corporateActionEpoch = 1; // half the economic quantity at the signed token amount
        vm.expectRevert(abi.encodeWithSelector(ISettlementDvP.DvPMissingCommitment.selector, trade.tradeId, alice));
        dvp.settle(moved, sellerSignature, buyerSignature);
        moved.quantity = 20e18; // the split-adjusted quantity: still not what was signed
        vm.expectRevert(abi.encodeWithSelector(ISettlementDvP.DvPMissingCommitment.selector, trade.tradeId, alice));
        dvp.settle(moved, sellerSignature, buyerSignature);
    }

    function test_after_the_split_the_parties_sign_again_at_the_new_epoch_and_settle() public {
        vm.warp(activation);
        ISettlementDvP.Trade memory again = trade;
        again.corporateActionEpoch = cert.corporateActionEpoch();
        again.quantity = 20e18;
        bytes32 key = dvp.tradeKey(again);
        dvp.settle(again, _sign(ALICE_KEY, key), _sign(BOB_KEY, key));
        assertEq(cert.balanceOf(bob), 20e18, "the split-adjusted quantity");
        vm.expectRevert(
            abi.encodeWithSelector(
                ISettlementDvP.DvPTradeFinal.selector, again.tradeId, ISettlementDvP.TradeState.Settled
            )
        );
        dvp.settle(again, _sign(ALICE_KEY, key), _sign(BOB_KEY, key));
    }

    function _sign(uint256 privateKey, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, digest);
        return abi.encodePacked(r, s, v);
    }

    function _identity() internal view returns (IAssetIdentity.IdentityParams memory) {
        return Identities.aapl(IAssetIdentity.Architecture.TrackerCertificate);
    }

    function _config(address feed) internal view returns (ITrackerCertificateTypes.CertificateConfig memory) {
        return ITrackerCertificateTypes.CertificateConfig({
            name: "Tracker AAPL",
            symbol: "AAPLx",
            admin: address(this),
            sanctionsList: address(sanctions),
            reserveFeed: feed,
            reserveHeartbeat: 1 days
        });
    }
}
