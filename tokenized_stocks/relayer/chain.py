"""Chain access for the relayer: one gateway over JSON-RPC, and the classification of its reverts."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar, cast

from eth_abi import encode
from eth_typing import ABIError, ABIFunction, Hash32
from eth_utils import to_checksum_address
from eth_utils.abi import (
    abi_to_signature,
    function_abi_to_4byte_selector,
    function_signature_to_4byte_selector,
    get_abi_input_types,
)
from web3 import HTTPProvider, Web3
from web3.exceptions import ContractLogicError

from tokenized_stocks.abi import event, load_abi
from tokenized_stocks.protocol.message import Message, MessageState
from tokenized_stocks.relayer.config import ChainEndpoint

log = logging.getLogger("tokenized_stocks.relayer")

T = TypeVar("T")

GATEWAY_ABI = load_abi("Gateway")
#: The contracts whose custom errors a receive or an expire can revert with: the gateway's own,
#: and the asset's it calls (which bubble up unchanged).
ERROR_SOURCES = ("Gateway", "TrackerCertificate")

TRANSIENT = "transient"
PERMANENT = "permanent"
UNKNOWN = "unknown"

# Every custom error a receive or expire can revert with, BY NAME, with whether retrying later can
# succeed. Selectors and signatures come from the ABIs of ERROR_SOURCES (`KNOWN_ERRORS`);
# tests/unit/gateway/test_relayer_errors.py checks every name exists there and every gateway error
# a delivery can raise is classified.
ERROR_CLASSES = {
    # a bucket refills, a pause is lifted, a message expires on the next block: retry
    "GatewayRateLimited": TRANSIENT,
    "EnforcedPause": TRANSIENT,
    "GatewayMessageExpired": TRANSIENT,
    "GatewayMessageNotExpired": TRANSIENT,
    "GatewayMessageAlreadyProcessed": TRANSIENT,
    "GatewayStateAlreadyFinal": TRANSIENT,
    # the home chain's record date has not been synced here yet: delivered once it is
    "GatewayCorporateActionPending": TRANSIENT,
    # the same bytes will be refused again: report, do not retry
    "GatewayRefundRestricted": PERMANENT,
    "GatewayUnknownAsset": PERMANENT,
    "GatewayUnknownChain": PERMANENT,
    "GatewayWrongDestination": PERMANENT,
    "GatewayWrongDestinationGateway": PERMANENT,
    "GatewayUnknownSourceGateway": PERMANENT,
    "GatewayReturnExceedsSent": PERMANENT,
    "GatewayInvalidSignature": PERMANENT,
    "GatewaySignersNotAscending": PERMANENT,
    "GatewayBelowThreshold": PERMANENT,
    "GatewayNotOperator": PERMANENT,
    "GatewayCorporateActionNotFromHome": PERMANENT,
    "GatewayUnsupportedMessage": PERMANENT,
    "GatewayNotExpirable": PERMANENT,
    "GatewayLengthMismatch": PERMANENT,
    "GatewaySupplyUnderflow": PERMANENT,
    "AssetStaleCorporateAction": PERMANENT,
}


def error_signatures(abis: Iterable[Sequence[Mapping[str, Any]]]) -> dict[bytes, str]:
    """`{selector: "Name(types)"}` of every custom error in `abis`."""
    return {
        function_signature_to_4byte_selector(signature): signature
        for abi in abis
        for entry in abi
        if entry["type"] == "error"
        for signature in [abi_to_signature(cast("ABIError", entry))]
    }


# Errors of the gateway and its assets by selector: named in log lines, classified on failure.
KNOWN_ERRORS = error_signatures(load_abi(name) for name in ERROR_SOURCES)


class _Function:
    """A gateway function's selector and types, from its ABI entry, for the calldata of the hot
    path (`receiveBatch`, `expire`). Encoded with eth-abi directly: web3's `encode_abi` validates
    every element first, ~20x slower on a batch of 50 messages (a quarter of the relayer's
    throughput). Views go through the web3 contract."""

    def __init__(self, entry: Mapping[str, Any]) -> None:
        self.selector = function_abi_to_4byte_selector(cast("ABIFunction", entry))
        self.inputs = get_abi_input_types(cast("ABIFunction", entry))

    def data(self, *args: Any) -> bytes:
        return self.selector + encode(self.inputs, list(args))


def _entries(abi: Sequence[Mapping[str, Any]], kind: str) -> dict[str, Mapping[str, Any]]:
    return {entry["name"]: entry for entry in abi if entry["type"] == kind}


_FUNCTIONS = {name: _Function(entry) for name, entry in _entries(GATEWAY_ABI, "function").items()}
_EVENTS = {name: event("Gateway", name) for name in _entries(GATEWAY_ABI, "event")}
#: The events that record a message's final state on the destination, by topic.
FATE_EVENTS = {
    _EVENTS["MessageDelivered"].topic: (_EVENTS["MessageDelivered"], MessageState.DELIVERED),
    _EVENTS["MessageRejected"].topic: (_EVENTS["MessageRejected"], MessageState.REJECTED),
    _EVENTS["MessageExpired"].topic: (_EVENTS["MessageExpired"], MessageState.EXPIRED),
}
#: A Return the destination holds for its holder (state Rejected) instead of refunding it.
REFUND_HELD = _EVENTS["RefundHeld"]

# Gas limit of a submission: generous bounds of a receive (a first-time holder, a Return emitted).
GAS_BASE = 150_000
GAS_PER_MESSAGE = 150_000


class RelayerError(RuntimeError):
    """An RPC kept failing after every retry."""


class SimulatedCrash(BaseException):
    """Raised by a test fault hook to stop the relayer between two steps, like a kill."""


class GatewayClient:
    """JSON-RPC access to one gateway, through a web3 contract built from its shipped ABI."""

    def __init__(self, endpoint: ChainEndpoint, retries: int, backoff: float) -> None:
        self.endpoint = endpoint
        self.name = endpoint.name
        self.gateway = to_checksum_address(endpoint.gateway)
        self.w3 = Web3(HTTPProvider(endpoint.rpc_url, request_kwargs={"timeout": 30}))
        self.contract = self.w3.eth.contract(address=self.gateway, abi=GATEWAY_ABI)
        self.retries = retries
        self.backoff = backoff
        self.chain_id = int(self.rpc(lambda: self.w3.eth.chain_id))

    def rpc(self, call: Callable[[], T]) -> T:
        """Runs `call`, retrying transport errors with exponential backoff (reverts are not retried)."""
        delay = self.backoff
        for attempt in range(1, self.retries + 1):
            try:
                return call()
            except ContractLogicError:
                raise
            except Exception as exc:  # noqa: BLE001 - transport errors of every kind are retried
                if attempt == self.retries:
                    raise RelayerError(f"{self.name}: RPC failed after {attempt} attempts: {exc}") from exc
                log.warning(
                    "%s: RPC error (%s), retry %d/%d in %.1fs", self.name, exc, attempt, self.retries, delay
                )
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def receive_batch_data(self, messages: Sequence[Message], signatures: Sequence[Sequence[bytes]]) -> bytes:
        """Calldata of `receiveBatch(messages, signatures)`."""
        return _FUNCTIONS["receiveBatch"].data([m.as_tuple() for m in messages], list(signatures))

    def expire_data(self, message: Message, signatures: Sequence[bytes]) -> bytes:
        """Calldata of `expire(message, signatures)`."""
        return _FUNCTIONS["expire"].data(message.as_tuple(), list(signatures))

    def block_number(self) -> int:
        return int(self.rpc(lambda: self.w3.eth.block_number))

    def timestamp(self) -> int:
        return int(self.rpc(lambda: self.w3.eth.get_block("latest")["timestamp"]))

    def _sent_logs(self, from_block: int, to_block: int) -> list[Any]:
        topic = _EVENTS["MessageSent"].topic
        return self.rpc(
            lambda: self.w3.eth.get_logs(
                {
                    "address": self.gateway,
                    "fromBlock": from_block,
                    "toBlock": to_block,
                    "topics": [Hash32(topic)],
                }
            )
        )

    def message_logs_at(self, from_block: int, to_block: int) -> list[tuple[Message, int]]:
        """The messages sent in `[from_block, to_block]` with the block of each."""
        sent = _EVENTS["MessageSent"]
        return [
            (Message.from_values(sent.args(entry)["message"]), int(entry["blockNumber"]))
            for entry in self._sent_logs(from_block, to_block)
        ]

    def message_logs(self, from_block: int, to_block: int) -> list[Message]:
        return [message for message, _ in self.message_logs_at(from_block, to_block)]

    def fates(self, receipt: Mapping[str, Any]) -> dict[bytes, MessageState]:
        """The final state of each message a receipt of this gateway records, by message id."""
        fates: dict[bytes, MessageState] = {}
        for entry in receipt["logs"]:
            if to_checksum_address(entry["address"]) != self.gateway or not entry["topics"]:
                continue
            known = FATE_EVENTS.get(bytes(entry["topics"][0]))
            if known is not None:
                event, state = known
                fates[bytes(event.args(entry)["messageId"])] = state
        return fates

    def held_refunds(self, receipt: Mapping[str, Any]) -> set[bytes]:
        """Ids of the Returns a receipt of this gateway holds for their holder ({RefundHeld}): not
        refunded yet; the transfer agent releases or redirects them."""
        return {
            bytes(REFUND_HELD.args(entry)["returnId"])
            for entry in receipt["logs"]
            if to_checksum_address(entry["address"]) == self.gateway
            and entry["topics"]
            and bytes(entry["topics"][0]) == REFUND_HELD.topic
        }

    def remote_gateway(self, chain_id: int, block: int | None = None) -> str:
        """The gateway this one trusts for `chain_id` (at `block`, else now). A node that has pruned
        that block's state is asked for the current value."""
        call = self.contract.functions.remoteGateway(chain_id).call
        if block is not None:
            try:
                return to_checksum_address(call(block_identifier=block))
            except Exception:  # noqa: BLE001 - historical state unavailable: fall back to the head
                pass
        return to_checksum_address(self.rpc(call))

    def inbound_state(self, src_chain_id: int, nonce: int) -> MessageState:
        return MessageState(self.rpc(self.contract.functions.inboundState(src_chain_id, nonce).call))

    def threshold(self) -> int:
        return int(self.rpc(self.contract.functions.operatorSet().call)[1])

    def is_operator(self, address: str) -> bool:
        return bool(self.rpc(self.contract.functions.isOperator(address).call))


def _revert_signature(exc: BaseException) -> str | None:
    data = getattr(exc, "data", None)
    if isinstance(data, bytes | bytearray):
        data = "0x" + bytes(data).hex()
    if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
        return KNOWN_ERRORS.get(bytes.fromhex(data[2:10]))
    return None


def revert_reason(exc: BaseException) -> str:
    """A readable name for a gateway revert (`GatewayRateLimited(bytes32,bool,uint256,uint256)`),
    else the raw text."""
    return _revert_signature(exc) or str(exc)


def revert_class(exc: BaseException) -> str:
    """`TRANSIENT`, `PERMANENT` or `UNKNOWN`, from the custom error the revert carries."""
    signature = _revert_signature(exc)
    return ERROR_CLASSES.get(signature.split("(")[0], UNKNOWN) if signature else UNKNOWN
