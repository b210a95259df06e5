// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev A wallet's record in memory (see {ShareSlots} for its packed word).
struct Wallet {
    address account; // memory only: the wallet this record was loaded for
    uint256 amount; // memory only: tokens now (the stored amount rescaled to the current step)
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

/// @dev The per-asset rules word in memory (the holding limits from the Limits word, zero unless
/// the rules word's `limited` flag is set; the multiplier is the current step's, read apart).
struct Rules {
    uint32 snapshotId;
    uint48 minHolding;
    uint48 maxHolding;
    bool paused;
    bool countryRestricted;
    uint32 scale;
}

/// @title ShareSlots
/// @notice The registry share's packed storage words, encoded and decoded here only. Every slot of
/// the hot path is one `uint256` (one SLOAD, one SSTORE); the layouts, by bit offset:
/// - Wallet:   amount 0..103 | investor 104..135 | seen 136..159 | born 160..183
///             | lockupUntil 184..223 | country 224..233 | frozen 234 | hasFrozen 235 | scale 236..255
///             (lock-up and country: sole-wallet investor; amount in tokens at step `scale`)
/// - Investor: amount 0..127 | lockupUntil 128..167 | country 168..183 | materialised 184
///             | scale 185..204 | holding wallets 205..236
/// - Rules:    word store 0..159 | snapshotId 160..191 | scale 192..211 | paused 212
///             | countryRestricted 213 | limited 214 (the registry's {IPartyWords} store shares the
///             transfer's one rules read; the multiplier is `scaleMultiplier[scale]`)
/// - Limits:   minHolding 0..47 | maxHolding 48..95 (read only while `limited` is set)
/// - Supply:   units 0..127 | holders 128..159 | maxHolders 160..191
/// - Country:  allowed 0 | holders 8..39 | maxHolders 40..71
/// - Stepped:  amount 0..235 | scale 236..255 (partially frozen tokens)
/// - Snapshot: scale 0..19 | total units 20..147
/// - History:  amount 0..103 | scale 104.. (a wallet's pre-change record, `Checkpoints.Trace208`)
/// The Wallet and Rules words are decoded (and the Wallet word encoded) inline by ShareStorage's
/// `_loadWallet`, `_storeWallet` and `_loadRules`, using the offsets named here; every other
/// access goes through the functions below.
/// @dev Note: invariants: decoding an encoded record returns every field as written (fields are
/// range-checked by the callers: amounts against `MAX_WALLET_AMOUNT` / `MAX_UNITS`, the country
/// is an ISO 3166-1 numeric code below 1024, steps below 2**20, snapshot ids below 2**24); a
/// `with...` setter changes only its own field.
library ShareSlots {
    uint256 internal constant MAX_WALLET_AMOUNT = type(uint104).max;
    uint256 internal constant MAX_UNITS = type(uint128).max;
    uint256 internal constant MAX_MULTIPLIER = type(uint96).max;
    uint256 internal constant MAX_SCALE = (1 << 20) - 1;
    uint256 internal constant MAX_SNAPSHOT_ID = type(uint24).max;
    /// @dev One holder in a Supply word, one country holder in a Country word.
    uint256 internal constant ONE_HOLDER = 1 << 128;
    uint256 internal constant ONE_COUNTRY_HOLDER = 1 << 8;

    // Field offsets of the three words every transfer decodes and (for wallets) encodes. Those
    // three codecs are inline in ShareStorage (`_loadWallet`, `_storeWallet`, `_loadRules`), with
    // these names: a library call per record would cost the transfer ~70 gas (measured by
    // tests/unit/registry_share/test_gas_registry_share.py) for no other change.
    uint256 internal constant WALLET_AMOUNT_MASK = type(uint104).max;
    uint256 internal constant WALLET_INVESTOR = 104;
    uint256 internal constant WALLET_SEEN = 136;
    uint256 internal constant WALLET_BORN = 160;
    uint256 internal constant WALLET_LOCKUP = 184;
    uint256 internal constant WALLET_COUNTRY = 224;
    uint256 internal constant WALLET_COUNTRY_MASK = 0x3FF; // ISO 3166-1 numeric, 1..999: 10 bits
    uint256 internal constant WALLET_FROZEN = 234;
    uint256 internal constant WALLET_HAS_FROZEN = 235;
    uint256 internal constant WALLET_SCALE = 236;
    uint256 internal constant SNAPSHOT_ID_MASK = type(uint24).max;
    uint256 internal constant RULES_SNAPSHOT_ID = 160;
    uint256 internal constant RULES_SCALE = 192;
    uint256 internal constant RULES_PAUSED = 212;
    uint256 internal constant RULES_COUNTRY_RESTRICTED = 213;
    uint256 internal constant RULES_LIMITED = 214;
    uint256 internal constant SCALE_MASK = (1 << 20) - 1;
    /// @dev The allowed flag of a Country word (read inline by the transfer's country rule).
    uint256 internal constant COUNTRY_ALLOWED = 1;

    uint256 private constant _MASK_128 = type(uint128).max;
    uint256 private constant _MASK_104 = type(uint104).max;
    uint256 private constant _MASK_96 = type(uint96).max;
    uint256 private constant _MASK_32 = type(uint32).max;
    uint256 private constant _MASK_24 = type(uint24).max;
    uint256 private constant _MASK_20 = (1 << 20) - 1;
    uint256 private constant _MASK_236 = (1 << 236) - 1;
    uint256 private constant _WALLET_SCALE = 236;
    uint256 private constant _WALLET_FROZEN = 234;

    // ------------------------------------------------------------------------------------------
    // Wallet
    // ------------------------------------------------------------------------------------------

    function walletStored(uint256 p) internal pure returns (uint256) {
        return p & _MASK_104;
    }

    function walletScale(uint256 p) internal pure returns (uint256) {
        return p >> _WALLET_SCALE;
    }

    function walletInvestor(uint256 p) internal pure returns (uint32) {
        return uint32(p >> 104);
    }

    function walletBorn(uint256 p) internal pure returns (uint256) {
        return (p >> 160) & _MASK_24;
    }

    function walletLockup(uint256 p) internal pure returns (uint40) {
        return uint40(p >> 184);
    }

    function walletCountry(uint256 p) internal pure returns (uint16) {
        return uint16((p >> 224) & 0x3FF);
    }

    function walletFrozen(uint256 p) internal pure returns (bool) {
        return (p >> _WALLET_FROZEN) & 1 == 1;
    }

    // ------------------------------------------------------------------------------------------
    // Investor
    // ------------------------------------------------------------------------------------------

    function investorMaterialised(uint256 p) internal pure returns (bool) {
        return (p >> 184) & 1 == 1;
    }

    /// @notice Fills `inv`'s amount (at the stored step, see {investorScale}), lock-up, country
    /// and holding count from the investor word `p`, and marks it materialised.
    function decodeInvestor(uint256 p, Investor memory inv) internal pure {
        inv.amount = p & _MASK_128;
        inv.lockupUntil = uint40(p >> 128);
        inv.country = uint16(p >> 168);
        inv.holding = uint32(p >> 205);
        inv.materialised = true;
    }

    function investorScale(uint256 p) internal pure returns (uint32) {
        return uint32((p >> 185) & _MASK_20);
    }

    /// @notice The (materialised) investor word of `inv`, its amount at step `scale`.
    function encodeInvestor(Investor memory inv, uint256 scale) internal pure returns (uint256) {
        return inv.amount | (uint256(inv.lockupUntil) << 128) | (uint256(inv.country) << 168) | (1 << 184)
            | (scale << 185) | (uint256(inv.holding) << 205);
    }

    /// @notice A materialised investor word with no amount: only a lock-up and a country.
    function encodeInvestorTerms(uint40 lockupUntil, uint16 country) internal pure returns (uint256) {
        return (uint256(lockupUntil) << 128) | (uint256(country) << 168) | (1 << 184);
    }

    // ------------------------------------------------------------------------------------------
    // Rules
    // ------------------------------------------------------------------------------------------

    /// @notice The registry's {IPartyWords} store the transfer reads the parties' words from.
    function rulesWordStore(uint256 p) internal pure returns (address) {
        return address(uint160(p));
    }

    /// @notice A Rules word with only the word store set: step 0, snapshot 0, every rule off.
    function encodeRules(address wordStore) internal pure returns (uint256) {
        return uint256(uint160(wordStore));
    }

    function rulesSnapshotId(uint256 p) internal pure returns (uint32) {
        return uint32(p >> RULES_SNAPSHOT_ID);
    }

    function rulesScale(uint256 p) internal pure returns (uint32) {
        return uint32((p >> RULES_SCALE) & _MASK_20);
    }

    function rulesWithPaused(uint256 p, bool paused) internal pure returns (uint256) {
        return paused ? p | (1 << RULES_PAUSED) : p & ~(uint256(1) << RULES_PAUSED);
    }

    function rulesWithCountryRestricted(uint256 p, bool enabled) internal pure returns (uint256) {
        return enabled ? p | (1 << RULES_COUNTRY_RESTRICTED) : p & ~(uint256(1) << RULES_COUNTRY_RESTRICTED);
    }

    /// @notice `p` with the flag saying whether a holding limit is set (the Limits word is read then only).
    function rulesWithLimited(uint256 p, bool limited) internal pure returns (uint256) {
        return limited ? p | (1 << RULES_LIMITED) : p & ~(uint256(1) << RULES_LIMITED);
    }

    function rulesWithSnapshotId(uint256 p, uint32 snapshotId) internal pure returns (uint256) {
        return (p & ~(_MASK_32 << RULES_SNAPSHOT_ID)) | (uint256(snapshotId) << RULES_SNAPSHOT_ID);
    }

    /// @notice `p` at a new scale step (the caller range-checked it; its multiplier is kept per step).
    function rulesWithScale(uint256 p, uint256 scale) internal pure returns (uint256) {
        return (p & ~(_MASK_20 << RULES_SCALE)) | (scale << RULES_SCALE);
    }

    // ------------------------------------------------------------------------------------------
    // Limits
    // ------------------------------------------------------------------------------------------

    function encodeLimits(uint48 minHolding, uint48 maxHolding) internal pure returns (uint256) {
        return uint256(minHolding) | (uint256(maxHolding) << 48);
    }

    function limitsMin(uint256 p) internal pure returns (uint48) {
        return uint48(p);
    }

    function limitsMax(uint256 p) internal pure returns (uint48) {
        return uint48(p >> 48);
    }

    // ------------------------------------------------------------------------------------------
    // Supply and country
    // ------------------------------------------------------------------------------------------

    function supplyUnits(uint256 p) internal pure returns (uint256) {
        return p & _MASK_128;
    }

    function supplyHolders(uint256 p) internal pure returns (uint32) {
        return uint32(p >> 128);
    }

    function supplyMaxHolders(uint256 p) internal pure returns (uint32) {
        return uint32(p >> 160);
    }

    /// @notice `p` with its units replaced (the caller checked `units <= MAX_UNITS`).
    function supplyWithUnits(uint256 p, uint256 units) internal pure returns (uint256) {
        return (p & ~_MASK_128) | units;
    }

    function supplyWithMaxHolders(uint256 p, uint32 cap) internal pure returns (uint256) {
        return (p & ~(_MASK_32 << 160)) | (uint256(cap) << 160);
    }

    function countryAllowed(uint256 p) internal pure returns (bool) {
        return p & 1 == 1;
    }

    function countryHolders(uint256 p) internal pure returns (uint32) {
        return uint32(p >> 8);
    }

    function countryMaxHolders(uint256 p) internal pure returns (uint32) {
        return uint32(p >> 40);
    }

    function countryWithAllowed(uint256 p, bool allowed) internal pure returns (uint256) {
        return allowed ? p | 1 : p & ~uint256(1);
    }

    function countryWithMaxHolders(uint256 p, uint32 cap) internal pure returns (uint256) {
        return (p & ~(_MASK_32 << 40)) | (uint256(cap) << 40);
    }

    // ------------------------------------------------------------------------------------------
    // Amounts kept with their scale step
    // ------------------------------------------------------------------------------------------

    function steppedAmount(uint256 p) internal pure returns (uint256) {
        return p & _MASK_236;
    }

    function steppedScale(uint256 p) internal pure returns (uint256) {
        return p >> _WALLET_SCALE;
    }

    /// @notice A partially frozen amount at step `scale` (0 stays 0: nothing frozen).
    function encodeStepped(uint256 amount, uint256 scale) internal pure returns (uint256) {
        return amount == 0 ? 0 : amount | (scale << _WALLET_SCALE);
    }

    function snapshotScale(uint256 p) internal pure returns (uint256) {
        return p & _MASK_20;
    }

    function snapshotUnits(uint256 p) internal pure returns (uint256) {
        return p >> 20;
    }

    function encodeSnapshot(uint256 scale, uint256 units) internal pure returns (uint256) {
        return scale | (units << 20);
    }

    /// @notice A wallet's record for its snapshot history: amount and step.
    function encodeHistory(uint256 stored, uint256 scale) internal pure returns (uint208) {
        return uint208(stored | (scale << 104));
    }

    /// @notice The history record of the wallet word `p` (its stored amount and step).
    function walletHistory(uint256 p) internal pure returns (uint256) {
        return (p & _MASK_104) | ((p >> _WALLET_SCALE) << 104);
    }

    function historyAmount(uint256 record) internal pure returns (uint256) {
        return record & _MASK_104;
    }

    function historyScale(uint256 record) internal pure returns (uint256) {
        return record >> 104;
    }
}
