# Two commands do all of the set-up on a fresh machine: `make test` and `make demo`.
# Every install step is stamped, so a second run reinstalls nothing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
export PATH := $(CURDIR)/node_modules/.bin:$(CURDIR)/$(BIN):$(PATH)
export SOLCX_BINARY_PATH := $(CURDIR)/tools/solc

.PHONY: setup test test-unit test-python test-forge lint slither verify demo bench chains-up chains-down chains-status clean \
	gas-snapshot check-gas storage-layout check-storage-layout upgrade-check

setup: $(STAMPS)/python $(STAMPS)/npm $(STAMPS)/ape

$(STAMPS)/prereq:
	@tools/check-prereqs
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/python: pyproject.toml | $(STAMPS)/prereq
	@echo "==> Python environment ($(VENV))"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(STAMPS)/npm: package.json package-lock.json | $(STAMPS)/prereq
	@echo "==> npm toolchain (anvil, forge, solcjs, OpenZeppelin)"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STAMPS)/ape: ape-config.yaml $(STAMPS)/python $(STAMPS)/npm
	@echo "==> ape plugins and dependencies"
	@$(BIN)/ape pm install --force > /dev/null
	@# ape walks at most 500 files under contracts/, the unpacked dependencies included: keep only
	@# their Solidity (tokenized_stocks/devtools/ape_packages.py)
	@$(BIN)/python -m tokenized_stocks.devtools.ape_packages > /dev/null
	@touch $@

# forge fmt --check covers contracts/ and test/ (foundry.toml's [fmt], forge's defaults otherwise).
lint: $(STAMPS)/python $(STAMPS)/npm
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/mypy
	@forge fmt --check contracts test || { echo "Solidity not formatted: run \`forge fmt contracts test\`" >&2; exit 1; }

test: setup test-forge test-python

# The fast loop: every Python test but the e2e scripts and the slow properties (docs/testing.md).
test-unit: setup
	@$(BIN)/ape test tests -q -p no:cacheprovider -m "not e2e and not slow" $(PYTEST_ARGS)

test-python: setup
	@$(BIN)/ape test tests -q -p no:cacheprovider $(PYTEST_ARGS)

test-forge: setup
	@forge test -q

# BENCH_ARGS: e.g. --scale 10,100 (CI: the full 1,000-holder scan is this target's default)
bench: setup
	@$(BIN)/ape run bench $(BENCH_ARGS)

# The ABIs shipped in the package (tokenized_stocks/abi/*.json) and exported for other languages
# (abi/*.json), re-exported from a fresh compile.
# tests/unit/toolchain/test_abi_package.py fails until this is run after a contract change.
.PHONY: abi
abi: setup
	@$(BIN)/ape compile > /dev/null
	@$(BIN)/python -m tokenized_stocks.devtools.abi

# Gas of every forge unit test (invariant campaigns and fuzz tests are random walks: their gas means
# nothing), committed in .gas-snapshot. The fuzz seed is pinned so the fuzz tests' mean and median
# are reproducible; differences up to GAS_TOLERANCE percent pass.
GAS_SNAPSHOT_ARGS := --no-match-test "invariant|testFuzz" --fuzz-seed 0x1
GAS_TOLERANCE ?= 1
gas-snapshot: setup
	@forge snapshot $(GAS_SNAPSHOT_ARGS) -q
	@echo "wrote .gas-snapshot"

check-gas: setup
	@forge snapshot $(GAS_SNAPSHOT_ARGS) --check --tolerance $(GAS_TOLERANCE) || { \
		echo "forge gas differs from .gas-snapshot by more than $(GAS_TOLERANCE)% (diff above)." >&2; \
		echo "If the change is intended, regenerate it with \`make gas-snapshot\` and commit .gas-snapshot." >&2; \
		exit 1; }

# Storage layout of every stateful contract, committed under test/storage-layout/ (label, slot,
# offset and type of each variable, struct member and ERC-7201 namespace member, with each namespace's
# base slot; built with forge's `upgrades` profile; see tokenized_stocks/devtools/storage_layout.py).
storage-layout: setup
	@$(BIN)/python -m tokenized_stocks.devtools.storage_layout --write

check-storage-layout: setup
	@$(BIN)/python -m tokenized_stocks.devtools.storage_layout --check

# Upgrade safety (OpenZeppelin upgrades-core on forge's `upgrades` profile build, .forge-out-upgrades/):
# every upgradeable implementation under contracts/ and every `@custom:oz-upgrades-from` pair; the
# deliberately unsafe fixtures are listed, with the reason, in tokenized_stocks/governance/upgrade_safety.toml.
upgrade-check: setup
	@$(BIN)/python -m tokenized_stocks.devtools.upgrade_check

# Symbolic proofs (halmos) of the multiplier rounding and the gateway's inbound state machine.
# halmos pins rich and z3, so it lives in a venv of its own.
HALMOS_VENV := .venv-halmos
$(STAMPS)/halmos: | $(STAMPS)/prereq
	@echo "==> halmos ($(HALMOS_VENV))"
	@test -x $(HALMOS_VENV)/bin/python || $(PYTHON) -m venv $(HALMOS_VENV)
	@$(HALMOS_VENV)/bin/python -m pip install --quiet halmos==0.3.3
	@touch $@

# The solver (yices) comes with the halmos venv: its bin goes first on PATH, so nothing is downloaded.
verify: setup $(STAMPS)/halmos
	@PATH=$(CURDIR)/$(HALMOS_VENV)/bin:$$PATH FOUNDRY_PROFILE=halmos $(HALMOS_VENV)/bin/halmos --root . \
		--forge-build-out .forge-out-halmos --solver-timeout-assertion 300s

slither: setup
	@$(BIN)/slither . --config-file slither.config.json --fail-pedantic

# Three long-running local chains, A, B and C (chain ids 31337, 31338 and 31339), for
# `ape run deploy --network ethereum:chaina:node` and `ethereum:chainb:node` / `ethereum:chainc:node`
# (ape-config.yaml points those at the default ports; on other ports name the URL instead:
# `--network ethereum:chainb:http://127.0.0.1:<PORT_B>`). `chains-up` refuses a port in use or a chain
# still running and returns once all three answer; pid and log files are kept in .chains/
# (tokenized_stocks/devtools/chains.py). `chains-status` exits 0 only if all three are up.
PORT_A ?= 8545
PORT_B ?= 8546
PORT_C ?= 8547
CHAINS := $(BIN)/python -m tokenized_stocks.devtools.chains

chains-up: setup
	@$(CHAINS) up --port-a $(PORT_A) --port-b $(PORT_B) --port-c $(PORT_C)

chains-status:
	@$(CHAINS) status

chains-down:
	@$(CHAINS) down

demo: setup
	@$(BIN)/ape run demo

clean:
	rm -rf $(VENV) $(HALMOS_VENV) node_modules $(STAMPS) .build contracts/.cache .forge-out .forge-cache .forge-out-halmos .forge-cache-halmos \
		.forge-out-layout .forge-cache-layout .forge-out-upgrades .forge-cache-upgrades .mypy_cache

# JSON Schemas of the manifest and the listings file, generated from their models (docs/schema/).
.PHONY: schema
schema: $(STAMPS)/python
	@$(BIN)/python -m tokenized_stocks.deploy.schema

# Sampled mutation testing of the core contracts (tools/mutation.py, tools/mutation.toml; see
# docs/testing.md#mutation-testing): the full sample (10 per contract) takes about 1.5 hours alone;
# MUTATION_ARGS="--ci --min-score 1" is CI's fixed sample, "--id <id>" judges one mutant.
.PHONY: mutation
mutation: setup
	@$(BIN)/python tools/mutation.py $(MUTATION_ARGS)
