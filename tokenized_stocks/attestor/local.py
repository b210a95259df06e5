"""An attestor object asked in-process (unit and regression tests, the gas bench): the same scan,
checks, store and signing as the served one, without HTTP. Each request first lets it scan, so it
signs only what it has itself found on chain at its depth, exactly as a running one would."""

from __future__ import annotations

from collections.abc import Sequence

from tokenized_stocks.attestor.service import Attestor


class InProcessAttestor:
    """`relayer.attestors.AttestorEndpoint` over an `Attestor` object."""

    def __init__(self, attestor: Attestor, name: str | None = None) -> None:
        self.attestor = attestor
        self._name = name or f"in-process {attestor.address}"

    @property
    def name(self) -> str:
        return self._name

    def signatures(self, message_ids: Sequence[bytes]) -> dict[bytes, bytes]:
        self.attestor.poll()
        return {i: a.signature for i, a in self.attestor.attestations(message_ids).items()}

    def close(self) -> None:
        self.attestor.close()
