"""Register settings: flags of `ape run register`, else REGISTER_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class RegisterSettings(BaseSettings):
    """Where the register keeps its book and exchanges its messages."""

    model_config = SettingsConfigDict(env_prefix="REGISTER_", extra="forbid", frozen=True)

    db: Path = Field(Path("register.sqlite"), description="SQLite book of positions and instructions.")
    inbox: Path = Field(
        Path("register-messages/in"), description="Folder of ISO 20022 messages to the register."
    )
    outbox: Path = Field(Path("register-messages/out"), description="Folder of the register's answers.")
    safekeeping_account: str = Field("REGISTER", description="The register's account named in statements.")
    on_ramp_timeout: int = Field(
        86_400,
        ge=60,
        description="Seconds the chain has to issue an on-ramp before reconciliation calls it a break.",
    )
