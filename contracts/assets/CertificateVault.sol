// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";
import {ITrackerCertificate} from "../interfaces/ITrackerCertificate.sol";

/// @title CertificateVault
/// @notice A non-rebasing ERC-4626 wrapper of a {TrackerCertificate}, for lending pools and AMMs
/// that refuse tokens whose balances change by themselves. A vault share's *count* never changes;
/// what one share is worth follows the certificate's multiplier (a 2:1 split doubles
/// `convertToAssets`), so wrapping before and unwrapping after a split returns the split amount.
/// @dev OpenZeppelin {ERC4626Upgradeable}: `totalAssets()` is the vault's certificate balance, which the
/// multiplier rebases; the share count is untouched by a corporate action.
///
/// ROUNDING. OZ's, always in favour of the vault: deposit and redeem round the shares / assets
/// down, mint and withdraw round the assets / shares up; OZ's virtual share and asset (decimals
/// offset 0) make a sole depositor's redemption one wei short at most. The certificate's
/// transfers are exact at every multiplier (a transfer of `v` changes both balances by exactly
/// `v`), so the vault's asset deltas are exactly the previewed amounts and no round trip
/// (deposit->redeem, mint->withdraw, redeem->mint, withdraw->deposit) returns more than it cost.
///
/// SANCTIONS: ONE PERIMETER. The certificate's sanctions rule ({ITrackerCertificate-isSanctioned}:
/// its cached flags, and its oracle too in live mode) is applied to every party that benefits
/// from the vault: the caller, the receiver and the owner of a deposit, mint, withdraw or redeem,
/// and the sender, the recipient and the spender of a vault-share transfer. A sanctioned holder
/// can neither unwrap to a clean receiver nor pass its (otherwise unscreened) vault shares on.
/// `approve` and `permit` are not screened: an allowance is useless to a sanctioned spender.
/// Pause is the certificate's: it stops deposits and withdrawals (the asset transfers revert),
/// not vault-share transfers.
///
/// UPGRADES. Invariants (NEVER violate): the vault holds no state of its own: the wrapped
/// certificate, the share balances, allowances, name and symbol live in OZ's ERC-20 and ERC-4626
/// ERC-7201 namespaces, the admin in AccessControl's (no sequential slot). The vault's own
/// namespace, `tokenized-stocks.storage.CertificateVault` (keccak256(abi.encode(uint256(keccak256(
/// "tokenized-stocks.storage.CertificateVault")) - 1)) & ~bytes32(uint256(0xff)) =
/// 0x42310e02bb5e39768c8a3f88869ed030cfe16c1dae8cdc2c28ed0d4d69f96a00, asserted empty in
/// test/forge/CertificateVaultUpgrade.t.sol), is where a later version puts fields of its own.
/// Upgradeable (UUPS, ERC-1967): clients use the proxy's address; an upgrade keeps every share.
/// The vault had no admin: `initialize` takes one, who holds DEFAULT_ADMIN_ROLE and alone may
/// upgrade ({_authorizeUpgrade}; the timelock once the deployment hands admin over). The
/// implementation itself can never be initialised.
contract CertificateVault is Initializable, UUPSUpgradeable, AccessControlUpgradeable, ERC4626Upgradeable {
    /// @notice `account` (caller, owner, receiver, share sender, recipient or spender) is
    /// sanctioned under the certificate's rules.
    error CertificateVaultSanctioned(address account);

    /// @notice The admin given to {initialize} is the zero address.
    error CertificateVaultZeroAddress();

    /// @notice The implementation: never initialised itself (a proxy delegates to it).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a vault behind its proxy (called once, in the proxy's deployment).
    /// @param certificate The wrapped {TrackerCertificate}.
    /// @param name_ ERC-20 name of the vault shares.
    /// @param symbol_ ERC-20 symbol of the vault shares.
    /// @param admin Receives DEFAULT_ADMIN_ROLE: the only power it gives is {_authorizeUpgrade}.
    /// @dev Emits {RoleGranted} and {Initialized}. Requirements: not yet initialised (the
    /// implementation never is); `admin` is not zero.
    function initialize(IERC20 certificate, string calldata name_, string calldata symbol_, address admin)
        external
        initializer
    {
        __UUPSUpgradeable_init();
        __AccessControl_init();
        __ERC20_init(name_, symbol_);
        __ERC4626_init(certificate);
        if (admin == address(0)) revert CertificateVaultZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Moves `value` vault shares from `from` to `to` with the caller's allowance.
    /// @param from Share holder.
    /// @param to Recipient.
    /// @param value Vault shares.
    /// @dev Emits {Transfer}. Requirements: as ERC-20; none of the caller, `from`, `to` is
    /// sanctioned under the certificate's rules.
    function transferFrom(address from, address to, uint256 value)
        public
        override(ERC20Upgradeable, IERC20)
        returns (bool)
    {
        _screen(_msgSender());
        return super.transferFrom(from, to, value);
    }

    /// @dev Every share mint, burn and transfer: screens both parties (the zero address of a mint
    /// or burn is not an account).
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0)) _screen(from);
        if (to != address(0)) _screen(to);
        super._update(from, to, value);
    }

    /// @dev Deposit and mint: the caller pays, the receiver gets the shares ({_update} screens it
    /// too); both screened before any transfer.
    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        _screen(caller);
        _screen(receiver);
        super._deposit(caller, receiver, assets, shares);
    }

    /// @dev Withdraw and redeem: the caller, the receiver of the certificates and the owner of
    /// the shares are all screened before any transfer.
    function _withdraw(address caller, address receiver, address owner, uint256 assets, uint256 shares)
        internal
        override
    {
        _screen(caller);
        _screen(receiver);
        _screen(owner);
        super._withdraw(caller, receiver, owner, assets, shares);
    }

    /// @notice Who may upgrade: `upgradeToAndCall(newImplementation, data)` (UUPS, inherited)
    /// points the proxy at `newImplementation` (which must be UUPS: `proxiableUUID` is checked) and
    /// runs `data` on it; every share and allowance stays, they live in OZ's ERC-7201 namespaces.
    /// @dev Emits {Upgraded} (ERC-1967). Requirements: DEFAULT_ADMIN_ROLE (the timelock after the
    /// hand-over: an upgrade waits its delay); called through the proxy.
    function _authorizeUpgrade(address) internal view override onlyRole(DEFAULT_ADMIN_ROLE) {}

    function _screen(address account) private view {
        if (ITrackerCertificate(asset()).isSanctioned(account)) revert CertificateVaultSanctioned(account);
    }
}
