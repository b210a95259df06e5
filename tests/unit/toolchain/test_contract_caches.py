"""On a local development chain ape's contract caches stay in memory (tokenized_stocks.client.caches):
a chain started afresh puts other contracts at the same addresses, and a type ape had written to
disk for an address was merged into the next run's `Contract.at(address)`."""

from pathlib import Path

from tokenized_stocks.client.caches import keep_local_chain_caches_in_memory


def _cached_type_file(address: str) -> Path:
    from ape import chain, config

    network = chain.provider.network
    return config.DATA_FOLDER / network.ecosystem.name / network.name / "contract_types" / f"{address}.json"


def test_a_contract_deployed_on_a_local_chain_is_not_written_to_the_disk_cache(chains, project, issuer):
    keep_local_chain_caches_in_memory()
    with chains.on_b():
        next_address = issuer.get_deployment_address()
        _cached_type_file(str(next_address)).unlink(missing_ok=True)  # what a run before this left
        token = issuer.deploy(project.PlainERC20)
        assert token.address == next_address
        assert not _cached_type_file(str(token.address)).exists()


def test_a_type_left_on_disk_for_a_local_address_is_not_merged_into_a_later_lookup(chains, project, issuer):
    keep_local_chain_caches_in_memory()
    with chains.on_b():
        token = issuer.deploy(project.PlainERC20)
        stale = _cached_type_file(str(token.address))
        stale.parent.mkdir(parents=True, exist_ok=True)
        stale.write_text(project.SanctionsList.contract_type.model_dump_json())
        try:
            from ape import chain

            chain.contracts.contract_types.memory.pop(str(token.address), None)
            again = project.PlainERC20.at(token.address)
            assert again.contract_type.name == "PlainERC20"
            assert not hasattr(again, "isSanctioned")
        finally:
            stale.unlink()
