"""`ape run bridge`: send an asset to another chain through the gateway, and optionally wait for it.

    ape run bridge --network ethereum:chaina:node --asset AAPLx --to 0xB0b... --amount 10 --dst-chain-id 31338
    ape run bridge ... --wait 60 --dst-rpc http://127.0.0.1:8546    # exit 3 if not delivered in time
    ape run bridge ... --json                                        # one JSON object on stdout

Amounts are in shares (the token's balance unit); the message carries stored units, so a split while
it is in flight cannot change its value.

Exit codes (`tokenized_stocks.cli.errors`): 0 sent (and, with `--wait`, delivered); 1 the
destination refused or expired it (the sender is refunded); 2 bad input, nothing sent: with
`--wait`, the destination's RPC, chain id and gateway are checked before anything is burnt;
3 sent but not confirmed (not delivered in time, or the destination stopped answering): the
message id is printed to follow up (`ape run relayer`, `ape run reconcile`); do not resend.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click
from ape import chain, project
from web3 import Web3

from tokenized_stocks.cli.commands import ConnectedScriptCommand, sender_account
from tokenized_stocks.cli.errors import FAILED, UNCONFIRMED, fail, user_errors
from tokenized_stocks.cli.output import Output, json_option
from tokenized_stocks.cli.params import (
    hidden_alias,
    manifests_option,
    parse_address,
    sender_options,
)
from tokenized_stocks.client.suite import send_units
from tokenized_stocks.deploy.manifest import load_manifest
from tokenized_stocks.protocol.display import amount as shares_text
from tokenized_stocks.protocol.display import parse_amount, when
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.protocol.message import Message

ZERO = "0x0000000000000000000000000000000000000000"


def destination_gateway(dst_uri: str, dst_chain_id: int, dst_gateway: str) -> Any:
    """The destination gateway through its own RPC, checked before anything is sent: the RPC
    answers, it is chain `dst_chain_id`, and a contract is at the manifest's gateway address."""
    web3 = Web3(Web3.HTTPProvider(dst_uri, request_kwargs={"timeout": 5}))
    try:
        chain_id = web3.eth.chain_id
        code = web3.eth.get_code(Web3.to_checksum_address(dst_gateway))
    except Exception as err:  # noqa: BLE001 - connection refused, timeout, not an RPC...
        raise UserError(
            f"cannot reach the destination chain at {dst_uri}: {str(err).splitlines()[0]}"
        ) from err
    if chain_id != dst_chain_id:
        raise UserError(f"--dst-rpc {dst_uri} is chain {chain_id}, not the destination chain {dst_chain_id}")
    if not code:
        raise UserError(f"no gateway at {dst_gateway} on chain {dst_chain_id}: is its manifest current?")
    abi = project.Gateway.contract_type.model_dump(mode="json", by_alias=True)["abi"]
    return web3.eth.contract(address=Web3.to_checksum_address(dst_gateway), abi=abi)


def wait_for_delivery(gateway: Any, message: Message, seconds: float) -> int:
    """Polls the destination gateway; returns the final state, or 0 when the time ran out.
    Raises `ConnectionError` when the destination stops answering."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            state = gateway.functions.inboundState(message.src_chain_id, message.nonce).call()
        except Exception as err:  # noqa: BLE001 - the node went away after the preflight
            raise ConnectionError(str(err).splitlines()[0] if str(err) else type(err).__name__) from err
        if state != 0 or time.monotonic() >= deadline:
            return int(state)
        time.sleep(1)


@click.command(cls=ConnectedScriptCommand)
@click.option("--asset", required=True, help="asset key, ticker or ISIN from the manifest")
@click.option("--to", "recipient", required=True, help="recipient address on the destination chain")
@click.option("--amount", required=True, help="shares to send (decimal)")
@click.option("--dst-chain-id", type=int, required=True, help="destination chain id (a linked peer)")
@sender_options
@click.option(
    "--ttl", type=int, default=3600, show_default=True, help="seconds the message stays deliverable"
)
@manifests_option
@click.option("--wait", type=float, default=0, help="seconds to wait for delivery (needs --dst-rpc)")
@click.option("--dst-rpc", default=None, help="RPC URI of the destination chain (for --wait)")
@hidden_alias("--dst-uri", "dst_uri")
@json_option
@user_errors
def cli(
    network: Any,
    asset: str,
    recipient: str,
    amount: str,
    dst_chain_id: int,
    alias: str | None,
    test_account: int,
    ttl: int,
    manifests: Path,
    wait: float,
    dst_rpc: str | None,
    dst_uri: str | None,
    as_json: bool,
) -> None:
    """Bridge `--amount` shares of `--asset` to `--to` on `--dst-chain-id`."""
    out = Output(as_json)
    dst_uri = dst_rpc or dst_uri  # --dst-uri: the deprecated spelling
    to = parse_address(recipient, "recipient")
    if to == ZERO:
        raise UserError("bad recipient: the zero address would burn the shares on the destination")
    shares = parse_amount(amount)
    if ttl <= 0:
        raise UserError(f"bad --ttl {ttl}: must be greater than zero")
    if wait < 0:
        raise UserError(f"bad --wait {wait:g}: must be zero (do not wait) or more seconds")
    if wait and not dst_uri:
        raise UserError("--wait needs --dst-rpc (the destination chain's RPC)")
    manifest = load_manifest(chain.chain_id, manifests)
    record = manifest.asset(asset)
    gateway = project.Gateway.at(manifest.address("Gateway"))
    token = getattr(project, manifest.contracts[record.key].contract_type).at(record.token)
    sender = sender_account(alias, test_account)
    units = send_units(gateway, token, record.key, sender.address, shares, chain.chain_id, dst_chain_id)
    destination = None
    if wait:
        assert dst_uri is not None
        dst_manifest = load_manifest(dst_chain_id, manifests)
        destination = destination_gateway(dst_uri, dst_chain_id, dst_manifest.address("Gateway"))
    expiry = int(chain.pending_timestamp) + ttl
    receipt = gateway.send(bytes.fromhex(record.asset_id[2:]), dst_chain_id, to, units, expiry, sender=sender)
    logs = receipt.events.filter(gateway.MessageSent)
    message = Message.from_values(logs[0].message)
    out.print(
        f"sent {shares_text(shares, symbol=record.key)} ({shares_text(units)} units) to {to} on chain "
        f"{dst_chain_id}: message 0x{message.id.hex()} nonce {message.nonce}, deliverable until {when(expiry)}"
    )
    result = {  # raw integers (base units, epoch seconds): what programs compute with
        "asset": record.key,
        "amount": shares,
        "units": units,
        "expiry": expiry,
        "to": to,
        "src_chain_id": chain.chain_id,
        "dst_chain_id": dst_chain_id,
        "message_id": "0x" + message.id.hex(),
        "nonce": message.nonce,
        "tx_hash": str(receipt.txn_hash),
        "status": "sent",
    }
    if destination is None:
        out.result(result)
        return
    follow_up = f"message 0x{message.id.hex()} was sent (nonce {message.nonce}); do not resend it"
    try:
        state = wait_for_delivery(destination, message, wait)
    except ConnectionError as err:
        out.result({**result, "status": "unconfirmed"})
        fail(f"the destination chain stopped answering ({err}): {follow_up}", UNCONFIRMED)
    if state == 0:
        out.result({**result, "status": "unconfirmed"})
        fail(f"not delivered within {wait:g}s (is the relayer running?): {follow_up}", UNCONFIRMED)
    status = {1: "delivered", 2: "rejected", 3: "expired"}.get(state, str(state))
    out.result({**result, "status": status})
    if state == 1:
        out.print("message delivered")
        return
    outcome = "rejected by the destination's compliance check" if state == 2 else "expired"
    out.print(f"message {outcome}: a Return refunds the sender on chain {chain.chain_id}")
    sys.exit(FAILED)
