"""Fixtures shared by every suite: role accounts, the investor registry, and chain B.

Accounts are named for the role they play (never `accounts[3]` inside a test). Chain A is the
anvil ape-foundry starts (chain id 31337); chain B is a second anvil this harness starts with
chain id 31338 and the same funded test accounts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import ape
import pytest
from ape.pytest.fixtures import FixtureMap
from two_chains import TwoChains

from tokenized_stocks.client.caches import keep_local_chain_caches_in_memory
from tokenized_stocks.deploy.proxy import deploy_behind_proxy
from tokenized_stocks.devtools.anvil import AnvilNode, start_anvil
from tokenized_stocks.protocol.roles import REGISTRAR_ROLE, Country, InvestorClass

CHAIN_B_ID = 31338
ONE_YEAR = 365 * 24 * 3600
TESTS = Path(__file__).parent

# Markers by folder (registered in pyproject.toml): `make test-unit` deselects both.
FOLDER_MARKERS = {"e2e": "e2e", "properties": "slow"}


def pytest_collection_modifyitems(config, items):
    """Marks every test under tests/e2e `e2e` (real scripts, several anvils) and every test under
    tests/properties `slow` (Hypothesis state machines)."""
    for item in items:
        try:
            folder = item.path.relative_to(TESTS).parts[0]
        except ValueError:
            continue
        if marker := FOLDER_MARKERS.get(folder):
            item.add_marker(marker)


# ---------------------------------------------------------------------------------------------
# ape 0.8.51 orders a test's fixtures by scope from *every* definition of each name in the
# session: a function-scoped `funded` of one folder is also listed with the module-scoped `funded`
# of another, so it would run before the test's chain snapshot and its transactions would never be
# reverted (they pile up on a module-scoped deployment). Only the definition that applies to the
# test decides its scope here.
# ---------------------------------------------------------------------------------------------


def _from_test_item(cls, item):
    fixture_map = cls(item)
    for name, definitions in item._fixtureinfo.name2fixturedefs.items():
        if definitions and name in item.fixturenames:
            fixture_map[definitions[-1].scope].append(name)
    return fixture_map


FixtureMap.from_test_item = classmethod(_from_test_item)


# in-process tests reach chains B and C as ape networks too: their contract caches stay in memory
keep_local_chain_caches_in_memory()


# ---------------------------------------------------------------------------------------------
# ape-foundry 0.8.12 fetches the call trace of every reverted transaction (debug_traceTransaction)
# and prints it, even inside a revert assertion, and ape replays the trace frame by frame to decode
# an error bubbled up from another contract: 1.5-6 s per refused transaction, most of the suite's
# time. The tests assert each revert by its data (tests/revert_data.py), never by the
# printed trace, so the error is built exactly as the plugin builds it, without the trace.
# TRACE_REVERTS=1 restores the plugin's behaviour when a failure needs the trace to debug.
# ---------------------------------------------------------------------------------------------


def _handle_execution_reverted_without_trace(self, exception, revert_message=None, **kwargs):
    from ape.exceptions import ContractLogicError, TransactionError

    if revert_message == "0x":
        revert_message = TransactionError.DEFAULT_MESSAGE
    else:
        revert_message = revert_message or TransactionError.DEFAULT_MESSAGE
    if revert_message.startswith("revert: "):
        revert_message = revert_message[8:]
    error = ContractLogicError(base_err=exception, revert_message=revert_message, **kwargs)
    return self.compiler_manager.enrich_error(error)


def _decode_custom_error_without_trace(self, data, address, **kwargs):
    """ape's decoding of a custom error in the ABI of the contract called; an error bubbled up
    from another contract is left undecoded (ape would replay the whole transaction trace to find
    the reverting contract: ~6 s per refused transaction). `revert_data.reverts` reads the raw
    data of an undecoded error, so every assertion still checks selector and arguments."""
    try:
        contract = self.chain_manager.contracts.instance_at(address)
    except Exception:  # noqa: BLE001 - ape's own behaviour: no contract type, no decoding
        return None
    selector = data[:4]
    if selector not in contract.contract_type.errors:
        return None
    abi = contract.contract_type.errors[selector]
    error_cls = contract.get_error_by_signature(abi.signature)
    inputs = self.decode_calldata(abi, data[4:])
    kwargs["contract_address"] = address
    keep = ("trace", "txn", "contract_address", "source_traceback")
    return error_cls(abi, inputs, **{k: v for k, v in kwargs.items() if k in keep})


if not os.environ.get("TRACE_REVERTS"):
    from ape_ethereum.ecosystem import Ethereum
    from ape_foundry.provider import FoundryProvider

    FoundryProvider._handle_execution_reverted = _handle_execution_reverted_without_trace
    Ethereum.decode_custom_error = _decode_custom_error_without_trace


@pytest.fixture(autouse=True)
def _starts_on_apes_test_chain(request: pytest.FixtureRequest) -> None:
    """Every test starts with ape's own test chain as the active provider.

    ape takes its per-test isolation snapshots on whichever provider is active. A fixture that
    yields to its tests from inside a provider context (`suite.connected()`, `networks.
    parse_network_choice(...)`) makes those snapshots on the other chain, and every later test of
    the session then runs without isolation (it once made 17 certificate tests fail after an e2e
    module). Yield outside the context instead."""
    from ape import networks

    name = networks.provider.network.name
    if name != "local":
        pytest.fail(
            f"{request.node.nodeid} starts on network {name!r}, not ape's test chain: a fixture "
            "yields to its tests from inside a provider context (see tests/conftest.py)"
        )


# ---------------------------------------------------------------------------------------------
# Accounts, one per role of ARCHITECTURE.md section 2
#
# `chain_isolation=False` tells ape these fixtures hold no chain state: a role first requested
# after a module's deployment then does not make ape revert and redeploy that module's fixtures.
# ---------------------------------------------------------------------------------------------

account_fixture = ape.fixture(scope="session", chain_isolation=False)


@account_fixture
def issuer(accounts):
    """DEFAULT_ADMIN_ROLE of every contract: lists assets, grants roles."""
    return accounts[0]


@account_fixture
def registrar(accounts):
    return accounts[1]


@account_fixture
def custodian(accounts):
    return accounts[2]


@account_fixture
def transfer_agent(accounts):
    return accounts[3]


@account_fixture
def quote_signer(accounts):
    return accounts[4]


@account_fixture
def executor(accounts):
    return accounts[5]


@account_fixture
def guardian(accounts):
    return accounts[6]


@account_fixture
def cash_agent(accounts):
    return accounts[7]


@account_fixture
def operators(accounts):
    """Three gateway operators (2-of-3 in most tests)."""
    return [accounts[8], accounts[9], accounts[10]]


@account_fixture
def relayer(accounts):
    return accounts[11]


@account_fixture
def investor_alice(accounts):
    return accounts[12]


@account_fixture
def investor_alice_2(accounts):
    """Alice's second wallet."""
    return accounts[13]


@account_fixture
def investor_bob(accounts):
    return accounts[14]


@account_fixture
def investor_carol(accounts):
    return accounts[15]


@account_fixture
def outsider(accounts):
    """Holds no role and is not a registered investor."""
    return accounts[19]


# ---------------------------------------------------------------------------------------------
# Investor registry
# ---------------------------------------------------------------------------------------------


@ape.fixture(scope="session", chain_isolation=False)
def kyc_expiry(chain) -> Callable[[], int]:
    """A KYC expiry one year after the pending block."""
    return lambda: chain.pending_timestamp + ONE_YEAR


@ape.fixture(scope="session", chain_isolation=False)
def deploy_registry(project, issuer, registrar):
    """Factory: a new InvestorRegistry with `registrar` holding REGISTRAR_ROLE."""

    def deploy():
        registry = deploy_behind_proxy(project, issuer, project.InvestorRegistry, issuer)
        registry.grantRole(REGISTRAR_ROLE, registrar, sender=issuer)
        return registry

    return deploy


@pytest.fixture(scope="module")
def registry(deploy_registry):
    """Deployed once per test module; ape reverts each test to the state after it."""
    return deploy_registry()


@ape.fixture(scope="session", chain_isolation=False)
def onboard(registrar, kyc_expiry):
    """Factory: registers an investor with its wallets in `registry` and returns its id."""

    def onboard(
        registry,
        name: str,
        *wallets,
        country: int = Country.US,
        classes: int = InvestorClass.ACCREDITED,
        expiry: int | None = None,
    ) -> bytes:
        investor_id = name.encode().ljust(32, b"\x00")
        if not registry.isRegistered(investor_id):
            registry.registerInvestor(investor_id, country, classes, expiry or kyc_expiry(), sender=registrar)
        for wallet in wallets:
            registry.addWallet(investor_id, wallet, sender=registrar)
        return investor_id

    return onboard


# ---------------------------------------------------------------------------------------------
# Chain B
# ---------------------------------------------------------------------------------------------


@ape.fixture(scope="session", chain_isolation=False)
def chain_b_node() -> Iterator[AnvilNode]:
    node = start_anvil(CHAIN_B_ID, accounts=20, port=int(os.environ.get("CHAIN_B_PORT", "0")) or None)
    yield node
    node.stop()


CHAIN_C_ID = 31339


@ape.fixture(scope="session", chain_isolation=False)
def chain_c_node() -> Iterator[AnvilNode]:
    """A third chain (31339, `ethereum:chainc:node`) for tests of 3+ chain topologies."""
    node = start_anvil(CHAIN_C_ID, accounts=20, port=int(os.environ.get("CHAIN_C_PORT", "0")) or None)
    yield node
    node.stop()


@pytest.fixture
def chains(chain_b_node) -> Iterator[TwoChains]:
    """Two chains with test isolation on both: chain B is reverted after the test, like chain A."""
    two = TwoChains(chain_b_node)
    snapshot = two.snapshot_b()
    yield two
    two.revert_b(snapshot)
