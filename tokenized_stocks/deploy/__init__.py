"""Deploying a suite: manifests and listings, the deployer that records every contract, and the
wiring of each architecture (`deploy_suite`, `link_peer`)."""
