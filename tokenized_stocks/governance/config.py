"""What a governed deployment asks for: the Safe's owners and threshold, the timelock's delay, the
guardian. Read from the `governance:` section of the listings file (`ape run deploy --governance safe`)."""

from __future__ import annotations

from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    field_validator,
    model_validator,
)

from tokenized_stocks.deploy.validation import Address

#: Two days: long enough for holders to see a scheduled change and leave before it runs.
DEFAULT_MIN_DELAY = 172_800


class GovernanceConfig(BaseModel):
    """The Safe (owners, threshold) that proposes to the timelock (min_delay seconds), and the
    guardian that holds every PAUSER_ROLE. An empty owner list means the local test accounts (a
    live network must name them); no guardian means the role book's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    owners: list[Address] = Field(default_factory=list)
    threshold: PositiveInt = 2
    min_delay: NonNegativeInt = DEFAULT_MIN_DELAY
    guardian: Address | None = None
    #: The Safe proxy's CREATE2 salt nonce (a new one gives a new Safe address).
    salt_nonce: NonNegativeInt = 0

    @field_validator("owners", "guardian", mode="before")
    @classmethod
    def _quoted(cls, value: Any) -> Any:
        """YAML reads an unquoted `0x...` as a number: say so instead of "not an address"."""
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise ValueError("write each address in quotes (YAML reads an unquoted 0x... as a number)")
        return value

    @model_validator(mode="after")
    def _threshold_fits(self) -> GovernanceConfig:
        if len({o.lower() for o in self.owners}) != len(self.owners):
            raise ValueError("owners must be distinct")
        if self.owners and self.threshold > len(self.owners):
            raise ValueError(f"threshold {self.threshold} exceeds the {len(self.owners)} owners")
        return self
