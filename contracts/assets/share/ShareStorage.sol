// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {AssetIdentity} from "../AssetIdentity.sol";
import {IInvestorRegistry} from "../../interfaces/IInvestorRegistry.sol";
import {IRegistryShare} from "../../interfaces/IRegistryShare.sol";
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
abstract contract ShareStorage is ERC20, AssetIdentity, IRegistryShare {
    using Checkpoints for Checkpoints.Trace208;

    /// @notice Issues, redeems, forces transfers, recovers wallets, freezes, sets lock-ups and splits.
    bytes32 public constant TRANSFER_AGENT_ROLE = keccak256("TRANSFER_AGENT_ROLE");
    /// @notice Pauses and unpauses transfers (the guardian; the transfer agent may hold it too).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Takes record-date snapshots (the dividend distributor and the ballot box).
    bytes32 public constant SNAPSHOT_ROLE = keccak256("SNAPSHOT_ROLE");

    uint256 internal constant ONE = 1e18;
    uint256 internal constant SHARE = 1e18; // holding limits are in whole shares of 18 decimals

    // Packed layouts (bit offsets). Every field is written through the pack helpers below.
    // Wallet:   amount 0..103 | investor 104..135 | seen 136..159 | born 160..183 | lockupUntil 184..223
    //           | country 224..233 | frozen 234 | hasFrozen 235 | scale 236..255
    //           (lock-up and country: sole-wallet investor; amount in tokens at step `scale`)
    // Investor: amount 0..127 | lockupUntil 128..167 | country 168..183 | materialised 184
    //           | scale 185..204 | holding wallets 205..236
    // Rules:    multiplier 0..95 | snapshotId 96..127 | minHolding 128..175 | maxHolding 176..223
    //           | paused 224 | countryRestricted 225 | scale 226..245
    // Supply:   units 0..127 | holders 128..159 | maxHolders 160..191
    // Country:  allowed 0 | holders 8..39 | maxHolders 40..71
    uint256 internal constant MASK_128 = type(uint128).max;
    uint256 internal constant MASK_104 = type(uint104).max;
    uint256 internal constant MASK_96 = type(uint96).max;
    uint256 internal constant MASK_32 = type(uint32).max;
    uint256 internal constant MASK_24 = type(uint24).max;
    uint256 internal constant MASK_20 = (1 << 20) - 1;
    uint256 internal constant MASK_236 = (1 << 236) - 1;
    uint256 internal constant RULES_SCALE = 226;
    uint256 internal constant WALLET_SCALE = 236;

    struct Wallet {
        address account; // memory only: the wallet this record was loaded for
        uint256 amount; // tokens now (the stored amount rescaled to the current step)
        uint256 stored; // the stored amount, at step `scale`
        uint32 scale; // the step the stored amount is at
        uint32 investor; // registry investor number the record is counted under (0 = never held)
        uint32 seen; // snapshot id current at the wallet's last balance change
        uint32 born; // 1 + snapshot id current when the wallet first received (0 = never)
        uint40 lockupUntil; // the sole-wallet investor's lock-up (see "Sole-wallet investors")
        uint16 country; // the sole-wallet investor's counted country
        bool frozen;
        bool hasFrozen; // some tokens are partially frozen (see `_frozenAmounts`)
    }

    /// @dev A party as the registry's raw word describes it (see {PartyWord}).
    struct Party {
        uint32 index;
        uint16 country;
        uint64 kycExpiry;
        bool frozen;
        bool sole;
    }

    /// @dev An investor's per-asset record, wherever it is stored: in its sole wallet's slot
    /// (`sole` set; committed into that wallet's record) or in the investor slot.
    struct Investor {
        uint32 index;
        uint256 amount; // tokens now (>= the sum of its wallets' balances)
        uint32 holding; // wallets with a stored record counted under it (0 = not a holder)
        uint40 lockupUntil;
        uint16 country; // the country the investor is counted under while holding
        bool sole;
        bool materialised; // investor slot written (always false in sole mode)
    }

    struct Rules {
        uint256 multiplier;
        uint32 snapshotId;
        uint48 minHolding;
        uint48 maxHolding;
        bool paused;
        bool countryRestricted;
        uint32 scale;
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
    mapping(uint32 snapshotId => uint256 packed) internal _snapshots; // step 0..19 | total units 20..147
    uint256 internal _rules;
    uint256 internal _supply;
    address internal _gateway;
    uint64 internal _epoch;
    // Record points (see "Record points across chains"): corporate-action epoch -> snapshot id.
    Checkpoints.Trace208 internal _recordPoints;
    mapping(uint64 epoch => mapping(address wallet => uint256 units)) internal _inFlightUnits;

    /// @param registry The investor registry of this chain.
    constructor(IInvestorRegistry registry) {
        _registry = registry;
    }

    /// @dev Frozen tokens of `w` now (stored with the step they were written at).
    function _frozenOf(Wallet memory w, uint32 current) internal view returns (uint256) {
        if (!w.hasFrozen) return 0;
        uint256 packed = _frozenAmounts[w.account];
        return ScaleSteps.rescale(_scaleMultiplier, packed & MASK_236, packed >> WALLET_SCALE, current);
    }

    function _setFrozen(address wallet, uint256 amount, uint32 scale) internal {
        _frozenAmounts[wallet] = amount == 0 ? 0 : amount | (uint256(scale) << WALLET_SCALE);
    }

    function _setMultiplier(uint256 newMultiplier) internal {
        uint256 scale = _currentScale() + 1;
        if (scale > MASK_20) revert ShareInvalidMultiplier(newMultiplier);
        _scaleMultiplier[scale] = newMultiplier;
        _rules = (_rules & ~MASK_96 & ~(MASK_20 << RULES_SCALE)) | newMultiplier | (scale << RULES_SCALE);
    }

    function _currentScale() internal view returns (uint32) {
        return uint32((_rules >> RULES_SCALE) & MASK_20);
    }

    function _loadWallet(address wallet, uint32 current) internal view returns (Wallet memory w) {
        uint256 p = _wallets[wallet];
        w.account = wallet;
        w.stored = p & MASK_104;
        w.scale = uint32(p >> WALLET_SCALE);
        w.amount = w.scale == current ? w.stored : ScaleSteps.rescale(_scaleMultiplier, w.stored, w.scale, current);
        w.investor = uint32(p >> 104);
        w.seen = uint32((p >> 136) & MASK_24);
        w.born = uint32((p >> 160) & MASK_24);
        w.lockupUntil = uint40(p >> 184);
        w.country = uint16((p >> 224) & 0x3FF);
        w.frozen = (p >> 234) & 1 == 1;
        w.hasFrozen = (p >> 235) & 1 == 1;
    }

    /// @dev Stores the record as it was read or last written (`stored` at step `scale`).
    function _storeWallet(Wallet memory w) internal {
        if (w.stored > MASK_104) revert ShareUnitsOverflow(w.stored);
        // The country is an ISO 3166-1 numeric code (the registry keeps it in 1..999): 10 bits.
        _wallets[w.account] = w.stored | (uint256(w.investor) << 104) | (uint256(w.seen) << 136)
            | (uint256(w.born) << 160) | (uint256(w.lockupUntil) << 184) | (uint256(w.country & 0x3FF) << 224)
            | (w.frozen ? 1 << 234 : 0) | (w.hasFrozen ? 1 << 235 : 0) | (uint256(w.scale) << WALLET_SCALE);
    }

    function _decode(uint256 word) internal pure returns (Party memory p) {
        p.index = PartyWord.index(word);
        p.country = PartyWord.country(word);
        p.kycExpiry = PartyWord.kycExpiry(word);
        p.frozen = PartyWord.frozen(word);
        p.sole = PartyWord.sole(word);
    }

    function _party(address wallet) internal view returns (Party memory) {
        return _decode(_registry.partyWord(wallet));
    }

    function _parties(address from, address to) internal view returns (Party memory, Party memory) {
        (uint256 fromWord, uint256 toWord) = _registry.partyWords(from, to);
        return (_decode(fromWord), _decode(toWord));
    }

    function _loadRules() internal view returns (Rules memory r) {
        uint256 p = _rules;
        r.multiplier = p & MASK_96;
        r.snapshotId = uint32(p >> 96);
        r.minHolding = uint48(p >> 128);
        r.maxHolding = uint48(p >> 176);
        r.paused = (p >> 224) & 1 == 1;
        r.countryRestricted = (p >> 225) & 1 == 1;
        r.scale = uint32((p >> RULES_SCALE) & MASK_20);
    }
}
