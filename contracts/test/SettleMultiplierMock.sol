// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Test-only: a security whose balances are stored units times a share multiplier, like the
/// tracker certificate (balance = units * multiplier / 1e18), so a split can happen while tokens sit
/// in a settlement escrow. Public mint and `setMultiplier`; no identity beyond `assetId`/`isin`.
contract SettleMultiplierMock is IERC20 {
    error MultiplierMockInsufficientBalance(address from, uint256 balance, uint256 needed);
    error MultiplierMockInsufficientAllowance(address spender, uint256 allowance, uint256 needed);

    uint256 public multiplier = 1e18;
    /// @notice Corporate actions applied so far (each {setMultiplier} is one).
    uint64 public corporateActionEpoch;
    bytes32 public constant assetId = keccak256("tokenized-stock:US0378331005");
    string public constant isin = "US0378331005";

    mapping(address account => uint256) private _units;
    mapping(address account => mapping(address spender => uint256)) private _allowances;
    uint256 private _totalUnits;

    /// @notice Mints `amount` (at the current multiplier) to `to`; anyone may call it (test only).
    function mint(address to, uint256 amount) external {
        uint256 units = Math.mulDiv(amount, 1e18, multiplier);
        _units[to] += units;
        _totalUnits += units;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Applies a corporate action: 2e18 is a 2:1 split (test only).
    function setMultiplier(uint256 newMultiplier) external {
        multiplier = newMultiplier;
        ++corporateActionEpoch;
    }

    function totalSupply() external view returns (uint256) {
        return Math.mulDiv(_totalUnits, multiplier, 1e18);
    }

    /// @notice Stored units of `account` (balance = units * multiplier / 1e18).
    function unitsOf(address account) external view returns (uint256) {
        return _units[account];
    }

    function balanceOf(address account) public view returns (uint256) {
        return Math.mulDiv(_units[account], multiplier, 1e18);
    }

    function allowance(address owner, address spender) external view returns (uint256) {
        return _allowances[owner][spender];
    }

    function approve(address spender, uint256 value) external returns (bool) {
        _allowances[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = _allowances[from][msg.sender];
        if (allowed < value) revert MultiplierMockInsufficientAllowance(msg.sender, allowed, value);
        _allowances[from][msg.sender] = allowed - value;
        _move(from, to, value);
        return true;
    }

    function _move(address from, address to, uint256 value) private {
        uint256 units = Math.mulDiv(value, 1e18, multiplier, Math.Rounding.Ceil);
        uint256 held = _units[from];
        if (held < units) revert MultiplierMockInsufficientBalance(from, balanceOf(from), value);
        _units[from] = held - units;
        _units[to] += units;
        emit Transfer(from, to, value);
    }
}
