"""Upgradeable contracts: an implementation behind an ERC-1967 proxy (`SuiteProxy`, OZ's
ERC1967Proxy), initialised in the proxy's own deployment transaction, upgraded through the
implementation's UUPS `upgradeToAndCall` (DEFAULT_ADMIN_ROLE: the timelock after the hand-over).

Clients use the proxy's address with the implementation's ABI (`container.at(proxy)`): the manifest
records the proxy as the contract's `address` and the implementation under `implementation`.
`deploy_behind_proxy` is the one way tests and dev tools deploy one; `ape run deploy` does the same
through the CREATE2 factory (`Deployer.proxy`), so the proxy lands at the same address on every chain.
"""

from __future__ import annotations

from typing import Any

from tokenized_stocks.deploy.plan import calldata

#: The proxy contract every upgradeable contract of the suite sits behind.
PROXY_CONTRACT = "SuiteProxy"

#: The ERC-1967 implementation slot: `bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)`.
IMPLEMENTATION_SLOT = 0x360894A13BA1A3210667C828492DB98DCA3E2076CC3735A920A3CA505D382BBC

#: The initialiser every upgradeable contract of the suite declares.
INITIALIZER = "initialize"


def initializer_call(container: Any, args: tuple[Any, ...]) -> bytes:
    """The calldata of `container`'s `initialize(*args)` (run by the proxy's constructor)."""
    abis = [
        m
        for m in container.contract_type.mutable_methods
        if m.name == INITIALIZER and len(m.inputs) == len(args)
    ]
    if not abis:
        raise ValueError(
            f"{container.contract_type.name} has no {INITIALIZER}() taking {len(args)} arguments"
        )
    return calldata(abis[0], args)


def deploy_behind_proxy(project: Any, account: Any, container: Any, *args: Any) -> Any:
    """Deploys `container`'s implementation and a `SuiteProxy` in front of it whose deployment calls
    `initialize(*args)`; returns `container` at the proxy's address (what every client uses)."""
    implementation = account.deploy(container)
    proxy = account.deploy(
        getattr(project, PROXY_CONTRACT), implementation.address, initializer_call(container, args)
    )
    return container.at(proxy.address)


def implementation_of(address: Any) -> str:
    """The implementation a proxy at `address` delegates to (read from its ERC-1967 slot)."""
    from ape import chain
    from eth_utils import to_checksum_address

    word = chain.provider.get_storage(str(address), IMPLEMENTATION_SLOT)
    return to_checksum_address(bytes(word)[-20:])
