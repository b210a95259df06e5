// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Rules, ShareSlots, Wallet} from "../../libraries/ShareSlots.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {AssetIdentity} from "../AssetIdentity.sol";
import {IInvestorRegistry} from "../../interfaces/IInvestorRegistry.sol";
import {IPartyWords} from "../../interfaces/IPartyWords.sol";
import {IRegistryShareTypes} from "../../interfaces/IRegistryShare.sol";
import {PartyWord} from "../../libraries/PartyWord.sol";
import {ScaleSteps} from "../../libraries/ScaleSteps.sol";

/// @title ShareStorage
/// @notice The registry share's state, its in-memory records and the functions that load and
/// store them: the base of {ShareRestrictions}, {ShareLedger} and {RegistryShare}.
/// @dev Note: invariants (see {RegistryShare} for the share's own):
/// - this is the ONLY contract of the share that declares storage, so the layout is this file's
///   declaration order after ERC20's and AccessControl's (as when it was one contract);
/// - every packed word is read and written through {ShareSlots} (layouts documented there);
/// - every record read is rescaled to the current scale step ({ScaleSteps}), one step at a time;
/// - a registry wallet word is decoded only by {PartyWord}.
abstract contract ShareStorage is ERC20, AssetIdentity, IRegistryShareTypes {
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

    IInvestorRegistry internal immutable _registry;

    mapping(address wallet => uint256 packed) internal _wallets;
    mapping(uint32 investor => uint256 packed) internal _investors;
    mapping(uint16 country => uint256 packed) internal _countries;
    mapping(address wallet => uint256 packed) internal _frozenAmounts; // amount 0..235 | step 236..255
    mapping(address wallet => Checkpoints.Trace208) internal _history; // amount | step << 104
    mapping(address lostWallet => address newWallet) internal _recoveredTo;
    mapping(uint256 scale => uint256 multiplier) internal _scaleMultiplier;
    // ShareExtension (delegatecall on this storage) and RegistryShare each use only part of the
    // state below, and slither analyses them one by one: the unused-state / constable-states
    // findings on these variables are about one of the two contracts, not the share.
    // slither-disable-next-line unused-state,constable-states
    mapping(uint32 snapshotId => uint256 packed) internal _snapshots; // step 0..19 | total units 20..147
    uint256 internal _rules;
    uint256 internal _supply;
    // slither-disable-next-line unused-state,constable-states
    address internal _gateway;
    // slither-disable-next-line unused-state,constable-states
    uint64 internal _epoch;
    // Record points (see "Record points across chains"): corporate-action epoch -> snapshot id.
    // slither-disable-next-line unused-state,constable-states
    Checkpoints.Trace208 internal _recordPoints;
    // slither-disable-next-line unused-state,constable-states
    mapping(uint64 epoch => mapping(address wallet => uint256 units)) internal _inFlightUnits;
    // Appended for ERC-3643 (`onchainID`): the issuer's ONCHAINID, zero until set.
    // slither-disable-next-line unused-state,constable-states
    address internal _onchainID;
    // Appended for the registry's word store ({IInvestorRegistry-partyWordStore}), set by the share's
    // constructor: {ShareExtension} reads it here; the share's own hot path reads its immutable copy.
    // Analysed alone, the extension never writes it (the share's constructor does) and the share
    // never reads it (its immutable copy), hence the uninitialized / immutable findings.
    // slither-disable-next-line unused-state,constable-states,uninitialized-state,immutable-states
    IPartyWords internal _partyWordStore;

    /// @param registry The investor registry of this chain.
    constructor(IInvestorRegistry registry) {
        _registry = registry;
    }

    /// @dev Frozen tokens of `w` now (stored with the step they were written at).
    function _frozenOf(Wallet memory w, uint32 current) internal view returns (uint256) {
        if (!w.hasFrozen) return 0;
        uint256 packed = _frozenAmounts[w.account];
        return ScaleSteps.rescale(_scaleMultiplier, packed.steppedAmount(), packed.steppedScale(), current);
    }

    function _setFrozen(address wallet, uint256 amount, uint32 scale) internal {
        _frozenAmounts[wallet] = ShareSlots.encodeStepped(amount, scale);
    }

    function _setMultiplier(uint256 newMultiplier) internal {
        uint256 scale = _currentScale() + 1;
        if (scale > ShareSlots.MAX_SCALE) revert ShareInvalidMultiplier(newMultiplier);
        _scaleMultiplier[scale] = newMultiplier;
        _rules = _rules.rulesWithMultiplier(newMultiplier, scale);
    }

    function _currentScale() internal view returns (uint32) {
        return _rules.rulesScale();
    }

    function _loadWallet(address wallet, uint32 current) internal view returns (Wallet memory w) {
        uint256 p = _wallets[wallet];
        w.account = wallet;
        w.stored = p & ShareSlots.WALLET_AMOUNT_MASK;
        w.scale = uint32(p >> ShareSlots.WALLET_SCALE);
        w.amount = w.scale == current ? w.stored : ScaleSteps.rescale(_scaleMultiplier, w.stored, w.scale, current);
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
        _wallets[w.account] = w.stored | (uint256(w.investor) << ShareSlots.WALLET_INVESTOR)
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
    function _wordStore() internal view virtual returns (IPartyWords);

    function _party(address wallet) internal view returns (Party memory) {
        return _decode(_wordStore().partyWord(wallet));
    }

    function _parties(address from, address to) internal view returns (Party memory, Party memory) {
        (uint256 fromWord, uint256 toWord) = _wordStore().partyWords(from, to);
        return (_decode(fromWord), _decode(toWord));
    }

    function _loadRules() internal view returns (Rules memory r) {
        uint256 p = _rules;
        r.multiplier = p & ShareSlots.RULES_MULTIPLIER_MASK;
        r.snapshotId = uint32(p >> ShareSlots.RULES_SNAPSHOT_ID);
        r.minHolding = uint48(p >> ShareSlots.RULES_MIN_HOLDING);
        r.maxHolding = uint48(p >> ShareSlots.RULES_MAX_HOLDING);
        r.paused = (p >> ShareSlots.RULES_PAUSED) & 1 == 1;
        r.countryRestricted = (p >> ShareSlots.RULES_COUNTRY_RESTRICTED) & 1 == 1;
        r.scale = uint32((p >> ShareSlots.RULES_SCALE) & ShareSlots.SCALE_MASK);
    }
}
