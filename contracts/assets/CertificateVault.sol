// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";

/// @title CertificateVault
/// @notice A non-rebasing ERC-4626 wrapper of a {TrackerCertificate}, for lending pools and AMMs
/// that refuse tokens whose balances change by themselves. A vault share's *count* never changes;
/// what one share is worth follows the certificate's multiplier (a 2:1 split doubles
/// `convertToAssets`), so wrapping before and unwrapping after a split returns the split amount.
/// @dev Plain OpenZeppelin {ERC4626}: `totalAssets()` is the vault's certificate balance, which
/// the multiplier rebases; the share count is untouched by a corporate action.
/// Rounding is OZ's, always in favour of the vault: deposit and redeem round the shares / assets
/// down, mint and withdraw round the assets / shares up; OZ's virtual share and asset (decimals
/// offset 0) make a sole depositor's redemption one wei short at most.
/// The certificate debits `ceil(value * 1e18 / multiplier)` units from a payer and credits them to
/// the recipient, so a deposit of `assets` adds at least `assets` to `totalAssets()`, and paying
/// out `assets` costs the vault at least `assets` and at most one unit's worth more (less than
/// `multiplier / 1e18 + 1` wei), borne by the remaining shares. Dust never creates tokens.
/// Sanctions and pause are the certificate's: a sanctioned owner or receiver cannot move
/// certificates in or out of the vault; vault shares themselves are not screened.
contract CertificateVault is ERC4626 {
    /// @param certificate The wrapped {TrackerCertificate}.
    /// @param name_ ERC-20 name of the vault shares.
    /// @param symbol_ ERC-20 symbol of the vault shares.
    constructor(IERC20 certificate, string memory name_, string memory symbol_)
        ERC20(name_, symbol_)
        ERC4626(certificate)
    {}
}
