// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IShareExtension — the registry share's transfer-agent and admin actions, and the
/// ERC-3643 (T-REX `IToken`) names
/// @notice Implemented by {ShareExtension}, which runs on the share's storage: {RegistryShare}
/// forwards each of these selectors to it by `delegatecall` (see "Code size" in {RegistryShare}).
/// Called at the share's address, with the share's roles.
/// @dev Note: ERC-3643 entry points keep T-REX's signatures and semantics where the concept exists
/// here; each has a suite variant with a `reason` (legal reference) carried by the suite's event.
/// An ERC-3643 entry point emits the suite's event (empty reason) and the T-REX-shaped event
/// ({IShareStandardEvents}). Batch functions loop over caller-supplied arrays: bounded by the
/// calldata the caller pays for, never by the number of holders; one failing item reverts the batch.
interface IShareExtension {
    // ------------------------------------------------------------------------------------------
    // The suite's transfer-agent actions (with a reason)
    // ------------------------------------------------------------------------------------------

    /// @notice Issues `amount` new shares to `to` (primary issuance); `to`'s balance grows by
    /// exactly `amount`, total units by `ceil(amount / multiplier)`.
    /// @param to A verified investor's wallet.
    /// @param amount Shares to issue.
    /// @param reason Legal reference (board resolution, subscription...).
    /// @dev Emits {Transfer} from zero and {Issued}.
    /// Requirements: caller has `TRANSFER_AGENT_ROLE`; `to` passes every recipient rule (the
    /// asset may be paused: issuance is the agent's act).
    function issue(address to, uint256 amount, string calldata reason) external;

    /// @notice Redeems (burns) `amount` shares of `from`, frozen ones included (frozen tokens
    /// are released first as far as needed); total units shrink by `floor(amount / multiplier)`.
    /// @param from The holder's wallet.
    /// @param amount Shares to redeem.
    /// @param reason Legal reference.
    /// @dev Emits {TokensUnfrozen} when frozen tokens were used, {Transfer} to zero, {Redeemed}.
    /// Requirements: caller has `TRANSFER_AGENT_ROLE`; `from` holds `amount`.
    function redeem(address from, uint256 amount, string calldata reason) external;

    /// @notice Moves `amount` shares from `from` to `to` without the holder's consent (court
    /// order, estate...). Lock-ups, holding limits, holder caps, wallet freezes and pause do not
    /// apply; frozen tokens are released as far as needed. The recipient must still be verified.
    /// @param from Holder's wallet.
    /// @param to Recipient wallet, verified and not bound to another investor's tokens.
    /// @param amount Shares to move.
    /// @param reason Legal reference (court order...).
    /// @return True.
    /// @dev Emits {TokensUnfrozen} when frozen tokens were used, {Transfer}, {ForcedTransfer}.
    /// Requirements: caller has `TRANSFER_AGENT_ROLE`; `from` holds `amount`; `to` is verified.
    function forcedTransfer(address from, address to, uint256 amount, string calldata reason) external returns (bool);

    /// @notice Wallet recovery (lost keys): moves the whole balance, the frozen tokens and the
    /// wallet freeze of `lostWallet` to `newWallet`, a verified wallet of the same investor, and
    /// routes the lost wallet's unclaimed dividends and votes to it. Lock-ups are per investor
    /// and so stay in force. The lost wallet never receives this asset again (recipient code
    /// `RecipientWalletFrozen`), even if the registrar later binds it to an investor.
    /// @param lostWallet The wallet whose keys are lost (it may already be unbound in the registry).
    /// @param newWallet A wallet the registry binds to `investorId`.
    /// @param investorId The investor both wallets belong to.
    /// @param reason Legal reference (identity check file...).
    /// @return True.
    /// @dev Emits {Transfer}, {RecoverySuccess}.
    /// Requirements: caller has `TRANSFER_AGENT_ROLE`; `lostWallet`'s tokens are counted under
    /// `investorId`; `newWallet` is verified for `investorId`, holds no other investor's tokens and
    /// was never itself recovered (a lost wallet never comes back, so recovery links cannot loop).
    function recoveryAddress(address lostWallet, address newWallet, bytes32 investorId, string calldata reason)
        external
        returns (bool);

    /// @notice Freezes (`freeze = true`) or unfreezes a whole wallet: it can neither send nor receive.
    /// @param wallet The wallet.
    /// @param freeze The new state.
    /// @param reason Legal reference.
    /// @dev Emits {AddressFrozen}. Requirements: caller has `TRANSFER_AGENT_ROLE`; the state changes.
    function setAddressFrozen(address wallet, bool freeze, string calldata reason) external;

    /// @notice Freezes `amount` of `wallet`'s shares: they stay on the register but cannot move.
    /// @param wallet The wallet.
    /// @param amount Shares to freeze (on top of those already frozen).
    /// @param reason Legal reference.
    /// @dev Emits {TokensFrozen}. Requirements: caller has `TRANSFER_AGENT_ROLE`; frozen tokens
    /// stay within the balance.
    function freezePartialTokens(address wallet, uint256 amount, string calldata reason) external;

    /// @notice Releases `amount` of `wallet`'s frozen shares.
    /// @param wallet The wallet.
    /// @param amount Shares to release.
    /// @param reason Legal reference.
    /// @dev Emits {TokensUnfrozen}. Requirements: caller has `TRANSFER_AGENT_ROLE`; at least
    /// `amount` is frozen.
    function unfreezePartialTokens(address wallet, uint256 amount, string calldata reason) external;

    /// @notice Pauses every holder transfer and cross-chain movement.
    /// @param reason Why (incident reference).
    /// @dev Emits {Paused}. Requirements: caller has `PAUSER_ROLE`.
    function pause(string calldata reason) external;

    /// @notice Lifts the pause.
    /// @param reason Why.
    /// @dev Emits {Unpaused}. Requirements: caller has `DEFAULT_ADMIN_ROLE` (the timelock in a governed
    /// deployment: the guardian pauses at once, resuming waits for the governance delay).
    function unpause(string calldata reason) external;

    /// @notice The text of an ERC-1404 restriction code ({RestrictionCodes}).
    /// @param code The code.
    /// @return The message ("Unknown restriction code" above the table).
    function messageForTransferRestriction(uint8 code) external view returns (string memory);

    // ------------------------------------------------------------------------------------------
    // ERC-3643 (T-REX IToken) names
    // ------------------------------------------------------------------------------------------

    /// @notice ERC-3643 `mint`: {issue} with an empty reason.
    /// @param to A verified investor's wallet.
    /// @param amount Shares to issue.
    /// @dev Emits {Transfer} and {Issued}. Requirements: as {issue}.
    function mint(address to, uint256 amount) external;

    /// @notice ERC-3643 `burn`: {redeem} with an empty reason (frozen tokens released first, with
    /// T-REX's `TokensUnfrozen(address,uint256)` and ERC-7943's `Frozen`).
    /// @param from The holder's wallet.
    /// @param amount Shares to burn.
    /// @dev Requirements: as {redeem}.
    function burn(address from, uint256 amount) external;

    /// @notice ERC-3643 `batchForcedTransfer`: `forcedTransfer(from[i], to[i], amounts[i])`.
    /// @param from Holders' wallets.
    /// @param to Recipient wallets.
    /// @param amounts Amounts.
    /// @dev Requirements: as the ERC-7943 `forcedTransfer`, for each item.
    function batchForcedTransfer(address[] calldata from, address[] calldata to, uint256[] calldata amounts) external;

    /// @notice ERC-3643 `batchMint`: `mint(to[i], amounts[i])`.
    /// @param to Recipients.
    /// @param amounts Amounts.
    function batchMint(address[] calldata to, uint256[] calldata amounts) external;

    /// @notice ERC-3643 `batchBurn`: `burn(from[i], amounts[i])`.
    /// @param from Holders' wallets.
    /// @param amounts Amounts.
    function batchBurn(address[] calldata from, uint256[] calldata amounts) external;

    /// @notice ERC-3643 `batchSetAddressFrozen`: `setAddressFrozen(wallets[i], freeze[i])`.
    /// @param wallets Wallets.
    /// @param freeze New states.
    function batchSetAddressFrozen(address[] calldata wallets, bool[] calldata freeze) external;

    /// @notice ERC-3643 `batchFreezePartialTokens`: `freezePartialTokens(wallets[i], amounts[i])`.
    /// @param wallets Wallets.
    /// @param amounts Amounts to freeze.
    function batchFreezePartialTokens(address[] calldata wallets, uint256[] calldata amounts) external;

    /// @notice ERC-3643 `batchUnfreezePartialTokens`: `unfreezePartialTokens(wallets[i], amounts[i])`.
    /// @param wallets Wallets.
    /// @param amounts Amounts to release.
    function batchUnfreezePartialTokens(address[] calldata wallets, uint256[] calldata amounts) external;

    /// @notice ERC-3643 `setAddressFrozen` (no reason). Unlike the suite's variant, setting the
    /// state a wallet already has is not refused (T-REX re-emits the event).
    /// @param wallet The wallet.
    /// @param freeze The new state.
    /// @dev Emits the suite's {AddressFrozen} and T-REX's `AddressFrozen(address,bool,address)`.
    /// Requirements: caller has `TRANSFER_AGENT_ROLE`.
    function setAddressFrozen(address wallet, bool freeze) external;

    /// @notice ERC-3643 `freezePartialTokens` (no reason).
    /// @param wallet The wallet.
    /// @param amount Shares to freeze on top of those already frozen (within the balance).
    /// @dev Emits the suite's and T-REX's `TokensFrozen` and ERC-7943's `Frozen`.
    function freezePartialTokens(address wallet, uint256 amount) external;

    /// @notice ERC-3643 `unfreezePartialTokens` (no reason).
    /// @param wallet The wallet.
    /// @param amount Frozen shares to release.
    /// @dev Emits the suite's and T-REX's `TokensUnfrozen` and ERC-7943's `Frozen`.
    function unfreezePartialTokens(address wallet, uint256 amount) external;

    /// @notice ERC-3643 `recoveryAddress`: {recoveryAddress} for the investor whose ONCHAINID is
    /// `investorOnchainID` (the registry's `identity(newWallet)`, see {InvestorRegistry-identity}).
    /// @param lostWallet The wallet whose keys are lost.
    /// @param newWallet A wallet of the same investor.
    /// @param investorOnchainID The investor's identity as the registry reports it.
    /// @return True.
    /// @dev Emits the suite's and T-REX's `RecoverySuccess`. Requirements: as the suite's variant;
    /// `investorOnchainID` is the identity of `newWallet`'s investor.
    function recoveryAddress(address lostWallet, address newWallet, address investorOnchainID) external returns (bool);

    /// @notice ERC-3643 `pause` (no reason). Requirements: caller has `PAUSER_ROLE`.
    function pause() external;

    /// @notice ERC-3643 `unpause` (no reason). Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function unpause() external;

    /// @notice ERC-3643 `compliance()`: the contract answering `canTransfer(from, to, amount)`.
    /// It is the share itself: its ERC-7943 `canTransfer` is exactly what a transfer does.
    /// @return The share's address.
    function compliance() external view returns (address);

    /// @notice ERC-3643 `version()`.
    /// @return The implementation's version string.
    function version() external view returns (string memory);

    /// @notice ERC-3643 `onchainID()`: the issuer's ONCHAINID (zero until the admin sets it).
    /// @return The ONCHAINID address.
    function onchainID() external view returns (address);

    /// @notice ERC-3643 `setOnchainID`.
    /// @param newOnchainID The issuer's ONCHAINID.
    /// @dev Emits `UpdatedTokenInformation`. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setOnchainID(address newOnchainID) external;

    /// @notice ERC-3643 `setName`: replaces the ERC-20 name.
    /// @param newName The new name (non-empty).
    /// @dev Emits `UpdatedTokenInformation`. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setName(string calldata newName) external;

    /// @notice ERC-3643 `setSymbol`: replaces the ERC-20 symbol.
    /// @param newSymbol The new symbol (non-empty).
    /// @dev Emits `UpdatedTokenInformation`. Requirements: caller has `DEFAULT_ADMIN_ROLE`.
    function setSymbol(string calldata newSymbol) external;

    /// @notice T-REX `AgentRole.addAgent`: grants `TRANSFER_AGENT_ROLE`.
    /// @param agent The new agent.
    /// @dev Emits `RoleGranted` and `AgentAdded`. Requirements: caller has `DEFAULT_ADMIN_ROLE`;
    /// `agent` is not an agent yet.
    function addAgent(address agent) external;

    /// @notice T-REX `AgentRole.removeAgent`: revokes `TRANSFER_AGENT_ROLE`.
    /// @param agent The agent.
    /// @dev Emits `RoleRevoked` and `AgentRemoved`. Requirements: caller has `DEFAULT_ADMIN_ROLE`;
    /// `agent` is an agent.
    function removeAgent(address agent) external;

    /// @notice T-REX `AgentRole.isAgent`: whether `account` holds `TRANSFER_AGENT_ROLE`.
    /// @param account The account.
    /// @return Whether it is an agent.
    function isAgent(address account) external view returns (bool);
}

/// @title IShareStandardEvents — ERC-3643 (T-REX) event shapes emitted at the share's address
/// @notice Emitted by {ShareExtension}'s ERC-3643 entry points beside the suite's events (same
/// names, other parameters: T-REX's carry no reason). Declared apart so that {RegistryShare}'s own
/// ABI keeps one event per name.
interface IShareStandardEvents {
    /// @notice T-REX: a wallet was frozen or unfrozen by `_owner` (the agent).
    event AddressFrozen(address indexed _userAddress, bool indexed _isFrozen, address indexed _owner);
    /// @notice T-REX: `_amount` more tokens of `_userAddress` were frozen.
    event TokensFrozen(address indexed _userAddress, uint256 _amount);
    /// @notice T-REX: `_amount` frozen tokens of `_userAddress` were released.
    event TokensUnfrozen(address indexed _userAddress, uint256 _amount);
    /// @notice T-REX: paused by `_userAddress`.
    // T-REX's signature (not indexed), which T-REX clients decode.
    // slither-disable-next-line unindexed-event-address
    event Paused(address _userAddress);
    /// @notice T-REX: unpaused by `_userAddress`.
    // slither-disable-next-line unindexed-event-address
    event Unpaused(address _userAddress);
    /// @notice T-REX: a lost wallet was recovered for the investor `_investorOnchainID`.
    event RecoverySuccess(address indexed _lostWallet, address indexed _newWallet, address indexed _investorOnchainID);
    /// @notice T-REX AgentRole: `_agent` became an agent.
    event AgentAdded(address indexed _agent);
    /// @notice T-REX AgentRole: `_agent` is no longer an agent.
    event AgentRemoved(address indexed _agent);
}

/// @title IShareTokenInformation — ERC-3643 events of the share's identity
/// @notice Emitted by the share at construction and by {ShareExtension} when name, symbol or
/// ONCHAINID change (no name clash with the suite's events, so in {RegistryShare}'s ABI too).
interface IShareTokenInformation {
    /// @notice T-REX: the token's name, symbol, decimals, version or ONCHAINID were set.
    event UpdatedTokenInformation(
        string indexed _newName,
        string indexed _newSymbol,
        uint8 _newDecimals,
        string _newVersion,
        address indexed _newOnchainID
    );
    /// @notice T-REX: the identity registry was set (at construction: it is immutable here).
    event IdentityRegistryAdded(address indexed _identityRegistry);
    /// @notice T-REX: the compliance contract was set (at construction: the share itself).
    event ComplianceAdded(address indexed _compliance);
}
