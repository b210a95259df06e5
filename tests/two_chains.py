"""Chain B beside ape's own chain A, for tests in one pytest session.

ape keys a provider connection by network and chain id (`ethereum:chainb:node:31338`), not by URI:
after an earlier module connected `ethereum:chainb:node` to another anvil with the same chain id,
`parse_network_choice(..., provider_settings={"uri": ...})` would hand back that stale connection.
`on_node` forgets such a connection first, so every switch reaches the node it names."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def _uri(provider: Any) -> str | None:
    return getattr(provider, "uri", None)


@contextmanager
def on_node(choice: str, uri: str) -> Iterator[Any]:
    """Runs the block with ape connected to `choice` at `uri` (and back to the previous provider)."""
    from ape import networks
    from ape.api.networks import ProviderContextManager

    for key, provider in list(ProviderContextManager.connected_providers.items()):
        if key.startswith(f"{choice}:") and _uri(provider) != uri:
            ProviderContextManager.connected_providers.pop(key)
            with contextlib.suppress(Exception):
                provider.disconnect()
    recycled = ProviderContextManager._recycled_provider
    if recycled is not None and _uri(recycled) != uri:
        ProviderContextManager._recycled_provider = None
    with networks.parse_network_choice(choice, provider_settings={"uri": uri}, disconnect_on_exit=False) as p:
        yield p


class TwoChains:
    """Switches the active ape provider between chain A (ape's anvil) and chain B."""

    def __init__(self, node: Any) -> None:
        self.node = node

    @contextmanager
    def on_b(self) -> Iterator[None]:
        """Everything inside runs on chain B, then ape is back on chain A."""
        with on_node("ethereum:chainb:node", self.node.uri):
            yield

    def snapshot_b(self) -> str:
        return str(self.node.rpc("evm_snapshot"))

    def revert_b(self, snapshot_id: str) -> None:
        self.node.rpc("evm_revert", snapshot_id)
