// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {ITrackerCertificate} from "../interfaces/ITrackerCertificate.sol";

/// @title CertificateVault
/// @notice A non-rebasing ERC-4626 wrapper of a {TrackerCertificate}, for lending pools and AMMs
/// that refuse tokens whose balances change by themselves. A vault share's *count* never changes;
/// what one share is worth follows the certificate's multiplier (a 2:1 split doubles
/// `convertToAssets`), so wrapping before and unwrapping after a split returns the split amount.
/// @dev OpenZeppelin {ERC4626}: `totalAssets()` is the vault's certificate balance, which the
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
contract CertificateVault is ERC4626 {
    /// @notice `account` (caller, owner, receiver, share sender, recipient or spender) is
    /// sanctioned under the certificate's rules.
    error CertificateVaultSanctioned(address account);

    /// @param certificate The wrapped {TrackerCertificate}.
    /// @param name_ ERC-20 name of the vault shares.
    /// @param symbol_ ERC-20 symbol of the vault shares.
    constructor(IERC20 certificate, string memory name_, string memory symbol_)
        ERC20(name_, symbol_)
        ERC4626(certificate)
    {}

    /// @notice Moves `value` vault shares from `from` to `to` with the caller's allowance.
    /// @param from Share holder.
    /// @param to Recipient.
    /// @param value Vault shares.
    /// @dev Emits {Transfer}. Requirements: as ERC-20; none of the caller, `from`, `to` is
    /// sanctioned under the certificate's rules.
    function transferFrom(address from, address to, uint256 value) public override(ERC20, IERC20) returns (bool) {
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

    function _screen(address account) private view {
        if (ITrackerCertificate(asset()).isSanctioned(account)) revert CertificateVaultSanctioned(account);
    }
}
