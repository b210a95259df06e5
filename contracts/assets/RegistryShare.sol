// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {AssetIdentity} from "./AssetIdentity.sol";
import {IInvestorRegistry} from "../interfaces/IInvestorRegistry.sol";
import {PartyWord} from "../identity/PartyWord.sol";
import {ICrosschainAsset, IERC7802} from "../interfaces/ICrosschainAsset.sol";
import {IRecordPoints} from "../interfaces/IRecordPoints.sol";
import {IERC1404} from "../interfaces/IERC1404.sol";
import {IRegistryShare} from "../interfaces/IRegistryShare.sol";

/// @title RegistryShare
/// @notice The transfer-restricted registry share: the token *is* the share on the register.
/// Only verified investors of the chain's {InvestorRegistry} hold it; every transfer passes the
/// per-asset rules (ERC-1404 codes); the transfer agent issues, redeems, forces transfers,
/// recovers lost wallets and freezes wallets or part of a balance, each with a legal reason.
/// Splits use a multiplier on stored units; record-date snapshots feed the dividend distributor
/// and the ballot box (separate contracts holding `SNAPSHOT_ROLE`).
/// @dev Note: these invariants must NEVER be violated:
/// - sum of investor units == sum of wallet units == total units;
/// - `holderCount` == number of investors with non-zero units, and each country's count == the
///   number of such investors counted under that country;
/// - a wallet with units is bound (when it received them) to the investor it is counted under.
///
/// Gas design (ARCHITECTURE.md section 9). A transfer between two investors reads: one packed
/// rules slot, one registry call `partyWords(from, to)` (the two raw wallet words), one packed
/// slot per wallet (units, investor number, snapshot marks, frozen flags, and for a sole-wallet
/// investor its lock-up and counted country) and, only for an investor with several wallets, one
/// packed slot per investor (units, lock-up, counted country).
///
/// Sole-wallet investors. While a wallet is its investor's sole wallet (the registry's flag: the
/// only wallet the investor ever had, never bound to anyone before), the investor's units ARE the
/// wallet's units, and its lock-up and counted country live in the wallet's slot: no investor slot
/// is read or written. The registry ends the status for good when a second wallet is bound or the
/// sole wallet is unbound. The first time this contract then touches the investor it
/// *materialises* the investor slot from the first wallet's slot (units, lock-up, country) and
/// uses the investor slot from then on. Views compute the same record without writing it.
/// A wallet slot still carrying an investor's sole-wallet lock-up when the wallet starts holding for
/// another investor (rebound by the registrar) hands that lock-up to its investor's slot first.
/// Holder counters are read and written only when an investor balance crosses
/// zero, the allowed-country slot only when the country rule is on, partially frozen amounts only
/// for wallets flagged as having some. Snapshots are lazy (ERC20Snapshot style): the first balance
/// change of a wallet after a snapshot pushes its pre-change units; nothing else is written.
/// Every storage slot of the hot path is packed by hand into a `uint256` (one SLOAD, one SSTORE).
contract RegistryShare is ERC20, AssetIdentity, IRegistryShare, IERC1404, ICrosschainAsset {
    using Checkpoints for Checkpoints.Trace208;

    /// @notice Issues, redeems, forces transfers, recovers wallets, freezes, sets lock-ups and splits.
    bytes32 public constant TRANSFER_AGENT_ROLE = keccak256("TRANSFER_AGENT_ROLE");
    /// @notice Pauses and unpauses transfers (the guardian; the transfer agent may hold it too).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Takes record-date snapshots (the dividend distributor and the ballot box).
    bytes32 public constant SNAPSHOT_ROLE = keccak256("SNAPSHOT_ROLE");

    uint256 private constant ONE = 1e18;
    uint256 private constant SHARE = 1e18; // holding limits are in whole shares of 18 decimals

    // Packed layouts (bit offsets). Every field is written through the pack helpers below.
    // Wallet:   units 0..103 | investor 104..135 | seen 136..167 | born 168..199 | lockupUntil 200..239
    //           | country 240..249 | frozen 250 | hasFrozen 251   (lock-up and country: sole-wallet investor)
    // Investor: units 0..127 | lockupUntil 128..167 | country 168..183 | materialised 184
    // Rules:    multiplier 0..95 | snapshotId 96..127 | minHolding 128..175 | maxHolding 176..223
    //           | paused 224 | countryRestricted 225
    // Supply:   units 0..127 | holders 128..159 | maxHolders 160..191
    // Country:  allowed 0 | holders 8..39 | maxHolders 40..71
    uint256 private constant MASK_128 = type(uint128).max;
    uint256 private constant MASK_104 = type(uint104).max;
    uint256 private constant MASK_96 = type(uint96).max;
    uint256 private constant MASK_32 = type(uint32).max;

    struct Wallet {
        address account; // memory only: the wallet this record was loaded for
        uint256 units;
        uint32 investor; // registry investor number the units are counted under (0 = never held)
        uint32 seen; // snapshot id current at the wallet's last balance change
        uint32 born; // 1 + snapshot id current when the wallet first received units (0 = never)
        uint40 lockupUntil; // the sole-wallet investor's lock-up (see "Sole-wallet investors")
        uint16 country; // the sole-wallet investor's counted country
        bool frozen;
        bool hasFrozen; // some units are partially frozen (see `_frozenUnits`)
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
        uint256 units;
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
    }

    /// @dev Which checks apply: a holder's transfer, an issue, a cross-chain delivery or departure.
    enum Mode {
        Transfer,
        Issue,
        CrosschainMint,
        CrosschainBurn
    }

    IInvestorRegistry private immutable _registry;

    mapping(address wallet => uint256 packed) private _wallets;
    mapping(uint32 investor => uint256 packed) private _investors;
    mapping(uint16 country => uint256 packed) private _countries;
    mapping(address wallet => uint256 units) private _frozenUnits;
    mapping(address wallet => Checkpoints.Trace208) private _history;
    mapping(address lostWallet => address newWallet) private _recoveredTo;
    uint256 private _rules;
    uint256 private _supply;
    address private _gateway;
    uint64 private _epoch;
    // Record points (see "Record points across chains"): corporate-action epoch -> snapshot id.
    Checkpoints.Trace208 private _recordPoints;
    mapping(uint64 epoch => mapping(address wallet => uint256 units)) private _inFlightUnits;

    /// @param admin Receives `DEFAULT_ADMIN_ROLE` (rules, gateway, role grants).
    /// @param registry The investor registry of this chain.
    /// @param name_ ERC-20 name.
    /// @param symbol_ ERC-20 symbol.
    /// @param identity Asset identity (architecture must be `RegistryShare`).
    constructor(
        address admin,
        IInvestorRegistry registry,
        string memory name_,
        string memory symbol_,
        IdentityParams memory identity
    ) ERC20(name_, symbol_) AssetIdentity(identity) {
        if (admin == address(0) || address(registry) == address(0)) revert ShareZeroAddress();
        if (identity.architecture != Architecture.RegistryShare) revert IdentityInvalid("architecture");
        _registry = registry;
        _rules = ONE; // multiplier 1e18, everything else off
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ==========================================================================================
    // ERC-20 views
    // ==========================================================================================

    /// @notice Balance in shares: stored units times the current multiplier.
    function balanceOf(address account) public view override returns (uint256) {
        return _toAmount(_wallets[account] & MASK_104, _rules & MASK_96);
    }

    /// @notice Total supply on this chain in shares.
    function totalSupply() public view override returns (uint256) {
        return _toAmount(_supply & MASK_128, _rules & MASK_96);
    }

    // ==========================================================================================
    // ERC-1404
    // ==========================================================================================

    /// @inheritdoc IERC1404
    function detectTransferRestriction(address from, address to, uint256 value) external view returns (uint8) {
        Rules memory r = _loadRules();
        if (r.paused) return uint8(Restriction.Paused);
        (Party memory fromParty, Party memory toParty) = _parties(from, to);
        Wallet memory fromWallet = _loadWallet(from);
        Wallet memory toWallet = _loadWallet(to);
        uint256 units = _toUnits(value, fromWallet.units, r.multiplier);
        if (fromParty.index == toParty.index && fromParty.index != 0) {
            return _sameInvestorRestriction(fromParty, toParty, fromWallet, toWallet, units);
        }
        Investor memory fromInvestor = _investorFor(fromParty, fromWallet);
        Investor memory toInvestor = _investorFor(toParty, toWallet);
        return _transferRestriction(r, fromParty, toParty, fromWallet, toWallet, fromInvestor, toInvestor, units);
    }

    /// @inheritdoc IERC1404
    function messageForTransferRestriction(uint8 code) external pure returns (string memory) {
        if (code == uint8(Restriction.None)) return "No restriction";
        if (code == uint8(Restriction.Paused)) return "The asset is paused";
        if (code == uint8(Restriction.SenderNotVerified)) return "Sender is not a verified investor";
        if (code == uint8(Restriction.RecipientNotVerified)) return "Recipient is not a verified investor";
        if (code == uint8(Restriction.SenderInvestorFrozen)) return "Sender's investor is frozen";
        if (code == uint8(Restriction.RecipientInvestorFrozen)) return "Recipient's investor is frozen";
        if (code == uint8(Restriction.SenderWalletFrozen)) return "Sender wallet is frozen";
        if (code == uint8(Restriction.RecipientWalletFrozen)) return "Recipient wallet is frozen";
        if (code == uint8(Restriction.InsufficientUnfrozenBalance)) return "Amount exceeds the unfrozen balance";
        if (code == uint8(Restriction.LockedUp)) return "Sender's investor is in a lock-up period";
        if (code == uint8(Restriction.CountryNotAllowed)) return "Recipient's country is not allowed";
        if (code == uint8(Restriction.MaxHolders)) return "Maximum number of holders reached";
        if (code == uint8(Restriction.MaxCountryHolders)) return "Maximum number of holders for the country reached";
        if (code == uint8(Restriction.BelowMinHolding)) return "Holding would fall below the minimum";
        if (code == uint8(Restriction.AboveMaxHolding)) return "Holding would exceed the maximum";
        if (code == uint8(Restriction.WalletInvestorMismatch)) return "Wallet is bound to another investor";
        return "Unknown restriction code";
    }

    // ==========================================================================================
    // IRegistryShare views
    // ==========================================================================================

    /// @inheritdoc IRegistryShare
    function identityRegistry() external view returns (IInvestorRegistry) {
        return _registry;
    }

    /// @inheritdoc IRegistryShare
    function isVerified(address wallet) external view returns (bool) {
        return _registry.isVerified(wallet);
    }

    /// @inheritdoc IRegistryShare
    function isFrozen(address wallet) external view returns (bool) {
        return _loadWallet(wallet).frozen;
    }

    /// @inheritdoc IRegistryShare
    function getFrozenTokens(address wallet) external view returns (uint256) {
        return _toAmount(_frozenUnits[wallet], _rules & MASK_96);
    }

    /// @inheritdoc IRegistryShare
    function unitsOf(address wallet) external view returns (uint256) {
        return _wallets[wallet] & MASK_104;
    }

    /// @inheritdoc IRegistryShare
    function totalUnits() external view returns (uint256) {
        return _supply & MASK_128;
    }

    /// @inheritdoc IRegistryShare
    function investorBalance(bytes32 investorId) external view returns (uint256) {
        return _toAmount(_investorByIndex(_registry.indexOf(investorId)).units, _rules & MASK_96);
    }

    /// @inheritdoc IRegistryShare
    function investorUnits(bytes32 investorId) external view returns (uint256) {
        return _investorByIndex(_registry.indexOf(investorId)).units;
    }

    /// @notice The lock-up end of an investor (0 = none).
    /// @param investorId Registry investor id.
    function lockupOf(bytes32 investorId) external view returns (uint40) {
        return _investorByIndex(_registry.indexOf(investorId)).lockupUntil;
    }

    /// @inheritdoc IRegistryShare
    function holderCount() external view returns (uint256) {
        return (_supply >> 128) & MASK_32;
    }

    /// @notice The maximum number of holders (0 = unlimited).
    function maxHolders() external view returns (uint32) {
        return uint32(_supply >> 160);
    }

    /// @inheritdoc IRegistryShare
    function countryHolderCount(uint16 country) external view returns (uint256) {
        return (_countries[country] >> 8) & MASK_32;
    }

    /// @notice The country rule: allowed flag (only used while the rule is on) and holder cap.
    /// @param country ISO 3166-1 numeric code.
    function countryRule(uint16 country) external view returns (bool allowed, uint32 maxHolders_) {
        uint256 packed = _countries[country];
        return (packed & 1 == 1, uint32(packed >> 40));
    }

    /// @notice Per-asset rules: paused, country rule on, holding limits (whole shares).
    function rules()
        external
        view
        returns (bool isPaused, bool countryRestricted, uint48 minHolding, uint48 maxHolding)
    {
        Rules memory r = _loadRules();
        return (r.paused, r.countryRestricted, r.minHolding, r.maxHolding);
    }

    /// @notice Whether transfers are paused.
    function paused() external view returns (bool) {
        return _loadRules().paused;
    }

    /// @inheritdoc IRegistryShare
    function currentSnapshotId() public view returns (uint32) {
        return uint32(_rules >> 96);
    }

    /// @inheritdoc IRegistryShare
    function unitsAt(address wallet, uint32 snapshotId) external view returns (uint256) {
        uint32 current = currentSnapshotId();
        if (snapshotId == 0 || snapshotId > current) revert ShareUnknownSnapshot(snapshotId, current);
        Wallet memory w = _loadWallet(wallet);
        // The wallet first received after the snapshot (or never): it held nothing then.
        if (w.born == 0 || w.born > snapshotId) return 0;
        Checkpoints.Trace208 storage history = _history[wallet];
        // The value is read separately below; only the key and existence are needed here.
        // slither-disable-next-line unused-return
        (bool exists, uint48 key,) = history.latestCheckpoint();
        // No balance change since the snapshot: the current units are the units at the snapshot.
        if (!exists || key < snapshotId) return w.units;
        return history.lowerLookup(snapshotId);
    }

    /// @inheritdoc IRegistryShare
    function recoveredTo(address lostWallet) external view returns (address) {
        return _recoveredTo[lostWallet];
    }

    // ==========================================================================================
    // ICrosschainAsset views
    // ==========================================================================================

    /// @inheritdoc ICrosschainAsset
    function gateway() external view returns (address) {
        return _gateway;
    }

    /// @inheritdoc ICrosschainAsset
    function multiplier() external view returns (uint256) {
        return _rules & MASK_96;
    }

    /// @inheritdoc ICrosschainAsset
    function corporateActionEpoch() external view returns (uint64) {
        return _epoch;
    }

    /// @inheritdoc ICrosschainAsset
    /// @dev Full recipient compliance, as if `to` received `units` by a transfer from outside.
    function crosschainRestriction(address to, uint256 units) public view returns (uint8) {
        Rules memory r = _loadRules();
        if (r.paused) return uint8(Restriction.Paused);
        Party memory toParty = _party(to);
        Wallet memory toWallet = _loadWallet(to);
        return _recipientRestriction(r, toParty, toWallet, _investorFor(toParty, toWallet), units, false, 0);
    }

    // ==========================================================================================
    // ERC-20 transfers: the hot path
    // ==========================================================================================

    /// @dev Reached by `transfer` and `transferFrom` only (this contract never calls OZ's
    /// `_mint`/`_burn`): a holder's transfer under every rule. Issue, redeem, forced transfer,
    /// recovery and the cross-chain hooks use `_move` with their own checks.
    function _update(address from, address to, uint256 value) internal override {
        Rules memory r = _loadRules();
        if (r.paused) revert ShareTransferRestricted(uint8(Restriction.Paused));
        (Party memory fromParty, Party memory toParty) = _parties(from, to);
        Wallet memory fromWallet = _loadWallet(from);
        Wallet memory toWallet = _loadWallet(to);
        uint256 units = _toUnits(value, fromWallet.units, r.multiplier);
        uint8 code;
        if (fromParty.index == toParty.index && fromParty.index != 0) {
            // Between two wallets of one investor: the investor total and the counts do not move.
            code = _sameInvestorRestriction(fromParty, toParty, fromWallet, toWallet, units);
            if (code != 0) revert ShareTransferRestricted(code);
            _materialise(toParty);
            _writeWallets(from, to, fromWallet, toWallet, toParty.index, units, r.snapshotId);
        } else {
            Investor memory fromInvestor = _investorFor(fromParty, fromWallet);
            Investor memory toInvestor = _investorFor(toParty, toWallet);
            code = _transferRestriction(r, fromParty, toParty, fromWallet, toWallet, fromInvestor, toInvestor, units);
            if (code != 0) revert ShareTransferRestricted(code);
            // Investors first: a sole-wallet investor's record is written with its wallet's slot.
            _moveInvestorUnits(fromInvestor, fromWallet, toInvestor, toWallet, toParty.country, units);
            _writeWallets(from, to, fromWallet, toWallet, toParty.index, units, r.snapshotId);
        }
        emit Transfer(from, to, value);
    }

    // ==========================================================================================
    // Transfer agent
    // ==========================================================================================

    /// @notice Issues `amount` new shares to `to` (primary issuance).
    /// @param to A verified investor's wallet.
    /// @param amount Shares to issue.
    /// @param reason Legal reference (board resolution, subscription...).
    /// @dev Emits {Transfer} from zero and {Issued}.
    /// Requirements: caller has `TRANSFER_AGENT_ROLE`; `to` passes every recipient rule (the
    /// asset may be paused: issuance is the agent's act).
    function issue(address to, uint256 amount, string calldata reason) external onlyRole(TRANSFER_AGENT_ROLE) {
        _mintUnits(to, _toUnits(amount, type(uint256).max, _rules & MASK_96), Mode.Issue);
        emit Transfer(address(0), to, amount);
        emit Issued(to, amount, reason);
    }

    /// @notice Redeems (burns) `amount` shares of `from`, frozen ones included (frozen tokens
    /// are released first as far as needed).
    /// @param from The holder's wallet.
    /// @param amount Shares to redeem.
    /// @param reason Legal reference.
    /// @dev Emits {Transfer} to zero, {TokensUnfrozen} when frozen tokens were used, {Redeemed}.
    /// Requirements: caller has `TRANSFER_AGENT_ROLE`; `from` holds `amount`.
    function redeem(address from, uint256 amount, string calldata reason) external onlyRole(TRANSFER_AGENT_ROLE) {
        Wallet memory w = _loadWallet(from);
        uint256 units = _toUnits(amount, w.units, _rules & MASK_96);
        if (units > w.units) revert ShareInsufficientBalance(from, balanceOf(from), amount);
        _releaseFrozenFor(from, w, units);
        _burnUnits(from, w, _investorOfWallet(_party(from), w), units);
        emit Transfer(from, address(0), amount);
        emit Redeemed(from, amount, reason);
    }

    /// @notice Moves `amount` shares from `from` to `to` without the holder's consent (court
    /// order, estate...). Lock-ups, holding limits, holder caps, wallet freezes and pause do not
    /// apply; frozen tokens are released as far as needed. The recipient must still be verified.
    /// @param from Holder's wallet.
    /// @param to Recipient wallet, verified and not bound to another investor's tokens.
    /// @param amount Shares to move.
    /// @param reason Legal reference (court order...).
    /// @dev Emits {Transfer}, {TokensUnfrozen} when frozen tokens were used, {ForcedTransfer}.
    /// Requirements: caller has `TRANSFER_AGENT_ROLE`; `from` holds `amount`; `to` is verified.
    function forcedTransfer(address from, address to, uint256 amount, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (bool)
    {
        if (from == address(0) || to == address(0)) revert ShareZeroAddress();
        Rules memory r = _loadRules();
        (Party memory fromParty, Party memory toParty) = _parties(from, to);
        Wallet memory fromWallet = _loadWallet(from);
        Wallet memory toWallet = _loadWallet(to);
        uint256 units = _toUnits(amount, fromWallet.units, r.multiplier);
        if (units > fromWallet.units) revert ShareInsufficientBalance(from, balanceOf(from), amount);
        uint8 code = _verifiedRecipient(toParty, toWallet);
        if (code != 0) revert ShareTransferRestricted(code);
        _releaseFrozenFor(from, fromWallet, units);
        // The units stay counted under the investor they were counted under, whatever the registry says now.
        if (fromWallet.investor != toParty.index) {
            _moveInvestorUnits(
                _investorOfWallet(fromParty, fromWallet),
                fromWallet,
                _investorFor(toParty, toWallet),
                toWallet,
                toParty.country,
                units
            );
        } else {
            _materialise(toParty);
        }
        _writeWallets(from, to, fromWallet, toWallet, toParty.index, units, r.snapshotId);
        emit Transfer(from, to, amount);
        emit ForcedTransfer(from, to, amount, reason);
        return true;
    }

    /// @notice Wallet recovery (lost keys): moves the whole balance, the frozen tokens and the
    /// wallet freeze of `lostWallet` to `newWallet`, a verified wallet of the same investor, and
    /// routes the lost wallet's unclaimed dividends and votes to it. Lock-ups are per investor
    /// and so stay in force. The lost wallet never receives this asset again (recipient code
    /// `RecipientWalletFrozen`), even if the registrar later binds it to an investor.
    /// @param lostWallet The wallet whose keys are lost (it may already be unbound in the registry).
    /// @param newWallet A wallet the registry binds to `investorId`.
    /// @param investorId The investor both wallets belong to.
    /// @param reason Legal reference (identity check file...).
    /// @dev Emits {Transfer}, {RecoverySuccess}.
    /// Requirements: caller has `TRANSFER_AGENT_ROLE`; `lostWallet`'s tokens are counted under
    /// `investorId`; `newWallet` is verified for `investorId`, holds no other investor's tokens and
    /// was never itself recovered (a lost wallet never comes back, so recovery links cannot loop).
    function recoveryAddress(address lostWallet, address newWallet, bytes32 investorId, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (bool)
    {
        if (lostWallet == address(0) || newWallet == address(0)) revert ShareZeroAddress();
        uint32 index = _registry.indexOf(investorId);
        Party memory newParty = _party(newWallet);
        Wallet memory lost = _loadWallet(lostWallet);
        Wallet memory fresh = _loadWallet(newWallet);
        if (
            index == 0 || lostWallet == newWallet || lost.investor != index || newParty.index != index
                || _verifiedRecipient(newParty, fresh) != 0 || _recoveredTo[newWallet] != address(0)
        ) revert ShareInvalidRecovery(lostWallet, newWallet, investorId);
        // Two wallets of one investor: never a sole-wallet investor, so its slot holds the total.
        _materialise(newParty);
        _recover(lost, fresh, index);
        emit RecoverySuccess(lostWallet, newWallet, investorId, reason);
        return true;
    }

    /// @notice Freezes (`freeze = true`) or unfreezes a whole wallet: it can neither send nor receive.
    /// @param wallet The wallet.
    /// @param freeze The new state.
    /// @param reason Legal reference.
    /// @dev Emits {AddressFrozen}. Requirements: caller has `TRANSFER_AGENT_ROLE`; the state changes.
    function setAddressFrozen(address wallet, bool freeze, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        Wallet memory w = _loadWallet(wallet);
        if (w.frozen == freeze) revert ShareWalletFrozenStateUnchanged(wallet, freeze);
        w.frozen = freeze;
        _storeWallet(wallet, w);
        emit AddressFrozen(wallet, freeze, _msgSender(), reason);
    }

    /// @notice Freezes `amount` of `wallet`'s shares: they stay on the register but cannot move.
    /// @param wallet The wallet.
    /// @param amount Shares to freeze (on top of those already frozen).
    /// @param reason Legal reference.
    /// @dev Emits {TokensFrozen}. Requirements: caller has `TRANSFER_AGENT_ROLE`; frozen tokens
    /// stay within the balance.
    function freezePartialTokens(address wallet, uint256 amount, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        Wallet memory w = _loadWallet(wallet);
        uint256 frozen = _frozenUnits[wallet] + _toUnits(amount, type(uint256).max, _rules & MASK_96);
        if (frozen > w.units) revert ShareInsufficientBalance(wallet, balanceOf(wallet), amount);
        _frozenUnits[wallet] = frozen;
        if (!w.hasFrozen) {
            w.hasFrozen = true;
            _storeWallet(wallet, w);
        }
        emit TokensFrozen(wallet, amount, reason);
    }

    /// @notice Releases `amount` of `wallet`'s frozen shares.
    /// @param wallet The wallet.
    /// @param amount Shares to release.
    /// @param reason Legal reference.
    /// @dev Emits {TokensUnfrozen}. Requirements: caller has `TRANSFER_AGENT_ROLE`; at least
    /// `amount` is frozen.
    function unfreezePartialTokens(address wallet, uint256 amount, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        uint256 frozen = _frozenUnits[wallet];
        uint256 units = _toUnits(amount, frozen, _rules & MASK_96);
        if (units > frozen) revert ShareInsufficientFrozenTokens(wallet, _toAmount(frozen, _rules & MASK_96), amount);
        _setFrozenUnits(wallet, frozen - units);
        emit TokensUnfrozen(wallet, amount, reason);
    }

    /// @notice Sets the lock-up end of an investor: until then it cannot transfer to another investor.
    /// @param investorId Registry investor id.
    /// @param until Unix time (0 = no lock-up).
    /// @param reason Legal reference (e.g. Rule 144 holding period).
    /// @dev Emits {LockupSet}. Requirements: caller has `TRANSFER_AGENT_ROLE`; investor registered
    /// and bound to at least one wallet at some point (the lock-up is kept beside its units: in its
    /// sole wallet's slot or in its investor slot), else {ShareInvestorWithoutWallet}.
    function setLockup(bytes32 investorId, uint40 until, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        uint32 index = _registry.indexOf(investorId);
        if (index == 0) revert ShareUnknownInvestor(investorId);
        (address first, bool sole) = _registry.walletModeOf(index);
        // Lock-ups are kept beside the investor's units: an investor without a wallet has neither.
        if (first == address(0)) revert ShareInvestorWithoutWallet(investorId);
        Wallet memory w = _loadWallet(first);
        Investor memory inv = sole ? _soleInvestor(index, w) : _investorSlot(index, first);
        inv.lockupUntil = until;
        _commitInvestor(inv, w);
        if (sole) {
            if (w.investor == 0) w.investor = index; // tags the slot as this investor's (no units yet)
            _storeWallet(first, w);
        }
        emit LockupSet(investorId, until, reason);
    }

    /// @notice Applies a split (`numerator` > `denominator`) or a reverse split on the home chain:
    /// every balance is multiplied by `numerator / denominator` at once.
    /// @param numerator New shares per `denominator` old shares.
    /// @param denominator Old shares.
    /// @param reason Legal reference (board resolution).
    /// @dev Emits {CorporateActionApplied} with the new epoch. Requirements: caller has
    /// `TRANSFER_AGENT_ROLE`; on the home chain; the new multiplier is in (0, 2**96).
    function split(uint256 numerator, uint256 denominator, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        if (!_isHomeChain()) revert ShareWrongChain(block.chainid, homeChainId());
        if (numerator == 0 || denominator == 0) revert ShareInvalidSplit(numerator, denominator);
        uint256 newMultiplier = (_rules & MASK_96) * numerator / denominator;
        if (newMultiplier == 0 || newMultiplier > MASK_96) revert ShareInvalidSplit(numerator, denominator);
        _setMultiplier(newMultiplier);
        uint64 epoch = ++_epoch;
        emit CorporateActionApplied(epoch, numerator, denominator, newMultiplier, reason);
    }

    // ==========================================================================================
    // Pause, rules and snapshots
    // ==========================================================================================

    /// @notice Pauses every holder transfer and cross-chain movement.
    /// @param reason Why (incident reference).
    /// @dev Emits {Paused}. Requirements: caller has `PAUSER_ROLE`.
    function pause(string calldata reason) external onlyRole(PAUSER_ROLE) {
        _rules |= 1 << 224;
        emit Paused(_msgSender(), reason);
    }

    /// @notice Lifts the pause.
    /// @param reason Why.
    /// @dev Emits {Unpaused}. Requirements: caller has `PAUSER_ROLE`.
    function unpause(string calldata reason) external onlyRole(PAUSER_ROLE) {
        _rules &= ~(uint256(1) << 224);
        emit Unpaused(_msgSender(), reason);
    }

    /// @notice Switches the allowed-country rule on or off (off: every country is allowed).
    /// @param enabled New state.
    /// @dev Emits {CountryRestrictionSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setCountryRestriction(bool enabled) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _rules = enabled ? _rules | (1 << 225) : _rules & ~(uint256(1) << 225);
        emit CountryRestrictionSet(enabled);
    }

    /// @notice Allows or disallows recipients of `country` (used while the country rule is on).
    /// @param country ISO 3166-1 numeric code.
    /// @param allowed New state.
    /// @dev Emits {CountryAllowedSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setCountryAllowed(uint16 country, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _countries[country] = allowed ? _countries[country] | 1 : _countries[country] & ~uint256(1);
        emit CountryAllowedSet(country, allowed);
    }

    /// @notice Caps the number of holders (investors with a non-zero balance); 0 = unlimited.
    /// A lower cap than the current count only blocks new holders.
    /// @param cap New cap.
    /// @dev Emits {MaxHoldersSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setMaxHolders(uint32 cap) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _supply = (_supply & ~(MASK_32 << 160)) | (uint256(cap) << 160);
        emit MaxHoldersSet(cap);
    }

    /// @notice Caps the number of holders of one country (e.g. US holders); 0 = unlimited.
    /// @param country ISO 3166-1 numeric code.
    /// @param cap New cap.
    /// @dev Emits {CountryMaxHoldersSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setCountryMaxHolders(uint16 country, uint32 cap) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _countries[country] = (_countries[country] & ~(MASK_32 << 40)) | (uint256(cap) << 40);
        emit CountryMaxHoldersSet(country, cap);
    }

    /// @notice Sets the minimum and maximum holding per investor, in whole shares (0 = none).
    /// @param minHolding An investor holds either nothing or at least this.
    /// @param maxHolding An investor never receives beyond this.
    /// @dev Emits {HoldingLimitsSet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`; min <= max
    /// when max is set.
    function setHoldingLimits(uint48 minHolding, uint48 maxHolding) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (maxHolding != 0 && minHolding > maxHolding) revert ShareInvalidHoldingLimits(minHolding, maxHolding);
        _rules = (_rules & ~(MASK_96 << 128)) | (uint256(minHolding) << 128) | (uint256(maxHolding) << 176);
        emit HoldingLimitsSet(minHolding, maxHolding);
    }

    /// @inheritdoc IRegistryShare
    /// @dev Emits {SnapshotTaken}. Requirements: caller has `SNAPSHOT_ROLE`.
    function snapshot() external onlyRole(SNAPSHOT_ROLE) returns (uint32 snapshotId) {
        snapshotId = _snapshot();
    }

    function _snapshot() private returns (uint32 snapshotId) {
        snapshotId = currentSnapshotId() + 1;
        _rules = (_rules & ~(MASK_32 << 96)) | (uint256(snapshotId) << 96);
        emit SnapshotTaken(snapshotId, _supply & MASK_128, _rules & MASK_96);
    }

    // ==========================================================================================
    // Record points across chains (dividends and ballots belong to the security, not a chain)
    // ==========================================================================================
    // A record date is a corporate-action epoch opened on the home chain ({recordDate}) and
    // broadcast by the gateway like a split. Each chain's record point for epoch E is its state
    // when it reached E: the home chain's snapshot taken with E, elsewhere the snapshot taken when
    // the gateway synced the first epoch >= E. A transfer message carries its source's epoch at
    // sending; the destination's gateway delivers it only once it has reached that epoch (the
    // units were counted at the source for every record point up to it) and then credits the
    // units at the record points they were in flight across ({creditInFlight}): counted exactly
    // once, wherever they are.

    /// @inheritdoc IRegistryShare
    /// @dev Emits {SnapshotTaken} and {CorporateActionApplied} (1:1, multiplier unchanged).
    /// Requirements: caller has `SNAPSHOT_ROLE`; on the home chain.
    function recordDate(string calldata reason)
        external
        onlyRole(SNAPSHOT_ROLE)
        returns (uint64 epoch, uint32 snapshotId)
    {
        if (!_isHomeChain()) revert ShareWrongChain(block.chainid, homeChainId());
        snapshotId = _snapshot();
        epoch = ++_epoch;
        _pushRecordPoint(epoch, snapshotId);
        emit CorporateActionApplied(epoch, 1, 1, _rules & MASK_96, reason);
    }

    /// @inheritdoc IRecordPoints
    /// @dev Emits {InFlightCredited} when `sentEpoch` is older than this chain's epoch.
    /// Requirements: the caller is the gateway; `sentEpoch` is not newer than this chain's epoch
    /// (the gateway delivers a message only once its destination reached the message's epoch).
    function creditInFlight(address to, uint256 units, uint64 sentEpoch) external {
        _onlyGateway();
        uint64 current = _epoch;
        if (sentEpoch > current) revert ShareRecordPointNotReached(sentEpoch, current);
        if (sentEpoch == current || units == 0) return;
        // Bounded by the corporate actions that happened while the message was in flight.
        for (uint64 e = sentEpoch + 1; e <= current; ++e) {
            _inFlightUnits[e][to] += units;
        }
        emit InFlightCredited(to, units, sentEpoch, current);
    }

    /// @inheritdoc IRegistryShare
    function recordSnapshotOf(uint64 epoch) external view returns (uint32) {
        return uint32(_recordPoints.lowerLookup(uint48(epoch)));
    }

    /// @inheritdoc IRegistryShare
    function inFlightUnitsAt(uint64 epoch, address wallet) external view returns (uint256) {
        return _inFlightUnits[epoch][wallet];
    }

    /// @dev Epoch `epoch` is reached on this chain with snapshot `snapshotId`.
    function _pushRecordPoint(uint64 epoch, uint32 snapshotId) private {
        // The previous and new values are not needed: epochs only grow, so this appends.
        // slither-disable-next-line unused-return
        _recordPoints.push(uint48(epoch), snapshotId);
    }

    // ==========================================================================================
    // Cross-chain (ERC-7802 + gateway hooks)
    // ==========================================================================================

    /// @notice Registers the gateway of this chain.
    /// @param newGateway The gateway (zero disables the cross-chain functions).
    /// @dev Emits {GatewaySet}. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setGateway(address newGateway) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _gateway = newGateway;
        emit GatewaySet(newGateway);
    }

    /// @inheritdoc ICrosschainAsset
    /// @dev Emits {Transfer} and {CrosschainMint}. Requirements: the caller is the gateway; `to`
    /// passes every recipient rule and the asset is not paused.
    function crosschainMintUnits(address to, uint256 units) external returns (uint256 amount) {
        _onlyGateway();
        _mintUnits(to, units, Mode.CrosschainMint);
        amount = _toAmount(units, _rules & MASK_96);
        emit Transfer(address(0), to, amount);
        emit CrosschainMint(to, amount, _msgSender());
    }

    /// @inheritdoc IERC7802
    /// @dev `amount` is tokens. Emits {Transfer} and {CrosschainMint}. Requirements: as {crosschainMintUnits}.
    function crosschainMint(address to, uint256 amount) external {
        _onlyGateway();
        uint256 units = (amount * ONE) / (_rules & MASK_96);
        _mintUnits(to, units, Mode.CrosschainMint);
        emit Transfer(address(0), to, amount);
        emit CrosschainMint(to, amount, _msgSender());
    }

    /// @inheritdoc ICrosschainAsset
    function crosschainRefundRestriction(address to, uint256 units) external view returns (uint8) {
        return crosschainRestriction(to, units);
    }

    /// @inheritdoc ICrosschainAsset
    /// @dev Emits {Transfer} and {CrosschainBurn}. Requirements: the caller is the gateway; `from`
    /// passes every sender rule (pause, verification, freezes, unfrozen balance, lock-up, minimum
    /// holding).
    function crosschainBurnUnits(address from, uint256 units) external returns (uint256 amount) {
        _onlyGateway();
        amount = _burnUnitsChecked(from, units);
    }

    /// @inheritdoc IERC7802
    /// @dev `amount` is tokens. Emits {Transfer} and {CrosschainBurn}. Requirements: as {crosschainBurnUnits}.
    function crosschainBurn(address from, uint256 amount) external {
        _onlyGateway();
        uint256 m = _rules & MASK_96;
        _burnUnitsChecked(from, (amount * ONE + m - 1) / m);
    }

    function _burnUnitsChecked(address from, uint256 units) private returns (uint256 amount) {
        Rules memory r = _loadRules();
        Party memory fromParty = _party(from);
        Wallet memory w = _loadWallet(from);
        Investor memory inv = _investorFor(fromParty, w);
        uint8 code = r.paused ? uint8(Restriction.Paused) : _senderRestriction(r, fromParty, w, inv, units);
        if (code != 0) revert ShareTransferRestricted(code);
        _burnUnits(from, w, inv, units);
        amount = _toAmount(units, r.multiplier);
        emit Transfer(from, address(0), amount);
        emit CrosschainBurn(from, amount, _msgSender());
    }

    /// @inheritdoc ICrosschainAsset
    function syncCorporateAction(uint64 epoch, uint256 newMultiplier) external {
        _onlyGateway();
        if (_isHomeChain()) revert ShareWrongChain(block.chainid, homeChainId());
        if (epoch <= _epoch) revert AssetStaleCorporateAction(epoch, _epoch);
        if (newMultiplier == 0 || newMultiplier > MASK_96) revert ShareInvalidMultiplier(newMultiplier);
        _setMultiplier(newMultiplier);
        _epoch = epoch;
        _pushRecordPoint(epoch, _snapshot()); // the record point of every epoch up to `epoch`
        emit CorporateActionSynced(epoch, newMultiplier);
    }

    /// @inheritdoc AccessControl
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IERC1404).interfaceId || interfaceId == type(IRegistryShare).interfaceId
            || interfaceId == type(ICrosschainAsset).interfaceId || interfaceId == type(IERC7802).interfaceId
            || interfaceId == type(IRecordPoints).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @notice Shares have 18 decimals; holding limits are in whole shares.
    function decimals() public pure override returns (uint8) {
        return 18;
    }

    // ==========================================================================================
    // Rules (pure functions of loaded state; the hot path and the views share them)
    // ==========================================================================================

    function _transferRestriction(
        Rules memory r,
        Party memory fromParty,
        Party memory toParty,
        Wallet memory fromWallet,
        Wallet memory toWallet,
        Investor memory fromInvestor,
        Investor memory toInvestor,
        uint256 units
    ) private view returns (uint8 code) {
        code = _senderRestriction(r, fromParty, fromWallet, fromInvestor, units);
        if (code != 0) return code;
        // The sender's investor leaves the register when it sends all its units.
        uint16 leavingCountry = units != 0 && fromInvestor.units == units ? fromInvestor.country : 0;
        return _recipientRestriction(
            r, toParty, toWallet, toInvestor, units, units != 0 && fromInvestor.units == units, leavingCountry
        );
    }

    function _sameInvestorRestriction(
        Party memory fromParty,
        Party memory toParty,
        Wallet memory fromWallet,
        Wallet memory toWallet,
        uint256 units
    ) private view returns (uint8 code) {
        code = _partyRestriction(fromParty, fromWallet, true);
        if (code != 0) return code;
        code = _balanceRestriction(fromWallet, units);
        if (code != 0) return code;
        return _partyRestriction(toParty, toWallet, false);
    }

    /// @dev Verification, investor freeze, wallet freeze and wallet binding of one party.
    function _partyRestriction(Party memory party, Wallet memory wallet, bool sender)
        private
        view
        returns (uint8)
    {
        if (party.index == 0 || party.kycExpiry < block.timestamp) {
            return uint8(sender ? Restriction.SenderNotVerified : Restriction.RecipientNotVerified);
        }
        if (party.frozen) {
            return uint8(sender ? Restriction.SenderInvestorFrozen : Restriction.RecipientInvestorFrozen);
        }
        if (wallet.frozen) return uint8(sender ? Restriction.SenderWalletFrozen : Restriction.RecipientWalletFrozen);
        if (wallet.units != 0 && wallet.investor != party.index) return uint8(Restriction.WalletInvestorMismatch);
        if (!sender && _recoveredAway(wallet)) return uint8(Restriction.RecipientWalletFrozen);
        return 0;
    }

    function _balanceRestriction(Wallet memory wallet, uint256 units) private view returns (uint8) {
        uint256 available = wallet.units;
        if (wallet.hasFrozen) {
            uint256 frozen = _frozenUnits[wallet.account];
            available = available > frozen ? available - frozen : 0;
        }
        return units > available ? uint8(Restriction.InsufficientUnfrozenBalance) : 0;
    }

    function _senderRestriction(
        Rules memory r,
        Party memory party,
        Wallet memory wallet,
        Investor memory inv,
        uint256 units
    ) private view returns (uint8 code) {
        code = _partyRestriction(party, wallet, true);
        if (code != 0) return code;
        code = _balanceRestriction(wallet, units);
        if (code != 0) return code;
        if (inv.lockupUntil > block.timestamp) return uint8(Restriction.LockedUp);
        if (r.minHolding != 0) {
            // Cannot underflow: the wallet's units (>= `units`) are counted under this investor.
            uint256 remaining = inv.units - units;
            if (remaining != 0 && _toAmount(remaining, r.multiplier) < uint256(r.minHolding) * SHARE) {
                return uint8(Restriction.BelowMinHolding);
            }
        }
        return 0;
    }

    /// @param senderLeaves The sending investor's balance drops to zero (a holder slot frees up).
    /// @param leavingCountry The country the leaving sender is counted under (0 when none leaves).
    function _recipientRestriction(
        Rules memory r,
        Party memory party,
        Wallet memory wallet,
        Investor memory inv,
        uint256 units,
        bool senderLeaves,
        uint16 leavingCountry
    ) private view returns (uint8 code) {
        code = _partyRestriction(party, wallet, false);
        if (code != 0) return code;
        if (r.countryRestricted && _countries[party.country] & 1 == 0) return uint8(Restriction.CountryNotAllowed);
        uint256 newUnits = inv.units + units;
        if (r.minHolding != 0 || r.maxHolding != 0) {
            uint256 newAmount = _toAmount(newUnits, r.multiplier);
            if (r.minHolding != 0 && newAmount < uint256(r.minHolding) * SHARE) {
                return uint8(Restriction.BelowMinHolding);
            }
            if (r.maxHolding != 0 && newAmount > uint256(r.maxHolding) * SHARE) {
                return uint8(Restriction.AboveMaxHolding);
            }
        }
        if (inv.units == 0 && units != 0) {
            // A new holder: only now are the holder counters read.
            uint256 supplyPacked = _supply;
            uint256 cap = uint32(supplyPacked >> 160);
            if (cap != 0 && !senderLeaves && uint32(supplyPacked >> 128) >= cap) return uint8(Restriction.MaxHolders);
            uint256 countryPacked = _countries[party.country];
            cap = uint32(countryPacked >> 40);
            if (cap != 0 && leavingCountry != party.country && uint32(countryPacked >> 8) >= cap) {
                return uint8(Restriction.MaxCountryHolders);
            }
        }
        return 0;
    }

    /// @dev A forced transfer's or recovery's recipient: verified, investor not frozen, its
    /// tokens (if any) counted under the same investor. Wallet freezes do not apply.
    function _verifiedRecipient(Party memory party, Wallet memory wallet)
        private
        view
        returns (uint8)
    {
        if (party.index == 0 || party.kycExpiry < block.timestamp) {
            return uint8(Restriction.RecipientNotVerified);
        }
        if (party.frozen) return uint8(Restriction.RecipientInvestorFrozen);
        if (wallet.units != 0 && wallet.investor != party.index) return uint8(Restriction.WalletInvestorMismatch);
        if (_recoveredAway(wallet)) return uint8(Restriction.RecipientWalletFrozen);
        return 0;
    }

    /// @dev Whether `wallet` was recovered away from (its key is lost): it never holds this asset
    /// again, whoever the registry binds it to later, so its record-date rights (routed to its
    /// successor by the dividend distributor and the ballot box) are only ever its old
    /// investor's. Off the hot path: only a wallet that held before and holds nothing now (every
    /// recovered wallet) pays the extra read.
    function _recoveredAway(Wallet memory wallet) private view returns (bool) {
        return wallet.units == 0 && wallet.born != 0 && _recoveredTo[wallet.account] != address(0);
    }

    // ==========================================================================================
    // State changes
    // ==========================================================================================

    function _mintUnits(address to, uint256 units, Mode mode) private {
        Rules memory r = _loadRules();
        Party memory toParty = _party(to);
        Wallet memory w = _loadWallet(to);
        Investor memory inv = _investorFor(toParty, w);
        uint8 code = mode == Mode.CrosschainMint && r.paused
            ? uint8(Restriction.Paused)
            : _recipientRestriction(r, toParty, w, inv, units, false, 0);
        if (code != 0) revert ShareTransferRestricted(code);
        if (inv.units == 0 && units != 0) _countHolder(inv, toParty.country, true);
        inv.units += units;
        _commitInvestor(inv, w);
        _writeWallet(to, w, w.units + units, toParty.index, r.snapshotId);
        uint256 supplyPacked = _supply;
        uint256 newTotal = (supplyPacked & MASK_128) + units;
        if (newTotal > MASK_128) revert ShareUnitsOverflow(newTotal);
        _supply = (supplyPacked & ~MASK_128) | newTotal;
    }

    /// @param inv The record of the investor `w`'s units are counted under.
    function _burnUnits(address from, Wallet memory w, Investor memory inv, uint256 units) private {
        inv.units -= units;
        if (inv.units == 0 && units != 0) _countHolder(inv, inv.country, false);
        _commitInvestor(inv, w);
        _writeWallet(from, w, w.units - units, w.investor, uint32(_rules >> 96));
        // Cannot underflow: total units >= the wallet's units >= `units`.
        unchecked {
            _supply -= units;
        }
    }

    /// @dev Writes both wallets of a transfer (balance check done by the caller).
    function _writeWallets(
        address from,
        address to,
        Wallet memory fromWallet,
        Wallet memory toWallet,
        uint32 toIndex,
        uint256 units,
        uint32 snapshotId
    ) private {
        if (from == to) {
            _writeWallet(from, fromWallet, fromWallet.units, fromWallet.investor, snapshotId);
            return;
        }
        _writeWallet(from, fromWallet, fromWallet.units - units, fromWallet.investor, snapshotId);
        _writeWallet(to, toWallet, toWallet.units + units, toIndex, snapshotId);
    }

    /// @dev The one place a wallet's units change: lazy snapshot, binding, then one SSTORE.
    function _writeWallet(address wallet, Wallet memory w, uint256 newUnits, uint32 index, uint32 snapshotId) private {
        if (newUnits != 0 && w.investor != index && w.investor != 0) _handOver(w);
        if (w.born == 0) {
            // First receipt: it held nothing at every earlier snapshot, no history needed.
            w.born = snapshotId + 1;
        } else if (w.seen < snapshotId) {
            // First change since snapshot `snapshotId`: record the units it had then.
            // push returns the previous and new values, which the lazy snapshot does not need.
            // slither-disable-next-line unused-return
            _history[wallet].push(snapshotId, uint208(w.units));
        }
        w.seen = snapshotId;
        w.units = newUnits;
        if (newUnits != 0) w.investor = index;
        _storeWallet(wallet, w);
    }

    /// @dev Moves `units` between two investors' totals; counts holders when a total crosses zero.
    /// Call before writing the wallets: a sole-wallet investor's record goes into its wallet's slot.
    function _moveInvestorUnits(
        Investor memory fromInvestor,
        Wallet memory fromWallet,
        Investor memory toInvestor,
        Wallet memory toWallet,
        uint16 toCountry,
        uint256 units
    ) private {
        if (units == 0) return;
        fromInvestor.units -= units;
        if (fromInvestor.units == 0) _countHolder(fromInvestor, fromInvestor.country, false);
        if (toInvestor.units == 0) _countHolder(toInvestor, toCountry, true);
        // Cannot overflow: the recipient total is bounded by the total units (< 2**128).
        unchecked {
            toInvestor.units += units;
        }
        _commitInvestor(fromInvestor, fromWallet);
        _commitInvestor(toInvestor, toWallet);
    }

    /// @dev Adds (`joins`) or removes a holder from the total and its country's count.
    function _countHolder(Investor memory inv, uint16 country, bool joins) private {
        // Cannot overflow or underflow: a count moves by one only when an investor total crosses
        // zero, so it stays between 0 and the number of investors (< 2**32).
        unchecked {
            if (joins) {
                inv.country = country;
                _supply += 1 << 128;
                _countries[country] += 1 << 8;
            } else {
                _supply -= 1 << 128;
                _countries[country] -= 1 << 8;
                inv.country = 0;
            }
        }
    }

    /// @dev Moves everything of wallet `lost` to wallet `fresh` of the same investor `index`.
    function _recover(Wallet memory lost, Wallet memory fresh, uint32 index) private {
        uint256 units = lost.units;
        uint256 frozenUnits = _frozenUnits[lost.account];
        if (frozenUnits != 0) {
            delete _frozenUnits[lost.account];
            _frozenUnits[fresh.account] += frozenUnits;
            lost.hasFrozen = false;
            fresh.hasFrozen = true;
        }
        if (lost.frozen) {
            lost.frozen = false;
            fresh.frozen = true;
        }
        _writeWallets(lost.account, fresh.account, lost, fresh, index, units, uint32(_rules >> 96));
        _recoveredTo[lost.account] = fresh.account;
        emit Transfer(lost.account, fresh.account, _toAmount(units, _rules & MASK_96));
    }

    function _releaseFrozenFor(address wallet, Wallet memory w, uint256 units) private {
        if (!w.hasFrozen) return;
        uint256 frozen = _frozenUnits[wallet];
        uint256 free = w.units - frozen;
        if (units <= free) return;
        uint256 released = units - free;
        frozen -= released;
        _frozenUnits[wallet] = frozen;
        if (frozen == 0) w.hasFrozen = false;
        emit TokensUnfrozen(wallet, _toAmount(released, _rules & MASK_96), "released by the transfer agent's action");
    }

    function _setFrozenUnits(address wallet, uint256 frozen) private {
        _frozenUnits[wallet] = frozen;
        if (frozen == 0) {
            Wallet memory w = _loadWallet(wallet);
            w.hasFrozen = false;
            _storeWallet(wallet, w);
        }
    }

    function _setMultiplier(uint256 newMultiplier) private {
        _rules = (_rules & ~MASK_96) | newMultiplier;
    }

    function _onlyGateway() private view {
        if (_msgSender() != _gateway || _gateway == address(0)) revert AssetUnauthorizedGateway(_msgSender());
    }

    // ==========================================================================================
    // Units and packing
    // ==========================================================================================

    /// @dev Shares -> units, rounding up (the sender never pays less than `amount`), except that
    /// an amount equal to the whole balance `held` moves all units (no dust left behind).
    function _toUnits(uint256 amount, uint256 held, uint256 m) private pure returns (uint256) {
        if (m == ONE) return amount;
        if (held != type(uint256).max && amount == held * m / ONE) return held;
        return (amount * ONE + m - 1) / m;
    }

    function _toAmount(uint256 units, uint256 m) private pure returns (uint256) {
        return m == ONE ? units : units * m / ONE;
    }

    function _loadWallet(address wallet) private view returns (Wallet memory w) {
        uint256 p = _wallets[wallet];
        w.account = wallet;
        w.units = p & MASK_104;
        w.investor = uint32(p >> 104);
        w.seen = uint32(p >> 136);
        w.born = uint32(p >> 168);
        w.lockupUntil = uint40(p >> 200);
        w.country = uint16((p >> 240) & 0x3FF);
        w.frozen = (p >> 250) & 1 == 1;
        w.hasFrozen = (p >> 251) & 1 == 1;
    }

    function _storeWallet(address wallet, Wallet memory w) private {
        if (w.units > MASK_104) revert ShareUnitsOverflow(w.units);
        // The country is an ISO 3166-1 numeric code (the registry keeps it in 1..999): 10 bits.
        _wallets[wallet] = w.units | (uint256(w.investor) << 104) | (uint256(w.seen) << 136)
            | (uint256(w.born) << 168) | (uint256(w.lockupUntil) << 200) | (uint256(w.country & 0x3FF) << 240)
            | (w.frozen ? 1 << 250 : 0) | (w.hasFrozen ? 1 << 251 : 0);
    }

    // ------------------------------------------------------------------------------------------
    // Parties and investor records
    // ------------------------------------------------------------------------------------------

    function _decode(uint256 word) private pure returns (Party memory p) {
        p.index = PartyWord.index(word);
        p.country = PartyWord.country(word);
        p.kycExpiry = PartyWord.kycExpiry(word);
        p.frozen = PartyWord.frozen(word);
        p.sole = PartyWord.sole(word);
    }

    function _party(address wallet) private view returns (Party memory) {
        return _decode(_registry.partyWord(wallet));
    }

    function _parties(address from, address to) private view returns (Party memory, Party memory) {
        (uint256 fromWord, uint256 toWord) = _registry.partyWords(from, to);
        return (_decode(fromWord), _decode(toWord));
    }

    /// @dev The record of the investor `p` is bound to, `w` being `p`'s wallet.
    function _investorFor(Party memory p, Wallet memory w) private view returns (Investor memory) {
        if (p.sole) return _soleInvestor(p.index, w);
        return _investorSlot(p.index, address(0));
    }

    /// @dev The record of the investor `w`'s units are counted under (which may no longer be the
    /// investor the registry binds `w` to, `p`).
    function _investorOfWallet(Party memory p, Wallet memory w) private view returns (Investor memory) {
        uint32 index = w.investor;
        // A sole wallet was never bound to anyone else, so the investor it holds for is `p`'s.
        if (p.sole && p.index == index) return _soleInvestor(index, w);
        return _investorSlot(index, address(0));
    }

    /// @dev The record of investor number `index`, asking the registry where it lives.
    function _investorByIndex(uint32 index) private view returns (Investor memory) {
        if (index == 0) return _investorSlot(0, address(0));
        (address first, bool sole) = _registry.walletModeOf(index);
        if (sole) return _soleInvestor(index, _loadWallet(first));
        return _investorSlot(index, first);
    }

    /// @dev A sole-wallet investor's record: its wallet's units, lock-up and counted country.
    function _soleInvestor(uint32 index, Wallet memory w) private pure returns (Investor memory) {
        return Investor({
            index: index,
            units: w.units,
            lockupUntil: w.lockupUntil,
            country: w.country,
            sole: true,
            materialised: false
        });
    }

    /// @dev The investor slot; while it is not materialised, the record the investor had as a
    /// sole-wallet investor, read from its first wallet's slot (`first`, looked up when zero).
    /// Investor number 0 (an unbound wallet) has an empty record.
    function _investorSlot(uint32 index, address first) private view returns (Investor memory inv) {
        inv.index = index;
        if (index == 0) return inv;
        uint256 p = _investors[index];
        if ((p >> 184) & 1 == 1) {
            inv.units = p & MASK_128;
            inv.lockupUntil = uint40(p >> 128);
            inv.country = uint16(p >> 168);
            inv.materialised = true;
            return inv;
        }
        // Only the first wallet is needed here, not whether it is still the sole one.
        // slither-disable-next-line unused-return
        if (first == address(0)) (first,) = _registry.walletModeOf(index);
        if (first == address(0)) return inv;
        uint256 w = _wallets[first];
        // The first wallet's slot carries the investor's record only if it holds for this investor.
        if (uint32(w >> 104) != index) return inv;
        inv.units = w & MASK_104;
        inv.lockupUntil = uint40(w >> 200);
        inv.country = uint16((w >> 240) & 0x3FF);
    }

    /// @dev Writes an investor record where it lives: into its sole wallet's memory record `w`
    /// (stored with the wallet by the caller) or into the investor slot, which this materialises.
    function _commitInvestor(Investor memory inv, Wallet memory w) private {
        if (inv.sole) {
            w.lockupUntil = inv.lockupUntil;
            w.country = inv.country;
            return;
        }
        _storeInvestorSlot(inv);
    }

    function _storeInvestorSlot(Investor memory inv) private {
        if (inv.index == 0) return;
        _investors[inv.index] =
            inv.units | (uint256(inv.lockupUntil) << 128) | (uint256(inv.country) << 168) | (1 << 184);
    }

    /// @dev Before units move between two wallets of one investor that is not a sole-wallet
    /// investor, its total must sit in its own slot (the first wallet may be one of the two).
    function _materialise(Party memory p) private {
        if (p.sole || p.index == 0) return;
        Investor memory inv = _investorSlot(p.index, address(0));
        if (!inv.materialised) _storeInvestorSlot(inv);
    }

    /// @dev `w` starts holding for another investor than the one its slot was tagged with (the
    /// registrar rebound it; it holds nothing). A lock-up or country kept there for the previous
    /// investor while it was a sole-wallet investor moves to that investor's slot first.
    function _handOver(Wallet memory w) private {
        if (w.lockupUntil == 0 && w.country == 0) return;
        uint32 previous = w.investor;
        if ((_investors[previous] >> 184) & 1 == 0) {
            _investors[previous] = (uint256(w.lockupUntil) << 128) | (uint256(w.country) << 168) | (1 << 184);
        }
        w.lockupUntil = 0;
        w.country = 0;
    }

    function _loadRules() private view returns (Rules memory r) {
        uint256 p = _rules;
        r.multiplier = p & MASK_96;
        r.snapshotId = uint32(p >> 96);
        r.minHolding = uint48(p >> 128);
        r.maxHolding = uint48(p >> 176);
        r.paused = (p >> 224) & 1 == 1;
        r.countryRestricted = (p >> 225) & 1 == 1;
    }
}
