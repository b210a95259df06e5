"""ape's contract caches stay in memory on local development chains.

ape writes the contract type, proxy info and creation of every contract it meets to
`~/.ape/<ecosystem>/<network>/` for every network but `local`, and merges what it finds there into
the type a later `Contract.at(address)` is given. A development chain started afresh (the
harness's anvils, `make chains-up` after `make chains-down`) puts other contracts at the same
addresses, so a later run read a Safe as an `OrderToken` or a struct with a layout two builds old.
On a chain whose id is local (`protocol.chains`), those caches are memory only; live networks keep
ape's behaviour.
"""

from __future__ import annotations

from typing import Any

from tokenized_stocks.protocol.chains import is_local_chain

_INSTALLED = False


def keep_local_chain_caches_in_memory() -> None:
    """Installs the policy once per process (idempotent); the scripts and `Suite` call it."""
    global _INSTALLED
    if _INSTALLED:
        return
    from ape.managers._contractscache import ContractCache

    original = ContractCache._get_data_cache

    def _get_data_cache(
        self: Any,
        key: str,
        model_type: type,
        ecosystem_key: str | None = None,
        network_key: str | None = None,
    ) -> Any:
        cache = original(self, key, model_type, ecosystem_key, network_key)
        if ecosystem_key is None and network_key is None and is_local_chain(self.provider.chain_id):
            cache._write_to_disk = False
            cache._read_from_disk = False
        return cache

    ContractCache._get_data_cache = _get_data_cache  # type: ignore[method-assign]
    _INSTALLED = True


def pin_chain_id(provider: Any) -> int:
    """Makes ape's `chain.chain_id` the chain id of `provider`'s node, and returns it.

    ape caches the chain id per network *name*, and every RPC URI is the network `custom`: after a
    connection to one URI, `chain.chain_id` answered that chain's id for the next URI too (a Safe
    transaction was then signed for the wrong chain and refused, `GS026`). The node's own answer
    replaces the cached one on every connection a suite makes."""
    from ape.managers.chain import ChainManager

    chain_id = int(provider.chain_id)
    cache = ChainManager._chain_id_cache
    cache[cache.key_for(provider)] = chain_id
    return chain_id
