"""The sanctions keeper (tokenized_stocks/keeper/sanctions.py) against a certificate screened by a
Chainalysis-style oracle that never pushes: the cache lags until the keeper syncs it."""

from __future__ import annotations

import pytest
from ape import chain
from eth_abi import encode
from eth_utils import to_checksum_address
from revert_data import reverts

from tokenized_stocks.devtools.budgets import budget
from tokenized_stocks.keeper.sanctions import (
    ADDRESS_SANCTIONED,
    ADDRESSES_ADDED,
    DEFAULT_BATCH_SIZE,
    Change,
    accounts_from_logs,
    batches,
    block_ranges,
    catch_up,
    decode_log,
    deployment_block,
    follow,
    stale_accounts,
    sync,
    sync_from_logs,
)
from tokenized_stocks.protocol.multiplier import ONE


@pytest.fixture
def oracle(project, issuer):
    """The Chainalysis mock; the issuer owns it."""
    return issuer.deploy(project.ChainalysisOracleMock)


@pytest.fixture
def screened(funded, oracle, issuer):
    """`funded` (alice 100, bob 50) screened against the non-pushing Chainalysis mock."""
    funded.setSanctionsList(oracle, sender=issuer)
    return funded


@pytest.fixture
def keeper(outsider):
    """Anyone may sync: the keeper holds no role."""
    return outsider


def web3():
    return chain.provider.web3


# ---- the lag -------------------------------------------------------------------------------------


def test_a_listing_on_the_oracle_leaves_the_cache_stale_and_the_transfer_allowed(
    screened, oracle, issuer, investor_alice, investor_bob
):
    oracle.addToSanctionsList([investor_alice], sender=issuer)

    screened.transfer(investor_bob, ONE, sender=investor_alice)

    assert oracle.isSanctioned(investor_alice)
    assert not screened.isSanctionedCached(investor_alice)


def test_stale_accounts_finds_the_listed_account(screened, oracle, issuer, investor_alice, investor_bob):
    oracle.addToSanctionsList([investor_alice], sender=issuer)

    assert stale_accounts(screened, [investor_alice.address, investor_bob.address]) == [
        investor_alice.address
    ]


def test_stale_accounts_is_empty_when_the_cache_agrees(screened, investor_alice, investor_bob):
    assert stale_accounts(screened, [investor_alice.address, investor_bob.address]) == []


# ---- sync ----------------------------------------------------------------------------------------


def test_sync_caches_a_listing_and_the_listed_holder_is_refused(
    screened, oracle, issuer, keeper, investor_alice, investor_bob
):
    oracle.addToSanctionsList([investor_alice], sender=issuer)

    result = sync(screened, [investor_alice.address], keeper)

    assert result.changes == [Change(investor_alice.address, True)]
    assert screened.isSanctionedCached(investor_alice)
    with reverts(screened.CertificateSanctioned, account=investor_alice):
        screened.transfer(investor_bob, ONE, sender=investor_alice)


def test_a_delisting_on_the_oracle_leaves_the_holder_refused_until_synced(
    screened, oracle, issuer, keeper, investor_alice, investor_bob
):
    oracle.addToSanctionsList([investor_alice], sender=issuer)
    sync(screened, [investor_alice.address], keeper)

    oracle.removeFromSanctionsList([investor_alice], sender=issuer)

    assert stale_accounts(screened, [investor_alice.address]) == [investor_alice.address]
    with reverts(screened.CertificateSanctioned, account=investor_alice):
        screened.transfer(investor_bob, ONE, sender=investor_alice)


def test_sync_caches_a_delisting_and_the_holder_transfers_again(
    screened, oracle, issuer, keeper, investor_alice, investor_bob
):
    oracle.addToSanctionsList([investor_alice], sender=issuer)
    sync(screened, [investor_alice.address], keeper)
    oracle.removeFromSanctionsList([investor_alice], sender=issuer)

    result = sync(screened, [investor_alice.address], keeper)
    screened.transfer(investor_bob, ONE, sender=investor_alice)

    assert result.changes == [Change(investor_alice.address, False)]
    assert screened.balanceOf(investor_bob) == 51 * ONE


def test_the_sync_transaction_emits_one_sanctions_synced_per_changed_flag(
    screened, oracle, issuer, keeper, investor_alice, investor_bob
):
    oracle.addToSanctionsList([investor_alice, investor_bob], sender=issuer)

    result = sync(screened, [investor_alice.address, investor_bob.address], keeper)

    assert chain.get_receipt(result.tx_hashes[0]).events == [
        screened.SanctionsSynced(account=investor_alice, sanctioned=True),
        screened.SanctionsSynced(account=investor_bob, sanctioned=True),
    ]


def test_a_default_batch_of_fresh_listings_fits_far_below_a_block(screened, oracle, issuer, keeper):
    listed = [to_checksum_address(f"0x{i:040x}") for i in range(0x1000, 0x1000 + DEFAULT_BATCH_SIZE)]
    oracle.addToSanctionsList(listed, sender=issuer)

    result = sync(screened, listed, keeper)

    gas = chain.get_receipt(result.tx_hashes[0]).gas_used
    print(
        f"syncSanctions of {DEFAULT_BATCH_SIZE} fresh listings: {gas:,} gas ({gas // DEFAULT_BATCH_SIZE:,} each)"
    )
    assert len(result.batches) == 1 and len(result.changes) == DEFAULT_BATCH_SIZE
    budget("sanctions-sync-batch").check(gas)


def test_sync_sends_only_the_stale_accounts(
    screened, oracle, issuer, keeper, investor_alice, investor_bob, investor_carol
):
    oracle.addToSanctionsList([investor_bob], sender=issuer)

    result = sync(screened, [investor_alice.address, investor_bob.address, investor_carol.address], keeper)

    assert result.batches == [[investor_bob.address]]
    assert result.changes == [Change(investor_bob.address, True)]


def test_sync_sends_nothing_when_nothing_is_stale(screened, keeper, investor_alice, investor_bob):
    nonce = keeper.nonce

    result = sync(screened, [investor_alice.address, investor_bob.address], keeper)

    assert result.batches == [] and result.changes == [] and result.tx_hashes == []
    assert keeper.nonce == nonce


def test_sync_batches_respect_the_batch_size(screened, oracle, issuer, keeper):
    listed = [to_checksum_address(f"0x{i:040x}") for i in range(0xA1, 0xA6)]  # never held a token
    oracle.addToSanctionsList(listed, sender=issuer)
    nonce = keeper.nonce

    result = sync(screened, listed, keeper, batch_size=2)

    assert result.batches == [listed[0:2], listed[2:4], listed[4:5]]
    assert keeper.nonce == nonce + 3
    assert result.changes == [Change(a, True) for a in listed]


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(ValueError, match="batch size"):
        batches(["0x" + "11" * 20], 0)


# ---- events --------------------------------------------------------------------------------------


def test_accounts_from_logs_decodes_the_chainalysis_events(
    oracle, issuer, investor_alice, investor_bob, investor_carol
):
    first = oracle.addToSanctionsList([investor_alice, investor_bob], sender=issuer)
    last = oracle.removeFromSanctionsList([investor_carol, investor_alice], sender=issuer)

    found = accounts_from_logs(web3(), oracle.address, first.block_number, last.block_number)

    assert found == [investor_alice.address, investor_bob.address, investor_carol.address]


def test_accounts_from_logs_decodes_our_sanctions_list_events(
    sanctions, compliance_officer, investor_alice, investor_bob
):
    first = sanctions.setSanctioned(investor_bob, True, sender=compliance_officer)
    sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)
    last = sanctions.setSanctioned(investor_bob, False, sender=compliance_officer)

    found = accounts_from_logs(web3(), sanctions.address, first.block_number, last.block_number)

    assert found == [investor_bob.address, investor_alice.address]


def test_accounts_from_logs_reads_only_the_given_blocks(oracle, issuer, investor_alice, investor_bob):
    oracle.addToSanctionsList([investor_alice], sender=issuer)
    later = oracle.addToSanctionsList([investor_bob], sender=issuer)

    found = accounts_from_logs(web3(), oracle.address, later.block_number, later.block_number)

    assert found == [investor_bob.address]


def test_accounts_from_logs_ignores_the_oracles_other_events(oracle, investor_alice, outsider):
    receipt = oracle.isSanctionedVerbose(investor_alice, sender=outsider)  # emits NonSanctionedAddress

    assert accounts_from_logs(web3(), oracle.address, receipt.block_number, receipt.block_number) == []


def test_decode_log_reads_both_styles_without_an_abi():
    alice, bob = "0x" + "aa" * 20, "0x" + "bb" * 20
    indexed = {"topics": [ADDRESS_SANCTIONED, "0x" + "00" * 12 + "aa" * 20], "data": "0x"}
    array = {"topics": [bytes.fromhex(ADDRESSES_ADDED[2:])], "data": encode(["address[]"], [[alice, bob]])}

    assert [a.lower() for a in decode_log(indexed)] == [alice]
    assert [a.lower() for a in decode_log(array)] == [alice, bob]
    assert decode_log({"topics": ["0x" + "12" * 32], "data": "0x"}) == []


def test_block_ranges_cut_a_long_range_into_bounded_requests():
    assert list(block_ranges(0, 12_000, 5_000)) == [(0, 4_999), (5_000, 9_999), (10_000, 12_000)]
    assert list(block_ranges(7, 7)) == [(7, 7)]
    assert list(block_ranges(8, 7)) == []


# ---- a watch round -------------------------------------------------------------------------------


def test_a_watch_round_syncs_every_address_the_oracle_named(
    screened, oracle, issuer, keeper, investor_alice, investor_bob
):
    first = oracle.addToSanctionsList([investor_alice, investor_bob], sender=issuer)
    last = oracle.removeFromSanctionsList([investor_bob], sender=issuer)  # bob: listed and delisted

    done = sync_from_logs(screened, web3(), first.block_number, last.block_number, keeper)

    assert done.oracle == oracle.address
    assert done.named == [investor_alice.address, investor_bob.address]
    assert done.result.batches == [[investor_alice.address]]
    assert done.result.changes == [Change(investor_alice.address, True)]


def test_a_watch_round_over_a_pushing_list_sends_nothing(
    cert, sanctions, compliance_officer, keeper, investor_alice
):
    receipt = sanctions.setSanctioned(investor_alice, True, sender=compliance_officer)
    nonce = keeper.nonce

    done = sync_from_logs(cert, web3(), receipt.block_number, receipt.block_number, keeper)

    assert done.named == [investor_alice.address]
    assert done.result.batches == []
    assert keeper.nonce == nonce


# ---- a keeper started fresh ----------------------------------------------------------------------


@pytest.fixture
def early_oracle(project, issuer, investor_alice):
    """A Chainalysis mock that listed alice before any certificate existed."""
    oracle = issuer.deploy(project.ChainalysisOracleMock)
    oracle.addToSanctionsList([investor_alice], sender=issuer)
    return oracle


@pytest.fixture
def late_certificate(early_oracle, deploy_certificate, reserve_feed, custodian, issuer):
    """A certificate deployed after the listing, screened against that oracle (cache empty)."""
    certificate = deploy_certificate(subscribe=False)
    reserve_feed.report(1_000_000, sender=custodian)
    certificate.setSanctionsList(early_oracle, sender=issuer)
    return certificate


def test_deployment_block_finds_the_block_that_created_the_contract(project, issuer):
    receipt = issuer.deploy(project.ChainalysisOracleMock).creation_metadata.receipt
    chain.mine(3)

    assert deployment_block(web3(), receipt.contract_address) == receipt.block_number


def test_a_fresh_keeper_syncs_an_address_listed_before_the_certificate_existed(
    late_certificate, early_oracle, keeper, investor_alice
):
    assert not late_certificate.isSanctionedCached(investor_alice)

    done = catch_up(late_certificate, web3(), chain.blocks.head.number, keeper)

    assert done.from_block == deployment_block(web3(), early_oracle.address)
    assert done.result.changes == [Change(investor_alice.address, True)]
    assert late_certificate.isSanctionedCached(investor_alice)


def test_after_the_catch_up_an_early_listed_address_receives_no_mint(
    late_certificate, keeper, issuer, investor_alice
):
    catch_up(late_certificate, web3(), chain.blocks.head.number, keeper)

    with reverts(late_certificate.CertificateSanctioned, account=investor_alice):
        late_certificate.mint(investor_alice, ONE, sender=issuer)


def test_a_keeper_following_one_oracle_catches_up_when_the_certificate_switches_oracle(
    screened, project, issuer, keeper, investor_bob
):
    other = issuer.deploy(project.ChainalysisOracleMock)
    other.addToSanctionsList([investor_bob], sender=issuer)  # listed before the switch
    head = chain.blocks.head.number
    first, first_caught_up = follow(screened, web3(), None, head, keeper)
    screened.setSanctionsList(other, sender=issuer)
    cursor, head = head + 1, chain.blocks.head.number

    done, caught_up = follow(screened, web3(), cursor, head, keeper, last_oracle=first.oracle)

    assert first_caught_up and caught_up
    assert done.result.changes == [Change(investor_bob.address, True)]


# ---- the mock ------------------------------------------------------------------------------------


def test_the_chainalysis_mock_logs_listings_and_delistings_as_arrays(
    oracle, issuer, investor_alice, investor_bob
):
    added = oracle.addToSanctionsList([investor_alice, investor_bob], sender=issuer)
    removed = oracle.removeFromSanctionsList([investor_bob], sender=issuer)

    assert added.events == [oracle.SanctionedAddressesAdded(addrs=[investor_alice, investor_bob])]
    assert removed.events == [oracle.SanctionedAddressesRemoved(addrs=[investor_bob])]
    assert oracle.isSanctioned(investor_alice) and not oracle.isSanctioned(investor_bob)


def test_only_the_owner_lists_on_the_chainalysis_mock(oracle, outsider, investor_alice):
    with reverts(oracle.OwnableUnauthorizedAccount, account=outsider):
        oracle.addToSanctionsList([investor_alice], sender=outsider)
    with reverts(oracle.OwnableUnauthorizedAccount, account=outsider):
        oracle.removeFromSanctionsList([investor_alice], sender=outsider)
