// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Rules, ShareSlots, Wallet} from "../../libraries/ShareSlots.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {ContextUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/ContextUpgradeable.sol";
import {AssetIdentityCore} from "../AssetIdentityUpgradeable.sol";
import {IInvestorRegistry} from "../../interfaces/IInvestorRegistry.sol";
import {IPartyWords} from "../../interfaces/IPartyWords.sol";
import {IRegistryShareTypes} from "../../interfaces/IRegistryShare.sol";
import {PartyWord} from "../../libraries/PartyWord.sol";
import {ScaleSteps} from "../../libraries/ScaleSteps.sol";

/// @title ShareStorage
/// @notice The registry share's state, its in-memory records and the functions that load and
/// store them: the internal core of {RegistryShare} and {ShareExtension} (through
/// {ShareRestrictions}, {ShareLedger} and {ShareActions}). It carries no public surface of the OZ
/// bases: the share adds ERC-20, access control and the identity's views; the extension does not.
/// @dev Note: invariants (see {RegistryShare} for the share's own):
/// - this is the ONLY contract of the share that declares the share's own state, all of it in ONE
///   ERC-7201 namespace (`tokenized-stocks.storage.RegistryShare`, {RegistryShareStorage}): no
///   sequential slot, so the share and its extension agree on it whatever else they inherit;
/// - every packed word is read and written through {ShareSlots} (layouts documented there);
/// - every record read is rescaled to the current scale step ({ScaleSteps}), one step at a time;
/// - a registry wallet word is decoded only by {PartyWord}.
abstract contract ShareStorage is ContextUpgradeable, AssetIdentityCore, IRegistryShareTypes {
    using ShareSlots for uint256;

    /// @notice Issues, redeems, forces transfers, recovers wallets, freezes, sets lock-ups and splits.
    bytes32 public constant TRANSFER_AGENT_ROLE = keccak256("TRANSFER_AGENT_ROLE");
    /// @notice Pauses transfers at once (the guardian; the transfer agent may hold it too); unpausing
    /// is `DEFAULT_ADMIN_ROLE`'s.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Takes record-date snapshots (the dividend distributor and the ballot box).
    bytes32 public constant SNAPSHOT_ROLE = keccak256("SNAPSHOT_ROLE");

    /// @notice The implementation's version (ERC-3643 `version()`, answered by {ShareExtension}).
    string internal constant VERSION = "tokenized-stocks RegistryShare 2 (ERC-3643 T-REX 4.1.6 IToken)";

    uint256 internal constant ONE = 1e18;
    uint256 internal constant SHARE = 1e18; // holding limits are in whole shares of 18 decimals

    /// @dev A party as the registry's raw word describes it (see {PartyWord}).
    struct Party {
        uint32 index;
        uint16 country;
        uint64 kycExpiry;
        bool frozen;
        bool sole;
    }

    /// @dev Which checks a mint applies: an issue (recipient rules, pause ignored), an ERC-7802
    /// delivery (recipient rules and pause) or a gateway delivery by units (the refund-level rules:
    /// the gateway checked {crosschainRestriction} or {crosschainRefundRestriction} first).
    enum Mode {
        Issue,
        CrosschainMint,
        GatewayMint
    }

    /// @dev The share's state (ERC-7201 namespace `tokenized-stocks.storage.RegistryShare`). The
    /// OZ bases (ERC-20, access control, initializable, the asset identity) keep theirs.
    /// @custom:storage-location erc7201:tokenized-stocks.storage.RegistryShare
    struct RegistryShareStorage {
        mapping(address wallet => uint256 packed) wallets;
        mapping(uint32 investor => uint256 packed) investors;
        mapping(uint16 country => uint256 packed) countries;
        mapping(address wallet => uint256 packed) frozenAmounts; // amount 0..235 | step 236..255
        mapping(address wallet => Checkpoints.Trace208) history; // amount | step << 104
        mapping(address lostWallet => address newWallet) recoveredTo;
        mapping(uint256 scale => uint256 multiplier) scaleMultiplier;
        mapping(uint32 snapshotId => uint256 packed) snapshots; // step 0..19 | total units 20..147
        uint256 rules;
        uint256 supply;
        address gateway;
        uint64 epoch;
        // Record points (see "Record points across chains"): corporate-action epoch -> snapshot id.
        Checkpoints.Trace208 recordPoints;
        mapping(uint64 epoch => mapping(address wallet => uint256 units)) inFlightUnits;
        // ERC-3643 (`onchainID`): the issuer's ONCHAINID, zero until set.
        address onchainID;
        // The holding limits (ShareSlots' Limits word), read only while the rules' `limited` flag is
        // set. (The registry's word store, read by every transfer, is packed in `rules`.)
        uint256 limits;
        // The investor registry of this chain (its proxy): every lookup but the parties' words.
        IInvestorRegistry registry;
    }

    // keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.RegistryShare")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant REGISTRY_SHARE_STORAGE =
        0x066d31e77f77ba510a646c3d8cfe64f86df9214b030d5a113146f22789c26000;

    /// @dev The share's state: one ERC-7201 namespace ({REGISTRY_SHARE_STORAGE}).
    function _s() internal pure returns (RegistryShareStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := REGISTRY_SHARE_STORAGE
        }
    }

    /// @dev Frozen tokens of `w` now (stored with the step they were written at).
    function _frozenOf(Wallet memory w, uint32 current) internal view returns (uint256) {
        RegistryShareStorage storage $ = _s();
        if (!w.hasFrozen) return 0;
        uint256 packed = $.frozenAmounts[w.account];
        return ScaleSteps.rescale($.scaleMultiplier, packed.steppedAmount(), packed.steppedScale(), current);
    }

    function _setFrozen(address wallet, uint256 amount, uint32 scale) internal {
        _s().frozenAmounts[wallet] = ShareSlots.encodeStepped(amount, scale);
    }

    function _setMultiplier(uint256 newMultiplier) internal {
        RegistryShareStorage storage $ = _s();
        uint256 scale = _currentScale() + 1;
        if (scale > ShareSlots.MAX_SCALE) revert ShareInvalidMultiplier(newMultiplier);
        $.scaleMultiplier[scale] = newMultiplier;
        $.rules = $.rules.rulesWithScale(scale);
    }

    function _currentScale() internal view returns (uint32) {
        return _s().rules.rulesScale();
    }

    function _loadWallet(address wallet, uint32 current) internal view returns (Wallet memory w) {
        RegistryShareStorage storage $ = _s();
        uint256 p = $.wallets[wallet];
        w.account = wallet;
        w.stored = p & ShareSlots.WALLET_AMOUNT_MASK;
        w.scale = uint32(p >> ShareSlots.WALLET_SCALE);
        w.amount = w.scale == current ? w.stored : ScaleSteps.rescale($.scaleMultiplier, w.stored, w.scale, current);
        w.investor = uint32(p >> ShareSlots.WALLET_INVESTOR);
        w.seen = uint32((p >> ShareSlots.WALLET_SEEN) & ShareSlots.SNAPSHOT_ID_MASK);
        w.born = uint32((p >> ShareSlots.WALLET_BORN) & ShareSlots.SNAPSHOT_ID_MASK);
        w.lockupUntil = uint40(p >> ShareSlots.WALLET_LOCKUP);
        w.country = uint16((p >> ShareSlots.WALLET_COUNTRY) & ShareSlots.WALLET_COUNTRY_MASK);
        w.frozen = (p >> ShareSlots.WALLET_FROZEN) & 1 == 1;
        w.hasFrozen = (p >> ShareSlots.WALLET_HAS_FROZEN) & 1 == 1;
    }

    /// @dev Stores the record as it was read or last written (`stored` at step `scale`).
    function _storeWallet(Wallet memory w) internal {
        if (w.stored > ShareSlots.MAX_WALLET_AMOUNT) revert ShareUnitsOverflow(w.stored);
        _s().wallets[w.account] = w.stored | (uint256(w.investor) << ShareSlots.WALLET_INVESTOR)
            | (uint256(w.seen) << ShareSlots.WALLET_SEEN) | (uint256(w.born) << ShareSlots.WALLET_BORN)
            | (uint256(w.lockupUntil) << ShareSlots.WALLET_LOCKUP)
            | (uint256(w.country & ShareSlots.WALLET_COUNTRY_MASK) << ShareSlots.WALLET_COUNTRY)
            | (w.frozen ? 1 << ShareSlots.WALLET_FROZEN : 0) | (w.hasFrozen ? 1 << ShareSlots.WALLET_HAS_FROZEN : 0)
            | (uint256(w.scale) << ShareSlots.WALLET_SCALE);
    }

    function _decode(uint256 word) internal pure returns (Party memory p) {
        p.index = PartyWord.index(word);
        p.country = PartyWord.country(word);
        p.kycExpiry = PartyWord.kycExpiry(word);
        p.frozen = PartyWord.frozen(word);
        p.sole = PartyWord.sole(word);
    }

    /// @dev The registry's plain copy of the wallets' words ({IInvestorRegistry-partyWordStore}):
    /// parties are read there, without the registry proxy's hop (~4,700 gas a transfer).
    function _wordStore() internal view returns (IPartyWords) {
        return IPartyWords(_s().rules.rulesWordStore());
    }

    /// @dev The current multiplier: the one kept for the current scale step.
    function _multiplier() internal view returns (uint256) {
        RegistryShareStorage storage $ = _s();
        return $.scaleMultiplier[$.rules.rulesScale()];
    }

    function _party(address wallet) internal view returns (Party memory) {
        return _decode(_wordStore().partyWord(wallet));
    }

    function _parties(address from, address to) internal view returns (Party memory, Party memory) {
        (uint256 fromWord, uint256 toWord) = _wordStore().partyWords(from, to);
        return (_decode(fromWord), _decode(toWord));
    }

    function _loadRules() internal view returns (Rules memory r) {
        RegistryShareStorage storage $ = _s();
        uint256 p = $.rules;
        r.snapshotId = uint32(p >> ShareSlots.RULES_SNAPSHOT_ID);
        if ((p >> ShareSlots.RULES_LIMITED) & 1 == 1) {
            uint256 limits = $.limits;
            r.minHolding = limits.limitsMin();
            r.maxHolding = limits.limitsMax();
        }
        r.paused = (p >> ShareSlots.RULES_PAUSED) & 1 == 1;
        r.countryRestricted = (p >> ShareSlots.RULES_COUNTRY_RESTRICTED) & 1 == 1;
        r.scale = uint32((p >> ShareSlots.RULES_SCALE) & ShareSlots.SCALE_MASK);
    }
}
