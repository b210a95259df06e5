// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ForgeTest} from "./utils/Vm.sol";
import {RestrictionCodes} from "../../contracts/libraries/RestrictionCodes.sol";
import {IRegistryShareTypes} from "../../contracts/interfaces/IRegistryShare.sol";

/// @notice The registry share's `Restriction` enum is the prefix of the shared ERC-1404 table.
contract RestrictionCodesTest is ForgeTest {
    function test_registryShareEnumIsTheTablePrefix() public pure {
        assertEq(uint8(IRegistryShareTypes.Restriction.None), RestrictionCodes.NONE, "NONE");
        assertEq(uint8(IRegistryShareTypes.Restriction.Paused), RestrictionCodes.PAUSED, "PAUSED");
        assertEq(
            uint8(IRegistryShareTypes.Restriction.SenderNotVerified),
            RestrictionCodes.SENDER_NOT_VERIFIED,
            "SENDER_NOT_VERIFIED"
        );
        assertEq(
            uint8(IRegistryShareTypes.Restriction.RecipientNotVerified),
            RestrictionCodes.RECIPIENT_NOT_VERIFIED,
            "RECIPIENT_NOT_VERIFIED"
        );
        assertEq(
            uint8(IRegistryShareTypes.Restriction.SenderInvestorFrozen),
            RestrictionCodes.SENDER_INVESTOR_FROZEN,
            "SENDER_INVESTOR_FROZEN"
        );
        assertEq(
            uint8(IRegistryShareTypes.Restriction.RecipientInvestorFrozen),
            RestrictionCodes.RECIPIENT_INVESTOR_FROZEN,
            "RECIPIENT_INVESTOR_FROZEN"
        );
        assertEq(
            uint8(IRegistryShareTypes.Restriction.SenderWalletFrozen),
            RestrictionCodes.SENDER_WALLET_FROZEN,
            "SENDER_WALLET_FROZEN"
        );
        assertEq(
            uint8(IRegistryShareTypes.Restriction.RecipientWalletFrozen),
            RestrictionCodes.RECIPIENT_WALLET_FROZEN,
            "RECIPIENT_WALLET_FROZEN"
        );
        assertEq(
            uint8(IRegistryShareTypes.Restriction.InsufficientUnfrozenBalance),
            RestrictionCodes.INSUFFICIENT_UNFROZEN_BALANCE,
            "INSUFFICIENT_UNFROZEN_BALANCE"
        );
        assertEq(uint8(IRegistryShareTypes.Restriction.LockedUp), RestrictionCodes.LOCKED_UP, "LOCKED_UP");
        assertEq(
            uint8(IRegistryShareTypes.Restriction.CountryNotAllowed),
            RestrictionCodes.COUNTRY_NOT_ALLOWED,
            "COUNTRY_NOT_ALLOWED"
        );
        assertEq(uint8(IRegistryShareTypes.Restriction.MaxHolders), RestrictionCodes.MAX_HOLDERS, "MAX_HOLDERS");
        assertEq(
            uint8(IRegistryShareTypes.Restriction.MaxCountryHolders),
            RestrictionCodes.MAX_COUNTRY_HOLDERS,
            "MAX_COUNTRY_HOLDERS"
        );
        assertEq(
            uint8(IRegistryShareTypes.Restriction.BelowMinHolding),
            RestrictionCodes.BELOW_MIN_HOLDING,
            "BELOW_MIN_HOLDING"
        );
        assertEq(
            uint8(IRegistryShareTypes.Restriction.AboveMaxHolding),
            RestrictionCodes.ABOVE_MAX_HOLDING,
            "ABOVE_MAX_HOLDING"
        );
        assertEq(
            uint8(IRegistryShareTypes.Restriction.WalletInvestorMismatch),
            RestrictionCodes.WALLET_INVESTOR_MISMATCH,
            "WALLET_INVESTOR_MISMATCH"
        );
        assertEq(
            uint8(type(IRegistryShareTypes.Restriction).max),
            RestrictionCodes.SENDER_SANCTIONED - 1,
            "SENDER_SANCTIONED - 1"
        );
    }

    function test_everyCodeHasItsOwnMessage() public pure {
        for (uint8 a = 0; a <= RestrictionCodes.MAX_CODE + 1; ++a) {
            for (uint8 b = a + 1; b <= RestrictionCodes.MAX_CODE + 1; ++b) {
                assertTrue(
                    keccak256(bytes(RestrictionCodes.message(a))) != keccak256(bytes(RestrictionCodes.message(b))),
                    "message"
                );
            }
        }
        assertTrue(keccak256(bytes(RestrictionCodes.message(255))) == keccak256("Unknown restriction code"), "unknown");
    }
}
