"""Reads the connected chain: what it says about each listed asset (from its manifest and
contracts), the messages its gateway sent, and the audit trail of a settlement."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from tokenized_stocks.deploy.manifest import Manifest
from tokenized_stocks.iso20022.identifiers import reference
from tokenized_stocks.protocol.message import Message
from tokenized_stocks.reconcile.model import AssetView, Finding
from tokenized_stocks.reconcile.register import PendingOffRamp, RegisterLedger


def _contract(project: Any, manifest: Manifest, name: str) -> Any:
    record = manifest.contracts[name]
    return getattr(project, record.contract_type).at(record.address)


def _call(contract: Any, name: str, *args: Any, default: Any = None) -> Any:
    """Calls an optional view; `default` when the contract does not have it."""
    method = getattr(contract, name, None)
    if method is None:
        return default
    return method(*args)


def asset_views(project: Any, manifest: Manifest) -> list[AssetView]:
    """The views of every asset in `manifest`, read from the connected chain."""
    gateway = _contract(project, manifest, "Gateway") if "Gateway" in manifest.contracts else None
    views = []
    for record in manifest.assets.values():
        token = _contract(project, manifest, record.key)
        chain_id = manifest.chain_id
        home = int(token.homeChainId())
        asset_id = token.assetId()
        total_supply = int(token.totalSupply())
        multiplier = int(_call(token, "multiplier", default=10**18))
        units = int(_call(token, "totalUnits", default=total_supply * 10**18 // multiplier))
        reserves = None
        if "reserve" in record.extra and chain_id == home:
            feed = project.AttestedFeed.at(record.extra["reserve"])
            # the feed answers in shares with its own decimals; supply has 18 decimals
            reserves = int(feed.latestRoundData()[1]) * 10 ** (18 - int(feed.decimals()))
        holders = _call(token, "holderCount")
        views.append(
            AssetView(
                key=record.key,
                chain_id=chain_id,
                asset_id="0x" + bytes(asset_id).hex(),
                isin=token.isin(),
                ticker=token.ticker(),
                architecture=int(token.architecture()),
                home_chain_id=home,
                terms_hash="0x" + bytes(token.termsHash()).hex(),
                total_supply=total_supply,
                total_units=units,
                multiplier=multiplier,
                epoch=int(token.corporateActionEpoch()),
                supply_elsewhere=int(gateway.supplyElsewhere(asset_id))
                if gateway and chain_id == home
                else None,
                reserves=reserves,
                holders=None if holders is None else int(holders),
                dti=bytes(_call(token, "dti", default=b"")).decode("ascii", errors="replace"),
            )
        )
    return views


def superseded_supply(project: Any, manifest: Manifest) -> list[Finding]:
    """A break for every token of a superseded deployment on the connected chain that still has a
    supply: those holders are outside every invariant the current deployment checks."""
    from ape import chain

    findings = []
    for entry in manifest.superseded:
        asset = entry.get("asset")
        if not isinstance(asset, dict) or not chain.provider.get_code(asset["token"]):
            continue
        token = getattr(project, TOKEN_TYPES.get(asset["architecture"], "TrackerCertificate")).at(
            asset["token"]
        )
        supply = int(token.totalSupply())
        if supply:
            findings.append(
                Finding(
                    asset["key"],
                    manifest.chain_id,
                    "superseded",
                    "break",
                    f"{supply / 1e18:,.4f} tokens still held on the superseded {asset['key']} at "
                    f"{asset['token']} (replaced by a --force redeploy; the current deployment does not count them)",
                )
            )
    return findings


def superseded_addresses(manifest: Manifest, name: str) -> set[str]:
    """Addresses the contract `name` had in deployments `manifest` superseded (lowercase)."""
    return {
        str(e["address"]).lower() for e in manifest.superseded if e.get("name") == name and "address" in e
    }


def gateway_links(project: Any, manifest: Manifest, peers: list[Manifest]) -> list[Finding]:
    """A break for every peer whose gateway the connected chain's gateway does not trust as the
    peer's manifest names it (a superseded gateway still trusted, or any other address)."""
    if "Gateway" not in manifest.contracts:
        return []
    gateway = _contract(project, manifest, "Gateway")
    findings = []
    for peer in peers:
        if peer.chain_id == manifest.chain_id or "Gateway" not in peer.contracts:
            continue
        trusted = str(gateway.remoteGateway(peer.chain_id))
        wanted = peer.contracts["Gateway"].address
        if int(trusted, 16) in (0, int(wanted, 16)):
            continue
        why = (
            "a superseded gateway of that chain"
            if trusted.lower() in superseded_addresses(peer, "Gateway")
            else "not the gateway of its manifest"
        )
        findings.append(
            Finding(
                "Gateway",
                manifest.chain_id,
                "topology",
                "break",
                f"trusts {trusted} for chain {peer.chain_id} ({why}); its manifest names {wanted}: "
                f"re-link with `ape run deploy --peer {peer.chain_id} --relink`",
            )
        )
    return findings


# Message kinds and states of IGateway (mirrored from tokenized_stocks.messages).
TRANSFER, RETURN = 0, 1
STATE_NONE = 0


@dataclass(frozen=True)
class SentMessage:
    """A message a gateway emitted (`MessageSent`), enough to tell whether it is still in flight."""

    kind: int
    src_chain_id: int
    dst_chain_id: int
    nonce: int
    asset_id: str
    units: int


def sent_messages(project: Any, manifest: Manifest) -> list[SentMessage]:
    """Every message the connected chain's gateway has sent since it was deployed."""
    from ape import chain

    if "Gateway" not in manifest.contracts:
        return []
    gateway = _contract(project, manifest, "Gateway")
    start = manifest.contracts["Gateway"].block
    messages = []
    for log in gateway.MessageSent.range(start, chain.blocks.height + 1):
        m = Message.from_values(log.message)
        messages.append(
            SentMessage(
                kind=int(m.kind),
                src_chain_id=m.src_chain_id,
                dst_chain_id=m.dst_chain_id,
                nonce=m.nonce,
                asset_id="0x" + bytes(m.asset_id).hex(),
                units=m.units,
            )
        )
    return messages


def undelivered(project: Any, manifest: Manifest, sent: list[SentMessage]) -> list[SentMessage]:
    """The messages addressed to the connected chain that its gateway has not processed yet."""
    if "Gateway" not in manifest.contracts:
        return []
    gateway = _contract(project, manifest, "Gateway")
    return [
        m
        for m in sent
        if m.dst_chain_id == manifest.chain_id
        and int(gateway.inboundState(m.src_chain_id, m.nonce)) == STATE_NONE
    ]


def with_in_flight(views: list[AssetView], pending: list[SentMessage]) -> list[AssetView]:
    """The views with `in_flight_out` set from the undelivered transfers and returns."""
    flight: dict[tuple[str, int], int] = {}
    for m in pending:
        if m.kind in (TRANSFER, RETURN):
            flight[(m.asset_id, m.src_chain_id)] = flight.get((m.asset_id, m.src_chain_id), 0) + m.units
    return [replace(v, in_flight_out=flight.get((v.asset_id, v.chain_id), 0)) for v in views]


def epoch_of(asset: Any) -> int:
    """The asset's corporate-action epoch now (what a trade's quantity is measured at), 0 for a
    token without one (the contracts' `SettlementQuantity.epochOf`)."""
    try:
        return int(asset.corporateActionEpoch())
    except AttributeError:
        return 0


def audit_trail(contract: Any, key_name: str, key: bytes, start_block: int = 0) -> list[Any]:
    """Every event of a settlement contract whose indexed `key_name` (`tradeKey`, `tradeId`,
    `instructionId`) equals `key`, in chain order: how an auditor follows one settlement from its
    instruction to its final state (the last entry)."""
    head = contract.chain_manager.blocks.height
    logs: list[Any] = []
    for abi in contract.contract_type.events:
        if any(arg.name == key_name and arg.indexed for arg in abi.inputs):
            event = getattr(contract, abi.name)
            logs.extend(event.range(start_block, head + 1, search_topics={key_name: key}))
    return sorted(logs, key=lambda log: (log.block_number, log.log_index))


#: Contract type of each architecture's token (for reading a superseded token's supply).
TOKEN_TYPES = {
    "tracker_certificate": "TrackerCertificate",
    "mint_on_order": "OrderToken",
    "registry_share": "RegistryShare",
}


def register_ledgers(project: Any, manifest: Manifest) -> list[RegisterLedger]:
    """The adapter's book of each listed asset's shares on the register (empty without adapter)."""
    if "TraditionalLedgerAdapter" not in manifest.contracts:
        return []
    adapter = _contract(project, manifest, "TraditionalLedgerAdapter")
    start = manifest.contracts["TraditionalLedgerAdapter"].block or 0
    ledgers: dict[str, RegisterLedger] = {}
    for record in manifest.assets.values():
        token = _contract(project, manifest, record.key)
        if not adapter.isListed(token):
            continue
        ledgers[str(token.address)] = RegisterLedger(
            key=record.key,
            chain_id=manifest.chain_id,
            isin=str(token.isin()),
            dti=bytes(token.dti()).decode("ascii", errors="replace"),
            multiplier=int(_call(token, "multiplier", default=10**18)),
            inventory_units=int(adapter.inventoryOf(token)),
            pending_units=int(adapter.pendingOf(token)),
        )
    from ape import chain

    requested: dict[bytes, tuple[str, str, int, int]] = {}
    stop = chain.blocks.head.number + 1
    for log in adapter.OffRampRequested.range(start, stop):
        account = bytes(log.accountReference).rstrip(b"\x00").decode("ascii", errors="replace")
        requested[bytes(log.instructionId)] = (str(log.asset), account, int(log.units), int(log.block_number))
    closed: set[bytes] = set()
    for log in adapter.OffRampSettled.range(start, stop):
        closed.add(bytes(log.instructionId))
        asset, account, units, _block = requested[bytes(log.instructionId)]
        if asset in ledgers:
            book = ledgers[asset].accounts
            book[account] = book.get(account, 0) + units
    for event, outcome in ((adapter.OffRampFailed, "failed"), (adapter.OffRampExpired, "expired")):
        for log in event.range(start, stop):
            instruction_id = bytes(log.instructionId)
            closed.add(instruction_id)
            asset = requested[instruction_id][0]
            if asset in ledgers:
                ledgers[asset].returned[reference(instruction_id)] = ("0x" + instruction_id.hex(), outcome)
    for log in adapter.OnRampSettled.range(start, stop):
        if str(log.asset) in ledgers:
            account = bytes(log.accountReference).rstrip(b"\x00").decode("ascii", errors="replace")
            book = ledgers[str(log.asset)].accounts
            book[account] = book.get(account, 0) - int(log.units)
            booking = bytes(log.registerReference).rstrip(b"\x00").decode("ascii", errors="replace")
            ledgers[str(log.asset)].issued[booking] = "0x" + bytes(log.instructionId).hex()
    for log in adapter.InventoryFunded.range(start, stop):
        if str(log.asset) in ledgers:
            ledgers[str(log.asset)].funded_units += int(log.units)
    now = int(chain.blocks.head.timestamp)
    for instruction_id, (asset, account, units, block) in requested.items():
        if instruction_id in closed or asset not in ledgers:
            continue
        ledgers[asset].pending_off_ramps.append(
            PendingOffRamp(
                instruction_id="0x" + instruction_id.hex(),
                reference=reference(instruction_id),
                account=account,
                units=units,
                requested_at=int(chain.blocks[block].timestamp),
                deadline=int(adapter.instruction(instruction_id)[3]),
            )
        )
    for ledger in ledgers.values():
        ledger.chain_time = now
    return list(ledgers.values())
