"""`reverts(Error, **arguments)`: a revert assertion that checks the revert DATA, not only the type.

`ape.reverts(contract.SomeError)` (ape 0.8.51) is satisfied by a revert that carries no data, or
an `Error(string)` it cannot decode, because it checks the error type only when the revert decodes
to a custom error; and it silently ignores an argument name the error does not have. This helper
closes both gaps:

- the revert must decode to a custom error whose selector is the expected error's selector (an
  empty revert, a panic, an `Error(string)` or another custom error fails the test);
- every argument named must exist in the error's ABI (a typo fails) and equal the decoded value;
- when every argument is given, the revert data is compared byte for byte with the expected
  encoding `selector || abi.encode(arguments)`.

Usage (every custom-error assertion of the suite goes through it):

    with reverts(token.ShareZeroAddress):
        token.transfer(ZERO, 1, sender=alice)
    with reverts(gateway.GatewayUnknownAsset, assetId=UNKNOWN):
        gateway.send(...)

`tests/unit/toolchain/test_revert_data.py` shows that the helper fails on an empty revert, on
another error and on a wrong or misspelt argument.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address

__all__ = ["expected_revert_data", "reverts"]


class _Caught:
    """What the `with` block raised (like ape's `RevertInfo`): `.value` is the exception."""

    value: Any = None


def _types(abi: Any) -> list[str]:
    return [arg.canonical_type for arg in abi.inputs]


def _selector(abi: Any) -> bytes:
    return keccak(text=abi.selector)[:4]


def _normalise(value: Any, abi_type: str) -> Any:
    """A Python value as eth-abi encodes it (addresses checksummed, bytes as bytes, tuples recursed)."""
    if abi_type.endswith("]"):
        inner = abi_type[: abi_type.rindex("[")]
        return [_normalise(item, inner) for item in value]
    if abi_type == "address":
        return to_checksum_address(str(value))
    if abi_type.startswith("bytes"):
        if isinstance(value, str):
            return bytes.fromhex(value.removeprefix("0x"))
        return bytes(value)
    if abi_type == "bool":
        return bool(value)
    if abi_type.startswith(("uint", "int")):
        return int(value)
    return value


def expected_revert_data(error: Any, **arguments: Any) -> bytes:
    """`selector || abi.encode(arguments)` of a custom error class (every argument by name)."""
    abi = error.abi
    names = [arg.name for arg in abi.inputs]
    missing = [name for name in names if name not in arguments]
    if missing:
        raise TypeError(f"{abi.name}: missing argument(s) {missing}")
    values = [
        _normalise(arguments[name], arg.canonical_type) for name, arg in zip(names, abi.inputs, strict=True)
    ]
    return _selector(abi) + encode(_types(abi), values)


def _revert_data(exc: Any) -> bytes | None:
    """The raw revert data of an ape exception: re-encoded from a decoded custom error, read from
    the message ape reports when it did not decode it (e.g. on a call), None when there is none."""
    from ape.exceptions import CustomError

    if isinstance(exc, CustomError):
        values = [_normalise(exc.inputs[arg.name], arg.canonical_type) for arg in exc.abi.inputs]
        return _selector(exc.abi) + encode(_types(exc.abi), values)
    message = exc.revert_message
    if not isinstance(message, str):
        return None
    # anvil on a call: "custom error 0x<selector>: <arguments>" (ape does not decode it)
    if match := _ANVIL_CUSTOM_ERROR.search(message):
        arguments = _anvil_arguments(match["arguments"] or "")
        if len(arguments) % 32:
            arguments = _arguments_from_trace(exc, match["selector"]) or arguments
        return bytes.fromhex(match["selector"]) + arguments
    if re.fullmatch(r"0x(?:[0-9a-fA-F]{2}){4,}", message):
        return bytes.fromhex(message[2:])
    return None


# anvil prints the arguments as hex when they are not valid UTF-8 and as the raw text when they are
# (small numbers, zero-padded words): "custom error 0x873277ce: \x00...\x02". ape strips the message,
# so trailing whitespace bytes (0x09-0x0d, 0x1c-0x20) of raw text are lost; see `_arguments_from_trace`.
_ANVIL_CUSTOM_ERROR = re.compile(
    r"custom error 0x(?P<selector>[0-9a-fA-F]{8})(?::(?: (?P<arguments>.*))?)?\Z", re.DOTALL
)


def _anvil_arguments(text: str) -> bytes:
    if re.fullmatch(r"(?:[0-9a-fA-F]{2})*", text):
        return bytes.fromhex(text)
    return text.encode("utf-8")


def _arguments_from_trace(exc: Any, selector: str) -> bytes | None:
    """The arguments as the call really returned them (debug_traceCall), when the message lost
    some: ABI-encoded arguments are whole 32-byte words. None when the node gives no trace."""
    try:
        returned = str(exc.trace.return_value or "").removeprefix("0x")
        data = bytes.fromhex(returned)
    except Exception:  # noqa: BLE001 - no trace: the truncated data then fails to decode
        return None
    return data[4:] if data[:4].hex() == selector.lower() else None


def _name_of(error: Any, selector: bytes) -> str:
    """The signature of the error with `selector` in the expected error's contract, if it has it."""
    contract = getattr(error, "contract", None)
    errors = getattr(getattr(contract, "contract_type", None), "errors", None)
    if errors is not None:
        for abi in errors:
            if _selector(abi) == selector:
                return abi.signature
    return "0x" + selector.hex()


@contextmanager
def reverts(error: Any, /, **arguments: Any) -> Iterator[_Caught]:
    """Asserts that the block reverts with exactly `error` (a contract's custom error class, e.g.
    `token.ShareZeroAddress`) and, for each named argument, that value."""
    from ape.exceptions import ContractLogicError

    abi = getattr(error, "abi", None)
    if abi is None:
        raise TypeError(f"reverts() takes a contract's custom error class, not {error!r}")
    names = {arg.name for arg in abi.inputs}
    unknown = sorted(set(arguments) - names)
    if unknown:
        raise AssertionError(f"{abi.name} has no argument(s) {unknown}; its arguments are {sorted(names)}")

    caught = _Caught()
    try:
        yield caught
    except ContractLogicError as exc:
        caught.value = exc
        data = _revert_data(exc)
        if data is None or len(data) < 4:
            raise AssertionError(
                f"expected {abi.signature} but the revert carried no custom error "
                f"({type(exc).__name__}: {exc.revert_message!r})"
            ) from exc
        if data[:4] != _selector(abi):
            raise AssertionError(f"expected {abi.signature} but got {_name_of(error, data[:4])}") from exc
        try:
            values = decode(_types(abi), data[4:])
            if encode(_types(abi), values) != data[4:]:
                raise ValueError("the data is not exactly the encoding of its arguments")
            decoded = dict(zip([arg.name for arg in abi.inputs], values, strict=True))
        except Exception as undecodable:  # noqa: BLE001 - malformed data is a failed assertion
            raise AssertionError(f"{abi.name}: revert data 0x{data.hex()} does not decode") from undecodable
        wrong = [
            f"{name}: expected {arguments[name]!r}, got {decoded[name]!r}"
            for name in sorted(arguments)
            if _normalise(arguments[name], _type_of(abi, name))
            != _normalise(decoded[name], _type_of(abi, name))
        ]
        if wrong:
            raise AssertionError(f"{abi.name} reverted with other arguments: " + "; ".join(wrong)) from exc
        if set(arguments) == names and data != expected_revert_data(error, **arguments):
            raise AssertionError(
                f"revert data 0x{data.hex()} != expected 0x{expected_revert_data(error, **arguments).hex()}"
            ) from exc
        return
    raise AssertionError(f"expected a revert with {abi.signature}, but the call did not revert")


def _type_of(abi: Any, name: str) -> str:
    return next(arg.canonical_type for arg in abi.inputs if arg.name == name)
