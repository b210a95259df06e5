"""The sanctions keeper: keeps a certificate's cached sanctions flags in line with its oracle.

`TrackerCertificate` screens transfers against a flag cached per account. Our `SanctionsList`
pushes every change to its subscribed certificates in the same transaction; an external oracle
(Chainalysis: `isSanctioned(address)`, events `SanctionedAddressesAdded(address[])` /
`SanctionedAddressesRemoved(address[])`) does not, so the cache lags until someone calls the
permissionless `certificate.syncSanctions(address[])`. This module finds the accounts the
oracle's events name (`accounts_from_logs`, decoded with the shipped ABIs of `SanctionsList` and of
`ChainalysisOracleMock`, the Chainalysis oracle's events; the oracle itself need not be known to ape),
keeps only those whose cached flag differs from the oracle (`stale_accounts`) and syncs them in
bounded batches (`sync`). `ape run sanctions` (scripts/sanctions.py) is the command around it.

A keeper starts complete: before following new events, `catch_up` replays the oracle's listing
events from the oracle's OWN deployment block (found with `deployment_block`), so an address the
oracle listed before the certificate existed — or before the certificate switched to this oracle —
is synced too. Starting at the certificate's deployment block would leave those blind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_utils import to_checksum_address

from tokenized_stocks.abi import event

#: Our `SanctionsList` (contracts/compliance/SanctionsList.sol): one indexed address per event.
#: The Chainalysis oracle (its events as `ChainalysisOracleMock` declares them): an `address[]`.
#: Each with the argument that names the accounts.
ORACLE_EVENTS = (
    (event("SanctionsList", "AddressSanctioned"), "account"),
    (event("SanctionsList", "AddressUnsanctioned"), "account"),
    (event("ChainalysisOracleMock", "SanctionedAddressesAdded"), "addrs"),
    (event("ChainalysisOracleMock", "SanctionedAddressesRemoved"), "addrs"),
)
ORACLE_TOPICS = tuple("0x" + oracle_event.topic.hex() for oracle_event, _ in ORACLE_EVENTS)
ADDRESS_SANCTIONED, ADDRESS_UNSANCTIONED, ADDRESSES_ADDED, ADDRESSES_REMOVED = ORACLE_TOPICS

#: Accounts per `syncSanctions` transaction: a fresh listing costs ~27.6k gas (one oracle call, one
#: slot), so 100 is ~2.8M gas (measured in tests/unit/certificate/test_sanctions_keeper.py).
DEFAULT_BATCH_SIZE = 100
#: Blocks per `eth_getLogs` request (public RPCs cap the range).
LOG_CHUNK = 5_000


@dataclass(frozen=True)
class Change:
    """A cached flag `syncSanctions` changed (one `SanctionsSynced` event)."""

    account: str
    sanctioned: bool


@dataclass
class SyncResult:
    """What `sync` sent and what changed."""

    batches: list[list[str]] = field(default_factory=list)  # accounts sent, one list per transaction
    changes: list[Change] = field(default_factory=list)
    tx_hashes: list[str] = field(default_factory=list)


def unique_addresses(accounts: Iterable[str]) -> list[str]:
    """Checksummed, without duplicates, first occurrence order kept."""
    seen: dict[str, None] = {}
    for account in accounts:
        seen.setdefault(to_checksum_address(account), None)
    return list(seen)


def decode_log(log: Mapping[str, Any]) -> list[str]:
    """The addresses one oracle log names (empty for any other event)."""
    for oracle_event, argument in ORACLE_EVENTS:
        if oracle_event.matches(log):
            named = oracle_event.args(log)[argument]
            return [to_checksum_address(a) for a in (named if isinstance(named, list | tuple) else [named])]
    return []


def decode_logs(logs: Iterable[Mapping[str, Any]]) -> list[str]:
    """The addresses named by oracle logs, deduplicated in log order."""
    return unique_addresses(address for log in logs for address in decode_log(log))


def block_ranges(from_block: int, to_block: int, chunk: int = LOG_CHUNK) -> Iterator[tuple[int, int]]:
    """`[from_block, to_block]` split into inclusive ranges of at most `chunk` blocks."""
    start = from_block
    while start <= to_block:
        end = min(start + chunk - 1, to_block)
        yield start, end
        start = end + 1


def accounts_from_logs(web3: Any, oracle: str, from_block: int, to_block: int) -> list[str]:
    """Addresses listed or delisted by `oracle` in blocks `[from_block, to_block]`.

    Reads raw logs with `eth_getLogs` filtered on the four event topics (our `SanctionsList`'s
    `AddressSanctioned`/`AddressUnsanctioned`, Chainalysis' `SanctionedAddressesAdded`/`Removed`,
    from the shipped ABIs) and decodes them, so it works for an oracle whose ABI ape does not know.
    `web3` is a `web3.Web3` (`ape.chain.provider.web3`).
    """
    logs: list[Mapping[str, Any]] = []
    for start, end in block_ranges(from_block, to_block):
        logs.extend(
            web3.eth.get_logs(
                {
                    "address": to_checksum_address(oracle),
                    "fromBlock": start,
                    "toBlock": end,
                    "topics": [list(ORACLE_TOPICS)],
                }
            )
        )
    return decode_logs(logs)


def oracle_of(certificate: Any) -> Any:
    """The certificate's sanctions oracle as an `ISanctionsList` contract instance."""
    from ape import project

    return project.ISanctionsList.at(certificate.sanctionsList())


def flags(certificate: Any, accounts: Sequence[str], oracle: Any = None) -> list[tuple[str, bool, bool]]:
    """`(account, cached flag, oracle's answer)` for each of `accounts` (deduplicated)."""
    source = oracle if oracle is not None else oracle_of(certificate)
    return [
        (account, bool(certificate.isSanctionedCached(account)), bool(source.isSanctioned(account)))
        for account in unique_addresses(accounts)
    ]


def stale_accounts(certificate: Any, accounts: Sequence[str], oracle: Any = None) -> list[str]:
    """The accounts whose cached flag differs from the certificate's oracle."""
    return [account for account, cached, listed in flags(certificate, accounts, oracle) if cached != listed]


def batches(accounts: Sequence[str], batch_size: int) -> list[list[str]]:
    """`accounts` cut into lists of at most `batch_size`."""
    if batch_size <= 0:
        raise ValueError(f"batch size must be positive, got {batch_size}")
    return [list(accounts[i : i + batch_size]) for i in range(0, len(accounts), batch_size)]


def sync(
    certificate: Any,
    accounts: Sequence[str],
    sender: Any,
    batch_size: int = DEFAULT_BATCH_SIZE,
    oracle: Any = None,
) -> SyncResult:
    """Sends `syncSanctions` for the stale accounts only, at most `batch_size` per transaction.

    Returns the batches sent and the changes the certificate reported (`SanctionsSynced`); nothing
    is sent when nothing is stale.
    """
    result = SyncResult(batches=batches(stale_accounts(certificate, accounts, oracle), batch_size))
    for batch in result.batches:
        receipt = certificate.syncSanctions(batch, sender=sender)
        result.tx_hashes.append(str(receipt.txn_hash))
        result.changes.extend(
            Change(to_checksum_address(log.account), bool(log.sanctioned))
            for log in receipt.events.filter(certificate.SanctionsSynced)
        )
    return result


@dataclass
class WatchRound:
    """One `watch` round: the oracle read, the addresses its events named, what the sync did."""

    oracle: str
    from_block: int
    to_block: int
    named: list[str]
    result: SyncResult


def sync_from_logs(
    certificate: Any,
    web3: Any,
    from_block: int,
    to_block: int,
    sender: Any,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> WatchRound:
    """Syncs every address the certificate's current oracle named in `[from_block, to_block]`.

    The oracle is re-read from the certificate each call (the admin may replace it). Addresses the
    events name but whose cached flag already matches (our pushing list, a listing undone in the
    same range) are not sent.
    """
    oracle = str(certificate.sanctionsList())
    named = accounts_from_logs(web3, oracle, from_block, to_block)
    result = sync(certificate, named, sender, batch_size) if named else SyncResult()
    return WatchRound(oracle, from_block, to_block, named, result)


def deployment_block(web3: Any, address: str, head: int | None = None) -> int:
    """The block that created the contract at `address` (binary search on `eth_getCode`), or 0
    when the node cannot answer for old blocks (a pruned node: then everything is read)."""
    target = to_checksum_address(address)
    hi = int(web3.eth.block_number) if head is None else head
    lo = 0
    try:
        if not web3.eth.get_code(target, hi):
            return 0
        while lo < hi:
            mid = (lo + hi) // 2
            if web3.eth.get_code(target, mid):
                hi = mid
            else:
                lo = mid + 1
    except Exception:  # noqa: BLE001 - historical state unavailable: read from genesis instead
        return 0
    return lo


def catch_up(
    certificate: Any, web3: Any, to_block: int, sender: Any, batch_size: int = DEFAULT_BATCH_SIZE
) -> WatchRound:
    """Syncs every address the certificate's current oracle ever named, from the oracle's own
    deployment block to `to_block`: what a keeper does before it follows new events."""
    oracle = str(certificate.sanctionsList())
    start = deployment_block(web3, oracle, to_block)
    return sync_from_logs(certificate, web3, start, to_block, sender, batch_size)


def follow(
    certificate: Any,
    web3: Any,
    cursor: int | None,
    to_block: int,
    sender: Any,
    batch_size: int = DEFAULT_BATCH_SIZE,
    last_oracle: str = "",
) -> tuple[WatchRound, bool]:
    """One keeper round: `catch_up` when there is no cursor yet (a fresh start) or the certificate's
    oracle is no longer `last_oracle` (the new oracle's earlier listings were never read), else the
    events in `[cursor, to_block]`. Returns the round and whether it was a catch-up."""
    oracle = str(certificate.sanctionsList())
    if cursor is None or (last_oracle and oracle.lower() != last_oracle.lower()):
        return catch_up(certificate, web3, to_block, sender, batch_size), True
    return sync_from_logs(certificate, web3, cursor, to_block, sender, batch_size), False
