"""Governance: a Safe multisig proposes to a timelock that holds every contract's admin role.

`config` (what the deployment asks for), `safe` (the Safe 1.5.0 contracts from
`@safe-global/safe-smart-account`, registered with ape-safe), `deploy` (the Safe, the timelock and
the hand-over of admin through the resumable Deployer), `proposals` (schedule and execute a timelock
operation through ape-safe) and `roles` (who holds each role, for the manifest and the docs).
"""
