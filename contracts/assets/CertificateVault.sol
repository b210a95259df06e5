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
/// the multiplier rebases. Rounding is OZ's, always in favour of the vault (against the caller):
/// deposit/redeem round shares/assets down, mint/withdraw round assets/shares up; with the virtual
/// share and asset of OZ 5 (decimals offset 0) a sole depositor who redeems everything leaves at
/// most one wei per... (rounding) in the vault, which no one can withdraw: dust never creates tokens.
/// The certificate debits `ceil(value * 1e18 / multiplier)` units from a payer and credits them to
/// the recipient, so a deposit of `assets` adds at least `assets` to `totalAssets()` and a
/// withdrawal of `assets` pays the receiver at least `assets`: a withdrawal can cost the vault up to
/// one unit's worth more than `assets`, borne by the remaining shares (< multiplier / 1e18 wei).
/// Sanctions and pause are the certificate's: a sanctioned receiver or owner cannot move
/// certificates in or out; vault shares themselves are not screened.
contract CertificateVault is ERC4626 {
    /// @param certificate The wrapped {TrackerCertificate}.
    /// @param name_ ERC-20 name of the vault shares.
    /// @param symbol_ ERC-20 symbol of the vault shares.
    constructor(IERC20 certificate, string memory name_, string memory symbol_)
        ERC20(name_, symbol_)
        ERC4626(certificate)
    {}
}
