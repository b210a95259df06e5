"""The Safe 1.5.0 contracts, from the prebuilt artifacts of `@safe-global/safe-smart-account`
(npm, pinned in package.json), and their registration with the ape-safe plugin.

ape-safe 0.8.23 (and eip712's `SafeTx` definitions) know Safe 1.3.0 and 1.4.1 only, and ape-safe
looks the singleton and proxy factory up in Safe's deployment registry. On a local chain the suite deploys its own, so
`register_with_ape_safe` gives ape-safe a 1.5.0 manifest built from the same artifacts and the
deployed singleton and factory (its `SafeFactory.inject` mechanism). `safe_account` then opens a
deployed Safe as an ape-safe `SafeAccount`: proposals, signatures and executions go through it.
"""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from eth_utils import keccak, to_bytes, to_checksum_address

from tokenized_stocks.protocol.errors import UserError

SAFE_VERSION = "1.5.0"
NPM_PACKAGE = "@safe-global/safe-smart-account"
ARTIFACTS = (
    Path(__file__).resolve().parents[2] / "node_modules" / NPM_PACKAGE / "build" / "artifacts" / "contracts"
)

#: Contract name -> its artifact under ARTIFACTS. `SafeL2` is the singleton ape-safe uses (it emits
#: an event per execution), `SafeProxy` the code each Safe runs behind.
SAFE_ARTIFACTS = {
    "SafeL2": "SafeL2.sol/SafeL2.json",
    "SafeProxy": "proxies/SafeProxy.sol/SafeProxy.json",
    "IProxy": "proxies/SafeProxy.sol/IProxy.json",
    "SafeProxyFactory": "proxies/SafeProxyFactory.sol/SafeProxyFactory.json",
    "CompatibilityFallbackHandler": "handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json",
    "MultiSendCallOnly": "libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json",
}


@cache
def contract_type(name: str) -> Any:
    """The ape `ContractType` of one Safe contract (ABI and bytecode from the npm artifact)."""
    from ethpm_types import ContractType

    path = ARTIFACTS / SAFE_ARTIFACTS[name]
    if not path.exists():
        raise UserError(f"the Safe {SAFE_VERSION} artifacts are missing at {path}: run `npm ci`")
    data = json.loads(path.read_text())
    return ContractType.model_validate(
        {
            "contractName": name,
            "sourceId": data["sourceName"],
            "abi": data["abi"],
            "deploymentBytecode": {"bytecode": data["bytecode"]},
            "runtimeBytecode": {"bytecode": data["deployedBytecode"]},
        }
    )


def container(name: str) -> Any:
    """An ape `ContractContainer` of one Safe contract (deployable, attachable with `.at`)."""
    from ape.contracts import ContractContainer

    return ContractContainer(contract_type(name))


def known_at(address: str, kind: Any) -> Any:
    """The contract at `address` as the `ContractType` `kind`, replacing what ape had cached for the
    address: ape merges a given type with its disk cache, and on a development chain started
    afresh an address holds another contract than the one an earlier run left in that cache."""
    from ape import chain

    return chain.contracts.instance_at(str(address), contract_type=kind, replace=True)


def setup_calldata(owners: list[str], threshold: int, fallback_handler: str) -> bytes:
    """`Safe.setup(owners, threshold, 0, "", fallbackHandler, 0, 0, 0)`: the initializer of a new Safe."""
    from ape import networks

    abi = next(m for m in contract_type("SafeL2").mutable_methods if m.name == "setup")
    zero = "0x" + "00" * 20
    args = [owners, threshold, zero, b"", fallback_handler, zero, 0, zero]
    ecosystem = networks.ethereum
    return bytes(ecosystem.get_method_selector(abi)) + bytes(ecosystem.encode_calldata(abi, *args))


def predicted_safe_address(factory: str, singleton: str, initializer: bytes, salt_nonce: int) -> str:
    """The address `SafeProxyFactory.createProxyWithNonce(singleton, initializer, saltNonce)` gives
    the Safe (CREATE2: the factory's salt and the proxy's creation code with the singleton)."""
    salt = keccak(keccak(initializer) + salt_nonce.to_bytes(32, "big"))
    creation = to_bytes(hexstr=contract_type("SafeProxy").deployment_bytecode.bytecode)
    code = creation + to_bytes(hexstr=singleton).rjust(32, b"\x00")
    digest = keccak(b"\xff" + to_bytes(hexstr=factory) + salt + keccak(code))
    return to_checksum_address(digest[12:])


@cache
def _manifest_path() -> Path:
    """A 1.5.0 package manifest (ethPM) of the Safe contracts, in the form ape-safe reads."""
    from ethpm_types import PackageManifest

    manifest = PackageManifest(
        name="safe",
        version=SAFE_VERSION,
        contractTypes={name: contract_type(name) for name in SAFE_ARTIFACTS},
    )
    path = Path(tempfile.mkdtemp(prefix="safe-manifest-")) / f"safe-v{SAFE_VERSION}.json"
    path.write_text(manifest.model_dump_json(by_alias=True, exclude_none=True))
    return path


def register_with_ape_safe(singleton: Any, factory: Any) -> None:
    """Makes ape-safe know Safe 1.5.0 and use the suite's singleton and factory on this chain.
    (1.5.0 signs the same EIP-712 `SafeTx` as 1.3.0 and 1.4.1, with the chain id in its domain.)"""
    from ape_safe import packages  # type: ignore[import-untyped]
    from ape_safe.factory import SafeFactory  # type: ignore[import-untyped]
    from eip712 import common
    from packaging.version import Version

    version = Version(SAFE_VERSION)
    common.SAFE_VERSIONS.add(SAFE_VERSION)
    packages.MANIFESTS_BY_VERSION[version] = _manifest_path()
    SafeFactory._singleton[version] = known_at(singleton.address, contract_type("SafeL2"))
    SafeFactory._factory[version] = known_at(factory.address, contract_type("SafeProxyFactory"))


def safe_account(
    address: str,
    folder: Path,
    alias: str = "issuer-safe",
    handler: str | None = None,
    *,
    local_service: bool = False,
) -> Any:
    """The deployed Safe at `address` as an ape-safe `SafeAccount` (its cache file in `folder`).
    `handler`: the Safe's fallback handler, attached so ape-safe can read its ABI. `local_service`:
    ape-safe's local (mock) transaction service, for a development chain reached as a `node`
    network (ape-safe picks it by itself only on ape's `local` network)."""
    from ape import chain
    from ape_safe.accounts import SafeAccount  # type: ignore[import-untyped]
    from ape_safe.client import MockSafeClient  # type: ignore[import-untyped]
    from ape_safe.packages import PackageType  # type: ignore[import-untyped]
    from packaging.version import Version

    if handler is not None:
        known_at(handler, contract_type("CompatibilityFallbackHandler"))
    # the proxy as ape-safe reads it (the singleton's functions and `masterCopy`): needs
    # `register_with_ape_safe` first
    known_at(address, PackageType.PROXY(Version(SAFE_VERSION)).contract_type)
    path = folder / f"{alias}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"address": address, "deployed_chain_ids": [chain.chain_id]}))
    account = SafeAccount(account_file_path=path)
    if local_service:
        account.__dict__["client"] = MockSafeClient(contract=account.contract)  # the cached `client`
    return account
