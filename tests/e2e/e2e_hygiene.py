"""Helpers of the e2e modules' hygiene (a module of its own: `conftest` is ambiguous to import)."""

from __future__ import annotations

import contextlib


def drop_providers_added_since(before: set[str]) -> None:
    """Disconnects and forgets every ape provider connected since `before` was taken. ape keys a
    connection by network and URI and hands a connected provider to a later context that names
    the same network: a node that stopped with its module would still be used."""
    from ape.api.networks import ProviderContextManager

    for key in set(ProviderContextManager.connected_providers) - before:
        provider = ProviderContextManager.connected_providers.pop(key)
        with contextlib.suppress(Exception):
            provider.disconnect()
    ProviderContextManager._recycled_provider = None  # kept by ape after a context left by an exception


def drop_providers_of(uri: str) -> None:
    """Disconnects and forgets every ape provider of the node at `uri` (a module's own node, at its
    teardown): ape would hand that connection to a later in-process run naming the same network,
    which then fails to reach another module's node on the same chain id."""
    from ape.api.networks import ProviderContextManager

    for key, provider in list(ProviderContextManager.connected_providers.items()):
        if getattr(provider, "uri", None) == uri:
            ProviderContextManager.connected_providers.pop(key)
            with contextlib.suppress(Exception):
                provider.disconnect()
    ProviderContextManager._recycled_provider = None
