// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {
    ERC20PermitUpgradeable
} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PermitUpgradeable.sol";
import {PausableUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/PausableUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IAssetIdentity} from "../interfaces/IAssetIdentity.sol";
import {AssetIdentityUpgradeable} from "./AssetIdentityUpgradeable.sol";
import {IOrderToken} from "../interfaces/IOrderToken.sol";
import {ICrosschainAsset, IERC7802} from "../interfaces/ICrosschainAsset.sol";
import {IERC1404} from "../interfaces/IERC1404.sol";
import {IERC7943Fungible} from "../interfaces/IERC7943.sol";
import {ITransferDiagnostic} from "../interfaces/ITransferDiagnostic.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {RestrictionCodes} from "../libraries/RestrictionCodes.sol";
import {PartyWord} from "../libraries/PartyWord.sol";
import {IInvestorRegistry} from "../interfaces/IInvestorRegistry.sol";
import {IPartyWords} from "../interfaces/IPartyWords.sol";
import {ISanctionsList, ISanctionsStoreSource} from "../interfaces/ISanctionsList.sol";
import {IERC7575Share} from "../interfaces/IERC7540.sol";
import {IOrderDeskVaults} from "../interfaces/IOrderVault.sol";

/// @notice The part of the order desk the token reads: the desk-wide pause.
interface IDeskPause {
    function paused() external view returns (bool);
}

/// @title OrderToken
/// @notice A tokenized stock of the mint-on-order architecture (Ondo Global Markets model): a token
/// exists only because an investor's buy order was executed by the order desk, and disappears when a
/// sell order is executed. Freely transferable, except to or from sanctioned or frozen wallets, and
/// not at all while the asset (this token) or every asset (the desk) is paused.
/// @dev Note: `totalSupply` on this chain NEVER changes except through the desk (`mint`/`burn`, one
/// per executed order, on the home chain only) or the gateway (`crosschainMint`/`crosschainBurn`);
/// every balance change goes through {_update}, where the pause, freeze and sanctions checks live.
/// Off the home chain the supply is therefore exactly what the home gateway counts as sent there.
///
/// Frozen means: frozen on this token by the compliance officer, OR the wallet is bound in the
/// investor registry to a frozen investor. An unbound wallet is not frozen (the token is freely
/// transferable; the desk, not the token, requires verified investors to buy and sell).
///
/// Corporate actions: the multiplier is fixed at 1e18 (units == amount). In this architecture a
/// split or a dividend is settled by the issuer outside the token (a split is priced into new quotes
/// and reissued by the desk; cash dividends are paid off-chain). {syncCorporateAction} therefore
/// only keeps the epoch aligned with the home chain: it accepts a newer epoch with multiplier 1e18
/// and refuses any other multiplier.
///
/// Frozen tokens (ERC-7943): besides freezing a whole wallet, the compliance officer may freeze an
/// amount of a wallet's tokens ({setFrozenTokens}, overwriting, possibly above the balance). Every
/// debit but a forced transfer (transfer, the desk's burn of a sell order, a bridge burn) leaves
/// that amount in the balance, or reverts with {ERC7943InsufficientUnfrozenBalance}.
/// {forcedTransfer} (same role) moves tokens from any holder (sanctioned or frozen too) to a
/// recipient that passes {canReceive}, the pauses still in force. It may take frozen tokens: the
/// unfrozen ones go first, and when `amount` exceeds them the frozen amount is lowered by the
/// frozen tokens taken (emitting {Frozen} before {Transfer}, then {ForcedTransfer}). Other
/// refusals keep this token's own errors ({OrderTokenPaused}, {OrderTokenSanctioned},
/// {OrderTokenFrozen}: where {canSend} or {canReceive} is false), as ERC-7943 allows.
///
/// Invariant: {canTransfer}, {detectTransferRestriction} and {diagnoseTransfer} read one rule
/// table ({_failedRules}); `canTransfer` is true exactly when `detectTransferRestriction` is 0,
/// exactly when every rule of `diagnoseTransfer` passes, exactly when `transfer` succeeds
/// (tests/unit/order_desk/test_order_token_transfer_agreement.py,
/// test/forge/TransferAgreement.inv.t.sol).
///
/// Upgradeable (UUPS, ERC-1967): clients use the proxy's address; all of the token's own state lives
/// in one ERC-7201 namespace (`OrderTokenStorage`, no sequential slot; the identity, ERC-20 and
/// permit state in their own namespaces), so an upgrade keeps every balance, freeze and setting.
/// Only DEFAULT_ADMIN_ROLE may upgrade ({_authorizeUpgrade}): the timelock once the deployment
/// hands admin over. The implementation itself can never be initialised. `config.homeChainId` is
/// the identity's home chain id, copied once by {initialize} (both never change).
contract OrderToken is
    Initializable,
    UUPSUpgradeable,
    ERC20PermitUpgradeable,
    AssetIdentityUpgradeable,
    PausableUpgradeable,
    IOrderToken,
    IERC7943Fungible,
    ITransferDiagnostic,
    IERC7575Share
{
    /// @notice Freezes and unfreezes wallets and tokens on this token, and forces transfers.
    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    /// @notice Pauses this asset at once (unpausing is `DEFAULT_ADMIN_ROLE`'s).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice ERC-1404 restriction codes, from the shared table {RestrictionCodes}; the pause,
    /// sanctions and freeze codes are also returned by {crosschainRestriction}.
    /// {detectTransferRestriction} returns {CODE_OK} exactly when the transfer would succeed.
    uint8 public constant CODE_OK = RestrictionCodes.NONE;
    uint8 public constant CODE_PAUSED = RestrictionCodes.PAUSED;
    uint8 public constant CODE_SENDER_SANCTIONED = RestrictionCodes.SENDER_SANCTIONED;
    uint8 public constant CODE_RECIPIENT_SANCTIONED = RestrictionCodes.RECIPIENT_SANCTIONED;
    /// @notice A wallet frozen on this token by the compliance officer.
    uint8 public constant CODE_SENDER_WALLET_FROZEN = RestrictionCodes.SENDER_WALLET_FROZEN;
    uint8 public constant CODE_RECIPIENT_WALLET_FROZEN = RestrictionCodes.RECIPIENT_WALLET_FROZEN;
    /// @notice A wallet bound in the investor registry to a frozen investor.
    uint8 public constant CODE_SENDER_INVESTOR_FROZEN = RestrictionCodes.SENDER_INVESTOR_FROZEN;
    uint8 public constant CODE_RECIPIENT_INVESTOR_FROZEN = RestrictionCodes.RECIPIENT_INVESTOR_FROZEN;
    uint8 public constant CODE_INSUFFICIENT_BALANCE = RestrictionCodes.INSUFFICIENT_BALANCE;
    uint8 public constant CODE_ZERO_ADDRESS = RestrictionCodes.ZERO_ADDRESS;
    /// @notice The amount exceeds the sender's balance minus its frozen tokens (ERC-7943).
    uint8 public constant CODE_INSUFFICIENT_UNFROZEN_BALANCE = RestrictionCodes.INSUFFICIENT_UNFROZEN_BALANCE;

    /// @notice Largest frozen amount {setFrozenTokens} accepts (2^248 - 1).
    uint256 public constant MAX_FROZEN_TOKENS = type(uint248).max;

    /// @dev Number of rules of a transfer and their ERC-1404 codes, in evaluation order: zero
    /// address, paused, sender sanctioned, recipient sanctioned, sender wallet frozen, recipient
    /// wallet frozen, sender investor frozen, recipient investor frozen, insufficient balance,
    /// insufficient unfrozen balance.
    uint256 private constant _RULE_COUNT = 10;
    bytes10 private constant _RULE_CODES = 0x13011011060704051208;

    uint256 private constant _MULTIPLIER = 1e18;

    /// @dev A wallet's freeze on this token: the whole wallet, and its ERC-7943 frozen tokens (one
    /// slot, read anyway by every balance change for the wallet freeze).
    struct Freeze {
        bool wallet;
        uint248 tokens;
    }

    /// @dev The slot every balance change reads first: the desk (its pause, and the only minter),
    /// this token's pause and the home chain (mint and burn). Written by {initialize} (the desk and
    /// the home chain, never again) and by the pause.
    struct Config {
        address desk;
        bool paused;
        uint64 homeChainId;
    }

    /// @custom:storage-location erc7201:tokenized-stocks.storage.OrderToken
    struct OrderTokenStorage {
        Config config;
        ISanctionsList sanctions;
        // The registry's plain copy of the wallets' words ({IInvestorRegistry-partyWordStore}): a
        // transfer by anyone but the desk reads its parties there, without the registry's proxy.
        IPartyWords words;
        // One slot, read together by the corporate-action sync.
        address gateway;
        uint64 epoch;
        mapping(address account => Freeze) freezes;
        // The investor registry (its view {registry}); the words are read from `words`.
        IInvestorRegistry registry;
        // Where every balance change asks `isSanctioned`: the list's plain SanctionsStore (no list
        // proxy hop), found through `sanctions` ({initialize}, {syncSanctionsReader}), or the list
        // itself when it has none (a Chainalysis oracle); zero in a token upgraded from a version
        // without it, which asks `sanctions`.
        ISanctionsList sanctionsReader;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("tokenized-stocks.storage.OrderToken")) - 1)) & ~bytes32(uint256(0xff))
    /// = 0x39d70a4079395aa948240487d8d2fcb01b5190c490b7c33b1a930295dac8dd00 (ERC-7201; asserted in
    /// test/forge/OrderTokenUpgrade.t.sol).
    bytes32 private constant ORDER_TOKEN_STORAGE = 0x39d70a4079395aa948240487d8d2fcb01b5190c490b7c33b1a930295dac8dd00;

    /// @notice The implementation: never initialised itself (a proxy delegates to it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a token behind its proxy (called once, in the proxy's deployment).
    /// @param admin Receives `DEFAULT_ADMIN_ROLE`.
    /// @param name_ ERC-20 name (also the EIP-712 permit domain name).
    /// @param symbol_ ERC-20 symbol.
    /// @param identity Asset identity; `architecture` must be `MintOnOrder`.
    /// @param desk_ The order desk, the only minter and burner besides the gateway.
    /// @param registry_ This chain's investor registry (investor freeze); its word store
    /// ({IInvestorRegistry-partyWordStore}) is read here and kept beside it.
    /// @param sanctions_ The sanctions oracle.
    /// @dev Emits {RoleGranted} and {Initialized}. Requirements: not yet initialised (the
    /// implementation never is); no address is zero; the identity is complete (see
    /// {AssetIdentityUpgradeable}) and of the `MintOnOrder` architecture.
    function initialize(
        address admin,
        string calldata name_,
        string calldata symbol_,
        IdentityParams calldata identity,
        address desk_,
        IInvestorRegistry registry_,
        ISanctionsList sanctions_
    ) external initializer {
        __UUPSUpgradeable_init();
        __ERC20_init(name_, symbol_);
        __ERC20Permit_init(name_);
        __Pausable_init();
        __AssetIdentity_init(identity);
        if (
            admin == address(0) || desk_ == address(0) || address(registry_) == address(0)
                || address(sanctions_) == address(0)
        ) revert OrderTokenZeroAddress();
        if (identity.architecture != Architecture.MintOnOrder) revert IdentityInvalid("architecture");
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        OrderTokenStorage storage $ = _ots();
        // Cast: __AssetIdentity_init refused a home chain id above 64 bits.
        $.config = Config({desk: desk_, paused: false, homeChainId: uint64(identity.homeChainId)});
        $.registry = registry_;
        $.words = IPartyWords(registry_.partyWordStore());
        $.sanctions = sanctions_;
        _syncSanctionsReader(sanctions_);
    }

    /// @notice Points the token again at its sanctions list's current copy
    /// ({ISanctionsStoreSource-sanctionsStore}), or at the list itself when it has none. Anyone may
    /// call it: the token only ever takes what its own list answers, and the copy answers as the list.
    /// @dev Emits a {SanctionsReaderSet} event. For a token upgraded from a version without the field
    /// (which asks the list until then) or a list that gained a store.
    function syncSanctionsReader() external {
        _syncSanctionsReader(_ots().sanctions);
    }

    /// @notice Where balance changes ask `isSanctioned` (the list's SanctionsStore, or the list).
    function sanctionsReader() external view returns (ISanctionsList) {
        return _sanctionsReader();
    }

    // ------------------------------------------------------------------------------------------
    // Desk: mint and burn on executed orders
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IOrderToken
    /// @dev Emits a {Transfer} event from the zero address.
    /// Requirements: caller is the desk; this is the home chain; not paused; `to` neither sanctioned
    /// nor frozen.
    function mint(address to, uint256 amount) external {
        _onlyDeskAtHome();
        _mint(to, amount);
    }

    /// @inheritdoc IOrderToken
    /// @dev Emits a {Transfer} event to the zero address.
    /// Requirements: caller is the desk; this is the home chain; not paused; `from` neither
    /// sanctioned nor frozen and holds `amount`.
    function burn(address from, uint256 amount) external {
        _onlyDeskAtHome();
        _burn(from, amount);
    }

    // ------------------------------------------------------------------------------------------
    // Compliance and pause
    // ------------------------------------------------------------------------------------------

    /// @notice Freezes (`frozen = true`) or unfreezes `account` on this token: a frozen wallet can
    /// neither send nor receive, nor buy or sell through the desk.
    /// @param account The wallet.
    /// @param frozen The new state.
    /// @dev Emits a {WalletFrozen} event.
    /// Requirements: caller has `COMPLIANCE_ROLE`; `account` is not zero and not already in that state.
    function setFrozen(address account, bool frozen) external onlyRole(COMPLIANCE_ROLE) {
        if (account == address(0)) revert OrderTokenZeroAddress();
        Freeze storage freeze = _ots().freezes[account];
        if (freeze.wallet == frozen) revert OrderTokenFreezeUnchanged(account, frozen);
        freeze.wallet = frozen;
        emit WalletFrozen(account, frozen, msg.sender);
    }

    /// @notice Pauses this asset: no transfer, mint or burn while paused.
    /// @dev Emits a {Paused} event. Requirements: caller has `PAUSER_ROLE`; not paused.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Lifts this asset's pause (the desk-wide pause, if any, still applies).
    /// @dev Emits an {Unpaused} event. Requirements: caller has `DEFAULT_ADMIN_ROLE` (the timelock in a
    /// governed deployment: the guardian pauses at once, resuming waits for the governance delay); paused.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /// @notice Sets the gateway allowed to call the ERC-7802 functions and the corporate-action sync.
    /// @param gateway_ The gateway of this chain (zero disables cross-chain moves).
    /// @dev Emits a {GatewaySet} event. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setGateway(address gateway_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _ots().gateway = gateway_;
        emit GatewaySet(gateway_);
    }

    // ------------------------------------------------------------------------------------------
    // ICrosschainAsset
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc ICrosschainAsset
    function gateway() external view returns (address) {
        return _ots().gateway;
    }

    /// @inheritdoc ICrosschainAsset
    /// @dev Fixed at 1e18 in this architecture: units == amount.
    function multiplier() external pure returns (uint256) {
        return _MULTIPLIER;
    }

    /// @inheritdoc ICrosschainAsset
    function corporateActionEpoch() external view returns (uint64) {
        return _ots().epoch;
    }

    /// @notice Mints `amount` units (== tokens) to `to`, delivering a cross-chain transfer.
    /// @param to The recipient.
    /// @param amount Units, equal to tokens here.
    /// @dev Emits {Transfer} and {CrosschainMint} events.
    /// Requirements: caller is the gateway; not paused; `to` neither sanctioned nor frozen.
    function crosschainMint(address to, uint256 amount) external {
        _onlyGateway();
        _mint(to, amount);
        emit CrosschainMint(to, amount, msg.sender);
    }

    /// @inheritdoc ICrosschainAsset
    /// @dev Units == tokens here. Requirements: as {crosschainMint}.
    function crosschainMintUnits(address to, uint256 units) external returns (uint256 amount) {
        _onlyGateway();
        _mint(to, units);
        emit CrosschainMint(to, units, msg.sender);
        return units;
    }

    /// @inheritdoc ICrosschainAsset
    /// @dev Units == tokens here. Requirements: as {crosschainBurn}.
    function crosschainBurnUnits(address from, uint256 units) external returns (uint256 amount) {
        _onlyGateway();
        _burn(from, units);
        emit CrosschainBurn(from, units, msg.sender);
        return units;
    }

    /// @inheritdoc ICrosschainAsset
    function crosschainRefundRestriction(address to, uint256) external view returns (uint8) {
        (uint8 code,) = _restriction(address(0), to);
        return code;
    }

    /// @notice Burns `amount` units (== tokens) of `from`, the sender of a cross-chain transfer.
    /// @param from The sender on this chain.
    /// @param amount Units, equal to tokens here.
    /// @dev Emits {Transfer} and {CrosschainBurn} events.
    /// Requirements: caller is the gateway; not paused; `from` neither sanctioned nor frozen and holds
    /// `amount`.
    function crosschainBurn(address from, uint256 amount) external {
        _onlyGateway();
        _burn(from, amount);
        emit CrosschainBurn(from, amount, msg.sender);
    }

    /// @inheritdoc ICrosschainAsset
    /// @dev 0 when allowed, else {CODE_PAUSED}, {CODE_RECIPIENT_SANCTIONED}, {CODE_RECIPIENT_WALLET_FROZEN}
    /// or {CODE_RECIPIENT_INVESTOR_FROZEN}.
    function crosschainRestriction(address to, uint256) external view returns (uint8) {
        (uint8 code,) = _restriction(address(0), to);
        return code;
    }

    /// @inheritdoc ICrosschainAsset
    /// @dev Keeps the epoch aligned with the home chain; the multiplier must stay 1e18.
    /// Emits a {CorporateActionSynced} event.
    /// Requirements: caller is the gateway; not the home chain; `epoch` newer than the current one;
    /// `newMultiplier == 1e18`.
    function syncCorporateAction(uint64 epoch, uint256 newMultiplier) external {
        _onlyGateway();
        OrderTokenStorage storage $ = _ots();
        if (block.chainid == $.config.homeChainId) revert OrderTokenSyncOnHomeChain();
        uint64 current = $.epoch;
        if (epoch <= current) revert AssetStaleCorporateAction(epoch, current);
        if (newMultiplier != _MULTIPLIER) revert OrderTokenUnsupportedMultiplier(newMultiplier);
        $.epoch = epoch;
        emit CorporateActionSynced(epoch, newMultiplier);
    }

    // ------------------------------------------------------------------------------------------
    // ERC-1404 and views
    // ------------------------------------------------------------------------------------------

    /// @inheritdoc IERC1404
    /// @dev 0 exactly when `transfer(to, value)` by `from` would succeed: the first failing rule of
    /// {diagnoseTransfer}.
    function detectTransferRestriction(address from, address to, uint256 value) public view returns (uint8) {
        bool[_RULE_COUNT] memory failed = _failedRules(from, to, value);
        for (uint256 i = 0; i < _RULE_COUNT; ++i) {
            if (failed[i]) return uint8(_RULE_CODES[i]);
        }
        return CODE_OK;
    }

    /// @notice Whether `transfer(to, amount)` by `from` would succeed now (ERC-7943): every rule of
    /// {diagnoseTransfer}, the frozen tokens included. True exactly when
    /// {detectTransferRestriction} is 0.
    /// @param from Sender.
    /// @param to Recipient.
    /// @param amount Tokens.
    function canTransfer(address from, address to, uint256 amount) external view returns (bool allowed) {
        return detectTransferRestriction(from, to, amount) == CODE_OK;
    }

    /// @inheritdoc ITransferDiagnostic
    /// @dev The rules, in order: zero address (19), paused: this token or the desk (1), sender
    /// sanctioned (16), recipient sanctioned (17), sender wallet frozen (6), recipient wallet
    /// frozen (7), sender investor frozen (4), recipient investor frozen (5), insufficient balance
    /// (18), insufficient unfrozen balance (8).
    function diagnoseTransfer(address from, address to, uint256 amount)
        external
        view
        returns (RuleCheck[] memory rules)
    {
        bool[_RULE_COUNT] memory failed = _failedRules(from, to, amount);
        rules = new RuleCheck[](_RULE_COUNT);
        for (uint256 i = 0; i < _RULE_COUNT; ++i) {
            uint8 code = uint8(_RULE_CODES[i]);
            rules[i] = RuleCheck({code: code, passed: !failed[i], message: RestrictionCodes.message(code)});
        }
    }

    /// @notice Whether `account` may send tokens: not zero, not sanctioned, its wallet not frozen on
    /// this token and not bound to a frozen investor. Account-level only, as ERC-7943 asks: the
    /// pauses and the frozen tokens are rules of {canTransfer}.
    /// @param account The account asked about.
    function canSend(address account) external view returns (bool allowed) {
        return _eligible(account);
    }

    /// @notice Whether `account` may receive tokens (the same account-level rules as {canSend}).
    /// @param account The account asked about.
    function canReceive(address account) external view returns (bool allowed) {
        return _eligible(account);
    }

    /// @notice Tokens frozen for `account` (may exceed its balance).
    /// @param account The holder.
    function getFrozenTokens(address account) external view returns (uint256 amount) {
        return _ots().freezes[account].tokens;
    }

    /// @notice Sets the frozen amount of `account` to `amount` tokens (overwrites, like `approve`).
    /// @param account The holder; not zero.
    /// @param amount Tokens frozen from now on; may exceed the balance; at most
    /// {MAX_FROZEN_TOKENS}. 0 unfreezes.
    /// @return result True.
    /// @dev Emits {Frozen} with `amount`. Works while paused. Requirements: caller has
    /// `COMPLIANCE_ROLE`; `account` not zero; `amount` at most {MAX_FROZEN_TOKENS}.
    function setFrozenTokens(address account, uint256 amount) external onlyRole(COMPLIANCE_ROLE) returns (bool result) {
        if (account == address(0)) revert OrderTokenZeroAddress();
        if (amount > MAX_FROZEN_TOKENS) revert OrderTokenFrozenAmountTooLarge(amount, MAX_FROZEN_TOKENS);
        // Cast: `amount` <= 2^248 - 1 (checked above).
        _ots().freezes[account].tokens = uint248(amount);
        emit Frozen(account, amount);
        return true;
    }

    /// @notice Moves `amount` tokens from `from` to `to` without `from`'s consent (ERC-7943: a
    /// regulatory or recovery action). Takes frozen tokens when the unfrozen ones do not suffice,
    /// lowering the frozen amount by the frozen tokens taken (see the contract's NatSpec).
    /// @param from The holder; may be sanctioned, frozen, or bound to a frozen investor.
    /// @param to The recipient; must pass {canReceive}.
    /// @param amount Tokens.
    /// @return result True.
    /// @dev Emits {Frozen} (only when frozen tokens are taken), {Transfer}, then {ForcedTransfer}.
    /// Requirements: caller has `COMPLIANCE_ROLE`; neither this token nor the desk paused; `from`
    /// and `to` not zero; `to` neither sanctioned nor frozen (wallet or investor); `amount` at
    /// most the balance of `from`.
    function forcedTransfer(address from, address to, uint256 amount)
        external
        onlyRole(COMPLIANCE_ROLE)
        returns (bool result)
    {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        _revertIfRestricted(address(0), to);
        uint256 balance = balanceOf(from);
        if (balance < amount) revert ERC20InsufficientBalance(from, balance, amount);
        Freeze storage freeze = _ots().freezes[from];
        uint256 frozen = freeze.tokens;
        uint256 unfrozen = balance > frozen ? balance - frozen : 0;
        if (amount > unfrozen) {
            // `amount - unfrozen <= frozen`: with `frozen <= balance` it is
            // `amount - balance + frozen`, and otherwise `amount <= balance < frozen`.
            uint256 left = frozen - (amount - unfrozen);
            // Cast: `left <= frozen`, which fits 248 bits.
            freeze.tokens = uint248(left);
            emit Frozen(from, left);
        }
        // The plain ERC-20 move: the sender's rules are bypassed on purpose, the recipient's were
        // checked above.
        ERC20Upgradeable._update(from, to, amount);
        emit ForcedTransfer(from, to, amount);
        return true;
    }

    /// @inheritdoc IERC1404
    function messageForTransferRestriction(uint8 restrictionCode) external pure returns (string memory) {
        return RestrictionCodes.message(restrictionCode);
    }

    /// @notice ERC-165: every interface this token implements, ERC-7802 (0x33331994), ERC-7943
    /// fungible (0x3edbb4c4) and {ITransferDiagnostic} included.
    /// @param interfaceId The interface asked about.
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(AccessControlUpgradeable, IERC165)
        returns (bool)
    {
        return interfaceId == type(IERC7943Fungible).interfaceId || interfaceId == type(ITransferDiagnostic).interfaceId
            || interfaceId == type(IERC7802).interfaceId || interfaceId == type(ICrosschainAsset).interfaceId
            || interfaceId == type(IERC1404).interfaceId || interfaceId == type(IOrderToken).interfaceId
            || interfaceId == type(IAssetIdentity).interfaceId || interfaceId == type(IERC20).interfaceId
            || interfaceId == type(IERC20Metadata).interfaceId || interfaceId == type(IERC20Permit).interfaceId
            || interfaceId == type(IERC5267).interfaceId || interfaceId == type(IERC7575Share).interfaceId
            || super.supportsInterface(interfaceId);
    }

    /// @notice ERC-7575: the asynchronous vault (ERC-7540) of this token for cash token `asset`, as
    /// registered on the desk (which emits the registrations, as {IOrderDeskVaults-VaultSet}).
    /// @param asset The cash token.
    function vault(address asset) external view returns (address) {
        return IOrderDeskVaults(_ots().config.desk).vaultOf(address(this), asset);
    }

    /// @inheritdoc IOrderToken
    function desk() external view returns (address) {
        return _ots().config.desk;
    }

    /// @inheritdoc IOrderToken
    /// @dev OZ's Pausable, with its flag kept in this token's config slot (read with the desk by
    /// every balance change); OZ's own Pausable namespace stays unused.
    function paused() public view override(PausableUpgradeable, IOrderToken) returns (bool) {
        return _ots().config.paused;
    }

    /// @inheritdoc IOrderToken
    function isFrozen(address account) external view returns (bool) {
        return _ots().freezes[account].wallet;
    }

    /// @notice The investor registry used for the investor freeze.
    function registry() external view returns (IInvestorRegistry) {
        return _ots().registry;
    }

    /// @notice The sanctions oracle.
    function sanctions() external view returns (ISanctionsList) {
        return _ots().sanctions;
    }

    // ------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------

    /// @dev The one hook of every balance change but a forced transfer: pause, freeze and sanctions
    /// for both parties, then the sender's frozen tokens (after the balance: a debit above the
    /// balance fails with `ERC20InsufficientBalance`, one above the unfrozen balance only with
    /// {ERC7943InsufficientUnfrozenBalance}).
    function _update(address from, address to, uint256 value) internal override {
        _revertIfRestricted(from, to);
        if (from != address(0)) {
            uint256 frozen = _ots().freezes[from].tokens;
            if (frozen != 0) {
                uint256 balance = balanceOf(from);
                uint256 unfrozen = balance > frozen ? balance - frozen : 0;
                if (value <= balance && value > unfrozen) {
                    revert ERC7943InsufficientUnfrozenBalance(from, value, unfrozen);
                }
            }
        }
        super._update(from, to, value);
    }

    /// @dev Reverts with the error of the first restriction of {_restriction}, if any.
    function _revertIfRestricted(address from, address to) private view {
        (uint8 code, address account) = _restriction(from, to);
        if (code != CODE_OK) {
            if (code == CODE_PAUSED) revert OrderTokenPaused(assetId());
            if (code == CODE_SENDER_SANCTIONED || code == CODE_RECIPIENT_SANCTIONED) {
                revert OrderTokenSanctioned(account);
            }
            revert OrderTokenFrozen(account);
        }
    }

    /// @dev Each rule's verdict on `transfer(to, amount)` by `from` (true = refuses), in the order
    /// of {_RULE_CODES}: the checks of `ERC20.transfer` and {_update}, each evaluated on its own.
    function _failedRules(address from, address to, uint256 amount)
        private
        view
        returns (bool[_RULE_COUNT] memory failed)
    {
        failed[0] = from == address(0) || to == address(0);
        OrderTokenStorage storage $ = _ots();
        failed[1] = $.config.paused || IDeskPause($.config.desk).paused();
        ISanctionsList sanctions_ = _sanctionsReader();
        failed[2] = sanctions_.isSanctioned(from);
        failed[3] = sanctions_.isSanctioned(to);
        Freeze memory fromFreeze = $.freezes[from];
        failed[4] = fromFreeze.wallet;
        failed[5] = $.freezes[to].wallet;
        (uint256 fromWord, uint256 toWord) = $.words.partyWords(from, to);
        failed[6] = PartyWord.frozen(fromWord);
        failed[7] = PartyWord.frozen(toWord);
        uint256 balance = balanceOf(from);
        failed[8] = balance < amount;
        failed[9] = amount > (balance > fromFreeze.tokens ? balance - fromFreeze.tokens : 0);
    }

    /// @dev The account-level rules of ERC-7943's `canSend` and `canReceive`.
    function _eligible(address account) private view returns (bool) {
        OrderTokenStorage storage $ = _ots();
        if (account == address(0) || _sanctionsReader().isSanctioned(account) || $.freezes[account].wallet) {
            return false;
        }
        return !PartyWord.frozen($.words.partyWord(account));
    }

    /// @dev The first restriction that applies and the account it applies to. The zero address
    /// (mint or burn side) is never checked, nor asked of the registry. Cost: the config slot (this
    /// token's pause and the desk), one call to the desk for its pause (skipped when the desk
    /// itself is the caller: it mints and burns only while not paused), one call to the sanctions
    /// list's plain store per party (no list proxy hop), one slot per party for the token freeze,
    /// and one call for the parties (their raw words, decoded by {PartyWord}) to the registry's
    /// word store, which the desk has just asked on an order (warm there).
    function _restriction(address from, address to) private view returns (uint8, address) {
        OrderTokenStorage storage $ = _ots();
        Config memory config = $.config;
        if (config.paused || (msg.sender != config.desk && IDeskPause(config.desk).paused())) {
            return (CODE_PAUSED, address(0));
        }
        bool checkFrom = from != address(0);
        bool checkTo = to != address(0);
        ISanctionsList sanctions_ = _sanctionsReader();
        if (checkFrom && sanctions_.isSanctioned(from)) return (CODE_SENDER_SANCTIONED, from);
        if (checkTo && sanctions_.isSanctioned(to)) return (CODE_RECIPIENT_SANCTIONED, to);
        if (checkFrom && $.freezes[from].wallet) return (CODE_SENDER_WALLET_FROZEN, from);
        if (checkTo && $.freezes[to].wallet) return (CODE_RECIPIENT_WALLET_FROZEN, to);
        (uint256 fromWord, uint256 toWord) = _partyWords($.words, from, to, checkFrom, checkTo);
        if (PartyWord.frozen(fromWord)) return (CODE_SENDER_INVESTOR_FROZEN, from);
        if (PartyWord.frozen(toWord)) return (CODE_RECIPIENT_INVESTOR_FROZEN, to);
        return (CODE_OK, address(0));
    }

    /// @dev The registry words of the parties that are checked (zero, "unbound", for the other):
    /// one call either way, and no cold read of the zero address's slot on a mint or a burn.
    function _partyWords(IPartyWords words_, address from, address to, bool checkFrom, bool checkTo)
        private
        view
        returns (uint256 fromWord, uint256 toWord)
    {
        if (checkFrom && checkTo) return words_.partyWords(from, to);
        if (checkFrom) return (words_.partyWord(from), 0);
        if (checkTo) return (0, words_.partyWord(to));
    }

    /// @dev The sanctions oracle every check asks: the list's store, or `sanctions` itself.
    function _sanctionsReader() private view returns (ISanctionsList reader) {
        OrderTokenStorage storage $ = _ots();
        reader = $.sanctionsReader;
        if (address(reader) == address(0)) reader = $.sanctions;
    }

    /// @dev The list's store when it has one (a list answering {ISanctionsStoreSource} with a
    /// non-zero store), else the list itself (a Chainalysis oracle answers only `isSanctioned`).
    function _syncSanctionsReader(ISanctionsList list) private {
        ISanctionsList reader = list;
        try ISanctionsStoreSource(address(list)).sanctionsStore() returns (ISanctionsList store) {
            if (address(store) != address(0)) reader = store;
        } catch {}
        _ots().sanctionsReader = reader;
        emit SanctionsReaderSet(address(reader));
    }

    /// @dev Orders mint and burn only on the home chain: elsewhere the supply is exactly what the
    /// home gateway sent out (its `supplyElsewhere` count), which only the gateway may change.
    function _onlyDeskAtHome() private view {
        Config memory config = _ots().config;
        if (msg.sender != config.desk) revert OrderTokenUnauthorizedDesk(msg.sender);
        if (block.chainid != config.homeChainId) revert OrderTokenNotHomeChain(config.homeChainId, block.chainid);
    }

    function _onlyGateway() private view {
        address gateway_ = _ots().gateway;
        if (msg.sender != gateway_ || gateway_ == address(0)) revert AssetUnauthorizedGateway(msg.sender);
    }

    /// @dev As OZ's: requires not paused, emits {Paused}.
    function _pause() internal override whenNotPaused {
        _ots().config.paused = true;
        emit Paused(_msgSender());
    }

    /// @dev As OZ's: requires paused, emits {Unpaused}.
    function _unpause() internal override whenPaused {
        _ots().config.paused = false;
        emit Unpaused(_msgSender());
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every balance, allowance, freeze and setting stays, they live in the
    /// token's ERC-7201 namespaces.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    /// @dev The token's state: one ERC-7201 namespace ({ORDER_TOKEN_STORAGE}).
    function _ots() private pure returns (OrderTokenStorage storage $) {
        // Assembly is the only way to point a storage reference at a computed slot (OZ's idiom).
        // slither-disable-next-line assembly
        assembly {
            $.slot := ORDER_TOKEN_STORAGE
        }
    }
}
