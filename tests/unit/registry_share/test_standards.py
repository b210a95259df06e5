"""ERC-7943 and the ERC-3643 (T-REX) names on the registry share, read as a specification.

The share answers these selectors itself or, through its fallback, with `ShareExtension`'s code on
its own storage: `ext` is the share's address seen through `ShareExtension`'s ABI (the suite's own
functions and events stay on `share`). A standard entry point emits the suite's event (empty
reason) and the standard's event shape; the suite's `reason` variants emit the suite's only.
"""

import ape
import pytest
from eth_utils import keccak
from revert_data import reverts
from web3.exceptions import ContractLogicError as Web3ContractLogicError

from tokenized_stocks.deploy.proxy import implementation_of
from tokenized_stocks.protocol.enums import Restriction
from tokenized_stocks.protocol.multiplier import ONE
from tokenized_stocks.protocol.roles import DEFAULT_ADMIN_ROLE, PAUSER_ROLE, TRANSFER_AGENT_ROLE

ZERO = ape.utils.ZERO_ADDRESS
REASON = "court order 2026/118"


def interface_id(*signatures: str) -> bytes:
    value = 0
    for sig in signatures:
        value ^= int.from_bytes(keccak(text=sig)[:4], "big")
    return value.to_bytes(4, "big")


ERC7943_ID = interface_id(
    "forcedTransfer(address,address,uint256)",
    "setFrozenTokens(address,uint256)",
    "canSend(address)",
    "canReceive(address)",
    "getFrozenTokens(address)",
    "canTransfer(address,address,uint256)",
)
DIAGNOSTIC_ID = interface_id("diagnoseTransfer(address,address,uint256)")


@pytest.fixture(scope="module")
def ext(project, share):
    """The share's address through ShareExtension's ABI (the selectors its fallback forwards)."""
    return project.ShareExtension.at(share.address)


@pytest.fixture
def frozen_bob(funded, ext, transfer_agent, investor_bob):
    """Bob holds 50 shares, 30 of them frozen."""
    ext.setFrozenTokens(investor_bob, 30 * ONE, sender=transfer_agent)
    return funded


def logs(receipt, contract, signature: str) -> list[dict]:
    """The arguments of every `signature` event `contract`'s address emitted in `receipt`, in
    order (by full signature: the suite's and T-REX's events share names)."""
    [abi] = [e for e in contract.contract_type.events if e.selector == signature]
    return [
        dict(log.event_arguments)
        for log in receipt.decode_logs(abi)
        if log.contract_address == contract.address
    ]


# --- ERC-165 and the fallback ----------------------------------------------------------------------


def test_erc165_advertises_erc7943_and_the_transfer_diagnostic(share):
    assert share.supportsInterface(ERC7943_ID)
    assert share.supportsInterface(DIAGNOSTIC_ID)


def test_a_selector_neither_contract_defines_reverts(share, chain):
    with pytest.raises(Web3ContractLogicError):
        chain.provider.web3.eth.call({"to": share.address, "data": "0xdeadbeef"})


def test_ether_sent_to_the_share_is_refused(share, outsider):
    with pytest.raises(ape.exceptions.ContractLogicError):
        outsider.transfer(share, 1)


def test_the_extension_called_directly_has_no_roles(ext, share, project, transfer_agent, investor_alice):
    extension = project.ShareExtension.at(_extension_address(project, share))
    with reverts(
        extension.AccessControlUnauthorizedAccount, account=transfer_agent, neededRole=TRANSFER_AGENT_ROLE
    ):
        extension.mint(investor_alice, ONE, sender=transfer_agent)


def _extension_address(project, share):
    """The extension the share's implementation created (its first CREATE: nonce 1)."""
    from eth_utils import to_checksum_address
    from rlp import encode

    implementation = implementation_of(share.address)
    return to_checksum_address(keccak(encode([bytes.fromhex(implementation[2:]), 1]))[12:])


# --- ERC-7943: canSend / canReceive / canTransfer -----------------------------------------------------


def test_can_send_and_receive_for_verified_unfrozen_wallets(ext, investors, investor_alice, outsider):
    assert ext.canSend(investor_alice) and ext.canReceive(investor_alice)
    assert not ext.canSend(outsider) and not ext.canReceive(outsider)


def test_a_frozen_wallet_can_neither_send_nor_receive(ext, investors, transfer_agent, investor_alice):
    ext.setAddressFrozen(investor_alice, True, sender=transfer_agent)
    assert not ext.canSend(investor_alice)
    assert not ext.canReceive(investor_alice)


def test_a_disallowed_country_is_a_transfer_rule_not_an_account_rule(
    funded, share, ext, issuer, investor_alice, investor_alice_2, investor_carol
):
    share.setCountryRestriction(True, sender=issuer)  # no country allowed yet
    assert ext.canSend(investor_carol) and ext.canReceive(investor_carol)
    assert not funded.canTransfer(investor_alice, investor_carol, ONE)
    # Between two wallets of one investor the country rule does not apply.
    assert ext.canReceive(investor_alice_2)
    assert funded.canTransfer(investor_alice, investor_alice_2, ONE)


def test_can_transfer_refuses_a_sale_by_a_frozen_sender_that_the_recipient_checks_would_pass(
    funded, ext, registry, transfer_agent, investor_alice, investor_bob
):
    ext.setAddressFrozen(investor_alice, True, sender=transfer_agent)
    assert registry.isVerified(investor_bob) and ext.canReceive(investor_bob)
    assert not funded.canTransfer(investor_alice, investor_bob, ONE)
    with reverts(funded.ShareTransferRestricted, code=Restriction.SENDER_WALLET_FROZEN):
        funded.transfer(investor_bob, ONE, sender=investor_alice)


def test_can_transfer_counts_frozen_tokens(frozen_bob, investor_bob, investor_alice):
    assert frozen_bob.canTransfer(investor_bob, investor_alice, 20 * ONE)
    assert not frozen_bob.canTransfer(investor_bob, investor_alice, 20 * ONE + 1)


def test_can_transfer_is_false_while_paused(funded, ext, guardian, investor_alice, investor_bob):
    ext.pause(sender=guardian)
    assert not funded.canTransfer(investor_alice, investor_bob, ONE)


# --- ERC-7943: frozen tokens ------------------------------------------------------------------------


def test_set_frozen_tokens_overwrites_and_emits_frozen(funded, ext, transfer_agent, investor_bob):
    receipt = ext.setFrozenTokens(investor_bob, 30 * ONE, sender=transfer_agent)
    assert logs(receipt, ext, "Frozen(address,uint256)") == [{"account": investor_bob, "amount": 30 * ONE}]
    assert logs(receipt, funded, "TokensFrozen(address,uint256,string)") == [
        {"wallet": investor_bob, "amount": 30 * ONE, "reason": ""}
    ]
    receipt = ext.setFrozenTokens(investor_bob, 10 * ONE, sender=transfer_agent)
    assert logs(receipt, ext, "Frozen(address,uint256)") == [{"account": investor_bob, "amount": 10 * ONE}]
    assert logs(receipt, funded, "TokensUnfrozen(address,uint256,string)") == [
        {"wallet": investor_bob, "amount": 20 * ONE, "reason": ""}
    ]
    assert ext.getFrozenTokens(investor_bob) == funded.getFrozenTokens(investor_bob) == 10 * ONE


def test_set_frozen_tokens_to_the_same_amount_changes_nothing_but_reports_it(
    frozen_bob, ext, transfer_agent, investor_bob
):
    receipt = ext.setFrozenTokens(investor_bob, 30 * ONE, sender=transfer_agent)
    assert logs(receipt, ext, "Frozen(address,uint256)") == [{"account": investor_bob, "amount": 30 * ONE}]
    assert ext.getFrozenTokens(investor_bob) == 30 * ONE


def test_set_frozen_tokens_above_the_balance_is_refused(funded, ext, transfer_agent, investor_bob):
    with reverts(funded.ShareInsufficientBalance, wallet=investor_bob, balance=50 * ONE, needed=50 * ONE + 1):
        ext.setFrozenTokens(investor_bob, 50 * ONE + 1, sender=transfer_agent)


def test_set_frozen_tokens_by_an_outsider_is_refused(funded, ext, outsider, investor_bob):
    with reverts(ext.AccessControlUnauthorizedAccount, account=outsider, neededRole=TRANSFER_AGENT_ROLE):
        ext.setFrozenTokens(investor_bob, ONE, sender=outsider)


# --- ERC-7943: forced transfer and frozen tokens --------------------------------------------------


def test_forced_transfer_moves_unfrozen_tokens_first(
    frozen_bob, ext, transfer_agent, investor_bob, investor_carol
):
    receipt = ext.forcedTransfer(investor_bob, investor_carol, 20 * ONE, sender=transfer_agent)
    assert ext.getFrozenTokens(investor_bob) == 30 * ONE
    assert logs(receipt, ext, "Frozen(address,uint256)") == []
    assert logs(receipt, ext, "ForcedTransfer(address,address,uint256)") == [
        {"from": investor_bob, "to": investor_carol, "amount": 20 * ONE}
    ]


def test_forced_transfer_beyond_the_unfrozen_balance_releases_only_what_it_needs(
    frozen_bob, ext, transfer_agent, investor_bob, investor_carol
):
    receipt = ext.forcedTransfer(investor_bob, investor_carol, 35 * ONE, sender=transfer_agent)
    assert frozen_bob.balanceOf(investor_bob) == 15 * ONE
    assert ext.getFrozenTokens(investor_bob) == 15 * ONE
    assert logs(receipt, ext, "Frozen(address,uint256)") == [{"account": investor_bob, "amount": 15 * ONE}]
    assert logs(receipt, ext, "TokensUnfrozen(address,uint256)") == [
        {"_userAddress": investor_bob, "_amount": 15 * ONE}
    ]
    assert logs(receipt, ext, "ForcedTransfer(address,address,uint256)") == [
        {"from": investor_bob, "to": investor_carol, "amount": 35 * ONE}
    ]
    # Frozen is reported before the forced transfer (ERC-7943).
    topics = [log["topics"][0] for log in receipt.logs]
    assert topics.index(keccak(text="Frozen(address,uint256)")) < topics.index(
        keccak(text="ForcedTransfer(address,address,uint256)")
    )


def test_forced_transfer_of_the_whole_balance_unfreezes_everything(
    frozen_bob, ext, transfer_agent, investor_bob, investor_carol
):
    ext.forcedTransfer(investor_bob, investor_carol, 50 * ONE, sender=transfer_agent)
    assert ext.getFrozenTokens(investor_bob) == 0
    assert frozen_bob.balanceOf(investor_carol) == 50 * ONE


def test_forced_transfer_beyond_the_balance_is_refused(
    funded, ext, transfer_agent, investor_bob, investor_carol
):
    with reverts(funded.ShareInsufficientBalance, wallet=investor_bob, balance=50 * ONE, needed=51 * ONE):
        ext.forcedTransfer(investor_bob, investor_carol, 51 * ONE, sender=transfer_agent)


def test_forced_transfer_to_an_unverified_wallet_is_refused(
    funded, ext, transfer_agent, investor_bob, outsider
):
    with reverts(funded.ShareTransferRestricted, code=Restriction.RECIPIENT_NOT_VERIFIED):
        ext.forcedTransfer(investor_bob, outsider, ONE, sender=transfer_agent)


def test_forced_transfer_by_an_outsider_is_refused(funded, ext, outsider, investor_bob, investor_carol):
    with reverts(ext.AccessControlUnauthorizedAccount, account=outsider, neededRole=TRANSFER_AGENT_ROLE):
        ext.forcedTransfer(investor_bob, investor_carol, ONE, sender=outsider)


# --- ERC-3643: mint, burn, freezes, recovery, pause ---------------------------------------------------


def test_mint_issues_with_an_empty_reason(share, ext, investors, transfer_agent, investor_alice):
    receipt = ext.mint(investor_alice, 10 * ONE, sender=transfer_agent)
    assert logs(receipt, share, "Issued(address,uint256,string)") == [
        {"to": investor_alice, "amount": 10 * ONE, "reason": ""}
    ]
    assert share.balanceOf(investor_alice) == 10 * ONE


def test_mint_to_an_unverified_wallet_is_refused(share, ext, investors, transfer_agent, outsider):
    with reverts(share.ShareTransferRestricted, code=Restriction.RECIPIENT_NOT_VERIFIED):
        ext.mint(outsider, ONE, sender=transfer_agent)


def test_burn_releases_frozen_tokens_as_t_rex_does(frozen_bob, ext, transfer_agent, investor_bob):
    receipt = ext.burn(investor_bob, 40 * ONE, sender=transfer_agent)
    assert frozen_bob.balanceOf(investor_bob) == 10 * ONE
    assert ext.getFrozenTokens(investor_bob) == 10 * ONE
    assert logs(receipt, ext, "TokensUnfrozen(address,uint256)") == [
        {"_userAddress": investor_bob, "_amount": 20 * ONE}
    ]
    assert logs(receipt, frozen_bob, "Redeemed(address,uint256,string)") == [
        {"from": investor_bob, "amount": 40 * ONE, "reason": ""}
    ]


def test_set_address_frozen_emits_both_shapes_and_re_emits_an_unchanged_state(
    share, ext, investors, transfer_agent, investor_alice
):
    receipt = ext.setAddressFrozen(investor_alice, True, sender=transfer_agent)
    assert logs(receipt, ext, "AddressFrozen(address,bool,address)") == [
        {"_userAddress": investor_alice, "_isFrozen": True, "_owner": transfer_agent}
    ]
    assert logs(receipt, share, "AddressFrozen(address,bool,address,string)") == [
        {"wallet": investor_alice, "isFrozen": True, "agent": transfer_agent, "reason": ""}
    ]
    receipt = ext.setAddressFrozen(investor_alice, True, sender=transfer_agent)
    assert logs(receipt, ext, "AddressFrozen(address,bool,address)") == [
        {"_userAddress": investor_alice, "_isFrozen": True, "_owner": transfer_agent}
    ]
    assert share.isFrozen(investor_alice)


def test_freeze_and_unfreeze_partial_tokens_emit_t_rex_and_erc7943_events(
    funded, ext, transfer_agent, investor_bob
):
    receipt = ext.freezePartialTokens(investor_bob, 5 * ONE, sender=transfer_agent)
    assert logs(receipt, ext, "TokensFrozen(address,uint256)") == [
        {"_userAddress": investor_bob, "_amount": 5 * ONE}
    ]
    assert logs(receipt, ext, "Frozen(address,uint256)") == [{"account": investor_bob, "amount": 5 * ONE}]
    receipt = ext.unfreezePartialTokens(investor_bob, 2 * ONE, sender=transfer_agent)
    assert logs(receipt, ext, "TokensUnfrozen(address,uint256)") == [
        {"_userAddress": investor_bob, "_amount": 2 * ONE}
    ]
    assert logs(receipt, ext, "Frozen(address,uint256)") == [{"account": investor_bob, "amount": 3 * ONE}]


def test_unfreezing_more_than_is_frozen_is_refused(frozen_bob, ext, transfer_agent, investor_bob):
    with reverts(
        frozen_bob.ShareInsufficientFrozenTokens, wallet=investor_bob, frozen=30 * ONE, needed=31 * ONE
    ):
        ext.unfreezePartialTokens(investor_bob, 31 * ONE, sender=transfer_agent)


def test_recovery_by_onchain_id_moves_everything_to_the_new_wallet(
    funded, ext, registry, transfer_agent, investor_alice, investor_alice_2
):
    onchain_id = registry.identity(investor_alice_2)
    receipt = ext.recoveryAddress(investor_alice, investor_alice_2, onchain_id, sender=transfer_agent)
    assert logs(receipt, ext, "RecoverySuccess(address,address,address)") == [
        {"_lostWallet": investor_alice, "_newWallet": investor_alice_2, "_investorOnchainID": onchain_id}
    ]
    assert funded.balanceOf(investor_alice_2) == 100 * ONE
    assert funded.recoveredTo(investor_alice) == investor_alice_2


def test_recovery_with_another_investors_onchain_id_is_refused(
    funded, ext, registry, investors, transfer_agent, investor_alice, investor_alice_2, investor_bob
):
    with reverts(funded.ShareInvalidRecovery, lostWallet=investor_alice, newWallet=investor_alice_2):
        ext.recoveryAddress(
            investor_alice, investor_alice_2, registry.identity(investor_bob), sender=transfer_agent
        )


def test_pause_without_reason_by_the_guardian_and_unpause_by_the_admin(share, ext, guardian, issuer):
    receipt = ext.pause(sender=guardian)
    assert logs(receipt, ext, "Paused(address)") == [{"_userAddress": guardian}]
    assert logs(receipt, share, "Paused(address,string)") == [{"agent": guardian, "reason": ""}]
    assert share.paused()
    receipt = ext.unpause(sender=issuer)
    assert logs(receipt, ext, "Unpaused(address)") == [{"_userAddress": issuer}]
    assert logs(receipt, share, "Unpaused(address,string)") == [{"agent": issuer, "reason": ""}]
    assert not share.paused()


@pytest.mark.parametrize("who", ["guardian", "outsider"])
def test_unpause_without_reason_is_refused_but_to_the_admin(request, share, ext, guardian, who):
    ext.pause(sender=guardian)
    key = request.getfixturevalue(who)
    with reverts(ext.AccessControlUnauthorizedAccount, account=key, neededRole=DEFAULT_ADMIN_ROLE):
        ext.unpause(sender=key)
    assert share.paused()


def test_pause_by_an_outsider_is_refused(ext, outsider):
    with reverts(ext.AccessControlUnauthorizedAccount, account=outsider, neededRole=PAUSER_ROLE):
        ext.pause(sender=outsider)


# --- ERC-3643: batches ----------------------------------------------------------------------------------


def test_batch_transfer_moves_each_amount_from_the_caller(
    funded, investor_alice, investor_bob, investor_carol
):
    funded.batchTransfer([investor_bob, investor_carol], [10 * ONE, 5 * ONE], sender=investor_alice)
    assert funded.balanceOf(investor_alice) == 85 * ONE
    assert funded.balanceOf(investor_bob) == 60 * ONE
    assert funded.balanceOf(investor_carol) == 5 * ONE


def test_batch_transfer_with_one_refused_item_reverts_whole(funded, investor_alice, investor_bob, outsider):
    with reverts(funded.ShareTransferRestricted, code=Restriction.RECIPIENT_NOT_VERIFIED):
        funded.batchTransfer([investor_bob, outsider], [ONE, ONE], sender=investor_alice)
    assert funded.balanceOf(investor_bob) == 50 * ONE


def test_batches_of_different_lengths_are_refused(funded, ext, transfer_agent, investor_alice, investor_bob):
    with reverts(funded.ShareBatchLengthMismatch, length=2, otherLength=1):
        funded.batchTransfer([investor_bob, investor_bob], [ONE], sender=investor_alice)
    with reverts(funded.ShareBatchLengthMismatch, length=1, otherLength=0):
        ext.batchMint([investor_bob], [], sender=transfer_agent)
    with reverts(funded.ShareBatchLengthMismatch, length=1, otherLength=2):
        ext.batchForcedTransfer(
            [investor_bob], [investor_alice, investor_alice], [ONE], sender=transfer_agent
        )


def test_batch_mint_burn_freeze_and_forced_transfer(
    share, ext, investors, transfer_agent, investor_alice, investor_bob, investor_carol
):
    ext.batchMint([investor_alice, investor_bob], [10 * ONE, 20 * ONE], sender=transfer_agent)
    ext.batchFreezePartialTokens([investor_alice, investor_bob], [ONE, 2 * ONE], sender=transfer_agent)
    ext.batchUnfreezePartialTokens([investor_bob], [ONE], sender=transfer_agent)
    ext.batchSetAddressFrozen([investor_alice], [True], sender=transfer_agent)
    ext.batchForcedTransfer([investor_bob], [investor_carol], [5 * ONE], sender=transfer_agent)
    ext.batchBurn([investor_alice], [10 * ONE], sender=transfer_agent)
    assert [share.balanceOf(w) for w in (investor_alice, investor_bob, investor_carol)] == [
        0,
        15 * ONE,
        5 * ONE,
    ]
    assert [ext.getFrozenTokens(w) for w in (investor_alice, investor_bob)] == [0, ONE]
    assert share.isFrozen(investor_alice)


AGENT_CALLS = {
    "batchMint": lambda ext, w, sender: ext.batchMint([w], [ONE], sender=sender),
    "batchBurn": lambda ext, w, sender: ext.batchBurn([w], [ONE], sender=sender),
    "batchForcedTransfer": lambda ext, w, sender: ext.batchForcedTransfer([w], [w], [ONE], sender=sender),
    "batchSetAddressFrozen": lambda ext, w, sender: ext.batchSetAddressFrozen([w], [True], sender=sender),
    "batchFreezePartialTokens": lambda ext, w, sender: ext.batchFreezePartialTokens(
        [w], [ONE], sender=sender
    ),
    "batchUnfreezePartialTokens": lambda ext, w, sender: ext.batchUnfreezePartialTokens(
        [w], [ONE], sender=sender
    ),
    "mint": lambda ext, w, sender: ext.mint(w, ONE, sender=sender),
    "burn": lambda ext, w, sender: ext.burn(w, ONE, sender=sender),
    "setAddressFrozen": lambda ext, w, sender: ext.setAddressFrozen(w, True, sender=sender),
    "freezePartialTokens": lambda ext, w, sender: ext.freezePartialTokens(w, ONE, sender=sender),
    "unfreezePartialTokens": lambda ext, w, sender: ext.unfreezePartialTokens(w, ONE, sender=sender),
    "recoveryAddress": lambda ext, w, sender: ext.recoveryAddress(w, w, w, sender=sender),
}


@pytest.mark.parametrize("function", sorted(AGENT_CALLS))
def test_agent_functions_refuse_an_outsider(ext, outsider, investor_alice, function):
    with reverts(ext.AccessControlUnauthorizedAccount, account=outsider, neededRole=TRANSFER_AGENT_ROLE):
        AGENT_CALLS[function](ext, investor_alice, outsider)


# --- ERC-3643: token information and agents -------------------------------------------------------------


def test_compliance_is_the_share_and_answers_can_transfer(funded, ext, investor_alice, investor_bob):
    compliance = ext.compliance()
    assert compliance == funded.address
    assert funded.canTransfer(investor_alice, investor_bob, ONE)


def test_version_and_onchain_id(share, ext, issuer):
    assert "ERC-3643" in ext.version()
    assert ext.onchainID() == ZERO
    onchain_id = "0x00000000000000000000000000000000000000A1"
    receipt = ext.setOnchainID(onchain_id, sender=issuer)
    assert ext.onchainID() == onchain_id
    [event] = logs(receipt, share, "UpdatedTokenInformation(string,string,uint8,string,address)")
    assert event["_newOnchainID"] == onchain_id
    assert event["_newDecimals"] == 18


def test_set_name_and_symbol_replace_the_erc20_metadata(share, ext, issuer):
    ext.setName("Apple Inc. Registry Share", sender=issuer)
    ext.setSymbol("AAPL.RS", sender=issuer)
    assert (share.name(), share.symbol()) == ("Apple Inc. Registry Share", "AAPL.RS")


def test_an_empty_name_is_refused(share, ext, issuer):
    with reverts(share.IdentityInvalid, field="name"):
        ext.setName("", sender=issuer)


@pytest.mark.parametrize("function", ["setName", "setSymbol", "setOnchainID", "addAgent", "removeAgent"])
def test_token_information_and_agents_are_the_admins(ext, outsider, investor_alice, function):
    argument = "x" if function in ("setName", "setSymbol") else investor_alice
    with reverts(ext.AccessControlUnauthorizedAccount, account=outsider):
        getattr(ext, function)(argument, sender=outsider)


def test_add_and_remove_agent_map_onto_the_transfer_agent_role(share, ext, issuer, outsider):
    receipt = ext.addAgent(outsider, sender=issuer)
    assert logs(receipt, ext, "AgentAdded(address)") == [{"_agent": outsider}]
    assert ext.isAgent(outsider) and share.hasRole(TRANSFER_AGENT_ROLE, outsider)
    with reverts(share.ShareAgentUnchanged, agent=outsider, isAgent=True):
        ext.addAgent(outsider, sender=issuer)
    receipt = ext.removeAgent(outsider, sender=issuer)
    assert logs(receipt, ext, "AgentRemoved(address)") == [{"_agent": outsider}]
    assert not ext.isAgent(outsider)
    with reverts(share.ShareAgentUnchanged, agent=outsider, isAgent=False):
        ext.removeAgent(outsider, sender=issuer)


def test_construction_announces_registry_compliance_and_token_information(deploy_share, registry, issuer):
    share = deploy_share(registry)
    [receipt] = [r for r in issuer.history if r.contract_address == share.address]
    assert logs(receipt, share, "IdentityRegistryAdded(address)") == [{"_identityRegistry": registry}]
    assert logs(receipt, share, "ComplianceAdded(address)") == [{"_compliance": share}]
