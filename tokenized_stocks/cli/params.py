"""Input validation shared by the scripts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tokenized_stocks.deploy.validation import checksum_address
from tokenized_stocks.protocol.errors import UserError

F = TypeVar("F", bound=Callable[..., Any])

#: The test account a script sends from on a local chain when no `--account` is given: the first
#: one after the roles of the local role book (test accounts 0-11), alice in the demo. One default
#: for every script (bridge and sanctions used to differ: 12 and 19).
DEFAULT_TEST_ACCOUNT = 12
#: Where every script reads and writes deployment manifests (`<dir>/<chain id>/manifest.json`).
DEFAULT_MANIFESTS = Path("deployments")


def manifests_option(func: F) -> F:
    """`--manifests DIR`: the directory of deployment manifests (parameter `manifests`)."""
    return click.option(
        "--manifests",
        type=click.Path(path_type=Path),
        default=DEFAULT_MANIFESTS,
        show_default=True,
        help="directory of deployment manifests (<dir>/<chain id>/manifest.json)",
    )(func)


def sender_options(func: F) -> F:
    """`--account ALIAS` and `--test-account N` (parameters `alias`, `test_account`): who sends."""
    func = click.option(
        "--test-account",
        type=int,
        default=DEFAULT_TEST_ACCOUNT,
        show_default=True,
        help="local chains: the ape test account number that sends",
    )(func)
    return click.option(
        "--account", "alias", default=None, help="ape account alias that sends (required on live networks)"
    )(func)


def hidden_alias(old: str, name: str, **kwargs: Any) -> Callable[[F], F]:
    """`old`, a deprecated spelling kept working but hidden from `--help`, as parameter `name`
    (the command merges it into the documented option)."""
    return click.option(old, name, hidden=True, default=None, **kwargs)


def parse_address(value: str, what: str = "address") -> str:
    """A checksummed address, or a UserError naming the bad value. The rule is the configuration
    files' (`deploy.validation.checksum_address`): lower case is accepted, mixed case must carry a
    valid EIP-55 checksum."""
    try:
        return checksum_address(value)
    except ValueError as err:
        raise UserError(f"bad {what}: {err}") from err
