"""Relayer configuration: the chains, the attestors and the tunables.

`RelayerSettings` is what the relayer's runner sets: `RELAYER_*` environment variables, overridden
by the `ape run relayer` options. The relayer holds no operator key: the operators sign in their
own attestors (`ape run attestor`), which the relayer asks over HTTP (`--attestor URL`). Its only
key, the submitter paying for gas, is never a setting: an ape account alias (or, on a local chain,
a test account number) that the script unlocks.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from eth_account.signers.local import LocalAccount
from pydantic import Field, NonNegativeInt, PositiveFloat, PositiveInt, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from tokenized_stocks.deploy.validation import Address, error_text, first_error, more
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.relayer.attestors import AttestorEndpoint


@dataclass(frozen=True)
class ChainEndpoint:
    """One side of the bridge: an RPC URL, the gateway deployed there and, when known, the block it
    was deployed in (a fresh cursor starts there: messages of an earlier deployment are not read)."""

    name: str
    rpc_url: str
    gateway: str
    start_block: int | None = None


@dataclass
class RelayerConfig:
    """Everything the relayer needs. `start_block` is where a fresh cursor starts."""

    chain_a: ChainEndpoint
    chain_b: ChainEndpoint
    submitter: LocalAccount
    attestors: Sequence[AttestorEndpoint]
    db_path: str = "relayer.sqlite"
    confirmations: int = 0
    batch_size: int = 20
    max_attempts: int = 3
    start_block: int = 0
    log_chunk: int = 5_000
    rpc_retries: int = 5
    rpc_backoff: float = 0.2
    receipt_timeout: float = 60.0
    attestation_attempts: int = 20


ENV_PREFIX = "RELAYER_"
#: Environment variables that once carried private keys; refused so a stale deployment notices.
RETIRED_KEY_VARIABLES = ("RELAYER_OPERATOR_KEYS", "RELAYER_SUBMITTER_KEY")
#: Variables that once named operator keys the relayer signed with: operators run attestors now.
RETIRED_OPERATOR_VARIABLES = ("RELAYER_OPERATORS", "RELAYER_OPERATOR_TEST_ACCOUNTS")
#: The script's option for a field, where it is not `--<field with dashes>`.
OPTION_NAMES = {
    "db_path": "--db",
    "attestors": "--attestor",
}


def option_name(field: str) -> str:
    return OPTION_NAMES.get(field, "--" + field.replace("_", "-"))


def _comma_list(value: Any) -> Any:
    """`a,b` (an environment variable) or a list (options) -> a list without blanks."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class RelayerSettings(BaseSettings):
    """The relayer's settings: `RELAYER_<FIELD>` in the environment (`RELAYER_BATCH_SIZE=50`,
    `RELAYER_ATTESTORS=http://op1:8600,http://op2:8600`); values given to the constructor (the
    script's options) win."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", case_sensitive=False)

    rpc_a: str = Field(description="RPC URI of chain A.")
    rpc_b: str = Field(description="RPC URI of chain B.")
    manifest_a: Path | None = Field(None, description="Deployment manifest of chain A (gives its gateway).")
    manifest_b: Path | None = Field(None, description="Deployment manifest of chain B (gives its gateway).")
    gateway_a: Address | None = Field(None, description="Gateway on chain A, when there is no manifest.")
    gateway_b: Address | None = Field(None, description="Gateway on chain B, when there is no manifest.")
    submitter: str | None = Field(None, description="ape account alias paying for the receive transactions.")
    attestors: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="URLs of the operators' attestor APIs (comma separated)."
    )
    attestor_timeout: PositiveFloat = Field(2.0, description="Seconds an attestor request may take.")
    attestation_attempts: PositiveInt = Field(
        20, description="Rounds a message may stay below the threshold before it is parked."
    )
    submitter_test_account: NonNegativeInt | None = Field(
        None, description="Local chains only: ape test account number of the submitter."
    )
    db_path: str = Field("relayer.sqlite", min_length=1, description="SQLite state file.")
    confirmations: NonNegativeInt = Field(
        0, description="Blocks on top of a MessageSent (0 on local anvils)."
    )
    batch_size: PositiveInt = Field(20, description="Messages per receiveBatch transaction.")
    max_attempts: PositiveInt = Field(3, description="Attempts before a message is parked.")
    start_block: NonNegativeInt | None = Field(
        None,
        description="First block of a fresh cursor (default: the gateway's block in the manifest, else 0).",
    )
    poll_interval: PositiveFloat = Field(1.0, description="Seconds between polls.")
    log_chunk: PositiveInt = Field(5_000, description="Blocks per eth_getLogs request.")
    rpc_retries: NonNegativeInt = Field(5, description="Retries of a failed RPC call.")
    rpc_backoff: PositiveFloat = Field(0.2, description="Seconds before the first retry (doubles each time).")
    receipt_timeout: PositiveFloat = Field(60.0, description="Seconds to wait for a receipt.")

    _split = field_validator("attestors", mode="before")(_comma_list)

    @classmethod
    def load(cls, **overrides: Any) -> RelayerSettings:
        """The environment overridden by `overrides` (None = not given); a bad or missing value is
        one UserError line naming the option and its variable."""
        check_environment(os.environ)
        given = {name: value for name, value in overrides.items() if value not in (None, ())}
        try:
            return cls(**given)
        except ValidationError as err:
            error = first_error(err)
            name = str(error["loc"][0]) if error["loc"] else ""
            what = f"{option_name(name)} / {ENV_PREFIX}{name.upper()}"
            problem = error_text(error, list(cls.model_fields))
            if error["type"] == "missing":
                raise UserError(f"{what} is required{more(err)}") from None
            raise UserError(f"bad {what}: {problem.removeprefix(name + ': ')}{more(err)}") from None

    def tunables(self) -> dict[str, Any]:
        """The `RelayerConfig` fields these settings carry."""
        names = ("db_path", "confirmations", "batch_size", "max_attempts", "log_chunk", "rpc_retries")
        return {
            name: getattr(self, name)
            for name in (*names, "rpc_backoff", "receipt_timeout", "attestation_attempts")
        }


def check_environment(environ: Mapping[str, str]) -> None:
    """Refuses a `RELAYER_*` variable that is no setting (a typo would otherwise be ignored) and the
    retired key variables (keys are ape accounts now)."""
    known = {ENV_PREFIX + name.upper() for name in RelayerSettings.model_fields}
    for variable in sorted(environ):
        if not variable.upper().startswith(ENV_PREFIX) or variable.upper() in known:
            continue
        if variable.upper() in RETIRED_OPERATOR_VARIABLES:
            raise UserError(
                f"{variable} is no longer read: the relayer holds no operator key; each operator runs "
                "its own attestor (`ape run attestor serve`) and the relayer asks them: --attestor <URL>"
            )
        if variable.upper() in RETIRED_KEY_VARIABLES:
            raise UserError(
                f"{variable} is no longer read: keys are not settings; import each key once with "
                "`ape accounts import <alias>` and give --submitter / --operator <alias>"
            )
        close = difflib.get_close_matches(variable.upper(), sorted(known), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise UserError(f"unknown relayer setting {variable}{hint}")
