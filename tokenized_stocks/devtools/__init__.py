"""Used only by scripts and tests: anvil launcher, gateway harness, benchmarks, demo story."""
