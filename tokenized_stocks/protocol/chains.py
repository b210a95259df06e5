"""Which chains are local development chains: the one definition of "local".

Chain ids of the harness's anvils A, B and C (`make chains-up`, the tests) and ape's in-process
test chain: test accounts are allowed there, a mock stablecoin may be the desk's cash, and ape's
contract caches stay in memory. Every other chain id is a live network.
"""

from __future__ import annotations

LOCAL_CHAIN_IDS = frozenset({31337, 31338, 31339, 1337})


def is_local_chain(chain_id: int) -> bool:
    """Whether `chain_id` is a local development chain (`LOCAL_CHAIN_IDS`)."""
    return int(chain_id) in LOCAL_CHAIN_IDS
