"""Keys for the scripts, never from the command line (where `ps` shows them).

A key is an ape account alias (`ape accounts import <alias>` stores it encrypted); its passphrase
comes from ape's own variable `APE_ACCOUNTS_<alias>_PASSPHRASE`, or a prompt on a terminal. On a
local chain an ape test account is named by its number instead.

The relayer signs raw attestation digests, which ape's `KeyfileAccount` only does after a prompt on
every signature, so the keyfile is decrypted here (as ape does) into an in-memory eth-account key.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import click
from eth_account import Account
from eth_account.signers.local import LocalAccount

from tokenized_stocks.protocol.errors import UserError

#: 32 bytes of hex, with or without 0x: what a private key looks like.
KEY_LIKE = re.compile(r"^(0x)?[0-9a-fA-F]{64}$")


def passphrase_variable(alias: str) -> str:
    """The variable ape reads an account's passphrase from (`KeyfileAccount.unlock`)."""
    return f"APE_ACCOUNTS_{alias}_PASSPHRASE"


def refuse_key_like(value: str, option: str) -> None:
    """A private key given where an alias is expected is refused, without echoing it."""
    if KEY_LIKE.match(value.strip()):
        raise UserError(
            f"{option} takes an ape account alias, and the value given looks like a private key: never put a key "
            "on the command line (it shows in `ps`); import it once with `ape accounts import <alias>`"
        )


def unlock(account: Any, alias: str) -> LocalAccount:
    """The key of the ape keyfile account `account`, decrypted with its passphrase."""
    keyfile = getattr(account, "keyfile", None)
    if not isinstance(keyfile, dict):
        raise UserError(f"account {alias!r} is not an ape keyfile account (see `ape accounts list`)")
    variable = passphrase_variable(alias)
    passphrase = os.environ.get(variable)
    if passphrase is None:
        if not sys.stdin.isatty():
            raise UserError(f"set {variable} to unlock account {alias!r} (no terminal to ask on)")
        passphrase = click.prompt(f"Passphrase of account '{alias}'", hide_input=True, err=True)
    try:
        return Account.from_key(Account.decrypt(keyfile, passphrase))
    except ValueError:
        raise UserError(f"wrong passphrase for account {alias!r} ({variable})") from None


def alias_key(alias: str, option: str) -> LocalAccount:
    """The key of the ape account `alias` (see the module's docstring)."""
    refuse_key_like(alias, option)
    from ape import accounts

    try:
        account = accounts.load(alias)
    except Exception as err:  # ape raises its own error types for unknown aliases
        raise UserError(f"{option}: unknown account alias {alias!r} (see `ape accounts list`)") from err
    return unlock(account, alias)


def local_test_key(index: int, option: str) -> LocalAccount:
    """The key of ape test account number `index` (the project's test mnemonic: local chains only)."""
    from ape import accounts

    test_accounts = accounts.test_accounts
    if not 0 <= index < len(test_accounts):
        raise UserError(f"bad {option} {index}: there are {len(test_accounts)} test accounts")
    return Account.from_key(test_accounts[index].private_key)


def autosigning_account(alias: str, option: str = "--account", *, unlock_now: bool = True) -> Any:
    """The ape account `alias`, set to sign without a `Sign: [y/N]` prompt for every transaction
    (ape's `set_autosign`): for a deployment of ~70 transactions, in CI or on a testnet.

    The passphrase comes from ape's own variable `APE_ACCOUNTS_<alias>_PASSPHRASE`, or is asked
    once on a terminal; without either (CI, stdin closed) it is one error line before anything is
    sent. A wrong passphrase is the same. With `unlock_now=False` (a dry run: nothing is signed)
    the account is only loaded.
    """
    refuse_key_like(alias, option)
    from ape import accounts

    try:
        account = accounts.load(alias)
    except Exception as err:  # ape raises its own error types for unknown aliases
        raise UserError(f"unknown account alias {alias!r} (see `ape accounts list`)") from err
    if not unlock_now or not hasattr(account, "set_autosign"):
        return account
    variable = passphrase_variable(alias)
    passphrase = os.environ.get(variable)
    if passphrase is None:
        if not sys.stdin or not sys.stdin.isatty():
            raise UserError(
                f"set {variable} to sign as {alias!r} without prompts (no terminal to ask on); nothing was sent"
            )
        passphrase = click.prompt(f"Passphrase of account '{alias}'", hide_input=True, err=True)
    try:
        account.set_autosign(True, passphrase=passphrase)
    except Exception:  # ape's InvalidPasswordError (eth-keyfile's ValueError underneath)
        raise UserError(f"wrong passphrase for account {alias!r} ({variable}); nothing was sent") from None
    return account
