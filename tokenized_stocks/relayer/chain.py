"""Chain access for the relayer: one gateway over JSON-RPC, and the classification of its reverts."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address
from web3 import HTTPProvider, Web3
from web3.exceptions import ContractLogicError

from tokenized_stocks.protocol.message import (
    MESSAGE_ABI_TYPE,
    Message,
    MessageState,
)
from tokenized_stocks.relayer.config import ChainEndpoint

log = logging.getLogger("tokenized_stocks.relayer")

T = TypeVar("T")


MESSAGE_SENT_TOPIC = keccak(text=f"MessageSent(bytes32,uint64,{MESSAGE_ABI_TYPE})")
MESSAGE_DELIVERED_TOPIC = keccak(text="MessageDelivered(bytes32,uint64,uint64)")
MESSAGE_REJECTED_TOPIC = keccak(text="MessageRejected(bytes32,uint8,bytes32)")
MESSAGE_EXPIRED_TOPIC = keccak(text="MessageExpired(bytes32,bytes32)")


def _selector(signature: str) -> bytes:
    return keccak(text=signature)[:4]


RECEIVE_BATCH = _selector(f"receiveBatch({MESSAGE_ABI_TYPE}[],bytes[][])")
EXPIRE = _selector(f"expire({MESSAGE_ABI_TYPE},bytes[])")
INBOUND_STATE = _selector("inboundState(uint64,uint64)")
OPERATOR_SET = _selector("operatorSet()")
REMOTE_GATEWAY = _selector("remoteGateway(uint64)")
IS_OPERATOR = _selector("isOperator(address)")

TRANSIENT = "transient"
PERMANENT = "permanent"
UNKNOWN = "unknown"

# Every custom error a receive or expire can revert with (the gateway's and what it bubbles up
# from the token), by signature, with whether retrying later can succeed. The signatures are the
# gateway ABI's: tests/unit/gateway/test_relayer_errors.py checks this table against the compiled ABI.
ERROR_CLASSES = {
    # a bucket refills, a pause is lifted, a message expires on the next block: retry
    "GatewayRateLimited(bytes32,bool,uint256,uint256)": TRANSIENT,
    "EnforcedPause()": TRANSIENT,
    "GatewayMessageExpired(bytes32,uint64)": TRANSIENT,
    "GatewayMessageNotExpired(bytes32,uint64)": TRANSIENT,
    "GatewayMessageAlreadyProcessed(bytes32,uint8)": TRANSIENT,
    "GatewayStateAlreadyFinal(uint64,address,uint64,uint8)": TRANSIENT,
    # the home chain's record date has not been synced here yet: delivered once it is
    "GatewayCorporateActionPending(bytes32,uint64,uint64)": TRANSIENT,
    # the same bytes will be refused again: report, do not retry
    "GatewayRefundRestricted(bytes32,address,uint8)": PERMANENT,
    "GatewayUnknownAsset(bytes32)": PERMANENT,
    "GatewayUnknownChain(uint256)": PERMANENT,
    "GatewayWrongDestination(uint64,uint256)": PERMANENT,
    "GatewayWrongDestinationGateway(address,address)": PERMANENT,
    "GatewayUnknownSourceGateway(uint64,address,address)": PERMANENT,
    "GatewayReturnExceedsSent(bytes32,uint64,uint256,uint256)": PERMANENT,
    "GatewayInvalidSignature(uint256)": PERMANENT,
    "GatewaySignersNotAscending(address,address)": PERMANENT,
    "GatewayBelowThreshold(uint256,uint256)": PERMANENT,
    "GatewayNotOperator(address)": PERMANENT,
    "GatewayCorporateActionNotFromHome(bytes32,uint64,uint256)": PERMANENT,
    "GatewayUnsupportedMessage(uint8,uint8)": PERMANENT,
    "GatewayNotExpirable(bytes32,uint8)": PERMANENT,
    "GatewayLengthMismatch(uint256,uint256)": PERMANENT,
    "GatewaySupplyUnderflow(bytes32,uint256,uint256)": PERMANENT,
    "AssetStaleCorporateAction(uint64,uint64)": PERMANENT,
}
# Gateway errors by selector: named in log lines, classified on failure.
KNOWN_ERRORS = {_selector(sig): sig for sig in ERROR_CLASSES}

# Gas limit of a submission: generous bounds of a receive (a first-time holder, a Return emitted).
GAS_BASE = 150_000
GAS_PER_MESSAGE = 150_000


class RelayerError(RuntimeError):
    """An RPC kept failing after every retry."""


class SimulatedCrash(BaseException):
    """Raised by a test fault hook to stop the relayer between two steps, like a kill."""


class GatewayClient:
    """Raw JSON-RPC access to one gateway (calldata encoded with eth-abi, no ABI files needed)."""

    def __init__(self, endpoint: ChainEndpoint, retries: int, backoff: float) -> None:
        self.endpoint = endpoint
        self.name = endpoint.name
        self.gateway = to_checksum_address(endpoint.gateway)
        self.w3 = Web3(HTTPProvider(endpoint.rpc_url, request_kwargs={"timeout": 30}))
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

    def call(self, data: bytes) -> bytes:
        return bytes(self.rpc(lambda: self.w3.eth.call({"to": self.gateway, "data": data})))

    def block_number(self) -> int:
        return int(self.rpc(lambda: self.w3.eth.block_number))

    def timestamp(self) -> int:
        return int(self.rpc(lambda: self.w3.eth.get_block("latest")["timestamp"]))

    def message_logs_at(self, from_block: int, to_block: int) -> list[tuple[Message, int]]:
        """The messages sent in `[from_block, to_block]` with the block of each."""
        logs = self.rpc(
            lambda: self.w3.eth.get_logs(
                {
                    "address": self.gateway,
                    "fromBlock": from_block,
                    "toBlock": to_block,
                    "topics": [MESSAGE_SENT_TOPIC],
                }
            )
        )
        return [(Message.decode(bytes(entry["data"])), int(entry["blockNumber"])) for entry in logs]

    def remote_gateway(self, chain_id: int, block: int | None = None) -> str:
        """The gateway this one trusts for `chain_id` (at `block`, else now). A node that has pruned
        that block's state is asked for the current value."""
        data = REMOTE_GATEWAY + encode(["uint64"], [chain_id])
        out: bytes | None = None
        if block is not None:
            try:
                out = bytes(self.w3.eth.call({"to": self.gateway, "data": data}, block))
            except Exception:  # noqa: BLE001 - historical state unavailable: fall back to the head
                out = None
        if out is None:
            out = self.call(data)
        return to_checksum_address(decode(["address"], out)[0])

    def message_logs(self, from_block: int, to_block: int) -> list[Message]:
        logs = self.rpc(
            lambda: self.w3.eth.get_logs(
                {
                    "address": self.gateway,
                    "fromBlock": from_block,
                    "toBlock": to_block,
                    "topics": [MESSAGE_SENT_TOPIC],
                }
            )
        )
        return [Message.decode(bytes(entry["data"])) for entry in logs]

    def inbound_state(self, src_chain_id: int, nonce: int) -> MessageState:
        out = self.call(INBOUND_STATE + encode(["uint64", "uint64"], [src_chain_id, nonce]))
        return MessageState(decode(["uint8"], out)[0])

    def threshold(self) -> int:
        return int(decode(["uint256", "uint256"], self.call(OPERATOR_SET))[1])

    def is_operator(self, address: str) -> bool:
        return bool(decode(["bool"], self.call(IS_OPERATOR + encode(["address"], [address])))[0])


def _revert_signature(exc: BaseException) -> str | None:
    data = getattr(exc, "data", None)
    if isinstance(data, bytes | bytearray):
        data = "0x" + bytes(data).hex()
    if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
        return KNOWN_ERRORS.get(bytes.fromhex(data[2:10]))
    return None


def revert_reason(exc: BaseException) -> str:
    """A readable name for a gateway revert (`GatewayRateLimited(...)`), else the raw text."""
    return _revert_signature(exc) or str(exc)


def revert_class(exc: BaseException) -> str:
    """`TRANSIENT`, `PERMANENT` or `UNKNOWN`, from the custom error the revert carries."""
    signature = _revert_signature(exc)
    return ERROR_CLASSES.get(signature, UNKNOWN) if signature else UNKNOWN
