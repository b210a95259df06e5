// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Investor, Rules, ShareSlots, Wallet} from "../../libraries/ShareSlots.sol";
import {StorageSlot} from "@openzeppelin/contracts/utils/StorageSlot.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IAssetIdentity} from "../../interfaces/IAssetIdentity.sol";
import {ShareStorage} from "./ShareStorage.sol";
import {ShareActions} from "./ShareActions.sol";
import {IInvestorRegistry} from "../../interfaces/IInvestorRegistry.sol";
import {IPartyWords} from "../../interfaces/IPartyWords.sol";
import {IIdentityRegistryCompat} from "../../interfaces/IIdentityRegistryCompat.sol";
import {IERC7943Fungible} from "../../interfaces/IERC7943.sol";
import {ITransferDiagnostic} from "../../interfaces/ITransferDiagnostic.sol";
import {IShareExtension, IShareStandardEvents, IShareTokenInformation} from "../../interfaces/IShareExtension.sol";
import {RestrictionCodes} from "../../libraries/RestrictionCodes.sol";

/// @title ShareExtension
/// @notice The second half of the registry share's code: every transfer-agent and admin action,
/// ERC-7943 (`canSend`, `canReceive`, `setFrozenTokens`, `forcedTransfer`), the ERC-3643 (T-REX
/// `IToken`) names and batch operations, the transfer diagnostic and the share's `initialize`. It
/// runs ONLY by `delegatecall` from {RegistryShare} (whose implementation creates it in its
/// constructor and forwards these selectors to it), on the share's storage, with the share's roles
/// and address.
/// @dev Note: invariants:
/// - its storage is part of {RegistryShare}'s: both inherit {ShareStorage} (the share's ERC-7201
///   namespace and the identity's, through {AssetIdentityCore}); it does not carry the share's
///   ERC-20 and access-control surfaces (EIP-170) and reaches their state in OZ's namespaces: the
///   roles through its copy of OZ's `AccessControlStorage` (same namespace; OZ's semantics, errors
///   and events), the ERC-20 name and symbol by slot (test_extension_layout.py checks every
///   namespace of its snapshot is the share's, field for field);
/// - it declares no immutable and no state: everything it reads is the share's state;
/// - called directly (not through the share), it runs on its own empty storage, never initialised
///   (its constructor disables `initialize`), where nobody holds a role: every action is refused,
///   every view describes an empty share;
/// - every action emits the suite's event (with its reason; empty from a standard entry point);
///   the ERC-7943 and ERC-3643 entry points (no reason) add the standard's: ERC-7943 `Frozen`
///   whenever they change an account's frozen amount and `ForcedTransfer` on a forced transfer,
///   T-REX's event shapes ({IShareStandardEvents}). The suite's `reason` variants emit the
///   suite's events only, as they always did (an indexer of the suite reads those);
/// - the rules are {ShareRestrictions}' functions, shared with the share's transfer path; the
///   diagnostic evaluates each of them on its own, in the same order (see {diagnoseTransfer}).
/// Why a delegatecall extension (weighed in docs/architecture.md, "Registry share code size"):
/// the share was 122 bytes under EIP-170 and ERC-3643 + ERC-7943 add ~45 selectors. A separate
/// compliance contract reading the share through views would need new views on the share (more
/// code) and could not host the agent actions; external (linked) libraries need link-time
/// addresses in every deployer and test harness and cannot carry events or role checks cheaply.
/// Here the share keeps its hot path (transfer, `detectTransferRestriction`, `canTransfer`, the
/// views) with no extra call, and forwards the agent actions (one `delegatecall`, ~3k gas more).
contract ShareExtension is
    ShareActions,
    IShareExtension,
    IERC7943Fungible,
    ITransferDiagnostic,
    IShareStandardEvents,
    IShareTokenInformation
{
    using ShareSlots for uint256;

    /// @dev OZ ERC20Upgradeable's `_name` and `_symbol` (private) are fields 3 and 4 of its ERC-7201
    /// namespace `openzeppelin.storage.ERC20` (0x52c6...ce00): the extension, which does not carry
    /// the ERC-20 surface (the share answers it), reads and writes them there.
    bytes32 private constant NAME_SLOT = 0x52c63247e1f47db19d5ce0460030c497f067ca4cebf71ba98eeadabe20bace03;
    bytes32 private constant SYMBOL_SLOT = 0x52c63247e1f47db19d5ce0460030c497f067ca4cebf71ba98eeadabe20bace04;

    /// @notice OZ AccessControl's `DEFAULT_ADMIN_ROLE` (the same role and getter as the share's).
    bytes32 public constant DEFAULT_ADMIN_ROLE = 0x00;

    /// @dev The number of rules {diagnoseTransfer} reports.
    uint256 private constant RULE_COUNT = 19;

    /// @notice Logic only: never initialised (its own storage stays empty; the share that created
    /// it runs it on the share's storage).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a share behind its proxy (reached through {RegistryShare-initialize}).
    /// @param admin Receives `DEFAULT_ADMIN_ROLE` (rules, gateway, role grants, upgrades).
    /// @param registry The investor registry of this chain (its proxy).
    /// @param name_ ERC-20 name.
    /// @param symbol_ ERC-20 symbol.
    /// @param identity Asset identity (architecture must be `RegistryShare`).
    /// @dev Emits {RoleGranted}, {IdentityRegistryAdded}, {ComplianceAdded},
    /// {UpdatedTokenInformation} and {Initialized}. Requirements: not yet initialised (never on
    /// the implementation nor on this extension); `admin`, `registry` and the registry's word
    /// store are not zero; the identity is valid with the `RegistryShare` architecture.
    function initialize(
        address admin,
        IInvestorRegistry registry,
        string calldata name_,
        string calldata symbol_,
        IAssetIdentity.IdentityParams calldata identity
    ) external initializer {
        __AssetIdentityCore_init(identity);
        if (identity.architecture != IAssetIdentity.Architecture.RegistryShare) {
            revert IAssetIdentity.IdentityInvalid("architecture");
        }
        if (admin == address(0) || address(registry) == address(0)) revert ShareZeroAddress();
        IPartyWords wordStore = IPartyWords(registry.partyWordStore());
        if (address(wordStore) == address(0)) revert ShareZeroAddress();
        // The ERC-20 part of the share's state (what `__ERC20_init` writes).
        StorageSlot.getStringSlot(NAME_SLOT).value = name_;
        StorageSlot.getStringSlot(SYMBOL_SLOT).value = symbol_;
        RegistryShareStorage storage $ = _s();
        $.registry = registry;
        $.rules = ShareSlots.encodeRules(address(wordStore)); // step 0, every rule off
        $.scaleMultiplier[0] = ONE;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        emit IdentityRegistryAdded(address(registry));
        emit ComplianceAdded(address(this));
        emit UpdatedTokenInformation(name_, symbol_, 18, VERSION, address(0));
    }

    // ==========================================================================================
    // The suite's transfer-agent actions
    // ==========================================================================================

    /// @inheritdoc IShareExtension
    function issue(address to, uint256 amount, string calldata reason) external onlyRole(TRANSFER_AGENT_ROLE) {
        _issue(to, amount, reason);
    }

    /// @inheritdoc IShareExtension
    function redeem(address from, uint256 amount, string calldata reason) external onlyRole(TRANSFER_AGENT_ROLE) {
        _redeem(from, amount, reason);
    }

    /// @inheritdoc IShareExtension
    function forcedTransfer(address from, address to, uint256 amount, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (bool)
    {
        _forcedTransfer(from, to, amount, reason);
        return true;
    }

    /// @inheritdoc IShareExtension
    function recoveryAddress(address lostWallet, address newWallet, bytes32 investorId, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (bool)
    {
        _recovery(lostWallet, newWallet, investorId, reason);
        return true;
    }

    /// @inheritdoc IShareExtension
    function setAddressFrozen(address wallet, bool freeze, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        _setWalletFrozen(wallet, freeze, reason, true);
    }

    /// @inheritdoc IShareExtension
    function freezePartialTokens(address wallet, uint256 amount, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        _freezeTokens(wallet, amount, reason);
    }

    /// @inheritdoc IShareExtension
    function unfreezePartialTokens(address wallet, uint256 amount, string calldata reason)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        _unfreezeTokens(wallet, amount, reason);
    }

    /// @inheritdoc IShareExtension
    function pause(string calldata reason) external onlyRole(PAUSER_ROLE) {
        _setPaused(true, reason);
    }

    /// @inheritdoc IShareExtension
    function unpause(string calldata reason) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setPaused(false, reason);
    }

    /// @inheritdoc IShareExtension
    function messageForTransferRestriction(uint8 code) external pure returns (string memory) {
        return RestrictionCodes.message(code);
    }

    // ==========================================================================================
    // ERC-7943
    // ==========================================================================================

    /// @inheritdoc IERC7943Fungible
    /// @dev The sender-side party rules of a transfer: `account` is bound in the registry with a
    /// KYC in force, its investor and the wallet are not frozen, and the tokens the wallet holds
    /// are counted under the investor the registry binds it to. Pause, balance, lock-up and the
    /// holding limits depend on the transfer and are in {canTransfer}.
    function canSend(address account) external view returns (bool) {
        return _partyRestriction(_party(account), _loadWallet(account, _currentScale()), true) == 0;
    }

    /// @inheritdoc IERC7943Fungible
    /// @dev The recipient-side party rules (as {canSend}, and the wallet was never recovered
    /// away). The allowed-country rule, the holding limits and the holder caps are not here:
    /// they apply only to a transfer from another investor (never between two wallets of one
    /// investor), so they are in {canTransfer}; `canTransfer(from, to, amount)` implies
    /// `canSend(from)` and `canReceive(to)` (a forge fuzz test checks it).
    function canReceive(address account) external view returns (bool) {
        return _partyRestriction(_party(account), _loadWallet(account, _currentScale()), false) == 0;
    }

    /// @inheritdoc IERC7943Fungible
    /// @dev Exactly `detectTransferRestriction(from, to, amount) == 0`: what `transfer` does.
    function canTransfer(address from, address to, uint256 amount) external view returns (bool) {
        return _detect(from, to, amount) == 0;
    }

    /// @inheritdoc IERC7943Fungible
    function getFrozenTokens(address account) external view returns (uint256) {
        return _frozenNow(account);
    }

    /// @inheritdoc IERC7943Fungible
    /// @dev Overwrites the frozen amount. Deviation (allowed by the ERC's "MAY"): the amount may
    /// not exceed the balance ({ShareInsufficientBalance}), the share's invariant since its
    /// first version. Emits the suite's {TokensFrozen} or {TokensUnfrozen} (the difference, empty
    /// reason), T-REX's shape of the same and {Frozen}. Requirements: `TRANSFER_AGENT_ROLE`.
    function setFrozenTokens(address account, uint256 amount) external onlyRole(TRANSFER_AGENT_ROLE) returns (bool) {
        uint256 frozen = _frozenNow(account);
        if (amount > frozen) _freezeWithEvents(account, amount - frozen, "");
        else if (amount < frozen) _unfreezeWithEvents(account, frozen - amount, "");
        else emit Frozen(account, amount);
        return true;
    }

    /// @inheritdoc IERC7943Fungible
    /// @dev The suite's forced transfer with an empty reason. Frozen tokens: the unfrozen balance
    /// moves first; beyond it, frozen tokens are released (unfrozen) as far as the amount needs
    /// and the rest stay frozen, so after it `getFrozenTokens(from) <= balanceOf(from)` still
    /// holds. {Frozen} (the amount left frozen) is emitted before {ForcedTransfer} when some were
    /// released. Wallet freezes, pause, lock-up, limits and caps do not apply; the recipient must
    /// be verified, its investor unfrozen and its record its investor's. Requirements:
    /// `TRANSFER_AGENT_ROLE`; `from` holds `amount`.
    function forcedTransfer(address from, address to, uint256 amount)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (bool)
    {
        _forcedWithEvents(from, to, amount, "");
        return true;
    }

    // ==========================================================================================
    // ERC-3643 (T-REX IToken) names
    // ==========================================================================================

    /// @inheritdoc IShareExtension
    function mint(address to, uint256 amount) external onlyRole(TRANSFER_AGENT_ROLE) {
        _issue(to, amount, "");
    }

    /// @inheritdoc IShareExtension
    function burn(address from, uint256 amount) external onlyRole(TRANSFER_AGENT_ROLE) {
        _redeemWithEvents(from, amount, "");
    }

    /// @inheritdoc IShareExtension
    function batchForcedTransfer(address[] calldata from, address[] calldata to, uint256[] calldata amounts)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        _sameLength(from.length, to.length);
        _sameLength(from.length, amounts.length);
        for (uint256 i; i < from.length; ++i) {
            _forcedWithEvents(from[i], to[i], amounts[i], "");
        }
    }

    /// @inheritdoc IShareExtension
    function batchMint(address[] calldata to, uint256[] calldata amounts) external onlyRole(TRANSFER_AGENT_ROLE) {
        _sameLength(to.length, amounts.length);
        for (uint256 i; i < to.length; ++i) {
            _issue(to[i], amounts[i], "");
        }
    }

    /// @inheritdoc IShareExtension
    function batchBurn(address[] calldata from, uint256[] calldata amounts) external onlyRole(TRANSFER_AGENT_ROLE) {
        _sameLength(from.length, amounts.length);
        for (uint256 i; i < from.length; ++i) {
            _redeemWithEvents(from[i], amounts[i], "");
        }
    }

    /// @inheritdoc IShareExtension
    function batchSetAddressFrozen(address[] calldata wallets, bool[] calldata freeze)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        _sameLength(wallets.length, freeze.length);
        for (uint256 i; i < wallets.length; ++i) {
            _setWalletFrozen(wallets[i], freeze[i], "", false);
            emit AddressFrozen(wallets[i], freeze[i], _msgSender());
        }
    }

    /// @inheritdoc IShareExtension
    function batchFreezePartialTokens(address[] calldata wallets, uint256[] calldata amounts)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        _sameLength(wallets.length, amounts.length);
        for (uint256 i; i < wallets.length; ++i) {
            _freezeWithEvents(wallets[i], amounts[i], "");
        }
    }

    /// @inheritdoc IShareExtension
    function batchUnfreezePartialTokens(address[] calldata wallets, uint256[] calldata amounts)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
    {
        _sameLength(wallets.length, amounts.length);
        for (uint256 i; i < wallets.length; ++i) {
            _unfreezeWithEvents(wallets[i], amounts[i], "");
        }
    }

    /// @inheritdoc IShareExtension
    function setAddressFrozen(address wallet, bool freeze) external onlyRole(TRANSFER_AGENT_ROLE) {
        _setWalletFrozen(wallet, freeze, "", false);
        emit AddressFrozen(wallet, freeze, _msgSender());
    }

    /// @inheritdoc IShareExtension
    function freezePartialTokens(address wallet, uint256 amount) external onlyRole(TRANSFER_AGENT_ROLE) {
        _freezeWithEvents(wallet, amount, "");
    }

    /// @inheritdoc IShareExtension
    function unfreezePartialTokens(address wallet, uint256 amount) external onlyRole(TRANSFER_AGENT_ROLE) {
        _unfreezeWithEvents(wallet, amount, "");
    }

    /// @inheritdoc IShareExtension
    function recoveryAddress(address lostWallet, address newWallet, address investorOnchainID)
        external
        onlyRole(TRANSFER_AGENT_ROLE)
        returns (bool)
    {
        RegistryShareStorage storage $ = _s();
        bytes32 investorId = $.registry.investorOf(newWallet);
        // The registry is the suite's InvestorRegistry, which answers ERC-3643 `identity`.
        address identity = IIdentityRegistryCompat(address($.registry)).identity(newWallet);
        if (investorOnchainID == address(0) || identity != investorOnchainID) {
            revert ShareInvalidRecovery(lostWallet, newWallet, investorId);
        }
        _recoveryWithEvents(lostWallet, newWallet, investorId, investorOnchainID);
        return true;
    }

    /// @inheritdoc IShareExtension
    function pause() external onlyRole(PAUSER_ROLE) {
        _pauseWithEvents(true, "");
    }

    /// @inheritdoc IShareExtension
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pauseWithEvents(false, "");
    }

    /// @inheritdoc IShareExtension
    function compliance() external view returns (address) {
        return address(this);
    }

    /// @inheritdoc IShareExtension
    function version() external pure returns (string memory) {
        return VERSION;
    }

    /// @inheritdoc IShareExtension
    function onchainID() external view returns (address) {
        return _s().onchainID;
    }

    /// @inheritdoc IShareExtension
    function setOnchainID(address newOnchainID) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _s().onchainID = newOnchainID;
        _tokenInformationUpdated();
    }

    /// @inheritdoc IShareExtension
    function setName(string calldata newName) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bytes(newName).length == 0) revert IAssetIdentity.IdentityInvalid("name");
        StorageSlot.getStringSlot(NAME_SLOT).value = newName;
        _tokenInformationUpdated();
    }

    /// @inheritdoc IShareExtension
    function setSymbol(string calldata newSymbol) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bytes(newSymbol).length == 0) revert IAssetIdentity.IdentityInvalid("symbol");
        StorageSlot.getStringSlot(SYMBOL_SLOT).value = newSymbol;
        _tokenInformationUpdated();
    }

    /// @inheritdoc IShareExtension
    function addAgent(address agent) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!_grantRole(TRANSFER_AGENT_ROLE, agent)) revert ShareAgentUnchanged(agent, true);
        emit AgentAdded(agent);
    }

    /// @inheritdoc IShareExtension
    function removeAgent(address agent) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!_revokeRole(TRANSFER_AGENT_ROLE, agent)) revert ShareAgentUnchanged(agent, false);
        emit AgentRemoved(agent);
    }

    /// @inheritdoc IShareExtension
    function isAgent(address account) external view returns (bool) {
        return hasRole(TRANSFER_AGENT_ROLE, account);
    }

    // ==========================================================================================
    // Why would this transfer fail?
    // ==========================================================================================

    /// @inheritdoc ITransferDiagnostic
    /// @dev The rules, in the order a transfer applies them: pause; the sender's party (verified,
    /// investor frozen, wallet frozen, wallet bound to its tokens' investor); the unfrozen balance,
    /// then the balance itself (code 18, informative: whenever it fails, code 8 failed first);
    /// lock-up and the sender's minimum holding; the recipient's party (verified, investor frozen,
    /// wallet frozen or recovered away, binding); the zero address (code 19, informative: a zero
    /// sender or recipient is never verified, so code 2 or 3 failed first); the allowed country;
    /// the recipient's minimum and maximum holding; the holder cap and the country holder cap.
    /// Between two wallets of one investor the investor-level rules (lock-up, holdings, country,
    /// caps) do not apply and are reported as passed. Each rule is evaluated on its own, so a
    /// failing rule does not hide a later one; the first failing rule is
    /// `detectTransferRestriction`'s code, and all pass exactly when `canTransfer` is true.
    function diagnoseTransfer(address from, address to, uint256 amount)
        external
        view
        returns (RuleCheck[] memory rules)
    {
        // Every field is assigned below.
        // slither-disable-next-line uninitialized-local
        Case memory c;
        c.r = _loadRules();
        (c.fp, c.tp) = _parties(from, to);
        c.fw = _loadWallet(from, c.r.scale);
        c.tw = _loadWallet(to, c.r.scale);
        c.fi = _investorFor(c.fp, c.fw, c.r.scale);
        c.ti = _investorFor(c.tp, c.tw, c.r.scale);
        c.amount = amount;
        // Between two wallets of one investor only the party and balance rules apply.
        c.between = c.fp.index != c.tp.index || c.fp.index == 0;
        c.leaves = c.fw.amount == amount && c.fw.stored != 0 && c.fi.holding == 1;
        rules = new RuleCheck[](RULE_COUNT);
        uint256 n = _put(rules, 0, RestrictionCodes.PAUSED, !c.r.paused);
        n = _senderRules(rules, n, c);
        n = _putParty(rules, n, c.tp, c.tw, false);
        n = _put(rules, n, RestrictionCodes.ZERO_ADDRESS, from != address(0) && to != address(0));
        _recipientRules(rules, n, c);
    }

    // ==========================================================================================
    // ERC-165
    // ==========================================================================================

    /// @notice ERC-165 of the extension alone (never reached through the share, which answers
    /// ERC-165 itself).
    /// @param interfaceId The interface asked about.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC165).interfaceId;
    }

    // ==========================================================================================
    // Internal
    // ==========================================================================================

    /// @dev The records a transfer's rules read, loaded once for {diagnoseTransfer}.
    struct Case {
        Rules r;
        Party fp;
        Party tp;
        Wallet fw;
        Wallet tw;
        Investor fi;
        Investor ti;
        uint256 amount;
        bool between;
        bool leaves;
    }

    function _senderRules(RuleCheck[] memory rules, uint256 n, Case memory c) private view returns (uint256) {
        n = _putParty(rules, n, c.fp, c.fw, true);
        n = _put(rules, n, RestrictionCodes.INSUFFICIENT_UNFROZEN_BALANCE, _balanceRestriction(c.fw, c.amount) == 0);
        n = _put(rules, n, RestrictionCodes.INSUFFICIENT_BALANCE, c.amount <= c.fw.amount);
        n = _put(rules, n, RestrictionCodes.LOCKED_UP, !c.between || c.fi.lockupUntil <= block.timestamp);
        return _put(
            rules,
            n,
            RestrictionCodes.BELOW_MIN_HOLDING,
            !c.between || _senderKeepsMinimum(c.r, c.fi, c.amount, c.leaves)
        );
    }

    function _recipientRules(RuleCheck[] memory rules, uint256 n, Case memory c) private view {
        RegistryShareStorage storage $ = _s();
        Rules memory r = c.r;
        n = _put(
            rules,
            n,
            RestrictionCodes.COUNTRY_NOT_ALLOWED,
            !c.between || !r.countryRestricted || $.countries[c.tp.country] & ShareSlots.COUNTRY_ALLOWED != 0
        );
        // Cannot overflow: both are bounded by the supply (< 2**128 units times a 96-bit multiplier).
        uint256 newAmount = c.ti.amount + c.amount;
        n = _put(
            rules,
            n,
            RestrictionCodes.BELOW_MIN_HOLDING,
            !c.between || r.minHolding == 0 || newAmount >= uint256(r.minHolding) * SHARE
        );
        n = _put(
            rules,
            n,
            RestrictionCodes.ABOVE_MAX_HOLDING,
            !c.between || r.maxHolding == 0 || newAmount <= uint256(r.maxHolding) * SHARE
        );
        bool joins = c.between && c.ti.holding == 0 && c.amount != 0;
        uint256 supplyPacked = $.supply;
        uint256 cap = supplyPacked.supplyMaxHolders();
        n = _put(
            rules, n, RestrictionCodes.MAX_HOLDERS, !joins || cap == 0 || c.leaves || supplyPacked.supplyHolders() < cap
        );
        uint256 countryPacked = $.countries[c.tp.country];
        cap = countryPacked.countryMaxHolders();
        uint16 leavingCountry = c.leaves ? c.fi.country : 0;
        _put(
            rules,
            n,
            RestrictionCodes.MAX_COUNTRY_HOLDERS,
            !joins || cap == 0 || leavingCountry == c.tp.country || countryPacked.countryHolders() < cap
        );
    }

    function _putParty(RuleCheck[] memory rules, uint256 n, Party memory p, Wallet memory w, bool sender)
        private
        view
        returns (uint256)
    {
        n = _put(
            rules,
            n,
            sender ? RestrictionCodes.SENDER_NOT_VERIFIED : RestrictionCodes.RECIPIENT_NOT_VERIFIED,
            p.index != 0 && p.kycExpiry >= block.timestamp
        );
        n = _put(
            rules,
            n,
            sender ? RestrictionCodes.SENDER_INVESTOR_FROZEN : RestrictionCodes.RECIPIENT_INVESTOR_FROZEN,
            !p.frozen
        );
        // A recipient wallet that held before, holds nothing and was recovered away never receives.
        bool walletOk = !w.frozen && (sender || w.stored != 0 || !_recoveredAway(w));
        n = _put(
            rules,
            n,
            sender ? RestrictionCodes.SENDER_WALLET_FROZEN : RestrictionCodes.RECIPIENT_WALLET_FROZEN,
            walletOk
        );
        return _put(rules, n, RestrictionCodes.WALLET_INVESTOR_MISMATCH, w.stored == 0 || w.investor == p.index);
    }

    function _put(RuleCheck[] memory rules, uint256 n, uint8 code, bool passed) private pure returns (uint256) {
        rules[n] = RuleCheck({code: code, passed: passed, message: RestrictionCodes.message(code)});
        return n + 1;
    }

    /// @dev The sender's minimum-holding rule of {ShareRestrictions-_senderRestriction}, without
    /// its underflow when the balance rule already failed.
    function _senderKeepsMinimum(Rules memory r, Investor memory fi, uint256 amount, bool leaves)
        private
        pure
        returns (bool)
    {
        if (r.minHolding == 0 || leaves || amount > fi.amount) return true;
        uint256 remaining = fi.amount - amount;
        return remaining == 0 || remaining >= uint256(r.minHolding) * SHARE;
    }

    function _sameLength(uint256 length, uint256 otherLength) private pure {
        if (length != otherLength) revert ShareBatchLengthMismatch(length, otherLength);
    }

    function _frozenNow(address account) private view returns (uint256) {
        uint32 scale = _currentScale();
        return _frozenOf(_loadWallet(account, scale), scale);
    }

    /// @dev ERC-7943 and T-REX events when a movement released frozen tokens of `account`.
    function _frozenReleased(address account, uint256 before, uint256 frozen) private {
        if (frozen == before) return;
        emit TokensUnfrozen(account, before - frozen);
        emit Frozen(account, frozen);
    }

    function _redeemWithEvents(address from, uint256 amount, string memory reason) private {
        uint256 before = _frozenNow(from);
        _frozenReleased(from, before, _redeem(from, amount, reason));
    }

    function _forcedWithEvents(address from, address to, uint256 amount, string memory reason) private {
        uint256 before = _frozenNow(from);
        _frozenReleased(from, before, _forcedTransfer(from, to, amount, reason));
        emit ForcedTransfer(from, to, amount);
    }

    function _recoveryWithEvents(address lostWallet, address newWallet, bytes32 investorId, address onchainId) private {
        uint256 lostFrozen = _frozenNow(lostWallet);
        _recovery(lostWallet, newWallet, investorId, "");
        if (lostFrozen != 0) {
            emit Frozen(lostWallet, 0);
            emit Frozen(newWallet, _frozenNow(newWallet));
        }
        emit RecoverySuccess(lostWallet, newWallet, onchainId);
    }

    function _freezeWithEvents(address wallet, uint256 amount, string memory reason) private {
        uint256 frozen = _freezeTokens(wallet, amount, reason);
        emit TokensFrozen(wallet, amount);
        emit Frozen(wallet, frozen);
    }

    function _unfreezeWithEvents(address wallet, uint256 amount, string memory reason) private {
        uint256 left = _unfreezeTokens(wallet, amount, reason);
        emit TokensUnfrozen(wallet, amount);
        emit Frozen(wallet, left);
    }

    function _pauseWithEvents(bool paused_, string memory reason) private {
        _setPaused(paused_, reason);
        if (paused_) emit Paused(_msgSender());
        else emit Unpaused(_msgSender());
    }

    function _tokenInformationUpdated() private {
        emit UpdatedTokenInformation(
            StorageSlot.getStringSlot(NAME_SLOT).value,
            StorageSlot.getStringSlot(SYMBOL_SLOT).value,
            18,
            VERSION,
            _s().onchainID
        );
    }

    // ==========================================================================================
    // Roles: OZ AccessControlUpgradeable's state, read and written in its own namespace
    // ==========================================================================================
    // The share answers the access-control surface (`grantRole`, `hasRole`...); the extension,
    // which must not carry it (EIP-170), checks and changes roles in the same ERC-7201 namespace
    // with OZ's semantics, errors and events.

    /// @dev OZ AccessControlUpgradeable's `AccessControlStorage` (`openzeppelin.storage.AccessControl`).
    bytes32 private constant ACCESS_CONTROL_STORAGE =
        0x02dd7bc7dec4dceedda775e58dd541e08a116c6c53815c0bd028192f7b626800;

    /// @dev OZ's `RoleData`: members and the admin role (read here only through `hasRole`).
    struct RoleData {
        mapping(address account => bool) hasRole;
        bytes32 adminRole;
    }

    /// @dev OZ's `AccessControlStorage` (same namespace, same layout: the extension-layout test
    /// compares it with the share's snapshot).
    /// @custom:storage-location erc7201:openzeppelin.storage.AccessControl
    struct AccessControlStorage {
        mapping(bytes32 role => RoleData) _roles;
    }

    /// @dev OZ's `onlyRole`: reverts with {IAccessControl-AccessControlUnauthorizedAccount}.
    modifier onlyRole(bytes32 role) {
        _checkRole(role);
        _;
    }

    /// @dev OZ's `_checkRole` (one copy of the check, not one per function).
    function _checkRole(bytes32 role) private view {
        if (!hasRole(role, _msgSender())) {
            revert IAccessControl.AccessControlUnauthorizedAccount(_msgSender(), role);
        }
    }

    /// @dev OZ's `hasRole`.
    function hasRole(bytes32 role, address account) private view returns (bool) {
        return _accessControl()._roles[role].hasRole[account];
    }

    /// @dev OZ's `_grantRole`: emits {IAccessControl-RoleGranted}; false if `account` had the role.
    function _grantRole(bytes32 role, address account) private returns (bool) {
        if (hasRole(role, account)) return false;
        _accessControl()._roles[role].hasRole[account] = true;
        emit IAccessControl.RoleGranted(role, account, _msgSender());
        return true;
    }

    /// @dev OZ's `_revokeRole`: emits {IAccessControl-RoleRevoked}; false if `account` lacked it.
    function _revokeRole(bytes32 role, address account) private returns (bool) {
        if (!hasRole(role, account)) return false;
        _accessControl()._roles[role].hasRole[account] = false;
        emit IAccessControl.RoleRevoked(role, account, _msgSender());
        return true;
    }

    function _accessControl() private pure returns (AccessControlStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := ACCESS_CONTROL_STORAGE
        }
    }
}
