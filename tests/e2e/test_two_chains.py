"""The two-chain harness: two anvils with distinct chain ids, switchable, isolated."""

from ape import chain


def test_registry_deploys_on_both_chains_with_distinct_chain_ids(chains, deploy_registry):
    registry_a = deploy_registry()
    chain_a_id = chain.chain_id
    with chains.on_b():
        registry_b = deploy_registry()
        chain_b_id = chain.chain_id
        assert registry_b.investorCount() == 0
    assert chain_a_id == 31337
    assert chain_b_id == 31338
    assert registry_a.investorCount() == 0


def test_switching_back_returns_to_chain_a(chains):
    with chains.on_b():
        assert chain.chain_id == 31338
    assert chain.chain_id == 31337


def test_chain_b_state_is_reverted_between_tests_part_one(chains, deploy_registry, onboard, investor_alice):
    with chains.on_b():
        registry = deploy_registry()
        onboard(registry, "alice", investor_alice)
        assert registry.isVerified(investor_alice)
        pytest_state["registry_b"] = registry.address


def test_chain_b_state_is_reverted_between_tests_part_two(chains):
    with chains.on_b():
        assert chain.provider.web3.eth.get_code(pytest_state["registry_b"]) == b""


pytest_state: dict[str, str] = {}
