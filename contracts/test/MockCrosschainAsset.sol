// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {AssetIdentityUpgradeable} from "../assets/AssetIdentityUpgradeable.sol";
import {ICrosschainAsset} from "../interfaces/ICrosschainAsset.sol";

/// @notice Test-only asset implementing ICrosschainAsset: ERC20 storage holds UNITS, balances are
/// shown as units * multiplier / 1e18, a settable restriction code per account stands in for
/// compliance (a holder rule: refuses transfers, refunds and mints), a transfer-only code stands in
/// for a global rule a refund bypasses (holder count, minimum holding), and `split` is the home
/// chain's corporate action.
contract MockCrosschainAsset is AssetIdentityUpgradeable, ERC20Upgradeable, ICrosschainAsset {
    /// @notice `account` is restricted with `code` (sender side of a burn or recipient of a mint).
    error MockRestricted(address account, uint8 code);
    /// @notice A split was attempted away from the home chain.
    error MockNotHomeChain();

    event RestrictionSet(address indexed account, uint8 code);
    event TransferOnlyRestrictionSet(address indexed account, uint8 code);

    address private _gateway;
    uint256 private _multiplier = 1e18;
    uint64 private _epoch;

    /// @dev Both codes of an account in one slot, so a delivery's check reads one slot (the gas
    /// tests use this mock as the "gateway's own cost" asset).
    struct Codes {
        uint8 holder;
        uint8 transferOnly;
    }

    mapping(address account => Codes) private _codes;

    constructor(address admin, IdentityParams memory params) initializer {
        __ERC20_init("Mock Stock", "MOCK");
        __AssetIdentity_init(params);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    modifier onlyGateway() {
        if (msg.sender != _gateway) revert AssetUnauthorizedGateway(msg.sender);
        _;
    }

    /// @notice Sets the gateway. Requirements: DEFAULT_ADMIN_ROLE. Emits {GatewaySet}.
    function setGateway(address newGateway) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _gateway = newGateway;
        emit GatewaySet(newGateway);
    }

    /// @notice Mints `units` (test set-up). Requirements: DEFAULT_ADMIN_ROLE.
    function mint(address to, uint256 units) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _mint(to, units);
    }

    /// @notice Sets the restriction code of `account` (0 = allowed). Requirements: DEFAULT_ADMIN_ROLE.
    function setRestriction(address account, uint8 code) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _codes[account].holder = code;
        emit RestrictionSet(account, code);
    }

    /// @notice Sets a code that refuses inbound transfers to `account` but not refunds (a global
    /// rule such as the holder count). Requirements: DEFAULT_ADMIN_ROLE.
    function setTransferOnlyRestriction(address account, uint8 code) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _codes[account].transferOnly = code;
        emit TransferOnlyRestrictionSet(account, code);
    }

    /// @notice Home-chain corporate action: new multiplier, next epoch. Requirements: DEFAULT_ADMIN_ROLE.
    function split(uint256 newMultiplier) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!_isHomeChain()) revert MockNotHomeChain();
        _multiplier = newMultiplier;
        emit CorporateActionSynced(++_epoch, newMultiplier);
    }

    /// @inheritdoc ICrosschainAsset
    function gateway() external view returns (address) {
        return _gateway;
    }

    /// @inheritdoc ICrosschainAsset
    function multiplier() external view returns (uint256) {
        return _multiplier;
    }

    /// @inheritdoc ICrosschainAsset
    function corporateActionEpoch() external view returns (uint64) {
        return _epoch;
    }

    /// @inheritdoc ICrosschainAsset
    function crosschainRestriction(address to, uint256) public view returns (uint8) {
        Codes memory codes = _codes[to];
        return codes.holder != 0 ? codes.holder : codes.transferOnly;
    }

    /// @inheritdoc ICrosschainAsset
    function syncCorporateAction(uint64 epoch, uint256 newMultiplier) external onlyGateway {
        if (_isHomeChain()) revert MockNotHomeChain();
        if (epoch <= _epoch) revert AssetStaleCorporateAction(epoch, _epoch);
        _epoch = epoch;
        _multiplier = newMultiplier;
        emit CorporateActionSynced(epoch, newMultiplier);
    }

    /// @notice Units of `account` (what the gateway moves).
    function unitsOf(address account) external view returns (uint256) {
        return super.balanceOf(account);
    }

    /// @notice Units in existence on this chain.
    function totalUnits() external view returns (uint256) {
        return super.totalSupply();
    }

    /// @notice Balance in shares: units * multiplier / 1e18.
    function balanceOf(address account) public view override returns (uint256) {
        return super.balanceOf(account) * _multiplier / 1e18;
    }

    /// @inheritdoc ICrosschainAsset
    function crosschainRefundRestriction(address to, uint256) external view returns (uint8) {
        return _codes[to].holder;
    }

    /// @notice Mints `units` to `to` (split-safe path). Only the gateway.
    function crosschainMintUnits(address to, uint256 units) external onlyGateway returns (uint256 amount) {
        uint8 code = _codes[to].holder;
        if (code != 0) revert MockRestricted(to, code);
        _mint(to, units);
        amount = units * _multiplier / 1e18;
        emit CrosschainMint(to, amount, msg.sender);
    }

    /// @notice Burns `units` of `from` (split-safe path). Only the gateway.
    function crosschainBurnUnits(address from, uint256 units) external onlyGateway returns (uint256 amount) {
        uint8 code = _codes[from].holder;
        if (code != 0) revert MockRestricted(from, code);
        _burn(from, units);
        amount = (units * _multiplier + 1e18 - 1) / 1e18;
        emit CrosschainBurn(from, amount, msg.sender);
    }

    /// @notice Mints `amount` units to `to`. Only the gateway.
    function crosschainMint(address to, uint256 amount) external onlyGateway {
        uint8 code = _codes[to].holder;
        if (code != 0) revert MockRestricted(to, code);
        _mint(to, amount);
        emit CrosschainMint(to, amount, msg.sender);
    }

    /// @notice Burns `amount` units of `from`. Only the gateway.
    function crosschainBurn(address from, uint256 amount) external onlyGateway {
        uint8 code = _codes[from].holder;
        if (code != 0) revert MockRestricted(from, code);
        _burn(from, amount);
        emit CrosschainBurn(from, amount, msg.sender);
    }
}
