"""Attestor settings: `ATTESTOR_*` environment variables, overridden by the script's options.

The key is never a setting: it is an ape account alias (`--account`, passphrase in ape's
`APE_ACCOUNTS_<alias>_PASSPHRASE`) or an encrypted keyfile (`--keyfile`, passphrase in
`ATTESTOR_PASSPHRASE`). Each watched chain is `RPC_URL,GATEWAY[,START_BLOCK]`.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from pydantic import Field, NonNegativeInt, PositiveFloat, PositiveInt, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from tokenized_stocks.attestor.service import WatchedChain
from tokenized_stocks.deploy.validation import error_text, first_error, more
from tokenized_stocks.protocol.errors import UserError

ENV_PREFIX = "ATTESTOR_"
#: The keyfile's passphrase: read from the environment only, never a setting or an option.
PASSPHRASE_VARIABLE = "ATTESTOR_PASSPHRASE"
OPTION_NAMES = {"db_path": "--db", "chains": "--watch"}


def option_name(field: str) -> str:
    return OPTION_NAMES.get(field, "--" + field.replace("_", "-"))


def parse_chain(text: str) -> WatchedChain:
    """`RPC_URL,GATEWAY[,START_BLOCK]` -> a watched chain (ValueError names what is wrong)."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) not in (2, 3) or not all(parts):
        raise ValueError(f"{text!r} is not RPC_URL,GATEWAY[,START_BLOCK]")
    url, gateway = parts[0], parts[1]
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"{url!r} is not an http(s) RPC URL")
    if len(gateway) != 42 or not gateway.startswith("0x"):
        raise ValueError(f"{gateway!r} is not a gateway address")
    int(gateway, 16)
    start = int(parts[2]) if len(parts) == 3 else 0
    if start < 0:
        raise ValueError("a start block is not negative")
    return WatchedChain(url, gateway, start)


def _chain_list(value: Any) -> Any:
    """`url,gw;url,gw` (an environment variable) or a list (options) -> watched chains."""
    if isinstance(value, str):
        value = [part for part in value.replace("\n", ";").split(";") if part.strip()]
    if isinstance(value, list | tuple):
        return [parse_chain(v) if isinstance(v, str) else v for v in value]
    return value


class AttestorSettings(BaseSettings):
    """`ATTESTOR_<FIELD>` in the environment; values given to the constructor (options) win."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", case_sensitive=False)

    chains: Annotated[list[WatchedChain], NoDecode] = Field(
        description="Watched chains: RPC_URL,GATEWAY[,START_BLOCK] (';' between chains in the variable)."
    )
    account: str | None = Field(None, description="ape account alias of this operator's key.")
    keyfile: Path | None = Field(
        None, description="Encrypted JSON keyfile (passphrase in ATTESTOR_PASSPHRASE)."
    )
    db_path: str = Field("attestor.sqlite", min_length=1, description="SQLite state file.")
    host: str = Field("127.0.0.1", description="Address the HTTP API listens on.")
    port: int = Field(8600, ge=0, le=65535, description="Port of the HTTP API (0: any free port).")
    confirmations: NonNegativeInt = Field(
        12, description="Blocks on top of a MessageSent before it is signed."
    )
    poll_interval: PositiveFloat = Field(0.5, description="Seconds between scans.")
    log_chunk: PositiveInt = Field(2_000, description="Blocks per eth_getLogs request.")
    rpc_retries: PositiveInt = Field(5, description="Attempts of a failed RPC call.")
    rpc_backoff: PositiveFloat = Field(0.2, description="Seconds before the first retry (doubles each time).")

    _split = field_validator("chains", mode="before")(_chain_list)

    @classmethod
    def load(cls, **overrides: Any) -> AttestorSettings:
        """The environment overridden by `overrides` (None or () = not given); a bad or missing
        value is one UserError line naming the option and its variable."""
        check_environment(os.environ)
        given = {name: value for name, value in overrides.items() if value not in (None, ())}
        try:
            return cls(**given)
        except ValidationError as err:
            error = first_error(err)
            name = str(error["loc"][0]) if error["loc"] else ""
            what = f"{option_name(name)} / {ENV_PREFIX}{name.upper()}"
            if error["type"] == "missing":
                raise UserError(f"{what} is required{more(err)}") from None
            problem = error_text(error, list(cls.model_fields))
            raise UserError(f"bad {what}: {problem.removeprefix(name + ': ')}{more(err)}") from None


def check_environment(environ: Mapping[str, str]) -> None:
    """Refuses an `ATTESTOR_*` variable that is no setting (a typo would otherwise be ignored)."""
    known = {ENV_PREFIX + name.upper() for name in AttestorSettings.model_fields} | {PASSPHRASE_VARIABLE}
    for variable in sorted(environ):
        upper = variable.upper()
        if upper.startswith(ENV_PREFIX) and upper not in known:
            close = difflib.get_close_matches(upper, sorted(known), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise UserError(f"unknown attestor setting {variable}{hint}")


def keyfile_key(path: Path, environ: Mapping[str, str]) -> LocalAccount:
    """The key of an encrypted JSON keyfile, unlocked with `ATTESTOR_PASSPHRASE`."""
    passphrase = environ.get(PASSPHRASE_VARIABLE)
    if passphrase is None:
        raise UserError(f"set {PASSPHRASE_VARIABLE} to unlock the keyfile {path}")
    try:
        keyfile = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise UserError(f"cannot read the keyfile {path}: {err}") from None
    try:
        return Account.from_key(Account.decrypt(keyfile, passphrase))
    except (ValueError, KeyError, TypeError):
        raise UserError(f"wrong passphrase for the keyfile {path} ({PASSPHRASE_VARIABLE})") from None
